package hsds_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
	"github.com/teambition/rrule-go"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/hsds"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// specBase is where the HSDS 3.0 schemas are published; the OpenAPI description refers to them
// there, and the compiler reads them from hsds3/ instead.
const specBase = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"

// openapiURL names the OpenAPI description for the compiler.
const openapiURL = "https://hsds.test/openapi.json"

var (
	schemasOnce sync.Once
	schemas     *jsonschema.Compiler
	schemasErr  error
	compiled    sync.Map // pointer → *jsonschema.Schema
	compileMu   sync.Mutex
)

// compiler loads the official HSDS 3.0 schemas from hsds3/ under the URLs the OpenAPI
// description refers to them by: each object's schema at schema/<name>.json and, where the
// compiled folder has none of its own, at schema/compiled/<name>.json (compiled/service.json is
// the self-contained service_with_definitions.json). Formats (uuid, email, uri, date-time) are
// asserted.
func compiler(t *testing.T) *jsonschema.Compiler {
	t.Helper()
	schemasOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		add := func(url, path string) {
			if schemasErr != nil {
				return
			}
			f, err := os.Open(path)
			if err != nil {
				schemasErr = err
				return
			}
			defer f.Close()
			doc, err := jsonschema.UnmarshalJSON(f)
			if err == nil {
				err = c.AddResource(url, doc)
			}
			schemasErr = err
		}
		files, err := filepath.Glob("hsds3/*.json")
		if err != nil {
			schemasErr = err
			return
		}
		for _, f := range files {
			name := filepath.Base(f)
			if name == "openapi.json" {
				add(openapiURL, f)
				continue
			}
			add(specBase+name, f)
			if _, err := os.Stat(filepath.Join("hsds3/compiled", name)); err != nil && name != "service.json" {
				add(specBase+"compiled/"+name, f)
			}
		}
		for _, name := range []string{"organization_list.json", "service_at_location_list.json", "service_list.json"} {
			add(specBase+"compiled/"+name, filepath.Join("hsds3/compiled", name))
		}
		add(specBase+"compiled/service.json", "hsds3/compiled/service_with_definitions.json")
		schemas = c
	})
	require.NoError(t, schemasErr)
	return schemas
}

// responseSchema is the schema of the 200 response of an operation of the OpenAPI description
// ("/services", "get").
func responseSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	ptr := openapiURL + "#/paths/" + strings.ReplaceAll(path, "/", "~1") + "/get/responses/200/content/application~1json/schema"
	return schemaAt(t, ptr)
}

// schemaAt compiles the schema at a URL (with a JSON pointer) once.
func schemaAt(t *testing.T, url string) *jsonschema.Schema {
	t.Helper()
	if s, ok := compiled.Load(url); ok {
		return s.(*jsonschema.Schema)
	}
	compileMu.Lock()
	defer compileMu.Unlock()
	s, err := compiler(t).Compile(url)
	require.NoError(t, err, "compile %s", url)
	compiled.Store(url, s)
	return s
}

// validate checks a response body against a schema.
func validate(t *testing.T, s *jsonschema.Schema, what string, body []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	require.NoError(t, err, "%s: %s", what, body)
	err = s.Validate(doc)
	require.NoError(t, err, "%s is not valid HSDS 3.0: %s", what, body)
}

// reply is an HTTP answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// get sends a GET to the server as the anonymous public, with headers.
func get(t *testing.T, env *apitest.Env, path string, headers ...string) reply {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return send(env, req)
}

// send sends a request to the server.
func send(env *apitest.Env, req *http.Request) reply {
	rec := httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, req)
	return reply{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// getJSON GETs path, requires 200, validates the body against schema (when not nil) and decodes
// it into v.
func getJSON(t *testing.T, env *apitest.Env, path string, schema *jsonschema.Schema, v any) []byte {
	t.Helper()
	r := get(t, env, path)
	require.Equal(t, http.StatusOK, r.status, "GET %s: %s", path, r.body)
	if schema != nil {
		validate(t, schema, "GET "+path, r.body)
	}
	if v != nil {
		require.NoError(t, json.Unmarshal(r.body, v), "GET %s", path)
	}
	return r.body
}

// push POSTs services to /hsds/services with the Authorization given.
func push(t *testing.T, env *apitest.Env, auth string, body any, query string) (int, hsds.PushResponse, []byte) {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "/hsds/services"+query, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	r := send(env, req)
	var out hsds.PushResponse
	if r.status == http.StatusOK {
		require.NoError(t, json.Unmarshal(r.body, &out), "%s", r.body)
	}
	return r.status, out, r.body
}

// bearer is the Authorization of a token of p.
func bearer(t *testing.T, env *apitest.Env, p authz.Principal) string {
	return "Bearer " + env.Token(t, p)
}

// orgID returns the id of the organisation with a slug.
func orgID(t *testing.T, env *apitest.Env, slug string) int64 {
	t.Helper()
	o, err := env.Store.OrganisationGetBySlug(context.Background(), slug)
	require.NoError(t, err)
	return o.ID
}

// expand lists the occurrences of an HSDS schedule as an HSDS client would, independently of
// the server's code: its rule parts as an RFC 5545 rule from dtstart at opens_at (read with its
// UTC offset), kept within valid_from..valid_to and until, through horizon.
func expand(t *testing.T, s hsds.Schedule, horizon time.Time) []time.Time {
	t.Helper()
	require.NotEmpty(t, s.OpensAt, "schedule %s opens at a time", s.ID)
	opens, err := time.Parse("15:04-07:00", s.OpensAt)
	require.NoError(t, err, "opens_at %q", s.OpensAt)
	require.NotNil(t, s.Timezone, "schedule %s names its UTC offset", s.ID)
	_, offset := opens.Zone()
	require.Equal(t, *s.Timezone*3600, offset, "timezone agrees with opens_at's offset")
	zone := time.FixedZone("", offset)
	day := func(v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation("2006-01-02", v, zone)
		require.NoError(t, err)
		return d
	}
	first := day(s.DTStart)
	start := time.Date(first.Year(), first.Month(), first.Day(), opens.Hour(), opens.Minute(), 0, 0, zone)
	if s.Freq == "" {
		return []time.Time{start}
	}
	parts := []string{"FREQ=" + s.Freq}
	if s.Interval != nil {
		parts = append(parts, "INTERVAL="+strconv.Itoa(*s.Interval))
	}
	if s.ByDay != "" {
		parts = append(parts, "BYDAY="+s.ByDay)
	}
	if s.ByMonthDay != "" {
		parts = append(parts, "BYMONTHDAY="+s.ByMonthDay)
	}
	if s.Wkst != "" {
		parts = append(parts, "WKST="+s.Wkst)
	}
	if s.Count != nil {
		parts = append(parts, "COUNT="+strconv.Itoa(*s.Count))
	}
	opt, err := rrule.StrToROptionInLocation(strings.Join(parts, ";"), zone)
	require.NoError(t, err)
	opt.Dtstart = start
	r, err := rrule.NewRRule(*opt)
	require.NoError(t, err)
	from, to, until := day(s.ValidFrom), day(s.ValidTo), day(s.Until)
	var out []time.Time
	next := r.Iterator()
	for {
		o, ok := next()
		if !ok || o.After(horizon) || !to.IsZero() && !o.Before(to.AddDate(0, 0, 1)) || !until.IsZero() && !o.Before(until.AddDate(0, 0, 1)) {
			return out
		}
		if from.IsZero() || !o.Before(from) {
			out = append(out, o)
		}
	}
}
