package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/migrations"
	"github.com/partnerskap-skane/partnernet/notice"
	"github.com/partnerskap-skane/partnernet/server"
	"github.com/partnerskap-skane/partnernet/store"
)

// App is the partnernet command line.
type App struct {
	// Stdout receives command output; Stderr logs, progress and errors.
	Stdout, Stderr io.Writer
	// Getenv reads the environment; os.Getenv in production.
	Getenv func(string) string
	// Ready, when set, is called with the address the server listens on once it accepts
	// connections.
	Ready func(addr net.Addr)
}

// New returns the App of the real process.
func New() *App {
	return &App{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, a *App, args []string) error
}

func commands() []command {
	return []command{
		{"dev", "run the server with a local PostgreSQL and the demo network", runDev},
		{"serve", "run the server in production mode against DATABASE_URL", runServe},
		{"migrate", "apply database migrations (up) or show where the database stands (status)", runMigrate},
		{"seed", "load the demo network, or a large deterministic data set, into DATABASE_URL", runSeed},
		{"token", "mint a token signed with the local key, for development and scripts", runToken},
	}
}

// errUsage reports a usage mistake already explained to the user.
var errUsage = errors.New("usage")

// Run runs the command line args and returns the process exit code.
func (a *App) Run(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		a.usage()
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, a, args[1:])
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		default:
			fmt.Fprintf(a.Stderr, "partnernet %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(a.Stderr, "partnernet: unknown command %q\n\n", args[0])
	a.usage()
	return 2
}

func (a *App) usage() {
	fmt.Fprintln(a.Stderr, "partnernet: the GraphQL API of the Partnership Skåne partner network.")
	fmt.Fprintln(a.Stderr, "\nUsage: partnernet <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(a.Stderr, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(a.Stderr, "\nRun 'partnernet <command> --help' for a command's flags and environment variables.")
}

// flagSet returns a flag set for a subcommand whose usage lists its flags and their environment
// variables.
func (a *App) flagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(a.Stderr, "Usage: partnernet %s\n\n", synopsis)
		fmt.Fprintln(a.Stderr, "Flags (environment variables in brackets):")
		fs.PrintDefaults()
	}
	return fs
}

// parse parses a subcommand's flags, turning a usage mistake into errUsage.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

// envString returns the environment variable's value, or def.
func (a *App) envString(key, def string) string {
	if v := a.Getenv(key); v != "" {
		return v
	}
	return def
}

// envInt returns the environment variable's integer value, or def.
func (a *App) envInt(key string, def int) int {
	if v, err := strconv.Atoi(a.Getenv(key)); err == nil {
		return v
	}
	return def
}

// logger builds the JSON logger of the process, at PARTNERNET_LOG_LEVEL (debug, info, warn,
// error; info by default).
func (a *App) logger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(a.envString("PARTNERNET_LOG_LEVEL", "info"))); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(a.Stderr, &slog.HandlerOptions{Level: level}))
}

// openPool connects to the database at url and checks that it answers. Every SQL statement is
// traced as a span of tp (nil or OpenTelemetry's no-op provider for none).
func openPool(ctx context.Context, url string, tp ...trace.TracerProvider) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	if len(tp) > 0 && tp[0] != nil {
		if _, off := tp[0].(noop.TracerProvider); !off {
			cfg.ConnConfig.Tracer = otelpgx.NewTracer(otelpgx.WithTracerProvider(tp[0]))
		}
	}
	store.ConfigurePool(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database pool: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to %s: %w", redact(url), err)
	}
	return pool, nil
}

// redact hides the password of a database URL for messages.
func redact(url string) string {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return "the database"
	}
	hostPort := net.JoinHostPort(cfg.ConnConfig.Host, strconv.Itoa(int(cfg.ConnConfig.Port)))
	return fmt.Sprintf("postgres://%s@%s/%s", cfg.ConnConfig.User, hostPort, cfg.ConnConfig.Database)
}

// envFloat returns the environment variable's number value, or def.
func (a *App) envFloat(key string, def float64) float64 {
	if v, err := strconv.ParseFloat(a.Getenv(key), 64); err == nil {
		return v
	}
	return def
}

// envBool reports whether the environment variable is set to a true value (1, true, yes).
func (a *App) envBool(key string) bool {
	v, err := strconv.ParseBool(a.Getenv(key))
	return err == nil && v || strings.EqualFold(a.Getenv(key), "yes")
}

