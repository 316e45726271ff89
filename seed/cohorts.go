package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// Sizes of the cohort demo data.
const (
	demoCohortNewcomers = 1200 // newcomers arriving in the two years before referenceTime
	demoCohortDays      = 730
)

// LoadCohortDemo adds the cohort demo data to a database Load filled with the demo network:
// 1,200 newcomers who arrived over the two years before the demo's reference date (about 150 an
// arrival quarter), registered by the municipalities in proportion to their size, each with a
// journey: an SHK course, NAD activities, a MY PATH plan, a RÅDRUM visit (each for some), the
// outcomes the municipality and the Public Employment Service record (SFI, the establishment
// programme, work, studies, leaving the region), and answers to the questionnaire, most shared
// with statistics. So the cohort curves and outcome charts have something to show. The same
// seed gives the same data. `partnernet dev` and `partnernet seed` load it after
// LoadAnalyticsDemo.
func LoadCohortDemo(ctx context.Context, st *store.Store, seed uint64) error {
	err := st.InTx(ctx, func(tx *store.Store) error {
		db := tx.DB()
		t, err := cohortDemoTargets(ctx, db)
		if err != nil {
			return err
		}
		if len(t.municipalities) == 0 || len(t.nad) == 0 || len(t.courses) == 0 || len(t.desks) == 0 {
			return nil // not the demo network
		}
		total := 0
		for _, m := range t.municipalities {
			total += m.weight
		}
		var newcomers []partnernet.Newcomer
		var journeys []journeyOf
		for i := range demoCohortNewcomers {
			r := rand.New(rand.NewPCG(seed, kindCohortNewcomer<<48|uint64(i)))
			x, m := r.IntN(total), t.municipalities[0]
			for _, c := range t.municipalities {
				if x < c.weight {
					m = c
					break
				}
				x -= c.weight
			}
			arrival := referenceTime.AddDate(0, 0, -1-r.IntN(demoCohortDays)).Truncate(24 * time.Hour)
			registered := arrival.Add(time.Duration(2+r.IntN(30*24)) * time.Hour)
			if registered.After(referenceTime) {
				registered = referenceTime
			}
			n := partnernet.Newcomer{
				ControllerID: m.id, MunicipalityID: m.home, ArrivalDate: &arrival, RegisteredAt: registered,
				DisplayName: fmt.Sprintf("%s %s (syntetisk kohort) %d", pick(r, givenNames), pick(r, familyNames), i+1),
			}
			year := referenceTime.Year() - 18 - r.IntN(45)
			n.BirthYear = &year
			if r.IntN(10) < 9 {
				gender := pick(r, genders[:2])
				n.Gender = &gender
			}
			newcomers = append(newcomers, n)
			journeys = append(journeys, journeyOf{controllerID: m.id, municipalityID: m.home,
				journey: makeJourney(r, arrival, referenceTime, true, journeyOrgs{m.id, t.employment})})
		}
		ids, err := appendReturningIDs(ctx, db, "newcomer", len(newcomers),
			[]string{"controller_id", "municipality_id", "display_name", "birth_year", "gender", "registered_at", "arrival_date"},
			func(i int) []any {
				n := newcomers[i]
				return []any{n.ControllerID, n.MunicipalityID, n.DisplayName, n.BirthYear, text(n.Gender), n.RegisteredAt, n.ArrivalDate}
			})
		if err != nil {
			return err
		}
		for i := range journeys {
			journeys[i].newcomerID = ids[i]
		}
		if err := cohortProgrammesCopy(ctx, db, t, journeys, seed); err != nil {
			return err
		}
		return journeysCopy(ctx, db, journeys, t.lead)
	})
	if err != nil {
		return fmt.Errorf("seed cohort demo: %w", err)
	}
	// A bulk load leaves the planner's statistics stale: without them the cohort measures'
	// query plans nested loops over every newcomer (seconds rather than a tenth of one).
	if err := st.AnalyzeCohortTables(ctx); err != nil {
		return fmt.Errorf("seed cohort demo: %w", err)
	}
	return nil
}

// cohortTargets are what the cohort demo's journeys meet in the demo network.
type cohortTargets struct {
	municipalities []struct {
		id, home int64
		weight   int
	}
	// nad are the published NAD activities with the last position enrolled in each.
	nad       []int64
	positions map[int64]int64
	// courses are the demo SHK courses, by their municipality (0 for the first, any newcomer's).
	courses map[int64]int64
	desks   []int64
	// The organisations that run plans, record outcomes and receive consents to statistics.
	myPath, employment, lead int64
}

