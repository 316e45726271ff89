package store_test

import (
	"context"
	"testing"

	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/store"
)

func TestCountStatements(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name   string
		tracer pgx.QueryTracer
	}{
		{"alone", nil},
		{"next to another tracer", otelpgx.NewTracer()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := pgxpool.ParseConfig(dbtest.NewDatabase(t))
			require.NoError(t, err)
			cfg.ConnConfig.Tracer = tt.tracer
			counter := store.CountStatements(cfg)
			pool, err := pgxpool.NewWithConfig(ctx, cfg)
			require.NoError(t, err)
			t.Cleanup(pool.Close)
			require.NoError(t, pool.Ping(ctx))
			before, ok := store.PoolStatements(pool)
			require.True(t, ok)

			var one int
			require.NoError(t, pool.QueryRow(ctx, "SELECT 1").Scan(&one))
			b := &pgx.Batch{}
			b.Queue("SELECT 1")
			b.Queue("SELECT 2")
			require.NoError(t, pool.SendBatch(ctx, b).Close())
			_, err = pool.CopyFrom(ctx, pgx.Identifier{"municipality"}, []string{"code", "name"},
				pgx.CopyFromRows([][]any{{"1299", "Testby"}}))
			require.NoError(t, err)

			after, ok := store.PoolStatements(pool)
			require.True(t, ok)
			require.Equal(t, uint64(4), after-before, "one query, two batched statements, one COPY")
			require.Equal(t, after, counter.Statements())
		})
	}

	plain, err := pgxpool.New(ctx, dbtest.NewDatabase(t))
	require.NoError(t, err)
	t.Cleanup(plain.Close)
	_, ok := store.PoolStatements(plain)
	require.False(t, ok, "a pool without a counter reports none")
}
