package partnernet_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
)

func TestAvailabilityOf(t *testing.T) {
	t.Parallel()
	places := func(n int) *int { return &n }
	tests := []struct {
		name     string
		capacity *int
		enrolled int
		want     partnernet.PlaceAvailability
	}{
		{"no limit", nil, 500, partnernet.PlacesAvailable},
		{"empty", places(20), 0, partnernet.PlacesAvailable},
		{"five left of twenty", places(20), 15, partnernet.PlacesAvailable},
		{"four left", places(20), 16, partnernet.PlacesFew},
		{"one left", places(20), 19, partnernet.PlacesFew},
		{"full", places(20), 20, partnernet.PlacesFull},
		{"more enrolled than places, after the capacity fell", places(20), 23, partnernet.PlacesFull},
		{"four places, one taken", places(4), 1, partnernet.PlacesLimited},
		{"four places, all taken", places(4), 4, partnernet.PlacesLimited},
		{"five places, none taken", places(5), 0, partnernet.PlacesAvailable},
		{"five places, one taken", places(5), 1, partnernet.PlacesFew},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, partnernet.AvailabilityOf(tt.capacity, tt.enrolled, 5))
		})
	}
}

// TestAvailabilityHidesSmallCounts checks every capacity and enrolled count: whoever knows the
// capacity and the band cannot tell a count between 1 and threshold-1 exactly, and a band other
// than LIMITED tells truly whether enrolling gives a place.
func TestAvailabilityHidesSmallCounts(t *testing.T) {
	t.Parallel()
	for _, threshold := range []int{3, 5, 12} {
		for capacity := 1; capacity <= 60; capacity++ {
			t.Run(fmt.Sprintf("threshold %d capacity %d", threshold, capacity), func(t *testing.T) {
				t.Parallel()
				band := func(enrolled int) partnernet.PlaceAvailability {
					return partnernet.AvailabilityOf(&capacity, enrolled, threshold)
				}
				for enrolled := range capacity + 10 {
					got := band(enrolled)
					switch got {
					case partnernet.PlacesAvailable, partnernet.PlacesFew:
						require.Less(t, enrolled, capacity, "a place is left")
					case partnernet.PlacesFull:
						require.GreaterOrEqual(t, enrolled, capacity, "no place is left")
					}
					if enrolled < 1 || enrolled >= threshold {
						continue
					}
					// Full bands are open above; count the candidates up to some way beyond.
					candidates := 0
					for other := range capacity + threshold + 10 {
						if band(other) == got {
							candidates++
						}
					}
					require.Greater(t, candidates, 1, "%d enrolled, %s: the count follows", enrolled, got)
				}
			})
		}
	}
}
