package resolvers_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
)

// everyActivityField selects every field of an activity that a list and node(id) both answer to
// anyone (placesLeft and enrolmentCounts are for the organiser's staff).
const everyActivityField = `id title description titleEn descriptionEn category languages targetGroups
  accessibility location { online onlineUrl address latitude longitude municipality { code } }
  schedule { startsAt durationMinutes rrule exceptions timeZone } schedules { startsAt rrule }
  applicationProcess interpretationServices serviceAreas { code } nextOccurrences(first: 2) { startsAt endsAt }
  capacity minAge maxAge availability cost { free amountSek note } contact { name email phone }
  coOrganisers { slug } publishedAt cancelledAt version organiser { slug } programme { code }
  municipality { code } status createdAt updatedAt`

// TestListsReadWhatTheSelectionNeeds proves that a list reads only the columns its selection
// needs, and that whatever it selects, each activity answers exactly as the whole row read by
// node(id) does.
func TestListsReadWhatTheSelectionNeeds(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	abfPublisher := staff(t, env, "abf", authz.RolePublisher)

	titles := env.Do(t, anonymous, `{ activities(first: 5) { edges { node { title } } } }`, nil)
	require.Empty(t, titles.Errors)
	require.NotEmpty(t, titles.SQL)
	page := titles.SQL[0]
	require.Contains(t, page, "a.title")
	for _, column := range []string{"a.description", "a.rrule", "a.contact_email", "activity_co_organiser", "a.cost_note"} {
		require.NotContains(t, page, column, "a list of titles reads %s", column)
	}

	// A co-organiser's staff read enrolments too: the lookahead must read who co-organises.
	var coOrganised struct {
		Activities struct {
			Edges []struct {
				Node struct {
					CoOrganisers []struct {
						Slug string `json:"slug"`
					} `json:"coOrganisers"`
				} `json:"node"`
			} `json:"edges"`
		} `json:"activities"`
	}
	env.Do(t, anonymous, `{ activities(first: 100, filter: {programmes: [NAD]}) { edges { node { coOrganisers { slug } } } } }`, nil).
		Decode(t, &coOrganised)
	coOrganiser := ""
	for _, e := range coOrganised.Activities.Edges {
		if len(e.Node.CoOrganisers) > 0 {
			coOrganiser = e.Node.CoOrganisers[0].Slug
			break
		}
	}
	require.NotEmpty(t, coOrganiser, "the demo data has co-organised activities")

	for _, tc := range []struct {
		name      string
		principal authz.Principal
		list      string
		fields    string
	}{
		{"a co-organiser's staff", staff(t, env, coOrganiser, authz.RolePublisher),
			`activities(first: 8, filter: {organisations: ["` + coOrganiser + `"]})`,
			"id title enrolmentCounts { enrolled waitlisted }"},
		{"discovery", anonymous, `activities(first: 8, filter: {programmes: [NAD]})`, everyActivityField},
		{"an organisation's own, every status", abfPublisher,
			`organisation(slug: "abf") { activities(first: 8, filter: {statuses: [DRAFT, PUBLISHED, CANCELLED, FINISHED]})`,
			everyActivityField + " placesLeft enrolmentCounts { enrolled waitlisted }"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			query := `{ ` + tc.list + ` { edges { node { ` + tc.fields + ` } } } }`
			if strings.HasPrefix(tc.list, "organisation(") {
				query += " }"
			}
			resp := env.Do(t, tc.principal, query, nil)
			require.Empty(t, resp.Errors)
			var nodes []map[string]any
			collectNodes(t, resp.Data, &nodes)
			require.NotEmpty(t, nodes)
			for _, listed := range nodes {
				single := env.Do(t, tc.principal, `query($id: ID!) { node(id: $id) { ... on Activity { `+tc.fields+` } } }`,
					map[string]any{"id": listed["id"]})
				require.Empty(t, single.Errors)
				var got struct {
					Node map[string]any `json:"node"`
				}
				single.Decode(t, &got)
				require.Equal(t, got.Node, listed, "activity %v read in a list and by node(id)", listed["id"])
			}
		})
	}
}

// collectNodes finds every edges[].node object in a response's data.
func collectNodes(t *testing.T, data json.RawMessage, into *[]map[string]any) {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(data, &v))
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if edges, ok := v["edges"].([]any); ok {
				for _, e := range edges {
					*into = append(*into, e.(map[string]any)["node"].(map[string]any))
				}
				return
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(v)
}
