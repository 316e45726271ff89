package store

import (
	"context"
	"fmt"

	"github.com/partnerskap-skane/partnernet"
)

const referralColumns = `r.id, r.newcomer_id, r.from_org_id, r.to_org_id, r.activity_id, r.service, r.purpose,
  r.status, r.referrer_note, r.receiver_note, r.created_by, r.created_at, r.updated_at`

func referralFields(r *partnernet.Referral) []any {
	return []any{&r.ID, &r.NewcomerID, &r.FromOrgID, &r.ToOrgID, &r.ActivityID, &r.Service, &r.Purpose,
		&r.Status, &r.ReferrerNote, &r.ReceiverNote, &r.CreatedBy, &r.CreatedAt, &r.UpdatedAt}
}

// ReferralFilter narrows an organisation's referrals.
type ReferralFilter struct {
	Received bool                        // those it received; otherwise those it made
	Statuses []partnernet.ReferralStatus // in any of these statuses
}

func referralQuery(f ReferralFilter) (*listQuery, string) {
	q := &listQuery{
		from: "referral r", columns: referralColumns, idExpr: "r.id",
		sorts: map[string]sortColumn{OrderCreatedAt: {"r.created_at", "timestamptz"}},
	}
	if len(f.Statuses) > 0 {
		filterOneOf(q, "r.status", f.Statuses)
	}
	if f.Received {
		return q, "r.to_org_id"
	}
	return q, "r.from_org_id"
}

// ReferralListByOrganisations returns one page of each organisation's referrals, in one statement.
func (s *Store) ReferralListByOrganisations(ctx context.Context, orgIDs []int64, f ReferralFilter, o Order, p Page) (map[int64]Slice[partnernet.Referral], error) {
	q, parent := referralQuery(f)
	return listPageByParent(ctx, s.db, q, parent, orgIDs, o, p, referralFields)
}

// ReferralCountByOrganisations counts each organisation's referrals.
func (s *Store) ReferralCountByOrganisations(ctx context.Context, orgIDs []int64, f ReferralFilter) (map[int64]int, error) {
	q, parent := referralQuery(f)
	return countRowsByParent(ctx, s.db, q, parent, orgIDs)
}

// ReferralGetMany returns the referrals with the given ids; callers decide visibility.
func (s *Store) ReferralGetMany(ctx context.Context, ids []int64) ([]partnernet.Referral, error) {
	return getMany(ctx, s.db, "referrals", "SELECT "+referralColumns+" FROM referral r WHERE r.id = ANY($1)", ids, referralFields)
}

// ReferralListByNewcomers returns the referrals of each of the newcomers, oldest first.
func (s *Store) ReferralListByNewcomers(ctx context.Context, newcomerIDs []int64) ([]partnernet.Referral, error) {
	return getMany(ctx, s.db, "referrals", "SELECT "+referralColumns+
		" FROM referral r WHERE r.newcomer_id = ANY($1) ORDER BY r.newcomer_id, r.created_at, r.id", newcomerIDs, referralFields)
}

// ReferralEventListByReferrals returns the status history of each referral, oldest first.
func (s *Store) ReferralEventListByReferrals(ctx context.Context, ids []int64) ([]partnernet.ReferralEvent, error) {
	return getMany(ctx, s.db, "referral events", `
SELECT e.id, e.referral_id, e.status, e.actor, e.occurred_at FROM referral_event e
WHERE e.referral_id = ANY($1) ORDER BY e.referral_id, e.occurred_at, e.id`, ids, func(e *partnernet.ReferralEvent) []any {
		return []any{&e.ID, &e.ReferralID, &e.Status, &e.Actor, &e.OccurredAt}
	})
}

// ReferralCreate stores a referral with its first event, SENT, and returns it as stored. Call it
// inside InTx with the audit entry.
func (s *Store) ReferralCreate(ctx context.Context, r partnernet.Referral) (partnernet.Referral, error) {
	ref := columns{
		{"newcomer_id", r.NewcomerID},
		{"from_org_id", r.FromOrgID},
		{"to_org_id", r.ToOrgID},
		{"activity_id", r.ActivityID},
		{"service", r.Service},
		{"purpose", r.Purpose},
		{"referrer_note", r.ReferrerNote},
		{"created_by", r.CreatedBy},
	}
	var p params
	sql := `
WITH ref AS (
  INSERT INTO referral (` + ref.names() + `)
  VALUES (` + p.values(ref) + `) RETURNING id, newcomer_id, created_by
), sent AS (
  INSERT INTO referral_event (referral_id, status, actor) SELECT id, 'SENT', created_by FROM ref
), touched AS (
  UPDATE newcomer SET last_activity_at = now() FROM ref WHERE newcomer.id = ref.newcomer_id
)
SELECT id FROM ref`
	var id int64
	err := s.db.QueryRow(ctx, sql, p...).Scan(&id)
	if err != nil {
		return r, translate(fmt.Errorf("create referral: %w", err))
	}
	return s.referralGet(ctx, id)
}

// ReferralLock returns a referral as it stands, locked until the transaction ends.
func (s *Store) ReferralLock(ctx context.Context, id int64) (partnernet.Referral, error) {
	var r partnernet.Referral
	if err := s.db.QueryRow(ctx, "SELECT "+referralColumns+" FROM referral r WHERE r.id = $1 FOR UPDATE", id).
		Scan(referralFields(&r)...); err != nil {
		return r, translate(fmt.Errorf("lock referral %d: %w", id, err))
	}
	return r, nil
}

// ReferralSetStatus moves a locked referral to a status, appending to its history, and stores
// the receiver's note when one is given.
func (s *Store) ReferralSetStatus(ctx context.Context, id int64, status partnernet.ReferralStatus, actor string, receiverNote *string) (partnernet.Referral, error) {
	if _, err := s.db.Exec(ctx, `
WITH changed AS (
  UPDATE referral SET status = $2, receiver_note = coalesce($4, receiver_note), updated_at = now()
  WHERE id = $1 RETURNING newcomer_id
), logged AS (
  INSERT INTO referral_event (referral_id, status, actor) VALUES ($1, $2, $3)
)
UPDATE newcomer SET last_activity_at = now() WHERE id IN (SELECT newcomer_id FROM changed)`,
		id, status, actor, receiverNote); err != nil {
		return partnernet.Referral{}, translate(fmt.Errorf("set referral %d to %s: %w", id, status, err))
	}
	return s.referralGet(ctx, id)
}

func (s *Store) referralGet(ctx context.Context, id int64) (partnernet.Referral, error) {
	got, err := s.ReferralGetMany(ctx, []int64{id})
	if err != nil {
		return partnernet.Referral{}, err
	}
	if len(got) == 0 {
		return partnernet.Referral{}, partnernet.Errorf(partnernet.CodeNotFound, "referral not found")
	}
	return got[0], nil
}
