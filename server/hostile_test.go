package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/docshape/docshapetest"
	"github.com/partnerskap-skane/partnernet/server"
)

// fragmentBomb is a document of levels fragments, each spreading the next twice: a few hundred
// bytes that select 2^levels fields.
func fragmentBomb(levels int) string {
	return "{ ...F0 }\n" + docshapetest.FragmentChain(levels, "Query", "__typename")
}

// repeatedFields is an operation that selects field n times at its root.
func repeatedFields(name, field string, n int) string {
	return "query " + name + " {" + strings.Repeat(" "+field, n) + " }"
}

// TestHostileDocumentsAreRefusedBeforeValidation sends the documents that burned a core for
// seconds or minutes: each is refused by a limit measured in linear time, before validation and
// before any statement.
func TestHostileDocumentsAreRefusedBeforeValidation(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	tests := []struct {
		name     string
		query    string
		wantCode string
	}{
		{name: "fragment bomb of 26 levels", query: fragmentBomb(26), wantCode: server.CodeSelectionLimit},
		{name: "fragment bomb of 40 levels", query: fragmentBomb(40), wantCode: server.CodeSelectionLimit},
		{name: "unused fragment bomb", query: "{ __typename }\n" + docshapetest.FragmentChain(40, "Query", "__typename"), wantCode: server.CodeSelectionLimit},
		{name: "8000 repeated fields", query: repeatedFields("R1", "__typename", 8000), wantCode: server.CodeTokenLimit},
		{name: "14000 repeated fields under another name", query: repeatedFields("R2", "__typename", 14000), wantCode: server.CodeTokenLimit},
		{name: "1500 repeated fields", query: repeatedFields("R4", "__typename", 1500), wantCode: server.CodeSelectionLimit},
		{name: "one field 200 times", query: repeatedFields("R3", "__typename", 200), wantCode: server.CodeRepeatedFieldLimit},
		{
			name:     "one field repeated through fragments",
			query:    "{ ...A ...B ...C }" + strings.Repeat(" ", 1) + "fragment A on Query {" + strings.Repeat(" __typename", 12) + " } fragment B on Query {" + strings.Repeat(" __typename", 12) + " } fragment C on Query {" + strings.Repeat(" __typename", 12) + " }",
			wantCode: server.CodeRepeatedFieldLimit,
		},
		{
			name:     "repeats merged below the root",
			query:    "{" + strings.Repeat(" organisations(first: 1) { totalCount totalCount totalCount }", 11) + " }",
			wantCode: server.CodeRepeatedFieldLimit,
		},
		{name: "a fragment cycle", query: "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }", wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "more tokens than allowed", query: "{ __typename" + strings.Repeat(" a: __typename", 6000) + " }", wantCode: server.CodeTokenLimit},
		{name: "an unterminated string", query: `{ activities(filter: { search: "abc }) { totalCount } }`, wantCode: "GRAPHQL_PARSE_FAILED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := env.Do(t, authz.Principal{}, tt.query, nil)
			require.Equal(t, []string{tt.wantCode}, resp.Codes(), "%+v", resp.Errors)
			require.NotEmpty(t, resp.Errors[0].Message)
			require.Zero(t, resp.Statements, "a refused document reaches no database")
		})
	}

	// Documents within the limits still run, repeats and fragments included.
	for _, query := range []string{
		"{ programmes {" + strings.Repeat(" totalCount", 30) + " } }",
		"{ programmes { ...F0 } }\n" + docshapetest.FragmentChain(8, "ProgrammeConnection", "totalCount"), // 256 fields merged into one
		"{ ...A ...B } fragment A on Query { programmes { totalCount } } fragment B on Query { programmes { totalCount } }",
	} {
		resp := env.Do(t, authz.Principal{}, query, nil)
		require.Empty(t, resp.Errors, query)
	}
}

