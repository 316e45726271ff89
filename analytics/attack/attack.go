// Package attack is the attacker of the disclosure-control tests: given what a differencing
// attack learns about a line of suppressed cells (bounds on each and their sum), it enumerates
// every assignment that fits, to tell whether a suppressed count follows. It is for tests only.
package attack

// Feasible returns, for each cell, every value it takes in some assignment of integers within
// [lo[i], hi[i]] whose sum is sum.
func Feasible(lo, hi []int, sum int) []map[int]bool {
	possible := make([]map[int]bool, len(lo))
	for i := range possible {
		possible[i] = map[int]bool{}
	}
	enumerate(lo, hi, sum, nil, possible)
	return possible
}

// enumerate extends prefix by every value the next cell can take, recording complete
// assignments that reach sum.
func enumerate(lo, hi []int, sum int, prefix []int, possible []map[int]bool) {
	i := len(prefix)
	if i == len(lo) {
		if sum == 0 {
			for j, v := range prefix {
				possible[j][v] = true
			}
		}
		return
	}
	restLo := 0
	for _, l := range lo[i+1:] {
		restLo += l
	}
	for v := lo[i]; v <= min(hi[i], sum-restLo); v++ {
		enumerate(lo, hi, sum-v, append(prefix, v), possible)
	}
}
