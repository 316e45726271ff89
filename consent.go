package partnernet

import (
	"io"
	"time"
)

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
	// CategoryOutcomes is the newcomer's establishment outcomes: SFI, work, studies, the
	// establishment programme, leaving the region (Outcome).
	CategoryOutcomes DataCategory = "OUTCOMES"
	// CategoryWellbeing is the newcomer's own answers to the well-being questionnaire: self-rated
	// health and the WHO-5 (health data, GDPR art. 9), participation and influence.
	CategoryWellbeing DataCategory = "WELLBEING"
)

// Values lists every DataCategory.
func (DataCategory) Values() []string {
	return []string{
		"IDENTITY", "CONTACT", "FAMILY", "LANGUAGES", "HEALTH", "BACKGROUND", "PLAN", "PARTICIPATION",
		"OUTCOMES", "WELLBEING",
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
