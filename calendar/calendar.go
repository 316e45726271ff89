// Package calendar writes activities as iCalendar (RFC 5545) feeds, so that they appear in
// ordinary calendar apps: one VEVENT per schedule of an activity, the schedule as DTSTART in Europe/Stockholm
// time with the RRULE and EXDATEs of the activity, and STATUS:CANCELLED for a cancelled one.
package calendar

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// ContentType is the media type of a feed.
const ContentType = "text/calendar; charset=utf-8"

// MaxEvents bounds the activities of one feed.
const MaxEvents = 500

// UIDDomain makes the UIDs of the events of every feed, whichever host serves it, the same and
// globally unique: activity-<id>@partnernet.partnerskap-skane.
const UIDDomain = "partnernet.partnerskap-skane"

// localFormat is a local date-time of RFC 5545 (read with a TZID).
const localFormat = "20060102T150405"

// Names resolves the organisations and municipalities a feed mentions.
type Names struct {
	Organisations  map[int64]string
	Municipalities map[int64]string
	// Export, for an organisation's export of its own programme (package bulk reads it back),
	// adds partnernet's own properties (English title, capacity, languages, municipality code),
	// lists drafts as TENTATIVE, and takes each imported activity's UID from UIDs (its source's
	// ID); MunicipalityCodes resolves the codes.
	Export            bool
	UIDs              map[int64]string
	MunicipalityCodes map[int64]string
	// Reader is the languages the feed is read in (its lang parameter, else Accept-Language):
	// then each event's SUMMARY and DESCRIPTION are in the first of them the activity is written
	// in, along the fallback chain, with a LANGUAGE parameter. Empty: the bilingual Swedish and
	// English feed of before.
	Reader partnernet.Reader
	// Texts are the activities' texts in every language they are written in, by activity id;
	// read when Reader is set.
	Texts map[int64][]partnernet.ActivityTranslation
}

// Write builds the feed named name of the activities, an event for each of their schedules;
// unscheduled ones are left out. uidDomain makes each event's UID globally unique (e.g. the
// server's host name).
func Write(name, uidDomain string, activities []partnernet.Activity, names Names) string {
	cal := ics.NewCalendarFor("partnernet")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	cal.SetXWRTimezone(partnernet.Stockholm.String())
	cal.AddVTimezone(stockholmTimezone())
	for i := range activities {
		a := &activities[i]
		for n, sc := range a.Schedules() {
			addEvent(cal, uidDomain, a, n, sc, names)
		}
	}
	return cal.Serialize()
}

// addEvent adds the event of schedule n of activity a (0 the first): UID activity-<id>@<domain>
// for the first, activity-<id>-<n>@<domain> for each further one.
func addEvent(cal *ics.Calendar, uidDomain string, a *partnernet.Activity, n int, sc partnernet.Schedule, names Names) {
	uid := fmt.Sprintf("activity-%d@%s", a.ID, uidDomain)
	switch {
	case n > 0:
		uid = fmt.Sprintf("activity-%d-%d@%s", a.ID, n, uidDomain)
	case names.UIDs[a.ID] != "":
		uid = names.UIDs[a.ID]
	}
	e := cal.AddEvent(uid)
	e.SetDtStampTime(a.UpdatedAt)
	e.SetCreatedTime(a.CreatedAt)
	e.SetModifiedAt(a.UpdatedAt)
	e.SetSequence(a.Version)
	tz := ics.WithTZID(partnernet.Stockholm.String())
	start := sc.StartsAt.In(partnernet.Stockholm)
	e.SetProperty(ics.ComponentPropertyDtStart, start.Format(localFormat), tz)
	e.SetProperty(ics.ComponentPropertyDtEnd, start.Add(sc.Duration()).Format(localFormat), tz)
	if sc.RRule != nil {
		e.AddRrule(*sc.RRule)
		for _, ex := range sc.ExDates {
			e.AddExdate(ex.In(partnernet.Stockholm).Format(localFormat), tz)
		}
	}
	summary := a.Title
	if a.TitleEn != "" && a.TitleEn != a.Title {
		summary += " / " + a.TitleEn
	}
	if len(names.Reader) > 0 && !names.Export {
		title, about := localized(a, names)
		e.SetSummary(title.Text, languageParameter(title.Language))
		e.SetDescription(localizedDescription(a, about, names), languageParameter(names.Reader.Sentence("calOrganiser").Language))
	} else {
		e.SetSummary(summary)
		e.SetDescription(description(a, names))
	}
	switch {
	case a.Online && a.OnlineURL != nil:
		e.SetLocation("Online")
		e.SetURL(*a.OnlineURL)
	case a.Address != nil:
		e.SetLocation(*a.Address + municipalitySuffix(a, names))
	case a.MunicipalityID != nil:
		e.SetLocation(names.Municipalities[*a.MunicipalityID])
	}
	if a.Latitude != nil && a.Longitude != nil {
		e.SetGeo(strconv.FormatFloat(*a.Latitude, 'f', 6, 64), strconv.FormatFloat(*a.Longitude, 'f', 6, 64))
	}
	e.SetProperty(ics.ComponentPropertyCategories, string(a.Category))
	switch {
	case a.Status == partnernet.ActivityCancelled:
		e.SetStatus(ics.ObjectStatusCancelled)
	case names.Export && a.Status == partnernet.ActivityDraft:
		e.SetStatus(ics.ObjectStatusTentative)
	default:
		e.SetStatus(ics.ObjectStatusConfirmed)
	}
	if names.Export {
		exportProperties(e, a, names)
	}
}

