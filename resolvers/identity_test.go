package resolvers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
)

// asKey posts a query authenticated by an API key's secret.
func asKey(t *testing.T, env *apitest.Env, secret, query string) apitest.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":`+jsonString(query)+`}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+secret)
	return env.Send(t, anonymous, req)
}

func jsonString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func TestAPIKeyLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	abf := relay.ToGlobalID("Organisation", orgID(t, env, "abf"))
	admin := staff(t, env, "abf", authz.RoleOrgAdmin)
	const create = `mutation($org: ID!, $role: Role!, $name: String!) {
  createApiKey(input: { organisationId: $org, role: $role, name: $name }) { secret apiKey { id prefix role revokedAt organisation { slug } } }
}`

	refused := []struct {
		name      string
		principal authz.Principal
		vars      map[string]any
		wantCode  string
	}{
		{"anonymous", anonymous, map[string]any{"org": abf, "role": "PUBLISHER", "name": "booking"}, "UNAUTHENTICATED"},
		{"a publisher", staff(t, env, "abf", authz.RolePublisher), map[string]any{"org": abf, "role": "PUBLISHER", "name": "booking"}, "FORBIDDEN"},
		{"another organisation's admin", staff(t, env, "sensus", authz.RoleOrgAdmin), map[string]any{"org": abf, "role": "PUBLISHER", "name": "booking"}, "FORBIDDEN"},
		{"a newcomer role", admin, map[string]any{"org": abf, "role": "NEWCOMER", "name": "booking"}, "BAD_USER_INPUT"},
		{"the network admin role", admin, map[string]any{"org": abf, "role": "NETWORK_ADMIN", "name": "booking"}, "BAD_USER_INPUT"},
		{"an empty name", admin, map[string]any{"org": abf, "role": "PUBLISHER", "name": ""}, "BAD_USER_INPUT"},
		{"not an organisation", admin, map[string]any{"org": "TmV3Y29tZXI6MQ", "role": "PUBLISHER", "name": "booking"}, "BAD_USER_INPUT"},
	}
	for _, tt := range refused {
		t.Run("refused/"+tt.name, func(t *testing.T) {
			t.Parallel()
			resp := env.Do(t, tt.principal, create, tt.vars)
			require.Equal(t, []string{tt.wantCode}, resp.Codes())
		})
	}

	resp := env.Do(t, admin, create, map[string]any{"org": abf, "role": "PUBLISHER", "name": "booking system"})
	require.Empty(t, resp.Errors)
	var created struct {
		CreateAPIKey struct {
			Secret string `json:"secret"`
			APIKey struct {
				ID        string  `json:"id"`
				Prefix    string  `json:"prefix"`
				Role      string  `json:"role"`
				RevokedAt *string `json:"revokedAt"`
			} `json:"apiKey"`
		} `json:"createApiKey"`
	}
	resp.Decode(t, &created)
	key := created.CreateAPIKey
	require.Contains(t, key.Secret, key.APIKey.Prefix+"_", "the secret names its public prefix")
	require.Equal(t, "PUBLISHER", key.APIKey.Role)
	require.Nil(t, key.APIKey.RevokedAt)

	// The key acts for ABF as a publisher, and the secret is never shown again.
	resp = asKey(t, env, key.Secret, `{ viewer { organisation { slug } roles } }`)
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"viewer":{"organisation":{"slug":"abf"},"roles":["PUBLISHER"]}}`, string(resp.Data))
	resp = env.Do(t, admin, `{ organisation(slug: "abf") { apiKeys { prefix revokedAt } } }`, nil)
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), key.APIKey.Prefix)
	require.NotContains(t, string(resp.Data), key.Secret)
	var inClear int
	require.NoError(t, env.Pool.QueryRow(t.Context(),
		`SELECT count(*) FROM api_key k WHERE strpos(k::text, $1) > 0 OR strpos(encode(k.secret_hash, 'escape'), $1) > 0`,
		key.Secret).Scan(&inClear))
	require.Zero(t, inClear, "the secret is not stored in the clear")

	// A wrong secret with the right prefix is refused.
	wrong := key.Secret[:strings.LastIndex(key.Secret, "_")+1] + "wrong-secret-wrong-secret-wrong-secret"
	resp = asKey(t, env, wrong, `{ viewer { roles } }`)
	require.Equal(t, http.StatusUnauthorized, resp.Status)
	require.Equal(t, []string{"UNAUTHENTICATED"}, resp.Codes())

	// Another organisation's admin cannot revoke it; ABF's admin can, and it stops working at once.
	const revoke = `mutation($id: ID!) { revokeApiKey(input: { apiKeyId: $id }) { revokedAt } }`
	resp = env.Do(t, staff(t, env, "sensus", authz.RoleOrgAdmin), revoke, map[string]any{"id": key.APIKey.ID})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "another organisation's key is as unknown")
	resp = env.Do(t, admin, revoke, map[string]any{"id": key.APIKey.ID})
	require.Empty(t, resp.Errors)
	require.NotContains(t, string(resp.Data), `"revokedAt":null`)
	resp = asKey(t, env, key.Secret, `{ viewer { roles } }`)
	require.Equal(t, http.StatusUnauthorized, resp.Status)
	require.Equal(t, []string{"UNAUTHENTICATED"}, resp.Codes())

	// Both changes are in ABF's audit trail.
	resp = env.Do(t, admin, `{ organisation(slug: "abf") { auditEvents(first: 10, filter: { actions: [CREATE_API_KEY, REVOKE_API_KEY] }) { edges { node { action decision } } } } }`, nil)
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"action":"CREATE_API_KEY"`)
	require.Contains(t, string(resp.Data), `"action":"REVOKE_API_KEY"`)
}

