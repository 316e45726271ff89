package authz_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
)

const (
	malmo = int64(1)
	lund  = int64(2)
	abf   = int64(3)
)

// fixedMemberships is a MembershipSource for the decision tests; the store's is tested against
// PostgreSQL in package store and end to end in package server.
type fixedMemberships []partnernet.Membership

func (f fixedMemberships) MembershipListAll(context.Context) ([]partnernet.Membership, error) {
	return f, nil
}

func newAuthorizer(t *testing.T) *authz.Authorizer {
	t.Helper()
	a, err := authz.New(context.Background(), fixedMemberships{
		{ID: 1, Subject: "https://idp.malmo.se|anna", OrganisationID: malmo, Role: "coordinator"},
		{ID: 2, Subject: "https://idp.malmo.se|anna", OrganisationID: malmo, Role: "org_admin"},
		{ID: 3, Subject: "https://idp.malmo.se|anna", OrganisationID: lund, Role: "analyst"},
	})
	require.NoError(t, err)
	return a
}

func TestRolesOfComeFromMembershipsPerOrganisation(t *testing.T) {
	t.Parallel()
	a := newAuthorizer(t)
	require.Equal(t, []authz.Role{authz.RoleCoordinator, authz.RoleOrgAdmin}, a.RolesOf("https://idp.malmo.se|anna", malmo))
	require.Equal(t, []authz.Role{authz.RoleAnalyst}, a.RolesOf("https://idp.malmo.se|anna", lund))
	require.Empty(t, a.RolesOf("https://idp.malmo.se|anna", abf))
	require.Empty(t, a.RolesOf("someone-else", malmo))
}

