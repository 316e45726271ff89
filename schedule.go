package partnernet

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
)

// Schedule is when an activity takes place: a first start in Europe/Stockholm time, a duration,
// and optionally an RFC 5545 recurrence rule with exception dates. The zero Schedule is
// unscheduled.
type Schedule struct {
	StartsAt        *time.Time
	DurationMinutes int
	RRule           *string // the RRULE value, e.g. "FREQ=WEEKLY;BYDAY=TU;COUNT=10"
	ExDates         []time.Time
}

// OpenEnded reports whether the schedule recurs without end (a rule with neither COUNT nor
// UNTIL): its occurrences are expanded through a horizon, and further as time passes.
func (s Schedule) OpenEnded() bool {
	return s.StartsAt != nil && s.RRule != nil && !strings.Contains(*s.RRule, "COUNT=") && !strings.Contains(*s.RRule, "UNTIL=")
}

// Validate checks a schedule's own rules at path field: an occurrence lasts 1 to 1440 minutes,
// the first starts between the years 2000 and 2100, and at most MaxExceptions occurrences are
// left out. An unscheduled activity (no start) passes. The rule itself is checked by
// [ParseRRule]; that the exceptions are occurrences of it, by whoever expands it.
func (s Schedule) Validate(field string) error {
	if s.StartsAt == nil {
		return nil
	}
	if s.DurationMinutes < 1 || s.DurationMinutes > MaxDurationMinutes {
		return InputError(field+".durationMinutes", "an occurrence lasts 1 to %d minutes", MaxDurationMinutes)
	}
	if y := s.StartsAt.Year(); y < 2000 || y > 2100 {
		return InputError(field+".startsAt", "give a start between the years 2000 and 2100")
	}
	if len(s.ExDates) > MaxExceptions {
		return InputError(field+".exceptions", "at most %d exceptions", MaxExceptions)
	}
	return nil
}

// Stockholm is the time zone every activity schedule is expressed in.
var Stockholm = mustLoadLocation("Europe/Stockholm")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("load time zone %s: %v", name, err))
	}
	return loc
}

// Limits of schedules: what a recurrence rule may ask for, and how far it is expanded.
const (
	// ScheduleHorizon is how far past the later of now and the first start a schedule's
	// occurrences are expanded.
	ScheduleHorizon = 2 * 366 * 24 * time.Hour
	// MaxOccurrences bounds the occurrences one schedule expands to, and a rule's COUNT.
	MaxOccurrences = 1000
	// MaxInterval bounds a rule's INTERVAL: every 366th day, week, month or year at most.
	MaxInterval = 366
	// MaxRRuleLen bounds the length of a rule's text, in bytes.
	MaxRRuleLen = 500
	// MaxUntilYear is the last year a rule's UNTIL may fall in.
	MaxUntilYear = 2100
)

// ruleParts are the parts of an RFC 5545 recurrence rule an activity's schedule may use (rrule-go's
// BYEASTER extension is not one of them). Which values keep a rule at most daily is checked
// after parsing.
var ruleParts = map[string]bool{
	"FREQ": true, "INTERVAL": true, "COUNT": true, "UNTIL": true, "WKST": true, "BYDAY": true,
	"BYMONTHDAY": true, "BYYEARDAY": true, "BYWEEKNO": true, "BYMONTH": true, "BYSETPOS": true,
	"BYHOUR": true, "BYMINUTE": true, "BYSECOND": true,
}

// ParseRRule parses an RFC 5545 recurrence rule value (with or without an "RRULE:" prefix) for
// a schedule starting at start, read in Europe/Stockholm time. It enforces the bounds of an
// activity's schedule: at most daily (FREQ DAILY, WEEKLY, MONTHLY or YEARLY, and at most one
// value each of BYHOUR, BYMINUTE and BYSECOND, so at most one occurrence a day), INTERVAL from 1
// to [MaxInterval], COUNT from 1 to [MaxOccurrences], UNTIL not before start nor after
// [MaxUntilYear], not both COUNT and UNTIL, each part once, and no DTSTART of its own. The
// error names the offending part.
func ParseRRule(rule string, start time.Time) (*rrule.RRule, error) {
	rule = strings.TrimPrefix(strings.TrimSpace(rule), "RRULE:")
	if rule == "" {
		return nil, fmt.Errorf("empty recurrence rule")
	}
	if len(rule) > MaxRRuleLen {
		return nil, fmt.Errorf("a recurrence rule has at most %d characters", MaxRRuleLen)
	}
	upper := strings.ToUpper(rule)
	if strings.Contains(upper, "DTSTART") || strings.Contains(upper, "\n") {
		return nil, fmt.Errorf("give the rule's value only; the first start is a field of its own")
	}
	given := map[string]bool{}
	for _, part := range strings.Split(upper, ";") {
		name, value, ok := strings.Cut(part, "=")
		switch {
		case !ok || value == "":
			return nil, fmt.Errorf("%q is not a rule part of the form NAME=VALUE", part)
		case !ruleParts[name]:
			return nil, fmt.Errorf("the rule part %s is not supported", name)
		case given[name]:
			return nil, fmt.Errorf("the rule part %s is given twice", name)
		}
		given[name] = true
	}
	if !given["FREQ"] {
		return nil, fmt.Errorf("the rule needs a FREQ")
	}
	opt, err := rrule.StrToROptionInLocation(upper, Stockholm)
	if err != nil {
		return nil, fmt.Errorf("parse recurrence rule: %w", err)
	}
	if opt.Freq > rrule.DAILY {
		return nil, fmt.Errorf("activities recur daily at most, not %s", opt.Freq)
	}
	for _, by := range []struct {
		name   string
		values []int
	}{{"BYHOUR", opt.Byhour}, {"BYMINUTE", opt.Byminute}, {"BYSECOND", opt.Bysecond}} {
		if len(by.values) > 1 {
			return nil, fmt.Errorf("activities recur daily at most: %s takes one value, the time of day", by.name)
		}
	}
	if given["INTERVAL"] && (opt.Interval < 1 || opt.Interval > MaxInterval) {
		return nil, fmt.Errorf("INTERVAL is between 1 and %d", MaxInterval)
	}
	if given["COUNT"] && (opt.Count < 1 || opt.Count > MaxOccurrences) {
		return nil, fmt.Errorf("COUNT is between 1 and %d", MaxOccurrences)
	}
	if given["UNTIL"] {
		switch {
		case given["COUNT"]:
			return nil, fmt.Errorf("give COUNT or UNTIL, not both")
		case opt.Until.Before(start):
			return nil, fmt.Errorf("UNTIL comes before the first start")
		case opt.Until.In(Stockholm).Year() > MaxUntilYear:
			return nil, fmt.Errorf("UNTIL falls in %d at the latest", MaxUntilYear)
		}
	}
	opt.Dtstart = start.In(Stockholm)
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, fmt.Errorf("build recurrence rule: %w", err)
	}
	return r, nil
}

