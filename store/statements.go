package store

import (
	"context"
	"slices"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/multitracer"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap-skane/partnernet/siblings"
)

// StatementCounter is a pgx tracer that counts the SQL statements a pool sends: each query,
// each statement of a batch and each COPY. The server reports the count as the metric
// partnernet_db_statements_total, from which the benchmark derives statements per request.
type StatementCounter struct {
	n atomic.Uint64
}

var (
	_ pgx.QueryTracer    = (*StatementCounter)(nil)
	_ pgx.BatchTracer    = (*StatementCounter)(nil)
	_ pgx.CopyFromTracer = (*StatementCounter)(nil)
)

// Statements returns how many statements were sent so far.
func (c *StatementCounter) Statements() uint64 { return c.n.Load() }

// TraceQueryStart implements pgx.QueryTracer.
func (c *StatementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

// TraceQueryEnd implements pgx.QueryTracer.
func (*StatementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart implements pgx.BatchTracer.
func (*StatementCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

// TraceBatchQuery implements pgx.BatchTracer: each statement of a batch counts.
func (c *StatementCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {
	c.n.Add(1)
}

// TraceBatchEnd implements pgx.BatchTracer.
func (*StatementCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// TraceCopyFromStart implements pgx.CopyFromTracer.
func (c *StatementCounter) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	c.n.Add(1)
	return ctx
}

// TraceCopyFromEnd implements pgx.CopyFromTracer.
func (*StatementCounter) TraceCopyFromEnd(context.Context, *pgx.Conn, pgx.TraceCopyFromEndData) {}

// startsSiblings is a pgx tracer that tells the lists being marshalled around a statement that
// their caller is about to wait for the database (siblings.Waiting), so that the elements of a
// list not yet begun start beside it: a field that reads the database itself, rather than
// through a loader, then runs for all of a page's rows at once, as it did when gqlgen started a
// goroutine for every element. Loaders tell the lists themselves before they wait for a batch.
type startsSiblings struct{}

var (
	_ pgx.QueryTracer       = startsSiblings{}
	_ pgx.BatchTracer       = startsSiblings{}
	_ pgx.CopyFromTracer    = startsSiblings{}
	_ pgxpool.AcquireTracer = startsSiblings{}
)

// TraceAcquireStart implements pgxpool.AcquireTracer: waiting for a free connection is waiting
// too.
func (startsSiblings) TraceAcquireStart(ctx context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireStartData) context.Context {
	siblings.Waiting(ctx)
	return ctx
}

// TraceAcquireEnd implements pgxpool.AcquireTracer.
func (startsSiblings) TraceAcquireEnd(context.Context, *pgxpool.Pool, pgxpool.TraceAcquireEndData) {}

// TraceQueryStart implements pgx.QueryTracer.
func (startsSiblings) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	siblings.Waiting(ctx)
	return ctx
}

// TraceQueryEnd implements pgx.QueryTracer.
func (startsSiblings) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart implements pgx.BatchTracer.
func (startsSiblings) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	siblings.Waiting(ctx)
	return ctx
}

// TraceBatchQuery implements pgx.BatchTracer.
func (startsSiblings) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

// TraceBatchEnd implements pgx.BatchTracer.
func (startsSiblings) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// TraceCopyFromStart implements pgx.CopyFromTracer.
func (startsSiblings) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	siblings.Waiting(ctx)
	return ctx
}

// TraceCopyFromEnd implements pgx.CopyFromTracer.
func (startsSiblings) TraceCopyFromEnd(context.Context, *pgx.Conn, pgx.TraceCopyFromEndData) {}

// ConfigurePool prepares the configuration of the server's pool: it counts the statements sent
// (see [CountStatements]), lets the elements of a list start beside one that reads the database
// (startsSiblings) and turns PostgreSQL's JIT compilation off. JIT pays off for long
// analytical queries only: on the API's short ones (a page and its count over a 150,000-row
// table) it spent 300 ms compiling a 20 ms query, which made the coordinator's newcomer list
// twenty times slower in the benchmark.
func ConfigurePool(cfg *pgxpool.Config) *StatementCounter {
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	addTracer(cfg, startsSiblings{})
	return CountStatements(cfg)
}

// addTracer adds t to the pool configuration's tracers.
func addTracer(cfg *pgxpool.Config, t pgx.QueryTracer) {
	switch had := cfg.ConnConfig.Tracer.(type) {
	case nil:
		cfg.ConnConfig.Tracer = t
	case *multitracer.Tracer:
		cfg.ConnConfig.Tracer = multitracer.New(append(slices.Clone(had.QueryTracers), t)...)
	default:
		cfg.ConnConfig.Tracer = multitracer.New(had, t)
	}
}

// CountStatements adds a [StatementCounter] to the pool configuration, next to its tracer (such
// as OpenTelemetry's), and returns it.
func CountStatements(cfg *pgxpool.Config) *StatementCounter {
	c := &StatementCounter{}
	addTracer(cfg, c)
	return c
}

// PoolStatements returns the statements the pool sent, when its configuration counts them (see
// [CountStatements]).
func PoolStatements(pool *pgxpool.Pool) (uint64, bool) {
	switch t := pool.Config().ConnConfig.Tracer.(type) {
	case *StatementCounter:
		return t.Statements(), true
	case *multitracer.Tracer:
		for _, q := range t.QueryTracers {
			if c, ok := q.(*StatementCounter); ok {
				return c.Statements(), true
			}
		}
	}
	return 0, false
}
