// Package authn authenticates requests: bearer JWTs signed by partnernet's own key (dev, tests,
// tokens minted with `partnernet token`) or by a partner's identity provider whose issuer and
// JWKS URL are trusted, and API keys of associations' systems. It turns credentials into an
// authz.Principal; what the principal may do is authz's to decide.
//
// JOSE is done by github.com/lestrrat-go/jwx/v3: signature verification, algorithm checks
// (alg "none" and HMAC are never accepted), claim validation and a JWKS cache that refreshes
// partners' keys in the background.
package authn

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lestrrat-go/httprc/v3"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
)

// Defaults of Config.
const (
	DefaultIssuer   = "partnernet"
	DefaultAudience = "partnernet"
)

// Claim names beyond the registered ones.
const (
	claimOrganisation = "org"
	claimRoles        = "roles"
	claimNewcomer     = "newcomer"
)

// Tunables.
const (
	clockSkew       = 30 * time.Second
	refreshInterval = 10 * time.Second // at most one forced JWKS refresh per issuer this often
	slugCacheTTL    = time.Minute
	maxTokenLength  = 8192
)

// TrustedIssuer is a partner's identity provider: tokens with this issuer are verified with
// the keys published at JWKSURL.
type TrustedIssuer struct {
	Issuer  string
	JWKSURL string
}

// ParseTrustedIssuers parses "issuer=jwksURL" pairs separated by commas.
func ParseTrustedIssuers(s string) ([]TrustedIssuer, error) {
	var out []TrustedIssuer
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		iss, url, ok := strings.Cut(part, "=")
		iss, url = strings.TrimSpace(iss), strings.TrimSpace(url)
		if !ok || iss == "" || !(strings.HasPrefix(url, "https://") || strings.HasPrefix(url, "http://")) {
			return nil, fmt.Errorf("trusted issuer %q: want issuer=https://…/jwks.json", part)
		}
		out = append(out, TrustedIssuer{Issuer: iss, JWKSURL: url})
	}
	return out, nil
}

// Config configures an Authenticator.
type Config struct {
	// Issuer is the iss of local tokens; DefaultIssuer when empty.
	Issuer string
	// Audience must be among every token's aud; DefaultAudience when empty.
	Audience string
	// LocalKey is the private key that signs local tokens; nil accepts none.
	LocalKey jwk.Key
	// TrustedIssuers are partners' identity providers.
	TrustedIssuers []TrustedIssuer
	// HTTPClient fetches JWKS; a client with timeouts when nil.
	HTTPClient *http.Client
	// Logger receives warnings about key fetching; slog.Default() when nil.
	Logger *slog.Logger
}

// Resolver answers what authentication needs from the database and the policy.
type Resolver interface {
	// OrganisationIDBySlug returns the id of the organisation with a slug, or an error matching
	// partnernet.ErrNotFound.
	OrganisationIDBySlug(ctx context.Context, slug string) (int64, error)
	// APIKeyByPrefix returns the API key with a prefix, or an error matching ErrNotFound.
	APIKeyByPrefix(ctx context.Context, prefix string) (partnernet.APIKey, error)
	// RolesOf returns the roles a subject holds in an organisation through memberships.
	RolesOf(subject string, organisationID int64) []string
	// NewcomerBySubject returns the newcomer a subject of a trusted identity provider
	// ("issuer|sub") acts as, once an invitation bound it, or an error matching ErrNotFound.
	// It is asked on every request, so that a revoked sign-in ends at once.
	NewcomerBySubject(ctx context.Context, subject string) (int64, error)
}

// Authenticator turns a request's credentials into a principal.
type Authenticator struct {
	cfg      Config
	resolver Resolver
	local    jwk.Key // public key of LocalKey
	cache    *jwk.Cache
	trusted  map[string]string // issuer → JWKS URL
	log      *slog.Logger

	mu        sync.Mutex
	refreshed map[string]time.Time // forced refreshes for unknown keys, by JWKS URL
	retried   map[string]time.Time // fetches after a failed lookup, by JWKS URL
	slugs     map[string]slugEntry
	// verified remembers tokens already verified, until they expire.
	verified *verifiedCache
}

type slugEntry struct {
	id      int64
	expires time.Time
}

