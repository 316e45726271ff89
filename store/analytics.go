package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
)

// month is the SQL of a timestamp's month, YYYY-MM in Swedish time.
func month(expr string) string {
	return "to_char(" + expr + " AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM')"
}

// ageBand is the SQL of the ten-year age band of newcomer n in the year of the timestamp at.
func ageBand(at string) string {
	return `CASE WHEN n.birth_year IS NULL THEN 'UNKNOWN'
  WHEN extract(year FROM ` + at + ` AT TIME ZONE 'Europe/Stockholm')::int - n.birth_year >= 60 THEN '60+'
  ELSE (greatest(extract(year FROM ` + at + ` AT TIME ZONE 'Europe/Stockholm')::int - n.birth_year, 0) / 10 * 10)::text || '-' ||
       (greatest(extract(year FROM ` + at + ` AT TIME ZONE 'Europe/Stockholm')::int - n.birth_year, 0) / 10 * 10 + 9)::text END`
}

// controllingMunicipality joins m, the municipality controlling newcomer n: the home of the
// municipality organisation that controls the newcomer's data (none for another controller).
// It is the MUNICIPALITY of the measures of newcomers, so that a municipality's aggregates are
// the cells of its own newcomers.
const controllingMunicipality = `LEFT JOIN organisation co ON co.id = n.controller_id AND co.kind = 'MUNICIPALITY'
LEFT JOIN municipality m ON m.id = co.home_municipality_id`

// firstLanguage joins fl, each newcomer's first language: a native one if any, else the first
// they speak; nativeLanguage is it, or UNKNOWN. One pass over the languages, not one per fact.
const (
	firstLanguage = `LEFT JOIN (SELECT DISTINCT ON (nl.newcomer_id) nl.newcomer_id, nl.language FROM newcomer_language nl
  ORDER BY nl.newcomer_id, nl.proficiency = 'NATIVE' DESC, nl.language) fl ON fl.newcomer_id = n.id`
	nativeLanguage = `coalesce(fl.language, 'UNKNOWN')`
)

// factQueries select the facts of each measure: its dimensions' values in the measure's order,
// then the newcomer counted (0 for none). Merged duplicates are left out.
var factQueries = map[string]string{
	analytics.Enrolments.Name: enrolmentFacts,
	analytics.Reach.Name:      enrolmentFacts,
	analytics.Attendance.Name: attendanceFacts,
	analytics.ShkParticipants.Name: `
SELECT ` + month("sp.enrolled_at") + `, coalesce(m.code, 'UNKNOWN'), c.language, ` + ageBand("sp.enrolled_at") + `,
       coalesce(n.gender, 'UNKNOWN'), o.slug,
       CASE WHEN sp.completed_at IS NULL THEN 'NOT_COMPLETED' ELSE 'COMPLETED' END, n.id
FROM shk_participant sp
JOIN shk_course c ON c.id = sp.course_id
JOIN organisation o ON o.id = c.organisation_id
JOIN newcomer n ON n.id = sp.newcomer_id
` + controllingMunicipality + `
WHERE n.merged_into IS NULL`,
	analytics.AdviceVisits.Name: `
SELECT ` + month("av.visited_at") + `, coalesce(m.code, 'UNKNOWN'), av.topic, o.slug, ad.id::text, coalesce(av.newcomer_id, 0)
FROM advice_visit av
JOIN advice_desk ad ON ad.id = av.desk_id
JOIN organisation o ON o.id = ad.organisation_id
LEFT JOIN municipality m ON m.id = ad.municipality_id`,
	analytics.Referrals.Name: `
SELECT ` + month("r.created_at") + `, f.slug, t.slug, r.status, r.purpose, r.newcomer_id
FROM referral r
JOIN organisation f ON f.id = r.from_org_id
JOIN organisation t ON t.id = r.to_org_id
JOIN newcomer n ON n.id = r.newcomer_id
WHERE n.merged_into IS NULL`,
	analytics.ConsentCoverage.Name: `
SELECT ` + month("n.registered_at") + `, coalesce(m.code, 'UNKNOWN'), p.purpose,
       CASE WHEN EXISTS (SELECT 1 FROM consent_record_current c
                         WHERE c.newcomer_id = n.id AND c.active AND p.purpose = ANY (c.purposes))
            THEN 'COVERED' ELSE 'NOT_COVERED' END, n.id
FROM newcomer n
CROSS JOIN unnest(ARRAY['ESTABLISHMENT_COORDINATION', 'REFERRAL', 'ACTIVITY_PARTICIPATION', 'SUPPORT_PLAN',
                        'HEALTH_COMMUNICATION', 'ADVICE', 'RESEARCH', 'STATISTICS']) AS p (purpose)
` + controllingMunicipality + `
WHERE n.merged_into IS NULL AND n.erased_at IS NULL`,
}

