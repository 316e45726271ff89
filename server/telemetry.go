package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/store"
)

// instrumentationName names partnernet's own tracer.
const instrumentationName = "github.com/partnerskap-skane/partnernet/server"

// metrics are the server's Prometheus metrics, served at /metrics from a registry of the
// server's own.
type metrics struct {
	registry      *prometheus.Registry
	httpRequests  *prometheus.CounterVec
	httpDuration  *prometheus.HistogramVec
	operations    *prometheus.CounterVec
	operationTime *prometheus.HistogramVec
	errors        *prometheus.CounterVec
	authzDenials  *prometheus.CounterVec
	inFlight      prometheus.Gauge
}

// newMetrics registers the server's metrics, the database pool's and the Go runtime's.
func newMetrics(pool *pgxpool.Pool) *metrics {
	buckets := []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 15}
	m := &metrics{
		registry: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "partnernet_http_requests_total",
			Help: "HTTP requests answered, by route, method and status.",
		}, []string{"route", "method", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "partnernet_http_request_duration_seconds", Buckets: buckets,
			Help: "Time to answer an HTTP request, by route.",
		}, []string{"route"}),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "partnernet_graphql_operations_total",
			Help: "GraphQL operations run, by type (query, mutation, subscription, or invalid when the document did not validate) and whether they had errors.",
		}, []string{"type", "outcome"}),
		operationTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "partnernet_graphql_operation_duration_seconds", Buckets: buckets,
			Help: "Time from the start of a GraphQL operation to its response, by type.",
		}, []string{"type"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "partnernet_errors_total",
			Help: "Requests answered with an error, by extensions.code (once per code a request returned): in GraphQL responses and in refusals before GraphQL ran.",
		}, []string{"code"}),
		authzDenials: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "partnernet_authz_denials_total",
			Help: "Authorisation decisions that refused, by object and code (FORBIDDEN, UNAUTHENTICATED, CONSENT_REQUIRED).",
		}, []string{"object", "code"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "partnernet_http_requests_in_flight",
			Help: "HTTP requests being answered.",
		}),
	}
	m.registry.MustRegister(m.httpRequests, m.httpDuration, m.operations, m.operationTime, m.errors,
		m.authzDenials, m.inFlight, poolCollector{pool: pool},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// handler serves the metrics in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// route names a request's path for metrics, from a fixed set so that labels stay few.
func route(path string) string {
	switch path {
	case "/graphql", "/healthz", "/readyz", "/metrics", "/":
		return path
	}
	if strings.HasPrefix(path, "/hsds/") {
		return "/hsds"
	}
	return "other"
}

// requestErrors collects the error codes of one request, for the errors metric.
type requestErrors struct {
	mu    sync.Mutex
	codes []string
}

type requestErrorsKey struct{}

// noteErrorCode records that the request of ctx returned an error with code; a request counts
// once per code, however many of its fields failed alike (a cancelled request fails in every
// field that was waiting for the database).
func noteErrorCode(ctx context.Context, code string) {
	if e, ok := ctx.Value(requestErrorsKey{}).(*requestErrors); ok {
		e.mu.Lock()
		if !slices.Contains(e.codes, code) {
			e.codes = append(e.codes, code)
		}
		e.mu.Unlock()
	}
}

// withMetrics counts and times every request, and counts the error codes it returned.
func (m *metrics) withMetrics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		errs := &requestErrors{}
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), requestErrorsKey{}, errs)))
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		rt := route(r.URL.Path)
		m.httpRequests.WithLabelValues(rt, r.Method, strconv.Itoa(status)).Inc()
		m.httpDuration.WithLabelValues(rt).Observe(time.Since(start).Seconds())
		errs.mu.Lock()
		defer errs.mu.Unlock()
		if len(errs.codes) == 0 && rt == "/graphql" && status == http.StatusUnauthorized {
			errs.codes = append(errs.codes, string(partnernet.CodeUnauthenticated)) // refused by authn
		}
		for _, code := range errs.codes {
			m.errors.WithLabelValues(code).Inc()
		}
	})
}

// observeDenial counts a refusal authz decided.
func (m *metrics) observeDenial(obj authz.Object, code partnernet.Code) {
	m.authzDenials.WithLabelValues(string(obj), string(code)).Inc()
}

// poolCollector reports the database pool's statistics at each scrape.
type poolCollector struct {
	pool *pgxpool.Pool
}

