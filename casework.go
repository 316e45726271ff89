package partnernet

import (
	"io"
	"slices"
	"time"
)

// A municipality's working day on its cases: corrections of a newcomer's data with their
// history, the assignment of cases to staff, their transfer to another municipality, and the
// invitations with which a newcomer signs in with their own identity provider.

// NewcomerChange is one change to a category of a newcomer's data: who changed which fields,
// when, and the version of the category it made. It never holds a value.
type NewcomerChange struct {
	ID         int64
	NewcomerID int64
	Category   DataCategory
	// Version is the category's version the change made; a category is at version 1 as
	// registered.
	Version int
	Kind    NewcomerChangeKind
	// Fields are the names of the fields the change set, as the API names them.
	Fields         []string
	ChangedBy      string
	OrganisationID *int64 // the organisation ChangedBy acted for
	ChangedAt      time.Time
}

// NewcomerChangeKind says what made a change to a newcomer's data.
type NewcomerChangeKind string

// The kinds of change.
const (
	// ChangeCorrection is a correction by a case worker or the newcomer.
	ChangeCorrection NewcomerChangeKind = "CORRECTION"
	// ChangeMerge is what a merged duplicate brought to the record it was merged into.
	ChangeMerge NewcomerChangeKind = "MERGE"
	// ChangeTransfer is the residence a transfer to another municipality set.
	ChangeTransfer NewcomerChangeKind = "TRANSFER"
)

// Values lists every NewcomerChangeKind.
func (NewcomerChangeKind) Values() []string { return []string{"CORRECTION", "MERGE", "TRANSFER"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *NewcomerChangeKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v) }

// MarshalGQL implements graphql.Marshaler.
func (k NewcomerChangeKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// CorrectableCategories are the categories of a newcomer's data that a correction changes,
// each through a mutation of its own. Plans and participation change through their own
// mutations (plans, enrolments, courses).
var CorrectableCategories = []DataCategory{
	CategoryIdentity, CategoryContact, CategoryFamily, CategoryLanguages, CategoryHealth, CategoryBackground,
}

// Correction is a replacement of one category of a newcomer's data, made on the version the
// caller read. Exactly the field of its category is set; nil there clears the category
// (contact, health, background) or empties it (family, languages).
type Correction struct {
	NewcomerID int64
	Category   DataCategory
	// Version is the category's version the caller read; a correction of another version is
	// stale and refused.
	Version int
	// Identity holds the identity fields and the establishment dates and residence, all of
	// category IDENTITY.
	Identity   *Newcomer
	Contact    *NewcomerContact
	Family     []FamilyMember
	Languages  []LanguageSkill
	Health     *NewcomerHealth
	Background *NewcomerBackground
}

// CategoryData is a newcomer's data in one category as it stands, the input of [ChangedFields].
type CategoryData struct {
	Identity   *Newcomer
	Contact    *NewcomerContact
	Family     []FamilyMember
	Languages  []LanguageSkill
	Health     *NewcomerHealth
	Background *NewcomerBackground
}

// ChangedFields returns the names of the fields of c's category whose values differ between
// the data as it stands and the correction, as the API names them, in a fixed order; none when
// the correction changes nothing. The names, never the values, go into the history and the
// audit trail.
func ChangedFields(stands CategoryData, c Correction) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	switch c.Category {
	case CategoryIdentity:
		was, now := orZero(stands.Identity), orZero(c.Identity)
		add("displayName", was.DisplayName != now.DisplayName)
		add("birthYear", !samePtr(was.BirthYear, now.BirthYear))
		add("gender", !samePtr(was.Gender, now.Gender))
		add("arrivalDate", !sameTime(was.ArrivalDate, now.ArrivalDate))
		add("planStartDate", !sameTime(was.PlanStartDate, now.PlanStartDate))
		add("residenceMunicipality", !samePtr(was.ResidenceMunicipalityID, now.ResidenceMunicipalityID))
	case CategoryContact:
		was, now := orZero(stands.Contact), orZero(c.Contact)
		add("phone", !samePtr(was.Phone, now.Phone))
		add("email", !samePtr(was.Email, now.Email))
		add("postalAddress", !samePtr(was.PostalAddress, now.PostalAddress))
	case CategoryFamily:
		add("family", !slices.EqualFunc(stands.Family, c.Family, func(a, b FamilyMember) bool {
			return a.Relation == b.Relation && a.Name == b.Name && samePtr(a.BirthYear, b.BirthYear) && a.InSweden == b.InSweden
		}))
	case CategoryLanguages:
		add("languages", !slices.EqualFunc(stands.Languages, c.Languages, func(a, b LanguageSkill) bool {
			return a.Language == b.Language && a.Proficiency == b.Proficiency
		}))
	case CategoryHealth:
		add("notes", (stands.Health == nil) != (c.Health == nil) ||
			stands.Health != nil && stands.Health.Notes != c.Health.Notes)
	case CategoryBackground:
		was, now := orZero(stands.Background), orZero(c.Background)
		add("educationLevel", !samePtr(was.EducationLevel, now.EducationLevel))
		add("occupation", !samePtr(was.Occupation, now.Occupation))
		add("yearsOfWork", !samePtr(was.YearsOfWork, now.YearsOfWork))
		add("notes", !samePtr(was.Notes, now.Notes))
	}
	return out
}

