// Package retention does the data-protection housekeeping the GDPR asks of partnernet: it
// expires consents whose validity has ended (appending EXPIRED to their history) and erases the
// personal data of newcomers whose case has seen no activity for longer than the retention
// period (GDPR art. 5(1)(e)), each change with its audit entry in the same transaction. It also
// forgets idempotency keys past their horizon.
package retention

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// Actor is the subject the housekeeping acts as, in consent histories and the audit trail.
const Actor = "system:retention"

// batchSize is how many inactive newcomers one round erases before looking again.
const batchSize = 200

// IdempotencyHorizon is how long a client may retry a mutation with its idempotency key; older
// keys are forgotten.
const IdempotencyHorizon = 7 * 24 * time.Hour

// Result counts what one run did.
type Result struct {
	ExpiredConsents   int
	ErasedNewcomers   int
	ForgottenIdemKeys int
}

// RunOnce expires the consents due and erases the newcomers inactive since before now-period;
// a period of 0 erases nobody.
func RunOnce(ctx context.Context, st *store.Store, period time.Duration, now time.Time) (Result, error) {
	var res Result
	requestID := "retention-" + now.UTC().Format("20060102T150405")
	err := st.InTx(ctx, func(tx *store.Store) error {
		newcomers, consents, err := tx.ConsentExpireDue(ctx, Actor)
		if err != nil {
			return err
		}
		events := make([]partnernet.AuditEvent, len(consents))
		for i := range consents {
			events[i] = event(requestID, partnernet.AuditExpireConsent, newcomers[i],
				"consent "+relay.ToGlobalID("ConsentRecord", consents[i])+" expired")
		}
		res.ExpiredConsents = len(consents)
		if len(events) == 0 {
			return nil
		}
		return tx.AuditInsert(ctx, events)
	})
	if err != nil {
		return res, err
	}
	if res.ForgottenIdemKeys, err = st.IdempotencyKeyDeleteBefore(ctx, now.Add(-IdempotencyHorizon)); err != nil || period <= 0 {
		return res, err
	}
	before := now.Add(-period)
	for {
		ids, err := st.NewcomerListInactive(ctx, before, batchSize)
		if err != nil {
			return res, err
		}
		erased := 0
		for _, id := range ids {
			err := st.InTx(ctx, func(tx *store.Store) error {
				if _, err := tx.NewcomerErase(ctx, id, Actor); err != nil {
					return err
				}
				return tx.AuditInsert(ctx, []partnernet.AuditEvent{event(requestID, partnernet.AuditErase, id,
					fmt.Sprintf("inactive since before %s: retention", before.Format(time.DateOnly)))})
			})
			switch partnernet.ErrorCode(err) {
			case partnernet.CodeNotFound: // erased meanwhile, by a replica or on request
			default:
				if err != nil {
					return res, fmt.Errorf("erase inactive newcomer %d: %w", id, err)
				}
				erased++
			}
		}
		res.ErasedNewcomers += erased
		if len(ids) < batchSize || erased == 0 {
			return res, nil
		}
	}
}

// event is an audit entry of the housekeeping.
func event(requestID string, action partnernet.AuditAction, newcomerID int64, reason string) partnernet.AuditEvent {
	return partnernet.AuditEvent{
		RequestID: requestID, Subject: Actor, Roles: []string{}, Action: action, NewcomerID: &newcomerID,
		Categories: []string{}, Decision: partnernet.AuditDone, Reason: reason,
	}
}

// Run does the housekeeping every interval until ctx ends, logging what each run did.
func Run(ctx context.Context, st *store.Store, period, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		res, err := RunOnce(ctx, st, period, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.ErrorContext(ctx, "retention run failed; trying again next time", "err", err)
		case res.ExpiredConsents+res.ErasedNewcomers+res.ForgottenIdemKeys > 0:
			log.InfoContext(ctx, "retention run", "expired_consents", res.ExpiredConsents,
				"erased_newcomers", res.ErasedNewcomers, "forgotten_idempotency_keys", res.ForgottenIdemKeys)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
