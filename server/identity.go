package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/store"
)

// identities answers the authenticator's questions from the store and the policy.
type identities struct {
	st *store.Store
	az *authz.Authorizer
}

// OrganisationIDBySlug implements authn.Resolver.
func (i identities) OrganisationIDBySlug(ctx context.Context, slug string) (int64, error) {
	o, err := i.st.OrganisationGetBySlug(ctx, slug)
	return o.ID, err
}

// APIKeyByPrefix implements authn.Resolver.
func (i identities) APIKeyByPrefix(ctx context.Context, prefix string) (partnernet.APIKey, error) {
	return i.st.APIKeyGetByPrefix(ctx, prefix)
}

// NewcomerBySubject implements authn.Resolver.
func (i identities) NewcomerBySubject(ctx context.Context, subject string) (int64, error) {
	l, err := i.st.NewcomerLoginGetBySubject(ctx, subject)
	return l.NewcomerID, err
}

// RolesOf implements authn.Resolver.
func (i identities) RolesOf(subject string, organisationID int64) []string {
	roles := i.az.RolesOf(subject, organisationID)
	out := make([]string, len(roles))
	for j, r := range roles {
		out[j] = string(r)
	}
	return out
}

// authenticate returns the principal r's credentials (the Authorization header) name, the
// anonymous principal without credentials. Refused credentials are UNAUTHENTICATED; credentials
// that could not be checked (the database or an issuer did not answer) are logged and answered
// UNAVAILABLE, never mistaken for bad ones: the caller is told to retry, not to sign in again.
func (s *Server) authenticate(r *http.Request) (authz.Principal, error) {
	p, err := s.authn.Authenticate(r)
	if err != nil && partnernet.ErrorCode(err) != partnernet.CodeUnauthenticated {
		s.log.ErrorContext(r.Context(), "authentication failed", "err", err, "request_id", RequestID(r.Context()))
		return p, partnernet.Errorf(partnernet.CodeUnavailable, "could not check credentials; try again")
	}
	return p, err
}

// withPrincipal authenticates every request (authenticate) and puts the principal into its
// context; a refusal is answered by writeError, refused credentials (401) with a
// WWW-Authenticate challenge.
func (s *Server) withPrincipal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		if err != nil {
			var pe *partnernet.Error
			if errors.As(err, &pe) && pe.Code == partnernet.CodeUnauthenticated {
				w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer error="invalid_token", error_description=%q`, pe.Message))
			}
			writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(authz.WithPrincipal(r.Context(), p)))
	})
}

// withPurpose reads the purpose a request declares in the Partnernet-Purpose header, refuses
// an unknown one (400) or one none of the caller's roles holds (401/403), and gives the request
// an audit trail.
func (s *Server) withPurpose(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, err := s.authz.DeclarePurpose(r.Context(), r.Header.Get(authz.PurposeHeader))
		if err != nil {
			writeError(w, r, err)
			return
		}
		ctx = authz.WithTrail(ctx, authz.NewTrail(RequestID(ctx)))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// auditTrail writes each response's audit trail before the response leaves. When it cannot,
// the response is replaced by an error: newcomer data never leaves unaudited.
type auditTrail struct {
	st  *store.Store
	log *slog.Logger
}

var (
	_ graphql.HandlerExtension    = auditTrail{}
	_ graphql.ResponseInterceptor = auditTrail{}
)

// ExtensionName implements graphql.HandlerExtension.
func (auditTrail) ExtensionName() string { return "AuditTrail" }

// Validate implements graphql.HandlerExtension.
func (auditTrail) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (a auditTrail) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	t := authz.TrailFrom(ctx)
	if t == nil || resp == nil {
		return resp
	}
	events := t.Drain()
	if len(events) == 0 {
		return resp
	}
	// Write the trail even when the caller has gone: the data may already have been computed.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := a.st.AuditInsert(wctx, events); err != nil {
		a.log.ErrorContext(ctx, "could not write the audit trail; response withheld", "err", err,
			"entries", len(events), "request_id", RequestID(ctx))
		return &graphql.Response{Errors: gqlerror.List{{
			Message:    "the response could not be audited and was withheld; try again",
			Extensions: map[string]any{"code": string(partnernet.CodeUnavailable)},
		}}}
	}
	return resp
}