var (
	poolAcquired = prometheus.NewDesc("partnernet_db_pool_acquired_connections",
		"Connections in use.", nil, nil)
	poolIdle = prometheus.NewDesc("partnernet_db_pool_idle_connections",
		"Idle connections.", nil, nil)
	poolTotal = prometheus.NewDesc("partnernet_db_pool_total_connections",
		"Open connections.", nil, nil)
	poolMax = prometheus.NewDesc("partnernet_db_pool_max_connections",
		"The pool's size limit.", nil, nil)
	poolAcquires = prometheus.NewDesc("partnernet_db_pool_acquires_total",
		"Connections acquired from the pool.", nil, nil)
	poolEmptyAcquires = prometheus.NewDesc("partnernet_db_pool_empty_acquires_total",
		"Acquisitions that had to wait for a connection.", nil, nil)
	poolCanceledAcquires = prometheus.NewDesc("partnernet_db_pool_canceled_acquires_total",
		"Acquisitions cancelled by their context.", nil, nil)
	poolAcquireSeconds = prometheus.NewDesc("partnernet_db_pool_acquire_seconds_total",
		"Time spent acquiring connections.", nil, nil)
	poolNewConns = prometheus.NewDesc("partnernet_db_pool_new_connections_total",
		"Connections opened.", nil, nil)
	dbStatements = prometheus.NewDesc("partnernet_db_statements_total",
		"SQL statements sent to the database (queries, statements of batches, COPYs), when the pool counts them (store.CountStatements).", nil, nil)
)

// Describe implements prometheus.Collector.
func (poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolAcquired, poolIdle, poolTotal, poolMax, poolAcquires,
		poolEmptyAcquires, poolCanceledAcquires, poolAcquireSeconds, poolNewConns, dbStatements} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(poolAcquired, float64(s.AcquiredConns()))
	gauge(poolIdle, float64(s.IdleConns()))
	gauge(poolTotal, float64(s.TotalConns()))
	gauge(poolMax, float64(s.MaxConns()))
	counter(poolAcquires, float64(s.AcquireCount()))
	counter(poolEmptyAcquires, float64(s.EmptyAcquireCount()))
	counter(poolCanceledAcquires, float64(s.CanceledAcquireCount()))
	counter(poolAcquireSeconds, s.AcquireDuration().Seconds())
	counter(poolNewConns, float64(s.NewConnsCount()))
	if n, ok := store.PoolStatements(c.pool); ok {
		counter(dbStatements, float64(n))
	}
}

// operationTelemetry traces each GraphQL operation as a span, and counts and times it.
type operationTelemetry struct {
	tracer  trace.Tracer
	metrics *metrics
}

var (
	_ graphql.HandlerExtension     = operationTelemetry{}
	_ graphql.OperationInterceptor = operationTelemetry{}
	_ graphql.ResponseInterceptor  = operationTelemetry{}
)

// ExtensionName implements graphql.HandlerExtension.
func (operationTelemetry) ExtensionName() string { return "Telemetry" }

// Validate implements graphql.HandlerExtension.
func (operationTelemetry) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor: one span per operation.
func (o operationTelemetry) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	rc := graphql.GetOperationContext(ctx)
	opType := operationType(rc)
	name := "graphql." + opType
	if rc.OperationName != "" {
		name += " " + rc.OperationName
	}
	ctx, span := o.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(
		attribute.String("graphql.operation.type", opType),
		attribute.String("graphql.operation.name", rc.OperationName),
	))
	handler := next(ctx)
	if opType == string(ast.Subscription) {
		span.End() // a subscription's responses come later, each on its own
		return handler
	}
	return func(ctx context.Context) *graphql.Response {
		defer span.End()
		resp := handler(ctx)
		if resp != nil && len(resp.Errors) > 0 {
			span.SetStatus(codes.Error, resp.Errors[0].Message)
		}
		return resp
	}
}

// InterceptResponse implements graphql.ResponseInterceptor: it counts each response's errors
// by code and times the operation.
func (o operationTelemetry) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || !graphql.HasOperationContext(ctx) {
		return resp
	}
	rc := graphql.GetOperationContext(ctx)
	opType := operationType(rc)
	outcome := "ok"
	for _, e := range resp.Errors {
		outcome = "error"
		code, _ := e.Extensions["code"].(string)
		if code == "" {
			code = string(partnernet.CodeInternal)
		}
		noteErrorCode(ctx, code)
	}
	o.metrics.operations.WithLabelValues(opType, outcome).Inc()
	if !rc.Stats.OperationStart.IsZero() {
		o.metrics.operationTime.WithLabelValues(opType).Observe(time.Since(rc.Stats.OperationStart).Seconds())
	}
	return resp
}

// operationType is "query", "mutation" or "subscription", or "invalid" for a document that
// did not parse or validate.
func operationType(rc *graphql.OperationContext) string {
	if rc == nil || rc.Operation == nil {
		return "invalid"
	}
	return string(rc.Operation.Operation)
}

// withTracing starts a span per HTTP request (but not for probes and metrics), continuing a
// trace the caller propagates in a traceparent header. With OpenTelemetry's no-op provider, which
// `partnernet serve` passes when no exporter is configured, it adds nothing: the spans would go
// nowhere, and making them, the attributes and the wrapped writer cost 7% of a small request's
// CPU.
func withTracing(tp trace.TracerProvider, next http.Handler) http.Handler {
	if _, off := tp.(noop.TracerProvider); off {
		return next
	}
	return otelhttp.NewHandler(next, "http",
		otelhttp.WithTracerProvider(tp),
		otelhttp.WithPropagators(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			return r.Method + " " + route(r.URL.Path)
		}),
		otelhttp.WithFilter(func(r *http.Request) bool {
			switch r.URL.Path {
			case "/healthz", "/readyz", "/metrics":
				return false
			}
			return true
		}),
	)
}
