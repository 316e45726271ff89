package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/server"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// serveOnLoopback serves a server over pool on a loopback port. It returns the server, its
// address, and a function that stops it gracefully (at most once) and returns what Serve
// returned.
func serveOnLoopback(t *testing.T, pool *pgxpool.Pool) (*server.Server, string, func() error) {
	t.Helper()
	srv, err := server.New(context.Background(), server.Config{Pool: pool, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	var once sync.Once
	var result error
	stop := func() error {
		once.Do(func() {
			cancel()
			result = <-served
		})
		return result
	}
	t.Cleanup(func() { _ = stop() })
	return srv, ln.Addr().String(), stop
}

// waitForPolicy waits until srv follows membership changes.
func waitForPolicy(t *testing.T, srv *server.Server) {
	t.Helper()
	select {
	case <-srv.PolicyReady():
	case <-time.After(time.Minute):
		t.Fatal("the server never followed memberships")
	}
}

func TestHTTPEndpoints(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	get := func(path string, header http.Header) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for k, v := range header {
			req.Header[k] = v
		}
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		return rec
	}

	t.Run("healthz", func(t *testing.T) {
		rec := get("/healthz", nil)
		require.Equal(t, http.StatusOK, rec.Code)
		require.JSONEq(t, `{"status":"ok"}`, rec.Body.String())
	})
	t.Run("readyz", func(t *testing.T) {
		rec := get("/readyz", nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Contains(t, rec.Body.String(), `"status":"ready"`)
	})
	t.Run("graphiql", func(t *testing.T) {
		rec := get("/", nil)
		require.Equal(t, http.StatusOK, rec.Code)
		require.Contains(t, rec.Body.String(), "graphiql")
		require.Equal(t, http.StatusNotFound, get("/no-such-page", nil).Code)
	})
	t.Run("GET query", func(t *testing.T) {
		rec := get("/graphql?query="+url.QueryEscape(`{ programmes { totalCount } }`), nil)
		require.Equal(t, http.StatusOK, rec.Code)
		require.JSONEq(t, `{"data":{"programmes":{"totalCount":6}}}`, rec.Body.String())
	})
	t.Run("request id", func(t *testing.T) {
		rec := get("/healthz", nil)
		generated := rec.Header().Get(server.RequestIDHeader)
		require.Len(t, generated, 24)
		rec = get("/healthz", http.Header{server.RequestIDHeader: {"abc-123"}})
		require.Equal(t, "abc-123", rec.Header().Get(server.RequestIDHeader))
		rec = get("/healthz", http.Header{server.RequestIDHeader: {"bad id\r\nX-Evil: 1"}})
		require.NotContains(t, rec.Header().Get(server.RequestIDHeader), "Evil")
	})
	t.Run("POST without a body", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{`))
		req.Header.Set("Content-Type", "application/json")
		resp := env.Send(t, authz.Principal{}, req)
		require.Equal(t, http.StatusBadRequest, resp.Status)
		require.NotEmpty(t, resp.Errors)
	})
}

// TestGracefulShutdownFinishesRequestsInFlight holds every request of a batch inside the
// database (behind a table lock), stops the server, and then lets the database go on: every
// request the server had accepted must still get its full answer.
func TestGracefulShutdownFinishesRequestsInFlight(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	_, addr, stop := serveOnLoopback(t, env.Pool)

	// Hold the organisation table so that every request blocks in its first statement.
	locker, err := pgx.Connect(ctx, env.Pool.Config().ConnString())
	require.NoError(t, err)
	defer locker.Close(ctx)
	lockTx, err := locker.Begin(ctx)
	require.NoError(t, err)
	_, err = lockTx.Exec(ctx, "LOCK TABLE organisation IN ACCESS EXCLUSIVE MODE")
	require.NoError(t, err)

	watcher, err := pgx.Connect(ctx, env.Pool.Config().ConnString())
	require.NoError(t, err)
	defer watcher.Close(ctx)

	n := int(env.Pool.Config().MaxConns)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	body := `{"query":"{ organisations(first: 100) { totalCount edges { node { name activities(first: 20) { totalCount } } } } }"}`
	var wg sync.WaitGroup
	results := make(chan error, n)
	for range n {
		wg.Go(func() {
			resp, err := client.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(body))
			if err != nil {
				results <- err
				return
			}
			defer resp.Body.Close()
			var out struct {
				Data struct {
					Organisations struct {
						TotalCount int `json:"totalCount"`
					} `json:"organisations"`
				} `json:"data"`
			}
			raw, _ := io.ReadAll(resp.Body)
			if err := json.Unmarshal(raw, &out); err != nil || out.Data.Organisations.TotalCount < 50 {
				results <- errors.New("incomplete response: " + string(raw))
				return
			}
			results <- nil
		})
	}

	// Wait until all n requests are inside their handlers, waiting on the lock.
	deadline := time.Now().Add(time.Minute)
	for waiting := 0; waiting < n; {
		require.True(t, time.Now().Before(deadline), "only %d of %d requests reached the database", waiting, n)
		time.Sleep(10 * time.Millisecond)
		// Outside a transaction: pg_stat_activity is a snapshot within one.
		require.NoError(t, watcher.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting))
	}

	// Stop the server; once it no longer accepts connections, release the database.
	served := make(chan error, 1)
	go func() { served <- stop() }()
	require.Eventually(t, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err != nil
	}, time.Minute, 10*time.Millisecond, "listener still open after shutdown began")
	require.NoError(t, lockTx.Commit(ctx))

	wg.Wait()
	close(results)
	require.NoError(t, <-served)
	for err := range results {
		require.NoError(t, err)
	}
}

// TestReadyzRefusesADatabaseMigratedPastTheBinary migrates the database of running servers past
// their binary: /readyz turns 503 and names both versions, unless the server was configured to
// allow the newer migration.
func TestReadyzRefusesADatabaseMigratedPastTheBinary(t *testing.T) {
	t.Parallel()
	const newer = 99_001
	type readiness struct {
		Status        string `json:"status"`
		Reason        string `json:"reason"`
		SchemaVersion int64  `json:"schemaVersion"`
		BinaryVersion int64  `json:"binaryVersion"`
		SchemaAhead   bool   `json:"schemaAhead"`
	}
	readyz := func(t *testing.T, h http.Handler) (int, readiness) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		var r readiness
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r), rec.Body.String())
		return rec.Code, r
	}
	tests := []struct {
		name       string
		allowAhead int64
		wantCode   int
		wantStatus string
	}{
		{"by default", 0, http.StatusServiceUnavailable, "unavailable"},
		{"allowing older migrations only", newer - 1, http.StatusServiceUnavailable, "unavailable"},
		{"allowing the newer migration", newer, http.StatusOK, "ready"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			url := dbtest.NewDatabase(t)
			pool, err := pgxpool.New(context.Background(), url)
			require.NoError(t, err)
			t.Cleanup(pool.Close)
			srv, err := server.New(t.Context(), server.Config{Pool: pool, Logger: slog.New(slog.DiscardHandler),
				AllowSchemaAhead: tt.allowAhead})
			require.NoError(t, err)

			code, before := readyz(t, srv.Handler())
			require.Equal(t, http.StatusOK, code, before.Reason)
			require.False(t, before.SchemaAhead)
			require.Equal(t, before.BinaryVersion, before.SchemaVersion)

			dbtest.MigrateAhead(t, url, newer)
			code, after := readyz(t, srv.Handler())
			require.Equal(t, tt.wantCode, code, after.Reason)
			require.Equal(t, tt.wantStatus, after.Status)
			require.Equal(t, int64(newer), after.SchemaVersion)
			require.Equal(t, before.BinaryVersion, after.BinaryVersion)
			if code == http.StatusOK {
				require.True(t, after.SchemaAhead)
				return
			}
			require.Contains(t, after.Reason, "ahead of this binary")
			require.Contains(t, after.Reason, "at version 99001")
			require.Contains(t, after.Reason, "newest migration is "+strconv.FormatInt(before.BinaryVersion, 10))
		})
	}
}
