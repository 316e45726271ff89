package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// NewcomerRegister stores a newcomer with their data by category, and returns the record as
// stored. Call it inside InTx with the audit entry.
func (s *Store) NewcomerRegister(ctx context.Context, r partnernet.Registration) (partnernet.Newcomer, error) {
	n := r.Newcomer
	cols := columns{
		{"controller_id", n.ControllerID},
		{"municipality_id", n.MunicipalityID},
		{"display_name", n.DisplayName},
		{"birth_year", n.BirthYear},
		{"gender", n.Gender},
		{"arrival_date", n.ArrivalDate},
		{"plan_start_date", n.PlanStartDate},
		{"residence_municipality_id", n.ResidenceMunicipalityID},
	}
	var p params
	sql := "INSERT INTO newcomer (" + cols.names() + ") VALUES (" + p.values(cols) + ") RETURNING id"
	var id int64
	if err := s.db.QueryRow(ctx, sql, p...).Scan(&id); err != nil {
		return n, translate(fmt.Errorf("register newcomer: %w", err))
	}
	if r.Contact != nil {
		r.Contact.NewcomerID = id
	}
	if r.Health != nil {
		r.Health.NewcomerID = id
	}
	for i := range r.Languages {
		r.Languages[i].NewcomerID = id
	}
	if err := s.NewcomerDataUpsert(ctx, r.Contact, r.Languages, r.Health); err != nil {
		return n, err
	}
	batch := &pgx.Batch{}
	for _, m := range r.Family {
		batch.Queue(`INSERT INTO newcomer_family_member (newcomer_id, relation, name, birth_year, in_sweden)
VALUES ($1, $2, $3, $4, $5)`, id, m.Relation, m.Name, m.BirthYear, m.InSweden)
	}
	if b := r.Background; b != nil {
		batch.Queue(`INSERT INTO newcomer_background (newcomer_id, education_level, occupation, years_of_work, notes)
VALUES ($1, $2, $3, $4, $5)`, id, b.EducationLevel, b.Occupation, b.YearsOfWork, b.Notes)
	}
	if err := s.db.SendBatch(ctx, batch).Close(); err != nil {
		return n, translate(fmt.Errorf("store family and background of newcomer %d: %w", id, err))
	}
	got, err := s.NewcomerGetMany(ctx, []int64{id})
	if err != nil || len(got) == 0 {
		return n, fmt.Errorf("read registered newcomer %d: %w", id, err)
	}
	return got[0], nil
}

// NewcomerFamilyListByNewcomers returns the household members of the newcomers, by newcomer.
func (s *Store) NewcomerFamilyListByNewcomers(ctx context.Context, newcomerIDs []int64) ([]partnernet.FamilyMember, error) {
	return getMany(ctx, s.db, "family members", `
SELECT f.id, f.newcomer_id, f.relation, f.name, f.birth_year, f.in_sweden FROM newcomer_family_member f
WHERE f.newcomer_id = ANY($1) ORDER BY f.newcomer_id, f.id`, newcomerIDs, func(f *partnernet.FamilyMember) []any {
		return []any{&f.ID, &f.NewcomerID, &f.Relation, &f.Name, &f.BirthYear, &f.InSweden}
	})
}

// NewcomerBackgroundGetMany returns the education and work of the newcomers that have any.
func (s *Store) NewcomerBackgroundGetMany(ctx context.Context, newcomerIDs []int64) ([]partnernet.NewcomerBackground, error) {
	return getMany(ctx, s.db, "newcomer backgrounds", `
SELECT b.newcomer_id, b.education_level, b.occupation, b.years_of_work, b.notes FROM newcomer_background b
WHERE b.newcomer_id = ANY($1)`, newcomerIDs, func(b *partnernet.NewcomerBackground) []any {
		return []any{&b.NewcomerID, &b.EducationLevel, &b.Occupation, &b.YearsOfWork, &b.Notes}
	})
}

