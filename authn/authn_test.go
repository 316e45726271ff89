package authn_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/authz"
)

// directory answers the authenticator's questions for the tests: two organisations, one
// membership of a partner's user, and API keys.
type directory struct {
	keys map[string]partnernet.APIKey
}

func (directory) OrganisationIDBySlug(_ context.Context, slug string) (int64, error) {
	switch slug {
	case "malmo":
		return 1, nil
	case "abf":
		return 2, nil
	}
	return 0, partnernet.Errorf(partnernet.CodeNotFound, "no organisation")
}

func (d directory) APIKeyByPrefix(_ context.Context, prefix string) (partnernet.APIKey, error) {
	if k, ok := d.keys[prefix]; ok {
		return k, nil
	}
	return partnernet.APIKey{}, partnernet.Errorf(partnernet.CodeNotFound, "no key")
}

func (directory) RolesOf(subject string, org int64) []string {
	if subject == "idp-issuer|eva" || strings.HasSuffix(subject, "|eva") && org == 1 {
		return []string{"coordinator"}
	}
	return nil
}

// NewcomerBySubject binds one subject, nadia of any issuer, to newcomer 77.
func (directory) NewcomerBySubject(_ context.Context, subject string) (int64, error) {
	if strings.HasSuffix(subject, "|nadia") {
		return 77, nil
	}
	return 0, partnernet.Errorf(partnernet.CodeNotFound, "no sign-in")
}

// idp is a partner's identity provider whose JWKS can rotate.
type idp struct {
	mu  sync.Mutex
	key jwk.Key
	set jwk.Set
	srv *httptest.Server
}

func newKey(t *testing.T) jwk.Key {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	k, err := jwk.Import(priv)
	require.NoError(t, err)
	require.NoError(t, jwk.AssignKeyID(k))
	require.NoError(t, k.Set(jwk.AlgorithmKey, jwa.EdDSA()))
	return k
}

