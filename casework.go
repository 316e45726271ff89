package partnernet

import "time"

// FamilyMember is a member of a newcomer's household (category FAMILY).
type FamilyMember struct {
	ID         int64
	NewcomerID int64
	Relation   string // PARTNER, CHILD, PARENT, SIBLING or OTHER
	Name       string
	BirthYear  *int
	InSweden   bool
}

// NewcomerBackground is a newcomer's education and work (category BACKGROUND).
type NewcomerBackground struct {
	NewcomerID     int64
	EducationLevel *string // NONE, PRIMARY, SECONDARY, VOCATIONAL or UNIVERSITY
	Occupation     *string
	YearsOfWork    *int
	Notes          *string
}

// Registration is what a municipality records when it registers a newcomer, by category.
type Registration struct {
	Newcomer   Newcomer
	Contact    *NewcomerContact
	Family     []FamilyMember
	Languages  []LanguageSkill
	Health     *NewcomerHealth
	Background *NewcomerBackground
}

// NewcomerMerge records that a duplicate registration was folded into another.
type NewcomerMerge struct {
	ID         int64
	SurvivorID int64
	MergedID   int64
	MergedBy   string
	MergedAt   time.Time
	Reason     string
}

// The statuses of a referral.
const (
	ReferralSent      = "SENT"
	ReferralAccepted  = "ACCEPTED"
	ReferralDeclined  = "DECLINED"
	ReferralCompleted = "COMPLETED"
	ReferralCancelled = "CANCELLED"
)

// Referral is a partner's referral of a newcomer to another partner's service or activity.
type Referral struct {
	ID           int64
	NewcomerID   int64
	FromOrgID    int64
	ToOrgID      int64
	ActivityID   *int64
	Service      *string
	Purpose      Purpose
	Status       string
	ReferrerNote *string
	ReceiverNote *string // seen by the receiving organisation only
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ReferralEvent is one change of a referral's status.
type ReferralEvent struct {
	ID         int64
	ReferralID int64
	Status     string
	Actor      string
	OccurredAt time.Time
}

// SupportPlan is a MY PATH supervisor's plan for a newcomer or their family (category PLAN).
type SupportPlan struct {
	ID             int64
	NewcomerID     int64
	OrganisationID int64 // the supervisor's organisation
	Supervisor     string
	ForFamily      bool
	Needs          string
	Goals          string
	Status         string // ACTIVE or EVALUATED
	Evaluation     *string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// PlanStep is a step of a support plan: an activity, an appointment with a partner, a referral.
type PlanStep struct {
	ID               int64
	PlanID           int64
	Kind             string // ACTIVITY, APPOINTMENT or REFERRAL
	Description      string
	ResponsibleOrgID int64
	DueDate          *time.Time
	Status           string // PLANNED, IN_PROGRESS, DONE or CANCELLED
	ActivityID       *int64
	ReferralID       *int64
	CreatedAt        time.Time
}

// PlanFollowUp is a follow-up of a support plan.
type PlanFollowUp struct {
	ID         int64
	PlanID     int64
	Note       string
	Author     string
	OccurredAt time.Time
}

// NewcomerData is everything held about one newcomer, for their export (GDPR art. 15 and 20).
type NewcomerData struct {
	Newcomer       Newcomer
	Contact        []NewcomerContact
	Languages      []LanguageSkill
	Health         []NewcomerHealth
	Family         []FamilyMember
	Background     []NewcomerBackground
	Consents       []ConsentRecord
	ConsentEvents  []ConsentEvent
	Referrals      []Referral
	ReferralEvents []ReferralEvent
	Plans          []SupportPlan
	PlanSteps      []PlanStep
	PlanFollowUps  []PlanFollowUp
	Merges         []NewcomerMerge
	Enrolments     []Enrolment
	// SHK courses and RÅDRUM visits.
	CourseParticipations []CourseParticipant
	Attendance           []Attendance
	AdviceVisits         []AdviceVisit
	AdviceFollowUps      []AdviceFollowUp
	AccessLog            []AuditEvent
}