// NormalizeRRule returns the canonical text of a rule ParseRRule accepts, without DTSTART.
func NormalizeRRule(r *rrule.RRule) string {
	opt := r.OrigOptions
	opt.Dtstart = time.Time{}
	return opt.RRuleString()
}

// Occurrences expands the schedule into the start times of its occurrences, in order: the first
// start alone when there is no rule, otherwise the rule's occurrences less the exception dates,
// through ScheduleHorizon past the later of now and the first start, at most MaxOccurrences.
// An unscheduled activity has none. A rule without any occurrence through the horizon (before
// the exception dates) is refused. The work is bounded by the horizon whatever the rule (see
// expand).
func (s Schedule) Occurrences(now time.Time) ([]time.Time, error) {
	if s.StartsAt == nil {
		return nil, nil
	}
	start := s.StartsAt.In(Stockholm)
	if s.RRule == nil {
		return []time.Time{start}, nil
	}
	r, err := ParseRRule(*s.RRule, start)
	if err != nil {
		return nil, err
	}
	horizon := start
	if now.After(horizon) {
		horizon = now
	}
	horizon = horizon.Add(ScheduleHorizon)
	out, matched, err := expand(r.OrigOptions, start, horizon, s.ExDates)
	if err != nil {
		return nil, err
	}
	if !matched {
		return nil, fmt.Errorf("the rule has no occurrence within two years of the first start")
	}
	return out, nil
}

// expand lists the occurrences of the rule opt from start through horizon, less the exception
// dates exdates, at most MaxOccurrences, and reports whether the rule had any occurrence in that
// span before exceptions.
//
// rrule-go looks for a rule's next occurrence period by period (day, week, month or year) until
// the year rrule.MAXYEAR (9999), whatever UNTIL says: a rule that never matches again, such as
// FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30, is searched for through eight thousand years, a fifth of a
// second of CPU. So the rule is expanded in floating (wall-clock) time in a stretch of the
// calendar that is day for day the same as the one from start to horizon (the same leap years,
// each year starting on the same weekday) and ends just before MAXYEAR, where the search stops
// within a few decades; each occurrence is brought back to its real year and read in
// Europe/Stockholm time, as rrule-go would have read it.
func expand(opt rrule.ROption, start, horizon time.Time, exdates []time.Time) ([]time.Time, bool, error) {
	until := opt.Until
	opt.Until = time.Time{}
	local := start.In(Stockholm)
	shift := calendarShift(local.Year(), horizon.In(Stockholm).Year()+1)
	opt.Dtstart = time.Date(local.Year()+shift, local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(), 0, time.UTC)
	r, err := rrule.NewRRule(opt)
	if err != nil {
		return nil, false, fmt.Errorf("build recurrence rule: %w", err)
	}
	next := r.Iterator()
	var out []time.Time
	matched := false
	for len(out) < MaxOccurrences {
		t, ok := next()
		if !ok {
			break
		}
		at := time.Date(t.Year()-shift, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, Stockholm)
		if at.After(horizon) || !until.IsZero() && at.After(until) {
			break
		}
		matched = true
		if slices.ContainsFunc(exdates, at.Equal) {
			continue
		}
		out = append(out, at)
	}
	return out, matched, nil
}

// calendarShift returns by how many years the calendar of the years from through to repeats
// exactly (the same leap years, each year starting on the same weekday), as late as ends before
// rrule.MAXYEAR. The Gregorian calendar repeats every 400 years, so there is always one.
func calendarShift(from, to int) int {
	for first := rrule.MAXYEAR - 1 - (to - from); first > from; first-- {
		if sameCalendar(from, first, to-from) {
			return first - from
		}
	}
	return 0
}

// sameCalendar reports whether the years a through a+years and b through b+years have the same
// calendar.
func sameCalendar(a, b, years int) bool {
	for i := 0; i <= years; i++ {
		if isLeap(a+i) != isLeap(b+i) || newYear(a+i) != newYear(b+i) {
			return false
		}
	}
	return true
}

// isLeap reports whether year is a leap year of the Gregorian calendar.
func isLeap(year int) bool { return year%4 == 0 && (year%100 != 0 || year%400 == 0) }

// newYear is the weekday of the first of January of year.
func newYear(year int) time.Weekday {
	return time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC).Weekday()
}

// Duration is how long each occurrence lasts.
func (s Schedule) Duration() time.Duration { return time.Duration(s.DurationMinutes) * time.Minute }
