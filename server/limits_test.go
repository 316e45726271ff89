package server_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/server"
)

// withConfig adjusts the server of an apitest.Env.
func withConfig(f func(*server.Config)) apitest.Option { return apitest.Option(f) }

func TestOperationLimits(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, withConfig(func(c *server.Config) {
		c.Limits = server.Limits{MaxDepth: 5, MaxCost: 500, MaxAliases: 2, MaxRootFields: 3}
	}))
	tests := []struct {
		name     string
		query    string
		vars     map[string]any
		wantCode string // "" for success
	}{
		{name: "shallow query", query: `{ programmes { totalCount } }`},
		{name: "depth at the limit", query: `{ organisations(first: 1) { edges { node { activities(first: 1) { totalCount } } } } }`},
		{
			name:     "too deep",
			query:    `{ organisations(first: 1) { edges { node { activities(first: 1) { edges { node { title } } } } } } }`,
			wantCode: server.CodeDepthLimit,
		},
		{
			name: "too deep through fragments",
			query: `query { organisations(first: 1) { ...O } }
				fragment O on OrganisationConnection { edges { node { activities(first: 1) { ...A } } } }
				fragment A on ActivityConnection { edges { node { title } } }`,
			wantCode: server.CodeDepthLimit,
		},
		{name: "two aliases", query: `{ a: programmes { totalCount } b: programmes { totalCount } }`},
		{
			name:     "too many aliases",
			query:    `{ programmes { a: totalCount b: totalCount c: totalCount } }`,
			wantCode: server.CodeAliasLimit,
		},
		{
			name:     "too many root fields",
			query:    `{ programmes { totalCount } organisations { totalCount } municipalities { totalCount } activities { totalCount } }`,
			wantCode: server.CodeRootFieldLimit,
		},
		{name: "a large page of cheap items", query: `{ organisations(first: 100) { edges { node { name } } } }`},
		{
			name:     "nested pages multiply",
			query:    `{ organisations(first: 100) { edges { node { activities(first: 10) { totalCount } } } } }`,
			wantCode: server.CodeCostLimit,
		},
		{
			name:     "page size from a variable",
			query:    `query($n: Int) { organisations(first: $n) { edges { node { activities(first: $n) { totalCount } } } } }`,
			vars:     map[string]any{"n": 30},
			wantCode: server.CodeCostLimit,
		},
		{
			name:  "small pages from a variable",
			query: `query($n: Int) { organisations(first: $n) { edges { node { activities(first: $n) { totalCount } } } } }`,
			vars:  map[string]any{"n": 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := env.Do(t, authz.Principal{}, tt.query, tt.vars)
			if tt.wantCode == "" {
				require.Empty(t, resp.Errors)
				return
			}
			require.Equal(t, []string{tt.wantCode}, resp.Codes(), "%+v", resp.Errors)
			require.NotEmpty(t, resp.Errors[0].Message)
			require.Zero(t, resp.Statements, "a refused operation reaches no database")
		})
	}
}

func TestRequestBodyLimits(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, withConfig(func(c *server.Config) { c.Limits.MaxBodyBytes = 1024 }))
	post := func(body string, chunked bool) apitest.Response {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		if chunked {
			req.ContentLength = -1
		}
		req.Header.Set("Content-Type", "application/json")
		return env.Send(t, authz.Principal{}, req)
	}
	padding := strings.Repeat(" ", 2048)
	tests := []struct {
		name       string
		body       string
		chunked    bool
		wantStatus int
		wantCode   string
	}{
		{name: "small", body: `{"query":"{ programmes { totalCount } }"}`, wantStatus: http.StatusOK},
		{name: "declared too large", body: `{"query":"{ programmes { totalCount } }"` + padding + `}`, wantStatus: http.StatusRequestEntityTooLarge, wantCode: server.CodeBodyTooLarge},
		{name: "too large without a length", body: `{"query":"{ programmes { totalCount } }"` + padding + `}`, chunked: true, wantStatus: http.StatusRequestEntityTooLarge, wantCode: server.CodeBodyTooLarge},
		{name: "batch", body: ` [{"query":"{ programmes { totalCount } }"}]`, wantStatus: http.StatusBadRequest, wantCode: server.CodeBatchingNotSupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(tt.body, tt.chunked)
			require.Equal(t, tt.wantStatus, resp.Status)
			if tt.wantCode == "" {
				require.Empty(t, resp.Errors)
				return
			}
			require.Equal(t, []string{tt.wantCode}, resp.Codes())
		})
	}
}

// TestRequestTimeoutCancelsDatabaseWork holds the organisation table so that a query waits on
// it: the request is answered with TIMEOUT once its time is up, and its statement no longer
// waits in the database.
func TestRequestTimeoutCancelsDatabaseWork(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, withConfig(func(c *server.Config) { c.Limits.RequestTimeout = 300 * time.Millisecond }))
	ctx := context.Background()
	locker, err := pgx.Connect(ctx, env.Pool.Config().ConnString())
	require.NoError(t, err)
	defer locker.Close(ctx)
	tx, err := locker.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, "LOCK TABLE organisation IN ACCESS EXCLUSIVE MODE")
	require.NoError(t, err)

	const query = `{ organisations(first: 5) { totalCount edges { node { name } } } }`
	resp := env.Do(t, authz.Principal{}, query, nil)
	require.Contains(t, resp.Codes(), server.CodeTimeout, "%+v", resp.Errors)

	// Over a websocket the operation has the same time limit.
	hs := httptest.NewServer(env.Handler)
	defer hs.Close()
	msg, err := wsOperation(t, hs.URL, map[string]any{}, query)
	require.NoError(t, err)
	require.Contains(t, fmt.Sprint(msg["payload"]), server.CodeTimeout, "%v", msg)

	require.Eventually(t, func() bool {
		var waiting int
		err := locker.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting)
		return err == nil && waiting == 0
	}, 10*time.Second, 20*time.Millisecond, "the timed-out statement still waits in the database")
}

