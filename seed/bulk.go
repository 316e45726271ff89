package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// The seed's bulk SQL: the statements that load the demo network and its synthetic data, which
// the application never runs. They run on the transaction of the Store the loader was given
// ([store.Store.DB]), beside the application's own statements (AdviceDeskCreate, CourseCreate…)
// that the seed calls as any client would. Errors are translated to the domain's as the store's
// are ([store.Translate]).

// isEmpty reports whether the database holds no organisation yet, the condition for loading
// the demo network.
func isEmpty(ctx context.Context, db store.DBTX) (bool, error) {
	var empty bool
	if err := db.QueryRow(ctx, "SELECT NOT EXISTS (SELECT 1 FROM organisation)").Scan(&empty); err != nil {
		return false, store.Translate(fmt.Errorf("check for an empty database: %w", err))
	}
	return empty, nil
}

// municipalityInsertMany inserts municipalities and returns their ids by code. A code already
// present gives partnernet.ErrConflict.
func municipalityInsertMany(ctx context.Context, db store.DBTX, ms []partnernet.Municipality) (map[string]int64, error) {
	codes := make([]string, len(ms))
	names := make([]string, len(ms))
	for i, m := range ms {
		codes[i], names[i] = m.Code, m.Name
	}
	return insertReturningKeys(ctx, db, "municipalities", `
INSERT INTO municipality (code, name) SELECT * FROM unnest($1::text[], $2::text[])
RETURNING code, id`, codes, names)
}

// programmeInsertMany inserts programmes and returns their ids by code. A code already present
// gives partnernet.ErrConflict.
func programmeInsertMany(ctx context.Context, db store.DBTX, ps []partnernet.Programme) (map[string]int64, error) {
	var codes, names, namesSv, descriptions []string
	for _, p := range ps {
		codes = append(codes, string(p.Code))
		names = append(names, p.Name)
		namesSv = append(namesSv, p.NameSv)
		descriptions = append(descriptions, p.Description)
	}
	return insertReturningKeys(ctx, db, "programmes", `
INSERT INTO programme (code, name, name_sv, description)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
RETURNING code, id`, codes, names, namesSv, descriptions)
}

// organisationInsertMany inserts organisations and returns their ids by slug. A slug already
// present gives partnernet.ErrConflict; an invalid field partnernet.ErrBadUserInput.
func organisationInsertMany(ctx context.Context, db store.DBTX, orgs []partnernet.Organisation) (map[string]int64, error) {
	var (
		slugs, names, kinds, sectors []string
		shortNames, websites         []*string
		homes                        []*int64
	)
	for _, o := range orgs {
		slugs = append(slugs, o.Slug)
		names = append(names, o.Name)
		shortNames = append(shortNames, o.ShortName)
		kinds = append(kinds, string(o.Kind))
		sectors = append(sectors, string(o.Sector))
		homes = append(homes, o.HomeMunicipalityID)
		websites = append(websites, o.Website)
	}
	return insertReturningKeys(ctx, db, "organisations", `
INSERT INTO organisation (slug, name, short_name, kind, sector, home_municipality_id, website)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[])
RETURNING slug, id`, slugs, names, shortNames, kinds, sectors, homes, websites)
}

// insertReturningKeys runs an INSERT … RETURNING key, id and collects the ids by key.
func insertReturningKeys(ctx context.Context, db store.DBTX, what, sql string, args ...any) (map[string]int64, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, store.Translate(fmt.Errorf("insert %s: %w", what, err))
	}
	ids := map[string]int64{}
	var key string
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&key, &id}, func() error { ids[key] = id; return nil }); err != nil {
		return nil, store.Translate(fmt.Errorf("insert %s: %w", what, err))
	}
	return ids, nil
}

// organisationProgrammeInsertMany records which organisations take part in which programmes.
func organisationProgrammeInsertMany(ctx context.Context, db store.DBTX, ps []partnernet.ProgrammeParticipation) error {
	_, err := db.CopyFrom(ctx, pgx.Identifier{"organisation_programme"}, []string{"organisation_id", "programme_id", "role"},
		pgx.CopyFromSlice(len(ps), func(i int) ([]any, error) {
			return []any{ps[i].OrganisationID, ps[i].ProgrammeID, string(ps[i].Role)}, nil
		}))
	return store.Translate(wrap("insert programme participations", err))
}

