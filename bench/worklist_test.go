package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/seed"
)

// worklistDataDir names the folder of the cluster the worklist benchmark loads 150,000
// newcomers into (and reuses on later runs); the benchmark is skipped without it.
const worklistDataDir = "PARTNERNET_WORKLIST_BENCH_DIR"

// worklistSearches are names a case worker types: transliterations, typos, missing accents,
// lower case; a first name alone matches thousands of the data set's newcomers.
var worklistSearches = []string{"muhamad", "Ahmed", "fatma testson", "Leila Provner", "yousef", "Hodan Fiktif", "omer", "shireen"}

// BenchmarkWorklistNameSearch measures a Malmö coordinator's name search (newcomers with
// filter.search, first 20, ordered by likeness, with totalCount) through the server's HTTP
// handler on loopback, over 150,000 newcomers, and reports the latency's p50 and p99:
//
//	PARTNERNET_WORKLIST_BENCH_DIR=/tmp/wl go test ./bench -run '^$' -bench WorklistNameSearch -benchtime 400x
func BenchmarkWorklistNameSearch(b *testing.B) {
	ctx := context.Background()
	web, key := loopbackServer(b, worklistDataDir, seed.Options{Newcomers: 150_000, Seed: 8})
	token, err := authn.Mint(key, authn.DefaultIssuer, authn.DefaultAudience,
		authn.Claims{Subject: "coordinator@malmo", Organisation: "malmo", Roles: []string{"coordinator"}, TTL: 24 * time.Hour})
	require.NoError(b, err)

	search := func(name string) int {
		body, err := json.Marshal(map[string]any{
			"query": `query($s: String!) { newcomers(first: 20, filter: {search: $s}) {
				totalCount edges { node { id identity { displayName } } } } }`,
			"variables": map[string]any{"s": name}})
		require.NoError(b, err)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, web.URL+"/graphql", bytes.NewReader(body))
		require.NoError(b, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Partnernet-Purpose", "ESTABLISHMENT_COORDINATION")
		resp, err := web.Client().Do(req)
		require.NoError(b, err)
		defer resp.Body.Close()
		var out struct {
			Data struct {
				Newcomers struct {
					TotalCount int `json:"totalCount"`
				} `json:"newcomers"`
			} `json:"data"`
			Errors []any `json:"errors"`
		}
		require.NoError(b, json.NewDecoder(resp.Body).Decode(&out))
		require.Empty(b, out.Errors)
		return out.Data.Newcomers.TotalCount
	}
	for _, s := range worklistSearches { // warm the caches, and check that each finds someone
		require.Positive(b, search(s), "nobody found for %q", s)
	}
	reportLatency(b, func(i int) {
		search(worklistSearches[i%len(worklistSearches)])
	})
}
