package resolvers_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var anonymous = authz.Principal{}

// orgID returns the database id of the organisation with a slug.
func orgID(t testing.TB, env *apitest.Env, slug string) int64 {
	t.Helper()
	o, err := env.Store.OrganisationGetBySlug(context.Background(), slug)
	require.NoError(t, err)
	return o.ID
}

// staff returns a principal acting for the organisation with a slug in one role.
func staff(t testing.TB, env *apitest.Env, slug string, role authz.Role) authz.Principal {
	t.Helper()
	return authz.Principal{Subject: string(role) + "@" + slug, OrganisationID: orgID(t, env, slug), Roles: []authz.Role{role}}
}

type pageInfo struct {
	HasNextPage     bool    `json:"hasNextPage"`
	HasPreviousPage bool    `json:"hasPreviousPage"`
	StartCursor     *string `json:"startCursor"`
	EndCursor       *string `json:"endCursor"`
}

type orgConnection struct {
	TotalCount int      `json:"totalCount"`
	PageInfo   pageInfo `json:"pageInfo"`
	Edges      []struct {
		Cursor string `json:"cursor"`
		Node   struct {
			ID   string `json:"id"`
			Slug string `json:"slug"`
			Name string `json:"name"`
			Kind string `json:"kind"`
		} `json:"node"`
	} `json:"edges"`
}

const organisationsQuery = `query($first: Int, $after: String, $last: Int, $before: String, $filter: OrganisationFilter, $orderBy: OrganisationOrder) {
  organisations(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id slug name kind } }
  }
}`

func organisations(t *testing.T, env *apitest.Env, vars map[string]any) orgConnection {
	t.Helper()
	resp := env.Do(t, anonymous, organisationsQuery, vars)
	require.Empty(t, resp.Errors)
	var out struct {
		Organisations orgConnection `json:"organisations"`
	}
	resp.Decode(t, &out)
	return out.Organisations
}

func slugs(c orgConnection) []string {
	out := make([]string, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node.Slug
	}
	return out
}

