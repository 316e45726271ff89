package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// EnrolmentSetSharing links enrolment id to the consent record in which the newcomer chose to
// share data with the organisers. Run it in the transaction that made both.
func (s *Store) EnrolmentSetSharing(ctx context.Context, id, consentID int64) (partnernet.Enrolment, error) {
	var e partnernet.Enrolment
	err := s.db.QueryRow(ctx, `UPDATE enrolment e SET sharing_consent_id = $2 WHERE e.id = $1
RETURNING `+enrolmentColumns, id, consentID).Scan(enrolmentFields(&e)...)
	if err != nil {
		return e, translate(fmt.Errorf("link sharing consent of enrolment %d: %w", id, err))
	}
	return e, nil
}

// EnrolmentListLive returns the live (enrolled and waitlisted) enrolments of an activity in
// arrival order: whom a change of the activity concerns.
func (s *Store) EnrolmentListLive(ctx context.Context, activityID int64) ([]partnernet.Enrolment, error) {
	return getMany(ctx, s.db, "live enrolments", "SELECT "+enrolmentColumns+
		" FROM enrolment e WHERE e.activity_id = ANY($1) AND e.status <> 'CANCELLED' ORDER BY e.position",
		[]int64{activityID}, enrolmentFields)
}

// ConsentExpireSharing appends an EXPIRED event by actor to the sharing consents still active
// of the live enrolments of an activity (enrolmentID 0) or of one enrolment, and returns the
// newcomer ids and consent ids in step: the sharing lasts until the activity ends, or the
// newcomer leaves it. Run it in the transaction of the change.
func (s *Store) ConsentExpireSharing(ctx context.Context, activityID, enrolmentID int64, actor string) (newcomerIDs, consentIDs []int64, err error) {
	rows, err := s.db.Query(ctx, `
WITH due AS (
  SELECT r.id, r.newcomer_id FROM enrolment e
  JOIN consent_record r ON r.id = e.sharing_consent_id
  JOIN consent_record_current c ON c.id = r.id
  WHERE e.activity_id = $1 AND ($2 = 0 OR e.id = $2) AND c.last_event IN ('GIVEN', 'RENEWED')
  FOR UPDATE OF r
), expired AS (
  INSERT INTO consent_event (consent_record_id, kind, actor) SELECT due.id, 'EXPIRED', $3 FROM due
)
SELECT newcomer_id, id FROM due ORDER BY id`, activityID, enrolmentID, actor)
	if err != nil {
		return nil, nil, translate(fmt.Errorf("expire sharing consents of activity %d: %w", activityID, err))
	}
	defer rows.Close()
	for rows.Next() {
		var n, c int64
		if err := rows.Scan(&n, &c); err != nil {
			return nil, nil, fmt.Errorf("scan expired sharing consent: %w", err)
		}
		newcomerIDs, consentIDs = append(newcomerIDs, n), append(consentIDs, c)
	}
	return newcomerIDs, consentIDs, translate(rows.Err())
}

