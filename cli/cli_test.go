package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/cli"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/migrations"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// run runs the command line with env as its whole environment and returns the exit code and
// what it printed.
func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := &cli.App{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	code = app.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

func TestUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		wantCode   int
		wantStderr []string
	}{
		{"no command", nil, nil, 2, []string{"Commands:", "dev", "serve", "migrate", "seed"}},
		{"help", []string{"help"}, nil, 0, []string{"Commands:"}},
		{"unknown command", []string{"frobnicate"}, nil, 2, []string{`unknown command "frobnicate"`}},
		{"dev help", []string{"dev", "--help"}, nil, 0, []string{"-addr", "PARTNERNET_ADDR", "-data-dir", "PARTNERNET_DATA_DIR", "-fresh"}},
		{"serve help", []string{"serve", "--help"}, nil, 0, []string{"-migrate", "PARTNERNET_ADDR", "PARTNERNET_MAX_COST",
			"PARTNERNET_REQUEST_TIMEOUT", "PARTNERNET_CORS_ORIGINS", "PARTNERNET_RATE_PER_PRINCIPAL", "PARTNERNET_TRUSTED_DOCUMENTS"}},
		{"migrate help", []string{"migrate", "--help"}, nil, 0, []string{"up", "status"}},
		{"seed help", []string{"seed", "--help"}, nil, 0, []string{"-newcomers", "-activities", "-enrolments", "-seed"}},
		{"token help", []string{"token", "--help"}, nil, 0, []string{"-org", "-role", "-subject", "-ttl", "PARTNERNET_SIGNING_KEY"}},
		{"bad flag", []string{"serve", "--no-such-flag"}, nil, 2, []string{"-no-such-flag"}},
		{"stray argument", []string{"serve", "extra"}, nil, 2, []string{`unexpected argument "extra"`}},
		{"migrate without a verb", []string{"migrate"}, nil, 2, []string{"up|status"}},
		{"serve without a database", []string{"serve"}, nil, 1, []string{"DATABASE_URL is required"}},
		{"seed with a negative count", []string{"seed", "--newcomers", "-1"}, map[string]string{"DATABASE_URL": "postgres://x@127.0.0.1:1/x"}, 1, []string{"must not be negative"}},
		{"unreachable database", []string{"migrate", "status"}, map[string]string{"DATABASE_URL": "postgres://x:y@127.0.0.1:1/x?connect_timeout=2"}, 1, []string{"connect to postgres://x@127.0.0.1:1/x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := run(t, tt.env, tt.args...)
			require.Equal(t, tt.wantCode, code, stderr)
			for _, want := range tt.wantStderr {
				require.Contains(t, stderr, want)
			}
			require.NotContains(t, stderr, ":y@", "passwords never reach the output")
		})
	}
}

func TestMigrateAndServeRefusesAnOldSchema(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": dbtest.NewEmptyDatabase(t), "PARTNERNET_ADDR": "127.0.0.1:0"}

	code, stdout, stderr := run(t, env, "migrate", "status")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "current version: 0")
	require.Contains(t, stdout, "pending 00001")

	code, _, stderr = run(t, env, "serve")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "schema is behind this binary: the database is at version 0")
	require.Contains(t, stderr, "--migrate")

	code, stdout, stderr = run(t, env, "migrate", "up")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "applied 00001")
	code, stdout, _ = run(t, env, "migrate", "up")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "no pending migrations")
	code, stdout, _ = run(t, env, "migrate", "status")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "up to date")
}

