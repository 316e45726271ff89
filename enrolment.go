package partnernet

import (
	"io"
	"time"
)

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
	// SharingConsentID is the consent record in which the newcomer chose, at enrolment, to share
	// data with the organiser and co-organisers; nil when they chose not to.
	SharingConsentID *int64
}

// EnrolmentCounts are how many newcomers are enrolled in an activity and how many wait.
type EnrolmentCounts struct {
	ActivityID int64
	Enrolled   int
	Waitlisted int
}

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

// PlaceAvailability is whether enrolling in an activity now gives a place or a place on the
// waitlist, in bands that never tell a count of enrolled newcomers below the suppression
// threshold: anyone may read it, whereas how many places are left is for the organiser's staff.
type PlaceAvailability string

// The bands of availability.
const (
	// PlacesAvailable: no limit, or at least threshold places left; enrolling gives a place.
	PlacesAvailable PlaceAvailability = "AVAILABLE"
	// PlacesFew: some places left, fewer than the threshold; enrolling gives a place.
	PlacesFew PlaceAvailability = "FEW_PLACES_LEFT"
	// PlacesFull: no place left; enrolling puts the newcomer on the waitlist.
	PlacesFull PlaceAvailability = "FULL"
	// PlacesLimited: fewer places than the threshold in all, so whether any is left would tell
	// how many are enrolled; enrolling says whether the newcomer gets a place or waits.
	PlacesLimited PlaceAvailability = "LIMITED"
)

// Values lists every PlaceAvailability.
func (PlaceAvailability) Values() []string {
	return []string{"AVAILABLE", "FEW_PLACES_LEFT", "FULL", "LIMITED"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (a *PlaceAvailability) UnmarshalGQL(v any) error { return unmarshalEnum(a, v) }

// MarshalGQL implements graphql.Marshaler.
func (a PlaceAvailability) MarshalGQL(w io.Writer) { marshalEnum(a, w) }

// AvailabilityOf returns the band of an activity with capacity places (nil for no limit) and
// enrolled newcomers holding one, at the suppression threshold (below 1 taken as 1).
//
// Capacity is public, so every band is a range of enrolled counts: AVAILABLE says at most
// capacity-threshold, FEW_PLACES_LEFT between capacity-threshold+1 and capacity-1 (threshold-1
// counts), FULL at least capacity (not below the threshold, as LIMITED takes the smaller
// activities), LIMITED nothing. None narrows a count between 1 and threshold-1 to one value.
func AvailabilityOf(capacity *int, enrolled, threshold int) PlaceAvailability {
	threshold = max(threshold, 1)
	switch {
	case capacity == nil:
		return PlacesAvailable
	case *capacity < threshold:
		return PlacesLimited
	case enrolled >= *capacity:
		return PlacesFull
	case *capacity-enrolled < threshold:
		return PlacesFew
	default:
		return PlacesAvailable
	}
}
