package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/server"
)

const programmesQuery = `{"query":"{ programmes { totalCount } }"}`

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	for _, path := range []string{"/graphql?query=%7B__typename%7D", "/healthz"} {
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		h := rec.Header()
		require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), path)
		require.Equal(t, "DENY", h.Get("X-Frame-Options"), path)
		require.Equal(t, "no-referrer", h.Get("Referrer-Policy"), path)
		require.Contains(t, h.Get("Content-Security-Policy"), "default-src 'none'", path)
		require.NotEmpty(t, h.Get("Strict-Transport-Security"), path)
	}
	rec := httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/graphql?query=%7B__typename%7D", nil))
	require.Equal(t, "no-store", rec.Header().Get("Cache-Control"), "GraphQL responses are never cached")
}

func TestCORSAllowlist(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, withConfig(func(c *server.Config) {
		c.CORSOrigins = []string{"https://app.malmo.example", "https://*.lund.example"}
	}))
	tests := []struct {
		name      string
		origin    string
		preflight bool
		wantAllow string
	}{
		{name: "allowed origin, preflight", origin: "https://app.malmo.example", preflight: true, wantAllow: "https://app.malmo.example"},
		{name: "allowed origin, request", origin: "https://app.malmo.example", wantAllow: "https://app.malmo.example"},
		{name: "wildcard origin", origin: "https://case.lund.example", preflight: true, wantAllow: "https://case.lund.example"},
		{name: "other origin, preflight", origin: "https://evil.example", preflight: true},
		{name: "other origin, request", origin: "https://evil.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req *http.Request
			if tt.preflight {
				req = httptest.NewRequest(http.MethodOptions, "/graphql", nil)
				req.Header.Set("Access-Control-Request-Method", http.MethodPost)
				req.Header.Set("Access-Control-Request-Headers", "authorization, content-type, partnernet-purpose")
			} else {
				req = httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(programmesQuery))
				req.Header.Set("Content-Type", "application/json")
			}
			req.Header.Set("Origin", tt.origin)
			rec := httptest.NewRecorder()
			env.Handler.ServeHTTP(rec, req)
			require.Equal(t, tt.wantAllow, rec.Header().Get("Access-Control-Allow-Origin"))
			if tt.preflight && tt.wantAllow != "" {
				require.Contains(t, strings.ToLower(rec.Header().Get("Access-Control-Allow-Headers")), "partnernet-purpose")
			}
		})
	}
}

func TestRateLimits(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, withConfig(func(c *server.Config) {
		// Rates so low that no token comes back during the test.
		c.RateLimit = server.RateLimit{PerIP: 0.001, IPBurst: 4, PerPrincipal: 0.001, PrincipalBurst: 2, TrustForwardedFor: true}
	}))
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	analyst := staff(t, env, "malmo-universitet", authz.RoleAnalyst)
	send := func(p authz.Principal, ip string) apitest.Response {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(programmesQuery))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", "203.0.113.7, "+ip)
		return env.Send(t, p, req)
	}
	requireLimited := func(resp apitest.Response) {
		t.Helper()
		require.Equal(t, http.StatusTooManyRequests, resp.Status)
		require.Equal(t, []string{server.CodeRateLimited}, resp.Codes())
		after, err := strconv.Atoi(resp.Header.Get("Retry-After"))
		require.NoError(t, err)
		require.Positive(t, after)
		require.Zero(t, resp.Statements, "a refused request reaches no database")
	}

	// Per principal: two requests from two addresses, then the third is refused.
	require.Equal(t, http.StatusOK, send(coordinator, "198.51.100.1").Status)
	require.Equal(t, http.StatusOK, send(coordinator, "198.51.100.2").Status)
	requireLimited(send(coordinator, "198.51.100.3"))
	// Another principal from the same address is not held back by the coordinator's budget.
	require.Equal(t, http.StatusOK, send(analyst, "198.51.100.3").Status)

	// Per address: anonymous requests from one address, up to its burst of 4.
	for range 4 {
		require.Equal(t, http.StatusOK, send(authz.Principal{}, "192.0.2.9").Status)
	}
	requireLimited(send(authz.Principal{}, "192.0.2.9"))
	require.Equal(t, http.StatusOK, send(authz.Principal{}, "192.0.2.10").Status, "another address has its own budget")

	// IPv6 addresses share the budget of their /64.
	for i := range 4 {
		require.Equal(t, http.StatusOK, send(authz.Principal{}, fmt.Sprintf("2001:db8:1:2::%x", i+1)).Status)
	}
	requireLimited(send(authz.Principal{}, "2001:db8:1:2:ffff::9"))
	require.Equal(t, http.StatusOK, send(authz.Principal{}, "2001:db8:1:3::1").Status, "another /64 has its own budget")
}

// staff returns a principal in role at the organisation with slug.
func staff(t *testing.T, env *apitest.Env, slug string, role authz.Role) authz.Principal {
	t.Helper()
	return authz.Principal{Subject: string(role) + "@" + slug, OrganisationID: orgIDBySlug(t, env.Pool, slug), Roles: []authz.Role{role}}
}
