package store_test

import (
	"testing"
	"time"

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

// editable keeps of an activity what an editor writes, with its times in UTC, for comparison.
func editable(a partnernet.Activity) partnernet.Activity {
	utc := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		u := t.UTC()
		return &u
	}
	out := a
	out.ID, out.OrganiserID, out.Status, out.Version = 0, 0, "", 0
	out.PublishedAt, out.CancelledAt, out.CreatedAt, out.UpdatedAt, out.CoOrganiserIDs = nil, nil, time.Time{}, time.Time{}, nil
	schedule := func(s partnernet.Schedule) partnernet.Schedule {
		s.StartsAt = utc(s.StartsAt)
		ex := s.ExDates
		s.ExDates = nil
		for _, t := range ex {
			s.ExDates = append(s.ExDates, t.UTC())
		}
		return s
	}
	out.Schedule = schedule(a.Schedule)
	out.MoreSchedules = nil
	for _, s := range a.MoreSchedules {
		out.MoreSchedules = append(out.MoreSchedules, schedule(s))
	}
	return out
}

// TestActivityWriteRoundTripsEveryEditableField writes every field an editor may set, on create
// and again with other values on update, and reads each back in its own field: the column list,
// placeholders and arguments of the activity writes are derived from one list, and a value
// written to a neighbour's column would show here.
func TestActivityWriteRoundTripsEveryEditableField(t *testing.T) {
	t.Parallel()
	b := setupActivity(t, nil)
	malmo, err := b.st.MunicipalityGetByCode(b.ctx, "1280")
	require.NoError(t, err)
	lund, err := b.st.MunicipalityGetByCode(b.ctx, "1281")
	require.NoError(t, err)
	welcome, err := b.st.ProgrammeGetByCode(b.ctx, partnernet.ProgrammeWelcome)
	require.NoError(t, err)
	ptr := func(s string) *string { return &s }
	num := func(f float64) *float64 { return &f }
	at := func(d, h int) time.Time { return time.Date(2027, 1, d, h, 0, 0, 0, time.UTC) }
	ptrTime := func(t time.Time) *time.Time { return &t }
	start1, start2 := at(4, 17), at(5, 9)
	ten, twenty := 10, 20
	sixteen, eighteen, sixtyFive := 16, 18, 65
	first := partnernet.Activity{
		OrganiserID: b.activity.OrganiserID, ProgrammeID: b.activity.ProgrammeID, MunicipalityID: &malmo.ID,
		Title: "Språkcafé", Description: "Öva svenska", TitleEn: "Language café", DescriptionEn: "Practise Swedish",
		Category: partnernet.ActivityLanguagePractice, Languages: []string{"sv", "ar"},
		TargetGroups: []partnernet.TargetGroup{partnernet.TargetWomen}, Accessibility: "Ramp at the entrance",
		Online: false, OnlineURL: ptr("https://example.invalid/a"), Address: ptr("Storgatan 1, Malmö"),
		Latitude: num(55.6), Longitude: num(13.0),
		Schedule: partnernet.Schedule{StartsAt: &start1, DurationMinutes: 90, RRule: ptr("FREQ=WEEKLY;COUNT=4"),
			ExDates: []time.Time{at(11, 17)}},
		Capacity: &ten, MinAge: &sixteen, MaxAge: &sixtyFive, CostSEK: 20, CostNote: "Fika ingår", ContactName: ptr("Anna"),
		ContactEmail: ptr("anna@example.invalid"), ContactPhone: ptr("+46 40 123 45"),
		ApplicationProcess: "Anmäl dig till Anna", InterpretationServices: "Tolk på arabiska finns",
		ServiceAreaIDs: []int64{malmo.ID, lund.ID},
		MoreSchedules: []partnernet.Schedule{
			{StartsAt: ptrTime(at(9, 10)), DurationMinutes: 120, RRule: ptr("FREQ=WEEKLY;COUNT=3"), ExDates: []time.Time{at(16, 10)}},
			{StartsAt: ptrTime(at(30, 12)), DurationMinutes: 30, ExDates: []time.Time{}},
		},
	}
	second := partnernet.Activity{
		ProgrammeID: welcome.ID, MunicipalityID: &lund.ID,
		Title: "Välkommen till biblioteket", Description: "Ett besök", TitleEn: "Welcome to the library",
		DescriptionEn: "A visit", Category: partnernet.ActivityCivicOrientation, Languages: []string{"fa"},
		TargetGroups:  []partnernet.TargetGroup{partnernet.TargetFamilies, partnernet.TargetChildren},
		Accessibility: "Lift", Online: true, OnlineURL: ptr("https://example.invalid/b"), Address: ptr("Lilla torg 2, Lund"),
		Latitude: num(55.7), Longitude: num(13.2),
		Schedule: partnernet.Schedule{StartsAt: &start2, DurationMinutes: 45, RRule: ptr("FREQ=DAILY;COUNT=3"),
			ExDates: []time.Time{at(6, 9), at(7, 9)}},
		Capacity: &twenty, MinAge: &eighteen, CostSEK: 0, CostNote: "Gratis", ContactName: ptr("Omar"),
		ContactEmail: ptr("omar@example.invalid"), ContactPhone: ptr("046-12 34 56"),
		ApplicationProcess: "Drop in", InterpretationServices: "Dari interpreter on request",
		ServiceAreaIDs: []int64{lund.ID},
		MoreSchedules: []partnernet.Schedule{
			{StartsAt: ptrTime(at(12, 18)), DurationMinutes: 60, RRule: ptr("FREQ=DAILY;COUNT=2"), ExDates: []time.Time{}},
		},
	}

	var created, updated partnernet.Activity
	require.NoError(t, b.st.InTx(b.ctx, func(tx *store.Store) error {
		created, err = tx.ActivityCreate(b.ctx, first, nil)
		return err
	}))
	require.Equal(t, editable(first), editable(created))
	require.Equal(t, first.OrganiserID, created.OrganiserID)
	require.Equal(t, 1, created.Version)

	second.ID = created.ID
	require.NoError(t, b.st.InTx(b.ctx, func(tx *store.Store) error {
		if _, err := tx.ActivityLock(b.ctx, created.ID); err != nil {
			return err
		}
		updated, err = tx.ActivityUpdate(b.ctx, second, nil)
		return err
	}))
	require.Equal(t, editable(second), editable(updated))
	require.Equal(t, first.OrganiserID, updated.OrganiserID, "the organiser is not an editable field")
	require.Equal(t, 2, updated.Version)
}
