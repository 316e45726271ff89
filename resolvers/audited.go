package resolvers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/notice"
	"github.com/partnerskap-skane/partnernet/store"
)

// Every mutation writes through commit: its change, the audit entries the change makes and the
// notices it owes newcomers (the outbox of package notice), in one transaction, optionally under
// the caller's idempotency key. audited (one entry, no key)
// and auditedOnce (one entry, a key that keeps the id of what was made) are commit in the shapes
// most mutations need. No resolver opens a transaction or writes an audit entry of its own.

// retry is what makes a mutation safe to retry: the caller's idempotency key and the operation it
// stands for. The zero retry is no key: the mutation simply runs in a transaction.
type retry struct {
	// key is the caller's idempotency key; "" for none.
	key string
	// operation names what the key stands for: the key with another operation is a CONFLICT.
	operation string
	// field is the path of the key in the mutation's arguments, where a CONFLICT is reported.
	field string
}

// idempotencyKeyField is where the store reports the key of another operation.
const idempotencyKeyField = "input.idempotencyKey"

// retryOf validates the optional idempotency key of a create at path field, and names the
// operation by the mutation and the SHA-256 of its input (the key included, which is the same
// for every retry).
func retryOf(mutation, field string, key *string, input any) (retry, error) {
	k, err := idempotencyKeyAt(field, key)
	if err != nil {
		return retry{}, err
	}
	raw, err := json.Marshal(input)
	if err != nil {
		return retry{}, fmt.Errorf("digest the input of %s: %w", mutation, err)
	}
	sum := sha256.Sum256(raw)
	return retry{key: k, operation: mutation + " " + hex.EncodeToString(sum[:]), field: field}, nil
}

// retryAs validates the optional idempotency key at input.idempotencyKey of a mutation whose
// operation is named by the caller (the object it changes and how).
func retryAs(operation string, key *string) (retry, error) {
	k, err := idempotencyKeyAt(idempotencyKeyField, key)
	return retry{key: k, operation: operation, field: idempotencyKeyField}, err
}

// idempotencyKeyAt validates an optional idempotency key at path field.
func idempotencyKeyAt(field string, k *string) (string, error) {
	if k == nil {
		return "", nil
	}
	if *k == "" || len(*k) > maxIdempotencyKey || !utf8.ValidString(*k) {
		return "", partnernet.InputError(field, "give a key of 1 to %d bytes", maxIdempotencyKey)
	}
	return *k, nil
}

// commit is the one way a mutation writes. In one transaction it runs write, then writes the
// audit entries audit makes of the result (audit nil, or returning none, for a change that
// touches nobody's data, such as an activity's), then the notices notify drafts of it (nil for
// none) to the outbox (notice.Enqueue), so that none is committed without the others: no change
// without its notices, no notice without its change. Under the caller's idempotency key (rt)
// the result is kept with the key: a retry with the key runs nothing, audits and notifies
// nothing, and returns the kept result; the key with another operation is a CONFLICT at
// rt.field. It returns the result once committed.
func commit[T any](ctx context.Context, st *store.Store, rt retry, write func(tx *store.Store) (T, error),
	audit func(T) []partnernet.AuditEvent, notify func(T) []partnernet.NoticeDraft) (*T, error) {
	var out T
	subject := authz.PrincipalFrom(ctx).Subject
	err := st.InTx(ctx, func(tx *store.Store) error {
		if rt.key != "" {
			found, err := tx.IdempotencyClaim(ctx, subject, rt.key, rt.operation, &out)
			if err != nil || found {
				return err
			}
		}
		var err error
		if out, err = write(tx); err != nil {
			return err
		}
		if audit != nil {
			if events := audit(out); len(events) > 0 {
				if err := tx.AuditInsert(ctx, events); err != nil {
					return err
				}
			}
		}
		if notify != nil {
			if _, err := notice.Enqueue(ctx, tx, notify(out)); err != nil {
				return err
			}
		}
		if rt.key != "" {
			return tx.IdempotencySave(ctx, subject, rt.key, out)
		}
		return nil
	})
	var e *partnernet.Error
	switch {
	case errors.As(err, &e) && e.Code == partnernet.CodeConflict && e.Field == idempotencyKeyField && rt.field != "":
		return nil, &partnernet.Error{Code: e.Code, Message: e.Message, Field: rt.field}
	case err != nil:
		return nil, err
	}
	return &out, nil
}

// audited runs write and the audit entry event makes of its result in one transaction (commit),
// and returns the result once both are committed.
func audited[T any](ctx context.Context, st *store.Store, write func(tx *store.Store) (T, error), event func(T) partnernet.AuditEvent) (*T, error) {
	return commit(ctx, st, retry{}, write, entry(event), nil)
}

// auditedOnce is audited under the caller's idempotency key (rt): write and the audit entry
// event makes of its result (nil for none) are committed once. The key keeps the id of what write
// made (id tells it), never the object itself, so that no personal data outlives its erasure in
// the keys' table: a retry with the key writes nothing and reads the object again with get.
func auditedOnce[T any](ctx context.Context, st *store.Store, rt retry, write func(tx *store.Store) (T, error),
	id func(T) int64, event func(T) partnernet.AuditEvent, get func(id int64) (*T, error)) (*T, error) {
	var made T
	fresh := false
	madeID, err := commit(ctx, st, rt, func(tx *store.Store) (int64, error) {
		v, err := write(tx)
		made, fresh = v, err == nil
		return id(v), err
	}, func(int64) []partnernet.AuditEvent {
		if event == nil {
			return nil
		}
		return []partnernet.AuditEvent{event(made)}
	}, nil)
	switch {
	case err != nil:
		return nil, err
	case fresh:
		return &made, nil
	}
	return get(*madeID)
}

// entry turns the one audit entry event makes of a result into commit's list; nil for a nil
// event.
func entry[T any](event func(T) partnernet.AuditEvent) func(T) []partnernet.AuditEvent {
	if event == nil {
		return nil
	}
	return func(v T) []partnernet.AuditEvent { return []partnernet.AuditEvent{event(v)} }
}
