package cli_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/cli"
	"github.com/partnerskap-skane/partnernet/dbtest"
)

// slugs resolves the organisations the token tests name.
type slugs map[string]int64

func (s slugs) OrganisationIDBySlug(_ context.Context, slug string) (int64, error) {
	if id, ok := s[slug]; ok {
		return id, nil
	}
	return 0, partnernet.Errorf(partnernet.CodeNotFound, "no organisation %q", slug)
}

func (slugs) APIKeyByPrefix(context.Context, string) (partnernet.APIKey, error) {
	return partnernet.APIKey{}, partnernet.Errorf(partnernet.CodeNotFound, "no key")
}

func (slugs) RolesOf(string, int64) []string { return nil }

func (slugs) NewcomerBySubject(context.Context, string) (int64, error) {
	return 0, partnernet.Errorf(partnernet.CodeNotFound, "no sign-in")
}

func TestTokenMintsWhatTheServerAccepts(t *testing.T) {
	t.Parallel()
	dataDir := dbtest.TempDir(t)
	key, err := authn.LoadOrCreateKey(cli.DevKeyFile(dataDir))
	require.NoError(t, err)
	a, err := authn.New(context.Background(), authn.Config{LocalKey: key}, slugs{"malmo": 12})
	require.NoError(t, err)
	env := map[string]string{"PARTNERNET_DATA_DIR": dataDir}

	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     authz.Principal
		stderr   string
	}{
		{"coordinator of Malmö", []string{"--org", "malmo", "--role", "coordinator"}, 0,
			authz.Principal{Subject: "dev:coordinator@malmo", OrganisationID: 12, Roles: []authz.Role{authz.RoleCoordinator}}, ""},
		{"own subject", []string{"--org", "malmo", "--role", "publisher", "--subject", "per", "--ttl", "1h"}, 0,
			authz.Principal{Subject: "per", OrganisationID: 12, Roles: []authz.Role{authz.RolePublisher}}, ""},
		{"a newcomer", []string{"--role", "newcomer", "--newcomer", "7"}, 0,
			authz.Principal{Subject: "dev:newcomer:7", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: 7}, ""},
		{"unknown role", []string{"--org", "malmo", "--role", "king"}, 1, authz.Principal{}, `unknown role "king"`},
		{"no organisation", []string{"--role", "coordinator"}, 1, authz.Principal{}, "--org is required"},
		{"newcomer without id", []string{"--role", "newcomer"}, 1, authz.Principal{}, "--newcomer ID"},
		{"overlong ttl", []string{"--org", "malmo", "--role", "coordinator", "--ttl", "9000h"}, 1, authz.Principal{}, "--ttl"},
		{"missing key", []string{"--org", "malmo", "--role", "coordinator", "--signing-key", filepath.Join(dataDir, "nope.jwk")}, 1, authz.Principal{}, "partnernet dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := run(t, env, append([]string{"token"}, tt.args...)...)
			require.Equal(t, tt.wantCode, code, stderr)
			if tt.wantCode != 0 {
				require.Contains(t, stderr, tt.stderr)
				return
			}
			req, err := http.NewRequest(http.MethodPost, "/graphql", nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(stdout))
			got, err := a.Authenticate(req)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}
