package resolvers_test

import (
	"context"
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

// signedIn is the principal of a newcomer signed in as themself.
func signedIn(id int64) authz.Principal {
	return authz.Principal{Subject: fmt.Sprintf("newcomer:%d", id), Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: id}
}

// TestAttendanceAndOverview enrols eight newcomers (six speak Arabic, two Tigrinya) in an ABF
// activity of two occurrences, records a roll call, and reads the organiser's overview: the
// attendance per occurrence and its rate, and the languages with the small count suppressed.
// Refusals: another association, a participant without a place, too many entries.
func TestAttendanceAndOverview(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := apitest.New(t)
	start := time.Now().Add(-2 * time.Hour).Truncate(time.Second) // the first evening has begun, the second is next week
	places := 7
	a := testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{OrganiserID: orgID(t, env, "abf"), Capacity: &places,
		Status: partnernet.ActivityPublished, Schedule: partnernet.Schedule{StartsAt: &start, DurationMinutes: 60, RRule: ptr("FREQ=WEEKLY;COUNT=2")}})
	activity := relay.ToGlobalID("Activity", a.ID)
	var enrolments []string
	for i := range 8 {
		lang := "ar"
		if i >= 6 {
			lang = "ti"
		}
		n := testfactory.Newcomer(ctx, t, env.Pool, &testfactory.NewcomerOpts{ControllerID: orgID(t, env, "malmo"),
			Languages: []partnernet.LanguageSkill{{Language: lang, Proficiency: partnernet.ProficiencyNative}}})
		resp := env.Do(t, signedIn(n.ID), `mutation($a: ID!) { enrol(input: {activityId: $a}) { id status } }`, map[string]any{"a": activity})
		require.Empty(t, resp.Errors)
		var got struct {
			Enrol struct{ ID, Status string } `json:"enrol"`
		}
		resp.Decode(t, &got)
		enrolments = append(enrolments, got.Enrol.ID)
	}
	publisher := staff(t, env, "abf", authz.RolePublisher)
	const record = `mutation($in: RecordActivityAttendanceInput!) { recordActivityAttendance(input: $in) { status } }`
	entries := []map[string]any{}
	for i, e := range enrolments[:7] {
		status := "PRESENT"
		switch i {
		case 5:
			status = "ABSENT"
		case 6:
			status = "EXCUSED"
		}
		entries = append(entries, map[string]any{"enrolmentId": e, "status": status})
	}
	in := map[string]any{"activityId": activity, "startsAt": start.Format(time.RFC3339), "entries": entries}

	tests := []struct {
		name  string
		p     authz.Principal
		in    map[string]any
		code  string
		field string
	}{
		{"another association", staff(t, env, "roda-korset", authz.RolePublisher), in, "NOT_FOUND", ""},
		{"the waiting participant", publisher, map[string]any{"activityId": activity, "startsAt": start.Format(time.RFC3339),
			"entries": []map[string]any{{"enrolmentId": enrolments[7], "status": "PRESENT"}}}, "BAD_USER_INPUT", "input.entries"},
		{"no such occurrence", publisher, map[string]any{"activityId": activity, "startsAt": start.Add(time.Hour).Format(time.RFC3339),
			"entries": entries}, "BAD_USER_INPUT", "input.startsAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := env.Do(t, tt.p, record, map[string]any{"in": tt.in})
			require.Len(t, resp.Errors, 1, "%s", resp.Data)
			if tt.code == "NOT_FOUND" {
				require.Contains(t, []string{"NOT_FOUND", "FORBIDDEN"}, resp.Errors[0].Code())
				return
			}
			require.Equal(t, tt.code, resp.Errors[0].Code())
			require.Equal(t, tt.field, resp.Errors[0].Extensions["field"])
		})
	}
	resp := env.Do(t, publisher, record, map[string]any{"in": in})
	require.Empty(t, resp.Errors)

	var got struct {
		Node struct {
			Overview struct {
				Enrolled, Waitlisted, Threshold int
				AttendanceRate                  *float64
				Attendance                      []struct{ Present, Absent, Excused, Unrecorded int }
				Languages                       []struct {
					Language   string
					Count      *int
					Suppressed bool
				}
			}
		}
	}
	resp = env.Do(t, publisher, `query($a: ID!) { node(id: $a) { ... on Activity { overview { enrolled waitlisted threshold
		attendanceRate attendance { present absent excused unrecorded } languages { language count suppressed } } } } }`,
		map[string]any{"a": activity})
	require.Empty(t, resp.Errors)
	resp.Decode(t, &got)
	o := got.Node.Overview
	require.Equal(t, 7, o.Enrolled)
	require.Equal(t, 1, o.Waitlisted)
	require.Len(t, o.Attendance, 1)
	require.Equal(t, struct{ Present, Absent, Excused, Unrecorded int }{5, 1, 1, 0}, o.Attendance[0])
	require.NotNil(t, o.AttendanceRate)
	require.InDelta(t, 5.0/7.0, *o.AttendanceRate, 1e-9)
	require.Equal(t, 5, o.Threshold)
	langs := map[string]struct {
		count      *int
		suppressed bool
	}{}
	for _, l := range o.Languages {
		langs[l.Language] = struct {
			count      *int
			suppressed bool
		}{l.Count, l.Suppressed}
	}
	require.False(t, langs["ar"].suppressed, "six speak Arabic: published")
	require.NotNil(t, langs["ar"].count)
	require.True(t, langs["ti"].suppressed, "one Tigrinya speaker holds a place: suppressed")
	require.Nil(t, langs["ti"].count)

	resp = env.Do(t, staff(t, env, "roda-korset", authz.RolePublisher), `query($a: ID!) { node(id: $a) { ... on Activity { overview { enrolled } } } }`,
		map[string]any{"a": activity})
	require.Len(t, resp.Errors, 1)
	require.Equal(t, "FORBIDDEN", resp.Errors[0].Code())
}