// OccurrenceCancel calls off the occurrence of activity a starting at startsAt: it records the
// cancellation with its reason, adds the start to the activity's exception dates (so calendars
// leave it out), removes the occurrence, counts a new version and announces the change when
// the activity is published. Run it in a transaction after [Store.ActivityLock]. It returns
// partnernet.ErrNotFound when the activity has no such occurrence and ErrConflict when the
// occurrence was already cancelled.
func (s *Store) OccurrenceCancel(ctx context.Context, a partnernet.Activity, startsAt time.Time, reason, by string) (partnernet.Activity, error) {
	tag, err := s.db.Exec(ctx, "DELETE FROM activity_occurrence WHERE activity_id = $1 AND starts_at = $2", a.ID, startsAt)
	if err != nil {
		return a, translate(fmt.Errorf("remove occurrence of activity %d: %w", a.ID, err))
	}
	if tag.RowsAffected() == 0 {
		return a, partnernet.Errorf(partnernet.CodeNotFound, "the activity has no occurrence starting then")
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO activity_occurrence_cancellation (activity_id, starts_at, reason, cancelled_by)
VALUES ($1, $2, $3, $4)`, a.ID, startsAt, reason, by); err != nil {
		return a, translate(fmt.Errorf("record cancelled occurrence of activity %d: %w", a.ID, err))
	}
	if _, err := s.db.Exec(ctx, `UPDATE activity SET version = version + 1, updated_at = now(),
 exdates = CASE WHEN rrule IS NULL OR $2 = ANY(exdates) THEN exdates ELSE array_append(exdates, $2) END
WHERE id = $1`, a.ID, startsAt); err != nil {
		return a, translate(fmt.Errorf("add exception to activity %d: %w", a.ID, err))
	}
	out, err := s.ActivityLock(ctx, a.ID)
	if err != nil {
		return out, err
	}
	if out.Status == partnernet.ActivityPublished {
		err = s.activityChange(ctx, a.ID, partnernet.ChangeUpdated)
	}
	return out, err
}

// OccurrenceCancellationList returns the cancelled occurrences of an activity, soonest first.
func (s *Store) OccurrenceCancellationList(ctx context.Context, activityID int64) ([]partnernet.OccurrenceCancellation, error) {
	return s.OccurrenceCancellationListByActivities(ctx, []int64{activityID})
}

// OccurrenceCancellationListByActivities returns the cancelled occurrences of each of the
// activities, by activity and start.
func (s *Store) OccurrenceCancellationListByActivities(ctx context.Context, ids []int64) ([]partnernet.OccurrenceCancellation, error) {
	return getMany(ctx, s.db, "cancelled occurrences", `SELECT activity_id, starts_at, reason, cancelled_by, cancelled_at
FROM activity_occurrence_cancellation WHERE activity_id = ANY($1) ORDER BY activity_id, starts_at`, ids,
		func(c *partnernet.OccurrenceCancellation) []any {
			return []any{&c.ActivityID, &c.StartsAt, &c.Reason, &c.CancelledBy, &c.CancelledAt}
		})
}

// OccurrenceExists reports whether activity activityID has an occurrence starting at startsAt
// (cancelled ones have none).
func (s *Store) OccurrenceExists(ctx context.Context, activityID int64, startsAt time.Time) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM activity_occurrence WHERE activity_id = $1 AND starts_at = $2)",
		activityID, startsAt).Scan(&ok)
	return ok, translate(wrap("look up occurrence", err))
}

// OccurrenceEnds returns when the last expanded occurrence of an activity ends; nil when it
// has none or its rule is open-ended (no COUNT, no UNTIL: its end is not known).
func (s *Store) OccurrenceEnds(ctx context.Context, a partnernet.Activity) (*time.Time, error) {
	if a.Schedule.RRule != nil && !ruleEnds(*a.Schedule.RRule) {
		return nil, nil
	}
	var ends *time.Time
	err := s.db.QueryRow(ctx, "SELECT max(ends_at) FROM activity_occurrence WHERE activity_id = $1", a.ID).Scan(&ends)
	return ends, translate(wrap("last occurrence", err))
}

// ruleEnds reports whether a normalised recurrence rule has an end (COUNT or UNTIL).
func ruleEnds(rule string) bool {
	return strings.Contains(rule, "COUNT=") || strings.Contains(rule, "UNTIL=")
}

// AttendanceUpsert records the attendance of enrolments at the occurrence of activity
// activityID starting at startsAt, by by; a status recorded before is replaced. Every
// enrolment must be a live one of the activity (partnernet.ErrBadUserInput otherwise). It
// returns the attendances as stored, in the order given.
func (s *Store) AttendanceUpsert(ctx context.Context, activityID int64, startsAt time.Time, enrolmentIDs []int64,
	statuses []partnernet.AttendanceStatus, by string) ([]partnernet.ActivityAttendance, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM enrolment WHERE id = ANY($1) AND activity_id = $2 AND status = 'ENROLLED'`,
		enrolmentIDs, activityID).Scan(&n); err != nil {
		return nil, translate(fmt.Errorf("check enrolments of activity %d: %w", activityID, err))
	}
	if n != len(enrolmentIDs) {
		return nil, partnernet.InputError("input.entries", "record attendance only for participants holding a place in the activity")
	}
	rows, err := s.db.Query(ctx, `
INSERT INTO activity_attendance (enrolment_id, activity_id, starts_at, status, recorded_by)
SELECT e, $2, $3, st, $5 FROM unnest($1::bigint[], $4::text[]) AS x (e, st)
ON CONFLICT (enrolment_id, starts_at) DO UPDATE SET status = EXCLUDED.status, recorded_by = EXCLUDED.recorded_by,
  recorded_at = now()
RETURNING enrolment_id, activity_id, starts_at, status, recorded_by, recorded_at`, enrolmentIDs, activityID, startsAt, statuses, by)
	if err != nil {
		return nil, translate(fmt.Errorf("record attendance at activity %d: %w", activityID, err))
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (partnernet.ActivityAttendance, error) {
		var a partnernet.ActivityAttendance
		return a, r.Scan(activityAttendanceFields(&a)...)
	})
	if err != nil {
		return nil, translate(fmt.Errorf("record attendance at activity %d: %w", activityID, err))
	}
	byEnrolment := make(map[int64]partnernet.ActivityAttendance, len(got))
	for _, a := range got {
		byEnrolment[a.EnrolmentID] = a
	}
	out := make([]partnernet.ActivityAttendance, len(enrolmentIDs))
	for i, id := range enrolmentIDs {
		out[i] = byEnrolment[id]
	}
	return out, nil
}

