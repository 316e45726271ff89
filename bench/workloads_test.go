package bench_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/bench"
	"github.com/partnerskap-skane/partnernet/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestWorkloadsMatchTheirCeiling runs each workload once over the demo network, as its caller,
// and its plain SQL ceiling, which must read as many rows: a smoke test that keeps the
// benchmark's queries, callers and ceilings in step with the schema and the policy.
func TestWorkloadsMatchTheirCeiling(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := apitest.New(t)
	var ids bench.IDs
	for slug, id := range map[string]*int64{"malmo": &ids.Malmo, "abf": &ids.ABF} {
		org, err := env.Store.OrganisationGetBySlug(ctx, slug)
		require.NoError(t, err)
		*id = org.ID
	}
	const page = 7
	for _, w := range bench.Workloads() {
		t.Run(w.Name, func(t *testing.T) {
			var p authz.Principal
			if w.Caller.Role != "" {
				role, err := authz.ParseRole(w.Caller.Role)
				require.NoError(t, err)
				org, err := env.Store.OrganisationGetBySlug(ctx, w.Caller.Organisation)
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
			resp := env.DoFor(t, p, partnernet.Purpose(w.Caller.Purpose), w.Query, vars)
			require.Empty(t, resp.Errors)
			var data map[string]any
			require.NoError(t, json.Unmarshal(resp.Data, &data))
			rows, err := bench.CountAt(data, w.Rows)
			require.NoError(t, err)
			ceiling, err := w.Ceiling(ctx, env.Store, ids, page)
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
