package server

import (
	"embed"
	"encoding/csv"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/resolvers"
)

// resolver returns the root of the resolvers, over the server's dependencies.
func (s *Server) resolver() *resolvers.Resolver {
	return &resolvers.Resolver{
		Store: s.store, Authz: s.authz, Live: s.live, Log: s.cfg.Logger,
		SuppressionThreshold: s.cfg.SuppressionThreshold,
	}
}

// analyticsCSV answers GET /analytics/{measure}.csv: the aggregate the GraphQL query analytics
// returns for the same arguments, as CSV. Query parameters: dimensions (comma-separated or
// repeated), from and until (YYYY-MM), and filter (repeatable, DIMENSION:value1,value2). The
// columns are the dimensions, then count (empty when suppressed) and suppressed.
func (s *Server) analyticsCSV(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".csv")
	if !ok {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	var dims []string
	for _, v := range q["dimensions"] {
		for _, d := range strings.Split(v, ",") {
			if d = strings.TrimSpace(d); d != "" {
				dims = append(dims, strings.ToUpper(d))
			}
		}
	}
	f := resolvers.AggregateFilter{From: q.Get("from"), Until: q.Get("until")}
	for _, v := range q["filter"] {
		dim, values, ok := strings.Cut(v, ":")
		if !ok {
			s.csvError(w, r, partnernet.InputError("filter", "a filter is DIMENSION:value1,value2"))
			return
		}
		if f.Values == nil {
			f.Values = map[string][]string{}
		}
		dim = strings.ToUpper(dim)
		f.Values[dim] = append(f.Values[dim], strings.Split(values, ",")...)
	}
	t, err := s.resolver().Aggregate(r.Context(), strings.ToUpper(name), dims, f)
	if err != nil {
		s.csvError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ToLower(name)+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	header := make([]string, 0, len(t.Dimensions)+2)
	for _, d := range t.Dimensions {
		header = append(header, strings.ToLower(d))
	}
	_ = cw.Write(append(header, "count", "suppressed"))
	for _, c := range t.Cells {
		count := ""
		if c.Count != nil {
			count = strconv.Itoa(*c.Count)
		}
		_ = cw.Write(append(append([]string{}, c.Key...), count, strconv.FormatBool(c.Suppressed)))
	}
	cw.Flush()
}

// csvError answers a refused CSV export with the status of its code and the GraphQL error
// shape.
func (s *Server) csvError(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch partnernet.ErrorCode(err) {
	case partnernet.CodeBadUserInput:
		status = http.StatusBadRequest
	case partnernet.CodeUnauthenticated:
		status = http.StatusUnauthorized
	case partnernet.CodeForbidden:
		status = http.StatusForbidden
	case partnernet.CodeUnavailable:
		status = http.StatusServiceUnavailable
	default:
		s.log.ErrorContext(r.Context(), "analytics export failed", "err", err, "request_id", RequestID(r.Context()))
	}
	writeError(w, r, status, err)
}

//go:embed web
var webFiles embed.FS

// analyticsCSP lets the analytics page run its own script and style and call the API of its
// own origin, and nothing else.
const analyticsCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// analyticsPage serves the analysts' page, from the embedded web/index.html.
func analyticsPage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, err := webFiles.ReadFile("web/index.html")
		if err != nil {
			http.Error(w, "page missing", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Security-Policy", analyticsCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
}

// analyticsAssets serves the page's script and style from the embedded web/ folder.
func analyticsAssets() http.Handler {
	sub, err := fs.Sub(webFiles, "web")
	if err != nil {
		panic(err) // the embedded folder exists at compile time
	}
	files := http.StripPrefix("/analytics/assets/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", analyticsCSP)
		files.ServeHTTP(w, r)
	})
}
