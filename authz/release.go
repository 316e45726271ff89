package authz

import (
	"context"
	"fmt"
	"slices"

	"github.com/casbin/casbin/v2"

	"github.com/partnerskap-skane/partnernet"
)

// NewcomerRef is what a decision about a newcomer's data needs to know of the newcomer.
type NewcomerRef struct {
	// ID is the newcomer's id.
	ID int64
	// ControllerID is the organisation controlling the newcomer's data.
	ControllerID int64
	// IncomingTo is the organisation a pending transfer asks to take the case over; 0 without
	// one.
	IncomingTo int64
}

// Grant is an active consent of a newcomer naming the principal's organisation as a recipient:
// the purposes and categories it covers. Grants are read from the database for each request,
// never cached across requests, so a withdrawal holds from the next request on.
type Grant struct {
	// ConsentID is the consent record's id.
	ConsentID int64
	// Purposes the consent covers.
	Purposes []partnernet.Purpose
	// Categories of data the consent covers.
	Categories []partnernet.DataCategory
}

// covers reports whether the grant covers purpose and, unless category is "", the category.
func (g Grant) covers(purpose partnernet.Purpose, category partnernet.DataCategory) bool {
	return slices.Contains(g.Purposes, purpose) && (category == "" || slices.Contains(g.Categories, category))
}

// The bases on which data is released, as the audit trail records them.
const (
	BasisDataSubject = "DATA_SUBJECT"
	BasisConsent     = "CONSENT"
	BasisController  = "CONTROLLER"
	// BasisTransfer releases a case's record and identity to the municipality a pending
	// transfer asks to take it over, so that it knows whom it accepts.
	BasisTransfer = "TRANSFER"
	// BasisNamedFeedback is a newcomer's choice to be named in their feedback on an activity:
	// their name goes to the organiser's staff who read it.
	BasisNamedFeedback = "NAMED_FEEDBACK"
)

// SeeNewcomer decides whether the principal may see that a newcomer is registered (the record
// without category data): the newcomer themself; staff of the controller in a role that reads
// its records; or, for a declared purpose the role reads records for, an organisation an active
// consent names for that purpose. grants are the newcomer's active consents naming the
// principal's organisation. The decision is audited.
func (a *Authorizer) SeeNewcomer(ctx context.Context, n NewcomerRef, grants []Grant) error {
	p := PrincipalFrom(ctx)
	purpose := PurposeFrom(ctx)
	d := a.decideRecord(p, purpose, n, grants)
	TrailFrom(ctx).add(p, n.ID, "", purpose, &d)
	a.observe(NewcomerRecord, d.err)
	return d.err
}

// decideRecord is SeeNewcomer without the audit.
func (a *Authorizer) decideRecord(p Principal, purpose partnernet.Purpose, n NewcomerRef, grants []Grant) decision {
	if p.Anonymous() {
		return deny(partnernet.Errorf(partnernet.CodeUnauthenticated, "sign in to see newcomers"))
	}
	if p.NewcomerID != 0 && p.NewcomerID == n.ID {
		if ok, err := a.allowed(p, NewcomerRecord, Read, noPurpose, scopeSelf); err != nil || ok {
			return decided(ok, err, BasisDataSubject, 0)
		}
	}
	ok, err := a.allowed(p, NewcomerRecord, Read, purposeOrNone(purpose), scopeOf(p, n.ControllerID))
	if err != nil {
		return deny(err)
	}
	if ok && p.OrganisationID == n.ControllerID {
		return release(BasisController, 0)
	}
	if d, found := a.incoming(p, purpose, n, ""); found {
		return d
	}
	if ok && purpose != "" {
		for _, g := range grants {
			if g.covers(purpose, "") {
				return release(BasisConsent, g.ConsentID)
			}
		}
	}
	return deny(partnernet.Errorf(partnernet.CodeForbidden, "not allowed to see this newcomer"))
}

// ReleaseCategory decides whether a category of a newcomer's data is released to the principal.
// It is, only when (1) the principal is the newcomer themself, or (2) Casbin allows one of the
// principal's roles the category for the request's declared purpose, and either the principal's
// organisation is the newcomer's controller with a lawful basis other than consent configured
// for that category and purpose, or an active consent names the organisation, the purpose and
// the category. Otherwise it returns an error with code UNAUTHENTICATED, FORBIDDEN or
// CONSENT_REQUIRED, which says nothing of the value. grants are the newcomer's active consents
// naming the principal's organisation. The decision is audited.
func (a *Authorizer) ReleaseCategory(ctx context.Context, n NewcomerRef, category partnernet.DataCategory, grants []Grant) error {
	p := PrincipalFrom(ctx)
	purpose := PurposeFrom(ctx)
	d := a.decideCategory(p, purpose, n, category, grants)
	TrailFrom(ctx).add(p, n.ID, category, purpose, &d)
	a.observe(CategoryObject(category), d.err)
	return d.err
}