// activityCopy bulk-loads n activities, the i-th made by next(i), with COPY into an empty
// activity table, together with their co-organisers and the occurrences of their schedules
// (expanded as of the activity's creation), and returns their ids in the same order. Like
// [newcomerCopy] it returns partnernet.ErrConflict when the table is not empty.
func activityCopy(ctx context.Context, db store.DBTX, n int, next func(i int) (partnernet.Activity, []partnernet.ActivityTranslation)) ([]int64, error) {
	// What the occurrences and co-organisers need of each activity, kept small for large loads.
	type scheduled struct {
		schedule  partnernet.Schedule
		createdAt time.Time
		co        []int64
		texts     []partnernet.ActivityTranslation
	}
	made := make([]scheduled, n)
	ids, err := copyReturningIDs(ctx, db, "activity", n,
		[]string{"organiser_id", "programme_id", "municipality_id", "title", "description", "title_en", "description_en",
			"category", "languages", "target_groups", "accessibility", "online", "online_url", "address", "latitude",
			"longitude", "starts_at", "duration_minutes", "rrule", "exdates", "capacity", "cost_sek", "cost_note",
			"contact_name", "contact_email", "contact_phone", "status", "published_at", "cancelled_at", "created_at", "updated_at"},
		func(i int) []any {
			a, texts := next(i)
			exdates := a.Schedule.ExDates
			if exdates == nil {
				exdates = []time.Time{}
			}
			duration := a.Schedule.DurationMinutes
			if duration == 0 {
				duration = 60
			}
			made[i] = scheduled{schedule: a.Schedule, createdAt: a.CreatedAt, co: a.CoOrganiserIDs, texts: texts}
			made[i].schedule.DurationMinutes = duration
			category := a.Category
			if category == "" {
				category = partnernet.ActivitySocialMeetingPlace
			}
			languages, groups := a.Languages, a.TargetGroups
			if len(languages) == 0 {
				languages = []string{"sv"}
			}
			if len(groups) == 0 {
				groups = []partnernet.TargetGroup{partnernet.TargetEveryone}
			}
			return []any{a.OrganiserID, a.ProgrammeID, a.MunicipalityID, a.Title, a.Description, a.TitleEn, a.DescriptionEn,
				string(category), languages, groups, a.Accessibility, a.Online, a.OnlineURL, a.Address, a.Latitude,
				a.Longitude, a.Schedule.StartsAt, duration, a.Schedule.RRule, exdates, a.Capacity, a.CostSEK, a.CostNote,
				a.ContactName, a.ContactEmail, a.ContactPhone, string(a.Status), a.PublishedAt, a.CancelledAt,
				a.CreatedAt, a.UpdatedAt}
		})
	if err != nil {
		return nil, err
	}
	var co [][]any
	for i, m := range made {
		for _, org := range m.co {
			co = append(co, []any{ids[i], org})
		}
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{"activity_co_organiser"}, []string{"activity_id", "organisation_id"},
		pgx.CopyFromRows(co)); err != nil {
		return nil, store.Translate(fmt.Errorf("copy co-organisers: %w", err))
	}
	// The texts in languages beyond Swedish and English (which the activity's own columns give,
	// copied into activity_text by its trigger).
	var texts [][]any
	for i, m := range made {
		for _, t := range m.texts {
			texts = append(texts, []any{ids[i], string(t.Language), t.Title, t.Description})
		}
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{"activity_text"}, []string{"activity_id", "language", "title", "description"},
		pgx.CopyFromRows(texts)); err != nil {
		return nil, store.Translate(fmt.Errorf("copy activity texts: %w", err))
	}
	// Occurrences are expanded as they are copied, one activity at a time.
	var pending []time.Time
	i := -1
	_, err = db.CopyFrom(ctx, pgx.Identifier{"activity_occurrence"}, []string{"activity_id", "starts_at", "ends_at"},
		pgx.CopyFromFunc(func() ([]any, error) {
			for len(pending) == 0 {
				if i++; i == len(made) {
					return nil, nil
				}
				var err error
				if pending, err = made[i].schedule.Occurrences(made[i].createdAt); err != nil {
					return nil, fmt.Errorf("expand the schedule of activity %d: %w", i, err)
				}
			}
			t := pending[0]
			pending = pending[1:]
			return []any{ids[i], t, t.Add(made[i].schedule.Duration())}, nil
		}))
	if err != nil {
		return nil, store.Translate(fmt.Errorf("copy occurrences: %w", err))
	}
	return ids, nil
}