// TestImportCSV imports a CSV programme with a refused row, imports the same file again
// (nothing changes), and exports it back: the export, imported, changes nothing either.
func TestImportCSV(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := apitest.New(t)
	publisher := staff(t, env, "abf", authz.RolePublisher)
	start := time.Now().AddDate(0, 0, 10).UTC().Truncate(time.Hour)
	file := "source_id,title,category,starts_at,duration_minutes,rrule,capacity,address,municipality_code,languages\n" +
		"k-1,Språkcafé,LANGUAGE_PRACTICE," + start.Format(time.RFC3339) + ",90,FREQ=WEEKLY;COUNT=4,12,Folkets hus,1280,sv;ar\n" +
		"k-2,Fotboll,SPORTS," + start.Add(24*time.Hour).Format(time.RFC3339) + ",60,,,Stadion,1280,sv\n" +
		"k-3,Utan kategori,NO_SUCH," + start.Format(time.RFC3339) + ",60,,,,,\n" +
		",Utan id,SPORTS,,,,,,,\n"
	type report struct {
		ImportActivities struct {
			Rows, Created, Updated, Unchanged int
			Refused                           []struct {
				Row      int
				SourceID *string
				Code     string
				Field    *string
			}
		} `json:"importActivities"`
	}
	importFile := func(format, content string) report {
		resp := env.Do(t, publisher, `mutation($f: ImportFormat!, $c: String!) { importActivities(input: {format: $f, content: $c}) {
			rows created updated unchanged refused { row sourceId code field } } }`, map[string]any{"f": format, "c": content})
		require.Empty(t, resp.Errors)
		var r report
		resp.Decode(t, &r)
		return r
	}
	first := importFile("CSV", file)
	require.Equal(t, 4, first.ImportActivities.Rows)
	require.Equal(t, 2, first.ImportActivities.Created)
	require.Len(t, first.ImportActivities.Refused, 2)
	for _, r := range first.ImportActivities.Refused {
		require.Equal(t, "BAD_USER_INPUT", r.Code)
		require.NotNil(t, r.Field, "a refusal names the column")
	}
	require.Equal(t, 3, first.ImportActivities.Refused[0].Row)
	require.Equal(t, "category", *first.ImportActivities.Refused[0].Field)
	require.Equal(t, "source_id", *first.ImportActivities.Refused[1].Field)

	again := importFile("CSV", file)
	require.Equal(t, 2, again.ImportActivities.Unchanged)
	require.Zero(t, again.ImportActivities.Created+again.ImportActivities.Updated)

	handMade := testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{OrganiserID: orgID(t, env, "abf"),
		CoOrganiserIDs: []int64{orgID(t, env, "roda-korset")}, Status: partnernet.ActivityPublished,
		Schedule: partnernet.Schedule{StartsAt: &start, DurationMinutes: 45}})
	for _, format := range []string{"CSV", "ICALENDAR"} {
		resp := env.Do(t, publisher, `query($f: ImportFormat!) { activityExport(format: $f) { contentType content } }`, map[string]any{"f": format})
		require.Empty(t, resp.Errors)
		var ex struct {
			ActivityExport struct{ ContentType, Content string } `json:"activityExport"`
		}
		resp.Decode(t, &ex)
		require.Contains(t, ex.ActivityExport.Content, "k-1")
		require.Contains(t, ex.ActivityExport.Content, "Språkcafé")
		if format == "ICALENDAR" {
			back := importFile("ICALENDAR", ex.ActivityExport.Content)
			require.Zero(t, back.ImportActivities.Created, "no copies of partnernet's own activities")
			for _, r := range back.ImportActivities.Refused {
				require.Equal(t, "CONFLICT", r.Code, "an event with partnernet's own UID is refused, not copied")
			}
		}
		if format == "CSV" {
			require.True(t, strings.HasPrefix(ex.ActivityExport.ContentType, "text/csv"))
			back := importFile("CSV", ex.ActivityExport.Content)
			require.Zero(t, back.ImportActivities.Created, "the export names each activity by its source ID or global ID: no copies")
			require.Empty(t, back.ImportActivities.Refused)
			require.Equal(t, back.ImportActivities.Rows, back.ImportActivities.Updated+back.ImportActivities.Unchanged,
				"activities made by hand are adopted by their global ID")
			var coOrganisers int
			require.NoError(t, env.Pool.QueryRow(ctx, "SELECT count(*) FROM activity_co_organiser WHERE activity_id = $1",
				handMade.ID).Scan(&coOrganisers))
			require.Equal(t, 1, coOrganisers, "an adopted activity keeps what CSV does not carry")
			again := importFile("CSV", ex.ActivityExport.Content)
			require.Equal(t, again.ImportActivities.Rows, again.ImportActivities.Unchanged)
		}
	}

	// Without the right to publish, nothing is imported.
	resp := env.Do(t, staff(t, env, "abf", authz.RoleCoordinator), `mutation($c: String!) { importActivities(input: {format: CSV, content: $c}) { rows } }`,
		map[string]any{"c": file})
	require.Len(t, resp.Errors, 1)
	require.Equal(t, "FORBIDDEN", resp.Errors[0].Code())
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// TestNewcomerRecordsConsentOnlyByEnrolling: the rule that lets a newcomer record the consent
// of their sharing at enrolment does not open recordConsent to them (a consent to any recipient
// for any purpose is recorded by their municipality's staff).
func TestNewcomerRecordsConsentOnlyByEnrolling(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	n := testfactory.Newcomer(context.Background(), t, env.Pool, &testfactory.NewcomerOpts{ControllerID: orgID(t, env, "malmo")})
	resp := env.Do(t, signedIn(n.ID), `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id } }`,
		map[string]any{"in": map[string]any{
			"newcomerId": relay.ToGlobalID("Newcomer", n.ID), "recipientIds": []string{relay.ToGlobalID("Organisation", orgID(t, env, "abf"))},
			"purposes": []string{"ACTIVITY_PARTICIPATION"}, "dataCategories": []string{"HEALTH"},
			"method": "DIGITAL", "noticeLanguage": "sv", "noticeVersion": "2026.1",
			"validFrom": time.Now().Format(time.RFC3339), "validUntil": time.Now().AddDate(1, 0, 0).Format(time.RFC3339),
		}})
	require.Len(t, resp.Errors, 1)
	require.Contains(t, []string{"FORBIDDEN", "NOT_FOUND"}, resp.Errors[0].Code())
}

