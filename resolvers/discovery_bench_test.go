package resolvers_test

import (
	"testing"

	"github.com/partnerskap-skane/partnernet/apitest"
)

// BenchmarkDiscovery measures one discovery page over the demo network: ranked full text,
// distance, a language and the nested organiser, co-organisers, next occurrences and
// availability. Run with: go test -run '^$' -bench Discovery ./resolvers/
func BenchmarkDiscovery(b *testing.B) {
	env := apitest.New(b)
	queries := []struct {
		name   string
		filter map[string]any
	}{
		{"full text", map[string]any{"text": "fotboll familj"}},
		{"near Malmö", map[string]any{"near": map[string]any{"latitude": 55.605, "longitude": 13.004, "radiusKm": 25}}},
		{"language and dates", map[string]any{"languages": []string{"ar"}, "occursFrom": "2026-11-01T00:00:00Z", "occursUntil": "2027-01-01T00:00:00Z"}},
	}
	const query = `query($filter: ActivityFilter) { activities(first: 20, filter: $filter) { totalCount edges { node {
	  title organiser { name } coOrganisers { name } nextOccurrences(first: 3) { startsAt } availability } } } }`
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				resp := env.Do(b, anonymous, query, map[string]any{"filter": q.filter})
				if len(resp.Errors) > 0 {
					b.Fatalf("errors: %v", resp.Errors)
				}
			}
		})
	}
}
