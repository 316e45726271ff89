package resolvers_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/relay"
)

func TestNodeRoundTrip(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	resp := env.Do(t, anonymous, `{
	  organisation(slug: "malmo") { id homeMunicipality { id } programmes { id } activities(first: 1) { edges { node { id } } } }
	}`, nil)
	require.Empty(t, resp.Errors)
	var got struct {
		Organisation struct {
			ID               string `json:"id"`
			HomeMunicipality struct {
				ID string `json:"id"`
			} `json:"homeMunicipality"`
			Programmes []struct {
				ID string `json:"id"`
			} `json:"programmes"`
		} `json:"organisation"`
	}
	resp.Decode(t, &got)
	ids := map[string]string{
		"Organisation": got.Organisation.ID,
		"Municipality": got.Organisation.HomeMunicipality.ID,
		"Programme":    got.Organisation.Programmes[0].ID,
	}
	for typename, id := range ids {
		t.Run(typename, func(t *testing.T) {
			resp := env.Do(t, anonymous, `query($id: ID!) { node(id: $id) { __typename id } }`, map[string]any{"id": id})
			require.Empty(t, resp.Errors)
			require.JSONEq(t, `{"node":{"__typename":"`+typename+`","id":"`+id+`"}}`, string(resp.Data))
		})
	}

	// nodes keeps the order given and answers null for what does not exist.
	missing := relay.ToGlobalID("Organisation", 1<<40)
	unknownType := relay.ToGlobalID("Spaceship", 1)
	resp = env.Do(t, anonymous, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
		map[string]any{"ids": []string{ids["Programme"], missing, ids["Organisation"], unknownType}})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"nodes":[{"id":"`+ids["Programme"]+`"},null,{"id":"`+ids["Organisation"]+`"},null]}`, string(resp.Data))
}

func TestNodeRejectsMalformedIDs(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	for _, id := range []string{"", "not-an-id", "T3JnYW5pc2F0aW9uOmFiYw"} {
		resp := env.Do(t, anonymous, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
		require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "id %q", id)
	}
	tooMany := make([]string, relay.MaxPageSize+1)
	for i := range tooMany {
		tooMany[i] = relay.ToGlobalID("Organisation", int64(i+1))
	}
	resp := env.Do(t, anonymous, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": tooMany})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes())
}
