package bench_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/bench"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/server"
)

// loopbackServer serves partnernet over loopback on the benchmark cluster in the folder the
// environment variable dirVar names, loaded with set the first time (and reused after), and
// returns it with the key its local tokens are signed with. Without the variable it skips b.
func loopbackServer(b *testing.B, dirVar string, set seed.Options) (*httptest.Server, jwk.Key) {
	b.Helper()
	dir := os.Getenv(dirVar)
	if dir == "" {
		b.Skipf("set %s to a folder for the benchmark's PostgreSQL cluster", dirVar)
	}
	ctx := context.Background()
	db, err := bench.OpenDatabase(ctx, dir, set, 0, os.Stderr)
	require.NoError(b, err)
	b.Cleanup(func() { require.NoError(b, db.Close(context.Background())) })
	key, err := authn.GenerateKey()
	require.NoError(b, err)
	srvCtx, cancel := context.WithCancel(ctx)
	b.Cleanup(cancel)
	srv, err := server.New(srvCtx, server.Config{Pool: db.Pool, Auth: authn.Config{LocalKey: key},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(b, err)
	<-srv.PolicyReady()
	web := httptest.NewServer(srv.Handler())
	b.Cleanup(web.Close)
	return web, key
}

// reportLatency sends the i-th request once per iteration of b, one at a time, and reports the
// latency's p50 and p99 in milliseconds.
func reportLatency(b *testing.B, request func(i int)) {
	b.Helper()
	took := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		request(i)
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	at := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
