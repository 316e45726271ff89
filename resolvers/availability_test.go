package resolvers_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
)

// TestAvailabilityHidesSmallEnrolmentCounts reads every activity of the demo network (with the
// analytics demo's enrolments) as anonymous and as another organisation's publisher, as an
// attacker would: capacity is public, and placesLeft, where given, is capacity less the enrolled;
// otherwise availability's band, as the schema documents it, bounds how many are enrolled. No
// count between 1 and the threshold may follow, and the band must tell truly whether a place is
// left.
func TestAvailabilityHidesSmallEnrolmentCounts(t *testing.T) {
	t.Parallel()
	env := analyticsEnv(t)
	ctx := context.Background()
	enrolled := map[int64]int{}
	rows, err := env.Pool.Query(ctx, `SELECT activity_id, count(*) FROM enrolment WHERE status = 'ENROLLED' GROUP BY activity_id`)
	require.NoError(t, err)
	for rows.Next() {
		var id int64
		var n int
		require.NoError(t, rows.Scan(&id, &n))
		enrolled[id] = n
	}
	require.NoError(t, rows.Err())
	const threshold = analytics.DefaultThreshold
	const query = `query($after: String) { activities(first: 100, after: $after) {
	  pageInfo { hasNextPage endCursor } edges { node { id capacity placesLeft availability } } } }`
	type page struct {
		Activities struct {
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct {
				Node struct {
					ID           string
					Capacity     *int
					PlacesLeft   *int
					Availability string
				}
			}
		}
	}
	for _, caller := range []struct {
		name      string
		principal authz.Principal
		wantCode  string
	}{
		{"anonymous", anonymous, "UNAUTHENTICATED"},
		{"another organisation's publisher", staff(t, env, "malmo-universitet", authz.RolePublisher), "FORBIDDEN"},
	} {
		t.Run(caller.name, func(t *testing.T) {
			seen, small := 0, 0
			vars := map[string]any{}
			for {
				resp := env.Do(t, caller.principal, query, vars)
				for _, code := range resp.Codes() {
					require.Equal(t, caller.wantCode, code, "placesLeft is refused like enrolmentCounts")
				}
				var got page
				resp.Decode(t, &got)
				for _, e := range got.Activities.Edges {
					a := e.Node
					id, err := relay.DecodeID("id", "Activity", a.ID)
					require.NoError(t, err)
					n := enrolled[id]
					seen++
					if a.Capacity == nil {
						require.Equal(t, "AVAILABLE", a.Availability, "no limit")
						continue
					}
					c := *a.Capacity
					// The enrolled counts consistent with what the caller reads: [lo, hi].
					lo, hi := 0, 1<<30
					switch {
					case a.PlacesLeft != nil && *a.PlacesLeft > 0:
						lo, hi = c-*a.PlacesLeft, c-*a.PlacesLeft
					case a.PlacesLeft != nil:
						lo = c
					case a.Availability == "AVAILABLE":
						hi = c - threshold
					case a.Availability == "FEW_PLACES_LEFT":
						lo, hi = c-threshold+1, c-1
					case a.Availability == "FULL":
						lo = c
					case a.Availability == "LIMITED":
						require.Less(t, c, threshold, "only activities with fewer places than the threshold")
					default:
						t.Fatalf("availability %q", a.Availability)
					}
					require.True(t, lo <= n && n <= hi, "%s: %d enrolled of %d, read as %d to %d", a.Availability, n, c, lo, hi)
					if n >= 1 && n < threshold {
						small++
						require.Less(t, max(lo, 0), hi, "activity %d: %d enrolled follows from capacity %d and %s", id, n, c, a.Availability)
					}
				}
				if !got.Activities.PageInfo.HasNextPage {
					break
				}
				vars["after"] = got.Activities.PageInfo.EndCursor
			}
			require.Positive(t, seen)
			require.GreaterOrEqual(t, small, 20, "the demo activities with few enrolled are attacked")
		})
	}
}
