package resolvers

import (
	"context"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// audited runs write and the audit entry event makes of its result in one transaction, and
// returns the result once both are committed.
func audited[T any](ctx context.Context, st *store.Store, write func(tx *store.Store) (T, error), event func(T) partnernet.AuditEvent) (*T, error) {
	var out T
	err := st.InTx(ctx, func(tx *store.Store) error {
		var err error
		if out, err = write(tx); err != nil {
			return err
		}
		return auditOne(ctx, tx, event(out))
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
