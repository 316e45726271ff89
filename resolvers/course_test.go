package resolvers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// newcomerOf registers a newcomer with the municipality of slug, without any consent, and
// returns their global ID and the principal of the newcomer themself.
func newcomerOf(t *testing.T, env *apitest.Env, slug string) (string, authz.Principal) {
	t.Helper()
	id := testfactory.Newcomer(context.Background(), t, env.Pool, &testfactory.NewcomerOpts{
		ControllerID: orgID(t, env, slug), DisplayName: "Fixture Participant",
	}).ID
	return relay.ToGlobalID("Newcomer", id), authz.Principal{
		Subject: fmt.Sprintf("newcomer:%d", id), Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: id,
	}
}

// refusal is a request that must fail with a code and, for bad input, a field.
type refusal struct {
	name      string
	principal authz.Principal
	purpose   partnernet.Purpose
	vars      map[string]any
	wantCode  string
	wantField string
}

// requireRefused runs each refusal of a mutation and checks its error and that the response
// holds no data.
func requireRefused(t *testing.T, env *apitest.Env, mutation string, refusals []refusal) {
	t.Helper()
	for _, tt := range refusals {
		resp := env.DoFor(t, tt.principal, tt.purpose, mutation, tt.vars)
		require.Equal(t, []string{tt.wantCode}, resp.Codes(), "%s: %+v", tt.name, resp.Errors)
		if tt.wantField != "" {
			require.Equal(t, tt.wantField, resp.Errors[0].Extensions["field"], tt.name)
		}
	}
}

// doneActions counts the audit entries of changes done by subject, by action.
func doneActions(t *testing.T, env *apitest.Env, subject string) map[string]int {
	t.Helper()
	rows, err := env.Pool.Query(context.Background(),
		`SELECT action, count(*)::int FROM audit_event WHERE subject = $1 AND decision = 'DONE' GROUP BY action`, subject)
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var action string
		var n int
		require.NoError(t, rows.Scan(&action, &n))
		out[action] = n
	}
	require.NoError(t, rows.Err())
	return out
}

const (
	createCourse  = `mutation($in: CreateCourseInput!) { createCourse(input: $in) { id title language communicator requiredSessions municipality { code } organisation { slug } } }`
	addSession    = `mutation($in: AddCourseSessionInput!) { addCourseSession(input: $in) { id kind topic course { id } } }`
	enrolInCourse = `mutation($in: CourseNewcomerInput!) { enrolInCourse(input: $in) { id attendedSessions completed newcomer { id } } }`
	attend        = `mutation($in: RecordAttendanceInput!) { recordAttendance(input: $in) { present session { id } participant { attendedSessions } } }`
	complete      = `mutation($in: CourseNewcomerInput!) { completeCourse(input: $in) { completed completedAt attendedSessions } }`
)

