package bench

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/lestrrat-go/jwx/v3/jwk"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/store"
)

// Options configure a benchmark run.
type Options struct {
	// DataDir holds the benchmark's PostgreSQL cluster and signing key.
	DataDir string
	// Binary is the partnernet binary run as the server.
	Binary string
	// Duration is how long each measurement runs.
	Duration time.Duration
	// Concurrency is how many requests, or plain SQL callers, are in flight at once.
	Concurrency int
	// Page is the page size of the paged workloads.
	Page int
	// Only, when set, runs only the workloads whose names contain it.
	Only string
	// PoolSize, when positive, is the database connections of the server, of the peer and of the
	// ceiling.
	PoolSize int
	// PeerDir, when set, is the folder of the peer (bench/postgraphile, installed): the shared
	// workloads are then measured against PostGraphile too, interleaved with partnernet.
	PeerDir string
	// Set is the data set loaded.
	Set seed.Options
}

// Result is one workload's measurements.
type Result struct {
	// Workload names it.
	Workload string
	// Peak is the GraphQL workload run as fast as Concurrency callers go.
	Peak Stats
	// At80 is the GraphQL workload paced at 80% of Peak's rate.
	At80 Stats
	// SQL is the plain SQL ceiling run as fast as Concurrency callers go.
	SQL Stats
	// PeerPeak is the peer's peak on the same read, measured in rounds interleaved with Peak's;
	// zero without a peer.
	PeerPeak Stats
	// Statements are the SQL statements per request during Peak.
	Statements float64
	// StatementsByPage are the statements per request at other page sizes, by page size.
	StatementsByPage map[int]float64
	// CPU and PeerCPU are the processor time per request of Peak and of PeerPeak: the GraphQL
	// server's, the database's and the load generator's.
	CPU, PeerCPU CPU
	// SQLCPU is the processor time per call of the plain SQL ceiling: the database's, and the
	// load generator's, whose goroutines make the calls.
	SQLCPU CPU
	// RSS and Heap are the server's resident memory and Go heap in use after Peak, in bytes.
	RSS, Heap float64
	// Rows and CeilingRows are the rows of one page by GraphQL and by plain SQL.
	Rows, CeilingRows int
	// Load is the machine's one-minute load average after the measurements, which shows whether
	// other work shared the cores.
	Load string
}

// Report is a run's results with what it ran on.
type Report struct {
	// Options are the run's options.
	Options Options
	// Machine describes the machine it ran on.
	Machine string
	// Results are the workloads' measurements, in order.
	Results []Result
	// Database is the database measured: its size and how long its load took.
	Database *Database
}

// Run starts the server on the loaded database and measures every workload.
func Run(ctx context.Context, db *Database, o Options, log io.Writer) (Report, error) {
	report := Report{Options: o, Machine: machine(), Database: db}
	keyFile := filepath.Join(o.DataDir, "signing-key.jwk")
	key, err := authn.LoadOrCreateKey(keyFile)
	if err != nil {
		return report, err
	}
	srv, err := startServer(ctx, o.Binary, db.URL, keyFile, log)
	if err != nil {
		return report, err
	}
	defer srv.stop()
	var peer *server
	if o.PeerDir != "" {
		if peer, err = startPeer(ctx, o.PeerDir, db.Pool, db.URL, cmp.Or(o.PoolSize, defaultPeerPool), log); err != nil {
			return report, err
		}
		defer peer.stop()
	}
	st := store.New(db.Pool)
	var ids IDs
	for slug, id := range map[string]*int64{"malmo": &ids.Malmo, "abf": &ids.ABF} {
		org, err := st.OrganisationGetBySlug(ctx, slug)
		if err != nil {
			return report, fmt.Errorf("look up %s: %w", slug, err)
		}
		*id = org.ID
	}
	for _, w := range Workloads() {
		if o.Only != "" && !strings.Contains(w.Name, o.Only) {
			continue
		}
		fmt.Fprintf(log, "== %s\n", w.Name)
		r, err := measure(ctx, srv, peer, key, db.Pool, ids, w, o, log)
		if err != nil {
			return report, fmt.Errorf("%s: %w", w.Name, err)
		}
		report.Results = append(report.Results, r)
	}
	return report, nil
}

// defaultPeerPool is the peer's pool when Options.PoolSize leaves it open: PostGraphile's own
// default.
const defaultPeerPool = 10