func TestConsentMutations(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	malmo := staff(t, env, "malmo", authz.RoleCoordinator)
	abf := relay.ToGlobalID("Organisation", orgID(t, env, "abf"))
	const record = `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id state } }`
	const renew = `mutation($id: ID!, $until: Time) { renewConsent(input: { consentId: $id, validUntil: $until }) { state validUntil history { kind } } }`
	const withdraw = `mutation($id: ID!) { withdrawConsent(input: { consentId: $id }) { state history { kind actor } } }`
	valid := func(newcomer string, change func(in map[string]any)) map[string]any {
		in := map[string]any{
			"newcomerId": newcomer, "recipientIds": []string{abf},
			"purposes": []string{"ACTIVITY_PARTICIPATION"}, "dataCategories": []string{"IDENTITY"},
			"method": "VERBAL", "noticeLanguage": "ti", "noticeVersion": "2026.1",
		}
		if change != nil {
			change(in)
		}
		return map[string]any{"in": in}
	}
	f := newConsentFixture(t, env, "")
	other := newConsentFixture(t, env, "")

	refused := []struct {
		name      string
		principal authz.Principal
		vars      map[string]any
		wantCode  string
		wantField string
	}{
		{"anonymous", anonymous, valid(f.newcomerGID, nil), "UNAUTHENTICATED", ""},
		{"another municipality's coordinator", staff(t, env, "lund", authz.RoleCoordinator), valid(f.newcomerGID, nil), "BAD_USER_INPUT", "input.newcomerId"},
		{"the controller's publisher", staff(t, env, "malmo", authz.RolePublisher), valid(f.newcomerGID, nil), "BAD_USER_INPUT", "input.newcomerId"},
		{"the newcomer themself", authz.Principal{Subject: "n", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: f.newcomerID}, valid(f.newcomerGID, nil), "FORBIDDEN", ""},
		{"an unknown newcomer", malmo, valid(relay.ToGlobalID("Newcomer", 1<<40), nil), "BAD_USER_INPUT", "input.newcomerId"},
		{"no recipient", malmo, valid(f.newcomerGID, func(in map[string]any) { in["recipientIds"] = []string{} }), "BAD_USER_INPUT", "input.recipientIds"},
		{"a recipient that is no organisation", malmo, valid(f.newcomerGID, func(in map[string]any) { in["recipientIds"] = []string{f.newcomerGID} }), "BAD_USER_INPUT", "input.recipientIds.0"},
		{"no purpose", malmo, valid(f.newcomerGID, func(in map[string]any) { in["purposes"] = []string{} }), "BAD_USER_INPUT", "input.purposes"},
		{"no category", malmo, valid(f.newcomerGID, func(in map[string]any) { in["dataCategories"] = []string{} }), "BAD_USER_INPUT", "input.dataCategories"},
		{"a bad notice language", malmo, valid(f.newcomerGID, func(in map[string]any) { in["noticeLanguage"] = "Tigrinya" }), "BAD_USER_INPUT", "input.noticeLanguage"},
		{"an empty notice version", malmo, valid(f.newcomerGID, func(in map[string]any) { in["noticeVersion"] = "" }), "BAD_USER_INPUT", "input.noticeVersion"},
		{"an end before the start", malmo, valid(f.newcomerGID, func(in map[string]any) {
			in["validFrom"], in["validUntil"] = "2026-06-01T00:00:00Z", "2026-05-01T00:00:00Z"
		}), "BAD_USER_INPUT", "input.validUntil"},
		{"an end ten years on", malmo, valid(f.newcomerGID, func(in map[string]any) { in["validUntil"] = "2036-12-01T00:00:00Z" }), "BAD_USER_INPUT", "input.validUntil"},
	}
	for _, tt := range refused {
		t.Run("refused/"+tt.name, func(t *testing.T) {
			t.Parallel()
			resp := env.Do(t, tt.principal, record, tt.vars)
			require.Equal(t, []string{tt.wantCode}, resp.Codes(), "%+v", resp.Errors)
			if tt.wantField != "" {
				require.Equal(t, tt.wantField, resp.Errors[0].Extensions["field"])
			}
			require.JSONEq(t, `null`, string(resp.Data))
		})
	}

	// Recorded: the record and its audit entry.
	resp := env.Do(t, malmo, record, valid(f.newcomerGID, nil))
	require.Empty(t, resp.Errors)
	var rec struct {
		RecordConsent struct{ ID, State string } `json:"recordConsent"`
	}
	resp.Decode(t, &rec)
	require.Equal(t, "ACTIVE", rec.RecordConsent.State)
	id := rec.RecordConsent.ID

	// Renewed: the end moves and the history grows; a renewal by someone who may not is refused.
	resp = env.Do(t, staff(t, env, "lund", authz.RoleCoordinator), renew, map[string]any{"id": id, "until": "2027-06-01T00:00:00Z"})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "another municipality's consent is as unknown")
	resp = env.Do(t, malmo, renew, map[string]any{"id": id, "until": "2000-01-01T00:00:00Z"})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "a renewal cannot end in the past")
	resp = env.Do(t, malmo, renew, map[string]any{"id": id, "until": "2027-06-01T00:00:00Z"})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"renewConsent":{"state":"ACTIVE","validUntil":"2027-06-01T00:00:00Z","history":[{"kind":"GIVEN"},{"kind":"RENEWED"}]}}`, string(resp.Data))

	// Withdrawn: by the newcomer themself, not by another newcomer; once only; no renewal after.
	self := authz.Principal{Subject: "self", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: f.newcomerID}
	stranger := authz.Principal{Subject: "stranger", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: other.newcomerID}
	resp = env.Do(t, stranger, withdraw, map[string]any{"id": id})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "another newcomer's consent is as unknown")
	resp = env.Do(t, self, withdraw, map[string]any{"id": id})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"withdrawConsent":{"state":"WITHDRAWN","history":[{"kind":"GIVEN","actor":"coordinator@malmo"},{"kind":"RENEWED","actor":"coordinator@malmo"},{"kind":"WITHDRAWN","actor":"self"}]}}`, string(resp.Data))
	resp = env.Do(t, self, withdraw, map[string]any{"id": id})
	require.Equal(t, []string{"CONFLICT"}, resp.Codes(), "a withdrawn consent cannot be withdrawn again")
	resp = env.Do(t, malmo, renew, map[string]any{"id": id, "until": "2027-09-01T00:00:00Z"})
	require.Equal(t, []string{"CONFLICT"}, resp.Codes(), "a withdrawn consent cannot be renewed")

	// Every change is in the newcomer's access log, as the newcomer sees it.
	resp = env.Do(t, self, `{ viewer { newcomer { accessLog(first: 10) { edges { node { action decision subject } } } } } }`, nil)
	require.Empty(t, resp.Errors)
	for _, action := range []string{"RECORD_CONSENT", "RENEW_CONSENT", "WITHDRAW_CONSENT"} {
		require.Equal(t, 1, strings.Count(string(resp.Data), `"action":"`+action+`"`), "%s once in %s", action, resp.Data)
	}
}