func TestCourseLifecycleAndAccess(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	malmo := relay.ToGlobalID("Organisation", orgID(t, env, "malmo"))
	communicator := staff(t, env, "malmo", authz.RoleCommunicator)
	lundCommunicator := staff(t, env, "lund", authz.RoleCommunicator)
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	publisher := staff(t, env, "malmo", authz.RolePublisher)
	analyst := staff(t, env, "malmo-universitet", authz.RoleAnalyst)
	participantGID, participant := newcomerOf(t, env, "malmo")
	absentGID, _ := newcomerOf(t, env, "malmo")
	lundGID, _ := newcomerOf(t, env, "lund")
	hc := partnernet.PurposeHealthCommunication

	course := func(over map[string]any) map[string]any {
		in := map[string]any{"organisationId": malmo, "title": "Samhällsorientering på arabiska", "language": "ar",
			"municipalityCode": "1280", "requiredSessions": 2}
		for k, v := range over {
			in[k] = v
		}
		return map[string]any{"in": in}
	}
	requireRefused(t, env, createCourse, []refusal{
		{name: "anonymous", principal: anonymous, vars: course(nil), wantCode: "UNAUTHENTICATED"},
		{name: "a publisher", principal: publisher, vars: course(nil), wantCode: "FORBIDDEN"},
		{name: "a coordinator", principal: coordinator, vars: course(nil), wantCode: "FORBIDDEN"},
		{name: "another organisation's communicator", principal: lundCommunicator, vars: course(nil), wantCode: "FORBIDDEN"},
		{name: "an analyst", principal: analyst, vars: course(nil), wantCode: "FORBIDDEN"},
		{name: "a newcomer", principal: participant, vars: course(nil), wantCode: "FORBIDDEN"},
		{name: "not an organisation", principal: communicator, vars: course(map[string]any{"organisationId": participantGID}), wantCode: "BAD_USER_INPUT", wantField: "input.organisationId"},
		{name: "an empty title", principal: communicator, vars: course(map[string]any{"title": "  "}), wantCode: "BAD_USER_INPUT", wantField: "input.title"},
		{name: "a language name", principal: communicator, vars: course(map[string]any{"language": "Arabic"}), wantCode: "BAD_USER_INPUT", wantField: "input.language"},
		{name: "an unknown municipality", principal: communicator, vars: course(map[string]any{"municipalityCode": "0180"}), wantCode: "BAD_USER_INPUT", wantField: "input.municipalityCode"},
		{name: "a malformed municipality code", principal: communicator, vars: course(map[string]any{"municipalityCode": "12a4"}), wantCode: "BAD_USER_INPUT", wantField: "input.municipalityCode"},
		{name: "no required sessions", principal: communicator, vars: course(map[string]any{"requiredSessions": 0}), wantCode: "BAD_USER_INPUT", wantField: "input.requiredSessions"},
	})
	require.Empty(t, doneActions(t, env, communicator.Subject), "refused mutations write nothing")

	resp := env.Do(t, communicator, createCourse, course(nil))
	require.Empty(t, resp.Errors)
	var created struct {
		CreateCourse struct {
			ID           string `json:"id"`
			Communicator string `json:"communicator"`
		} `json:"createCourse"`
	}
	resp.Decode(t, &created)
	courseGID := created.CreateCourse.ID
	require.Equal(t, communicator.Subject, created.CreateCourse.Communicator, "the communicator gives the course they create")

	start := time.Date(2026, 9, 7, 8, 0, 0, 0, time.UTC)
	session := func(over map[string]any) map[string]any {
		in := map[string]any{"courseId": courseGID, "startsAt": start.Format(time.RFC3339),
			"endsAt": start.Add(3 * time.Hour).Format(time.RFC3339), "topic": "Att komma till Sverige", "place": "Medborgarhuset"}
		for k, v := range over {
			in[k] = v
		}
		return map[string]any{"in": in}
	}
	requireRefused(t, env, addSession, []refusal{
		{name: "anonymous", principal: anonymous, vars: session(nil), wantCode: "UNAUTHENTICATED"},
		{name: "another organisation's communicator", principal: lundCommunicator, vars: session(nil), wantCode: "BAD_USER_INPUT", wantField: "input.courseId"},
		{name: "a coordinator, who reads courses", principal: coordinator, vars: session(nil), wantCode: "FORBIDDEN"},
		{name: "ends before it starts", principal: communicator, vars: session(map[string]any{"endsAt": start.Add(-time.Hour).Format(time.RFC3339)}), wantCode: "BAD_USER_INPUT", wantField: "input.endsAt"},
		{name: "longer than a day", principal: communicator, vars: session(map[string]any{"endsAt": start.Add(25 * time.Hour).Format(time.RFC3339)}), wantCode: "BAD_USER_INPUT", wantField: "input.endsAt"},
		{name: "no topic", principal: communicator, vars: session(map[string]any{"topic": ""}), wantCode: "BAD_USER_INPUT", wantField: "input.topic"},
		{name: "not a course", principal: communicator, vars: session(map[string]any{"courseId": malmo}), wantCode: "BAD_USER_INPUT", wantField: "input.courseId"},
	})
	var sessionGIDs []string
	for i, over := range []map[string]any{nil, {"topic": "Att vårda sin hälsa i Sverige"}, {"kind": "WELCOME_VISIT", "topic": "Stadsbiblioteket", "place": "Stadsbiblioteket"}} {
		in := session(over)
		in["in"].(map[string]any)["startsAt"] = start.AddDate(0, 0, 7*i).Format(time.RFC3339)
		in["in"].(map[string]any)["endsAt"] = start.AddDate(0, 0, 7*i).Add(3 * time.Hour).Format(time.RFC3339)
		resp := env.Do(t, communicator, addSession, in)
		require.Empty(t, resp.Errors)
		var got struct {
			AddCourseSession struct {
				ID   string `json:"id"`
				Kind string `json:"kind"`
			} `json:"addCourseSession"`
		}
		resp.Decode(t, &got)
		sessionGIDs = append(sessionGIDs, got.AddCourseSession.ID)
	}

	pair := func(newcomer string) map[string]any {
		return map[string]any{"in": map[string]any{"courseId": courseGID, "newcomerId": newcomer}}
	}
	requireRefused(t, env, enrolInCourse, []refusal{
		{name: "anonymous", principal: anonymous, purpose: "", vars: pair(participantGID), wantCode: "UNAUTHENTICATED"},
		{name: "a coordinator", principal: coordinator, purpose: partnernet.PurposeEstablishmentCoordination, vars: pair(participantGID), wantCode: "FORBIDDEN"},
		{name: "no purpose declared", principal: communicator, vars: pair(participantGID), wantCode: "FORBIDDEN"},
		{name: "a newcomer of another municipality without consent", principal: communicator, purpose: hc, vars: pair(lundGID), wantCode: "BAD_USER_INPUT", wantField: "input.newcomerId"},
		{name: "not a newcomer", principal: communicator, purpose: hc, vars: pair(courseGID), wantCode: "BAD_USER_INPUT", wantField: "input.newcomerId"},
	})
	resp = env.DoFor(t, communicator, hc, enrolInCourse, pair(participantGID))
	require.Empty(t, resp.Errors)
	require.JSONEq(t, fmt.Sprintf(`{"enrolInCourse":{"id":%q,"attendedSessions":0,"completed":false,"newcomer":{"id":%q}}}`,
		participantID(t, resp), participantGID), string(resp.Data))
	participantNodeGID := participantID(t, resp)
	resp = env.DoFor(t, communicator, hc, enrolInCourse, pair(participantGID))
	require.Equal(t, []string{"CONFLICT"}, resp.Codes(), "a newcomer is enrolled once")

	presence := func(session, newcomer string, present bool) map[string]any {
		return map[string]any{"in": map[string]any{"sessionId": session, "newcomerId": newcomer, "present": present}}
	}
	requireRefused(t, env, attend, []refusal{
		{name: "not enrolled", principal: communicator, purpose: hc, vars: presence(sessionGIDs[0], absentGID, true), wantCode: "BAD_USER_INPUT", wantField: "input.newcomerId"},
		{name: "another organisation's communicator", principal: lundCommunicator, purpose: hc, vars: presence(sessionGIDs[0], participantGID, true), wantCode: "BAD_USER_INPUT", wantField: "input.sessionId"},
		{name: "the newcomer themself", principal: participant, vars: presence(sessionGIDs[0], participantGID, true), wantCode: "BAD_USER_INPUT", wantField: "input.sessionId"},
	})
	resp = env.DoFor(t, communicator, hc, attend, presence(sessionGIDs[0], participantGID, true))
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"attendedSessions":1`)

	// Completion needs the required sessions, and happens once.
	resp = env.DoFor(t, communicator, hc, complete, pair(participantGID))
	require.Equal(t, []string{"CONFLICT"}, resp.Codes(), "one session of two attended")
	resp = env.DoFor(t, communicator, hc, attend, presence(sessionGIDs[2], participantGID, true))
	require.Empty(t, resp.Errors)
	resp = env.DoFor(t, communicator, hc, complete, pair(participantGID))
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"completed":true`)
	resp = env.DoFor(t, communicator, hc, complete, pair(participantGID))
	require.Equal(t, []string{"CONFLICT"}, resp.Codes(), "completed already")

	// Every change is audited with the mutation, the newcomer's among them.
	require.Equal(t, map[string]int{
		"CREATE_COURSE": 1, "ADD_COURSE_SESSION": 3, "ENROL_IN_COURSE": 1, "RECORD_ATTENDANCE": 2, "COMPLETE_COURSE": 1,
	}, doneActions(t, env, communicator.Subject))
	resp = env.Do(t, participant, `{ viewer { newcomer { accessLog(first: 20) { edges { node { action } } } } } }`, nil)
	require.Empty(t, resp.Errors)
	for _, action := range []string{"ENROL_IN_COURSE", "RECORD_ATTENDANCE", "COMPLETE_COURSE"} {
		require.Contains(t, string(resp.Data), action, "the newcomer sees who recorded their participation")
	}

	// Who sees the course, its participants and attendance.
	const courseNode = `query($id: ID!) { node(id: $id) { ... on Course {
	  title sessions(first: 10) { totalCount edges { node { kind } } }
	  participants(first: 10) { totalCount edges { node { completed attendedSessions newcomer { id identity { displayName } } } } }
	} } }`
	tests := []struct {
		name      string
		principal authz.Principal
		purpose   partnernet.Purpose
		want      string // the JSON of node, or "" for a refusal
		wantCodes []string
	}{
		{name: "the communicator, for health communication", principal: communicator, purpose: hc,
			want: fmt.Sprintf(`{"title":"Samhällsorientering på arabiska","sessions":{"totalCount":3,"edges":[{"node":{"kind":"LESSON"}},{"node":{"kind":"LESSON"}},{"node":{"kind":"WELCOME_VISIT"}}]},
			  "participants":{"totalCount":1,"edges":[{"node":{"completed":true,"attendedSessions":2,"newcomer":{"id":%q,"identity":{"displayName":"Fixture Participant"}}}}]}}`, participantGID)},
		{name: "the communicator without a purpose sees the participation but not who", principal: communicator,
			want: `{"title":"Samhällsorientering på arabiska","sessions":{"totalCount":3,"edges":[{"node":{"kind":"LESSON"}},{"node":{"kind":"LESSON"}},{"node":{"kind":"WELCOME_VISIT"}}]},
			  "participants":{"totalCount":1,"edges":[{"node":{"completed":true,"attendedSessions":2,"newcomer":null}}]}}`,
			wantCodes: []string{"FORBIDDEN"}},
		{name: "another organisation's communicator", principal: lundCommunicator, purpose: hc, want: "null"},
		{name: "a publisher", principal: publisher, want: "null"},
		{name: "an analyst", principal: analyst, want: "null"},
		{name: "anonymous", principal: anonymous, want: "null"},
		{name: "the participant, by the course's ID", principal: participant, want: "null"},
	}
	for _, tt := range tests {
		t.Run("course/"+tt.name, func(t *testing.T) {
			resp := env.DoFor(t, tt.principal, tt.purpose, courseNode, map[string]any{"id": courseGID})
			require.Equal(t, tt.wantCodes, nilIfEmpty(resp.Codes()), "%+v", resp.Errors)
			var got struct {
				Node any `json:"node"`
			}
			resp.Decode(t, &got)
			require.JSONEq(t, tt.want, mustJSON(t, got.Node))
		})
	}

	// A session by its ID, with who attended it: the course's organisation only.
	const sessionNode = `query($id: ID!) { node(id: $id) { ... on CourseSession { kind attendance(first: 5) { totalCount } } } }`
	for _, tt := range []struct {
		name      string
		principal authz.Principal
		want      string
	}{
		{"the communicator", communicator, `{"node":{"kind":"WELCOME_VISIT","attendance":{"totalCount":1}}}`},
		{"a coordinator of the organisation", coordinator, `{"node":{"kind":"WELCOME_VISIT","attendance":{"totalCount":1}}}`},
		{"another organisation's communicator", lundCommunicator, `{"node":null}`},
		{"the participant", participant, `{"node":null}`},
	} {
		resp := env.Do(t, tt.principal, sessionNode, map[string]any{"id": sessionGIDs[2]})
		require.Empty(t, resp.Errors, tt.name)
		require.JSONEq(t, tt.want, string(resp.Data), tt.name)
	}

	// The newcomer sees their own participation, its course and attendance; nobody else's.
	const own = `{ viewer { newcomer { courseParticipations(first: 10) { edges { node {
	  completed attendedSessions course { title language } attendance { present session { kind topic } }
	} } } } } }`
	resp = env.Do(t, participant, own, nil)
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"viewer":{"newcomer":{"courseParticipations":{"edges":[{"node":{"completed":true,"attendedSessions":2,
	  "course":{"title":"Samhällsorientering på arabiska","language":"ar"},
	  "attendance":[{"present":true,"session":{"kind":"LESSON","topic":"Att komma till Sverige"}},{"present":true,"session":{"kind":"WELCOME_VISIT","topic":"Stadsbiblioteket"}}]}}]}}}}`, string(resp.Data))
	const participantNode = `query($id: ID!) { node(id: $id) { ... on CourseParticipant { completed } } }`
	resp = env.Do(t, participant, participantNode, map[string]any{"id": participantNodeGID})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node":{"completed":true}}`, string(resp.Data))
	_, stranger := newcomerOf(t, env, "malmo")
	resp = env.Do(t, stranger, participantNode, map[string]any{"id": participantNodeGID})
	require.JSONEq(t, `{"node":null}`, string(resp.Data), "another newcomer's participation is hidden")

	// The courses list: the organisation's staff only.
	for _, tt := range []struct {
		name      string
		principal authz.Principal
		wantCode  string
	}{
		{"anonymous", anonymous, "UNAUTHENTICATED"},
		{"a publisher", publisher, "FORBIDDEN"},
		{"an analyst", analyst, "FORBIDDEN"},
		{"a newcomer", participant, "FORBIDDEN"},
	} {
		resp := env.Do(t, tt.principal, `{ courses(first: 5) { totalCount } }`, nil)
		require.Equal(t, []string{tt.wantCode}, resp.Codes(), tt.name)
	}
	const courses = `{ courses(first: 50, filter: {languages: ["ar"]}) { edges { node { organisation { slug } } } } }`
	for _, p := range []authz.Principal{communicator, coordinator, lundCommunicator} {
		resp := env.Do(t, p, courses, nil)
		require.Empty(t, resp.Errors)
		var got struct {
			Courses struct {
				Edges []struct {
					Node struct {
						Organisation struct{ Slug string } `json:"organisation"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"courses"`
		}
		resp.Decode(t, &got)
		if p.OrganisationID == communicator.OrganisationID {
			require.Len(t, got.Courses.Edges, 2, "Malmö's Arabic course of the demo network, and this one")
		}
		for _, e := range got.Courses.Edges {
			_, slug, _ := strings.Cut(p.Subject, "@")
			require.Equal(t, slug, e.Node.Organisation.Slug, "only the caller's organisation's courses")
		}
	}
}

// participantID reads the participation ID an enrolInCourse response carries.
func participantID(t *testing.T, resp apitest.Response) string {
	t.Helper()
	var got struct {
		EnrolInCourse struct {
			ID string `json:"id"`
		} `json:"enrolInCourse"`
	}
	resp.Decode(t, &got)
	return got.EnrolInCourse.ID
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestEnrolmentAcrossOrganisationsNeedsConsent checks the consent path of SHK: a communicator
// of another municipality enrols a newcomer only under a consent naming their organisation for
// health communication that covers participation.
func TestEnrolmentAcrossOrganisationsNeedsConsent(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	lund := staff(t, env, "lund", authz.RoleCommunicator)
	hc := partnernet.PurposeHealthCommunication
	resp := env.Do(t, lund, `{ courses(first: 1) { edges { node { id } } } }`, nil)
	require.Empty(t, resp.Errors)
	var list struct {
		Courses struct {
			Edges []struct {
				Node struct{ ID string } `json:"node"`
			} `json:"edges"`
		} `json:"courses"`
	}
	resp.Decode(t, &list)
	require.Len(t, list.Courses.Edges, 1, "Lund gives a course in the demo network")
	courseGID := list.Courses.Edges[0].Node.ID

	consent := func(newcomerGID string, categories ...string) {
		resp := env.Do(t, staff(t, env, "malmo", authz.RoleCoordinator), `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id } }`,
			map[string]any{"in": map[string]any{
				"newcomerId": newcomerGID, "recipientIds": []string{relay.ToGlobalID("Organisation", lund.OrganisationID)},
				"purposes": []string{"HEALTH_COMMUNICATION"}, "dataCategories": categories, "method": "WRITTEN", "noticeLanguage": "ti", "noticeVersion": "2026.1",
			}})
		require.Empty(t, resp.Errors)
	}
	withoutConsent, _ := newcomerOf(t, env, "malmo")
	identityOnly, _ := newcomerOf(t, env, "malmo")
	consent(identityOnly, "IDENTITY")
	covered, _ := newcomerOf(t, env, "malmo")
	consent(covered, "IDENTITY", "PARTICIPATION")
	tests := []struct {
		name      string
		newcomer  string
		purpose   partnernet.Purpose
		wantCode  string
		wantField string
	}{
		{"no consent", withoutConsent, hc, "BAD_USER_INPUT", "input.newcomerId"},
		{"a consent without participation", identityOnly, hc, "CONSENT_REQUIRED", ""},
		{"a consent, but no purpose declared", covered, "", "BAD_USER_INPUT", "input.newcomerId"},
		{"a consent covering participation", covered, hc, "", ""},
	}
	for _, tt := range tests {
		resp := env.DoFor(t, lund, tt.purpose, enrolInCourse, map[string]any{"in": map[string]any{"courseId": courseGID, "newcomerId": tt.newcomer}})
		if tt.wantCode == "" {
			require.Empty(t, resp.Errors, tt.name)
			require.Contains(t, string(resp.Data), covered, tt.name)
			continue
		}
		require.Equal(t, []string{tt.wantCode}, resp.Codes(), tt.name)
		if tt.wantField != "" {
			require.Equal(t, tt.wantField, resp.Errors[0].Extensions["field"], tt.name)
		}
	}
}
