package partnernet

import (
	"io"
	"time"
)

// Course is a course of civic and health communication (SHK), given in one language by a
// communicator of an organisation (usually a municipality). A participant completes it when the
// communicator confirms it, which is allowed only after RequiredSessions attended sessions.
type Course struct {
	ID               int64
	OrganisationID   int64
	MunicipalityID   *int64 // where the course is given; nil when not tied to one municipality
	Title            string
	Language         string // ISO 639 code of the language the course is given in
	Communicator     string // subject of the communicator who gives the course
	RequiredSessions int
	CreatedAt        time.Time
	// ScheduledHours are the hours of all the course's sessions, summed.
	ScheduledHours float64
}

// The limits of a course and its sessions.
const (
	// MaxRequiredSessions is the most sessions a course may require for completion.
	MaxRequiredSessions = 100
	// MaxSessionLength is how long a session may last.
	MaxSessionLength = 24 * time.Hour
)

// Validate checks a course's own fields, naming them under prefix ("input") as the API does,
// and trims its title.
func (c *Course) Validate(prefix string) error {
	var err error
	if c.Title, err = Text(prefix+".title", c.Title, MaxTitleLen, true); err != nil {
		return err
	}
	if !LanguagePattern.MatchString(c.Language) {
		return InputError(prefix+".language", "give the language as an ISO 639 code such as ar, ti or uk")
	}
	if c.RequiredSessions < 1 || c.RequiredSessions > MaxRequiredSessions {
		return InputError(prefix+".requiredSessions", "require 1 to %d sessions", MaxRequiredSessions)
	}
	return nil
}

// CourseSessionKind says what a course session is.
type CourseSessionKind string

// The kinds of course session.
const (
	SessionLesson       CourseSessionKind = "LESSON"
	SessionWelcomeVisit CourseSessionKind = "WELCOME_VISIT"
)

// Values lists every CourseSessionKind.
func (CourseSessionKind) Values() []string { return []string{"LESSON", "WELCOME_VISIT"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *CourseSessionKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v) }

// MarshalGQL implements graphql.Marshaler.
func (k CourseSessionKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// CourseSession is one meeting of a course: a lesson on a topic, or a WELCOME visit to an arena
// of the local community.
type CourseSession struct {
	ID             int64
	CourseID       int64
	OrganisationID int64 // the course's organisation
	Kind           CourseSessionKind
	StartsAt       time.Time
	EndsAt         time.Time
	Topic          string
	Place          string
}

// Validate checks a session's own fields, naming them under prefix ("input") as the API does,
// and trims its texts: it ends after it starts, within a day.
func (s *CourseSession) Validate(prefix string) error {
	if !s.EndsAt.After(s.StartsAt) || s.EndsAt.Sub(s.StartsAt) > MaxSessionLength {
		return InputError(prefix+".endsAt", "a session ends after it starts, within a day")
	}
	var err error
	if s.Topic, err = Text(prefix+".topic", s.Topic, MaxTitleLen, true); err != nil {
		return err
	}
	s.Place, err = Text(prefix+".place", s.Place, MaxTitleLen, true)
	return err
}

// CourseParticipant says that a newcomer takes part in a course (category PARTICIPATION).
type CourseParticipant struct {
	ID             int64
	CourseID       int64
	OrganisationID int64 // the course's organisation
	NewcomerID     int64
	EnrolledAt     time.Time
	EnrolledBy     string
	CompletedAt    *time.Time
	CompletedBy    *string
	// Attended is how many of the course's sessions that have taken place the participant
	// attended, and AttendedHours their hours summed.
	Attended      int
	AttendedHours float64
}

// Attendance records whether a participant attended a session.
type Attendance struct {
	ID             int64
	SessionID      int64
	ParticipantID  int64
	OrganisationID int64 // the course's organisation
	NewcomerID     int64
	Present        bool
	RecordedAt     time.Time
	RecordedBy     string
}
