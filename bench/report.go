package bench

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Markdown renders the report: the machine and data set, then one table row per workload.
func (r Report) Markdown() string {
	var b strings.Builder
	o := r.Options
	fmt.Fprintf(&b, "Machine: %s. Data set: %d newcomers, %d activities, %d enrolments, %d consent records",
		r.Machine, o.Set.Newcomers, o.Set.Activities, o.Set.Enrolments, o.Set.Consents)
	if r.Database != nil {
		fmt.Fprintf(&b, " (%.2f GiB on disk", float64(r.Database.Bytes)/(1<<30))
		if r.Database.Load > 0 {
			fmt.Fprintf(&b, ", loaded in %s", r.Database.Load.Round(time.Second))
		}
		b.WriteString(")")
	}
	fmt.Fprintf(&b, ". %d callers in flight, page size %d, %s per measurement.\n\n", o.Concurrency, o.Page, o.Duration)
	b.WriteString("| workload | req/s (peak) | p50 | p99 | PostGraphile req/s | p50 | p99 | vs PostGraphile | plain SQL req/s | p50 | p99 | vs SQL | p99 at 80% of peak | SQL statements/request (page size) | CPU per request, server + database: partnernet; PostGraphile; plain SQL | server RSS / Go heap | load avg |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, res := range r.Results {
		peer, peerP50, peerP99, vsPeer := "–", "–", "–", "–"
		if res.PeerPeak.OK > 0 {
			peer, peerP50, peerP99 = fmt.Sprintf("%.0f", res.PeerPeak.RPS()), ms(res.PeerPeak.P50), ms(res.PeerPeak.P99)
			vsPeer = fmt.Sprintf("%.2f×", res.Peak.RPS()/res.PeerPeak.RPS())
		}
		peerCPU := "–"
		if res.PeerPeak.OK > 0 {
			peerCPU = serverAndDatabase(res.PeerCPU)
		}
		fmt.Fprintf(&b, "| %s | %.0f | %s | %s | %s | %s | %s | %s | %.0f | %s | %s | %.0f%% | %s (%.0f/s) | %s | %s; %s; %.2f ms | %.0f / %.0f MiB | %s |\n",
			res.Workload, res.Peak.RPS(), ms(res.Peak.P50), ms(res.Peak.P99), peer, peerP50, peerP99, vsPeer,
			res.SQL.RPS(), ms(res.SQL.P50), ms(res.SQL.P99), 100*ratio(res.Peak.RPS(), res.SQL.RPS()),
			ms(res.At80.P99), res.At80.RPS(), res.statements(o.Page), serverAndDatabase(res.CPU), peerCPU,
			ms64(res.SQLCPU.Database), res.RSS/(1<<20), res.Heap/(1<<20), res.Load)
	}
	return b.String()
}

// statements lists the statements per request by page size.
func (res Result) statements(page int) string {
	by := map[int]float64{page: res.Statements}
	for p, n := range res.StatementsByPage {
		by[p] = n
	}
	pages := make([]int, 0, len(by))
	for p := range by {
		pages = append(pages, p)
	}
	slices.Sort(pages)
	if len(res.StatementsByPage) == 0 {
		return fmt.Sprintf("%.1f", res.Statements)
	}
	parts := make([]string, len(pages))
	for i, p := range pages {
		parts[i] = fmt.Sprintf("%.1f (%d)", by[p], p)
	}
	return strings.Join(parts, ", ")
}

// serverAndDatabase shows the server's and the database's CPU per request in milliseconds.
func serverAndDatabase(c CPU) string {
	return fmt.Sprintf("%.2f + %.2f", ms64(c.Server), ms64(c.Database))
}

// ratio is a / b, or 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// ms formats a latency in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
