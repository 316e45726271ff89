package resolvers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// workCaller is one principal of the case-work enforcement table, given the newcomer of the cell
// (the newcomer acts as themself), with the purpose it declares; token, when set, is the bearer
// token of an external identity provider it signs in with instead.
type workCaller struct {
	name    string
	p       func(newcomerID int64) authz.Principal
	purpose partnernet.Purpose
	token   func() string
}

// caseWorkCallers are the principals every new field and mutation of case work is tried as.
func caseWorkCallers(t *testing.T, env *apitest.Env, idp *externalIdP) []workCaller {
	fixed := func(p authz.Principal) func(int64) authz.Principal { return func(int64) authz.Principal { return p } }
	var invitees atomic.Int64
	return []workCaller{
		{name: "malmö coordinator", p: fixed(staff(t, env, "malmo", authz.RoleCoordinator)), purpose: partnernet.PurposeEstablishmentCoordination},
		{name: "malmö coordinator without purpose", p: fixed(staff(t, env, "malmo", authz.RoleCoordinator))},
		{name: "malmö supervisor", p: fixed(staff(t, env, "malmo", authz.RoleSupervisor)), purpose: partnernet.PurposeSupportPlan},
		{name: "abf publisher, active consent", p: fixed(staff(t, env, "abf", authz.RolePublisher)), purpose: partnernet.PurposeActivityParticipation},
		{name: "lund coordinator", p: fixed(staff(t, env, "lund", authz.RoleCoordinator)), purpose: partnernet.PurposeEstablishmentCoordination},
		{name: "network admin", p: fixed(staff(t, env, "lansstyrelsen-skane", authz.RoleNetworkAdmin))},
		{name: "im admin", p: fixed(staff(t, env, "im", authz.RoleOrgAdmin))},
		{name: "anonymous", p: fixed(anonymous)},
		{name: "the newcomer", p: func(id int64) authz.Principal {
			return authz.Principal{Subject: fmt.Sprintf("newcomer:%d", id), Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: id}
		}},
		{name: "another newcomer", p: fixed(authz.Principal{Subject: "newcomer:0", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: 1})},
		{name: "invitee", token: func() string { return idp.token(t, fmt.Sprintf("invitee-%d", invitees.Add(1))) }},
	}
}

// do sends a request as the caller.
func (c workCaller) do(t *testing.T, env *apitest.Env, newcomerID int64, query string, vars map[string]any) apitest.Response {
	t.Helper()
	if c.token != nil {
		return asBearer(t, env, c.token(), query, vars)
	}
	return env.DoFor(t, c.p(newcomerID), c.purpose, query, vars)
}

// The outcome columns of the case-work table: released, hidden, ok (a mutation succeeded) or
// an error code.
const (
	ok outcome = "ok"
)

