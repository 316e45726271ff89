package resolvers_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// countingLoaderWait is the batch window of the tests that count statements of edges still
// gathered by a batch window: long enough that a slow run never splits a batch, so the counts
// show the design, not the machine's load.
const countingLoaderWait = 250 * time.Millisecond

// noBatchWindow is a batch window too short to gather anything: under it, an edge loaded by
// its parent level costs the same statements as under any window, and an edge left to the
// window would cost one statement per row.
const noBatchWindow = time.Microsecond

// TestNestedListStatementsDoNotGrowWithPageSize proves that a parent level loads the child lists
// and references its rows select: organisations → activities → organiser costs the same number
// of SQL statements and round trips whatever the page sizes, one per edge, with no batch window
// to gather them.
func TestNestedListStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, apitest.WithLoaderWait(noBatchWindow))
	const query = `query($orgs: Int!, $acts: Int!) {
	  organisations(first: $orgs, filter: {kinds: [ASSOCIATION, ADULT_EDUCATION_ASSOCIATION, MUNICIPALITY]}) {
	    totalCount
	    edges { node { name activities(first: $acts) { totalCount edges { node { title organiser { name } } } } } }
	  }
	}`
	for _, size := range [][2]int{{2, 1}, {10, 5}, {40, 20}} {
		resp := env.Do(t, anonymous, query, map[string]any{"orgs": size[0], "acts": size[1]})
		require.Empty(t, resp.Errors)
		var got struct {
			Organisations struct {
				Edges []struct {
					Node struct {
						Activities struct {
							Edges []struct {
								Node struct {
									Organiser struct {
										Name string `json:"name"`
									} `json:"organiser"`
								} `json:"node"`
							} `json:"edges"`
						} `json:"activities"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"organisations"`
		}
		resp.Decode(t, &got)
		require.Len(t, got.Organisations.Edges, size[0])
		require.NotEmpty(t, got.Organisations.Edges[0].Node.Activities.Edges[0].Node.Organiser.Name)
		// organisations page, organisations count, activity pages, activity counts, organisers.
		require.Equal(t, int64(5), resp.Statements, "page size %v: %q", size, resp.SQL)
		// The activity pages and counts go together.
		require.Equal(t, int64(4), resp.RoundTrips, "page size %v: %q", size, resp.SQL)
	}
}

// TestWideNestedQueryStatementsAreBounded checks a wider nested query: every edge is batched, so
// the statements stay within one per edge (loaders used at several depths may share or split a
// batch, so the count varies a little with timing, never with page size).
func TestWideNestedQueryStatementsAreBounded(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, apitest.WithLoaderWait(countingLoaderWait))
	const query = `query($orgs: Int!, $acts: Int!) {
	  organisations(first: $orgs, filter: {kinds: [ASSOCIATION, ADULT_EDUCATION_ASSOCIATION, SPORTS_FEDERATION, MUNICIPALITY]}) {
	    totalCount
	    edges { node {
	      name
	      homeMunicipality { name }
	      programmes { code }
	      activities(first: $acts) {
	        totalCount
	        edges { node { title organiser { name homeMunicipality { code } } programme { code } municipality { code } } }
	      }
	    } }
	  }
	}`
	type result struct {
		Organisations struct {
			Edges []struct {
				Node struct {
					Activities struct {
						TotalCount int `json:"totalCount"`
						Edges      []struct {
							Node struct {
								Organiser struct {
									Name string `json:"name"`
								} `json:"organiser"`
							} `json:"node"`
						} `json:"edges"`
					} `json:"activities"`
				} `json:"node"`
			} `json:"edges"`
		} `json:"organisations"`
	}
	counts := map[[2]int]int64{}
	for _, size := range [][2]int{{2, 1}, {10, 5}, {40, 20}} {
		resp := env.Do(t, anonymous, query, map[string]any{"orgs": size[0], "acts": size[1]})
		require.Empty(t, resp.Errors)
		var got result
		resp.Decode(t, &got)
		require.Len(t, got.Organisations.Edges, size[0])
		activities := 0
		for _, e := range got.Organisations.Edges {
			activities += len(e.Node.Activities.Edges)
			require.LessOrEqual(t, len(e.Node.Activities.Edges), size[1])
		}
		require.Positive(t, activities, "the demo network has activities under these organisations")
		counts[size] = resp.Statements
	}
	t.Logf("statements per request by page size: %v", counts)
	// organisations page + count, home municipalities, participations, programmes, activity
	// pages + counts, organisers, their home municipalities, activity programmes, activity
	// municipalities: at most one statement per edge, never one per parent.
	for size, n := range counts {
		require.LessOrEqual(t, n, int64(11), "page size %v", size)
	}
}

// TestDiscoveryStatementsDoNotGrowWithPageSize proves that a discovery page loads, with the
// page and without a batch window, every activity's organiser, co-organisers, municipality,
// next occurrences and availability: the statements are the same whatever the page size.
func TestDiscoveryStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, apitest.WithLoaderWait(noBatchWindow))
	const query = `query($n: Int!) {
	  activities(first: $n, filter: {programmes: [NAD]}) { edges { node {
	    title organiser { name } coOrganisers { name } location { municipality { name } }
	    nextOccurrences(first: 2) { startsAt } availability } } }
	}`
	var counts, roundTrips []int64
	for _, n := range []int{1, 10, 40} {
		resp := env.Do(t, anonymous, query, map[string]any{"n": n})
		require.Empty(t, resp.Errors)
		roundTrips = append(roundTrips, resp.RoundTrips)
		var got struct {
			Activities struct {
				Edges []struct {
					Node struct {
						CoOrganisers []struct {
							Name string `json:"name"`
						} `json:"coOrganisers"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"activities"`
		}
		resp.Decode(t, &got)
		require.Len(t, got.Activities.Edges, n)
		counts = append(counts, resp.Statements)
	}
	// The page; then organisers with co-organisers, municipalities, occurrences and enrolment
	// counts, together in one round trip.
	require.Equal(t, int64(5), counts[2], "statements: %v", counts)
	require.Equal(t, counts[1], counts[2], "statements do not grow with the page: %v", counts)
	require.Equal(t, []int64{2, 2, 2}, roundTrips, "the page, then everything its rows refer to")
}

// TestTranslatedPageStatementsDoNotGrowWithPageSize proves that a page of activities read in
// another language loads every activity's texts with the page, in one statement, rather than
// one question per activity gathered by a batch window.
func TestTranslatedPageStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, apitest.WithLoaderWait(noBatchWindow))
	const query = `query($n: Int!) {
	  activities(first: $n, filter: {programmes: [NAD]}) { edges { node {
	    text(language: "ar") { title { text language } description { text } } translations { tag } } } }
	}`
	var counts, roundTrips []int64
	for _, n := range []int{1, 10, 40} {
		resp := env.Do(t, anonymous, query, map[string]any{"n": n})
		require.Empty(t, resp.Errors)
		roundTrips = append(roundTrips, resp.RoundTrips)
		var got struct {
			Activities struct {
				Edges []struct {
					Node struct {
						Text struct {
							Title struct {
								Language string `json:"language"`
							} `json:"title"`
						} `json:"text"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"activities"`
		}
		resp.Decode(t, &got)
		require.Len(t, got.Activities.Edges, n)
		require.Equal(t, "ar", got.Activities.Edges[0].Node.Text.Title.Language, "the demo activities are in Arabic")
		counts = append(counts, resp.Statements)
	}
	// The page and the texts of all its activities, each a round trip.
	require.Equal(t, int64(2), counts[2], "statements: %v", counts)
	require.Equal(t, counts[1], counts[2], "statements do not grow with the page: %v", counts)
	require.Equal(t, []int64{2, 2, 2}, roundTrips)
}

// TestStatementsAreAPropertyOfTheShape runs the benchmark's list workloads with no batch window
// at two page sizes: each costs the same statements and round trips at both, fixed by the
// operation's shape alone, so that load (which decides what a batch window gathers) cannot
// change them.
func TestStatementsAreAPropertyOfTheShape(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, apitest.WithLoaderWait(noBatchWindow))
	for _, tc := range listWorkloads(t, env) {
		t.Run(tc.name, func(t *testing.T) {
			// The first request with a token also reads the token's organisation.
			require.Empty(t, env.DoFor(t, tc.principal, tc.purpose, tc.query, map[string]any{"n": 1}).Errors)
			for _, n := range []int{3, 30} {
				resp := env.DoFor(t, tc.principal, tc.purpose, tc.query, map[string]any{"n": n})
				require.Empty(t, resp.Errors)
				require.Equal(t, tc.statements, resp.Statements, "first %d: %q", n, resp.SQL)
				require.Equal(t, tc.roundTrips, resp.RoundTrips, "first %d: %q", n, resp.SQL)
			}
		})
	}
}

// TestNodesAreTheEdgesNodes asks each list workload again with nodes { … } in place of
// edges { node { … } }: the same items in the same order, read with the same statements, so
// the shorter shape loads its page's references ahead as the longer one does.
func TestNodesAreTheEdgesNodes(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, apitest.WithLoaderWait(noBatchWindow))
	for _, tc := range listWorkloads(t, env) {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]any{"n": 5}
			require.Empty(t, env.DoFor(t, tc.principal, tc.purpose, tc.query, vars).Errors)
			edges := env.DoFor(t, tc.principal, tc.purpose, tc.query, vars)
			require.Empty(t, edges.Errors)
			short := asNodes(tc.query)
			require.NotEqual(t, tc.query, short)
			nodes := env.DoFor(t, tc.principal, tc.purpose, short, vars)
			require.Empty(t, nodes.Errors)
			require.JSONEq(t, asNodes(string(edges.Data)), string(nodes.Data))
			require.Equal(t, edges.Statements, nodes.Statements, "%q", nodes.SQL)
		})
	}
}