// peerRounds is how many alternating rounds partnernet's and the peer's peaks are measured in, so
// that whatever else the machine does falls on both alike.
const peerRounds = 4

// measure runs one workload: a check of its answer (against the peer's, when it has one), a
// warm-up, its peak (interleaved with the peer's), its p99 at 80% of the peak, the plain SQL
// ceiling and the statements per request at other page sizes.
func measure(ctx context.Context, srv, peer *server, key jwk.Key, pool *pgxpool.Pool, ids IDs, w Workload, o Options, log io.Writer) (Result, error) {
	r := Result{Workload: w.Name, StatementsByPage: map[int]float64{}}
	header, err := callerHeader(key, w.Caller)
	if err != nil {
		return r, err
	}
	target := func(page int) (vegeta.Target, error) {
		body, err := json.Marshal(map[string]any{"query": w.Query, "variables": pageVars(w, page)})
		return vegeta.Target{Method: http.MethodPost, URL: srv.url + "/graphql", Body: body, Header: header}, err
	}
	tgt, err := target(o.Page)
	if err != nil {
		return r, err
	}
	if r.Rows, err = checkAnswer(ctx, tgt, w.Rows); err != nil {
		return r, err
	}
	if r.CeilingRows, err = w.Ceiling(ctx, pool, ids, o.Page); err != nil {
		return r, err
	}
	if r.Rows != r.CeilingRows {
		fmt.Fprintf(log, "warning: %s: GraphQL read %d rows, plain SQL %d\n", w.Name, r.Rows, r.CeilingRows)
	}
	var peerTgt *vegeta.Target
	if peer != nil && w.Peer != nil {
		body, err := json.Marshal(map[string]any{"query": w.Peer.Query, "variables": pageVars(w, o.Page)})
		if err != nil {
			return r, err
		}
		peerTgt = &vegeta.Target{Method: http.MethodPost, URL: peer.url + "/graphql", Body: body,
			Header: http.Header{"Content-Type": {"application/json"}}}
		if err := compareWithPeer(ctx, tgt, *peerTgt); err != nil {
			return r, err
		}
		attack(*peerTgt, o.Concurrency, 0, min(o.Duration, 3*time.Second)) // warm up
	}
	attack(tgt, o.Concurrency, 0, min(o.Duration, 3*time.Second)) // warm up
	before, err := srv.sample(ctx)
	if err != nil {
		return r, err
	}
	var ours, theirs rounds
	if peerTgt == nil {
		ours.metered(srv.pid(), tgt, o.Concurrency, o.Duration)
	} else {
		for range peerRounds {
			ours.metered(srv.pid(), tgt, o.Concurrency, o.Duration/peerRounds)
			theirs.metered(peer.pid(), *peerTgt, o.Concurrency, o.Duration/peerRounds)
		}
		r.PeerPeak, r.PeerCPU = theirs.stats(), theirs.cpu.Per(len(theirs.latencies))
		fmt.Fprintf(log, "peer: %.0f/s p50 %s p99 %s, %d failed, CPU per request %s\n", r.PeerPeak.RPS(), r.PeerPeak.P50, r.PeerPeak.P99, r.PeerPeak.Failed, r.PeerCPU)
	}
	r.Peak, r.CPU = ours.stats(), ours.cpu.Per(len(ours.latencies))
	after, err := srv.sample(ctx)
	if err != nil {
		return r, err
	}
	r.Statements, r.RSS, r.Heap = PerOperation(before, after), after.RSS, after.Heap
	fmt.Fprintf(log, "peak: %.0f/s p50 %s p99 %s, %d failed, %.1f statements/request, CPU per request %s\n", r.Peak.RPS(), r.Peak.P50, r.Peak.P99, r.Peak.Failed, r.Statements, r.CPU)
	if rate := int(0.8 * r.Peak.RPS()); rate > 0 {
		r.At80 = attack(tgt, o.Concurrency*4, rate, o.Duration)
		fmt.Fprintf(log, "at 80%%: %.0f/s p50 %s p99 %s, %d failed\n", r.At80.RPS(), r.At80.P50, r.At80.P99, r.At80.Failed)
	}
	cpuBefore := readCPU(srv.pid())
	r.SQL = ceiling(ctx, o.Concurrency, o.Duration, func(ctx context.Context) error {
		_, err := w.Ceiling(ctx, pool, ids, o.Page)
		return err
	})
	r.SQLCPU = readCPU(srv.pid()).Since(cpuBefore).Per(r.SQL.OK)
	r.SQLCPU.Server = 0 // the ceiling's callers are the load generator's goroutines: no server
	fmt.Fprintf(log, "plain SQL: %.0f/s p50 %s p99 %s, %d failed, CPU per request %s\n", r.SQL.RPS(), r.SQL.P50, r.SQL.P99, r.SQL.Failed, r.SQLCPU)
	r.Load = loadAverage()
	if w.Paged {
		for _, page := range []int{o.Page / 4, o.Page * 2} {
			tgt, err := target(max(page, 1))
			if err != nil {
				return r, err
			}
			before, err := srv.sample(ctx)
			if err != nil {
				return r, err
			}
			attack(tgt, 1, 0, time.Second)
			after, err := srv.sample(ctx)
			if err != nil {
				return r, err
			}
			r.StatementsByPage[max(page, 1)] = PerOperation(before, after)
		}
	}
	return r, nil
}

