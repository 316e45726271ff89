package resolvers

import (
	"context"
	"fmt"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// mayEnrol asks the decision point whether the caller may enrol newcomer n in (or withdraw
// them from) an activity of organiser, with the newcomer's consents naming the organiser.
func (r *Resolver) mayEnrol(ctx context.Context, n *partnernet.Newcomer, organiser int64) error {
	records, err := r.Store.ConsentRecordActiveForRecipient(ctx, []int64{n.ID}, organiser)
	if err != nil {
		return err
	}
	return r.Authz.EnrolNewcomer(ctx, authz.NewcomerRef{ID: n.ID, ControllerID: n.ControllerID}, organiser, authz.GrantsFrom(records))
}

// seeEnrolment decides whether the caller may see an enrolment: the newcomer, whoever may enrol
// them, and the organiser's staff who read enrolments.
func (r *Resolver) seeEnrolment(ctx context.Context, e *partnernet.Enrolment) error {
	a, err := loaders.For(ctx).Activity.Load(ctx, e.ActivityID)()
	if err != nil {
		return err
	}
	if r.Authz.AuthorizeActivity(ctx, authz.ActivityEnrolments, authz.Read, a.OrganiserID, a.CoOrganiserIDs) == nil {
		return nil
	}
	n, err := loaders.For(ctx).Newcomer(ctx, e.NewcomerID)()
	if err != nil {
		return err
	}
	return r.mayEnrol(ctx, n, a.OrganiserID)
}

// enrol enrols a newcomer in a published activity under the caller's idempotency key, with
// its audit entry in the same transaction.
func (r *Resolver) enrol(ctx context.Context, in model.EnrolInput) (*partnernet.Enrolment, error) {
	a, err := r.editableActivity(ctx, "input.activityId", in.ActivityID)
	if err != nil {
		return nil, err
	}
	p := authz.PrincipalFrom(ctx)
	var n *partnernet.Newcomer
	switch {
	case in.NewcomerID != nil:
		n, err = r.newcomerArg(ctx, "input.newcomerId", *in.NewcomerID, "enrol", r.seesNewcomer(ctx))
	case p.Anonymous():
		err = notVisible(ctx, "input.newcomerId", "newcomer", "enrol")
	case p.NewcomerID == 0:
		err = partnernet.InputError("input.newcomerId", "say whom to enrol")
	default:
		n, err = r.newcomerArgByID(ctx, "input.newcomerId", p.NewcomerID, "enrol", r.seesNewcomer(ctx))
	}
	if err != nil {
		return nil, err
	}
	if err := r.mayEnrol(ctx, n, a.OrganiserID); err != nil {
		return nil, err
	}
	sharing, err := r.sharingOf(ctx, in.Sharing, n)
	if err != nil {
		return nil, err
	}
	rt, err := retryAs(fmt.Sprintf("enrol %s %d", in.ActivityID, n.ID), in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return commit(ctx, r.Store, rt, func(tx *store.Store) (partnernet.Enrolment, error) {
		current, err := tx.ActivityLock(ctx, a.ID)
		if err != nil {
			return partnernet.Enrolment{}, err
		}
		if current.Status != partnernet.ActivityPublished {
			return partnernet.Enrolment{}, partnernet.Errorf(partnernet.CodeConflict, "only a published activity takes enrolments")
		}
		e, err := tx.EnrolmentCreate(ctx, current, n.ID, p.Subject)
		if err != nil || sharing == nil {
			return e, err
		}
		// The sharing lasts until the activity ends: its last occurrence when its rule has an
		// end; otherwise until it is cancelled or finished, or the enrolment is cancelled.
		ends, err := tx.OccurrenceEnds(ctx, current)
		if err != nil {
			return e, err
		}
		c, err := tx.ConsentRecordCreate(ctx, sharing.ConsentFor(n, &current, time.Now(), ends), p.Subject)
		if err != nil {
			return e, err
		}
		return tx.EnrolmentSetSharing(ctx, e.ID, c.ID)
	}, func(e partnernet.Enrolment) []partnernet.AuditEvent {
		events := []partnernet.AuditEvent{authz.Event(ctx, partnernet.AuditEnrol, n.ID,
			fmt.Sprintf("%s in %s as %s", enrolmentGID(e.ID), in.ActivityID, e.Status))}
		if e.SharingConsentID != nil {
			events = append(events, authz.Event(ctx, partnernet.AuditRecordConsent, n.ID,
				fmt.Sprintf("consent %s: shares %v with the organisers of %s", relay.ToGlobalID(typeConsentRecord, *e.SharingConsentID),
					sharing.Categories, in.ActivityID)))
		}
		return events
	}, nil)
}

// cancelEnrolment withdraws an enrolment under the caller's idempotency key; the first on the
// waitlist gets a freed place in the same transaction.
func (r *Resolver) cancelEnrolment(ctx context.Context, in model.CancelEnrolmentInput) (*partnernet.Enrolment, error) {
	id, err := relay.DecodeID("input.enrolmentId", typeEnrolment, in.EnrolmentID)
	if err != nil {
		return nil, err
	}
	e, err := nullIfMissing(loaders.For(ctx).Enrolment.Load(ctx, id)())
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, notVisible(ctx, "input.enrolmentId", "enrolment", "")
	}
	a, err := loaders.For(ctx).Activity.Load(ctx, e.ActivityID)()
	if err != nil {
		return nil, err
	}
	n, err := loaders.For(ctx).Newcomer(ctx, e.NewcomerID)()
	if err != nil {
		return nil, err
	}
	if err := r.mayEnrol(ctx, n, a.OrganiserID); err != nil {
		if r.Authz.AuthorizeActivity(ctx, authz.ActivityEnrolments, authz.Read, a.OrganiserID, a.CoOrganiserIDs) != nil {
			return nil, notVisible(ctx, "input.enrolmentId", "enrolment", "")
		}
		return nil, err
	}
	rt, err := retryAs("cancel "+in.EnrolmentID, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	var promoted []partnernet.Enrolment
	var ended sharingEnded
	var current partnernet.Activity
	var next *time.Time
	return commit(ctx, r.Store, rt, func(tx *store.Store) (partnernet.Enrolment, error) {
		if current, err = tx.ActivityLock(ctx, e.ActivityID); err != nil {
			return partnernet.Enrolment{}, err
		}
		locked, err := tx.EnrolmentLock(ctx, id)
		if err != nil {
			return locked, err
		}
		if locked.Status == partnernet.EnrolmentCancelled {
			return locked, partnernet.Errorf(partnernet.CodeConflict, "the enrolment is already cancelled")
		}
		var cancelled partnernet.Enrolment
		if cancelled, promoted, err = tx.EnrolmentCancel(ctx, id); err != nil {
			return cancelled, err
		}
		if ended, err = endSharing(ctx, tx, e.ActivityID, id); err != nil {
			return cancelled, err
		}
		if len(promoted) > 0 {
			next, err = nextOccurrence(ctx, tx, e.ActivityID)
		}
		return cancelled, err
	}, func(partnernet.Enrolment) []partnernet.AuditEvent {
		events := append([]partnernet.AuditEvent{authz.Event(ctx, partnernet.AuditCancelEnrolment, n.ID, enrolmentGID(id))},
			promotionEvents(ctx, promoted)...)
		return append(events, ended.events(ctx, "the enrolment was cancelled")...)
	}, func(partnernet.Enrolment) []partnernet.NoticeDraft {
		return promotionDrafts(current, promoted, next)
	})
}

// promotionEvents are the audit entries of enrolments promoted from a waitlist.
func promotionEvents(ctx context.Context, promoted []partnernet.Enrolment) []partnernet.AuditEvent {
	events := make([]partnernet.AuditEvent, len(promoted))
	for i, e := range promoted {
		events[i] = authz.Event(ctx, partnernet.AuditEnrol, e.NewcomerID,
			fmt.Sprintf("%s promoted from the waitlist", enrolmentGID(e.ID)))
	}
	return events
}

// activityChanged streams the public changes matching a discovery filter.
func (r *Resolver) activityChanged(ctx context.Context, filter *model.ActivityFilter) (<-chan *partnernet.ActivityChange, error) {
	if err := r.Authz.Authorize(ctx, authz.ActivityPublished, authz.Read, 0); err != nil {
		return nil, err
	}
	f, err := activityFilter(filter)
	if err != nil {
		return nil, err
	}
	if err := discoveryFilter(filter, &f); err != nil {
		return nil, err
	}
	f.Statuses, f.Unpublished, f.Announced = nil, partnernet.OrgScope{}, true
	in := r.Live.Subscribe(ctx)
	out := make(chan *partnernet.ActivityChange)
	go func() {
		defer close(out)
		for c := range in {
			match := f
			match.IDs = []int64{c.ActivityID}
			n, err := r.Store.ActivityCount(ctx, match)
			if err != nil {
				if ctx.Err() == nil {
					r.log().ErrorContext(ctx, "could not match an activity change to a subscription",
						"activity_id", c.ActivityID, "err", err)
				}
				continue
			}
			if n == 0 {
				continue
			}
			select {
			case out <- &c:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// enrolledIn returns how many newcomers hold a place in activity a, through the request's
// enrolment-count loader.
func enrolledIn(ctx context.Context, a *partnernet.Activity) (int, error) {
	c, err := nullIfMissing(loaders.For(ctx).EnrolmentCounts.Load(ctx, a.ID)())
	if err != nil || c == nil {
		return 0, err
	}
	return c.Enrolled, nil
}
