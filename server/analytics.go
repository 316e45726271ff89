package server

import (
	"embed"
	"encoding/csv"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/statistics"
)

// analyticsCSV answers GET /analytics/{measure}.csv: the aggregate the GraphQL query analytics
// returns for the same arguments (both ask package statistics), as CSV. Query parameters: dimensions (comma-separated or
// repeated), from and until (YYYY-MM), and filter (repeatable, DIMENSION:value1,value2). The
// columns are the dimensions, then count (empty when suppressed) and suppressed.
func (s *Server) analyticsCSV(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".csv")
	if !ok {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if name == "network-nodes" || name == "network-edges" {
		s.networkCSV(w, r, name)
		return
	}
	var dims []string
	for _, v := range q["dimensions"] {
		for _, d := range strings.Split(v, ",") {
			if d = strings.TrimSpace(d); d != "" {
				dims = append(dims, strings.ToUpper(d))
			}
		}
	}
	f := statistics.AggregateFilter{From: q.Get("from"), Until: q.Get("until")}
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
	t, err := s.statistics.Aggregate(r.Context(), statistics.AggregateRequest{Measure: strings.ToUpper(name), Dimensions: dims, Filter: f})
	if err != nil {
		s.csvError(w, r, err)
		return
	}
	cw := csvWriter(w, strings.ToLower(name))
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

// cohortCSV answers GET /analytics/cohorts/{measure}.csv and
// /analytics/cohorts/{measure}-curve.csv: the cohort measure the GraphQL query cohortAnalytics
// returns for the same arguments (both ask package statistics). Query parameters: groupBy
// (comma-separated or repeated: MUNICIPALITY, COHORT, PARTICIPATION), programme, from and until
// (YYYY-Qn), municipality (repeatable codes). The cells file has a row per cell of each group: the
// groupings' values, the group's size, suppressed and estimated, then value, count (empty when
// suppressed), suppressed and share. The curve file has a row per point: the groupings' values,
// month, reached, and the group's median in months (empty when not reached).
func (s *Server) cohortCSV(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".csv")
	if !ok {
		http.NotFound(w, r)
		return
	}
	measure, curve := strings.CutSuffix(name, "-curve")
	q := r.URL.Query()
	req := statistics.CohortRequest{Outcome: strings.ToUpper(measure), Programme: strings.ToUpper(q.Get("programme")),
		Filter: statistics.CohortFilter{From: q.Get("from"), Until: q.Get("until"), Municipalities: q["municipality"]}}
	for _, v := range q["groupBy"] {
		for _, g := range strings.Split(v, ",") {
			if g = strings.TrimSpace(g); g != "" {
				req.GroupBy = append(req.GroupBy, strings.ToUpper(g))
			}
		}
	}
	t, err := s.statistics.Cohort(r.Context(), req)
	if err != nil {
		s.csvError(w, r, err)
		return
	}
	count := func(v *int) string {
		if v == nil {
			return ""
		}
		return strconv.Itoa(*v)
	}
	cw := csvWriter(w, strings.ToLower(name))
	header := make([]string, 0, len(t.GroupBy)+7)
	for _, g := range t.GroupBy {
		header = append(header, strings.ToLower(g))
	}
	if curve {
		_ = cw.Write(append(header, "month", "reached", "median_months"))
	} else {
		_ = cw.Write(append(header, "group_size", "group_suppressed", "estimated", "value", "count", "suppressed", "share"))
	}
	for _, g := range t.Groups {
		key := slices.Clone(g.Key)
		if curve {
			for _, p := range g.Curve {
				_ = cw.Write(append(slices.Clone(key), strconv.Itoa(p.Month), strconv.FormatFloat(p.Reached, 'f', 4, 64), count(g.Median)))
			}
			continue
		}
		for _, c := range g.Cells {
			share := ""
			if c.Share != nil {
				share = strconv.FormatFloat(*c.Share, 'f', 4, 64)
			}
			_ = cw.Write(append(slices.Clone(key), count(g.Size), strconv.FormatBool(g.Suppressed), strconv.FormatBool(g.Estimated),
				c.Value, count(c.Count), strconv.FormatBool(c.Suppressed), share))
		}
	}
	cw.Flush()
}

// csvWriter starts a CSV download named name.csv.
func csvWriter(w http.ResponseWriter, name string) *csv.Writer {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	return csv.NewWriter(w)
}

// networkCSV answers GET /analytics/network-nodes.csv and /analytics/network-edges.csv: the
// nodes or edges of the partnerNetwork query for the query parameters programme, from and until.
// Suppressed counts are empty, with their suppressed column true.
func (s *Server) networkCSV(w http.ResponseWriter, r *http.Request, name string) {
	q := r.URL.Query()
	n, err := s.statistics.Network(r.Context(), analytics.NetworkFilter{Programme: q.Get("programme"), From: q.Get("from"), Until: q.Get("until")})
	if err != nil {
		s.csvError(w, r, err)
		return
	}
	count := func(v *int) string {
		if v == nil {
			return ""
		}
		return strconv.Itoa(*v)
	}
	float := func(f float64) string { return strconv.FormatFloat(f, 'g', 8, 64) }
	cw := csvWriter(w, name)
	if name == "network-nodes" {
		_ = cw.Write([]string{"organisation", "name", "participation", "participation_suppressed", "degree", "betweenness", "pagerank"})
		for _, node := range n.Nodes {
			_ = cw.Write([]string{node.Slug, node.Name, count(node.Participation.Value),
				strconv.FormatBool(node.Participation.Suppressed), strconv.Itoa(node.Degree), float(node.Betweenness), float(node.PageRank)})
		}
	} else {
		_ = cw.Write([]string{"source", "target", "co_organised_activities", "referrals", "referrals_suppressed",
			"shared_participants", "shared_participants_suppressed", "weight"})
		for _, e := range n.Edges {
			_ = cw.Write([]string{e.A, e.B, strconv.Itoa(e.CoOrganisedActivities), count(e.Referrals.Value),
				strconv.FormatBool(e.Referrals.Suppressed), count(e.SharedParticipants.Value),
				strconv.FormatBool(e.SharedParticipants.Suppressed), float(e.Weight)})
		}
	}
	cw.Flush()
}

// csvError answers a refused CSV export with the status of its code and the GraphQL error
// shape.
func (s *Server) csvError(w http.ResponseWriter, r *http.Request, err error) {
	s.writeFailure(w, r, "analytics export", err)
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
	files := embeddedFolder(webFiles, "web", "/analytics/assets/")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", analyticsCSP)
		files.ServeHTTP(w, r)
	})
}

// embeddedFolder serves the files of the embedded folder dir at the paths below prefix.
func embeddedFolder(files embed.FS, dir, prefix string) http.Handler {
	sub, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the embedded folder exists at compile time
	}
	return http.StripPrefix(prefix, http.FileServerFS(sub))
}
