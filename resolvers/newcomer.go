package resolvers

import (
	"context"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/loaders"
)

// grants returns the newcomer's active consents naming the caller's organisation, as the
// decision point takes them; read fresh for each request through its loader.
func grants(ctx context.Context, newcomerID int64) ([]authz.Grant, error) {
	records, err := loaders.For(ctx).ActiveConsents.Load(ctx, newcomerID)()
	if err != nil {
		return nil, err
	}
	return authz.GrantsFrom(records), nil
}

// release asks the decision point whether a category of n's data goes to the caller.
func (r *Resolver) release(ctx context.Context, n *partnernet.Newcomer, category partnernet.DataCategory) error {
	g, err := grants(ctx, n.ID)
	if err != nil {
		return err
	}
	return r.Authz.ReleaseCategory(ctx, authz.NewcomerRef{ID: n.ID, ControllerID: n.ControllerID}, category, g)
}

// seeNewcomer asks the decision point whether the caller may see that n is registered.
func (r *Resolver) seeNewcomer(ctx context.Context, n *partnernet.Newcomer) error {
	g, err := grants(ctx, n.ID)
	if err != nil {
		return err
	}
	return r.Authz.SeeNewcomer(ctx, authz.NewcomerRef{ID: n.ID, ControllerID: n.ControllerID}, g)
}

// seeNewcomers decides on every newcomer of a page, with their grants loaded in one batch. The
// page's SQL scope already mirrors the decision, so a refusal here is a fault, never a quiet
// omission that would make counts lie.
func (r *Resolver) seeNewcomers(ctx context.Context, rows []partnernet.Newcomer) error {
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	records, errs := loaders.For(ctx).ActiveConsents.LoadMany(ctx, ids)()
	if err := firstError(errs); err != nil {
		return err
	}
	for i := range rows {
		ref := authz.NewcomerRef{ID: rows[i].ID, ControllerID: rows[i].ControllerID}
		if err := r.Authz.SeeNewcomer(ctx, ref, authz.GrantsFrom(records[i])); err != nil {
			return err
		}
	}
	return nil
}

// visibleNewcomer loads a newcomer and releases the record only where the caller may see it.
func (r *Resolver) visibleNewcomer(ctx context.Context, id int64) (*partnernet.Newcomer, error) {
	n, err := loaders.For(ctx).Newcomer.Load(ctx, id)()
	if err != nil {
		return nil, err
	}
	if err := r.seeNewcomer(ctx, n); err != nil {
		return nil, err
	}
	return n, nil
}
