package resolvers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
)

// caller is a principal with the purpose it declares.
type caller struct {
	name    string
	p       authz.Principal
	purpose partnernet.Purpose
}

// answer is everything a response tells its caller.
type answer struct {
	Data   string
	Errors []apitest.Error
}

func answerOf(resp apitest.Response) answer {
	return answer{Data: string(resp.Data), Errors: resp.Errors}
}

// dbID returns the database id of the first row a query selects.
func dbID(t *testing.T, env *apitest.Env, query string, args ...any) int64 {
	t.Helper()
	var id int64
	require.NoError(t, env.Pool.QueryRow(context.Background(), query, args...).Scan(&id))
	return id
}

// TestNoSuchNewcomerAndNotYoursLookTheSame sends every mutation and filter that takes a newcomer
// ID, as callers who may not see a real newcomer, with that newcomer's ID, an ID that names
// nobody and malformed IDs: the answers must be identical, message, code and field included.
func TestNoSuchNewcomerAndNotYoursLookTheSame(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	hidden, _ := newcomerOf(t, env, "malmo") // Malmö's, with no consent naming anyone
	lundsOwn, _ := newcomerOf(t, env, "lund")
	hiddenID := rawID(t, hidden)
	ids := map[string]string{
		"names nobody":       relay.ToGlobalID("Newcomer", 9_000_000_000),
		"not an ID":          "not-a-newcomer-id",
		"another type's ID":  relay.ToGlobalID("Activity", hiddenID),
		"an empty ID":        "",
		"a negative id":      relay.ToGlobalID("Newcomer", -hiddenID),
		"a real, hidden one": hidden,
	}

	activity := publishedActivity(t, env, "Språkcafé", 10)
	abf := relay.ToGlobalID("Organisation", orgID(t, env, "abf"))
	lundCourse := dbID(t, env, "SELECT id FROM shk_course WHERE organisation_id = $1 ORDER BY id LIMIT 1", orgID(t, env, "lund"))
	lundSession := dbID(t, env, "SELECT id FROM shk_session WHERE course_id = $1 ORDER BY id LIMIT 1", lundCourse)
	imDesk := dbID(t, env, "SELECT id FROM advice_desk WHERE organisation_id = $1 ORDER BY id LIMIT 1", orgID(t, env, "im"))

	lundCoordinator := caller{"another municipality's coordinator", staff(t, env, "lund", authz.RoleCoordinator), partnernet.PurposeEstablishmentCoordination}
	lundSupervisor := caller{"another municipality's supervisor", staff(t, env, "lund", authz.RoleSupervisor), partnernet.PurposeSupportPlan}
	lundCommunicator := caller{"another municipality's communicator", staff(t, env, "lund", authz.RoleCommunicator), partnernet.PurposeHealthCommunication}
	imAdviser := caller{"an association's adviser", staff(t, env, "im", authz.RoleAdviser), partnernet.PurposeAdvice}
	callers := []caller{
		{"anonymous", anonymous, ""},
		{"anonymous declaring a purpose", anonymous, partnernet.PurposeEstablishmentCoordination},
		lundCoordinator, lundSupervisor, lundCommunicator, imAdviser,
		{"an association's publisher", staff(t, env, "abf", authz.RolePublisher), partnernet.PurposeActivityParticipation},
		{"the controller's organisation admin", staff(t, env, "malmo", authz.RoleOrgAdmin), ""},
		{"a network admin", staff(t, env, authz.NetworkLeadSlug, authz.RoleNetworkAdmin), ""},
		{"an analyst", staff(t, env, "malmo-universitet", authz.RoleAnalyst), partnernet.PurposeStatistics},
		{"another newcomer", self(dbID(t, env, "SELECT id FROM newcomer WHERE id <> $1 ORDER BY id LIMIT 1", hiddenID)), ""},
	}

	tests := []struct {
		name  string
		query string
		// reach is a caller whose request gets as far as the newcomer, and field where it is named.
		reach caller
		field string
	}{
		{
			name:  "enrol",
			query: fmt.Sprintf(`mutation($n: ID!) { enrol(input: {activityId: %q, newcomerId: $n}) { id } }`, activity),
			reach: lundCoordinator, field: "input.newcomerId",
		},
		{
			name: "recordConsent",
			query: fmt.Sprintf(`mutation($n: ID!) { recordConsent(input: {newcomerId: $n, recipientIds: [%q],
			  purposes: [ACTIVITY_PARTICIPATION], dataCategories: [PARTICIPATION], method: WRITTEN, noticeLanguage: "ar",
			  noticeVersion: "2026.1"}) { id } }`, abf),
			reach: lundCoordinator, field: "input.newcomerId",
		},
		{
			name:  "eraseNewcomerData",
			query: `mutation($n: ID!) { eraseNewcomerData(input: {newcomerId: $n}) { id } }`,
			reach: lundCoordinator, field: "input.newcomerId",
		},
		{
			name:  "createSupportPlan",
			query: `mutation($n: ID!) { createSupportPlan(input: {newcomerId: $n, needs: "Bostad", goals: "Eget kontrakt"}) { id } }`,
			reach: lundSupervisor, field: "input.newcomerId",
		},
		{
			name: "referNewcomer",
			query: fmt.Sprintf(`mutation($n: ID!) { referNewcomer(input: {newcomerId: $n, toOrganisationId: %q,
			  service: "Språkcafé", purpose: REFERRAL}) { id } }`, abf),
			reach: lundCoordinator, field: "input.newcomerId",
		},
		{
			name:  "mergeNewcomers, the survivor",
			query: fmt.Sprintf(`mutation($n: ID!) { mergeNewcomers(input: {survivorId: $n, duplicateId: %q, reason: "Samma person"}) { id } }`, lundsOwn),
			reach: lundCoordinator, field: "input.survivorId",
		},
		{
			name:  "mergeNewcomers, the duplicate",
			query: fmt.Sprintf(`mutation($n: ID!) { mergeNewcomers(input: {survivorId: %q, duplicateId: $n, reason: "Samma person"}) { id } }`, lundsOwn),
			reach: lundCoordinator, field: "input.duplicateId",
		},
		{
			name:  "enrolInCourse",
			query: fmt.Sprintf(`mutation($n: ID!) { enrolInCourse(input: {courseId: %q, newcomerId: $n}) { id } }`, relay.ToGlobalID("Course", lundCourse)),
			reach: lundCommunicator, field: "input.newcomerId",
		},
		{
			name:  "completeCourse",
			query: fmt.Sprintf(`mutation($n: ID!) { completeCourse(input: {courseId: %q, newcomerId: $n}) { id } }`, relay.ToGlobalID("Course", lundCourse)),
			reach: lundCommunicator, field: "input.newcomerId",
		},
		{
			name: "recordAttendance",
			query: fmt.Sprintf(`mutation($n: ID!) { recordAttendance(input: {sessionId: %q, newcomerId: $n, present: true}) { present } }`,
				relay.ToGlobalID("CourseSession", lundSession)),
			reach: lundCommunicator, field: "input.newcomerId",
		},
		{
			name: "recordAdviceVisit",
			query: fmt.Sprintf(`mutation($n: ID) { recordAdviceVisit(input: {deskId: %q, visitedAt: %q, topic: HOUSING, newcomerId: $n,
			  outcome: "Hjälp med ett brev"}) { id } }`, relay.ToGlobalID("AdviceDesk", imDesk), time.Now().Add(-time.Hour).Format(time.RFC3339)),
			reach: imAdviser, field: "input.newcomerId",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, c := range callers {
				var first answer
				for what, id := range ids {
					got := answerOf(env.DoFor(t, c.p, c.purpose, tt.query, map[string]any{"n": id}))
					require.Contains(t, []string{"", "null"}, got.Data, "%s, for an ID that %s: nothing is done", c.name, what)
					if first.Errors == nil {
						first = got
						require.NotEmpty(t, first.Errors, "%s: %s", c.name, what)
						continue
					}
					require.Equal(t, first, got, "%s, for an ID that %s", c.name, what)
				}
				if c.name == tt.reach.name {
					require.Len(t, first.Errors, 1)
					require.Equal(t, "BAD_USER_INPUT", first.Errors[0].Code())
					require.Equal(t, "no such newcomer", first.Errors[0].Message)
					require.Equal(t, tt.field, first.Errors[0].Extensions["field"])
				}
				if c.p.Anonymous() {
					require.Equal(t, []string{"UNAUTHENTICATED"}, codesOf(first), "anonymous callers are asked to sign in, whatever the ID")
				}
			}
		})
	}
}