// asNodes rewrites every edges { node { … } } of a query, or "edges":[{"node":{…}}, …] of a
// response, to its nodes form.
func asNodes(s string) string {
	if strings.HasPrefix(s, "{") { // a response
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			return s
		}
		out, _ := json.Marshal(nodesOf(v))
		return string(out)
	}
	for {
		i := strings.Index(s, "edges { node {")
		if i < 0 {
			return s
		}
		body := i + len("edges { node {")
		depth, end := 1, body
		for ; depth > 0; end++ {
			switch s[end] {
			case '{':
				depth++
			case '}':
				depth--
			}
		}
		closing := strings.Index(s[end:], "}") // the brace closing edges
		s = s[:i] + "nodes {" + s[body:end] + s[end+closing+1:]
	}
}

// nodesOf rewrites "edges": [{"node": x}, …] to "nodes": [x, …] throughout a decoded response.
func nodesOf(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if edges, ok := x.([]any); ok && k == "edges" {
				nodes := make([]any, len(edges))
				for i, e := range edges {
					nodes[i] = nodesOf(e.(map[string]any)["node"])
				}
				out["nodes"] = nodes
				continue
			}
			out[k] = nodesOf(x)
		}
		return out
	case []any:
		for i := range v {
			v[i] = nodesOf(v[i])
		}
	}
	return v
}

