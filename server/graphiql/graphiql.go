// Package graphiql serves GraphiQL, the in-browser GraphQL IDE of partnernet's dev mode, from
// the binary itself: no CDN, so it loads on a network that reaches nothing but the server.
//
// The page is built from pinned npm packages (package.json, package-lock.json: graphiql, React,
// graphql-ws) by build.mjs into dist/, which is committed and embedded here, so that a fresh
// machine with only Go runs it. graphiql_test.go rebuilds it and fails when dist/ is stale.
// dist/LICENSES.txt carries the licences of the bundled packages.
//
// The header editor starts with Authorization and Partnernet-Purpose placeholders; a header still
// holding its <placeholder> is not sent. GraphiQL keeps its tabs, headers and history in memory
// only, so no token is left in localStorage or sessionStorage.
package graphiql

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed dist
var dist embed.FS

// AssetsPath is where the page's script, style, web workers and LICENSES.txt are served.
const AssetsPath = "/graphiql/"

// ContentSecurityPolicy is the page's policy: its scripts, web workers and requests from and to
// the server's own origin only, no eval. Styles may be inline, because Monaco, GraphiQL's editor,
// writes style elements and style attributes at run time; with images, fonts and requests
// limited to the own origin (or data: URLs), an injected style has nowhere to send anything.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; worker-src 'self'; " +
	"style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// Page serves the GraphiQL page.
func Page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		page, err := dist.ReadFile("dist/index.html")
		if err != nil {
			http.Error(w, "page missing", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
}

// Assets serves the page's files under [AssetsPath].
func Assets() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embedded folder exists at compile time
	}
	files := http.StripPrefix(AssetsPath, http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		files.ServeHTTP(w, r)
	})
}
