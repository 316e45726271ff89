package store

import (
	"context"
	"fmt"
	"time"

	"github.com/partnerskap-skane/partnernet"
)

// ErasedName is what an erased newcomer's name becomes.
const ErasedName = "[erased]"

// NewcomerErase erases a newcomer's personal data (GDPR art. 17) and returns the record as it
// remains: contact, family, languages, health and background rows go; the name becomes
// ErasedName, the birth year its decade, gender and dates are cleared; free-text notes of
// referrals, plans and transfers are cleared; active consents get a WITHDRAWN event by actor;
// a pending transfer is cancelled, the case unassigned; the change history of their data goes,
// and so do their invitations and sign-ins (the subjects of identity providers that acted as
// them). What stays is anonymous: the row for counts (with course participation and
// enrolments), the consent history, the assignment and transfer history, the audit trail;
// advice visits become anonymous visits. Call it inside InTx with the audit entry.
// referrals and plans are cleared; active consents get a WITHDRAWN event by actor; outcomes and
// questionnaire responses go. What stays is anonymous: the row for counts (with course
// participation and enrolments), the consent history, the audit trail; advice visits become
// anonymous visits, and feedback on activities an anonymous rating without its comment. Call it
// inside InTx with the audit entry.
func (s *Store) NewcomerErase(ctx context.Context, newcomerID int64, actor string) (partnernet.Newcomer, error) {
	var locked int64
	if err := s.db.QueryRow(ctx, "SELECT id FROM newcomer WHERE id = $1 AND erased_at IS NULL FOR UPDATE", newcomerID).Scan(&locked); err != nil {
		return partnernet.Newcomer{}, translate(fmt.Errorf("lock newcomer %d to erase: %w", newcomerID, err))
	}
	// Sign-ins go first, in a statement of their own: a login's invitation is set null when the
	// invitation goes, which one statement may not do to a row it deletes too.
	if _, err := s.db.Exec(ctx, `
WITH logins AS (DELETE FROM newcomer_login WHERE newcomer_id = $1 RETURNING invitation_id)
DELETE FROM newcomer_invitation WHERE newcomer_id = $1`, newcomerID); err != nil {
		return partnernet.Newcomer{}, translate(fmt.Errorf("erase the sign-ins of newcomer %d: %w", newcomerID, err))
	}
	if _, err := s.db.Exec(ctx, `
WITH contact AS (DELETE FROM newcomer_contact WHERE newcomer_id = $1),
  langs AS (DELETE FROM newcomer_language WHERE newcomer_id = $1),
  health AS (DELETE FROM newcomer_health WHERE newcomer_id = $1),
  family AS (DELETE FROM newcomer_family_member WHERE newcomer_id = $1),
  background AS (DELETE FROM newcomer_background WHERE newcomer_id = $1),
  referrals AS (UPDATE referral SET referrer_note = NULL, receiver_note = NULL WHERE newcomer_id = $1),
  plans AS (UPDATE support_plan SET needs = $2, goals = $2, evaluation = CASE WHEN evaluation IS NULL THEN NULL ELSE $2 END
            WHERE newcomer_id = $1),
  followups AS (UPDATE plan_follow_up SET note = $2 WHERE plan_id IN (SELECT id FROM support_plan WHERE newcomer_id = $1)),
  visits AS (UPDATE advice_visit SET newcomer_id = NULL WHERE newcomer_id = $1),
  notices AS (DELETE FROM notice WHERE newcomer_id = $1),
  preference AS (DELETE FROM notice_preference WHERE newcomer_id = $1),
  changes AS (DELETE FROM newcomer_change WHERE newcomer_id = $1),
  transfers AS (UPDATE case_transfer SET note = NULL, decline_reason = NULL,
                  status = CASE WHEN status = 'PENDING' THEN 'CANCELLED' ELSE status END,
                  decided_by = coalesce(decided_by, $3), decided_at = coalesce(decided_at, now())
                WHERE newcomer_id = $1),
  outcomes AS (DELETE FROM newcomer_outcome WHERE newcomer_id = $1),
  responses AS (DELETE FROM questionnaire_response WHERE newcomer_id = $1),
  feedback AS (UPDATE activity_feedback SET newcomer_id = NULL, named = false, comment = NULL, moderation = NULL,
               published_comment = NULL, rejection = NULL, moderated_by = NULL, moderated_at = NULL WHERE newcomer_id = $1),
  withdrawn AS (INSERT INTO consent_event (consent_record_id, kind, actor)
                SELECT c.id, 'WITHDRAWN', $3 FROM consent_record_current c WHERE c.newcomer_id = $1 AND c.active)
UPDATE newcomer SET display_name = $2, birth_year = birth_year / 10 * 10, gender = NULL, arrival_date = NULL,
  plan_start_date = NULL, assigned_to = NULL, assigned_at = NULL, erased_at = now()
WHERE id = $1`, newcomerID, ErasedName, actor); err != nil {
		return partnernet.Newcomer{}, translate(fmt.Errorf("erase newcomer %d: %w", newcomerID, err))
	}
	got, err := s.NewcomerGetMany(ctx, []int64{newcomerID})
	if err != nil || len(got) == 0 {
		return partnernet.Newcomer{}, fmt.Errorf("read erased newcomer %d: %w", newcomerID, err)
	}
	return got[0], nil
}

