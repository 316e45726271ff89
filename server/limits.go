package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/docshape"
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
	// CodeTokenLimit: the document has more lexical tokens than Limits.MaxTokens; it is not
	// parsed.
	CodeTokenLimit = "TOKEN_LIMIT_EXCEEDED"
	// CodeSelectionLimit: the document selects more fields than Limits.MaxSelections.
	CodeSelectionLimit = "SELECTION_LIMIT_EXCEEDED"
	// CodeRepeatedFieldLimit: the document selects one field more often in one place than
	// Limits.MaxRepeatedFields.
	CodeRepeatedFieldLimit = "REPEATED_FIELD_LIMIT_EXCEEDED"
	// CodeBodyTooLarge: the request body is larger than Limits.MaxBodyBytes (HTTP 413).
	CodeBodyTooLarge = "REQUEST_TOO_LARGE"
	// CodeBatchingNotSupported: the body is a JSON array of operations (HTTP 400).
	CodeBatchingNotSupported = "BATCHING_NOT_SUPPORTED"
	// CodeIntrospectionDisabled: the operation asks for __schema or __type in production mode.
	CodeIntrospectionDisabled = "INTROSPECTION_DISABLED"
	// CodeBadRequest: the request carries no GraphQL document (no query, nor a persisted one).
	CodeBadRequest = "BAD_REQUEST"
	// CodeCancelled: the client cancelled the request (it closed the connection); its work was
	// cancelled too. Nobody reads the answer; the code keeps the metrics honest.
	CodeCancelled = "CANCELLED"
	// CodeTimeout: the request ran longer than Limits.RequestTimeout; its database work was
	// cancelled. Answered with HTTP 504 when no part of the response could be made.
	CodeTimeout = "TIMEOUT"
)

func init() {
	// Refusals of the request itself, like gqlgen's validation errors: HTTP 400 for
	// application/graphql-response+json, 200 for application/json.
	for _, code := range []string{CodeDepthLimit, CodeCostLimit, CodeAliasLimit, CodeRootFieldLimit,
		CodeTokenLimit, CodeSelectionLimit, CodeRepeatedFieldLimit, CodeIntrospectionDisabled, CodeOperationNotTrusted,
		CodeBadRequest} {
		errcode.RegisterErrorType(code, errcode.KindProtocol)
	}
}

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
	// MaxTokens is the most lexical tokens (comments aside) a document may have; a longer one is
	// refused before it is parsed. Default
	// 5000, ten times the introspection query GraphiQL sends.
	MaxTokens int
	// MaxSelections is the most fields a document may select: every operation's, a fragment's
	// counted at each spread, and those of fragments no operation uses. It is checked before
	// validation, whose cost it bounds. Default 1000.
	MaxSelections int
	// MaxRepeatedFields is the most times one response name may be selected in one merged
	// selection set (fields of the same name or alias, directly, through fragments, and where
	// selections of same-named fields merge). Validation compares every pair of them; this
	// keeps that quadratic part small. Default 30.
	MaxRepeatedFields int
	// MaxBodyBytes is the largest request body accepted; larger ones get HTTP 413. Default 256 KiB:
	// a document is at most MaxTokens tokens, and no text the API stores is longer than 10,000
	// characters.
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
	DefaultMaxTokens      = 5000
	DefaultMaxSelections  = 1000
	DefaultMaxRepeated    = 30
	DefaultMaxBodyBytes   = 256 << 10
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
	if l.MaxTokens == 0 {
		l.MaxTokens = DefaultMaxTokens
	}
	if l.MaxSelections == 0 {
		l.MaxSelections = DefaultMaxSelections
	}
	if l.MaxRepeatedFields == 0 {
		l.MaxRepeatedFields = DefaultMaxRepeated
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

// operationLimits enforces [Limits] on every operation. Before the document is validated, it
// parses and measures it (see [docshape.Shape]) in time linear in its length, and refuses one too
// large to validate cheaply or whose operation is deeper, wider at the root or with more aliases
// than allowed; without introspection, one that asks for __schema or __type. After validation,
// with the variables known, it refuses an operation costlier than allowed, and a subscription
// sent over plain HTTP, which can only carry one response.
type operationLimits struct {
	limits        Limits
	introspection bool
	es            graphql.ExecutableSchema
	// cache holds the documents gqlgen has parsed and validated: those need no new parse.
	cache graphql.Cache[*ast.QueryDocument]
}

var (
	_ graphql.HandlerExtension          = (*operationLimits)(nil)
	_ graphql.OperationParameterMutator = (*operationLimits)(nil)
	_ graphql.OperationContextMutator   = (*operationLimits)(nil)
)

// ExtensionName implements graphql.HandlerExtension.
func (*operationLimits) ExtensionName() string { return "OperationLimits" }

// Validate implements graphql.HandlerExtension.
func (o *operationLimits) Validate(es graphql.ExecutableSchema) error {
	o.es = es
	return nil
}

// MutateOperationParameters implements graphql.OperationParameterMutator: the limits that need
// only the document, before it is validated.
func (o *operationLimits) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	if params.Query == "" {
		return nil // requireDocument refuses it
	}
	doc, ok := o.cache.Get(ctx, params.Query)
	if !ok {
		src := &ast.Source{Input: params.Query}
		tokens, err := docshape.CountTokens(src, o.limits.MaxTokens)
		if err == nil && tokens > o.limits.MaxTokens {
			return limitError(CodeTokenLimit, "the document has more than %d tokens; at most %d are allowed", o.limits.MaxTokens, o.limits.MaxTokens)
		}
		if err == nil {
			doc, err = parser.ParseQuery(src)
		}
		if err != nil {
			var gqlErr *gqlerror.Error
			if !errors.As(err, &gqlErr) {
				gqlErr = gqlerror.Wrap(err)
			}
			errcode.Set(gqlErr, errcode.ParseFailed)
			return gqlErr
		}
	}
	return o.checkShape(docshape.Measure(doc, params.OperationName, o.limits.MaxSelections))
}

