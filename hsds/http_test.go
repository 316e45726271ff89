package hsds_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/hsds"
	"github.com/partnerskap-skane/partnernet/server"
	"github.com/partnerskap-skane/partnernet/store"
)

// TestConditionalRequests checks ETag and Last-Modified: a client whose copy is current gets
// 304 without a body, by either validator; a change to the activity gives a new ETag and a
// later Last-Modified, and the old copy is answered in full again. Public answers may be cached.
func TestConditionalRequests(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	public, _ := publicActivities(t, env)
	var a partnernet.Activity
	for _, x := range public {
		if x.Status == partnernet.ActivityPublished {
			a = x
			break
		}
	}
	for _, path := range []string{"/hsds/services/" + hsds.ID("service", a.ID), "/hsds/services?per_page=200"} {
		first := get(t, env, path)
		require.Equal(t, http.StatusOK, first.status)
		etag, modified := first.header.Get("ETag"), first.header.Get("Last-Modified")
		require.NotEmpty(t, etag)
		require.NotEmpty(t, modified)
		require.Equal(t, hsds.CacheControl, first.header.Get("Cache-Control"))
		require.Contains(t, first.header.Values("Vary"), "Accept-Language")
		require.Equal(t, "application/json; charset=utf-8", first.header.Get("Content-Type"))

		same := get(t, env, path, "If-None-Match", etag)
		require.Equal(t, http.StatusNotModified, same.status, path)
		require.Empty(t, same.body)
		require.Equal(t, etag, same.header.Get("ETag"))
		require.Equal(t, http.StatusNotModified, get(t, env, path, "If-None-Match", `"other", `+etag).status)
		require.Equal(t, http.StatusNotModified, get(t, env, path, "If-Modified-Since", modified).status)
		require.Equal(t, http.StatusOK, get(t, env, path, "If-None-Match", `"other"`).status)
		require.Equal(t, http.StatusOK, get(t, env, path, "If-None-Match", `"other"`, "If-Modified-Since", modified).status,
			"If-None-Match decides when both are given")
		require.Equal(t, http.StatusOK, get(t, env, path+langSuffix(path), "If-None-Match", etag).status,
			"another language is another representation")
	}

	// The organiser changes the activity: the copies are stale.
	before := get(t, env, "/hsds/services/"+hsds.ID("service", a.ID))
	time.Sleep(1100 * time.Millisecond) // Last-Modified counts whole seconds
	require.NoError(t, env.Store.InTx(ctx, func(tx *store.Store) error {
		cur, err := tx.ActivityLock(ctx, a.ID)
		if err != nil {
			return err
		}
		cur.ApplicationProcess = "Anmäl dig på plats."
		_, err = tx.ActivityUpdate(ctx, cur, nil)
		return err
	}))
	after := get(t, env, "/hsds/services/"+hsds.ID("service", a.ID), "If-None-Match", before.header.Get("ETag"))
	require.Equal(t, http.StatusOK, after.status)
	require.NotEqual(t, before.header.Get("ETag"), after.header.Get("ETag"))
	require.Contains(t, string(after.body), "Anmäl dig på plats.")
	require.Equal(t, http.StatusOK, get(t, env, "/hsds/services/"+hsds.ID("service", a.ID),
		"If-Modified-Since", before.header.Get("Last-Modified")).status)
}

// langSuffix asks for the other language than the default.
func langSuffix(path string) string {
	if strings.Contains(path, "?") {
		return "&lang=en"
	}
	return "?lang=en"
}

