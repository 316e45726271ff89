package attack_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/analytics/attack"
)

func TestFeasible(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		lo, hi []int
		sum    int
		want   []map[int]bool
	}{
		{"one cell is its sum", []int{1}, []int{4}, 3, []map[int]bool{{3: true}}},
		{"two small cells summing to 2 are both 1", []int{1, 1}, []int{4, 4}, 2, []map[int]bool{{1: true}, {1: true}}},
		{"two small cells summing to 5", []int{1, 1}, []int{4, 4}, 5,
			[]map[int]bool{{1: true, 2: true, 3: true, 4: true}, {1: true, 2: true, 3: true, 4: true}}},
		{"a small cell and a large one", []int{1, 5}, []int{4, 100}, 7, []map[int]bool{{1: true, 2: true}, {5: true, 6: true}}},
		{"nothing fits", []int{1}, []int{4}, 9, []map[int]bool{{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, attack.Feasible(tt.lo, tt.hi, tt.sum))
		})
	}
}

func TestRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		rule             attack.Rule
		n, published     int
		wantLo, wantHigh int
	}{
		{"the threshold itself", attack.Rule{Threshold: 5, Base: 5}, 5, 5, 5, 7},
		{"down to five", attack.Rule{Threshold: 5, Base: 5}, 7, 5, 5, 7},
		{"up to ten", attack.Rule{Threshold: 5, Base: 5}, 8, 10, 8, 12},
		{"large", attack.Rule{Threshold: 5, Base: 5}, 716, 715, 713, 717},
		{"never below the threshold", attack.Rule{Threshold: 12, Base: 5}, 12, 15, 12, 17},
		{"base 1 is exact", attack.Rule{Threshold: 5, Base: 1}, 7, 7, 7, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.published, tt.rule.Round(tt.n))
			lo, hi := tt.rule.Unround(tt.published)
			require.Equal(t, []int{tt.wantLo, tt.wantHigh}, []int{lo, hi})
		})
	}
}

// TestDifferencingMatchesEnumeration checks the attacker's bounds for a table against its
// total, with exact counts, against every assignment of the suppressed cells enumerated.
func TestDifferencingMatchesEnumeration(t *testing.T) {
	t.Parallel()
	rule := attack.Rule{Threshold: 5, Base: 1}
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 3))
		counts := make([]int, 1+r.IntN(5))
		total := 0
		cells := map[string]*int{}
		for i := range counts {
			counts[i] = 1 + r.IntN(12)
			total += counts[i]
			if counts[i] >= rule.Threshold && r.IntN(3) > 0 {
				cells[fmt.Sprint(i)] = &counts[i]
			} else {
				cells[fmt.Sprint(i)] = nil
			}
		}
		if total < rule.Threshold {
			continue // the total would be suppressed
		}
		tables := []attack.Table{
			{Dimensions: nil, Cells: map[string]*int{"": &total}},
			{Dimensions: []string{"x"}, Cells: cells},
		}
		bounds := attack.Differencing{Tables: tables, Rule: rule}.Bounds()
		var hidden []string
		rest := total
		for k, v := range cells {
			if v == nil {
				hidden = append(hidden, k)
			} else {
				rest -= *v
			}
		}
		lo, hi := make([]int, len(hidden)), make([]int, len(hidden))
		for i := range hidden {
			lo[i], hi[i] = 1, total
		}
		possible := attack.Feasible(lo, hi, rest)
		for i, k := range hidden {
			values := slices.Sorted(maps.Keys(possible[i]))
			require.Equal(t, [2]int{values[0], values[len(values)-1]}, bounds[attack.Cell{Table: 1, Key: k}], "seed %d cell %s", seed, k)
		}
	}
}