// newcomerCopy bulk-loads n newcomers, the i-th made by next(i), with COPY into an empty
// newcomer table, and returns their ids in the same order. It returns partnernet.ErrConflict
// when the table is not empty: the ids are read back in insertion order, which holds only for
// rows that one COPY added to an empty table.
func newcomerCopy(ctx context.Context, db store.DBTX, n int, next func(i int) partnernet.Newcomer) ([]int64, error) {
	return copyReturningIDs(ctx, db, "newcomer", n,
		[]string{"controller_id", "municipality_id", "display_name", "birth_year", "gender", "registered_at", "arrival_date"},
		func(i int) []any {
			c := next(i)
			return []any{c.ControllerID, c.MunicipalityID, c.DisplayName, c.BirthYear, c.Gender, c.RegisteredAt, c.ArrivalDate}
		})
}

// newcomerDataCopy bulk-loads newcomers' contact data, languages and health notes.
func newcomerDataCopy(ctx context.Context, db store.DBTX, contacts []partnernet.NewcomerContact, langs []partnernet.LanguageSkill, health []partnernet.NewcomerHealth) error {
	_, err := db.CopyFrom(ctx, pgx.Identifier{"newcomer_contact"}, []string{"newcomer_id", "phone", "email", "postal_address"},
		pgx.CopyFromSlice(len(contacts), func(i int) ([]any, error) {
			c := contacts[i]
			return []any{c.NewcomerID, c.Phone, c.Email, c.PostalAddress}, nil
		}))
	if err != nil {
		return store.Translate(wrap("copy newcomer contacts", err))
	}
	_, err = db.CopyFrom(ctx, pgx.Identifier{"newcomer_language"}, []string{"newcomer_id", "language", "proficiency"},
		pgx.CopyFromSlice(len(langs), func(i int) ([]any, error) {
			l := langs[i]
			return []any{l.NewcomerID, l.Language, string(l.Proficiency)}, nil
		}))
	if err != nil {
		return store.Translate(wrap("copy newcomer languages", err))
	}
	_, err = db.CopyFrom(ctx, pgx.Identifier{"newcomer_health"}, []string{"newcomer_id", "notes", "updated_at"},
		pgx.CopyFromSlice(len(health), func(i int) ([]any, error) {
			h := health[i]
			return []any{h.NewcomerID, h.Notes, h.UpdatedAt}, nil
		}))
	return store.Translate(wrap("copy newcomer health notes", err))
}

// consentRecordCopy bulk-loads n consent records, the i-th made by next(i), with their
// recipients, into an empty consent_record table, and returns their ids in the same order. It
// returns partnernet.ErrConflict when the table is not empty. The records' events are loaded
// with [consentEventCopy].
func consentRecordCopy(ctx context.Context, db store.DBTX, n int, next func(i int) partnernet.ConsentRecord) ([]int64, error) {
	ids, err := copyReturningIDs(ctx, db, "consent_record", n,
		[]string{"newcomer_id", "controller_id", "purposes", "data_categories", "legal_basis", "method",
			"notice_language", "notice_version", "valid_from", "valid_until", "recorded_at"},
		func(i int) []any {
			c := next(i)
			return []any{c.NewcomerID, c.ControllerID, c.Purposes, c.DataCategories, string(c.LegalBasis),
				string(c.Method), c.NoticeLanguage, c.NoticeVersion, c.ValidFrom, c.ValidUntil, c.RecordedAt}
		})
	if err != nil {
		return nil, err
	}
	// Recipients: regenerate each record to read its recipients, now that its id is known, and
	// stream them rather than holding them all.
	i, j := 0, 0
	var recipients []int64
	_, err = db.CopyFrom(ctx, pgx.Identifier{"consent_recipient"}, []string{"consent_record_id", "organisation_id"},
		pgx.CopyFromFunc(func() ([]any, error) {
			for j >= len(recipients) {
				if i >= n {
					return nil, nil
				}
				recipients, j = next(i).RecipientIDs, 0
				i++
			}
			j++
			return []any{ids[i-1], recipients[j-1]}, nil
		}))
	return ids, store.Translate(wrap("copy consent recipients", err))
}

