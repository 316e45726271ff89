package server_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/server"
	"github.com/partnerskap-skane/partnernet/store"
)

// partnerIdP is a partner's identity provider on loopback: a JWKS endpoint and a signing key.
type partnerIdP struct {
	issuer string
	key    jwk.Key
	srv    *httptest.Server
}

func newPartnerIdP(t *testing.T) *partnerIdP {
	t.Helper()
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
	idp := &partnerIdP{key: key}
	idp.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(idp.srv.Close)
	idp.issuer = idp.srv.URL
	return idp
}

// token signs a token for subject acting for organisation slug.
func (p *partnerIdP) token(t *testing.T, subject, slug string) string {
	t.Helper()
	tok, err := jwt.NewBuilder().Issuer(p.issuer).Subject(subject).Audience([]string{authn.DefaultAudience}).
		IssuedAt(time.Now()).Expiration(time.Now().Add(time.Hour)).Claim("org", slug).Build()
	require.NoError(t, err)
	signed, err := jwt.Sign(tok, jwt.WithKey(jwa.EdDSA(), p.key))
	require.NoError(t, err)
	return string(signed)
}

// replica is one server over the shared database, on its own pool, served on loopback.
type replica struct {
	url string
}

func startReplica(t *testing.T, ctx context.Context, dbURL string, auth authn.Config) replica {
	t.Helper()
	pool, err := pgxpool.New(ctx, dbURL)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	srv, err := server.New(ctx, server.Config{Pool: pool, Logger: slog.New(slog.DiscardHandler), Auth: auth})
	require.NoError(t, err)
	select {
	case <-srv.PolicyReady():
	case <-time.After(time.Minute):
		t.Fatal("replica never followed memberships")
	}
	select {
	case <-srv.LiveReady():
	case <-time.After(time.Minute):
		t.Fatal("replica never followed activity changes")
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return replica{url: hs.URL}
}

// gqlResult is a decoded GraphQL response.
type gqlResult struct {
	status int
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (r gqlResult) codes() []string {
	var out []string
	for _, e := range r.Errors {
		code, _ := e.Extensions["code"].(string)
		out = append(out, code)
	}
	return out
}

// post sends a GraphQL request to a replica with a bearer token and a purpose.
func (r replica) post(t *testing.T, token, purpose, query string, vars map[string]any) gqlResult {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, r.url+"/graphql", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if purpose != "" {
		req.Header.Set("Partnernet-Purpose", purpose)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out := gqlResult{status: resp.StatusCode}
	require.NoError(t, json.Unmarshal(raw, &out), "body: %s", raw)
	return out
}

// TestChangesReachEveryReplicaAtOnce runs two replicas over one database: a consent withdrawn
// through one is no longer honoured by the other on the very next request, and a role granted
// through one lets a partner's user in through the other.
func TestChangesReachEveryReplicaAtOnce(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dbURL := dbtest.NewDatabase(t)
	pool, err := pgxpool.New(ctx, dbURL)
	require.NoError(t, err)
	defer pool.Close()
	st := store.New(pool)
	_, err = seed.Load(ctx, st, seed.Options{Newcomers: 20, Activities: 10, Seed: 3}, nil)
	require.NoError(t, err)

	key, err := authn.GenerateKey()
	require.NoError(t, err)
	idp := newPartnerIdP(t)
	auth := authn.Config{LocalKey: key, TrustedIssuers: []authn.TrustedIssuer{{Issuer: idp.issuer, JWKSURL: idp.srv.URL}}}
	a := startReplica(t, ctx, dbURL, auth)
	b := startReplica(t, ctx, dbURL, auth)

	mint := func(c authn.Claims) string {
		tok, err := authn.Mint(key, authn.DefaultIssuer, authn.DefaultAudience, c)
		require.NoError(t, err)
		return tok
	}
	coordinator := mint(authn.Claims{Subject: "anna@malmo", Organisation: "malmo", Roles: []string{"coordinator"}})
	publisher := mint(authn.Claims{Subject: "per@abf", Organisation: "abf", Roles: []string{"publisher"}})
	networkAdmin := mint(authn.Claims{Subject: "nils@lansstyrelsen", Organisation: "lansstyrelsen-skane", Roles: []string{"network_admin"}})

	// A Malmö newcomer consents, through replica A, to ABF seeing their contact data.
	var newcomerID, abfID int64
	require.NoError(t, pool.QueryRow(ctx, `SELECT n.id FROM newcomer n JOIN organisation o ON o.id = n.controller_id
		WHERE o.slug = 'malmo' ORDER BY n.id LIMIT 1`).Scan(&newcomerID))
	require.NoError(t, pool.QueryRow(ctx, `SELECT id FROM organisation WHERE slug = 'abf'`).Scan(&abfID))
	newcomerGID := relay.ToGlobalID("Newcomer", newcomerID)
	res := a.post(t, coordinator, "", `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id state } }`,
		map[string]any{"in": map[string]any{
			"newcomerId": newcomerGID, "recipientIds": []string{relay.ToGlobalID("Organisation", abfID)},
			"purposes": []string{"ACTIVITY_PARTICIPATION"}, "dataCategories": []string{"CONTACT"},
			"method": "DIGITAL", "noticeLanguage": "ar", "noticeVersion": "2026.1",
		}})
	require.Empty(t, res.Errors)
	consentGID := res.Data["recordConsent"].(map[string]any)["id"].(string)

	const contactQuery = `query($id: ID!) { node(id: $id) { ... on Newcomer { contact { phone } } } }`
	res = b.post(t, publisher, "ACTIVITY_PARTICIPATION", contactQuery, map[string]any{"id": newcomerGID})
	require.Empty(t, res.Errors)
	require.NotNil(t, res.Data["node"], "replica B releases the contact under the consent")
	require.NotNil(t, res.Data["node"].(map[string]any)["contact"])

	// The newcomer withdraws through replica A; replica B's very next request honours it.
	self := mint(authn.Claims{Subject: "newcomer-self", Roles: []string{"newcomer"}, NewcomerID: newcomerID})
	res = a.post(t, self, "", `mutation($id: ID!) { withdrawConsent(input: {consentId: $id}) { state } }`,
		map[string]any{"id": consentGID})
	require.Empty(t, res.Errors)
	require.Equal(t, "WITHDRAWN", res.Data["withdrawConsent"].(map[string]any)["state"])
	res = b.post(t, publisher, "ACTIVITY_PARTICIPATION", contactQuery, map[string]any{"id": newcomerGID})
	require.Empty(t, res.Errors)
	require.Nil(t, res.Data["node"], "after withdrawal replica B releases nothing")

	// A partner's user holds no role yet: refused on both replicas.
	eva := idp.token(t, "eva", "lund")
	const viewerQuery = `{ viewer { subject roles organisation { slug } } }`
	res = b.post(t, eva, "", viewerQuery, nil)
	require.Equal(t, http.StatusUnauthorized, res.status)
	require.Equal(t, []string{"UNAUTHENTICATED"}, res.codes())

	// The network admin grants her a role through replica A; replica B lets her in.
	res = a.post(t, networkAdmin, "", `mutation($in: MembershipInput!) { grantRole(input: $in) { subject role } }`,
		map[string]any{"in": map[string]any{
			"subject": idp.issuer + "|eva", "organisationId": relay.ToGlobalID("Organisation", orgIDBySlug(t, pool, "lund")),
			"role": "COORDINATOR",
		}})
	require.Empty(t, res.Errors)
	deadline := time.Now().Add(30 * time.Second)
	for {
		res = b.post(t, eva, "", viewerQuery, nil)
		if res.status == http.StatusOK || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	require.Equal(t, http.StatusOK, res.status, "replica B never heard of the new membership: %v", res.Errors)
	viewer := res.Data["viewer"].(map[string]any)
	require.Equal(t, idp.issuer+"|eva", viewer["subject"])
	require.Equal(t, []any{"COORDINATOR"}, viewer["roles"])

	// Revoked through replica B, the role is gone on replica A.
	res = b.post(t, networkAdmin, "", `mutation($in: MembershipInput!) { revokeRole(input: $in) { role } }`,
		map[string]any{"in": map[string]any{
			"subject": idp.issuer + "|eva", "organisationId": relay.ToGlobalID("Organisation", orgIDBySlug(t, pool, "lund")),
			"role": "COORDINATOR",
		}})
	require.Empty(t, res.Errors)
	deadline = time.Now().Add(30 * time.Second)
	for {
		res = a.post(t, eva, "", viewerQuery, nil)
		if res.status == http.StatusUnauthorized || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	require.Equal(t, http.StatusUnauthorized, res.status, "replica A still honours a revoked role")
}

func orgIDBySlug(t *testing.T, pool *pgxpool.Pool, slug string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, pool.QueryRow(context.Background(), "SELECT id FROM organisation WHERE slug = $1", slug).Scan(&id))
	return id
}
