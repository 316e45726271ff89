package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/siblings"
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

// The elements of a list whose fields read the database themselves start beside the first that
// sends a statement, whatever way it sends it, rather than each after the one before.
func TestConfigurePoolStartsTheSiblingsOfAStatement(t *testing.T) {
	t.Parallel()
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
	cfg, err := pgxpool.ParseConfig(dbtest.NewDatabase(t))
	require.NoError(t, err)
	cfg.MaxConns = 4
	store.ConfigurePool(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)

	const n = 4
	sends := map[string]func(ctx context.Context) error{
		"a query": func(ctx context.Context) error {
			_, err := pool.Exec(ctx, "SELECT pg_sleep(0.2)")
			return err
		},
		"a batch": func(ctx context.Context) error {
			b := &pgx.Batch{}
			b.Queue("SELECT pg_sleep(0.2)")
			return pool.SendBatch(ctx, b).Close()
		},
	}
	for name, send := range sends {
		t.Run(name, func(t *testing.T) {
			var (
				mu     sync.Mutex
				events []string
			)
			note := func(e string) {
				mu.Lock()
				defer mu.Unlock()
				events = append(events, e)
			}
			siblings.Marshal(ctx, n, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
				note("begin")
				require.NoError(t, send(ctx))
				note("end")
				return graphql.Null
			})
			require.Equal(t, []string{"begin", "begin", "begin", "begin"}, events[:n],
				"every element began before the first statement ended: %v", events)
		})
	}
}
