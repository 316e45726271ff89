package store

import (
	"context"
	"fmt"

	"github.com/partnerskap-skane/partnernet"
)

const invitationColumns = `iv.id, iv.newcomer_id, iv.secret_hash, iv.created_by, iv.created_at, iv.expires_at,
  iv.redeemed_at, iv.redeemed_by, iv.revoked_at, iv.revoked_by`

func invitationFields(i *partnernet.NewcomerInvitation) []any {
	return []any{&i.ID, &i.NewcomerID, &i.SecretHash, &i.CreatedBy, &i.CreatedAt, &i.ExpiresAt,
		&i.RedeemedAt, &i.RedeemedBy, &i.RevokedAt, &i.RevokedBy}
}

const loginColumns = "nl.id, nl.newcomer_id, nl.subject, nl.invitation_id, nl.bound_at"

func loginFields(l *partnernet.NewcomerLogin) []any {
	return []any{&l.ID, &l.NewcomerID, &l.Subject, &l.InvitationID, &l.BoundAt}
}

// NewcomerInvitationCreate stores an invitation for newcomer i.NewcomerID (its secret's hash,
// who made it, when it expires), inside InTx with its audit entry, and returns it as stored. A
// merged or erased record is partnernet.ErrConflict.
func (s *Store) NewcomerInvitationCreate(ctx context.Context, i partnernet.NewcomerInvitation) (partnernet.NewcomerInvitation, error) {
	if _, err := s.newcomerLock(ctx, i.NewcomerID); err != nil {
		return i, err
	}
	rows, err := s.db.Query(ctx, `
INSERT INTO newcomer_invitation AS iv (newcomer_id, secret_hash, created_by, expires_at) VALUES ($1, $2, $3, $4)
RETURNING `+invitationColumns, i.NewcomerID, i.SecretHash, i.CreatedBy, i.ExpiresAt)
	return one(rows, err, "invite a newcomer", invitationFields)
}

// NewcomerInvitationRedeem uses the invitation whose secret hashes to secretHash to bind subject
// to its newcomer, inside InTx with its audit entry, and returns the binding. The invitation
// must be unused, unrevoked and unexpired, and its newcomer's record live: otherwise it is
// partnernet.ErrNotFound, whichever it is. A subject that acts for a newcomer already is
// partnernet.ErrConflict.
func (s *Store) NewcomerInvitationRedeem(ctx context.Context, secretHash []byte, subject string) (partnernet.NewcomerLogin, error) {
	var l partnernet.NewcomerLogin
	err := s.db.QueryRow(ctx, `
UPDATE newcomer_invitation iv SET redeemed_at = now(), redeemed_by = $2
FROM newcomer n
WHERE iv.secret_hash = $1 AND iv.redeemed_at IS NULL AND iv.revoked_at IS NULL AND iv.expires_at > now()
  AND n.id = iv.newcomer_id AND n.merged_into IS NULL AND n.erased_at IS NULL
RETURNING iv.id, iv.newcomer_id`, secretHash, subject).Scan(&l.ID, &l.NewcomerID)
	if err != nil {
		return l, translate(fmt.Errorf("redeem an invitation: %w", err))
	}
	invitation := l.ID
	rows, err := s.db.Query(ctx, `
INSERT INTO newcomer_login AS nl (newcomer_id, subject, invitation_id) VALUES ($1, $2, $3)
RETURNING `+loginColumns, l.NewcomerID, subject, invitation)
	return one(rows, err, "bind a sign-in", loginFields)
}

// NewcomerInvitationRevoke revokes an unused invitation by actor, inside InTx with its audit
// entry, and returns it. One used or revoked already is partnernet.ErrConflict; an unknown one
// partnernet.ErrNotFound.
func (s *Store) NewcomerInvitationRevoke(ctx context.Context, id int64, actor string) (partnernet.NewcomerInvitation, error) {
	rows, err := s.db.Query(ctx, `
UPDATE newcomer_invitation iv SET revoked_at = now(), revoked_by = $2
WHERE iv.id = $1 AND iv.redeemed_at IS NULL AND iv.revoked_at IS NULL
RETURNING `+invitationColumns, id, actor)
	i, err := one(rows, err, "revoke an invitation", invitationFields)
	if partnernet.ErrorCode(err) == partnernet.CodeNotFound {
		return i, partnernet.Errorf(partnernet.CodeConflict, "the invitation was used or revoked already")
	}
	return i, err
}

// NewcomerInvitationGetMany returns the invitations with the given ids; unknown ids are absent.
func (s *Store) NewcomerInvitationGetMany(ctx context.Context, ids []int64) ([]partnernet.NewcomerInvitation, error) {
	return getMany(ctx, s.db, "invitations", "SELECT "+invitationColumns+" FROM newcomer_invitation iv WHERE iv.id = ANY($1)", ids, invitationFields)
}

// NewcomerInvitationListByNewcomers returns the invitations of each of the newcomers, oldest
// first.
func (s *Store) NewcomerInvitationListByNewcomers(ctx context.Context, newcomerIDs []int64) ([]partnernet.NewcomerInvitation, error) {
	return getMany(ctx, s.db, "invitations", "SELECT "+invitationColumns+
		" FROM newcomer_invitation iv WHERE iv.newcomer_id = ANY($1) ORDER BY iv.newcomer_id, iv.id", newcomerIDs, invitationFields)
}

// NewcomerLoginListByNewcomers returns the sign-ins bound to each of the newcomers, oldest first.
func (s *Store) NewcomerLoginListByNewcomers(ctx context.Context, newcomerIDs []int64) ([]partnernet.NewcomerLogin, error) {
	return getMany(ctx, s.db, "sign-ins", "SELECT "+loginColumns+
		" FROM newcomer_login nl WHERE nl.newcomer_id = ANY($1) ORDER BY nl.newcomer_id, nl.id", newcomerIDs, loginFields)
}

// NewcomerLoginGetMany returns the sign-ins with the given ids; unknown ids are absent.
func (s *Store) NewcomerLoginGetMany(ctx context.Context, ids []int64) ([]partnernet.NewcomerLogin, error) {
	return getMany(ctx, s.db, "sign-ins", "SELECT "+loginColumns+" FROM newcomer_login nl WHERE nl.id = ANY($1)", ids, loginFields)
}

// NewcomerLoginGetBySubject returns the sign-in of subject ("issuer|sub"), for authentication on
// every request: a revoked sign-in is gone from the next request on. It returns
// partnernet.ErrNotFound when the subject acts for no newcomer (whose record is live).
func (s *Store) NewcomerLoginGetBySubject(ctx context.Context, subject string) (partnernet.NewcomerLogin, error) {
	rows, err := s.db.Query(ctx, "SELECT "+loginColumns+` FROM newcomer_login nl
JOIN newcomer n ON n.id = nl.newcomer_id AND n.merged_into IS NULL AND n.erased_at IS NULL
WHERE nl.subject = $1`, subject)
	return one(rows, err, "find a sign-in", loginFields)
}

// NewcomerLoginDelete revokes a sign-in, inside InTx with its audit entry, and returns it as it
// was; partnernet.ErrNotFound when there is none.
func (s *Store) NewcomerLoginDelete(ctx context.Context, id int64) (partnernet.NewcomerLogin, error) {
	rows, err := s.db.Query(ctx, "DELETE FROM newcomer_login nl WHERE nl.id = $1 RETURNING "+loginColumns, id)
	return one(rows, err, "revoke a sign-in", loginFields)
}
