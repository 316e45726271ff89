package partnernet

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// enum is the constraint met by the string enumerations of this package.
type enum interface {
	~string
	Values() []string
}

// unmarshalEnum parses a GraphQL enum value into dst, refusing values E does not list; dst is
// left unchanged on error.
func unmarshalEnum[E enum](dst *E, v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("enum value must be a string, got %T", v)
	}
	if !slices.Contains((*dst).Values(), s) {
		return fmt.Errorf("%q is not a valid value", s)
	}
	*dst = E(s)
	return nil
}

// marshalEnum writes an enum value as a GraphQL string literal.
func marshalEnum[E enum](e E, w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(string(e)))
}

// OrganisationKind says what sort of body an organisation is.
type OrganisationKind string

// The kinds of organisation in the network.
const (
	KindMunicipality              OrganisationKind = "MUNICIPALITY"
	KindCountyBoard               OrganisationKind = "COUNTY_BOARD"
	KindRegion                    OrganisationKind = "REGION"
	KindStateAgency               OrganisationKind = "STATE_AGENCY"
	KindUniversity                OrganisationKind = "UNIVERSITY"
	KindAssociation               OrganisationKind = "ASSOCIATION"
	KindAdultEducationAssociation OrganisationKind = "ADULT_EDUCATION_ASSOCIATION"
	KindSportsFederation          OrganisationKind = "SPORTS_FEDERATION"
	KindUmbrella                  OrganisationKind = "UMBRELLA"
)

// Values lists every OrganisationKind.
func (OrganisationKind) Values() []string {
	return []string{
		"MUNICIPALITY", "COUNTY_BOARD", "REGION", "STATE_AGENCY", "UNIVERSITY", "ASSOCIATION",
		"ADULT_EDUCATION_ASSOCIATION", "SPORTS_FEDERATION", "UMBRELLA",
	}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *OrganisationKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v) }

