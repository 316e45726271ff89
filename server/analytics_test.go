package server_test

import (
	"context"
	"encoding/csv"
	"flag"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/server"
)

var updateScreenshot = flag.Bool("screenshot", false, "save the screenshots of the analytics page, GraphiQL and the finder to docs/analytics.png, docs/graphiql.png and docs/images/finder-*.png")

// analyticsEnv is the demo network with the analytics demo data.
func analyticsEnv(t *testing.T, opts ...apitest.Option) (*apitest.Env, authz.Principal) {
	t.Helper()
	env := apitest.New(t, opts...)
	require.NoError(t, seed.LoadAnalyticsDemo(context.Background(), env.Store, 1))
	org, err := env.Store.OrganisationGetBySlug(context.Background(), "malmo-universitet")
	require.NoError(t, err)
	return env, authz.Principal{Subject: "analyst@malmo-universitet", OrganisationID: org.ID, Roles: []authz.Role{authz.RoleAnalyst}}
}

// TestAnalyticsExportSharesTheService checks that the CSV export asks package statistics, as
// the GraphQL resolvers do, and never goes through another transport.
func TestAnalyticsExportSharesTheService(t *testing.T) {
	t.Parallel()
	f, err := parser.ParseFile(token.NewFileSet(), "analytics.go", nil, parser.ImportsOnly)
	require.NoError(t, err)
	var imports []string
	for _, spec := range f.Imports {
		imports = append(imports, strings.Trim(spec.Path.Value, `"`))
	}
	const module = "github.com/partnerskap-skane/partnernet"
	require.Contains(t, imports, module+"/statistics")
	for _, transport := range []string{"resolvers", "graph", "graph/model"} {
		require.NotContains(t, imports, module+"/"+transport)
	}
}

func TestAnalyticsCSV(t *testing.T) {
	t.Parallel()
	env, analyst := analyticsEnv(t)
	token := env.Token(t, analyst)
	get := func(path, token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		return rec
	}
	rec := get("/analytics/enrolments.csv?dimensions=MONTH,GENDER&from=2026-06&filter=GENDER:FEMALE,MALE", token)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "text/csv; charset=utf-8", rec.Header().Get("Content-Type"))
	rows, err := csv.NewReader(rec.Body).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"month", "gender", "count", "suppressed"}, rows[0])
	require.Greater(t, len(rows), 1)

	// The same cells as the GraphQL query with the same arguments.
	resp := env.Do(t, analyst, `{ analytics(measure: ENROLMENTS, dimensions: [MONTH, GENDER],
	  filter: { from: "2026-06", values: [{ dimension: GENDER, values: ["FEMALE", "MALE"] }] }) { cells { values count suppressed } } }`, nil)
	require.Empty(t, resp.Errors)
	var got struct {
		Analytics struct {
			Cells []struct {
				Values     []string
				Count      *int
				Suppressed bool
			}
		}
	}
	resp.Decode(t, &got)
	require.Len(t, rows, len(got.Analytics.Cells)+1)
	for i, c := range got.Analytics.Cells {
		row := rows[i+1]
		require.Equal(t, c.Values, row[:2])
		require.GreaterOrEqual(t, row[0], "2026-06")
		if c.Suppressed {
			require.Equal(t, []string{"", "true"}, row[2:])
		} else {
			require.Equal(t, []string{strconv.Itoa(*c.Count), "false"}, row[2:])
		}
	}

	// The partner network's nodes and edges.
	rec = get("/analytics/network-nodes.csv?programme=NAD&from=2026-06", token)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rows, err = csv.NewReader(rec.Body).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"organisation", "name", "participation", "participation_suppressed", "degree", "betweenness", "pagerank"}, rows[0])
	require.Len(t, rows, 54, "every organisation")
	rec = get("/analytics/network-edges.csv", token)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rows, err = csv.NewReader(rec.Body).ReadAll()
	require.NoError(t, err)
	require.Equal(t, "source", rows[0][0])
	require.Greater(t, len(rows), 1)
	for _, row := range rows[1:] {
		require.Len(t, row, 8)
		require.Equal(t, row[3] == "", row[4] == "true", "a suppressed count is empty")
	}

	refusals := []struct {
		name, path, token string
		status            int
	}{
		{"anonymous", "/analytics/enrolments.csv?dimensions=MONTH", "", http.StatusUnauthorized},
		{"a coordinator", "/analytics/enrolments.csv?dimensions=MONTH", env.Token(t, authz.Principal{
			Subject: "coordinator@x", OrganisationID: analyst.OrganisationID, Roles: []authz.Role{authz.RoleCoordinator}}), http.StatusForbidden},
		{"an unknown measure", "/analytics/secrets.csv", token, http.StatusBadRequest},
		{"a dimension the measure lacks", "/analytics/advice_visits.csv?dimensions=GENDER", token, http.StatusBadRequest},
		{"a filter on a dimension not broken down by", "/analytics/enrolments.csv?dimensions=MONTH&filter=GENDER:FEMALE", token, http.StatusBadRequest},
		{"a malformed filter", "/analytics/enrolments.csv?dimensions=MONTH&filter=GENDER", token, http.StatusBadRequest},
		{"not a CSV file", "/analytics/enrolments.json", token, http.StatusNotFound},
		{"an unknown programme", "/analytics/network-nodes.csv?programme=NOPE", token, http.StatusBadRequest},
		{"a malformed period", "/analytics/network-edges.csv?from=June", token, http.StatusBadRequest},
		{"the network, anonymously", "/analytics/network-edges.csv", "", http.StatusUnauthorized},
	}
	for _, tt := range refusals {
		require.Equal(t, tt.status, get(tt.path, tt.token).Code, tt.name)
	}
}