// envDuration returns the environment variable's duration value, or def.
func (a *App) envDuration(key string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(a.Getenv(key)); err == nil {
		return v
	}
	return def
}

// serveOptions are the flags shared by dev and serve.
type serveOptions struct {
	addr           string
	signingKey     string
	issuer         string
	audience       string
	trustedIssuers string
	retention      time.Duration
	limits         server.Limits
	corsOrigins    string
	rateLimit      server.RateLimit
	trustedDocs    string
	apqCache       int
	suppression    int
	analyticsCache time.Duration
	publicMaxAge   time.Duration
	pprof          bool
	allowAhead     int64
	notices        noticeOptions
}

// noticeOptions configure the delivery of notices to newcomers.
type noticeOptions struct {
	off                                   bool
	smtpHost, smtpUser, smtpFrom, smtpTLS string
	smtpPassword                          string
	smtpPort                              int
	smsURL, smsToken, smsFrom             string
}

func (a *App) serveFlags(fs *flag.FlagSet) *serveOptions {
	o := &serveOptions{}
	fs.StringVar(&o.addr, "addr", a.envString("PARTNERNET_ADDR", ":8080"), "address to listen on [PARTNERNET_ADDR]")
	fs.StringVar(&o.signingKey, "signing-key", a.envString("PARTNERNET_SIGNING_KEY", ""),
		"JWK file of the key that signs local tokens (dev: <data-dir>/signing-key.jwk, created) [PARTNERNET_SIGNING_KEY]")
	fs.StringVar(&o.issuer, "issuer", a.envString("PARTNERNET_ISSUER", authn.DefaultIssuer),
		"issuer (iss) of local tokens [PARTNERNET_ISSUER]")
	fs.StringVar(&o.audience, "audience", a.envString("PARTNERNET_AUDIENCE", authn.DefaultAudience),
		"audience (aud) every token must name [PARTNERNET_AUDIENCE]")
	fs.StringVar(&o.trustedIssuers, "trusted-issuers", a.envString("PARTNERNET_TRUSTED_ISSUERS", ""),
		"partners' identity providers as issuer=jwksURL, comma-separated [PARTNERNET_TRUSTED_ISSUERS]")
	fs.DurationVar(&o.retention, "retention", a.envDuration("PARTNERNET_RETENTION", defaultRetention),
		"erase the personal data of newcomers whose case has been inactive this long; 0 keeps it [PARTNERNET_RETENTION]")
	fs.IntVar(&o.limits.MaxDepth, "max-depth", a.envInt("PARTNERNET_MAX_DEPTH", server.DefaultMaxDepth),
		"deepest nesting of selections an operation may have [PARTNERNET_MAX_DEPTH]")
	fs.IntVar(&o.limits.MaxCost, "max-cost", a.envInt("PARTNERNET_MAX_COST", server.DefaultMaxCost),
		"highest estimated cost of an operation; lists count once per item of their page [PARTNERNET_MAX_COST]")
	fs.IntVar(&o.limits.MaxAliases, "max-aliases", a.envInt("PARTNERNET_MAX_ALIASES", server.DefaultMaxAliases),
		"most aliased fields in an operation [PARTNERNET_MAX_ALIASES]")
	fs.IntVar(&o.limits.MaxRootFields, "max-root-fields", a.envInt("PARTNERNET_MAX_ROOT_FIELDS", server.DefaultMaxRootFields),
		"most root fields in an operation [PARTNERNET_MAX_ROOT_FIELDS]")
	fs.IntVar(&o.limits.MaxTokens, "max-tokens", a.envInt("PARTNERNET_MAX_TOKENS", server.DefaultMaxTokens),
		"most lexical tokens in a GraphQL document; parsing stops there [PARTNERNET_MAX_TOKENS]")
	fs.IntVar(&o.limits.MaxSelections, "max-selections", a.envInt("PARTNERNET_MAX_SELECTIONS", server.DefaultMaxSelections),
		"most fields a document selects, a fragment's counted at each use; checked before validation [PARTNERNET_MAX_SELECTIONS]")
	fs.IntVar(&o.limits.MaxRepeatedFields, "max-repeated-fields", a.envInt("PARTNERNET_MAX_REPEATED_FIELDS", server.DefaultMaxRepeated),
		"most times one field may be selected in one place, through fragments too [PARTNERNET_MAX_REPEATED_FIELDS]")
	fs.Int64Var(&o.limits.MaxBodyBytes, "max-body-bytes", int64(a.envInt("PARTNERNET_MAX_BODY_BYTES", server.DefaultMaxBodyBytes)),
		"largest request body; larger ones get HTTP 413 [PARTNERNET_MAX_BODY_BYTES]")
	fs.DurationVar(&o.limits.RequestTimeout, "request-timeout", a.envDuration("PARTNERNET_REQUEST_TIMEOUT", server.DefaultRequestTimeout),
		"longest a GraphQL request may run before its database work is cancelled [PARTNERNET_REQUEST_TIMEOUT]")
	fs.StringVar(&o.corsOrigins, "cors-origins", a.envString("PARTNERNET_CORS_ORIGINS", ""),
		"origins of the partner front ends browsers may call from, comma-separated, such as https://app.malmo.se,https://*.lund.se; none by default [PARTNERNET_CORS_ORIGINS]")
	fs.Float64Var(&o.rateLimit.PerIP, "rate-per-ip", a.envFloat("PARTNERNET_RATE_PER_IP", 50),
		"sustained requests per second one client address may send; 0 switches the limit off [PARTNERNET_RATE_PER_IP]")
	fs.IntVar(&o.rateLimit.IPBurst, "rate-per-ip-burst", a.envInt("PARTNERNET_RATE_PER_IP_BURST", 100),
		"requests one client address may send at once [PARTNERNET_RATE_PER_IP_BURST]")
	fs.Float64Var(&o.rateLimit.PerPrincipal, "rate-per-principal", a.envFloat("PARTNERNET_RATE_PER_PRINCIPAL", 20),
		"sustained requests per second one signed-in principal may send; 0 switches the limit off [PARTNERNET_RATE_PER_PRINCIPAL]")
	fs.IntVar(&o.rateLimit.PrincipalBurst, "rate-per-principal-burst", a.envInt("PARTNERNET_RATE_PER_PRINCIPAL_BURST", 40),
		"requests one principal may send at once [PARTNERNET_RATE_PER_PRINCIPAL_BURST]")
	fs.BoolVar(&o.rateLimit.TrustForwardedFor, "trust-forwarded-for", a.envBool("PARTNERNET_TRUST_FORWARDED_FOR"),
		"take the client address from the last X-Forwarded-For entry (only behind a reverse proxy) [PARTNERNET_TRUST_FORWARDED_FOR]")
	fs.StringVar(&o.trustedDocs, "trusted-documents", a.envString("PARTNERNET_TRUSTED_DOCUMENTS", ""),
		"manifest files (JSON: sha256 -> document), comma-separated; when set, only these operations run [PARTNERNET_TRUSTED_DOCUMENTS]")
	fs.IntVar(&o.apqCache, "apq-cache-size", a.envInt("PARTNERNET_APQ_CACHE_SIZE", 1000),
		"automatic persisted queries remembered (off in trusted-documents mode) [PARTNERNET_APQ_CACHE_SIZE]")
	fs.BoolVar(&o.pprof, "pprof", a.envBool("PARTNERNET_PPROF"),
		"serve Go's profiles at /debug/pprof/ (for profiling a benchmark; never in production) [PARTNERNET_PPROF]")
	fs.DurationVar(&o.publicMaxAge, "public-max-age", a.envDuration("PARTNERNET_PUBLIC_MAX_AGE", 30*time.Second),
		"how long HTTP caches may keep the answer to an anonymous GET of a persisted query (public data only); 0 caches nothing [PARTNERNET_PUBLIC_MAX_AGE]")
	fs.DurationVar(&o.analyticsCache, "analytics-cache", a.envDuration("PARTNERNET_ANALYTICS_CACHE", 5*time.Minute),
		"how long the facts behind analytics aggregates are kept between requests; 0 reads them for every request [PARTNERNET_ANALYTICS_CACHE]")
	fs.IntVar(&o.suppression, "suppression-threshold", a.envInt("PARTNERNET_SUPPRESSION_THRESHOLD", analytics.DefaultThreshold),
		"smallest count analytics aggregates publish; smaller ones are suppressed [PARTNERNET_SUPPRESSION_THRESHOLD]")
	n := &o.notices
	fs.BoolVar(&n.off, "no-notice-delivery", a.envBool("PARTNERNET_NO_NOTICE_DELIVERY"),
		"do not deliver notices from this replica (they are still written, and shown in the API) [PARTNERNET_NO_NOTICE_DELIVERY]")
	fs.StringVar(&n.smtpHost, "smtp-host", a.envString("PARTNERNET_SMTP_HOST", ""),
		"mail server (relay) that sends notices by e-mail; none: e-mail is off (dev mode prints them) [PARTNERNET_SMTP_HOST]")
	fs.IntVar(&n.smtpPort, "smtp-port", a.envInt("PARTNERNET_SMTP_PORT", 587), "port of the mail server [PARTNERNET_SMTP_PORT]")
	fs.StringVar(&n.smtpUser, "smtp-username", a.envString("PARTNERNET_SMTP_USERNAME", ""),
		"user name at the mail server; none: no authentication [PARTNERNET_SMTP_USERNAME]")
	n.smtpPassword = a.Getenv("PARTNERNET_SMTP_PASSWORD")
	fs.StringVar(&n.smtpFrom, "smtp-from", a.envString("PARTNERNET_SMTP_FROM", ""),
		"sender of notices, such as 'Partnerskap Skåne <noreply@example.se>' [PARTNERNET_SMTP_FROM]")
	fs.StringVar(&n.smtpTLS, "smtp-tls", a.envString("PARTNERNET_SMTP_TLS", "mandatory"),
		"TLS to the mail server: mandatory (STARTTLS), opportunistic, implicit (port 465) or none [PARTNERNET_SMTP_TLS]")
	fs.StringVar(&n.smsURL, "sms-url", a.envString("PARTNERNET_SMS_URL", ""),
		"endpoint of the SMS gateway's HTTP API (docs/notices.md); none: SMS is off [PARTNERNET_SMS_URL]")
	n.smsToken = a.Getenv("PARTNERNET_SMS_TOKEN")
	fs.StringVar(&n.smsFrom, "sms-from", a.envString("PARTNERNET_SMS_FROM", "Partnerskap"),
		"sender name or number of text messages [PARTNERNET_SMS_FROM]")
	fs.Int64Var(&o.allowAhead, "allow-schema-ahead", int64(a.envInt("PARTNERNET_ALLOW_SCHEMA_AHEAD", 0)),
		"serve a database migrated past this binary when none of its unknown migrations is numbered above this; "+
			"only for migrations known to be backward compatible (rolling deploys, rollbacks); 0 refuses any [PARTNERNET_ALLOW_SCHEMA_AHEAD]")
	return o
}