// exportProperties adds partnernet's own properties of an activity to its event, and gives its
// own title alone as SUMMARY, for a system to read back.
func exportProperties(e *ics.VEvent, a *partnernet.Activity, names Names) {
	e.SetSummary(a.Title)
	e.SetProperty("X-PARTNERNET-TITLE-EN", a.TitleEn)
	e.SetProperty("X-PARTNERNET-LANGUAGES", strings.Join(a.Languages, ","))
	if a.Capacity != nil {
		e.SetProperty("X-PARTNERNET-CAPACITY", strconv.Itoa(*a.Capacity))
	}
	if a.MunicipalityID != nil && names.MunicipalityCodes[*a.MunicipalityID] != "" {
		e.SetProperty("X-PARTNERNET-MUNICIPALITY", names.MunicipalityCodes[*a.MunicipalityID])
	}
	e.SetDescription(a.Description)
	if a.Address != nil {
		e.SetLocation(*a.Address)
	}
}

// municipalitySuffix is ", <municipality>" for an activity in a known municipality whose
// address does not name it already.
func municipalitySuffix(a *partnernet.Activity, names Names) string {
	if a.MunicipalityID == nil {
		return ""
	}
	name := names.Municipalities[*a.MunicipalityID]
	if name == "" || strings.Contains(*a.Address, name) {
		return ""
	}
	return ", " + name
}

// description is the text of an activity's event: both languages, organisers, languages spoken,
// cost and contact.
func description(a *partnernet.Activity, names Names) string {
	var b strings.Builder
	b.WriteString(a.Description)
	if a.DescriptionEn != "" {
		b.WriteString("\n\n" + a.DescriptionEn)
	}
	fmt.Fprintf(&b, "\n\nArrangör / Organiser: %s", names.Organisations[a.OrganiserID])
	if len(a.CoOrganiserIDs) > 0 {
		co := make([]string, len(a.CoOrganiserIDs))
		for i, id := range a.CoOrganiserIDs {
			co[i] = names.Organisations[id]
		}
		fmt.Fprintf(&b, "\nMedarrangörer / Co-organisers: %s", strings.Join(co, ", "))
	}
	fmt.Fprintf(&b, "\nSpråk / Languages: %s", strings.Join(a.Languages, ", "))
	if a.CostSEK == 0 {
		b.WriteString("\nKostnad / Cost: gratis / free")
	} else {
		fmt.Fprintf(&b, "\nKostnad / Cost: %d kr", a.CostSEK)
	}
	if a.ContactEmail != nil {
		fmt.Fprintf(&b, "\nKontakt / Contact: %s", *a.ContactEmail)
	}
	return strings.TrimSpace(b.String())
}

// languageParameter is the LANGUAGE parameter of a text property (RFC 5545 3.2.10).
func languageParameter(t partnernet.LanguageTag) ics.PropertyParameter {
	return &ics.KeyValues{Key: string(ics.ParameterLanguage), Value: []string{string(t)}}
}

// localized returns an activity's title and description for the feed's reader, along the
// fallback chain; the description is nil when it has none.
func localized(a *partnernet.Activity, names Names) (partnernet.LocalizedText, *partnernet.LocalizedText) {
	titles := map[partnernet.LanguageTag]string{partnernet.Swedish: a.Title, partnernet.English: a.TitleEn}
	descriptions := map[partnernet.LanguageTag]string{partnernet.Swedish: a.Description, partnernet.English: a.DescriptionEn}
	for _, t := range names.Texts[a.ID] {
		titles[t.Language], descriptions[t.Language] = t.Title, t.Description
	}
	title := names.Reader.Localize(titles)
	if title == nil {
		title = &partnernet.LocalizedText{Text: a.Title, Language: partnernet.Swedish}
	}
	return *title, names.Reader.Localize(descriptions)
}

