package partnernet

import (
	"io"
	"time"
)

// SupportPlan is a MY PATH supervisor's plan for a newcomer or their family (category PLAN).
type SupportPlan struct {
	ID             int64
	NewcomerID     int64
	OrganisationID int64 // the supervisor's organisation
	Supervisor     string
	ForFamily      bool
	Needs          string
	Goals          string
	Status         PlanStatus
	Evaluation     *string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// PlanStep is a step of a support plan: an activity, an appointment with a partner, a referral.
type PlanStep struct {
	ID               int64
	PlanID           int64
	Kind             PlanStepKind
	Description      string
	ResponsibleOrgID int64
	DueDate          *time.Time
	Status           PlanStepStatus
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

// PlanStatus is where a support plan stands: active until it is evaluated, then final.
type PlanStatus string

// The statuses of a support plan.
const (
	PlanActive    PlanStatus = "ACTIVE"
	PlanEvaluated PlanStatus = "EVALUATED"
)

// Changeable reports whether a plan in status s still takes steps, follow-ups and an evaluation.
func (s PlanStatus) Changeable() bool { return s == PlanActive }

// Values lists every PlanStatus.
func (PlanStatus) Values() []string { return []string{"ACTIVE", "EVALUATED"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *PlanStatus) UnmarshalGQL(v any) error { return unmarshalEnum(s, v) }

// MarshalGQL implements graphql.Marshaler.
func (s PlanStatus) MarshalGQL(w io.Writer) { marshalEnum(s, w) }

// PlanStepKind is what a plan step is.
type PlanStepKind string

// The kinds of plan step.
const (
	StepActivity    PlanStepKind = "ACTIVITY"
	StepAppointment PlanStepKind = "APPOINTMENT"
	StepReferral    PlanStepKind = "REFERRAL"
)

// Values lists every PlanStepKind.
func (PlanStepKind) Values() []string { return []string{"ACTIVITY", "APPOINTMENT", "REFERRAL"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *PlanStepKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v) }

// MarshalGQL implements graphql.Marshaler.
func (k PlanStepKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// PlanStepStatus is where a plan step stands.
type PlanStepStatus string

// The statuses of a plan step.
const (
	StepPlanned    PlanStepStatus = "PLANNED"
	StepInProgress PlanStepStatus = "IN_PROGRESS"
	StepDone       PlanStepStatus = "DONE"
	StepCancelled  PlanStepStatus = "CANCELLED"
)

// Values lists every PlanStepStatus.
func (PlanStepStatus) Values() []string {
	return []string{"PLANNED", "IN_PROGRESS", "DONE", "CANCELLED"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *PlanStepStatus) UnmarshalGQL(v any) error { return unmarshalEnum(s, v) }

// MarshalGQL implements graphql.Marshaler.
func (s PlanStepStatus) MarshalGQL(w io.Writer) { marshalEnum(s, w) }
