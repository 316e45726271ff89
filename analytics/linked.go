package analytics

import (
	"cmp"
	"slices"
)

// inf stands for "no upper bound" in the attacker's bounds.
const inf = int64(1) << 60

// releaseDepth bounds how far protection follows the bounds that pin a cell back to the
// published cells they come from, before it suppresses a cell closer by; releaseBreadth how
// many suppressed cells of a relation it follows.
const (
	releaseDepth   = 3
	releaseBreadth = 4
)

// span is a table of the lattice: its dimensions and where its cells lie in the cell arrays.
type span struct {
	mask     uint64
	dims     []int
	first, n int32
}

// lattice holds the cells of every table of a family and the relations between them: each is a
// cell (the total) and its line in a table with one more dimension (the members). Protection
// decides which cells are suppressed; the attacker's bounds are what can be known of each.
type lattice struct {
	threshold  int64
	facts      *coded
	tables     []span
	key        []uint64 // each cell's packed key, within its table
	count      []int64
	dims       []int8 // how many dimensions each cell's table has
	primary    []bool // below the threshold
	withheld   []bool // never published, whatever their count (a value withheld of a dimension)
	suppressed []bool // primary, withheld or complementary
	// contradiction is set when the attacker's bounds exclude a true count, which sound
	// reasoning never does: protection then publishes nothing.
	contradiction bool

	// Relation r has the total relTotal[r] and the members relMember[relStart[r]:relStart[r+1]];
	// relUnion[r] when the members' counts do not add up to the total (distinct units counted
	// in several members), so only total <= sum and member <= total hold.
	relTotal  []int32
	relStart  []int32
	relMember []int32
	relUnion  []bool
	// The relations cell c takes part in are cellRel[cellStart[c]:cellStart[c+1]].
	cellStart []int32
	cellRel   []int32

	// The attacker's bounds on every cell, and the relations waiting to be propagated.
	lo, hi []int64
	queued []bool
	queue  []int32
	// changed marks the relations with a cell suppressed in this round of protection: their
	// bounds will move, so they need no lever of their own.
	changed []bool
	// visited marks the cells release has followed in the round of protection pass.
	visited []int32
	pass    int32
}

// newLattice counts the tables of masks (with every subset of each among them) from the facts
// and relates them.
func newLattice(masks []uint64, facts *coded, threshold int) *lattice {
	l := &lattice{threshold: int64(threshold), facts: facts}
	at := map[uint64]int{}
	for ti, m := range masks {
		at[m] = ti
		dims := dimsOf(m)
		keys, counts := facts.count(dims)
		l.tables = append(l.tables, span{mask: m, dims: dims, first: int32(len(l.count)), n: int32(len(keys))})
		l.key = append(l.key, keys...)
		l.count = append(l.count, counts...)
		for range keys {
			l.dims = append(l.dims, int8(len(dims)))
		}
	}
	// Relations: every cell of a table belongs to one line along each of its dimensions, whose
	// total is a cell of the table without that dimension.
	type membership struct{ rel, cell int32 }
	var members []membership
	for _, s := range l.tables {
		for pos, d := range s.dims {
			parent := l.tables[at[s.mask&^(1<<d)]]
			parentKeys := l.key[parent.first : parent.first+parent.n]
			rel := make([]int32, parent.n) // the relation of each parent cell, plus one
			for c := s.first; c < s.first+s.n; c++ {
				codes := facts.unpack(l.key[c], len(s.dims))
				p, ok := slices.BinarySearch(parentKeys, facts.pack(slices.Delete(codes, pos, pos+1)))
				if !ok {
					continue // cannot be: a cell's coarsening counts at least as much
				}
				if rel[p] == 0 {
					l.relTotal = append(l.relTotal, parent.first+int32(p))
					rel[p] = int32(len(l.relTotal))
				}
				members = append(members, membership{rel[p] - 1, c})
			}
		}
	}
	// Members by relation, in cell order.
	slices.SortFunc(members, func(a, b membership) int {
		return cmp.Or(cmp.Compare(a.rel, b.rel), cmp.Compare(a.cell, b.cell))
	})
	l.relStart = make([]int32, len(l.relTotal)+1)
	l.relMember = make([]int32, len(members))
	for i, m := range members {
		l.relStart[m.rel+1]++
		l.relMember[i] = m.cell
	}
	for r := range l.relTotal {
		l.relStart[r+1] += l.relStart[r]
	}
	l.relUnion = make([]bool, len(l.relTotal))
	for r := range l.relTotal {
		sum := int64(0)
		for _, m := range l.members(int32(r)) {
			sum += l.count[m]
		}
		l.relUnion[r] = sum != l.count[l.relTotal[r]]
	}
	// Relations by cell.
	l.cellStart = make([]int32, len(l.count)+1)
	for r, t := range l.relTotal {
		l.cellStart[t+1]++
		for _, m := range l.members(int32(r)) {
			l.cellStart[m+1]++
		}
	}
	for c := range l.count {
		l.cellStart[c+1] += l.cellStart[c]
	}
	l.cellRel = make([]int32, l.cellStart[len(l.count)])
	fill := slices.Clone(l.cellStart[:len(l.count)])
	add := func(c, r int32) {
		l.cellRel[fill[c]] = r
		fill[c]++
	}
	for r, t := range l.relTotal {
		add(t, int32(r))
		for _, m := range l.members(int32(r)) {
			add(m, int32(r))
		}
	}
	n := len(l.count)
	l.primary, l.withheld, l.suppressed = make([]bool, n), make([]bool, n), make([]bool, n)
	l.lo, l.hi = make([]int64, n), make([]int64, n)
	l.queued = make([]bool, len(l.relTotal))
	l.changed = make([]bool, len(l.relTotal))
	l.visited = make([]int32, n)
	return l
}

