package partnernet_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/teambition/rrule-go"

	"github.com/partnerskap-skane/partnernet"
)

func TestScheduleOccurrences(t *testing.T) {
	t.Parallel()
	sthlm := partnernet.Stockholm
	start := time.Date(2026, 10, 13, 18, 0, 0, 0, sthlm) // a Tuesday, summer time
	weekly := "FREQ=WEEKLY;BYDAY=TU;COUNT=4"
	daily := "RRULE:FREQ=DAILY;UNTIL=20261016T235959Z"
	hourly := "FREQ=HOURLY;COUNT=3"
	embedded := "DTSTART:20261013T180000\nRRULE:FREQ=WEEKLY"
	noFreq := "COUNT=3"
	endless := "FREQ=WEEKLY"
	tests := []struct {
		name    string
		s       partnernet.Schedule
		want    []time.Time
		wantLen int
		wantErr bool
	}{
		{name: "unscheduled", s: partnernet.Schedule{}},
		{name: "single", s: partnernet.Schedule{StartsAt: &start}, want: []time.Time{start}},
		{
			name: "weekly across the change to winter time keeps 18:00 local",
			s:    partnernet.Schedule{StartsAt: &start, RRule: &weekly},
			want: []time.Time{
				start, start.AddDate(0, 0, 7), start.AddDate(0, 0, 14),
				time.Date(2026, 11, 3, 18, 0, 0, 0, sthlm),
			},
		},
		{
			name: "exception dates are left out",
			s: partnernet.Schedule{StartsAt: &start, RRule: &weekly,
				ExDates: []time.Time{start.AddDate(0, 0, 7).UTC()}},
			want: []time.Time{start, start.AddDate(0, 0, 14), time.Date(2026, 11, 3, 18, 0, 0, 0, sthlm)},
		},
		{
			name: "RRULE prefix and UNTIL",
			s:    partnernet.Schedule{StartsAt: &start, RRule: &daily},
			want: []time.Time{start, start.AddDate(0, 0, 1), start.AddDate(0, 0, 2), start.AddDate(0, 0, 3)},
		},
		{name: "an endless rule stops at the horizon", s: partnernet.Schedule{StartsAt: &start, RRule: &endless}, wantLen: 105},
		{name: "hourly is refused", s: partnernet.Schedule{StartsAt: &start, RRule: &hourly}, wantErr: true},
		{name: "embedded DTSTART is refused", s: partnernet.Schedule{StartsAt: &start, RRule: &embedded}, wantErr: true},
		{name: "a rule without FREQ is refused", s: partnernet.Schedule{StartsAt: &start, RRule: &noFreq}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.s.Occurrences(start)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			if tt.wantLen > 0 {
				require.Len(t, got, tt.wantLen)
				return
			}
			require.Len(t, got, len(tt.want))
			for i := range got {
				require.True(t, tt.want[i].Equal(got[i]), "occurrence %d: want %s, got %s", i, tt.want[i], got[i])
				require.Equal(t, 18, got[i].In(sthlm).Hour())
			}
		})
	}
}

