package hsds

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/partnerskap-skane/partnernet"
)

// An activity's schedule is a first start in Europe/Stockholm time, a duration, an RFC 5545
// rule and exception dates. An HSDS schedule has the rule's parts (freq WEEKLY or MONTHLY only,
// interval, byday, bymonthday, count, until, wkst), a first date (dtstart), a window of dates it
// holds for (valid_from, valid_to), and the times of day it opens and closes at with their UTC
// offset; it has no time zone that changes its offset, and no exception dates. So one activity
// schedule becomes several HSDS schedules with the same rule, each holding for a run of
// occurrences with one UTC offset (summer or winter time) between two exceptions: expanded from
// its dtstart and kept within its window, each gives exactly its run, and together they give
// the activity's occurrences (those the GraphQL API and the iCalendar feed give). A rule HSDS
// cannot express (yearly by month, every third day, by set position…) becomes one schedule per
// occurrence. An open-ended rule is given through the horizon the server expands occurrences to
// (partnernet.ScheduleHorizon), the same as GraphQL's occurrences.

// dateFormat is an HSDS date.
const dateFormat = "2006-01-02"

// timeOfDay formats a time of day with its UTC offset, as HSDS's opens_at and closes_at.
const timeOfDay = "15:04-07:00"

// rulePattern is a rule in HSDS's parts: what HSDS schedules share.
type rulePattern struct {
	freq       string
	interval   int
	byday      string
	bymonthday string
	wkst       string
}

// expressible returns the HSDS parts of a rule the activity's schedule starts at start with,
// and whether HSDS can express it: a weekly or monthly rule without BYMONTH, BYSETPOS,
// BYYEARDAY or BYWEEKNO; a daily one every day (as weekly on the days it names, or every day),
// every n weeks (as weekly), or on days of the month (as monthly); a yearly one on the first
// start's date (as monthly every 12n months). The time of day (BYHOUR…) is the occurrences'.
func expressible(opt rrule.ROption, start time.Time) (rulePattern, bool) {
	if len(opt.Bymonth)+len(opt.Bysetpos)+len(opt.Byyearday)+len(opt.Byweekno)+len(opt.Byeaster) > 0 {
		return rulePattern{}, false
	}
	p := rulePattern{interval: max(opt.Interval, 1), wkst: opt.Wkst.String()}
	days := make([]string, len(opt.Byweekday))
	for i, d := range opt.Byweekday {
		days[i] = strings.TrimPrefix(d.String(), "+")
	}
	p.byday = strings.Join(days, ",")
	monthDays := make([]string, len(opt.Bymonthday))
	for i, d := range opt.Bymonthday {
		monthDays[i] = strconv.Itoa(d)
	}
	p.bymonthday = strings.Join(monthDays, ",")
	local := start.In(partnernet.Stockholm)
	weekday := [...]rrule.Weekday{rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA}[local.Weekday()]
	switch opt.Freq {
	case rrule.WEEKLY:
		if p.bymonthday != "" {
			return p, false
		}
		p.freq = "WEEKLY"
		if p.byday == "" {
			p.byday = weekday.String()
		}
	case rrule.MONTHLY:
		p.freq = "MONTHLY"
		if p.byday == "" && p.bymonthday == "" {
			p.bymonthday = strconv.Itoa(local.Day())
		}
	case rrule.DAILY:
		switch {
		case p.interval == 1 && p.bymonthday != "":
			p.freq = "MONTHLY"
		case p.interval == 1:
			p.freq = "WEEKLY"
			if p.byday == "" {
				p.byday = "MO,TU,WE,TH,FR,SA,SU"
			}
		case p.interval%7 == 0 && p.byday == "" && p.bymonthday == "":
			p.freq, p.interval, p.byday = "WEEKLY", p.interval/7, weekday.String()
		default:
			return p, false
		}
	case rrule.YEARLY:
		if p.byday != "" || p.bymonthday != "" {
			return p, false
		}
		p.freq, p.interval, p.bymonthday = "MONTHLY", 12*p.interval, strconv.Itoa(local.Day())
	default:
		return p, false
	}
	return p, true
}

// scheduleContext is what the schedules of one service share.
type scheduleContext struct {
	serviceID string
	activity  int64
	online    bool
	lang      Lang
}

// schedules maps an activity's schedules to HSDS schedules, expanded as of now, numbered in
// order across them; an unscheduled activity has none.
func schedules(a *partnernet.Activity, now time.Time, l Lang) ([]Schedule, error) {
	c := scheduleContext{serviceID: ID(kindService, a.ID), activity: a.ID, online: a.Online, lang: l}
	var out []Schedule
	for _, s := range a.Schedules() {
		more, err := c.schedule(s, now, len(out))
		if err != nil {
			return nil, fmt.Errorf("activity %d: %w", a.ID, err)
		}
		out = append(out, more...)
	}
	return out, nil
}