// listWorkload is a list request of the benchmark's shape, with the statements and round trips
// it costs.
type listWorkload struct {
	name       string
	principal  authz.Principal
	purpose    partnernet.Purpose
	query      string
	statements int64
	roundTrips int64
}

// listWorkloads are the benchmark's list workloads, their page size the variable $n.
func listWorkloads(t testing.TB, env *apitest.Env) []listWorkload {
	publisher := staff(t, env, "abf", authz.RolePublisher)
	return []listWorkload{
		{
			// The page with its count; organisers and municipalities.
			name: "a category's published activities", principal: anonymous,
			query: `query($n: Int!) { activities(first: $n, orderBy: {field: TITLE}) {
			  totalCount edges { node { id title organiser { name } municipality { name } } } } }`,
			statements: 4, roundTrips: 2,
		},
		{
			// The organisations; their activity pages (one statement for all).
			name: "organisations × titles", principal: anonymous,
			query: `query($n: Int!) { organisations(first: $n) { edges { node { name
			  activities(first: $n) { edges { node { title } } } } } } }`,
			statements: 2, roundTrips: 2,
		},
		{
			// The organisation; its page with its count; the enrolment counts.
			name: "an organisation's own activities", principal: publisher,
			query: `query($n: Int!) { organisation(slug: "abf") { activities(first: $n, orderBy: {field: UPDATED_AT, direction: DESC}) {
			  totalCount edges { node { id title status capacity enrolmentCounts { enrolled waitlisted } } } } } }`,
			statements: 4, roundTrips: 3,
		},
		{
			// The newcomers; their count (two statements in one round trip: those the caller
			// controls, those consented to it); the consents naming the caller; consent pages;
			// their recipients; languages; enrolments (and their activities, when any); the
			// audit trail of the decisions.
			name: "a caseload", principal: staff(t, env, "malmo", authz.RoleCoordinator), purpose: partnernet.PurposeEstablishmentCoordination,
			query: `query($n: Int!) { newcomers(first: $n) { totalCount edges { node {
			  id registeredAt identity { displayName birthYear gender } languages { language proficiency }
			  consents(first: 5) { edges { node { state purposes validFrom recipients { name } } } }
			  enrolments { status position activity { title } } } } } }`,
			statements: 9, roundTrips: 8,
		},
	}
}

