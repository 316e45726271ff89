package migrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
)

// ErrSchemaBehind is returned, wrapped, by [Status.Check] when the database lacks migrations
// this binary carries.
var ErrSchemaBehind = errors.New("the database schema is behind this binary")

// ErrSchemaAhead is returned, wrapped, by [Status.Check] and [Up] when the database has applied
// migrations this binary does not carry: it was migrated by a newer binary (or another branch).
var ErrSchemaAhead = errors.New("the database schema is ahead of this binary")

// Status is where a database stands against the migrations in [FS].
type Status struct {
	// Current is the newest migration version applied to the database (0 when none), whether
	// this binary carries it or not.
	Current int64
	// Latest is the newest migration version this binary carries.
	Latest int64
	// Pending lists the versions this binary carries that the database has not applied.
	Pending []int64
	// Unknown lists the versions the database has applied that this binary does not carry.
	Unknown []int64
}

// UpToDate reports whether the database has exactly this binary's migrations applied: none
// pending, none unknown.
func (s Status) UpToDate() bool { return len(s.Pending) == 0 && len(s.Unknown) == 0 }

// Ahead reports whether the database has applied migrations this binary does not carry.
func (s Status) Ahead() bool { return len(s.Unknown) > 0 }

// Check returns nil when the database's schema is the one this binary expects. Otherwise it
// returns an error naming both versions that wraps [ErrSchemaAhead] when the database has
// applied migrations this binary does not carry, newer than allowAhead (0 allows none), or
// [ErrSchemaBehind] when migrations are pending. Unknown versions up to allowAhead are accepted:
// an operator's statement that they are backward compatible with this binary.
func (s Status) Check(allowAhead int64) error {
	if s.Ahead() && slices.Max(s.Unknown) > allowAhead {
		return fmt.Errorf("%w: the database is at version %d, this binary's newest migration is %d, "+
			"and it does not carry the applied %s", ErrSchemaAhead, s.Current, s.Latest, versionList(s.Unknown))
	}
	if len(s.Pending) > 0 {
		return fmt.Errorf("%w: the database is at version %d, this binary needs %d (pending %s)",
			ErrSchemaBehind, s.Current, s.Latest, versionList(s.Pending))
	}
	return nil
}

// versionList formats versions as migration file numbers: 00007, 00008.
func versionList(versions []int64) string {
	parts := make([]string, len(versions))
	for i, v := range versions {
		parts[i] = fmt.Sprintf("%05d", v)
	}
	return strings.Join(parts, ", ")
}

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
// applied. Concurrent callers are serialised by goose's advisory lock. It refuses, with
// [ErrSchemaAhead], a database that has applied migrations this binary does not carry: the
// binary's migrations were not written against that schema.
func Up(ctx context.Context, pool *pgxpool.Pool) ([]int64, error) {
	st, err := GetStatus(ctx, pool)
	if err != nil {
		return nil, err
	}
	if st.Ahead() {
		return nil, st.Check(0)
	}
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

// GetStatus reports which migrations the database has applied, which of this binary's are
// pending, and which applied ones this binary does not carry. It only reads: a database without
// goose's version table has nothing applied.
func GetStatus(ctx context.Context, pool *pgxpool.Pool) (Status, error) {
	p, db, err := provider(pool)
	if err != nil {
		return Status{}, err
	}
	defer db.Close()
	applied, err := appliedVersions(ctx, db)
	if err != nil {
		return Status{}, fmt.Errorf("read migration status: %w", err)
	}
	var st Status
	var known []int64
	for _, src := range p.ListSources() {
		known = append(known, src.Version)
		st.Latest = max(st.Latest, src.Version)
		if !slices.Contains(applied, src.Version) {
			st.Pending = append(st.Pending, src.Version)
		}
	}
	for _, v := range applied {
		st.Current = max(st.Current, v)
		if !slices.Contains(known, v) {
			st.Unknown = append(st.Unknown, v)
		}
	}
	return st, nil
}

// appliedVersions returns the versions goose's version table records as applied, in order; none
// when the table does not exist.
func appliedVersions(ctx context.Context, db *sql.DB) ([]int64, error) {
	store, err := database.NewStore(goose.DialectPostgres, goose.DefaultTablename)
	if err != nil {
		return nil, err
	}
	ext, ok := store.(database.StoreExtender)
	if !ok {
		return nil, errors.New("goose's postgres store cannot tell whether its table exists")
	}
	exists, err := ext.TableExists(ctx, db)
	if err != nil || !exists {
		return nil, err
	}
	rows, err := store.ListMigrations(ctx, db)
	if err != nil {
		return nil, err
	}
	// Rows come newest first; a version's newest row says whether it is applied.
	seen := map[int64]bool{}
	var applied []int64
	for _, r := range rows {
		if seen[r.Version] {
			continue
		}
		seen[r.Version] = true
		if r.IsApplied && r.Version > 0 {
			applied = append(applied, r.Version)
		}
	}
	slices.Sort(applied)
	return applied, nil
}