// enrolmentCopy bulk-loads n enrolments, the i-th made by next(i), with COPY, streaming them
// rather than holding them all. Their ids are not read back.
func enrolmentCopy(ctx context.Context, db store.DBTX, n int, next func(i int) partnernet.Enrolment) error {
	_, err := db.CopyFrom(ctx, pgx.Identifier{"enrolment"},
		[]string{"activity_id", "newcomer_id", "status", "position", "enrolled_by", "created_at", "updated_at"},
		pgx.CopyFromSlice(n, func(i int) ([]any, error) {
			e := next(i)
			return []any{e.ActivityID, e.NewcomerID, string(e.Status), e.Position, e.EnrolledBy, e.CreatedAt, e.UpdatedAt}, nil
		}))
	return store.Translate(wrap("copy enrolments", err))
}

// consentEventCopy bulk-loads consent events with COPY.
func consentEventCopy(ctx context.Context, db store.DBTX, events []partnernet.ConsentEvent) error {
	_, err := db.CopyFrom(ctx, pgx.Identifier{"consent_event"}, []string{"consent_record_id", "kind", "occurred_at", "actor", "valid_until"},
		pgx.CopyFromSlice(len(events), func(i int) ([]any, error) {
			e := events[i]
			actor := e.Actor
			if actor == "" {
				actor = "seed"
			}
			return []any{e.ConsentRecordID, string(e.Kind), e.OccurredAt, actor, e.ValidUntil}, nil
		}))
	return store.Translate(wrap("copy consent events", err))
}

// copyReturningIDs copies n rows into an empty table and reads their ids back in order.
func copyReturningIDs(ctx context.Context, db store.DBTX, table string, n int, columns []string, row func(i int) []any) ([]int64, error) {
	var empty bool
	if err := db.QueryRow(ctx, "SELECT NOT EXISTS (SELECT 1 FROM "+pgx.Identifier{table}.Sanitize()+")").Scan(&empty); err != nil {
		return nil, store.Translate(fmt.Errorf("check %s is empty: %w", table, err))
	}
	if !empty {
		return nil, partnernet.Errorf(partnernet.CodeConflict, "%s already holds rows; bulk loads go into an empty database", table)
	}
	_, err := db.CopyFrom(ctx, pgx.Identifier{table}, columns,
		pgx.CopyFromSlice(n, func(i int) ([]any, error) { return row(i), nil }))
	if err != nil {
		return nil, store.Translate(fmt.Errorf("copy %s: %w", table, err))
	}
	rows, err := db.Query(ctx, "SELECT id FROM "+pgx.Identifier{table}.Sanitize()+" ORDER BY id")
	if err != nil {
		return nil, store.Translate(fmt.Errorf("read %s ids: %w", table, err))
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, store.Translate(fmt.Errorf("read %s ids: %w", table, err))
	}
	if len(ids) != n {
		return nil, fmt.Errorf("copy %s: %d rows loaded, %d expected", table, len(ids), n)
	}
	return ids, nil
}

// demoActivity is a published activity the analytics demo data enrols newcomers in.
type demoActivity struct {
	ID, OrganiserID int64
	Programme       partnernet.ProgrammeCode
}

// demoNewcomer is a newcomer the analytics demo data enrols or refers.
type demoNewcomer struct {
	ID, ControllerID int64
}

