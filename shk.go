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
	// Attended is how many of the course's sessions the participant attended.
	Attended int
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
