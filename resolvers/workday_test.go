package resolvers_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/server"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// externalIdP is a trusted identity provider of the test's own: an httptest server serving a
// JWKS with one Ed25519 key, whose tokens name no organisation (a newcomer's e-identification).
type externalIdP struct {
	key jwk.Key
	srv *httptest.Server
}

func newExternalIdP(t *testing.T) *externalIdP {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	k, err := jwk.Import(priv)
	require.NoError(t, err)
	require.NoError(t, jwk.AssignKeyID(k))
	require.NoError(t, k.Set(jwk.AlgorithmKey, jwa.EdDSA()))
	pub, err := jwk.PublicKeyOf(k)
	require.NoError(t, err)
	set := jwk.NewSet()
	require.NoError(t, set.AddKey(pub))
	p := &externalIdP{key: k}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// token signs a token of the provider for sub, without an organisation.
func (p *externalIdP) token(t *testing.T, sub string) string {
	t.Helper()
	now := time.Now()
	tok, err := jwt.NewBuilder().Issuer(p.srv.URL).Subject(sub).Audience([]string{authn.DefaultAudience}).
		IssuedAt(now).NotBefore(now).Expiration(now.Add(time.Hour)).Build()
	require.NoError(t, err)
	signed, err := jwt.Sign(tok, jwt.WithKey(jwa.EdDSA(), p.key))
	require.NoError(t, err)
	return string(signed)
}

// trusting makes the Env's server trust the provider's tokens.
func trusting(p *externalIdP) apitest.Option {
	return func(c *server.Config) {
		c.Auth.TrustedIssuers = []authn.TrustedIssuer{{Issuer: p.srv.URL, JWKSURL: p.srv.URL}}
	}
}

// asBearer posts a GraphQL request with a bearer token of its own.
func asBearer(t *testing.T, env *apitest.Env, token, query string, vars map[string]any) apitest.Response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	return env.Send(t, authz.Principal{}, req)
}

// requireActionAudited finds an audit entry of action on the newcomer by subject.
func requireActionAudited(t *testing.T, env *apitest.Env, newcomerID int64, subject string, action partnernet.AuditAction) {
	t.Helper()
	var n int
	require.NoError(t, env.Pool.QueryRow(context.Background(), `
		SELECT count(*) FROM audit_event WHERE newcomer_id = $1 AND subject = $2 AND action = $3`,
		newcomerID, subject, string(action)).Scan(&n))
	require.Positive(t, n, "no audit entry %s by %s", action, subject)
}

