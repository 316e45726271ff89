package resolvers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// retry is what makes a create safe to retry: the caller's idempotency key and the operation it
// stands for.
type retry struct {
	// key is the caller's idempotency key; "" for none.
	key string
	// operation names the mutation and a digest of its input: the key with other input is
	// another operation, which the store refuses as a CONFLICT.
	operation string
	// field is the path of the key in the mutation's arguments.
	field string
}

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

// createOnce runs create in one transaction under the caller's idempotency key (without one,
// simply in a transaction), through the store's idempotency keys ([idempotent]). The key keeps
// the id of what create made, never the object itself, so that no personal data outlives its
// erasure in the keys' table: a retry with the key creates nothing and reads the object again
// with get. The key with other input is a CONFLICT at the key's field.
func createOnce[T any](ctx context.Context, st *store.Store, rt retry, create func(tx *store.Store) (T, int64, error), get func(id int64) (*T, error)) (*T, error) {
	var made T
	fresh := false
	id, err := idempotent(ctx, st, rt.key, rt.operation, func(tx *store.Store) (int64, error) {
		v, id, err := create(tx)
		made, fresh = v, err == nil
		return id, err
	})
	var e *partnernet.Error
	switch {
	case errors.As(err, &e) && e.Code == partnernet.CodeConflict && e.Field == "input.idempotencyKey":
		return nil, &partnernet.Error{Code: e.Code, Message: e.Message, Field: rt.field}
	case err != nil:
		return nil, err
	case fresh:
		return &made, nil
	}
	return get(id)
}

// auditedOnce is [audited] under an idempotency key: write and the audit entry event makes of
// its result are committed once; a retry with the key returns what was made, read again by get
// (id tells the id of a result).
func auditedOnce[T any](ctx context.Context, st *store.Store, rt retry, write func(tx *store.Store) (T, error),
	id func(T) int64, event func(T) partnernet.AuditEvent, get func(id int64) (*T, error)) (*T, error) {
	return createOnce(ctx, st, rt, func(tx *store.Store) (T, int64, error) {
		v, err := write(tx)
		if err != nil {
			return v, 0, err
		}
		return v, id(v), auditOne(ctx, tx, event(v))
	}, get)
}
