package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/store"
)

// TestNewcomerCountOwnAndShared checks that a count of a controller's newcomers plus those a
// consent shares with it (counted in two parts) equals the length of the full list, for
// organisations that control newcomers, receive consents, or both.
func TestNewcomerCountOwnAndShared(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	_, err := seed.Load(ctx, st, seed.Options{Newcomers: 400, Activities: 10, Consents: 900, Seed: 4}, nil)
	require.NoError(t, err)
	var malmo, abf, lund int64
	require.NoError(t, pool.QueryRow(ctx, `SELECT (SELECT id FROM organisation WHERE slug = 'malmo'),
	  (SELECT id FROM organisation WHERE slug = 'abf'), (SELECT id FROM organisation WHERE slug = 'lund')`).Scan(&malmo, &abf, &lund))
	tests := []struct {
		name        string
		controllers []int64
		recipient   int64
		purpose     partnernet.Purpose
	}{
		{"controller only", []int64{malmo}, 0, ""},
		{"recipient only", nil, abf, partnernet.PurposeActivityParticipation},
		{"controller and recipient", []int64{malmo}, abf, partnernet.PurposeActivityParticipation},
		{"two controllers and a recipient", []int64{malmo, lund}, abf, partnernet.PurposeReferral},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := store.NewcomerFilter{Controllers: partnernet.OrgScope{IDs: tt.controllers}, ConsentRecipient: tt.recipient, ConsentPurpose: tt.purpose}
			n, err := st.NewcomerCount(ctx, f)
			require.NoError(t, err)
			list, err := st.NewcomerList(ctx, f, store.Order{Column: store.OrderRegisteredAt}, store.Page{Limit: 1000})
			require.NoError(t, err)
			require.Len(t, list.Rows, n)
			require.Positive(t, n)
		})
	}
}
