package store

import (
	"context"
	"fmt"

	"github.com/partnerskap-skane/partnernet"
)

const planColumns = `p.id, p.newcomer_id, p.organisation_id, p.supervisor, p.for_family, p.needs, p.goals,
  p.status, p.evaluation, p.created_at, p.updated_at`

func planFields(p *partnernet.SupportPlan) []any {
	return []any{&p.ID, &p.NewcomerID, &p.OrganisationID, &p.Supervisor, &p.ForFamily, &p.Needs, &p.Goals,
		&p.Status, &p.Evaluation, &p.CreatedAt, &p.UpdatedAt}
}

// SupportPlanGetMany returns the plans with the given ids; callers decide visibility.
func (s *Store) SupportPlanGetMany(ctx context.Context, ids []int64) ([]partnernet.SupportPlan, error) {
	return getMany(ctx, s.db, "support plans", "SELECT "+planColumns+" FROM support_plan p WHERE p.id = ANY($1)", ids, planFields)
}

// SupportPlanListByNewcomers returns the plans of each of the newcomers, newest first.
func (s *Store) SupportPlanListByNewcomers(ctx context.Context, newcomerIDs []int64) ([]partnernet.SupportPlan, error) {
	return getMany(ctx, s.db, "support plans", "SELECT "+planColumns+
		" FROM support_plan p WHERE p.newcomer_id = ANY($1) ORDER BY p.newcomer_id, p.created_at DESC, p.id DESC", newcomerIDs, planFields)
}

// PlanStepListByPlans returns the steps of each plan, in the order planned.
func (s *Store) PlanStepListByPlans(ctx context.Context, planIDs []int64) ([]partnernet.PlanStep, error) {
	return getMany(ctx, s.db, "plan steps", `
SELECT st.id, st.plan_id, st.kind, st.description, st.responsible_org_id, st.due_date, st.status,
  st.activity_id, st.referral_id, st.created_at
FROM plan_step st WHERE st.plan_id = ANY($1) ORDER BY st.plan_id, st.id`, planIDs, func(st *partnernet.PlanStep) []any {
		return []any{&st.ID, &st.PlanID, &st.Kind, &st.Description, &st.ResponsibleOrgID, &st.DueDate, &st.Status,
			&st.ActivityID, &st.ReferralID, &st.CreatedAt}
	})
}

// PlanFollowUpListByPlans returns the follow-ups of each plan, oldest first.
func (s *Store) PlanFollowUpListByPlans(ctx context.Context, planIDs []int64) ([]partnernet.PlanFollowUp, error) {
	return getMany(ctx, s.db, "plan follow-ups", `
SELECT f.id, f.plan_id, f.note, f.author, f.occurred_at FROM plan_follow_up f
WHERE f.plan_id = ANY($1) ORDER BY f.plan_id, f.occurred_at, f.id`, planIDs, func(f *partnernet.PlanFollowUp) []any {
		return []any{&f.ID, &f.PlanID, &f.Note, &f.Author, &f.OccurredAt}
	})
}

// SupportPlanCreate stores a plan and returns it as stored. Call it inside InTx with the audit
// entry.
func (s *Store) SupportPlanCreate(ctx context.Context, p partnernet.SupportPlan) (partnernet.SupportPlan, error) {
	var id int64
	if err := s.db.QueryRow(ctx, `
WITH plan AS (
  INSERT INTO support_plan (newcomer_id, organisation_id, supervisor, for_family, needs, goals)
  VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
), touched AS (UPDATE newcomer SET last_activity_at = now() WHERE id = $1)
SELECT id FROM plan`, p.NewcomerID, p.OrganisationID, p.Supervisor, p.ForFamily, p.Needs, p.Goals).Scan(&id); err != nil {
		return p, translate(fmt.Errorf("create support plan: %w", err))
	}
	return s.SupportPlanLock(ctx, id)
}

// SupportPlanLock returns a plan as it stands, locked until the transaction ends, or ErrNotFound.
func (s *Store) SupportPlanLock(ctx context.Context, id int64) (partnernet.SupportPlan, error) {
	var p partnernet.SupportPlan
	if err := s.db.QueryRow(ctx, "SELECT "+planColumns+" FROM support_plan p WHERE p.id = $1 FOR UPDATE", id).
		Scan(planFields(&p)...); err != nil {
		return p, translate(fmt.Errorf("lock support plan %d: %w", id, err))
	}
	return p, nil
}

// PlanStepAdd adds a step to a plan.
func (s *Store) PlanStepAdd(ctx context.Context, st partnernet.PlanStep) error {
	if _, err := s.db.Exec(ctx, `
WITH step AS (
  INSERT INTO plan_step (plan_id, kind, description, responsible_org_id, due_date, activity_id, referral_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
)
UPDATE support_plan SET updated_at = now() WHERE id = $1`,
		st.PlanID, st.Kind, st.Description, st.ResponsibleOrgID, st.DueDate, st.ActivityID, st.ReferralID); err != nil {
		return translate(fmt.Errorf("add a step to support plan %d: %w", st.PlanID, err))
	}
	return nil
}

// PlanStepSetStatus sets the status of the plan's index-th step (from 0), or gives ErrNotFound.
func (s *Store) PlanStepSetStatus(ctx context.Context, planID int64, index int, status partnernet.PlanStepStatus) error {
	tag, err := s.db.Exec(ctx, `
UPDATE plan_step SET status = $3
WHERE id = (SELECT id FROM plan_step WHERE plan_id = $1 ORDER BY id OFFSET $2 LIMIT 1)`, planID, index, status)
	if err != nil {
		return translate(fmt.Errorf("set a step of support plan %d: %w", planID, err))
	}
	if tag.RowsAffected() == 0 {
		return partnernet.Errorf(partnernet.CodeNotFound, "the plan has no such step")
	}
	return nil
}

// PlanFollowUpAdd records a follow-up of a plan.
func (s *Store) PlanFollowUpAdd(ctx context.Context, planID int64, note, author string) error {
	if _, err := s.db.Exec(ctx, `
WITH f AS (INSERT INTO plan_follow_up (plan_id, note, author) VALUES ($1, $2, $3))
UPDATE support_plan SET updated_at = now() WHERE id = $1`, planID, note, author); err != nil {
		return translate(fmt.Errorf("follow up support plan %d: %w", planID, err))
	}
	return nil
}

// SupportPlanEvaluate closes a plan with its evaluation.
func (s *Store) SupportPlanEvaluate(ctx context.Context, planID int64, evaluation string) error {
	if _, err := s.db.Exec(ctx, `
UPDATE support_plan SET status = 'EVALUATED', evaluation = $2, updated_at = now() WHERE id = $1`, planID, evaluation); err != nil {
		return translate(fmt.Errorf("evaluate support plan %d: %w", planID, err))
	}
	return nil
}
