package partnernet

import (
	"io"
	"time"
)

// ActivityFeedback is what a newcomer thinks of an activity they joined: a rating and, if they
// like, a comment. It is anonymous to the organiser unless the newcomer chooses to be Named, and
// a comment reaches the organiser only once a moderator has approved it (possibly with personal
// details taken out), never as written.
type ActivityFeedback struct {
	ID          int64
	ActivityID  int64
	OrganiserID int64 // the activity's organiser, whose staff read the feedback
	// NewcomerID is who gave it: nil once their data is erased (the rating stays, anonymous).
	NewcomerID *int64
	// Rating is 1 (poor) to 5 (very good).
	Rating int
	// Comment is the comment as written, for the newcomer and the moderators; nil without one.
	Comment *string
	// Named says the newcomer lets the organiser see who they are.
	Named bool
	// Moderation is the comment's moderation; nil without a comment.
	Moderation *FeedbackModeration
	// PublishedComment is the comment as approved, which the organiser reads.
	PublishedComment *string
	// Rejection says why a comment was rejected.
	Rejection   *FeedbackRejection
	ModeratedBy *string
	ModeratedAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// The limits of feedback.
const (
	// MaxFeedbackComment is the longest comment, in characters.
	MaxFeedbackComment = 2000
	// MinRating is the lowest rating.
	MinRating = 1
	// MaxRating is the highest rating.
	MaxRating = 5
)

// Validate checks the newcomer's part of feedback at path prefix ("input") and trims the comment
// (a blank one is none).
func (f *ActivityFeedback) Validate(prefix string) error {
	if f.Rating < MinRating || f.Rating > MaxRating {
		return InputError(prefix+".rating", "rate from %d to %d", MinRating, MaxRating)
	}
	var err error
	f.Comment, err = OptionalText(prefix+".comment", f.Comment, MaxFeedbackComment)
	return err
}

// FeedbackModeration is where a comment stands in moderation.
type FeedbackModeration string

// The states of moderation.
const (
	ModerationPending  FeedbackModeration = "PENDING"
	ModerationApproved FeedbackModeration = "APPROVED"
	ModerationRejected FeedbackModeration = "REJECTED"
)

// Values lists every FeedbackModeration.
func (FeedbackModeration) Values() []string { return []string{"PENDING", "APPROVED", "REJECTED"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (m *FeedbackModeration) UnmarshalGQL(v any) error { return unmarshalEnum(m, v) }

// MarshalGQL implements graphql.Marshaler.
func (m FeedbackModeration) MarshalGQL(w io.Writer) { marshalEnum(m, w) }

// FeedbackRejection is why a moderator rejected a comment.
type FeedbackRejection string

// The reasons for rejecting a comment.
const (
	// RejectPersonalData: it names or describes someone, and cannot be approved without that.
	RejectPersonalData FeedbackRejection = "PERSONAL_DATA"
	// RejectAbusive: it insults, threatens or discriminates.
	RejectAbusive FeedbackRejection = "ABUSIVE"
	// RejectOffTopic: it is not about the activity.
	RejectOffTopic FeedbackRejection = "OFF_TOPIC"
	// RejectOther: another reason.
	RejectOther FeedbackRejection = "OTHER"
)

// Values lists every FeedbackRejection.
func (FeedbackRejection) Values() []string {
	return []string{"PERSONAL_DATA", "ABUSIVE", "OFF_TOPIC", "OTHER"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (r *FeedbackRejection) UnmarshalGQL(v any) error { return unmarshalEnum(r, v) }

// MarshalGQL implements graphql.Marshaler.
func (r FeedbackRejection) MarshalGQL(w io.Writer) { marshalEnum(r, w) }
