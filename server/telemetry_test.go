package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/server"
	"github.com/partnerskap-skane/partnernet/store"
)

func TestMetrics(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	require.Empty(t, env.Do(t, authz.Principal{}, `{ programmes { totalCount } }`, nil).Errors)
	require.Equal(t, []string{"GRAPHQL_VALIDATION_FAILED"}, env.Do(t, authz.Principal{}, `{ nope }`, nil).Codes())
	// An anonymous caller declaring a purpose: authz refuses it.
	require.Equal(t, []string{"UNAUTHENTICATED"},
		env.DoFor(t, authz.Principal{}, "RESEARCH", `{ programmes { totalCount } }`, nil).Codes())

	rec := httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	body := rec.Body.String()
	for _, want := range []string{
		`partnernet_http_requests_total{method="POST",route="/graphql",status="200"} 2`,
		`partnernet_http_requests_total{method="POST",route="/graphql",status="401"} 1`,
		`partnernet_graphql_operations_total{outcome="ok",type="query"} 1`,
		`partnernet_errors_total{code="GRAPHQL_VALIDATION_FAILED"} 1`,
		`partnernet_errors_total{code="UNAUTHENTICATED"} 1`,
		`partnernet_authz_denials_total{code="UNAUTHENTICATED",object="purpose"} 1`,
		`partnernet_http_request_duration_seconds_bucket{route="/graphql",le="0.5"}`,
		`partnernet_graphql_operation_duration_seconds_count{type="query"} 1`,
		`partnernet_db_pool_max_connections `,
		`partnernet_db_pool_acquires_total `,
		`go_goroutines `,
	} {
		require.Containsf(t, body, want, "no %s in /metrics", want)
	}
	require.Containsf(t, body, `partnernet_graphql_operations_total{outcome="error",type="invalid"} 1`,
		"a document that does not validate counts as an invalid operation")
}

// TestTraces follows one request through its spans: the HTTP request continuing the caller's
// trace, the GraphQL operation inside it, and the SQL statements it ran.
func TestTraces(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.NewDatabase(t)
	seedPool, err := pgxpool.New(ctx, url)
	require.NoError(t, err)
	_, err = seed.Load(ctx, store.New(seedPool), seed.Options{Newcomers: 5, Activities: 5, Seed: 1}, nil)
	seedPool.Close()
	require.NoError(t, err)

	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	t.Cleanup(func() { _ = tp.Shutdown(ctx) })
	cfg, err := pgxpool.ParseConfig(url)
	require.NoError(t, err)
	cfg.ConnConfig.Tracer = otelpgx.NewTracer(otelpgx.WithTracerProvider(tp))
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	srvCtx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	srv, err := server.New(srvCtx, server.Config{Pool: pool, TracerProvider: tp, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	waitForPolicy(t, srv)

	const callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	req := httptest.NewRequest(http.MethodPost, "/graphql",
		strings.NewReader(`{"query":"query Programmes { programmes { totalCount } }","operationName":"Programmes"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("traceparent", "00-"+callerTrace+"-00f067aa0ba902b7-01")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	_, _ = io.Copy(io.Discard, rec.Body)

	byName := map[string]sdktrace.ReadOnlySpan{}
	var sql []sdktrace.ReadOnlySpan
	for _, s := range spans.Ended() {
		if s.SpanContext().TraceID().String() != callerTrace {
			continue
		}
		byName[s.Name()] = s
		if s.SpanKind() == trace.SpanKindClient {
			sql = append(sql, s)
		}
	}
	httpSpan, ok := byName["POST /graphql"]
	require.True(t, ok, "no HTTP span in the caller's trace: %v", names(spans.Ended()))
	require.Equal(t, trace.SpanKindServer, httpSpan.SpanKind())
	opSpan, ok := byName["graphql.query Programmes"]
	require.True(t, ok, "no operation span: %v", names(spans.Ended()))
	require.Equal(t, httpSpan.SpanContext().SpanID(), opSpan.Parent().SpanID())
	require.NotEmpty(t, sql, "no SQL spans in the trace: %v", names(spans.Ended()))
}

func names(spans []sdktrace.ReadOnlySpan) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Name()
	}
	return out
}

// TestPprofIsOffUnlessAsked serves Go's profiles only behind the flag.
func TestPprofIsOffUnlessAsked(t *testing.T) {
	t.Parallel()
	for _, on := range []bool{false, true} {
		env := apitest.New(t, withConfig(func(c *server.Config) { c.Pprof = on }))
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/debug/pprof/cmdline", nil))
		want := http.StatusNotFound
		if on {
			want = http.StatusOK
		}
		require.Equal(t, want, rec.Code, "pprof %v", on)
	}
}