// hostileRules are recurrence rules that ask for more than a daily activity, or for nothing.
var hostileRules = []struct {
	name, rule, part string
}{
	{
		"an occurrence every second", "FREQ=DAILY;BYHOUR=" + seq(0, 23) + ";BYMINUTE=" + seq(0, 59) + ";BYSECOND=" + seq(0, 59),
		"BYHOUR",
	},
	{"every minute of one hour", "FREQ=DAILY;BYHOUR=18;BYMINUTE=" + seq(0, 59), "BYMINUTE"},
	{"twice a day", "FREQ=WEEKLY;BYDAY=MO;BYSECOND=0,30", "BYSECOND"},
	{"hourly", "FREQ=HOURLY;COUNT=3", "daily at most"},
	{"secondly", "FREQ=SECONDLY", "daily at most"},
	{"zero interval", "FREQ=DAILY;INTERVAL=0", "INTERVAL"},
	{"negative interval", "FREQ=WEEKLY;INTERVAL=-1", "INTERVAL"},
	{"huge interval", "FREQ=DAILY;INTERVAL=100000", "INTERVAL"},
	{"zero count", "FREQ=WEEKLY;COUNT=0", "COUNT"},
	{"huge count", "FREQ=DAILY;COUNT=1000000", "COUNT"},
	{"count and until", "FREQ=WEEKLY;COUNT=3;UNTIL=20270101T000000Z", "COUNT or UNTIL"},
	{"until before the start", "FREQ=WEEKLY;UNTIL=20200101T000000Z", "UNTIL"},
	{"until in the far future", "FREQ=WEEKLY;UNTIL=99991231T000000Z", "UNTIL"},
	{"a part twice", "FREQ=DAILY;FREQ=DAILY", "FREQ"},
	{"an extension", "FREQ=YEARLY;BYEASTER=0", "BYEASTER"},
	{"an empty part", "FREQ=WEEKLY;", "NAME=VALUE"},
	{"too long", "FREQ=WEEKLY;BYMONTHDAY=" + seq(1, 28) + ";BYYEARDAY=" + seq(1, 200), "characters"},
	{"never matches, daily", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "no occurrence"},
	{"never matches, yearly", "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "no occurrence"},
	{"never matches by its interval", "FREQ=DAILY;INTERVAL=7;BYDAY=MO", "no occurrence"},
	{"first occurrence beyond the horizon", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "no occurrence"},
}

// seq is the comma-separated integers from through to.
func seq(from, to int) string {
	s := make([]string, 0, to-from+1)
	for i := from; i <= to; i++ {
		s = append(s, strconv.Itoa(i))
	}
	return strings.Join(s, ",")
}

func TestScheduleRefusesHostileRules(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 10, 13, 18, 0, 0, 0, partnernet.Stockholm) // a Tuesday
	for _, tt := range hostileRules {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := partnernet.Schedule{StartsAt: &start, RRule: &tt.rule}
			got, err := s.Occurrences(start)
			require.Error(t, err, "%d occurrences", len(got))
			require.Contains(t, err.Error(), tt.part)
		})
	}
}

func TestScheduleAcceptsDailyAtMost(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 10, 13, 18, 0, 0, 0, partnernet.Stockholm) // a Tuesday
	tests := []struct {
		rule string
		want int
	}{
		{"FREQ=DAILY;COUNT=700", 700},
		{"FREQ=DAILY;COUNT=1000", 733}, // cut at the horizon
		{"FREQ=DAILY;INTERVAL=366;COUNT=2", 2},
		{"FREQ=WEEKLY;BYDAY=TU;BYHOUR=18;BYMINUTE=30;BYSECOND=0;COUNT=3", 3},
		{"FREQ=MONTHLY;BYDAY=-1FR;COUNT=12", 12},
		{"FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;UNTIL=20280401T000000Z", 2},
		{"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;COUNT=14", 14},
		{"freq=weekly;count=2", 2},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			s := partnernet.Schedule{StartsAt: &start, RRule: &tt.rule}
			got, err := s.Occurrences(start)
			require.NoError(t, err)
			require.Len(t, got, tt.want)
		})
	}
}

