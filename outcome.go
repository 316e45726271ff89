package partnernet

import (
	"io"
	"time"
)

// Outcome is a dated step of a newcomer's establishment, recorded by the partner responsible for
// it (category OUTCOMES): a course of Swedish for immigrants (SFI) with its level and progress,
// work, studies, the Public Employment Service's establishment programme, or leaving the region.
// Work, studies, the programme and an SFI course are spells, from StartedOn until EndedOn (nil
// while they last); leaving the region is a single date.
type Outcome struct {
	ID         int64
	NewcomerID int64
	Kind       OutcomeKind
	// StartedOn is when the spell began, or when the newcomer left the region.
	StartedOn Date
	// EndedOn is when the spell ended: the SFI course passed or discontinued, the job or the
	// studies ended; nil while it lasts.
	EndedOn *Date
	// SfiCourse and SfiProgress say, for an SFI spell only, which course (A to D) and how it went.
	SfiCourse   *SfiCourse
	SfiProgress *SfiProgress
	// RecordedByOrgID is the organisation that recorded the outcome, the only one that corrects
	// or retracts it; RecordedBy the subject who last wrote it.
	RecordedByOrgID int64
	RecordedBy      string
	RecordedAt      time.Time
	UpdatedAt       time.Time
}

// OutcomeKind is what an outcome records.
type OutcomeKind string

// The kinds of outcome.
const (
	// OutcomeSfi is a course of Swedish for immigrants (sfi, municipal adult education).
	OutcomeSfi OutcomeKind = "SFI"
	// OutcomeWork is employment or self-employment.
	OutcomeWork OutcomeKind = "WORK"
	// OutcomeStudies is regular education: municipal adult education other than SFI, a folk high
	// school, vocational or higher education.
	OutcomeStudies OutcomeKind = "STUDIES"
	// OutcomeEstablishmentProgramme is the Public Employment Service's establishment programme.
	OutcomeEstablishmentProgramme OutcomeKind = "ESTABLISHMENT_PROGRAMME"
	// OutcomeLeftRegion is that the newcomer moved away from Skåne: follow-up ends that day.
	OutcomeLeftRegion OutcomeKind = "LEFT_REGION"
)

// Values lists every OutcomeKind.
func (OutcomeKind) Values() []string {
	return []string{"SFI", "WORK", "STUDIES", "ESTABLISHMENT_PROGRAMME", "LEFT_REGION"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *OutcomeKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v) }

// MarshalGQL implements graphql.Marshaler.
func (k OutcomeKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// SfiCourse is a course of Swedish for immigrants: A (the first) to D (the last, which completes
// SFI). Study path 1 runs A to D, path 2 B to D, path 3 C and D.
type SfiCourse string

// The SFI courses.
const (
	SfiCourseA SfiCourse = "A"
	SfiCourseB SfiCourse = "B"
	SfiCourseC SfiCourse = "C"
	SfiCourseD SfiCourse = "D"
)

// Values lists every SfiCourse.
func (SfiCourse) Values() []string { return []string{"A", "B", "C", "D"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (c *SfiCourse) UnmarshalGQL(v any) error { return unmarshalEnum(c, v) }

// MarshalGQL implements graphql.Marshaler.
func (c SfiCourse) MarshalGQL(w io.Writer) { marshalEnum(c, w) }

// SfiProgress is how an SFI course goes.
type SfiProgress string

// The progress of an SFI course.
const (
	SfiStudying     SfiProgress = "STUDYING"
	SfiPassed       SfiProgress = "PASSED"
	SfiDiscontinued SfiProgress = "DISCONTINUED"
)

// Values lists every SfiProgress.
func (SfiProgress) Values() []string { return []string{"STUDYING", "PASSED", "DISCONTINUED"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (p *SfiProgress) UnmarshalGQL(v any) error { return unmarshalEnum(p, v) }

// MarshalGQL implements graphql.Marshaler.
func (p SfiProgress) MarshalGQL(w io.Writer) { marshalEnum(p, w) }

// earliestOutcome is the first date an outcome may carry: nothing in the network's records is
// older.
var earliestOutcome = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Validate checks an outcome's own fields at path prefix ("input") as the API names them, against
// today (now): dates from 2000 and not in the future, an end not before the start; SFI alone
// carries a course and a progress, and PASSED or DISCONTINUED ends the spell while STUDYING does
// not; leaving the region has no end.
func (o *Outcome) Validate(prefix string, now time.Time) error {
	if !o.Kind.valid() {
		return InputError(prefix+".kind", "unknown outcome kind")
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	start := time.Time(o.StartedOn)
	if start.Before(earliestOutcome) || start.After(today) {
		return InputError(prefix+".startedOn", "give a date from 2000 until today")
	}
	if o.EndedOn != nil {
		end := time.Time(*o.EndedOn)
		if end.Before(start) || end.After(today) {
			return InputError(prefix+".endedOn", "the end is on or after the start, and not in the future")
		}
	}
	switch o.Kind {
	case OutcomeSfi:
		if o.SfiCourse == nil || !o.SfiCourse.valid() {
			return InputError(prefix+".sfiCourse", "an SFI outcome names its course, A to D")
		}
		if o.SfiProgress == nil || !o.SfiProgress.valid() {
			return InputError(prefix+".sfiProgress", "an SFI outcome says how the course goes")
		}
		if (*o.SfiProgress == SfiStudying) != (o.EndedOn == nil) {
			return InputError(prefix+".endedOn", "a course passed or discontinued has an end date; one still studied has none")
		}
	default:
		if o.SfiCourse != nil || o.SfiProgress != nil {
			return InputError(prefix+".sfiCourse", "only an SFI outcome has a course and a progress")
		}
	}
	if o.Kind == OutcomeLeftRegion && o.EndedOn != nil {
		return InputError(prefix+".endedOn", "leaving the region is a single date")
	}
	return nil
}

// valid reports whether k is an OutcomeKind.
func (k OutcomeKind) valid() bool { return validEnum(k) }

// valid reports whether c is an SfiCourse.
func (c SfiCourse) valid() bool { return validEnum(c) }

// valid reports whether p is an SfiProgress.
func (p SfiProgress) valid() bool { return validEnum(p) }