// pageVars are a workload's variables with its page size as $first, for a paged workload.
func pageVars(w Workload, page int) map[string]any {
	vars := map[string]any{}
	for k, v := range w.Variables {
		vars[k] = v
	}
	if w.Paged {
		vars["first"] = page
	}
	return vars
}

// compareWithPeer requires that partnernet and the peer answer a workload with the same rows.
func compareWithPeer(ctx context.Context, ours, peer vegeta.Target) error {
	a, err := fetch(ctx, ours)
	if err != nil {
		return err
	}
	b, err := fetch(ctx, peer)
	if err != nil {
		return err
	}
	if bytes.Contains(b, []byte(`"errors"`)) {
		return fmt.Errorf("the peer answers with errors: %s", b)
	}
	return sameRows(a, b)
}

// rounds collects the latencies and CPU time of a measurement taken in several rounds.
type rounds struct {
	latencies []time.Duration
	failed    int
	elapsed   time.Duration
	cpu       CPU
}

// metered adds a round of attack on t, and the CPU time that the server process pid, the
// database and the load generator spent in it.
func (r *rounds) metered(pid int, t vegeta.Target, workers int, d time.Duration) {
	before := readCPU(pid)
	r.add(attackLatencies(t, workers, 0, d))
	r.cpu = r.cpu.Add(readCPU(pid).Since(before))
}

// add adds one round.
func (r *rounds) add(latencies []time.Duration, failed int, elapsed time.Duration) {
	r.latencies, r.failed, r.elapsed = append(r.latencies, latencies...), r.failed+failed, r.elapsed+elapsed
}

// stats summarises the rounds as one measurement.
func (r *rounds) stats() Stats { return Summarise(r.latencies, r.failed, r.elapsed) }

// callerHeader returns the headers of a workload's requests: a token minted for its caller and
// its purpose.
func callerHeader(key jwk.Key, c Caller) (http.Header, error) {
	h := http.Header{"Content-Type": {"application/json"}, "Accept": {"application/graphql-response+json"}}
	if c.Role == "" {
		return h, nil
	}
	token, err := authn.Mint(key, authn.DefaultIssuer, authn.DefaultAudience, authn.Claims{
		Subject: "bench:" + c.Role + "@" + c.Organisation, Organisation: c.Organisation, Roles: []string{c.Role}, TTL: 2 * time.Hour,
	})
	if err != nil {
		return nil, err
	}
	h.Set("Authorization", "Bearer "+token)
	if c.Purpose != "" {
		h.Set("Partnernet-Purpose", c.Purpose)
	}
	return h, nil
}

