package analytics_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/analytics/attack"
)

// microdata is one row per counted unit (a fact of weight one): its values, one per dimension,
// and the newcomer it is about.
type microdata struct {
	values [][]string
	units  []int64
}

// add appends n rows of values, each about its own unit unless unit is given.
func (m *microdata) add(n int, values ...string) {
	for range n {
		m.values = append(m.values, values)
		m.units = append(m.units, int64(len(m.units)+1))
	}
}

// facts returns the rows as facts.
func (m *microdata) facts() []analytics.Fact {
	out := make([]analytics.Fact, len(m.values))
	for i, v := range m.values {
		out[i] = analytics.Fact{Values: v, Unit: m.units[i], Weight: 1}
	}
	return out
}

// truth returns the true count of a cell of the table over dims (distinct units when distinct).
func (m *microdata) truth(names []string, distinct bool) func(dims, key []string) int {
	return func(dims, key []string) int {
		n, units := 0, map[int64]bool{}
		for i, row := range m.values {
			match := true
			for j, d := range dims {
				match = match && row[slices.Index(names, d)] == key[j]
			}
			if match {
				n++
				units[m.units[i]] = true
			}
		}
		if distinct {
			return len(units)
		}
		return n
	}
}

// attackTables turns published tables into what the attacker holds.
func attackTables(tables []analytics.Table) []attack.Table {
	out := make([]attack.Table, len(tables))
	for i, t := range tables {
		cells := map[string]*int{}
		for _, c := range t.Cells {
			cells[strings.Join(c.Key, "|")] = c.Count
		}
		out[i] = attack.Table{Dimensions: t.Dimensions, Cells: cells}
	}
	return out
}

// requireNothingDerived mounts the differencing attack on tables and fails if it pins any small
// count to one value; it also checks that every small count is suppressed and every other one
// published rounded, and that the attacker's bounds hold the truth. It returns how many small
// counts it attacked.
func requireNothingDerived(t *testing.T, tables []analytics.Table, rule attack.Rule, distinct bool, truth func(dims, key []string) int) int {
	t.Helper()
	held := attackTables(tables)
	bounds := attack.Differencing{Tables: held, Rule: rule, Distinct: distinct, Truth: truth}.Bounds()
	small := 0
	for ti, tb := range held {
		for k, v := range tb.Cells {
			var key []string
			if len(tb.Dimensions) > 0 {
				key = strings.Split(k, "|")
			}
			n := truth(tb.Dimensions, key)
			b := bounds[attack.Cell{Table: ti, Key: k}]
			require.True(t, b[0] <= n && n <= b[1], "the attacker's bounds %v on %v=%s hold the truth %d", b, tb.Dimensions, k, n)
			if n < rule.Threshold {
				small++
				require.Nil(t, v, "the small count of %v=%s is suppressed", tb.Dimensions, k)
				require.Less(t, b[0], b[1], "the small count of %v=%s (%d) is derived: %v", tb.Dimensions, k, n, b)
			} else if v != nil {
				require.Equal(t, rule.Round(n), *v, "%v=%s is published rounded", tb.Dimensions, k)
			}
		}
	}
	return small
}

func TestProtectFamilyPublishes(t *testing.T) {
	t.Parallel()
	names := []string{"municipality", "gender"}
	var m microdata
	m.add(12, "malmo", "F")
	m.add(3, "malmo", "M")
	m.add(9, "lund", "F")
	m.add(8, "lund", "M")
	m.add(21, "ystad", "F")
	tests := []struct {
		name      string
		threshold int
		chosen    []int
		want      map[string]*int // nil: suppressed
	}{
		{"the total, rounded", 5, nil, map[string]*int{"": ptr(55)}},
		{"by municipality: all large, rounded to fives", 5, []int{0}, map[string]*int{"lund": ptr(15), "malmo": ptr(15), "ystad": ptr(20)}},
		{"by municipality and gender: the small one suppressed", 5, []int{0, 1},
			map[string]*int{"lund|F": ptr(10), "lund|M": ptr(10), "malmo|F": ptr(10), "malmo|M": nil, "ystad|F": ptr(20)}},
		{"threshold 3 publishes the 3 as 5, the least multiple of five not below it", 3, []int{0, 1},
			map[string]*int{"lund|F": ptr(10), "lund|M": ptr(10), "malmo|F": ptr(10), "malmo|M": ptr(5), "ystad|F": ptr(20)}},
		{"threshold 12 publishes nothing below 15", 12, []int{0, 1},
			map[string]*int{"lund|F": nil, "lund|M": nil, "malmo|F": ptr(15), "malmo|M": nil, "ystad|F": ptr(20)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := analytics.ProtectFamily(names, [][]int{{0, 1}}, m.facts(), false, tt.threshold)
			require.NoError(t, err)
			require.Equal(t, 4, f.Len(), "the table, the total and both margins")
			got, ok := f.Table(tt.chosen)
			require.True(t, ok)
			require.Equal(t, tt.threshold, got.Threshold)
			cells := map[string]*int{}
			for _, c := range got.Cells {
				require.Equal(t, c.Count == nil, c.Suppressed)
				cells[strings.Join(c.Key, "|")] = c.Count
			}
			require.Equal(t, tt.want, cells)
			requireNothingDerived(t, f.Tables(), attack.Rule{Threshold: tt.threshold, Base: analytics.RoundingBase}, false, m.truth(names, false))
		})
	}
	_, err := analytics.ProtectFamily([]string{"a", "b", "c", "d"}, [][]int{{0, 1, 2, 3}}, []analytics.Fact{{Values: []string{"x", "y", "z", "w"}}}, false, 5)
	require.NoError(t, err, "16 bits per value hold the few values there are")
}