func TestAuthorize(t *testing.T) {
	t.Parallel()
	a := newAuthorizer(t)

	anonymous := authz.Principal{}
	coordinator := authz.Principal{Subject: "anna", OrganisationID: malmo, Roles: []authz.Role{authz.RoleCoordinator}}
	publisher := authz.Principal{Subject: "per", OrganisationID: malmo, Roles: []authz.Role{authz.RolePublisher}}
	networkAdmin := authz.Principal{Subject: "nils", OrganisationID: malmo, Roles: []authz.Role{authz.RoleNetworkAdmin}}
	orgAdmin := authz.Principal{Subject: "olle", OrganisationID: malmo, Roles: []authz.Role{authz.RoleOrgAdmin}}
	analyst := authz.Principal{Subject: "ada", OrganisationID: lund, Roles: []authz.Role{authz.RoleAnalyst}}
	twoRoles := authz.Principal{Subject: "kim", OrganisationID: malmo, Roles: []authz.Role{authz.RoleAnalyst, authz.RoleCoordinator}}

	tests := []struct {
		name      string
		principal authz.Principal
		obj       authz.Object
		act       authz.Action
		owner     int64
		want      error // nil when allowed
	}{
		{"anyone reads organisations", anonymous, authz.NetworkOrganisation, authz.Read, 0, nil},
		{"anyone reads published activities", anonymous, authz.ActivityPublished, authz.Read, malmo, nil},
		{"signed-in roles inherit public reads", analyst, authz.NetworkProgramme, authz.Read, 0, nil},
		{"anonymous may not see drafts", anonymous, authz.ActivityUnpublished, authz.Read, malmo, partnernet.ErrUnauthenticated},
		{"publisher sees own drafts", publisher, authz.ActivityUnpublished, authz.Read, malmo, nil},
		{"publisher does not see others' drafts", publisher, authz.ActivityUnpublished, authz.Read, lund, partnernet.ErrForbidden},
		{"coordinator writes own consents", coordinator, authz.ConsentRecord, authz.Write, malmo, nil},
		{"coordinator does not write another's consents", coordinator, authz.ConsentRecord, authz.Write, lund, partnernet.ErrForbidden},
		{"network admin sees no consents", networkAdmin, authz.ConsentRecord, authz.Read, malmo, partnernet.ErrForbidden},
		{"network admin manages any memberships", networkAdmin, authz.Membership, authz.Write, lund, nil},
		{"network admin grants network admin", networkAdmin, authz.Membership + ":network_admin", authz.Write, lund, nil},
		{"org admin manages own memberships", orgAdmin, authz.Membership, authz.Write, malmo, nil},
		{"org admin does not grant network admin", orgAdmin, authz.Membership + ":network_admin", authz.Write, malmo, partnernet.ErrForbidden},
		{"org admin does not manage others' memberships", orgAdmin, authz.Membership, authz.Write, lund, partnernet.ErrForbidden},
		{"org admin reads own audit", orgAdmin, authz.Audit, authz.Read, malmo, nil},
		{"org admin reads no other audit", orgAdmin, authz.Audit, authz.Read, lund, partnernet.ErrForbidden},
		{"analyst sees no person", analyst, authz.NewcomerRecord, authz.Read, lund, partnernet.ErrForbidden},
		{"any role of several may allow", twoRoles, authz.NewcomerRecord, authz.Read, malmo, nil},
		{"unowned object is never own", coordinator, authz.NewcomerRecord, authz.Read, 0, partnernet.ErrForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := authz.WithPrincipal(context.Background(), tt.principal)
			err := a.Authorize(ctx, tt.obj, tt.act, tt.owner)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func TestReleaseCategory(t *testing.T) {
	t.Parallel()
	a := newAuthorizer(t)
	malmoNewcomer := authz.NewcomerRef{ID: 7, ControllerID: malmo}
	coordinator := authz.Principal{Subject: "anna", OrganisationID: malmo, Roles: []authz.Role{authz.RoleCoordinator}}
	lundCoordinator := authz.Principal{Subject: "lars", OrganisationID: lund, Roles: []authz.Role{authz.RoleCoordinator}}
	publisher := authz.Principal{Subject: "per", OrganisationID: abf, Roles: []authz.Role{authz.RolePublisher}}
	supervisor := authz.Principal{Subject: "sara", OrganisationID: malmo, Roles: []authz.Role{authz.RoleSupervisor}}
	networkAdmin := authz.Principal{Subject: "nils", OrganisationID: malmo, Roles: []authz.Role{authz.RoleNetworkAdmin}}
	self := authz.Principal{Subject: "newcomer:7", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: 7}
	other := authz.Principal{Subject: "newcomer:8", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: 8}
	participation := authz.Grant{ConsentID: 1, Purposes: []partnernet.Purpose{partnernet.PurposeActivityParticipation},
		Categories: []partnernet.DataCategory{partnernet.CategoryIdentity, partnernet.CategoryContact}}
	health := authz.Grant{ConsentID: 2, Purposes: []partnernet.Purpose{partnernet.PurposeSupportPlan},
		Categories: []partnernet.DataCategory{partnernet.CategoryHealth}}

	tests := []struct {
		name      string
		principal authz.Principal
		purpose   partnernet.Purpose
		category  partnernet.DataCategory
		grants    []authz.Grant
		want      partnernet.Code // "" when released
		reason    string
	}{
		{"anonymous", authz.Principal{}, "", partnernet.CategoryIdentity, nil, partnernet.CodeUnauthenticated, "UNAUTHENTICATED"},
		{"newcomer sees own identity", self, "", partnernet.CategoryIdentity, nil, "", authz.BasisDataSubject},
		{"newcomer sees own health", self, "", partnernet.CategoryHealth, nil, "", authz.BasisDataSubject},
		{"newcomer sees nobody else", other, "", partnernet.CategoryIdentity, nil, partnernet.CodeForbidden, "FORBIDDEN"},
		{"staff without a purpose", coordinator, "", partnernet.CategoryContact, nil, partnernet.CodeForbidden, "FORBIDDEN"},
		{"controller's coordinator: public task", coordinator, partnernet.PurposeEstablishmentCoordination, partnernet.CategoryContact, nil, "", "CONTROLLER:PUBLIC_TASK"},
		{"controller's coordinator: no health role", coordinator, partnernet.PurposeEstablishmentCoordination, partnernet.CategoryHealth, nil, partnernet.CodeForbidden, "FORBIDDEN"},
		{"controller's coordinator: referral needs consent", coordinator, partnernet.PurposeReferral, partnernet.CategoryContact, nil, partnernet.CodeConsentRequired, "CONSENT_REQUIRED"},
		{"another municipality: consent required", lundCoordinator, partnernet.PurposeEstablishmentCoordination, partnernet.CategoryContact, nil, partnernet.CodeConsentRequired, "CONSENT_REQUIRED"},
		{"association with consent", publisher, partnernet.PurposeActivityParticipation, partnernet.CategoryContact, []authz.Grant{participation}, "", authz.BasisConsent},
		{"association without consent", publisher, partnernet.PurposeActivityParticipation, partnernet.CategoryContact, nil, partnernet.CodeConsentRequired, "CONSENT_REQUIRED"},
		{"association: category not consented", publisher, partnernet.PurposeActivityParticipation, partnernet.CategoryLanguages, []authz.Grant{participation}, partnernet.CodeConsentRequired, "CONSENT_REQUIRED"},
		{"association: role lacks category", publisher, partnernet.PurposeActivityParticipation, partnernet.CategoryHealth, []authz.Grant{participation}, partnernet.CodeForbidden, "FORBIDDEN"},
		{"supervisor: health under consent", supervisor, partnernet.PurposeSupportPlan, partnernet.CategoryHealth, []authz.Grant{health}, "", authz.BasisConsent},
		{"supervisor: health without consent even as controller", supervisor, partnernet.PurposeSupportPlan, partnernet.CategoryHealth, nil, partnernet.CodeConsentRequired, "CONSENT_REQUIRED"},
		{"consent for another purpose does not count", supervisor, partnernet.PurposeReferral, partnernet.CategoryHealth, []authz.Grant{health}, partnernet.CodeForbidden, "FORBIDDEN"},
		{"network admin sees no personal data", networkAdmin, partnernet.PurposeEstablishmentCoordination, partnernet.CategoryIdentity, nil, partnernet.CodeForbidden, "FORBIDDEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			trail := authz.NewTrail("req-1")
			ctx := authz.WithTrail(authz.WithPrincipal(context.Background(), tt.principal), trail)
			if tt.purpose != "" {
				ctx = authz.WithPurpose(ctx, tt.purpose)
			}
			err := a.ReleaseCategory(ctx, malmoNewcomer, tt.category, tt.grants)
			if tt.want == "" {
				require.NoError(t, err)
			} else {
				require.Equal(t, tt.want, partnernet.ErrorCode(err), "err: %v", err)
				require.ErrorContains(t, err, "this newcomer's "+strings.ToLower(string(tt.category))+" data",
					"a denial names the data it withholds")
			}
			events := trail.Drain()
			require.Len(t, events, 1, "every decision is audited")
			require.Equal(t, tt.reason, events[0].Reason)
			require.Equal(t, []string{string(tt.category)}, events[0].Categories)
			require.Equal(t, malmoNewcomer.ID, *events[0].NewcomerID)
			require.Equal(t, "req-1", events[0].RequestID)
		})
	}
}

func TestDecisionsOutsideAnAuditedRequestAreRefused(t *testing.T) {
	t.Parallel()
	a := newAuthorizer(t)
	self := authz.Principal{Subject: "newcomer:7", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: 7}
	err := a.ReleaseCategory(authz.WithPrincipal(context.Background(), self), authz.NewcomerRef{ID: 7, ControllerID: malmo}, partnernet.CategoryIdentity, nil)
	require.Equal(t, partnernet.CodeInternal, partnernet.ErrorCode(err))
}

func TestTrailMergesDecisionsPerNewcomerAndOutcome(t *testing.T) {
	t.Parallel()
	a := newAuthorizer(t)
	trail := authz.NewTrail("req-2")
	coordinator := authz.Principal{Subject: "anna", OrganisationID: malmo, Roles: []authz.Role{authz.RoleCoordinator}}
	ctx := authz.WithPurpose(authz.WithTrail(authz.WithPrincipal(context.Background(), coordinator), trail), partnernet.PurposeEstablishmentCoordination)
	n := authz.NewcomerRef{ID: 9, ControllerID: malmo}
	for _, c := range []partnernet.DataCategory{partnernet.CategoryIdentity, partnernet.CategoryContact, partnernet.CategoryHealth, partnernet.CategoryIdentity} {
		_ = a.ReleaseCategory(ctx, n, c, nil)
	}
	events := trail.Drain()
	require.Len(t, events, 2)
	require.Equal(t, partnernet.AuditReleased, events[0].Decision)
	require.Equal(t, []string{"IDENTITY", "CONTACT"}, events[0].Categories)
	require.Equal(t, partnernet.AuditDenied, events[1].Decision)
	require.Equal(t, []string{"HEALTH"}, events[1].Categories)
	require.Equal(t, "ESTABLISHMENT_COORDINATION", *events[0].Purpose)
	require.Empty(t, trail.Drain())
}

func TestCheckPurpose(t *testing.T) {
	t.Parallel()
	a := newAuthorizer(t)
	tests := []struct {
		name      string
		principal authz.Principal
		purpose   partnernet.Purpose
		want      partnernet.Code
	}{
		{"no purpose declared", authz.Principal{Subject: "x", Roles: []authz.Role{authz.RolePublisher}}, "", ""},
		{"publisher: participation", authz.Principal{Subject: "x", Roles: []authz.Role{authz.RolePublisher}}, partnernet.PurposeActivityParticipation, ""},
		{"publisher: not research", authz.Principal{Subject: "x", Roles: []authz.Role{authz.RolePublisher}}, partnernet.PurposeResearch, partnernet.CodeForbidden},
		{"network admin: no purpose at all", authz.Principal{Subject: "x", Roles: []authz.Role{authz.RoleNetworkAdmin}}, partnernet.PurposeEstablishmentCoordination, partnernet.CodeForbidden},
		{"anonymous", authz.Principal{}, partnernet.PurposeReferral, partnernet.CodeUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := authz.WithPrincipal(context.Background(), tt.principal)
			if tt.purpose != "" {
				ctx = authz.WithPurpose(ctx, tt.purpose)
			}
			err := a.CheckPurpose(ctx)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.Equal(t, tt.want, partnernet.ErrorCode(err))
		})
	}
}

// TestDeclarePurpose checks the one reading of a declared purpose, as HTTP and websockets use
// it: an unknown value is bad input at the header, a refused one the decision's error, and a
// held one is what the context then carries.
func TestDeclarePurpose(t *testing.T) {
	t.Parallel()
	a := newAuthorizer(t)
	publisher := authz.Principal{Subject: "x", Roles: []authz.Role{authz.RolePublisher}}
	tests := []struct {
		name      string
		principal authz.Principal
		raw       string
		wantCode  partnernet.Code
		want      partnernet.Purpose
	}{
		{"none declared", publisher, "", "", ""},
		{"held", publisher, "ACTIVITY_PARTICIPATION", "", partnernet.PurposeActivityParticipation},
		{"unknown", publisher, "GOSSIP", partnernet.CodeBadUserInput, ""},
		{"lower case is unknown", publisher, "activity_participation", partnernet.CodeBadUserInput, ""},
		{"not held", publisher, "RESEARCH", partnernet.CodeForbidden, ""},
		{"anonymous", authz.Principal{}, "REFERRAL", partnernet.CodeUnauthenticated, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, err := a.DeclarePurpose(authz.WithPrincipal(context.Background(), tt.principal), tt.raw)
			if tt.wantCode != "" {
				require.Equal(t, tt.wantCode, partnernet.ErrorCode(err))
				var e *partnernet.Error
				if require.ErrorAs(t, err, &e); tt.wantCode == partnernet.CodeBadUserInput {
					require.Equal(t, authz.PurposeHeader, e.Field)
				}
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, authz.PurposeFrom(ctx))
		})
	}
}