// TestAnalyticsPageInChromium drives the analysts' page in headless Chromium against a server on
// loopback: the network's nodes and edges, the participation chart and the outcome charts (the
// cohorts' curves with their medians, work or studies at 12 and 24 months, change in well-being)
// render from the demo data, a click on a node highlights its cooperations, choosing another
// measure or grouping draws the curves again, and a screenshot is taken (saved to
// docs/analytics.png with -screenshot).
func TestAnalyticsPageInChromium(t *testing.T) {
	t.Parallel()
	// The analytics cache as `partnernet serve` keeps it: the page's requests share the facts
	// and the protected cohort family, as they do in production.
	env, analyst := cohortEnv(t, func(c *server.Config) { c.AnalyticsCacheTTL = 5 * time.Minute })
	ts := httptest.NewServer(env.Handler)
	t.Cleanup(ts.Close)

	ctx := headlessChromium(t, 1400, 1000, 4*time.Minute)

	count := func(js string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
		require.NoError(t, err, js)
		return n
	}
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/analytics/#token="+env.Token(t, analyst)),
		chromedp.WaitVisible(`body[data-state="ready"], body[data-state="error"]`),
	))
	state, err := chromedp.Run(ctx, chromedp.AttributeValue("body", "data-state"))
	require.NoError(t, err)
	status, err := chromedp.Run(ctx, chromedp.Text("#status"))
	require.NoError(t, err)
	require.Equal(t, "ready", state.Value, status)
	require.Equal(t, 53, count(`document.querySelectorAll('#network circle.node').length`), "every organisation is drawn")
	require.Positive(t, count(`document.querySelectorAll('#network line.edge').length`), "cooperations are drawn")
	require.Positive(t, count(`[...document.querySelectorAll('#chart path.series')].filter(p => p.getAttribute('d')).length`),
		"participation over time is drawn")
	require.Positive(t, count(`document.querySelectorAll('#chart circle.point').length`))
	require.Equal(t, 0, count(`location.hash.length`), "the page drops the token from the address")
	curves := count(`document.querySelectorAll('#curves path.curve').length`)
	require.GreaterOrEqual(t, curves, 4, "the demo cohorts' curves are drawn")
	legend, err := chromedp.Run(ctx, chromedp.Text("#curves-legend"))
	require.NoError(t, err)
	require.Contains(t, legend, "median")
	require.Contains(t, legend, "-Q")
	require.Positive(t, count(`document.querySelectorAll('#standing rect.bar.work').length`), "work at 12 and 24 months is drawn")
	require.Positive(t, count(`document.querySelectorAll('#standing rect.bar.studies').length`))
	require.Positive(t, count(`document.querySelectorAll('#wellbeing rect.bar.improved').length`), "change in well-being is drawn")
	require.Zero(t, count(`[...document.querySelectorAll('#curves path.curve')].filter(p => !/^M[0-9.]+,[0-9.]+(H[0-9.]+V[0-9.]+)+$/.test(p.getAttribute('d'))).length`),
		"every curve is a step function")

	require.NoError(t, chromedp.Do(ctx, chromedp.Click(`#network circle.node[data-slug="im"]`)))
	details, err := chromedp.Run(ctx, chromedp.Text("#details"))
	require.NoError(t, err)
	require.Contains(t, details, "IM")
	require.Positive(t, count(`document.querySelectorAll('#network line.edge.active').length`),
		"a click highlights the organisation's cooperations")
	screenshot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.Greater(t, len(screenshot), 10_000)
	if *updateScreenshot {
		require.NoError(t, os.WriteFile("../docs/analytics.png", screenshot, 0o644))
	}

	// Narrowing to a programme draws the network and the chart again.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SetValue("#programme", "NAD"),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible(`body[data-state="ready"]`),
	))
	series := count(`document.querySelectorAll('#chart path.series').length`)
	require.Equal(t, 1, series, "one programme, one line")

	// Grouping by participation in NAD: two groups, participants and the others.
	require.NoError(t, chromedp.Do(ctx, chromedp.SetValue("#cohort-by", "NAD")))
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('cohort-by').dispatchEvent(new Event('change'))`))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.WaitVisible(`body[data-state="ready"]`),
		chromedp.WaitVisible(`#curves path.curve[data-group="PARTICIPANT"]`),
	))
	require.Equal(t, 2, count(`document.querySelectorAll('#curves path.curve').length`), "participants and the others")

	// A municipality's coordinator gets the page too: the network, and the outcomes of the
	// newcomers their municipality controls. (What a role may not read is left out of the page,
	// not turned into an error for all of it.)
	malmo, err := env.Store.OrganisationGetBySlug(context.Background(), "malmo")
	require.NoError(t, err)
	coordinator := authz.Principal{Subject: "coordinator@malmo", OrganisationID: malmo.ID, Roles: []authz.Role{authz.RoleCoordinator}}
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/analytics/#token="+env.Token(t, coordinator)),
		chromedp.WaitVisible(`body[data-state="ready"], body[data-state="error"]`),
	))
	state, err = chromedp.Run(ctx, chromedp.AttributeValue("body", "data-state"))
	require.NoError(t, err)
	status, err = chromedp.Run(ctx, chromedp.Text("#status"))
	require.NoError(t, err)
	require.Equal(t, "ready", state.Value, status)
	require.Equal(t, 53, count(`document.querySelectorAll('#network circle.node').length`), "the network is drawn")
	require.Positive(t, count(`document.querySelectorAll('#curves path.curve').length`), "their newcomers' curves are drawn")
}

