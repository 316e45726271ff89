package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/relay"
)

// The extensions.code of each refusal by an operation limit. They are stable: clients may
// branch on them.
const (
	// CodeDepthLimit: the operation nests selections deeper than Limits.MaxDepth.
	CodeDepthLimit = "DEPTH_LIMIT_EXCEEDED"
	// CodeCostLimit: the operation's estimated cost exceeds Limits.MaxCost.
	CodeCostLimit = "COST_LIMIT_EXCEEDED"
	// CodeAliasLimit: the operation uses more aliases than Limits.MaxAliases.
	CodeAliasLimit = "ALIAS_LIMIT_EXCEEDED"
	// CodeRootFieldLimit: the operation selects more root fields than Limits.MaxRootFields.
	CodeRootFieldLimit = "ROOT_FIELD_LIMIT_EXCEEDED"
	// CodeBodyTooLarge: the request body is larger than Limits.MaxBodyBytes (HTTP 413).
	CodeBodyTooLarge = "REQUEST_TOO_LARGE"
	// CodeBatchingNotSupported: the body is a JSON array of operations (HTTP 400).
	CodeBatchingNotSupported = "BATCHING_NOT_SUPPORTED"
	// CodeIntrospectionDisabled: the operation asks for __schema or __type in production mode.
	CodeIntrospectionDisabled = "INTROSPECTION_DISABLED"
	// CodeBadRequest: the request carries no GraphQL document (no query, nor a persisted one).
	CodeBadRequest = "BAD_REQUEST"
	// CodeTimeout: the request ran longer than Limits.RequestTimeout; its database work was
	// cancelled.
	CodeTimeout = "TIMEOUT"
)

// Limits bound what one request may ask of the server. A zero field takes its default.
type Limits struct {
	// MaxDepth is the deepest nesting of selections an operation may have, counting the root
	// fields as depth 1 and fragments as inline. Default 12.
	MaxDepth int
	// MaxCost is the highest estimated cost an operation may have. Every field costs 1 (some
	// more, see FieldCosts) plus its selections; a list field's selections count once per item
	// it may return: its first or last argument, relay.DefaultPageSize when neither is given,
	// or the number of ids asked for. Default 20000.
	MaxCost int
	// MaxAliases is the most aliased fields an operation may have. Default 30.
	MaxAliases int
	// MaxRootFields is the most fields an operation may select at its root. Default 20.
	MaxRootFields int
	// MaxBodyBytes is the largest request body accepted; larger ones get HTTP 413. Default 1 MiB.
	MaxBodyBytes int64
	// RequestTimeout bounds the time one GraphQL request may take; its database work is
	// cancelled when it runs out. Default 15s.
	RequestTimeout time.Duration
}

// The defaults of [Limits].
const (
	DefaultMaxDepth       = 12
	DefaultMaxCost        = 20000
	DefaultMaxAliases     = 30
	DefaultMaxRootFields  = 20
	DefaultMaxBodyBytes   = 1 << 20
	DefaultRequestTimeout = 15 * time.Second
)

// withDefaults fills the zero fields of l.
func (l Limits) withDefaults() Limits {
	if l.MaxDepth == 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxCost == 0 {
		l.MaxCost = DefaultMaxCost
	}
	if l.MaxAliases == 0 {
		l.MaxAliases = DefaultMaxAliases
	}
	if l.MaxRootFields == 0 {
		l.MaxRootFields = DefaultMaxRootFields
	}
	if l.MaxBodyBytes == 0 {
		l.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if l.RequestTimeout == 0 {
		l.RequestTimeout = DefaultRequestTimeout
	}
	return l
}

// FieldCosts are the fields that cost more than 1, keyed "Type.field": those that read newcomer
// data (each release is decided and audited) and counts that run an aggregate.
var FieldCosts = map[string]int{
	"Newcomer.identity":  3,
	"Newcomer.contact":   3,
	"Newcomer.languages": 3,
	"Newcomer.health":    3,
}

// costedSchema is the executable schema with partnernet's cost model in place of gqlgen's
// default complexity: per-field costs, and list selections multiplied by their page size.
type costedSchema struct {
	graphql.ExecutableSchema
}

// Complexity implements graphql.ExecutableSchema.
func (costedSchema) Complexity(_ context.Context, typeName, field string, childComplexity int, args map[string]any) (int, bool) {
	cost := 1
	if c, ok := FieldCosts[typeName+"."+field]; ok {
		cost = c
	}
	if field == "totalCount" {
		cost = 2
	}
	return cost + listSize(args)*childComplexity, true
}

// listSize is how many items a field with args may return: its page size for a connection,
// the number of ids for a lookup by ids, and 1 otherwise.
func listSize(args map[string]any) int {
	for _, name := range []string{"first", "last"} {
		if n, ok := intArg(args[name]); ok {
			return max(n, 0)
		}
	}
	if ids, ok := args["ids"].([]any); ok {
		return len(ids)
	}
	_, hasAfter := args["after"]
	_, hasBefore := args["before"]
	_, hasFirst := args["first"]
	_, hasLast := args["last"]
	if hasAfter || hasBefore || hasFirst || hasLast {
		return relay.DefaultPageSize
	}
	return 1
}

// intArg reads an integer argument as gqlparser delivers it (literal or variable).
func intArg(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	case string:
		i, err := strconv.Atoi(n)
		return i, err == nil
	}
	return 0, false
}

