package resolvers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// The global ID types of outcomes, questionnaire responses and feedback.
const (
	typeOutcome               = "Outcome"
	typeQuestionnaireResponse = "QuestionnaireResponse"
	typeActivityFeedback      = "ActivityFeedback"
)

// outcomeFor loads the outcome a mutation names at path field, for a change by the organisation
// that recorded it: one whose newcomer's OUTCOMES the caller may not see is as unknown as one
// that does not exist; one the caller sees but did not record is FORBIDDEN.
func (r *Resolver) outcomeFor(ctx context.Context, field, gid string) (*partnernet.Outcome, *partnernet.Newcomer, error) {
	id, err := relay.DecodeID(field, typeOutcome, gid)
	if err != nil {
		return nil, nil, notVisible(ctx, field, "outcome", "change outcomes")
	}
	got, err := r.Store.OutcomeGetMany(ctx, []int64{id})
	if err != nil {
		return nil, nil, err
	}
	if len(got) == 0 {
		return nil, nil, notVisible(ctx, field, "outcome", "change outcomes")
	}
	l := loaders.For(ctx)
	n, err := l.Newcomer(ctx, got[0].NewcomerID)()
	if err != nil {
		return nil, nil, err
	}
	if l.See(ctx, n) != nil || l.Release(ctx, n, partnernet.CategoryOutcomes) != nil {
		return nil, nil, notVisible(ctx, field, "outcome", "change outcomes")
	}
	if err := r.Authz.Authorize(ctx, authz.Outcome, authz.Write, got[0].RecordedByOrgID); err != nil {
		return nil, nil, err
	}
	return &got[0], n, nil
}

// outcomeByID reads an outcome again, after a retried recording.
func (r *Resolver) outcomeByID(ctx context.Context, id int64) (*partnernet.Outcome, error) {
	got, err := r.Store.OutcomeGetMany(ctx, []int64{id})
	if err != nil || len(got) == 0 {
		return nil, fmt.Errorf("read outcome %d again: %w", id, errors.Join(err, partnernet.ErrNotFound))
	}
	return &got[0], nil
}

// recordOutcome validates an outcome for newcomer n and writes it with write, touching the
// newcomer's case, with its audit entry (action, what) in the same transaction.
func (r *Resolver) writeOutcome(ctx context.Context, o partnernet.Outcome, rt retry, action partnernet.AuditAction, what string,
	write func(tx *store.Store, o partnernet.Outcome, actor string) (partnernet.Outcome, error)) (*partnernet.Outcome, error) {
	if err := o.Validate("input", time.Now()); err != nil {
		return nil, err
	}
	actor := authz.PrincipalFrom(ctx).Subject
	return auditedOnce(ctx, r.Store, rt, func(tx *store.Store) (partnernet.Outcome, error) {
		got, err := write(tx, o, actor)
		if err != nil {
			return got, err
		}
		return got, tx.NewcomerTouch(ctx, got.NewcomerID)
	}, func(o partnernet.Outcome) int64 { return o.ID },
		func(got partnernet.Outcome) partnernet.AuditEvent {
			return authz.Event(ctx, action, got.NewcomerID, fmt.Sprintf("%s %s outcome %s", what, got.Kind, relay.ToGlobalID(typeOutcome, got.ID)))
		}, func(id int64) (*partnernet.Outcome, error) { return r.outcomeByID(ctx, id) })
}