// analyticsDemoTargets returns the published activities and the newcomers (not merged or
// erased), both in id order, for the analytics demo data.
func analyticsDemoTargets(ctx context.Context, db store.DBTX) ([]demoActivity, []demoNewcomer, error) {
	rows, err := db.Query(ctx, `
SELECT a.id, a.organiser_id, p.code FROM activity a JOIN programme p ON p.id = a.programme_id
WHERE a.status = 'PUBLISHED' ORDER BY a.id`)
	if err != nil {
		return nil, nil, store.Translate(fmt.Errorf("demo activities: %w", err))
	}
	activities, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (demoActivity, error) {
		var a demoActivity
		return a, r.Scan(&a.ID, &a.OrganiserID, &a.Programme)
	})
	if err != nil {
		return nil, nil, store.Translate(fmt.Errorf("demo activities: %w", err))
	}
	rows, err = db.Query(ctx, `SELECT id, controller_id FROM newcomer WHERE merged_into IS NULL AND erased_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, nil, store.Translate(fmt.Errorf("demo newcomers: %w", err))
	}
	newcomers, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (demoNewcomer, error) {
		var n demoNewcomer
		return n, r.Scan(&n.ID, &n.ControllerID)
	})
	if err != nil {
		return nil, nil, store.Translate(fmt.Errorf("demo newcomers: %w", err))
	}
	return activities, newcomers, nil
}

// analyticsDemoCopy bulk-loads enrolments (positions drawn after any an activity has), and
// referrals with their status history (SENT when made, then the status they have), for the
// analytics demo data.
func analyticsDemoCopy(ctx context.Context, db store.DBTX, enrolments []partnernet.Enrolment, referrals []partnernet.Referral) error {
	_, err := db.CopyFrom(ctx, pgx.Identifier{"enrolment"},
		[]string{"activity_id", "newcomer_id", "status", "position", "enrolled_by", "created_at", "updated_at"},
		pgx.CopyFromSlice(len(enrolments), func(i int) ([]any, error) {
			e := enrolments[i]
			return []any{e.ActivityID, e.NewcomerID, string(e.Status), e.Position, e.EnrolledBy, e.CreatedAt, e.CreatedAt}, nil
		}))
	if err != nil {
		return store.Translate(fmt.Errorf("copy demo enrolments: %w", err))
	}
	ids, err := copyReturningIDs(ctx, db, "referral", len(referrals),
		[]string{"newcomer_id", "from_org_id", "to_org_id", "service", "purpose", "status", "created_by", "created_at", "updated_at"},
		func(i int) []any {
			r := referrals[i]
			return []any{r.NewcomerID, r.FromOrgID, r.ToOrgID, r.Service, string(r.Purpose), r.Status, r.CreatedBy, r.CreatedAt, r.UpdatedAt}
		})
	if err != nil {
		return err
	}
	var events [][]any
	for i, r := range referrals {
		events = append(events, []any{ids[i], "SENT", r.CreatedBy, r.CreatedAt})
		if r.Status != "SENT" {
			events = append(events, []any{ids[i], r.Status, r.CreatedBy, r.UpdatedAt})
		}
	}
	_, err = db.CopyFrom(ctx, pgx.Identifier{"referral_event"}, []string{"referral_id", "status", "actor", "occurred_at"}, pgx.CopyFromRows(events))
	return store.Translate(wrap("copy demo referral events", err))
}

// analyticsDemoAttendance records the attendance of the demo enrolments at the first four
// occurrences of their activities: three in five present, one absent, one excused, drawn from
// a hash of the enrolment, the occurrence and seed, so that the same seed gives the same roll
// calls.
func analyticsDemoAttendance(ctx context.Context, db store.DBTX, seed uint64) error {
	_, err := db.Exec(ctx, `
INSERT INTO activity_attendance (enrolment_id, activity_id, starts_at, status, recorded_by, recorded_at)
SELECT e.id, e.activity_id, o.starts_at,
       (ARRAY['PRESENT', 'PRESENT', 'PRESENT', 'ABSENT', 'EXCUSED'])[
         1 + ((hashint8(e.id * 1000003 + extract(epoch FROM o.starts_at)::bigint + $1)::bigint % 5) + 5) % 5],
       'seed', o.starts_at
FROM enrolment e
CROSS JOIN LATERAL (SELECT ao.starts_at FROM activity_occurrence ao WHERE ao.activity_id = e.activity_id
                    ORDER BY ao.starts_at LIMIT 4) o
WHERE e.status = 'ENROLLED' AND e.enrolled_by = 'seed'
ON CONFLICT DO NOTHING`, int64(seed%(1<<31)))
	return store.Translate(wrap("record demo attendance", err))
}

// adviceVisitCopy bulk-loads visits into an empty advice_visit table with COPY, and returns their ids in the same order. It returns partnernet.ErrConflict when the table is
// not empty.
func adviceVisitCopy(ctx context.Context, db store.DBTX, visits []partnernet.AdviceVisit) ([]int64, error) {
	return copyReturningIDs(ctx, db, "advice_visit", len(visits),
		[]string{"desk_id", "visited_at", "topic", "adviser", "newcomer_id", "outcome", "recorded_at"},
		func(i int) []any {
			v := visits[i]
			return []any{v.DeskID, v.VisitedAt, string(v.Topic), v.Adviser, v.NewcomerID, v.Outcome, v.RecordedAt}
		})
}

// adviceFollowUpCopy bulk-loads follow-ups with COPY.
func adviceFollowUpCopy(ctx context.Context, db store.DBTX, followUps []partnernet.AdviceFollowUp) error {
	_, err := db.CopyFrom(ctx, pgx.Identifier{"advice_follow_up"}, []string{"visit_id", "due_at", "note", "recorded_at", "recorded_by"},
		pgx.CopyFromSlice(len(followUps), func(i int) ([]any, error) {
			f := followUps[i]
			return []any{f.VisitID, f.DueAt, f.Note, f.RecordedAt, f.RecordedBy}, nil
		}))
	return store.Translate(wrap("copy advice follow-ups", err))
}

// attendanceCopy bulk-loads attendance records with COPY; each record's
// SessionID, ParticipantID, Present, RecordedAt and RecordedBy are stored.
func attendanceCopy(ctx context.Context, db store.DBTX, records []partnernet.Attendance) error {
	_, err := db.CopyFrom(ctx, pgx.Identifier{"shk_attendance"},
		[]string{"session_id", "participant_id", "present", "recorded_at", "recorded_by"},
		pgx.CopyFromSlice(len(records), func(i int) ([]any, error) {
			a := records[i]
			return []any{a.SessionID, a.ParticipantID, a.Present, a.RecordedAt, a.RecordedBy}, nil
		}))
	return store.Translate(wrap("copy attendance", err))
}

// appendReturningIDs copies n rows into a table that may already hold some, and reads the new
// rows' ids back in order: one COPY in the seed's transaction numbers its rows in order, after
// every id the table held.
func appendReturningIDs(ctx context.Context, db store.DBTX, table string, n int, columns []string, row func(i int) []any) ([]int64, error) {
	name := pgx.Identifier{table}.Sanitize()
	var before int64
	if err := db.QueryRow(ctx, "SELECT coalesce(max(id), 0) FROM "+name).Scan(&before); err != nil {
		return nil, store.Translate(fmt.Errorf("read the last id of %s: %w", table, err))
	}
	_, err := db.CopyFrom(ctx, pgx.Identifier{table}, columns,
		pgx.CopyFromSlice(n, func(i int) ([]any, error) { return row(i), nil }))
	if err != nil {
		return nil, store.Translate(fmt.Errorf("copy %s: %w", table, err))
	}
	rows, err := db.Query(ctx, "SELECT id FROM "+name+" WHERE id > $1 ORDER BY id", before)
	if err != nil {
		return nil, store.Translate(fmt.Errorf("read %s ids: %w", table, err))
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, store.Translate(fmt.Errorf("read %s ids: %w", table, err))
	}
	if len(ids) != n {
		return nil, fmt.Errorf("copy %s: %d rows added, %d expected", table, len(ids), n)
	}
	return ids, nil
}

// text is an optional enumeration value as COPY takes it.
func text[E ~string](v *E) *string {
	if v == nil {
		return nil
	}
	s := string(*v)
	return &s
}

// journeysCopy bulk-loads the outcomes and questionnaire responses of journeys, and for those who
// share their answers a consent to statistics (purpose STATISTICS, category WELLBEING, naming the
// network lead lead), given with their first answer.
func journeysCopy(ctx context.Context, db store.DBTX, journeys []journeyOf, lead int64) error {
	var outcomes [][]any
	type response struct {
		newcomerID int64
		partnernet.QuestionnaireResponse
	}
	var responses []response
	var consents []partnernet.ConsentRecord
	for _, j := range journeys {
		for _, o := range j.outcomes {
			outcomes = append(outcomes, []any{j.newcomerID, string(o.Kind), time.Time(o.StartedOn), o.EndedOn.Time(),
				text(o.SfiCourse), text(o.SfiProgress), o.RecordedByOrgID, o.RecordedBy, o.RecordedAt, o.UpdatedAt})
		}
		for _, r := range j.responses {
			responses = append(responses, response{j.newcomerID, r})
		}
		if j.share && len(j.responses) > 0 {
			first := j.responses[0]
			consents = append(consents, partnernet.ConsentRecord{
				NewcomerID: j.newcomerID, ControllerID: j.controllerID, RecipientIDs: []int64{lead},
				Purposes: []partnernet.Purpose{partnernet.PurposeStatistics}, DataCategories: []partnernet.DataCategory{partnernet.CategoryWellbeing},
				LegalBasis: partnernet.BasisConsent, Method: partnernet.MethodDigital, NoticeLanguage: first.Language,
				NoticeVersion: "questionnaire " + first.Version, ValidFrom: first.CreatedAt, RecordedAt: first.CreatedAt,
			})
		}
	}
	_, err := db.CopyFrom(ctx, pgx.Identifier{"newcomer_outcome"}, []string{"newcomer_id", "kind", "started_on", "ended_on",
		"sfi_course", "sfi_progress", "recorded_by_org_id", "recorded_by", "recorded_at", "updated_at"}, pgx.CopyFromRows(outcomes))
	if err != nil {
		return store.Translate(wrap("copy outcomes", err))
	}
	ids, err := appendReturningIDs(ctx, db, "questionnaire_response", len(responses),
		[]string{"newcomer_id", "version", "language", "declined", "created_at"}, func(i int) []any {
			r := responses[i]
			return []any{r.newcomerID, r.Version, r.Language, r.Declined, r.CreatedAt}
		})
	if err != nil {
		return err
	}
	var answers [][]any
	for i, r := range responses {
		for _, a := range r.Answers {
			answers = append(answers, []any{ids[i], string(a.Item), a.Value})
		}
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{"questionnaire_answer"}, []string{"response_id", "item", "value"}, pgx.CopyFromRows(answers)); err != nil {
		return store.Translate(wrap("copy questionnaire answers", err))
	}
	return consentsAppend(ctx, db, consents)
}

// consentsAppend bulk-loads consent records given when they were recorded, with their
// recipients and GIVEN events, into a consent_record table that may hold records already.
func consentsAppend(ctx context.Context, db store.DBTX, consents []partnernet.ConsentRecord) error {
	ids, err := appendReturningIDs(ctx, db, "consent_record", len(consents),
		[]string{"newcomer_id", "controller_id", "purposes", "data_categories", "legal_basis", "method",
			"notice_language", "notice_version", "valid_from", "valid_until", "recorded_at"},
		func(i int) []any {
			c := consents[i]
			return []any{c.NewcomerID, c.ControllerID, c.Purposes, c.DataCategories, string(c.LegalBasis),
				string(c.Method), c.NoticeLanguage, c.NoticeVersion, c.ValidFrom, c.ValidUntil, c.RecordedAt}
		})
	if err != nil {
		return err
	}
	var recipients, events [][]any
	for i, c := range consents {
		for _, r := range c.RecipientIDs {
			recipients = append(recipients, []any{ids[i], r})
		}
		events = append(events, []any{ids[i], string(partnernet.ConsentGiven), c.ValidFrom, "seed"})
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{"consent_recipient"}, []string{"consent_record_id", "organisation_id"}, pgx.CopyFromRows(recipients)); err != nil {
		return store.Translate(wrap("copy consent recipients", err))
	}
	_, err = db.CopyFrom(ctx, pgx.Identifier{"consent_event"}, []string{"consent_record_id", "kind", "occurred_at", "actor"}, pgx.CopyFromRows(events))
	return store.Translate(wrap("copy consent events", err))
}

// wrap adds context to a non-nil error.
func wrap(context string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", context, err)
}

// publicTextCopy bulk-loads the texts of programmes, organisations, desks or courses in
// languages beyond their own columns.
func publicTextCopy(ctx context.Context, db store.DBTX, texts []partnernet.PublicText) error {
	_, err := db.CopyFrom(ctx, pgx.Identifier{"public_text"}, []string{"owner_kind", "owner_id", "language", "field", "text"},
		pgx.CopyFromSlice(len(texts), func(i int) ([]any, error) {
			t := texts[i]
			return []any{string(t.Owner), t.OwnerID, string(t.Language), string(t.Field), t.Text}, nil
		}))
	return store.Translate(wrap("copy public texts", err))
}