// operationLimits refuses operations deeper, wider at the root, with more aliases or costlier
// than the limits allow, before they run.
// Without introspection, it refuses operations that ask for __schema or __type.
type operationLimits struct {
	limits        Limits
	introspection bool
	es            graphql.ExecutableSchema
}

var (
	_ graphql.HandlerExtension        = (*operationLimits)(nil)
	_ graphql.OperationContextMutator = (*operationLimits)(nil)
)

// ExtensionName implements graphql.HandlerExtension.
func (*operationLimits) ExtensionName() string { return "OperationLimits" }

// Validate implements graphql.HandlerExtension.
func (o *operationLimits) Validate(es graphql.ExecutableSchema) error {
	o.es = es
	return nil
}

// MutateOperationContext implements graphql.OperationContextMutator.
func (o *operationLimits) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	op := rc.Operation
	if op == nil {
		return nil
	}
	if !o.introspection && introspects(op.SelectionSet) {
		return limitError(CodeIntrospectionDisabled, "introspection is disabled on this server")
	}
	if n := countRootFields(op.SelectionSet); n > o.limits.MaxRootFields {
		return limitError(CodeRootFieldLimit, "the operation selects %d root fields; at most %d are allowed", n, o.limits.MaxRootFields)
	}
	if n := countAliases(op.SelectionSet); n > o.limits.MaxAliases {
		return limitError(CodeAliasLimit, "the operation uses %d aliases; at most %d are allowed", n, o.limits.MaxAliases)
	}
	if d := depth(op.SelectionSet, 0, o.limits.MaxDepth+1); d > o.limits.MaxDepth {
		return limitError(CodeDepthLimit, "the operation is nested more than %d levels deep; at most %d are allowed", o.limits.MaxDepth, o.limits.MaxDepth)
	}
	if cost := complexity.Calculate(ctx, o.es, op, rc.Variables); cost > o.limits.MaxCost {
		return limitError(CodeCostLimit, "the operation's estimated cost is %d; at most %d is allowed (lists count once per item of their page size: ask for smaller pages)", cost, o.limits.MaxCost)
	}
	return nil
}

// limitError is a refusal by an operation limit.
func limitError(code, format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": code}}
}

// introspects reports whether set asks for __schema or __type, anywhere.
func introspects(set ast.SelectionSet) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" || introspects(s.SelectionSet) {
				return true
			}
		case *ast.InlineFragment:
			if introspects(s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && introspects(s.Definition.SelectionSet) {
				return true
			}
		}
	}
	return false
}

// countRootFields counts the fields of a root selection set, through fragments.
func countRootFields(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			n++
		case *ast.InlineFragment:
			n += countRootFields(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				n += countRootFields(s.Definition.SelectionSet)
			}
		}
	}
	return n
}

// countAliases counts the aliased fields of an operation, through fragments, each time it is
// used.
func countAliases(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != "" && s.Alias != s.Name {
				n++
			}
			n += countAliases(s.SelectionSet)
		case *ast.InlineFragment:
			n += countAliases(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				n += countAliases(s.Definition.SelectionSet)
			}
		}
	}
	return n
}

