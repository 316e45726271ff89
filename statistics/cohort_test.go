package statistics_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/analytics/attack"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/statistics"
	"github.com/partnerskap-skane/partnernet/store"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// cohortBundle is a service over the demo network without synthetic newcomers, for cohorts a test
// seeds itself, and a clock of its own.
type cohortBundle struct {
	*testBundle
	pool store.DBTX
	now  time.Time
}

func cohortSetup(t *testing.T, now time.Time) *cohortBundle {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	_, err := seed.Load(ctx, st, seed.Options{Seed: 1}, nil)
	require.NoError(t, err)
	az, err := authz.New(ctx, st)
	require.NoError(t, err)
	b := &testBundle{store: &countingStore{Store: st, loads: map[string]int{}}, authz: az, orgs: map[string]int64{}}
	for _, slug := range []string{"malmo-universitet", "malmo", "lund", "arbetsformedlingen", authz.NetworkLeadSlug} {
		o, err := st.OrganisationGetBySlug(ctx, slug)
		require.NoError(t, err)
		b.orgs[slug] = o.ID
	}
	return &cohortBundle{testBundle: b, pool: pool, now: now}
}

// service returns a service whose follow-up ends at the bundle's now.
func (b *cohortBundle) service() *statistics.Service {
	return statistics.New(statistics.Config{Store: b.store, Authz: b.authz, Now: func() time.Time { return b.now }})
}

// newcomers registers n newcomers of the organisation slug who arrived on arrival.
func (b *cohortBundle) newcomers(t *testing.T, slug string, n int, arrival time.Time) []int64 {
	t.Helper()
	var ids []int64
	for range n {
		ids = append(ids, testfactory.Newcomer(context.Background(), t, b.pool, &testfactory.NewcomerOpts{
			ControllerID: b.orgs[slug], ArrivalDate: &arrival}).ID)
	}
	return ids
}

