package bench

import (
	"bufio"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Stats summarise one measurement: how many calls succeeded and failed over how long, and the
// latencies of the successful ones.
type Stats struct {
	// OK and Failed count the calls.
	OK, Failed int
	// Elapsed is how long the measurement ran.
	Elapsed time.Duration
	// P50 and P99 are latency percentiles of the successful calls (nearest rank).
	P50, P99 time.Duration
}

// RPS is the rate of successful calls per second.
func (s Stats) RPS() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.OK) / s.Elapsed.Seconds()
}

// Summarise makes the Stats of a measurement from the latencies of its successful calls, its
// failed calls and how long it ran.
func Summarise(latencies []time.Duration, failed int, elapsed time.Duration) Stats {
	s := Stats{OK: len(latencies), Failed: failed, Elapsed: elapsed}
	if len(latencies) == 0 {
		return s
	}
	sorted := slices.Clone(latencies)
	slices.Sort(sorted)
	s.P50, s.P99 = percentile(sorted, 50), percentile(sorted, 99)
	return s
}

// percentile returns the p-th percentile of sorted latencies by the nearest-rank method.
func percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[max(rank, 1)-1]
}

// Sample is what the benchmark reads from the server's /metrics at one moment.
type Sample struct {
	// Operations counts the GraphQL operations run (partnernet_graphql_operations_total).
	Operations float64
	// Statements counts the SQL statements sent (partnernet_db_statements_total).
	Statements float64
	// RSS is the resident memory of the process (process_resident_memory_bytes).
	RSS float64
	// Heap is the Go heap in use (go_memstats_heap_inuse_bytes).
	Heap float64
}

// ParseMetrics reads a Sample from the Prometheus text format, summing the series of each
// metric over their labels. A missing metric stays zero; partnernet_db_statements_total must be
// there.
func ParseMetrics(text string) (Sample, error) {
	var s Sample
	seen := false
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		name, rest, ok := strings.Cut(line, " ")
		if i := strings.IndexByte(line, '{'); i >= 0 && i < len(name) {
			name = line[:i]
			j := strings.LastIndexByte(line, '}')
			if j < 0 {
				return s, fmt.Errorf("metrics: bad line %q", line)
			}
			rest, ok = strings.TrimSpace(line[j+1:]), true
		}
		if !ok {
			continue
		}
		value, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
		var target *float64
		switch name {
		case "partnernet_graphql_operations_total":
			target = &s.Operations
		case "partnernet_db_statements_total":
			target, seen = &s.Statements, true
		case "process_resident_memory_bytes":
			target = &s.RSS
		case "go_memstats_heap_inuse_bytes":
			target = &s.Heap
		default:
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return s, fmt.Errorf("metrics: %s: %w", name, err)
		}
		*target += v
	}
	if err := sc.Err(); err != nil {
		return s, fmt.Errorf("metrics: %w", err)
	}
	if !seen {
		return s, fmt.Errorf("metrics: no partnernet_db_statements_total; is the server's pool counting statements?")
	}
	return s, nil
}

// PerOperation is the statements per GraphQL operation between two samples.
func PerOperation(before, after Sample) float64 {
	ops := after.Operations - before.Operations
	if ops <= 0 {
		return 0
	}
	return (after.Statements - before.Statements) / ops
}