// TestManyErrorsAreCut sends a document wrong in 500 places: the answer lists 100 errors and
// says how many more there were.
func TestManyErrorsAreCut(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	var vars strings.Builder
	for i := range 500 {
		fmt.Fprintf(&vars, " $v%d: Int", i)
	}
	resp := env.Do(t, authz.Principal{}, "query Q("+vars.String()+") { __typename }", nil)
	require.Len(t, resp.Errors, 101)
	require.Equal(t, "400 more errors are not shown", resp.Errors[100].Message)
	for _, code := range resp.Codes() {
		require.Equal(t, "GRAPHQL_VALIDATION_FAILED", code)
	}
}

// TestRequestTimeoutIsCoded runs out of time before the response is made: the answer is a
// TIMEOUT error (504), never a 200 with the body null.
func TestRequestTimeoutIsCoded(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, withConfig(func(c *server.Config) { c.Limits.RequestTimeout = time.Nanosecond }))
	for _, accept := range []string{"application/json", "application/graphql-response+json"} {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ programmes { totalCount } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", accept)
		resp := env.Send(t, authz.Principal{}, req)
		require.Equal(t, http.StatusGatewayTimeout, resp.Status)
		require.Equal(t, []string{server.CodeTimeout}, resp.Codes())
	}
}

// TestSubscriptionOverPlainHTTP is refused at once: plain HTTP carries one response, a
// subscription needs the websocket.
func TestSubscriptionOverPlainHTTP(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	body := `{"query":"subscription { activityChanged { kind } }"}`
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp := env.Send(t, authz.Principal{}, req)
	require.NoError(t, ctx.Err(), "the request waited for an event")
	require.Equal(t, http.StatusBadRequest, resp.Status)
	require.Equal(t, []string{server.CodeBadRequest}, resp.Codes())
	require.Contains(t, resp.Errors[0].Message, "websocket")
}

