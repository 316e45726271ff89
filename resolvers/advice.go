package resolvers

import (
	"context"
	"fmt"
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
