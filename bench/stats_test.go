package bench_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/bench"
)

func TestSummarise(t *testing.T) {
	t.Parallel()
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // 100 ms down to 1 ms, unsorted
	}
	tests := []struct {
		name      string
		latencies []time.Duration
		failed    int
		elapsed   time.Duration
		want      bench.Stats
		rps       float64
	}{
		{"none", nil, 3, time.Second, bench.Stats{Failed: 3, Elapsed: time.Second}, 0},
		{"one", ms(7), 0, 2 * time.Second, bench.Stats{OK: 1, Elapsed: 2 * time.Second, P50: 7 * time.Millisecond, P99: 7 * time.Millisecond}, 0.5},
		{"odd count", ms(5, 1, 3), 1, time.Second, bench.Stats{OK: 3, Failed: 1, Elapsed: time.Second, P50: 3 * time.Millisecond, P99: 5 * time.Millisecond}, 3},
		{"a hundred", ms(hundred...), 0, 10 * time.Second, bench.Stats{OK: 100, Elapsed: 10 * time.Second, P50: 50 * time.Millisecond, P99: 99 * time.Millisecond}, 10},
		{"no time", ms(1), 0, 0, bench.Stats{OK: 1, P50: time.Millisecond, P99: time.Millisecond}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := bench.Summarise(tt.latencies, tt.failed, tt.elapsed)
			require.Equal(t, tt.want, got)
			require.InDelta(t, tt.rps, got.RPS(), 1e-9)
		})
	}
}

func TestParseMetrics(t *testing.T) {
	t.Parallel()
	const text = `# HELP partnernet_graphql_operations_total GraphQL operations run.
# TYPE partnernet_graphql_operations_total counter
partnernet_graphql_operations_total{outcome="ok",type="query"} 90
partnernet_graphql_operations_total{outcome="error",type="query"} 10
partnernet_db_statements_total 412
process_resident_memory_bytes 5.24288e+07
go_memstats_heap_inuse_bytes 1.048576e+07
partnernet_db_pool_acquires_total 7
`
	s, err := bench.ParseMetrics(text)
	require.NoError(t, err)
	require.Equal(t, bench.Sample{Operations: 100, Statements: 412, RSS: 52428800, Heap: 10485760}, s)
	require.InDelta(t, 2.5, bench.PerOperation(bench.Sample{Operations: 20, Statements: 212}, s), 1e-9)
	require.Zero(t, bench.PerOperation(s, s), "no operations, no ratio")

	_, err = bench.ParseMetrics(strings.ReplaceAll(text, "partnernet_db_statements_total 412\n", ""))
	require.ErrorContains(t, err, "partnernet_db_statements_total", "a server that does not count statements")
	_, err = bench.ParseMetrics("partnernet_db_statements_total many\n")
	require.Error(t, err)
}

func TestCountAt(t *testing.T) {
	t.Parallel()
	data := map[string]any{"organisation": map[string]any{"activities": map[string]any{"edges": []any{1, 2, 3}}}}
	n, err := bench.CountAt(data, []string{"organisation", "activities", "edges"})
	require.NoError(t, err)
	require.Equal(t, 3, n)
	_, err = bench.CountAt(data, []string{"organisation", "nope"})
	require.Error(t, err)
	_, err = bench.CountAt(map[string]any{"organisation": nil}, []string{"organisation", "activities"})
	require.Error(t, err)
}

func TestMarkdown(t *testing.T) {
	t.Parallel()
	r := bench.Report{
		Options: bench.Options{Concurrency: 16, Page: 20, Duration: 10 * time.Second, Set: bench.DataSet()},
		Machine: "2 cores",
		Results: []bench.Result{{
			Workload:   "category",
			Peak:       bench.Stats{OK: 5000, Elapsed: 10 * time.Second, P50: 3 * time.Millisecond, P99: 9 * time.Millisecond},
			PeerPeak:   bench.Stats{OK: 2000, Elapsed: 10 * time.Second, P50: 8 * time.Millisecond, P99: 20 * time.Millisecond},
			At80:       bench.Stats{OK: 4000, Elapsed: 10 * time.Second, P99: 6 * time.Millisecond},
			SQL:        bench.Stats{OK: 8000, Elapsed: 10 * time.Second, P50: 2 * time.Millisecond, P99: 5 * time.Millisecond},
			Statements: 2, RSS: 64 << 20, Heap: 16 << 20, Load: "2.00",
			CPU:     bench.CPU{Server: 900 * time.Microsecond, Database: 1200 * time.Microsecond},
			PeerCPU: bench.CPU{Server: 2100 * time.Microsecond, Database: 800 * time.Microsecond},
			SQLCPU:  bench.CPU{Database: 500 * time.Microsecond},
		}, {
			Workload:   "discovery",
			Peak:       bench.Stats{OK: 3000, Elapsed: 10 * time.Second, P50: 20 * time.Millisecond, P99: 40 * time.Millisecond},
			At80:       bench.Stats{OK: 2400, Elapsed: 10 * time.Second, P99: 30 * time.Millisecond},
			SQL:        bench.Stats{OK: 4000, Elapsed: 10 * time.Second, P50: 15 * time.Millisecond, P99: 25 * time.Millisecond},
			Statements: 6, StatementsByPage: map[int]float64{5: 6, 40: 6},
			RSS: 64 << 20, Heap: 16 << 20, Load: "2.10",
		}},
	}
	md := r.Markdown()
	require.Contains(t, md, "150000 newcomers, 30000 activities, 1500000 enrolments, 400000 consent records")
	require.Contains(t, md, "| category | 500 | 3.0 ms | 9.0 ms | 200 | 8.0 ms | 20.0 ms | 2.50× | 800 | 2.0 ms | 5.0 ms | 62% | 6.0 ms (400/s) | 2.0 | 0.90 + 1.20; 2.10 + 0.80; 0.50 ms | 64 / 16 MiB | 2.00 |")
	require.Contains(t, md, "| discovery | 300 | 20.0 ms | 40.0 ms | – | – | – | – | 400 | 15.0 ms | 25.0 ms | 75% | 30.0 ms (240/s) | 6.0 (5), 6.0 (20), 6.0 (40) | 0.00 + 0.00; –; 0.00 ms | 64 / 16 MiB | 2.10 |", "no peer: dashes")
}
