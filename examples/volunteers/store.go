package volunteers

import (
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/partnerskap-skane/partnernet/examples/volunteers/graph"
)

type (
	// Volunteer is a volunteer who helps at an activity.
	Volunteer = graph.Volunteer
	// Booking is a booking of a room or some equipment.
	Booking = graph.Booking
)

// ErrInvalid is the error of a change the store refuses.
var ErrInvalid = errors.New("invalid")

// Store is the association's own small store of volunteers and bookings, keyed by partnernet's
// global IDs of activities. It is safe for concurrent use.
type Store struct {
	// Wanted is how many volunteers each activity wants.
	Wanted int

	mu         sync.Mutex
	volunteers map[string][]Volunteer
	bookings   map[string][]Booking
}

// NewStore returns an empty store in which each activity wants wanted volunteers.
func NewStore(wanted int) *Store {
	return &Store{Wanted: wanted, volunteers: map[string][]Volunteer{}, bookings: map[string][]Booking{}}
}

// SignUp adds a volunteer to an activity, refusing one already signed up there.
func (s *Store) SignUp(activityID string, v Volunteer) (Volunteer, error) {
	if activityID == "" || v.Name == "" || len(v.Name) > 100 || v.Task == "" || len(v.Task) > 100 {
		return Volunteer{}, ErrInvalid
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if slices.ContainsFunc(s.volunteers[activityID], func(o Volunteer) bool { return o.Name == v.Name }) {
		return Volunteer{}, ErrInvalid
	}
	s.volunteers[activityID] = append(s.volunteers[activityID], v)
	return v, nil
}

// Book adds a booking to an activity.
func (s *Store) Book(activityID string, b Booking) (Booking, error) {
	from, err1 := time.Parse(time.RFC3339, b.StartsAt)
	until, err2 := time.Parse(time.RFC3339, b.EndsAt)
	if activityID == "" || b.Resource == "" || len(b.Resource) > 100 || err1 != nil || err2 != nil || !until.After(from) {
		return Booking{}, ErrInvalid
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bookings[activityID] = append(s.bookings[activityID], b)
	return b, nil
}

// Volunteers returns the volunteers of an activity, in sign-up order.
func (s *Store) Volunteers(activityID string) []Volunteer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.volunteers[activityID])
}

// Bookings returns the bookings of an activity.
func (s *Store) Bookings(activityID string) []Booking {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.bookings[activityID])
}

// Needed returns how many more volunteers an activity needs.
func (s *Store) Needed(activityID string) int {
	return max(0, s.Wanted-len(s.Volunteers(activityID)))
}

// Open returns the activities that have volunteers or bookings and still need volunteers.
func (s *Store) Open() []string {
	s.mu.Lock()
	seen := map[string]bool{}
	for id := range s.volunteers {
		seen[id] = true
	}
	for id := range s.bookings {
		seen[id] = true
	}
	s.mu.Unlock()
	var out []string
	for id := range seen {
		if s.Needed(id) > 0 {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// RosterSize returns how many different volunteers have signed up for any activity.
func (s *Store) RosterSize() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := map[string]bool{}
	for _, vs := range s.volunteers {
		for _, v := range vs {
			names[v.Name] = true
		}
	}
	return len(names)
}
