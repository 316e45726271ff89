package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/migrations"
	"github.com/partnerskap-skane/partnernet/pglocal"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/server"
	"github.com/partnerskap-skane/partnernet/store"
)

// loadResult is one request of a load loop.
type loadResult struct {
	at       time.Time
	took     time.Duration
	mutation bool
	status   int
	codes    []string
	consent  string // the id of a consent recorded, when the mutation succeeded
	err      error  // a transport error
}

// outcome classifies a result: "ok", an error code, or "transport".
func (r loadResult) outcome() string {
	switch {
	case r.err != nil:
		return "transport"
	case len(r.codes) == 0 && r.status == http.StatusOK:
		return "ok"
	case len(r.codes) == 0:
		return fmt.Sprintf("HTTP %d without errors", r.status)
	}
	return r.codes[0]
}

// TestDatabaseOutage stops PostgreSQL under a load of reads and consent mutations and starts it
// again. The server must stay up, report not ready while the database is away, fail requests
// quickly with UNAVAILABLE, serve again within seconds of the database's return without a
// restart, and never leave a mutation half applied.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := dbtest.TempDir(t)
	cluster, err := pglocal.Start(ctx, pglocal.Options{DataDir: dir})
	require.NoError(t, err)
	t.Cleanup(func() { _ = cluster.Stop(context.Background()) })
	require.NoError(t, cluster.EnsureDatabase(ctx, "outage"))
	pool, err := pgxpool.New(ctx, cluster.URL("outage"))
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	_, err = migrations.Up(ctx, pool)
	require.NoError(t, err)
	_, err = seed.Load(ctx, store.New(pool), seed.Options{Newcomers: 40, Activities: 20, Seed: 11}, nil)
	require.NoError(t, err)

	key, err := authn.GenerateKey()
	require.NoError(t, err)
	srvCtx, stopServer := context.WithCancel(ctx)
	t.Cleanup(stopServer)
	srv, err := server.New(srvCtx, server.Config{Pool: pool, Auth: authn.Config{LocalKey: key},
		Logger: slog.New(slog.DiscardHandler), Limits: server.Limits{RequestTimeout: 10 * time.Second}})
	require.NoError(t, err)
	waitForPolicy(t, srv)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)

	token, err := authn.Mint(key, authn.DefaultIssuer, authn.DefaultAudience,
		authn.Claims{Subject: "anna@malmo", Organisation: "malmo", Roles: []string{"coordinator"}, TTL: time.Hour})
	require.NoError(t, err)
	var newcomers []int64
	rows, err := pool.Query(ctx, `SELECT n.id FROM newcomer n JOIN organisation o ON o.id = n.controller_id WHERE o.slug = 'malmo' ORDER BY n.id`)
	require.NoError(t, err)
	for rows.Next() {
		var id int64
		require.NoError(t, rows.Scan(&id))
		newcomers = append(newcomers, id)
	}
	require.NoError(t, rows.Err())
	require.NotEmpty(t, newcomers)
	var abf int64
	require.NoError(t, pool.QueryRow(ctx, `SELECT id FROM organisation WHERE slug = 'abf'`).Scan(&abf))
	var consentsBefore, auditsBefore int
	require.NoError(t, pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM consent_record),
		(SELECT count(*) FROM audit_event WHERE action = 'RECORD_CONSENT')`).Scan(&consentsBefore, &auditsBefore))

	client := &http.Client{Timeout: 30 * time.Second}
	send := func(i int) loadResult {
		res := loadResult{at: time.Now(), mutation: i%3 == 0}
		body := map[string]any{"query": `{ organisations(first: 20) { totalCount edges { node { name activities(first: 5) { totalCount } } } } }`}
		if res.mutation {
			body = map[string]any{
				"query": `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id } }`,
				"variables": map[string]any{"in": map[string]any{
					"newcomerId": relay.ToGlobalID("Newcomer", newcomers[i%len(newcomers)]), "recipientIds": []string{relay.ToGlobalID("Organisation", abf)},
					"purposes": []string{"ACTIVITY_PARTICIPATION"}, "dataCategories": []string{"CONTACT"},
					"method": "DIGITAL", "noticeLanguage": "sv", "noticeVersion": "2026.1",
				}},
			}
		}
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, hs.URL+"/graphql", bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		res.took = time.Since(res.at)
		if err != nil {
			res.err = err
			return res
		}
		defer resp.Body.Close()
		res.status = resp.StatusCode
		out, _ := io.ReadAll(resp.Body)
		var decoded struct {
			Data struct {
				RecordConsent *struct{ ID string } `json:"recordConsent"`
			} `json:"data"`
			Errors []apitest.Error `json:"errors"`
		}
		if err := json.Unmarshal(out, &decoded); err != nil {
			res.err = fmt.Errorf("undecodable response %q: %w", out, err)
			return res
		}
		for _, e := range decoded.Errors {
			res.codes = append(res.codes, e.Code())
		}
		if len(res.codes) == 0 && decoded.Data.RecordConsent != nil {
			res.consent = decoded.Data.RecordConsent.ID
		}
		return res
	}

	// The load: four clients, each sending one request after another, for at most a minute.
	var (
		mu      sync.Mutex
		results []loadResult
		stop    atomic.Bool
		counter atomic.Int64
		wg      sync.WaitGroup
	)
	loadDeadline := time.Now().Add(time.Minute)
	for range 4 {
		wg.Go(func() {
			for !stop.Load() && time.Now().Before(loadDeadline) {
				r := send(int(counter.Add(1)))
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
				if r.outcome() != "ok" {
					time.Sleep(5 * time.Millisecond) // a client backs off a little, as real ones do
				}
			}
		})
	}
	resultsSince := func(from time.Time) []loadResult {
		mu.Lock()
		defer mu.Unlock()
		var out []loadResult
		for _, r := range results {
			if !r.at.Before(from) {
				out = append(out, r)
			}
		}
		return out
	}
	ready := func() int {
		resp, err := http.Get(hs.URL + "/readyz")
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	time.Sleep(time.Second)
	require.Equal(t, http.StatusOK, ready())

	// Outage.
	require.NoError(t, cluster.Stop(ctx))
	down := time.Now()
	require.Equal(t, http.StatusServiceUnavailable, ready(), "/readyz reports the outage")
	time.Sleep(2 * time.Second)
	require.Equal(t, http.StatusServiceUnavailable, ready())
	duringOutage := resultsSince(down.Add(200 * time.Millisecond))

	// Recovery, on the same port, without touching the server.
	cluster, err = pglocal.Start(ctx, pglocal.Options{DataDir: dir, Port: cluster.Port()})
	require.NoError(t, err)
	up := time.Now()
	var recovered time.Duration
	for time.Since(up) < 30*time.Second {
		if ready() == http.StatusOK {
			if r := send(1); r.outcome() == "ok" {
				recovered = time.Since(up)
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NotZero(t, recovered, "service did not resume within 30 s of the database's return")
	time.Sleep(time.Second)
	stop.Store(true)
	wg.Wait()
	afterRecovery := resultsSince(up.Add(recovered + 200*time.Millisecond))

	// During the outage: every request answered, quickly, with UNAVAILABLE.
	require.NotEmpty(t, duringOutage)
	var slowest time.Duration
	outcomes := map[string]int{}
	for _, r := range duringOutage {
		outcomes[r.outcome()]++
		slowest = max(slowest, r.took)
		require.NoError(t, r.err, "the server stays up")
		require.Contains(t, []string{"UNAVAILABLE"}, r.outcome(), "during the outage: %+v", r)
		require.Contains(t, []int{http.StatusOK, http.StatusServiceUnavailable}, r.status)
	}
	require.Less(t, slowest, 2*time.Second, "requests fail fast while the database is away")
	// After recovery: everything succeeds again.
	require.NotEmpty(t, afterRecovery)
	for _, r := range afterRecovery {
		require.Equal(t, "ok", r.outcome(), "after recovery: %+v", r)
	}
	all := resultsSince(time.Time{})
	t.Logf("outage: %d requests, outcomes %v, slowest %v; service resumed %v after the database; %d requests in all",
		len(duringOutage), outcomes, slowest, recovered, len(all))

	// No mutation half applied: every consent recorded has its GIVEN event, its recipient and
	// its audit entry, and every consent a client was told of exists.
	var consents, audits, incomplete int
	require.NoError(t, pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM consent_record),
		(SELECT count(*) FROM audit_event WHERE action = 'RECORD_CONSENT')`).Scan(&consents, &audits))
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM consent_record c
		WHERE (SELECT count(*) FROM consent_event e WHERE e.consent_record_id = c.id AND e.kind = 'GIVEN') <> 1
		   OR NOT EXISTS (SELECT 1 FROM consent_recipient r WHERE r.consent_record_id = c.id)`).Scan(&incomplete))
	require.Zero(t, incomplete, "consents without their event or recipient")
	require.Equal(t, consents-consentsBefore, audits-auditsBefore, "every consent written has its audit entry, and no more")
	var told []string
	for _, r := range all {
		if r.consent != "" {
			told = append(told, r.consent)
		}
	}
	require.NotEmpty(t, told)
	require.LessOrEqual(t, len(told), consents-consentsBefore)
	var reasons []string
	rows, err = pool.Query(ctx, `SELECT reason FROM audit_event WHERE action = 'RECORD_CONSENT'`)
	require.NoError(t, err)
	for rows.Next() {
		var reason string
		require.NoError(t, rows.Scan(&reason))
		reasons = append(reasons, strings.TrimPrefix(reason, "consent "))
	}
	require.NoError(t, rows.Err())
	sort.Strings(reasons)
	for _, id := range told {
		i := sort.SearchStrings(reasons, id)
		require.True(t, i < len(reasons) && reasons[i] == id, "consent %s was confirmed but is not in the database", id)
	}
}

// TestGracefulShutdownUnderLoad stops the server while clients keep sending requests: every
// request the server began to handle is answered in full, and the clients of the others are
// told at once that the connection is gone.
func TestGracefulShutdownUnderLoad(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	srv, addr, stopServing := serveOnLoopback(t, env.Pool)
	url := "http://" + addr + "/graphql"

	var (
		answered  atomic.Int64 // complete answers
		refused   atomic.Int64 // connection refused or closed before the request was handled
		bad       = make(chan string, 100)
		wg        sync.WaitGroup
		stopAfter = time.Now().Add(30 * time.Second)
	)
	const body = `{"query":"{ organisations(first: 20) { totalCount edges { node { name } } } }"}`
	for range 6 {
		wg.Go(func() {
			client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{}}
			for time.Now().Before(stopAfter) {
				resp, err := client.Post(url, "application/json", strings.NewReader(body))
				if err != nil {
					var opErr *net.OpError
					if errors.As(err, &opErr) || errors.Is(err, io.EOF) || strings.Contains(err.Error(), "server closed idle connection") {
						refused.Add(1)
						if errors.As(err, &opErr) && opErr.Op == "dial" {
							return // the listener is closed: the server is gone
						}
						continue
					}
					bad <- err.Error()
					return
				}
				raw, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				var out struct {
					Data struct {
						Organisations struct{ TotalCount int } `json:"organisations"`
					} `json:"data"`
				}
				if err != nil || resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &out) != nil || out.Data.Organisations.TotalCount < 50 {
					bad <- fmt.Sprintf("incomplete answer (status %d, err %v): %.200s", resp.StatusCode, err, raw)
					return
				}
				answered.Add(1)
			}
		})
	}
	time.Sleep(2 * time.Second)
	before := answered.Load()
	require.NoError(t, stopServing())
	wg.Wait()
	close(bad)
	for msg := range bad {
		t.Error(msg)
	}
	require.Positive(t, before, "the load ran before the shutdown")

	// The server's own count of the requests it handled equals the complete answers received.
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	handled := metricValue(t, rec.Body.String(), `partnernet_http_requests_total{method="POST",route="/graphql",status="200"}`)
	require.Equal(t, answered.Load(), handled, "every request the server handled reached its client")
	t.Logf("answered %d requests (%d before shutdown began), %d turned away at the door", answered.Load(), before, refused.Load())
}

// metricValue reads one sample of the Prometheus text format.
func metricValue(t *testing.T, body, series string) int64 {
	t.Helper()
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			var n int64
			_, err := fmt.Sscan(v, &n)
			require.NoError(t, err)
			return n
		}
	}
	t.Fatalf("no sample %s", series)
	return 0
}
