package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/server"
)

func sha(doc string) string {
	sum := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(sum[:])
}

// postPersisted posts an operation by hash, with its text when query is not "".
func postPersisted(t *testing.T, env *apitest.Env, hash, query string) apitest.Response {
	t.Helper()
	body := map[string]any{}
	if hash != "" {
		body["extensions"] = map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
	}
	if query != "" {
		body["query"] = query
	}
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	return env.Send(t, authz.Principal{}, req)
}

func TestAutomaticPersistedQueries(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	const query = `{ programmes { totalCount } }`
	hash := sha(query)

	resp := postPersisted(t, env, hash, "")
	require.Equal(t, []string{"PERSISTED_QUERY_NOT_FOUND"}, resp.Codes(), "unknown hashes ask for the text")
	resp = postPersisted(t, env, hash, query)
	require.Empty(t, resp.Errors)
	resp = postPersisted(t, env, hash, "")
	require.Empty(t, resp.Errors, "the hash alone now runs the query")
	require.JSONEq(t, `{"programmes":{"totalCount":6}}`, string(resp.Data))

	resp = postPersisted(t, env, sha("something else"), query)
	require.NotEmpty(t, resp.Errors, "a hash that does not match its text is refused")
}

func TestTrustedDocuments(t *testing.T) {
	t.Parallel()
	const trusted = `query Programmes { programmes { totalCount } }`
	manifest := filepath.Join(t.TempDir(), "persisted-documents.json")
	raw, err := json.Marshal(map[string]string{sha(trusted): trusted})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(manifest, raw, 0o600))
	docs, err := server.LoadTrustedDocuments(manifest)
	require.NoError(t, err)
	require.Equal(t, 1, docs.Len())
	env := apitest.New(t, withConfig(func(c *server.Config) { c.TrustedDocuments = docs }))

	tests := []struct {
		name     string
		hash     string
		query    string
		wantCode string
	}{
		{name: "by hash", hash: sha(trusted)},
		{name: "by hash with the sha256: prefix", hash: "sha256:" + sha(trusted)},
		{name: "by full text", query: trusted},
		{name: "an operation not in the allowlist", query: `{ organisations { totalCount } }`, wantCode: server.CodeOperationNotTrusted},
		{name: "an unknown hash", hash: sha(`{ organisations { totalCount } }`), wantCode: server.CodeOperationNotTrusted},
		{name: "an unknown hash with its text (no registration)", hash: sha(`{ organisations { totalCount } }`), query: `{ organisations { totalCount } }`, wantCode: server.CodeOperationNotTrusted},
		{name: "a trusted hash with other text", hash: sha(trusted), query: `{ organisations { totalCount } }`, wantCode: server.CodeOperationNotTrusted},
		{name: "introspection", query: `{ __schema { queryType { name } } }`, wantCode: server.CodeOperationNotTrusted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := postPersisted(t, env, tt.hash, tt.query)
			if tt.wantCode == "" {
				require.Empty(t, resp.Errors)
				require.JSONEq(t, `{"programmes":{"totalCount":6}}`, string(resp.Data))
				return
			}
			require.Equal(t, []string{tt.wantCode}, resp.Codes())
			require.Zero(t, resp.Statements)
		})
	}
}

