package bench_test

import (
	"context"
	"encoding/json"
	"fmt"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/bench"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/seed"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestWorkloadsMatchTheirCeiling runs each workload once over the demo network, as its caller,
// and its plain SQL ceiling, which must read as many rows: a smoke test that keeps the
// benchmark's queries, callers and ceilings in step with the schema and the policy.
func TestWorkloadsMatchTheirCeiling(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := apitest.New(t)
	require.NoError(t, seed.LoadAnalyticsDemo(ctx, env.Store, seed.DefaultOptions().Seed), "enrolments for the analysts' aggregate")
	var ids bench.IDs
	for slug, id := range map[string]*int64{"malmo": &ids.Malmo, "abf": &ids.ABF} {
		org, err := env.Store.OrganisationGetBySlug(ctx, slug)
		require.NoError(t, err)
		*id = org.ID
	}
	const page = 7
	for _, w := range bench.Workloads() {
		t.Run(w.Name, func(t *testing.T) {
			p, purpose, vars := request(t, env, w, page)
			resp := env.DoFor(t, p, purpose, w.Query, vars)
			require.Empty(t, resp.Errors)
			var data map[string]any
			require.NoError(t, json.Unmarshal(resp.Data, &data))
			rows, err := bench.CountAt(data, w.Rows)
			require.NoError(t, err)
			ceiling, err := w.Ceiling(ctx, env.Pool, ids, page)
			require.NoError(t, err)
			require.Equal(t, rows, ceiling, "GraphQL and plain SQL read as many rows")
			if w.Name != "discovery" { // the demo network may hold no activity the filter selects
				require.Positive(t, rows)
			}
			if w.Paged {
				require.LessOrEqual(t, rows, page)
			}
		})
	}
}

// request returns the principal, purpose and variables of a workload's request at a page size.
func request(t testing.TB, env *apitest.Env, w bench.Workload, page int) (authz.Principal, partnernet.Purpose, map[string]any) {
	t.Helper()
	var p authz.Principal
	if w.Caller.Role != "" {
		role, err := authz.ParseRole(w.Caller.Role)
		require.NoError(t, err)
		org, err := env.Store.OrganisationGetBySlug(context.Background(), w.Caller.Organisation)
		require.NoError(t, err)
		p = authz.Principal{Subject: "bench-test", OrganisationID: org.ID, Roles: []authz.Role{role}}
	}
	vars := map[string]any{}
	for k, v := range w.Variables {
		vars[k] = v
	}
	if w.Paged {
		vars["first"] = page
	}
	return p, partnernet.Purpose(w.Caller.Purpose), vars
}

// BenchmarkWorkloads runs each workload once per iteration through the server's handler over the
// demo network (300 newcomers, 150 activities), as its caller, with the loaders' production
// batch window, and reports the SQL statements per request, the allocations and the process's
// CPU per request (cpu-ns/op: the server's and the test client's, without PostgreSQL's) next to
// the time. Run with: go test -run '^$' -bench Workloads -benchmem ./bench/
func BenchmarkWorkloads(b *testing.B) {
	env := apitest.New(b, apitest.WithLoaderWait(loaders.DefaultWait))
	for _, w := range bench.Workloads() {
		for _, page := range []int{5, 20} {
			if !w.Paged && page != 20 {
				continue
			}
			b.Run(fmt.Sprintf("%s/page=%d", w.Name, page), func(b *testing.B) {
				p, purpose, vars := request(b, env, w, page)
				var statements int64
				b.ReportAllocs()
				cpu := processCPU(b)
				for b.Loop() {
					resp := env.DoFor(b, p, purpose, w.Query, vars)
					if len(resp.Errors) > 0 {
						b.Fatalf("errors: %v", resp.Errors)
					}
					statements += resp.Statements
				}
				b.ReportMetric(float64(statements)/float64(b.N), "statements/op")
				b.ReportMetric(float64(processCPU(b)-cpu)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// processCPU is the CPU time this process has used so far, user and system, in nanoseconds: the
// server's side of a request (and the test client's), without the database's, which runs in
// processes of its own. It measures work where wall time per request mostly measures latency.
func processCPU(b *testing.B) int64 {
	b.Helper()
	var u syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &u))
	return u.Utime.Nano() + u.Stime.Nano()
}
