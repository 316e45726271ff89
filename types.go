package partnernet

import "time"

// Municipality is one of the 33 municipalities of Skåne.
type Municipality struct {
	ID   int64
	Code string // official four-digit code, e.g. "1280" for Malmö
	Name string
}

// Programme is one of the partnership's methods (SHK, NAD, …).
type Programme struct {
	ID          int64
	Code        ProgrammeCode
	Name        string
	NameSv      string
	Description string
}

// Organisation is a partner of the network.
type Organisation struct {
	ID                 int64
	Slug               string // stable URL-safe handle, e.g. "malmo"
	Name               string
	ShortName          *string
	Kind               OrganisationKind
	Sector             Sector
	HomeMunicipalityID *int64
	Website            *string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// ProgrammeParticipation says that an organisation takes part in a programme, and how.
type ProgrammeParticipation struct {
	OrganisationID int64
	ProgrammeID    int64
	Role           ParticipationRole
}

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
	Capacity       *int // nil for no limit
	CostSEK        int  // 0: free
	CostNote       string
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

// Public reports whether the activity has been published (it may since have been cancelled or
// finished): its public changes and its place in calendar feeds.
func (a *Activity) Public() bool { return a.PublishedAt != nil && a.Status != ActivityDraft }

// Schedule is when an activity takes place: a first start in Europe/Stockholm time, a duration,
// and optionally an RFC 5545 recurrence rule with exception dates. The zero Schedule is
// unscheduled.
type Schedule struct {
	StartsAt        *time.Time
	DurationMinutes int
	RRule           *string // the RRULE value, e.g. "FREQ=WEEKLY;BYDAY=TU;COUNT=10"
	ExDates         []time.Time
}

// Occurrence is one time an activity takes place.
type Occurrence struct {
	ActivityID int64
	StartsAt   time.Time
	EndsAt     time.Time
}

// Enrolment says that a newcomer takes part in an activity, or waits for a place.
type Enrolment struct {
	ID         int64
	ActivityID int64
	NewcomerID int64
	Status     EnrolmentStatus
	// Position is the arrival order of the enrolment within the activity.
	Position   int64
	EnrolledBy string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// EnrolmentCounts are how many newcomers are enrolled in an activity and how many wait.
type EnrolmentCounts struct {
	ActivityID int64
	Enrolled   int
	Waitlisted int
}

// ActivityChange is a public change of an activity, announced to live subscribers.
type ActivityChange struct {
	ID         int64
	ActivityID int64
	Kind       ActivityChangeKind
	OccurredAt time.Time
}

// Newcomer is a newly arrived migrant registered by a municipality, the controller of their data.
type Newcomer struct {
	ID             int64
	ControllerID   int64 // the registering municipality's organisation
	MunicipalityID int64 // municipality of residence at registration
	DisplayName    string
	BirthYear      *int
	Gender         *Gender
	RegisteredAt   time.Time
	// ArrivalDate and PlanStartDate are the newcomer's arrival in Sweden and the start of their
	// establishment plan; ResidenceMunicipalityID where they live now, when it is not where
	// they were registered (category IDENTITY, like the name).
	ArrivalDate             *time.Time
	PlanStartDate           *time.Time
	ResidenceMunicipalityID *int64
	// MergedInto is the record this duplicate registration was merged into; ErasedAt when the
	// newcomer's personal data was erased.
	MergedInto *int64
	ErasedAt   *time.Time
}

// Identity returns the newcomer's identity data (category IDENTITY).
func (n *Newcomer) Identity() *NewcomerIdentity {
	return &NewcomerIdentity{DisplayName: n.DisplayName, BirthYear: n.BirthYear, Gender: n.Gender}
}

// NewcomerIdentity is a newcomer's identity data (category IDENTITY).
type NewcomerIdentity struct {
	DisplayName string
	BirthYear   *int
	Gender      *Gender
}

// NewcomerContact is how to reach a newcomer (category CONTACT).
type NewcomerContact struct {
	NewcomerID    int64
	Phone         *string
	Email         *string
	PostalAddress *string
}

// LanguageSkill is a language a newcomer speaks (category LANGUAGES).
type LanguageSkill struct {
	NewcomerID  int64
	Language    string
	Proficiency Proficiency
}

// NewcomerHealth holds a newcomer's health notes (category HEALTH, GDPR art. 9).
type NewcomerHealth struct {
	NewcomerID int64
	Notes      string
	UpdatedAt  time.Time
}

// ConsentRecord records a newcomer's consent (or another lawful basis) for recipients to process
// categories of their data for purposes. Its state is derived from its events.
type ConsentRecord struct {
	ID             int64
	NewcomerID     int64
	ControllerID   int64
	RecipientIDs   []int64
	Purposes       []Purpose
	DataCategories []DataCategory
	LegalBasis     LegalBasis
	Method         ConsentMethod
	NoticeLanguage string
	NoticeVersion  string
	ValidFrom      time.Time
	ValidUntil     *time.Time
	RecordedAt     time.Time
	RecordedBy     string
	// LastEvent is the kind of the latest event in the record's history.
	LastEvent ConsentEventKind
}

// StateAt derives the record's state at time t from its latest event and validity period.
func (c *ConsentRecord) StateAt(t time.Time) ConsentState {
	switch {
	case c.LastEvent == ConsentWithdrawn:
		return ConsentStateWithdrawn
	case c.LastEvent == ConsentExpired, c.ValidUntil != nil && !t.Before(*c.ValidUntil):
		return ConsentStateExpired
	case t.Before(c.ValidFrom):
		return ConsentPending
	default:
		return ConsentActive
	}
}

// ConsentEvent is one entry in a consent record's append-only history.
type ConsentEvent struct {
	ID              int64
	ConsentRecordID int64
	Kind            ConsentEventKind
	OccurredAt      time.Time
	Actor           string
	ValidUntil      *time.Time // for RENEWED events: the new end of the validity period
}

// OrgScope is a set of organisations a decision covers: every organisation (All), or those
// listed. The zero value covers none.
type OrgScope struct {
	All bool
	IDs []int64
}

// Covers reports whether the scope includes organisation id.
func (s OrgScope) Covers(id int64) bool {
	if s.All {
		return true
	}
	for _, x := range s.IDs {
		if x == id {
			return true
		}
	}
	return false
}

// Empty reports whether the scope covers no organisation.
func (s OrgScope) Empty() bool { return !s.All && len(s.IDs) == 0 }

// Membership says that a subject holds a role in an organisation. Memberships are the grouping
// policy of the authorisation model.
type Membership struct {
	ID             int64
	Subject        string // a local subject, or "issuer|subject" for a partner's identity provider
	OrganisationID int64
	Role           string
	GrantedBy      string
	GrantedAt      time.Time
}

// APIKey lets an association's system act for one organisation in one role. Only a hash of
// its secret is stored.
type APIKey struct {
	ID             int64
	OrganisationID int64
	Role           string
	Name           string
	Prefix         string // the public part of the key, which finds its row
	SecretHash     []byte // SHA-256 of the secret part
	CreatedBy      string
	CreatedAt      time.Time
	RevokedAt      *time.Time
}

// AuditAction is what an audit entry records.
type AuditAction string

// The audited actions.
const (
	AuditRead            AuditAction = "READ"
	AuditRecordConsent   AuditAction = "RECORD_CONSENT"
	AuditRenewConsent    AuditAction = "RENEW_CONSENT"
	AuditWithdrawConsent AuditAction = "WITHDRAW_CONSENT"
	AuditGrantRole       AuditAction = "GRANT_ROLE"
	AuditRevokeRole      AuditAction = "REVOKE_ROLE"
	AuditCreateAPIKey    AuditAction = "CREATE_API_KEY"
	AuditRevokeAPIKey    AuditAction = "REVOKE_API_KEY"
	AuditRegister        AuditAction = "REGISTER_NEWCOMER"
	AuditMerge           AuditAction = "MERGE_NEWCOMERS"
	AuditRefer           AuditAction = "REFER"
	AuditRespondReferral AuditAction = "RESPOND_TO_REFERRAL"
	AuditChangePlan      AuditAction = "CHANGE_PLAN"
	AuditExport          AuditAction = "EXPORT_DATA"
	AuditErase           AuditAction = "ERASE_DATA"
	AuditExpireConsent   AuditAction = "EXPIRE_CONSENT"
	AuditEnrol           AuditAction = "ENROL"
	AuditCancelEnrolment AuditAction = "CANCEL_ENROLMENT"
	// SHK and RÅDRUM.
	AuditCreateCourse      AuditAction = "CREATE_COURSE"
	AuditAddCourseSession  AuditAction = "ADD_COURSE_SESSION"
	AuditEnrolInCourse     AuditAction = "ENROL_IN_COURSE"
	AuditRecordAttendance  AuditAction = "RECORD_ATTENDANCE"
	AuditCompleteCourse    AuditAction = "COMPLETE_COURSE"
	AuditOpenAdviceDesk    AuditAction = "OPEN_ADVICE_DESK"
	AuditRecordAdviceVisit AuditAction = "RECORD_ADVICE_VISIT"
	AuditRecordFollowUp    AuditAction = "RECORD_FOLLOW_UP"
	// MILSA analytics.
	AuditResearchExtract AuditAction = "RESEARCH_EXTRACT"
)

// AuditDecision is the outcome an audit entry records.
type AuditDecision string

// The audited outcomes.
const (
	AuditReleased AuditDecision = "RELEASED"
	AuditDenied   AuditDecision = "DENIED"
	AuditDone     AuditDecision = "DONE"
)

// AuditEvent is one entry of the append-only audit trail: a release or denial of a newcomer's
// data, or a change to consents, memberships or keys.
type AuditEvent struct {
	ID             int64
	OccurredAt     time.Time
	RequestID      string
	Subject        string
	OrganisationID *int64 // the principal's organisation
	Roles          []string
	Action         AuditAction
	NewcomerID     *int64
	Categories     []string
	Purpose        *string
	Decision       AuditDecision
	Reason         string // the basis of a release, the code of a denial, or what was done
}
