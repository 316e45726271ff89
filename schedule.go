package partnernet

import (
	"fmt"
	"strings"
	"time"
	// The time zone database is embedded so that Europe/Stockholm resolves on any machine.
	_ "time/tzdata"

	"github.com/teambition/rrule-go"
)

// Stockholm is the time zone every activity schedule is expressed in.
var Stockholm = mustLoadLocation("Europe/Stockholm")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("load time zone %s: %v", name, err))
	}
	return loc
}

// Limits of schedule expansion.
const (
	// ScheduleHorizon is how far past the later of now and the first start a schedule's
	// occurrences are expanded.
	ScheduleHorizon = 2 * 366 * 24 * time.Hour
	// MaxOccurrences bounds the occurrences one schedule expands to.
	MaxOccurrences = 1000
)

// ParseRRule parses an RFC 5545 recurrence rule value (with or without an "RRULE:" prefix) for
// a schedule starting at start, read in Europe/Stockholm time. It refuses rules that embed their
// own DTSTART and rules recurring more often than daily.
func ParseRRule(rule string, start time.Time) (*rrule.RRule, error) {
	rule = strings.TrimPrefix(strings.TrimSpace(rule), "RRULE:")
	if rule == "" {
		return nil, fmt.Errorf("empty recurrence rule")
	}
	upper := strings.ToUpper(rule)
	if strings.Contains(upper, "DTSTART") || strings.Contains(upper, "\n") {
		return nil, fmt.Errorf("give the rule's value only; the first start is a field of its own")
	}
	if !strings.Contains(upper, "FREQ=") {
		return nil, fmt.Errorf("the rule needs a FREQ")
	}
	opt, err := rrule.StrToROptionInLocation(rule, Stockholm)
	if err != nil {
		return nil, fmt.Errorf("parse recurrence rule: %w", err)
	}
	if opt.Freq > rrule.DAILY {
		return nil, fmt.Errorf("activities recur daily at most, not %s", opt.Freq)
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
// An unscheduled activity has none.
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
	set := &rrule.Set{}
	set.RRule(r)
	for _, ex := range s.ExDates {
		set.ExDate(ex.In(Stockholm))
	}
	horizon := start
	if now.After(horizon) {
		horizon = now
	}
	horizon = horizon.Add(ScheduleHorizon)
	next := set.Iterator()
	var out []time.Time
	for len(out) < MaxOccurrences {
		t, ok := next()
		if !ok || t.After(horizon) {
			break
		}
		out = append(out, t)
	}
	return out, nil
}

// Duration is how long each occurrence lasts.
func (s Schedule) Duration() time.Duration { return time.Duration(s.DurationMinutes) * time.Minute }