// New returns an Authenticator. Trusted issuers' key sets are fetched in the background until
// ctx ends.
func New(ctx context.Context, cfg Config, r Resolver) (*Authenticator, error) {
	if cfg.Issuer == "" {
		cfg.Issuer = DefaultIssuer
	}
	if cfg.Audience == "" {
		cfg.Audience = DefaultAudience
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	a := &Authenticator{
		cfg: cfg, resolver: r, trusted: map[string]string{}, log: cfg.Logger,
		refreshed: map[string]time.Time{}, retried: map[string]time.Time{}, slugs: map[string]slugEntry{},
		verified: newVerifiedCache(),
	}
	if cfg.LocalKey != nil {
		pub, err := jwk.PublicKeyOf(cfg.LocalKey)
		if err != nil {
			return nil, fmt.Errorf("local signing key: %w", err)
		}
		a.local = pub
	}
	if len(cfg.TrustedIssuers) > 0 {
		client := cfg.HTTPClient
		if client == nil {
			client = &http.Client{Timeout: 10 * time.Second}
		}
		cache, err := jwk.NewCache(ctx, httprc.NewClient())
		if err != nil {
			return nil, fmt.Errorf("start JWKS cache: %w", err)
		}
		for _, ti := range cfg.TrustedIssuers {
			if ti.Issuer == cfg.Issuer {
				return nil, fmt.Errorf("trusted issuer %q is the local issuer", ti.Issuer)
			}
			if err := cache.Register(ctx, ti.JWKSURL, jwk.WithHTTPClient(client), jwk.WithWaitReady(false)); err != nil {
				return nil, fmt.Errorf("register JWKS of %s: %w", ti.Issuer, err)
			}
			a.trusted[ti.Issuer] = ti.JWKSURL
		}
		a.cache = cache
	}
	return a, nil
}

// unauthenticated is the error of every refused credential.
func unauthenticated(format string, args ...any) error {
	return partnernet.Errorf(partnernet.CodeUnauthenticated, format, args...)
}

// Authenticate returns the principal of a request: anonymous without credentials, or the one
// its bearer token or API key proves. Bad credentials give an error matching
// partnernet.ErrUnauthenticated, never an anonymous principal.
func (a *Authenticator) Authenticate(r *http.Request) (authz.Principal, error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return authz.Principal{}, nil
	}
	scheme, credential, ok := strings.Cut(header, " ")
	credential = strings.TrimSpace(credential)
	if !ok || !strings.EqualFold(scheme, "Bearer") || credential == "" {
		return authz.Principal{}, unauthenticated("use Authorization: Bearer <token>")
	}
	if len(credential) > maxTokenLength {
		return authz.Principal{}, unauthenticated("malformed token")
	}
	if strings.HasPrefix(credential, apiKeyPrefix) {
		return a.apiKey(r.Context(), credential)
	}
	return a.token(r.Context(), credential)
}

// token verifies a JWT and maps its claims to a principal.
func (a *Authenticator) token(ctx context.Context, raw string) (authz.Principal, error) {
	if v, ok := a.verified.get(raw, time.Now()); ok && a.keysUnchanged(ctx, v) {
		return a.principalOf(ctx, v.tok)
	}
	unverified, err := jwt.ParseInsecure([]byte(raw))
	if err != nil {
		return authz.Principal{}, unauthenticated("malformed token")
	}
	iss, _ := unverified.Issuer()
	validate := []jwt.ParseOption{
		jwt.WithValidate(true), jwt.WithIssuer(iss), jwt.WithAudience(a.cfg.Audience),
		jwt.WithAcceptableSkew(clockSkew),
	}
	var (
		tok        jwt.Token
		trustedURL string
		set        jwk.Set
	)
	switch url, trusted := a.trusted[iss]; {
	case iss == a.cfg.Issuer && a.local != nil:
		tok, err = jwt.Parse([]byte(raw), append(validate, jwt.WithKey(jwa.EdDSA(), a.local))...)
	case trusted:
		trustedURL = url
		tok, set, err = a.verifyTrusted(ctx, raw, url, validate)
	default:
		return authz.Principal{}, unauthenticated("token issuer is not trusted")
	}
	if err != nil {
		return authz.Principal{}, tokenError(err, a.cfg.Audience)
	}
	a.verified.add(raw, tok, trustedURL, set)
	return a.principalOf(ctx, tok)
}

// keysUnchanged reports whether a remembered token's issuer still has the keys it was verified
// with: always for a local token, and for a partner's while its key set has not been fetched
// anew.
func (a *Authenticator) keysUnchanged(ctx context.Context, v verifiedToken) bool {
	if v.jwks == "" {
		return true
	}
	current, err := a.cache.Lookup(ctx, v.jwks)
	return err == nil && current == v.set
}

// principalOf maps the claims of a verified token to a principal: a local token's claims name
// it, a partner's token names a subject whose memberships partnernet holds.
func (a *Authenticator) principalOf(ctx context.Context, tok jwt.Token) (authz.Principal, error) {
	iss, _ := tok.Issuer()
	if iss == a.cfg.Issuer {
		return a.localPrincipal(ctx, tok)
	}
	return a.partnerPrincipal(ctx, tok, iss)
}