// TestDatabaseMigratedPastTheBinary gives the command line a database that a newer binary has
// migrated: status reports it ahead and fails, migrate up, serve and dev refuse it naming both
// versions, and --allow-schema-ahead serves it, with a warning, when it covers the unknown
// migrations.
func TestDatabaseMigratedPastTheBinary(t *testing.T) {
	t.Parallel()
	const newer = 99_001
	url := dbtest.NewDatabase(t)
	pool, err := pgxpool.New(context.Background(), url)
	require.NoError(t, err)
	defer pool.Close()
	status, err := migrations.GetStatus(context.Background(), pool)
	require.NoError(t, err)
	binary := fmt.Sprintf("newest migration is %d", status.Latest)
	dbtest.MigrateAhead(t, url, newer)
	env := map[string]string{"DATABASE_URL": url, "PARTNERNET_ADDR": "127.0.0.1:0"}

	code, stdout, stderr := run(t, env, "migrate", "status")
	require.Equal(t, 1, code, stderr)
	require.Contains(t, stdout, "current version: 99001")
	require.Contains(t, stdout, "unknown 99001")
	require.NotContains(t, stdout, "up to date")
	require.Contains(t, stderr, "ahead of this binary")
	require.Contains(t, stderr, binary)

	refusals := []struct {
		name string
		args []string
		want []string
	}{
		{"migrate up", []string{"migrate", "up"}, []string{"ahead of this binary", "at version 99001", binary}},
		{"serve", []string{"serve"}, []string{"ahead of this binary", "at version 99001", binary, "--allow-schema-ahead 99001"}},
		{"serve --migrate", []string{"serve", "--migrate"}, []string{"ahead of this binary", "--allow-schema-ahead 99001"}},
		{"serve allowing older migrations only", []string{"serve", "--allow-schema-ahead", "99000"}, []string{"ahead of this binary"}},
		{"dev", []string{"dev"}, []string{"ahead of this binary", binary, "--fresh"}},
	}
	for _, tt := range refusals {
		code, _, stderr := run(t, env, tt.args...)
		require.Equal(t, 1, code, tt.name)
		for _, want := range tt.want {
			require.Contains(t, stderr, want, tt.name)
		}
	}

	addr, stop := serveUntilReady(t, env, "serve", "--allow-schema-ahead", "99001")
	resp, err := http.Get("http://" + addr + "/readyz")
	require.NoError(t, err)
	var ready struct {
		Status        string `json:"status"`
		SchemaVersion int64  `json:"schemaVersion"`
		SchemaAhead   bool   `json:"schemaAhead"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&ready))
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "ready", ready.Status)
	require.Equal(t, int64(newer), ready.SchemaVersion)
	require.True(t, ready.SchemaAhead)
	code, logs := stop()
	require.Equal(t, 0, code, logs)
	require.Contains(t, logs, "serving a database migrated past this binary")
}

// serveUntilReady runs the command in the background and returns the address it serves on and a
// function that interrupts it (as Ctrl-C does) and returns its exit code and logs.
func serveUntilReady(t *testing.T, env map[string]string, args ...string) (addr string, stop func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	var errOut bytes.Buffer
	app := &cli.App{Stdout: io.Discard, Stderr: &syncWriter{w: &errOut}, Getenv: func(k string) string { return env[k] },
		Ready: func(a net.Addr) { ready <- a }}
	done := make(chan int, 1)
	go func() { done <- app.Run(ctx, args) }()
	select {
	case a := <-ready:
		addr = a.String()
	case code := <-done:
		cancel()
		t.Fatalf("exited with %d before serving: %s", code, errOut.String())
	case <-time.After(2 * time.Minute):
		cancel()
		t.Fatal("not ready after 2 minutes")
	}
	return addr, func() (int, string) {
		cancel()
		code := <-done
		return code, errOut.String()
	}
}

// organisationCount asks a running server how many organisations the network has.
func organisationCount(t *testing.T, addr string) int {
	t.Helper()
	resp, err := http.Post("http://"+addr+"/graphql", "application/json",
		strings.NewReader(`{"query":"{ organisations(first: 100) { totalCount } }"}`))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Organisations struct {
				TotalCount int `json:"totalCount"`
			} `json:"organisations"`
		} `json:"data"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return out.Data.Organisations.TotalCount
}

// firstErrorCode posts query to a running server and returns the code of its first error.
func firstErrorCode(t *testing.T, addr, query string) string {
	t.Helper()
	body, err := json.Marshal(map[string]string{"query": query})
	require.NoError(t, err)
	resp, err := http.Post("http://"+addr+"/graphql", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out struct {
		Errors []struct {
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.NotEmpty(t, out.Errors)
	return out.Errors[0].Extensions.Code
}

func TestSeedThenServe(t *testing.T) {
	t.Parallel()
	// A stand-in OTLP collector on loopback counts the trace exports it receives.
	var exports atomic.Int64
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/traces" {
			if body, _ := io.ReadAll(r.Body); len(body) > 0 {
				exports.Add(1)
			}
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	t.Cleanup(collector.Close)
	env := map[string]string{"DATABASE_URL": dbtest.NewEmptyDatabase(t), "PARTNERNET_ADDR": "127.0.0.1:0",
		"OTEL_EXPORTER_OTLP_ENDPOINT": collector.URL}
	code, stdout, stderr := run(t, env, "seed", "--newcomers", "50", "--activities", "20", "--enrolments", "100", "--seed", "7")
	require.Equal(t, 0, code, stderr)
	require.NotEmpty(t, stdout)
	code, _, stderr = run(t, env, "seed")
	require.Equal(t, 1, code, "seeding a loaded database again is refused")
	require.NotEmpty(t, stderr)

	code, _, stderr = run(t, env, "serve", "--max-depth", "0")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "limits must be positive")
	code, _, stderr = run(t, env, "serve", "--trusted-documents", filepath.Join(t.TempDir(), "missing.json"))
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "read trusted documents")

	addr, stop := serveUntilReady(t, env, "serve")
	require.GreaterOrEqual(t, organisationCount(t, addr), 50)
	require.Equal(t, "INTROSPECTION_DISABLED", firstErrorCode(t, addr, `{ __schema { queryType { name } } }`),
		"production mode hides the schema")
	code, logs := stop()
	require.Equal(t, 0, code, logs)
	require.Contains(t, logs, "shutting down")
	require.Contains(t, logs, "exporting traces by OTLP")
	require.Positive(t, exports.Load(), "the server flushed its spans to the collector when it stopped")
}

// TestDevWithLocalDatabase runs the README's run command as it runs on a fresh machine: a
// local PostgreSQL in a data folder, migrated and loaded with the demo network, stopped on
// interrupt and reused, with its data, on the next start.
func TestDevWithLocalDatabase(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(dbtest.TempDir(t), "data")
	env := map[string]string{"PARTNERNET_DATA_DIR": dataDir, "PARTNERNET_ADDR": "127.0.0.1:0"}

	addr, stop := serveUntilReady(t, env, "dev")
	require.GreaterOrEqual(t, organisationCount(t, addr), 50)
	code, logs := stop()
	require.Equal(t, 0, code, logs)
	require.Contains(t, logs, "stopped the local database")
	_, err := os.Stat(filepath.Join(dataDir, "pgdata", "postmaster.pid"))
	require.ErrorIs(t, err, os.ErrNotExist, "the database stopped with the server")

	// A restart keeps the data and does not load the demo network twice.
	addr, stop = serveUntilReady(t, env, "dev")
	require.GreaterOrEqual(t, organisationCount(t, addr), 50)
	code, logs = stop()
	require.Equal(t, 0, code, logs)
	require.NotContains(t, logs, "loaded the demo network")

	// --fresh starts from an empty database again.
	addr, stop = serveUntilReady(t, env, "dev", "--fresh")
	require.GreaterOrEqual(t, organisationCount(t, addr), 50)
	code, logs = stop()
	require.Equal(t, 0, code, logs)
	require.Contains(t, logs, "loaded the demo network")
}