// noticeConfig builds the notices' delivery from the flags. Dev mode without a mail server or
// an SMS gateway prints what would be sent to the log instead.
func (o *serveOptions) noticeConfig(log *slog.Logger, dev bool) (notice.WorkerConfig, error) {
	n := o.notices
	var cfg notice.WorkerConfig
	switch {
	case n.smtpHost != "":
		m, err := notice.NewSMTPMailer(notice.SMTPConfig{Host: n.smtpHost, Port: n.smtpPort, Username: n.smtpUser,
			Password: n.smtpPassword, From: n.smtpFrom, TLS: n.smtpTLS})
		if err != nil {
			return cfg, fmt.Errorf("--smtp-host: %w", err)
		}
		cfg.Mailer = m
	case dev:
		cfg.Mailer = notice.LogMailer{Log: log}
	}
	switch {
	case n.smsURL != "":
		s, err := notice.NewHTTPSMS(notice.HTTPSMSConfig{URL: n.smsURL, Token: n.smsToken, From: n.smsFrom})
		if err != nil {
			return cfg, fmt.Errorf("--sms-url: %w", err)
		}
		cfg.SMS = s
	case dev:
		cfg.SMS = notice.LogSMS{Log: log}
	}
	return cfg, nil
}

// defaultRetention is how long a newcomer's case may be inactive before their personal data is
// erased: five years, past the two of the establishment programme and its follow-up.
const defaultRetention = 5 * 365 * 24 * time.Hour