// checkAnswer sends one request and returns the number of items at path in its data, failing
// on any GraphQL error.
func checkAnswer(ctx context.Context, t vegeta.Target, path []string) (int, error) {
	req, err := t.Request()
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var body struct {
		Data   map[string]any   `json:"data"`
		Errors []map[string]any `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, fmt.Errorf("decode the answer: %w", err)
	}
	if len(body.Errors) > 0 {
		return 0, fmt.Errorf("the answer has errors: %v", body.Errors)
	}
	return CountAt(body.Data, path)
}

// CountAt returns the length of the list at path in a decoded JSON value.
func CountAt(v any, path []string) (int, error) {
	for _, key := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return 0, fmt.Errorf("no object at %q", key)
		}
		v = m[key]
	}
	list, ok := v.([]any)
	if !ok {
		return 0, fmt.Errorf("no list at %s", strings.Join(path, "."))
	}
	return len(list), nil
}

// attack sends t with vegeta for d: as fast as workers go when rate is 0, else paced at rate
// per second with up to workers in flight. A response that is not 200 or carries a GraphQL
// error counts as failed.
func attack(t vegeta.Target, workers, rate int, d time.Duration) Stats {
	return Summarise(attackLatencies(t, workers, rate, d))
}

// attackLatencies is attack, returning the latencies of the successful calls, the failed calls
// and how long it ran.
func attackLatencies(t vegeta.Target, workers, rate int, d time.Duration) ([]time.Duration, int, time.Duration) {
	opts := []func(*vegeta.Attacker){
		vegeta.Workers(uint64(workers)), vegeta.MaxWorkers(uint64(workers)), vegeta.Connections(workers),
		vegeta.KeepAlive(true), vegeta.Timeout(30 * time.Second),
	}
	if rate > 0 {
		opts[0] = vegeta.Workers(uint64(max(1, workers/4)))
	}
	a := vegeta.NewAttacker(opts...)
	var latencies []time.Duration
	failed := 0
	start := time.Now()
	for res := range a.Attack(vegeta.NewStaticTargeter(t), vegeta.Rate{Freq: rate, Per: time.Second}, d, "bench") {
		if res.Code != http.StatusOK || res.Error != "" || bytes.Contains(res.Body, []byte(`"errors"`)) {
			failed++
			continue
		}
		latencies = append(latencies, res.Latency)
	}
	return latencies, failed, time.Since(start)
}

// ceiling runs call with workers callers in a closed loop for d.
func ceiling(ctx context.Context, workers int, d time.Duration, call func(context.Context) error) Stats {
	var mu sync.Mutex
	var latencies []time.Duration
	failed := 0
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var mine []time.Duration
			bad := 0
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t := time.Now()
				if err := call(ctx); err != nil {
					bad++
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			latencies, failed = append(latencies, mine...), failed+bad
			mu.Unlock()
		})
	}
	wg.Wait()
	return Summarise(latencies, failed, time.Since(start))
}

// server is the partnernet server the benchmark runs, as a process of its own.
type server struct {
	cmd  *exec.Cmd
	url  string
	done chan error
}

// startServer runs `partnernet serve` on a free loopback port against the database, without
// rate limits, and waits until it is ready.
func startServer(ctx context.Context, binary, dbURL, keyFile string, log io.Writer) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("find a free port: %w", err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	cmd := exec.Command(binary, "serve", "--addr", addr)
	// No notice delivery: the worker's polling of the outbox would count among the statements of
	// the requests measured.
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "PARTNERNET_SIGNING_KEY="+keyFile,
		"PARTNERNET_RATE_PER_IP=0", "PARTNERNET_RATE_PER_PRINCIPAL=0", "PARTNERNET_LOG_LEVEL=warn",
		"PARTNERNET_NO_NOTICE_DELIVERY=true",
		"PARTNERNET_RETENTION=0", "OTEL_EXPORTER_OTLP_ENDPOINT=", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", binary, err)
	}
	s := &server{cmd: cmd, url: "http://" + addr, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("the server stopped: %w", err)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, errors.New("the server did not get ready within a minute")
		}
	}
}

// pid is the server's process ID.
func (s *server) pid() int { return s.cmd.Process.Pid }

// sample reads the server's metrics.
func (s *server) sample(ctx context.Context) (Sample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/metrics", nil)
	if err != nil {
		return Sample{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Sample{}, fmt.Errorf("read metrics: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return Sample{}, fmt.Errorf("read metrics: %w", err)
	}
	return ParseMetrics(string(b))
}

// stop stops the server gracefully and waits for it; how it exited is of no interest then.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		_ = err
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		err := <-s.done
		_ = err
	}
}

// loadAverage returns the one-minute load average, or "?" where the system does not tell.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	first, _, _ := strings.Cut(string(b), " ")
	return first
}

// machine describes the machine the benchmark runs on.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	return fmt.Sprintf("%d cores (%s), %s/%s, %s", runtime.NumCPU(), model, runtime.GOOS, runtime.GOARCH, runtime.Version())
}