// NewcomerPossibleDuplicates returns, for each of the newcomers, the other live records of the
// same controller that are probably the same person: the same name (case and spacing aside) and
// birth year, or the same phone number or email.
func (s *Store) NewcomerPossibleDuplicates(ctx context.Context, newcomerIDs []int64) (map[int64][]partnernet.Newcomer, error) {
	rows, err := s.db.Query(ctx, `
SELECT x.id, `+newcomerColumns+`
FROM newcomer x
LEFT JOIN newcomer_contact xc ON xc.newcomer_id = x.id
JOIN newcomer n ON n.controller_id = x.controller_id AND n.id <> x.id
  AND n.merged_into IS NULL AND n.erased_at IS NULL
LEFT JOIN newcomer_contact nc ON nc.newcomer_id = n.id
WHERE x.id = ANY($1) AND (
  (lower(regexp_replace(btrim(n.display_name), '\s+', ' ', 'g')) = lower(regexp_replace(btrim(x.display_name), '\s+', ' ', 'g'))
    AND n.birth_year IS NOT DISTINCT FROM x.birth_year)
  OR (nc.phone IS NOT NULL AND regexp_replace(nc.phone, '[^0-9+]', '', 'g') = regexp_replace(xc.phone, '[^0-9+]', '', 'g'))
  OR (nc.email IS NOT NULL AND lower(nc.email) = lower(xc.email)))
ORDER BY x.id, n.id`, newcomerIDs)
	if err != nil {
		return nil, translate(fmt.Errorf("find possible duplicates: %w", err))
	}
	defer rows.Close()
	out := map[int64][]partnernet.Newcomer{}
	for rows.Next() {
		var of int64
		var n partnernet.Newcomer
		if err := rows.Scan(append([]any{&of}, newcomerFields(&n)...)...); err != nil {
			return nil, fmt.Errorf("scan possible duplicate: %w", err)
		}
		out[of] = append(out[of], n)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(fmt.Errorf("find possible duplicates: %w", err))
	}
	return out, nil
}