// decideCategory is ReleaseCategory without the audit.
func (a *Authorizer) decideCategory(p Principal, purpose partnernet.Purpose, n NewcomerRef, category partnernet.DataCategory, grants []Grant) decision {
	obj := CategoryObject(category)
	// what names the data in a denial's message; made only for a denial, as most decisions
	// release (formatting it for each was 5% of a caseload's CPU).
	what := func() string { return fmt.Sprintf("this newcomer's %s data", lower(category)) }
	if p.Anonymous() {
		return deny(partnernet.Errorf(partnernet.CodeUnauthenticated, "sign in to see %s", what()))
	}
	if p.NewcomerID != 0 && p.NewcomerID == n.ID {
		if ok, err := a.allowed(p, obj, Read, noPurpose, scopeSelf); err != nil || ok {
			return decided(ok, err, BasisDataSubject, 0)
		}
	}
	if purpose == "" {
		return deny(partnernet.Errorf(partnernet.CodeForbidden,
			"declare the purpose of processing (header %s) to see %s", PurposeHeader, what()))
	}
	if d, found := a.incoming(p, purpose, n, category); found {
		return d
	}
	ok, err := a.allowed(p, obj, Read, string(purpose), scopeOf(p, n.ControllerID))
	if err != nil {
		return deny(err)
	}
	if !ok {
		return deny(partnernet.Errorf(partnernet.CodeForbidden,
			"your role may not see %s for purpose %s", what(), purpose))
	}
	if p.OrganisationID != 0 && p.OrganisationID == n.ControllerID {
		basis, err := a.controllerBasis(obj, purpose)
		if err != nil {
			return deny(err)
		}
		if basis != "" {
			return release(BasisController+":"+basis, 0)
		}
	}
	for _, g := range grants {
		if g.covers(purpose, category) {
			return release(BasisConsent, g.ConsentID)
		}
	}
	return deny(partnernet.Errorf(partnernet.CodeConsentRequired,
		"no active consent lets your organisation see %s for purpose %s", what(), purpose))
}

// incoming decides on the record of n (category "") or its identity data for the organisation
// a pending transfer of n asks to take the case over: released (basis TRANSFER) when the
// principal's role may review transfers for the declared purpose. found is false where the
// rule does not apply (no such transfer, another organisation or category, no purpose), and
// the other rules decide.
func (a *Authorizer) incoming(p Principal, purpose partnernet.Purpose, n NewcomerRef, category partnernet.DataCategory) (decision, bool) {
	if n.IncomingTo == 0 || p.OrganisationID != n.IncomingTo || purpose == "" ||
		(category != "" && category != partnernet.CategoryIdentity) {
		return decision{}, false
	}
	ok, err := a.allowed(p, CaseTransferReview, Read, string(purpose), scopeOwn)
	if err != nil {
		return deny(err), true
	}
	if !ok {
		return decision{}, false
	}
	return release(BasisTransfer, 0), true
}

// ChangeCategory decides whether the principal may change (correct) category c of newcomer n's
// data, as a write of that category for the request's declared purpose. It may, only when (1)
// the principal is the newcomer themself and the policy lets a newcomer correct the category
// (their right to rectification), or (2) the policy lets one of the principal's roles write the
// category for the purpose in the principal's organisation (scope own: only the controller's
// staff correct its records), and either the controller processes the category for the purpose
// on a lawful basis other than consent, or an active consent names the organisation, the
// purpose and the category. Otherwise it returns UNAUTHENTICATED, FORBIDDEN or CONSENT_REQUIRED.
// grants are the newcomer's active consents naming the principal's organisation. The decision
// is not written to the request's trail: a correction writes its own audit entry, with the
// change, and a refused one changes nothing.
func (a *Authorizer) ChangeCategory(ctx context.Context, n NewcomerRef, c partnernet.DataCategory, grants []Grant) error {
	p := PrincipalFrom(ctx)
	obj := CategoryObject(c)
	err := a.decideChange(p, PurposeFrom(ctx), n, c, grants)
	a.observe(obj, err)
	return err
}

