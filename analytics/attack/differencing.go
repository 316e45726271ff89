package attack

import (
	"fmt"
	"slices"
	"strings"
)

// Inf stands for "no upper bound".
const Inf = 1 << 40

// Rule is how published counts relate to true ones, as the publisher documents it: a count
// below Threshold is suppressed; any other is published rounded to the nearest multiple of Base
// (halves up), and never below Threshold rounded up to a multiple of Base. Base 1 publishes
// counts as they are.
type Rule struct {
	Threshold, Base int
}

// Round returns what a count at or above the threshold is published as.
func (r Rule) Round(n int) int {
	b := max(r.Base, 1)
	floor := (r.Threshold + b - 1) / b * b
	return max((n+b/2)/b*b, floor)
}

// Unround returns the smallest and largest counts published as v.
func (r Rule) Unround(v int) (lo, hi int) {
	lo, hi = Inf, 0
	b := max(r.Base, 1)
	for n := max(r.Threshold, 1, v-2*b); n <= v+2*b; n++ {
		if r.Round(n) == v {
			lo, hi = min(lo, n), max(hi, n)
		}
	}
	return lo, hi
}

// Table is a published table as the attacker holds it: its dimensions, and its cells keyed by
// their values joined with "|", nil for a suppressed count. Cells absent count nothing.
type Table struct {
	Dimensions []string
	Cells      map[string]*int
}

// Cell names a cell of one of the attacked tables.
type Cell struct {
	Table int
	Key   string
}

// Differencing is the attack on a family of published tables of one measure: every pair of
// tables is differenced through the dimensions they share (the cells of one that agree on those
// dimensions add up to the same as the cells of the other that do), and what each difference
// reveals about a cell feeds all the others until nothing changes.
type Differencing struct {
	// Tables are what the attacker holds.
	Tables []Table
	// Rule is how counts are published.
	Rule Rule
	// Distinct says the measure counts distinct units, which may count in several cells of one
	// table: then two groups of cells add up to the same only where their true counts do (the
	// attacker is granted every such relation that holds), and otherwise each cell is at most
	// the other group's sum.
	Distinct bool
	// Truth returns the true count of a cell of a table over dims: to decide which relations
	// hold for distinct counts.
	Truth func(dims []string, key []string) int
}

// constraint says that the sum of the cells left is at most the sum of the cells right, or
// with each, that every cell left is.
type constraint struct {
	left, right []int
	each        bool
}

// Bounds returns what the attacker knows of every cell of every table: the smallest and largest
// count it may have (hi is Inf when unbounded). A published count is known as its rule allows,
// a suppressed one as at least one, and every pair's relations are applied until no bound
// moves.
func (a Differencing) Bounds() map[Cell][2]int {
	var cells []Cell
	index := map[Cell]int{}
	var lo, hi []int
	for ti, t := range a.Tables {
		keys := make([]string, 0, len(t.Cells))
		for k := range t.Cells {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			c := Cell{ti, k}
			index[c] = len(cells)
			cells = append(cells, c)
			if v := t.Cells[k]; v != nil {
				l, h := a.Rule.Unround(*v)
				lo, hi = append(lo, l), append(hi, h)
			} else {
				lo, hi = append(lo, 1), append(hi, Inf)
			}
		}
	}
	var cons []constraint
	for i := range a.Tables {
		for j := i + 1; j < len(a.Tables); j++ {
			cons = append(cons, a.pair(i, j, index)...)
		}
	}
	// Propagate: a constraint left <= right bounds each left cell from above and each right
	// cell from below.
	byCell := make([][]int, len(cells))
	for ci, c := range cons {
		for _, x := range c.left {
			byCell[x] = append(byCell[x], ci)
		}
		for _, x := range c.right {
			byCell[x] = append(byCell[x], ci)
		}
	}
	queue := make([]int, len(cons))
	queued := make([]bool, len(cons))
	for i := range cons {
		queue[i], queued[i] = i, true
	}
	touch := func(x int) {
		for _, ci := range byCell[x] {
			if !queued[ci] {
				queued[ci] = true
				queue = append(queue, ci)
			}
		}
	}
	// sumHi returns the finite upper bounds of xs added up, and how many are unbounded.
	sumHi := func(xs []int) (sum, unbounded int) {
		for _, x := range xs {
			if hi[x] >= Inf {
				unbounded++
			} else {
				sum += hi[x]
			}
		}
		return sum, unbounded
	}
	for len(queue) > 0 {
		ci := queue[0]
		queue = queue[1:]
		queued[ci] = false
		c := cons[ci]
		// What the left side adds up to at least (each: its largest cell, which alone is
		// bounded), and how much a left cell leaves of it.
		leftLo, rest := 0, func(x int) int { return 0 }
		for _, x := range c.left {
			if c.each {
				leftLo = max(leftLo, lo[x])
			} else {
				leftLo += lo[x]
			}
		}
		if !c.each {
			rest = func(x int) int { return leftLo - lo[x] }
		}
		rightHi, rightInf := sumHi(c.right)
		if rightInf == 0 {
			for _, x := range c.left {
				if v := rightHi - rest(x); v < hi[x] {
					hi[x] = v
					touch(x)
				}
			}
		}
		for _, x := range c.right {
			others, othersInf := rightHi, rightInf
			if hi[x] >= Inf {
				othersInf--
			} else {
				others -= hi[x]
			}
			if othersInf == 0 {
				if v := leftLo - others; v > lo[x] {
					lo[x] = v
					touch(x)
				}
			}
		}
	}
	out := make(map[Cell][2]int, len(cells))
	for i, c := range cells {
		out[c] = [2]int{lo[i], hi[i]}
	}
	return out
}