func TestProductionModeHidesTheSchema(t *testing.T) {
	t.Parallel()
	const typo = `{ programes { totalCount } }` //nolint:misspell // a typo on purpose
	const introspection = `{ __schema { queryType { name } } }`
	tests := []struct {
		name              string
		dev               bool
		wantSuggestion    bool
		wantIntrospection bool
		wantGraphiQL      int
	}{
		{name: "production", dev: false, wantSuggestion: false, wantIntrospection: false, wantGraphiQL: http.StatusNotFound},
		{name: "dev", dev: true, wantSuggestion: true, wantIntrospection: true, wantGraphiQL: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := apitest.New(t, withConfig(func(c *server.Config) {
				c.Introspection, c.FieldSuggestions = tt.dev, tt.dev
			}))
			resp := env.Do(t, authz.Principal{}, typo, nil)
			require.Equal(t, []string{"GRAPHQL_VALIDATION_FAILED"}, resp.Codes())
			require.Equal(t, tt.wantSuggestion, strings.Contains(resp.Errors[0].Message, "Did you mean"), resp.Errors[0].Message)

			resp = env.Do(t, authz.Principal{}, introspection, nil)
			if tt.wantIntrospection {
				require.Empty(t, resp.Errors)
			} else {
				require.Equal(t, []string{server.CodeIntrospectionDisabled}, resp.Codes())
				require.NotContains(t, string(resp.Data), `"Query"`)
			}
			rec := httptest.NewRecorder()
			env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			require.Equal(t, tt.wantGraphiQL, rec.Code)
		})
	}
}

// TestDocumentErrorsFollowTheMediaType checks the status and shape of an answer to a document
// that does not parse: 200 for application/json, and 400 without a data entry for
// application/graphql-response+json (GraphQL over HTTP); a request without a document is a bad
// request (400) for both.
func TestDocumentErrorsFollowTheMediaType(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	tests := []struct {
		body       string
		accept     string
		wantStatus int
		wantCode   string
		wantData   bool
	}{
		{body: `{"query":"{"}`, accept: "application/json", wantStatus: http.StatusOK, wantCode: "GRAPHQL_PARSE_FAILED", wantData: true},
		{body: `{"query":"{"}`, accept: "application/graphql-response+json", wantStatus: http.StatusBadRequest, wantCode: "GRAPHQL_PARSE_FAILED"},
		{body: `{"variables":{}}`, accept: "application/json", wantStatus: http.StatusBadRequest, wantCode: server.CodeBadRequest, wantData: true},
		{body: `{"variables":{}}`, accept: "application/graphql-response+json", wantStatus: http.StatusBadRequest, wantCode: server.CodeBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.body+" "+tt.accept, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", tt.accept)
			rec := httptest.NewRecorder()
			env.Handler.ServeHTTP(rec, req)
			require.Equal(t, tt.wantStatus, rec.Code)
			require.True(t, strings.HasPrefix(rec.Header().Get("Content-Type"), tt.accept))
			require.Contains(t, rec.Body.String(), `"`+tt.wantCode+`"`)
			require.Equal(t, tt.wantData, strings.Contains(rec.Body.String(), `"data"`), rec.Body.String())
		})
	}
}

// TestCancelledRequestIsNoFault cancels a request whose statements wait on a locked table, as a
// client that closes its connection does: no error is logged, the metrics count one CANCELLED
// request and no INTERNAL_SERVER_ERROR, however many fields were waiting.
func TestCancelledRequestIsNoFault(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	env := apitest.New(t, withConfig(func(c *server.Config) {
		c.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}))
	ctx := context.Background()
	locker, err := pgx.Connect(ctx, env.Pool.Config().ConnString())
	require.NoError(t, err)
	defer locker.Close(ctx)
	tx, err := locker.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, "LOCK TABLE organisation IN ACCESS EXCLUSIVE MODE")
	require.NoError(t, err)

	reqCtx, cancel := context.WithCancel(ctx)
	go func() {
		// Cancel once the request's statements wait for the lock.
		for {
			var waiting int
			if err := locker.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil || waiting > 0 {
				cancel()
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	body := `{"query":"{ a: organisations(first: 5) { totalCount edges { node { name } } } b: organisations(first: 3) { totalCount } }"}`
	req := httptest.NewRequestWithContext(reqCtx, http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, req)
	require.Contains(t, rec.Body.String(), `"CANCELLED"`)
	require.NotContains(t, rec.Body.String(), "INTERNAL_SERVER_ERROR")
	require.NotContains(t, logs.String(), `"level":"ERROR"`, "a cancelled request is logged as no error")

	rec = httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Contains(t, rec.Body.String(), `partnernet_errors_total{code="CANCELLED"} 1`)
	require.NotContains(t, rec.Body.String(), `partnernet_errors_total{code="INTERNAL_SERVER_ERROR"}`)
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written.
func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