// schedule maps one schedule of an activity to HSDS schedules numbered from n, expanded as of
// now.
func (c scheduleContext) schedule(s partnernet.Schedule, now time.Time, n int) ([]Schedule, error) {
	occurrences, err := s.Occurrences(now)
	if err != nil {
		return nil, fmt.Errorf("expand a schedule: %w", err)
	}
	if s.RRule == nil {
		return c.oneEach(occurrences, s.Duration(), n), nil
	}
	start := s.StartsAt.In(partnernet.Stockholm)
	r, err := partnernet.ParseRRule(*s.RRule, start)
	if err != nil {
		return nil, fmt.Errorf("parse a rule: %w", err)
	}
	pattern, ok := expressible(r.OrigOptions, start)
	if !ok {
		return c.oneEach(occurrences, s.Duration(), n), nil
	}
	ruleOnly := s
	ruleOnly.ExDates = nil
	all, err := ruleOnly.Occurrences(now)
	if err != nil {
		return nil, fmt.Errorf("expand a rule: %w", err)
	}
	var out []Schedule
	var run []time.Time
	flush := func() {
		if len(run) > 0 {
			out = append(out, c.segment(pattern, r.OrigOptions, start, run, s.Duration(), n+len(out)))
			run = nil
		}
	}
	for _, t := range all {
		if !slices.ContainsFunc(occurrences, t.Equal) {
			flush() // an exception ends a run
			continue
		}
		if len(run) > 0 && !sameClock(run[0], t) {
			flush() // so does a change of UTC offset or of the time of day
		}
		run = append(run, t)
	}
	flush()
	return out, nil
}

// sameClock reports whether a and b are at the same time of day with the same UTC offset in
// Stockholm.
func sameClock(a, b time.Time) bool {
	a, b = a.In(partnernet.Stockholm), b.In(partnernet.Stockholm)
	_, ao := a.Zone()
	_, bo := b.Zone()
	return ao == bo && a.Hour() == b.Hour() && a.Minute() == b.Minute()
}

// segment is the HSDS schedule of a run of occurrences of a rule with one UTC offset: the
// rule's parts from its first start, valid from the run's first date to its last.
func (c scheduleContext) segment(p rulePattern, opt rrule.ROption, start time.Time, run []time.Time, d time.Duration, n int) Schedule {
	s := c.at(run[0], d, n)
	s.Freq, s.ByDay, s.ByMonthDay, s.Wkst = p.freq, p.byday, p.bymonthday, p.wkst
	s.Interval = &p.interval
	s.DTStart = start.Format(dateFormat)
	if opt.Count > 0 {
		count := opt.Count
		s.Count = &count
	}
	if !opt.Until.IsZero() {
		s.Until = untilDate(opt.Until, run[0])
	}
	s.ValidFrom = run[0].In(partnernet.Stockholm).Format(dateFormat)
	s.ValidTo = run[len(run)-1].In(partnernet.Stockholm).Format(dateFormat)
	return s
}

// untilDate is the last date an occurrence at the time of day of example may fall on by until.
func untilDate(until, example time.Time) string {
	u, e := until.In(partnernet.Stockholm), example.In(partnernet.Stockholm)
	clock := func(t time.Time) int { return t.Hour()*3600 + t.Minute()*60 + t.Second() }
	if clock(u) < clock(e) {
		u = u.AddDate(0, 0, -1)
	}
	return u.Format(dateFormat)
}

// oneEach is one HSDS schedule per occurrence, numbered from n: a rule of one occurrence on its
// date.
func (c scheduleContext) oneEach(occurrences []time.Time, d time.Duration, n int) []Schedule {
	out := make([]Schedule, len(occurrences))
	one := 1
	for i, t := range occurrences {
		s := c.at(t, d, n+i)
		date := t.In(partnernet.Stockholm).Format(dateFormat)
		s.Freq, s.Count, s.DTStart, s.ValidFrom, s.ValidTo = "WEEKLY", &one, date, date, date
		out[i] = s
	}
	return out
}

// at is the n-th HSDS schedule of the service, opening at the local time of t and closing d
// later, each with its UTC offset.
func (c scheduleContext) at(t time.Time, d time.Duration, n int) Schedule {
	local := t.In(partnernet.Stockholm)
	_, offset := local.Zone()
	hours := offset / 3600
	attending := bilingual("På plats", "In person")
	if c.online {
		attending = bilingual("Online", "Online")
	}
	return Schedule{
		ID: ID(kindSchedule, c.activity, n), ServiceID: c.serviceID, Timezone: &hours,
		OpensAt: local.Format(timeOfDay), ClosesAt: local.Add(d).Format(timeOfDay),
		AttendingType: attending.In(c.lang),
	}
}

// Limits of reading pushed schedules.
const (
	// maxScheduleParts bounds the values of one byday or bymonthday.
	maxScheduleParts = 31
	// maxPushedSchedules bounds the schedules of a pushed service: the parts of at most
	// MaxSchedules rules, each split at its exceptions and changes of UTC offset.
	maxPushedSchedules = 1000
)

