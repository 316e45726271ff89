package resolvers_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
)

func lower(s string) string { return strings.ToLower(s) }

const newcomersQuery = `{
  newcomers(first: 100) {
    totalCount
    edges { node {
      id identity { displayName } controller { slug } registeringMunicipality { code }
      consents(first: 10) { totalCount edges { node {
        id state purposes dataCategories legalBasis method recipients { slug } controller { slug }
        history { kind occurredAt }
      } } }
    } }
  }
}`

type newcomerPage struct {
	Newcomers *struct {
		TotalCount int `json:"totalCount"`
		Edges      []struct {
			Node struct {
				ID       string `json:"id"`
				Identity *struct {
					DisplayName string `json:"displayName"`
				} `json:"identity"`
				Controller struct {
					Slug string `json:"slug"`
				} `json:"controller"`
				RegisteringMunicipality struct {
					Code string `json:"code"`
				} `json:"registeringMunicipality"`
				Consents *struct {
					TotalCount int `json:"totalCount"`
					Edges      []struct {
						Node struct {
							State   string `json:"state"`
							History []struct {
								Kind string `json:"kind"`
							} `json:"history"`
							Recipients []struct {
								Slug string `json:"slug"`
							} `json:"recipients"`
						} `json:"node"`
					} `json:"edges"`
				} `json:"consents"`
			} `json:"node"`
		} `json:"edges"`
	} `json:"newcomers"`
}

func TestNewcomersAreReleasedOnlyThroughAuthz(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)

	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	resp := env.DoFor(t, coordinator, partnernet.PurposeEstablishmentCoordination, newcomersQuery, nil)
	require.Empty(t, resp.Errors)
	var own newcomerPage
	resp.Decode(t, &own)
	require.NotNil(t, own.Newcomers)
	require.Positive(t, own.Newcomers.TotalCount, "Malmö has registered newcomers in the demo network")
	consents := 0
	for _, e := range own.Newcomers.Edges {
		require.Equal(t, "malmo", e.Node.Controller.Slug, "a coordinator sees only their municipality's newcomers")
		require.Equal(t, "1280", e.Node.RegisteringMunicipality.Code)
		require.NotNil(t, e.Node.Identity)
		require.NotNil(t, e.Node.Consents)
		for _, c := range e.Node.Consents.Edges {
			consents++
			require.NotEmpty(t, c.Node.History)
			require.Equal(t, "GIVEN", c.Node.History[0].Kind)
			require.NotEmpty(t, c.Node.Recipients)
			require.Contains(t, []string{"ACTIVE", "PENDING", "WITHDRAWN", "EXPIRED"}, c.Node.State)
		}
	}
	require.Positive(t, consents)

	tests := []struct {
		name      string
		principal authz.Principal
		wantCode  string
	}{
		{"anonymous", anonymous, "UNAUTHENTICATED"},
		{"publisher of an association", staff(t, env, "radda-barnen", authz.RolePublisher), "FORBIDDEN"},
		{"network admin", staff(t, env, "lansstyrelsen-skane", authz.RoleNetworkAdmin), "FORBIDDEN"},
		{"analyst", staff(t, env, "malmo", authz.RoleAnalyst), "FORBIDDEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := env.Do(t, tt.principal, newcomersQuery, nil)
			require.Equal(t, []string{tt.wantCode}, resp.Codes())
			require.JSONEq(t, `null`, string(resp.Data), "no newcomer data leaks beside the error")
		})
	}

	// Another municipality's coordinator reaches neither the list nor the node of Malmö's newcomer.
	lund := staff(t, env, "lund", authz.RoleCoordinator)
	resp = env.DoFor(t, lund, partnernet.PurposeEstablishmentCoordination, newcomersQuery, nil)
	require.Empty(t, resp.Errors)
	var theirs newcomerPage
	resp.Decode(t, &theirs)
	for _, e := range theirs.Newcomers.Edges {
		require.Equal(t, "lund", e.Node.Controller.Slug)
	}
	malmoNewcomer := own.Newcomers.Edges[0].Node.ID
	const nodeQuery = `query($id: ID!) { node(id: $id) { id ... on Newcomer { identity { displayName } } } }`
	resp = env.DoFor(t, lund, partnernet.PurposeEstablishmentCoordination, nodeQuery, map[string]any{"id": malmoNewcomer})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node":null}`, string(resp.Data))
	resp = env.DoFor(t, coordinator, partnernet.PurposeEstablishmentCoordination, nodeQuery, map[string]any{"id": malmoNewcomer})
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), own.Newcomers.Edges[0].Node.Identity.DisplayName)
}

