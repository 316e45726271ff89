package analytics_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/analytics/attack"
)

// TestKaplanMeierByHand checks the product-limit estimator against a computation by hand: a
// textbook group of 10 with events and censorings in the same and in different intervals.
func TestKaplanMeierByHand(t *testing.T) {
	t.Parallel()
	// Interval 0: 2 events of 10 → 8/10.
	// Interval 1: 1 censored, no event → 8/10 (9 → 7 at risk after it, less the 1 censored).
	// Interval 2: 7 at risk, 1 event and 1 censored (the event first) → 8/10 × 6/7.
	// Interval 3: 5 at risk, 5 events → 0.
	got := analytics.KaplanMeier(10, []int{2, 0, 1, 5}, []int{0, 1, 1, 0})
	want := []float64{0.8, 0.8, 0.8 * 6 / 7, 0}
	require.Len(t, got, len(want))
	for i := range want {
		require.InDelta(t, want[i], got[i], 1e-12, "interval %d", i)
	}
	require.Equal(t, []float64{1, 1}, analytics.KaplanMeier(0, []int{0, 0}, []int{0, 0}), "nobody at risk changes nothing")
}

func TestMonthsBetweenAndCohorts(t *testing.T) {
	t.Parallel()
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		require.NoError(t, err)
		return d
	}
	tests := []struct {
		a, b   string
		months int
	}{
		{"2025-01-15", "2025-01-15", 0},
		{"2025-01-15", "2025-02-14", 0},
		{"2025-01-15", "2025-02-15", 1},
		{"2025-01-31", "2025-02-28", 0},
		{"2025-01-15", "2026-07-15", 18},
		{"2025-03-01", "2025-01-01", 0},
	}
	for _, tt := range tests {
		require.Equal(t, tt.months, analytics.MonthsBetween(day(tt.a), day(tt.b)), "%s to %s", tt.a, tt.b)
	}
	require.Equal(t, "2025-Q1", analytics.CohortOf(day("2025-03-31")))
	require.Equal(t, "2025-Q2", analytics.CohortOf(day("2025-04-01")))
	require.Equal(t, "2024-Q4", analytics.CohortOf(day("2024-12-31")))
}

// handCohort is the cohort of the hand computation: 30 newcomers of Malmö who arrived on
// 15 January 2025, followed until 15 July 2026 (18 months), in six groups of five alike, so that
// every count of every table is a multiple of five and nothing is suppressed or rounded.
//
//	A, B  start work 2 months after arrival            (event in 00-03)
//	C     start studies 5 months after arrival         (event in 03-06)
//	D     leave the region 3 months after arrival      (censored in 03-06)
//	E     neither, still followed after 18 months      (censored in 18-24)
//	F     start work 10 months after arrival           (event in 09-12)
//
// By hand, time to work or studies: by 3 months 10 of 30 (1/3); in 3–6 months 20 at risk, 5
// events taken before the 5 censored: 1 − 2/3 × (1 − 5/20) = 1/2; by 9 still 1/2 (10 at risk,
// nothing happens); by 12: 1 − 1/2 × (1 − 5/10) = 3/4; by 18: 3/4 (5 at risk, none leaves); in
// 18–24 the 5 are censored and nobody is observed to its end, so the curve stops. Median: 6
// months, the first point by which half had the event.
func handCohort() ([]analytics.CohortSubject, time.Time) {
	arrival := time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
	now := time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC)
	at := func(months int) *time.Time {
		d := arrival.AddDate(0, months, 0)
		return &d
	}
	var out []analytics.CohortSubject
	add := func(s analytics.CohortSubject) {
		for range 5 {
			s.Municipality, s.Arrival = "1280", arrival
			out = append(out, s)
		}
	}
	add(analytics.CohortSubject{WorkOrStudies: at(2), Work12: true})
	add(analytics.CohortSubject{WorkOrStudies: at(2), Work12: true})
	add(analytics.CohortSubject{WorkOrStudies: at(5), Studies12: true})
	add(analytics.CohortSubject{LeftRegion: at(3)})
	add(analytics.CohortSubject{})
	add(analytics.CohortSubject{WorkOrStudies: at(10), Work12: true})
	return out, now
}

