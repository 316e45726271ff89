package resolvers_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
)

// BenchmarkListWorkloads measures the benchmark's list workloads through the HTTP handler on the
// demo data, a page of 20: time, allocations and statements per request, for profiling the hot
// path (go test -bench ListWorkloads -cpuprofile / -memprofile).
func BenchmarkListWorkloads(b *testing.B) {
	env := apitest.New(b)
	for _, w := range listWorkloads(b, env) {
		b.Run(w.name, func(b *testing.B) {
			vars := map[string]any{"n": 20}
			require.Empty(b, env.DoFor(b, w.principal, w.purpose, w.query, vars).Errors)
			var statements int64
			b.ReportAllocs()
			for b.Loop() {
				statements += env.DoFor(b, w.principal, w.purpose, w.query, vars).Statements
			}
			b.ReportMetric(float64(statements)/float64(b.N), "statements/op")
		})
	}
}