// TestCohortCurveMatchesHandComputation seeds the cohort of the hand computation of package
// analytics (TestCohortCurveByHand) in the database, through the outcomes partners record, and
// checks the service's curve, median and shares against the computation by hand.
//
//	A, B (10)  start work 2 months after arrival      C (5)  start studies after 5 months
//	D (5)      leave the region after 3 months        E (5)  neither, followed for 18 months
//	F (5)      start work after 10 months
func TestCohortCurveMatchesHandComputation(t *testing.T) {
	t.Parallel()
	arrival := time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
	b := cohortSetup(t, time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC))
	ctx := context.Background()
	at := func(months int) time.Time { return arrival.AddDate(0, months, 0) }
	for _, g := range []struct {
		n     int
		kind  partnernet.OutcomeKind
		after int
	}{
		{10, partnernet.OutcomeWork, 2}, {5, partnernet.OutcomeStudies, 5}, {5, partnernet.OutcomeLeftRegion, 3}, {5, "", 0}, {5, partnernet.OutcomeWork, 10},
	} {
		for _, id := range b.newcomers(t, "malmo", g.n, arrival) {
			if g.kind != "" {
				testfactory.Outcome(ctx, t, b.pool, &testfactory.OutcomeOpts{NewcomerID: id, Kind: g.kind, StartedOn: at(g.after),
					RecordedByOrgID: b.orgs["arbetsformedlingen"]})
			}
		}
	}
	s := b.service()
	got, err := s.Cohort(b.as("malmo-universitet", authz.RoleAnalyst), statistics.CohortRequest{Outcome: "WORK_OR_STUDIES", GroupBy: []string{"COHORT"}})
	require.NoError(t, err)
	require.Equal(t, []string{"COHORT"}, got.GroupBy)
	require.Len(t, got.Groups, 1)
	g := got.Groups[0]
	require.Equal(t, []string{"2025-Q1"}, g.Key)
	require.Equal(t, 30, *g.Size)
	// By hand: 10 of 30 by 3 months; 20 at risk in 3–6 months, 5 events before the 5 censored:
	// 1 − 2/3 × 15/20 = 1/2; by 9 still 1/2; by 12, 10 at risk, 5 events: 1 − 1/2 × 5/10 = 3/4;
	// by 18, 3/4; in 18–24 all 5 left are censored, none observed to its end: the curve stops.
	want := []analytics.CurvePoint{{Month: 0}, {Month: 3, Reached: 1.0 / 3}, {Month: 6, Reached: 0.5}, {Month: 9, Reached: 0.5},
		{Month: 12, Reached: 0.75}, {Month: 18, Reached: 0.75}}
	require.Len(t, g.Curve, len(want))
	for i, p := range want {
		require.Equal(t, p.Month, g.Curve[i].Month)
		require.InDelta(t, p.Reached, g.Curve[i].Reached, 1e-12, "by month %d", p.Month)
	}
	require.Equal(t, 6, *g.Median)
	require.False(t, g.Estimated)

	// Where they stood 12 months after arrival: 15 in work, 5 in studies, 5 in neither; the 5 who
	// left are not followed.
	got, err = s.Cohort(b.as("malmo-universitet", authz.RoleAnalyst), statistics.CohortRequest{Outcome: "AT_12_MONTHS", GroupBy: []string{"COHORT"}})
	require.NoError(t, err)
	cells := map[string][2]float64{}
	for _, c := range got.Groups[0].Cells {
		share := -1.0
		if c.Share != nil {
			share = *c.Share
		}
		cells[c.Value] = [2]float64{float64(*c.Count), share}
	}
	require.Equal(t, map[string][2]float64{"WORK": {15, 0.6}, "STUDIES": {5, 0.2}, "NEITHER": {5, 0.2}, "NOT_FOLLOWED": {5, -1}}, cells)

	// Malmö's coordinator sees the same curve, of Malmö's newcomers.
	got, err = s.Cohort(b.as("malmo", authz.RoleCoordinator), statistics.CohortRequest{Outcome: "WORK_OR_STUDIES", GroupBy: []string{"COHORT"}})
	require.NoError(t, err)
	require.Equal(t, []string{"MUNICIPALITY", "COHORT"}, got.GroupBy)
	require.Equal(t, []string{"1280", "2025-Q1"}, got.Groups[0].Key)
	require.Len(t, got.Groups[0].Curve, len(want))
	require.InDelta(t, 0.75, got.Groups[0].Curve[5].Reached, 1e-12)
}

