package calendar_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/calendar"
	"github.com/partnerskap-skane/partnernet/store"
)

func TestFilterFromQuery(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, partnernet.Stockholm)
	tests := []struct {
		name      string
		query     string
		want      store.ActivityFilter
		wantField string
	}{
		{name: "empty", query: "", want: store.ActivityFilter{Announced: true}},
		{
			name:  "every parameter",
			query: "municipality=1280&municipality=1281&category=SPORTS&language=ti&targetGroup=WOMEN&programme=NAD&organisation=abf&from=2026-12-01T00:00:00%2B01:00&q=fotboll",
			want: store.ActivityFilter{
				Announced: true, MunicipalityCodes: []string{"1280", "1281"},
				Categories: []partnernet.ActivityCategory{partnernet.ActivitySports}, Languages: []string{"ti"},
				TargetGroups: []partnernet.TargetGroup{partnernet.TargetWomen}, ProgrammeCodes: []partnernet.ProgrammeCode{partnernet.ProgrammeNAD},
				OrganisationSlugs: []string{"abf"}, OccursFrom: &from, Text: "fotboll",
			},
		},
		{name: "bad municipality", query: "municipality=Malmö", wantField: "municipality"},
		{name: "bad category", query: "category=CHESS", wantField: "category"},
		{name: "bad language", query: "language=swedish", wantField: "language"},
		{name: "bad time", query: "until=tomorrow", wantField: "until"},
		{name: "unknown parameter", query: "status=DRAFT", wantField: "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, err := url.ParseQuery(tt.query)
			require.NoError(t, err)
			got, err := calendar.FilterFromQuery(q)
			if tt.wantField != "" {
				var e *partnernet.Error
				require.ErrorAs(t, err, &e)
				require.Equal(t, partnernet.CodeBadUserInput, e.Code)
				require.Equal(t, tt.wantField, e.Field)
				return
			}
			require.NoError(t, err)
			if tt.want.OccursFrom != nil {
				require.True(t, tt.want.OccursFrom.Equal(*got.OccursFrom))
				got.OccursFrom = tt.want.OccursFrom
			}
			require.Equal(t, tt.want, got)
		})
	}
}

func TestWriteRoundTripsThroughAParser(t *testing.T) {
	t.Parallel()
	start := time.Date(2027, 3, 16, 18, 30, 0, 0, partnernet.Stockholm) // summer time begins on the 28th
	rule := "FREQ=WEEKLY;COUNT=4"
	municipality := int64(7)
	address, addressWithTown := "Storgatan 1", "Möllevångstorget 3, Malmö"
	lat, lon := 55.605, 13.004
	url := "https://meet.example.org/x"
	activities := []partnernet.Activity{
		{ID: 1, OrganiserID: 3, Title: "Språkcafé", TitleEn: "Language café", Description: "Fika; svenska, nivå 1–3",
			Category: partnernet.ActivityLanguagePractice, Languages: []string{"ar", "sv"}, Status: partnernet.ActivityPublished,
			MunicipalityID: &municipality, Address: &address, Latitude: &lat, Longitude: &lon, Version: 2, CoOrganiserIDs: []int64{4},
			Schedule: partnernet.Schedule{StartsAt: &start, DurationMinutes: 90, RRule: &rule, ExDates: []time.Time{start.AddDate(0, 0, 7)}}},
		{ID: 4, OrganiserID: 3, Title: "Stickcafé", Status: partnernet.ActivityPublished, MunicipalityID: &municipality,
			Address: &addressWithTown, Schedule: partnernet.Schedule{StartsAt: &start, DurationMinutes: 60}},
		{ID: 2, OrganiserID: 3, Title: "Jobbklubb", Status: partnernet.ActivityCancelled, Online: true, OnlineURL: &url, CostSEK: 40,
			Schedule: partnernet.Schedule{StartsAt: &start, DurationMinutes: 60}},
		{ID: 3, OrganiserID: 3, Title: "Utan tid", Status: partnernet.ActivityPublished},
	}
	names := calendar.Names{Organisations: map[int64]string{3: "ABF Skåne", 4: "IM"}, Municipalities: map[int64]string{7: "Malmö"}}
	feed := calendar.Write("ABF Skåne", "test.example", activities, names)
	cal, err := ics.ParseCalendar(strings.NewReader(feed))
	require.NoError(t, err)
	events := cal.Events()
	require.Len(t, events, 3, "an unscheduled activity has no event")
	require.Len(t, cal.Timezones(), 1)

	cafe := events[0]
	require.Equal(t, "activity-1@test.example", cafe.Id())
	require.Equal(t, "Språkcafé / Language café", cafe.GetProperty(ics.ComponentPropertySummary).Value)
	require.Equal(t, "20270316T183000", cafe.GetProperty(ics.ComponentPropertyDtStart).Value)
	require.Equal(t, "20270316T200000", cafe.GetProperty(ics.ComponentPropertyDtEnd).Value)
	require.Equal(t, "FREQ=WEEKLY;COUNT=4", cafe.GetProperty(ics.ComponentPropertyRrule).Value)
	require.Equal(t, "20270323T183000", cafe.GetProperty(ics.ComponentPropertyExdate).Value)
	require.Equal(t, "CONFIRMED", cafe.GetProperty(ics.ComponentPropertyStatus).Value)
	require.Equal(t, "Storgatan 1, Malmö", cafe.GetProperty(ics.ComponentPropertyLocation).Value)
	require.Equal(t, "2", cafe.GetProperty(ics.ComponentPropertySequence).Value)
	require.Contains(t, cafe.GetProperty(ics.ComponentPropertyDescription).Value, "Organiser: ABF Skåne")
	require.Contains(t, cafe.GetProperty(ics.ComponentPropertyDescription).Value, "Co-organisers: IM")
	got, err := cafe.GetStartAt()
	require.NoError(t, err)
	require.True(t, start.Equal(got), "the parser reads the start in Europe/Stockholm: %s", got)

	require.Equal(t, "Möllevångstorget 3, Malmö", events[1].GetProperty(ics.ComponentPropertyLocation).Value,
		"the municipality is not repeated")

	club := events[2]
	require.Equal(t, "CANCELLED", club.GetProperty(ics.ComponentPropertyStatus).Value)
	require.Equal(t, url, club.GetProperty(ics.ComponentPropertyUrl).Value)
	require.Nil(t, club.GetProperty(ics.ComponentPropertyRrule))
	require.Contains(t, club.GetProperty(ics.ComponentPropertyDescription).Value, "40 kr")
}
