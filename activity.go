package partnernet

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// Activity is something newcomers can join, organised by one organisation within a programme,
// shaped on Open Referral HSDS 3 (service, location, schedule, language, eligibility, cost,
// contact).
type Activity struct {
	ID             int64
	OrganiserID    int64
	ProgrammeID    int64
	MunicipalityID *int64 // nil for an online or region-wide activity
	Title          string // in Swedish
	Description    string // in Swedish
	TitleEn        string
	DescriptionEn  string
	Category       ActivityCategory
	Languages      []string // ISO 639 codes of the languages spoken
	TargetGroups   []TargetGroup
	Accessibility  string
	Online         bool
	OnlineURL      *string
	Address        *string
	Latitude       *float64
	Longitude      *float64
	Schedule       Schedule
	// MoreSchedules are the activity's further schedules, beside Schedule: other days or times of
	// day with rules, durations and exceptions of their own (HSDS: several schedules per
	// service). None for most; Schedule is then the only one.
	MoreSchedules []Schedule
	Capacity      *int // nil for no limit
	MinAge        *int // the youngest who may take part, in whole years; nil for no lower bound
	MaxAge        *int // the oldest who may take part, in whole years; nil for no upper bound
	CostSEK       int  // 0: free
	CostNote      string
	// ApplicationProcess tells how to take part: the steps to join (HSDS: application_process).
	ApplicationProcess string
	// InterpretationServices tells what interpretation is on offer, beyond the languages spoken
	// (HSDS: interpretation_services).
	InterpretationServices string
	// ServiceAreaIDs are the municipalities whose residents the activity serves (HSDS:
	// service_area), in id order; none for anyone.
	ServiceAreaIDs []int64
	ContactName    *string
	ContactEmail   *string
	ContactPhone   *string
	Status         ActivityStatus
	PublishedAt    *time.Time
	CancelledAt    *time.Time
	// Version counts the writes of the activity, starting at 1.
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
	// CoOrganiserIDs are the partner organisations co-organising it.
	CoOrganiserIDs []int64
}

// The limits of an activity's fields.
const (
	MaxTitleLen         = 200
	MaxDescriptionLen   = 10000
	MaxAccessibilityLen = 2000
	MaxAddressLen       = 300
	MaxOnlineURLLen     = 500
	MaxCostNoteLen      = 500
	MaxContactNameLen   = 200
	MaxContactPhoneLen  = 30
	MaxLanguages        = 20
	MaxCoOrganisers     = 20
	MaxExceptions       = 500
	MaxCapacity         = 100000
	MaxCostSEK          = 100000
	// MaxApplicationProcessLen bounds how to take part; MaxInterpretationLen the interpretation
	// on offer.
	MaxApplicationProcessLen = 2000
	MaxInterpretationLen     = 2000
	// MaxServiceAreas bounds the municipalities an activity serves (Skåne has 33).
	MaxServiceAreas = 50
	// MaxSchedules bounds an activity's schedules, the first and the further ones together.
	MaxSchedules = 10
	// MaxAge is the highest age an activity's eligibility may name.
	MaxAge = 120
	// MaxDurationMinutes is the longest an occurrence lasts: a day.
	MaxDurationMinutes = 24 * 60
)