// TestDeclinedCountedNowhere seeds newcomers who answered the questionnaire twice, improving, in
// four ways: sharing their answers; sharing them and then declining the questionnaire; not
// sharing them; sharing them and withdrawing that consent. Only the first count in the
// well-being measures; every newcomer counts in the cohort.
func TestDeclinedCountedNowhere(t *testing.T) {
	t.Parallel()
	arrival := time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
	b := cohortSetup(t, time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC))
	ctx := context.Background()
	low, high := 2, 4 // WHO-5 40, then 80
	answer := func(id int64, shared bool) {
		testfactory.Response(ctx, t, b.pool, &testfactory.ResponseOpts{NewcomerID: id, Who5: &low, SelfRatedHealth: 2, Shared: shared})
		testfactory.Response(ctx, t, b.pool, &testfactory.ResponseOpts{NewcomerID: id, Who5: &high, SelfRatedHealth: 4})
	}
	counted := b.newcomers(t, "malmo", 20, arrival)
	declined := b.newcomers(t, "malmo", 5, arrival)
	unshared := b.newcomers(t, "malmo", 5, arrival)
	withdrawn := b.newcomers(t, "malmo", 5, arrival)
	for _, id := range counted {
		answer(id, true)
	}
	for _, id := range declined {
		answer(id, true)
		testfactory.Response(ctx, t, b.pool, &testfactory.ResponseOpts{NewcomerID: id, Declined: true})
	}
	for _, id := range unshared {
		answer(id, false)
	}
	for _, id := range withdrawn {
		testfactory.Response(ctx, t, b.pool, &testfactory.ResponseOpts{NewcomerID: id, Who5: &low})
		testfactory.Response(ctx, t, b.pool, &testfactory.ResponseOpts{NewcomerID: id, Who5: &high})
		testfactory.Consent(ctx, t, b.pool, &testfactory.ConsentOpts{NewcomerID: id, Purposes: []partnernet.Purpose{partnernet.PurposeStatistics},
			DataCategories: []partnernet.DataCategory{partnernet.CategoryWellbeing}, Withdrawn: true})
	}

	// What the store hands the measures: no score of anyone but those who share.
	subjects, err := b.store.CohortSubjects(ctx)
	require.NoError(t, err)
	require.Len(t, subjects, 35, "every newcomer is in the cohort")
	scored := 0
	for _, s := range subjects {
		if s.Who5.N > 0 || s.SelfRatedHealth.N > 0 || s.Participation.N > 0 {
			require.Equal(t, analytics.Score{First: 40, Last: 80, N: 2}, s.Who5)
			scored++
		}
	}
	require.Equal(t, 20, scored)

	s := b.service()
	for _, measure := range []string{"WHO5_CHANGE", "SELF_RATED_HEALTH_CHANGE", "PARTICIPATION_CHANGE"} {
		for _, groupBy := range [][]string{nil, {"COHORT"}, {"MUNICIPALITY"}, {"PARTICIPATION"}} {
			req := statistics.CohortRequest{Outcome: measure, GroupBy: groupBy}
			if slices.Contains(groupBy, "PARTICIPATION") {
				req.Programme = "NAD"
			}
			got, err := s.Cohort(b.as("malmo-universitet", authz.RoleAnalyst), req)
			require.NoError(t, err)
			require.Len(t, got.Groups, 1)
			g := got.Groups[0]
			require.Equal(t, 35, *g.Size, "the cohort counts everyone")
			values := map[string]*int{}
			for _, c := range g.Cells {
				values[c.Value] = c.Count
				if c.Value == analytics.NoAnswer {
					require.True(t, c.Suppressed, "those without a counted answer are never published")
				}
			}
			switch measure {
			case "PARTICIPATION_CHANGE": // nobody answered the participation questions
				require.Equal(t, []string{analytics.NoAnswer}, keys(values))
			default:
				require.Equal(t, []string{"IMPROVED", analytics.NoAnswer}, keys(values), "%s by %v", measure, groupBy)
				require.Equal(t, 20, *values["IMPROVED"], "%s by %v: the 20 who share, and nobody else", measure, groupBy)
			}
		}
	}
}