// decideChange is ChangeCategory without the metrics.
func (a *Authorizer) decideChange(p Principal, purpose partnernet.Purpose, n NewcomerRef, c partnernet.DataCategory, grants []Grant) error {
	obj := CategoryObject(c)
	what := fmt.Sprintf("this newcomer's %s data", lower(c))
	if p.Anonymous() {
		return partnernet.Errorf(partnernet.CodeUnauthenticated, "sign in to change %s", what)
	}
	if p.NewcomerID != 0 && p.NewcomerID == n.ID {
		ok, err := a.allowed(p, obj, Write, noPurpose, scopeSelf)
		switch {
		case err != nil:
			return err
		case ok:
			return nil
		}
		return partnernet.Errorf(partnernet.CodeForbidden, "ask your case worker to change %s", what)
	}
	if purpose == "" {
		return partnernet.Errorf(partnernet.CodeForbidden,
			"declare the purpose of processing (header %s) to change %s", PurposeHeader, what)
	}
	ok, err := a.allowed(p, obj, Write, string(purpose), scopeOf(p, n.ControllerID))
	if err != nil {
		return err
	}
	if !ok {
		return partnernet.Errorf(partnernet.CodeForbidden, "your role may not change %s for purpose %s", what, purpose)
	}
	if p.OrganisationID == n.ControllerID {
		basis, err := a.controllerBasis(obj, purpose)
		if err != nil {
			return err
		}
		if basis != "" {
			return nil
		}
	}
	for _, g := range grants {
		if g.covers(purpose, c) {
			return nil
		}
	}
	return partnernet.Errorf(partnernet.CodeConsentRequired,
		"no active consent lets your organisation change %s for purpose %s", what, purpose)
}

// SearchScope returns whose data of category c the principal may filter or order a list of
// newcomers by, for the declared purpose: the list form of ReleaseCategory, so that a search by
// name finds only newcomers whose name the caller may see, and a search by phone only those
// whose contact data. The newcomers of the principal's organisation are in it where the
// organisation processes c for the purpose on a lawful basis other than consent; those whose
// active consent names the organisation for the purpose and c, where the role may see c for it.
// A principal who may search by c for nobody gets UNAUTHENTICATED or FORBIDDEN.
func (a *Authorizer) SearchScope(ctx context.Context, c partnernet.DataCategory) (partnernet.CategoryScope, error) {
	p := PrincipalFrom(ctx)
	purpose := PurposeFrom(ctx)
	s := partnernet.CategoryScope{Category: c, Purpose: purpose}
	obj := CategoryObject(c)
	var refused error
	switch {
	case p.Anonymous():
		refused = refusal(p, Read, "newcomers")
	case purpose == "":
		refused = partnernet.Errorf(partnernet.CodeForbidden,
			"declare the purpose of processing (header %s) to search by %s data", PurposeHeader, lower(c))
	case p.OrganisationID != 0:
		own, err := a.allowed(p, obj, Read, string(purpose), scopeOwn)
		if err != nil {
			return s, err
		}
		other, err := a.allowed(p, obj, Read, string(purpose), scopeOther)
		if err != nil {
			return s, err
		}
		if own {
			basis, err := a.controllerBasis(obj, purpose)
			if err != nil {
				return s, err
			}
			if basis != "" {
				s.Controller = p.OrganisationID
			}
		}
		if own || other {
			s.ConsentRecipient = p.OrganisationID
		}
	}
	if refused == nil && s.Empty() {
		refused = partnernet.Errorf(partnernet.CodeForbidden, "your role may not search newcomers by %s data for purpose %s", lower(c), purpose)
	}
	if refused != nil {
		a.observe(obj, refused)
		return partnernet.CategoryScope{}, refused
	}
	return s, nil
}

// MayHoldCase reports whether subject may be assigned the cases of organisation org: whether
// one of its roles there holds cases (object case, action hold). The principal's own roles
// answer for the principal; memberships for anyone else.
func (a *Authorizer) MayHoldCase(ctx context.Context, subject string, org int64) (bool, error) {
	p := PrincipalFrom(ctx)
	holder := Principal{Subject: subject, OrganisationID: org, Roles: a.RolesOf(subject, org)}
	if subject == p.Subject && org == p.OrganisationID {
		holder.Roles = p.Roles
	}
	if len(holder.Roles) == 0 {
		return false, nil
	}
	return a.allowed(holder, CaseHold, Hold, noPurpose, scopeOwn)
}

