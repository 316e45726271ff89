package server

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"

	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph"
	"github.com/partnerskap-skane/partnernet/hsds"
	"github.com/partnerskap-skane/partnernet/live"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/migrations"
	"github.com/partnerskap-skane/partnernet/notice"
	"github.com/partnerskap-skane/partnernet/resolvers"
	"github.com/partnerskap-skane/partnernet/retention"
	"github.com/partnerskap-skane/partnernet/server/graphiql"
	"github.com/partnerskap-skane/partnernet/statistics"
	"github.com/partnerskap-skane/partnernet/store"
)

// Config configures a [Server].
type Config struct {
	// Pool is the database the server reads and writes. Required.
	Pool *pgxpool.Pool
	// Logger receives access and error logs; slog.Default() when nil.
	Logger *slog.Logger
	// Introspection enables schema introspection and GraphiQL at /; dev mode turns it on,
	// production mode off.
	Introspection bool
	// FieldSuggestions lets validation errors suggest field and type names ("did you mean");
	// dev mode turns them on, production mode off, so that they do not reveal the schema.
	FieldSuggestions bool
	// Limits bound what one request may ask; zero fields take their defaults.
	Limits Limits
	// CORSOrigins are the origins (scheme://host[:port], or * wildcards such as
	// https://*.malmo.se) of the partner front ends whose browsers may call the API, and open
	// its websocket. None: cross-origin browsers are refused.
	CORSOrigins []string
	// TrustedDocuments, when set, is the allowlist of the only operations the server runs
	// (trusted-documents mode, for partner front ends in production); automatic persisted
	// queries are then off, since they would let a client register any operation.
	TrustedDocuments *TrustedDocuments
	// PersistedQueryCache is how many automatic persisted queries the server remembers
	// (least recently used first out); 1000 when zero.
	PersistedQueryCache int
	// RateLimit limits requests per client address and per principal; off when zero.
	RateLimit RateLimit
	// TracerProvider receives the spans of HTTP requests and GraphQL operations; the global
	// provider (a no-op unless OpenTelemetry is configured) when nil. SQL statements are traced
	// by the pool's tracer (see cli).
	TracerProvider trace.TracerProvider
	// Pprof serves Go's profiles at /debug/pprof/ for the benchmark's profiling; off by default,
	// and never for production: profiles show the process's internals to anyone who asks.
	Pprof bool
	// PublicMaxAge is how long any HTTP cache may keep the answer to an anonymous GET of a
	// persisted query (public data only); 0 makes every answer no-store.
	PublicMaxAge time.Duration
	// WebsocketInitTimeout is how long a websocket may stay open without its connection_init
	// message before it is closed with 4408; 10s when zero.
	WebsocketInitTimeout time.Duration
	// LoaderWait is how long dataloaders collect keys; loaders.DefaultWait when zero.
	LoaderWait time.Duration
	// ShutdownTimeout bounds how long Serve waits for requests in flight when stopping; 30s when
	// zero.
	ShutdownTimeout time.Duration
	// Housekeeping runs the data-protection housekeeping (package retention) every
	// RetentionInterval: consents past their end expire, and the personal data of newcomers
	// whose case has been inactive longer than Retention (0: never) is erased.
	Housekeeping bool
	// Retention is how long a newcomer's case may be inactive before the housekeeping erases
	// their personal data; 0 keeps it.
	Retention time.Duration
	// RetentionInterval is how often the housekeeping runs; hourly when zero.
	RetentionInterval time.Duration
	// SuppressionThreshold is the smallest count analytics aggregates publish (smaller ones are
	// suppressed); analytics.DefaultThreshold (5) when zero.
	SuppressionThreshold int
	// AnalyticsCacheTTL is how long the facts behind analytics aggregates are kept between
	// requests (one database pass per measure and period); 0 loads them for every request.
	AnalyticsCacheTTL time.Duration
	// AllowSchemaAhead lets /readyz report ready on a database migrated past this binary when
	// none of the migrations the binary does not carry is numbered above it (the operator's
	// statement that they are backward compatible); 0 reports such a database not ready.
	AllowSchemaAhead int64
	// Auth configures authentication: the audience, the local signing key and the trusted
	// issuers. Its zero value accepts anonymous requests and API keys only.
	Auth authn.Config
	// DeliverNotices runs the delivery worker of notices (package notice) and the reminders of
	// tomorrow's occurrences on this replica; notices are written to the outbox whatever it says.
	DeliverNotices bool
	// Notices configures the worker: the mailer and SMS provider (nil: that channel is off),
	// lease, poll interval, attempts and backoff. Its Store and Logger are the server's.
	Notices notice.WorkerConfig
	// ReminderInterval is how often reminders are looked for; hourly when zero.
	ReminderInterval time.Duration
}

