package resolvers

import (
	"context"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
)

// notVisible is the one answer about an object a request names at path field and the caller
// may not use: whether it does not exist or is not the caller's, the answer is the same, so that
// it never tells which. It is BAD_USER_INPUT "no such <what>" at field; to an anonymous caller,
// where signIn names the action, UNAUTHENTICATED "sign in to <signIn>" (with signIn "",
// anonymous callers get the same "no such" answer as everyone).
func notVisible(ctx context.Context, field, what, signIn string) error {
	if signIn != "" && authz.PrincipalFrom(ctx).Anonymous() {
		return partnernet.Errorf(partnernet.CodeUnauthenticated, "sign in to %s", signIn)
	}
	return partnernet.InputError(field, "no such %s", what)
}

// visibleFor loads the object a mutation names at path field and refuses it as unknown
// (notVisible) unless the caller may read it (authorize); anonymous callers are asked to sign
// in to change <what>s.
func visibleFor[T any](ctx context.Context, field, what string, v *T, err error, authorize func(*T) error) (*T, error) {
	v, err = nullIfMissing(v, err)
	if err != nil {
		return nil, err
	}
	if v == nil || authorize(v) != nil {
		return nil, notVisible(ctx, field, what, "change "+what+"s")
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
