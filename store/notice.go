package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// NoticeChannel is the channel on which every written notice is announced (empty payload): the
// delivery workers and the subscriptions of every replica wake up on it. The notification is
// sent when the change commits, and not at all when it rolls back.
const NoticeChannel = "partnernet_notice"

// OrderCreatedAtNotice orders notices by when they were written.
const OrderCreatedAtNotice = "CREATED_AT"

const noticeColumns = `nt.id, nt.newcomer_id, nt.activity_id, nt.kind, nt.occurrence_starts_at, nt.language,
 nt.subject, nt.body, nt.created_at, nt.read_at, nt.dedup_key`

func noticeFields(n *partnernet.Notice) []any {
	return []any{&n.ID, &n.NewcomerID, &n.ActivityID, &n.Kind, &n.OccurrenceStartsAt, &n.Language,
		&n.Subject, &n.Body, &n.CreatedAt, &n.ReadAt, &n.DedupKey}
}

// NoticeRecipient is what rendering a notice needs to know of its newcomer: the language they
// chose for notices, if any, and the languages they speak natively, best first.
type NoticeRecipient struct {
	NewcomerID int64
	Preferred  *string
	Native     []string
}

// NoticeRecipients returns the language hints of each of the newcomers that exist.
func (s *Store) NoticeRecipients(ctx context.Context, ids []int64) ([]NoticeRecipient, error) {
	return getMany(ctx, s.db, "notice recipients", `SELECT n.id, p.language,
 coalesce((SELECT array_agg(l.language ORDER BY l.language) FROM newcomer_language l
           WHERE l.newcomer_id = n.id AND l.proficiency = 'NATIVE'), '{}')
FROM newcomer n LEFT JOIN notice_preference p ON p.newcomer_id = n.id
WHERE n.id = ANY($1) AND n.erased_at IS NULL AND n.merged_into IS NULL`, ids,
		func(r *NoticeRecipient) []any { return []any{&r.NewcomerID, &r.Preferred, &r.Native} })
}