// Server serves the partnernet API over HTTP.
type Server struct {
	// background are the server's jobs (policy, live changes, notices, housekeeping), which
	// end with the context New was given; Serve waits for them before it returns.
	background sync.WaitGroup
	cfg        Config
	log        *slog.Logger
	handler    http.Handler
	store      *store.Store
	authz      *authz.Authorizer
	authn      *authn.Authenticator
	// policyReady is closed once the policy follows membership changes.
	policyReady chan struct{}
	// live fans activity changes out to this replica's subscriptions.
	live *live.Hub
	// notices fans newcomers' notices out to this replica's subscriptions.
	notices *notice.Hub
	// statistics computes the analytics for GraphQL and the CSV export alike, and keeps the
	// measures' facts between requests.
	statistics *statistics.Service
}

// New builds a Server from cfg. Until ctx ends, it keys its authorisation policy to the
// memberships in the database, reloading them whenever any replica changes one, and refreshes
// trusted issuers' keys.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Pool == nil {
		return nil, errors.New("server: a database pool is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.LoaderWait == 0 {
		cfg.LoaderWait = loaders.DefaultWait
	}
	if cfg.TracerProvider == nil {
		cfg.TracerProvider = otel.GetTracerProvider()
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 30 * time.Second
	}
	st := store.New(cfg.Pool)
	az, err := authz.New(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	an, err := authn.New(ctx, cfg.Auth, identities{st: st, az: az})
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	hub := live.NewHub(st, cfg.Logger)
	notices := notice.NewHub(st, cfg.Logger)
	s := &Server{cfg: cfg, log: cfg.Logger, store: st, authz: az, authn: an, policyReady: make(chan struct{}), live: hub, notices: notices,
		statistics: statistics.New(statistics.Config{Store: st, Authz: az, Threshold: cfg.SuppressionThreshold, CacheTTL: cfg.AnalyticsCacheTTL})}
	s.background.Go(func() { s.followMemberships(ctx) })
	if cfg.RetentionInterval == 0 {
		cfg.RetentionInterval = time.Hour
	}
	if cfg.Housekeeping {
		s.background.Go(func() { retention.Run(ctx, st, cfg.Retention, cfg.RetentionInterval, s.log) })
	}
	s.background.Go(func() { hub.Run(ctx, cfg.Pool) })
	s.background.Go(func() { notices.Run(ctx, cfg.Pool) })
	s.background.Go(func() { live.ExpandSchedules(ctx, st, 6*time.Hour, cfg.Logger) })
	if cfg.DeliverNotices {
		wc := cfg.Notices
		wc.Store, wc.Logger = st, cfg.Logger
		w := notice.NewWorker(wc)
		cfg.Logger.Info("delivering notices", "channels", w.Channels())
		s.background.Go(func() { w.Run(ctx, cfg.Pool) })
		s.background.Go(func() { notice.RunReminders(ctx, st, cmp.Or(cfg.ReminderInterval, time.Hour), cfg.Logger) })
	}

	m := newMetrics(cfg.Pool)
	az.ObserveDenials(m.observeDenial)
	limits := cfg.Limits.withDefaults()
	ipLimits := newLimiterSet(cfg.RateLimit.PerIP, cfg.RateLimit.IPBurst)
	principalLimits := newLimiterSet(cfg.RateLimit.PerPrincipal, cfg.RateLimit.PrincipalBurst)
	finderDocs, err := FinderDocuments()
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	gql := s.graphQL(limits, m, ipLimits, principalLimits, finderDocs)

	// The GraphQL endpoint, outermost first: the client's address, its rate limit, the body
	// limit, the time limit, authentication, the principal's rate limit, the declared purpose,
	// the request's loaders; around them all, the reader's languages (Accept-Language).
	byIP := func(r *http.Request) string { return addressKey(clientIP(r, cfg.RateLimit.TrustForwardedFor)) }
	graphqlHandler := s.withPurpose(loaders.Middleware(st, az, cfg.LoaderWait)(gql))
	graphqlHandler = withRateLimit(principalLimits, "principal", principalKey, graphqlHandler)
	graphqlHandler = s.withPrincipal(graphqlHandler)
	graphqlHandler = withTimeout(limits.RequestTimeout, graphqlHandler)
	graphqlHandler = withBodyLimit(limits.MaxBodyBytes, graphqlHandler)
	graphqlHandler = withRateLimit(ipLimits, "address", byIP, graphqlHandler)
	graphqlHandler = withClientIP(cfg.RateLimit.TrustForwardedFor, graphqlHandler)
	graphqlHandler = withReader(graphqlHandler)

	mux := http.NewServeMux()
	mux.Handle("/graphql", withCORS(cfg.CORSOrigins, graphqlHandler))
	if cfg.Introspection {
		mux.Handle("GET /{$}", graphiql.Page())
		mux.Handle("GET "+graphiql.AssetsPath, graphiql.Assets())
	}
	// The CSV export of aggregates and cohort measures: the same authentication and limits as
	// /graphql.
	csvExport := func(h http.HandlerFunc) http.Handler {
		csvHandler := s.withPurpose(h)
		csvHandler = withRateLimit(principalLimits, "principal", principalKey, csvHandler)
		csvHandler = s.withPrincipal(csvHandler)
		csvHandler = withTimeout(limits.RequestTimeout, csvHandler)
		csvHandler = withRateLimit(ipLimits, "address", byIP, csvHandler)
		return withClientIP(cfg.RateLimit.TrustForwardedFor, csvHandler)
	}
	mux.Handle("GET /analytics/{file}", csvExport(s.analyticsCSV))
	mux.Handle("GET /analytics/cohorts/{file}", csvExport(s.cohortCSV))
	mux.Handle("GET /analytics/{$}", analyticsPage())
	mux.Handle("GET /analytics/assets/", analyticsAssets())
	// The newcomers' activity finder (docs/finder.md), at /finder/ and /finder/{lang}.
	mux.Handle("GET /finder/{$}", finderPageHandler())
	mux.Handle("GET /finder/{lang}", finderPageHandler())
	mux.Handle("GET /finder/{lang}/{rest...}", finderSlash())
	mux.Handle("GET /finder/assets/", finderAssets())
	// The directory as an Open Referral HSDS 3.0 API: the same authentication, limits and CORS
	// as /graphql; reads answer as the public, pushes as the API key's organisation.
	directory, err := hsds.New(hsds.Config{Store: st, Authz: az, Logger: cfg.Logger,
		WriteError: func(w http.ResponseWriter, r *http.Request, err error) { s.writeFailure(w, r, "hsds", err) }})
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	hsdsHandler := withRateLimit(principalLimits, "principal", principalKey, directory)
	hsdsHandler = s.withPrincipal(hsdsHandler)
	hsdsHandler = withTimeout(limits.RequestTimeout, hsdsHandler)
	hsdsHandler = withPlainBodyLimit(limits.MaxBodyBytes, hsdsHandler)
	hsdsHandler = withRateLimit(ipLimits, "address", byIP, hsdsHandler)
	hsdsHandler = withClientIP(cfg.RateLimit.TrustForwardedFor, hsdsHandler)
	mux.Handle("/hsds/", withCORS(cfg.CORSOrigins, hsdsHandler))
	mux.HandleFunc("GET /calendar/organisations/{file}", s.organisationCalendar)
	mux.HandleFunc("GET /calendar/activities.ics", s.activitiesCalendar)
	mux.HandleFunc("GET /calendar/activities/{file}", s.activityCalendar)
	if cfg.Pprof {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /.well-known/jwks.json", an.ServeJWKS)
	mux.Handle("GET /metrics", m.handler())
	s.handler = s.withRequestID(s.withAccessLog(m.withMetrics(withTracing(cfg.TracerProvider, withSecurityHeaders(mux)))))
	return s, nil
}

// graphQL builds the GraphQL executor: its transports (POST, GET, websocket), persisted
// queries or trusted documents, the operation limits, telemetry, the audit trail and the
// presentation of errors.
func (s *Server) graphQL(limits Limits, m *metrics, ipLimits, principalLimits *limiterSet, finderDocs map[string]string) *handler.Server {
	cfg := s.cfg
	gql := handler.New(costedSchema{graph.NewExecutableSchema(graph.Config{
		Schema: withoutDefer(graph.NewExecutableSchema(graph.Config{}).Schema()),
		Resolvers: &resolvers.Resolver{Store: s.store, Authz: s.authz, Live: s.live, Notices: s.notices, Log: s.cfg.Logger,
			Statistics: s.statistics},
	})})
	gql.AddTransport(transport.Options{})
	gql.AddTransport(transport.Websocket{
		Implementation: initTimeout{
			accept: transport.CoderWebsocketImplementation{
				AcceptOptions: websocket.AcceptOptions{OriginPatterns: originHosts(cfg.CORSOrigins)},
			},
			timeout: cmp.Or(cfg.WebsocketInitTimeout, websocketInitTimeout),
		},
		InitFunc:              s.websocketInit,
		KeepAlivePingInterval: 10 * time.Second,
		PayloadReadLimit:      &limits.MaxBodyBytes,
	})
	gql.AddTransport(httpTransport{publicMaxAge: cfg.PublicMaxAge})
	queryCache := lru.New[*ast.QueryDocument](1000)
	gql.SetQueryCache(queryCache)
	// operationLimits lexes every new document and refuses it past MaxTokens before gqlgen
	// parses it; this bound is only a second line, with room for comments.
	gql.SetParserTokenLimit(4 * limits.MaxTokens)
	gql.Use(operationTelemetry{tracer: cfg.TracerProvider.Tracer(instrumentationName), metrics: m})
	gql.SetDisableSuggestion(!cfg.FieldSuggestions)
	gql.SetValidationRulesFn(validationRules(cfg.FieldSuggestions))
	if cfg.Introspection {
		gql.Use(extension.Introspection{})
	}
	// The finder's documents are always known: trusted in trusted-documents mode, and never
	// evicted from the automatic persisted queries' cache.
	if cfg.TrustedDocuments != nil {
		gql.Use(trustedDocuments{allow: cfg.TrustedDocuments.with(finderDocs)})
	} else {
		gql.Use(extension.AutomaticPersistedQuery{Cache: persistedCache{fixed: finderDocs,
			Cache: lru.New[string](cmp.Or(cfg.PersistedQueryCache, 1000))}})
	}
	gql.Use(requireDocument{}) // after persisted queries, which may fill the document in
	gql.Use(&operationLimits{limits: limits, introspection: cfg.Introspection, cache: queryCache})
	gql.AroundOperations(websocketRateLimit(ipLimits, principalLimits))
	gql.AroundOperations(operationTimeout(limits.RequestTimeout))
	gql.Use(auditTrail{st: s.store, log: s.log})
	gql.SetErrorPresenter(presentError(s.log))
	gql.SetRecoverFunc(func(ctx context.Context, p any) error {
		s.log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "request_id", RequestID(ctx))
		return errors.New("internal server error")
	})
	return gql
}

