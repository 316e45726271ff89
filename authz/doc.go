// Package authz is the one authorisation decision point of partnernet. Every decision about who
// may see or do what is taken here, by a Casbin enforcer over the model and policy embedded in
// this package (model.conf, policy.csv), never by a resolver or the store.
//
// # Principals
//
// A [Principal] is who a request acts for: a subject, the organisation it acts for and its roles
// there. A request without credentials acts as the anonymous principal, which sees only public
// data. [WithPrincipal] and [PrincipalFrom] carry it in a context.
//
// # Decisions
//
// [Authorizer.Authorize] answers one question about one object: may the principal perform an
// action on an object owned by an organisation? [Authorizer.Scope] answers it for a whole list:
// which organisations' objects may the principal act on? The store turns a scope into a filter,
// so lists never load what they may not show.
package authz