// TestSharingChosenByCoordinator: a coordinator enrolling a newcomer records their sharing only
// saying how they consented, and only the three shareable categories; cancelling the enrolment
// ends the sharing, and the organiser no longer sees the name.
func TestSharingChosenByCoordinator(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := apitest.New(t)
	a := testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{OrganiserID: orgID(t, env, "abf"), Status: partnernet.ActivityPublished})
	n := testfactory.Newcomer(ctx, t, env.Pool, &testfactory.NewcomerOpts{ControllerID: orgID(t, env, "malmo"), DisplayName: "Coordinated Person"})
	// A coordinator enrols a newcomer only under a consent that lets the organiser process their
	// participation (the rule of enrol); what they share with it is the newcomer's choice on top.
	testfactory.Consent(ctx, t, env.Pool, &testfactory.ConsentOpts{NewcomerID: n.ID, RecipientIDs: []int64{orgID(t, env, "abf")},
		DataCategories: []partnernet.DataCategory{partnernet.CategoryParticipation}})
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	const enrol = `mutation($in: EnrolInput!) { enrol(input: $in) { id sharing { id method dataCategories state } } }`
	in := func(sharing map[string]any) map[string]any {
		return map[string]any{"in": map[string]any{"activityId": relay.ToGlobalID("Activity", a.ID),
			"newcomerId": relay.ToGlobalID("Newcomer", n.ID), "sharing": sharing}}
	}
	tests := []struct {
		name    string
		sharing map[string]any
		field   string
	}{
		{"without saying how they consented", map[string]any{"categories": []string{"IDENTITY"}, "noticeLanguage": "ar"}, "input.sharing.method"},
		{"a category beyond the three", map[string]any{"categories": []string{"HEALTH"}, "noticeLanguage": "ar", "method": "WRITTEN"}, "input.sharing.categories.0"},
		{"no category", map[string]any{"categories": []string{}, "noticeLanguage": "ar", "method": "WRITTEN"}, "input.sharing.categories"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := env.DoFor(t, coordinator, partnernet.PurposeEstablishmentCoordination, enrol, in(tt.sharing))
			require.Len(t, resp.Errors, 1, "%s", resp.Data)
			require.Equal(t, "BAD_USER_INPUT", resp.Errors[0].Code())
			require.Equal(t, tt.field, resp.Errors[0].Extensions["field"])
		})
	}
	resp := env.DoFor(t, coordinator, partnernet.PurposeEstablishmentCoordination, enrol,
		in(map[string]any{"categories": []string{"IDENTITY", "LANGUAGES"}, "noticeLanguage": "ar", "method": "WRITTEN"}))
	require.Empty(t, resp.Errors)
	var got struct {
		Enrol struct {
			ID      string
			Sharing struct {
				ID, Method, State string
				DataCategories    []string
			}
		} `json:"enrol"`
	}
	resp.Decode(t, &got)
	require.Equal(t, "WRITTEN", got.Enrol.Sharing.Method)
	require.Equal(t, "ACTIVE", got.Enrol.Sharing.State)
	require.ElementsMatch(t, []string{"IDENTITY", "LANGUAGES"}, got.Enrol.Sharing.DataCategories)

	const participant = `query($a: ID!) { node(id: $a) { ... on Activity { enrolments(first: 5) { edges { node { participant {
		__typename ... on NamedParticipant { newcomer { identity { displayName } } } ... on AnonymousParticipant { reason } } } } } } } }`
	publisher := staff(t, env, "abf", authz.RolePublisher)
	resp = env.DoFor(t, publisher, partnernet.PurposeActivityParticipation, participant, map[string]any{"a": relay.ToGlobalID("Activity", a.ID)})
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), "Coordinated Person")

	resp = env.Do(t, signedIn(n.ID), `mutation($id: ID!) { cancelEnrolment(input: {enrolmentId: $id}) { status sharing { state } } }`,
		map[string]any{"id": got.Enrol.ID})
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"state":"EXPIRED"`, "the sharing ends with the enrolment")
	resp = env.DoFor(t, publisher, partnernet.PurposeActivityParticipation, participant, map[string]any{"a": relay.ToGlobalID("Activity", a.ID)})
	require.NotContains(t, string(resp.Data), "Coordinated Person", "the identity is no longer shared")
}
