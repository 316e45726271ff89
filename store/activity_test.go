package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

func TestActivityDistanceFilter(t *testing.T) {
	t.Parallel()
	b := setupActivity(t, nil)
	place := func(title string, lat, lon float64) int64 {
		a := b.activity
		a.Title, a.Latitude, a.Longitude = title, &lat, &lon
		var created partnernet.Activity
		require.NoError(t, b.st.InTx(b.ctx, func(tx *store.Store) error {
			var err error
			created, err = tx.ActivityCreate(b.ctx, a, nil)
			if err != nil {
				return err
			}
			created, err = tx.ActivitySetStatus(b.ctx, created.ID, partnernet.ActivityPublished)
			return err
		}))
		return created.ID
	}
	malmo := place("Malmö", 55.6050, 13.0038)
	lund := place("Lund", 55.7047, 13.1910)   // 15.9 km from Malmö
	ystad := place("Ystad", 55.4295, 13.8200) // 54.6 km from Malmö
	tests := []struct {
		name     string
		radiusKm float64
		desc     bool
		want     []int64
	}{
		{"just short of Lund", 15.5, false, []int64{malmo}},
		{"just past Lund", 16.5, false, []int64{malmo, lund}},
		{"the three, nearest first", 60, false, []int64{malmo, lund, ystad}},
		{"the three, farthest first", 60, true, []int64{ystad, lund, malmo}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := store.ActivityFilter{IDs: []int64{malmo, lund, ystad},
				Near: &store.GeoPoint{Latitude: 55.6050, Longitude: 13.0038, RadiusKm: tt.radiusKm}}
			// Walk the list two at a time, so the keyset of the distance order is exercised.
			var got []int64
			var after *store.Key
			for {
				page, err := b.st.ActivityList(b.ctx, f, store.Order{Column: store.OrderDistance, Desc: tt.desc}, store.Page{Limit: 2, After: after})
				require.NoError(t, err)
				for _, a := range page.Rows {
					got = append(got, a.ID)
				}
				if !page.HasMore {
					break
				}
				after = &page.Keys[len(page.Keys)-1]
			}
			require.Equal(t, tt.want, got)
		})
	}
}