func TestCohortCurveByHand(t *testing.T) {
	t.Parallel()
	subjects, now := handCohort()
	f, err := analytics.Cohorts.Protect(analytics.CohortFacts(subjects, now), analytics.DefaultThreshold)
	require.NoError(t, err)
	cohort := slices.Index(analytics.Cohorts.Dimensions, analytics.DimCohort)
	outcome := slices.Index(analytics.Cohorts.Dimensions, analytics.DimWorkOrStudies)
	sizes, ok := f.Table([]int{cohort})
	require.True(t, ok)
	table, ok := f.Table([]int{cohort, outcome})
	require.True(t, ok)
	o, _ := analytics.CohortOutcomeNamed(analytics.DimWorkOrStudies)
	groups := analytics.ReadCohort(o, sizes, table, analytics.DefaultThreshold)
	require.Len(t, groups, 1)
	g := groups[0]
	require.Equal(t, []string{"2025-Q1"}, g.Key)
	require.Equal(t, 30, *g.Size)
	want := []analytics.CurvePoint{{0, 0}, {3, 1.0 / 3}, {6, 0.5}, {9, 0.5}, {12, 0.75}, {18, 0.75}}
	require.Len(t, g.Curve, len(want))
	for i, p := range want {
		require.Equal(t, p.Month, g.Curve[i].Month)
		require.InDelta(t, p.Reached, g.Curve[i].Reached, 1e-12, "by month %d", p.Month)
	}
	require.NotNil(t, g.Median)
	require.Equal(t, 6, *g.Median)
	require.False(t, g.Estimated, "nothing was suppressed")

	// Where they stand at 12 months: 15 in work, 5 in studies, 5 neither, 5 not followed (left).
	at12 := slices.Index(analytics.Cohorts.Dimensions, analytics.DimAt12Months)
	table, ok = f.Table([]int{cohort, at12})
	require.True(t, ok)
	o, _ = analytics.CohortOutcomeNamed(analytics.DimAt12Months)
	g = analytics.ReadCohort(o, sizes, table, analytics.DefaultThreshold)[0]
	shares := map[string]float64{}
	for _, c := range g.Cells {
		if c.Share != nil {
			shares[c.Value] = *c.Share
		}
	}
	require.Equal(t, map[string]float64{"WORK": 15.0 / 25, "STUDIES": 5.0 / 25, "NEITHER": 5.0 / 25}, shares)
}