// cohortEnv is the demo network with the analytics and cohort demo data.
func cohortEnv(t *testing.T, opts ...apitest.Option) (*apitest.Env, authz.Principal) {
	t.Helper()
	env, analyst := analyticsEnv(t, opts...)
	require.NoError(t, seed.LoadCohortDemo(context.Background(), env.Store, 1))
	return env, analyst
}

// TestCohortCSV checks the CSV export of the cohort measures: the same groups, cells and curves
// as the GraphQL query cohortAnalytics, a municipality's coordinator gets their municipality's
// groups only and is refused another's, and bad arguments are refused with the GraphQL codes'
// statuses.
func TestCohortCSV(t *testing.T) {
	t.Parallel()
	env, analyst := cohortEnv(t)
	get := func(path, token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		return rec
	}
	read := func(rec *httptest.ResponseRecorder) [][]string {
		t.Helper()
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Equal(t, "text/csv; charset=utf-8", rec.Header().Get("Content-Type"))
		rows, err := csv.NewReader(rec.Body).ReadAll()
		require.NoError(t, err)
		return rows
	}
	token := env.Token(t, analyst)

	var got struct {
		CohortAnalytics struct {
			Groups []struct {
				Values       []string
				Size         *int
				MedianMonths *int
				Cells        []struct {
					Value string
					Count *int
				}
				Curve []struct {
					Month   int
					Reached float64
				}
			}
		}
	}
	resp := env.Do(t, analyst, `{ cohortAnalytics(measure: SHK_START, groupBy: [COHORT], filter: { from: "2025-Q1" }) {
	  groups { values size medianMonths cells { value count } curve { month reached } } } }`, nil)
	require.Empty(t, resp.Errors)
	resp.Decode(t, &got)
	require.NotEmpty(t, got.CohortAnalytics.Groups)

	rows := read(get("/analytics/cohorts/shk_start.csv?groupBy=COHORT&from=2025-Q1", token))
	require.Equal(t, []string{"cohort", "group_size", "group_suppressed", "estimated", "value", "count", "suppressed", "share"}, rows[0])
	i := 1
	for _, g := range got.CohortAnalytics.Groups {
		for _, c := range g.Cells {
			row := rows[i]
			i++
			require.Equal(t, g.Values[0], row[0])
			require.GreaterOrEqual(t, row[0], "2025-Q1")
			require.Equal(t, c.Value, row[4])
			if c.Count == nil {
				require.Equal(t, []string{"", "true"}, row[5:7])
			} else {
				require.Equal(t, []string{strconv.Itoa(*c.Count), "false"}, row[5:7])
			}
		}
	}
	require.Len(t, rows, i)

	rows = read(get("/analytics/cohorts/shk_start-curve.csv?groupBy=COHORT&from=2025-Q1", token))
	require.Equal(t, []string{"cohort", "month", "reached", "median_months"}, rows[0])
	i, points := 1, 0
	for _, g := range got.CohortAnalytics.Groups {
		for _, p := range g.Curve {
			row := rows[i]
			i++
			points++
			require.Equal(t, []string{g.Values[0], strconv.Itoa(p.Month), strconv.FormatFloat(p.Reached, 'f', 4, 64)}, row[:3])
			if g.MedianMonths != nil {
				require.Equal(t, strconv.Itoa(*g.MedianMonths), row[3])
			}
		}
	}
	require.Len(t, rows, i)
	require.Positive(t, points, "the demo cohorts have curves")

	// Malmö's coordinator: Malmö's groups only; Lund's refused.
	malmo, err := env.Store.OrganisationGetBySlug(context.Background(), "malmo")
	require.NoError(t, err)
	coordinator := env.Token(t, authz.Principal{Subject: "coordinator@malmo", OrganisationID: malmo.ID, Roles: []authz.Role{authz.RoleCoordinator}})
	rows = read(get("/analytics/cohorts/at_12_months.csv?groupBy=COHORT", coordinator))
	require.Equal(t, []string{"municipality", "cohort"}, rows[0][:2])
	require.Greater(t, len(rows), 1)
	for _, row := range rows[1:] {
		require.Equal(t, "1280", row[0])
	}

	refusals := []struct {
		name, path, token string
		status            int
	}{
		{"anonymous", "/analytics/cohorts/shk_start.csv", "", http.StatusUnauthorized},
		{"Lund's, by Malmö's coordinator", "/analytics/cohorts/shk_start.csv?groupBy=MUNICIPALITY&municipality=1281", coordinator, http.StatusForbidden},
		{"an unknown measure", "/analytics/cohorts/secrets.csv", token, http.StatusBadRequest},
		{"an unknown grouping", "/analytics/cohorts/shk_start.csv?groupBy=GENDER", token, http.StatusBadRequest},
		{"three groupings", "/analytics/cohorts/shk_start.csv?groupBy=MUNICIPALITY,COHORT,PARTICIPATION&programme=NAD", token, http.StatusBadRequest},
		{"a malformed cohort", "/analytics/cohorts/shk_start.csv?groupBy=COHORT&from=2025-05", token, http.StatusBadRequest},
		{"not a CSV file", "/analytics/cohorts/shk_start.json", token, http.StatusNotFound},
	}
	for _, tt := range refusals {
		require.Equal(t, tt.status, get(tt.path, tt.token).Code, tt.name)
	}
}