func TestOrganisationsPublicNetwork(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)

	all := organisations(t, env, map[string]any{"first": 100})
	require.GreaterOrEqual(t, all.TotalCount, 50)
	require.Len(t, all.Edges, all.TotalCount, "the whole network fits one page of 100")
	require.False(t, all.PageInfo.HasNextPage)

	resp := env.Do(t, anonymous, `{ organisation(slug: "malmo") {
	  name kind sector homeMunicipality { code name } programmes { code } participations { role programme { code } }
	} }`, nil)
	require.Empty(t, resp.Errors)
	var got struct {
		Organisation struct {
			Name             string `json:"name"`
			Kind             string `json:"kind"`
			Sector           string `json:"sector"`
			HomeMunicipality struct {
				Code string `json:"code"`
			} `json:"homeMunicipality"`
			Programmes []struct {
				Code string `json:"code"`
			} `json:"programmes"`
		} `json:"organisation"`
	}
	resp.Decode(t, &got)
	require.Equal(t, "MUNICIPALITY", got.Organisation.Kind)
	require.Equal(t, "PUBLIC", got.Organisation.Sector)
	require.Equal(t, "1280", got.Organisation.HomeMunicipality.Code)
	require.Contains(t, got.Organisation.Programmes, struct {
		Code string `json:"code"`
	}{"SHK"})

	resp = env.Do(t, anonymous, `{ organisation(slug: "no-such-organisation") { name } }`, nil)
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"organisation": null}`, string(resp.Data))
}

func TestOrganisationsFilterAndOrder(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	tests := []struct {
		name  string
		vars  map[string]any
		check func(t *testing.T, c orgConnection)
	}{
		{
			name: "municipalities", vars: map[string]any{"first": 100, "filter": map[string]any{"kinds": []string{"MUNICIPALITY"}}},
			check: func(t *testing.T, c orgConnection) {
				require.Equal(t, 33, c.TotalCount)
				for _, e := range c.Edges {
					require.Equal(t, "MUNICIPALITY", e.Node.Kind)
				}
			},
		},
		{
			name: "taking part in MILSA", vars: map[string]any{"first": 100, "filter": map[string]any{"programmes": []string{"MILSA"}}},
			check: func(t *testing.T, c orgConnection) {
				require.Contains(t, slugs(c), "malmo-universitet")
			},
		},
		{
			name: "search is case-insensitive and literal", vars: map[string]any{"first": 100, "filter": map[string]any{"search": "MALMÖ"}},
			check: func(t *testing.T, c orgConnection) {
				require.Contains(t, slugs(c), "malmo")
				require.NotEmpty(t, c.Edges)
			},
		},
		{
			name: "search wildcards match nothing", vars: map[string]any{"first": 100, "filter": map[string]any{"search": "%_%"}},
			check: func(t *testing.T, c orgConnection) {
				require.Zero(t, c.TotalCount)
				require.Empty(t, c.Edges)
			},
		},
		{
			name: "by municipality", vars: map[string]any{"first": 100, "filter": map[string]any{"municipalityCodes": []string{"1281"}}},
			check: func(t *testing.T, c orgConnection) {
				require.Contains(t, slugs(c), "lund")
			},
		},
		{
			name: "slug descending", vars: map[string]any{"first": 100, "orderBy": map[string]any{"field": "SLUG", "direction": "DESC"}},
			check: func(t *testing.T, c orgConnection) {
				s := slugs(c)
				for i := 1; i < len(s); i++ {
					require.Greater(t, s[i-1], s[i])
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t, organisations(t, env, tt.vars))
		})
	}
}

func TestOrganisationsPagination(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	for _, order := range []map[string]any{
		{"field": "NAME"}, {"field": "SLUG", "direction": "DESC"}, {"field": "CREATED_AT"},
	} {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			t.Parallel()
			all := slugs(organisations(t, env, map[string]any{"first": 100, "orderBy": order}))

			// Forward in pages of 7 visits every organisation once, in order.
			var forward []string
			vars := map[string]any{"first": 7, "orderBy": order}
			for {
				c := organisations(t, env, vars)
				forward = append(forward, slugs(c)...)
				require.Equal(t, len(all), c.TotalCount)
				if !c.PageInfo.HasNextPage {
					break
				}
				vars["after"] = *c.PageInfo.EndCursor
			}
			require.Equal(t, all, forward)

			// Backward in pages of 9 visits them in the same order, from the end.
			var backward []string
			vars = map[string]any{"last": 9, "orderBy": order}
			for {
				c := organisations(t, env, vars)
				backward = append(slugs(c), backward...)
				if !c.PageInfo.HasPreviousPage {
					break
				}
				vars["before"] = *c.PageInfo.StartCursor
			}
			require.Equal(t, all, backward)
		})
	}
}

func TestConnectionArgumentErrors(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	otherOrder := relay.EncodeCursor("SLUG:ASC", store.Key{Value: "malmo", ID: 1})
	tests := []struct {
		name      string
		vars      map[string]any
		wantField string
	}{
		{"above the maximum page", map[string]any{"first": relay.MaxPageSize + 1}, "first"},
		{"first and last", map[string]any{"first": 1, "last": 1}, "first"},
		{"negative", map[string]any{"last": -1}, "last"},
		{"garbage cursor", map[string]any{"after": "bm90IGEgY3Vyc29y"}, "after"},
		{"cursor of another order", map[string]any{"first": 1, "after": otherOrder}, "after"},
		{"bad municipality code", map[string]any{"filter": map[string]any{"municipalityCodes": []string{"12'80"}}}, "filter.municipalityCodes"},
		{"search too long", map[string]any{"filter": map[string]any{"search": string(make([]byte, 101))}}, "filter.search"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := env.Do(t, anonymous, organisationsQuery, tt.vars)
			require.Len(t, resp.Errors, 1)
			require.Equal(t, string(partnernet.CodeBadUserInput), resp.Errors[0].Code())
			require.Equal(t, tt.wantField, resp.Errors[0].Extensions["field"])
			require.JSONEq(t, `null`, string(resp.Data))
		})
	}

	resp := env.Do(t, anonymous, `{ organisations(filter: {kinds: [NOT_A_KIND]}) { totalCount } }`, nil)
	require.Equal(t, []string{"GRAPHQL_VALIDATION_FAILED"}, resp.Codes())
	resp = env.Do(t, anonymous, `{ organisations { totalCount `, nil)
	require.Equal(t, []string{"GRAPHQL_PARSE_FAILED"}, resp.Codes())
}
