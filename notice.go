package partnernet

import (
	"io"
	"time"
)

// Notice is a message to a newcomer about an activity they are enrolled in or wait for,
// rendered in their language when it was written (the outbox), then delivered by e-mail and
// SMS and shown in the API.
type Notice struct {
	ID         int64
	NewcomerID int64
	ActivityID *int64
	Kind       NoticeKind
	// OccurrenceStartsAt is the occurrence the notice is about, if one.
	OccurrenceStartsAt *time.Time
	// Language is the ISO 639 code of the language Subject and Body are written in.
	Language  string
	Subject   string
	Body      string
	CreatedAt time.Time
	ReadAt    *time.Time
	// DedupKey names the notice uniquely (see NoticeDraft); never shown.
	DedupKey string
}

// NoticeDraft is a notice to write: who, about what, and the facts its text tells. The text
// is rendered when the notice is written, in the newcomer's language.
type NoticeDraft struct {
	NewcomerID int64
	Activity   Activity
	Kind       NoticeKind
	// Occurrence is the start of the occurrence concerned (cancelled, reminded), if one.
	Occurrence *time.Time
	// Reason is what the organiser said, for a cancellation.
	Reason string
	// Next is the activity's next occurrence after the change, for a change or a promotion.
	Next *time.Time
	// DedupKey names the notice uniquely: written twice, it is kept once.
	DedupKey string
}

// NoticeKind is what a notice tells.
type NoticeKind string

// The kinds of notice.
const (
	NoticeActivityCancelled   NoticeKind = "ACTIVITY_CANCELLED"
	NoticeOccurrenceCancelled NoticeKind = "OCCURRENCE_CANCELLED"
	NoticeActivityChanged     NoticeKind = "ACTIVITY_CHANGED"
	NoticePromoted            NoticeKind = "PROMOTED"
	NoticeReminder            NoticeKind = "REMINDER"
)

// Values lists every NoticeKind.
func (NoticeKind) Values() []string {
	return []string{"ACTIVITY_CANCELLED", "OCCURRENCE_CANCELLED", "ACTIVITY_CHANGED", "PROMOTED", "REMINDER"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *NoticeKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v) }

// MarshalGQL implements graphql.Marshaler.
func (k NoticeKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// NoticeChannel is a way a notice reaches a newcomer besides the API.
type NoticeChannel string

// The channels.
const (
	ChannelEmail NoticeChannel = "EMAIL"
	ChannelSMS   NoticeChannel = "SMS"
)

// Values lists every NoticeChannel.
func (NoticeChannel) Values() []string { return []string{"EMAIL", "SMS"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (c *NoticeChannel) UnmarshalGQL(v any) error { return unmarshalEnum(c, v) }

// MarshalGQL implements graphql.Marshaler.
func (c NoticeChannel) MarshalGQL(w io.Writer) { marshalEnum(c, w) }

// DeliveryStatus is where the delivery of a notice on one channel stands.
type DeliveryStatus string

// The delivery statuses.
const (
	// DeliveryPending: waiting for its (next) attempt.
	DeliveryPending DeliveryStatus = "PENDING"
	// DeliverySending: claimed by a worker, which holds a lease on it.
	DeliverySending DeliveryStatus = "SENDING"
	// DeliverySent: accepted by the mail server or the SMS provider.
	DeliverySent DeliveryStatus = "SENT"
	// DeliveryFailed: refused for good, or out of attempts.
	DeliveryFailed DeliveryStatus = "FAILED"
	// DeliverySkipped: not sent: no address, the newcomer opted out, or the channel is off.
	DeliverySkipped DeliveryStatus = "SKIPPED"
)

// Values lists every DeliveryStatus.
func (DeliveryStatus) Values() []string {
	return []string{"PENDING", "SENDING", "SENT", "FAILED", "SKIPPED"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *DeliveryStatus) UnmarshalGQL(v any) error { return unmarshalEnum(s, v) }

// MarshalGQL implements graphql.Marshaler.
func (s DeliveryStatus) MarshalGQL(w io.Writer) { marshalEnum(s, w) }

// NoticeDelivery is the delivery of a notice on one channel.
type NoticeDelivery struct {
	ID            int64
	NoticeID      int64
	Channel       NoticeChannel
	Status        DeliveryStatus
	Attempts      int
	NextAttemptAt time.Time
	LastError     *string
	SentAt        *time.Time
}

// NoticePreference is how a newcomer wants to be told (category CONTACT): the language of
// notices (nil: their native language where a translation exists, else Swedish) and whether by
// e-mail and by SMS.
type NoticePreference struct {
	NewcomerID int64
	Language   *string
	Email      bool
	SMS        bool
}
