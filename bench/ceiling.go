package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap-skane/partnernet/analytics"
)

// The benchmark's plain SQL ceiling: each function fetches, with hand-written statements in as
// few round trips as the data allows, the same rows as one of the benchmark's GraphQL workloads,
// without authorisation, audit or GraphQL. Each returns the number of rows of the page it read.
// This SQL is the benchmark's own, not the application's: it runs straight on the pool, and
// package store never sees it.

// ceilingDiscovery reads a page of published activities in any of languages and categories, by
// title, with their organiser and municipality names, next three occurrences and places left,
// and how many there are in all: one round trip of two statements.
func ceilingDiscovery(ctx context.Context, db *pgxpool.Pool, languages, categories []string, limit int) (int, error) {
	const where = `a.status = 'PUBLISHED' AND a.languages && $1 AND a.category = ANY($2)`
	b := &pgx.Batch{}
	var total, n int
	b.Queue("SELECT count(*) FROM activity a WHERE "+where, languages, categories).QueryRow(func(r pgx.Row) error {
		return r.Scan(&total)
	})
	b.Queue(`
SELECT a.id, a.title, a.category, a.languages, o.name, m.name,
       ARRAY(SELECT x.starts_at FROM activity_occurrence x WHERE x.activity_id = a.id AND x.starts_at >= now()
             ORDER BY x.starts_at LIMIT 3),
       greatest(0, a.capacity - (SELECT count(*) FROM enrolment e WHERE e.activity_id = a.id AND e.status = 'ENROLLED'))
FROM activity a JOIN organisation o ON o.id = a.organiser_id LEFT JOIN municipality m ON m.id = a.municipality_id
WHERE `+where+` ORDER BY a.title, a.id LIMIT $3`, languages, categories, limit).Query(func(rows pgx.Rows) error {
		var err error
		n, err = countScanned(rows)
		return err
	})
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("ceiling discovery: %w", err)
	}
	return n, nil
}

// ceilingCategory reads a page of the published activities of a category, by title, with their
// organiser and municipality names, and how many there are in all: one round trip.
func ceilingCategory(ctx context.Context, db *pgxpool.Pool, category string, limit int) (int, error) {
	const where = `a.status = 'PUBLISHED' AND a.category = $1`
	b := &pgx.Batch{}
	var total, n int
	b.Queue("SELECT count(*) FROM activity a WHERE "+where, category).QueryRow(func(r pgx.Row) error {
		return r.Scan(&total)
	})
	b.Queue(`SELECT a.id, a.title, o.name, m.name
FROM activity a JOIN organisation o ON o.id = a.organiser_id LEFT JOIN municipality m ON m.id = a.municipality_id
WHERE `+where+` ORDER BY a.title, a.id LIMIT $2`, category, limit).Query(func(rows pgx.Rows) error {
		var err error
		n, err = countScanned(rows)
		return err
	})
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("ceiling category: %w", err)
	}
	return n, nil
}

// ceilingOrganisationsTitles reads the first organisations by name, each with the titles of its
// first published activities by title: one statement.
func ceilingOrganisationsTitles(ctx context.Context, db *pgxpool.Pool, organisations, titles int) (int, error) {
	rows, err := db.Query(ctx, `
SELECT o.id, o.name, ARRAY(SELECT a.title FROM activity a WHERE a.organiser_id = o.id AND a.status = 'PUBLISHED'
                           ORDER BY a.title, a.id LIMIT $2)
FROM organisation o ORDER BY o.name, o.id LIMIT $1`, organisations, titles)
	if err != nil {
		return 0, fmt.Errorf("ceiling organisations × titles: %w", err)
	}
	n, err := countScanned(rows)
	if err != nil {
		return 0, fmt.Errorf("ceiling organisations × titles: %w", err)
	}
	return n, nil
}

// ceilingCaseload reads a page of the newcomers controller registered, by registration, with
// their identity, languages, first five consent records (state, purposes, recipients' names) and
// enrolments (with activity titles), and how many there are in all: two round trips, the page
// and then its details.
func ceilingCaseload(ctx context.Context, db *pgxpool.Pool, controller int64, limit int) (int, error) {
	const where = `n.controller_id = $1 AND n.merged_into IS NULL AND n.erased_at IS NULL`
	b := &pgx.Batch{}
	var total int
	var ids []int64
	b.Queue("SELECT count(*) FROM newcomer n WHERE "+where, controller).QueryRow(func(r pgx.Row) error {
		return r.Scan(&total)
	})
	b.Queue(`SELECT n.id, n.display_name, n.birth_year, n.gender, n.registered_at FROM newcomer n
WHERE `+where+` ORDER BY n.registered_at, n.id LIMIT $2`, controller, limit).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id int64
			var name string
			var year *int
			var gender *string
			var at time.Time
			if err := rows.Scan(&id, &name, &year, &gender, &at); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("ceiling caseload: %w", err)
	}
	b = &pgx.Batch{}
	b.Queue(`SELECT newcomer_id, language, proficiency FROM newcomer_language WHERE newcomer_id = ANY($1)
ORDER BY newcomer_id, language`, ids).Query(discardRows)
	b.Queue(`
SELECT c.newcomer_id, c.id, c.last_event, c.active, c.purposes, c.valid_from,
       ARRAY(SELECT o.name FROM consent_recipient cr JOIN organisation o ON o.id = cr.organisation_id
             WHERE cr.consent_record_id = c.id ORDER BY o.id)
FROM unnest($1::bigint[]) AS k(id)
CROSS JOIN LATERAL (SELECT * FROM consent_record_current v WHERE v.newcomer_id = k.id
                    ORDER BY v.recorded_at, v.id LIMIT 5) c`, ids).Query(discardRows)
	b.Queue(`SELECT e.newcomer_id, e.status, e.position, a.title FROM enrolment e JOIN activity a ON a.id = e.activity_id
WHERE e.newcomer_id = ANY($1) ORDER BY e.newcomer_id, e.id DESC`, ids).Query(discardRows)
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("ceiling caseload details: %w", err)
	}
	return len(ids), nil
}

