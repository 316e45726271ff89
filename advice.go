package partnernet

import (
	"io"
	"time"
)

// AdviceDesk is a RÅDRUM advice desk of an organisation: a place where volunteer advisers
// receive newcomers.
type AdviceDesk struct {
	ID             int64
	OrganisationID int64
	MunicipalityID *int64
	Name           string
	Place          string
	OpenedAt       time.Time
	// Address is where the desk is; Languages those its advisers speak (ISO 639 codes);
	// ContactEmail and ContactPhone how to reach it.
	Address      *string
	Languages    []string
	ContactEmail *string
	ContactPhone *string
	UpdatedAt    time.Time
}

// DeskHours is one of the schedules of a desk's opening hours: when it opens (a first opening
// and a recurrence rule, in Europe/Stockholm time) and for how long, as an activity's schedule.
type DeskHours struct {
	DeskID   int64
	Position int
	Schedule Schedule
}

// The limits of a desk.
const (
	// MaxDeskHours is the most schedules a desk's opening hours have.
	MaxDeskHours = 20
	// MaxDeskLanguages is the most languages a desk lists.
	MaxDeskLanguages = 20
)

// AdviceTopic is what an advice visit was about.
type AdviceTopic string

// The advice topics.
const (
	TopicHousing     AdviceTopic = "HOUSING"
	TopicWork        AdviceTopic = "WORK"
	TopicHealthCare  AdviceTopic = "HEALTH_CARE"
	TopicSchool      AdviceTopic = "SCHOOL"
	TopicAuthorities AdviceTopic = "AUTHORITIES"
	TopicFamily      AdviceTopic = "FAMILY"
	TopicMoney       AdviceTopic = "MONEY"
	TopicOther       AdviceTopic = "OTHER"
)

// Values lists every AdviceTopic.
func (AdviceTopic) Values() []string {
	return []string{"HOUSING", "WORK", "HEALTH_CARE", "SCHOOL", "AUTHORITIES", "FAMILY", "MONEY", "OTHER"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (t *AdviceTopic) UnmarshalGQL(v any) error { return unmarshalEnum(t, v) }

// MarshalGQL implements graphql.Marshaler.
func (t AdviceTopic) MarshalGQL(w io.Writer) { marshalEnum(t, w) }

// AdviceVisit is a visit to an advice desk. NewcomerID is nil for an anonymous visit. Only the
// desk's organisation sees it.
type AdviceVisit struct {
	ID             int64
	DeskID         int64
	OrganisationID int64 // the desk's organisation
	VisitedAt      time.Time
	Topic          AdviceTopic
	Adviser        string // subject of the volunteer adviser
	NewcomerID     *int64
	Outcome        string
	RecordedAt     time.Time
}

// The limits of advice visits.
const (
	// MaxVisitNoteLen is the longest outcome or follow-up note of a visit.
	MaxVisitNoteLen = 2000
	// MaxAdviceSpan is how far back a visit may be recorded, and the longest period of advice
	// statistics: five years.
	MaxAdviceSpan = 5 * 366 * 24 * time.Hour
	// ClockSlack is how far in the future a visit may be said to have happened, for clocks
	// that run a little fast.
	ClockSlack = 5 * time.Minute
)

// Validate checks a visit's own fields at time now, naming them under prefix ("input") as the
// API does, and trims its outcome: it has happened, within MaxAdviceSpan.
func (v *AdviceVisit) Validate(prefix string, now time.Time) error {
	if v.VisitedAt.After(now.Add(ClockSlack)) {
		return InputError(prefix+".visitedAt", "a visit cannot be recorded before it happens")
	}
	if v.VisitedAt.Before(now.Add(-MaxAdviceSpan)) {
		return InputError(prefix+".visitedAt", "the visit is too long ago")
	}
	var err error
	v.Outcome, err = Text(prefix+".outcome", v.Outcome, MaxVisitNoteLen, true)
	return err
}

// AdviceFollowUp is what to do after a visit, by when.
type AdviceFollowUp struct {
	ID         int64
	VisitID    int64
	DueAt      time.Time
	Note       string
	RecordedAt time.Time
	RecordedBy string
}

// AdviceVisitCount is one cell of the RÅDRUM statistics: the visits of a desk on a topic in a
// month. Visits is nil where the count is below the suppression threshold.
type AdviceVisitCount struct {
	DeskID int64
	Month  string // YYYY-MM, in Swedish time
	Topic  AdviceTopic
	Visits *int
}
