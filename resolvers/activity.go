package resolvers

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// Limits on discovery and retries.
const (
	maxRadiusKm        = 500
	maxIdempotencyKey  = 200
	maxNextOccurrences = 20
)

// orEmpty dereferences an optional string.
func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// activityOf maps an ActivityInput at path prefix onto the editable fields of a, looks up the
// programme, municipality and co-organisers it names, lets the activity validate itself, and
// returns the occurrences of its schedule.
func (r *Resolver) activityOf(ctx context.Context, prefix string, in model.ActivityInput, a *partnernet.Activity) ([]time.Time, error) {
	field := func(name string) string { return prefix + "." + name }
	a.Title, a.TitleEn, a.Category = in.Title, in.TitleEn, in.Category
	a.Description, a.DescriptionEn, a.Accessibility = orEmpty(in.Description), orEmpty(in.DescriptionEn), orEmpty(in.Accessibility)
	programme := partnernet.ProgrammeNAD
	if in.Programme != nil {
		programme = *in.Programme
	}
	p, err := r.Store.ProgrammeGetByCode(ctx, programme)
	if err != nil {
		return nil, partnernet.InputError(field("programme"), "no programme %s", programme)
	}
	a.ProgrammeID = p.ID
	a.Languages = []string{"sv"}
	if in.Languages != nil {
		a.Languages = dedupe(in.Languages)
	}
	a.TargetGroups = []partnernet.TargetGroup{partnernet.TargetEveryone}
	if in.TargetGroups != nil {
		a.TargetGroups = dedupe(in.TargetGroups)
	}
	if err := r.locationOf(ctx, field("location"), in.Location, a); err != nil {
		return nil, err
	}
	a.Capacity, a.MinAge, a.MaxAge = in.Capacity, in.MinAge, in.MaxAge
	a.CostSEK, a.CostNote = 0, orEmpty(in.CostNote)
	if in.CostSek != nil {
		a.CostSEK = *in.CostSek
	}
	a.ContactName, a.ContactEmail, a.ContactPhone = in.ContactName, in.ContactEmail, in.ContactPhone
	if len(in.CoOrganiserIds) > partnernet.MaxCoOrganisers {
		return nil, partnernet.InputError(field("coOrganiserIds"), "at most %d co-organisers", partnernet.MaxCoOrganisers)
	}
	a.CoOrganiserIDs = nil
	for i, gid := range dedupe(in.CoOrganiserIds) {
		f := fmt.Sprintf("%s.%d", field("coOrganiserIds"), i)
		id, err := relay.DecodeID(f, typeOrganisation, gid)
		if err != nil {
			return nil, err
		}
		if id != a.OrganiserID {
			if _, err := loaders.For(ctx).Organisation.Load(ctx, id)(); err != nil {
				return nil, partnernet.InputError(f, "no such organisation")
			}
		}
		a.CoOrganiserIDs = append(a.CoOrganiserIDs, id)
	}
	if err := scheduleOf(field("schedule"), in.Schedule, a); err != nil {
		return nil, err
	}
	if err := a.Validate(prefix); err != nil {
		return nil, err
	}
	return occurrencesOf(field("schedule"), in.Schedule, a)
}

// locationOf maps where an activity takes place, looking up its municipality.
func (r *Resolver) locationOf(ctx context.Context, field string, in *model.ActivityLocationInput, a *partnernet.Activity) error {
	a.Online, a.OnlineURL, a.Address, a.MunicipalityID, a.Latitude, a.Longitude = false, nil, nil, nil, nil, nil
	if in == nil {
		return partnernet.InputError(field, "say where the activity takes place")
	}
	if in.Online {
		a.Online, a.OnlineURL = true, in.OnlineURL
		return nil
	}
	a.Address, a.Latitude, a.Longitude = in.Address, in.Latitude, in.Longitude
	if in.MunicipalityCode != nil {
		m, err := r.Store.MunicipalityGetByCode(ctx, *in.MunicipalityCode)
		if err != nil {
			return partnernet.InputError(field+".municipalityCode", "no municipality with code %q", *in.MunicipalityCode)
		}
		a.MunicipalityID = &m.ID
	}
	return nil
}

