package resolvers_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
)

const entitiesQuery = `query($reps: [_Any!]!) { _entities(representations: $reps) {
  __typename
  ... on Organisation { slug }
  ... on Municipality { code }
  ... on Programme { programme: code }
  ... on Activity { title }
  ... on Newcomer { identity { displayName } contact { phone } }
} }`

// reps makes federation representations of objects of one type.
func reps(typename string, ids ...int64) []map[string]any {
	out := make([]map[string]any, len(ids))
	for i, id := range ids {
		out[i] = map[string]any{"__typename": typename, "id": relay.ToGlobalID(typename, id)}
	}
	return out
}

// ids returns the first n ids a query selects.
func ids(t *testing.T, env *apitest.Env, query string, n int) []int64 {
	t.Helper()
	rows, err := env.Pool.Query(context.Background(), query+" LIMIT $1", n)
	require.NoError(t, err)
	var out []int64
	for rows.Next() {
		var id int64
		require.NoError(t, rows.Scan(&id))
		out = append(out, id)
	}
	require.NoError(t, rows.Err())
	require.Len(t, out, n)
	return out
}

func TestServiceSDLDeclaresTheEntities(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	resp := env.Do(t, anonymous, `{ _service { sdl } }`, nil)
	require.Empty(t, resp.Errors)
	var got struct {
		Service struct {
			SDL string `json:"sdl"`
		} `json:"_service"`
	}
	resp.Decode(t, &got)
	require.Contains(t, got.Service.SDL, `https://specs.apollo.dev/federation/v2`)
	for _, typename := range []string{"Organisation", "Municipality", "Programme", "Activity", "Newcomer"} {
		require.Contains(t, got.Service.SDL, "type "+typename+` implements Node @key(fields: "id")`)
	}
}

// TestEntitiesAreBatchedPerType proves that _entities costs one statement per type, whatever the
// number of representations.
func TestEntitiesAreBatchedPerType(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, apitest.WithLoaderWait(countingLoaderWait))
	for _, n := range []int{1, 10, 40} {
		var all []map[string]any
		all = append(all, reps("Activity", ids(t, env, "SELECT id FROM activity WHERE status = 'PUBLISHED' ORDER BY id", n)...)...)
		all = append(all, reps("Organisation", ids(t, env, "SELECT id FROM organisation ORDER BY id", n)...)...)
		all = append(all, reps("Municipality", ids(t, env, "SELECT id FROM municipality ORDER BY id", min(n, 33))...)...)
		resp := env.Do(t, anonymous, entitiesQuery, map[string]any{"reps": all})
		require.Empty(t, resp.Errors)
		var got struct {
			Entities []struct {
				Typename string `json:"__typename"`
				Title    string `json:"title"`
				Slug     string `json:"slug"`
				Code     string `json:"code"`
			} `json:"_entities"`
		}
		resp.Decode(t, &got)
		require.Len(t, got.Entities, len(all))
		for i, e := range got.Entities {
			require.Equal(t, all[i]["__typename"], e.Typename, "entities come back in the order asked")
			require.NotEmpty(t, e.Title+e.Slug+e.Code)
		}
		require.Equal(t, int64(3), resp.Statements, "%d of each type: %q", n, resp.SQL)
	}
}

// TestEntitiesGoThroughTheSameAuthorisation walks _entities with the cases of node(id): hidden
// objects are null, and newcomer categories are released or refused exactly as elsewhere.
func TestEntitiesGoThroughTheSameAuthorisation(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	f := newConsentFixture(t, env, partnernet.ConsentActive, partnernet.CategoryIdentity)
	unpublished := ids(t, env, "SELECT id FROM activity WHERE status <> 'PUBLISHED' ORDER BY id", 1)[0]
	malmo := staff(t, env, "malmo", authz.RoleCoordinator)
	abf := staff(t, env, "abf", authz.RolePublisher)

	tests := []struct {
		name      string
		principal authz.Principal
		purpose   partnernet.Purpose
		reps      []map[string]any
		wantData  string
		wantCodes []string
	}{
		{"a newcomer, anonymously", anonymous, "", reps("Newcomer", f.newcomerID),
			`{"_entities":[null]}`, nil},
		{"a newcomer, to the controller", malmo, partnernet.PurposeEstablishmentCoordination, reps("Newcomer", f.newcomerID),
			`{"_entities":[{"__typename":"Newcomer","identity":{"displayName":"Fixture Person"},"contact":{"phone":"+46 70 174 00 00"}}]}`, nil},
		{"a newcomer, to an association the consent covers for identity only", abf, partnernet.PurposeActivityParticipation, reps("Newcomer", f.newcomerID),
			`{"_entities":[{"__typename":"Newcomer","identity":{"displayName":"Fixture Person"},"contact":null}]}`, []string{"CONSENT_REQUIRED"}},
		{"a newcomer, to an association without a purpose", abf, "", reps("Newcomer", f.newcomerID),
			`{"_entities":[null]}`, nil},
		{"a newcomer, to another municipality", staff(t, env, "lund", authz.RoleCoordinator), partnernet.PurposeEstablishmentCoordination, reps("Newcomer", f.newcomerID),
			`{"_entities":[null]}`, nil},
		{"an unpublished activity, anonymously", anonymous, "", reps("Activity", unpublished),
			`{"_entities":[null]}`, nil},
		{"an activity that does not exist", anonymous, "", reps("Activity", 1<<40),
			`{"_entities":[null]}`, nil},
		{"a newcomer's ID as an activity", malmo, partnernet.PurposeEstablishmentCoordination,
			[]map[string]any{{"__typename": "Activity", "id": f.newcomerGID}}, `{"_entities":[null]}`, []string{"BAD_USER_INPUT"}},
	}
	t.Run("cases", func(t *testing.T) { // returns when every parallel case has run
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				resp := env.DoFor(t, tt.principal, tt.purpose, entitiesQuery, map[string]any{"reps": tt.reps})
				require.Len(t, resp.Errors, len(tt.wantCodes), "%+v", resp.Errors)
				for i, code := range tt.wantCodes {
					require.Equal(t, code, resp.Errors[i].Code())
					require.NotContains(t, resp.Errors[i].Message, "+46", "an error says nothing of the value")
				}
				require.JSONEq(t, tt.wantData, string(resp.Data))
			})
		}
	})

	// The association's read through _entities is in the newcomer's access log like any other.
	self := authz.Principal{Subject: "self", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: f.newcomerID}
	resp := env.Do(t, self, `{ viewer { newcomer { accessLog(first: 50) { edges { node { organisation { slug } decision reason } } } } } }`, nil)
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `{"organisation":{"slug":"abf"},"decision":"DENIED","reason":"CONSENT_REQUIRED"}`)
}