// withhold marks the cells whose value of some dimension is withheld (codes by dimension):
// they are suppressed like small ones, though their counts need no protection of their own.
func (l *lattice) withhold(codes map[int]uint32) {
	if len(codes) == 0 {
		return
	}
	for _, s := range l.tables {
		for c := s.first; c < s.first+s.n; c++ {
			key := l.facts.unpack(l.key[c], len(s.dims))
			for i, d := range s.dims {
				if code, ok := codes[d]; ok && key[i] == code {
					l.withheld[c] = true
				}
			}
		}
	}
}

// members returns relation r's members.
func (l *lattice) members(r int32) []int32 { return l.relMember[l.relStart[r]:l.relStart[r+1]] }

// relations returns the relations cell c takes part in.
func (l *lattice) relations(c int32) []int32 { return l.cellRel[l.cellStart[c]:l.cellStart[c+1]] }

// protect suppresses the small cells, then adds complementary suppressions until the attacker
// pins no small cell to a single value. It returns how many rounds of propagation that took.
func (l *lattice) protect() int {
	for c, n := range l.count {
		l.primary[c] = n < l.threshold
		l.suppressed[c] = l.primary[c] || l.withheld[c]
	}
	for round := 1; ; round++ {
		l.propagate()
		if l.contradiction {
			return round
		}
		var pinned []int32
		for c := range l.count {
			if l.primary[c] && l.lo[c] == l.hi[c] {
				pinned = append(pinned, int32(c))
			}
		}
		if len(pinned) == 0 {
			return round
		}
		added := 0
		clear(l.changed)
		l.pass = int32(round)
		for _, p := range pinned {
			for _, c := range l.release(p) {
				if !l.suppressed[c] {
					l.suppressed[c] = true
					added++
					for _, r := range l.relations(c) {
						l.changed[r] = true
					}
				}
			}
		}
		if added == 0 {
			added = l.suppressNeighbours(pinned)
		}
		if added == 0 {
			// Cannot be (a finite bound comes from some published cell), but if it were,
			// publishing nothing is safe.
			if !slices.Contains(l.suppressed, false) {
				return round
			}
			for c := range l.suppressed {
				l.suppressed[c] = true
			}
		}
	}
}

// propagate computes the attacker's bounds on every cell: a published cell lies within the
// counts its rounded value stands for, a suppressed one counts at least 1, and every relation is
// applied until none tightens a bound any more.
func (l *lattice) propagate() {
	for c, n := range l.count {
		if l.suppressed[c] {
			l.lo[c], l.hi[c] = 1, inf
		} else {
			l.lo[c], l.hi[c] = l.interval(l.round(n))
		}
	}
	// Every relation, as rounded counts are bounds too.
	l.queue = l.queue[:0]
	for r := range l.relTotal {
		l.queued[r] = true
		l.queue = append(l.queue, int32(r))
	}
	for head := 0; head < len(l.queue); head++ {
		r := l.queue[head]
		l.queued[r] = false
		l.apply(r)
		if head > 1<<16 && head > len(l.queue)/2 {
			l.queue = append(l.queue[:0], l.queue[head+1:]...)
			head = -1
		}
	}
}

