package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"regexp"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// CodeOperationNotTrusted is the extensions.code of an operation refused in trusted-documents
// mode because it is not in the allowlist.
const CodeOperationNotTrusted = "OPERATION_NOT_TRUSTED"

// TrustedDocuments is an allowlist of GraphQL documents keyed by the hex SHA-256 of their text.
// In trusted-documents mode the server runs only these.
type TrustedDocuments struct {
	docs map[string]string
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// NewTrustedDocuments returns an allowlist of docs, keyed by the SHA-256 of each document's text
// ("sha256:" prefixes are accepted). It fails when a key is not the hash of its document.
func NewTrustedDocuments(docs map[string]string) (*TrustedDocuments, error) {
	t := &TrustedDocuments{docs: make(map[string]string, len(docs))}
	for key, doc := range docs {
		hash := stripAlgorithm(key)
		if !sha256Hex.MatchString(hash) {
			return nil, fmt.Errorf("trusted documents: key %q is not a lowercase hex SHA-256", key)
		}
		if got := documentHash(doc); got != hash {
			return nil, fmt.Errorf("trusted documents: key %s is not the SHA-256 of its document (%s)", key, got)
		}
		t.docs[hash] = doc
	}
	return t, nil
}

// LoadTrustedDocuments reads allowlists from manifest files: JSON objects mapping each
// document's hex SHA-256 to its text, as graphql-codegen's client preset writes them with
// persistedDocuments (persisted-documents.json). Several files merge into one allowlist.
func LoadTrustedDocuments(paths ...string) (*TrustedDocuments, error) {
	all := map[string]string{}
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read trusted documents: %w", err)
		}
		var docs map[string]string
		if err := json.Unmarshal(raw, &docs); err != nil {
			return nil, fmt.Errorf("parse trusted documents %s: %w", path, err)
		}
		maps.Copy(all, docs)
	}
	return NewTrustedDocuments(all)
}

// Len returns the number of documents in the allowlist.
func (t *TrustedDocuments) Len() int { return len(t.docs) }

// stripAlgorithm removes a "sha256:" prefix.
func stripAlgorithm(key string) string {
	if len(key) > 7 && key[:7] == "sha256:" {
		return key[7:]
	}
	return key
}

// documentHash is the hex SHA-256 of a document's text.
func documentHash(doc string) string {
	sum := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(sum[:])
}

// trustedDocuments runs only allowlisted operations. A request names one by its hash in the
// persistedQuery extension ({"extensions":{"persistedQuery":{"version":1,"sha256Hash":"…"}}},
// the automatic persisted queries shape, so Apollo and urql clients work unchanged), or sends
// the full text of an allowlisted document.
type trustedDocuments struct {
	allow *TrustedDocuments
}

var (
	_ graphql.HandlerExtension          = trustedDocuments{}
	_ graphql.OperationParameterMutator = trustedDocuments{}
)

// ExtensionName implements graphql.HandlerExtension.
func (trustedDocuments) ExtensionName() string { return "TrustedDocuments" }

// Validate implements graphql.HandlerExtension.
func (trustedDocuments) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator.
func (t trustedDocuments) MutateOperationParameters(_ context.Context, params *graphql.RawParams) *gqlerror.Error {
	hash := ""
	if pq, ok := params.Extensions["persistedQuery"].(map[string]any); ok {
		hash, _ = pq["sha256Hash"].(string)
		hash = stripAlgorithm(hash)
	}
	if hash == "" {
		if params.Query == "" {
			return nil // gqlgen answers that there is no operation
		}
		hash = documentHash(params.Query)
	}
	doc, ok := t.allow.docs[hash]
	if !ok || (params.Query != "" && params.Query != doc) {
		return &gqlerror.Error{
			Message:    "this server runs only trusted documents, and this operation is not one of them",
			Extensions: map[string]any{"code": CodeOperationNotTrusted},
		}
	}
	params.Query = doc
	return nil
}
