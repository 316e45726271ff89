package volunteers_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/examples/volunteers"
)

func TestStore(t *testing.T) {
	t.Parallel()
	s := volunteers.NewStore(2)
	tests := []struct {
		name     string
		activity string
		v        volunteers.Volunteer
		wantErr  bool
	}{
		{"a first volunteer", "A", volunteers.Volunteer{Name: "Amira", Task: "host"}, false},
		{"the same volunteer again", "A", volunteers.Volunteer{Name: "Amira", Task: "interpreter"}, true},
		{"no name", "A", volunteers.Volunteer{Task: "host"}, true},
		{"no task", "A", volunteers.Volunteer{Name: "Bo"}, true},
		{"no activity", "", volunteers.Volunteer{Name: "Bo", Task: "host"}, true},
		{"a second volunteer", "A", volunteers.Volunteer{Name: "Bo", Task: "coach"}, false},
		{"the first volunteer elsewhere", "B", volunteers.Volunteer{Name: "Amira", Task: "host"}, false},
	}
	for _, tt := range tests {
		_, err := s.SignUp(tt.activity, tt.v)
		require.Equal(t, tt.wantErr, err != nil, tt.name)
	}
	require.Equal(t, []volunteers.Volunteer{{Name: "Amira", Task: "host"}, {Name: "Bo", Task: "coach"}}, s.Volunteers("A"))
	require.Zero(t, s.Needed("A"), "A has the two it wants")
	require.Equal(t, 1, s.Needed("B"))
	require.Equal(t, []string{"B"}, s.Open())
	require.Equal(t, 2, s.RosterSize())

	_, err := s.Book("B", volunteers.Booking{Resource: "Room 1", StartsAt: "2026-12-01T18:00:00Z", EndsAt: "2026-12-01T17:00:00Z"})
	require.Error(t, err, "an end before the start")
	_, err = s.Book("B", volunteers.Booking{Resource: "Room 1", StartsAt: "tomorrow", EndsAt: "2026-12-01T17:00:00Z"})
	require.Error(t, err, "not RFC 3339")
	b, err := s.Book("B", volunteers.Booking{Resource: "Room 1", StartsAt: "2026-12-01T17:00:00Z", EndsAt: "2026-12-01T19:00:00Z"})
	require.NoError(t, err)
	require.Equal(t, []volunteers.Booking{b}, s.Bookings("B"))
}