func TestScope(t *testing.T) {
	t.Parallel()
	a := newAuthorizer(t)
	tests := []struct {
		name      string
		principal authz.Principal
		obj       authz.Object
		want      partnernet.OrgScope
	}{
		{"public objects: every organisation", authz.Principal{}, authz.ActivityPublished, partnernet.OrgScope{All: true}},
		{"anonymous: no drafts", authz.Principal{}, authz.ActivityUnpublished, partnernet.OrgScope{}},
		{
			"coordinator: own newcomers",
			authz.Principal{Subject: "a", OrganisationID: malmo, Roles: []authz.Role{authz.RoleCoordinator}},
			authz.NewcomerRecord, partnernet.OrgScope{IDs: []int64{malmo}},
		},
		{
			"coordinator without organisation: none",
			authz.Principal{Subject: "a", Roles: []authz.Role{authz.RoleCoordinator}},
			authz.NewcomerRecord, partnernet.OrgScope{},
		},
		{
			"network admin: no newcomers",
			authz.Principal{Subject: "a", OrganisationID: malmo, Roles: []authz.Role{authz.RoleNetworkAdmin}},
			authz.NewcomerRecord, partnernet.OrgScope{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := a.Scope(authz.WithPrincipal(context.Background(), tt.principal), tt.obj, authz.Read)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestPrincipalFromEmptyContextIsAnonymous(t *testing.T) {
	t.Parallel()
	require.True(t, authz.PrincipalFrom(context.Background()).Anonymous())
}

func TestAuthorizeActivity(t *testing.T) {
	t.Parallel()
	a := newAuthorizer(t)
	publisherOf := func(org int64) authz.Principal {
		return authz.Principal{Subject: "p", OrganisationID: org, Roles: []authz.Role{authz.RolePublisher}}
	}
	coordinator := authz.Principal{Subject: "c", OrganisationID: abf, Roles: []authz.Role{authz.RoleCoordinator}}
	orgAdmin := authz.Principal{Subject: "o", OrganisationID: lund, Roles: []authz.Role{authz.RoleOrgAdmin}}
	coOrganisers := []int64{lund}
	tests := []struct {
		name string
		p    authz.Principal
		obj  authz.Object
		want error
	}{
		{"the organiser's publisher edits", publisherOf(abf), authz.ActivityEdit, nil},
		{"the organiser's publisher publishes", publisherOf(abf), authz.ActivityPublish, nil},
		{"a co-organiser's publisher edits", publisherOf(lund), authz.ActivityEdit, nil},
		{"a co-organiser's admin edits", orgAdmin, authz.ActivityEdit, nil},
		{"a co-organiser does not publish", publisherOf(lund), authz.ActivityPublish, partnernet.ErrForbidden},
		{"a co-organiser sees the draft", publisherOf(lund), authz.ActivityUnpublished, nil},
		{"an outsider does not edit", publisherOf(malmo), authz.ActivityEdit, partnernet.ErrForbidden},
		{"a coordinator does not edit", coordinator, authz.ActivityEdit, partnernet.ErrForbidden},
		{"anonymous callers sign in first", authz.Principal{}, authz.ActivityEdit, partnernet.ErrUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			act := authz.Write
			if tt.obj == authz.ActivityUnpublished {
				act = authz.Read
			}
			err := a.AuthorizeActivity(authz.WithPrincipal(context.Background(), tt.p), tt.obj, act, abf, coOrganisers)
			if tt.want == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tt.want)
			}
		})
	}
}

func TestEnrolNewcomer(t *testing.T) {
	t.Parallel()
	a := newAuthorizer(t)
	n := authz.NewcomerRef{ID: 7, ControllerID: malmo}
	participation := authz.Grant{ConsentID: 1, Purposes: []partnernet.Purpose{partnernet.PurposeActivityParticipation},
		Categories: []partnernet.DataCategory{partnernet.CategoryParticipation}}
	identityOnly := authz.Grant{ConsentID: 2, Purposes: []partnernet.Purpose{partnernet.PurposeActivityParticipation},
		Categories: []partnernet.DataCategory{partnernet.CategoryIdentity}}
	self := authz.Principal{Subject: "n", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: 7}
	coordinator := authz.Principal{Subject: "c", OrganisationID: malmo, Roles: []authz.Role{authz.RoleCoordinator}}
	tests := []struct {
		name      string
		p         authz.Principal
		organiser int64
		grants    []authz.Grant
		want      error
	}{
		{"the newcomer themself", self, abf, nil, nil},
		{"another newcomer", authz.Principal{Subject: "m", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: 8}, abf, nil, partnernet.ErrForbidden},
		{"the controller's coordinator under consent", coordinator, abf, []authz.Grant{participation}, nil},
		{"the controller's coordinator, consent without participation", coordinator, abf, []authz.Grant{identityOnly}, partnernet.ErrConsentRequired},
		{"the controller's coordinator, no consent", coordinator, abf, nil, partnernet.ErrConsentRequired},
		{"the controller's coordinator, its own activity", coordinator, malmo, nil, nil},
		{"another municipality's coordinator", authz.Principal{Subject: "d", OrganisationID: lund, Roles: []authz.Role{authz.RoleCoordinator}},
			abf, []authz.Grant{participation}, partnernet.ErrForbidden},
		{"the organiser's publisher", authz.Principal{Subject: "p", OrganisationID: abf, Roles: []authz.Role{authz.RolePublisher}},
			abf, []authz.Grant{participation}, partnernet.ErrForbidden},
		{"anonymous", authz.Principal{}, abf, nil, partnernet.ErrUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := a.EnrolNewcomer(authz.WithPrincipal(context.Background(), tt.p), n, tt.organiser, tt.grants)
			if tt.want == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tt.want)
			}
		})
	}
}

