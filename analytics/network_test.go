package analytics_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/analytics"
)

func count(n int) *int { return &n }

func TestBuildNetwork(t *testing.T) {
	t.Parallel()
	// A star around "hub" (co-organising with a, b and c), plus referrals a -> b: visible in
	// January, suppressed in February.
	in := analytics.NetworkInput{
		Organisations: []analytics.Organisation{{Slug: "a"}, {Slug: "b"}, {Slug: "c"}, {Slug: "hub"}, {Slug: "lonely"}},
		CoOrganised: []analytics.CoOrganised{
			{A: "hub", B: "a", Programme: "NAD", Month: "2026-01"},
			{A: "hub", B: "b", Programme: "NAD", Month: "2026-01"},
			{A: "c", B: "hub", Programme: "SHK", Month: "2026-02"},
		},
		Referrals: analytics.Table{Dimensions: []string{"MONTH", "FROM_ORGANISATION", "TO_ORGANISATION"}, Cells: []analytics.Published{
			{Key: []string{"2026-01", "a", "b"}, Count: count(7)},
			{Key: []string{"2026-02", "b", "a"}, Suppressed: true},
		}},
		Participation: analytics.Table{Cells: []analytics.Published{
			{Key: []string{"2026-01", "NAD", "hub"}, Count: count(30)},
			{Key: []string{"2026-02", "SHK", "hub"}, Suppressed: true},
		}},
	}
	tests := []struct {
		name        string
		filter      analytics.NetworkFilter
		edges       int
		hubDegree   int
		referrals   *int // of a-b; nil: suppressed
		hubReach    *int
		hubCentral  bool
		hubSuppress bool
	}{
		{"all", analytics.NetworkFilter{}, 4, 3, nil, nil, true, true},
		{"January: a and b refer much to each other", analytics.NetworkFilter{From: "2026-01", Until: "2026-01"}, 3, 2, count(7), count(30), false, false},
		{"NAD", analytics.NetworkFilter{Programme: "NAD"}, 3, 2, nil, count(30), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := analytics.BuildNetwork(in, tt.filter)
			require.Len(t, n.Edges, tt.edges)
			nodes := map[string]analytics.Node{}
			for _, node := range n.Nodes {
				nodes[node.Slug] = node
			}
			require.Len(t, nodes, 5)
			hub := nodes["hub"]
			require.Equal(t, tt.hubDegree, hub.Degree)
			require.Equal(t, 0, nodes["lonely"].Degree)
			require.Equal(t, tt.hubSuppress, hub.Participation.Suppressed)
			require.Equal(t, tt.hubReach, hub.Participation.Value)
			for _, e := range n.Edges {
				if e.A == "a" && e.B == "b" {
					require.Equal(t, tt.referrals, e.Referrals.Value)
					require.Equal(t, tt.referrals == nil, e.Referrals.Suppressed)
				}
				require.GreaterOrEqual(t, e.Weight, 1.0)
			}
			if tt.hubCentral {
				for slug, node := range nodes {
					if slug != "hub" {
						require.Greater(t, hub.PageRank, node.PageRank, slug)
						require.GreaterOrEqual(t, hub.Betweenness, node.Betweenness, slug)
					}
				}
			}
		})
	}
}