// checkShape refuses a document whose shape is over the limits.
func (o *operationLimits) checkShape(shape docshape.Shape) *gqlerror.Error {
	l := o.limits
	switch {
	case shape.Cycle != "":
		err := gqlerror.Errorf("the fragment %q spreads itself", shape.Cycle)
		errcode.Set(err, errcode.ValidationFailed)
		return err
	case shape.Selections > l.MaxSelections:
		return limitError(CodeSelectionLimit, "the document selects more than %d fields (fragments count at each use); at most %d are allowed", l.MaxSelections, l.MaxSelections)
	case shape.Repeats > l.MaxRepeatedFields:
		return limitError(CodeRepeatedFieldLimit, "the document selects one field %d times in one place (through fragments too); at most %d are allowed", shape.Repeats, l.MaxRepeatedFields)
	case !o.introspection && shape.Introspects:
		return limitError(CodeIntrospectionDisabled, "introspection is disabled on this server")
	case shape.RootFields > l.MaxRootFields:
		return limitError(CodeRootFieldLimit, "the operation selects %d root fields; at most %d are allowed", shape.RootFields, l.MaxRootFields)
	case shape.Aliases > l.MaxAliases:
		return limitError(CodeAliasLimit, "the operation uses %d aliases; at most %d are allowed", shape.Aliases, l.MaxAliases)
	case shape.Depth > l.MaxDepth:
		return limitError(CodeDepthLimit, "the operation is nested %d levels deep; at most %d are allowed", shape.Depth, l.MaxDepth)
	}
	return nil
}

// MutateOperationContext implements graphql.OperationContextMutator: the limits that need the
// validated operation and its variables.
func (o *operationLimits) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	op := rc.Operation
	if op == nil {
		return nil
	}
	if op.Operation == ast.Subscription && singleResponse(ctx) {
		return limitError(CodeBadRequest, "a subscription needs a websocket (graphql-transport-ws) at /graphql; plain HTTP carries one response")
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

// withBodyLimit reads the request body up to limit bytes and answers 413 when it is larger. It
// refuses a JSON array of operations (batching) with a clear error.
func withBodyLimit(limit int64, next http.Handler) http.Handler { return bodyLimit(limit, true, next) }

// withPlainBodyLimit is withBodyLimit for bodies that are not GraphQL requests (a JSON array
// is a body like any other).
func withPlainBodyLimit(limit int64, next http.Handler) http.Handler {
	return bodyLimit(limit, false, next)
}

// bodyLimit reads the request body up to limit bytes, answers 413 when it is larger and, when
// refuseBatches, refuses a JSON array.
func bodyLimit(limit int64, refuseBatches bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		tooLarge := func() {
			writeError(w, r, partnernet.Errorf(CodeBodyTooLarge, "the request body is larger than %d bytes", limit))
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
			writeError(w, r, partnernet.Errorf(partnernet.CodeBadUserInput, "could not read the request body"))
			return
		}
		if trimmed := bytes.TrimLeft(body, " \t\r\n"); refuseBatches && len(trimmed) > 0 && trimmed[0] == '[' {
			writeError(w, r, partnernet.Errorf(CodeBatchingNotSupported,
				"batched operations are not supported; send one operation per request"))
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
func (requireDocument) MutateOperationParameters(_ context.Context, params *graphql.RawParams) *gqlerror.Error {
	if params.Query != "" {
		return nil
	}
	return limitError(CodeBadRequest, `the request has no GraphQL document: send it as "query"`)
}

// validationRules returns the validation rules of GraphQL's specification; without suggestions,
// none of them answers "did you mean", for fields, arguments, input fields or enum values alike,
// so that errors do not reveal the schema. (gqlgen itself swaps the field rules only.)
func validationRules(suggestions bool) func() *rules.Rules {
	return func() *rules.Rules {
		r := rules.NewDefaultRules()
		if suggestions {
			return r
		}
		for _, swap := range []struct{ with, without core.Rule }{
			{rules.FieldsOnCorrectTypeRule, rules.FieldsOnCorrectTypeRuleWithoutSuggestions},
			{rules.ScalarLeafsRule, rules.ScalarLeafsRuleWithoutSuggestions},
			{rules.KnownArgumentNamesRule, rules.KnownArgumentNamesRuleWithoutSuggestions},
			{rules.ValuesOfCorrectTypeRule, rules.ValuesOfCorrectTypeRuleWithoutSuggestions},
		} {
			r.RemoveRule(swap.with.Name)
			r.AddRule(swap.without.Name, swap.without.RuleFunc)
		}
		return r
	}
}
