package server

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/time/rate"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
)

// CodeRateLimited is the extensions.code of a request refused by rate limiting (HTTP 429, with
// a Retry-After header).
const CodeRateLimited = "RATE_LIMITED"

// RateLimit configures rate limiting of /graphql: a token bucket per client IP address, and one
// per authenticated principal. A zero rate switches that limiter off.
type RateLimit struct {
	// PerIP is the sustained number of requests per second one IP address may send.
	PerIP float64
	// IPBurst is how many requests one IP address may send at once; PerIP rounded up when zero.
	IPBurst int
	// PerPrincipal is the sustained number of requests per second one principal (a token's
	// subject or an API key) may send, from any address.
	PerPrincipal float64
	// PrincipalBurst is how many requests one principal may send at once; PerPrincipal rounded
	// up when zero.
	PrincipalBurst int
	// TrustForwardedFor takes the client's address from the last entry of X-Forwarded-For,
	// which the reverse proxy in front of the server appends. Set it only behind such a proxy.
	TrustForwardedFor bool
}

// maxLimiterKeys bounds the memory of a limiter set: the least recently seen keys are forgotten
// (and start again with a full bucket).
const maxLimiterKeys = 100_000

// limiterSet is a token bucket per key.
type limiterSet struct {
	limit rate.Limit
	burst int
	mu    sync.Mutex
	keys  *lru.Cache[string, *rate.Limiter]
}

// newLimiterSet returns a limiter set of perSecond with burst, or nil when perSecond is not
// positive.
func newLimiterSet(perSecond float64, burst int) *limiterSet {
	if perSecond <= 0 {
		return nil
	}
	if burst <= 0 {
		burst = int(math.Ceil(perSecond))
	}
	keys, _ := lru.New[string, *rate.Limiter](maxLimiterKeys) // fails only for a size below 1
	return &limiterSet{limit: rate.Limit(perSecond), burst: burst, keys: keys}
}

// allow takes a token from key's bucket. When there is none, it returns false and how long
// until there is one.
func (s *limiterSet) allow(key string, now time.Time) (bool, time.Duration) {
	s.mu.Lock()
	lim, ok := s.keys.Get(key)
	if !ok {
		lim = rate.NewLimiter(s.limit, s.burst)
		s.keys.Add(key, lim)
	}
	s.mu.Unlock()
	r := lim.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Second
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// withRateLimit refuses a request with 429 when the bucket keyOf names is empty. keyOf returns
// "" for requests the limiter does not count.
func withRateLimit(s *limiterSet, what string, keyOf func(*http.Request) string, next http.Handler) http.Handler {
	if s == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := keyOf(r)
		if key == "" {
			next.ServeHTTP(w, r)
			return
		}
		if ok, wait := s.allow(key, time.Now()); !ok {
			seconds := max(1, int(math.Ceil(wait.Seconds())))
			w.Header().Set("Retry-After", strconv.Itoa(seconds))
			writeError(w, r, partnernet.Errorf(CodeRateLimited, "too many requests from this %s; retry after %d s", what, seconds))
			return
		}
		next.ServeHTTP(w, r)
	})
}

type clientIPKey struct{}

// withClientIP notes the client's address in the request's context, for the limits of the
// operations a websocket carries.
func withClientIP(trustForwardedFor bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), clientIPKey{}, clientIP(r, trustForwardedFor))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// websocketRateLimit counts each operation sent over a websocket as a request of its client
// address and of its principal, so that one connection cannot send more than the rate limits
// allow. A refused operation gets one RATE_LIMITED error; the connection stays open.
func websocketRateLimit(byIP, byPrincipal *limiterSet) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		rc := graphql.GetOperationContext(ctx)
		if rc == nil || !websocketUpgrade(rc.Headers) {
			return next(ctx)
		}
		ip, _ := ctx.Value(clientIPKey{}).(string)
		for _, l := range []struct {
			set  *limiterSet
			what string
			key  string
		}{{byIP, "address", addressKey(ip)}, {byPrincipal, "principal", authz.PrincipalFrom(ctx).Subject}} {
			if l.set == nil || l.key == "" {
				continue
			}
			if ok, wait := l.set.allow(l.key, time.Now()); !ok {
				seconds := max(1, int(math.Ceil(wait.Seconds())))
				return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
					Message:    fmt.Sprintf("too many operations from this %s; retry after %d s", l.what, seconds),
					Extensions: map[string]any{"code": CodeRateLimited, "retryAfter": seconds},
				}}})
			}
		}
		return next(ctx)
	}
}

// clientIP returns the address of the client that sent r.
func clientIP(r *http.Request, trustForwardedFor bool) string {
	if trustForwardedFor {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			hops := strings.Split(xff[len(xff)-1], ",")
			if last := strings.TrimSpace(hops[len(hops)-1]); last != "" {
				return last
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// addressKey is the rate-limit key of a client address: the address itself for IPv4, and its
// /64 network for IPv6, since one subscriber usually holds a whole /64.
func addressKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil || !addr.Is6() || addr.Is4In6() {
		return ip
	}
	prefix, err := addr.Prefix(64)
	if err != nil {
		return ip
	}
	return prefix.String()
}

// principalKey names the principal of an authenticated request, or "" for an anonymous one
// (limited by address only).
func principalKey(r *http.Request) string {
	return authz.PrincipalFrom(r.Context()).Subject
}

// withSecurityHeaders sets the headers that keep browsers from sniffing, framing, caching or
// leaking the API's responses. Pages (GraphiQL, the analysts' page) replace the content security
// policy with one that lets them run their own scripts.
func withSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		if r.URL.Path == "/graphql" {
			h.Set("Cache-Control", "no-store") // responses may hold personal data
		}
		next.ServeHTTP(w, r)
	})
}

// withCORS answers cross-origin requests from the allowed origins only. Without any, browsers
// on other origins get no CORS headers and so cannot read responses.
func withCORS(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	return cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Authorization", "Content-Type", "Accept", authz.PurposeHeader, RequestIDHeader,
			"If-None-Match", "If-Modified-Since", "Content-Language"},
		ExposedHeaders: []string{RequestIDHeader, "Retry-After", "ETag", "Last-Modified", "Content-Language"},
		MaxAge:         600,
	}).Handler(next)
}