func TestSeeInTrail(t *testing.T) {
	t.Parallel()
	a := newAuthorizer(t)
	n := authz.NewcomerRef{ID: 7, ControllerID: malmo}
	consent := authz.Grant{ConsentID: 1, Purposes: []partnernet.Purpose{partnernet.PurposeReferral}}
	tests := []struct {
		name   string
		p      authz.Principal
		grants []authz.Grant
		want   error
	}{
		{"the controller's admin", authz.Principal{Subject: "o", OrganisationID: malmo, Roles: []authz.Role{authz.RoleOrgAdmin}}, nil, nil},
		{"an admin of an organisation a consent names", authz.Principal{Subject: "p", OrganisationID: abf, Roles: []authz.Role{authz.RoleOrgAdmin}},
			[]authz.Grant{consent}, nil},
		{"another organisation's admin", authz.Principal{Subject: "q", OrganisationID: lund, Roles: []authz.Role{authz.RoleOrgAdmin}}, nil, partnernet.ErrForbidden},
		{"a newcomer", authz.Principal{Subject: "n", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: 7}, nil, partnernet.ErrForbidden},
		{"anonymous", authz.Principal{}, nil, partnernet.ErrUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := a.SeeInTrail(authz.WithPrincipal(context.Background(), tt.p), n, tt.grants)
			if tt.want == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tt.want)
			}
		})
	}
}

