package authz

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"

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
	// Editing an activity's fields, and moving it through its life (publish, cancel).
	ActivityEdit    Object = "activity:edit"
	ActivityPublish Object = "activity:publish"
	// The enrolments of an activity: their counts and list (read), and enrolling (write).
	ActivityEnrolments Object = "activity:enrolments"
	ActivityEnrol      Object = "activity:enrol"
	// The attendance of an activity's participants at its occurrences: recording it (write)
	// and reading it.
	ActivityAttendance Object = "activity:attendance"
	// A newcomer's notices and how they want to be told.
	NoticeObject Object = "notice"
	// That a newcomer is registered, without any category of their data.
	NewcomerRecord Object = "newcomer:record"
	// A consent record, and the act of withdrawing one.
	ConsentRecord   Object = "consent:record"
	ConsentWithdraw Object = "consent:withdraw"
	// Memberships (who holds which role where) and API keys of an organisation.
	Membership Object = "membership"
	APIKey     Object = "apikey"
	// The audit trail.
	Audit Object = "audit"
	// A purpose of processing, which a role may or may not declare.
	PurposeObject Object = "purpose"
	// Case work: registering, merging, erasing and exporting newcomers' records; referrals and
	// the answer to one; MY PATH support plans.
	NewcomerRegister Object = "newcomer:register"
	NewcomerMerge    Object = "newcomer:merge"
	NewcomerErase    Object = "newcomer:erase"
	NewcomerExport   Object = "newcomer:export"
	Referral         Object = "referral"
	ReferralRespond  Object = "referral:respond"
	Plan             Object = "plan"
)

// The objects of SHK courses and RÅDRUM advice. None of them carries a newcomer's data by
// itself: where a participant, an attendance or a visit names a newcomer, the Newcomer is
// released only through SeeNewcomer and ReleaseCategory (category PARTICIPATION).
const (
	// Course is an SHK course and its sessions (WELCOME visits among them).
	Course Object = "course"
	// CourseParticipant is a newcomer's participation in a course and their attendance.
	CourseParticipant Object = "course:participant"
	// AdviceDesk is a RÅDRUM advice desk.
	AdviceDesk Object = "advice:desk"
	// AdviceVisit is a visit to an advice desk and its follow-ups.
	AdviceVisit Object = "advice:visit"
	// AdviceStatistics is the aggregate count of advice visits, small counts suppressed.
	AdviceStatistics Object = "advice:statistics"
)

// The objects of a municipality's case work beyond the newcomer's data itself.
const (
	// CaseAssign is assigning a case to a staff member of its controller (write, owned by the
	// controller); CaseHold is holding an assigned case (hold), which the assignee's roles in
	// the controller must allow.
	CaseAssign Object = "case:assign"
	CaseHold   Object = "case"
	// CaseTransfer is a transfer of a case to another municipality: asking for one (write,
	// owned by the controller) and reading those of either end (read, owned by each end).
	CaseTransfer Object = "case:transfer"
	// CaseTransferRespond is accepting or declining a transfer (write, owned by the receiving
	// municipality's organisation).
	CaseTransferRespond Object = "case:transfer:respond"
	// CaseTransferReview is what the receiving municipality sees of a case before it answers a
	// transfer: the record and its identity data (read, for a declared purpose, scope own).
	CaseTransferReview Object = "case:transfer:review"
	// NewcomerInvite is issuing and revoking invitations to sign in and revoking sign-ins
	// (write), and reading them (read); owned by the newcomer's controller.
	NewcomerInvite Object = "newcomer:invite"
	// NewcomerSignIn is a newcomer's own sign-ins: revoking one (write, scope self).
	NewcomerSignIn Object = "newcomer:signin"
	// InvitationRedeem is redeeming an invitation: binding the caller's subject to a newcomer.
	InvitationRedeem Object = "invitation:redeem"
	// Organisation is adding an organisation to the network and editing what it is (write);
	// OrganisationProfile editing its profile: description, contact, website (write, owned by
	// the organisation).
	Organisation        Object = "organisation"
	OrganisationProfile Object = "organisation:profile"
)

// Actions of case work.
const (
	// Hold is holding an assigned case.
	Hold Action = "hold"
)