// keys returns the keys of a map, sorted.
func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestMunicipalityAggregates checks item 4 on the demo data: a municipality's coordinator sees
// the aggregates and cohort measures of the newcomers their municipality controls, exactly as
// analysts see those cells, and is refused another municipality's.
func TestMunicipalityAggregates(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.NoError(t, seed.LoadCohortDemo(context.Background(), b.store.Store, 1))
	lund, err := b.store.OrganisationGetBySlug(context.Background(), "lund")
	require.NoError(t, err)
	b.orgs["lund"] = lund.ID
	s := b.service(time.Hour)
	analyst := b.as("malmo-universitet", authz.RoleAnalyst)
	for _, tt := range []struct {
		slug, code string
	}{{"malmo", "1280"}, {"lund", "1281"}} {
		coordinator := b.as(tt.slug, authz.RoleCoordinator)
		t.Run(tt.slug, func(t *testing.T) {
			// An aggregate: broken down by MUNICIPALITY, their own cells only, as analysts see them.
			mine, err := s.Aggregate(coordinator, statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"MONTH"}})
			require.NoError(t, err)
			require.Equal(t, []string{"MONTH", "MUNICIPALITY"}, mine.Dimensions)
			all, err := s.Aggregate(analyst, statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"MONTH", "MUNICIPALITY"},
				Filter: statistics.AggregateFilter{Values: map[string][]string{"MUNICIPALITY": {tt.code}}}})
			require.NoError(t, err)
			require.NotEmpty(t, mine.Cells)
			require.Equal(t, all.Cells, mine.Cells)

			// A cohort measure likewise.
			cohorts, err := s.Cohort(coordinator, statistics.CohortRequest{Outcome: "SHK_START", GroupBy: []string{"COHORT"}})
			require.NoError(t, err)
			require.Equal(t, []string{"MUNICIPALITY", "COHORT"}, cohorts.GroupBy)
			require.NotEmpty(t, cohorts.Groups)
			for _, g := range cohorts.Groups {
				require.Equal(t, tt.code, g.Key[0])
			}
			analysts, err := s.Cohort(analyst, statistics.CohortRequest{Outcome: "SHK_START", GroupBy: []string{"MUNICIPALITY", "COHORT"},
				Filter: statistics.CohortFilter{Municipalities: []string{tt.code}}})
			require.NoError(t, err)
			require.Equal(t, analysts.Groups, cohorts.Groups)
		})
	}

	// Malmö's coordinator is refused Lund's, and what does not count newcomers by municipality.
	malmo := b.as("malmo", authz.RoleCoordinator)
	refusals := []struct {
		name string
		do   func() error
		want partnernet.Code
	}{
		{"Lund's enrolments", func() error {
			_, err := s.Aggregate(malmo, statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"MUNICIPALITY"},
				Filter: statistics.AggregateFilter{Values: map[string][]string{"MUNICIPALITY": {"1281"}}}})
			return err
		}, partnernet.CodeForbidden},
		{"Lund's cohorts", func() error {
			_, err := s.Cohort(malmo, statistics.CohortRequest{Outcome: "SHK_START", GroupBy: []string{"MUNICIPALITY"},
				Filter: statistics.CohortFilter{Municipalities: []string{"1280", "1281"}}})
			return err
		}, partnernet.CodeForbidden},
		{"advice visits, by desk municipality", func() error {
			_, err := s.Aggregate(malmo, statistics.AggregateRequest{Measure: "ADVICE_VISITS"})
			return err
		}, partnernet.CodeForbidden},
		{"referrals", func() error {
			_, err := s.Aggregate(malmo, statistics.AggregateRequest{Measure: "REFERRALS"})
			return err
		}, partnernet.CodeForbidden},
		{"three dimensions besides MUNICIPALITY", func() error {
			_, err := s.Aggregate(malmo, statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"MONTH", "GENDER", "AGE_BAND"}})
			return err
		}, partnernet.CodeBadUserInput},
		{"two groupings besides MUNICIPALITY", func() error {
			_, err := s.Cohort(malmo, statistics.CohortRequest{Outcome: "SHK_START", GroupBy: []string{"COHORT", "PARTICIPATION"}, Programme: "NAD"})
			return err
		}, partnernet.CodeBadUserInput},
		{"the network", func() error {
			_, err := s.Network(malmo, analytics.NetworkFilter{})
			return err
		}, partnernet.CodeForbidden},
	}
	for _, tt := range refusals {
		require.Equal(t, tt.want, partnernet.ErrorCode(tt.do()), tt.name)
	}
}

// cohortTables asks the service for every table of the cohort measures an analyst may have:
// every outcome by every grouping the family publishes, with the groups' sizes.
func cohortTables(t *testing.T, s *statistics.Service, ctx context.Context) []attack.Table {
	t.Helper()
	groupings := [][]string{nil, {"MUNICIPALITY"}, {"COHORT"}, {"MUNICIPALITY", "COHORT"}}
	for _, p := range analytics.CohortProgrammes {
		groupings = append(groupings, []string{"PARTICIPATION:" + p.Programme}, []string{"MUNICIPALITY", "PARTICIPATION:" + p.Programme},
			[]string{"COHORT", "PARTICIPATION:" + p.Programme})
	}
	var out []attack.Table
	seen := map[string]bool{}
	for _, o := range analytics.CohortOutcomes {
		for _, grouping := range groupings {
			req := statistics.CohortRequest{Outcome: o.Name}
			var dims []string
			for _, g := range grouping {
				name, programme, _ := strings.Cut(g, ":")
				req.GroupBy = append(req.GroupBy, name)
				dim := map[string]string{"MUNICIPALITY": analytics.DimMunicipality, "COHORT": analytics.DimCohort}[name]
				if programme != "" {
					req.Programme = programme
					i := slices.IndexFunc(analytics.CohortProgrammes, func(c struct{ Programme, Dimension string }) bool { return c.Programme == programme })
					dim = analytics.CohortProgrammes[i].Dimension
				}
				dims = append(dims, dim)
			}
			got, err := s.Cohort(ctx, req)
			require.NoError(t, err, "%s by %v", o.Name, grouping)
			sizes, cells := map[string]*int{}, map[string]*int{}
			for _, g := range got.Groups {
				sizes[strings.Join(g.Key, "|")] = g.Size
				for _, c := range g.Cells {
					cells[strings.Join(append(slices.Clone(g.Key), c.Value), "|")] = c.Count
				}
			}
			if name := strings.Join(dims, ","); !seen[name] {
				seen[name] = true
				out = append(out, attack.Table{Dimensions: dims, Cells: sizes})
			}
			out = append(out, attack.Table{Dimensions: append(slices.Clone(dims), o.Name), Cells: cells})
		}
	}
	return out
}