// TestScheduleExpansionMatchesRRule checks the bounded expansion against rrule-go's own, in
// Europe/Stockholm time, for rules that match often: across changes of summer time, leap days,
// the turn of a year and of the non-leap century year 2100.
func TestScheduleExpansionMatchesRRule(t *testing.T) {
	t.Parallel()
	sthlm := partnernet.Stockholm
	starts := []time.Time{
		time.Date(2026, 10, 13, 18, 0, 0, 0, sthlm),
		time.Date(2027, 3, 28, 2, 30, 0, 0, sthlm),  // the hour summer time skips
		time.Date(2026, 10, 25, 2, 30, 0, 0, sthlm), // the hour that repeats
		time.Date(2028, 2, 29, 9, 15, 30, 0, sthlm),
		time.Date(2026, 12, 31, 23, 59, 59, 0, sthlm),
		time.Date(2099, 2, 28, 12, 0, 0, 0, sthlm),
		time.Date(2003, 6, 1, 10, 0, 0, 0, sthlm),
	}
	rules := []string{
		"FREQ=DAILY", "FREQ=DAILY;INTERVAL=3", "FREQ=DAILY;BYDAY=MO,WE,FR", "FREQ=DAILY;BYMONTH=1,7;COUNT=40",
		"FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "FREQ=WEEKLY;WKST=SU;INTERVAL=3;BYDAY=SU,MO",
		"FREQ=WEEKLY;BYDAY=SA;BYHOUR=2;BYMINUTE=30", "FREQ=MONTHLY", "FREQ=MONTHLY;BYMONTHDAY=-1",
		"FREQ=MONTHLY;BYMONTHDAY=29,30,31", "FREQ=MONTHLY;INTERVAL=5;BYDAY=2WE", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
		"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=YEARLY", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
		"FREQ=YEARLY;BYWEEKNO=1,53;BYDAY=MO", "FREQ=YEARLY;BYYEARDAY=1,-1,60", "FREQ=YEARLY;BYDAY=20MO",
		"FREQ=DAILY;UNTIL=20270315T120000Z", "FREQ=WEEKLY;COUNT=30",
	}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, start := range starts {
		for _, rule := range rules {
			t.Run(start.Format(time.DateTime)+" "+rule, func(t *testing.T) {
				t.Parallel()
				s := partnernet.Schedule{StartsAt: &start, RRule: &rule, ExDates: []time.Time{start.AddDate(0, 0, 7)}}
				got, err := s.Occurrences(now)
				if err != nil && start.After(time.Date(2027, 3, 15, 12, 0, 0, 0, time.UTC)) && strings.Contains(rule, "UNTIL") {
					require.ErrorContains(t, err, "UNTIL comes before the first start")
					return
				}
				if err != nil {
					require.ErrorContains(t, err, "no occurrence")
					got = nil
				}
				require.Equal(t, rruleOccurrences(t, s, now), got)
			})
		}
	}
}

// rruleOccurrences expands a schedule with rrule-go in Europe/Stockholm time, unbounded.
func rruleOccurrences(t *testing.T, s partnernet.Schedule, now time.Time) []time.Time {
	t.Helper()
	opt, err := rrule.StrToROptionInLocation(*s.RRule, partnernet.Stockholm)
	require.NoError(t, err)
	opt.Dtstart = s.StartsAt.In(partnernet.Stockholm)
	r, err := rrule.NewRRule(*opt)
	require.NoError(t, err)
	set := &rrule.Set{}
	set.RRule(r)
	for _, ex := range s.ExDates {
		set.ExDate(ex)
	}
	horizon := *s.StartsAt
	if now.After(horizon) {
		horizon = now
	}
	horizon = horizon.Add(partnernet.ScheduleHorizon)
	var out []time.Time
	next := set.Iterator()
	for len(out) < partnernet.MaxOccurrences {
		o, ok := next()
		if !ok || o.After(horizon) {
			break
		}
		out = append(out, o)
	}
	return out
}

// BenchmarkScheduleOccurrences measures the expansion of a usual rule and of hostile ones, which
// must cost about as little.
func BenchmarkScheduleOccurrences(b *testing.B) {
	start := time.Date(2026, 10, 13, 18, 0, 0, 0, partnernet.Stockholm)
	for _, rule := range []string{
		"FREQ=WEEKLY;BYDAY=TU",
		"FREQ=DAILY",
		"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
		"FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30",
		"FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31",
		hostileRules[0].rule,
	} {
		name := rule
		if len(name) > 40 {
			name = name[:40] + "…"
		}
		b.Run(name, func(b *testing.B) {
			s := partnernet.Schedule{StartsAt: &start, RRule: &rule}
			for b.Loop() {
				_, _ = s.Occurrences(start)
			}
		})
	}
}