// TestCORSRateLimitsAndMetrics checks that /hsds/ answers browsers of the configured origins
// (and no others), with the validators readable, under the same rate limits as /graphql, and is
// counted in the metrics under its own route.
func TestCORSRateLimitsAndMetrics(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, func(c *server.Config) {
		c.CORSOrigins = []string{"https://katalog.example.org"}
		c.RateLimit = server.RateLimit{PerIP: 0.001, IPBurst: 5}
	})
	req := httptest.NewRequest(http.MethodOptions, "/hsds/services", nil)
	req.Header.Set("Origin", "https://katalog.example.org")
	req.Header.Set("Access-Control-Request-Method", http.MethodGet)
	req.Header.Set("Access-Control-Request-Headers", "if-none-match")
	pre := send(env, req)
	require.Equal(t, "https://katalog.example.org", pre.header.Get("Access-Control-Allow-Origin"))
	require.Contains(t, strings.ToLower(pre.header.Get("Access-Control-Allow-Headers")), "if-none-match")

	ok := get(t, env, "/hsds/taxonomies", "Origin", "https://katalog.example.org")
	require.Equal(t, http.StatusOK, ok.status)
	require.Equal(t, "https://katalog.example.org", ok.header.Get("Access-Control-Allow-Origin"))
	require.Contains(t, ok.header.Get("Access-Control-Expose-Headers"), "Etag")
	other := get(t, env, "/hsds/taxonomies", "Origin", "https://evil.example")
	require.Empty(t, other.header.Get("Access-Control-Allow-Origin"))

	limited := false
	for range 10 {
		r := get(t, env, "/hsds/taxonomy_terms")
		if r.status == http.StatusTooManyRequests {
			limited = true
			require.Contains(t, string(r.body), `"code":"RATE_LIMITED"`)
			require.NotEmpty(t, r.header.Get("Retry-After"))
			break
		}
	}
	require.True(t, limited, "the address's burst is spent across /hsds/ like /graphql")
}

// TestMetricsCountTheRoute checks that /hsds/ requests are counted under their own route.
func TestMetricsCountTheRoute(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	require.Equal(t, http.StatusOK, get(t, env, "/hsds/taxonomies").status)
	require.Equal(t, http.StatusNotFound, get(t, env, "/hsds/services/"+hsds.ID("service", 0)).status)
	m := get(t, env, "/metrics")
	require.Contains(t, string(m.body), `partnernet_http_requests_total{method="GET",route="/hsds",status="200"}`)
	require.Contains(t, string(m.body), `partnernet_http_requests_total{method="GET",route="/hsds",status="404"}`)
	require.Contains(t, string(m.body), `partnernet_errors_total{code="NOT_FOUND"}`)
}

// TestSchemasRefuseWhatHSDSRefuses guards the guard: the compiled schemas the endpoint tests
// validate with do refuse answers HSDS does not allow.
func TestSchemasRefuseWhatHSDSRefuses(t *testing.T) {
	t.Parallel()
	service := schemaAt(t, specBase+"compiled/service.json")
	list := responseSchema(t, "/services")
	valid := `{"id":"` + hsds.ID("service", 1) + `","name":"Språkcafé","status":"active"}`
	tests := []struct {
		name   string
		schema *jsonschema.Schema
		doc    string
		ok     bool
	}{
		{"a minimal service", service, valid, true},
		{"no name", service, `{"id":"` + hsds.ID("service", 1) + `","status":"active"}`, false},
		{"an unknown status", service, `{"id":"` + hsds.ID("service", 1) + `","name":"x","status":"open"}`, false},
		{"an id that is no UUID", service, `{"id":"42","name":"x","status":"active"}`, false},
		{"a schedule's freq HSDS lacks", service, `{"id":"` + hsds.ID("service", 1) + `","name":"x","status":"active",
			"schedules":[{"id":"` + hsds.ID("schedule", 1, 0) + `","freq":"DAILY"}]}`, false},
		{"an address without its city", service, `{"id":"` + hsds.ID("service", 1) + `","name":"x","status":"active",
			"service_at_locations":[{"id":"` + hsds.ID("service_at_location", 1) + `","location":{"id":"` + hsds.ID("location", 1) +
			`","location_type":"physical","addresses":[{"id":"` + hsds.ID("address", 1) + `","address_1":"Storgatan 1",
			"state_province":"Skåne län","postal_code":"","country":"SE","address_type":"physical"}]}}]}`, false},
		{"a page", list, `{"total_items":1,"total_pages":1,"page_number":1,"size":1,"first_page":true,"last_page":true,"empty":false,"contents":[` + valid + `]}`, true},
		{"a page with a bad count", list, `{"total_items":"one","contents":[]}`, false},
		{"a page with a bad service", list, `{"total_items":1,"contents":[{"id":"x"}]}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(tt.doc)))
			require.NoError(t, err)
			err = tt.schema.Validate(doc)
			if tt.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
		})
	}
}