// TestDeferIsNotOffered sends @defer where gqlgen would have deferred a field: no transport here
// delivers the later payloads, so the operation is refused as invalid, before any statement,
// where it was answered with the field null (a non-null one) and "hasNext": true. Introspection
// does not list the directive; @include and @skip still work.
func TestDeferIsNotOffered(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, withConfig(func(c *server.Config) { c.Introspection = true }))
	for _, doc := range []string{
		`{ organisations(first: 1) { nodes { ... @defer { name } } } }`,
		`{ organisations(first: 1) { nodes { ...Name @defer(label: "later") } } } fragment Name on Organisation { name }`,
		`{ organisations(first: 1) { nodes { ... @defer(if: false) { name } } } }`,
	} {
		resp := env.Do(t, authz.Principal{}, doc, nil)
		require.Equal(t, []string{"GRAPHQL_VALIDATION_FAILED"}, resp.Codes(), doc)
		require.Contains(t, resp.Errors[0].Message, `Unknown directive "@defer"`, doc)
		require.Zero(t, resp.Statements, doc)
		require.Contains(t, []string{"", "null"}, string(resp.Data), "no data: %s", doc)
	}

	resp := env.Do(t, authz.Principal{}, `{ __schema { directives { name } } }`, nil)
	require.Empty(t, resp.Errors)
	var schema struct {
		Schema struct {
			Directives []struct{ Name string } `json:"directives"`
		} `json:"__schema"`
	}
	require.NoError(t, json.Unmarshal(resp.Data, &schema))
	var names []string
	for _, d := range schema.Schema.Directives {
		names = append(names, d.Name)
	}
	require.NotContains(t, names, "defer")
	require.Subset(t, names, []string{"include", "skip", "deprecated"})

	resp = env.Do(t, authz.Principal{}, `{ organisations(first: 1) { nodes { name @include(if: true) slug @skip(if: true) } } }`, nil)
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"name":`)
	require.NotContains(t, string(resp.Data), `"slug"`)
}

// TestProductionModeSuggestsNothing checks every kind of "did you mean" of GraphQL validation:
// fields, arguments, input fields and enum values. Dev mode suggests them all; production none.
func TestProductionModeSuggestsNothing(t *testing.T) {
	t.Parallel()
	typos := []string{
		`{ programes { totalCount } }`, //nolint:misspell // a typo on purpose
		`{ organisations(firs: 1) { totalCount } }`,
		`{ organisations(filter: { kindz: [MUNICIPALITY] }) { totalCount } }`,
		`{ organisations(filter: { kinds: [MUNICIPALIT] }) { totalCount } }`,
		`{ activities(filter: { categories: [SPORT] }) { totalCount } }`,
		`{ programmes }`,
	}
	for _, dev := range []bool{false, true} {
		env := apitest.New(t, withConfig(func(c *server.Config) { c.Introspection, c.FieldSuggestions = dev, dev }))
		for _, typo := range typos {
			resp := env.Do(t, authz.Principal{}, typo, nil)
			require.Equal(t, []string{"GRAPHQL_VALIDATION_FAILED"}, resp.Codes(), typo)
			suggests := strings.Contains(resp.Errors[0].Message, "Did you mean")
			require.Equal(t, dev, suggests, "dev %v: %s", dev, resp.Errors[0].Message)
		}
	}
}

// TestMalformedInputIsBadUserInput sends text with a NUL byte and times and dates no calendar
// has, as literals and as variables: each is BAD_USER_INPUT before any resolver runs, never an
// internal error.
func TestMalformedInputIsBadUserInput(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	tests := []struct {
		name  string
		query string
		vars  map[string]any
	}{
		{name: "NUL in a text variable", query: `query($s: String) { activities(filter: { search: $s }) { totalCount } }`, vars: map[string]any{"s": "Spr\x00åk"}},
		{name: "NUL in a text literal", query: `{ activities(filter: { search: "Spr\u0000åk" }) { totalCount } }`},
		{name: "a date for a time", query: `{ activities(filter: { occursFrom: "2026-12-01" }) { totalCount } }`},
		{name: "year 10000", query: `{ activities(filter: { occursFrom: "10000-01-01T00:00:00Z" }) { totalCount } }`},
		{name: "month 13", query: `query($t: Time) { activities(filter: { occursUntil: $t }) { totalCount } }`, vars: map[string]any{"t": "2027-13-45T00:00:00Z"}},
		{name: "yesterday", query: `{ adviceVisitStatistics(since: "yesterday", until: "2027-01-01T00:00:00Z") { visits } }`},
		{name: "a year for a time", query: `{ adviceVisitStatistics(since: "2026", until: "2027-01-01T00:00:00Z") { visits } }`},
		{name: "an empty time", query: `{ activities(filter: { occursFrom: "" }) { totalCount } }`},
		{name: "a date in another layout", query: `mutation { registerNewcomer(input: { displayName: "X", residenceMunicipalityCode: "1280", arrivalDate: "01/09/2026" }) { newcomer { id } } }`},
		{name: "a worklist's arrival in another layout", query: `{ newcomers(filter: { arrivedFrom: "01/09/2026" }) { totalCount } }`},
		{name: "a correction's date of month 13", query: `mutation { updateNewcomerIdentity(input: { newcomerId: "x", version: 1, displayName: "X", arrivalDate: "2026-13-01" }) { version } }`},
		{name: "a desk's opening hours with a date for a time", query: `mutation { updateAdviceDesk(input: { deskId: "x", name: "D", place: "P", openingHours: [{ startsAt: "2027-01-05" }] }) { id } }`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := env.Do(t, authz.Principal{}, tt.query, tt.vars)
			require.NotEmpty(t, resp.Errors)
			for _, e := range resp.Errors {
				require.Equal(t, "BAD_USER_INPUT", e.Code(), "%+v", resp.Errors)
			}
			require.NotEmpty(t, resp.Errors[0].Extensions["field"], "the error names the input: %+v", resp.Errors)
			require.Zero(t, resp.Statements)
		})
	}
}

// TestTransportRefusalsAreCoded sends requests GraphQL over HTTP refuses: each answer has a
// fitting status and an extensions.code.
func TestTransportRefusalsAreCoded(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	get := func(q url.Values) *http.Request {
		return httptest.NewRequest(http.MethodGet, "/graphql?"+q.Encode(), nil)
	}
	post := func(contentType, body string) *http.Request {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		return req
	}
	tests := []struct {
		name       string
		req        *http.Request
		wantStatus int
		wantCode   string
		wantField  string
	}{
		{name: "plain text", req: post("text/plain", `{"query":"{ __typename }"}`), wantStatus: http.StatusUnsupportedMediaType, wantCode: server.CodeUnsupportedMediaType},
		{name: "no content type", req: post("", `{"query":"{ __typename }"}`), wantStatus: http.StatusUnsupportedMediaType, wantCode: server.CodeUnsupportedMediaType},
		{name: "latin-1", req: post("application/json; charset=iso-8859-1", `{"query":"{ __typename }"}`), wantStatus: http.StatusUnsupportedMediaType, wantCode: server.CodeUnsupportedMediaType},
		{name: "a form", req: post("application/x-www-form-urlencoded", `query=%7B__typename%7D`), wantStatus: http.StatusUnsupportedMediaType, wantCode: server.CodeUnsupportedMediaType},
		{name: "a mutation over GET", req: get(url.Values{"query": {`mutation { withdrawConsent(input: { consentId: "x" }) { id } }`}}), wantStatus: http.StatusMethodNotAllowed, wantCode: server.CodeMethodNotAllowed},
		{name: "PUT", req: httptest.NewRequest(http.MethodPut, "/graphql", strings.NewReader(`{"query":"{ __typename }"}`)), wantStatus: http.StatusMethodNotAllowed, wantCode: server.CodeMethodNotAllowed},
		{name: "variables that are no JSON (GET)", req: get(url.Values{"query": {"{ __typename }"}, "variables": {"{bad"}}), wantStatus: http.StatusBadRequest, wantCode: server.CodeBadRequest, wantField: "variables"},
		{name: "variables that are a string (POST)", req: post("application/json", `{"query":"{ __typename }","variables":"x"}`), wantStatus: http.StatusBadRequest, wantCode: server.CodeBadRequest, wantField: "variables"},
		{name: "a query that is a number", req: post("application/json", `{"query":1}`), wantStatus: http.StatusBadRequest, wantCode: server.CodeBadRequest, wantField: "query"},
		{name: "a body that is no JSON", req: post("application/json", `{"query":`), wantStatus: http.StatusBadRequest, wantCode: server.CodeBadRequest},
		{name: "trailing bytes", req: post("application/json", `{"query":"{ __typename }"} {"query":"mutation { x }"}`), wantStatus: http.StatusBadRequest, wantCode: server.CodeBadRequest},
		{name: "trailing garbage", req: post("application/json", `{"query":"{ __typename }"}x`), wantStatus: http.StatusBadRequest, wantCode: server.CodeBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := env.Send(t, authz.Principal{}, tt.req)
			require.Equal(t, tt.wantStatus, resp.Status)
			require.Equal(t, []string{tt.wantCode}, resp.Codes(), "%+v", resp.Errors)
			if tt.wantField != "" {
				require.Equal(t, tt.wantField, resp.Errors[0].Extensions["field"])
			}
			if tt.wantStatus == http.StatusMethodNotAllowed {
				require.NotEmpty(t, resp.Header.Get("Allow"))
			}
		})
	}
	// White space after the body is no trailing data.
	resp := env.Send(t, authz.Principal{}, post("application/json", "{\"query\":\"{ __typename }\"}\n\t "))
	require.Equal(t, http.StatusOK, resp.Status)
	require.Empty(t, resp.Errors)
}

// TestWebsocketInitTimeout opens a websocket and sends nothing: it is closed with 4408, as
// graphql-transport-ws specifies.
func TestWebsocketInitTimeout(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, withConfig(func(c *server.Config) { c.WebsocketInitTimeout = 200 * time.Millisecond }))
	hs := httptest.NewServer(env.Handler)
	defer hs.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(hs.URL, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err)
	defer c.CloseNow()
	_, _, err = c.Read(ctx)
	var closeErr websocket.CloseError
	require.ErrorAs(t, err, &closeErr)
	require.Equal(t, websocket.StatusCode(server.CloseInitTimeout), closeErr.Code)

	// A connection that initialises in time stays open.
	msg, err := wsOperation(t, hs.URL, map[string]any{}, `{ programmes { totalCount } }`)
	require.NoError(t, err)
	raw, _ := json.Marshal(msg)
	require.Contains(t, string(raw), "totalCount")
}
