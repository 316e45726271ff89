package authz

import (
	"context"
	_ "embed"
	"fmt"
	"strings"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	stringadapter "github.com/casbin/casbin/v2/persist/string-adapter"

	"github.com/partnerskap-skane/partnernet"
)

//go:embed model.conf
var modelText string

//go:embed policy.csv
var policyText string

// Object names a kind of thing a decision is about, matched against the policy's patterns.
type Object string

// The objects of the policy.
const (
	// Network data: organisations, municipalities, programmes. Public.
	NetworkOrganisation Object = "network:organisation"
	NetworkMunicipality Object = "network:municipality"
	NetworkProgramme    Object = "network:programme"
	// Activities, by whether they are published.
	ActivityPublished   Object = "activity:published"
	ActivityUnpublished Object = "activity:unpublished"
	// A newcomer's record (that they are registered) and the categories of their data.
	NewcomerRecord   Object = "newcomer:record"
	NewcomerIdentity Object = "newcomer:identity"
	// A consent record.
	ConsentRecord Object = "consent:record"
)

// Action is what a principal does to an object.
type Action string

// The actions.
const (
	Read  Action = "read"
	Write Action = "write"
)

// Role names a role a principal holds in its organisation.
type Role string

// The roles of the network. Anonymous is held by requests without credentials.
const (
	RoleAnonymous    Role = "anonymous"
	RoleNetworkAdmin Role = "network_admin"
	RoleOrgAdmin     Role = "org_admin"
	RoleCoordinator  Role = "coordinator"
	RoleCommunicator Role = "communicator"
	RoleSupervisor   Role = "supervisor"
	RoleAdviser      Role = "adviser"
	RolePublisher    Role = "publisher"
	RoleAnalyst      Role = "analyst"
	RoleNewcomer     Role = "newcomer"
)

// Principal is who a request acts for.
type Principal struct {
	// Subject identifies the caller (a user, an API key); empty for anonymous requests.
	Subject string
	// OrganisationID is the organisation the caller acts for; 0 when none.
	OrganisationID int64
	// Roles are the caller's roles in that organisation.
	Roles []Role
}

// Anonymous reports whether the principal carries no credentials.
func (p Principal) Anonymous() bool { return p.Subject == "" }

// roles returns the roles a decision considers: the principal's, or anonymous.
func (p Principal) roles() []Role {
	if p.Anonymous() {
		return []Role{RoleAnonymous}
	}
	return p.Roles
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal a context carries, or the anonymous principal.
func PrincipalFrom(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}

// Authorizer takes every authorisation decision, through a Casbin enforcer.
type Authorizer struct {
	enforcer *casbin.SyncedEnforcer
}

// New returns an Authorizer over the embedded model and policy.
func New() (*Authorizer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("load authorisation model: %w", err)
	}
	e, err := casbin.NewSyncedEnforcer(m, stringadapter.NewAdapter(stripComments(policyText)))
	if err != nil {
		return nil, fmt.Errorf("load authorisation policy: %w", err)
	}
	return &Authorizer{enforcer: e}, nil
}

// stripComments drops the comment and blank lines of a policy file.
func stripComments(policy string) string {
	var b strings.Builder
	for line := range strings.Lines(policy) {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			b.WriteString(t)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// allowed reports whether any of the principal's roles may act on obj in scope.
func (a *Authorizer) allowed(p Principal, obj Object, act Action, scope string) (bool, error) {
	for _, role := range p.roles() {
		ok, err := a.enforcer.Enforce(string(role), string(obj), string(act), scope)
		if err != nil {
			return false, fmt.Errorf("enforce %s %s %s: %w", role, act, obj, err)
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// Authorize decides whether the context's principal may perform act on obj owned by organisation
// owner (0 for objects owned by nobody). It returns nil when allowed, an error matching
// partnernet.ErrUnauthenticated when an anonymous caller is refused, and one matching
// partnernet.ErrForbidden when a signed-in caller is.
func (a *Authorizer) Authorize(ctx context.Context, obj Object, act Action, owner int64) error {
	p := PrincipalFrom(ctx)
	scope := "other"
	if owner != 0 && owner == p.OrganisationID {
		scope = "own"
	}
	ok, err := a.allowed(p, obj, act, scope)
	switch {
	case err != nil:
		return err
	case ok:
		return nil
	case p.Anonymous():
		return partnernet.Errorf(partnernet.CodeUnauthenticated, "sign in to %s this %s", act, objectNoun(obj))
	default:
		return partnernet.Errorf(partnernet.CodeForbidden, "not allowed to %s this %s", act, objectNoun(obj))
	}
}

// Scope returns the organisations whose objects of kind obj the context's principal may act on:
// all of them, its own, or none.
func (a *Authorizer) Scope(ctx context.Context, obj Object, act Action) (partnernet.OrgScope, error) {
	p := PrincipalFrom(ctx)
	if ok, err := a.allowed(p, obj, act, "other"); err != nil || ok {
		return partnernet.OrgScope{All: ok}, err
	}
	if p.OrganisationID == 0 {
		return partnernet.OrgScope{}, nil
	}
	ok, err := a.allowed(p, obj, act, "own")
	if err != nil || !ok {
		return partnernet.OrgScope{}, err
	}
	return partnernet.OrgScope{IDs: []int64{p.OrganisationID}}, nil
}

// objectNoun names an object in an error message.
func objectNoun(obj Object) string {
	_, noun, _ := strings.Cut(string(obj), ":")
	return strings.ReplaceAll(noun, "_", " ") + " data"
}
