// Package store is the data layer of partnernet: it holds every SQL statement the service runs,
// on pgx v5, and turns rows into the domain types of package partnernet.
//
// It holds only the application's SQL. Programs beside the service keep their own: the demo
// loader's bulk COPY loads are in package seed (seed/bulk.go), run on [Store.DB] inside the
// loader's transaction with errors passed through [Translate]; the benchmark's plain-SQL ceilings
// are in package bench (bench/ceiling.go), run straight on its pool.
//
// # Conventions
//
// Methods are named for the table, then the verb: OrganisationGetBySlug, ActivityListByOrganisers.
// Each runs on the [DBTX] the [Store] was made with, so the same method serves a pool or a
// transaction ([Store.InTx]). Lists are keyset-paginated ([Page]) and batched variants take many
// parent IDs at once, so that dataloaders issue one statement per edge, not one per parent.
//
// # Errors
//
// Database errors are translated at this boundary: pgx.ErrNoRows matches partnernet.ErrNotFound,
// a unique violation partnernet.ErrConflict, a check or foreign-key violation
// partnernet.ErrBadUserInput and a lost connection partnernet.ErrUnavailable (errors.Is). The
// original error stays wrapped for the logs.
package store