// NewcomerMergeCreate folds the duplicate into the survivor: the duplicate's family, languages,
// contact, health and background fill what the survivor lacks; its consents, referrals and
// plans move over; it points to the survivor; and the merge is recorded. Both records are
// locked first. Call it inside InTx with the audit entry.
func (s *Store) NewcomerMergeCreate(ctx context.Context, m partnernet.NewcomerMerge) error {
	var locked int
	if err := s.db.QueryRow(ctx, `
SELECT count(*) FROM (SELECT id FROM newcomer WHERE id = ANY($1) AND merged_into IS NULL AND erased_at IS NULL
  ORDER BY id FOR UPDATE) l`, []int64{m.SurvivorID, m.MergedID}).Scan(&locked); err != nil {
		return translate(fmt.Errorf("lock newcomers to merge: %w", err))
	}
	if locked != 2 {
		return partnernet.Errorf(partnernet.CodeConflict, "both records must exist and be neither merged nor erased")
	}
	batch := &pgx.Batch{}
	for _, stmt := range []string{
		`INSERT INTO newcomer_contact (newcomer_id, phone, email, postal_address)
SELECT $1, phone, email, postal_address FROM newcomer_contact WHERE newcomer_id = $2
ON CONFLICT (newcomer_id) DO UPDATE SET phone = coalesce(newcomer_contact.phone, EXCLUDED.phone),
  email = coalesce(newcomer_contact.email, EXCLUDED.email),
  postal_address = coalesce(newcomer_contact.postal_address, EXCLUDED.postal_address)`,
		`INSERT INTO newcomer_language (newcomer_id, language, proficiency)
SELECT $1, language, proficiency FROM newcomer_language WHERE newcomer_id = $2 ON CONFLICT DO NOTHING`,
		`INSERT INTO newcomer_health (newcomer_id, notes, updated_at)
SELECT $1, notes, updated_at FROM newcomer_health WHERE newcomer_id = $2 ON CONFLICT DO NOTHING`,
		`INSERT INTO newcomer_background (newcomer_id, education_level, occupation, years_of_work, notes)
SELECT $1, education_level, occupation, years_of_work, notes FROM newcomer_background WHERE newcomer_id = $2
ON CONFLICT DO NOTHING`,
		`UPDATE newcomer_family_member SET newcomer_id = $1 WHERE newcomer_id = $2`,
		`UPDATE consent_record SET newcomer_id = $1 WHERE newcomer_id = $2`,
		`UPDATE referral SET newcomer_id = $1 WHERE newcomer_id = $2`,
		`UPDATE support_plan SET newcomer_id = $1 WHERE newcomer_id = $2`,
		// Enrolments move over unless the survivor is already enrolled in the same activity.
		`UPDATE enrolment e SET newcomer_id = $1 WHERE e.newcomer_id = $2 AND (e.status = 'CANCELLED' OR NOT EXISTS (
  SELECT 1 FROM enrolment s WHERE s.newcomer_id = $1 AND s.activity_id = e.activity_id AND s.status <> 'CANCELLED'))`,
		// Course participation moves over unless the survivor takes part in the same course.
		`UPDATE shk_participant p SET newcomer_id = $1 WHERE p.newcomer_id = $2 AND NOT EXISTS (
  SELECT 1 FROM shk_participant s WHERE s.newcomer_id = $1 AND s.course_id = p.course_id)`,
		`UPDATE advice_visit SET newcomer_id = $1 WHERE newcomer_id = $2`,
		`UPDATE newcomer SET merged_into = $1 WHERE id = $2`,
		`UPDATE newcomer s SET last_activity_at = now(),
  arrival_date = coalesce(s.arrival_date, d.arrival_date), plan_start_date = coalesce(s.plan_start_date, d.plan_start_date),
  birth_year = coalesce(s.birth_year, d.birth_year), gender = coalesce(s.gender, d.gender)
FROM newcomer d WHERE s.id = $1 AND d.id = $2`,
	} {
		batch.Queue(stmt, m.SurvivorID, m.MergedID)
	}
	batch.Queue(`INSERT INTO newcomer_merge (survivor_id, merged_id, merged_by, reason) VALUES ($1, $2, $3, $4)`,
		m.SurvivorID, m.MergedID, m.MergedBy, m.Reason)
	// What the duplicate brought is a change of the survivor's data: a correction made on the
	// version read before the merge is stale.
	batch.Queue(`INSERT INTO newcomer_change (newcomer_id, category, version, kind, fields, changed_by)
SELECT $1, c, coalesce((SELECT max(x.version) FROM newcomer_change x WHERE x.newcomer_id = $1 AND x.category = c), 1) + 1,
  'MERGE', '{}', $3
FROM unnest($2::text[]) c`, m.SurvivorID, categoriesChangedByMerge, m.MergedBy)
	if err := s.db.SendBatch(ctx, batch).Close(); err != nil {
		return translate(fmt.Errorf("merge newcomer %d into %d: %w", m.MergedID, m.SurvivorID, err))
	}
	return nil
}

// NewcomerMergeListBySurvivors returns the merges into each of the newcomers, oldest first.
func (s *Store) NewcomerMergeListBySurvivors(ctx context.Context, survivorIDs []int64) ([]partnernet.NewcomerMerge, error) {
	return getMany(ctx, s.db, "newcomer merges", `
SELECT m.id, m.survivor_id, m.merged_id, m.merged_by, m.merged_at, m.reason FROM newcomer_merge m
WHERE m.survivor_id = ANY($1) ORDER BY m.survivor_id, m.merged_at, m.id`, survivorIDs, func(m *partnernet.NewcomerMerge) []any {
		return []any{&m.ID, &m.SurvivorID, &m.MergedID, &m.MergedBy, &m.MergedAt, &m.Reason}
	})
}

// NewcomerTouch moves the newcomers' last activity, the clock of the retention job, to now.
func (s *Store) NewcomerTouch(ctx context.Context, newcomerIDs ...int64) error {
	if _, err := s.db.Exec(ctx, "UPDATE newcomer SET last_activity_at = now() WHERE id = ANY($1)", newcomerIDs); err != nil {
		return translate(fmt.Errorf("touch newcomers: %w", err))
	}
	return nil
}