// The objects of establishment outcomes, the questionnaire and feedback on activities. An
// outcome and a questionnaire response are newcomer data (categories OUTCOMES and WELLBEING),
// released only through ReleaseCategory; these objects decide who writes them.
const (
	// Outcome is recording an establishment outcome for one's organisation, and correcting or
	// retracting one it recorded (scope own: the organisation that recorded it).
	Outcome Object = "outcome"
	// Questionnaire is the well-being questionnaire: its texts (read, public), and a newcomer's
	// answer or decline (write, scope self).
	Questionnaire Object = "questionnaire"
	// ActivityFeedback is feedback on an activity: given by a newcomer who joined it (write,
	// scope self), read by the organiser's staff (scope own) as moderated and anonymous unless
	// the newcomer chose to be named.
	ActivityFeedback Object = "activity:feedback"
	// FeedbackModeration is the moderation of comments on activities: the queue (read) and the
	// decision (write), by moderators of any organisation.
	FeedbackModeration Object = "feedback:moderation"
)

// CategoryObject is the object of a category of newcomer data.
func CategoryObject(c partnernet.DataCategory) Object {
	return Object("newcomer:" + strings.ToLower(string(c)))
}

// Action is what a principal does to an object.
type Action string

// The actions.
const (
	Read    Action = "read"
	Write   Action = "write"
	Declare Action = "declare"
)

// Scopes of a request: whose object it is, seen from the principal.
const (
	scopeOwn   = "own"
	scopeSelf  = "self"
	scopeOther = "other"
	scopeCo    = "co"
	noPurpose  = "-"
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
	RoleModerator    Role = "moderator"
	RoleNewcomer     Role = "newcomer"
	// RoleInvitee is held by the subject of a trusted identity provider's token that names no
	// organisation and acts for no newcomer yet: it may redeem an invitation, nothing else.
	RoleInvitee Role = "invitee"
)

// OrganisationRoles are the roles a membership or an API key can grant in an organisation.
var OrganisationRoles = []Role{
	RoleNetworkAdmin, RoleOrgAdmin, RoleCoordinator, RoleCommunicator, RoleSupervisor,
	RoleAdviser, RolePublisher, RoleAnalyst, RoleModerator,
}

// ParseRole returns the role named s, or an error for a name that is not a role.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if r == RoleNewcomer || slices.Contains(OrganisationRoles, r) {
		return r, nil
	}
	return "", partnernet.InputError("role", "unknown role %q", s)
}

// Principal is who a request acts for.
type Principal struct {
	// Subject identifies the caller (a user, an API key); empty for anonymous requests.
	Subject string
	// OrganisationID is the organisation the caller acts for; 0 when none.
	OrganisationID int64
	// Roles are the caller's roles in that organisation (or newcomer).
	Roles []Role
	// NewcomerID is the caller's own newcomer record, for the newcomer role; 0 otherwise.
	NewcomerID int64
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

type purposeKey struct{}

// WithPurpose returns a context carrying the purpose a request declared.
func WithPurpose(ctx context.Context, p partnernet.Purpose) context.Context {
	return context.WithValue(ctx, purposeKey{}, p)
}

// PurposeFrom returns the purpose the request declared, or "" when it declared none.
func PurposeFrom(ctx context.Context) partnernet.Purpose {
	p, _ := ctx.Value(purposeKey{}).(partnernet.Purpose)
	return p
}

// Authorizer takes every authorisation decision, through a Casbin enforcer whose policy is the
// embedded policy.csv plus the memberships a MembershipSource holds.
type Authorizer struct {
	enforcer *casbin.SyncedEnforcer
	observer atomic.Pointer[DenialObserver]
	// decisions remembers the enforcer's answers until the policy is loaded again.
	decisions atomic.Pointer[decisionCache]
}

// decisionCache remembers Casbin's answers, which depend only on the policy and on a few short
// strings. A page of newcomers asks the same few questions for every newcomer and category, and
// Casbin's expression evaluation was a quarter of the server's CPU on the benchmark's caseload.
type decisionCache struct {
	allowed sync.Map // decisionKey → bool
	bases   sync.Map // basisKey → string
}

// decisionKey is one question to the enforcer's first section.
type decisionKey struct{ role, obj, act, purpose, scope string }

// basisKey is one question to the enforcer's second section (a controller's lawful basis).
type basisKey struct{ obj, purpose string }

// DenialObserver is told of every refusal the Authorizer decides: the object refused and the
// refusal's code (UNAUTHENTICATED, FORBIDDEN or CONSENT_REQUIRED). It must be quick and must not
// call back into the Authorizer; metrics use it.
type DenialObserver func(obj Object, code partnernet.Code)

// ObserveDenials makes f the observer of refusals, replacing any before it.
func (a *Authorizer) ObserveDenials(f DenialObserver) { a.observer.Store(&f) }

// observe tells the observer of a refusal; err nil is no refusal.
func (a *Authorizer) observe(obj Object, err error) {
	if err == nil {
		return
	}
	if f := a.observer.Load(); f != nil && *f != nil {
		(*f)(obj, partnernet.ErrorCode(err))
	}
}

// New returns an Authorizer over the embedded model and policy and the memberships of src (nil
// for none).
func New(ctx context.Context, src MembershipSource) (*Authorizer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("load authorisation model: %w", err)
	}
	e, err := casbin.NewSyncedEnforcer(m, newAdapter(ctx, src))
	if err != nil {
		return nil, fmt.Errorf("load authorisation policy: %w", err)
	}
	a := &Authorizer{enforcer: e}
	a.decisions.Store(&decisionCache{})
	return a, nil
}