// localizedDescription is the text of an activity's event in the reader's language: its
// description, organisers, languages spoken (named in themselves), cost and contact.
func localizedDescription(a *partnernet.Activity, about *partnernet.LocalizedText, names Names) string {
	r := names.Reader
	var lines []string
	if about != nil {
		lines = append(lines, about.Text, "")
	}
	lines = append(lines, r.Sentence("calOrganiser", "name", names.Organisations[a.OrganiserID]).Text)
	if len(a.CoOrganiserIDs) > 0 {
		co := make([]string, len(a.CoOrganiserIDs))
		for i, id := range a.CoOrganiserIDs {
			co[i] = names.Organisations[id]
		}
		lines = append(lines, r.Sentence("calCoOrganisers", "names", co).Text)
	}
	spoken := make([]string, len(a.Languages))
	for i, l := range a.Languages {
		spoken[i] = partnernet.LanguageTag(l).Name()
	}
	lines = append(lines, r.Sentence("calLanguages", "languages", spoken).Text)
	if a.CostSEK == 0 {
		lines = append(lines, r.Sentence("calFree").Text)
	} else {
		lines = append(lines, r.Sentence("calCost", "amount", strconv.Itoa(a.CostSEK)).Text)
	}
	if a.ContactEmail != nil {
		lines = append(lines, r.Sentence("calContact", "email", *a.ContactEmail).Text)
	}
	return strings.Join(lines, "\n")
}

// stockholmTimezone is the VTIMEZONE of Europe/Stockholm: CET, with summer time (CEST) from the
// last Sunday of March to the last Sunday of October.
func stockholmTimezone() *ics.VTimezone {
	tz := ics.NewTimezone(partnernet.Stockholm.String())
	std := tz.AddStandard()
	std.AddProperty(ics.ComponentPropertyDtStart, "19701025T030000")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0200")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0100")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CET")
	std.AddRrule("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	day := &ics.Daylight{}
	day.AddProperty(ics.ComponentPropertyDtStart, "19700329T020000")
	day.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0100")
	day.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0200")
	day.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CEST")
	day.AddRrule("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	tz.Components = append(tz.Components, day)
	return tz
}

// FilterFromQuery reads a discovery filter from the query of a feed's URL: municipality,
// category, language, targetGroup, programme and organisation (each repeatable), from and until
// (RFC 3339), q (full text) and lang (the feed's language, a BCP 47 tag). A bad value is a partnernet.ErrBadUserInput naming its
// parameter.
func FilterFromQuery(q url.Values) (store.ActivityFilter, error) {
	f := store.ActivityFilter{Announced: true}
	for name, vs := range q {
		if len(vs) > 100 {
			return f, partnernet.InputError(name, "at most 100 values")
		}
		for _, v := range vs {
			if err := addFilterValue(&f, name, v); err != nil {
				return f, err
			}
		}
	}
	return f, nil
}

// addFilterValue adds one query parameter to a filter.
func addFilterValue(f *store.ActivityFilter, name, v string) error {
	switch name {
	case "municipality":
		if len(v) != 4 || strings.Trim(v, "0123456789") != "" {
			return partnernet.InputError(name, "%q is not a four-digit municipality code", v)
		}
		f.MunicipalityCodes = append(f.MunicipalityCodes, v)
	case "category":
		return enumValue(&f.Categories, name, v)
	case "targetGroup":
		return enumValue(&f.TargetGroups, name, v)
	case "programme":
		return enumValue(&f.ProgrammeCodes, name, v)
	case "language":
		if len(v) < 2 || len(v) > 3 || strings.Trim(v, "abcdefghijklmnopqrstuvwxyz") != "" {
			return partnernet.InputError(name, "give an ISO 639 code such as ar or sv")
		}
		f.Languages = append(f.Languages, v)
	case "organisation":
		if v == "" || len(v) > 64 {
			return partnernet.InputError(name, "give an organisation's slug")
		}
		f.OrganisationSlugs = append(f.OrganisationSlugs, v)
	case "from", "until":
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return partnernet.InputError(name, "give a time as RFC 3339, e.g. 2026-12-01T00:00:00+01:00")
		}
		if name == "from" {
			f.OccursFrom = &t
		} else {
			f.OccursUntil = &t
		}
	case "lang":
		// The feed's language, which the server reads into calendar.Names.Reader; a search in
		// it ranks its texts first.
		t, err := partnernet.ParseLanguageTag(name, v)
		if err != nil {
			return err
		}
		f.TextLanguage = t
	case "q":
		if len(v) > 100 {
			return partnernet.InputError(name, "at most 100 characters")
		}
		f.Text = strings.TrimSpace(v)
	default:
		return partnernet.InputError(name, "unknown parameter")
	}
	return nil
}

// enumValue appends v to dst when it is a value of the enumeration E.
func enumValue[E interface {
	~string
	Values() []string
}](dst *[]E, name, v string) error {
	var zero E
	for _, ok := range zero.Values() {
		if ok == v {
			*dst = append(*dst, E(v))
			return nil
		}
	}
	return partnernet.InputError(name, "%q is not one of %s", v, strings.Join(zero.Values(), ", "))
}