// MarshalGQL implements graphql.Marshaler.
func (k OrganisationKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// Sector is the part of society an organisation belongs to.
type Sector string

// The sectors.
const (
	SectorPublic   Sector = "PUBLIC"
	SectorCivic    Sector = "CIVIC"
	SectorAcademic Sector = "ACADEMIC"
)

// Values lists every Sector.
func (Sector) Values() []string { return []string{"PUBLIC", "CIVIC", "ACADEMIC"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *Sector) UnmarshalGQL(v any) error { return unmarshalEnum(s, v) }

// MarshalGQL implements graphql.Marshaler.
func (s Sector) MarshalGQL(w io.Writer) { marshalEnum(s, w) }

// ProgrammeCode names one of the partnership's methods.
type ProgrammeCode string

// The programmes.
const (
	ProgrammeSHK     ProgrammeCode = "SHK"
	ProgrammeWelcome ProgrammeCode = "WELCOME"
	ProgrammeNAD     ProgrammeCode = "NAD"
	ProgrammeMILSA   ProgrammeCode = "MILSA"
	ProgrammeRADRUM  ProgrammeCode = "RADRUM"
	ProgrammeMYPATH  ProgrammeCode = "MYPATH"
)

// Values lists every ProgrammeCode.
func (ProgrammeCode) Values() []string {
	return []string{"SHK", "WELCOME", "NAD", "MILSA", "RADRUM", "MYPATH"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (c *ProgrammeCode) UnmarshalGQL(v any) error { return unmarshalEnum(c, v) }

// MarshalGQL implements graphql.Marshaler.
func (c ProgrammeCode) MarshalGQL(w io.Writer) { marshalEnum(c, w) }

// ParticipationRole says how an organisation takes part in a programme.
type ParticipationRole string

// The participation roles.
const (
	RoleLead    ParticipationRole = "LEAD"
	RolePartner ParticipationRole = "PARTNER"
)

// Values lists every ParticipationRole.
func (ParticipationRole) Values() []string { return []string{"LEAD", "PARTNER"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (r *ParticipationRole) UnmarshalGQL(v any) error { return unmarshalEnum(r, v) }

// MarshalGQL implements graphql.Marshaler.
func (r ParticipationRole) MarshalGQL(w io.Writer) { marshalEnum(r, w) }

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

// Purpose is what personal data is processed for (GDPR art. 5(1)(b)).
type Purpose string

// The purposes of processing.
const (
	PurposeEstablishmentCoordination Purpose = "ESTABLISHMENT_COORDINATION"
	PurposeReferral                  Purpose = "REFERRAL"
	PurposeActivityParticipation     Purpose = "ACTIVITY_PARTICIPATION"
	PurposeSupportPlan               Purpose = "SUPPORT_PLAN"
	PurposeHealthCommunication       Purpose = "HEALTH_COMMUNICATION"
	PurposeAdvice                    Purpose = "ADVICE"
	PurposeResearch                  Purpose = "RESEARCH"
	PurposeStatistics                Purpose = "STATISTICS"
)

// Values lists every Purpose.
func (Purpose) Values() []string {
	return []string{
		"ESTABLISHMENT_COORDINATION", "REFERRAL", "ACTIVITY_PARTICIPATION", "SUPPORT_PLAN",
		"HEALTH_COMMUNICATION", "ADVICE", "RESEARCH", "STATISTICS",
	}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (p *Purpose) UnmarshalGQL(v any) error { return unmarshalEnum(p, v) }

// MarshalGQL implements graphql.Marshaler.
func (p Purpose) MarshalGQL(w io.Writer) { marshalEnum(p, w) }

// DataCategory is a category of a newcomer's personal data; access is decided per category.
type DataCategory string

// The categories of newcomer data. Health is a special category (GDPR art. 9).
const (
	CategoryIdentity      DataCategory = "IDENTITY"
	CategoryContact       DataCategory = "CONTACT"
	CategoryFamily        DataCategory = "FAMILY"
	CategoryLanguages     DataCategory = "LANGUAGES"
	CategoryHealth        DataCategory = "HEALTH"
	CategoryBackground    DataCategory = "BACKGROUND"
	CategoryPlan          DataCategory = "PLAN"
	CategoryParticipation DataCategory = "PARTICIPATION"
)

// Values lists every DataCategory.
func (DataCategory) Values() []string {
	return []string{
		"IDENTITY", "CONTACT", "FAMILY", "LANGUAGES", "HEALTH", "BACKGROUND", "PLAN", "PARTICIPATION",
	}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (c *DataCategory) UnmarshalGQL(v any) error { return unmarshalEnum(c, v) }

// MarshalGQL implements graphql.Marshaler.
func (c DataCategory) MarshalGQL(w io.Writer) { marshalEnum(c, w) }

// LegalBasis is the lawful basis of processing (GDPR art. 6(1)).
type LegalBasis string

// The lawful bases.
const (
	BasisConsent             LegalBasis = "CONSENT"
	BasisPublicTask          LegalBasis = "PUBLIC_TASK"
	BasisLegalObligation     LegalBasis = "LEGAL_OBLIGATION"
	BasisVitalInterests      LegalBasis = "VITAL_INTERESTS"
	BasisContract            LegalBasis = "CONTRACT"
	BasisLegitimateInterests LegalBasis = "LEGITIMATE_INTERESTS"
)

// Values lists every LegalBasis.
func (LegalBasis) Values() []string {
	return []string{
		"CONSENT", "PUBLIC_TASK", "LEGAL_OBLIGATION", "VITAL_INTERESTS", "CONTRACT", "LEGITIMATE_INTERESTS",
	}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (b *LegalBasis) UnmarshalGQL(v any) error { return unmarshalEnum(b, v) }

// MarshalGQL implements graphql.Marshaler.
func (b LegalBasis) MarshalGQL(w io.Writer) { marshalEnum(b, w) }

// ConsentMethod is how a consent was given.
type ConsentMethod string

// The consent methods.
const (
	MethodWritten ConsentMethod = "WRITTEN"
	MethodVerbal  ConsentMethod = "VERBAL"
	MethodDigital ConsentMethod = "DIGITAL"
)

// Values lists every ConsentMethod.
func (ConsentMethod) Values() []string { return []string{"WRITTEN", "VERBAL", "DIGITAL"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (m *ConsentMethod) UnmarshalGQL(v any) error { return unmarshalEnum(m, v) }

// MarshalGQL implements graphql.Marshaler.
func (m ConsentMethod) MarshalGQL(w io.Writer) { marshalEnum(m, w) }

// ConsentEventKind is one step in a consent record's history.
type ConsentEventKind string

// The consent event kinds.
const (
	ConsentGiven     ConsentEventKind = "GIVEN"
	ConsentRenewed   ConsentEventKind = "RENEWED"
	ConsentWithdrawn ConsentEventKind = "WITHDRAWN"
	ConsentExpired   ConsentEventKind = "EXPIRED"
)

// Values lists every ConsentEventKind.
func (ConsentEventKind) Values() []string {
	return []string{"GIVEN", "RENEWED", "WITHDRAWN", "EXPIRED"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *ConsentEventKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v) }

// MarshalGQL implements graphql.Marshaler.
func (k ConsentEventKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// ConsentState is a consent record's state, derived from its latest event and validity period.
type ConsentState string

// The consent states.
const (
	ConsentActive         ConsentState = "ACTIVE"
	ConsentPending        ConsentState = "PENDING"
	ConsentStateWithdrawn ConsentState = "WITHDRAWN"
	ConsentStateExpired   ConsentState = "EXPIRED"
)

// Values lists every ConsentState.
func (ConsentState) Values() []string { return []string{"ACTIVE", "PENDING", "WITHDRAWN", "EXPIRED"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *ConsentState) UnmarshalGQL(v any) error { return unmarshalEnum(s, v) }

// MarshalGQL implements graphql.Marshaler.
func (s ConsentState) MarshalGQL(w io.Writer) { marshalEnum(s, w) }

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

// Values lists every AuditAction.
func (AuditAction) Values() []string {
	return []string{
		"READ", "RECORD_CONSENT", "RENEW_CONSENT", "WITHDRAW_CONSENT", "GRANT_ROLE", "REVOKE_ROLE",
		"CREATE_API_KEY", "REVOKE_API_KEY", "REGISTER_NEWCOMER", "MERGE_NEWCOMERS", "REFER",
		"RESPOND_TO_REFERRAL", "CHANGE_PLAN", "EXPORT_DATA", "ERASE_DATA", "EXPIRE_CONSENT",
		"ENROL", "CANCEL_ENROLMENT",
		"CREATE_COURSE", "ADD_COURSE_SESSION", "ENROL_IN_COURSE", "RECORD_ATTENDANCE", "COMPLETE_COURSE",
		"OPEN_ADVICE_DESK", "RECORD_ADVICE_VISIT", "RECORD_FOLLOW_UP",
		"RESEARCH_EXTRACT",
	}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (a *AuditAction) UnmarshalGQL(v any) error { return unmarshalEnum(a, v) }

// MarshalGQL implements graphql.Marshaler.
func (a AuditAction) MarshalGQL(w io.Writer) { marshalEnum(a, w) }

// Values lists every AuditDecision.
func (AuditDecision) Values() []string { return []string{"RELEASED", "DENIED", "DONE"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (d *AuditDecision) UnmarshalGQL(v any) error { return unmarshalEnum(d, v) }

// MarshalGQL implements graphql.Marshaler.
func (d AuditDecision) MarshalGQL(w io.Writer) { marshalEnum(d, w) }

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

// EnrolmentStatus is where a newcomer stands with an activity.
type EnrolmentStatus string

// The enrolment statuses.
const (
	EnrolmentEnrolled   EnrolmentStatus = "ENROLLED"
	EnrolmentWaitlisted EnrolmentStatus = "WAITLISTED"
	EnrolmentCancelled  EnrolmentStatus = "CANCELLED"
)

// Values lists every EnrolmentStatus.
func (EnrolmentStatus) Values() []string { return []string{"ENROLLED", "WAITLISTED", "CANCELLED"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *EnrolmentStatus) UnmarshalGQL(v any) error { return unmarshalEnum(s, v) }

// MarshalGQL implements graphql.Marshaler.
func (s EnrolmentStatus) MarshalGQL(w io.Writer) { marshalEnum(s, w) }

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