// Validate checks the rules of an activity's own fields, trimming its texts. Each refusal is
// BAD_USER_INPUT at the field's path under prefix as the API names it ("input.title"). Looking up
// what the activity refers to (its programme, municipality, co-organisers) and expanding its
// schedule are the caller's.
func (a *Activity) Validate(prefix string) error {
	field := func(name string) string { return prefix + "." + name }
	var err error
	for _, t := range []struct {
		name     string
		text     *string
		max      int
		required bool
	}{
		{"title", &a.Title, MaxTitleLen, true},
		{"titleEn", &a.TitleEn, MaxTitleLen, true},
		{"description", &a.Description, MaxDescriptionLen, false},
		{"descriptionEn", &a.DescriptionEn, MaxDescriptionLen, false},
		{"accessibility", &a.Accessibility, MaxAccessibilityLen, false},
		{"applicationProcess", &a.ApplicationProcess, MaxApplicationProcessLen, false},
		{"interpretationServices", &a.InterpretationServices, MaxInterpretationLen, false},
	} {
		if *t.text, err = Text(field(t.name), *t.text, t.max, t.required); err != nil {
			return err
		}
	}
	if err := CheckLanguages(field("languages"), a.Languages, MaxLanguages); err != nil {
		return err
	}
	if len(a.TargetGroups) == 0 {
		return InputError(field("targetGroups"), "name at least one target group")
	}
	if err := a.validateLocation(field("location")); err != nil {
		return err
	}
	if a.Capacity != nil && (*a.Capacity < 1 || *a.Capacity > MaxCapacity) {
		return InputError(field("capacity"), "give 1 to %d places, or none for no limit", MaxCapacity)
	}
	for _, age := range []struct {
		name string
		v    *int
	}{{"minAge", a.MinAge}, {"maxAge", a.MaxAge}} {
		if age.v != nil && (*age.v < 0 || *age.v > MaxAge) {
			return InputError(field(age.name), "give an age of 0 to %d years, or none", MaxAge)
		}
	}
	if a.MinAge != nil && a.MaxAge != nil && *a.MinAge > *a.MaxAge {
		return InputError(field("maxAge"), "the oldest age is at least the youngest")
	}
	if a.CostSEK < 0 || a.CostSEK > MaxCostSEK {
		return InputError(field("costSek"), "give a fee of 0 to %d kronor", MaxCostSEK)
	}
	if a.CostNote, err = Text(field("costNote"), a.CostNote, MaxCostNoteLen, false); err != nil {
		return err
	}
	if a.ContactName, err = OptionalText(field("contactName"), a.ContactName, MaxContactNameLen); err != nil {
		return err
	}
	if a.ContactEmail, err = OptionalText(field("contactEmail"), a.ContactEmail, MaxEmailLen); err != nil {
		return err
	}
	if err := CheckEmail(field("contactEmail"), a.ContactEmail); err != nil {
		return err
	}
	if a.ContactPhone, err = OptionalText(field("contactPhone"), a.ContactPhone, MaxContactPhoneLen); err != nil {
		return err
	}
	if err := CheckPhone(field("contactPhone"), a.ContactPhone); err != nil {
		return err
	}
	if len(a.ServiceAreaIDs) > MaxServiceAreas {
		return InputError(field("serviceAreaCodes"), "at most %d service areas", MaxServiceAreas)
	}
	if len(a.CoOrganiserIDs) > MaxCoOrganisers {
		return InputError(field("coOrganiserIds"), "at most %d co-organisers", MaxCoOrganisers)
	}
	for i, id := range a.CoOrganiserIDs {
		if id == a.OrganiserID {
			return InputError(fmt.Sprintf("%s.%d", field("coOrganiserIds"), i), "the organiser is not its own co-organiser")
		}
	}
	if err := a.Schedule.Validate(field("schedule")); err != nil {
		return err
	}
	return a.validateMoreSchedules(field("moreSchedules"))
}

// validateMoreSchedules checks the further schedules: each scheduled and valid, after a first
// one, at most MaxSchedules in all.
func (a *Activity) validateMoreSchedules(field string) error {
	if len(a.MoreSchedules) == 0 {
		return nil
	}
	if a.Schedule.StartsAt == nil {
		return InputError(field, "give the first schedule (schedule) before further ones")
	}
	if len(a.MoreSchedules) > MaxSchedules-1 {
		return InputError(field, "at most %d schedules in all", MaxSchedules)
	}
	for i, s := range a.MoreSchedules {
		at := fmt.Sprintf("%s.%d", field, i)
		if s.StartsAt == nil {
			return InputError(at+".startsAt", "say when it starts")
		}
		if err := s.Validate(at); err != nil {
			return err
		}
	}
	return nil
}