// apply tightens the bounds of relation r's cells by what the relation implies.
func (l *lattice) apply(r int32) {
	t, ms := l.relTotal[r], l.members(r)
	var sumLo, sumHi, maxLo int64
	infs := 0
	for _, m := range ms {
		sumLo += l.lo[m]
		maxLo = max(maxLo, l.lo[m])
		if l.hi[m] >= inf {
			infs++
		} else {
			sumHi += l.hi[m]
		}
	}
	if l.relUnion[r] {
		l.raise(t, maxLo)
	} else {
		l.raise(t, sumLo)
	}
	if infs == 0 {
		l.lower(t, sumHi)
	}
	tlo, thi := l.lo[t], l.hi[t]
	for _, m := range ms {
		mlo, mhi := l.lo[m], l.hi[m]
		if thi < inf {
			if l.relUnion[r] {
				l.lower(m, thi)
			} else {
				l.lower(m, thi-(sumLo-mlo))
			}
		}
		others := infs
		if mhi >= inf {
			others--
		}
		if others == 0 {
			rest := sumHi
			if mhi < inf {
				rest -= mhi
			}
			l.raise(m, tlo-rest)
		}
	}
}

// raise sets cell c's lower bound to v if that is tighter.
func (l *lattice) raise(c int32, v int64) {
	if v <= l.lo[c] {
		return
	}
	if v > l.hi[c] || v > l.count[c] {
		l.contradiction = true
		return
	}
	l.lo[c] = v
	l.touch(c)
}

// lower sets cell c's upper bound to v if that is tighter.
func (l *lattice) lower(c int32, v int64) {
	if v >= l.hi[c] {
		return
	}
	if v < l.lo[c] || v < l.count[c] {
		l.contradiction = true
		return
	}
	l.hi[c] = v
	l.touch(c)
}

// touch queues the relations of c, whose bound changed.
func (l *lattice) touch(c int32) {
	for _, r := range l.relations(c) {
		if !l.queued[r] {
			l.queued[r] = true
			l.queue = append(l.queue, r)
		}
	}
}

// localHi is the upper bound relation r alone gives its cell c, from the others' bounds.
func (l *lattice) localHi(r, c int32) int64 {
	t := l.relTotal[r]
	if c == t {
		sum := int64(0)
		for _, m := range l.members(r) {
			if l.hi[m] >= inf {
				return inf
			}
			sum += l.hi[m]
		}
		return sum
	}
	if l.hi[t] >= inf {
		return inf
	}
	if l.relUnion[r] {
		return l.hi[t]
	}
	others := int64(0)
	for _, m := range l.members(r) {
		if m != c {
			others += l.lo[m]
		}
	}
	return l.hi[t] - others
}

// localLo is the lower bound relation r alone gives its cell c, from the others' bounds.
func (l *lattice) localLo(r, c int32) int64 {
	t := l.relTotal[r]
	if c == t {
		v := int64(0)
		for _, m := range l.members(r) {
			if l.relUnion[r] {
				v = max(v, l.lo[m])
			} else {
				v += l.lo[m]
			}
		}
		return v
	}
	others := int64(0)
	for _, m := range l.members(r) {
		if m != c {
			if l.hi[m] >= inf {
				return 1
			}
			others += l.hi[m]
		}
	}
	return max(l.lo[t]-others, 1)
}

// release returns published cells whose suppression loosens the upper bound that pins the
// small cell p.
func (l *lattice) release(p int32) []int32 {
	l.visited[p] = l.pass
	return l.loosen(p, true, 0)
}

// lever is a cell of a relation whose bound, moved in a direction, moves the bound the relation
// gives another cell: a published cell (suppressing it moves its bounds), or a suppressed one
// to loosen in turn (upper: raise its upper bound; otherwise lower its lower bound).
type lever struct {
	cell  int32
	upper bool
}

