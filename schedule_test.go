package partnernet_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
)

func TestScheduleOccurrences(t *testing.T) {
	t.Parallel()
	sthlm := partnernet.Stockholm
	start := time.Date(2026, 10, 13, 18, 0, 0, 0, sthlm) // a Tuesday, summer time
	weekly := "FREQ=WEEKLY;BYDAY=TU;COUNT=4"
	daily := "RRULE:FREQ=DAILY;UNTIL=20261016T235959Z"
	hourly := "FREQ=HOURLY;COUNT=3"
	embedded := "DTSTART:20261013T180000\nRRULE:FREQ=WEEKLY"
	noFreq := "COUNT=3"
	endless := "FREQ=WEEKLY"
	tests := []struct {
		name    string
		s       partnernet.Schedule
		want    []time.Time
		wantLen int
		wantErr bool
	}{
		{name: "unscheduled", s: partnernet.Schedule{}},
		{name: "single", s: partnernet.Schedule{StartsAt: &start}, want: []time.Time{start}},
		{
			name: "weekly across the change to winter time keeps 18:00 local",
			s:    partnernet.Schedule{StartsAt: &start, RRule: &weekly},
			want: []time.Time{
				start, start.AddDate(0, 0, 7), start.AddDate(0, 0, 14),
				time.Date(2026, 11, 3, 18, 0, 0, 0, sthlm),
			},
		},
		{
			name: "exception dates are left out",
			s: partnernet.Schedule{StartsAt: &start, RRule: &weekly,
				ExDates: []time.Time{start.AddDate(0, 0, 7).UTC()}},
			want: []time.Time{start, start.AddDate(0, 0, 14), time.Date(2026, 11, 3, 18, 0, 0, 0, sthlm)},
		},
		{
			name: "RRULE prefix and UNTIL",
			s:    partnernet.Schedule{StartsAt: &start, RRule: &daily},
			want: []time.Time{start, start.AddDate(0, 0, 1), start.AddDate(0, 0, 2), start.AddDate(0, 0, 3)},
		},
		{name: "an endless rule stops at the horizon", s: partnernet.Schedule{StartsAt: &start, RRule: &endless}, wantLen: 105},
		{name: "hourly is refused", s: partnernet.Schedule{StartsAt: &start, RRule: &hourly}, wantErr: true},
		{name: "embedded DTSTART is refused", s: partnernet.Schedule{StartsAt: &start, RRule: &embedded}, wantErr: true},
		{name: "a rule without FREQ is refused", s: partnernet.Schedule{StartsAt: &start, RRule: &noFreq}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.s.Occurrences(start)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			if tt.wantLen > 0 {
				require.Len(t, got, tt.wantLen)
				return
			}
			require.Len(t, got, len(tt.want))
			for i := range got {
				require.True(t, tt.want[i].Equal(got[i]), "occurrence %d: want %s, got %s", i, tt.want[i], got[i])
				require.Equal(t, 18, got[i].In(sthlm).Hour())
			}
		})
	}
}
