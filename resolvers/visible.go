package resolvers

import (
	"context"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
)

// visibleFor loads the object a mutation names at path field and refuses it as unknown unless
// the caller may read it (authorize); anonymous callers are asked to sign in.
func visibleFor[T any](ctx context.Context, field, what string, v *T, err error, authorize func(*T) error) (*T, error) {
	v, err = nullIfMissing(v, err)
	if err != nil {
		return nil, err
	}
	if v == nil || authorize(v) != nil {
		if authz.PrincipalFrom(ctx).Anonymous() {
			return nil, partnernet.Errorf(partnernet.CodeUnauthenticated, "sign in to change %ss", what)
		}
		return nil, partnernet.InputError(field, "no such %s", what)
	}
	return v, nil
}

// listScope returns the organisations whose objects of kind obj the caller may list, refusing
// with the decision's error a caller who may list none.
func (r *Resolver) listScope(ctx context.Context, obj authz.Object) (partnernet.OrgScope, error) {
	scope, err := r.Authz.Scope(ctx, obj, authz.Read)
	if err != nil || !scope.Empty() {
		return scope, err
	}
	if err := r.Authz.Authorize(ctx, obj, authz.Read, authz.PrincipalFrom(ctx).OrganisationID); err != nil {
		return scope, err
	}
	return scope, partnernet.Errorf(partnernet.CodeForbidden, "not allowed to list these")
}
