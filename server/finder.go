package server

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"golang.org/x/text/language"
)

// The newcomers' activity finder (docs/finder.md): a page in plain HTML, CSS and JavaScript,
// embedded from finder/, that reads the public GraphQL API by persisted GET requests only. Its
// documents are the manifest finder/persisted-documents.json, which the server always knows,
// in trusted-documents mode too.

//go:embed finder
var finderFiles embed.FS

// FinderManifest is the path, inside the embedded finder/ folder, of the manifest of the
// finder's persisted documents (each document's hex SHA-256 to its text).
const FinderManifest = "finder/persisted-documents.json"

// finderCSP lets the finder run its own scripts and styles and call the API of its own origin,
// and nothing else: no third party is ever asked for anything.
const finderCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// finderLanguages are the finder's languages, by the BCP 47 tag its URLs use, each with the
// direction its script is written in; the first is the default. The page's own list is
// finder/messages.js (docs/finder.md: adding a language).
var finderLanguages = []struct{ tag, dir string }{
	{"sv", "ltr"}, {"en", "ltr"}, {"ar", "rtl"}, {"fa-AF", "rtl"}, {"fa", "rtl"}, {"so", "ltr"}, {"ti", "ltr"}, {"uk", "ltr"},
}

// finderMatcher picks a finder language for an Accept-Language header, in finderLanguages' order.
var finderMatcher = func() language.Matcher {
	tags := make([]language.Tag, len(finderLanguages))
	for i, l := range finderLanguages {
		tags[i] = language.MustParse(l.tag)
	}
	return language.NewMatcher(tags)
}()

// finderPage is the page's HTML, with its language and direction filled in.
var finderPage = template.Must(template.ParseFS(finderFiles, "finder/index.html"))

// finderLanguage returns the index in finderLanguages of tag (case-insensitive), and whether it
// is one of them.
func finderLanguage(tag string) (int, bool) {
	for i, l := range finderLanguages {
		if strings.EqualFold(l.tag, tag) {
			return i, true
		}
	}
	return 0, false
}

// finderPageHandler serves the finder's page: at /finder/{lang} in that language (404 for
// another), at /finder/ in the language the browser's Accept-Language prefers among the
// finder's, Swedish when none. The page then reads its filters and the open activity from the
// query string.
func finderPageHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		ok := true
		if tag := r.PathValue("lang"); tag != "" {
			i, ok = finderLanguage(tag)
		} else {
			prefs, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
			_, i, _ = finderMatcher.Match(prefs...)
			w.Header().Set("Vary", "Accept-Language")
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		var page bytes.Buffer
		l := finderLanguages[i]
		if err := finderPage.Execute(&page, map[string]string{"Lang": l.tag, "Dir": l.dir}); err != nil {
			http.Error(w, "page missing", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Security-Policy", finderCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(page.Bytes())
	})
}

// finderSlash answers /finder/{lang}/ with a permanent redirect to /finder/{lang} (and its
// query), and anything deeper with 404.
func finderSlash() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, ok := finderLanguage(r.PathValue("lang"))
		if !ok || r.PathValue("rest") != "" {
			http.NotFound(w, r)
			return
		}
		target := "/finder/" + finderLanguages[i].tag
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	})
}

// finderAssets serves the finder's scripts, style and manifest from the embedded finder/ folder.
func finderAssets() http.Handler {
	files := embeddedFolder(finderFiles, "finder", "/finder/assets/")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/finder/assets/index.html" {
			http.NotFound(w, r) // the page is served, filled in, at /finder/
			return
		}
		w.Header().Set("Content-Security-Policy", finderCSP)
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// FinderDocuments returns the finder's persisted documents, keyed by the hex SHA-256 of their
// text. It fails when the embedded manifest is not one (a build that would fail its tests).
func FinderDocuments() (map[string]string, error) {
	raw, err := finderFiles.ReadFile(FinderManifest)
	if err != nil {
		return nil, fmt.Errorf("read the finder's documents: %w", err)
	}
	var docs map[string]string
	if err := json.Unmarshal(raw, &docs); err != nil {
		return nil, fmt.Errorf("parse the finder's documents: %w", err)
	}
	if _, err := NewTrustedDocuments(docs); err != nil {
		return nil, fmt.Errorf("the finder's documents: %w", err)
	}
	return docs, nil
}

// with returns an allowlist of t's documents and docs, whose keys are checked hashes.
func (t *TrustedDocuments) with(docs map[string]string) *TrustedDocuments {
	all := &TrustedDocuments{docs: maps.Clone(t.docs)}
	for hash, doc := range docs {
		all.docs[stripAlgorithm(hash)] = doc
	}
	return all
}

// persistedCache is the cache of automatic persisted queries with documents it always knows
// (the finder's): those are never evicted, so a client may send their hashes alone from its
// first request on.
type persistedCache struct {
	fixed map[string]string
	graphql.Cache[string]
}

// Get implements graphql.Cache.
func (c persistedCache) Get(ctx context.Context, hash string) (string, bool) {
	if doc, ok := c.fixed[hash]; ok {
		return doc, true
	}
	return c.Cache.Get(ctx, hash)
}
