package bulk

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/partnerskap-skane/partnernet"
)

// Properties of partnernet's own in iCalendar, for what RFC 5545 has no property for.
const (
	PropTitleEn      = "X-PARTNERNET-TITLE-EN"
	PropCapacity     = "X-PARTNERNET-CAPACITY"
	PropLanguages    = "X-PARTNERNET-LANGUAGES"
	PropMunicipality = "X-PARTNERNET-MUNICIPALITY"
)

// ReadICalendar reads the events of an iCalendar file as rows: UID is the source's ID, SUMMARY
// the title (X-PARTNERNET-TITLE-EN the English one, else the same), DESCRIPTION the
// description, DTSTART (UTC, with a TZID, or floating in Swedish time) with DTEND or DURATION
// the schedule, RRULE and EXDATE its recurrence, LOCATION the address (a URL or "online" makes
// it online, with URL the link), GEO the coordinates, CATEGORIES the category (one of
// partnernet's; others are ignored), STATUS:CANCELLED a cancellation (TENTATIVE a draft),
// X-PARTNERNET-CAPACITY, -LANGUAGES (comma-separated ISO 639 codes) and -MUNICIPALITY (the
// four-digit code). A file that is not iCalendar, or has more than MaxRows events, is an error.
func ReadICalendar(content string) ([]Row, error) {
	cal, err := ics.ParseCalendar(strings.NewReader(content))
	if err != nil {
		return nil, partnernet.InputError("input.content", "not an iCalendar file: %s", err.Error())
	}
	events := cal.Events()
	if len(events) > MaxRows {
		return nil, errTooMany(len(events))
	}
	rows := make([]Row, 0, len(events))
	for i, e := range events {
		rows = append(rows, eventRow(i+1, e))
	}
	return rows, nil
}

// value is a property's value, "" when absent.
func value(e *ics.VEvent, p ics.ComponentProperty) string {
	if prop := e.GetProperty(p); prop != nil {
		return strings.TrimSpace(prop.Value)
	}
	return ""
}