// Schedules returns the activity's schedules: the first, when it is scheduled, then the further
// ones.
func (a *Activity) Schedules() []Schedule {
	if a.Schedule.StartsAt == nil {
		return nil
	}
	return append([]Schedule{a.Schedule}, a.MoreSchedules...)
}

// Occurrences expands every schedule of the activity as of now ([Schedule.Occurrences]) into its
// occurrences, each ending after its schedule's duration, in order of start. Two schedules that
// start an occurrence at the same time are refused, as BAD_USER_INPUT at the later one's path
// under field ("input.moreSchedules.0").
//
// When a schedule is open-ended, no occurrence starts after the soonest horizon of the
// open-ended ones: the latest occurrence then shows when the activity is due to be expanded
// further (store's ActivityListScheduleDue), and a bounded schedule expanded further ahead
// cannot hide that an open-ended one needs it.
func (a *Activity) Occurrences(field string, now time.Time) ([]Occurrence, error) {
	var out []Occurrence
	seen := map[time.Time]bool{}
	var limit time.Time
	for _, s := range a.Schedules() {
		if s.OpenEnded() {
			h := latestOf(now, *s.StartsAt).Add(ScheduleHorizon)
			if limit.IsZero() || h.Before(limit) {
				limit = h
			}
		}
	}
	for i, s := range a.Schedules() {
		starts, err := s.Occurrences(now)
		if err != nil {
			return nil, err
		}
		for _, t := range starts {
			if !limit.IsZero() && t.After(limit) {
				break
			}
			if seen[t.UTC()] {
				return nil, InputError(fmt.Sprintf("%s.moreSchedules.%d", field, i-1),
					"starts an occurrence at %s, as an earlier schedule does", t.In(Stockholm).Format("2006-01-02 15:04"))
			}
			seen[t.UTC()] = true
			out = append(out, Occurrence{ActivityID: a.ID, StartsAt: t, EndsAt: t.Add(s.Duration())})
		}
	}
	slices.SortFunc(out, func(x, y Occurrence) int { return x.StartsAt.Compare(y.StartsAt) })
	return out, nil
}

// latestOf is the later of a and b.
func latestOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// validateLocation checks where an activity takes place: online at an https link, or in a
// municipality, with an address and coordinates optional.
func (a *Activity) validateLocation(field string) error {
	var err error
	if a.Online {
		if a.OnlineURL, err = OptionalText(field+".onlineUrl", a.OnlineURL, MaxOnlineURLLen); err != nil {
			return err
		}
		if a.OnlineURL == nil || !strings.HasPrefix(*a.OnlineURL, "https://") || strings.ContainsAny(*a.OnlineURL, " \t\r\n") {
			return InputError(field+".onlineUrl", "an online activity needs an https link")
		}
		return nil
	}
	if a.Address, err = OptionalText(field+".address", a.Address, MaxAddressLen); err != nil {
		return err
	}
	if a.MunicipalityID == nil {
		return InputError(field+".municipalityCode", "an activity in a place needs its municipality")
	}
	switch {
	case (a.Latitude == nil) != (a.Longitude == nil):
		return InputError(field+".latitude", "give latitude and longitude together")
	case a.Latitude != nil && (math.IsNaN(*a.Latitude) || *a.Latitude < -90 || *a.Latitude > 90):
		return InputError(field+".latitude", "a latitude is between -90 and 90")
	case a.Longitude != nil && (math.IsNaN(*a.Longitude) || *a.Longitude < -180 || *a.Longitude > 180):
		return InputError(field+".longitude", "a longitude is between -180 and 180")
	}
	return nil
}

// Public reports whether the activity has been published (it may since have been cancelled or
// finished): its public changes and its place in calendar feeds.
func (a *Activity) Public() bool { return a.PublishedAt != nil && a.Status != ActivityDraft }

// Occurrence is one time an activity takes place.
type Occurrence struct {
	ActivityID int64
	StartsAt   time.Time
	EndsAt     time.Time
}

// ActivityChange is a public change of an activity, announced to live subscribers.
type ActivityChange struct {
	ID         int64
	ActivityID int64
	Kind       ActivityChangeKind
	OccurredAt time.Time
}

