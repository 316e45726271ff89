package resolvers_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

const recordOutcomeMutation = `mutation($in: RecordOutcomeInput!) { recordOutcome(input: $in) {
  id kind startedOn endedOn sfiCourse sfiProgress recordedBy { slug } } }`

// TestOutcomes walks the working day of establishment outcomes: the controlling municipality's
// coordinator records, reads, corrects and retracts them, audited; the Public Employment
// Service records them only under the newcomer's consent naming it, and only it corrects its
// own; others are answered as if the newcomer did not exist; hostile input is refused naming the
// field.
func TestOutcomes(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := t.Context()
	const coordinate = partnernet.PurposeEstablishmentCoordination
	malmo := staff(t, env, "malmo", authz.RoleCoordinator)
	af := staff(t, env, "arbetsformedlingen", authz.RoleCoordinator)
	lund := staff(t, env, "lund", authz.RoleCoordinator)
	n := testfactory.Newcomer(ctx, t, env.Pool, &testfactory.NewcomerOpts{ControllerID: orgID(t, env, "malmo")})
	gid := relay.ToGlobalID("Newcomer", n.ID)
	record := func(p authz.Principal, in map[string]any) apitest.Response {
		full := map[string]any{"newcomerId": gid, "kind": "SFI", "startedOn": "2026-01-12", "sfiCourse": "B", "sfiProgress": "STUDYING"}
		for k, v := range in {
			full[k] = v
		}
		return env.DoFor(t, p, coordinate, recordOutcomeMutation, map[string]any{"in": full})
	}

	// The controller's coordinator, on its public task.
	resp := record(malmo, nil)
	require.Empty(t, resp.Errors)
	var got struct {
		RecordOutcome struct {
			ID, Kind, StartedOn string
			EndedOn             *string
			SfiCourse           *string
			RecordedBy          struct{ Slug string }
		}
	}
	resp.Decode(t, &got)
	sfi := got.RecordOutcome
	require.Equal(t, "SFI", sfi.Kind)
	require.Equal(t, "malmo", sfi.RecordedBy.Slug)

	// Hostile or inconsistent input: refused, naming the field.
	for _, tt := range []struct {
		name  string
		in    map[string]any
		field string
	}{
		{"in the future", map[string]any{"startedOn": "2099-01-01"}, "input.startedOn"},
		{"ends before it starts", map[string]any{"endedOn": "2025-01-01"}, "input.endedOn"},
		{"SFI without a course", map[string]any{"sfiCourse": nil}, "input.sfiCourse"},
		{"a course on work", map[string]any{"kind": "WORK"}, "input.sfiCourse"},
		{"leaving the region with an end", map[string]any{"kind": "LEFT_REGION", "sfiCourse": nil, "sfiProgress": nil, "endedOn": "2026-02-01"}, "input.endedOn"},
		{"not a newcomer", map[string]any{"newcomerId": relay.ToGlobalID("Organisation", 1)}, "input.newcomerId"},
		{"an over-long key", map[string]any{"idempotencyKey": strings.Repeat("k", 300)}, "input.idempotencyKey"},
	} {
		resp := record(malmo, tt.in)
		require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), tt.name)
		require.Equal(t, tt.field, resp.Errors[0].Extensions["field"], tt.name)
	}

	// The Public Employment Service: not without the newcomer's consent naming it, then yes.
	work := map[string]any{"kind": "WORK", "startedOn": "2026-03-02", "sfiCourse": nil, "sfiProgress": nil}
	require.Equal(t, []string{"BAD_USER_INPUT"}, record(af, work).Codes(), "another partner without consent: as if there were nobody")
	require.Equal(t, []string{"BAD_USER_INPUT"}, record(lund, work).Codes(), "another municipality: as if there were nobody")
	testfactory.Consent(ctx, t, env.Pool, &testfactory.ConsentOpts{NewcomerID: n.ID, RecipientIDs: []int64{af.OrganisationID},
		Purposes: []partnernet.Purpose{coordinate}, DataCategories: []partnernet.DataCategory{partnernet.CategoryIdentity, partnernet.CategoryOutcomes}})
	resp = record(af, work)
	require.Empty(t, resp.Errors)
	resp.Decode(t, &got)
	job := got.RecordOutcome
	require.Equal(t, "arbetsformedlingen", job.RecordedBy.Slug)

	// Both read the newcomer's outcomes; a purpose must be declared.
	read := func(p authz.Principal, purpose partnernet.Purpose) apitest.Response {
		return env.DoFor(t, p, purpose, `query($id: ID!) { node(id: $id) { ... on Newcomer { outcomes { id kind } } } }`, map[string]any{"id": gid})
	}
	for _, p := range []authz.Principal{malmo, af} {
		resp := read(p, coordinate)
		require.Empty(t, resp.Errors)
		require.Contains(t, string(resp.Data), sfi.ID)
		require.Contains(t, string(resp.Data), job.ID)
	}
	require.Equal(t, []string{"FORBIDDEN"}, read(malmo, "").Codes())

	// Only the recording organisation corrects or retracts; one who does not see the newcomer is
	// told nothing of it.
	correct := func(p authz.Principal, id string, in map[string]any) apitest.Response {
		full := map[string]any{"outcomeId": id, "kind": "SFI", "startedOn": "2026-01-12", "sfiCourse": "B", "sfiProgress": "PASSED", "endedOn": "2026-05-29"}
		for k, v := range in {
			full[k] = v
		}
		return env.DoFor(t, p, coordinate, `mutation($in: CorrectOutcomeInput!) { correctOutcome(input: $in) { sfiProgress endedOn } }`, map[string]any{"in": full})
	}
	require.Equal(t, []string{"FORBIDDEN"}, correct(af, sfi.ID, nil).Codes(), "seen, but not the recorder's")
	require.Equal(t, []string{"BAD_USER_INPUT"}, correct(lund, sfi.ID, nil).Codes())
	require.Equal(t, []string{"BAD_USER_INPUT"}, correct(malmo, relay.ToGlobalID("Outcome", 1<<40), nil).Codes(), "no such outcome, answered alike")
	resp = correct(malmo, sfi.ID, nil)
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"correctOutcome":{"sfiProgress":"PASSED","endedOn":"2026-05-29"}}`, string(resp.Data))

	retract := `mutation($in: RetractOutcomeInput!) { retractOutcome(input: $in) { id kind } }`
	require.Equal(t, []string{"FORBIDDEN"}, env.DoFor(t, malmo, coordinate, retract, map[string]any{"in": map[string]any{"outcomeId": job.ID}}).Codes())
	resp = env.DoFor(t, af, coordinate, retract, map[string]any{"in": map[string]any{"outcomeId": job.ID}})
	require.Empty(t, resp.Errors)
	resp = read(malmo, coordinate)
	require.NotContains(t, string(resp.Data), job.ID, "the retracted outcome is gone")

	// Every change is audited with the newcomer, the category OUTCOMES named.
	var actions []string
	rows, err := env.Pool.Query(ctx, `SELECT action FROM audit_event WHERE newcomer_id = $1 AND action IN
		('RECORD_OUTCOME', 'CORRECT_OUTCOME', 'RETRACT_OUTCOME') ORDER BY id`, n.ID)
	require.NoError(t, err)
	for rows.Next() {
		var a string
		require.NoError(t, rows.Scan(&a))
		actions = append(actions, a)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []string{"RECORD_OUTCOME", "RECORD_OUTCOME", "CORRECT_OUTCOME", "RETRACT_OUTCOME"}, actions)
}
