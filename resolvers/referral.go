package resolvers

import (
	"context"
	"slices"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
)

// referralOf validates a ReferNewcomerInput and decides it: the caller's organisation may refer,
// the caller sees the newcomer, and an active consent names the receiver for the purpose.
func (r *Resolver) referralOf(ctx context.Context, in model.ReferNewcomerInput) (partnernet.Referral, error) {
	p := authz.PrincipalFrom(ctx)
	ref := partnernet.Referral{FromOrgID: p.OrganisationID, Purpose: in.Purpose, CreatedBy: p.Subject}
	if err := r.Authz.Authorize(ctx, authz.Referral, authz.Write, p.OrganisationID); err != nil {
		return ref, err
	}
	n, err := r.newcomerArg(ctx, "input.newcomerId", in.NewcomerID, "refer newcomers", r.seesNewcomer(ctx))
	if err != nil {
		return ref, err
	}
	ref.NewcomerID = n.ID
	if ref.ToOrgID, err = relay.DecodeID("input.toOrganisationId", typeOrganisation, in.ToOrganisationID); err != nil {
		return ref, err
	}
	if to, err := nullIfMissing(loaders.For(ctx).Organisation.Load(ctx, ref.ToOrgID)()); err != nil {
		return ref, err
	} else if to == nil {
		return ref, partnernet.InputError("input.toOrganisationId", "no such organisation")
	}
	if ref.ToOrgID == ref.FromOrgID {
		return ref, partnernet.InputError("input.toOrganisationId", "refer to another organisation")
	}
	if !slices.Contains(partnernet.ReferralPurposes, in.Purpose) {
		return ref, partnernet.InputError("input.purpose", "a referral is for participation, support, communication, advice or coordination, not %s", in.Purpose)
	}
	if ref.Service, err = partnernet.OptionalText("input.service", in.Service, maxNameLen); err != nil {
		return ref, err
	}
	if in.ActivityID != nil {
		id, err := relay.DecodeID("input.activityId", typeActivity, *in.ActivityID)
		if err != nil {
			return ref, err
		}
		a, err := r.node(ctx, typeActivity, id)()
		if err != nil {
			return ref, err
		}
		act, ok := a.(*partnernet.Activity)
		if !ok || act.OrganiserID != ref.ToOrgID {
			return ref, notVisible(ctx, "input.activityId", "activity of the receiving organisation", "")
		}
		ref.ActivityID = &id
	}
	if (ref.ActivityID == nil) == (ref.Service == nil) {
		return ref, partnernet.InputError("input.service", "refer to an activity or to a service, one of them")
	}
	if ref.ReferrerNote, err = partnernet.OptionalText("input.note", in.Note, maxNoteLen); err != nil {
		return ref, err
	}
	recipientConsents, err := r.Store.ConsentRecordActiveForRecipient(ctx, []int64{n.ID}, ref.ToOrgID)
	if err != nil {
		return ref, err
	}
	return ref, r.Authz.ShareWith(ctx, authz.NewcomerRef{ID: n.ID, ControllerID: n.ControllerID}, in.Purpose, authz.GrantsFrom(recipientConsents))
}

// referralSide says which end of a referral the caller's organisation is: the receiver, the
// referrer, or neither (then the referral is as unknown).
func (r *Resolver) referralSide(ctx context.Context, ref *partnernet.Referral) (receiver, referrer bool) {
	receiver = r.Authz.Authorize(ctx, authz.Referral, authz.Read, ref.ToOrgID) == nil
	referrer = r.Authz.Authorize(ctx, authz.Referral, authz.Read, ref.FromOrgID) == nil
	return receiver, referrer
}
