package resolvers_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
)

// journey runs the steps of one newcomer's journey through the network against the real HTTP
// handler, each step as the principal who takes it, failing at the first step that goes wrong.
type journey struct {
	t   *testing.T
	env *apitest.Env
}

// do runs a step that must succeed and returns its data.
func (j journey) do(step string, p authz.Principal, purpose partnernet.Purpose, query string, vars map[string]any) string {
	j.t.Helper()
	resp := j.env.DoFor(j.t, p, purpose, query, vars)
	require.Empty(j.t, resp.Errors, "step %q: %+v", step, resp.Errors)
	return string(resp.Data)
}

// TestNewcomerJourney is the scripted journey of issue 5: a municipality registers a newcomer
// with consent, the newcomer attends SHK, visits RÅDRUM anonymously, gets a MY PATH plan with a
// referral to an association's activity, the association sees only what the consent covers, the
// newcomer withdraws the consent and the association loses access on the next request, and the
// newcomer exports and erases their data.
func TestNewcomerJourney(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	j := journey{t: t, env: env}
	org := func(slug string) string { return relay.ToGlobalID("Organisation", orgID(t, env, slug)) }
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	communicator := staff(t, env, "malmo", authz.RoleCommunicator)
	adviser := staff(t, env, "im", authz.RoleAdviser)
	supervisor := staff(t, env, "radda-barnen", authz.RoleSupervisor)
	association := staff(t, env, "abf", authz.RolePublisher)
	const (
		coordination  = partnernet.PurposeEstablishmentCoordination
		communication = partnernet.PurposeHealthCommunication
		support       = partnernet.PurposeSupportPlan
		participation = partnernet.PurposeActivityParticipation
	)

	// 1. Malmö registers the newcomer and records two consents: Rädda Barnen may see identity,
	// contact and plan for MY PATH; ABF identity, languages and participation for its activities.
	data := j.do("register", coordinator, coordination, registerMutation, registration("Leyla Resenär", nil))
	newcomer := between(data, `"newcomer":{"id":"`, `"`)
	_, rawID, err := relay.FromGlobalID(newcomer)
	require.NoError(t, err)
	self := authz.Principal{Subject: "newcomer:" + strconv.FormatInt(rawID, 10), Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: rawID}
	const record = `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id state } }`
	consent := func(recipient string, purpose partnernet.Purpose, categories ...string) string {
		data := j.do("consent for "+recipient, coordinator, coordination, record, map[string]any{"in": map[string]any{
			"newcomerId": newcomer, "recipientIds": []string{org(recipient)}, "purposes": []string{string(purpose)},
			"dataCategories": categories, "method": "WRITTEN", "noticeLanguage": "ar", "noticeVersion": "2026.1"}})
		require.Contains(t, data, `"state":"ACTIVE"`)
		return between(data, `"id":"`, `"`)
	}
	consent("radda-barnen", support, "IDENTITY", "CONTACT", "PLAN")
	abfConsent := consent("abf", participation, "IDENTITY", "LANGUAGES", "PARTICIPATION")

	// 2. SHK: Malmö's communicator gives a course in Arabic; the newcomer attends both sessions
	// and completes it.
	data = j.do("create course", communicator, communication, `mutation($in: CreateCourseInput!) { createCourse(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"organisationId": org("malmo"), "title": "Samhällsorientering på arabiska", "language": "ar", "municipalityCode": "1280", "requiredSessions": 2}})
	course := between(data, `"id":"`, `"`)
	start := time.Now().Add(-72 * time.Hour).Truncate(time.Hour)
	var sessions []string
	for i, topic := range []string{"Att komma till Sverige", "Välkommen till Malmö: stadsbiblioteket"} {
		kind := "LESSON"
		if i == 1 {
			kind = "WELCOME_VISIT"
		}
		data = j.do("add session", communicator, communication, `mutation($in: AddCourseSessionInput!) { addCourseSession(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"courseId": course, "kind": kind, "topic": topic, "place": "Malmö",
				"startsAt": start.Add(time.Duration(i) * 24 * time.Hour).Format(time.RFC3339), "endsAt": start.Add(time.Duration(i)*24*time.Hour + 2*time.Hour).Format(time.RFC3339)}})
		sessions = append(sessions, between(data, `"id":"`, `"`))
	}
	pair := map[string]any{"in": map[string]any{"courseId": course, "newcomerId": newcomer}}
	j.do("enrol in course", communicator, communication, `mutation($in: CourseNewcomerInput!) { enrolInCourse(input: $in) { id } }`, pair)
	for _, s := range sessions {
		j.do("attend", communicator, communication, `mutation($in: RecordAttendanceInput!) { recordAttendance(input: $in) { present } }`,
			map[string]any{"in": map[string]any{"sessionId": s, "newcomerId": newcomer, "present": true}})
	}
	data = j.do("complete course", communicator, communication, `mutation($in: CourseNewcomerInput!) { completeCourse(input: $in) { completed attendedSessions } }`, pair)
	require.Contains(t, data, `"completed":true,"attendedSessions":2`)

	// 3. RÅDRUM: the newcomer asks IM's advice desk in Malmö about housing, anonymously.
	data = j.do("desks", adviser, "", `{ adviceDesks(first: 10) { edges { node { id name } } } }`, nil)
	desk := between(data[strings.Index(data, "RÅDRUM Malmö")-80:], `"id":"`, `"`)
	data = j.do("anonymous visit", adviser, "", `mutation($in: RecordAdviceVisitInput!) { recordAdviceVisit(input: $in) { anonymous newcomer { id } } }`,
		map[string]any{"in": map[string]any{"deskId": desk, "visitedAt": time.Now().Add(-time.Hour).Format(time.RFC3339), "topic": "HOUSING", "outcome": "Explained the housing queue"}})
	require.JSONEq(t, `{"recordAdviceVisit":{"anonymous":true,"newcomer":null}}`, data)

	// 4. MY PATH: Rädda Barnen's supervisor makes a plan, refers the newcomer to an ABF activity
	// (the consent names ABF for participation), and makes the referral a step of the plan.
	data = j.do("plan", supervisor, support, `mutation($n: ID!) { createSupportPlan(input: { newcomerId: $n, needs: "Language and contacts", goals: "Swedish for work" }) { id } }`,
		map[string]any{"n": newcomer})
	plan := between(data, `"id":"`, `"`)
	activity := anActivityOf(t, env, "abf")
	data = j.do("refer", supervisor, support, `mutation($in: ReferNewcomerInput!) { referNewcomer(input: $in) { id status } }`,
		map[string]any{"in": map[string]any{"newcomerId": newcomer, "toOrganisationId": org("abf"), "activityId": activity, "purpose": "ACTIVITY_PARTICIPATION", "note": "Shy at first"}})
	referral := between(data, `"id":"`, `"`)
	j.do("referral step", supervisor, support, `mutation($p: ID!, $o: ID!, $r: ID!) { addPlanStep(input: { planId: $p, kind: REFERRAL, description: "Language café at ABF", responsibleOrganisationId: $o, referralId: $r }) { id } }`,
		map[string]any{"p": plan, "o": org("abf"), "r": referral})

	// 5. ABF sees only what the consent covers: identity and languages, not contact nor health.
	const seen = `query($n: ID!) { node(id: $n) { ... on Newcomer { identity { displayName } languages { language } contact { phone } health { notes } } } }`
	resp := env.DoFor(t, association, participation, seen, map[string]any{"n": newcomer})
	require.ElementsMatch(t, []string{"CONSENT_REQUIRED", "FORBIDDEN"}, resp.Codes())
	require.JSONEq(t, `{"node":{"identity":{"displayName":"Leyla Resenär"},"languages":[{"language":"ar"},{"language":"sv"}],"contact":null,"health":null}}`, string(resp.Data))
	data = j.do("accept referral", association, participation, `mutation($r: ID!) { respondToReferral(input: { referralId: $r, status: ACCEPTED, note: "Welcome on Tuesdays" }) { status newcomer { identity { displayName } } } }`,
		map[string]any{"r": referral})
	require.Contains(t, data, `"status":"ACCEPTED","newcomer":{"identity":{"displayName":"Leyla Resenär"}}`)

	// 6. The newcomer sees their plan and their course, then withdraws ABF's consent; ABF loses
	// access on the very next request, while Rädda Barnen keeps its own.
	data = j.do("own view", self, "", `{ viewer { newcomer { supportPlans { steps { kind referral { status } } } courseParticipations(first: 5) { edges { node { completed } } } } } }`, nil)
	require.Contains(t, data, `"steps":[{"kind":"REFERRAL","referral":{"status":"ACCEPTED"}}]`)
	require.Contains(t, data, `"completed":true`)
	j.do("withdraw", self, "", `mutation($c: ID!) { withdrawConsent(input: { consentId: $c }) { state } }`, map[string]any{"c": abfConsent})
	resp = env.DoFor(t, association, participation, seen, map[string]any{"n": newcomer})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node":null}`, string(resp.Data), "ABF no longer sees the newcomer at all")
	data = j.do("referral after withdrawal", association, participation, `mutation($r: ID!) { respondToReferral(input: { referralId: $r, status: COMPLETED }) { status newcomer { id } } }`,
		map[string]any{"r": referral})
	require.JSONEq(t, `{"respondToReferral":{"status":"COMPLETED","newcomer":null}}`, data, "the referral goes on, the newcomer stays hidden")
	data = j.do("supervisor still sees", supervisor, support, `query($n: ID!) { node(id: $n) { ... on Newcomer { identity { displayName } } } }`, map[string]any{"n": newcomer})
	require.Contains(t, data, "Leyla Resenär")

	// 7. The newcomer exports everything held about them, then erases it.
	data = j.do("export", self, "", `{ myData }`, nil)
	var export struct {
		MyData map[string]json.RawMessage `json:"myData"`
	}
	require.NoError(t, json.Unmarshal([]byte(data), &export))
	for _, key := range []string{"newcomer", "contact", "family", "languages", "health", "background", "consents", "consentEvents",
		"referrals", "plans", "planSteps", "courseParticipations", "attendance", "accessLog"} {
		require.NotEqual(t, "null", string(export.MyData[key]), "the export holds %s", key)
	}
	require.Contains(t, string(export.MyData["accessLog"]), `"DENIED"`, "including ABF's refused reads")
	j.do("erase", self, "", `mutation($n: ID!) { eraseNewcomerData(input: { newcomerId: $n }) { id } }`, map[string]any{"n": newcomer})
	data = j.do("after erasure", coordinator, coordination, `query($n: ID!) { node(id: $n) { ... on Newcomer { identity { displayName } contact { phone } family { name } background { occupation } } } }`,
		map[string]any{"n": newcomer})
	require.JSONEq(t, `{"node":{"identity":{"displayName":"[erased]"},"contact":null,"family":[],"background":null}}`, data)
	var trail int
	require.NoError(t, env.Pool.QueryRow(t.Context(), "SELECT count(*) FROM audit_event WHERE newcomer_id = $1", rawID).Scan(&trail))
	require.Greater(t, trail, 10, "the audit trail of the whole journey stays")
	var completions int
	require.NoError(t, env.Pool.QueryRow(t.Context(), "SELECT count(*) FROM shk_participant WHERE newcomer_id = $1 AND completed_at IS NOT NULL", rawID).Scan(&completions))
	require.Equal(t, 1, completions, "the anonymous count of SHK completion stays")
}
