package server

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
)

// The extensions.code of refusals by the HTTP transport. They are stable.
const (
	// CodeMethodNotAllowed: the HTTP method cannot carry the request (a mutation over GET, or a
	// method other than GET and POST); HTTP 405 with an Allow header.
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	// CodeUnsupportedMediaType: a POST body that is not application/json in UTF-8; HTTP 415.
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
)

// The media types of a GraphQL response over HTTP.
const (
	mediaGraphQLResponse = "application/graphql-response+json"
	mediaJSON            = "application/json"
)

// httpTransport serves GraphQL over HTTP as the GraphQL-over-HTTP specification describes: a
// query by GET or POST, a mutation by POST only, a JSON body decoded strictly (one object,
// nothing after it), and every refusal answered with a coded error in the media type the client
// accepts. It carries one response per request: a subscription needs the websocket.
//
// An anonymous GET of a persisted query that answers without errors holds public data only
// (nothing of a newcomer's is released to an anonymous caller), so any HTTP cache may keep it:
// it gets an ETag and Cache-Control: public, max-age=publicMaxAge, and a request whose
// If-None-Match names that ETag gets 304 without a body. Every other answer is no-store.
type httpTransport struct {
	// publicMaxAge is how long caches may keep a public answer; none are cacheable when zero.
	publicMaxAge time.Duration
}

var _ graphql.Transport = httpTransport{}

// Supports implements graphql.Transport: every request that is not a websocket upgrade (OPTIONS
// and HEAD are answered by the transport before it).
func (httpTransport) Supports(r *http.Request) bool { return !websocketUpgrade(r.Header) }

// singleResponseKey marks the context of a request that can carry one response only.
type singleResponseKey struct{}

// singleResponse reports whether ctx belongs to a request that can carry one response only.
func singleResponse(ctx context.Context) bool {
	v, _ := ctx.Value(singleResponseKey{}).(bool)
	return v
}

// withoutDefer returns schema without the @defer directive that gqlparser declares for every
// schema. Each transport here carries one response per operation (a websocket one per event),
// never the incremental payloads @defer asks for: with it, gqlgen answered the deferred fields
// null, even non-null ones, with "hasNext": true and no payload to follow. Without it, an
// operation using @defer is refused as invalid (GRAPHQL_VALIDATION_FAILED, "Unknown directive"),
// and introspection does not offer it. A gateway defers on its own side and never sends @defer
// to a subgraph.
func withoutDefer(schema *ast.Schema) *ast.Schema {
	out := *schema
	out.Directives = maps.Clone(schema.Directives)
	delete(out.Directives, "defer")
	return &out
}

// Do implements graphql.Transport.
func (t httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	var (
		params *graphql.RawParams
		err    error
	)
	switch r.Method {
	case http.MethodGet:
		params, err = getParams(r)
	case http.MethodPost:
		params, err = postParams(r)
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		writeError(w, r, partnernet.Errorf(CodeMethodNotAllowed,
			"%s is not supported at /graphql; send a query by GET or POST, a mutation by POST", r.Method))
		return
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	ctx := context.WithValue(r.Context(), singleResponseKey{}, true)
	media := responseMediaType(r)
	rc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		errs = truncateErrors(errs)
		writeResponse(w, media, requestErrorStatus(errs, media), exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs))
		return
	}
	if r.Method == http.MethodGet && rc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", "POST")
		writeError(w, r, partnernet.Errorf(CodeMethodNotAllowed,
			"a %s must be sent by POST; GET carries queries only", rc.Operation.Operation))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	resp := responses(ctx)
	if resp == nil {
		// The request ended before a response was made: its client went away, or its time ran
		// out. Its work is cancelled either way.
		if errors.Is(ctx.Err(), context.Canceled) {
			writeError(w, r, partnernet.Errorf(CodeCancelled, "the request was cancelled by its client"))
			return
		}
		writeError(w, r, partnernet.Errorf(CodeTimeout,
			"the request took longer than the server allows; its work was cancelled"))
		return
	}
	if r.Method == http.MethodGet && t.publicMaxAge > 0 && publicAnswer(ctx, params, resp) {
		writePublic(w, r, media, resp, t.publicMaxAge)
		return
	}
	writeResponse(w, media, http.StatusOK, resp)
}