// TestObserveDenials checks that every refusal, and only refusals, reach the observer, with
// the object refused and the code of the refusal.
func TestObserveDenials(t *testing.T) {
	t.Parallel()
	a := newAuthorizer(t)
	type denial struct {
		obj  authz.Object
		code partnernet.Code
	}
	var got []denial
	a.ObserveDenials(func(obj authz.Object, code partnernet.Code) { got = append(got, denial{obj, code}) })

	publisher := authz.Principal{Subject: "per", OrganisationID: malmo, Roles: []authz.Role{authz.RolePublisher}}
	coordinator := authz.Principal{Subject: "anna", OrganisationID: malmo, Roles: []authz.Role{authz.RoleCoordinator}}
	anonymous := context.Background()
	asPublisher := authz.WithTrail(authz.WithPrincipal(context.Background(), publisher), authz.NewTrail("r1"))
	asCoordinator := authz.WithTrail(authz.WithPrincipal(context.Background(), coordinator), authz.NewTrail("r2"))
	lundNewcomer := authz.NewcomerRef{ID: 8, ControllerID: lund}

	require.NoError(t, a.Authorize(anonymous, authz.NetworkOrganisation, authz.Read, 0))
	require.Error(t, a.Authorize(anonymous, authz.ActivityUnpublished, authz.Read, malmo))
	require.Error(t, a.Authorize(asPublisher, authz.ActivityUnpublished, authz.Read, lund))
	require.Error(t, a.CheckPurpose(authz.WithPurpose(anonymous, partnernet.PurposeResearch)))
	require.Error(t, a.SeeNewcomer(asCoordinator, lundNewcomer, nil))
	require.Error(t, a.ReleaseCategory(asCoordinator, lundNewcomer, partnernet.CategoryHealth, nil))
	_, err := a.NewcomerListScope(anonymous)
	require.Error(t, err)

	require.Equal(t, []denial{
		{authz.ActivityUnpublished, partnernet.CodeUnauthenticated},
		{authz.ActivityUnpublished, partnernet.CodeForbidden},
		{authz.PurposeObject, partnernet.CodeUnauthenticated},
		{authz.NewcomerRecord, partnernet.CodeForbidden},
		{authz.CategoryObject(partnernet.CategoryHealth), partnernet.CodeForbidden},
		{authz.NewcomerRecord, partnernet.CodeUnauthenticated},
	}, got)
}