// originHosts returns the hosts of origins, the patterns the websocket accepts in an Origin
// header besides the server's own host.
func originHosts(origins []string) []string {
	var hosts []string
	for _, o := range origins {
		if _, host, ok := strings.Cut(o, "://"); ok {
			hosts = append(hosts, host)
		} else {
			hosts = append(hosts, o)
		}
	}
	return hosts
}

// followMemberships reloads the authorisation policy whenever memberships change on any
// replica, until ctx ends.
func (s *Server) followMemberships(ctx context.Context) {
	var ready sync.Once
	err := store.Listen(ctx, s.cfg.Pool, store.MembershipChannel, func() {
		if err := s.authz.Reload(); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "could not reload memberships; keeping the previous policy", "err", err)
		}
		ready.Do(func() { close(s.policyReady) })
	}, s.log)
	if err != nil && ctx.Err() == nil {
		s.log.ErrorContext(ctx, "stopped following membership changes", "err", err)
	}
}

// LiveReady is closed once the server follows activity changes made on any replica: changes
// committed after that reach its subscriptions.
func (s *Server) LiveReady() <-chan struct{} { return s.live.Ready() }

// NoticesReady is closed once the server follows the notices written on any replica: notices
// committed after that reach its subscriptions.
func (s *Server) NoticesReady() <-chan struct{} { return s.notices.Ready() }

