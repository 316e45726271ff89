package hsds_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/stretchr/testify/require"
	"github.com/teambition/rrule-go"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/hsds"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// scheduleCases are schedules of every shape an activity may have: across summer and winter
// time, with exceptions, daily, every other week, monthly by weekday and by date, yearly, a
// one-off, a rule HSDS cannot express, and an open-ended one.
func scheduleCases() map[string]partnernet.Schedule {
	at := func(y int, m time.Month, d, h, mi int) *time.Time {
		t := time.Date(y, m, d, h, mi, 0, 0, partnernet.Stockholm)
		return &t
	}
	rule := func(s string) *string { return &s }
	return map[string]partnernet.Schedule{
		"weekly across spring's change, one exception": {StartsAt: at(2027, 3, 16, 18, 0), DurationMinutes: 90,
			RRule: rule("FREQ=WEEKLY;BYDAY=TU;COUNT=8"), ExDates: []time.Time{*at(2027, 3, 30, 18, 0)}},
		"daily across autumn's change": {StartsAt: at(2027, 10, 25, 9, 30), DurationMinutes: 60, RRule: rule("FREQ=DAILY;COUNT=10")},
		"every fourteen days":          {StartsAt: at(2027, 1, 4, 17, 0), DurationMinutes: 120, RRule: rule("FREQ=DAILY;INTERVAL=14;COUNT=6")},
		"every other week on two days": {StartsAt: at(2027, 2, 1, 18, 0), DurationMinutes: 60,
			RRule: rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=8")},
		"second Tuesday monthly": {StartsAt: at(2027, 1, 12, 18, 0), DurationMinutes: 60, RRule: rule("FREQ=MONTHLY;BYDAY=2TU;COUNT=5")},
		"the 15th until new year": {StartsAt: at(2027, 1, 15, 12, 0), DurationMinutes: 45,
			RRule: rule("FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20271231T000000Z"), ExDates: []time.Time{*at(2027, 7, 15, 12, 0)}},
		"yearly on the first of May": {StartsAt: at(2027, 5, 1, 11, 0), DurationMinutes: 180, RRule: rule("FREQ=YEARLY;COUNT=3")},
		"a one-off":                  {StartsAt: at(2027, 6, 1, 10, 0), DurationMinutes: 240},
		"the last weekday of the month (HSDS has no BYSETPOS)": {StartsAt: at(2027, 1, 29, 16, 0), DurationMinutes: 60,
			RRule: rule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=4")},
		"every Saturday, open-ended": {StartsAt: at(2026, 12, 5, 11, 0), DurationMinutes: 90, RRule: rule("FREQ=WEEKLY;BYDAY=SA")},
		"late evening into the night": {StartsAt: at(2027, 3, 5, 23, 0), DurationMinutes: 150,
			RRule: rule("FREQ=WEEKLY;COUNT=4")},
	}
}

// severalScheduleCases are activities with several schedules: other days and times of day,
// durations, rules and exceptions of their own, across summer and winter time.
func severalScheduleCases() map[string][]partnernet.Schedule {
	at := func(y int, m time.Month, d, h, mi int) *time.Time {
		t := time.Date(y, m, d, h, mi, 0, 0, partnernet.Stockholm)
		return &t
	}
	rule := func(s string) *string { return &s }
	return map[string][]partnernet.Schedule{
		"Tuesday evenings and Saturday mornings": {
			{StartsAt: at(2027, 3, 2, 18, 0), DurationMinutes: 90, RRule: rule("FREQ=WEEKLY;BYDAY=TU;COUNT=10"),
				ExDates: []time.Time{*at(2027, 3, 30, 18, 0)}},
			{StartsAt: at(2027, 3, 6, 10, 0), DurationMinutes: 120, RRule: rule("FREQ=WEEKLY;BYDAY=SA;COUNT=6")},
		},
		"a weekly course, a monthly open house and a closing day": {
			{StartsAt: at(2027, 9, 6, 17, 30), DurationMinutes: 60, RRule: rule("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=16")},
			{StartsAt: at(2027, 9, 12, 13, 0), DurationMinutes: 180, RRule: rule("FREQ=MONTHLY;BYDAY=2SU;COUNT=4")},
			{StartsAt: at(2027, 12, 18, 11, 0), DurationMinutes: 240},
		},
		"an open-ended evening and a last weekday of the month": {
			{StartsAt: at(2026, 12, 3, 19, 0), DurationMinutes: 60, RRule: rule("FREQ=WEEKLY;BYDAY=TH")},
			{StartsAt: at(2027, 1, 29, 16, 0), DurationMinutes: 45, RRule: rule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3")},
		},
	}
}

// occurrenceSet is a sorted list of instants, in UTC, up to cut.
func occurrenceSet(ts []time.Time, cut time.Time) []time.Time {
	var out []time.Time
	for _, t := range ts {
		if !t.After(cut) {
			out = append(out, t.UTC())
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// TestSchedulesExpandToTheSameOccurrences checks, for every public activity of the demo
// directory and for activities with schedules of every shape, one or several, that the HSDS
// schedules of its service expand (as an HSDS client would) to the occurrences the GraphQL API
// gives (its schedules, and its next occurrences) and those the iCalendar feed's events give
// (DTSTART, RRULE, EXDATE in Europe/Stockholm), and close after a schedule's duration.
func TestSchedulesExpandToTheSameOccurrences(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	abf := orgID(t, env, "abf")
	made := map[int64]string{}
	for name, s := range scheduleCases() {
		a := testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{OrganiserID: abf, Title: name,
			Schedule: s, Status: partnernet.ActivityPublished})
		made[a.ID] = name
	}
	for name, all := range severalScheduleCases() {
		a := testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{OrganiserID: abf, Title: name,
			Schedule: all[0], MoreSchedules: all[1:], Status: partnernet.ActivityPublished})
		made[a.ID] = name
	}
	public, _ := publicActivities(t, env)
	now := time.Now()
	// Open-ended rules are expanded through a horizon counted from the time of each expansion;
	// compare short of it.
	cut := now.Add(partnernet.ScheduleHorizon - 72*time.Hour)

	feed := icalEvents(t, env)
	graph := graphSchedules(t, env, public)
	several := 0
	for _, a := range public {
		name := made[a.ID]
		if name == "" {
			name = "demo activity " + strconv.FormatInt(a.ID, 10)
		}
		var durations []time.Duration
		for _, sc := range a.Schedules() {
			durations = append(durations, sc.Duration())
		}
		if len(durations) > 1 {
			several++
		}
		var s hsds.Service
		getJSON(t, env, "/hsds/services/"+hsds.ID("service", a.ID), nil, &s)
		var fromHSDS []time.Time
		ends := map[time.Time]time.Time{}
		for _, sc := range s.Schedules {
			opens, err := time.Parse("15:04-07:00", sc.OpensAt)
			require.NoError(t, err)
			closes, err := time.Parse("15:04-07:00", sc.ClosesAt)
			require.NoError(t, err)
			d := closes.Sub(opens)
			for d <= 0 {
				d += 24 * time.Hour
			}
			require.Contains(t, durations, d, "%s: closes after the duration of one of the activity's schedules", name)
			for _, o := range expand(t, sc, cut) {
				fromHSDS = append(fromHSDS, o)
				ends[o.UTC()] = o.Add(d)
			}
		}
		fromHSDS = occurrenceSet(fromHSDS, cut)
		require.Len(t, slices.Compact(slices.Clone(fromHSDS)), len(fromHSDS), "%s: no occurrence twice", name)

		g := graph[a.ID]
		require.Len(t, g.schedules, len(durations), "%s: GraphQL gives every schedule", name)
		require.Equal(t, &g.schedules[0], g.first, "%s: schedule is the first of schedules", name)
		var fromGraph []time.Time
		for _, gs := range g.schedules {
			o, err := gs.Occurrences(now)
			require.NoError(t, err)
			fromGraph = append(fromGraph, o...)
		}
		require.Equal(t, occurrenceSet(fromGraph, cut), fromHSDS, "%s: HSDS and GraphQL's schedules", name)
		var future []time.Time
		for _, o := range fromHSDS {
			if ends[o].After(now) && len(future) < 20 {
				future = append(future, o)
			}
		}
		require.Equal(t, future, occurrenceSet(g.next, cut), "%s: HSDS and GraphQL's nextOccurrences", name)

		events := feed[a.ID]
		require.Len(t, events, len(durations), "%s: an event of the iCalendar feed per schedule", name)
		var fromFeed []time.Time
		for _, ev := range events {
			fromFeed = append(fromFeed, ev.occurrences(t, cut)...)
		}
		require.Equal(t, fromHSDS, occurrenceSet(fromFeed, cut), "%s: HSDS and the iCalendar feed", name)
	}
	require.Len(t, made, len(scheduleCases())+len(severalScheduleCases()))
	require.Equal(t, len(severalScheduleCases()), several, "the activities with several schedules are public")
}

// graphActivity is what GraphQL says of an activity's schedules.
type graphActivity struct {
	first     *partnernet.Schedule  // schedule
	schedules []partnernet.Schedule // schedules
	next      []time.Time
}

// graphSchedule is a schedule as GraphQL gives it.
type graphSchedule struct {
	StartsAt        time.Time   `json:"startsAt"`
	DurationMinutes int         `json:"durationMinutes"`
	Rrule           *string     `json:"rrule"`
	Exceptions      []time.Time `json:"exceptions"`
}

// schedule is s as a schedule of the domain.
func (s graphSchedule) schedule() partnernet.Schedule {
	return partnernet.Schedule{StartsAt: &s.StartsAt, DurationMinutes: s.DurationMinutes, RRule: s.Rrule, ExDates: s.Exceptions}
}

// graphSchedules reads the schedules and the next twenty occurrences of each activity through
// GraphQL, as an organisation admin of its organiser (who sees it whatever its status).
func graphSchedules(t *testing.T, env *apitest.Env, acts []partnernet.Activity) map[int64]graphActivity {
	t.Helper()
	byOrg := map[int64][]string{}
	for _, a := range acts {
		byOrg[a.OrganiserID] = append(byOrg[a.OrganiserID], relay.ToGlobalID("Activity", a.ID))
	}
	out := map[int64]graphActivity{}
	for org, ids := range byOrg {
		admin := authz.Principal{Subject: "admin-" + strconv.FormatInt(org, 10), OrganisationID: org, Roles: []authz.Role{authz.RoleOrgAdmin}}
		resp := env.Do(t, admin, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Activity { id
  schedule { startsAt durationMinutes rrule exceptions }
  schedules { startsAt durationMinutes rrule exceptions }
  nextOccurrences(first: 20) { startsAt } } } }`,
			map[string]any{"ids": ids})
		require.Empty(t, resp.Errors)
		var got struct {
			Nodes []struct {
				ID              string          `json:"id"`
				Schedule        *graphSchedule  `json:"schedule"`
				Schedules       []graphSchedule `json:"schedules"`
				NextOccurrences []struct {
					StartsAt time.Time `json:"startsAt"`
				} `json:"nextOccurrences"`
			} `json:"nodes"`
		}
		resp.Decode(t, &got)
		for _, n := range got.Nodes {
			_, id, err := relay.FromGlobalID(n.ID)
			require.NoError(t, err)
			g := graphActivity{}
			if n.Schedule != nil {
				first := n.Schedule.schedule()
				g.first = &first
			}
			for _, s := range n.Schedules {
				g.schedules = append(g.schedules, s.schedule())
			}
			for _, o := range n.NextOccurrences {
				g.next = append(g.next, o.StartsAt)
			}
			out[id] = g
		}
	}
	return out
}

// icalEvent is the schedule of an event of the iCalendar feed.
type icalEvent struct {
	dtstart string   // DTSTART;TZID=…:value as a content line
	rrule   string   // RRULE value, "" for none
	exdates []string // EXDATE content lines
}

// occurrences expands the event as an iCalendar client does.
func (e icalEvent) occurrences(t *testing.T, cut time.Time) []time.Time {
	t.Helper()
	lines := []string{e.dtstart}
	if e.rrule == "" {
		set, err := rrule.StrToRRuleSet(e.dtstart)
		require.NoError(t, err)
		return []time.Time{set.GetDTStart()}
	}
	lines = append(lines, "RRULE:"+e.rrule)
	lines = append(lines, e.exdates...)
	set, err := rrule.StrToRRuleSet(strings.Join(lines, "\n"))
	require.NoError(t, err, "%v", lines)
	return set.Between(set.GetDTStart().Add(-time.Second), cut, true)
}

// icalEvents reads the feed of every public activity: the events of each activity's schedules,
// by activity id (UID activity-<id>@… and activity-<id>-<n>@…).
func icalEvents(t *testing.T, env *apitest.Env) map[int64][]icalEvent {
	t.Helper()
	r := get(t, env, "/calendar/activities.ics")
	require.Equal(t, http.StatusOK, r.status)
	cal, err := ics.ParseCalendar(strings.NewReader(string(r.body)))
	require.NoError(t, err)
	out := map[int64][]icalEvent{}
	for _, ev := range cal.Events() {
		uid := ev.Id()
		name, _, _ := strings.Cut(strings.TrimPrefix(strings.Split(uid, "@")[0], "activity-"), "-")
		id, err := strconv.ParseInt(name, 10, 64)
		require.NoError(t, err, uid)
		var e icalEvent
		for _, p := range ev.Properties {
			line := p.IANAToken
			if tz, ok := p.ICalParameters["TZID"]; ok {
				line += ";TZID=" + tz[0]
			}
			line += ":" + p.Value
			switch ics.ComponentProperty(p.IANAToken) {
			case ics.ComponentPropertyDtStart:
				e.dtstart = line
			case ics.ComponentPropertyRrule:
				e.rrule = p.Value
			case ics.ComponentPropertyExdate:
				e.exdates = append(e.exdates, line)
			}
		}
		out[id] = append(out[id], e)
	}
	return out
}
