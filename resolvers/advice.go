package resolvers

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/store"
)

// visitOrder converts an advice visit order; newest first by default.
func visitOrder(o *model.AdviceVisitOrder) store.Order {
	if o == nil {
		return store.Order{Column: store.OrderVisitedAt, Desc: true}
	}
	return orderOf(o.Field, o.Direction)
}

// visitFilter validates an advice visit filter; visibility is the caller's to add.
func visitFilter(f *model.AdviceVisitFilter) (store.AdviceVisitFilter, error) {
	var out store.AdviceVisitFilter
	if f == nil {
		return out, nil
	}
	var err error
	if out.Topics, err = values("filter.topics", f.Topics); err != nil {
		return out, err
	}
	if f.Since != nil && f.Until != nil && !f.Until.After(*f.Since) {
		return out, partnernet.InputError("filter.until", "until must come after since")
	}
	out.Anonymous, out.Since, out.Until = f.Anonymous, f.Since, f.Until
	return out, nil
}

// visitOf maps a RecordAdviceVisitInput onto a visit to desk d received by adviser and
// validates it at time now; the newcomer is the caller's to add.
func visitOf(in model.RecordAdviceVisitInput, d *partnernet.AdviceDesk, adviser string, now time.Time) (partnernet.AdviceVisit, error) {
	v := partnernet.AdviceVisit{DeskID: d.ID, VisitedAt: in.VisitedAt, Topic: in.Topic, Adviser: adviser, Outcome: in.Outcome}
	return v, v.Validate("input", now)
}

// followUp loads the follow-up id of the advice visit visitID; partnernet.ErrNotFound when it
// has none of that id.
func followUp(ctx context.Context, visitID, id int64) (*partnernet.AdviceFollowUp, error) {
	all, err := loaders.For(ctx).FollowUpsByVisit.Load(ctx, visitID)()
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	return nil, fmt.Errorf("read follow-up %d of visit %d: %w", id, visitID, partnernet.ErrNotFound)
}

// deskInput is what opening or updating an advice desk gives.
type deskInput struct {
	name, place      string
	municipalityCode *string
	address          *string
	languages        []string
	contact          *model.AdviceDeskContactInput
	openingHours     []*model.ActivityScheduleInput
}

// deskOf validates a desk's details and opening hours into d and the schedules, naming the
// fields under input.
func (r *Resolver) deskOf(ctx context.Context, in deskInput, d *partnernet.AdviceDesk) ([]partnernet.Schedule, error) {
	var err error
	if d.Name, err = partnernet.Text("input.name", in.name, partnernet.MaxTitleLen, true); err != nil {
		return nil, err
	}
	if d.Place, err = partnernet.Text("input.place", in.place, partnernet.MaxTitleLen, true); err != nil {
		return nil, err
	}
	if d.MunicipalityID, err = r.municipalityID(ctx, "input.municipalityCode", in.municipalityCode); err != nil {
		return nil, err
	}
	if d.Address, err = partnernet.OptionalText("input.address", in.address, maxAddressLen); err != nil {
		return nil, err
	}
	d.Languages = []string{"sv"}
	if in.languages != nil {
		if err := partnernet.CheckLanguages("input.languages", in.languages, partnernet.MaxDeskLanguages); err != nil {
			return nil, err
		}
		d.Languages = dedupe(in.languages)
	}
	if c := in.contact; c != nil {
		if d.ContactEmail, err = partnernet.OptionalText("input.contact.email", c.Email, partnernet.MaxEmailLen); err != nil {
			return nil, err
		}
		if err := partnernet.CheckEmail("input.contact.email", d.ContactEmail); err != nil {
			return nil, err
		}
		if d.ContactPhone, err = partnernet.OptionalText("input.contact.phone", c.Phone, 30); err != nil {
			return nil, err
		}
		if err := partnernet.CheckPhone("input.contact.phone", d.ContactPhone); err != nil {
			return nil, err
		}
	}
	if len(in.openingHours) > partnernet.MaxDeskHours {
		return nil, partnernet.InputError("input.openingHours", "at most %d schedules", partnernet.MaxDeskHours)
	}
	hours := make([]partnernet.Schedule, 0, len(in.openingHours))
	for i, h := range in.openingHours {
		field := fmt.Sprintf("input.openingHours.%d", i)
		s, err := scheduleFrom(field, h)
		if err != nil {
			return nil, err
		}
		// The rule must yield openings, and its exceptions be some of them, as an activity's.
		if err := checkExceptions(field, h, s); err != nil {
			return nil, err
		}
		a := partnernet.Activity{Schedule: s}
		if _, err := a.Occurrences(field, time.Now()); err != nil {
			return nil, err
		}
		hours = append(hours, s)
	}
	return hours, nil
}

// maxAddressLen is the longest street address of a desk or an organisation.
const maxAddressLen = 300

// nextOpenings expands a desk's opening hours into its next n openings that have not ended at
// now, soonest first.
func nextOpenings(hours []partnernet.DeskHours, now time.Time, n int) ([]*partnernet.Occurrence, error) {
	var out []partnernet.Occurrence
	for _, h := range hours {
		starts, err := h.Schedule.Occurrences(now)
		if err != nil {
			return nil, fmt.Errorf("expand the opening hours of desk %d: %w", h.DeskID, err)
		}
		for _, s := range starts {
			if end := s.Add(h.Schedule.Duration()); end.After(now) {
				out = append(out, partnernet.Occurrence{ActivityID: h.DeskID, StartsAt: s, EndsAt: end})
			}
		}
	}
	slices.SortFunc(out, func(a, b partnernet.Occurrence) int { return a.StartsAt.Compare(b.StartsAt) })
	if len(out) > n {
		out = out[:n]
	}
	return pointers(out), nil
}
