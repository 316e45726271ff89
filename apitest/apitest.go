// Package apitest runs GraphQL requests through the real HTTP handler of the server, against a
// fresh database of the test's own holding the demo network, as any principal, and counts the
// SQL statements each request costs. It is for tests only.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/server"
	"github.com/partnerskap-skane/partnernet/store"
)

// LoaderWait is the batch window of the loaders in tests: long enough that the keys of a
// nested list usually join one batch under the race detector. Tests that count statements
// use WithLoaderWait for a window that holds on a busy machine too.
const LoaderWait = 25 * time.Millisecond

// Option adjusts an Env.
type Option func(*server.Config)

// WithLoaderWait sets the loaders' batch window. Tests that assert exact statement counts
// set a long one, so that a slow race-detector run on a busy machine never splits a batch.
func WithLoaderWait(d time.Duration) Option {
	return func(c *server.Config) { c.LoaderWait = d }
}

// Env is a server over a database of one test's own.
type Env struct {
	// Pool is the test's database.
	Pool *pgxpool.Pool
	// Store runs statements on it, for fixtures and checks.
	Store *store.Store
	// Handler is the server's HTTP handler.
	Handler http.Handler
	// Key signs the tokens of the principals requests are sent as.
	Key jwk.Key

	statements atomic.Int64
	roundTrips atomic.Int64
	mu         sync.Mutex
	sql        []string
}

// New returns an Env over a fresh database loaded with the demo network.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	e := &Env{}
	cfg, err := pgxpool.ParseConfig(dbtest.NewDatabase(t))
	require.NoError(t, err)
	cfg.ConnConfig.Tracer = statementCounter{e}
	e.Pool, err = pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(e.Pool.Close)
	e.Store = store.New(e.Pool)
	_, err = seed.Load(context.Background(), e.Store, seed.DefaultOptions(), nil)
	require.NoError(t, err)
	e.Key, err = authn.GenerateKey()
	require.NoError(t, err)
	srvCfg := server.Config{
		Pool: e.Pool, LoaderWait: LoaderWait, Introspection: true,
		Auth:   authn.Config{LocalKey: e.Key},
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	for _, opt := range opts {
		opt(&srvCfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	srv, err := server.New(ctx, srvCfg)
	require.NoError(t, err)
	// Wait until the server follows memberships, so that its LISTEN does not count as a
	// request's statement.
	select {
	case <-srv.PolicyReady():
	case <-time.After(time.Minute):
		t.Fatal("the server never subscribed to membership changes")
	}
	select {
	case <-srv.LiveReady():
	case <-time.After(time.Minute):
		t.Fatal("the server never subscribed to activity changes")
	}
	select {
	case <-srv.NoticesReady():
	case <-time.After(time.Minute):
		t.Fatal("the server never subscribed to notices")
	}
	e.Handler = srv.Handler()
	return e
}

// statementCounter counts, and keeps, the statements sent on a pool.
type statementCounter struct{ e *Env }

// TraceQueryStart implements pgx.QueryTracer.
func (c statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	c.e.roundTrips.Add(1)
	c.keep(data.SQL)
	return ctx
}

// keep counts and keeps one statement.
func (c statementCounter) keep(sql string) {
	c.e.statements.Add(1)
	c.e.mu.Lock()
	c.e.sql = append(c.e.sql, sql)
	c.e.mu.Unlock()
}

// TraceQueryEnd implements pgx.QueryTracer.
func (statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart implements pgx.BatchTracer: a batch is one round trip.
func (c statementCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.e.roundTrips.Add(1)
	return ctx
}

// TraceBatchQuery implements pgx.BatchTracer: each statement of a batch counts.
func (c statementCounter) TraceBatchQuery(_ context.Context, _ *pgx.Conn, data pgx.TraceBatchQueryData) {
	c.keep(data.SQL)
}

// TraceBatchEnd implements pgx.BatchTracer.
func (statementCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// Error is one error of a GraphQL response.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code returns the error's extensions.code.
func (e Error) Code() string {
	code, _ := e.Extensions["code"].(string)
	return code
}

// Response is a GraphQL response with the cost of producing it.
type Response struct {
	// Status is the HTTP status.
	Status int
	// Data is the response's data, raw.
	Data json.RawMessage `json:"data"`
	// Errors are the response's errors.
	Errors []Error `json:"errors"`
	// Statements is how many SQL statements the request sent.
	Statements int64 `json:"-"`
	// RoundTrips is how many times the request waited for the database: a statement sent alone
	// or a batch of them sent together.
	RoundTrips int64 `json:"-"`
	// SQL holds the statements the request sent, when only one request ran at a time.
	SQL []string `json:"-"`
	// Header is the HTTP response header.
	Header http.Header `json:"-"`
}

// Decode unmarshals the response's data into v.
func (r Response) Decode(t testing.TB, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.Data, v), "data: %s", r.Data)
}

// Codes returns the extensions.code of each error.
func (r Response) Codes() []string {
	codes := make([]string, len(r.Errors))
	for i, e := range r.Errors {
		codes[i] = e.Code()
	}
	return codes
}

// Do posts a GraphQL request as principal p (the zero Principal is anonymous) and returns the
// response.
func (e *Env) Do(t testing.TB, p authz.Principal, query string, vars map[string]any) Response {
	t.Helper()
	return e.DoFor(t, p, "", query, vars)
}

// DoFor posts a GraphQL request as principal p declaring purpose ("" for none).
func (e *Env) DoFor(t testing.TB, p authz.Principal, purpose partnernet.Purpose, query string, vars map[string]any) Response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if purpose != "" {
		req.Header.Set(authz.PurposeHeader, string(purpose))
	}
	return e.Send(t, p, req)
}

// Token returns a bearer token, signed with the Env's local key, that authenticates as p.
func (e *Env) Token(t testing.TB, p authz.Principal) string {
	t.Helper()
	c := authn.Claims{Subject: p.Subject, NewcomerID: p.NewcomerID, TTL: time.Hour}
	for _, r := range p.Roles {
		c.Roles = append(c.Roles, string(r))
	}
	if p.OrganisationID != 0 {
		orgs, err := e.Store.OrganisationGetMany(context.Background(), []int64{p.OrganisationID})
		require.NoError(t, err)
		require.Len(t, orgs, 1, "no organisation %d", p.OrganisationID)
		c.Organisation = orgs[0].Slug
	}
	token, err := authn.Mint(e.Key, authn.DefaultIssuer, authn.DefaultAudience, c)
	require.NoError(t, err)
	return token
}

// Send sends any HTTP request to the server as principal p, authenticated by a token from
// Token (none for the anonymous principal, or when the request carries its own
// Authorization), and decodes a GraphQL response.
func (e *Env) Send(t testing.TB, p authz.Principal, req *http.Request) Response {
	t.Helper()
	if !p.Anonymous() && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+e.Token(t, p))
	}
	rec := httptest.NewRecorder()
	before, beforeTrips := e.statements.Load(), e.roundTrips.Load()
	e.mu.Lock()
	firstSQL := len(e.sql)
	e.mu.Unlock()
	e.Handler.ServeHTTP(rec, req)
	resp := Response{Status: rec.Code, Statements: e.statements.Load() - before,
		RoundTrips: e.roundTrips.Load() - beforeTrips, Header: rec.Header()}
	e.mu.Lock()
	resp.SQL = slices.Clone(e.sql[firstSQL:])
	e.mu.Unlock()
	if rec.Body.Len() > 0 && rec.Header().Get("Content-Type") != "" {
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp), "body: %s", rec.Body.String())
	}
	return resp
}