// loosen returns published cells whose suppression moves the upper (upper) or lower bound of the
// suppressed cell c: in every relation whose bound on c is c's bound, the best published cell
// that moves it, or else what loosens a suppressed cell that does, following such cells at most
// releaseDepth deep (and each once a round).
func (l *lattice) loosen(c int32, upper bool, depth int) []int32 {
	var out []int32
	for _, r := range l.relations(c) {
		if l.changed[r] || upper && l.localHi(r, c) != l.hi[c] || !upper && l.localLo(r, c) != l.lo[c] {
			continue
		}
		levers := l.levers(r, c, upper)
		var published []int32
		for _, v := range levers {
			if !l.suppressed[v.cell] {
				published = append(published, v.cell)
			}
		}
		// Finer tables first (their cells are the least informative), then smaller counts.
		slices.SortFunc(published, func(a, b int32) int {
			return cmp.Or(cmp.Compare(l.dims[b], l.dims[a]), cmp.Compare(l.count[a], l.count[b]), cmp.Compare(a, b))
		})
		if i := slices.IndexFunc(published, func(v int32) bool { return !l.exposed(v) }); i >= 0 {
			out = append(out, published[i])
			continue
		}
		found := false
		if depth < releaseDepth {
			tried := 0
			for _, v := range levers {
				if !l.suppressed[v.cell] || l.visited[v.cell] == l.pass {
					continue
				}
				if tried++; tried > releaseBreadth {
					break
				}
				l.visited[v.cell] = l.pass
				if sub := l.loosen(v.cell, v.upper, depth+1); len(sub) > 0 {
					out = append(out, sub...)
					found = true
					break
				}
			}
		}
		if !found && len(published) > 0 {
			out = append(out, published[0])
		}
	}
	return out
}

// levers lists the cells of relation r that move the bound it gives cell c (upper or lower).
func (l *lattice) levers(r, c int32, upper bool) []lever {
	t, ms := l.relTotal[r], l.members(r)
	var out []lever
	hidden := func(v int32) bool { return l.suppressed[v] }
	switch {
	case c == t && (upper || !l.relUnion[r]):
		// Upper: the members' upper bounds add up; lower (a sum): their lower bounds do.
		for _, m := range ms {
			if !hidden(m) || upper && l.hi[m] < inf || !upper && l.lo[m] > 1 {
				out = append(out, lever{m, upper})
			}
		}
	case c == t:
		// Lower bound of a union: the largest member's lower bound.
		for _, m := range ms {
			if l.lo[m] == l.lo[c] {
				out = append(out, lever{m, false})
			}
		}
	case upper:
		// A member's upper bound: the total's upper bound, less the others' lower bounds
		// (for a sum).
		if !hidden(t) || l.hi[t] < inf {
			out = append(out, lever{t, true})
		}
		if !l.relUnion[r] {
			for _, m := range ms {
				if m != c && (!hidden(m) || l.lo[m] > 1) {
					out = append(out, lever{m, false})
				}
			}
		}
	default:
		// A member's lower bound: the total's lower bound, less the others' upper bounds.
		if !hidden(t) || l.lo[t] > 1 {
			out = append(out, lever{t, false})
		}
		for _, m := range ms {
			if m != c && (!hidden(m) || l.hi[m] < inf) {
				out = append(out, lever{m, true})
			}
		}
	}
	return out
}

// exposed reports whether published cell v would be known even if suppressed: some relation of
// it has every other cell known.
func (l *lattice) exposed(v int32) bool {
	known := func(c int32) bool { return c == v || l.lo[c] == l.hi[c] }
	for _, r := range l.relations(v) {
		if l.relUnion[r] {
			continue
		}
		all := known(l.relTotal[r])
		for _, m := range l.members(r) {
			all = all && known(m)
		}
		if all {
			return true
		}
	}
	return false
}

// suppressNeighbours suppresses the published cells nearest to the pinned cells (through
// relations), when choosing levers found none; it returns how many it suppressed.
func (l *lattice) suppressNeighbours(pinned []int32) int {
	added := 0
	seen := map[int32]bool{}
	frontier := pinned
	for len(frontier) > 0 && added == 0 {
		var next []int32
		for _, c := range frontier {
			for _, r := range l.relations(c) {
				for _, v := range append([]int32{l.relTotal[r]}, l.members(r)...) {
					if seen[v] {
						continue
					}
					seen[v] = true
					if !l.suppressed[v] {
						l.suppressed[v] = true
						added++
					} else {
						next = append(next, v)
					}
				}
			}
		}
		frontier = next
	}
	return added
}

// RoundingBase is the base published counts are rounded to.
const RoundingBase = 5

// round is the published value of a count at or above the threshold: the nearest multiple of
// RoundingBase (halves up), at least the smallest multiple of it that is not below the
// threshold.
func (l *lattice) round(n int64) int64 {
	r := (n + RoundingBase/2) / RoundingBase * RoundingBase
	floor := (l.threshold + RoundingBase - 1) / RoundingBase * RoundingBase
	return max(r, floor)
}

// interval returns the counts at or above the threshold that are published as r.
func (l *lattice) interval(r int64) (lo, hi int64) {
	lo, hi = inf, 0
	for n := max(l.threshold, r-2*RoundingBase); n <= r+2*RoundingBase; n++ {
		if l.round(n) == r {
			lo, hi = min(lo, n), max(hi, n)
		}
	}
	return lo, hi
}