// TestEnforcementCaseWork walks every field and mutation that case work (issue 14) added, as
// every kind of caller: each cell releases, hides the newcomer, succeeds, or refuses with a
// stable code. Values never leak into a refusal.
func TestEnforcementCaseWork(t *testing.T) {
	t.Parallel()
	idp := newExternalIdP(t)
	env := apitest.New(t, trusting(idp))
	ctx := context.Background()
	callers := caseWorkCallers(t, env, idp)
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	const coordinate = partnernet.PurposeEstablishmentCoordination

	// One newcomer for the read table: consent to ABF for identity and contact, assigned, with
	// a correction, a transfer asked for and cancelled, an invitation and a sign-in.
	f := newConsentFixture(t, env, partnernet.ConsentActive)
	mustDo := func(p authz.Principal, query string, vars map[string]any) apitest.Response {
		t.Helper()
		resp := env.DoFor(t, p, coordinate, query, vars)
		require.Empty(t, resp.Errors, "%s", query)
		return resp
	}
	mustDo(coordinator, `mutation($id: ID!) { assignCase(input: {newcomerId: $id, assignee: "coordinator@malmo"}) { id } }`, map[string]any{"id": f.newcomerGID})
	mustDo(coordinator, `mutation($id: ID!) { updateNewcomerContact(input: {newcomerId: $id, version: 1, contact: {phone: "+46 70 111 11 11"}}) { version } }`, map[string]any{"id": f.newcomerGID})
	bind := func(newcomerID int64, subject string) (invitationGID, signInGID string) {
		t.Helper()
		code, hash, err := authn.NewInvitationCode()
		require.NoError(t, err)
		require.NotEmpty(t, code)
		inv, err := env.Store.NewcomerInvitationCreate(ctx, partnernet.NewcomerInvitation{
			NewcomerID: newcomerID, SecretHash: hash, CreatedBy: coordinator.Subject, ExpiresAt: time.Now().Add(time.Hour)})
		require.NoError(t, err)
		if subject == "" {
			return relay.ToGlobalID("NewcomerInvitation", inv.ID), ""
		}
		l, err := env.Store.NewcomerInvitationRedeem(ctx, hash, subject)
		require.NoError(t, err)
		return relay.ToGlobalID("NewcomerInvitation", inv.ID), relay.ToGlobalID("NewcomerSignIn", l.ID)
	}
	bind(f.newcomerID, "https://idp.example|fixture")

	reads := map[string]string{
		"version":        "version(category: CONTACT)",
		"changes":        "changes(categories: [CONTACT]) { totalCount edges { node { fields changedBy } } }",
		"status":         "status",
		"lastActivityAt": "lastActivityAt",
		"assignedTo":     "assignedTo",
		"assignedAt":     "assignedAt",
		"assignments":    "assignments { assignee }",
		"transfers":      "transfers { status }",
		"invitations":    "invitations { usable }",
		"signIns":        "signIns { subject }",
	}
	// What each caller finds of each new field of Newcomer, through node(id).
	wantRead := map[string]map[string]outcome{
		"malmö coordinator": {"version": released, "changes": released, "status": released, "lastActivityAt": released,
			"assignedTo": released, "assignedAt": released, "assignments": released, "transfers": released,
			"invitations": released, "signIns": released},
		"malmö coordinator without purpose": {"version": "FORBIDDEN", "changes": "FORBIDDEN", "status": released, "lastActivityAt": released,
			"assignedTo": released, "assignedAt": released, "assignments": released, "transfers": released,
			"invitations": released, "signIns": released},
		"malmö supervisor": {"version": "CONSENT_REQUIRED", "changes": "CONSENT_REQUIRED", "status": released, "lastActivityAt": released,
			"assignedTo": released, "assignedAt": released, "assignments": released, "transfers": released,
			"invitations": "FORBIDDEN", "signIns": "FORBIDDEN"},
		"abf publisher, active consent": {"version": released, "changes": released, "status": released, "lastActivityAt": released,
			"assignedTo": "FORBIDDEN", "assignedAt": "FORBIDDEN", "assignments": "FORBIDDEN", "transfers": "FORBIDDEN",
			"invitations": "FORBIDDEN", "signIns": "FORBIDDEN"},
		"the newcomer": {"version": released, "changes": released, "status": released, "lastActivityAt": released,
			"assignedTo": released, "assignedAt": released, "assignments": "FORBIDDEN", "transfers": "FORBIDDEN",
			"invitations": released, "signIns": released},
	}
	var mismatches []string
	for _, c := range callers {
		for field, sel := range reads {
			want, listed := wantRead[c.name][field]
			if !listed {
				want = hidden
			}
			resp := c.do(t, env, f.newcomerID, `query($id: ID!) { node(id: $id) { ... on Newcomer { id `+sel+` } } }`,
				map[string]any{"id": f.newcomerGID})
			got := readOutcome(t, resp, field)
			if got != want {
				mismatches = append(mismatches, fmt.Sprintf("read %s as %s: got %s, want %s (%s)", field, c.name, got, want, resp.Data))
			}
			for _, e := range resp.Errors {
				require.NotContains(t, e.Message, "+46")
				require.NotContains(t, e.Message, "Fixture")
			}
		}
	}

	// Each mutation, on a fresh newcomer of Malmö (with a consent to ABF) for each caller.
	type fixture struct {
		newcomerID int64
		gid        string
	}
	var slugs atomic.Int64
	transfer := func(fx fixture) string {
		t.Helper()
		var out struct {
			RequestCaseTransfer struct{ ID string } `json:"requestCaseTransfer"`
		}
		mustDo(coordinator, `mutation($id: ID!) { requestCaseTransfer(input: {newcomerId: $id, toMunicipalityCode: "1281"}) { id } }`,
			map[string]any{"id": fx.gid}).Decode(t, &out)
		return out.RequestCaseTransfer.ID
	}
	desk := testfactory.AdviceDesk(ctx, t, env.Pool, &testfactory.AdviceDeskOpts{OrganisationID: orgID(t, env, "im")})
	orgInput := func() map[string]any {
		return map[string]any{"name": "Testförening", "kind": "ASSOCIATION", "sector": "CIVIC",
			"participations": []any{map[string]any{"programme": "NAD", "role": "PARTNER"}},
			"profile":        map[string]any{"website": "https://example.org", "contact": map[string]any{"email": "info@example.org"}}}
	}
	mutations := map[string]struct {
		query string
		vars  func(fx fixture) map[string]any
	}{
		"updateNewcomerIdentity": {`mutation($in: UpdateNewcomerIdentityInput!) { updateNewcomerIdentity(input: $in) { version } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "version": 1, "displayName": "Fixture Renamed"}}
			}},
		"updateNewcomerContact": {`mutation($in: UpdateNewcomerContactInput!) { updateNewcomerContact(input: $in) { version } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "version": 1, "contact": map[string]any{"phone": "+46 70 222 22 22"}}}
			}},
		"updateNewcomerFamily": {`mutation($in: UpdateNewcomerFamilyInput!) { updateNewcomerFamily(input: $in) { version } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "version": 1, "family": []any{}}}
			}},
		"updateNewcomerLanguages": {`mutation($in: UpdateNewcomerLanguagesInput!) { updateNewcomerLanguages(input: $in) { version } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "version": 1,
					"languages": []any{map[string]any{"language": "sv", "proficiency": "BASIC"}}}}
			}},
		"updateNewcomerHealth": {`mutation($in: UpdateNewcomerHealthInput!) { updateNewcomerHealth(input: $in) { version } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "version": 1, "notes": "Changed note"}}
			}},
		"updateNewcomerBackground": {`mutation($in: UpdateNewcomerBackgroundInput!) { updateNewcomerBackground(input: $in) { version } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "version": 1, "background": nil}}
			}},
		"assignCase": {`mutation($in: AssignCaseInput!) { assignCase(input: $in) { id } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "assignee": coordinator.Subject}}
			}},
		"requestCaseTransfer": {`mutation($in: RequestCaseTransferInput!) { requestCaseTransfer(input: $in) { id } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "toMunicipalityCode": "1281"}}
			}},
		"acceptCaseTransfer": {`mutation($id: ID!) { acceptCaseTransfer(input: {transferId: $id}) { status } }`,
			func(fx fixture) map[string]any { return map[string]any{"id": transfer(fx)} }},
		"declineCaseTransfer": {`mutation($id: ID!) { declineCaseTransfer(input: {transferId: $id, reason: "Not here"}) { status } }`,
			func(fx fixture) map[string]any { return map[string]any{"id": transfer(fx)} }},
		"cancelCaseTransfer": {`mutation($id: ID!) { cancelCaseTransfer(input: {transferId: $id}) { status } }`,
			func(fx fixture) map[string]any { return map[string]any{"id": transfer(fx)} }},
		"inviteNewcomer": {`mutation($id: ID!) { inviteNewcomer(input: {newcomerId: $id}) { code } }`,
			func(fx fixture) map[string]any { return map[string]any{"id": fx.gid} }},
		"revokeNewcomerInvitation": {`mutation($id: ID!) { revokeNewcomerInvitation(input: {invitationId: $id}) { usable } }`,
			func(fx fixture) map[string]any {
				inv, _ := bind(fx.newcomerID, "")
				return map[string]any{"id": inv}
			}},
		"redeemNewcomerInvitation": {`mutation($c: String!) { redeemNewcomerInvitation(input: {code: $c}) { newcomerId } }`,
			func(fx fixture) map[string]any {
				code, hash, err := authn.NewInvitationCode()
				require.NoError(t, err)
				_, err = env.Store.NewcomerInvitationCreate(ctx, partnernet.NewcomerInvitation{
					NewcomerID: fx.newcomerID, SecretHash: hash, CreatedBy: coordinator.Subject, ExpiresAt: time.Now().Add(time.Hour)})
				require.NoError(t, err)
				return map[string]any{"c": code}
			}},
		"revokeNewcomerSignIn": {`mutation($id: ID!) { revokeNewcomerSignIn(input: {signInId: $id}) { subject } }`,
			func(fx fixture) map[string]any {
				_, l := bind(fx.newcomerID, fmt.Sprintf("https://idp.example|n%d", fx.newcomerID))
				return map[string]any{"id": l}
			}},
		"createOrganisation": {`mutation($in: CreateOrganisationInput!) { createOrganisation(input: $in) { slug } }`,
			func(fixture) map[string]any {
				return map[string]any{"in": map[string]any{"slug": fmt.Sprintf("testforening-%d", slugs.Add(1)), "organisation": orgInput()}}
			}},
		"updateOrganisation": {`mutation($in: UpdateOrganisationInput!) { updateOrganisation(input: $in) { id } }`,
			func(fixture) map[string]any {
				in := orgInput()
				in["name"], in["kind"], in["sector"] = "IM – Individuell Människohjälp", "ASSOCIATION", "CIVIC"
				return map[string]any{"in": map[string]any{"organisationId": relay.ToGlobalID("Organisation", orgID(t, env, "im")), "organisation": in}}
			}},
		"updateOrganisationProfile": {`mutation($in: UpdateOrganisationProfileInput!) { updateOrganisationProfile(input: $in) { id } }`,
			func(fixture) map[string]any {
				return map[string]any{"in": map[string]any{"organisationId": relay.ToGlobalID("Organisation", orgID(t, env, "im")),
					"profile": map[string]any{"description": "Rådgivning för nyanlända"}}}
			}},
		"updateAdviceDesk": {`mutation($in: UpdateAdviceDeskInput!) { updateAdviceDesk(input: $in) { id } }`,
			func(fixture) map[string]any {
				return map[string]any{"in": map[string]any{"deskId": relay.ToGlobalID("AdviceDesk", desk.ID), "name": desk.Name,
					"place": "Stadsbiblioteket", "languages": []string{"sv", "ar"},
					"openingHours": []any{map[string]any{"startsAt": "2027-01-05T10:00:00+01:00", "durationMinutes": 180, "rrule": "FREQ=WEEKLY;BYDAY=TU"}}}}
			}},
	}
	everyoneRefused := map[string]outcome{"anonymous": "UNAUTHENTICATED"}
	newcomerRefused := func(coord, noPurpose, supervisor, publisher, self outcome) map[string]outcome {
		return map[string]outcome{"malmö coordinator": coord, "malmö coordinator without purpose": noPurpose,
			"malmö supervisor": supervisor, "abf publisher, active consent": publisher, "the newcomer": self}
	}
	wantWrite := map[string]map[string]outcome{
		"updateNewcomerIdentity":   newcomerRefused(ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
		"updateNewcomerContact":    newcomerRefused(ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", ok),
		"updateNewcomerFamily":     newcomerRefused(ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
		"updateNewcomerLanguages":  newcomerRefused(ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", ok),
		"updateNewcomerHealth":     newcomerRefused("FORBIDDEN", "FORBIDDEN", "CONSENT_REQUIRED", "FORBIDDEN", "FORBIDDEN"),
		"updateNewcomerBackground": newcomerRefused(ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
		"assignCase":               newcomerRefused(ok, ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
		"requestCaseTransfer":      newcomerRefused(ok, ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
		// The sender sees its transfer but does not answer it; the receiver does not cancel it.
		"acceptCaseTransfer":        {"lund coordinator": ok, "malmö coordinator": "FORBIDDEN", "malmö coordinator without purpose": "FORBIDDEN"},
		"declineCaseTransfer":       {"lund coordinator": ok, "malmö coordinator": "FORBIDDEN", "malmö coordinator without purpose": "FORBIDDEN"},
		"cancelCaseTransfer":        {"malmö coordinator": ok, "malmö coordinator without purpose": ok, "lund coordinator": "FORBIDDEN"},
		"inviteNewcomer":            newcomerRefused(ok, ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
		"revokeNewcomerInvitation":  {"malmö coordinator": ok, "malmö coordinator without purpose": ok},
		"redeemNewcomerInvitation":  {"invitee": ok},
		"revokeNewcomerSignIn":      {"malmö coordinator": ok, "malmö coordinator without purpose": ok, "the newcomer": ok},
		"createOrganisation":        {"network admin": ok},
		"updateOrganisation":        {"network admin": ok},
		"updateOrganisationProfile": {"network admin": ok, "im admin": ok},
		"updateAdviceDesk":          {"im admin": ok},
	}
	for name, m := range mutations {
		for _, c := range callers {
			cf := newConsentFixture(t, env, partnernet.ConsentActive)
			fx := fixture{newcomerID: cf.newcomerID, gid: cf.newcomerGID}
			want, listed := wantWrite[name][c.name]
			if !listed {
				want = defaultRefusal(name, c.name, everyoneRefused)
			}
			resp := c.do(t, env, fx.newcomerID, m.query, m.vars(fx))
			got := ok
			if len(resp.Errors) > 0 {
				got = outcome(resp.Errors[0].Code())
			}
			if got != want {
				mismatches = append(mismatches, fmt.Sprintf("%s as %s: got %s, want %s (%v)", name, c.name, got, want, resp.Errors))
			}
		}
	}
	sort.Strings(mismatches)
	require.Empty(t, mismatches, "\n%s", strings.Join(mismatches, "\n"))
}

// defaultRefusal is the answer of a caller a mutation's table does not list: anonymous callers
// are refused as such; only an invitee redeems an invitation, and only the network's and the
// organisation's admins edit organisations and desks (FORBIDDEN to others); a mutation on a
// newcomer, a transfer, an invitation or a sign-in the caller may not see answers "no such"
// (BAD_USER_INPUT at the argument, as notVisible does), whether it exists or not.
func defaultRefusal(mutation, caller string, everyone map[string]outcome) outcome {
	if o, found := everyone[caller]; found {
		return o
	}
	switch mutation {
	case "createOrganisation", "updateOrganisation", "updateOrganisationProfile", "updateAdviceDesk", "redeemNewcomerInvitation":
		return "FORBIDDEN"
	}
	return "BAD_USER_INPUT"
}

// readOutcome classifies a node(id) response for one field: hidden, released or the code.
func readOutcome(t *testing.T, resp apitest.Response, field string) outcome {
	t.Helper()
	var d struct {
		Node map[string]any `json:"node"`
	}
	require.NoError(t, json.Unmarshal(resp.Data, &d))
	if len(d.Node) == 0 {
		if len(resp.Errors) > 0 {
			return outcome(resp.Errors[0].Code())
		}
		return hidden
	}
	if len(resp.Errors) > 0 {
		return outcome(resp.Errors[0].Code())
	}
	return released
}
