package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// MembershipChannel is the channel on which every change to the memberships is announced, with
// the organisation's id as payload. The notification is sent when the change commits, and not
// at all when it rolls back; see [Listen].
const MembershipChannel = "partnernet_membership"

// OrderSubject orders memberships by subject; ties are broken by id.
const OrderSubject = "SUBJECT"

const membershipColumns = "ms.id, ms.subject, ms.organisation_id, ms.role, ms.granted_by, ms.granted_at"

func membershipFields(m *partnernet.Membership) []any {
	return []any{&m.ID, &m.Subject, &m.OrganisationID, &m.Role, &m.GrantedBy, &m.GrantedAt}
}

func membershipQuery() *listQuery {
	return &listQuery{
		from: "membership ms", columns: membershipColumns, idExpr: "ms.id",
		sorts: map[string]sortColumn{OrderSubject: {"ms.subject", "text"}},
	}
}

// MembershipListAll returns every membership, by organisation, subject and role: the grouping
// policy of the authorisation model.
func (s *Store) MembershipListAll(ctx context.Context) ([]partnernet.Membership, error) {
	rows, err := s.db.Query(ctx, "SELECT "+membershipColumns+
		" FROM membership ms ORDER BY ms.organisation_id, ms.subject, ms.role")
	if err != nil {
		return nil, translate(fmt.Errorf("list all memberships: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (partnernet.Membership, error) {
		var m partnernet.Membership
		return m, r.Scan(membershipFields(&m)...)
	})
	if err != nil {
		return nil, translate(fmt.Errorf("list all memberships: %w", err))
	}
	return out, nil
}

// MembershipGrant gives m.Subject the role m.Role in organisation m.OrganisationID, granted by
// m.GrantedBy now, and returns the membership as stored; m.ID and m.GrantedAt are ignored. The
// same statement notifies [MembershipChannel], so listeners hear of the grant exactly when it
// commits (with the transaction when the Store is bound to one). It returns
// partnernet.ErrConflict when the subject already holds that role there, and
// partnernet.ErrBadUserInput for an unknown organisation or role.
func (s *Store) MembershipGrant(ctx context.Context, m partnernet.Membership) (partnernet.Membership, error) {
	var out partnernet.Membership
	err := s.db.QueryRow(ctx, `
WITH ms AS (
  INSERT INTO membership (subject, organisation_id, role, granted_by) VALUES ($1, $2, $3, $4)
  RETURNING id, subject, organisation_id, role, granted_by, granted_at
)
SELECT `+membershipColumns+` FROM ms, pg_notify($5, ms.organisation_id::text)`,
		m.Subject, m.OrganisationID, m.Role, m.GrantedBy, MembershipChannel).Scan(membershipFields(&out)...)
	if err != nil {
		return out, translate(fmt.Errorf("grant %s to %q in organisation %d: %w", m.Role, m.Subject, m.OrganisationID, err))
	}
	return out, nil
}

// MembershipRevoke takes the role role in organisation organisationID from subject and returns
// the membership as it was. Like [Store.MembershipGrant] it notifies [MembershipChannel] in the
// same statement. It returns partnernet.ErrNotFound when the subject does not hold that role
// there.
func (s *Store) MembershipRevoke(ctx context.Context, subject string, organisationID int64, role string) (partnernet.Membership, error) {
	var out partnernet.Membership
	err := s.db.QueryRow(ctx, `
WITH ms AS (
  DELETE FROM membership WHERE subject = $1 AND organisation_id = $2 AND role = $3
  RETURNING id, subject, organisation_id, role, granted_by, granted_at
)
SELECT `+membershipColumns+` FROM ms, pg_notify($4, ms.organisation_id::text)`,
		subject, organisationID, role, MembershipChannel).Scan(membershipFields(&out)...)
	if err != nil {
		return out, translate(fmt.Errorf("revoke %s from %q in organisation %d: %w", role, subject, organisationID, err))
	}
	return out, nil
}

// MembershipListByOrganisations returns one page of the memberships of each of the
// organisations, keyed by organisation id, ordered by subject (then id), in one statement. The
// keys of the page carry the subject as value.
func (s *Store) MembershipListByOrganisations(ctx context.Context, ids []int64, p Page) (map[int64]Slice[partnernet.Membership], error) {
	return listPageByParent(ctx, s.db, membershipQuery(), "ms.organisation_id", ids, Order{Column: OrderSubject}, p, membershipFields)
}

// MembershipCountByOrganisations counts the memberships of each of the organisations;
// organisations without any are absent.
func (s *Store) MembershipCountByOrganisations(ctx context.Context, ids []int64) (map[int64]int, error) {
	return countRowsByParent(ctx, s.db, membershipQuery(), "ms.organisation_id", ids)
}
