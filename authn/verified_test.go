package authn

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
)

// noDirectory knows one organisation, where everyone is a coordinator, and no API keys.
type noDirectory struct{}

func (noDirectory) OrganisationIDBySlug(context.Context, string) (int64, error) { return 1, nil }

func (noDirectory) APIKeyByPrefix(context.Context, string) (partnernet.APIKey, error) {
	return partnernet.APIKey{}, partnernet.ErrNotFound
}

func (noDirectory) RolesOf(string, int64) []string { return []string{"coordinator"} }

func (noDirectory) NewcomerBySubject(context.Context, string) (int64, error) {
	return 0, partnernet.ErrNotFound
}

// TestVerifiedTokensAreRemembered verifies a token once and then answers from memory, for a
// local token and for a partner's while its issuer's keys stay the same; a token past its
// expiry, or of an issuer whose keys were fetched anew, is verified again.
func TestVerifiedTokensAreRemembered(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	key, err := jwk.Import(priv)
	require.NoError(t, err)
	require.NoError(t, jwk.AssignKeyID(key))
	require.NoError(t, key.Set(jwk.AlgorithmKey, jwa.EdDSA()))
	pub, err := jwk.PublicKeyOf(key)
	require.NoError(t, err)
	set := jwk.NewSet()
	require.NoError(t, set.AddKey(pub))
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(idp.Close)

	a, err := New(ctx, Config{LocalKey: key, TrustedIssuers: []TrustedIssuer{{Issuer: idp.URL, JWKSURL: idp.URL}}}, noDirectory{})
	require.NoError(t, err)
	// The first fetch of the issuer's keys runs in the background; a token verified before it
	// lands is verified with keys fetched in the foreground, which the background fetch then
	// replaces (the same keys, another set), and the remembered token is verified again, as it
	// should be. Wait for that fetch, so that the set below is the one that stays.
	for i := 0; ; i++ {
		if _, err := a.cache.Lookup(ctx, idp.URL); err == nil {
			break
		}
		require.Less(t, i, 1000, "the issuer's keys were never fetched")
		time.Sleep(10 * time.Millisecond)
	}
	sign := func(iss string) string {
		now := time.Now()
		tok, err := jwt.NewBuilder().Issuer(iss).Subject("eva").Audience([]string{DefaultAudience}).
			IssuedAt(now).Expiration(now.Add(time.Hour)).Claim("org", "malmo").
			Claim("roles", []string{"coordinator"}).Build()
		require.NoError(t, err)
		signed, err := jwt.Sign(tok, jwt.WithKey(jwa.EdDSA(), key))
		require.NoError(t, err)
		return string(signed)
	}

	for _, iss := range []string{DefaultIssuer, idp.URL} {
		raw := sign(iss)
		_, err := a.token(ctx, raw)
		require.NoError(t, err, iss)
		v, ok := a.verified.get(raw, time.Now())
		require.True(t, ok, "%s: remembered once verified", iss)
		require.True(t, a.keysUnchanged(ctx, v), "%s: the issuer's keys have not changed", iss)
		_, ok = a.verified.get(raw, time.Now().Add(2*time.Hour))
		require.False(t, ok, "%s: not past its expiry", iss)
	}

	// The issuer's keys fetched anew: a remembered token of it is verified again.
	raw := sign(idp.URL)
	_, err = a.token(ctx, raw)
	require.NoError(t, err)
	v, _ := a.verified.get(raw, time.Now())
	_, err = a.cache.Refresh(ctx, idp.URL)
	require.NoError(t, err)
	require.False(t, a.keysUnchanged(ctx, v))
}

// BenchmarkAuthenticate authenticates the same local token again and again, as a client sending
// it on every request does: the signature is verified once.
func BenchmarkAuthenticate(b *testing.B) {
	ctx := context.Background()
	key, err := GenerateKey()
	require.NoError(b, err)
	a, err := New(ctx, Config{LocalKey: key}, noDirectory{})
	require.NoError(b, err)
	raw, err := Mint(key, DefaultIssuer, DefaultAudience, Claims{Subject: "eva", Organisation: "malmo", Roles: []string{"coordinator"}, TTL: time.Hour})
	require.NoError(b, err)
	for b.Loop() {
		if _, err := a.token(ctx, raw); err != nil {
			b.Fatal(err)
		}
	}
}
