package partnernet

import "time"

// OrgScope is a set of organisations a decision covers: every organisation (All), or those
// listed. The zero value covers none.
type OrgScope struct {
	All bool
	IDs []int64
}

// Covers reports whether the scope includes organisation id.
func (s OrgScope) Covers(id int64) bool {
	if s.All {
		return true
	}
	for _, x := range s.IDs {
		if x == id {
			return true
		}
	}
	return false
}

// Empty reports whether the scope covers no organisation.
func (s OrgScope) Empty() bool { return !s.All && len(s.IDs) == 0 }

// Membership says that a subject holds a role in an organisation. Memberships are the grouping
// policy of the authorisation model.
type Membership struct {
	ID             int64
	Subject        string // a local subject, or "issuer|subject" for a partner's identity provider
	OrganisationID int64
	Role           string
	GrantedBy      string
	GrantedAt      time.Time
}

// APIKey lets an association's system act for one organisation in one role. Only a hash of
// its secret is stored.
type APIKey struct {
	ID             int64
	OrganisationID int64
	Role           string
	Name           string
	Prefix         string // the public part of the key, which finds its row
	SecretHash     []byte // SHA-256 of the secret part
	CreatedBy      string
	CreatedAt      time.Time
	RevokedAt      *time.Time
}
