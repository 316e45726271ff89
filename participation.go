package partnernet

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// SharingCategories are the categories of their data a newcomer may choose, when enrolling, to
// share with an activity's organiser and co-organisers for ACTIVITY_PARTICIPATION: who they
// are, how to reach them, and the languages they speak.
var SharingCategories = []DataCategory{CategoryIdentity, CategoryContact, CategoryLanguages}

// SharingNoticeVersion is the version of the notice a newcomer reads when choosing to share at
// enrolment (the text is in docs/associations.md); a consent record names the notice it was
// given on.
const SharingNoticeVersion = "enrolment-sharing-2026.1"

// Sharing is what a newcomer chose to share with an activity's organisers at enrolment.
type Sharing struct {
	// Categories are among SharingCategories.
	Categories []DataCategory
	// Method is how the choice was made: DIGITAL by the newcomer themself, WRITTEN or VERBAL
	// when a coordinator enrols them.
	Method ConsentMethod
	// NoticeLanguage is the language of the notice the newcomer was given (ISO 639).
	NoticeLanguage string
}

// Validate checks the choice at path field (input.sharing): one to three of SharingCategories,
// each once, a notice language, and a method.
func (s *Sharing) Validate(field string) error {
	if len(s.Categories) == 0 || len(s.Categories) > len(SharingCategories) {
		return InputError(field+".categories", "share 1 to %d of IDENTITY, CONTACT, LANGUAGES", len(SharingCategories))
	}
	seen := map[DataCategory]bool{}
	for i, c := range s.Categories {
		if !slices.Contains(SharingCategories, c) {
			return InputError(fmt.Sprintf("%s.categories.%d", field, i), "only IDENTITY, CONTACT and LANGUAGES are shared at enrolment")
		}
		if seen[c] {
			return InputError(fmt.Sprintf("%s.categories.%d", field, i), "name each category once")
		}
		seen[c] = true
	}
	if !LanguagePattern.MatchString(s.NoticeLanguage) {
		return InputError(field+".noticeLanguage", "give the notice's language as an ISO 639 code such as ar or sv")
	}
	if !slices.Contains(s.Method.Values(), string(s.Method)) {
		return InputError(field+".method", "say how the newcomer chose to share")
	}
	return nil
}

// ConsentFor returns the consent record of the choice for newcomer n enrolling in activity a:
// the organiser and co-organisers as recipients, for ACTIVITY_PARTICIPATION, from now until
// ends (nil when the activity's end is not known: the record then expires when the activity is
// cancelled or finished, or the enrolment is cancelled).
func (s *Sharing) ConsentFor(n *Newcomer, a *Activity, now time.Time, ends *time.Time) ConsentRecord {
	recipients := append([]int64{a.OrganiserID}, a.CoOrganiserIDs...)
	c := ConsentRecord{
		NewcomerID: n.ID, ControllerID: n.ControllerID, RecipientIDs: recipients,
		Purposes: []Purpose{PurposeActivityParticipation}, DataCategories: slices.Clone(s.Categories),
		LegalBasis: BasisConsent, Method: s.Method, NoticeLanguage: s.NoticeLanguage,
		NoticeVersion: SharingNoticeVersion, ValidFrom: now,
	}
	if ends != nil && ends.After(now) {
		c.ValidUntil = ends
	}
	return c
}

// AttendanceStatus is whether a participant came to an occurrence of an activity.
type AttendanceStatus string

// The attendance statuses.
const (
	AttendancePresent AttendanceStatus = "PRESENT"
	AttendanceAbsent  AttendanceStatus = "ABSENT"
	AttendanceExcused AttendanceStatus = "EXCUSED"
)

// Values lists every AttendanceStatus.
func (AttendanceStatus) Values() []string { return []string{"PRESENT", "ABSENT", "EXCUSED"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *AttendanceStatus) UnmarshalGQL(v any) error { return unmarshalEnum(s, v) }

// MarshalGQL implements graphql.Marshaler.
func (s AttendanceStatus) MarshalGQL(w io.Writer) { marshalEnum(s, w) }

// ActivityAttendance records whether the participant of an enrolment came to the occurrence of
// the activity starting at StartsAt (category PARTICIPATION of the newcomer's data).
type ActivityAttendance struct {
	EnrolmentID int64
	ActivityID  int64
	StartsAt    time.Time
	Status      AttendanceStatus
	RecordedBy  string
	RecordedAt  time.Time
}

// MaxAttendanceEntries bounds the entries of one roll call.
const MaxAttendanceEntries = 500

// MaxCancellationReasonLen bounds the reason given for a cancelled occurrence.
const MaxCancellationReasonLen = 500

// OccurrenceCancellation is an occurrence of an activity its organiser called off.
type OccurrenceCancellation struct {
	ActivityID  int64
	StartsAt    time.Time
	Reason      string
	CancelledBy string
	CancelledAt time.Time
}

// OccurrenceAttendance counts the attendance recorded at one occurrence of an activity.
type OccurrenceAttendance struct {
	ActivityID int64
	StartsAt   time.Time
	Present    int
	Absent     int
	Excused    int
	// Unrecorded is how many holding a place now have no attendance recorded at it.
	Unrecorded int
}

// Recorded is how many attendances were recorded at the occurrence.
func (o OccurrenceAttendance) Recorded() int { return o.Present + o.Absent + o.Excused }

// AttendanceRate is the share of recorded attendances that were PRESENT over occurrences, nil
// when none was recorded.
func AttendanceRate(occurrences []OccurrenceAttendance) *float64 {
	present, recorded := 0, 0
	for _, o := range occurrences {
		present += o.Present
		recorded += o.Recorded()
	}
	if recorded == 0 {
		return nil
	}
	r := float64(present) / float64(recorded)
	return &r
}

// AnonymityReason is why an activity's organiser sees a participant as an anonymous place
// rather than by name.
type AnonymityReason string

// The reasons.
const (
	// AnonymousNotShared: the participant chose not to share who they are with the organisers.
	AnonymousNotShared AnonymityReason = "NOT_SHARED"
	// AnonymousWithdrawn: they shared, and withdrew their consent since.
	AnonymousWithdrawn AnonymityReason = "WITHDRAWN"
	// AnonymousExpired: their sharing ended with the activity or with their enrolment.
	AnonymousExpired AnonymityReason = "EXPIRED"
	// AnonymousNotReleased: they shared, but the request does not meet the rules (no purpose
	// ACTIVITY_PARTICIPATION declared, a role that may not see participants).
	AnonymousNotReleased AnonymityReason = "NOT_RELEASED"
)

// Values lists every AnonymityReason.
func (AnonymityReason) Values() []string {
	return []string{"NOT_SHARED", "WITHDRAWN", "EXPIRED", "NOT_RELEASED"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (r *AnonymityReason) UnmarshalGQL(v any) error { return unmarshalEnum(r, v) }

// MarshalGQL implements graphql.Marshaler.
func (r AnonymityReason) MarshalGQL(w io.Writer) { marshalEnum(r, w) }