// scheduleOf maps a schedule onto a, its rule parsed and normalised.
func scheduleOf(field string, in *model.ActivityScheduleInput, a *partnernet.Activity) error {
	a.Schedule = partnernet.Schedule{DurationMinutes: 60}
	if in == nil {
		return nil
	}
	var err error
	a.Schedule, err = scheduleFrom(field, in)
	return err
}

// scheduleFrom validates a schedule input at path field: its start and duration, its rule
// (normalised) and its exceptions. That the exceptions are occurrences of the rule is checked
// where it is expanded.
func scheduleFrom(field string, in *model.ActivityScheduleInput) (partnernet.Schedule, error) {
	start := in.StartsAt.Truncate(time.Second)
	s := partnernet.Schedule{StartsAt: &start, DurationMinutes: in.DurationMinutes}
	if err := s.Validate(field); err != nil {
		return s, err // before the rule is parsed from a start it refuses
	}
	if in.Rrule != nil {
		r, err := partnernet.ParseRRule(*in.Rrule, start)
		if err != nil {
			return s, partnernet.InputError(field+".rrule", "%s", err.Error())
		}
		normal := partnernet.NormalizeRRule(r)
		s.RRule = &normal
	}
	if len(in.Exceptions) > partnernet.MaxExceptions {
		return s, partnernet.InputError(field+".exceptions", "at most %d exceptions", partnernet.MaxExceptions)
	}
	for _, ex := range in.Exceptions {
		if ex != nil {
			s.ExDates = append(s.ExDates, ex.Truncate(time.Second))
		}
	}
	return s, nil
}

// occurrencesOf expands a's schedule, refusing an exception that is not an occurrence of its
// rule.
func occurrencesOf(field string, in *model.ActivityScheduleInput, a *partnernet.Activity) ([]time.Time, error) {
	if in == nil {
		return nil, nil
	}
	exDates := a.Schedule.ExDates
	a.Schedule.ExDates = nil
	all, err := a.Schedule.Occurrences(time.Now())
	if err != nil {
		return nil, partnernet.InputError(field+".rrule", "%s", err.Error())
	}
	for i, ex := range in.Exceptions {
		if ex == nil || a.Schedule.RRule == nil || !containsTime(all, *ex) {
			return nil, partnernet.InputError(fmt.Sprintf("%s.exceptions.%d", field, i), "an exception must be the start of an occurrence of the rule")
		}
	}
	a.Schedule.ExDates = exDates
	return a.Schedule.Occurrences(time.Now())
}

// containsTime reports whether ts holds the instant t.
func containsTime(ts []time.Time, t time.Time) bool {
	for _, x := range ts {
		if x.Equal(t) {
			return true
		}
	}
	return false
}

