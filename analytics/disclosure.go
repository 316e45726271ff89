package analytics

import (
	"cmp"
	"errors"
	"fmt"
	"math/bits"
	"slices"
)

// DefaultThreshold is the smallest count published unless configured otherwise.
const DefaultThreshold = 5

// MaxDimensions is the most dimensions one aggregate may break down by. It bounds the family of
// tables protected together (every set of at most MaxDimensions of a measure's dimensions), and
// with it the work and the suppression the protection costs: the finer a table, the smaller its
// cells and the more of them are suppressed.
const MaxDimensions = 3

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

// Family is the protected tables of one measure that callers may be given, protected together
// so that no small count follows from any of them, or from any combination of them that an
// attacker can difference ([ProtectFamily]).
type Family struct {
	names  []string
	tables map[uint64]Table
}

// Table returns the protected table over the dimensions chosen (indexes into the measure's
// dimensions, ascending), and false when the family does not hold it.
func (f *Family) Table(chosen []int) (Table, bool) {
	if f == nil {
		return Table{}, false
	}
	t, ok := f.tables[maskOf(chosen)]
	return t, ok
}

// Tables returns every table of the family, those with fewer dimensions first.
func (f *Family) Tables() []Table {
	if f == nil {
		return nil
	}
	masks := make([]uint64, 0, len(f.tables))
	for m := range f.tables {
		masks = append(masks, m)
	}
	slices.SortFunc(masks, func(a, b uint64) int {
		return cmp.Or(cmp.Compare(bits.OnesCount64(a), bits.OnesCount64(b)), cmp.Compare(a, b))
	})
	out := make([]Table, len(masks))
	for i, m := range masks {
		out[i] = f.tables[m]
	}
	return out
}

// Len returns how many tables the family holds.
func (f *Family) Len() int {
	if f == nil {
		return 0
	}
	return len(f.tables)
}

// maskOf is the bit set of dims.
func maskOf(dims []int) uint64 {
	var m uint64
	for _, d := range dims {
		m |= 1 << d
	}
	return m
}

// dimsOf lists the dimensions of a bit set, ascending.
func dimsOf(m uint64) []int {
	dims := make([]int, 0, bits.OnesCount64(m))
	for m != 0 {
		d := bits.TrailingZeros64(m)
		dims = append(dims, d)
		m &^= 1 << d
	}
	return dims
}

// Sets returns the dimension sets (indexes into names, ascending) of every table with at most
// maxDims of the dimensions not in internal, plus the sets in extra: what a family is asked to
// protect. Internal dimensions are those callers may not break down by themselves.
func Sets(names []string, internal []string, maxDims int, extra ...[]string) [][]int {
	var public uint64
	for d, n := range names {
		if !slices.Contains(internal, n) {
			public |= 1 << d
		}
	}
	var out [][]int
	for m := uint64(0); m < 1<<len(names); m++ {
		if m&^public == 0 && bits.OnesCount64(m) <= maxDims {
			out = append(out, dimsOf(m))
		}
	}
	for _, e := range extra {
		var dims []int
		for _, n := range e {
			if d := slices.Index(names, n); d >= 0 {
				dims = append(dims, d)
			}
		}
		slices.Sort(dims)
		out = append(out, dims)
	}
	return out
}

// ProtectFamily publishes the tables of a measure's facts (counted, or their distinct units
// counted once per cell when distinct) over the dimension sets given (indexes into names, each
// ascending) and over every subset of them (the table without any dimension, the total, among
// them), protected together ([Family]):
//
//   - primary suppression: a count below threshold is suppressed (a threshold below 1 is taken
//     as 1);
//   - rounding: every other count is published rounded to the nearest multiple of
//     [RoundingBase] (halves up), and never below the threshold rounded up to one;
//   - linked complementary suppression: an attacker is assumed to hold every table of the
//     family, to know how counts are rounded, that a suppressed cell counts at least one and an
//     absent cell none, and how the tables add up: a cell is the sum of its line in any table
//     with one more dimension (for counts of distinct units, where one unit may count in
//     several cells of a line, the sum where it adds up and otherwise only that the cell is at
//     most the line's sum and at least each of its cells). Every such relation over every
//     table is propagated to a fixed point (bounds on every cell), and while some small count
//     is left with a single possible value, more cells are suppressed where the bound that pins
//     it comes from.
//
// Differencing any two tables of the family (a line of one against the cells of the other
// that add up to the same total, through the table of the dimensions they share) is implied by
// those relations, so it never yields a small count either. Sets hold a few dimensions each: the
// 63 bits of a cell's key are shared among them, and a dimension with more values than its
// share holds is an error.
func ProtectFamily(names []string, sets [][]int, facts []Fact, distinct bool, threshold int) (*Family, error) {
	return protectFamily(names, sets, facts, distinct, threshold, nil)
}

// protectFamily is ProtectFamily with values withheld: a cell whose value of dimension d is
// withheld[d] is suppressed whatever its count (a category the measure never publishes), and
// the linked suppression protects the other cells with it suppressed.
func protectFamily(names []string, sets [][]int, facts []Fact, distinct bool, threshold int, withheld map[int]string) (*Family, error) {
	threshold = max(threshold, 1)
	masks := map[uint64]bool{}
	slots := 1
	for _, s := range sets {
		m := maskOf(s)
		slots = max(slots, len(s))
		// Every subset of the set: the tables it is differenced through.
		for sub := m; ; sub = (sub - 1) & m {
			masks[sub] = true
			if sub == 0 {
				break
			}
		}
	}
	order := make([]uint64, 0, len(masks))
	for m := range masks {
		order = append(order, m)
	}
	// Coarse tables first: the order never matters for safety, only for which cells are
	// suppressed when several would do.
	slices.SortFunc(order, func(a, b uint64) int {
		return cmp.Or(cmp.Compare(bits.OnesCount64(a), bits.OnesCount64(b)), cmp.Compare(a, b))
	})
	coded, err := encode(len(names), facts, distinct, slots)
	if err != nil {
		return nil, err
	}
	l := newLattice(order, coded, threshold)
	codes := map[int]uint32{}
	for d, v := range withheld {
		if i, ok := slices.BinarySearch(coded.values[d], v); ok {
			codes[d] = uint32(i)
		}
	}
	l.withhold(codes)
	if l.protect(); l.contradiction {
		return nil, errors.New("analytics: the attacker's bounds contradict the counts (a bug in the protection)")
	}
	out := &Family{names: names, tables: map[uint64]Table{}}
	for _, s := range l.tables {
		t := Table{Threshold: threshold, Cells: make([]Published, 0, s.n)}
		for _, d := range s.dims {
			t.Dimensions = append(t.Dimensions, names[d])
		}
		for c := s.first; c < s.first+s.n; c++ {
			p := Published{Key: l.facts.decode(l.key[c], s.dims), Suppressed: l.suppressed[c]}
			if !p.Suppressed {
				n := int(l.round(l.count[c]))
				p.Count = &n
			}
			t.Cells = append(t.Cells, p)
		}
		out.tables[s.mask] = t
	}
	return out, nil
}

// String describes the family's size and suppression, for logs.
func (f *Family) String() string {
	cells, hidden := 0, 0
	for _, t := range f.tables {
		for _, c := range t.Cells {
			cells++
			if c.Suppressed {
				hidden++
			}
		}
	}
	return fmt.Sprintf("%d tables, %d cells, %d suppressed", len(f.tables), cells, hidden)
}
