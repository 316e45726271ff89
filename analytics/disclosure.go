package analytics

import (
	"slices"
	"strings"
)

// DefaultThreshold is the smallest count published unless configured otherwise.
const DefaultThreshold = 5

// Cell is one raw count of a table: the values of the table's dimensions, in their order, and
// how many there are.
type Cell struct {
	Key   []string
	Count int
}

// Published is one cell as it may leave the system: its count, or nil and Suppressed.
type Published struct {
	// Key holds the values of the table's dimensions, in their order.
	Key []string
	// Count is the count; nil when suppressed.
	Count *int
	// Suppressed says the count is withheld, because it is small (primary) or because it would
	// let a small one be derived (complementary).
	Suppressed bool
}

// Table is a protected table: its dimensions and cells in key order.
type Table struct {
	// Dimensions name the key's values, in order.
	Dimensions []string
	// Cells are the published cells, sorted by key.
	Cells []Published
	// Threshold is the smallest count the table publishes.
	Threshold int
}

// Select returns the cells of t whose key satisfies keep, in order; their publication is that of
// the whole table, so selections never differ on a shared cell.
func (t Table) Select(keep func(key []string) bool) Table {
	out := Table{Dimensions: t.Dimensions, Threshold: t.Threshold, Cells: []Published{}}
	for _, c := range t.Cells {
		if keep(c.Key) {
			out.Cells = append(out.Cells, c)
		}
	}
	return out
}

// Source gives the raw counts of a measure for any set of its dimensions (indexes into the
// measure's dimensions, ascending): one cell per combination of values, keyed in that order.
// A Source answers from data already loaded; it does not fail.
type Source func(dims []int) []Cell

// state is a cell during protection.
type state struct {
	key        []string
	count      int
	primary    bool // below the threshold
	suppressed bool // primary or complementary
	forced     bool // suppressed because a refinement would reveal a small count otherwise
	exposed    bool // its value follows from a refinement, so it cannot hide another cell
}

// Protect publishes the table of src over the dimensions chosen (indexes into names, ascending)
// with counts below threshold suppressed (a threshold below 1 is taken as 1) and complementary
// suppression, so that no suppressed count follows from the table with its lines' totals (the
// tables without one chosen dimension) and its refinements (the tables with one more of the
// measure's dimensions). Cells with a zero count are absent.
func Protect(names []string, chosen []int, src Source, threshold int) Table {
	threshold = max(threshold, 1)
	st := states(src(chosen), threshold)
	index := map[string]*state{}
	for _, s := range st {
		index[strings.Join(s.key, "\x00")] = s
	}
	// Look one level finer: each dimension not chosen splits every cell into a line.
	for e := range names {
		if slices.Contains(chosen, e) {
			continue
		}
		finer := append(slices.Clone(chosen), e)
		slices.Sort(finer)
		pos := slices.Index(finer, e)
		fine := states(src(finer), threshold)
		suppress(fine, len(finer), threshold)
		for _, line := range lines(fine, pos) {
			rest := slices.Delete(slices.Clone(line[0].key), pos, pos+1)
			coarse := index[strings.Join(rest, "\x00")]
			if coarse == nil {
				continue
			}
			hidden := false
			for _, f := range line {
				hidden = hidden || f.suppressed
			}
			if !hidden {
				coarse.exposed = true
			} else if !safe(line, threshold) {
				// Even fully suppressed, the line gives its cells away once its total is known:
				// withhold the total.
				coarse.forced, coarse.suppressed = true, true
			}
		}
	}
	suppress(st, len(chosen), threshold)
	t := Table{Threshold: threshold, Cells: make([]Published, 0, len(st))}
	for _, d := range chosen {
		t.Dimensions = append(t.Dimensions, names[d])
	}
	for _, s := range st {
		p := Published{Key: s.key, Suppressed: s.suppressed}
		if !s.suppressed {
			n := s.count
			p.Count = &n
		}
		t.Cells = append(t.Cells, p)
	}
	return t
}

// states turns raw cells into protection states, primary suppression decided, in key order.
func states(cells []Cell, threshold int) []*state {
	st := make([]*state, 0, len(cells))
	for _, c := range cells {
		if c.Count <= 0 {
			continue
		}
		small := c.Count < threshold
		st = append(st, &state{key: c.Key, count: c.Count, primary: small, suppressed: small})
	}
	slices.SortFunc(st, func(a, b *state) int { return slices.Compare(a.key, b.key) })
	return st
}

// suppress adds complementary suppressions to st (over n dimensions) until every line along
// every dimension is safe, or has nothing left to suppress.
func suppress(st []*state, n, threshold int) {
	for changed := true; changed; {
		changed = false
		for d := range n {
			for _, line := range lines(st, d) {
				for !safe(line, threshold) {
					next := smallestHideable(line)
					if next == nil {
						break
					}
					next.suppressed, changed = true, true
				}
			}
		}
	}
}

// lines groups cells by their key without dimension d: each group is a line along d, whose
// total is a cell of the table without d.
func lines(st []*state, d int) [][]*state {
	index := map[string]int{}
	var out [][]*state
	for _, s := range st {
		rest := slices.Delete(slices.Clone(s.key), d, d+1)
		k := strings.Join(rest, "\x00")
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], s)
	}
	return out
}

// smallestHideable returns the line's visible cell with the smallest count whose value no
// refinement gives away, or nil.
func smallestHideable(line []*state) *state {
	var best *state
	for _, s := range line {
		if !s.suppressed && !s.exposed && (best == nil || s.count < best.count) {
			best = s
		}
	}
	return best
}

// unbounded stands for "no upper bound" in the audit's intervals.
const unbounded = 1 << 40

// safe audits a line as an attacker who knows the published visible counts, the values of
// suppressed cells a refinement exposes, the line's total when it is published (at least
// threshold; otherwise only that it lies in [1, threshold-1]), and which suppressed cells are
// small (in [1, threshold-1]) and which are not (at least threshold). The line is safe when
// every suppressed cell could still take at least two values.
func safe(line []*state, threshold int) bool {
	total, known := 0, 0
	var lo, hi []int
	for _, s := range line {
		total += s.count
		switch {
		case !s.suppressed || s.exposed:
			known += s.count
		case s.primary:
			lo, hi = append(lo, 1), append(hi, threshold-1)
		default:
			lo, hi = append(lo, threshold), append(hi, unbounded)
		}
	}
	if len(lo) == 0 {
		return true
	}
	// What the hidden cells of the line add up to, as far as the attacker knows.
	sumLo, sumHi := total-known, total-known
	if total < threshold {
		sumLo, sumHi = max(1-known, 0), threshold-1-known
	}
	for i := range lo {
		othersLo, othersHi := 0, 0
		for j := range lo {
			if j != i {
				othersLo += lo[j]
				othersHi = min(othersHi+hi[j], unbounded)
			}
		}
		cellLo := max(lo[i], sumLo-othersHi)
		cellHi := min(hi[i], sumHi-othersLo)
		if cellHi-cellLo < 1 {
			return false
		}
	}
	return true
}