func ptr(n int) *int { return &n }

// issueCase is the data of the issue: 716 enrolments, WORK_AND_STUDY 4 of them, every other
// category large, spread over months and genders.
func issueCase() (names []string, m microdata) {
	names = []string{"category", "month", "gender"}
	categories := map[string]int{"CIVIC_ORIENTATION": 170, "CULTURE": 12, "HEALTH": 258, "LANGUAGE_PRACTICE": 54,
		"PARENTING": 44, "SOCIAL_MEETING_PLACE": 162, "SPORTS": 12, "WORK_AND_STUDY": 4}
	months := []string{"2026-05", "2026-06", "2026-07"}
	genders := []string{"FEMALE", "MALE"}
	i := 0
	for _, c := range slices.Sorted(mapsKeys(categories)) {
		for range categories[c] {
			m.add(1, c, months[i%len(months)], genders[i/3%len(genders)])
			i++
		}
	}
	return names, m
}

// mapsKeys returns the keys of a map.
func mapsKeys(m map[string]int) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestProtectFamilyStopsTheIssuesSubtraction is the issue's attack: the total (716) less the
// categories published (712) gave WORK_AND_STUDY (4). Published one table at a time with exact
// counts the attacker derives it; protected as a family it derives no small count.
func TestProtectFamilyStopsTheIssuesSubtraction(t *testing.T) {
	t.Parallel()
	names, m := issueCase()
	require.Len(t, m.values, 716)
	truth := m.truth(names, false)

	// One table at a time, exact counts, small ones suppressed: what the attacker derives.
	exact := attack.Rule{Threshold: analytics.DefaultThreshold, Base: 1}
	var naive []analytics.Table
	for _, dims := range [][]string{{}, {"category"}} {
		counts := map[string]int{}
		for _, row := range m.values {
			var key []string
			for _, d := range dims {
				key = append(key, row[slices.Index(names, d)])
			}
			counts[strings.Join(key, "|")]++
		}
		tb := analytics.Table{Dimensions: dims}
		for k, n := range counts {
			p := analytics.Published{Key: strings.Split(k, "|"), Suppressed: n < exact.Threshold}
			if len(dims) == 0 {
				p.Key = nil
			}
			if !p.Suppressed {
				p.Count = ptr(n)
			}
			tb.Cells = append(tb.Cells, p)
		}
		naive = append(naive, tb)
	}
	bounds := attack.Differencing{Tables: attackTables(naive), Rule: exact}.Bounds()
	require.Equal(t, [2]int{4, 4}, bounds[attack.Cell{Table: 1, Key: "WORK_AND_STUDY"}], "716 - 712 = 4")

	// Protected as a family, every table of at most two of the three dimensions.
	f, err := analytics.ProtectFamily(names, analytics.Sets(names, nil, 2), m.facts(), false, analytics.DefaultThreshold)
	require.NoError(t, err)
	require.Equal(t, 7, f.Len())
	total, _ := f.Table(nil)
	require.Equal(t, 715, *total.Cells[0].Count, "the total, rounded")
	small := requireNothingDerived(t, f.Tables(), attack.Rule{Threshold: analytics.DefaultThreshold, Base: analytics.RoundingBase}, false, truth)
	require.Positive(t, small)
}

// TestProtectFamilyResistsDifferencing mounts the differencing attack on the families of many
// random data sets: every pair of tables (the total among them) differenced through the
// dimensions they share, each result feeding the others. It fails if any small count follows.
func TestProtectFamilyResistsDifferencing(t *testing.T) {
	t.Parallel()
	names := []string{"a", "b", "c", "d"}
	values := [][]string{{"a1", "a2", "a3"}, {"b1", "b2", "b3", "b4"}, {"c1", "c2"}, {"d1", "d2", "d3", "d4", "d5"}}
	for _, distinct := range []bool{false, true} {
		for _, threshold := range []int{3, 5} {
			for seed := range uint64(25) {
				t.Run(fmt.Sprintf("distinct %v threshold %d seed %d", distinct, threshold, seed), func(t *testing.T) {
					t.Parallel()
					r := rand.New(rand.NewPCG(seed, 7))
					var m microdata
					units := 10 + r.IntN(60)
					for range 20 + r.IntN(200) {
						row := make([]string, len(values))
						for d, vs := range values {
							// Skewed: the first values are common, the last rare.
							row[d] = vs[min(r.IntN(len(vs)), r.IntN(len(vs)))]
						}
						m.values = append(m.values, row)
						m.units = append(m.units, int64(r.IntN(units)))
					}
					f, err := analytics.ProtectFamily(names, analytics.Sets(names, nil, 3), m.facts(), distinct, threshold)
					require.NoError(t, err)
					require.Equal(t, 15, f.Len())
					requireNothingDerived(t, f.Tables(), attack.Rule{Threshold: threshold, Base: analytics.RoundingBase}, distinct, m.truth(names, distinct))
				})
			}
		}
	}
}

func TestSets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		internal []string
		maxDims  int
		extra    [][]string
		want     [][]int
	}{
		{"up to two of three", nil, 2, nil, [][]int{{}, {0}, {1}, {0, 1}, {2}, {0, 2}, {1, 2}}},
		{"an internal dimension only in the extra table", []string{"c"}, 3, [][]string{{"a", "c"}}, [][]int{{}, {0}, {1}, {0, 1}, {0, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, analytics.Sets([]string{"a", "b", "c"}, tt.internal, tt.maxDims, tt.extra...))
		})
	}
	require.Len(t, analytics.Enrolments.Tables(), 1+8+28+56)
	require.Len(t, analytics.AdviceVisits.Tables(), 1+4+6+4+1, "the statistics by desk besides the analysts' tables")
}