func newIdP(t *testing.T) *idp {
	t.Helper()
	p := &idp{}
	p.rotate(t)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(p.set)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// rotate replaces the provider's key: its JWKS now publishes only the new one.
func (p *idp) rotate(t *testing.T) {
	t.Helper()
	k := newKey(t)
	pub, err := jwk.PublicKeyOf(k)
	require.NoError(t, err)
	set := jwk.NewSet()
	require.NoError(t, set.AddKey(pub))
	p.mu.Lock()
	p.key, p.set = k, set
	p.mu.Unlock()
}

func (p *idp) sign(t *testing.T, b *jwt.Builder) string {
	t.Helper()
	p.mu.Lock()
	k := p.key
	p.mu.Unlock()
	return signWith(t, b, k)
}

func signWith(t *testing.T, b *jwt.Builder, k jwk.Key) string {
	t.Helper()
	tok, err := b.Build()
	require.NoError(t, err)
	signed, err := jwt.Sign(tok, jwt.WithKey(jwa.EdDSA(), k))
	require.NoError(t, err)
	return string(signed)
}

// claims builds the usual claims of a token from iss for org.
func claims(iss string, mutate ...func(*jwt.Builder) *jwt.Builder) *jwt.Builder {
	now := time.Now()
	b := jwt.NewBuilder().Issuer(iss).Subject("eva").Audience([]string{authn.DefaultAudience}).
		IssuedAt(now).NotBefore(now).Expiration(now.Add(time.Hour)).Claim("org", "malmo").
		Claim("roles", []string{"coordinator"})
	for _, m := range mutate {
		b = m(b)
	}
	return b
}

func b64(v any) string {
	raw, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func request(credential string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	if credential != "" {
		r.Header.Set("Authorization", credential)
	}
	return r
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	local := newKey(t)
	partner := newIdP(t)
	stranger := newKey(t)
	secretToken, prefix, hash, err := authn.NewAPIKeySecret()
	require.NoError(t, err)
	revokedToken, revokedPrefix, revokedHash, err := authn.NewAPIKeySecret()
	require.NoError(t, err)
	now := time.Now()
	dir := directory{keys: map[string]partnernet.APIKey{
		prefix:        {ID: 5, OrganisationID: 2, Role: "publisher", Prefix: prefix, SecretHash: hash},
		revokedPrefix: {ID: 6, OrganisationID: 2, Role: "publisher", Prefix: revokedPrefix, SecretHash: revokedHash, RevokedAt: &now},
	}}
	a, err := authn.New(context.Background(), authn.Config{
		LocalKey:       local,
		TrustedIssuers: []authn.TrustedIssuer{{Issuer: partner.srv.URL, JWKSURL: partner.srv.URL}},
	}, dir)
	require.NoError(t, err)

	localToken := func(m ...func(*jwt.Builder) *jwt.Builder) string {
		return "Bearer " + signWith(t, claims(authn.DefaultIssuer, m...), local)
	}
	hs256 := func() string {
		tok, err := claims(authn.DefaultIssuer).Build()
		require.NoError(t, err)
		pub, err := jwk.PublicKeyOf(local)
		require.NoError(t, err)
		raw, err := json.Marshal(pub)
		require.NoError(t, err)
		signed, err := jwt.Sign(tok, jwt.WithKey(jwa.HS256(), raw))
		require.NoError(t, err)
		return "Bearer " + string(signed)
	}
	payload := map[string]any{
		"iss": authn.DefaultIssuer, "sub": "eva", "aud": authn.DefaultAudience, "org": "malmo",
		"roles": []string{"coordinator"}, "exp": time.Now().Add(time.Hour).Unix(),
	}
	algNone := "Bearer " + b64(map[string]string{"alg": "none", "typ": "JWT"}) + "." + b64(payload) + "."
	wrongAPIKey := strings.TrimSuffix(secretToken, secretToken[len(secretToken)-4:]) + "AAAA"

	tests := []struct {
		name       string
		credential string
		want       authz.Principal
		wantErr    string // part of the UNAUTHENTICATED message; "" when accepted
	}{
		{"no credentials: anonymous", "", authz.Principal{}, ""},
		{"local token", localToken(), authz.Principal{Subject: "eva", OrganisationID: 1, Roles: []authz.Role{authz.RoleCoordinator}}, ""},
		{"newcomer token", localToken(func(b *jwt.Builder) *jwt.Builder {
			return b.Claim("roles", []string{"newcomer"}).Claim("newcomer", 42).Claim("org", "")
		}), authz.Principal{Subject: "eva", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: 42}, ""},
		{"partner token: roles from memberships", "Bearer " + partner.sign(t, claims(partner.srv.URL, func(b *jwt.Builder) *jwt.Builder {
			return b.Claim("roles", []string{"network_admin"}) // ignored: not the partner's to say
		})), authz.Principal{Subject: partner.srv.URL + "|eva", OrganisationID: 1, Roles: []authz.Role{authz.RoleCoordinator}}, ""},
		{"API key", "Bearer " + secretToken, authz.Principal{Subject: "apikey:5", OrganisationID: 2, Roles: []authz.Role{authz.RolePublisher}}, ""},
		{"trusted token without organisation, bound: the newcomer", "Bearer " + partner.sign(t, claims(partner.srv.URL, func(b *jwt.Builder) *jwt.Builder {
			return b.Subject("nadia").Claim("org", "").Claim("roles", []string{"coordinator"}) // roles ignored
		})), authz.Principal{Subject: partner.srv.URL + "|nadia", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: 77}, ""},
		{"trusted token without organisation, unbound: an invitee", "Bearer " + partner.sign(t, claims(partner.srv.URL, func(b *jwt.Builder) *jwt.Builder {
			return b.Subject("omar").Claim("org", "")
		})), authz.Principal{Subject: partner.srv.URL + "|omar", Roles: []authz.Role{authz.RoleInvitee}}, ""},

		{"untrusted issuer", "Bearer " + signWith(t, claims("https://evil.example"), stranger), authz.Principal{}, "issuer is not trusted"},
		{"wrong audience", localToken(func(b *jwt.Builder) *jwt.Builder { return b.Audience([]string{"someone-else"}) }), authz.Principal{}, "audience"},
		{"expired", localToken(func(b *jwt.Builder) *jwt.Builder {
			return b.IssuedAt(time.Now().Add(-3 * time.Hour)).NotBefore(time.Now().Add(-3 * time.Hour)).Expiration(time.Now().Add(-2 * time.Hour))
		}), authz.Principal{}, "expired"},
		{"not yet valid", localToken(func(b *jwt.Builder) *jwt.Builder { return b.NotBefore(time.Now().Add(time.Hour)) }), authz.Principal{}, "not valid yet"},
		{"alg none", algNone, authz.Principal{}, "signature"},
		{"HS256 with the public key as secret", hs256(), authz.Principal{}, "signature"},
		{"signed by another key", "Bearer " + signWith(t, claims(authn.DefaultIssuer), stranger), authz.Principal{}, "signature"},
		{"partner issuer signed by another key", "Bearer " + signWith(t, claims(partner.srv.URL), stranger), authz.Principal{}, "signature"},
		{"malformed", "Bearer not.a.token", authz.Principal{}, "malformed"},
		{"garbage", "Bearer ???", authz.Principal{}, "malformed"},
		{"not bearer", "Basic dXNlcjpwYXNz", authz.Principal{}, "Bearer"},
		{"empty bearer", "Bearer ", authz.Principal{}, "Bearer"},
		{"no organisation", localToken(func(b *jwt.Builder) *jwt.Builder { return b.Claim("org", "") }), authz.Principal{}, "no organisation"},
		{"unknown organisation", localToken(func(b *jwt.Builder) *jwt.Builder { return b.Claim("org", "atlantis") }), authz.Principal{}, "unknown organisation"},
		{"unknown role", localToken(func(b *jwt.Builder) *jwt.Builder { return b.Claim("roles", []string{"king"}) }), authz.Principal{}, "unknown role"},
		{"no roles", localToken(func(b *jwt.Builder) *jwt.Builder { return b.Claim("roles", []string{}) }), authz.Principal{}, "no roles"},
		{"newcomer without record", localToken(func(b *jwt.Builder) *jwt.Builder {
			return b.Claim("roles", []string{"newcomer"})
		}), authz.Principal{}, "must name the newcomer"},
		{"partner user without membership", "Bearer " + partner.sign(t, claims(partner.srv.URL, func(b *jwt.Builder) *jwt.Builder {
			return b.Subject("mallory")
		})), authz.Principal{}, "holds no role"},
		{"revoked API key", "Bearer " + revokedToken, authz.Principal{}, "revoked"},
		{"API key with a wrong secret", "Bearer " + wrongAPIKey, authz.Principal{}, "unknown API key"},
		{"malformed API key", "Bearer pnk_short", authz.Principal{}, "malformed API key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := a.Authenticate(request(tt.credential))
			if tt.wantErr == "" {
				require.NoError(t, err)
				require.Equal(t, tt.want, got)
				return
			}
			require.ErrorIs(t, err, partnernet.ErrUnauthenticated)
			require.Contains(t, err.Error(), tt.wantErr)
			require.Equal(t, authz.Principal{}, got)
		})
	}
}

// TestKeyRotation: a partner rotates its key; tokens signed with the new key are accepted once
// the authenticator refetches the JWKS, which it does when it meets an unknown key.
func TestKeyRotation(t *testing.T) {
	t.Parallel()
	partner := newIdP(t)
	a, err := authn.New(context.Background(), authn.Config{
		TrustedIssuers: []authn.TrustedIssuer{{Issuer: partner.srv.URL, JWKSURL: partner.srv.URL}},
	}, directory{})
	require.NoError(t, err)
	before := "Bearer " + partner.sign(t, claims(partner.srv.URL))
	_, err = a.Authenticate(request(before))
	require.NoError(t, err)

	partner.rotate(t)
	after := "Bearer " + partner.sign(t, claims(partner.srv.URL))
	p, err := a.Authenticate(request(after))
	require.NoError(t, err, "a token signed with the rotated key is accepted")
	require.Equal(t, partner.srv.URL+"|eva", p.Subject)
	_, err = a.Authenticate(request(before))
	require.ErrorIs(t, err, partnernet.ErrUnauthenticated, "the retired key no longer verifies")
}

func TestAPIKeySecretsAreRandomAndHashed(t *testing.T) {
	t.Parallel()
	token1, prefix1, hash1, err := authn.NewAPIKeySecret()
	require.NoError(t, err)
	token2, prefix2, _, err := authn.NewAPIKeySecret()
	require.NoError(t, err)
	require.NotEqual(t, token1, token2)
	require.NotEqual(t, prefix1, prefix2)
	require.Regexp(t, `^pnk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$`, token1)
	secret := token1[len("pnk_")+12+1:]
	sum := sha256.Sum256([]byte(secret))
	require.Equal(t, sum[:], hash1)
}

func TestParseTrustedIssuers(t *testing.T) {
	t.Parallel()
	got, err := authn.ParseTrustedIssuers(" https://idp.malmo.se=https://idp.malmo.se/jwks.json , lund=http://127.0.0.1:9/keys ")
	require.NoError(t, err)
	require.Equal(t, []authn.TrustedIssuer{
		{Issuer: "https://idp.malmo.se", JWKSURL: "https://idp.malmo.se/jwks.json"},
		{Issuer: "lund", JWKSURL: "http://127.0.0.1:9/keys"},
	}, got)
	for _, bad := range []string{"noequals", "x=ftp://a", "=https://a"} {
		_, err := authn.ParseTrustedIssuers(bad)
		require.Error(t, err, bad)
	}
	none, err := authn.ParseTrustedIssuers("")
	require.NoError(t, err)
	require.Empty(t, none)
}
