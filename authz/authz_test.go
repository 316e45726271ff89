package authz_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
)

const (
	malmo = int64(1)
	lund  = int64(2)
)

func TestAuthorize(t *testing.T) {
	t.Parallel()
	a, err := authz.New()
	require.NoError(t, err)

	anonymous := authz.Principal{}
	coordinator := authz.Principal{Subject: "anna", OrganisationID: malmo, Roles: []authz.Role{authz.RoleCoordinator}}
	publisher := authz.Principal{Subject: "per", OrganisationID: malmo, Roles: []authz.Role{authz.RolePublisher}}
	networkAdmin := authz.Principal{Subject: "nils", OrganisationID: malmo, Roles: []authz.Role{authz.RoleNetworkAdmin}}
	analyst := authz.Principal{Subject: "ada", OrganisationID: lund, Roles: []authz.Role{authz.RoleAnalyst}}
	twoRoles := authz.Principal{Subject: "kim", OrganisationID: malmo, Roles: []authz.Role{authz.RoleAnalyst, authz.RoleCoordinator}}

	tests := []struct {
		name      string
		principal authz.Principal
		obj       authz.Object
		owner     int64
		want      error // nil when allowed
	}{
		{"anyone reads organisations", anonymous, authz.NetworkOrganisation, 0, nil},
		{"anyone reads published activities", anonymous, authz.ActivityPublished, malmo, nil},
		{"signed-in roles inherit public reads", analyst, authz.NetworkProgramme, 0, nil},
		{"anonymous may not see drafts", anonymous, authz.ActivityUnpublished, malmo, partnernet.ErrUnauthenticated},
		{"publisher sees own drafts", publisher, authz.ActivityUnpublished, malmo, nil},
		{"publisher does not see others' drafts", publisher, authz.ActivityUnpublished, lund, partnernet.ErrForbidden},
		{"anonymous may not see newcomers", anonymous, authz.NewcomerIdentity, malmo, partnernet.ErrUnauthenticated},
		{"coordinator sees own newcomers' identity", coordinator, authz.NewcomerIdentity, malmo, nil},
		{"coordinator does not see another municipality's newcomers", coordinator, authz.NewcomerIdentity, lund, partnernet.ErrForbidden},
		{"publisher sees no newcomer identity", publisher, authz.NewcomerIdentity, malmo, partnernet.ErrForbidden},
		{"network admin sees no personal data", networkAdmin, authz.NewcomerIdentity, malmo, partnernet.ErrForbidden},
		{"network admin sees no consents", networkAdmin, authz.ConsentRecord, malmo, partnernet.ErrForbidden},
		{"analyst sees no person", analyst, authz.NewcomerRecord, lund, partnernet.ErrForbidden},
		{"any role of several may allow", twoRoles, authz.NewcomerRecord, malmo, nil},
		{"unowned object is never own", coordinator, authz.NewcomerRecord, 0, partnernet.ErrForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := authz.WithPrincipal(context.Background(), tt.principal)
			err := a.Authorize(ctx, tt.obj, authz.Read, tt.owner)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func TestScope(t *testing.T) {
	t.Parallel()
	a, err := authz.New()
	require.NoError(t, err)
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