// verifyTrusted verifies a partner's token with its issuer's cached keys, refreshing them once
// (rate-limited) when the token's key is not among them: the issuer may have rotated its keys.
func (a *Authenticator) verifyTrusted(ctx context.Context, raw, url string, validate []jwt.ParseOption) (jwt.Token, jwk.Set, error) {
	lookupCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	set, err := a.cache.Lookup(lookupCtx, url)
	if err != nil && a.due(a.retried, url) {
		// Not fetched yet (the first fetch runs in the background) or the last fetch failed:
		// fetch now, at most once per refresh interval.
		set, err = a.cache.Refresh(lookupCtx, url)
	}
	if err != nil {
		a.log.WarnContext(ctx, "could not fetch a trusted issuer's keys", "jwks", url, "err", err)
		return nil, nil, errKeysUnavailable
	}
	tok, err := jwt.Parse([]byte(raw), append(validate, jwt.WithKeySet(set))...)
	if err == nil || !a.due(a.refreshed, url) {
		return tok, set, err
	}
	if set, err = a.cache.Refresh(lookupCtx, url); err != nil {
		a.log.WarnContext(ctx, "could not refresh a trusted issuer's keys", "jwks", url, "err", err)
		return nil, nil, errKeysUnavailable
	}
	tok, err = jwt.Parse([]byte(raw), append(validate, jwt.WithKeySet(set))...)
	return tok, set, err
}

var errKeysUnavailable = errors.New("the issuer's keys are unavailable")

// due reports whether a forced fetch of url is due by the times in last, and if so records
// it. Fetches after a failed lookup and refreshes for an unknown key are counted apart, so
// that a first fetch does not delay noticing a rotation.
func (a *Authenticator) due(last map[string]time.Time, url string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if time.Since(last[url]) < refreshInterval {
		return false
	}
	last[url] = time.Now()
	return true
}

// tokenError says, without internals, why a token was refused.
func tokenError(err error, audience string) error {
	switch {
	case errors.Is(err, jwt.TokenExpiredError()):
		return unauthenticated("token expired")
	case errors.Is(err, jwt.TokenNotYetValidError()):
		return unauthenticated("token not valid yet")
	case errors.Is(err, jwt.InvalidAudienceError()):
		return unauthenticated("token audience does not include %s", audience)
	case errors.Is(err, jwt.InvalidIssuerError()):
		return unauthenticated("token issuer is not trusted")
	case errors.Is(err, errKeysUnavailable):
		return unauthenticated("the token's issuer cannot be reached to verify it; try again")
	case errors.Is(err, jwt.ValidateError()):
		return unauthenticated("token claims are invalid")
	default:
		return unauthenticated("token signature invalid")
	}
}

// localPrincipal maps a local token: its roles claim is authoritative, being signed by
// partnernet's own key.
func (a *Authenticator) localPrincipal(ctx context.Context, tok jwt.Token) (authz.Principal, error) {
	sub, _ := tok.Subject()
	if sub == "" {
		return authz.Principal{}, unauthenticated("token has no subject")
	}
	p := authz.Principal{Subject: sub}
	var roles []any
	if err := tok.Get(claimRoles, &roles); err != nil || len(roles) == 0 {
		return authz.Principal{}, unauthenticated("token has no roles")
	}
	onlyNewcomer := true
	for _, v := range roles {
		name, _ := v.(string)
		role, err := authz.ParseRole(name)
		if err != nil {
			return authz.Principal{}, unauthenticated("token names an unknown role %q", name)
		}
		onlyNewcomer = onlyNewcomer && role == authz.RoleNewcomer
		p.Roles = append(p.Roles, role)
	}
	var newcomer float64
	if err := tok.Get(claimNewcomer, &newcomer); err == nil {
		p.NewcomerID = int64(newcomer)
	}
	if onlyNewcomer && p.NewcomerID <= 0 {
		return authz.Principal{}, unauthenticated("a newcomer token must name the newcomer")
	}
	var slug string
	if err := tok.Get(claimOrganisation, &slug); err == nil && slug != "" {
		id, err := a.organisationID(ctx, slug)
		if err != nil {
			return authz.Principal{}, err
		}
		p.OrganisationID = id
	} else if !onlyNewcomer {
		return authz.Principal{}, unauthenticated("token has no organisation")
	}
	return p, nil
}

