package resolvers

import (
	"context"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
)

// newcomerArg resolves the newcomer a mutation or a filter names by global ID gid at path field,
// for a caller who passes see (r.seesNewcomer, or a check of the argument's own). Whatever
// makes the newcomer unusable — a malformed ID, an ID that names nothing, a newcomer see
// refuses — gets one and the same answer, so that the answer never tells whether someone is
// registered: UNAUTHENTICATED "sign in to <action>" to an anonymous caller, whatever the ID, and
// BAD_USER_INPUT "no such newcomer" at field to the others. Only a fault (the database) is
// returned as it is. A newcomer the caller may see and then may not act on gets the decision's
// own error from the mutation: that one confirms nothing the caller did not know.
func (r *Resolver) newcomerArg(ctx context.Context, field, gid, action string, see func(*partnernet.Newcomer) error) (*partnernet.Newcomer, error) {
	if authz.PrincipalFrom(ctx).Anonymous() {
		return nil, notVisible(ctx, field, "newcomer", action)
	}
	id, err := relay.DecodeID(field, typeNewcomer, gid)
	if err != nil {
		return nil, notVisible(ctx, field, "newcomer", action)
	}
	return r.newcomerArgByID(ctx, field, id, action, see)
}

// newcomerArgByID is newcomerArg for a decoded id: a signed-in caller's own, or a global ID's.
func (r *Resolver) newcomerArgByID(ctx context.Context, field string, id int64, action string, see func(*partnernet.Newcomer) error) (*partnernet.Newcomer, error) {
	n, err := nullIfMissing(loaders.For(ctx).Newcomer(ctx, id)())
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, notVisible(ctx, field, "newcomer", action)
	}
	if err := see(n); err != nil {
		switch partnernet.ErrorCode(err) {
		case partnernet.CodeForbidden, partnernet.CodeUnauthenticated, partnernet.CodeConsentRequired, partnernet.CodeNotFound:
			return nil, notVisible(ctx, field, "newcomer", action)
		}
		return nil, err
	}
	return n, nil
}

// seesNewcomer is the check of newcomerArg that the caller may see the newcomer's record
// (SeeNewcomer, as node(id) releases it) and passes each of also, the mutation's own checks whose
// refusal must look like an unknown newcomer.
func (r *Resolver) seesNewcomer(ctx context.Context, also ...func(*partnernet.Newcomer) error) func(*partnernet.Newcomer) error {
	return func(n *partnernet.Newcomer) error {
		if err := loaders.For(ctx).See(ctx, n); err != nil {
			return err
		}
		for _, check := range also {
			if err := check(n); err != nil {
				return err
			}
		}
		return nil
	}
}
