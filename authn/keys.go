package authn

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"
)

// API keys look like pnk_<prefix>_<secret>: the prefix finds the stored row, the secret is
// checked against its SHA-256.
const (
	apiKeyPrefix = "pnk_"
	prefixLength = 12
)

// GenerateKey returns a new Ed25519 signing key with a key id, for local tokens.
func GenerateKey() (jwk.Key, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	key, err := jwk.Import(priv)
	if err != nil {
		return nil, fmt.Errorf("import signing key: %w", err)
	}
	if err := jwk.AssignKeyID(key); err != nil {
		return nil, fmt.Errorf("assign key id: %w", err)
	}
	if err := key.Set(jwk.AlgorithmKey, jwa.EdDSA()); err != nil {
		return nil, fmt.Errorf("set key algorithm: %w", err)
	}
	return key, nil
}

// LoadKey reads a private signing key from a JWK file.
func LoadKey(path string) (jwk.Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	key, err := jwk.ParseKey(data)
	if err != nil {
		return nil, fmt.Errorf("parse signing key %s: %w", path, err)
	}
	return key, nil
}

// LoadOrCreateKey reads the signing key at path, creating the file (mode 0600) with a new key
// when it does not exist.
func LoadOrCreateKey(path string) (jwk.Key, error) {
	key, err := LoadKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if key, err = GenerateKey(); err != nil {
		return nil, err
	}
	data, err := json.Marshal(key)
	if err != nil {
		return nil, fmt.Errorf("encode signing key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create key folder: %w", err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return nil, fmt.Errorf("write signing key: %w", err)
	}
	return key, nil
}

// Claims are what a minted token says.
type Claims struct {
	// Subject is the token's sub.
	Subject string
	// Organisation is the slug of the organisation the subject acts for.
	Organisation string
	// Roles are the roles the subject acts in.
	Roles []string
	// NewcomerID is the subject's own newcomer record, for the newcomer role.
	NewcomerID int64
	// TTL is how long the token is valid; one hour when zero.
	TTL time.Duration
}

// Mint signs a token with claims c, issued by issuer for audience.
func Mint(key jwk.Key, issuer, audience string, c Claims) (string, error) {
	if c.TTL <= 0 {
		c.TTL = time.Hour
	}
	now := time.Now()
	jti := make([]byte, 12)
	_, _ = rand.Read(jti)
	b := jwt.NewBuilder().Issuer(issuer).Subject(c.Subject).Audience([]string{audience}).
		IssuedAt(now).NotBefore(now).Expiration(now.Add(c.TTL)).
		JwtID(base64.RawURLEncoding.EncodeToString(jti)).Claim(claimRoles, c.Roles)
	if c.Organisation != "" {
		b = b.Claim(claimOrganisation, c.Organisation)
	}
	if c.NewcomerID != 0 {
		b = b.Claim(claimNewcomer, c.NewcomerID)
	}
	tok, err := b.Build()
	if err != nil {
		return "", fmt.Errorf("build token: %w", err)
	}
	signed, err := jwt.Sign(tok, jwt.WithKey(jwa.EdDSA(), key))
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return string(signed), nil
}

// NewAPIKeySecret makes a new API key: the full token to hand out once, its public prefix and
// the SHA-256 of its secret part to store.
func NewAPIKeySecret() (token, prefix string, hash []byte, err error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	p := make([]byte, prefixLength)
	if _, err := rand.Read(p); err != nil {
		return "", "", nil, fmt.Errorf("generate API key: %w", err)
	}
	for i := range p {
		p[i] = alphabet[int(p[i])%len(alphabet)]
	}
	s := make([]byte, 32)
	if _, err := rand.Read(s); err != nil {
		return "", "", nil, fmt.Errorf("generate API key: %w", err)
	}
	secret := base64.RawURLEncoding.EncodeToString(s)
	sum := sha256.Sum256([]byte(secret))
	return apiKeyPrefix + string(p) + "_" + secret, string(p), sum[:], nil
}

// Invitation codes look like pni_<secret>: 256 random bits, of which only the SHA-256 is kept.
const invitationPrefix = "pni_"

// NewInvitationCode returns a new code for a newcomer's invitation to sign in, and its hash, the
// only part stored.
func NewInvitationCode() (code string, hash []byte, err error) {
	s := make([]byte, 32)
	if _, err := rand.Read(s); err != nil {
		return "", nil, fmt.Errorf("generate invitation code: %w", err)
	}
	code = invitationPrefix + base64.RawURLEncoding.EncodeToString(s)
	return code, InvitationHash(code), nil
}

// InvitationHash is the hash of an invitation code, as stored.
func InvitationHash(code string) []byte {
	sum := sha256.Sum256([]byte(code))
	return sum[:]
}