// Reload reads the policy and the memberships again; a replica calls it when it hears that
// memberships changed.
func (a *Authorizer) Reload() error {
	if err := a.enforcer.LoadPolicy(); err != nil {
		return fmt.Errorf("reload authorisation policy: %w", err)
	}
	a.decisions.Store(&decisionCache{})
	return nil
}

// Domain is the Casbin domain of an organisation.
func Domain(organisationID int64) string { return "org:" + strconv.FormatInt(organisationID, 10) }

// RolesOf returns the roles subject holds in an organisation through memberships.
func (a *Authorizer) RolesOf(subject string, organisationID int64) []Role {
	names := a.enforcer.GetRolesForUserInDomain(subject, Domain(organisationID))
	roles := make([]Role, 0, len(names))
	for _, n := range names {
		roles = append(roles, Role(n))
	}
	slices.Sort(roles)
	return slices.Compact(roles)
}

// allowed reports whether any of the principal's roles may act on obj for purpose in scope.
func (a *Authorizer) allowed(p Principal, obj Object, act Action, purpose, scope string) (bool, error) {
	cache := a.decisions.Load()
	for _, role := range p.roles() {
		key := decisionKey{string(role), string(obj), string(act), purpose, scope}
		if ok, found := cache.allowed.Load(key); found {
			if ok.(bool) {
				return true, nil
			}
			continue
		}
		ok, err := a.enforcer.Enforce(string(role), string(obj), string(act), purpose, scope)
		if err != nil {
			return false, fmt.Errorf("enforce %s %s %s: %w", role, act, obj, err)
		}
		cache.allowed.Store(key, ok)
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// scopeOf tells whether an object owned by organisation owner (0 for none) is the principal's.
func scopeOf(p Principal, owner int64) string {
	if owner != 0 && owner == p.OrganisationID {
		return scopeOwn
	}
	return scopeOther
}

// refusal is the error for a refused decision: UNAUTHENTICATED for anonymous callers,
// FORBIDDEN for signed-in ones.
func refusal(p Principal, act Action, what string) error {
	if p.Anonymous() {
		return partnernet.Errorf(partnernet.CodeUnauthenticated, "sign in to %s %s", act, what)
	}
	return partnernet.Errorf(partnernet.CodeForbidden, "not allowed to %s %s", act, what)
}

// Authorize decides whether the context's principal may perform act on obj owned by organisation
// owner (0 for objects owned by nobody). It returns nil when allowed, an error matching
// partnernet.ErrUnauthenticated when an anonymous caller is refused, and one matching
// partnernet.ErrForbidden when a signed-in caller is. It is for objects that carry no newcomer
// data; those go through SeeNewcomer and ReleaseCategory.
func (a *Authorizer) Authorize(ctx context.Context, obj Object, act Action, owner int64) error {
	p := PrincipalFrom(ctx)
	ok, err := a.allowed(p, obj, act, noPurpose, scopeOf(p, owner))
	switch {
	case err != nil:
		return err
	case ok:
		return nil
	default:
		err := refusal(p, act, "this "+objectNoun(obj))
		a.observe(obj, err)
		return err
	}
}

// AuthorizeActivity decides whether the principal may perform act on obj of an activity
// organised by organiser and co-organised by coOrganisers: as staff of the organiser (scope
// own), or of a co-organiser (scope co). Errors are those of Authorize.
func (a *Authorizer) AuthorizeActivity(ctx context.Context, obj Object, act Action, organiser int64, coOrganisers []int64) error {
	p := PrincipalFrom(ctx)
	if p.OrganisationID != 0 && p.OrganisationID != organiser && slices.Contains(coOrganisers, p.OrganisationID) {
		ok, err := a.allowed(p, obj, act, noPurpose, scopeCo)
		if err != nil || ok {
			return err
		}
	}
	return a.Authorize(ctx, obj, act, organiser)
}

// AuthorizeSelf decides whether the principal may perform act on obj belonging to the newcomer
// newcomerID, owned by organisation owner: as staff of the owner, or as that newcomer.
func (a *Authorizer) AuthorizeSelf(ctx context.Context, obj Object, act Action, owner, newcomerID int64) error {
	p := PrincipalFrom(ctx)
	if p.NewcomerID != 0 && p.NewcomerID == newcomerID {
		ok, err := a.allowed(p, obj, act, noPurpose, scopeSelf)
		if err != nil || ok {
			return err
		}
	}
	return a.Authorize(ctx, obj, act, owner)
}

// Scope returns the organisations whose objects of kind obj the context's principal may act on:
// all of them, its own, or none.
func (a *Authorizer) Scope(ctx context.Context, obj Object, act Action) (partnernet.OrgScope, error) {
	p := PrincipalFrom(ctx)
	if ok, err := a.allowed(p, obj, act, noPurpose, scopeOther); err != nil || ok {
		return partnernet.OrgScope{All: ok}, err
	}
	if p.OrganisationID == 0 {
		return partnernet.OrgScope{}, nil
	}
	ok, err := a.allowed(p, obj, act, noPurpose, scopeOwn)
	if err != nil || !ok {
		return partnernet.OrgScope{}, err
	}
	return partnernet.OrgScope{IDs: []int64{p.OrganisationID}}, nil
}

// DeclarePurpose is how a request declares its purpose of processing, whatever carries it (the
// [PurposeHeader] of an HTTP request, the field of that name in a websocket's connection_init):
// raw is the declared value, "" for none. It returns ctx carrying the purpose, once
// [Authorizer.CheckPurpose] lets one of the principal's roles (the principal ctx carries)
// declare it. An unknown purpose is BAD_USER_INPUT at field PurposeHeader; a refused one
// UNAUTHENTICATED or FORBIDDEN. Without a purpose, ctx is returned as it is.
func (a *Authorizer) DeclarePurpose(ctx context.Context, raw string) (context.Context, error) {
	if raw == "" {
		return ctx, nil
	}
	var purpose partnernet.Purpose
	if err := purpose.UnmarshalGQL(raw); err != nil {
		return ctx, partnernet.InputError(PurposeHeader,
			"unknown purpose; use one of the Purpose enum values, such as ESTABLISHMENT_COORDINATION")
	}
	ctx = WithPurpose(ctx, purpose)
	if err := a.CheckPurpose(ctx); err != nil {
		return ctx, err
	}
	return ctx, nil
}

// CheckPurpose refuses a request whose declared purpose none of the principal's roles holds.
// A request that declares no purpose passes; it is then refused newcomer data that needs one.
func (a *Authorizer) CheckPurpose(ctx context.Context) error {
	purpose := PurposeFrom(ctx)
	if purpose == "" {
		return nil
	}
	p := PrincipalFrom(ctx)
	ok, err := a.allowed(p, PurposeObject, Declare, string(purpose), scopeOther)
	switch {
	case err != nil:
		return err
	case ok:
		return nil
	case p.Anonymous():
		err := partnernet.Errorf(partnernet.CodeUnauthenticated, "sign in to process data for purpose %s", purpose)
		a.observe(PurposeObject, err)
		return err
	default:
		err := partnernet.Errorf(partnernet.CodeForbidden, "your role does not hold the purpose %s", purpose)
		a.observe(PurposeObject, err)
		return err
	}
}

// objectNoun names an object in an error message.
func objectNoun(obj Object) string {
	noun := string(obj)
	if _, after, ok := strings.Cut(noun, ":"); ok {
		noun = after
	}
	return strings.ReplaceAll(noun, "_", " ") + " data"
}