// ceilingOwnActivities reads a page of an organiser's activities, whatever their status, most
// recently updated first, with their enrolment counts, and how many there are in all: one round
// trip of two statements.
func ceilingOwnActivities(ctx context.Context, db *pgxpool.Pool, organiser int64, limit int) (int, error) {
	b := &pgx.Batch{}
	var total, n int
	b.Queue("SELECT count(*) FROM activity a WHERE a.organiser_id = $1", organiser).QueryRow(func(r pgx.Row) error {
		return r.Scan(&total)
	})
	b.Queue(`
SELECT a.id, a.title, a.status, a.capacity, c.enrolled, c.waitlisted
FROM (SELECT * FROM activity WHERE organiser_id = $1 ORDER BY updated_at DESC, id DESC LIMIT $2) a
CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE e.status = 'ENROLLED') AS enrolled,
                           count(*) FILTER (WHERE e.status = 'WAITLISTED') AS waitlisted
                    FROM enrolment e WHERE e.activity_id = a.id) c
ORDER BY a.updated_at DESC, a.id DESC`, organiser, limit).Query(func(rows pgx.Rows) error {
		var err error
		n, err = countScanned(rows)
		return err
	})
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("ceiling own activities: %w", err)
	}
	return n, nil
}

// ceilingAdviceStatistics reads the advice visit statistics of the whole months (Swedish time)
// that [since, until) touches, as the API answers them, with the desks' names, counts below the default
// disclosure threshold suppressed: one statement.
func ceilingAdviceStatistics(ctx context.Context, db *pgxpool.Pool, since, until time.Time) (int, error) {
	rows, err := db.Query(ctx, `
SELECT d.name, x.month, x.topic, x.visits FROM (
  SELECT av.desk_id, to_char(av.visited_at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM') AS month, av.topic,
         CASE WHEN count(*) >= $3 THEN count(*)::int END AS visits
  FROM advice_visit av
  WHERE to_char(av.visited_at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM') >= to_char($1::timestamptz AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM')
    AND to_char(av.visited_at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM') <= to_char(($2::timestamptz - interval '1 microsecond') AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM')
  GROUP BY 1, 2, 3) x
JOIN advice_desk d ON d.id = x.desk_id ORDER BY x.desk_id, x.month, x.topic`, since, until, analytics.DefaultThreshold)
	if err != nil {
		return 0, fmt.Errorf("ceiling advice statistics: %w", err)
	}
	n, err := countScanned(rows)
	if err != nil {
		return n, fmt.Errorf("ceiling advice statistics: %w", err)
	}
	return n, nil
}

// ceilingEnrolmentsByMonthProgramme counts the enrolments in activities by month (Swedish time)
// and programme, as the analysts' aggregate does, without its disclosure control: one statement.
func ceilingEnrolmentsByMonthProgramme(ctx context.Context, db *pgxpool.Pool) (int, error) {
	rows, err := db.Query(ctx, `
SELECT to_char(e.created_at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM'), p.code, count(*)
FROM enrolment e
JOIN activity a ON a.id = e.activity_id
JOIN programme p ON p.id = a.programme_id
JOIN newcomer n ON n.id = e.newcomer_id
WHERE e.status = 'ENROLLED' AND n.merged_into IS NULL
GROUP BY 1, 2 ORDER BY 1, 2`)
	if err != nil {
		return 0, fmt.Errorf("ceiling enrolments by month and programme: %w", err)
	}
	n, err := countScanned(rows)
	if err != nil {
		return n, fmt.Errorf("ceiling enrolments by month and programme: %w", err)
	}
	return n, nil
}

// countScanned reads every row's values and counts the rows.
func countScanned(rows pgx.Rows) (int, error) {
	defer rows.Close()
	n := 0
	for rows.Next() {
		if _, err := rows.Values(); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// discardRows reads every row's values.
func discardRows(rows pgx.Rows) error {
	_, err := countScanned(rows)
	return err
}