// depth returns the nesting depth of set below level, stopping once it reaches stop.
// Validation has already refused fragment cycles.
func depth(set ast.SelectionSet, level, stop int) int {
	deepest := level
	for _, sel := range set {
		if deepest >= stop {
			return deepest
		}
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				d = level + 1 // introspection has its own shape, and is off in production
			} else {
				d = depth(s.SelectionSet, level+1, stop)
			}
		case *ast.InlineFragment:
			d = depth(s.SelectionSet, level, stop)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				d = depth(s.Definition.SelectionSet, level, stop)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// withBodyLimit reads the request body up to limit bytes and answers 413 when it is larger. It
// refuses a JSON array of operations (batching) with a clear error.
func withBodyLimit(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		tooLarge := func() {
			writeCodedError(w, r, http.StatusRequestEntityTooLarge, CodeBodyTooLarge,
				fmt.Sprintf("the request body is larger than %d bytes", limit))
		}
		if r.ContentLength > limit {
			tooLarge()
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		if err != nil {
			var maxErr *http.MaxBytesError
			if errors.As(err, &maxErr) {
				tooLarge()
				return
			}
			writeCodedError(w, r, http.StatusBadRequest, string(partnernet.CodeBadUserInput), "could not read the request body")
			return
		}
		if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '[' {
			writeCodedError(w, r, http.StatusBadRequest, CodeBatchingNotSupported,
				"batched operations are not supported; send one operation per request")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// withTimeout bounds a request's time: its context ends after d, which cancels its database
// statements.
func withTimeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if websocketUpgrade(r.Header) {
			next.ServeHTTP(w, r) // a subscription lives longer than one request
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// websocketUpgrade reports whether a request with header h opens a websocket.
func websocketUpgrade(h http.Header) bool {
	return h.Get("Upgrade") != "" && headerHasToken(h, "Connection", "upgrade")
}

// headerHasToken reports whether the comma-separated header name lists token (any case).
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// writeCodedError answers a request refused before GraphQL ran with one error of code.
func writeCodedError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	writeError(w, r, status, &partnernet.Error{Code: partnernet.Code(code), Message: message})
}

// withJSONStatus brings gqlgen's answers to a request whose document fails to parse or validate
// in line with the GraphQL-over-HTTP spec: 200 rather than 422 when the client accepts only
// application/json, and, for application/graphql-response+json (which keeps its 400), no data
// entry at all rather than "data": null, since the operation never ran.
func withJSONStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		jw := &jsonStatusWriter{ResponseWriter: w}
		next.ServeHTTP(jw, r.WithContext(context.WithValue(r.Context(), jsonStatusKey{}, jw)))
		jw.finish()
	})
}

type jsonStatusKey struct{}

// jsonStatusWriter turns a 422 with an application/json body into a 200 (or a 400 for a request
// without a document), and drops the null data of a 400 application/graphql-response+json
// body.
type jsonStatusWriter struct {
	http.ResponseWriter
	buffer     *bytes.Buffer // the body of a 400, held back until finish
	badRequest bool          // the request has no document: not a well-formed GraphQL request
}

// requireDocument refuses a request without a GraphQL document (after persisted queries had
// their turn) with BAD_REQUEST, answered 400 over HTTP whatever the media type.
type requireDocument struct{}

var (
	_ graphql.HandlerExtension          = requireDocument{}
	_ graphql.OperationParameterMutator = requireDocument{}
)

// ExtensionName implements graphql.HandlerExtension.
func (requireDocument) ExtensionName() string { return "RequireDocument" }

// Validate implements graphql.HandlerExtension.
func (requireDocument) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator.
func (requireDocument) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	if params.Query != "" {
		return nil
	}
	if jw, ok := ctx.Value(jsonStatusKey{}).(*jsonStatusWriter); ok {
		jw.badRequest = true
	}
	return limitError(CodeBadRequest, `the request has no GraphQL document: send it as "query"`)
}

// WriteHeader implements http.ResponseWriter.
func (w *jsonStatusWriter) WriteHeader(status int) {
	contentType := w.Header().Get("Content-Type")
	switch {
	case status == http.StatusUnprocessableEntity && w.badRequest:
		status = http.StatusBadRequest
	case status == http.StatusUnprocessableEntity && strings.HasPrefix(contentType, "application/json"):
		status = http.StatusOK
	case status == http.StatusBadRequest && strings.HasPrefix(contentType, "application/graphql-response+json"):
		w.buffer = &bytes.Buffer{}
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (w *jsonStatusWriter) Write(b []byte) (int, error) {
	if w.buffer != nil {
		return w.buffer.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// finish writes a held-back body, without its null data entry.
func (w *jsonStatusWriter) finish() {
	if w.buffer == nil {
		return
	}
	body := w.buffer.Bytes()
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(body, &resp); err == nil && string(resp["data"]) == "null" {
		delete(resp, "data")
		if b, err := json.Marshal(resp); err == nil {
			body = b
		}
	}
	_, _ = w.ResponseWriter.Write(body)
}

// Unwrap lets http.ResponseController, and the websocket upgrade, reach the underlying writer.
func (w *jsonStatusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