// activityAttendanceFields are the scan targets of an attendance row.
func activityAttendanceFields(a *partnernet.ActivityAttendance) []any {
	return []any{&a.EnrolmentID, &a.ActivityID, &a.StartsAt, &a.Status, &a.RecordedBy, &a.RecordedAt}
}

// AttendanceListByEnrolments returns the attendance recorded for each of the enrolments, by
// enrolment and occurrence.
func (s *Store) AttendanceListByEnrolments(ctx context.Context, ids []int64) ([]partnernet.ActivityAttendance, error) {
	return getMany(ctx, s.db, "attendance by enrolment", `SELECT enrolment_id, activity_id, starts_at, status, recorded_by, recorded_at
FROM activity_attendance WHERE enrolment_id = ANY($1) ORDER BY enrolment_id, starts_at`, ids, activityAttendanceFields)
}

// AttendanceCountsByActivities counts the attendance recorded at each occurrence of each of the
// activities, by activity and occurrence.
func (s *Store) AttendanceCountsByActivities(ctx context.Context, ids []int64) ([]partnernet.OccurrenceAttendance, error) {
	return getMany(ctx, s.db, "attendance counts", `SELECT activity_id, starts_at,
 count(*) FILTER (WHERE status = 'PRESENT')::int, count(*) FILTER (WHERE status = 'ABSENT')::int,
 count(*) FILTER (WHERE status = 'EXCUSED')::int
FROM activity_attendance WHERE activity_id = ANY($1) GROUP BY activity_id, starts_at ORDER BY activity_id, starts_at`, ids,
		func(o *partnernet.OccurrenceAttendance) []any {
			return []any{&o.ActivityID, &o.StartsAt, &o.Present, &o.Absent, &o.Excused}
		})
}

// ParticipantLanguage is the first language of one participant of an activity (a native one
// if known, else the first they speak; "UNKNOWN" when none is recorded), for counts.
type ParticipantLanguage struct {
	NewcomerID int64
	Language   string
}

// ParticipantLanguages returns the first language of each newcomer holding a place in the
// activity, for an aggregate whose small counts are suppressed; never to be shown one by one.
func (s *Store) ParticipantLanguages(ctx context.Context, activityID int64) ([]ParticipantLanguage, error) {
	return getMany(ctx, s.db, "participant languages", `SELECT n.id, `+nativeLanguage+`
FROM enrolment e JOIN newcomer n ON n.id = e.newcomer_id
`+firstLanguage+`
WHERE e.activity_id = ANY($1) AND e.status = 'ENROLLED' AND n.merged_into IS NULL ORDER BY n.id`, []int64{activityID},
		func(p *ParticipantLanguage) []any { return []any{&p.NewcomerID, &p.Language} })
}

// ActivityOverviewData is what the organiser's overview of an activity is made of.
type ActivityOverviewData struct {
	Enrolled, Waitlisted int
	// Sharing counts the live enrolments whose sharing consent is active.
	Sharing    int
	Attendance []partnernet.OccurrenceAttendance
	// Languages are the first languages of those holding a place, for an aggregate.
	Languages []ParticipantLanguage
}

// ActivityOverview reads the organiser's overview of an activity.
func (s *Store) ActivityOverview(ctx context.Context, activityID int64) (ActivityOverviewData, error) {
	var o ActivityOverviewData
	err := s.db.QueryRow(ctx, `SELECT count(*) FILTER (WHERE e.status = 'ENROLLED'), count(*) FILTER (WHERE e.status = 'WAITLISTED'),
 count(*) FILTER (WHERE c.active)
FROM enrolment e LEFT JOIN consent_record_current c ON c.id = e.sharing_consent_id
WHERE e.activity_id = $1 AND e.status <> 'CANCELLED'`, activityID).Scan(&o.Enrolled, &o.Waitlisted, &o.Sharing)
	if err != nil {
		return o, translate(fmt.Errorf("overview of activity %d: %w", activityID, err))
	}
	if o.Attendance, err = s.AttendanceCountsByActivities(ctx, []int64{activityID}); err != nil {
		return o, err
	}
	o.Languages, err = s.ParticipantLanguages(ctx, activityID)
	return o, err
}
