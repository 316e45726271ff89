package authz

import (
	"context"

	"github.com/partnerskap-skane/partnernet"
)

// The objects of MILSA analytics.
const (
	// AnalyticsAggregate is every aggregate (counts with small ones suppressed) and the partner
	// network. Its owner is the network lead (NetworkLeadSlug): the lead's network admins read it
	// in scope own, analysts of any organisation in scope any.
	AnalyticsAggregate Object = "analytics:aggregate"
	// AnalyticsExtract is a research extract of pseudonymised per-person rows.
	AnalyticsExtract Object = "analytics:extract"
	// AnalyticsControlled is the aggregates of the newcomers an organisation controls (scope
	// own): a municipality's coordinators see the measures of their own newcomers.
	AnalyticsControlled Object = "analytics:controlled"
)

// NetworkLeadSlug is the organisation that leads the network (the County Administrative Board
// of Skåne): it owns the analytics, so its network admins read the aggregates.
const NetworkLeadSlug = "lansstyrelsen-skane"

// AggregateScope decides whose newcomers the principal's aggregates may count: every newcomer of
// the network (All), for those Authorize lets read AnalyticsAggregate owned by lead (analysts,
// the network lead's network admins); or the newcomers controlled by the organisations in IDs,
// for those the policy lets read AnalyticsControlled of their own organisation (a
// municipality's coordinators). Statistics applies the scope; it never widens it. A principal
// with neither gets UNAUTHENTICATED or FORBIDDEN.
func (a *Authorizer) AggregateScope(ctx context.Context, lead int64) (partnernet.OrgScope, error) {
	p := PrincipalFrom(ctx)
	ok, err := a.allowed(p, AnalyticsAggregate, Read, noPurpose, scopeOf(p, lead))
	if err != nil || ok {
		return partnernet.OrgScope{All: ok}, err
	}
	if p.OrganisationID != 0 {
		ok, err := a.allowed(p, AnalyticsControlled, Read, noPurpose, scopeOwn)
		if err != nil || ok {
			return partnernet.OrgScope{IDs: []int64{p.OrganisationID}}, err
		}
	}
	err = refusal(p, Read, "these aggregates")
	a.observe(AnalyticsAggregate, err)
	return partnernet.OrgScope{}, err
}

// ResearchObject is the object of a category of newcomer data in a research extract.
func ResearchObject(c partnernet.DataCategory) Object {
	return Object("research:" + lower(c))
}

// ResearchRelease decides which of the categories asked for of newcomer n go into a research
// extract the principal makes: the request must declare purpose RESEARCH, the policy must let
// one of the principal's roles put the category in an extract, and an active consent of the
// newcomer naming the principal's organisation must cover RESEARCH and the category. grants are
// the newcomer's active consents naming the principal's organisation. It returns the released
// categories, in the order asked, or CONSENT_REQUIRED (FORBIDDEN, UNAUTHENTICATED) when none is:
// then the person is left out. Every decision is audited.
func (a *Authorizer) ResearchRelease(ctx context.Context, n NewcomerRef, categories []partnernet.DataCategory, grants []Grant) ([]partnernet.DataCategory, error) {
	p := PrincipalFrom(ctx)
	purpose := PurposeFrom(ctx)
	var released []partnernet.DataCategory
	var firstErr error
	for _, c := range categories {
		d := a.decideResearch(p, purpose, c, grants)
		TrailFrom(ctx).add(p, n.ID, c, purpose, &d)
		a.observe(ResearchObject(c), d.err)
		if d.err == nil {
			released = append(released, c)
		} else if firstErr == nil {
			firstErr = d.err
		}
	}
	if len(released) == 0 {
		if firstErr == nil {
			firstErr = partnernet.Errorf(partnernet.CodeBadUserInput, "no category asked for")
		}
		return nil, firstErr
	}
	return released, nil
}

// decideResearch is the decision about one category of ResearchRelease, without the audit.
func (a *Authorizer) decideResearch(p Principal, purpose partnernet.Purpose, c partnernet.DataCategory, grants []Grant) decision {
	if p.Anonymous() {
		return deny(partnernet.Errorf(partnernet.CodeUnauthenticated, "sign in to make research extracts"))
	}
	if purpose != partnernet.PurposeResearch {
		return deny(partnernet.Errorf(partnernet.CodeForbidden,
			"declare purpose %s (header %s) to make research extracts", partnernet.PurposeResearch, PurposeHeader))
	}
	ok, err := a.allowed(p, ResearchObject(c), Read, string(purpose), scopeOther)
	if err != nil {
		return deny(err)
	}
	if !ok {
		return deny(partnernet.Errorf(partnernet.CodeForbidden, "your role may not extract %s data for research", lower(c)))
	}
	for _, g := range grants {
		if g.covers(purpose, c) {
			return release(BasisConsent, g.ConsentID)
		}
	}
	return deny(partnernet.Errorf(partnernet.CodeConsentRequired,
		"no active consent lets your organisation use this newcomer's %s data for research", lower(c)))
}

// AuthorizeExtract decides whether the principal may make a research extract: a role the policy
// lets make one for the declared purpose (RESEARCH). It returns UNAUTHENTICATED or FORBIDDEN
// otherwise.
func (a *Authorizer) AuthorizeExtract(ctx context.Context) error {
	p := PrincipalFrom(ctx)
	ok, err := a.allowed(p, AnalyticsExtract, Write, purposeOrNone(PurposeFrom(ctx)), scopeOther)
	switch {
	case err != nil:
		return err
	case ok:
		return nil
	default:
		err := refusal(p, Write, "research extracts (declaring purpose "+string(partnernet.PurposeResearch)+")")
		a.observe(AnalyticsExtract, err)
		return err
	}
}