// ActivityStatus is where an activity is in its life: draft → published → cancelled or finished.
type ActivityStatus string

// The activity statuses.
const (
	ActivityDraft     ActivityStatus = "DRAFT"
	ActivityPublished ActivityStatus = "PUBLISHED"
	ActivityCancelled ActivityStatus = "CANCELLED"
	ActivityFinished  ActivityStatus = "FINISHED"
)

// Values lists every ActivityStatus.
func (ActivityStatus) Values() []string {
	return []string{"DRAFT", "PUBLISHED", "CANCELLED", "FINISHED"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *ActivityStatus) UnmarshalGQL(v any) error { return unmarshalEnum(s, v) }

// MarshalGQL implements graphql.Marshaler.
func (s ActivityStatus) MarshalGQL(w io.Writer) { marshalEnum(s, w) }

// ActivityCategory is what kind of activity it is (HSDS 3: the service's taxonomy term).
type ActivityCategory string

// The activity categories.
const (
	ActivityLanguagePractice   ActivityCategory = "LANGUAGE_PRACTICE"
	ActivitySports             ActivityCategory = "SPORTS"
	ActivityCulture            ActivityCategory = "CULTURE"
	ActivityHealth             ActivityCategory = "HEALTH"
	ActivityParenting          ActivityCategory = "PARENTING"
	ActivityCivicOrientation   ActivityCategory = "CIVIC_ORIENTATION"
	ActivityWorkAndStudy       ActivityCategory = "WORK_AND_STUDY"
	ActivitySocialMeetingPlace ActivityCategory = "SOCIAL_MEETING_PLACE"
)

// Values lists every ActivityCategory.
func (ActivityCategory) Values() []string {
	return []string{
		"LANGUAGE_PRACTICE", "SPORTS", "CULTURE", "HEALTH", "PARENTING", "CIVIC_ORIENTATION",
		"WORK_AND_STUDY", "SOCIAL_MEETING_PLACE",
	}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (c *ActivityCategory) UnmarshalGQL(v any) error { return unmarshalEnum(c, v) }

// MarshalGQL implements graphql.Marshaler.
func (c ActivityCategory) MarshalGQL(w io.Writer) { marshalEnum(c, w) }

// TargetGroup is who an activity is meant for (HSDS 3: eligibility).
type TargetGroup string

// The target groups.
const (
	TargetChildren TargetGroup = "CHILDREN"
	TargetYouth    TargetGroup = "YOUTH"
	TargetWomen    TargetGroup = "WOMEN"
	TargetMen      TargetGroup = "MEN"
	TargetParents  TargetGroup = "PARENTS"
	TargetFamilies TargetGroup = "FAMILIES"
	TargetSeniors  TargetGroup = "SENIORS"
	TargetEveryone TargetGroup = "EVERYONE"
)

// Values lists every TargetGroup.
func (TargetGroup) Values() []string {
	return []string{"CHILDREN", "YOUTH", "WOMEN", "MEN", "PARENTS", "FAMILIES", "SENIORS", "EVERYONE"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (g *TargetGroup) UnmarshalGQL(v any) error { return unmarshalEnum(g, v) }

// MarshalGQL implements graphql.Marshaler.
func (g TargetGroup) MarshalGQL(w io.Writer) { marshalEnum(g, w) }

// ActivityChangeKind is what happened to a public activity.
type ActivityChangeKind string

// The kinds of public activity change.
const (
	ChangePublished ActivityChangeKind = "PUBLISHED"
	ChangeUpdated   ActivityChangeKind = "UPDATED"
	ChangeCancelled ActivityChangeKind = "CANCELLED"
)

// Values lists every ActivityChangeKind.
func (ActivityChangeKind) Values() []string { return []string{"PUBLISHED", "UPDATED", "CANCELLED"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *ActivityChangeKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v) }

// MarshalGQL implements graphql.Marshaler.
func (k ActivityChangeKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// IsEntity marks Activity as a federation entity.
func (Activity) IsEntity() {}