// TestCohortsResistDifferencingAttacks mounts the differencing attack on the cohort measures of
// the demo data, as an analyst gets them from the service: every outcome (times to six events,
// status at 12 and 24 months, three changes in well-being) by every grouping, with the groups'
// sizes, the totals among them; every pair of tables differenced through the dimensions they
// share, across outcomes and across cohorts, and each result fed into the others. It fails if a
// small count is published or follows, if a count is not the rounded truth, or if a newcomer
// without a counted answer is published in a well-being measure.
func TestCohortsResistDifferencingAttacks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	require.NoError(t, seed.LoadCohortDemo(ctx, b.store.Store, 1))
	now := time.Now()
	s := statistics.New(statistics.Config{Store: b.store, Authz: b.authz, CacheTTL: time.Hour, Now: func() time.Time { return now }})
	held := cohortTables(t, s, b.as("malmo-universitet", authz.RoleAnalyst))
	groupings := 4 + 3*len(analytics.CohortProgrammes)
	require.Len(t, held, groupings*(1+len(analytics.CohortOutcomes)), "every grouping's sizes and every outcome's table")

	subjects, err := b.store.CohortSubjects(ctx)
	require.NoError(t, err)
	facts := analytics.CohortFacts(subjects, now)
	truth := func(dims, key []string) int {
		n := 0
		for _, f := range facts {
			match := true
			for i, d := range dims {
				match = match && f.Values[slices.Index(analytics.Cohorts.Dimensions, d)] == key[i]
			}
			if match {
				n++
			}
		}
		return n
	}
	rule := attack.Rule{Threshold: analytics.DefaultThreshold, Base: analytics.RoundingBase}
	bounds := attack.Differencing{Tables: held, Rule: rule}.Bounds()
	small, published := 0, 0
	for ti, tb := range held {
		for k, v := range tb.Cells {
			var key []string
			if len(tb.Dimensions) > 0 {
				key = strings.Split(k, "|")
			}
			n, bound := truth(tb.Dimensions, key), bounds[attack.Cell{Table: ti, Key: k}]
			require.True(t, bound[0] <= n && n <= bound[1], "the attacker's bounds hold the truth")
			if slices.Contains(key, analytics.NoAnswer) {
				require.Nil(t, v, "NO_ANSWER is never published")
			}
			if n >= rule.Threshold {
				if v != nil {
					published++
					require.Equal(t, rule.Round(n), *v, "%v=%s is published rounded", tb.Dimensions, k)
				}
				continue
			}
			small++
			require.Nil(t, v, "the small count of %v=%s is suppressed", tb.Dimensions, k)
			require.Less(t, bound[0], bound[1], "the small count of %v=%s (%d) follows from differencing: %v", tb.Dimensions, k, n, bound)
		}
	}
	require.Positive(t, small, "the demo data has small counts to attack")
	require.Positive(t, published)
	t.Logf("%d tables, %d small counts attacked, %d counts published", len(held), small, published)
}