// orZero is *p, or the zero value for nil.
func orZero[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// samePtr reports whether two optional values are both absent or equal.
func samePtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// sameTime reports whether two optional times are both absent or the same instant.
func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// CaseStatus is where a newcomer's case stands, derived from its record: active, inactive (no
// activity for [InactiveAfter]) or erased. Merged duplicates are no case at all.
type CaseStatus string

// The case statuses.
const (
	CaseActive   CaseStatus = "ACTIVE"
	CaseInactive CaseStatus = "INACTIVE"
	CaseErased   CaseStatus = "ERASED"
)

// InactiveAfter is how long a case goes without activity (a change, an enrolment, a plan, a
// visit) before it counts as inactive.
const InactiveAfter = 365 * 24 * time.Hour

// Values lists every CaseStatus.
func (CaseStatus) Values() []string { return []string{"ACTIVE", "INACTIVE", "ERASED"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *CaseStatus) UnmarshalGQL(v any) error { return unmarshalEnum(s, v) }

// MarshalGQL implements graphql.Marshaler.
func (s CaseStatus) MarshalGQL(w io.Writer) { marshalEnum(s, w) }

// StatusAt is the status of n's case at time now.
func (n *Newcomer) StatusAt(now time.Time) CaseStatus {
	switch {
	case n.ErasedAt != nil:
		return CaseErased
	case n.LastActivityAt.Before(now.Add(-InactiveAfter)):
		return CaseInactive
	default:
		return CaseActive
	}
}

// CaseAssignment is one entry of a case's assignment history: the staff member it was assigned
// to (nil when it was unassigned), by whom and when, in the organisation that controlled it.
type CaseAssignment struct {
	ID             int64
	NewcomerID     int64
	OrganisationID int64
	Assignee       *string
	AssignedBy     string
	AssignedAt     time.Time
}

// CaseTransfer is a request that another municipality take over a newcomer's case: pending
// until the receiving municipality accepts (it becomes the controller) or declines, or the
// sending one cancels.
type CaseTransfer struct {
	ID            int64
	NewcomerID    int64
	FromOrgID     int64
	ToOrgID       int64
	Status        CaseTransferStatus
	Note          *string
	RequestedBy   string
	RequestedAt   time.Time
	DecidedBy     *string
	DecidedAt     *time.Time
	DeclineReason *string
}

// CaseTransferStatus is where a transfer stands.
type CaseTransferStatus string

// The statuses of a transfer.
const (
	TransferPending   CaseTransferStatus = "PENDING"
	TransferAccepted  CaseTransferStatus = "ACCEPTED"
	TransferDeclined  CaseTransferStatus = "DECLINED"
	TransferCancelled CaseTransferStatus = "CANCELLED"
)

// Values lists every CaseTransferStatus.
func (CaseTransferStatus) Values() []string {
	return []string{"PENDING", "ACCEPTED", "DECLINED", "CANCELLED"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *CaseTransferStatus) UnmarshalGQL(v any) error { return unmarshalEnum(s, v) }

// MarshalGQL implements graphql.Marshaler.
func (s CaseTransferStatus) MarshalGQL(w io.Writer) { marshalEnum(s, w) }

// TransferEnd is the end of a transfer an organisation stands at.
type TransferEnd int

// The ends of a transfer.
const (
	// TransferSender is the municipality that controls the case and asks.
	TransferSender TransferEnd = iota
	// TransferReceiver is the municipality asked to take the case over.
	TransferReceiver
)

// CanBecome reports whether the end by of a transfer may move it from s to to: the receiver
// accepts or declines a pending transfer, the sender cancels it. Every other status is final.
func (s CaseTransferStatus) CanBecome(to CaseTransferStatus, by TransferEnd) bool {
	if s != TransferPending {
		return false
	}
	if by == TransferReceiver {
		return to == TransferAccepted || to == TransferDeclined
	}
	return to == TransferCancelled
}

// The limits of case work.
const (
	// MaxTransferNoteLen is the longest note of a transfer or reason of a decline.
	MaxTransferNoteLen = 2000
	// DefaultInvitationTTL is how long an invitation to sign in stays valid when the
	// coordinator does not say; MaxInvitationTTL the longest it may.
	DefaultInvitationTTL = 7 * 24 * time.Hour
	MaxInvitationTTL     = 30 * 24 * time.Hour
)

// NewcomerInvitation lets a newcomer bind the account of a trusted identity provider to their
// record, once, before it expires. Only a hash of its secret is stored.
type NewcomerInvitation struct {
	ID         int64
	NewcomerID int64
	SecretHash []byte
	CreatedBy  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RedeemedAt *time.Time
	RedeemedBy *string // the subject it bound
	RevokedAt  *time.Time
	RevokedBy  *string
}

// NewcomerLogin binds the subject of a trusted identity provider's tokens ("issuer|sub") to a
// newcomer's record: that subject then acts as the newcomer.
type NewcomerLogin struct {
	ID           int64
	NewcomerID   int64
	Subject      string
	InvitationID *int64
	BoundAt      time.Time
}

// CategoryScope says whose data of one category a list of newcomers may filter or order by: a
// search by name reads identity data, a search by phone contact data. It is the list form of
// the release decision: the newcomers whose controller is Controller (which processes the
// category for the purpose on a lawful basis other than consent), and those with an active
// consent naming ConsentRecipient for Purpose and Category. The zero value covers nobody.
type CategoryScope struct {
	Category         DataCategory
	Controller       int64
	ConsentRecipient int64
	Purpose          Purpose
}

// Empty reports whether the scope covers nobody.
func (s CategoryScope) Empty() bool { return s.Controller == 0 && s.ConsentRecipient == 0 }