// TestCohortCurvesStopAtSmallGroups checks the publication rules: no curve for a group whose
// size is suppressed; a suppressed count estimated from what the published counts leave of the
// group's size, the group marked estimated; and a curve that stops where fewer than the
// threshold are at risk or observed to the end of an interval.
func TestCohortCurvesStopAtSmallGroups(t *testing.T) {
	t.Parallel()
	o, _ := analytics.CohortOutcomeNamed(analytics.DimShkStart)
	n := func(v int) *int { return &v }
	sizes := analytics.Table{Dimensions: []string{"COHORT"}, Cells: []analytics.Published{
		{Key: []string{"2025-Q1"}, Count: n(20)}, {Key: []string{"2025-Q2"}, Suppressed: true},
	}}
	table := analytics.Table{Dimensions: []string{"COHORT", "SHK_START"}, Cells: []analytics.Published{
		{Key: []string{"2025-Q1", "EVENT:00-03"}, Count: n(10)},
		{Key: []string{"2025-Q1", "EVENT:03-06"}, Suppressed: true},
		{Key: []string{"2025-Q1", "CENSORED:06-09"}, Count: n(5)},
		{Key: []string{"2025-Q2", "EVENT:00-03"}, Suppressed: true},
	}}
	require.Equal(t, 2, analytics.Imputed(5))
	groups := analytics.ReadCohort(o, sizes, table, 5)
	require.Len(t, groups, 2)
	// 10 of 20 by 3 months; 10 at risk, the suppressed events estimated as what the published
	// cells leave of 20 (5): 1 − 1/2 × 5/10; then 5 at risk, all censored: none observed to the
	// end of 6–9, so the curve stops.
	require.Len(t, groups[0].Curve, 3)
	require.InDelta(t, 0.75, groups[0].Curve[2].Reached, 1e-12)
	require.Equal(t, []int{0, 3, 6}, []int{groups[0].Curve[0].Month, groups[0].Curve[1].Month, groups[0].Curve[2].Month})
	require.True(t, groups[0].Estimated)
	require.Equal(t, 3, *groups[0].Median)
	require.Nil(t, groups[1].Curve, "a suppressed group has no curve")
	require.Nil(t, groups[1].Median)

	// Fewer than the threshold at risk: 12 of whom 8 have the event at once leaves 4.
	sizes.Cells = sizes.Cells[:1]
	sizes.Cells[0].Count = n(12)
	table.Cells = []analytics.Published{{Key: []string{"2025-Q1", "EVENT:00-03"}, Count: n(8)}}
	g := analytics.ReadCohort(o, sizes, table, 5)[0]
	require.Equal(t, []analytics.CurvePoint{{Month: 0, Reached: 0}, {Month: 3, Reached: 8.0 / 12}}, g.Curve)
	require.False(t, g.Estimated)
}

// randomSubjects makes n random newcomers over a few municipalities and cohorts.
func randomSubjects(r *rand.Rand, n int, now time.Time) []analytics.CohortSubject {
	var out []analytics.CohortSubject
	maybe := func(arrival time.Time, p int) *time.Time {
		if r.IntN(100) >= p {
			return nil
		}
		d := arrival.AddDate(0, 0, r.IntN(900))
		if d.After(now) {
			return nil
		}
		return &d
	}
	score := func(top float64) analytics.Score {
		k := r.IntN(4)
		if k == 0 {
			return analytics.Score{}
		}
		return analytics.Score{First: float64(r.IntN(int(top) + 1)), Last: float64(r.IntN(int(top) + 1)), N: k}
	}
	for range n {
		arrival := now.AddDate(0, -r.IntN(30), -r.IntN(28))
		s := analytics.CohortSubject{
			Municipality: []string{"1280", "1281", "1283"}[min(r.IntN(3), r.IntN(3))],
			Arrival:      arrival,
			ShkStart:     maybe(arrival, 80), ShkCompletion: maybe(arrival, 50), FirstNadActivity: maybe(arrival, 50),
			SupportPlan: maybe(arrival, 15), SfiCompletion: maybe(arrival, 20), WorkOrStudies: maybe(arrival, 40),
			LeftRegion: maybe(arrival, 8),
			Work12:     r.IntN(3) == 0, Studies12: r.IntN(5) == 0, Work24: r.IntN(2) == 0, Studies24: r.IntN(5) == 0,
			Who5: score(100), SelfRatedHealth: score(5), Participation: score(5),
		}
		for i := range s.Participated {
			s.Participated[i] = r.IntN(3) > 0
		}
		out = append(out, s)
	}
	return out
}

