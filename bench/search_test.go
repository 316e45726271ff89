package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/seed"
)

// searchDataDir names the folder of the cluster the activity search benchmark loads 30,000
// activities (each in eight languages) into, and reuses on later runs; the benchmark is skipped
// without it.
const searchDataDir = "PARTNERNET_SEARCH_BENCH_DIR"

// textSearches are what a newcomer types in the finder, each in their language (the reader's
// language, sent as Accept-Language): words of titles and descriptions, without accents, and a
// typo that only the trigram fallback finds.
var textSearches = []struct{ lang, text string }{
	{"ar", "مقهى اللغة"}, {"sv", "Språkcafe"}, {"fa-AF", "فوتبال"}, {"uk", "Мовне кафе"},
	{"ti", "ኩዕሶ እግሪ"}, {"so", "Kooxda socodka"}, {"en", "homework help"}, {"sv", "Sprakkafé"},
}

// BenchmarkActivityTextSearch measures a newcomer's text search of activities (anonymous,
// first 20 by relevance, with totalCount, titles in their language) through the server's HTTP
// handler on loopback, over 30,000 activities with texts in eight languages, and reports the
// latency's p50 and p99:
//
//	PARTNERNET_SEARCH_BENCH_DIR=/tmp/sb go test ./bench -run '^$' -bench ActivityTextSearch -benchtime 400x
func BenchmarkActivityTextSearch(b *testing.B) {
	ctx := context.Background()
	web, _ := loopbackServer(b, searchDataDir, seed.Options{Activities: 30_000, Seed: 8})

	search := func(lang, text string) int {
		body, err := json.Marshal(map[string]any{
			"query": `query($s: String!) { activities(first: 20, filter: {text: $s}) {
				totalCount edges { node { id title } } } }`,
			"variables": map[string]any{"s": text}})
		require.NoError(b, err)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, web.URL+"/graphql", bytes.NewReader(body))
		require.NoError(b, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept-Language", lang)
		resp, err := web.Client().Do(req)
		require.NoError(b, err)
		defer resp.Body.Close()
		var out struct {
			Data struct {
				Activities struct {
					TotalCount int `json:"totalCount"`
				} `json:"activities"`
			} `json:"data"`
			Errors []any `json:"errors"`
		}
		require.NoError(b, json.NewDecoder(resp.Body).Decode(&out))
		require.Empty(b, out.Errors)
		return out.Data.Activities.TotalCount
	}
	for _, s := range textSearches { // warm the caches, and check that each finds activities
		require.Positive(b, search(s.lang, s.text), "nothing found for %q", s.text)
	}
	reportLatency(b, func(i int) {
		s := textSearches[i%len(textSearches)]
		search(s.lang, s.text)
	})
}