// sameMembers reports whether a and b hold the same ids, in any order.
func sameMembers(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// editableActivity loads an activity for a write: unknown or invisible ones are a BAD_USER_INPUT
// at field, as if they did not exist.
func (r *Resolver) editableActivity(ctx context.Context, field, gid string) (*partnernet.Activity, error) {
	id, err := relay.DecodeID(field, typeActivity, gid)
	if err != nil {
		return nil, err
	}
	a, err := nullIfMissing(loaders.For(ctx).Activity.Load(ctx, id)())
	if err != nil {
		return nil, err
	}
	if a == nil || r.authorizeActivity(ctx, a) != nil {
		return nil, notVisible(ctx, field, "activity", "")
	}
	return a, nil
}

// transition moves an activity from one of the statuses from to status to, under the caller's
// idempotency key.
func (r *Resolver) transition(ctx context.Context, in model.ActivityTransitionInput, to partnernet.ActivityStatus, from ...partnernet.ActivityStatus) (*partnernet.Activity, error) {
	a, err := r.editableActivity(ctx, "input.activityId", in.ActivityID)
	if err != nil {
		return nil, err
	}
	if err := r.Authz.Authorize(ctx, authz.ActivityPublish, authz.Write, a.OrganiserID); err != nil {
		return nil, err
	}
	rt, err := retryAs(fmt.Sprintf("%s %s", to, in.ActivityID), in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return commit(ctx, r.Store, rt, func(tx *store.Store) (partnernet.Activity, error) {
		current, err := tx.ActivityLock(ctx, a.ID)
		if err != nil {
			return current, err
		}
		allowed := false
		for _, s := range from {
			allowed = allowed || current.Status == s
		}
		if !allowed {
			return current, partnernet.Errorf(partnernet.CodeConflict, "a %s activity cannot become %s", current.Status, to)
		}
		if to == partnernet.ActivityPublished && current.Schedule.StartsAt == nil {
			return current, partnernet.InputError("input.activityId", "schedule the activity before publishing it")
		}
		return tx.ActivitySetStatus(ctx, a.ID, to)
	}, nil)
}

// discoveryFilter validates the discovery fields of an activity filter into out.
func discoveryFilter(f *model.ActivityFilter, out *store.ActivityFilter) error {
	if f == nil {
		return nil
	}
	var err error
	if out.Categories, err = values("filter.categories", f.Categories); err != nil {
		return err
	}
	if out.Languages, err = values("filter.languages", f.Languages); err != nil {
		return err
	}
	for i, l := range out.Languages {
		if !partnernet.LanguagePattern.MatchString(l) {
			return partnernet.InputError(fmt.Sprintf("filter.languages.%d", i), "give an ISO 639 code such as ar or sv")
		}
	}
	if out.TargetGroups, err = values("filter.targetGroups", f.TargetGroups); err != nil {
		return err
	}
	out.OccursFrom, out.OccursUntil = f.OccursFrom, f.OccursUntil
	if f.OccursFrom != nil && f.OccursUntil != nil && !f.OccursUntil.After(*f.OccursFrom) {
		return partnernet.InputError("filter.occursUntil", "the end of the range must come after its start")
	}
	if out.Text, err = searchText("filter.text", f.Text); err != nil {
		return err
	}
	out.Text = strings.TrimSpace(out.Text)
	if f.Near != nil {
		n := f.Near
		switch {
		case math.IsNaN(n.Latitude) || n.Latitude < -90 || n.Latitude > 90:
			return partnernet.InputError("filter.near.latitude", "a latitude is between -90 and 90")
		case math.IsNaN(n.Longitude) || n.Longitude < -180 || n.Longitude > 180:
			return partnernet.InputError("filter.near.longitude", "a longitude is between -180 and 180")
		case math.IsNaN(n.RadiusKm) || n.RadiusKm <= 0 || n.RadiusKm > maxRadiusKm:
			return partnernet.InputError("filter.near.radiusKm", "give a radius above 0 and at most %d km", maxRadiusKm)
		}
		out.Near = &store.GeoPoint{Latitude: n.Latitude, Longitude: n.Longitude, RadiusKm: n.RadiusKm}
	}
	return nil
}

// discoveryOrder picks the order of a discovery list: the one asked for (checked against the
// filter), else relevance for a text search, distance near a point, or title.
func discoveryOrder(o *model.ActivityOrder, f store.ActivityFilter) (store.Order, error) {
	if o == nil {
		switch {
		case f.Text != "":
			return store.Order{Column: store.OrderRelevance, Desc: true}, nil
		case f.Near != nil:
			return store.Order{Column: store.OrderDistance}, nil
		}
		return store.Order{Column: store.OrderTitle}, nil
	}
	switch {
	case o.Field == model.ActivityOrderFieldRelevance && f.Text == "":
		return store.Order{}, partnernet.InputError("orderBy.field", "order by relevance needs filter.text")
	case o.Field == model.ActivityOrderFieldDistance && f.Near == nil:
		return store.Order{}, partnernet.InputError("orderBy.field", "order by distance needs filter.near")
	}
	return orderOf(o.Field, o.Direction), nil
}

// enrolmentGID is an enrolment's global ID.
func enrolmentGID(id int64) string { return relay.ToGlobalID(typeEnrolment, id) }