// TestChildPagesLoadedAheadAnswerAsAlone asks each organisation's activities twice: with the
// organisations' page, where the page level loads every organisation's activities ahead and
// each organisation's field answers from what was loaded, and through node(id:), where the field
// loads for itself. The page, its cursors, its page info and its count must be the same, and so
// must the next page, asked with the end cursor.
func TestChildPagesLoadedAheadAnswerAsAlone(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, apitest.WithLoaderWait(noBatchWindow))
	const list = `activities(first: 2, after: $after, orderBy: {field: TITLE}) {
	  totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id title } } }`
	// ahead returns each organisation's activities, asked with the organisations' page.
	ahead := func(after any) map[string]json.RawMessage {
		resp := env.DoFor(t, anonymous, "", `query($after: String) { organisations(first: 50) { nodes { id `+list+` } } }`,
			map[string]any{"after": after})
		require.Empty(t, resp.Errors)
		var got struct {
			Organisations struct {
				Nodes []struct {
					ID         string          `json:"id"`
					Activities json.RawMessage `json:"activities"`
				} `json:"nodes"`
			} `json:"organisations"`
		}
		require.NoError(t, json.Unmarshal(resp.Data, &got))
		out := map[string]json.RawMessage{}
		for _, n := range got.Organisations.Nodes {
			out[n.ID] = n.Activities
		}
		return out
	}
	// alone returns one organisation's activities, asked through node(id:).
	alone := func(id string, after any) json.RawMessage {
		resp := env.DoFor(t, anonymous, "", `query($id: ID!, $after: String) { node(id: $id) { ... on Organisation { `+list+` } } }`,
			map[string]any{"id": id, "after": after})
		require.Empty(t, resp.Errors)
		var got struct {
			Node struct {
				Activities json.RawMessage `json:"activities"`
			} `json:"node"`
		}
		require.NoError(t, json.Unmarshal(resp.Data, &got))
		return got.Node.Activities
	}
	firstPages := ahead(nil)
	require.NotEmpty(t, firstPages)
	paged := 0
	for id, first := range firstPages {
		require.JSONEq(t, string(alone(id, nil)), string(first), "organisation %s", id)
		var p struct {
			PageInfo struct {
				HasNextPage bool    `json:"hasNextPage"`
				EndCursor   *string `json:"endCursor"`
			} `json:"pageInfo"`
		}
		require.NoError(t, json.Unmarshal(first, &p))
		if !p.PageInfo.HasNextPage {
			continue
		}
		paged++
		second := ahead(*p.PageInfo.EndCursor)[id]
		require.JSONEq(t, string(alone(id, *p.PageInfo.EndCursor)), string(second), "second page of %s", id)
		require.Contains(t, string(second), `"hasPreviousPage":true`)
	}
	require.Positive(t, paged, "the demo network has organisations with more than one page of activities")
}

// TestOneActivityLoadsAhead asks node(id:) for an activity's page in the finder's shape. The
// node loads what the activity's fields ask for when it has the activity: the activity, then its
// organiser, municipality, programme, next occurrences and enrolment counts together in one
// round trip. Without loading ahead each is a round trip of its own. nodes(ids:) loads ahead for
// all its activities at once.
func TestOneActivityLoadsAhead(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, apitest.WithLoaderWait(noBatchWindow))
	resp := env.DoFor(t, anonymous, "", `{ activities(first: 3) { nodes { id } } }`, nil)
	require.Empty(t, resp.Errors)
	var page struct {
		Activities struct{ Nodes []struct{ ID string } }
	}
	require.NoError(t, json.Unmarshal(resp.Data, &page))
	require.Len(t, page.Activities.Nodes, 3)
	const query = `query($id: ID!) { node(id: $id) { ... on Activity { id title organiser { name }
	  municipality { name } programme { name } nextOccurrences(first: 3) { startsAt } availability } } }`
	one := env.DoFor(t, anonymous, "", query, map[string]any{"id": page.Activities.Nodes[0].ID})
	require.Empty(t, one.Errors)
	require.Contains(t, string(one.Data), `"organiser":{"name":`)
	require.Equal(t, int64(6), one.Statements, "%q", one.SQL)
	require.Equal(t, int64(2), one.RoundTrips, "%q", one.SQL)
	// nodes(ids:) loads ahead for all its activities together: the same statements for three.
	ids := []string{page.Activities.Nodes[0].ID, page.Activities.Nodes[1].ID, page.Activities.Nodes[2].ID}
	three := env.DoFor(t, anonymous, "", strings.Replace(strings.Replace(query, "$id: ID!", "$ids: [ID!]!", 1),
		"node(id: $id)", "nodes(ids: $ids)", 1), map[string]any{"ids": ids})
	require.Empty(t, three.Errors)
	require.Equal(t, int64(6), three.Statements, "%q", three.SQL)
	require.Equal(t, int64(2), three.RoundTrips, "%q", three.SQL)
}

