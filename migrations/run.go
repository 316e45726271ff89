package migrations

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

// Status is where a database stands against the migrations in [FS].
type Status struct {
	// Current is the newest migration version applied to the database (0 when none).
	Current int64
	// Latest is the newest migration version this binary carries.
	Latest int64
	// Pending lists the versions this binary carries that the database has not applied.
	Pending []int64
}

// UpToDate reports whether the database has every migration of this binary applied.
func (s Status) UpToDate() bool { return len(s.Pending) == 0 }

// provider opens a goose provider over the pool, through database/sql as goose requires.
func provider(pool *pgxpool.Pool) (*goose.Provider, *sql.DB, error) {
	db := stdlib.OpenDBFromPool(pool)
	p, err := goose.NewProvider(goose.DialectPostgres, db, FS)
	if err != nil {
		_ = db.Close()
		return nil, nil, fmt.Errorf("open migration provider: %w", err)
	}
	return p, db, nil
}

// Up applies every pending migration, each in its own transaction, and returns the versions it
// applied. Concurrent callers are serialised by goose's advisory lock.
func Up(ctx context.Context, pool *pgxpool.Pool) ([]int64, error) {
	p, db, err := provider(pool)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("apply migrations: %w", err)
	}
	applied := make([]int64, 0, len(results))
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// GetStatus reports which migrations the database has applied and which are pending.
func GetStatus(ctx context.Context, pool *pgxpool.Pool) (Status, error) {
	p, db, err := provider(pool)
	if err != nil {
		return Status{}, err
	}
	defer db.Close()
	states, err := p.Status(ctx)
	if err != nil {
		return Status{}, fmt.Errorf("read migration status: %w", err)
	}
	var st Status
	for _, s := range states {
		st.Latest = max(st.Latest, s.Source.Version)
		if s.State == goose.StateApplied {
			st.Current = max(st.Current, s.Source.Version)
		} else {
			st.Pending = append(st.Pending, s.Source.Version)
		}
	}
	return st, nil
}