// controllerBasis returns the lawful basis other than consent on which a controller processes
// obj for purpose, or "" when it has none.
func (a *Authorizer) controllerBasis(obj Object, purpose partnernet.Purpose) (string, error) {
	cache := a.decisions.Load()
	key := basisKey{string(obj), string(purpose)}
	if basis, found := cache.bases.Load(key); found {
		return basis.(string), nil
	}
	ok, explain, err := a.enforcer.EnforceEx(casbin.NewEnforceContext("2"), string(obj), string(purpose))
	if err != nil {
		return "", fmt.Errorf("enforce lawful basis of %s for %s: %w", obj, purpose, err)
	}
	basis := ""
	if ok && len(explain) >= 3 {
		basis = explain[2]
	}
	cache.bases.Store(key, basis)
	return basis, nil
}

// decision is the outcome of a decision about newcomer data, as the audit trail records it.
type decision struct {
	err       error
	basis     string
	consentID int64
}

func release(basis string, consentID int64) decision {
	return decision{basis: basis, consentID: consentID}
}

func deny(err error) decision { return decision{err: err} }

func decided(ok bool, err error, basis string, consentID int64) decision {
	if err != nil {
		return deny(err)
	}
	if !ok {
		return deny(partnernet.Errorf(partnernet.CodeForbidden, "not allowed"))
	}
	return release(basis, consentID)
}

// purposeOrNone is the purpose a Casbin request carries: the declared one, or "-".
func purposeOrNone(p partnernet.Purpose) string {
	if p == "" {
		return noPurpose
	}
	return string(p)
}

func lower(c partnernet.DataCategory) string {
	b := []byte(c)
	for i, ch := range b {
		if ch >= 'A' && ch <= 'Z' {
			b[i] = ch + 'a' - 'A'
		}
	}
	return string(b)
}

// NewcomerScope says which newcomers a principal may list: those whose controller is in
// Controllers, and, when ConsentRecipient is set, those with an active consent naming that
// organisation for Purpose. The store turns it into SQL; each listed record then still goes
// through SeeNewcomer.
type NewcomerScope struct {
	Controllers      partnernet.OrgScope
	ConsentRecipient int64
	Purpose          partnernet.Purpose
}

// Empty reports whether the scope lists nobody.
func (s NewcomerScope) Empty() bool { return s.Controllers.Empty() && s.ConsentRecipient == 0 }

// NewcomerListScope returns the scope of the newcomers the principal may list. A principal
// that may list nobody gets UNAUTHENTICATED or FORBIDDEN.
func (a *Authorizer) NewcomerListScope(ctx context.Context) (NewcomerScope, error) {
	p := PrincipalFrom(ctx)
	if p.Anonymous() {
		err := refusal(p, Read, "newcomers")
		a.observe(NewcomerRecord, err)
		return NewcomerScope{}, err
	}
	controllers, err := a.Scope(ctx, NewcomerRecord, Read)
	if err != nil {
		return NewcomerScope{}, err
	}
	s := NewcomerScope{Controllers: controllers}
	if purpose := PurposeFrom(ctx); purpose != "" && p.OrganisationID != 0 {
		ok, err := a.allowed(p, NewcomerRecord, Read, string(purpose), scopeOther)
		if err != nil {
			return NewcomerScope{}, err
		}
		if ok {
			s.ConsentRecipient, s.Purpose = p.OrganisationID, purpose
		}
	}
	if s.Empty() {
		err := refusal(p, Read, "newcomers")
		a.observe(NewcomerRecord, err)
		return s, err
	}
	return s, nil
}

// SeeInTrail decides whether the audit trail of the principal's organisation may confirm that
// newcomer n is registered: when the organisation controls n's data, or an active consent of n
// names it (grants are n's active consents naming the principal's organisation). It is for
// the organisation admins who read the trail, who do not see newcomer records themselves: a
// trail must not tell them of a newcomer their organisation may not see, by its entries or
// their count (the store's AuditFilter.ConfirmedTo mirrors this decision in SQL). A refusal is
// FORBIDDEN (UNAUTHENTICATED for anonymous callers).
func (a *Authorizer) SeeInTrail(ctx context.Context, n NewcomerRef, grants []Grant) error {
	p := PrincipalFrom(ctx)
	if p.Anonymous() {
		return refusal(p, Read, "audit trails")
	}
	if p.OrganisationID != 0 && (p.OrganisationID == n.ControllerID || len(grants) > 0) {
		return nil
	}
	return partnernet.Errorf(partnernet.CodeForbidden, "your organisation may not see this newcomer")
}

