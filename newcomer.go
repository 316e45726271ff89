package partnernet

import (
	"io"
	"time"
)

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
	// LastActivityAt is the last change to the case, the clock of its status and of retention.
	LastActivityAt time.Time
	// AssignedTo is the subject of the controller's staff member the case is assigned to, since
	// AssignedAt; nil when unassigned.
	AssignedTo *string
	AssignedAt *time.Time
	// IncomingTo is the municipality's organisation a pending transfer asks to take the case
	// over; nil without one.
	IncomingTo *int64
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

// Gender is a newcomer's gender, given only by their choice.
type Gender string

// The genders.
const (
	GenderFemale Gender = "FEMALE"
	GenderMale   Gender = "MALE"
	GenderOther  Gender = "OTHER"
)

// Values lists every Gender.
func (Gender) Values() []string { return []string{"FEMALE", "MALE", "OTHER"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (g *Gender) UnmarshalGQL(v any) error { return unmarshalEnum(g, v) }

// MarshalGQL implements graphql.Marshaler.
func (g Gender) MarshalGQL(w io.Writer) { marshalEnum(g, w) }

// Proficiency is how well someone speaks a language.
type Proficiency string

// The proficiencies.
const (
	ProficiencyBasic        Proficiency = "BASIC"
	ProficiencyIntermediate Proficiency = "INTERMEDIATE"
	ProficiencyFluent       Proficiency = "FLUENT"
	ProficiencyNative       Proficiency = "NATIVE"
)

// Values lists every Proficiency.
func (Proficiency) Values() []string { return []string{"BASIC", "INTERMEDIATE", "FLUENT", "NATIVE"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (p *Proficiency) UnmarshalGQL(v any) error { return unmarshalEnum(p, v) }

// MarshalGQL implements graphql.Marshaler.
func (p Proficiency) MarshalGQL(w io.Writer) { marshalEnum(p, w) }

// FamilyMember is a member of a newcomer's household (category FAMILY).
type FamilyMember struct {
	ID         int64
	NewcomerID int64
	Relation   FamilyRelation
	Name       string
	BirthYear  *int
	InSweden   bool
}

// NewcomerBackground is a newcomer's education and work (category BACKGROUND).
type NewcomerBackground struct {
	NewcomerID     int64
	EducationLevel *EducationLevel
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
	// Establishment outcomes, questionnaire responses and feedback on activities.
	Outcomes               []Outcome
	QuestionnaireResponses []QuestionnaireResponse
	ActivityFeedback       []ActivityFeedback
	AccessLog              []AuditEvent
}

// IsEntity marks Newcomer as a federation entity.
func (Newcomer) IsEntity() {}

// FamilyRelation is how a family member is related to the newcomer.
type FamilyRelation string

// The family relations.
const (
	RelationPartner FamilyRelation = "PARTNER"
	RelationChild   FamilyRelation = "CHILD"
	RelationParent  FamilyRelation = "PARENT"
	RelationSibling FamilyRelation = "SIBLING"
	RelationOther   FamilyRelation = "OTHER"
)

// Values lists every FamilyRelation.
func (FamilyRelation) Values() []string {
	return []string{"PARTNER", "CHILD", "PARENT", "SIBLING", "OTHER"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (r *FamilyRelation) UnmarshalGQL(v any) error { return unmarshalEnum(r, v) }

// MarshalGQL implements graphql.Marshaler.
func (r FamilyRelation) MarshalGQL(w io.Writer) { marshalEnum(r, w) }

// EducationLevel is the highest education a newcomer has completed.
type EducationLevel string

// The education levels.
const (
	EducationNone       EducationLevel = "NONE"
	EducationPrimary    EducationLevel = "PRIMARY"
	EducationSecondary  EducationLevel = "SECONDARY"
	EducationVocational EducationLevel = "VOCATIONAL"
	EducationUniversity EducationLevel = "UNIVERSITY"
)

// Values lists every EducationLevel.
func (EducationLevel) Values() []string {
	return []string{"NONE", "PRIMARY", "SECONDARY", "VOCATIONAL", "UNIVERSITY"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (l *EducationLevel) UnmarshalGQL(v any) error { return unmarshalEnum(l, v) }

// MarshalGQL implements graphql.Marshaler.
func (l EducationLevel) MarshalGQL(w io.Writer) { marshalEnum(l, w) }