// pair returns the relations between tables i and j: for every combination of the values of
// the dimensions they share, the group of cells of each with those values.
func (a Differencing) pair(i, j int, index map[Cell]int) []constraint {
	ti, tj := a.Tables[i], a.Tables[j]
	var shared []string
	for _, d := range ti.Dimensions {
		if slices.Contains(tj.Dimensions, d) {
			shared = append(shared, d)
		}
	}
	groups := func(t int) map[string][]string {
		out := map[string][]string{}
		for k := range a.Tables[t].Cells {
			values := strings.Split(k, "|")
			if len(a.Tables[t].Dimensions) == 0 {
				values = nil
			}
			g := make([]string, len(shared))
			for s, d := range shared {
				g[s] = values[slices.Index(a.Tables[t].Dimensions, d)]
			}
			gk := strings.Join(g, "|")
			out[gk] = append(out[gk], k)
		}
		return out
	}
	gi, gj := groups(i), groups(j)
	var out []constraint
	for g, ki := range gi {
		kj := gj[g]
		left := cellIndexes(i, ki, index)
		right := cellIndexes(j, kj, index)
		if !a.Distinct {
			out = append(out, constraint{left: left, right: right}, constraint{left: right, right: left})
			continue
		}
		var values []string
		if len(shared) > 0 {
			values = strings.Split(g, "|")
		}
		total := a.Truth(shared, values)
		addsUp := func(t Table, keys []string) bool {
			n := 0
			for _, k := range keys {
				var v []string
				if len(t.Dimensions) > 0 {
					v = strings.Split(k, "|")
				}
				n += a.Truth(t.Dimensions, v)
			}
			return n == total
		}
		ai, aj := addsUp(ti, ki), addsUp(tj, kj)
		if ai && aj {
			out = append(out, constraint{left: left, right: right}, constraint{left: right, right: left})
			continue
		}
		// Each cell is at most the shared total, which is at most either group's sum; a group
		// that adds up is the shared total.
		out = append(out, constraint{left, right, true}, constraint{right, left, true})
		if ai {
			out = append(out, constraint{left: left, right: right})
		}
		if aj {
			out = append(out, constraint{left: right, right: left})
		}
	}
	return out
}

// cellIndexes returns the indexes of the cells keys of table t.
func cellIndexes(t int, keys []string, index map[Cell]int) []int {
	out := make([]int, 0, len(keys))
	for _, k := range keys {
		x, ok := index[Cell{t, k}]
		if !ok {
			panic(fmt.Sprintf("attack: no cell %q in table %d", k, t))
		}
		out = append(out, x)
	}
	return out
}
