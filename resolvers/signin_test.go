package resolvers_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
)

// TestNewcomerSignInLifecycle: an invitation's bounds (validity, single use, revocation,
// expiry), a sign-in's revocation by the newcomer, and erasure, each holding from the next
// request on.
func TestNewcomerSignInLifecycle(t *testing.T) {
	t.Parallel()
	idp := newExternalIdP(t)
	env := apitest.New(t, trusting(idp))
	ctx := context.Background()
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	const coordinate = partnernet.PurposeEstablishmentCoordination
	f := newConsentFixture(t, env, "")

	invite := func(hours any) apitest.Response {
		return env.DoFor(t, coordinator, coordinate, `mutation($in: InviteNewcomerInput!) { inviteNewcomer(input: $in) {
			code invitation { id usable } } }`, map[string]any{"in": map[string]any{"newcomerId": f.newcomerGID, "validForHours": hours}})
	}
	issue := func() (code, id string) {
		t.Helper()
		resp := invite(2)
		require.Empty(t, resp.Errors)
		var out struct {
			InviteNewcomer struct {
				Code       string
				Invitation struct{ ID string }
			} `json:"inviteNewcomer"`
		}
		resp.Decode(t, &out)
		return out.InviteNewcomer.Code, out.InviteNewcomer.Invitation.ID
	}
	redeem := func(token, code string) apitest.Response {
		return asBearer(t, env, token, `mutation($c: String!) { redeemNewcomerInvitation(input: {code: $c}) { newcomerId subject } }`,
			map[string]any{"c": code})
	}
	viewer := func(token string) string {
		t.Helper()
		resp := asBearer(t, env, token, `{ viewer { roles newcomer { id } } }`, nil)
		require.Empty(t, resp.Errors)
		return string(resp.Data)
	}
	asNewcomer := `{"viewer": {"roles": ["NEWCOMER"], "newcomer": {"id": "` + f.newcomerGID + `"}}}`
	asInvitee := `{"viewer": {"roles": ["INVITEE"], "newcomer": null}}`

	for _, hours := range []int{0, 721} {
		resp := invite(hours)
		require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes())
		require.Equal(t, "input.validForHours", resp.Errors[0].Extensions["field"])
	}

	// A revoked invitation and an expired one answer as an unknown code does.
	code, id := issue()
	resp := env.DoFor(t, coordinator, coordinate, `mutation($id: ID!) { revokeNewcomerInvitation(input: {invitationId: $id}) { usable revokedAt } }`,
		map[string]any{"id": id})
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"usable":false`)
	alice := idp.token(t, "alice")
	unknown := redeem(alice, "pni_no-such-code")
	require.Equal(t, []string{"BAD_USER_INPUT"}, unknown.Codes())
	revoked := redeem(alice, code)
	require.Equal(t, unknown.Errors[0].Message, revoked.Errors[0].Message)
	code, _ = issue()
	_, err := env.Pool.Exec(ctx, `UPDATE newcomer_invitation SET created_at = now() - interval '3 hours',
		expires_at = now() - interval '1 hour' WHERE secret_hash = sha256(convert_to($1, 'UTF8'))`, code)
	require.NoError(t, err)
	expired := redeem(alice, code)
	require.Equal(t, unknown.Errors[0].Message, expired.Errors[0].Message)
	require.JSONEq(t, asInvitee, viewer(alice))

	// Redeemed: alice acts as the newcomer, sees her sign-in and revokes it herself.
	code, _ = issue()
	require.Empty(t, redeem(alice, code).Errors)
	require.JSONEq(t, asNewcomer, viewer(alice))
	resp = asBearer(t, env, alice, `{ viewer { newcomer { signIns { id subject } } } }`, nil)
	require.Empty(t, resp.Errors)
	var mine struct {
		Viewer struct {
			Newcomer struct {
				SignIns []struct{ ID, Subject string } `json:"signIns"`
			}
		}
	}
	resp.Decode(t, &mine)
	require.Len(t, mine.Viewer.Newcomer.SignIns, 1)
	require.Equal(t, idp.srv.URL+"|alice", mine.Viewer.Newcomer.SignIns[0].Subject)
	resp = asBearer(t, env, alice, `mutation($id: ID!) { revokeNewcomerSignIn(input: {signInId: $id}) { subject } }`,
		map[string]any{"id": mine.Viewer.Newcomer.SignIns[0].ID})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, asInvitee, viewer(alice), "revoked from the next request on")
	requireActionAudited(t, env, f.newcomerID, idp.srv.URL+"|alice", partnernet.AuditRevokeSignIn)

	// Erasure removes invitations and sign-ins: the bound account acts for nobody afterwards.
	code, _ = issue()
	require.Empty(t, redeem(alice, code).Errors)
	issue()
	require.JSONEq(t, asNewcomer, viewer(alice))
	resp = env.DoFor(t, coordinator, coordinate, `mutation($id: ID!) { eraseNewcomerData(input: {newcomerId: $id}) { id } }`,
		map[string]any{"id": f.newcomerGID})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, asInvitee, viewer(alice))
	var left int
	require.NoError(t, env.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM newcomer_invitation WHERE newcomer_id = $1)
		+ (SELECT count(*) FROM newcomer_login WHERE newcomer_id = $1) + (SELECT count(*) FROM newcomer_change WHERE newcomer_id = $1)`,
		f.newcomerID).Scan(&left))
	require.Zero(t, left)
}
