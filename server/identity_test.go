package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/authz"
)

// directory answers the authenticator's questions: one organisation, malmo, or, when away, no
// answer at all (the database is unavailable).
type directory struct{ away bool }

func (d directory) OrganisationIDBySlug(_ context.Context, slug string) (int64, error) {
	if d.away {
		return 0, fmt.Errorf("look up organisation: %w", partnernet.Errorf(partnernet.CodeUnavailable, "database unavailable"))
	}
	if slug == "malmo" {
		return 1, nil
	}
	return 0, partnernet.Errorf(partnernet.CodeNotFound, "no organisation")
}

func (directory) APIKeyByPrefix(context.Context, string) (partnernet.APIKey, error) {
	return partnernet.APIKey{}, partnernet.Errorf(partnernet.CodeNotFound, "no API key")
}

func (directory) RolesOf(string, int64) []string { return nil }

func (directory) NewcomerBySubject(context.Context, string) (int64, error) {
	return 0, partnernet.Errorf(partnernet.CodeNotFound, "no sign-in")
}

// authenticated returns a server whose withPrincipal is in front of a handler that answers 204
// and remembers the principal, and a token of its local key for a coordinator of malmo.
func authenticated(t *testing.T, dir directory) (http.Handler, *authz.Principal, string) {
	t.Helper()
	key, err := authn.GenerateKey()
	require.NoError(t, err)
	an, err := authn.New(context.Background(), authn.Config{LocalKey: key}, dir)
	require.NoError(t, err)
	s := &Server{authn: an, log: slog.New(slog.DiscardHandler)}
	seen := &authz.Principal{}
	h := s.withPrincipal(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*seen = authz.PrincipalFrom(r.Context())
		w.WriteHeader(http.StatusNoContent)
	}))
	token, err := authn.Mint(key, authn.DefaultIssuer, authn.DefaultAudience,
		authn.Claims{Subject: "anna", Organisation: "malmo", Roles: []string{"coordinator"}, TTL: time.Hour})
	require.NoError(t, err)
	return h, seen, token
}

// credentialed is a request to /graphql with an Authorization header (none when "") that
// accepts accept.
func credentialed(credential, accept string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	if credential != "" {
		r.Header.Set("Authorization", credential)
	}
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	return r
}

// errorBody is the GraphQL error shape of a refusal.
type errorBody struct {
	Errors []struct {
		Message    string            `json:"message"`
		Extensions map[string]string `json:"extensions"`
	} `json:"errors"`
}

func TestWithPrincipalAnswers401(t *testing.T) {
	t.Parallel()
	h, seen, token := authenticated(t, directory{})

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, credentialed("Bearer nonsense", ""))
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	require.Contains(t, rec.Header().Get("WWW-Authenticate"), `error="invalid_token"`)
	var body errorBody
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	require.Len(t, body.Errors, 1)
	require.Equal(t, "UNAUTHENTICATED", body.Errors[0].Extensions["code"])
	require.Equal(t, "malformed token", body.Errors[0].Message)

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, credentialed("", ""))
	require.Equal(t, http.StatusNoContent, rec.Code)
	require.True(t, seen.Anonymous())

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, credentialed("Bearer "+token, ""))
	require.Equal(t, http.StatusNoContent, rec.Code)
	require.Equal(t, "anna", seen.Subject)
}

// TestWithPrincipalAnswers503WhenTheDatabaseIsAway checks that an outage is not mistaken for
// bad credentials: the caller is told to retry, not to sign in again.
func TestWithPrincipalAnswers503WhenTheDatabaseIsAway(t *testing.T) {
	t.Parallel()
	h, _, token := authenticated(t, directory{away: true})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, credentialed("Bearer "+token, ""))
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.Empty(t, rec.Header().Get("WWW-Authenticate"))
	require.Contains(t, rec.Body.String(), `"UNAVAILABLE"`)
}

// TestAuthenticationRefusalsAnswerLikeEveryRefusal checks that refused credentials are answered
// by the one error writer: in the media type the client accepts, like the transport's and the
// limits' refusals (authentication used to answer application/json whatever was accepted).
func TestAuthenticationRefusalsAnswerLikeEveryRefusal(t *testing.T) {
	t.Parallel()
	h, _, _ := authenticated(t, directory{})
	for _, accept := range []string{"", mediaJSON, mediaGraphQLResponse} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, credentialed("Bearer nonsense", accept))
		require.Equal(t, http.StatusUnauthorized, rec.Code, accept)
		want := mediaGraphQLResponse
		if accept == "" || accept == mediaJSON {
			want = mediaJSON
		}
		require.Equal(t, want, rec.Header().Get("Content-Type"), accept)
	}
}

// TestWriteError checks the one error writer: the HTTP status of each code, and the code,
// message and field in the GraphQL error shape; an error without a code is only "internal".
func TestWriteError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err        error
		wantStatus int
		wantCode   string
		wantField  string
		wantMsg    string
	}{
		{partnernet.InputError("filter", "a filter is DIMENSION:value1,value2"), http.StatusBadRequest, "BAD_USER_INPUT", "filter", "a filter is DIMENSION:value1,value2"},
		{&partnernet.Error{Code: CodeBadRequest, Field: "query", Message: "query must be a string"}, http.StatusBadRequest, CodeBadRequest, "query", "query must be a string"},
		{partnernet.Errorf(CodeBatchingNotSupported, "one"), http.StatusBadRequest, CodeBatchingNotSupported, "", "one"},
		{partnernet.Errorf(partnernet.CodeUnauthenticated, "sign in"), http.StatusUnauthorized, "UNAUTHENTICATED", "", "sign in"},
		{partnernet.Errorf(partnernet.CodeForbidden, "no"), http.StatusForbidden, "FORBIDDEN", "", "no"},
		{partnernet.Errorf(partnernet.CodeNotFound, "no such organisation"), http.StatusNotFound, "NOT_FOUND", "", "no such organisation"},
		{partnernet.Errorf(CodeMethodNotAllowed, "POST"), http.StatusMethodNotAllowed, CodeMethodNotAllowed, "", "POST"},
		{partnernet.Errorf(CodeBodyTooLarge, "big"), http.StatusRequestEntityTooLarge, CodeBodyTooLarge, "", "big"},
		{partnernet.Errorf(CodeUnsupportedMediaType, "json"), http.StatusUnsupportedMediaType, CodeUnsupportedMediaType, "", "json"},
		{partnernet.Errorf(CodeRateLimited, "slow down"), http.StatusTooManyRequests, CodeRateLimited, "", "slow down"},
		{fmt.Errorf("list: %w", partnernet.Errorf(partnernet.CodeUnavailable, "database unavailable")), http.StatusServiceUnavailable, "UNAVAILABLE", "", "database unavailable"},
		{partnernet.Errorf(CodeTimeout, "late"), http.StatusGatewayTimeout, CodeTimeout, "", "late"},
		{fmt.Errorf("secret detail"), http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", "", "internal server error"},
	}
	for _, tt := range tests {
		t.Run(tt.wantCode, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			writeError(rec, httptest.NewRequest(http.MethodGet, "/", nil), tt.err)
			require.Equal(t, tt.wantStatus, rec.Code)
			var body errorBody
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			require.Len(t, body.Errors, 1)
			require.Equal(t, tt.wantCode, body.Errors[0].Extensions["code"])
			require.Equal(t, tt.wantField, body.Errors[0].Extensions["field"])
			require.Equal(t, tt.wantMsg, body.Errors[0].Message)
		})
	}
}
