package server_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/notice"
	"github.com/partnerskap-skane/partnernet/notice/noticetest"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// participantNewcomer is one of the newcomers of the scripted course.
type participantNewcomer struct {
	id     int64
	name   string
	email  string
	arabic bool
	shares bool
}

// staffOf is a principal acting for the organisation with slug in role.
func staffOf(t *testing.T, env *apitest.Env, slug string, role authz.Role) authz.Principal {
	t.Helper()
	o, err := env.Store.OrganisationGetBySlug(context.Background(), slug)
	require.NoError(t, err)
	return authz.Principal{Subject: string(role) + "@" + slug, OrganisationID: o.ID, Roles: []authz.Role{role}}
}

// asNewcomer is the principal of a newcomer signed in as themself.
func asNewcomer(id int64) authz.Principal {
	return authz.Principal{Subject: fmt.Sprintf("newcomer:%d", id), Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: id}
}

// mustDo runs a GraphQL request that must succeed and decodes its data into v.
func mustDo(t *testing.T, env *apitest.Env, p authz.Principal, purpose partnernet.Purpose, query string, vars map[string]any, v any) {
	t.Helper()
	resp := env.DoFor(t, p, purpose, query, vars)
	require.Empty(t, resp.Errors, "%s", resp.Data)
	if v != nil {
		resp.Decode(t, v)
	}
}

