package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// OrderPosition orders enrolments by arrival; ties cannot happen within an activity.
const OrderPosition = "POSITION"

const enrolmentColumns = "e.id, e.activity_id, e.newcomer_id, e.status, e.position, e.enrolled_by, e.created_at, e.updated_at, e.sharing_consent_id"

func enrolmentFields(e *partnernet.Enrolment) []any {
	return []any{&e.ID, &e.ActivityID, &e.NewcomerID, &e.Status, &e.Position, &e.EnrolledBy, &e.CreatedAt, &e.UpdatedAt, &e.SharingConsentID}
}

func enrolmentQuery() *listQuery {
	return &listQuery{
		from: "enrolment e", columns: enrolmentColumns, idExpr: "e.id",
		sorts: map[string]sortColumn{OrderPosition: {"e.position", "bigint"}},
	}
}

// EnrolmentCreate enrols newcomer newcomerID in activity a, or puts them on its waitlist when
// its places are taken, in arrival order. Run it in a transaction after [Store.ActivityLock] on
// the activity, which serialises enrolments: the position drawn under the lock is the arrival
// order, and the capacity holds whatever the concurrency. The enrolment's CreatedAt is read
// under the same lock (the clock, not the start of the transaction, which may have begun before
// an earlier arrival's), and kept after the activity's latest, so that ordering an activity's
// enrolments by CreatedAt orders them by position. It returns partnernet.ErrConflict when the
// newcomer is already enrolled or waitlisted.
func (s *Store) EnrolmentCreate(ctx context.Context, a partnernet.Activity, newcomerID int64, by string) (partnernet.Enrolment, error) {
	var e partnernet.Enrolment
	err := s.db.QueryRow(ctx, `
WITH st AS (
  SELECT coalesce(max(position), 0) + 1 AS next,
         count(*) FILTER (WHERE status = 'ENROLLED') AS enrolled,
         greatest(clock_timestamp(), max(created_at) + interval '1 microsecond') AS at
  FROM enrolment WHERE activity_id = $1
), e AS (
  INSERT INTO enrolment (activity_id, newcomer_id, status, position, enrolled_by, created_at, updated_at)
  SELECT $1, $2, CASE WHEN $3::int IS NULL OR st.enrolled < $3::int THEN 'ENROLLED' ELSE 'WAITLISTED' END, st.next, $4,
         st.at, st.at
  FROM st
  RETURNING *
)
SELECT `+enrolmentColumns+` FROM e`, a.ID, newcomerID, a.Capacity, by).Scan(enrolmentFields(&e)...)
	if err != nil {
		return e, translate(fmt.Errorf("enrol newcomer %d in activity %d: %w", newcomerID, a.ID, err))
	}
	return e, nil
}

// EnrolmentLock returns the enrolment with id and locks it until the transaction ends. It
// returns partnernet.ErrNotFound for an unknown id.
func (s *Store) EnrolmentLock(ctx context.Context, id int64) (partnernet.Enrolment, error) {
	var e partnernet.Enrolment
	err := s.db.QueryRow(ctx, "SELECT "+enrolmentColumns+" FROM enrolment e WHERE e.id = $1 FOR UPDATE", id).
		Scan(enrolmentFields(&e)...)
	if err != nil {
		return e, translate(fmt.Errorf("lock enrolment %d: %w", id, err))
	}
	return e, nil
}

// EnrolmentCancel cancels enrolment id and, when it held a place, gives the place to the first
// on the activity's waitlist. Run it in a transaction after [Store.ActivityLock] on the
// enrolment's activity. It returns the cancelled enrolment and the promoted ones, if any.
func (s *Store) EnrolmentCancel(ctx context.Context, id int64) (partnernet.Enrolment, []partnernet.Enrolment, error) {
	var e partnernet.Enrolment
	err := s.db.QueryRow(ctx, `UPDATE enrolment e SET status = 'CANCELLED', updated_at = now() WHERE e.id = $1
RETURNING `+enrolmentColumns, id).Scan(enrolmentFields(&e)...)
	if err != nil {
		return e, nil, translate(fmt.Errorf("cancel enrolment %d: %w", id, err))
	}
	promoted, err := s.EnrolmentPromote(ctx, e.ActivityID)
	return e, promoted, err
}