func TestNewcomerFieldDeniedIsNullWithError(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	// A communicator may list their municipality's newcomers but, without declaring a purpose,
	// not read their identity: the record comes back, identity is null, and the error names its
	// path.
	communicator := staff(t, env, "malmo", authz.RoleCommunicator)
	resp := env.Do(t, communicator, `{ newcomers(first: 2) { edges { node { id identity { displayName } registeredAt } } } }`, nil)
	require.Len(t, resp.Errors, 2)
	var paths [][]any
	for _, e := range resp.Errors {
		require.Equal(t, "FORBIDDEN", e.Code())
		paths = append(paths, e.Path)
	}
	require.ElementsMatch(t, [][]any{
		{"newcomers", "edges", float64(0), "node", "identity"},
		{"newcomers", "edges", float64(1), "node", "identity"},
	}, paths)
	var page struct {
		Newcomers struct {
			Edges []struct {
				Node struct {
					ID       string `json:"id"`
					Identity *struct {
						DisplayName string `json:"displayName"`
					} `json:"identity"`
					RegisteredAt string `json:"registeredAt"`
				} `json:"node"`
			} `json:"edges"`
		} `json:"newcomers"`
	}
	resp.Decode(t, &page)
	require.Len(t, page.Newcomers.Edges, 2)
	for _, e := range page.Newcomers.Edges {
		require.Nil(t, e.Node.Identity)
		require.NotEmpty(t, e.Node.RegisteredAt)
	}

	// Consents are not released to a communicator either: null, with FORBIDDEN.
	resp = env.Do(t, communicator, `{ newcomers(first: 1) { edges { node { consents { totalCount } } } } }`, nil)
	require.Equal(t, []string{"FORBIDDEN"}, resp.Codes())
	require.JSONEq(t, `{"newcomers":{"edges":[{"node":{"consents":null}}]}}`, string(resp.Data))
}

func TestConsentFilterByStateAndRecipient(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	const query = `query($states: [ConsentState!], $recipients: [ID!]) {
  newcomers(first: 100) { edges { node { consents(first: 20, filter: { states: $states, recipientIds: $recipients }) {
    totalCount edges { node { state recipients { id } } } } } } }
}`
	type page struct {
		Newcomers struct {
			Edges []struct {
				Node struct {
					Consents struct {
						TotalCount int `json:"totalCount"`
						Edges      []struct {
							Node struct {
								State      string `json:"state"`
								Recipients []struct {
									ID string `json:"id"`
								} `json:"recipients"`
							} `json:"node"`
						} `json:"edges"`
					} `json:"consents"`
				} `json:"node"`
			} `json:"edges"`
		} `json:"newcomers"`
	}
	// fetch returns the states of the matching records, and checks totalCount agrees.
	fetch := func(t *testing.T, vars map[string]any) (states []string, recipients [][]string) {
		t.Helper()
		resp := env.DoFor(t, coordinator, partnernet.PurposeEstablishmentCoordination, query, vars)
		require.Empty(t, resp.Errors)
		var p page
		resp.Decode(t, &p)
		for _, n := range p.Newcomers.Edges {
			require.Len(t, n.Node.Consents.Edges, n.Node.Consents.TotalCount)
			for _, c := range n.Node.Consents.Edges {
				states = append(states, c.Node.State)
				var ids []string
				for _, r := range c.Node.Recipients {
					ids = append(ids, r.ID)
				}
				recipients = append(recipients, ids)
			}
		}
		return states, recipients
	}
	all, allRecipients := fetch(t, nil)
	count := map[string]int{}
	for _, s := range all {
		count[s]++
	}
	require.Positive(t, count["ACTIVE"], "the demo network has active consents in Malmö")
	require.Positive(t, count["WITHDRAWN"]+count["EXPIRED"], "and ended ones")
	recipient := allRecipients[0][0]
	withRecipient := 0
	for _, ids := range allRecipients {
		if slices.Contains(ids, recipient) {
			withRecipient++
		}
	}

	tests := []struct {
		name      string
		vars      map[string]any
		wantCount int
		check     func(t *testing.T, state string, recipients []string)
	}{
		{"active", map[string]any{"states": []string{"ACTIVE"}}, count["ACTIVE"],
			func(t *testing.T, s string, _ []string) { require.Equal(t, "ACTIVE", s) }},
		{"ended", map[string]any{"states": []string{"WITHDRAWN", "EXPIRED"}}, count["WITHDRAWN"] + count["EXPIRED"],
			func(t *testing.T, s string, _ []string) { require.Contains(t, []string{"WITHDRAWN", "EXPIRED"}, s) }},
		{"naming a recipient", map[string]any{"recipients": []string{recipient}}, withRecipient,
			func(t *testing.T, _ string, ids []string) { require.Contains(t, ids, recipient) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			states, recipients := fetch(t, tt.vars)
			require.Len(t, states, tt.wantCount)
			for i := range states {
				tt.check(t, states[i], recipients[i])
			}
		})
	}

	resp := env.DoFor(t, coordinator, partnernet.PurposeEstablishmentCoordination, query,
		map[string]any{"recipients": []string{"TmV3Y29tZXI6MQ"}})
	require.NotEmpty(t, resp.Codes())
	for _, code := range resp.Codes() {
		require.Equal(t, "BAD_USER_INPUT", code, "a newcomer's ID is no organisation")
	}
}