// attendanceFacts are the attendances recorded at occurrences of activities: the occurrence's
// month, the activity's programme, its organiser, the activity's global ID (relay's
// base64url of "Activity:<id>", unpadded) and the status. Merged newcomers' records count: the
// attendance took place.
var attendanceFacts = `
SELECT ` + month("aa.starts_at") + `, p.code, o.slug,
       rtrim(translate(encode(convert_to('Activity:' || a.id, 'UTF8'), 'base64'), '+/', '-_'), '='),
       aa.status, e.newcomer_id
FROM activity_attendance aa
JOIN enrolment e ON e.id = aa.enrolment_id
JOIN activity a ON a.id = aa.activity_id
JOIN programme p ON p.id = a.programme_id
JOIN organisation o ON o.id = a.organiser_id`

// enrolmentFacts are the enrolments in activities: month enrolled, the activity's programme,
// the newcomer's municipality, the activity's category, the newcomer's first language, age band
// and gender, and the organiser.
var enrolmentFacts = `
SELECT ` + month("e.created_at") + `, p.code, coalesce(m.code, 'UNKNOWN'), a.category, ` + nativeLanguage + `,
       ` + ageBand("e.created_at") + `, coalesce(n.gender, 'UNKNOWN'), o.slug, n.id
FROM enrolment e
JOIN activity a ON a.id = e.activity_id
JOIN programme p ON p.id = a.programme_id
JOIN organisation o ON o.id = a.organiser_id
JOIN newcomer n ON n.id = e.newcomer_id
` + controllingMunicipality + `
` + firstLanguage + `
WHERE e.status = 'ENROLLED' AND n.merged_into IS NULL`

// AnalyticsFacts returns the facts of measure m, for package analytics to count and protect,
// grouped in the database: identical facts come once with their number as weight, and a measure
// that counts every unit (not distinct newcomers) drops the unit, so millions of rows arrive as
// the far fewer combinations of their dimensions. Facts name newcomers by id for distinct
// measures; they must never be returned as they are.
func (s *Store) AnalyticsFacts(ctx context.Context, m analytics.Measure) ([]analytics.Fact, error) {
	sql, ok := factQueries[m.Name]
	if !ok {
		return nil, fmt.Errorf("analytics facts: unknown measure %q", m.Name)
	}
	n := len(m.Dimensions)
	cols := make([]string, n)
	for i := range cols {
		cols[i] = fmt.Sprintf("v%d", i)
	}
	unit := "0::bigint"
	if m.Distinct {
		unit = "u"
	}
	grouped := fmt.Sprintf("SELECT %[1]s, %[2]s, count(*)::int FROM (%[3]s) AS f (%[1]s, u) GROUP BY %[1]s, %[2]s",
		strings.Join(cols, ", "), unit, sql)
	rows, err := s.db.Query(ctx, grouped)
	if err != nil {
		return nil, translate(fmt.Errorf("analytics facts of %s: %w", m.Name, err))
	}
	facts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (analytics.Fact, error) {
		f := analytics.Fact{Values: make([]string, n)}
		dest := make([]any, 0, n+2)
		for i := range f.Values {
			dest = append(dest, &f.Values[i])
		}
		dest = append(dest, &f.Unit, &f.Weight)
		return f, r.Scan(dest...)
	})
	if err != nil {
		return nil, translate(fmt.Errorf("analytics facts of %s: %w", m.Name, err))
	}
	return facts, nil
}

