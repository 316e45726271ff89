package partnernet

import (
	"io"
	"slices"
	"time"
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
	Status       ReferralStatus
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
	Status     ReferralStatus
	Actor      string
	OccurredAt time.Time
}

// ReferralStatus is where a referral stands: sent, then accepted or declined by the receiver,
// completed by the receiver, or cancelled by the referrer.
type ReferralStatus string

// The statuses of a referral.
const (
	ReferralSent      ReferralStatus = "SENT"
	ReferralAccepted  ReferralStatus = "ACCEPTED"
	ReferralDeclined  ReferralStatus = "DECLINED"
	ReferralCompleted ReferralStatus = "COMPLETED"
	ReferralCancelled ReferralStatus = "CANCELLED"
)

// ReferralPurposes are the purposes a referral may name.
var ReferralPurposes = []Purpose{
	PurposeReferral, PurposeActivityParticipation, PurposeSupportPlan,
	PurposeHealthCommunication, PurposeAdvice, PurposeEstablishmentCoordination,
}

// ReferralEnd is the end of a referral an organisation stands at.
type ReferralEnd int

// The ends of a referral.
const (
	// ReferralReferrer is the organisation that referred.
	ReferralReferrer ReferralEnd = iota
	// ReferralReceiver is the organisation referred to.
	ReferralReceiver
)

// referralTransitions are the moves each end of a referral may make, from a status to the next.
var referralTransitions = map[ReferralEnd]map[ReferralStatus][]ReferralStatus{
	ReferralReceiver: {
		ReferralSent:     {ReferralAccepted, ReferralDeclined},
		ReferralAccepted: {ReferralCompleted, ReferralDeclined},
	},
	ReferralReferrer: {
		ReferralSent:     {ReferralCancelled},
		ReferralAccepted: {ReferralCancelled},
	},
}

// CanBecome reports whether the end by of a referral may move it from s to to: the receiver
// accepts or declines a sent referral and completes or declines an accepted one; the referrer
// cancels one that is sent or accepted. Declined, completed and cancelled referrals are final.
func (s ReferralStatus) CanBecome(to ReferralStatus, by ReferralEnd) bool {
	return slices.Contains(referralTransitions[by][s], to)
}

// Values lists every ReferralStatus.
func (ReferralStatus) Values() []string {
	return []string{"SENT", "ACCEPTED", "DECLINED", "COMPLETED", "CANCELLED"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *ReferralStatus) UnmarshalGQL(v any) error { return unmarshalEnum(s, v) }

// MarshalGQL implements graphql.Marshaler.
func (s ReferralStatus) MarshalGQL(w io.Writer) { marshalEnum(s, w) }
