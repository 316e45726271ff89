package authn

import (
	"crypto/sha256"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"
)

// verifiedTokens is how many verified bearer tokens an Authenticator remembers.
const verifiedTokens = 10000

// verifiedCache remembers bearer tokens whose signature and claims were verified, until they
// expire, so that a client sending the same token on every request is not verified again each
// time (a tenth of the CPU of a simple read, measured). Only the verification is remembered:
// the principal is made from the token's claims afresh for each request, so a membership or an
// organisation changed since counts at once. API keys are never remembered: their revocation
// takes effect on the next request. The key is the SHA-256 of the token, not the token.
type verifiedCache struct {
	tokens *lru.Cache[[sha256.Size]byte, verifiedToken]
}

// verifiedToken is a verified token, until when it may be used, and for a partner's token the
// key set of its issuer it was verified with: once the issuer's keys are fetched anew (a
// rotation), the token is verified again, so a retired key stops verifying at once.
type verifiedToken struct {
	tok   jwt.Token
	until time.Time
	jwks  string  // the issuer's JWKS URL; "" for a local token
	set   jwk.Set // the key set it was verified with
}

// newVerifiedCache returns an empty cache.
func newVerifiedCache() *verifiedCache {
	c, err := lru.New[[sha256.Size]byte, verifiedToken](verifiedTokens)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &verifiedCache{tokens: c}
}

// get returns what is remembered of raw, when it was verified and has not expired at now.
func (c *verifiedCache) get(raw string, now time.Time) (verifiedToken, bool) {
	key := sha256.Sum256([]byte(raw))
	v, ok := c.tokens.Get(key)
	if ok && !now.Before(v.until) {
		c.tokens.Remove(key)
		return verifiedToken{}, false
	}
	return v, ok
}

// add remembers that raw verified as tok (with the key set of the issuer at jwks, for a
// partner's token), until its expiry; a token without one is not kept.
func (c *verifiedCache) add(raw string, tok jwt.Token, jwks string, set jwk.Set) {
	exp, ok := tok.Expiration()
	if !ok || exp.IsZero() {
		return
	}
	c.tokens.Add(sha256.Sum256([]byte(raw)), verifiedToken{tok: tok, until: exp, jwks: jwks, set: set})
}
