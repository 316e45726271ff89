package attack_test

import (
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