// partnerPrincipal maps a trusted identity provider's token: the subject is qualified by the
// issuer, and the roles are the memberships partnernet holds for it, never the token's claims.
// A token that names no organisation is a newcomer's: its subject acts as the newcomer an
// invitation bound it to (newcomerPrincipal).
func (a *Authenticator) partnerPrincipal(ctx context.Context, tok jwt.Token, iss string) (authz.Principal, error) {
	sub, _ := tok.Subject()
	if sub == "" {
		return authz.Principal{}, unauthenticated("token has no subject")
	}
	var slug string
	if err := tok.Get(claimOrganisation, &slug); err != nil || slug == "" {
		return a.newcomerPrincipal(ctx, iss+"|"+sub)
	}
	id, err := a.organisationID(ctx, slug)
	if err != nil {
		return authz.Principal{}, err
	}
	p := authz.Principal{Subject: iss + "|" + sub, OrganisationID: id}
	for _, r := range a.resolver.RolesOf(p.Subject, id) {
		p.Roles = append(p.Roles, authz.Role(r))
	}
	if len(p.Roles) == 0 {
		return authz.Principal{}, unauthenticated("%s holds no role in organisation %s", p.Subject, slug)
	}
	return p, nil
}

// newcomerPrincipal maps the subject of a trusted identity provider's token that names no
// organisation: the newcomer an invitation bound it to, looked up on every request (a revoked
// sign-in or an erased newcomer holds from the next request on), or, bound to nobody yet, an
// invitee, who may only redeem an invitation.
func (a *Authenticator) newcomerPrincipal(ctx context.Context, subject string) (authz.Principal, error) {
	id, err := a.resolver.NewcomerBySubject(ctx, subject)
	switch {
	case errors.Is(err, partnernet.ErrNotFound):
		return authz.Principal{Subject: subject, Roles: []authz.Role{authz.RoleInvitee}}, nil
	case err != nil:
		return authz.Principal{}, fmt.Errorf("find the sign-in of %s: %w", subject, err)
	}
	return authz.Principal{Subject: subject, Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: id}, nil
}

// organisationID resolves an organisation slug, caching answers for a minute.
func (a *Authenticator) organisationID(ctx context.Context, slug string) (int64, error) {
	a.mu.Lock()
	e, ok := a.slugs[slug]
	a.mu.Unlock()
	if ok && time.Now().Before(e.expires) {
		return e.id, nil
	}
	id, err := a.resolver.OrganisationIDBySlug(ctx, slug)
	if errors.Is(err, partnernet.ErrNotFound) {
		return 0, unauthenticated("token names an unknown organisation %q", slug)
	}
	if err != nil {
		return 0, fmt.Errorf("resolve organisation %q: %w", slug, err)
	}
	a.mu.Lock()
	a.slugs[slug] = slugEntry{id: id, expires: time.Now().Add(slugCacheTTL)}
	a.mu.Unlock()
	return id, nil
}

// apiKey checks an API key against its stored hash.
func (a *Authenticator) apiKey(ctx context.Context, credential string) (authz.Principal, error) {
	prefix, secret, ok := strings.Cut(strings.TrimPrefix(credential, apiKeyPrefix), "_")
	if !ok || len(prefix) != prefixLength || secret == "" {
		return authz.Principal{}, unauthenticated("malformed API key")
	}
	k, err := a.resolver.APIKeyByPrefix(ctx, prefix)
	if errors.Is(err, partnernet.ErrNotFound) {
		return authz.Principal{}, unauthenticated("unknown API key")
	}
	if err != nil {
		return authz.Principal{}, fmt.Errorf("look up API key: %w", err)
	}
	sum := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(sum[:], k.SecretHash) != 1 {
		return authz.Principal{}, unauthenticated("unknown API key")
	}
	if k.RevokedAt != nil {
		return authz.Principal{}, unauthenticated("API key revoked")
	}
	return authz.Principal{
		Subject: "apikey:" + strconv.FormatInt(k.ID, 10), OrganisationID: k.OrganisationID,
		Roles: []authz.Role{authz.Role(k.Role)},
	}, nil
}

// ServeJWKS publishes the public half of the local signing key as a JSON Web Key Set, so that
// partners' subgraphs behind the gateway can verify the tokens forwarded to them. Without a
// local key the set is empty.
func (a *Authenticator) ServeJWKS(w http.ResponseWriter, _ *http.Request) {
	set := jwk.NewSet()
	if a.local != nil {
		if err := set.AddKey(a.local); err != nil {
			a.log.Error("could not publish the local key", "err", err)
			http.Error(w, "internal server error", http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "application/jwk-set+json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	if err := json.NewEncoder(w).Encode(set); err != nil {
		a.log.Warn("could not write the key set", "err", err)
	}
}