// TestEnrolmentActivitiesReadInPartAnswerAsWhole asks enrolments' activities with several
// selections, through a page of newcomers (which loads the activities with the page) and
// through node(id:) of a newcomer (whose enrolments' activity fields ask the loader). Both read
// each activity only in the parts its selection needs (loaders.ActivityParts); node(id:) of the
// activity reads it whole. Every field must answer alike.
func TestEnrolmentActivitiesReadInPartAnswerAsWhole(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	purpose := partnernet.PurposeEstablishmentCoordination
	rows, err := env.Pool.Query(ctx, `SELECT id FROM activity WHERE status = 'PUBLISHED' ORDER BY id LIMIT 6`)
	require.NoError(t, err)
	activityIDs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	require.NoError(t, err)
	activityIDs = append(activityIDs, testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{
		OrganiserID: orgID(t, env, "abf"), Status: partnernet.ActivityPublished}).ID)
	var newcomerIDs []string
	for i := range 2 {
		n := testfactory.Newcomer(ctx, t, env.Pool, &testfactory.NewcomerOpts{ControllerID: orgID(t, env, "malmo")})
		newcomerIDs = append(newcomerIDs, relay.ToGlobalID("Newcomer", n.ID))
		for _, a := range activityIDs[i:] {
			testfactory.Enrolment(ctx, t, env.Pool, &testfactory.EnrolmentOpts{ActivityID: a, NewcomerID: n.ID})
		}
	}
	type enrolments []struct {
		Activity map[string]json.RawMessage `json:"activity"`
	}
	for _, selection := range []string{
		"title",
		"id title capacity availability minAge",
		"description accessibility category languages targetGroups programme { code }",
		"organiser { name } municipality { name } location { online address }",
		"schedule { startsAt durationMinutes } coOrganisers { name } serviceAreas { name } updatedAt",
		"title ... on Activity { description } text { title { text } }",
		"... on Node { id } ... on Activity { cost { free amountSek note } contact { name } }",
	} {
		t.Run(selection, func(t *testing.T) {
			t.Parallel()
			activity := `activity { id byPart: __typename ` + selection + ` }`
			resp := env.DoFor(t, coordinator, purpose, `{ newcomers(last: 2) { nodes { enrolments { `+activity+` } } } }`, nil)
			require.Empty(t, resp.Errors)
			var page struct {
				Newcomers struct {
					Nodes []struct {
						Enrolments enrolments `json:"enrolments"`
					} `json:"nodes"`
				} `json:"newcomers"`
			}
			require.NoError(t, json.Unmarshal(resp.Data, &page))
			var all enrolments
			for _, n := range page.Newcomers.Nodes {
				all = append(all, n.Enrolments...)
			}
			for _, id := range newcomerIDs {
				resp := env.DoFor(t, coordinator, purpose, `query($id: ID!) { node(id: $id) { ... on Newcomer { enrolments { `+activity+` } } } }`,
					map[string]any{"id": id})
				require.Empty(t, resp.Errors)
				var node struct {
					Node struct {
						Enrolments enrolments `json:"enrolments"`
					} `json:"node"`
				}
				require.NoError(t, json.Unmarshal(resp.Data, &node))
				all = append(all, node.Node.Enrolments...)
			}
			require.Len(t, all, 2*(2*len(activityIDs)-1), "each newcomer's enrolments, through the page and through node(id:)")
			for _, e := range all {
				var id string
				require.NoError(t, json.Unmarshal(e.Activity["id"], &id))
				resp := env.DoFor(t, coordinator, purpose, `query($id: ID!) { node(id: $id) { ... on Activity { id byPart: __typename `+selection+` } } }`,
					map[string]any{"id": id})
				require.Empty(t, resp.Errors)
				var whole struct {
					Node map[string]json.RawMessage `json:"node"`
				}
				require.NoError(t, json.Unmarshal(resp.Data, &whole))
				require.Len(t, e.Activity, len(whole.Node), "activity %s", id)
				for field, value := range whole.Node {
					require.JSONEq(t, string(value), string(e.Activity[field]), "activity %s, field %s", id, field)
				}
			}
		})
	}
}
