package resolvers_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
)

type activityEdges struct {
	Activities struct {
		TotalCount int `json:"totalCount"`
		Edges      []struct {
			Node struct {
				ID        string `json:"id"`
				Title     string `json:"title"`
				Status    string `json:"status"`
				Organiser struct {
					Slug string `json:"slug"`
				} `json:"organiser"`
			} `json:"node"`
		} `json:"edges"`
	} `json:"activities"`
}

const activitiesQuery = `query($filter: ActivityFilter) {
  activities(first: 100, filter: $filter) { totalCount edges { node { id title status organiser { slug } } } }
}`

func TestActivitiesVisibility(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)

	// Anonymous callers see published activities only, whatever they filter on.
	for _, filter := range []map[string]any{nil, {"statuses": []string{"DRAFT", "CANCELLED", "FINISHED"}}} {
		resp := env.Do(t, anonymous, activitiesQuery, map[string]any{"filter": filter})
		require.Empty(t, resp.Errors)
		var got activityEdges
		resp.Decode(t, &got)
		for _, e := range got.Activities.Edges {
			require.Equal(t, "PUBLISHED", e.Node.Status)
		}
		if filter == nil {
			require.NotEmpty(t, got.Activities.Edges)
		} else {
			require.Zero(t, got.Activities.TotalCount)
		}
	}

	// Find an organisation with unpublished activities: its publisher sees them, others do not.
	all := func(p authz.Principal) activityEdges {
		resp := env.Do(t, p, `{ activities(first: 100, filter: {statuses: [DRAFT, CANCELLED, FINISHED]}) {
		  totalCount edges { node { id title status organiser { slug } } } } }`, nil)
		require.Empty(t, resp.Errors)
		var got activityEdges
		resp.Decode(t, &got)
		return got
	}
	// A network-wide reader of unpublished activities does not exist in the policy, so look the
	// organisers up in the store's own terms: every organisation's publisher, one at a time.
	orgs := organisations(t, env, map[string]any{"first": 100})
	var owner string
	var ownDrafts activityEdges
	for _, e := range orgs.Edges {
		got := all(staff(t, env, e.Node.Slug, authz.RolePublisher))
		if got.Activities.TotalCount > 0 {
			owner, ownDrafts = e.Node.Slug, got
			break
		}
	}
	require.NotEmpty(t, owner, "the demo network has unpublished activities")
	for _, e := range ownDrafts.Activities.Edges {
		require.Equal(t, owner, e.Node.Organiser.Slug, "a publisher sees only its own organisation's drafts")
	}

	// The draft is reachable by node(id) for its organisation's staff only.
	draftID := ownDrafts.Activities.Edges[0].Node.ID
	const nodeQuery = `query($id: ID!) { node(id: $id) { ... on Activity { title status } } }`
	resp := env.Do(t, staff(t, env, owner, authz.RolePublisher), nodeQuery, map[string]any{"id": draftID})
	require.Empty(t, resp.Errors)
	require.NotEqual(t, `{"node":null}`, string(resp.Data))
	for _, p := range []authz.Principal{anonymous, staff(t, env, otherThan(orgs, owner), authz.RolePublisher)} {
		resp := env.Do(t, p, nodeQuery, map[string]any{"id": draftID})
		require.Empty(t, resp.Errors)
		require.JSONEq(t, `{"node":null}`, string(resp.Data))
	}
}

// otherThan returns a slug of the connection other than slug.
func otherThan(c orgConnection, slug string) string {
	for _, e := range c.Edges {
		if e.Node.Slug != slug {
			return e.Node.Slug
		}
	}
	return ""
}

func TestActivitiesFilters(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	tests := []struct {
		name   string
		filter map[string]any
		check  func(t *testing.T, got activityEdges)
	}{
		{
			name: "by programme", filter: map[string]any{"programmes": []string{"NAD"}},
			check: func(t *testing.T, got activityEdges) { require.NotEmpty(t, got.Activities.Edges) },
		},
		{
			name: "by organisation that has none", filter: map[string]any{"organisations": []string{"no-such-organisation"}},
			check: func(t *testing.T, got activityEdges) { require.Zero(t, got.Activities.TotalCount) },
		},
		{
			name: "by title text", filter: map[string]any{"search": "språkcafé"},
			check: func(t *testing.T, got activityEdges) {
				for _, e := range got.Activities.Edges {
					require.Contains(t, lower(e.Node.Title), "språkcafé")
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := env.Do(t, anonymous, activitiesQuery, map[string]any{"filter": tt.filter})
			require.Empty(t, resp.Errors)
			var got activityEdges
			resp.Decode(t, &got)
			require.Len(t, got.Activities.Edges, got.Activities.TotalCount, "fits one page")
			tt.check(t, got)
		})
	}
}