// cohortTruth returns the true count of a cell of a cohort table, from the facts.
func cohortTruth(facts []analytics.Fact) func(dims, key []string) int {
	return func(dims, key []string) int {
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
}

// TestCohortsResistDifferencing mounts the differencing attack on the cohort measures of random
// populations: every table of every outcome (time to each event, status at 12 and 24 months,
// changes in well-being), by municipality, cohort and participation in each programme, and the
// totals; every pair differenced, across outcomes and across cohorts, each result fed into the
// others. It fails if any small count follows, if a small count or a withheld one (NO_ANSWER) is
// published, or if a published count is not the rounded truth.
func TestCohortsResistDifferencing(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(seed, 18))
			facts := analytics.CohortFacts(randomSubjects(r, 60+r.IntN(240), now), now)
			f, err := analytics.Cohorts.Protect(facts, analytics.DefaultThreshold)
			require.NoError(t, err)
			// The total; by municipality, cohort, each participation (4) and each outcome (11);
			// municipality and cohort, and each with a participation (4 + 4); each outcome with
			// municipality, cohort or a participation (11 + 11 + 44); and the tables of three.
			require.Equal(t, 1+1+1+4+11+1+4+4+11+11+44+11+44+44, f.Len())
			rule := attack.Rule{Threshold: analytics.DefaultThreshold, Base: analytics.RoundingBase}
			truth := cohortTruth(facts)
			small := requireNothingDerived(t, f.Tables(), rule, false, truth)
			require.Positive(t, small)
			for _, tb := range f.Tables() {
				for _, c := range tb.Cells {
					if slices.Contains(c.Key, analytics.NoAnswer) {
						require.True(t, c.Suppressed, "NO_ANSWER is never published: %v", c.Key)
					}
				}
			}
		})
	}
}

// TestCohortsProtectedOneOutcomeAtATimeLeak is the negative control of the attack above: the same
// tables protected one outcome at a time (each outcome's family alone, as separate measures
// would be) publish a group's size in one family that another suppresses, and the attacker who
// differences across outcomes then derives small counts. Protecting every outcome together is
// what stops it.
func TestCohortsProtectedOneOutcomeAtATimeLeak(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	rule := attack.Rule{Threshold: analytics.DefaultThreshold, Base: analytics.RoundingBase}
	derived := 0
	for seed := range uint64(6) {
		r := rand.New(rand.NewPCG(seed, 18))
		facts := analytics.CohortFacts(randomSubjects(r, 60+r.IntN(240), now), now)
		truth := cohortTruth(facts)
		// Each outcome's family alone; the attacker keeps every count any of them publishes.
		merged := map[string]map[string]*int{}
		dimsOf := map[string][]string{}
		for _, o := range analytics.CohortOutcomes {
			var only [][]string
			for _, s := range analytics.Cohorts.Only {
				if s[len(s)-1] == o.Name {
					only = append(only, s)
				}
			}
			m := analytics.Cohorts
			m.Only = only
			f, err := m.Protect(facts, analytics.DefaultThreshold)
			require.NoError(t, err)
			for _, tb := range f.Tables() {
				name := fmt.Sprint(tb.Dimensions)
				if merged[name] == nil {
					merged[name], dimsOf[name] = map[string]*int{}, tb.Dimensions
				}
				for _, c := range tb.Cells {
					k := fmt.Sprint(c.Key)
					if c.Count != nil || merged[name][k] == nil {
						merged[name][k] = c.Count
					}
				}
			}
		}
		var held []analytics.Table
		for name, cells := range merged {
			tb := analytics.Table{Dimensions: dimsOf[name]}
			for k, v := range cells {
				key := strings.Fields(strings.Trim(k, "[]"))
				if len(tb.Dimensions) == 0 {
					key = nil
				}
				tb.Cells = append(tb.Cells, analytics.Published{Key: key, Count: v, Suppressed: v == nil})
			}
			held = append(held, tb)
		}
		bounds := attack.Differencing{Tables: attackTables(held), Rule: rule}.Bounds()
		for ti, tb := range attackTables(held) {
			for k := range tb.Cells {
				var key []string
				if len(tb.Dimensions) > 0 {
					key = strings.Split(k, "|")
				}
				if n, b := truth(tb.Dimensions, key), bounds[attack.Cell{Table: ti, Key: k}]; n < rule.Threshold && b[0] == b[1] {
					derived++
				}
			}
		}
	}
	require.Positive(t, derived, "protected one outcome at a time, differencing across outcomes derives small counts")
	t.Logf("%d small counts derived across outcomes", derived)
}
