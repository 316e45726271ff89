package analytics

import (
	"cmp"
	"fmt"
	"slices"
)

// denseCells is the most cells a table is counted in an array rather than a map.
const denseCells = 1 << 20

// coded holds a measure's facts with every value replaced by its code (its rank among the
// dimension's values, so that codes sort as the values do), column by column, for counting
// tables quickly.
type coded struct {
	values   [][]string // per dimension, its values in order
	codes    [][]uint32 // per dimension, per fact
	weight   []int64    // per fact
	group    []int32    // per fact, its unit's ordinal (facts in unit order), when distinct
	distinct bool
	bits     uint // bits per dimension in a packed key
}

// encode codes facts; distinct counts units, each once per cell. slots is the most dimensions
// of a table, which sets how many bits each dimension's code gets in a packed key.
func encode(nDims int, facts []Fact, distinct bool, slots int) (*coded, error) {
	c := &coded{distinct: distinct, bits: uint(63 / max(slots, 1))}
	order := make([]int, len(facts))
	for i := range order {
		order[i] = i
	}
	if distinct {
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(facts[a].Unit, facts[b].Unit) })
		c.group = make([]int32, len(facts))
		g := int32(-1)
		for i, fi := range order {
			if i == 0 || facts[fi].Unit != facts[order[i-1]].Unit {
				g++
			}
			c.group[i] = g
		}
	}
	c.weight = make([]int64, len(facts))
	for i, fi := range order {
		c.weight[i] = int64(max(facts[fi].Weight, 1))
	}
	c.values = make([][]string, nDims)
	c.codes = make([][]uint32, nDims)
	for d := range nDims {
		seen := map[string]uint32{}
		for _, f := range facts {
			seen[f.Values[d]] = 0
		}
		vals := make([]string, 0, len(seen))
		for v := range seen {
			vals = append(vals, v)
		}
		slices.Sort(vals)
		if uint64(len(vals)) >= 1<<c.bits {
			return nil, fmt.Errorf("analytics: dimension %d has %d values, more than a key of %d dimensions holds", d, len(vals), slots)
		}
		for i, v := range vals {
			seen[v] = uint32(i)
		}
		c.values[d] = vals
		col := make([]uint32, len(facts))
		for i, fi := range order {
			col[i] = seen[facts[fi].Values[d]]
		}
		c.codes[d] = col
	}
	return c, nil
}

// pack makes the key of a cell from its dimensions' codes, the first most significant: keys of
// one table sort as the cells' values do.
func (c *coded) pack(codes []uint32) uint64 {
	var k uint64
	for _, x := range codes {
		k = k<<c.bits | uint64(x)
	}
	return k
}

// unpack returns the n codes of key k.
func (c *coded) unpack(k uint64, n int) []uint32 {
	out := make([]uint32, n)
	mask := uint64(1)<<c.bits - 1
	for i := n - 1; i >= 0; i-- {
		out[i] = uint32(k & mask)
		k >>= c.bits
	}
	return out
}

// decode returns the values of the cell of key k of the table over dims.
func (c *coded) decode(k uint64, dims []int) []string {
	codes := c.unpack(k, len(dims))
	out := make([]string, len(dims))
	for i, d := range dims {
		out[i] = c.values[d][codes[i]]
	}
	return out
}

// count returns the cells of the table over dims with a count above zero, in key order: their
// keys and counts (units counted once per cell when distinct).
func (c *coded) count(dims []int) (keys []uint64, counts []int64) {
	size := 1
	for _, d := range dims {
		size *= max(len(c.values[d]), 1)
		if size > denseCells {
			return c.countSparse(dims)
		}
	}
	// index is the cell's position in the array: its codes in mixed radix.
	index := func(i int) int {
		x := 0
		for _, d := range dims {
			x = x*len(c.values[d]) + int(c.codes[d][i])
		}
		return x
	}
	n := make([]int64, size)
	if c.distinct {
		last := make([]int32, size) // the last unit counted in the cell, plus one
		for i := range c.weight {
			x := index(i)
			if last[x] != c.group[i]+1 {
				last[x] = c.group[i] + 1
				n[x]++
			}
		}
	} else {
		for i, w := range c.weight {
			n[index(i)] += w
		}
	}
	codes := make([]uint32, len(dims))
	for x, v := range n {
		if v == 0 {
			continue
		}
		rest := x
		for j := len(dims) - 1; j >= 0; j-- {
			card := len(c.values[dims[j]])
			codes[j] = uint32(rest % card)
			rest /= card
		}
		keys = append(keys, c.pack(codes))
		counts = append(counts, v)
	}
	return keys, counts
}

// countSparse is count for tables too large for an array.
func (c *coded) countSparse(dims []int) (keys []uint64, counts []int64) {
	n := map[uint64]int64{}
	last := map[uint64]int32{}
	codes := make([]uint32, len(dims))
	for i, w := range c.weight {
		for j, d := range dims {
			codes[j] = c.codes[d][i]
		}
		k := c.pack(codes)
		if !c.distinct {
			n[k] += w
		} else if g, ok := last[k]; !ok || g != c.group[i] {
			last[k] = c.group[i]
			n[k]++
		}
	}
	keys = make([]uint64, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	counts = make([]int64, len(keys))
	for i, k := range keys {
		counts[i] = n[k]
	}
	return keys, counts
}