func TestLoadTrustedDocumentsRefusesBadManifests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		manifest string
	}{
		{name: "not JSON", manifest: `[`},
		{name: "a key that is not a hash", manifest: `{"abc": "{ programmes { totalCount } }"}`},
		{name: "a hash of another document", manifest: `{"` + sha("{ a }") + `": "{ b }"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "m.json")
			require.NoError(t, os.WriteFile(path, []byte(tt.manifest), 0o600))
			_, err := server.LoadTrustedDocuments(path)
			require.Error(t, err)
		})
	}
	_, err := server.LoadTrustedDocuments(filepath.Join(t.TempDir(), "missing.json"))
	require.Error(t, err)
}

// TestPublicPersistedQueriesAreCacheable reads public data by an anonymous GET of a persisted
// query: the answer may be kept by any cache and is revalidated by its ETag, while every answer
// that may hold more — signed in, by POST, with an error — stays no-store.
func TestPublicPersistedQueriesAreCacheable(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, withConfig(func(c *server.Config) { c.PublicMaxAge = 30 * time.Second }))
	const query = `{ programmes { totalCount } }`
	hash := sha(query)
	require.Empty(t, postPersisted(t, env, hash, query).Errors, "register the query")
	get := func(p authz.Principal, hash, ifNoneMatch string) apitest.Response {
		q := url.Values{"extensions": {`{"persistedQuery":{"version":1,"sha256Hash":"` + hash + `"}}`}}
		req := httptest.NewRequest(http.MethodGet, "/graphql?"+q.Encode(), nil)
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		return env.Send(t, p, req)
	}

	resp := get(authz.Principal{}, hash, "")
	require.Equal(t, http.StatusOK, resp.Status)
	require.JSONEq(t, `{"programmes":{"totalCount":6}}`, string(resp.Data))
	require.Equal(t, "public, max-age=30", resp.Header.Get("Cache-Control"))
	etag := resp.Header.Get("ETag")
	require.NotEmpty(t, etag)
	require.Contains(t, resp.Header.Get("Vary"), "Authorization")

	revalidated := get(authz.Principal{}, hash, etag)
	require.Equal(t, http.StatusNotModified, revalidated.Status)
	require.Empty(t, revalidated.Data)
	require.Equal(t, http.StatusOK, get(authz.Principal{}, hash, `"another"`).Status)

	org, err := env.Store.OrganisationGetBySlug(t.Context(), "malmo")
	require.NoError(t, err)
	coordinator := authz.Principal{Subject: "c@malmo", OrganisationID: org.ID, Roles: []authz.Role{authz.RoleCoordinator}}
	signedIn := get(coordinator, hash, etag)
	require.Equal(t, http.StatusOK, signedIn.Status, "a signed-in caller is never answered from the public ETag")
	require.Equal(t, "no-store", signedIn.Header.Get("Cache-Control"))
	require.Empty(t, signedIn.Header.Get("ETag"))

	require.Equal(t, "no-store", postPersisted(t, env, hash, "").Header.Get("Cache-Control"), "POST is never cached")
	unknown := get(authz.Principal{}, sha("{ __typename }"), "")
	require.Equal(t, []string{"PERSISTED_QUERY_NOT_FOUND"}, unknown.Codes())
	require.Equal(t, "no-store", unknown.Header.Get("Cache-Control"), "an answer with an error is not cached")
}

// TestPublicPersistedQueriesVaryByLanguage reads one public persisted query in two languages by
// anonymous GETs: each language gets its own body and ETag, the answers say they vary by
// Accept-Language, and one language's ETag does not revalidate the other's answer.
func TestPublicPersistedQueriesVaryByLanguage(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, withConfig(func(c *server.Config) { c.PublicMaxAge = 30 * time.Second }))
	const query = `{ vocabulary { categories { value text { text language } } } }`
	hash := sha(query)
	require.Empty(t, postPersisted(t, env, hash, query).Errors, "register the query")
	get := func(lang, ifNoneMatch string) apitest.Response {
		q := url.Values{"extensions": {`{"persistedQuery":{"version":1,"sha256Hash":"` + hash + `"}}`}}
		req := httptest.NewRequest(http.MethodGet, "/graphql?"+q.Encode(), nil)
		req.Header.Set("Accept-Language", lang)
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		return env.Send(t, authz.Principal{}, req)
	}
	ar, sv := get("ar", ""), get("sv", "")
	require.Equal(t, http.StatusOK, ar.Status)
	require.Equal(t, "public, max-age=30", ar.Header.Get("Cache-Control"))
	require.Contains(t, string(ar.Data), "ممارسة اللغة")
	require.Contains(t, string(sv.Data), "Språkträning")
	require.Contains(t, ar.Header.Get("Vary"), "Accept-Language")
	require.NotEqual(t, ar.Header.Get("ETag"), sv.Header.Get("ETag"))
	require.Equal(t, http.StatusNotModified, get("ar", ar.Header.Get("ETag")).Status)
	require.Equal(t, http.StatusOK, get("sv", ar.Header.Get("ETag")).Status, "Arabic's ETag is not Swedish's")
}
