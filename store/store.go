package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/partnerskap-skane/partnernet"
)

// DBTX is what the store runs its statements on: a *pgxpool.Pool, a *pgx.Conn or a pgx.Tx.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error)
	Begin(ctx context.Context) (pgx.Tx, error)
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Store is the data layer: every SQL statement the application runs is a method of Store.
type Store struct {
	db DBTX
}

// New returns a Store that runs its statements on db.
func New(db DBTX) *Store { return &Store{db: db} }

// DB returns what the store runs its statements on: inside [Store.InTx], the transaction. It is
// the hook for SQL that is not the application's but shares its transaction: package seed's bulk
// loads (COPY). The application's own statements are methods of Store; run the returned DBTX's
// errors through [Translate].
func (s *Store) DB() DBTX { return s.db }

// InTx runs fn with a Store bound to one transaction, committed when fn returns nil and rolled
// back otherwise. Inside a transaction already, it opens a savepoint.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return translate(fmt.Errorf("begin transaction: %w", err))
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if err := fn(&Store{db: tx}); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return translate(fmt.Errorf("commit transaction: %w", err))
	}
	return nil
}

// Translate maps a database error to the domain's as every Store method does (see translate),
// for the bulk SQL that runs on [Store.DB] outside this package.
func Translate(err error) error { return translate(err) }

// translate maps database errors to the domain's: no rows becomes ErrNotFound, a unique
// violation ErrConflict, a check or foreign-key violation ErrBadUserInput, a lost connection
// ErrUnavailable. Anything else is returned unchanged. The original error stays in the chain.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return errors.Join(partnernet.Errorf(partnernet.CodeNotFound, "not found"), err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			return errors.Join(partnernet.Errorf(partnernet.CodeConflict, "already exists"), err)
		case "23503", "23514", "22001", "22P02": // foreign key, check, too long, invalid text
			return errors.Join(partnernet.Errorf(partnernet.CodeBadUserInput, "invalid value"), err)
		case "57P01", "57P02", "57P03", "53300": // admin shutdown, crash shutdown, cannot connect now, too many connections
			return errors.Join(partnernet.Errorf(partnernet.CodeUnavailable, "database unavailable"), err)
		}
		return err
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return errors.Join(partnernet.Errorf(partnernet.CodeUnavailable, "database unavailable"), err)
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return errors.Join(partnernet.Errorf(partnernet.CodeUnavailable, "database unavailable"), err)
	}
	return err
}

// wrap adds context to a non-nil error.
func wrap(context string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", context, err)
}