// publicAnswer reports whether resp, the answer to params, is public data any cache may keep: an
// anonymous caller's persisted query (automatic or trusted) answered without an error.
func publicAnswer(ctx context.Context, params *graphql.RawParams, resp *graphql.Response) bool {
	_, persisted := params.Extensions["persistedQuery"]
	return persisted && len(resp.Errors) == 0 && authz.PrincipalFrom(ctx).Anonymous()
}

// writePublic answers with a public, cacheable response: its ETag is the SHA-256 of the body, and
// a request that already holds that body (If-None-Match) gets 304.
func writePublic(w http.ResponseWriter, r *http.Request, media string, resp *graphql.Response, maxAge time.Duration) {
	b, failed := marshalResponse(media, resp)
	if failed != 0 {
		writeBody(w, media, failed, b)
		return
	}
	sum := sha256.Sum256(b)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(maxAge.Seconds())))
	// Texts answer in the reader's language (Accept-Language): a cache keeps one per language.
	h.Set("Vary", "Accept, Accept-Language, Authorization, Partnernet-Purpose")
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeBody(w, media, http.StatusOK, b)
}

// etagMatches reports whether an If-None-Match header names etag (weak or strong) or is *.
func etagMatches(ifNoneMatch, etag string) bool {
	for part := range strings.SplitSeq(ifNoneMatch, ",") {
		part = strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if part == etag || part == "*" {
			return true
		}
	}
	return false
}

// maxRequestErrors is the most errors the answer to a refused request lists, as graphql-js
// validation stops at 100: a document that is wrong in thousands of places costs no more to
// answer than one wrong in a hundred.
const maxRequestErrors = 100

// truncateErrors keeps the first maxRequestErrors of errs and says how many more there were.
func truncateErrors(errs gqlerror.List) gqlerror.List {
	if len(errs) <= maxRequestErrors {
		return errs
	}
	more := &gqlerror.Error{
		Message:    fmt.Sprintf("%d more errors are not shown", len(errs)-maxRequestErrors),
		Extensions: maps.Clone(errs[0].Extensions),
	}
	return append(errs[:maxRequestErrors:maxRequestErrors], more)
}

// getParams reads a GET request's query string: query, operationName, and variables and
// extensions as JSON objects.
func getParams(r *http.Request) (*graphql.RawParams, error) {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, partnernet.Errorf(CodeBadRequest, "the query string cannot be decoded")
	}
	params := &graphql.RawParams{Query: values.Get("query"), OperationName: values.Get("operationName")}
	for name, into := range map[string]*map[string]any{"variables": &params.Variables, "extensions": &params.Extensions} {
		if raw := values.Get(name); raw != "" {
			if err := decodeObject([]byte(raw), into); err != nil {
				msg := fmt.Sprintf("%s must be a JSON object", name)
				if !errors.As(err, new(*json.UnmarshalTypeError)) {
					msg += ": " + err.Error()
				}
				return nil, &partnernet.Error{Code: CodeBadRequest, Field: name, Message: msg}
			}
		}
	}
	return params, nil
}