// cohortDemoTargets reads the targets of the cohort demo from the database.
func cohortDemoTargets(ctx context.Context, db store.DBTX) (cohortTargets, error) {
	t := cohortTargets{positions: map[int64]int64{}, courses: map[int64]int64{}}
	rows, err := db.Query(ctx, `SELECT id, slug, home_municipality_id FROM organisation WHERE kind = 'MUNICIPALITY' ORDER BY id`)
	if err != nil {
		return t, store.Translate(fmt.Errorf("cohort demo municipalities: %w", err))
	}
	var slug string
	var id, home int64
	_, err = pgx.ForEachRow(rows, []any{&id, &slug, &home}, func() error {
		t.municipalities = append(t.municipalities, struct {
			id, home int64
			weight   int
		}{id, home, populationWeight[slug] + 1})
		return nil
	})
	if err != nil {
		return t, store.Translate(fmt.Errorf("cohort demo municipalities: %w", err))
	}
	rows, err = db.Query(ctx, `SELECT a.id, coalesce((SELECT max(e.position) FROM enrolment e WHERE e.activity_id = a.id), 0)
FROM activity a JOIN programme p ON p.id = a.programme_id WHERE a.status = 'PUBLISHED' AND p.code = 'NAD' ORDER BY a.id`)
	if err != nil {
		return t, store.Translate(fmt.Errorf("cohort demo activities: %w", err))
	}
	var position int64
	_, err = pgx.ForEachRow(rows, []any{&id, &position}, func() error {
		t.nad = append(t.nad, id)
		t.positions[id] = position
		return nil
	})
	if err != nil {
		return t, store.Translate(fmt.Errorf("cohort demo activities: %w", err))
	}
	rows, err = db.Query(ctx, `SELECT id, coalesce(municipality_id, 0) FROM shk_course ORDER BY id`)
	if err != nil {
		return t, store.Translate(fmt.Errorf("cohort demo courses: %w", err))
	}
	_, err = pgx.ForEachRow(rows, []any{&id, &home}, func() error {
		if _, ok := t.courses[0]; !ok {
			t.courses[0] = id
		}
		t.courses[home] = id
		return nil
	})
	if err != nil {
		return t, store.Translate(fmt.Errorf("cohort demo courses: %w", err))
	}
	rows, err = db.Query(ctx, `SELECT d.id FROM advice_desk d ORDER BY d.id`)
	if err != nil {
		return t, store.Translate(fmt.Errorf("cohort demo desks: %w", err))
	}
	if t.desks, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return t, store.Translate(fmt.Errorf("cohort demo desks: %w", err))
	}
	for slug, dst := range map[string]*int64{"radda-barnen": &t.myPath, "arbetsformedlingen": &t.employment, leadSlug: &t.lead} {
		if err := db.QueryRow(ctx, `SELECT id FROM organisation WHERE slug = $1`, slug).Scan(dst); err != nil {
			return t, store.Translate(fmt.Errorf("cohort demo organisation %s: %w", slug, err))
		}
	}
	return t, nil
}

// cohortProgrammesCopy bulk-loads what the journeys met of the programmes: SHK participations
// (started, completed), NAD enrolments, MY PATH plans and RÅDRUM visits naming the newcomer.
func cohortProgrammesCopy(ctx context.Context, db store.DBTX, t cohortTargets, journeys []journeyOf, seed uint64) error {
	var participants, enrolments, plans, visits [][]any
	for i, j := range journeys {
		r := rand.New(rand.NewPCG(seed, kindJourney<<48|1<<40|uint64(i)))
		if j.shkStart != nil {
			course, ok := t.courses[j.municipalityID]
			if !ok {
				course = t.courses[0]
			}
			var doneBy *string
			if j.shkDone != nil {
				by := "seed"
				doneBy = &by
			}
			participants = append(participants, []any{course, j.newcomerID, *j.shkStart, "seed", j.shkDone, doneBy})
		}
		if j.firstNad != nil {
			taken := map[int64]bool{}
			for k := range j.nadActivities {
				at := j.firstNad.AddDate(0, 0, 30*k)
				a := t.nad[min(r.IntN(len(t.nad)), r.IntN(len(t.nad)))]
				if at.After(referenceTime) || taken[a] {
					continue
				}
				taken[a] = true
				t.positions[a]++
				enrolments = append(enrolments, []any{a, j.newcomerID, string(partnernet.EnrolmentEnrolled), t.positions[a], "seed", at, at})
			}
		}
		if j.plan != nil {
			plans = append(plans, []any{j.newcomerID, t.myPath, "supervisor@radda-barnen", "Synthetic: needs of the household.",
				"Synthetic: goals in Swedish, work and health.", *j.plan, *j.plan})
		}
		if j.visit != nil {
			visits = append(visits, []any{pick(r, t.desks), *j.visit, string(pick(r, adviceTopics)), "adviser@im", j.newcomerID,
				pick(r, adviceOutcomes), *j.visit})
		}
	}
	for _, c := range []struct {
		table   string
		columns []string
		rows    [][]any
	}{
		{"shk_participant", []string{"course_id", "newcomer_id", "enrolled_at", "enrolled_by", "completed_at", "completed_by"}, participants},
		{"enrolment", []string{"activity_id", "newcomer_id", "status", "position", "enrolled_by", "created_at", "updated_at"}, enrolments},
		{"support_plan", []string{"newcomer_id", "organisation_id", "supervisor", "needs", "goals", "created_at", "updated_at"}, plans},
		{"advice_visit", []string{"desk_id", "visited_at", "topic", "adviser", "newcomer_id", "outcome", "recorded_at"}, visits},
	} {
		if _, err := db.CopyFrom(ctx, pgx.Identifier{c.table}, c.columns, pgx.CopyFromRows(c.rows)); err != nil {
			return store.Translate(fmt.Errorf("copy cohort demo %s: %w", c.table, err))
		}
	}
	return nil
}