// TestActivityOccurrences expands activities with several schedules: their occurrences merge
// in order, each as long as its schedule; two schedules may not start an occurrence at the same
// time; an open-ended schedule bounds how far the others are expanded; and the further
// schedules are validated.
func TestActivityOccurrences(t *testing.T) {
	t.Parallel()
	sthlm := partnernet.Stockholm
	now := time.Date(2026, 10, 1, 12, 0, 0, 0, sthlm)
	at := func(m time.Month, d, h int) *time.Time {
		v := time.Date(2026, m, d, h, 0, 0, 0, sthlm)
		return &v
	}
	rule := func(s string) *string { return &s }
	tuesdays := partnernet.Schedule{StartsAt: at(10, 13, 18), DurationMinutes: 90, RRule: rule("FREQ=WEEKLY;COUNT=2")}
	saturday := partnernet.Schedule{StartsAt: at(10, 17, 10), DurationMinutes: 120}
	a := partnernet.Activity{ID: 7, Schedule: tuesdays, MoreSchedules: []partnernet.Schedule{saturday}}
	got, err := a.Occurrences("input", now)
	require.NoError(t, err)
	require.Equal(t, []partnernet.Occurrence{
		{ActivityID: 7, StartsAt: *at(10, 13, 18), EndsAt: at(10, 13, 18).Add(90 * time.Minute)},
		{ActivityID: 7, StartsAt: *at(10, 17, 10), EndsAt: at(10, 17, 10).Add(2 * time.Hour)},
		{ActivityID: 7, StartsAt: *at(10, 20, 18), EndsAt: at(10, 20, 18).Add(90 * time.Minute)},
	}, got)
	require.Len(t, a.Schedules(), 2)

	clash := a
	clash.MoreSchedules = []partnernet.Schedule{saturday, {StartsAt: at(10, 20, 18), DurationMinutes: 30}}
	_, err = clash.Occurrences("input", now)
	require.ErrorIs(t, err, partnernet.ErrBadUserInput)
	var e *partnernet.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, "input.moreSchedules.1", e.Field)

	// A bounded schedule reaching years ahead stops where the open-ended one's horizon does.
	long := partnernet.Activity{Schedule: partnernet.Schedule{StartsAt: at(12, 1, 18), DurationMinutes: 60, RRule: rule("FREQ=WEEKLY;COUNT=200")},
		MoreSchedules: []partnernet.Schedule{{StartsAt: at(10, 3, 10), DurationMinutes: 60, RRule: rule("FREQ=WEEKLY")}}}
	got, err = long.Occurrences("input", now)
	require.NoError(t, err)
	limit := at(10, 3, 10).Add(partnernet.ScheduleHorizon) // the open-ended schedule starts after now
	require.False(t, got[len(got)-1].StartsAt.After(limit), "last %s, limit %s", got[len(got)-1].StartsAt, limit)
	require.True(t, got[len(got)-1].StartsAt.After(limit.AddDate(0, 0, -7)))

	link := "https://meet.example.org/cafe"
	valid := func(first partnernet.Schedule, more ...partnernet.Schedule) partnernet.Activity {
		return partnernet.Activity{Title: "Språkcafé", TitleEn: "Language café", Category: partnernet.ActivityLanguagePractice, Languages: []string{"sv"},
			TargetGroups: []partnernet.TargetGroup{partnernet.TargetEveryone}, Online: true, OnlineURL: &link,
			Schedule: first, MoreSchedules: more}
	}
	ok := valid(tuesdays, saturday)
	require.NoError(t, ok.Validate("activity"))
	for name, tc := range map[string]struct {
		a     partnernet.Activity
		field string
	}{
		"further without a first":   {valid(partnernet.Schedule{DurationMinutes: 60}, saturday), "activity.moreSchedules"},
		"a further one unscheduled": {valid(tuesdays, partnernet.Schedule{DurationMinutes: 60}), "activity.moreSchedules.0.startsAt"},
		"a further one too long": {valid(tuesdays, partnernet.Schedule{StartsAt: at(10, 17, 10), DurationMinutes: 1441}),
			"activity.moreSchedules.0.durationMinutes"},
		"too many": {valid(tuesdays, make([]partnernet.Schedule, partnernet.MaxSchedules)...), "activity.moreSchedules"},
	} {
		err := tc.a.Validate("activity")
		var e *partnernet.Error
		require.ErrorAs(t, err, &e, name)
		require.Equal(t, tc.field, e.Field, name)
	}
}