// splitList splits a comma-separated list, dropping empty entries.
func splitList(list string) []string {
	var out []string
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// trustedDocuments loads the --trusted-documents manifests, or returns nil when there are none.
func (o *serveOptions) trustedDocuments() (*server.TrustedDocuments, error) {
	paths := splitList(o.trustedDocs)
	if len(paths) == 0 {
		return nil, nil
	}
	return server.LoadTrustedDocuments(paths...)
}

// validate refuses limits that would switch a protection off.
func (o *serveOptions) validate() error {
	l := o.limits
	if l.MaxDepth < 1 || l.MaxCost < 1 || l.MaxAliases < 1 || l.MaxRootFields < 1 || l.MaxTokens < 1 ||
		l.MaxSelections < 1 || l.MaxRepeatedFields < 1 || l.MaxBodyBytes < 1 || l.RequestTimeout <= 0 {
		return errors.New("limits must be positive")
	}
	if o.apqCache < 1 {
		return errors.New("--apq-cache-size must be positive")
	}
	if o.suppression < 2 {
		return errors.New("--suppression-threshold must be at least 2")
	}
	if o.allowAhead < 0 {
		return errors.New("--allow-schema-ahead must not be negative")
	}
	if r := o.rateLimit; r.PerIP < 0 || r.PerPrincipal < 0 || r.IPBurst < 0 || r.PrincipalBurst < 0 {
		return errors.New("rate limits must not be negative")
	}
	return nil
}

// authConfig builds the authentication configuration from the flags. The local signing key is
// read from o.signingKey, or, when that is empty and createKey is set, from createKey, which is
// created on first use.
func (o *serveOptions) authConfig(createKey string) (authn.Config, error) {
	cfg := authn.Config{Issuer: o.issuer, Audience: o.audience}
	var err error
	if cfg.TrustedIssuers, err = authn.ParseTrustedIssuers(o.trustedIssuers); err != nil {
		return cfg, err
	}
	switch {
	case o.signingKey != "":
		cfg.LocalKey, err = authn.LoadKey(o.signingKey)
	case createKey != "":
		cfg.LocalKey, err = authn.LoadOrCreateKey(createKey)
	}
	return cfg, err
}

// serve runs the HTTP server on pool until ctx ends. dev turns on what helps a developer and
// would reveal the schema in production: introspection, GraphiQL and field suggestions.
func (a *App) serve(ctx context.Context, log *slog.Logger, pool *pgxpool.Pool, tp trace.TracerProvider, o *serveOptions, auth authn.Config, dev bool) error {
	if err := o.validate(); err != nil {
		return err
	}
	tuneGC(log)
	trusted, err := o.trustedDocuments()
	if err != nil {
		return err
	}
	if trusted != nil {
		log.Info("trusted-documents mode: only allowlisted operations run", "documents", trusted.Len())
	}
	notices, err := o.noticeConfig(log, dev)
	if err != nil {
		return err
	}
	srv, err := server.New(ctx, server.Config{
		Pool: pool, Logger: log, Introspection: dev, FieldSuggestions: dev, Auth: auth, Limits: o.limits,
		CORSOrigins: splitList(o.corsOrigins), RateLimit: o.rateLimit,
		TrustedDocuments: trusted, PersistedQueryCache: o.apqCache, TracerProvider: tp,
		Housekeeping: true, Retention: o.retention, SuppressionThreshold: o.suppression,
		AnalyticsCacheTTL: o.analyticsCache, AllowSchemaAhead: o.allowAhead, PublicMaxAge: o.publicMaxAge,
		Pprof: o.pprof, DeliverNotices: !o.notices.off, Notices: notices,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	if a.Ready != nil {
		a.Ready(ln.Addr())
	}
	return srv.Serve(ctx, ln)
}

// migrateUp applies pending migrations and logs what it applied.
func migrateUp(ctx context.Context, log *slog.Logger, pool *pgxpool.Pool) error {
	applied, err := migrations.Up(ctx, pool)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		log.Info("applied migrations", "versions", fmt.Sprint(applied))
	}
	return nil
}

// browseURL is the address a person opens for a listen address.
func browseURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/"
	}
	if host == "" || host == "::" || host == "0.0.0.0" || strings.HasPrefix(host, "[") {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// Garbage collection of the server, unless GOGC and GOMEMLIMIT say otherwise.
const (
	// serverGCPercent lets the heap grow to five times what is live before a collection. A
	// GraphQL response allocates many small objects (gqlgen resolves every field on its own), so
	// with Go's default of 100 and a live heap of some 16 MiB the collector ran every few dozen
	// requests: with 400, organisations × titles on the benchmark data went from 141 to 195
	// requests per second (docs/benchmark.md).
	serverGCPercent = 400
	// serverMemoryLimit bounds what that costs: nearer this, the collector runs as often as it
	// needs to, whatever the percentage.
	serverMemoryLimit = 2 << 30
)

// tuneGC sets the server's garbage collection (serverGCPercent, serverMemoryLimit) where the
// environment does not (GOGC, GOMEMLIMIT take precedence, as Go documents them).
func tuneGC(log *slog.Logger) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
		log.Debug("garbage collection", "gc_percent", serverGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serverMemoryLimit)
		log.Debug("garbage collection", "memory_limit_bytes", serverMemoryLimit)
	}
}
