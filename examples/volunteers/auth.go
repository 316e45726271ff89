package volunteers

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lestrrat-go/httprc/v3"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Principal is who a request to the subgraph acts for, as the forwarded token says.
type Principal struct {
	// Subject is the token's subject.
	Subject string
	// Organisation is the slug of the organisation the caller acts for.
	Organisation string
}

type principalKey struct{}

// verdict is what the subgraph made of a request's credentials.
type verdict struct {
	principal Principal
	err       error
}

// PrincipalFrom returns the request's principal, or an UNAUTHENTICATED error when the request
// carried no valid token.
func PrincipalFrom(ctx context.Context) (Principal, error) {
	v, _ := ctx.Value(principalKey{}).(verdict)
	if v.principal.Subject == "" && v.err == nil {
		return Principal{}, coded("UNAUTHENTICATED", "sign in to see this")
	}
	return v.principal, v.err
}

// Verifier checks the bearer tokens the gateway forwards against partnernet's key set.
type Verifier struct {
	jwksURL  string
	issuer   string
	audience string
	cache    *jwk.Cache
}

// NewVerifier returns a Verifier of tokens issued by issuer for audience, signed with a key of
// the set at jwksURL, which it fetches and refreshes in the background until ctx ends.
func NewVerifier(ctx context.Context, jwksURL, issuer, audience string) (*Verifier, error) {
	cache, err := jwk.NewCache(ctx, httprc.NewClient())
	if err != nil {
		return nil, fmt.Errorf("start key cache: %w", err)
	}
	if err := cache.Register(ctx, jwksURL, jwk.WithWaitReady(false), jwk.WithMinInterval(time.Minute)); err != nil {
		return nil, fmt.Errorf("register %s: %w", jwksURL, err)
	}
	return &Verifier{jwksURL: jwksURL, issuer: issuer, audience: audience, cache: cache}, nil
}

// Middleware puts the verdict on the request's credentials in its context; fields that need a
// principal ask PrincipalFrom.
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var vd verdict
		if header := r.Header.Get("Authorization"); header != "" {
			vd.principal, vd.err = v.verify(r.Context(), header)
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, vd)))
	})
}

func (v *Verifier) verify(ctx context.Context, header string) (Principal, error) {
	raw, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return Principal{}, coded("UNAUTHENTICATED", "use Authorization: Bearer <token>")
	}
	set, err := v.cache.Lookup(ctx, v.jwksURL)
	if err != nil {
		if set, err = v.cache.Refresh(ctx, v.jwksURL); err != nil {
			return Principal{}, coded("UNAUTHENTICATED", "the issuer's keys are unavailable")
		}
	}
	tok, err := jwt.Parse([]byte(raw), jwt.WithKeySet(set), jwt.WithIssuer(v.issuer),
		jwt.WithAudience(v.audience), jwt.WithValidate(true))
	if err != nil {
		return Principal{}, coded("UNAUTHENTICATED", "invalid token")
	}
	var p Principal
	p.Subject, _ = tok.Subject()
	_ = tok.Get("org", &p.Organisation)
	return p, nil
}

// coded is a GraphQL error with a stable extensions.code, as partnernet's.
func coded(code, message string) *gqlerror.Error {
	return &gqlerror.Error{Message: message, Extensions: map[string]any{"code": code}}
}

// badInput is a BAD_USER_INPUT error.
func badInput(message string) *gqlerror.Error { return coded("BAD_USER_INPUT", message) }

// pointers returns pointers to copies of the values.
func pointers[T any](vs []T) []*T {
	out := make([]*T, len(vs))
	for i := range vs {
		out[i] = &vs[i]
	}
	return out
}
