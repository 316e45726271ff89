package resolvers_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
)

// TestCourseHoursAndSessionsThatTookPlace: a session's hours are kept and summed (per course
// and per participant's attendance); attendance cannot be recorded for a session that has not
// started, and a course is not completed before its required sessions took place.
func TestCourseHoursAndSessionsThatTookPlace(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	communicator := staff(t, env, "malmo", authz.RoleCommunicator)
	hc := partnernet.PurposeHealthCommunication
	participantGID, _ := newcomerOf(t, env, "malmo")

	resp := env.Do(t, communicator, createCourse, map[string]any{"in": map[string]any{
		"organisationId": relay.ToGlobalID("Organisation", orgID(t, env, "malmo")), "title": "Samhällsorientering",
		"language": "ar", "municipalityCode": "1280", "requiredSessions": 3}})
	require.Empty(t, resp.Errors)
	var created struct {
		CreateCourse struct{ ID string } `json:"createCourse"`
	}
	resp.Decode(t, &created)
	courseGID := created.CreateCourse.ID

	// Two sessions that took place (3 h and 2 h) and one next week (1.5 h).
	past := time.Now().Add(-14 * 24 * time.Hour).Truncate(time.Hour)
	next := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Hour)
	var sessions []string
	for _, s := range []struct {
		start time.Time
		hours time.Duration
	}{{past, 3 * time.Hour}, {past.Add(7 * 24 * time.Hour), 2 * time.Hour}, {next, 90 * time.Minute}} {
		resp := env.Do(t, communicator, `mutation($in: AddCourseSessionInput!) { addCourseSession(input: $in) { id hours } }`,
			map[string]any{"in": map[string]any{"courseId": courseGID, "startsAt": s.start.Format(time.RFC3339),
				"endsAt": s.start.Add(s.hours).Format(time.RFC3339), "topic": "Hälsa", "place": "Medborgarhuset"}})
		require.Empty(t, resp.Errors)
		var got struct {
			AddCourseSession struct {
				ID    string  `json:"id"`
				Hours float64 `json:"hours"`
			} `json:"addCourseSession"`
		}
		resp.Decode(t, &got)
		require.InDelta(t, s.hours.Hours(), got.AddCourseSession.Hours, 1e-9)
		sessions = append(sessions, got.AddCourseSession.ID)
	}
	resp = env.Do(t, communicator, `query($id: ID!) { node(id: $id) { ... on Course { scheduledHours } } }`, map[string]any{"id": courseGID})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node": {"scheduledHours": 6.5}}`, string(resp.Data))

	pair := map[string]any{"in": map[string]any{"courseId": courseGID, "newcomerId": participantGID}}
	resp = env.DoFor(t, communicator, hc, enrolInCourse, pair)
	require.Empty(t, resp.Errors)
	presence := func(session string) map[string]any {
		return map[string]any{"in": map[string]any{"sessionId": session, "newcomerId": participantGID, "present": true}}
	}
	resp = env.DoFor(t, communicator, hc, attend, presence(sessions[2]))
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "next week's session has not happened")
	require.Equal(t, "input.sessionId", resp.Errors[0].Extensions["field"])
	for _, s := range sessions[:2] {
		resp = env.DoFor(t, communicator, hc, attend, presence(s))
		require.Empty(t, resp.Errors)
	}
	resp = env.DoFor(t, communicator, hc, `query($id: ID!) { node(id: $id) { ... on Course { participants(first: 5) {
		edges { node { attendedSessions attendedHours } } } } } }`, map[string]any{"id": courseGID})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node": {"participants": {"edges": [{"node": {"attendedSessions": 2, "attendedHours": 5}}]}}}`, string(resp.Data))

	// Three sessions are required; the third has not taken place.
	resp = env.DoFor(t, communicator, hc, complete, pair)
	require.Equal(t, []string{"CONFLICT"}, resp.Codes())
}
