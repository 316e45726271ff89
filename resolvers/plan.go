package resolvers

import (
	"context"
	"errors"
	"fmt"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// maxStepLen bounds a plan step's description.
const maxStepLen = 2000

// seePlan decides whether the caller may see a support plan: the supervisors of its
// organisation, and whoever the newcomer's PLAN data is released to.
func (r *Resolver) seePlan(ctx context.Context, p *partnernet.SupportPlan) error {
	if r.Authz.Authorize(ctx, authz.Plan, authz.Write, p.OrganisationID) == nil {
		return nil
	}
	l := loaders.For(ctx)
	n, err := l.Newcomer(ctx, p.NewcomerID)()
	if err != nil {
		return err
	}
	return l.Release(ctx, n, partnernet.CategoryPlan)
}

// changePlan applies change to a support plan the caller's organisation runs, under a lock on
// the plan, with its audit entry in the same transaction, and returns the plan as it then
// stands. A plan the caller cannot see is as unknown; one they see but do not run is FORBIDDEN.
// Under an idempotency key (rt), a retry changes nothing and returns the plan as it stands.
func (r *Resolver) changePlan(ctx context.Context, gid, what string, rt retry, change func(tx *store.Store, p partnernet.SupportPlan) error) (*partnernet.SupportPlan, error) {
	id, err := relay.DecodeID("input.planId", typeSupportPlan, gid)
	if err != nil {
		return nil, err
	}
	got, err := r.Store.SupportPlanGetMany(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(got) == 0 || r.seePlan(ctx, &got[0]) != nil {
		return nil, notVisible(ctx, "input.planId", "support plan", "change support plans")
	}
	if err := r.Authz.Authorize(ctx, authz.Plan, authz.Write, got[0].OrganisationID); err != nil {
		return nil, err
	}
	return auditedOnce(ctx, r.Store, rt, func(tx *store.Store) (partnernet.SupportPlan, error) {
		p, err := tx.SupportPlanLock(ctx, id)
		if err != nil {
			return p, err
		}
		if !p.Status.Changeable() {
			return p, partnernet.Errorf(partnernet.CodeConflict, "the plan is evaluated and closed")
		}
		if err := change(tx, p); err != nil {
			return p, err
		}
		if err := tx.NewcomerTouch(ctx, p.NewcomerID); err != nil {
			return p, err
		}
		return tx.SupportPlanLock(ctx, id)
	}, func(p partnernet.SupportPlan) int64 { return p.ID }, func(p partnernet.SupportPlan) partnernet.AuditEvent {
		return authz.Event(ctx, partnernet.AuditChangePlan, p.NewcomerID, "plan "+relay.ToGlobalID(typeSupportPlan, id)+" "+what)
	}, func(id int64) (*partnernet.SupportPlan, error) {
		got, err := r.Store.SupportPlanGetMany(ctx, []int64{id})
		if err != nil || len(got) == 0 {
			return nil, fmt.Errorf("read support plan %d again: %w", id, errors.Join(err, partnernet.ErrNotFound))
		}
		return &got[0], nil
	})
}

// planStepOf validates a step's activity or referral against the plan.
func (r *Resolver) planStepLinks(ctx context.Context, st *partnernet.PlanStep, plan partnernet.SupportPlan, activityID, referralID *string) error {
	switch st.Kind {
	case "ACTIVITY":
		if activityID == nil {
			return partnernet.InputError("input.activityId", "an ACTIVITY step names its activity")
		}
		id, err := relay.DecodeID("input.activityId", typeActivity, *activityID)
		if err != nil {
			return err
		}
		if a, err := r.node(ctx, typeActivity, id)(); err != nil {
			return err
		} else if a == nil {
			return notVisible(ctx, "input.activityId", "activity", "")
		}
		st.ActivityID = &id
	case "REFERRAL":
		if referralID == nil {
			return partnernet.InputError("input.referralId", "a REFERRAL step names its referral")
		}
		id, err := relay.DecodeID("input.referralId", typeReferral, *referralID)
		if err != nil {
			return err
		}
		ref, err := nullIfMissing(loaders.For(ctx).Referral.Load(ctx, id)())
		if err != nil {
			return err
		}
		if ref == nil || ref.NewcomerID != plan.NewcomerID {
			return notVisible(ctx, "input.referralId", "referral of the plan's newcomer", "")
		}
		if receiver, referrer := r.referralSide(ctx, ref); !receiver && !referrer {
			return notVisible(ctx, "input.referralId", "referral of the plan's newcomer", "")
		}
		st.ReferralID = &id
	default:
		if activityID != nil || referralID != nil {
			return partnernet.InputError("input.kind", "an APPOINTMENT names neither an activity nor a referral")
		}
	}
	return nil
}