// TestRememberedDecisionsAgree checks the Authorizer's memory of Casbin's answers: the same
// question gets the same answer the first time, from memory, and after the policy is loaded again.
func TestRememberedDecisionsAgree(t *testing.T) {
	t.Parallel()
	a := newAuthorizer(t)
	roles := []authz.Role{authz.RoleCoordinator, authz.RolePublisher, authz.RoleNetworkAdmin, authz.RoleOrgAdmin,
		authz.RoleAnalyst, authz.RoleAdviser, authz.RoleSupervisor, authz.RoleCommunicator}
	objects := []authz.Object{authz.ConsentRecord, authz.AdviceStatistics, authz.ActivityEnrolments, authz.ActivityPublished}
	decide := func() []string {
		var out []string
		for _, role := range roles {
			for _, purpose := range []partnernet.Purpose{"", partnernet.PurposeStatistics, partnernet.PurposeEstablishmentCoordination} {
				p := authz.Principal{Subject: "s", OrganisationID: malmo, Roles: []authz.Role{role}}
				ctx := authz.WithPurpose(authz.WithPrincipal(context.Background(), p), purpose)
				for _, obj := range objects {
					for _, owner := range []int64{malmo, lund} {
						answer := "allowed"
						if err := a.Authorize(ctx, obj, authz.Read, owner); err != nil {
							answer = string(partnernet.ErrorCode(err))
						}
						out = append(out, answer)
					}
				}
			}
		}
		return out
	}
	first := decide()
	require.Contains(t, first, "allowed", "some decisions allow")
	require.Contains(t, first, string(partnernet.CodeForbidden), "some refuse")
	require.Equal(t, first, decide(), "answers from memory")
	require.NoError(t, a.Reload())
	require.Equal(t, first, decide(), "answers after the policy was loaded again")
}