// PolicyReady is closed once the server follows membership changes made on any replica.
func (s *Server) PolicyReady() <-chan struct{} { return s.policyReady }

// Handler returns the server's HTTP handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers requests on ln until ctx ends, then stops accepting connections and waits for
// the requests in flight to finish (at most the configured shutdown timeout).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down http server: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve http: %w", err)
	}
	// The background jobs end with the context New was given (the same, when one context runs
	// the server): wait for them, so that nothing of the server runs after it returns.
	jobs := make(chan struct{})
	go func() {
		s.background.Wait()
		close(jobs)
	}()
	select {
	case <-jobs:
	case <-shutdownCtx.Done():
		s.log.Warn("background jobs still running at shutdown")
	}
	return nil
}

// healthz answers whether the process is alive.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
}

// readyz answers whether the server can serve: the database is reachable and its schema is
// the one this binary expects (not behind it, nor migrated past it beyond what
// Config.AllowSchemaAhead allows). The reason of a 503 is in the body.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	status, err := migrations.GetStatus(ctx, s.cfg.Pool)
	if err != nil {
		s.log.WarnContext(ctx, "not ready: database unreachable", "err", err, "request_id", RequestID(ctx))
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"status":"unavailable","reason":"database unreachable"}` + "\n"))
		return
	}
	if err := status.Check(s.cfg.AllowSchemaAhead); err != nil {
		s.log.WarnContext(ctx, "not ready: schema mismatch", "err", err, "request_id", RequestID(ctx))
		w.WriteHeader(http.StatusServiceUnavailable)
		_ = json.NewEncoder(w).Encode(map[string]any{"status": "unavailable", "reason": err.Error(),
			"schemaVersion": status.Current, "binaryVersion": status.Latest})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"status": "ready", "schemaVersion": status.Current,
		"binaryVersion": status.Latest, "schemaAhead": status.Ahead()})
}

// Compile-time check that the generated schema stays in step with the resolvers.
var _ graphql.ExecutableSchema = graph.NewExecutableSchema(graph.Config{Resolvers: &resolvers.Resolver{}})
