package analytics

import (
	"slices"
	"strings"

	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
)

// Count is a published count: its value, or nil and Suppressed.
type Count struct {
	Value      *int
	Suppressed bool
}

// sum adds up the selected cells of a protected table: suppressed when any of them is, so that
// the result is a function of published cells only and differencing two periods or programmes
// gives nothing away.
func sum(t Table, keep func(key []string) bool) Count {
	n := 0
	for _, c := range t.Cells {
		if !keep(c.Key) {
			continue
		}
		if c.Suppressed {
			return Count{Suppressed: true}
		}
		n += *c.Count
	}
	return Count{Value: &n}
}

// present reports whether any selected cell exists, published or suppressed.
func present(t Table, keep func(key []string) bool) bool {
	return slices.ContainsFunc(t.Cells, func(c Published) bool { return keep(c.Key) })
}

// Organisation is a node of the network: an organisation's slug and name.
type Organisation struct {
	Slug, Name string
}

// CoOrganised is an activity two organisations organise together (public data).
type CoOrganised struct {
	A, B             string // slugs
	Programme, Month string
}

// NetworkInput is what the network is built from: the organisations and the protected tables
// of the cooperation between them.
type NetworkInput struct {
	Organisations []Organisation
	// Participation is the protected table of enrolments by MONTH, PROGRAMME and ORGANISER.
	Participation Table
	// Referrals is the protected table of referrals by MONTH, FROM_ORGANISATION and
	// TO_ORGANISATION.
	Referrals Table
	// Shared is the protected table of newcomers enrolled with two organisations in one
	// programme and month, by MONTH, PROGRAMME and pair ("a|b", slugs in order).
	Shared Table
	// CoOrganised lists the co-organised activities.
	CoOrganised []CoOrganised
}

// NetworkFilter narrows the network to a programme ("" for all) and to the months from From to
// Until, inclusive, as YYYY-MM ("" for open ends). Referrals belong to no programme: they count
// whatever the programme.
type NetworkFilter struct {
	Programme, From, Until string
}

// inPeriod reports whether month is within the filter's period.
func (f NetworkFilter) inPeriod(month string) bool {
	return (f.From == "" || month >= f.From) && (f.Until == "" || month <= f.Until)
}

// inProgramme reports whether programme passes the filter.
func (f NetworkFilter) inProgramme(programme string) bool {
	return f.Programme == "" || programme == f.Programme
}

// Node is an organisation in the network with its centrality.
type Node struct {
	Organisation
	// Participation counts enrolments in the organisation's activities.
	Participation Count
	// Degree is the number of organisations it cooperates with.
	Degree int
	// Betweenness is its betweenness centrality (Brandes): how many shortest paths between
	// other organisations pass through it.
	Betweenness float64
	// PageRank is its PageRank in the cooperation graph, edges weighted (damping 0.85).
	PageRank float64
}

// Edge is the cooperation of two organisations.
type Edge struct {
	// A and B are the organisations' slugs, A < B.
	A, B string
	// CoOrganisedActivities counts activities they organise together.
	CoOrganisedActivities int
	// Referrals counts referrals between them, either way.
	Referrals Count
	// SharedParticipants counts newcomers enrolled with both in one programme and month.
	SharedParticipants Count
	// Weight is 1 plus every published count of the edge: how strongly they cooperate.
	Weight float64
}

// Network is the partner network of a filter.
type Network struct {
	Nodes []Node
	Edges []Edge
}

// BuildNetwork builds the network of the filter from in, and computes each node's degree,
// betweenness and PageRank over its edges. Every count is a sum of published cells.
func BuildNetwork(in NetworkInput, f NetworkFilter) Network {
	type pair struct{ a, b string }
	order := func(a, b string) pair {
		if b < a {
			a, b = b, a
		}
		return pair{a, b}
	}
	known := map[string]bool{}
	for _, o := range in.Organisations {
		known[o.Slug] = true
	}
	edges := map[pair]*Edge{}
	edge := func(p pair) *Edge {
		e := edges[p]
		if e == nil {
			e = &Edge{A: p.a, B: p.b}
			edges[p] = e
		}
		return e
	}
	for _, c := range in.CoOrganised {
		if c.A != c.B && known[c.A] && known[c.B] && f.inProgramme(c.Programme) && f.inPeriod(c.Month) {
			edge(order(c.A, c.B)).CoOrganisedActivities++
		}
	}
	for _, c := range in.Referrals.Cells {
		if known[c.Key[1]] && known[c.Key[2]] && c.Key[1] != c.Key[2] {
			edge(order(c.Key[1], c.Key[2]))
		}
	}
	for _, c := range in.Shared.Cells {
		a, b, _ := strings.Cut(c.Key[2], "|")
		if known[a] && known[b] {
			edge(order(a, b))
		}
	}
	var out Network
	for p, e := range edges {
		isReferral := func(k []string) bool { return order(k[1], k[2]) == p && f.inPeriod(k[0]) }
		isShared := func(k []string) bool {
			return k[2] == p.a+"|"+p.b && f.inProgramme(k[1]) && f.inPeriod(k[0])
		}
		e.Referrals = sum(in.Referrals, isReferral)
		e.SharedParticipants = sum(in.Shared, isShared)
		refs, shared := present(in.Referrals, isReferral), present(in.Shared, isShared)
		if e.CoOrganisedActivities == 0 && !refs && !shared {
			continue
		}
		e.Weight = 1 + float64(e.CoOrganisedActivities) + float64(value(e.Referrals)) + float64(value(e.SharedParticipants))
		out.Edges = append(out.Edges, *e)
	}
	slices.SortFunc(out.Edges, func(x, y Edge) int { return strings.Compare(x.A+"\x00"+x.B, y.A+"\x00"+y.B) })

	ids := map[string]int64{}
	undirected := simple.NewUndirectedGraph()
	directed := simple.NewWeightedDirectedGraph(0, 0)
	for i, o := range in.Organisations {
		ids[o.Slug] = int64(i)
		undirected.AddNode(simple.Node(i))
		directed.AddNode(simple.Node(i))
	}
	degree := map[string]int{}
	for _, e := range out.Edges {
		a, b := simple.Node(ids[e.A]), simple.Node(ids[e.B])
		undirected.SetEdge(simple.Edge{F: a, T: b})
		directed.SetWeightedEdge(simple.WeightedEdge{F: a, T: b, W: e.Weight})
		directed.SetWeightedEdge(simple.WeightedEdge{F: b, T: a, W: e.Weight})
		degree[e.A]++
		degree[e.B]++
	}
	betweenness := network.Betweenness(undirected)
	rank := network.PageRank(directed, 0.85, 1e-8)
	for i, o := range in.Organisations {
		out.Nodes = append(out.Nodes, Node{
			Organisation: o,
			Participation: sum(in.Participation, func(k []string) bool {
				return k[2] == o.Slug && f.inProgramme(k[1]) && f.inPeriod(k[0])
			}),
			Degree: degree[o.Slug], Betweenness: betweenness[int64(i)], PageRank: rank[int64(i)],
		})
	}
	return out
}

// value is a count's published value, 0 when suppressed.
func value(c Count) int {
	if c.Value == nil {
		return 0
	}
	return *c.Value
}