// NoticeInsert writes rendered notices to the outbox, each with a pending delivery per channel,
// in the caller's transaction, and announces them on [NoticeChannel] at commit. A notice whose
// DedupKey was written before is left out. It returns the notices written.
func (s *Store) NoticeInsert(ctx context.Context, notices []partnernet.Notice) ([]partnernet.Notice, error) {
	if len(notices) == 0 {
		return nil, nil
	}
	var newcomers, activities []int64
	var kinds, languages, subjects, bodies, keys []string
	var occurrences []*time.Time
	for _, n := range notices {
		var activity int64
		if n.ActivityID != nil {
			activity = *n.ActivityID
		}
		newcomers, activities = append(newcomers, n.NewcomerID), append(activities, activity)
		kinds, languages = append(kinds, string(n.Kind)), append(languages, n.Language)
		subjects, bodies, keys = append(subjects, n.Subject), append(bodies, n.Body), append(keys, n.DedupKey)
		occurrences = append(occurrences, n.OccurrenceStartsAt)
	}
	rows, err := s.db.Query(ctx, `
WITH nt AS (
  INSERT INTO notice (newcomer_id, activity_id, kind, occurrence_starts_at, language, subject, body, dedup_key)
  SELECT n, nullif(a, 0), k, o, l, s, b, d
  FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS x (n, a, k, o, l, s, b, d)
  ON CONFLICT (dedup_key) DO NOTHING
  RETURNING *
), deliveries AS (
  INSERT INTO notice_delivery (notice_id, channel) SELECT nt.id, c FROM nt, unnest(ARRAY['EMAIL', 'SMS']) AS c
), announced AS (
  SELECT pg_notify($9, '') WHERE EXISTS (SELECT 1 FROM nt)
)
SELECT `+noticeColumns+` FROM nt, (SELECT count(*) FROM announced) AS a ORDER BY nt.id`,
		newcomers, activities, kinds, occurrences, languages, subjects, bodies, keys, NoticeChannel)
	if err != nil {
		return nil, translate(fmt.Errorf("write notices: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (partnernet.Notice, error) {
		var n partnernet.Notice
		return n, r.Scan(noticeFields(&n)...)
	})
	if err != nil {
		return nil, translate(fmt.Errorf("write notices: %w", err))
	}
	return out, nil
}

// noticeQuery is the list of notices.
func noticeQuery() *listQuery {
	return &listQuery{
		from: "notice nt", columns: noticeColumns, idExpr: "nt.id",
		sorts: map[string]sortColumn{OrderCreatedAtNotice: {"nt.created_at", "timestamptz"}},
	}
}

// NoticeListByNewcomers returns one page of the notices of each of the newcomers, keyed by
// newcomer id.
func (s *Store) NoticeListByNewcomers(ctx context.Context, ids []int64, o Order, p Page) (map[int64]Slice[partnernet.Notice], error) {
	return listPageByParent(ctx, s.db, noticeQuery(), "nt.newcomer_id", ids, o, p, noticeFields)
}

// NoticeCountByNewcomers counts the notices of each of the newcomers.
func (s *Store) NoticeCountByNewcomers(ctx context.Context, ids []int64) (map[int64]int, error) {
	return countRowsByParent(ctx, s.db, noticeQuery(), "nt.newcomer_id", ids)
}

// NoticeListAfter returns the notices written after id, oldest first, at most limit: what the
// subscriptions of a replica have not yet seen.
func (s *Store) NoticeListAfter(ctx context.Context, after int64, limit int) ([]partnernet.Notice, error) {
	rows, err := s.db.Query(ctx, "SELECT "+noticeColumns+" FROM notice nt WHERE nt.id > $1 ORDER BY nt.id LIMIT $2", after, limit)
	if err != nil {
		return nil, translate(fmt.Errorf("list notices: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (partnernet.Notice, error) {
		var n partnernet.Notice
		return n, r.Scan(noticeFields(&n)...)
	})
	return out, translate(wrap("list notices", err))
}

// NoticeLatest returns the id of the latest notice, 0 when there is none.
func (s *Store) NoticeLatest(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, "SELECT coalesce(max(id), 0) FROM notice").Scan(&id)
	return id, translate(wrap("latest notice", err))
}

// NoticeMarkRead marks the newcomer's notices with the given ids read (those read already keep
// their time) and returns them; ids of others' notices are ignored.
func (s *Store) NoticeMarkRead(ctx context.Context, newcomerID int64, ids []int64) ([]partnernet.Notice, error) {
	rows, err := s.db.Query(ctx, `WITH nt AS (UPDATE notice SET read_at = coalesce(read_at, now())
WHERE newcomer_id = $1 AND id = ANY($2) RETURNING *) SELECT `+noticeColumns+` FROM nt ORDER BY nt.id`, newcomerID, ids)
	if err != nil {
		return nil, translate(fmt.Errorf("mark notices read: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (partnernet.Notice, error) {
		var n partnernet.Notice
		return n, r.Scan(noticeFields(&n)...)
	})
	return out, translate(wrap("mark notices read", err))
}

// NoticeDeliveryListByNotices returns the deliveries of each of the notices, by notice and
// channel.
func (s *Store) NoticeDeliveryListByNotices(ctx context.Context, ids []int64) ([]partnernet.NoticeDelivery, error) {
	return getMany(ctx, s.db, "notice deliveries", `SELECT id, notice_id, channel, status, attempts, next_attempt_at, last_error, sent_at
FROM notice_delivery WHERE notice_id = ANY($1) ORDER BY notice_id, channel`, ids, deliveryFields)
}

// deliveryFields are the scan targets of a delivery row.
func deliveryFields(d *partnernet.NoticeDelivery) []any {
	return []any{&d.ID, &d.NoticeID, &d.Channel, &d.Status, &d.Attempts, &d.NextAttemptAt, &d.LastError, &d.SentAt}
}

// NoticePreferenceGetMany returns the notice preferences of the newcomers that set any.
func (s *Store) NoticePreferenceGetMany(ctx context.Context, ids []int64) ([]partnernet.NoticePreference, error) {
	return getMany(ctx, s.db, "notice preferences", `SELECT newcomer_id, language, email, sms
FROM notice_preference WHERE newcomer_id = ANY($1)`, ids,
		func(p *partnernet.NoticePreference) []any { return []any{&p.NewcomerID, &p.Language, &p.Email, &p.SMS} })
}

// NoticePreferenceUpsert stores a newcomer's notice preferences and returns them as stored.
func (s *Store) NoticePreferenceUpsert(ctx context.Context, p partnernet.NoticePreference) (partnernet.NoticePreference, error) {
	var out partnernet.NoticePreference
	err := s.db.QueryRow(ctx, `INSERT INTO notice_preference (newcomer_id, language, email, sms) VALUES ($1, $2, $3, $4)
ON CONFLICT (newcomer_id) DO UPDATE SET language = $2, email = $3, sms = $4, updated_at = now()
RETURNING newcomer_id, language, email, sms`, p.NewcomerID, p.Language, p.Email, p.SMS).
		Scan(&out.NewcomerID, &out.Language, &out.Email, &out.SMS)
	return out, translate(wrap(fmt.Sprintf("store notice preferences of newcomer %d", p.NewcomerID), err))
}

// ClaimedDelivery is a delivery a worker claimed: the delivery (its Attempts the fencing token
// of this claim), its notice, and where to send it now.
type ClaimedDelivery struct {
	Delivery partnernet.NoticeDelivery
	Notice   partnernet.Notice
	// Email and Phone are the newcomer's current contact (nil when none); Wants is whether
	// their preferences let this channel reach them.
	Email, Phone *string
	Wants        bool
}

// NoticeDeliveryClaim claims up to limit deliveries due at now: pending ones whose next attempt
// is due, and those claimed before whose lease ran out (their worker died between claim and
// mark). Each is locked with FOR UPDATE SKIP LOCKED, so concurrent workers (replicas) never
// claim the same one, and moved to SENDING with a lease until now+lease and one more attempt.
// Run it outside a transaction: the claim commits at once, so that a crash after it leaves a
// lease that runs out rather than a lock that vanishes.
func (s *Store) NoticeDeliveryClaim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]ClaimedDelivery, error) {
	rows, err := s.db.Query(ctx, `
WITH due AS (
  SELECT d.id FROM notice_delivery d
  WHERE (d.status = 'PENDING' AND d.next_attempt_at <= $1) OR (d.status = 'SENDING' AND d.claimed_until <= $1)
  ORDER BY d.id LIMIT $3
  FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE notice_delivery d SET status = 'SENDING', attempts = d.attempts + 1, claimed_until = $2
  FROM due WHERE d.id = due.id
  RETURNING d.id, d.notice_id, d.channel, d.status, d.attempts, d.next_attempt_at, d.last_error, d.sent_at
)
SELECT c.id, c.notice_id, c.channel, c.status, c.attempts, c.next_attempt_at, c.last_error, c.sent_at, `+noticeColumns+`,
       ct.email, ct.phone,
       CASE c.channel WHEN 'EMAIL' THEN coalesce(p.email, true) ELSE coalesce(p.sms, true) END
FROM claimed c
JOIN notice nt ON nt.id = c.notice_id
LEFT JOIN newcomer_contact ct ON ct.newcomer_id = nt.newcomer_id
LEFT JOIN notice_preference p ON p.newcomer_id = nt.newcomer_id
ORDER BY c.id`, now, now.Add(lease), limit)
	if err != nil {
		return nil, translate(fmt.Errorf("claim notice deliveries: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ClaimedDelivery, error) {
		var c ClaimedDelivery
		dest := append(deliveryFields(&c.Delivery), noticeFields(&c.Notice)...)
		return c, r.Scan(append(dest, &c.Email, &c.Phone, &c.Wants)...)
	})
	return out, translate(wrap("claim notice deliveries", err))
}

// NoticeDeliveryFinish ends the claim attempt of delivery id: SENT, FAILED or SKIPPED for good,
// or PENDING again at next. It applies only while the claim is still this one (status SENDING
// and attempts as claimed: a worker whose lease ran out and was claimed again changes nothing),
// and reports whether it did.
func (s *Store) NoticeDeliveryFinish(ctx context.Context, id int64, attempt int, status partnernet.DeliveryStatus, next time.Time, lastError *string) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE notice_delivery SET status = $3, claimed_until = NULL, last_error = $5,
 next_attempt_at = CASE WHEN $3 = 'PENDING' THEN $4 ELSE next_attempt_at END,
 sent_at = CASE WHEN $3 = 'SENT' THEN now() ELSE sent_at END
WHERE id = $1 AND attempts = $2 AND status = 'SENDING'`, id, attempt, status, next, lastError)
	if err != nil {
		return false, translate(fmt.Errorf("finish notice delivery %d: %w", id, err))
	}
	return tag.RowsAffected() == 1, nil
}

// ReminderTarget is a newcomer holding a place at an occurrence of a published activity.
type ReminderTarget struct {
	ActivityID int64
	StartsAt   time.Time
	NewcomerID int64
}

// ReminderTargets returns who holds a place at the occurrences of published activities starting
// in [from, until) and has had no reminder of it yet, at most limit, by occurrence.
func (s *Store) ReminderTargets(ctx context.Context, from, until time.Time, limit int) ([]ReminderTarget, error) {
	rows, err := s.db.Query(ctx, `
SELECT o.activity_id, o.starts_at, e.newcomer_id
FROM activity_occurrence o
JOIN activity a ON a.id = o.activity_id AND a.status = 'PUBLISHED'
JOIN enrolment e ON e.activity_id = o.activity_id AND e.status = 'ENROLLED'
WHERE o.starts_at >= $1 AND o.starts_at < $2
  AND NOT EXISTS (SELECT 1 FROM notice nt WHERE nt.newcomer_id = e.newcomer_id AND nt.activity_id = o.activity_id
                  AND nt.kind = 'REMINDER' AND nt.occurrence_starts_at = o.starts_at)
ORDER BY o.starts_at, o.activity_id, e.position
LIMIT $3`, from, until, limit)
	if err != nil {
		return nil, translate(fmt.Errorf("list reminders due: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReminderTarget, error) {
		var t ReminderTarget
		return t, r.Scan(&t.ActivityID, &t.StartsAt, &t.NewcomerID)
	})
	return out, translate(wrap("list reminders due", err))
}

// reminderLock is the advisory lock that keeps replicas from writing reminders at once.
const reminderLock = 0x7061727465727032 // "partnerp2"

// ReminderLock takes the reminders' advisory lock for the caller's transaction and reports
// whether it got it: false while another replica writes reminders.
func (s *Store) ReminderLock(ctx context.Context) (bool, error) {
	var mine bool
	err := s.db.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock($1)", reminderLock).Scan(&mine)
	return mine, translate(wrap("take the reminder lock", err))
}