// EnrolmentPromote gives the places of activity activityID that are free (its capacity less
// those enrolled) to the first on its waitlist, in arrival order, and returns the promoted
// enrolments. Run it in a transaction after [Store.ActivityLock] on the activity.
func (s *Store) EnrolmentPromote(ctx context.Context, activityID int64) ([]partnernet.Enrolment, error) {
	rows, err := s.db.Query(ctx, `
WITH free AS (
  SELECT CASE WHEN a.capacity IS NULL THEN NULL
              ELSE greatest(0, a.capacity - (SELECT count(*) FROM enrolment x
                                             WHERE x.activity_id = a.id AND x.status = 'ENROLLED')) END AS n
  FROM activity a WHERE a.id = $1
)
UPDATE enrolment e SET status = 'ENROLLED', updated_at = now()
WHERE e.id IN (SELECT w.id FROM enrolment w WHERE w.activity_id = $1 AND w.status = 'WAITLISTED'
               ORDER BY w.position LIMIT (SELECT n FROM free))
RETURNING `+enrolmentColumns, activityID)
	if err != nil {
		return nil, translate(fmt.Errorf("promote from the waitlist of activity %d: %w", activityID, err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (partnernet.Enrolment, error) {
		var e partnernet.Enrolment
		return e, r.Scan(enrolmentFields(&e)...)
	})
	if err != nil {
		return nil, translate(fmt.Errorf("promote from the waitlist of activity %d: %w", activityID, err))
	}
	return out, nil
}

// EnrolmentGetMany returns the enrolments with the given ids in no particular order; unknown
// ids are absent.
func (s *Store) EnrolmentGetMany(ctx context.Context, ids []int64) ([]partnernet.Enrolment, error) {
	return getMany(ctx, s.db, "enrolments", "SELECT "+enrolmentColumns+" FROM enrolment e WHERE e.id = ANY($1)", ids, enrolmentFields)
}

// EnrolmentListByNewcomers returns every enrolment of each of the newcomers, newest first.
func (s *Store) EnrolmentListByNewcomers(ctx context.Context, ids []int64) ([]partnernet.Enrolment, error) {
	return getMany(ctx, s.db, "enrolments by newcomer", "SELECT "+enrolmentColumns+
		" FROM enrolment e WHERE e.newcomer_id = ANY($1) ORDER BY e.newcomer_id, e.id DESC", ids, enrolmentFields)
}

// EnrolmentListByActivities returns one page of the live (not cancelled) enrolments of each of
// the activities, in arrival order, keyed by activity id.
func (s *Store) EnrolmentListByActivities(ctx context.Context, ids []int64, p Page) (map[int64]Slice[partnernet.Enrolment], error) {
	q := enrolmentQuery()
	q.filter("e.status <> 'CANCELLED'")
	return listPageByParent(ctx, s.db, q, "e.activity_id", ids, Order{Column: OrderPosition}, p, enrolmentFields)
}

// EnrolmentCountByActivities counts the live enrolments of each of the activities.
func (s *Store) EnrolmentCountByActivities(ctx context.Context, ids []int64) (map[int64]int, error) {
	q := enrolmentQuery()
	q.filter("e.status <> 'CANCELLED'")
	return countRowsByParent(ctx, s.db, q, "e.activity_id", ids)
}

// EnrolmentCountsGetMany returns how many are enrolled and waitlisted in each of the activities;
// activities without enrolments are absent.
func (s *Store) EnrolmentCountsGetMany(ctx context.Context, ids []int64) ([]partnernet.EnrolmentCounts, error) {
	return getMany(ctx, s.db, "enrolment counts", enrolmentCountsSQL, ids, enrolmentCountFields)
}

// enrolmentCountsSQL counts the enrolled and the waitlisted of each activity of $1 that has
// any, from the index on (activity_id, status) alone.
const enrolmentCountsSQL = `SELECT activity_id,
 count(*) FILTER (WHERE status = 'ENROLLED'), count(*) FILTER (WHERE status = 'WAITLISTED')
FROM enrolment WHERE activity_id = ANY($1) GROUP BY activity_id`

// enrolmentCountFields are the scan destinations of a row of enrolmentCountsSQL.
func enrolmentCountFields(c *partnernet.EnrolmentCounts) []any {
	return []any{&c.ActivityID, &c.Enrolled, &c.Waitlisted}
}

// IdempotencyClaim claims the idempotency key of subject for operation, in the caller's
// transaction. When the key is new, it returns found false and the caller performs the
// operation and stores its result with [Store.IdempotencySave] in the same transaction; a
// concurrent claim of the same key waits for that transaction. When the key was used before, it
// returns found true and decodes the first result into result. A key used for another operation
// gives partnernet.ErrConflict.
func (s *Store) IdempotencyClaim(ctx context.Context, subject, key, operation string, result any) (found bool, err error) {
	var claimed bool
	err = s.db.QueryRow(ctx, `INSERT INTO idempotency_key (subject, key, operation, result)
VALUES ($1, $2, $3, 'null') ON CONFLICT DO NOTHING RETURNING true`, subject, key, operation).Scan(&claimed)
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return false, translate(fmt.Errorf("claim idempotency key: %w", err))
	}
	var op string
	var raw []byte
	if err := s.db.QueryRow(ctx, "SELECT operation, result FROM idempotency_key WHERE subject = $1 AND key = $2",
		subject, key).Scan(&op, &raw); err != nil {
		return false, translate(fmt.Errorf("read idempotency key: %w", err))
	}
	if op != operation {
		return false, &partnernet.Error{Code: partnernet.CodeConflict, Field: "input.idempotencyKey",
			Message: "this idempotency key was used for another request"}
	}
	if err := json.Unmarshal(raw, result); err != nil {
		return false, fmt.Errorf("decode the first result of idempotency key: %w", err)
	}
	return true, nil
}

// IdempotencySave stores the result of the operation a claimed idempotency key stands for.
func (s *Store) IdempotencySave(ctx context.Context, subject, key string, result any) error {
	raw, err := json.Marshal(result)
	if err != nil {
		return fmt.Errorf("encode result for idempotency key: %w", err)
	}
	_, err = s.db.Exec(ctx, "UPDATE idempotency_key SET result = $3 WHERE subject = $1 AND key = $2", subject, key, raw)
	return translate(wrap("save idempotency result", err))
}

// IdempotencyKeyDeleteBefore forgets the idempotency keys claimed before a time, and returns how
// many: a client retries within minutes, not weeks.
func (s *Store) IdempotencyKeyDeleteBefore(ctx context.Context, before time.Time) (int, error) {
	tag, err := s.db.Exec(ctx, "DELETE FROM idempotency_key WHERE created_at < $1", before)
	if err != nil {
		return 0, translate(fmt.Errorf("forget old idempotency keys: %w", err))
	}
	return int(tag.RowsAffected()), nil
}
