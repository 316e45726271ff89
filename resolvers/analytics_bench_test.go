package resolvers_test

import (
	"testing"

	"github.com/partnerskap-skane/partnernet/authz"
)

// BenchmarkAnalyticsAggregate measures the analysts' aggregate of the benchmark's workload
// (ENROLMENTS by MONTH and PROGRAMME) over the demo data, with the facts and their protected
// tables cached as in production: what one request costs once the family is computed. Run with:
// go test -run '^$' -bench AnalyticsAggregate ./resolvers/
func BenchmarkAnalyticsAggregate(b *testing.B) {
	env := analyticsEnv(b)
	org, err := env.Store.OrganisationGetBySlug(b.Context(), "malmo-universitet")
	if err != nil {
		b.Fatal(err)
	}
	analyst := authz.Principal{Subject: "bench", OrganisationID: org.ID, Roles: []authz.Role{authz.RoleAnalyst}}
	vars := map[string]any{"m": "ENROLMENTS", "d": []string{"MONTH", "PROGRAMME"}}
	for b.Loop() {
		resp := env.Do(b, analyst, analyticsQuery, vars)
		if len(resp.Errors) > 0 {
			b.Fatalf("errors: %v", resp.Errors)
		}
	}
}