// postParams reads a POST request's JSON body, refusing any other media type and anything after
// the JSON object.
func postParams(r *http.Request) (*graphql.RawParams, error) {
	media, mediaParams, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || media != mediaJSON {
		return nil, partnernet.Errorf(CodeUnsupportedMediaType,
			"send the request as Content-Type: application/json")
	}
	if charset, ok := mediaParams["charset"]; ok && !strings.EqualFold(charset, "utf-8") {
		return nil, partnernet.Errorf(CodeUnsupportedMediaType, "the request body must be UTF-8")
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, partnernet.Errorf(CodeBadRequest, "could not read the request body")
	}
	var fields struct {
		Query         string         `json:"query"`
		OperationName string         `json:"operationName"`
		Variables     map[string]any `json:"variables"`
		Extensions    map[string]any `json:"extensions"`
	}
	if err := decodeObject(body, &fields); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) && typ.Field != "" {
			field, _, _ := strings.Cut(typ.Field, ".")
			kind := "a string"
			if field == "variables" || field == "extensions" {
				kind = "a JSON object"
			}
			return nil, &partnernet.Error{Code: CodeBadRequest, Field: field, Message: fmt.Sprintf("%s must be %s", field, kind)}
		}
		return nil, partnernet.Errorf(CodeBadRequest, "the request body must be one JSON object: %v", err)
	}
	return &graphql.RawParams{
		Query: fields.Query, OperationName: fields.OperationName,
		Variables: fields.Variables, Extensions: fields.Extensions,
	}, nil
}

// decodeObject decodes exactly one JSON value from data into v, numbers as json.Number, and
// refuses anything but white space after it.
func decodeObject(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			return fmt.Errorf("invalid JSON at byte %d", syntax.Offset)
		case errors.As(err, &typ):
			return err // the caller names the field
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return errors.New("the JSON ends early")
		}
		return errors.New("invalid JSON")
	}
	if len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")) > 0 {
		return fmt.Errorf("unexpected data after the JSON value at byte %d", dec.InputOffset())
	}
	return nil
}

// responseMediaType is the media type of the answer to r: application/graphql-response+json
// unless the client accepts only application/json (or states no preference), as the
// GraphQL-over-HTTP specification asks during its transition.
func responseMediaType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		media, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch media {
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		case mediaJSON, "*/*", "application/*":
			return mediaJSON
		}
	}
	return mediaGraphQLResponse
}

// requestErrorStatus is the HTTP status of a request refused before it ran: 400 for a request
// without a document; for a document that does not parse or validate, 400 in
// application/graphql-response+json and 200 in application/json; 200 for a refusal by a limit.
func requestErrorStatus(errs gqlerror.List, media string) int {
	for _, e := range errs {
		if e.Extensions["code"] == CodeBadRequest {
			return http.StatusBadRequest
		}
	}
	if media == mediaGraphQLResponse && errcode.GetErrorKind(errs) == errcode.KindProtocol {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// writeResponse writes a GraphQL response. In application/graphql-response+json a response
// without data (the operation never ran) has no data entry at all.
func writeResponse(w http.ResponseWriter, media string, status int, resp *graphql.Response) {
	b, marshalStatus := marshalResponse(media, resp)
	writeBody(w, media, cmp.Or(marshalStatus, status), b)
}

// writeBody writes a marshalled response with its media type and status.
func writeBody(w http.ResponseWriter, media string, status int, b []byte) {
	w.Header().Set("Content-Type", media)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// onlyData tells whether a response carries data and nothing else: no errors, extensions, label,
// path or incremental delivery.
func onlyData(resp *graphql.Response) bool {
	return len(resp.Data) > 0 && len(resp.Errors) == 0 && len(resp.Extensions) == 0 && resp.Label == "" &&
		resp.Path == nil && resp.HasNext == nil
}

// marshalResponse encodes resp in media; the status is 0, or 500 when it cannot be encoded.
func marshalResponse(media string, resp *graphql.Response) ([]byte, int) {
	if onlyData(resp) {
		// The executor wrote the data compact; encoding/json would scan it all again to check.
		b := make([]byte, 0, len(`{"data":}`)+len(resp.Data))
		b = append(append(append(b, `{"data":`...), resp.Data...), '}')
		return b, 0
	}
	var body any = resp
	if media == mediaGraphQLResponse && resp.Data == nil {
		body = struct {
			Errors     gqlerror.List  `json:"errors"`
			Extensions map[string]any `json:"extensions,omitempty"`
		}{resp.Errors, resp.Extensions}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return []byte(`{"errors":[{"message":"internal server error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`),
			http.StatusInternalServerError
	}
	return b, 0
}