// eventRow maps one VEVENT.
func eventRow(n int, e *ics.VEvent) Row {
	id, bad := sourceIDOf(n, "UID", value(e, ics.ComponentPropertyUniqueId))
	if bad != nil {
		return *bad
	}
	r := Row{Number: n, SourceID: id, Status: partnernet.ActivityPublished}
	a := &r.Activity
	a.Title = value(e, ics.ComponentPropertySummary)
	a.TitleEn = value(e, ics.ComponentProperty(PropTitleEn))
	if a.TitleEn == "" {
		a.TitleEn = a.Title
	}
	a.Description = value(e, ics.ComponentPropertyDescription)
	start, err := icalTime(e.GetProperty(ics.ComponentPropertyDtStart))
	if err != nil {
		return refuse(n, id, "DTSTART", "%s", err.Error())
	}
	start = stamp(start)
	a.Schedule.StartsAt = &start
	switch {
	case e.GetProperty(ics.ComponentPropertyDtEnd) != nil:
		end, err := icalTime(e.GetProperty(ics.ComponentPropertyDtEnd))
		if err != nil {
			return refuse(n, id, "DTEND", "%s", err.Error())
		}
		a.Schedule.DurationMinutes = int(math.Round(end.Sub(start).Minutes()))
	case value(e, ics.ComponentPropertyDuration) != "":
		d, err := icalDuration(value(e, ics.ComponentPropertyDuration))
		if err != nil {
			return refuse(n, id, "DURATION", "%s", err.Error())
		}
		a.Schedule.DurationMinutes = int(d.Minutes())
	}
	if rule := value(e, ics.ComponentPropertyRrule); rule != "" {
		a.Schedule.RRule = &rule
	}
	for _, p := range e.GetProperties(ics.ComponentPropertyExdate) {
		for _, v := range strings.Split(p.Value, ",") {
			t, err := icalTime(&ics.IANAProperty{BaseProperty: ics.BaseProperty{Value: v, ICalParameters: p.ICalParameters}})
			if err != nil {
				return refuse(n, id, "EXDATE", "%s", err.Error())
			}
			a.Schedule.ExDates = append(a.Schedule.ExDates, stamp(t))
		}
	}
	location, link := value(e, ics.ComponentPropertyLocation), value(e, ics.ComponentPropertyUrl)
	switch {
	case strings.HasPrefix(location, "https://"):
		a.Online, a.OnlineURL = true, &location
	case strings.EqualFold(location, "online") || strings.EqualFold(location, "digitalt"):
		a.Online = true
		if link != "" {
			a.OnlineURL = &link
		}
	case location != "":
		a.Address = &location
	}
	if geo := value(e, ics.ComponentPropertyGeo); geo != "" {
		lat, lon, ok := strings.Cut(geo, ";")
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(lon, 64)
		if !ok || err1 != nil || err2 != nil {
			return refuse(n, id, "GEO", "give GEO as latitude;longitude")
		}
		a.Latitude, a.Longitude = &la, &lo
	}
	for _, c := range strings.Split(value(e, ics.ComponentPropertyCategories), ",") {
		c = strings.ToUpper(strings.TrimSpace(c))
		if slices.Contains(partnernet.ActivityCategory("").Values(), c) {
			a.Category = partnernet.ActivityCategory(c)
			break
		}
	}
	switch strings.ToUpper(value(e, ics.ComponentPropertyStatus)) {
	case "CANCELLED":
		r.Status = partnernet.ActivityCancelled
	case "TENTATIVE":
		r.Status = partnernet.ActivityDraft
	}
	if c := value(e, ics.ComponentProperty(PropCapacity)); c != "" {
		v, err := strconv.Atoi(c)
		if err != nil {
			return refuse(n, id, PropCapacity, "give the number of places as a whole number")
		}
		a.Capacity = &v
	}
	if l := value(e, ics.ComponentProperty(PropLanguages)); l != "" {
		for _, code := range strings.Split(l, ",") {
			a.Languages = append(a.Languages, strings.ToLower(strings.TrimSpace(code)))
		}
	}
	r.MunicipalityCode = value(e, ics.ComponentProperty(PropMunicipality))
	defaults(a)
	return r
}

// icalTime reads a DATE-TIME: UTC (Z), local with a TZID, or floating (read in Swedish time).
func icalTime(p *ics.IANAProperty) (time.Time, error) {
	if p == nil {
		return time.Time{}, fmt.Errorf("a start (DTSTART) is required")
	}
	v := strings.TrimSpace(p.Value)
	if strings.HasSuffix(v, "Z") {
		return time.ParseInLocation("20060102T150405Z", v, time.UTC)
	}
	loc := partnernet.Stockholm
	if tz := p.ICalParameters["TZID"]; len(tz) == 1 && tz[0] != partnernet.Stockholm.String() {
		l, err := time.LoadLocation(tz[0])
		if err != nil {
			return time.Time{}, fmt.Errorf("unknown time zone %q", tz[0])
		}
		loc = l
	}
	t, err := time.ParseInLocation("20060102T150405", v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("give a date and time such as 20260512T180000, not %q", v)
	}
	return t, nil
}

// icalDuration reads a DURATION of hours and minutes (PT1H30M), or days (P1D).
func icalDuration(v string) (time.Duration, error) {
	rest, ok := strings.CutPrefix(strings.ToUpper(v), "P")
	if !ok {
		return 0, fmt.Errorf("give a duration such as PT1H30M")
	}
	var d time.Duration
	if days, after, ok := strings.Cut(rest, "D"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, fmt.Errorf("give a duration such as PT1H30M")
		}
		d, rest = time.Duration(n)*24*time.Hour, after
	}
	if rest == "" {
		return d, nil
	}
	t, err := time.ParseDuration(strings.ToLower(strings.TrimPrefix(rest, "T")))
	if err != nil {
		return 0, fmt.Errorf("give a duration such as PT1H30M")
	}
	return d + t, nil
}