// rule is the RFC 5545 rule of an HSDS schedule's parts, "" when it has no freq.
func (s Schedule) rule() (string, error) {
	if s.Freq == "" {
		return "", nil
	}
	if s.Freq != "WEEKLY" && s.Freq != "MONTHLY" {
		return "", partnernet.InputError("freq", "give WEEKLY or MONTHLY")
	}
	parts := []string{"FREQ=" + s.Freq}
	if s.Interval != nil {
		parts = append(parts, "INTERVAL="+strconv.Itoa(*s.Interval))
	}
	for _, by := range []struct{ field, name, value string }{
		{"byday", "BYDAY", s.ByDay}, {"bymonthday", "BYMONTHDAY", s.ByMonthDay},
		{"byweekno", "BYWEEKNO", s.ByWeekNo}, {"byyearday", "BYYEARDAY", s.ByYearDay},
	} {
		if by.value == "" {
			continue
		}
		values := strings.Split(strings.ReplaceAll(by.value, " ", ""), ",")
		if len(values) > maxScheduleParts {
			return "", partnernet.InputError(by.field, "at most %d values", maxScheduleParts)
		}
		parts = append(parts, by.name+"="+strings.Join(values, ","))
	}
	if s.Wkst != "" {
		parts = append(parts, "WKST="+s.Wkst)
	}
	switch {
	case s.Count != nil && s.Until != "":
		return "", partnernet.InputError("until", "give count or until, not both")
	case s.Count != nil:
		parts = append(parts, "COUNT="+strconv.Itoa(*s.Count))
	}
	return strings.Join(parts, ";"), nil
}

// clock reads an HSDS time of day ("18:00", "18:00:00", "18:00+01:00", "17:00Z") and returns
// its hour, minute and UTC offset in seconds; hasOffset is false when it names none.
func clock(field, v string) (hour, minute, offset int, hasOffset bool, err error) {
	bad := partnernet.InputError(field, "give a time of day as HH:MM, optionally with seconds and a UTC offset (18:00+01:00)")
	body, zone := v, ""
	switch {
	case strings.HasSuffix(v, "Z"):
		body, zone = v[:len(v)-1], "Z"
	case len(v) > 6 && (v[len(v)-6] == '+' || v[len(v)-6] == '-'):
		body, zone = v[:len(v)-6], v[len(v)-6:]
	}
	t, perr := time.Parse("15:04", body)
	if perr != nil {
		if t, perr = time.Parse("15:04:05", body); perr != nil {
			return 0, 0, 0, false, bad
		}
	}
	switch {
	case zone == "Z":
		hasOffset = true
	case zone != "":
		z, zerr := time.Parse("-07:00", zone)
		if zerr != nil {
			return 0, 0, 0, false, bad
		}
		_, offset = z.Zone()
		hasOffset = true
	}
	return t.Hour(), t.Minute(), offset, hasOffset, nil
}

// startOn returns the instant a schedule opens on date: its opens_at read with its own UTC
// offset, else with the timezone field's, else as Europe/Stockholm wall-clock time (what a
// system in Skåne means by 18:00; HSDS would read it as UTC).
func (s Schedule) startOn(date time.Time) (time.Time, error) {
	if s.OpensAt == "" {
		return time.Time{}, partnernet.InputError("opens_at", "say when it opens")
	}
	h, m, offset, hasOffset, err := clock("opens_at", s.OpensAt)
	if err != nil {
		return time.Time{}, err
	}
	loc := partnernet.Stockholm
	switch {
	case hasOffset:
		loc = time.FixedZone("", offset)
	case s.Timezone != nil:
		if *s.Timezone < -12 || *s.Timezone > 14 {
			return time.Time{}, partnernet.InputError("timezone", "give a UTC offset of -12 to 14 hours")
		}
		loc = time.FixedZone("", *s.Timezone*3600)
	}
	return time.Date(date.Year(), date.Month(), date.Day(), h, m, 0, 0, loc), nil
}

// duration is how long each occurrence lasts: from opens_at to closes_at, into the next day
// when it closes at an earlier time of day.
func (s Schedule) duration() (time.Duration, error) {
	if s.ClosesAt == "" {
		return 0, partnernet.InputError("closes_at", "say when it closes")
	}
	oh, om, oo, _, err := clock("opens_at", s.OpensAt)
	if err != nil {
		return 0, err
	}
	ch, cm, co, _, err := clock("closes_at", s.ClosesAt)
	if err != nil {
		return 0, err
	}
	d := time.Duration(ch*60+cm-oh*60-om)*time.Minute - time.Duration(co-oo)*time.Second
	for d <= 0 {
		d += 24 * time.Hour
	}
	return d, nil
}

// date reads an HSDS date at field; the zero time for "".
func date(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(dateFormat, v, partnernet.Stockholm)
	if err != nil {
		return t, partnernet.InputError(field, "give a date as YYYY-MM-DD")
	}
	return t, nil
}