// TestAssociationRunsACourse is the scripted run of issue 15: ABF publishes a course of 20
// places; 25 newcomers enrol (20 placed, 5 waiting), some choosing to share; ABF sees names
// only of those who shared and counts of the rest; ABF cancels one occurrence and all 25
// receive a notice, read back from a real SMTP server in the test (in Arabic for those whose
// language is Arabic); a participant cancels and the first waiting is promoted and told, though
// the worker dies between claiming the delivery and sending it: after the restart the notice
// goes out exactly once.
func TestAssociationRunsACourse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := apitest.New(t)
	smtp := noticetest.StartSMTP(t)
	abf := staffOf(t, env, "abf", authz.RolePublisher)
	malmo, err := env.Store.OrganisationGetBySlug(ctx, "malmo")
	require.NoError(t, err)

	// 25 newcomers of Malmö: every third speaks Arabic natively; 8 will share at enrolment.
	var people []participantNewcomer
	for i := range 25 {
		p := participantNewcomer{name: fmt.Sprintf("Deltagare %02d", i+1), email: fmt.Sprintf("deltagare%02d@example.invalid", i+1),
			arabic: i%3 == 0, shares: i%3 == 1 || i == 24}
		lang := partnernet.LanguageSkill{Language: "ti", Proficiency: partnernet.ProficiencyNative}
		if p.arabic {
			lang.Language = "ar"
		}
		email := p.email
		p.id = testfactory.Newcomer(ctx, t, env.Pool, &testfactory.NewcomerOpts{ControllerID: malmo.ID, DisplayName: p.name,
			Contact: &partnernet.NewcomerContact{Email: &email}, Languages: []partnernet.LanguageSkill{lang}}).ID
		people = append(people, p)
	}

	// ABF publishes a weekly course of six evenings, 20 places.
	first := nextWeekday(time.Now(), time.Tuesday).Add(18 * time.Hour)
	var created struct {
		CreateActivity struct{ ID string } `json:"createActivity"`
	}
	mustDo(t, env, abf, "", `mutation($in: ActivityInput!) { createActivity(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"title": "Svenska för föräldrar", "titleEn": "Swedish for parents", "category": "LANGUAGE_PRACTICE",
		"location": map[string]any{"address": "Folkets hus, Malmö", "municipalityCode": "1280"}, "capacity": 20,
		"schedule": map[string]any{"startsAt": first.Format(time.RFC3339), "durationMinutes": 90, "rrule": "FREQ=WEEKLY;COUNT=6"},
	}}, &created)
	course := created.CreateActivity.ID
	mustDo(t, env, abf, "", `mutation($id: ID!) { publishActivity(input: {activityId: $id}) { status } }`, map[string]any{"id": course}, nil)

	// 25 enrol themselves, in order; some choose to share who they are.
	enrolments := map[int64]string{}
	for i, p := range people {
		in := map[string]any{"activityId": course}
		if p.shares {
			in["sharing"] = map[string]any{"categories": []string{"IDENTITY", "CONTACT", "LANGUAGES"}, "noticeLanguage": "sv"}
		}
		var got struct {
			Enrol struct {
				ID, Status string
				Sharing    *struct {
					State      string `json:"state"`
					Recipients []struct{ Name string }
				} `json:"sharing"`
			} `json:"enrol"`
		}
		mustDo(t, env, asNewcomer(p.id), "", `mutation($in: EnrolInput!) { enrol(input: $in) { id status
			sharing { state recipients { name } } } }`, map[string]any{"in": in}, &got)
		want := "ENROLLED"
		if i >= 20 {
			want = "WAITLISTED"
		}
		require.Equal(t, want, got.Enrol.Status, "newcomer %d", i+1)
		if p.shares {
			require.NotNil(t, got.Enrol.Sharing, "the newcomer sees the receipt of what they shared")
			require.Equal(t, "ACTIVE", got.Enrol.Sharing.State)
		} else {
			require.Nil(t, got.Enrol.Sharing)
		}
		enrolments[p.id] = got.Enrol.ID
	}

	// ABF sees names only of those who shared, and counts of the rest.
	var list struct {
		Node struct {
			Overview   struct{ Enrolled, Waitlisted, Sharing, Anonymous int } `json:"overview"`
			Enrolments struct {
				TotalCount int `json:"totalCount"`
				Edges      []struct {
					Node struct {
						Newcomer    *struct{ ID string } `json:"newcomer"`
						Participant struct {
							Typename    string                                            `json:"__typename"`
							Newcomer    *struct{ Identity *struct{ DisplayName string } } `json:"newcomer"`
							Reason      string                                            `json:"reason"`
							Explanation string                                            `json:"explanation"`
							Position    int                                               `json:"position"`
						} `json:"participant"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"enrolments"`
		} `json:"node"`
	}
	mustDo(t, env, abf, partnernet.PurposeActivityParticipation, `query($id: ID!) { node(id: $id) { ... on Activity {
		overview { enrolled waitlisted sharing anonymous }
		enrolments(first: 100) { totalCount edges { node { newcomer { id } participant { __typename
			... on NamedParticipant { newcomer { identity { displayName } } }
			... on AnonymousParticipant { reason explanation position } } } } } } } }`, map[string]any{"id": course}, &list)
	sharers := 0
	for _, p := range people {
		if p.shares {
			sharers++
		}
	}
	require.Equal(t, struct{ Enrolled, Waitlisted, Sharing, Anonymous int }{20, 5, sharers, 25 - sharers}, list.Node.Overview)
	require.Equal(t, 25, list.Node.Enrolments.TotalCount)
	var named []string
	anonymous := 0
	for _, e := range list.Node.Enrolments.Edges {
		switch e.Node.Participant.Typename {
		case "NamedParticipant":
			require.NotNil(t, e.Node.Participant.Newcomer.Identity)
			named = append(named, e.Node.Participant.Newcomer.Identity.DisplayName)
		case "AnonymousParticipant":
			anonymous++
			require.Equal(t, "NOT_SHARED", e.Node.Participant.Reason)
			require.NotEmpty(t, e.Node.Participant.Explanation)
			require.Positive(t, e.Node.Participant.Position)
			require.Nil(t, e.Node.Newcomer)
		default:
			t.Fatalf("unexpected participant %q", e.Node.Participant.Typename)
		}
	}
	var wantNamed []string
	for _, p := range people {
		if p.shares {
			wantNamed = append(wantNamed, p.name)
		}
	}
	require.ElementsMatch(t, wantNamed, named)
	require.Equal(t, 25-sharers, anonymous)

	// ABF cancels the second evening: all 25 are told, by e-mail through the SMTP server.
	second := first.AddDate(0, 0, 7)
	mustDo(t, env, abf, "", `mutation($id: ID!, $at: Time!) { cancelOccurrence(input: {activityId: $id, startsAt: $at,
		reason: "Lokalen är upptagen"}) { cancelledOccurrences { startsAt reason } } }`,
		map[string]any{"id": course, "at": second.Format(time.RFC3339)}, nil)
	worker := notice.NewWorker(notice.WorkerConfig{Store: env.Store, Mailer: smtp.Mailer(t), Lease: time.Minute})
	res, err := worker.RunOnce(ctx, time.Now())
	require.NoError(t, err)
	require.Equal(t, 25, res.Sent)
	require.Equal(t, 25, res.Skipped, "SMS is off: each SMS delivery is skipped")
	for _, p := range people {
		got := smtp.To(p.email)
		require.Len(t, got, 1, "%s gets one notice", p.name)
		m := got[0]
		if p.arabic {
			require.Equal(t, "ar", m.Language)
			require.Contains(t, m.Subject, "إلغاء موعد")
			require.Contains(t, m.Body, "Lokalen är upptagen")
		} else {
			require.Equal(t, "sv", m.Language, "Tigrinya has no texts: Swedish, then English")
			require.Contains(t, m.Subject, "Inställt tillfälle")
			require.Contains(t, m.Body, "has cancelled the session", "the English text follows the Swedish")
		}
		require.Contains(t, m.Body, second.In(partnernet.Stockholm).Format("2006-01-02 15:04"))
	}

	// A participant cancels; the first waiting (the 21st) is promoted and told. The worker dies
	// after claiming that delivery and before sending it.
	var cancelled struct {
		CancelEnrolment struct{ Status string } `json:"cancelEnrolment"`
	}
	mustDo(t, env, asNewcomer(people[3].id), "", `mutation($id: ID!) { cancelEnrolment(input: {enrolmentId: $id}) { status } }`,
		map[string]any{"id": enrolments[people[3].id]}, &cancelled)
	require.Equal(t, "CANCELLED", cancelled.CancelEnrolment.Status)
	promoted := people[20]
	errKilled := errors.New("killed")
	dying := notice.NewWorker(notice.WorkerConfig{Store: env.Store, Mailer: smtp.Mailer(t), Lease: time.Minute,
		AfterClaim: func(store.ClaimedDelivery) error { return errKilled }})
	_, err = dying.RunOnce(ctx, time.Now())
	require.ErrorIs(t, err, errKilled)
	require.Len(t, smtp.To(promoted.email), 1, "nothing new was sent before the worker died")
	var status string
	require.NoError(t, env.Pool.QueryRow(ctx, `SELECT d.status FROM notice_delivery d JOIN notice n ON n.id = d.notice_id
		WHERE n.newcomer_id = $1 AND n.kind = 'PROMOTED' AND d.channel = 'EMAIL'`, promoted.id).Scan(&status))
	require.Equal(t, "SENDING", status, "the claim committed: its lease holds the delivery")

	// Another worker before the lease runs out leaves it alone; after it, sends it once.
	restarted := notice.NewWorker(notice.WorkerConfig{Store: env.Store, Mailer: smtp.Mailer(t), Lease: time.Minute})
	res, err = restarted.RunOnce(ctx, time.Now())
	require.NoError(t, err)
	require.Zero(t, res.Sent)
	res, err = restarted.RunOnce(ctx, time.Now().Add(2*time.Minute))
	require.NoError(t, err)
	require.Equal(t, 1, res.Sent)
	res, err = restarted.RunOnce(ctx, time.Now().Add(time.Hour))
	require.NoError(t, err)
	require.Zero(t, res.Sent+res.Retried, "nothing is left to send")
	got := smtp.To(promoted.email)
	require.Len(t, got, 2, "the cancelled evening, then the promotion, once")
	require.Contains(t, got[1].Subject, "Du har fått en plats")
	require.Equal(t, notice.MessageID(noticeID(t, env, promoted.id, partnernet.NoticePromoted)), got[1].MessageID)
	require.Len(t, smtp.Mails(), 26, "25 cancellations and one promotion, nothing twice")

	// The promoted newcomer reads the notice in the API too, with its delivery status.
	var viewer struct {
		Viewer struct {
			Notices struct {
				Edges []struct {
					Node struct {
						Kind       string
						Deliveries []struct{ Channel, Status string }
					}
				}
			}
		}
	}
	mustDo(t, env, asNewcomer(promoted.id), "", `{ viewer { notices(first: 10) { edges { node { kind deliveries { channel status } } } } } }`, nil, &viewer)
	require.Len(t, viewer.Viewer.Notices.Edges, 2)
	require.Equal(t, "PROMOTED", viewer.Viewer.Notices.Edges[0].Node.Kind)
	require.ElementsMatch(t, []struct{ Channel, Status string }{{"EMAIL", "SENT"}, {"SMS", "SKIPPED"}},
		viewer.Viewer.Notices.Edges[0].Node.Deliveries)
}

// noticeID is the id of a newcomer's notice of a kind.
func noticeID(t *testing.T, env *apitest.Env, newcomerID int64, kind partnernet.NoticeKind) int64 {
	t.Helper()
	var id int64
	require.NoError(t, env.Pool.QueryRow(context.Background(),
		"SELECT id FROM notice WHERE newcomer_id = $1 AND kind = $2", newcomerID, kind).Scan(&id))
	return id
}

// nextWeekday is the start (Swedish time) of the next day that is weekday, at least two days on.
func nextWeekday(from time.Time, weekday time.Weekday) time.Time {
	d := from.In(partnernet.Stockholm).AddDate(0, 0, 2)
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, partnernet.Stockholm)
	for d.Weekday() != weekday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// TestReimportLeavesActivitiesUnchanged imports the same iCalendar file twice: the first time
// makes the activities, the second changes nothing (not even their versions), and a changed
// row updates its activity in place, never making a second one.
func TestReimportLeavesActivitiesUnchanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := apitest.New(t)
	abf := staffOf(t, env, "abf", authz.RolePublisher)
	start := nextWeekday(time.Now(), time.Thursday).Add(17 * time.Hour).UTC()
	file := func(title string) string {
		return strings.ReplaceAll(`BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//ABF Malmö//Kursprogram//SV
BEGIN:VEVENT
UID:abf-kurs-1001@abf.example
DTSTAMP:20260101T000000Z
DTSTART:`+start.Format("20060102T150405Z")+`
DURATION:PT2H
RRULE:FREQ=WEEKLY;COUNT=8
SUMMARY:`+title+`
DESCRIPTION:Samtal på svenska
LOCATION:Kulturhuset\, Malmö
CATEGORIES:LANGUAGE_PRACTICE
X-PARTNERNET-CAPACITY:15
X-PARTNERNET-LANGUAGES:sv,ar
END:VEVENT
BEGIN:VEVENT
UID:abf-kurs-1002@abf.example
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Stockholm:`+start.In(partnernet.Stockholm).AddDate(0, 0, 1).Format("20060102T150405")+`
DTEND;TZID=Europe/Stockholm:`+start.In(partnernet.Stockholm).AddDate(0, 0, 1).Add(time.Hour).Format("20060102T150405")+`
SUMMARY:Fotboll för alla
CATEGORIES:SPORTS
END:VEVENT
BEGIN:VEVENT
UID:abf-kurs-1003@abf.example
DTSTAMP:20260101T000000Z
SUMMARY:Utan tid
END:VEVENT
END:VCALENDAR
`, "\n", "\r\n")
	}
	type report struct {
		ImportActivities struct {
			Rows, Created, Updated, Unchanged int
			Results                           []struct{ SourceID, ActivityID, Outcome string }
			Refused                           []struct {
				Row            int
				SourceID, Code string
				Field          *string
			}
		} `json:"importActivities"`
	}
	importFile := func(content string) report {
		var r report
		mustDo(t, env, abf, "", `mutation($c: String!) { importActivities(input: {format: ICALENDAR, content: $c}) {
			rows created updated unchanged results { sourceId activityId outcome } refused { row sourceId code field } } }`,
			map[string]any{"c": content}, &r)
		return r
	}
	snapshot := func() map[int64]string {
		rows, err := env.Pool.Query(ctx, `SELECT a.id, a.version || ' ' || a.updated_at || ' ' || a.status || ' ' || a.title
			FROM activity a JOIN activity_source s ON s.activity_id = a.id ORDER BY a.id`)
		require.NoError(t, err)
		defer rows.Close()
		out := map[int64]string{}
		for rows.Next() {
			var id int64
			var v string
			require.NoError(t, rows.Scan(&id, &v))
			out[id] = v
		}
		require.NoError(t, rows.Err())
		return out
	}

	first := importFile(file("Språkcafé"))
	require.Equal(t, 3, first.ImportActivities.Rows)
	require.Equal(t, 2, first.ImportActivities.Created)
	require.Len(t, first.ImportActivities.Refused, 1)
	require.Equal(t, "abf-kurs-1003@abf.example", first.ImportActivities.Refused[0].SourceID)
	require.Equal(t, "BAD_USER_INPUT", first.ImportActivities.Refused[0].Code)
	before := snapshot()
	require.Len(t, before, 2)

	again := importFile(file("Språkcafé"))
	require.Zero(t, again.ImportActivities.Created+again.ImportActivities.Updated)
	require.Equal(t, 2, again.ImportActivities.Unchanged)
	require.Equal(t, before, snapshot(), "re-importing the same file leaves the activities unchanged")

	changed := importFile(file("Språkcafé för alla"))
	require.Equal(t, 1, changed.ImportActivities.Updated)
	require.Equal(t, 1, changed.ImportActivities.Unchanged)
	after := snapshot()
	require.Len(t, after, 2, "an update, never a second activity")
	id, err := relay.DecodeID("id", "Activity", changed.ImportActivities.Results[0].ActivityID)
	require.NoError(t, err)
	require.Contains(t, after[id], "Språkcafé för alla")
	require.Contains(t, after[id], "PUBLISHED")
}