// TestMunicipalityWorkingDay is the script, through the HTTP handler: Malmö corrects a
// phone number (history: who and when), a stale second correction is a CONFLICT, "muhamad"
// finds "Mohammed", the case is assigned and is in "my cases", the newcomer moves to Lund, Lund
// accepts and Malmö loses access on its next request, the invited newcomer signs in with a
// token of an external issuer and reads their own data; each step is audited.
func TestMunicipalityWorkingDay(t *testing.T) {
	t.Parallel()
	idp := newExternalIdP(t)
	env := apitest.New(t, trusting(idp))
	ctx := context.Background()
	const coordinate = partnernet.PurposeEstablishmentCoordination

	phone := "040-123 45 67"
	n := testfactory.Newcomer(ctx, t, env.Pool, &testfactory.NewcomerOpts{
		ControllerID: orgID(t, env, "malmo"), DisplayName: "Mohammed Al-Hassan",
		Contact: &partnernet.NewcomerContact{Phone: &phone},
	})
	gid := relay.ToGlobalID("Newcomer", n.ID)
	anna := staff(t, env, "malmo", authz.RoleCoordinator)
	bo := anna
	bo.Subject = "second-coordinator@malmo"
	lund := staff(t, env, "lund", authz.RoleCoordinator)

	// 1. Anna reads the contact data's version and corrects the phone number.
	var read struct {
		Node struct {
			Version int `json:"version"`
		} `json:"node"`
	}
	resp := env.DoFor(t, anna, coordinate, `query($id: ID!) { node(id: $id) { ... on Newcomer { version(category: CONTACT) } } }`,
		map[string]any{"id": gid})
	require.Empty(t, resp.Errors)
	resp.Decode(t, &read)
	require.Equal(t, 1, read.Node.Version)
	const correct = `mutation($in: UpdateNewcomerContactInput!) { updateNewcomerContact(input: $in) {
		version changedFields newcomer { contact { phone } } } }`
	resp = env.DoFor(t, anna, coordinate, correct, map[string]any{"in": map[string]any{
		"newcomerId": gid, "version": 1, "contact": map[string]any{"phone": "+46 70 999 88 77"}}})
	require.Empty(t, resp.Errors)
	var corrected struct {
		UpdateNewcomerContact struct {
			Version       int      `json:"version"`
			ChangedFields []string `json:"changedFields"`
			Newcomer      struct {
				Contact struct{ Phone string } `json:"contact"`
			} `json:"newcomer"`
		} `json:"updateNewcomerContact"`
	}
	resp.Decode(t, &corrected)
	require.Equal(t, 2, corrected.UpdateNewcomerContact.Version)
	require.Equal(t, []string{"phone"}, corrected.UpdateNewcomerContact.ChangedFields)
	require.Equal(t, "+46 70 999 88 77", corrected.UpdateNewcomerContact.Newcomer.Contact.Phone)
	requireActionAudited(t, env, n.ID, anna.Subject, partnernet.AuditUpdateNewcomer)
	var leaked int
	require.NoError(t, env.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_event WHERE newcomer_id = $1
		AND (reason LIKE '%999%' OR reason LIKE '%123%')`, n.ID).Scan(&leaked))
	require.Zero(t, leaked, "the audit trail must name the fields, never the values")

	// The history shows who and when, and no values.
	resp = env.DoFor(t, anna, coordinate, `query($id: ID!) { node(id: $id) { ... on Newcomer {
		changes(categories: [CONTACT], first: 10) { totalCount edges { node { category version kind fields changedBy changedAt organisation { slug } } } } } } }`,
		map[string]any{"id": gid})
	require.Empty(t, resp.Errors)
	var history struct {
		Node struct {
			Changes struct {
				TotalCount int `json:"totalCount"`
				Edges      []struct {
					Node struct {
						Category, Kind, ChangedBy string
						Version                   int
						Fields                    []string
						ChangedAt                 time.Time
						Organisation              struct{ Slug string }
					}
				}
			}
		}
	}
	resp.Decode(t, &history)
	require.Equal(t, 1, history.Node.Changes.TotalCount)
	h := history.Node.Changes.Edges[0].Node
	require.Equal(t, "CONTACT", h.Category)
	require.Equal(t, "CORRECTION", h.Kind)
	require.Equal(t, 2, h.Version)
	require.Equal(t, []string{"phone"}, h.Fields)
	require.Equal(t, anna.Subject, h.ChangedBy)
	require.Equal(t, "malmo", h.Organisation.Slug)
	require.WithinDuration(t, time.Now(), h.ChangedAt, time.Hour)

	// 2. Bo corrects what he read before Anna's change: CONFLICT, and nothing changes.
	resp = env.DoFor(t, bo, coordinate, correct, map[string]any{"in": map[string]any{
		"newcomerId": gid, "version": 1, "contact": map[string]any{"phone": "+46 70 000 00 00"}}})
	require.Equal(t, []string{"CONFLICT"}, resp.Codes())
	var stored string
	require.NoError(t, env.Pool.QueryRow(ctx, `SELECT phone FROM newcomer_contact WHERE newcomer_id = $1`, n.ID).Scan(&stored))
	require.Equal(t, "+46 70 999 88 77", stored)

	// 3. "muhamad" finds "Mohammed"; the corrected number finds the newcomer in national form.
	type list struct {
		Newcomers struct {
			TotalCount int `json:"totalCount"`
			Edges      []struct {
				Node struct {
					ID       string  `json:"id"`
					Assigned *string `json:"assignedTo"`
				} `json:"node"`
			} `json:"edges"`
		} `json:"newcomers"`
	}
	find := func(p authz.Principal, filter map[string]any) list {
		t.Helper()
		resp := env.DoFor(t, p, coordinate, `query($f: NewcomerFilter) { newcomers(first: 20, filter: $f) {
			totalCount edges { node { id assignedTo } } } }`, map[string]any{"f": filter})
		require.Empty(t, resp.Errors)
		var l list
		resp.Decode(t, &l)
		return l
	}
	ids := func(l list) []string {
		var out []string
		for _, e := range l.Newcomers.Edges {
			out = append(out, e.Node.ID)
		}
		return out
	}
	require.Contains(t, ids(find(anna, map[string]any{"search": "muhamad"})), gid)
	require.Equal(t, []string{gid}, ids(find(anna, map[string]any{"phone": "070-999 88 77"})))
	require.NotContains(t, ids(find(lund, map[string]any{"search": "muhamad"})), gid, "Lund may not find Malmö's case")

	// 4. Anna assigns the case to herself: it is in her cases, not in Bo's.
	resp = env.DoFor(t, anna, coordinate, `mutation($in: AssignCaseInput!) { assignCase(input: $in) { assignedTo } }`,
		map[string]any{"in": map[string]any{"newcomerId": gid, "assignee": anna.Subject}})
	require.Empty(t, resp.Errors)
	requireActionAudited(t, env, n.ID, anna.Subject, partnernet.AuditAssignCase)
	mine := find(anna, map[string]any{"mine": true})
	require.Equal(t, []string{gid}, ids(mine))
	require.Equal(t, 1, mine.Newcomers.TotalCount)
	require.Equal(t, anna.Subject, *mine.Newcomers.Edges[0].Node.Assigned)
	require.Empty(t, ids(find(bo, map[string]any{"mine": true})))

	// The newcomer consents that ABF sees their identity for activities; the consent follows
	// the case.
	from, until := time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0)
	resp = env.DoFor(t, anna, coordinate, `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id } }`,
		map[string]any{"in": map[string]any{
			"newcomerId": gid, "recipientIds": []string{relay.ToGlobalID("Organisation", orgID(t, env, "abf"))},
			"purposes": []string{"ACTIVITY_PARTICIPATION"}, "dataCategories": []string{"IDENTITY"},
			"method": "WRITTEN", "noticeLanguage": "ar", "noticeVersion": "2026.1",
			"validFrom": from.Format(time.RFC3339), "validUntil": until.Format(time.RFC3339)}})
	require.Empty(t, resp.Errors)

	// 5. The newcomer moves to Lund: Malmö asks, Lund sees whom it is asked to take and accepts.
	resp = env.DoFor(t, anna, coordinate, `mutation { requestCaseTransfer(input: {newcomerId: "`+gid+`", toMunicipalityCode: "1281"}) { id status } }`, nil)
	require.Empty(t, resp.Errors)
	var requested struct {
		RequestCaseTransfer struct{ ID, Status string } `json:"requestCaseTransfer"`
	}
	resp.Decode(t, &requested)
	require.Equal(t, "PENDING", requested.RequestCaseTransfer.Status)
	requireActionAudited(t, env, n.ID, anna.Subject, partnernet.AuditRequestTransfer)
	resp = env.DoFor(t, lund, coordinate, `{ caseTransfers(direction: INCOMING, statuses: [PENDING]) { totalCount edges { node { id newcomer { identity { displayName } } } } } }`, nil)
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), "Mohammed Al-Hassan")
	resp = env.DoFor(t, lund, coordinate, `mutation($id: ID!) { acceptCaseTransfer(input: {transferId: $id}) { status } }`,
		map[string]any{"id": requested.RequestCaseTransfer.ID})
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), "ACCEPTED")
	requireActionAudited(t, env, n.ID, lund.Subject, partnernet.AuditAcceptTransfer)

	// Malmö's very next request no longer sees the newcomer, as if there were none; Lund does,
	// with the history that followed the case.
	resp = env.DoFor(t, anna, coordinate, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": gid})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node": null}`, string(resp.Data))
	require.Empty(t, ids(find(anna, map[string]any{"mine": true})))
	resp = env.DoFor(t, anna, coordinate, correct, map[string]any{"in": map[string]any{
		"newcomerId": gid, "version": 2, "contact": map[string]any{"phone": "+46 70 000 00 00"}}})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "no such newcomer, for Malmö now")
	resp = env.DoFor(t, lund, coordinate, `query($id: ID!) { node(id: $id) { ... on Newcomer { contact { phone } assignedTo
		changes(categories: [CONTACT]) { totalCount } } } }`, map[string]any{"id": gid})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node": {"contact": {"phone": "+46 70 999 88 77"}, "assignedTo": null, "changes": {"totalCount": 1}}}`, string(resp.Data))

	resp = env.DoFor(t, lund, coordinate, `query($id: ID!) { node(id: $id) { ... on Newcomer {
		consents(first: 5) { edges { node { state controller { slug } } } } } } }`, map[string]any{"id": gid})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node": {"consents": {"edges": [{"node": {"state": "ACTIVE", "controller": {"slug": "lund"}}}]}}}`, string(resp.Data))
	resp = env.DoFor(t, staff(t, env, "abf", authz.RolePublisher), partnernet.PurposeActivityParticipation,
		`query($id: ID!) { node(id: $id) { ... on Newcomer { identity { displayName } } } }`, map[string]any{"id": gid})
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), "Mohammed Al-Hassan", "ABF's consent followed the case")

	// 6. Lund invites the newcomer; they sign in at the external provider and redeem the code.
	resp = env.DoFor(t, lund, coordinate, `mutation($in: InviteNewcomerInput!) { inviteNewcomer(input: $in) { code invitation { usable } } }`,
		map[string]any{"in": map[string]any{"newcomerId": gid, "validForHours": 24}})
	require.Empty(t, resp.Errors)
	var invited struct {
		InviteNewcomer struct {
			Code       string `json:"code"`
			Invitation struct{ Usable bool }
		} `json:"inviteNewcomer"`
	}
	resp.Decode(t, &invited)
	require.True(t, invited.InviteNewcomer.Invitation.Usable)
	requireActionAudited(t, env, n.ID, lund.Subject, partnernet.AuditInviteNewcomer)
	var hashed int
	require.NoError(t, env.Pool.QueryRow(ctx, `SELECT count(*) FROM newcomer_invitation WHERE secret_hash = sha256(convert_to($1, 'UTF8'))`,
		invited.InviteNewcomer.Code).Scan(&hashed))
	require.Equal(t, 1, hashed, "only the code's hash is kept")

	token := idp.token(t, "user-4711")
	const own = `{ viewer { roles newcomer { identity { displayName } contact { phone } } } }`
	resp = asBearer(t, env, token, own, nil)
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"viewer": {"roles": ["INVITEE"], "newcomer": null}}`, string(resp.Data))
	resp = asBearer(t, env, token, `mutation($c: String!) { redeemNewcomerInvitation(input: {code: $c}) { newcomerId subject } }`,
		map[string]any{"c": invited.InviteNewcomer.Code})
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), gid)
	requireActionAudited(t, env, n.ID, idp.srv.URL+"|user-4711", partnernet.AuditRedeemInvitation)
	resp = asBearer(t, env, token, own, nil)
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"viewer": {"roles": ["NEWCOMER"], "newcomer": {"identity": {"displayName": "Mohammed Al-Hassan"},
		"contact": {"phone": "+46 70 999 88 77"}}}}`, string(resp.Data))

	// The code is single-use: another account redeeming it gets the answer of an unknown code.
	resp = asBearer(t, env, idp.token(t, "someone-else"), `mutation($c: String!) { redeemNewcomerInvitation(input: {code: $c}) { newcomerId } }`,
		map[string]any{"c": invited.InviteNewcomer.Code})
	require.Len(t, resp.Errors, 1)
	require.NotEqual(t, "INTERNAL_SERVER_ERROR", resp.Errors[0].Code())
}