// NewcomerListInactive returns up to limit newcomers, not yet erased, whose case has seen no
// activity since before.
func (s *Store) NewcomerListInactive(ctx context.Context, before time.Time, limit int) ([]int64, error) {
	rows, err := s.db.Query(ctx, `
SELECT id FROM newcomer WHERE erased_at IS NULL AND last_activity_at < $1 ORDER BY last_activity_at, id LIMIT $2`, before, limit)
	if err != nil {
		return nil, translate(fmt.Errorf("list inactive newcomers: %w", err))
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("scan inactive newcomer: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, translate(rows.Err())
}

// consentExpiryLock is the advisory lock that keeps replicas from expiring consents at once.
const consentExpiryLock = 0x7061727465727031 // "partnerp1"

// ConsentExpireDue appends an EXPIRED event by actor to every consent whose validity has ended
// while its history still says GIVEN or RENEWED, and returns those records' newcomer ids and
// consent ids in step.
func (s *Store) ConsentExpireDue(ctx context.Context, actor string) (newcomerIDs, consentIDs []int64, err error) {
	var mine bool
	if err := s.db.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock($1)", consentExpiryLock).Scan(&mine); err != nil {
		return nil, nil, translate(fmt.Errorf("take the consent expiry lock: %w", err))
	}
	if !mine { // another replica is expiring consents right now
		return nil, nil, nil
	}
	rows, err := s.db.Query(ctx, `
WITH due AS (
  SELECT r.id, r.newcomer_id FROM consent_record r JOIN consent_record_current c ON c.id = r.id
  WHERE c.last_event IN ('GIVEN', 'RENEWED') AND c.valid_until <= now()
  FOR UPDATE OF r
), expired AS (
  INSERT INTO consent_event (consent_record_id, kind, actor, occurred_at)
  SELECT due.id, 'EXPIRED', $1, now() FROM due
)
SELECT newcomer_id, id FROM due ORDER BY id`, actor)
	if err != nil {
		return nil, nil, translate(fmt.Errorf("expire consents: %w", err))
	}
	defer rows.Close()
	for rows.Next() {
		var n, c int64
		if err := rows.Scan(&n, &c); err != nil {
			return nil, nil, fmt.Errorf("scan expired consent: %w", err)
		}
		newcomerIDs, consentIDs = append(newcomerIDs, n), append(consentIDs, c)
	}
	return newcomerIDs, consentIDs, translate(rows.Err())
}

// maxExportedAuditEntries bounds the access log an export carries; maxExportedRows the other
// paged lists.
const (
	maxExportedAuditEntries = 100_000
	maxExportedRows         = 10_000
)

// NewcomerDataGet gathers everything held about a newcomer, for their export, in one
// repeatable-read snapshot.
func (s *Store) NewcomerDataGet(ctx context.Context, newcomerID int64) (partnernet.NewcomerData, error) {
	var d partnernet.NewcomerData
	err := s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.db.Exec(ctx, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"); err != nil {
			return translate(fmt.Errorf("start export snapshot: %w", err))
		}
		ids := []int64{newcomerID}
		got, err := tx.NewcomerGetMany(ctx, ids)
		if err != nil {
			return err
		}
		if len(got) == 0 {
			return partnernet.Errorf(partnernet.CodeNotFound, "newcomer not found")
		}
		d.Newcomer = got[0]
		if d.Contact, err = tx.NewcomerContactGetMany(ctx, ids); err != nil {
			return err
		}
		if d.Languages, err = tx.NewcomerLanguageListByNewcomers(ctx, ids); err != nil {
			return err
		}
		if d.Health, err = tx.NewcomerHealthGetMany(ctx, ids); err != nil {
			return err
		}
		if d.Family, err = tx.NewcomerFamilyListByNewcomers(ctx, ids); err != nil {
			return err
		}
		if d.Background, err = tx.NewcomerBackgroundGetMany(ctx, ids); err != nil {
			return err
		}
		if d.Consents, err = getMany(ctx, tx.db, "consent records", "SELECT "+consentColumns+
			" FROM consent_record_current c WHERE c.newcomer_id = ANY($1) ORDER BY c.id", ids, consentFields); err != nil {
			return err
		}
		if d.ConsentEvents, err = tx.ConsentEventListByRecords(ctx, idsOf(d.Consents, func(c partnernet.ConsentRecord) int64 { return c.ID })); err != nil {
			return err
		}
		if d.Referrals, err = tx.ReferralListByNewcomers(ctx, ids); err != nil {
			return err
		}
		if d.ReferralEvents, err = tx.ReferralEventListByReferrals(ctx, idsOf(d.Referrals, func(r partnernet.Referral) int64 { return r.ID })); err != nil {
			return err
		}
		if d.Plans, err = tx.SupportPlanListByNewcomers(ctx, ids); err != nil {
			return err
		}
		planIDs := idsOf(d.Plans, func(p partnernet.SupportPlan) int64 { return p.ID })
		if d.PlanSteps, err = tx.PlanStepListByPlans(ctx, planIDs); err != nil {
			return err
		}
		if d.PlanFollowUps, err = tx.PlanFollowUpListByPlans(ctx, planIDs); err != nil {
			return err
		}
		if d.Merges, err = tx.NewcomerMergeListBySurvivors(ctx, ids); err != nil {
			return err
		}
		courses, err := tx.CourseParticipantListByNewcomers(ctx, ids, struct{}{}, Order{Column: OrderEnrolledAt}, Page{Limit: maxExportedRows})
		if err != nil {
			return err
		}
		d.CourseParticipations = courses[newcomerID].Rows
		if d.Attendance, err = tx.AttendanceListByParticipants(ctx, idsOf(d.CourseParticipations, func(p partnernet.CourseParticipant) int64 { return p.ID })); err != nil {
			return err
		}
		if d.AdviceVisits, err = getMany(ctx, tx.db, "advice visits", "SELECT "+visitColumns+" FROM "+visitFrom+
			" WHERE av.newcomer_id = ANY($1) ORDER BY av.visited_at, av.id", ids, visitFields); err != nil {
			return err
		}
		if d.AdviceFollowUps, err = tx.AdviceFollowUpListByVisits(ctx, idsOf(d.AdviceVisits, func(v partnernet.AdviceVisit) int64 { return v.ID })); err != nil {
			return err
		}
		if d.Enrolments, err = tx.EnrolmentListByNewcomers(ctx, ids); err != nil {
			return err
		}
		if d.Outcomes, err = tx.OutcomeListByNewcomers(ctx, ids); err != nil {
			return err
		}
		if d.QuestionnaireResponses, err = tx.QuestionnaireResponseListByNewcomers(ctx, ids); err != nil {
			return err
		}
		if d.ActivityFeedback, err = tx.FeedbackListByNewcomers(ctx, ids); err != nil {
			return err
		}
		logs, err := tx.AuditListByNewcomers(ctx, ids, Page{Limit: maxExportedAuditEntries})
		d.AccessLog = logs[newcomerID].Rows
		return err
	})
	return d, err
}

// idsOf returns the ids of rows.
func idsOf[T any](rows []T, id func(T) int64) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = id(r)
	}
	return out
}
