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

// facts is a microdata set: one row per counted unit, one value per dimension.
type facts [][]string

// source counts the rows of f by the dimensions asked for.
func (f facts) source(dims []int) []analytics.Cell {
	counts := map[string]int{}
	keys := map[string][]string{}
	for _, row := range f {
		var key []string
		for _, d := range dims {
			key = append(key, row[d])
		}
		k := strings.Join(key, "|")
		counts[k]++
		keys[k] = key
	}
	var out []analytics.Cell
	for k, n := range counts {
		out = append(out, analytics.Cell{Key: keys[k], Count: n})
	}
	return out
}

// truth returns the true count of a cell of the table over dims.
func (f facts) truth(dims []int, key []string) int {
	n := 0
	for _, row := range f {
		match := true
		for i, d := range dims {
			match = match && row[d] == key[i]
		}
		if match {
			n++
		}
	}
	return n
}

func TestProtectSuppressesSmallCounts(t *testing.T) {
	t.Parallel()
	names := []string{"municipality", "gender"}
	f := facts{}
	add := func(n int, m, g string) {
		for range n {
			f = append(f, []string{m, g})
		}
	}
	add(12, "malmo", "F")
	add(3, "malmo", "M")
	add(9, "lund", "F")
	add(8, "lund", "M")
	add(20, "ystad", "F")
	tests := []struct {
		name      string
		threshold int
		chosen    []int
		want      map[string]*int // nil: suppressed
	}{
		{"by municipality: all large", 5, []int{0}, map[string]*int{"lund": ptr(17), "malmo": ptr(15), "ystad": ptr(20)}},
		{"by municipality and gender: the small one and a rectangle of partners in its row and column", 5, []int{0, 1},
			map[string]*int{"lund|F": nil, "lund|M": nil, "malmo|F": nil, "malmo|M": nil, "ystad|F": ptr(20)}},
		{"threshold 3 publishes the 3", 3, []int{0, 1},
			map[string]*int{"lund|F": ptr(9), "lund|M": ptr(8), "malmo|F": ptr(12), "malmo|M": ptr(3), "ystad|F": ptr(20)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := analytics.Protect(names, tt.chosen, f.source, tt.threshold)
			require.Equal(t, tt.threshold, got.Threshold)
			cells := map[string]*int{}
			for _, c := range got.Cells {
				require.Equal(t, c.Count == nil, c.Suppressed)
				cells[strings.Join(c.Key, "|")] = c.Count
			}
			require.Equal(t, tt.want, cells)
		})
	}
}

func ptr(n int) *int { return &n }

// TestProtectResistsDifferencing mounts the differencing attacks on many random tables: for every
// table over a set of dimensions, the attacker takes each line's total from the published table
// without that dimension, subtracts the visible cells, uses the values of suppressed cells that
// a published refinement (one more dimension) reveals in full, and enumerates every assignment
// of the remaining suppressed cells that fits (knowing even which are small). The test fails if
// any small count follows.
func TestProtectResistsDifferencing(t *testing.T) {
	t.Parallel()
	names := []string{"a", "b", "c"}
	values := [][]string{{"a1", "a2", "a3"}, {"b1", "b2", "b3", "b4"}, {"c1", "c2"}}
	for _, threshold := range []int{3, 5} {
		for seed := range uint64(60) {
			t.Run(fmt.Sprintf("threshold %d seed %d", threshold, seed), func(t *testing.T) {
				t.Parallel()
				r := rand.New(rand.NewPCG(seed, 7))
				var f facts
				for range 20 + r.IntN(80) {
					row := make([]string, len(values))
					for d, vs := range values {
						// Skewed: the first values are common, the last rare.
						row[d] = vs[min(r.IntN(len(vs)), r.IntN(len(vs)))]
					}
					f = append(f, row)
				}
				mountAttacks(t, names, f, threshold)
			})
		}
	}
}

// mountAttacks publishes every table of f and fails the test when a small suppressed count can be
// derived from them.
func mountAttacks(t *testing.T, names []string, f facts, threshold int) {
	t.Helper()
	published := map[string]map[string]analytics.Published{} // by dims, then key
	var subsets [][]int
	for mask := range 1 << len(names) {
		var dims []int
		for d := range names {
			if mask&(1<<d) != 0 {
				dims = append(dims, d)
			}
		}
		subsets = append(subsets, dims)
		cells := map[string]analytics.Published{}
		for _, c := range analytics.Protect(names, dims, f.source, threshold).Cells {
			cells[strings.Join(c.Key, "|")] = c
		}
		published[fmt.Sprint(dims)] = cells
	}
	for _, dims := range subsets {
		table := published[fmt.Sprint(dims)]
		// Values the attacker learns for suppressed cells from a fully visible refinement.
		known := map[string]int{}
		for e := range names {
			if slices.Contains(dims, e) {
				continue
			}
			finer := append(slices.Clone(dims), e)
			slices.Sort(finer)
			pos := slices.Index(finer, e)
			sums, hidden := map[string]int{}, map[string]bool{}
			for k, c := range published[fmt.Sprint(finer)] {
				key := strings.Split(k, "|")
				coarse := strings.Join(slices.Delete(key, pos, pos+1), "|")
				if c.Suppressed {
					hidden[coarse] = true
				} else {
					sums[coarse] += *c.Count
				}
			}
			for k, c := range table {
				if c.Suppressed && !hidden[k] {
					known[k] = sums[k]
					require.GreaterOrEqual(t, sums[k], threshold, "a refinement reveals the small cell %v=%s", dims, k)
				}
			}
		}
		for i := range dims {
			coarseDims := slices.Delete(slices.Clone(dims), i, i+1)
			coarse := published[fmt.Sprint(coarseDims)]
			lines := map[string][]string{}
			for k := range table {
				rest := strings.Join(slices.Delete(strings.Split(k, "|"), i, i+1), "|")
				lines[rest] = append(lines[rest], k)
			}
			for rest, members := range lines {
				total, ok := coarse[rest]
				if !ok || total.Suppressed {
					continue // the line's total is not published
				}
				sum := *total.Count
				var unknown []string
				for _, k := range members {
					c := table[k]
					switch v, isKnown := known[k]; {
					case !c.Suppressed:
						sum -= *c.Count
					case isKnown:
						sum -= v
					default:
						unknown = append(unknown, k)
					}
				}
				if len(unknown) == 0 {
					continue
				}
				slices.Sort(unknown)
				var lo, hi []int
				for _, k := range unknown {
					if f.truth(dims, strings.Split(k, "|")) < threshold {
						lo, hi = append(lo, 1), append(hi, threshold-1)
					} else {
						lo, hi = append(lo, threshold), append(hi, sum)
					}
				}
				possible := attack.Feasible(lo, hi, sum)
				for j, k := range unknown {
					truth := f.truth(dims, strings.Split(k, "|"))
					require.True(t, possible[j][truth], "the attacker's model must admit the truth")
					if truth < threshold {
						require.Greater(t, len(possible[j]), 1,
							"suppressed cell %v=%s (%d) follows from the total of %v=%s", dims, k, truth, coarseDims, rest)
					}
				}
			}
		}
	}
}
