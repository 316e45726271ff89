package resolvers_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
)

// TestCreatesAreIdempotent retries every create a client may retry, as a client does whose
// first answer was lost (the server killed between commit and answer): with the same key, the
// retry returns the first result and writes nothing, neither the object nor an audit entry;
// the same key with other input is a CONFLICT and writes nothing either.
func TestCreatesAreIdempotent(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	abf := relay.ToGlobalID("Organisation", orgID(t, env, "abf"))
	malmoCoordinator := caller{"Malmö's coordinator", staff(t, env, "malmo", authz.RoleCoordinator), ""}
	supervisor := caller{"Rädda Barnen's supervisor", staff(t, env, "radda-barnen", authz.RoleSupervisor), partnernet.PurposeSupportPlan}
	adviser := caller{"IM's adviser", staff(t, env, "im", authz.RoleAdviser), partnernet.PurposeAdvice}
	communicator := caller{"Lund's communicator", staff(t, env, "lund", authz.RoleCommunicator), ""}
	publisher := caller{"ABF's publisher", staff(t, env, "abf", authz.RolePublisher), ""}
	do := func(c caller, query string, vars map[string]any) apitest.Response {
		return env.DoFor(t, c.p, c.purpose, query, vars)
	}

	consentee, _ := newcomerOf(t, env, "malmo")
	referred := newConsentFixture(t, env, partnernet.ConsentActive, partnernet.CategoryIdentity)
	planned := newConsentFixture(t, env, "")
	resp := do(malmoCoordinator, `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"newcomerId": planned.newcomerGID, "recipientIds": []string{relay.ToGlobalID("Organisation", orgID(t, env, "radda-barnen"))},
		"purposes": []string{"SUPPORT_PLAN"}, "dataCategories": []string{"IDENTITY", "PLAN"},
		"method": "WRITTEN", "noticeLanguage": "ar", "noticeVersion": "1"}})
	require.Empty(t, resp.Errors)
	resp = do(supervisor, `mutation($n: ID!) { createSupportPlan(input: {newcomerId: $n, needs: "Arbete", goals: "Ett jobb"}) { id } }`,
		map[string]any{"n": planned.newcomerGID})
	require.Empty(t, resp.Errors)
	plan := between(string(resp.Data), `"id":"`, `"`)
	imDesk := relay.ToGlobalID("AdviceDesk", dbID(t, env, "SELECT id FROM advice_desk WHERE organisation_id = $1 ORDER BY id LIMIT 1", orgID(t, env, "im")))
	visitedAt := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	resp = do(adviser, `mutation($in: RecordAdviceVisitInput!) { recordAdviceVisit(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"deskId": imDesk, "visitedAt": visitedAt.Format(time.RFC3339), "topic": "WORK", "outcome": "Hjälp med CV"}})
	require.Empty(t, resp.Errors)
	visit := between(string(resp.Data), `"id":"`, `"`)
	lundCourse := dbID(t, env, "SELECT id FROM shk_course WHERE organisation_id = $1 ORDER BY id LIMIT 1", orgID(t, env, "lund"))
	sessionStart := time.Now().AddDate(0, 1, 0).UTC().Truncate(time.Hour)

	tests := []struct {
		name   string
		caller caller
		// query takes the input as $in and, where keyArg, the key as $key.
		query  string
		input  map[string]any
		other  func(in map[string]any)
		keyArg bool
		// count counts the rows the create makes.
		count string
		args  []any
	}{
		{
			name: "recordConsent", caller: malmoCoordinator,
			query: `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id state recordedAt } }`,
			input: map[string]any{"newcomerId": consentee, "recipientIds": []string{abf}, "purposes": []string{"ACTIVITY_PARTICIPATION"},
				"dataCategories": []string{"PARTICIPATION"}, "method": "WRITTEN", "noticeLanguage": "ar", "noticeVersion": "2026.1"},
			other: func(in map[string]any) { in["noticeVersion"] = "2026.2" },
			count: "SELECT count(*) FROM consent_record WHERE newcomer_id = $1", args: []any{rawID(t, consentee)},
		},
		{
			name: "registerNewcomer", caller: malmoCoordinator,
			query: `mutation($in: RegisterNewcomerInput!) { registerNewcomer(input: $in) { newcomer { id registeredAt } } }`,
			input: registration("Idem Potent", nil)["in"].(map[string]any),
			other: func(in map[string]any) { in["birthYear"] = 1991 },
			count: "SELECT count(*) FROM newcomer WHERE display_name = 'Idem Potent'",
		},
		{
			name: "referNewcomer", caller: malmoCoordinator,
			query: `mutation($in: ReferNewcomerInput!) { referNewcomer(input: $in) { id status } }`,
			input: map[string]any{"newcomerId": referred.newcomerGID, "toOrganisationId": abf, "service": "Språkcafé",
				"purpose": "ACTIVITY_PARTICIPATION", "note": "Vill öva svenska"},
			other: func(in map[string]any) { in["note"] = "Vill öva svenska på kvällar" },
			count: "SELECT count(*) FROM referral WHERE newcomer_id = $1", args: []any{referred.newcomerID},
		},
		{
			name: "createSupportPlan", caller: supervisor,
			query: `mutation($in: CreateSupportPlanInput!) { createSupportPlan(input: $in) { id status } }`,
			input: map[string]any{"newcomerId": planned.newcomerGID, "needs": "Bostad", "goals": "Eget kontrakt"},
			other: func(in map[string]any) { in["goals"] = "Andrahandskontrakt" },
			count: "SELECT count(*) FROM support_plan WHERE newcomer_id = $1", args: []any{planned.newcomerID},
		},
		{
			name: "addPlanStep", caller: supervisor,
			query: `mutation($in: AddPlanStepInput!) { addPlanStep(input: $in) { id steps { description } } }`,
			input: map[string]any{"planId": plan, "kind": "APPOINTMENT", "description": "Möte med Arbetsförmedlingen", "responsibleOrganisationId": abf},
			other: func(in map[string]any) { in["description"] = "Möte med Försäkringskassan" },
			count: "SELECT count(*) FROM plan_step WHERE plan_id = $1", args: []any{rawID(t, plan)},
		},
		{
			name: "followUpPlan", caller: supervisor,
			query: `mutation($in: FollowUpPlanInput!) { followUpPlan(input: $in) { id } }`,
			input: map[string]any{"planId": plan, "note": "Går framåt"},
			other: func(in map[string]any) { in["note"] = "Står still" },
			count: "SELECT count(*) FROM plan_follow_up WHERE plan_id = $1", args: []any{rawID(t, plan)},
		},
		{
			name: "recordAdviceVisit", caller: adviser,
			query: `mutation($in: RecordAdviceVisitInput!) { recordAdviceVisit(input: $in) { id recordedAt } }`,
			input: map[string]any{"deskId": imDesk, "visitedAt": visitedAt.Format(time.RFC3339), "topic": "HOUSING", "outcome": "Förklarade brevet"},
			other: func(in map[string]any) { in["topic"] = "MONEY" },
			count: "SELECT count(*) FROM advice_visit WHERE outcome = 'Förklarade brevet'",
		},
		{
			name: "recordFollowUp", caller: adviser,
			query: `mutation($in: RecordFollowUpInput!) { recordFollowUp(input: $in) { note recordedAt } }`,
			input: map[string]any{"visitId": visit, "dueAt": time.Now().AddDate(0, 0, 7).UTC().Truncate(time.Second).Format(time.RFC3339), "note": "Ring tillbaka"},
			other: func(in map[string]any) { in["note"] = "Skriv tillbaka" },
			count: "SELECT count(*) FROM advice_follow_up WHERE visit_id = $1", args: []any{rawID(t, visit)},
		},
		{
			name: "createCourse", caller: communicator,
			query: `mutation($in: CreateCourseInput!) { createCourse(input: $in) { id } }`,
			input: map[string]any{"organisationId": relay.ToGlobalID("Organisation", orgID(t, env, "lund")),
				"title": "Samhällsorientering på dari", "language": "prs", "requiredSessions": 4},
			other: func(in map[string]any) { in["requiredSessions"] = 5 },
			count: "SELECT count(*) FROM shk_course WHERE title = 'Samhällsorientering på dari'",
		},
		{
			name: "addCourseSession", caller: communicator,
			query: `mutation($in: AddCourseSessionInput!) { addCourseSession(input: $in) { id } }`,
			input: map[string]any{"courseId": relay.ToGlobalID("Course", lundCourse), "startsAt": sessionStart.Format(time.RFC3339),
				"endsAt": sessionStart.Add(2 * time.Hour).Format(time.RFC3339), "topic": "Att bo i Sverige", "place": "Stadsbiblioteket"},
			other: func(in map[string]any) { in["place"] = "Medborgarhuset" },
			count: "SELECT count(*) FROM shk_session WHERE course_id = $1", args: []any{lundCourse},
		},
		{
			name: "createActivity", caller: publisher, keyArg: true,
			query: `mutation($in: ActivityInput!, $key: String) { createActivity(input: $in, idempotencyKey: $key) { id version } }`,
			input: activityInput("Idempotent språkcafé"),
			other: func(in map[string]any) { in["capacity"] = 12 },
			count: "SELECT count(*) FROM activity WHERE title = 'Idempotent språkcafé'",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// A subject of the subtest's own, so that the others' audit entries do not count.
			c := tt.caller
			c.p.Subject += "#" + tt.name
			count := func() (rows, done int) {
				require.NoError(t, env.Pool.QueryRow(ctx, tt.count, tt.args...).Scan(&rows))
				require.NoError(t, env.Pool.QueryRow(ctx, "SELECT count(*) FROM audit_event WHERE subject = $1 AND decision = 'DONE'",
					c.p.Subject).Scan(&done))
				return rows, done
			}
			send := func(in map[string]any, key string) apitest.Response {
				in = maps.Clone(in)
				vars := map[string]any{"in": in}
				if tt.keyArg {
					vars["key"] = key
				} else {
					in["idempotencyKey"] = key
				}
				return do(c, tt.query, vars)
			}
			key := "retry-" + tt.name
			rows, _ := count()
			first := send(tt.input, key)
			require.Empty(t, first.Errors)
			rowsAfter, done := count()
			require.Equal(t, rows+1, rowsAfter)

			// The answer was lost; the client retries.
			again := send(tt.input, key)
			require.Empty(t, again.Errors)
			require.JSONEq(t, string(first.Data), string(again.Data), "the retry returns the first result")
			rowsAgain, doneAgain := count()
			require.Equal(t, rowsAfter, rowsAgain, "the retry creates nothing")
			require.Equal(t, done, doneAgain, "the retry audits nothing")

			// The same key with other input is refused.
			other := maps.Clone(tt.input)
			tt.other(other)
			conflict := send(other, key)
			require.Equal(t, []string{"CONFLICT"}, conflict.Codes())
			field := "input.idempotencyKey"
			if tt.keyArg {
				field = "idempotencyKey"
			}
			require.Equal(t, field, conflict.Errors[0].Extensions["field"])
			rowsConflict, _ := count()
			require.Equal(t, rowsAfter, rowsConflict)

			// Another key is another create.
			require.Empty(t, send(tt.input, key+"-2").Errors)
			rowsNew, _ := count()
			require.Equal(t, rowsAfter+1, rowsNew)
		})
	}
}