// CoOrganisation is one activity organised by two organisations together (public data).
type CoOrganisation struct {
	// Organiser and CoOrganiser are the organisations' slugs.
	Organiser, CoOrganiser string
	// Programme is the activity's programme code; Month when it starts (or was created), YYYY-MM.
	Programme, Month string
}

// AnalyticsCoOrganisations returns the published or finished activities that have
// co-organisers, once per co-organiser.
func (s *Store) AnalyticsCoOrganisations(ctx context.Context) ([]CoOrganisation, error) {
	rows, err := s.db.Query(ctx, `
SELECT o.slug, co.slug, p.code, `+month("coalesce(a.starts_at, a.created_at)")+`
FROM activity_co_organiser ac
JOIN activity a ON a.id = ac.activity_id
JOIN organisation o ON o.id = a.organiser_id
JOIN organisation co ON co.id = ac.organisation_id
JOIN programme p ON p.id = a.programme_id
WHERE a.status IN ('PUBLISHED', 'FINISHED') AND ac.organisation_id <> a.organiser_id
ORDER BY a.id, co.slug`)
	if err != nil {
		return nil, translate(fmt.Errorf("co-organised activities: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CoOrganisation, error) {
		var c CoOrganisation
		return c, r.Scan(&c.Organiser, &c.CoOrganiser, &c.Programme, &c.Month)
	})
	if err != nil {
		return nil, translate(fmt.Errorf("co-organised activities: %w", err))
	}
	return out, nil
}

// SharedParticipantFacts returns, for every two organisations whose activities of one
// programme the same newcomer was enrolled in during one month, a fact with the values month,
// programme and pair "a|b" (slugs in order), and the newcomer.
func (s *Store) SharedParticipantFacts(ctx context.Context) ([]analytics.Fact, error) {
	rows, err := s.db.Query(ctx, `
WITH e AS (
  SELECT DISTINCT o.slug, p.code AS programme, `+month("en.created_at")+` AS month, en.newcomer_id
  FROM enrolment en
  JOIN activity a ON a.id = en.activity_id
  JOIN organisation o ON o.id = a.organiser_id
  JOIN programme p ON p.id = a.programme_id
  JOIN newcomer n ON n.id = en.newcomer_id
  WHERE en.status = 'ENROLLED' AND n.merged_into IS NULL
)
SELECT x.month, x.programme, x.slug || '|' || y.slug, x.newcomer_id
FROM e x JOIN e y ON y.newcomer_id = x.newcomer_id AND y.programme = x.programme AND y.month = x.month AND x.slug < y.slug`)
	if err != nil {
		return nil, translate(fmt.Errorf("shared participants: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (analytics.Fact, error) {
		f := analytics.Fact{Values: make([]string, 3)}
		return f, r.Scan(&f.Values[0], &f.Values[1], &f.Values[2], &f.Unit)
	})
	if err != nil {
		return nil, translate(fmt.Errorf("shared participants: %w", err))
	}
	return out, nil
}

// ResearchSubject is a newcomer who may be in a research extract made for an organisation: the
// active consents naming it for purpose RESEARCH, and the data an extract generalises.
type ResearchSubject struct {
	NewcomerID, ControllerID int64
	// Consents are the newcomer's active consents naming the organisation and covering RESEARCH.
	Consents []partnernet.ConsentRecord
	// Identity: birth year, gender, municipality code of residence, when registered and arrived.
	BirthYear    *int
	Gender       *string
	Municipality string
	RegisteredAt time.Time
	ArrivalDate  *time.Time
	// Languages spoken (ISO 639 codes, sorted).
	Languages []string
	// Participation: enrolments, the categories of their activities (sorted), and whether an SHK
	// course was completed.
	Enrolments         int
	ActivityCategories []string
	ShkCompleted       bool
}

// ResearchSubjects returns the newcomers, merged duplicates and erased ones left out, with an
// active consent naming organisation recipient for purpose RESEARCH, in id order. Whether each
// goes into an extract, and with what, is decided by authz.
func (s *Store) ResearchSubjects(ctx context.Context, recipient int64) ([]ResearchSubject, error) {
	rows, err := s.db.Query(ctx, `
SELECT n.id, n.controller_id, n.birth_year, n.gender, coalesce(m.code, 'UNKNOWN'), n.registered_at, n.arrival_date::timestamptz,
       coalesce((SELECT array_agg(nl.language ORDER BY nl.language) FROM newcomer_language nl WHERE nl.newcomer_id = n.id), '{}'),
       (SELECT count(*) FROM enrolment e WHERE e.newcomer_id = n.id AND e.status = 'ENROLLED')::int,
       coalesce((SELECT array_agg(DISTINCT a.category ORDER BY a.category) FROM enrolment e JOIN activity a ON a.id = e.activity_id
                 WHERE e.newcomer_id = n.id AND e.status = 'ENROLLED'), '{}'),
       EXISTS (SELECT 1 FROM shk_participant sp WHERE sp.newcomer_id = n.id AND sp.completed_at IS NOT NULL),
       array_agg(c.id ORDER BY c.id), array_agg(array_to_string(c.purposes, ',') ORDER BY c.id),
       array_agg(array_to_string(c.data_categories, ',') ORDER BY c.id)
FROM newcomer n
JOIN consent_record_current c ON c.newcomer_id = n.id AND c.active AND 'RESEARCH' = ANY (c.purposes)
JOIN consent_recipient cr ON cr.consent_record_id = c.id AND cr.organisation_id = $1
LEFT JOIN municipality m ON m.id = n.municipality_id
WHERE n.merged_into IS NULL AND n.erased_at IS NULL
GROUP BY n.id, m.code
ORDER BY n.id`, recipient)
	if err != nil {
		return nil, translate(fmt.Errorf("research subjects: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ResearchSubject, error) {
		var rs ResearchSubject
		var ids []int64
		var purposes, categories []string
		err := r.Scan(&rs.NewcomerID, &rs.ControllerID, &rs.BirthYear, &rs.Gender, &rs.Municipality, &rs.RegisteredAt,
			&rs.ArrivalDate, &rs.Languages, &rs.Enrolments, &rs.ActivityCategories, &rs.ShkCompleted, &ids, &purposes, &categories)
		for i, id := range ids {
			c := partnernet.ConsentRecord{ID: id, NewcomerID: rs.NewcomerID}
			for _, p := range strings.Split(purposes[i], ",") {
				c.Purposes = append(c.Purposes, partnernet.Purpose(p))
			}
			for _, d := range strings.Split(categories[i], ",") {
				c.DataCategories = append(c.DataCategories, partnernet.DataCategory(d))
			}
			rs.Consents = append(rs.Consents, c)
		}
		return rs, err
	})
	if err != nil {
		return nil, translate(fmt.Errorf("research subjects: %w", err))
	}
	return out, nil
}

// cohortSubjects selects every newcomer with an arrival date (merged duplicates and erased
// newcomers left out) as the cohort measures count them: the controlling municipality, arrival,
// participation, the first date of each event, the status 12 and 24 months after arrival, and
// the well-being scores of the responses statistics may count: answered ones, of newcomers whose
// latest response is no decline and who have an active consent covering STATISTICS and WELLBEING.
// Its CTEs are MATERIALIZED: each aggregate is computed once and joined, whatever the planner believes of the row counts
// (stale statistics otherwise make it re-run every aggregate per newcomer).
const cohortSubjects = `
WITH shk AS MATERIALIZED (
  SELECT sp.newcomer_id, min(sp.enrolled_at) AS started, min(sp.completed_at) AS completed
  FROM shk_participant sp GROUP BY sp.newcomer_id
), nad AS MATERIALIZED (
  SELECT e.newcomer_id, min(e.created_at) AS first
  FROM enrolment e JOIN activity a ON a.id = e.activity_id JOIN programme p ON p.id = a.programme_id
  WHERE e.status = 'ENROLLED' AND p.code = 'NAD' GROUP BY e.newcomer_id
), plans AS MATERIALIZED (
  SELECT sp.newcomer_id, min(sp.created_at) AS first FROM support_plan sp GROUP BY sp.newcomer_id
), visits AS MATERIALIZED (
  SELECT DISTINCT av.newcomer_id FROM advice_visit av WHERE av.newcomer_id IS NOT NULL
), outcomes AS MATERIALIZED (
  SELECT o.newcomer_id,
    min(o.ended_on) FILTER (WHERE o.kind = 'SFI' AND o.sfi_course = 'D' AND o.sfi_progress = 'PASSED') AS sfi_completed,
    min(o.started_on) FILTER (WHERE o.kind IN ('WORK', 'STUDIES')) AS work_or_studies,
    min(o.started_on) FILTER (WHERE o.kind = 'LEFT_REGION') AS left_region
  FROM newcomer_outcome o GROUP BY o.newcomer_id
), latest AS MATERIALIZED (
  SELECT DISTINCT ON (r.newcomer_id) r.newcomer_id, r.declined
  FROM questionnaire_response r ORDER BY r.newcomer_id, r.created_at DESC, r.id DESC
), scored AS MATERIALIZED (
  SELECT r.newcomer_id, r.created_at, r.id,
    CASE WHEN count(*) FILTER (WHERE a.item LIKE 'WHO5\_%') = 5 THEN 4 * sum(a.value) FILTER (WHERE a.item LIKE 'WHO5\_%') END AS who5,
    max(a.value) FILTER (WHERE a.item = 'SELF_RATED_HEALTH') AS srh,
    avg(a.value) FILTER (WHERE a.item LIKE 'PARTICIPATION\_%') AS part
  FROM questionnaire_response r
  JOIN latest l ON l.newcomer_id = r.newcomer_id AND NOT l.declined
  JOIN questionnaire_answer a ON a.response_id = r.id
  WHERE NOT r.declined AND EXISTS (
    SELECT 1 FROM consent_record_current c WHERE c.newcomer_id = r.newcomer_id AND c.active
      AND 'STATISTICS' = ANY (c.purposes) AND 'WELLBEING' = ANY (c.data_categories))
  GROUP BY r.newcomer_id, r.created_at, r.id
), wellbeing AS MATERIALIZED (
  SELECT s.newcomer_id,
    array_agg(s.who5::float8 ORDER BY s.created_at, s.id) FILTER (WHERE s.who5 IS NOT NULL) AS who5,
    array_agg(s.srh::float8 ORDER BY s.created_at, s.id) FILTER (WHERE s.srh IS NOT NULL) AS srh,
    array_agg(s.part::float8 ORDER BY s.created_at, s.id) FILTER (WHERE s.part IS NOT NULL) AS part
  FROM scored s GROUP BY s.newcomer_id
)
SELECT coalesce(m.code, 'UNKNOWN'), n.arrival_date,
  shk.newcomer_id IS NOT NULL, nad.newcomer_id IS NOT NULL, plans.newcomer_id IS NOT NULL, visits.newcomer_id IS NOT NULL,
  (shk.started AT TIME ZONE 'Europe/Stockholm')::date, (shk.completed AT TIME ZONE 'Europe/Stockholm')::date,
  (nad.first AT TIME ZONE 'Europe/Stockholm')::date, (plans.first AT TIME ZONE 'Europe/Stockholm')::date,
  o.sfi_completed, o.work_or_studies, o.left_region,
  EXISTS (SELECT 1 FROM newcomer_outcome w WHERE w.newcomer_id = n.id AND w.kind = 'WORK'
          AND w.started_on <= n.arrival_date + interval '12 months' AND coalesce(w.ended_on, 'infinity') >= n.arrival_date + interval '12 months'),
  EXISTS (SELECT 1 FROM newcomer_outcome w WHERE w.newcomer_id = n.id AND w.kind = 'STUDIES'
          AND w.started_on <= n.arrival_date + interval '12 months' AND coalesce(w.ended_on, 'infinity') >= n.arrival_date + interval '12 months'),
  EXISTS (SELECT 1 FROM newcomer_outcome w WHERE w.newcomer_id = n.id AND w.kind = 'WORK'
          AND w.started_on <= n.arrival_date + interval '24 months' AND coalesce(w.ended_on, 'infinity') >= n.arrival_date + interval '24 months'),
  EXISTS (SELECT 1 FROM newcomer_outcome w WHERE w.newcomer_id = n.id AND w.kind = 'STUDIES'
          AND w.started_on <= n.arrival_date + interval '24 months' AND coalesce(w.ended_on, 'infinity') >= n.arrival_date + interval '24 months'),
  coalesce(wb.who5, '{}'), coalesce(wb.srh, '{}'), coalesce(wb.part, '{}')
FROM newcomer n
` + controllingMunicipality + `
LEFT JOIN shk ON shk.newcomer_id = n.id
LEFT JOIN nad ON nad.newcomer_id = n.id
LEFT JOIN plans ON plans.newcomer_id = n.id
LEFT JOIN visits ON visits.newcomer_id = n.id
LEFT JOIN outcomes o ON o.newcomer_id = n.id
LEFT JOIN wellbeing wb ON wb.newcomer_id = n.id
WHERE n.arrival_date IS NOT NULL AND n.merged_into IS NULL AND n.erased_at IS NULL`

// CohortSubjects returns every newcomer with an arrival date as the cohort measures count them
// ([analytics.CohortSubject]), for package analytics to turn into facts. They are about people:
// they must never be returned as they are.
func (s *Store) CohortSubjects(ctx context.Context) ([]analytics.CohortSubject, error) {
	rows, err := s.db.Query(ctx, cohortSubjects)
	if err != nil {
		return nil, translate(fmt.Errorf("cohort subjects: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (analytics.CohortSubject, error) {
		var c analytics.CohortSubject
		var who5, srh, part []float64
		err := r.Scan(&c.Municipality, &c.Arrival,
			&c.Participated[0], &c.Participated[1], &c.Participated[2], &c.Participated[3],
			&c.ShkStart, &c.ShkCompletion, &c.FirstNadActivity, &c.SupportPlan, &c.SfiCompletion, &c.WorkOrStudies, &c.LeftRegion,
			&c.Work12, &c.Studies12, &c.Work24, &c.Studies24, &who5, &srh, &part)
		c.Who5, c.SelfRatedHealth, c.Participation = scoreOf(who5), scoreOf(srh), scoreOf(part)
		return c, err
	})
	if err != nil {
		return nil, translate(fmt.Errorf("cohort subjects: %w", err))
	}
	return out, nil
}

// AnalyzeCohortTables refreshes the planner's statistics of the tables the cohort measures read,
// after a bulk load (the seed's) that autovacuum has not caught up with yet.
func (s *Store) AnalyzeCohortTables(ctx context.Context) error {
	if _, err := s.db.Exec(ctx, `ANALYZE newcomer, organisation, municipality, shk_participant, enrolment, activity, support_plan,
		advice_visit, newcomer_outcome, questionnaire_response, questionnaire_answer, consent_record, consent_event`); err != nil {
		return translate(fmt.Errorf("analyze cohort tables: %w", err))
	}
	return nil
}

// scoreOf is the first and latest of a newcomer's scores, oldest first.
func scoreOf(scores []float64) analytics.Score {
	if len(scores) == 0 {
		return analytics.Score{}
	}
	return analytics.Score{First: scores[0], Last: scores[len(scores)-1], N: len(scores)}
}