// rawID returns the database id of a global ID.
func rawID(t *testing.T, gid string) int64 {
	t.Helper()
	_, id, err := relay.FromGlobalID(gid)
	require.NoError(t, err)
	return id
}

func codesOf(a answer) []string { return apitest.Response{Errors: a.Errors}.Codes() }

// TestAuditTrailConfirmsNoInvisibleNewcomer probes a newcomer of Malmö's, and an ID that names
// nobody, as Lund's coordinator, then reads Lund's audit trail as its organisation admin: it
// must tell the two apart neither by its filter nor by its entries or their count, while it
// still shows the denials about Lund's own newcomers.
func TestAuditTrailConfirmsNoInvisibleNewcomer(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	hidden, _ := newcomerOf(t, env, "malmo")
	lundsOwn, _ := newcomerOf(t, env, "lund")
	nobody := relay.ToGlobalID("Newcomer", 9_000_000_000)
	coordinator := staff(t, env, "lund", authz.RoleCoordinator)
	admin := staff(t, env, "lund", authz.RoleOrgAdmin)

	const trail = `query($n: ID) { organisation(slug: "lund") {
	  auditEvents(first: 100, filter: {newcomerId: $n}) { totalCount edges { node { newcomerId decision reason } } } } }`
	type trailPage struct {
		Organisation struct {
			AuditEvents struct {
				TotalCount int `json:"totalCount"`
				Edges      []struct {
					Node struct {
						NewcomerID *string `json:"newcomerId"`
						Decision   string  `json:"decision"`
						Reason     string  `json:"reason"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"auditEvents"`
		} `json:"organisation"`
	}
	read := func(n any) (trailPage, answer) {
		resp := env.Do(t, admin, trail, map[string]any{"n": n})
		var page trailPage
		if len(resp.Errors) == 0 {
			resp.Decode(t, &page)
		}
		return page, answerOf(resp)
	}
	before, _ := read(nil)

	// Lund's coordinator probes both IDs: each answer is a null node.
	const probe = `query($id: ID!) { node(id: $id) { id } }`
	for _, id := range []string{hidden, nobody} {
		resp := env.DoFor(t, coordinator, partnernet.PurposeEstablishmentCoordination, probe, map[string]any{"id": id})
		require.Empty(t, resp.Errors)
		require.JSONEq(t, `{"node": null}`, string(resp.Data))
	}
	hiddenID := rawID(t, hidden)
	var denials int
	require.NoError(t, env.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_event
		WHERE newcomer_id = $1 AND organisation_id = $2 AND decision = 'DENIED'`, hiddenID, orgID(t, env, "lund")).Scan(&denials))
	require.Equal(t, 1, denials, "the probe of the real newcomer is audited, for the newcomer's own access log")

	// And reads the health notes of a newcomer of Lund's own, which need a consent.
	resp := env.DoFor(t, coordinator, partnernet.PurposeEstablishmentCoordination,
		`query($id: ID!) { node(id: $id) { ... on Newcomer { health { notes } } } }`, map[string]any{"id": lundsOwn})
	require.Equal(t, []string{"FORBIDDEN"}, resp.Codes())

	after, _ := read(nil)
	require.Equal(t, before.Organisation.AuditEvents.TotalCount+2, after.Organisation.AuditEvents.TotalCount,
		"only the release of Lund's newcomer's record and the denial of their health notes are new")
	for _, e := range after.Organisation.AuditEvents.Edges {
		if e.Node.NewcomerID != nil {
			require.NotEqual(t, hidden, *e.Node.NewcomerID, "the trail confirms nothing about Malmö's newcomer")
		}
	}
	own, _ := read(lundsOwn)
	require.Equal(t, 2, own.Organisation.AuditEvents.TotalCount)
	require.Contains(t, []string{own.Organisation.AuditEvents.Edges[0].Node.Decision, own.Organisation.AuditEvents.Edges[1].Node.Decision}, "DENIED",
		"denials about the organisation's own newcomers are shown")

	_, byHidden := read(hidden)
	_, byNobody := read(nobody)
	_, byMalformed := read("not-a-newcomer-id")
	require.Equal(t, byNobody, byHidden, "filtered by Malmö's newcomer, the trail answers as for an ID that names nobody")
	require.Equal(t, byNobody, byMalformed)
	require.Equal(t, []string{"BAD_USER_INPUT"}, codesOf(byNobody))
	require.JSONEq(t, `{"organisation": {"auditEvents": null}}`, byNobody.Data)
	raw, err := json.Marshal(byNobody.Errors[0].Extensions)
	require.NoError(t, err)
	require.JSONEq(t, `{"code": "BAD_USER_INPUT", "field": "filter.newcomerId"}`, string(raw))
}