// ReleaseFeedbackAuthor decides whether the name of newcomer n, who gave feedback on an activity
// of organisation organiser, goes to the principal: only when the newcomer chose to be named,
// and the principal's role reads the feedback of the organiser's activities (ActivityFeedback,
// scope own). Anonymous feedback never tells who gave it, whoever asks. A refusal is FORBIDDEN
// (UNAUTHENTICATED for anonymous callers). The decision is audited, as a release of category
// IDENTITY.
func (a *Authorizer) ReleaseFeedbackAuthor(ctx context.Context, n NewcomerRef, organiser int64, named bool) error {
	p := PrincipalFrom(ctx)
	d := deny(refusal(p, Read, "who gave this feedback"))
	if !p.Anonymous() && named {
		ok, err := a.allowed(p, ActivityFeedback, Read, noPurpose, scopeOf(p, organiser))
		switch {
		case err != nil:
			d = deny(err)
		case ok:
			d = release(BasisNamedFeedback, 0)
		}
	}
	TrailFrom(ctx).add(p, n.ID, partnernet.CategoryIdentity, PurposeFrom(ctx), &d)
	a.observe(ActivityFeedback, d.err)
	return d.err
}

// GrantsFrom turns active consent records naming the principal's organisation into grants.
func GrantsFrom(records []partnernet.ConsentRecord) []Grant {
	grants := make([]Grant, 0, len(records))
	for _, c := range records {
		grants = append(grants, Grant{ConsentID: c.ID, Purposes: c.Purposes, Categories: c.DataCategories})
	}
	return grants
}

// ShareWith decides whether the principal may pass newcomer n on to another organisation for
// purpose, as a referral does: only when an active consent of the newcomer names that
// organisation and covers the purpose. recipientGrants are the newcomer's active consents naming
// the receiving organisation. The principal must already see the newcomer (SeeNewcomer). A
// refusal is CONSENT_REQUIRED. The decision is audited.
func (a *Authorizer) ShareWith(ctx context.Context, n NewcomerRef, purpose partnernet.Purpose, recipientGrants []Grant) error {
	p := PrincipalFrom(ctx)
	d := deny(partnernet.Errorf(partnernet.CodeConsentRequired,
		"no active consent lets the receiving organisation process this newcomer's data for purpose %s", purpose))
	if p.Anonymous() {
		d = deny(partnernet.Errorf(partnernet.CodeUnauthenticated, "sign in to refer newcomers"))
	} else {
		for _, g := range recipientGrants {
			if g.covers(purpose, "") {
				d = release(BasisConsent, g.ConsentID)
				break
			}
		}
	}
	TrailFrom(ctx).add(p, n.ID, "", purpose, &d)
	return d.err
}

// EnrolNewcomer decides whether the principal may enrol the newcomer n in (or withdraw them
// from) an activity of the organisation organiser. The newcomer may, for themself. Staff of the
// newcomer's controller in a role the policy lets enrol may, when an active consent of the
// newcomer names the organiser for purpose ACTIVITY_PARTICIPATION and category PARTICIPATION:
// enrolling discloses the newcomer's participation to the organiser. organiserGrants are the
// newcomer's active consents naming the organiser. It returns UNAUTHENTICATED, FORBIDDEN or
// CONSENT_REQUIRED otherwise.
func (a *Authorizer) EnrolNewcomer(ctx context.Context, n NewcomerRef, organiser int64, organiserGrants []Grant) error {
	p := PrincipalFrom(ctx)
	if p.Anonymous() {
		return refusal(p, Write, "enrolments")
	}
	if p.NewcomerID != 0 && p.NewcomerID == n.ID {
		ok, err := a.allowed(p, ActivityEnrol, Write, noPurpose, scopeSelf)
		if err != nil || ok {
			return err
		}
	}
	ok, err := a.allowed(p, ActivityEnrol, Write, noPurpose, scopeOf(p, n.ControllerID))
	if err != nil {
		return err
	}
	if !ok {
		return partnernet.Errorf(partnernet.CodeForbidden, "not allowed to enrol this newcomer")
	}
	if organiser == n.ControllerID {
		return nil
	}
	for _, g := range organiserGrants {
		if g.covers(partnernet.PurposeActivityParticipation, partnernet.CategoryParticipation) {
			return nil
		}
	}
	return partnernet.Errorf(partnernet.CodeConsentRequired,
		"no active consent lets the organiser process this newcomer's participation for activity participation")
}
