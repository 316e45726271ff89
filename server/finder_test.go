package server_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/server"
)

var updateFinder = flag.Bool("update-finder", false,
	"write server/finder/persisted-documents.json from the documents of server/finder/queries.js")

// finderQueries reads the documents of the finder's queries.js: each `export const Name = `…`;`.
func finderQueries(t *testing.T) map[string]string {
	t.Helper()
	src, err := os.ReadFile("finder/queries.js")
	require.NoError(t, err)
	docs := map[string]string{}
	for _, m := range regexp.MustCompile("(?m)^export const (\\w+) = `([^`]*)`;").FindAllStringSubmatch(string(src), -1) {
		docs[m[1]] = m[2]
	}
	require.NotEmpty(t, docs)
	return docs
}

// TestFinderDocuments checks that every document of the finder's queries.js is in the manifest
// the server loads, under the SHA-256 of its text, and that the manifest holds nothing else.
// With -update-finder it writes the manifest instead.
func TestFinderDocuments(t *testing.T) {
	t.Parallel()
	want := map[string]string{}
	for name, doc := range finderQueries(t) {
		require.Regexp(t, `^query `+name+`\b`, doc, "a document is named as its constant")
		want[sha(doc)] = doc
	}
	if *updateFinder {
		raw, err := json.MarshalIndent(want, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(server.FinderManifest, append(raw, '\n'), 0o644))
		t.Log("wrote", server.FinderManifest, "; run the tests again to check it")
		return
	}
	got, err := server.FinderDocuments()
	require.NoError(t, err)
	require.Equal(t, want, got, "the manifest is stale: go test ./server/ -run TestFinderDocuments -update-finder")
}

// getPersisted sends an anonymous GET of the persisted document hash with variables, in lang.
func getPersisted(t *testing.T, env *apitest.Env, hash string, variables map[string]any, lang string) apitest.Response {
	t.Helper()
	vars, err := json.Marshal(variables)
	require.NoError(t, err)
	q := url.Values{"variables": {string(vars)},
		"extensions": {`{"persistedQuery":{"version":1,"sha256Hash":"` + hash + `"}}`}}
	req := httptest.NewRequest(http.MethodGet, "/graphql?"+q.Encode(), nil)
	req.Header.Set("Accept-Language", lang)
	return env.Send(t, authz.Principal{}, req)
}

// TestFinderDocumentsAnswer runs every request the finder makes, by hash alone as the page sends
// them, with every filter it offers: in the default mode (automatic persisted queries, with no
// registration first) and in trusted-documents mode with an allowlist that does not name them.
func TestFinderDocumentsAnswer(t *testing.T) {
	t.Parallel()
	other := `query Other { programmes { totalCount } }`
	allow, err := server.NewTrustedDocuments(map[string]string{sha(other): other})
	require.NoError(t, err)
	queries := finderQueries(t)
	modes := []struct {
		name string
		opt  apitest.Option
	}{
		{"automatic persisted queries", withConfig(func(c *server.Config) { c.PublicMaxAge = time.Minute })},
		{"trusted documents", withConfig(func(c *server.Config) { c.TrustedDocuments = allow; c.PublicMaxAge = time.Minute })},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			env := apitest.New(t, mode.opt)
			run := func(name string, variables map[string]any) json.RawMessage {
				t.Helper()
				resp := getPersisted(t, env, sha(queries[name]), variables, "ar")
				require.Equal(t, http.StatusOK, resp.Status)
				require.Empty(t, resp.Errors, "%s %v", name, variables)
				require.Equal(t, "public, max-age=60", resp.Header.Get("Cache-Control"), "public data, cacheable")
				require.Contains(t, resp.Header.Get("Vary"), "Accept-Language", "a cache keeps one answer per language")
				return resp.Data
			}
			var municipalities struct {
				Municipalities struct {
					Edges []struct{ Node struct{ Code, Name string } }
				}
			}
			require.NoError(t, json.Unmarshal(run("FinderMunicipalities", nil), &municipalities))
			require.Len(t, municipalities.Municipalities.Edges, 33)

			type page struct {
				Activities struct {
					TotalCount int
					PageInfo   struct {
						HasNextPage bool
						EndCursor   string
					}
					Edges []struct{ Node struct{ ID, Title string } }
				}
			}
			filters := []struct {
				name     string
				filter   map[string]any
				orderBy  map[string]any
				nonEmpty bool
			}{
				{name: "none", nonEmpty: true},
				{name: "municipality", filter: map[string]any{"municipalityCodes": []string{"1280"}}, nonEmpty: true},
				{name: "category", filter: map[string]any{"categories": []string{"SPORTS"}}, nonEmpty: true},
				{name: "language spoken", filter: map[string]any{"languages": []string{"ar"}}, nonEmpty: true},
				{name: "dates", filter: map[string]any{"occursFrom": time.Now().Format(time.RFC3339),
					"occursUntil": time.Now().AddDate(0, 3, 0).Format(time.RFC3339)}, nonEmpty: true},
				{name: "text", filter: map[string]any{"text": "Språkcafé"}, nonEmpty: true},
				{name: "near a place", filter: map[string]any{"near": map[string]any{"latitude": 55.605, "longitude": 13.0038, "radiusKm": 10}},
					orderBy: map[string]any{"field": "DISTANCE", "direction": "ASC"}, nonEmpty: true},
				{name: "all at once", filter: map[string]any{"municipalityCodes": []string{"1280"}, "categories": []string{"SPORTS"},
					"languages": []string{"ar"}, "text": "fotboll", "near": map[string]any{"latitude": 55.605, "longitude": 13.0038, "radiusKm": 2}},
					orderBy: map[string]any{"field": "DISTANCE", "direction": "ASC"}},
			}
			var first page
			for _, f := range filters {
				var p page
				require.NoError(t, json.Unmarshal(run("FinderActivities", map[string]any{"first": 20, "filter": f.filter, "orderBy": f.orderBy}), &p), f.name)
				if f.nonEmpty {
					require.NotEmpty(t, p.Activities.Edges, f.name)
				}
				if f.name == "none" {
					first = p
				}
			}
			require.True(t, first.Activities.PageInfo.HasNextPage, "the demo data has more than a page")
			var next page
			require.NoError(t, json.Unmarshal(run("FinderActivities", map[string]any{"first": 20, "after": first.Activities.PageInfo.EndCursor}), &next))
			require.NotEmpty(t, next.Activities.Edges)
			require.NotEqual(t, first.Activities.Edges[0].Node.ID, next.Activities.Edges[0].Node.ID, "the cursor pages on")

			var one struct{ Node struct{ ID, Title string } }
			require.NoError(t, json.Unmarshal(run("FinderActivity", map[string]any{"id": first.Activities.Edges[0].Node.ID}), &one))
			require.Equal(t, first.Activities.Edges[0].Node.Title, one.Node.Title)
		})
	}
}

// TestFinderPage serves the page in the language its URL names, or else the one the browser
// prefers, with its direction, under a content security policy that lets nothing else in.
func TestFinderPage(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	tests := []struct {
		name, path, acceptLanguage string
		status                     int
		html, location             string
	}{
		{name: "Swedish by default", path: "/finder/", status: http.StatusOK, html: `<html lang="sv" dir="ltr">`},
		{name: "the browser's language", path: "/finder/", acceptLanguage: "ar-SE, en;q=0.5", status: http.StatusOK, html: `<html lang="ar" dir="rtl">`},
		{name: "Dari", path: "/finder/", acceptLanguage: "fa-AF", status: http.StatusOK, html: `<html lang="fa-AF" dir="rtl">`},
		{name: "the URL's language wins", path: "/finder/uk", acceptLanguage: "ar", status: http.StatusOK, html: `<html lang="uk" dir="ltr">`},
		{name: "any case", path: "/finder/FA-af", status: http.StatusOK, html: `<html lang="fa-AF" dir="rtl">`},
		{name: "Persian", path: "/finder/fa", status: http.StatusOK, html: `<html lang="fa" dir="rtl">`},
		{name: "Tigrinya", path: "/finder/ti", status: http.StatusOK, html: `<html lang="ti" dir="ltr">`},
		{name: "a language it does not have", path: "/finder/xx", status: http.StatusNotFound},
		{name: "a trailing slash", path: "/finder/ar/?category=SPORTS", status: http.StatusMovedPermanently, location: "/finder/ar?category=SPORTS"},
		{name: "below a language", path: "/finder/ar/more", status: http.StatusNotFound},
		{name: "a trailing slash after another tag", path: "/finder/xx/", status: http.StatusNotFound},
		{name: "the script", path: "/finder/assets/finder.js", status: http.StatusOK},
		{name: "the manifest", path: "/finder/assets/persisted-documents.json", status: http.StatusOK},
		{name: "the unfilled page", path: "/finder/assets/index.html", status: http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodGet, tt.path, nil)
			if tt.acceptLanguage != "" {
				req.Header.Set("Accept-Language", tt.acceptLanguage)
			}
			rec := httptest.NewRecorder()
			env.Handler.ServeHTTP(rec, req)
			require.Equal(t, tt.status, rec.Code)
			require.Equal(t, tt.location, rec.Header().Get("Location"))
			if tt.status != http.StatusOK {
				return
			}
			csp := rec.Header().Get("Content-Security-Policy")
			require.Contains(t, csp, "default-src 'none'")
			require.Contains(t, csp, "script-src 'self';")
			require.NotContains(t, csp, "unsafe")
			if tt.html != "" {
				require.Contains(t, rec.Body.String(), tt.html)
			}
		})
	}
}

// TestActivityCalendar serves the iCalendar feed of one public activity, the finder's "add to
// calendar"; a draft, another type's ID and a malformed one are alike not found.
func TestActivityCalendar(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	var published, draft int64
	var title string
	require.NoError(t, env.Pool.QueryRow(t.Context(), `SELECT id, title FROM activity
		WHERE status = 'PUBLISHED' AND starts_at IS NOT NULL ORDER BY id LIMIT 1`).Scan(&published, &title))
	require.NoError(t, env.Pool.QueryRow(t.Context(), `SELECT id FROM activity WHERE status = 'DRAFT' ORDER BY id LIMIT 1`).Scan(&draft))
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	rec := get("/calendar/activities/" + relay.ToGlobalID("Activity", published) + ".ics")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Contains(t, rec.Header().Get("Content-Type"), "text/calendar")
	cal, err := ics.ParseCalendar(strings.NewReader(rec.Body.String()))
	require.NoError(t, err)
	require.Len(t, cal.Events(), 1)
	require.Contains(t, cal.Events()[0].GetProperty(ics.ComponentPropertySummary).Value, title)
	require.Contains(t, rec.Body.String(), "X-WR-CALNAME:"+title)

	for _, path := range []string{
		"/calendar/activities/" + relay.ToGlobalID("Activity", draft) + ".ics",
		"/calendar/activities/" + relay.ToGlobalID("Organisation", published) + ".ics",
		"/calendar/activities/" + relay.ToGlobalID("Activity", 1<<40) + ".ics",
		"/calendar/activities/not-an-id.ics",
		"/calendar/activities/" + relay.ToGlobalID("Activity", published),
	} {
		require.Equal(t, http.StatusNotFound, get(path).Code, path)
	}
}

// finderBrowser starts headless Chromium that reaches loopback only, or skips (fails under make
// test and CI) without it or without axe-core (scripts/install-node.sh server/a11y).
func finderBrowser(t *testing.T) (context.Context, string) {
	t.Helper()
	ctx := headlessChromium(t, 1280, 900, 5*time.Minute)
	axe, err := os.ReadFile("a11y/node_modules/axe-core/axe.min.js")
	if err != nil {
		if browserTestsRequired() {
			t.Fatal("axe-core is missing: scripts/install-node.sh server/a11y installs it")
		}
		t.Skip("axe-core is missing: scripts/install-node.sh server/a11y installs it")
	}
	// The page's errors go to the test's log when it fails.
	var mu sync.Mutex
	var pageErrors []string
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type != runtime.ConsoleAPICalledTypeError {
				return
			}
			msg = "console.error:"
			for _, arg := range ev.Args {
				msg += " " + string(arg.Value) + arg.Description
			}
		default:
			return
		}
		mu.Lock()
		pageErrors = append(pageErrors, msg)
		mu.Unlock()
	}))
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		if t.Failed() {
			for _, e := range pageErrors {
				t.Log("page", e)
			}
		}
	})
	return ctx, string(axe)
}

// axeViolation is one rule axe-core found broken, with the elements that break it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// TestFinderPageInChromium drives the finder in headless Chromium against a server on loopback
// with the demo network: the results show and every filter (category, municipality, language
// spoken, dates, near a place, text) changes them, "more" pages on with the cursor, an activity
// opens with its calendar feed, the language picker remembers the choice, and axe-core finds no
// serious or critical WCAG 2.1 A/AA violation in Swedish and in Arabic (right to left), on a
// phone and on a desktop, on the list and on an activity. With -screenshot it saves
// docs/images/finder-{sv,ar}-{phone,desktop}.png.
func TestFinderPageInChromium(t *testing.T) {
	t.Parallel()
	ctx, axe := finderBrowser(t)
	env := apitest.New(t)
	ts := httptest.NewServer(env.Handler)
	t.Cleanup(ts.Close)

	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		require.NoError(t, err, js)
		return v
	}
	count := func(js string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
		require.NoError(t, err, js)
		return n
	}
	// waitFor evaluates js until it is true (across navigations), for at most a minute.
	waitFor := func(js string) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
			if err == nil && ok {
				return
			}
			require.True(t, time.Now().Before(deadline), "waited a minute for %s (%v)", js, err)
			time.Sleep(20 * time.Millisecond)
		}
	}
	// ready waits until the page has answered (it marks body[data-state]) and requires success.
	ready := func() {
		t.Helper()
		waitFor(`document.readyState === 'complete' && document.body.dataset.state !== 'loading'`)
		require.Equal(t, "ready", eval(`document.body.dataset.state`), eval(`document.getElementById('count').textContent`))
	}
	// stale marks the page as loading before an action that makes it load, so that ready waits
	// for that load and not an earlier one.
	stale := chromedp.Evaluate[chromedp.Void](`document.body.dataset.state = 'loading'`)
	open := func(path string) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ts.URL+path)))
		ready()
	}
	choose := func(id, value string) {
		t.Helper()
		eval(fmt.Sprintf(`(() => { const s = document.getElementById(%q); s.value = %q;
			s.dispatchEvent(new Event('change')); return s.value })()`, id, value))
		ready()
	}
	cards := func() int { t.Helper(); return count(`document.querySelectorAll('#results .card').length`) }
	total := func() string { t.Helper(); return eval(`document.getElementById('count').textContent`) }
	metas := func() []string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#results .card .meta')].map(m => m.textContent)`))
		require.NoError(t, err)
		return v
	}

	// The reader asks for reduced motion (and the page's smooth scrolling would move the
	// elements the test clicks while it scrolls to them).
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}})
	require.NoError(t, err)

	// Swedish, on a desktop.
	open("/finder/sv")
	require.Equal(t, "auto", eval(`getComputedStyle(document.documentElement).scrollBehavior`), "reduced motion is respected")
	require.Equal(t, "sv", eval(`document.documentElement.lang`))
	require.Equal(t, "ltr", eval(`document.documentElement.dir`))
	require.Equal(t, 20, cards(), "a first page of the demo activities")
	all := total()
	require.Regexp(t, `^\d+ aktiviteter hittades$`, all)
	require.Equal(t, "Aktiviteter för nyanlända i Skåne", eval(`document.querySelector('h1').textContent`))
	require.Zero(t, count(`[...document.querySelectorAll('#results .card')].filter(c => !c.querySelector('[lang="sv"][dir="ltr"] h3 a')).length`),
		"each activity's text block says its language and direction")

	// Every document the page's script uses is in the manifest the server loads.
	docs, err := server.FinderDocuments()
	require.NoError(t, err)
	var used map[string]string
	used, err = chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`window.finderDocuments`))
	require.NoError(t, err)
	require.NotEmpty(t, used)
	for name, doc := range used {
		require.Equal(t, doc, docs[sha(doc)], "%s is in the manifest under its hash", name)
	}

	// More results, with the connection's cursor.
	require.NoError(t, chromedp.Do(ctx, stale, chromedp.Click(`#more`)))
	ready()
	require.Greater(t, cards(), 20, "more results are added to the list")
	require.Equal(t, "A", eval(`document.activeElement.tagName`), "focus moves to the first new result")

	// Each filter narrows the list, and is kept in the URL.
	choose("category", "SPORTS")
	require.NotEqual(t, all, total())
	for _, m := range metas() {
		require.Contains(t, m, "Idrott och motion")
	}
	require.Contains(t, eval(`location.search`), "category=SPORTS")
	choose("category", "")
	choose("municipality", "1280")
	require.NotEqual(t, all, total())
	for _, m := range metas() {
		require.True(t, strings.Contains(m, "Malmö") || strings.Contains(m, "På nätet"), m)
	}
	choose("municipality", "")
	choose("language", "ti")
	require.NotEqual(t, all, total())
	require.Zero(t, count(`[...document.querySelectorAll('#results .card')].filter(c => !c.querySelector('.tags [lang="ti"]')).length`),
		"every activity found speaks Tigrinya")
	choose("language", "")
	choose("place", "Lund")
	choose("radius", "5")
	require.NotEqual(t, all, total())
	distances, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[...document.querySelectorAll('#results .card .tags .distance')]
		.map(s => s.textContent).map(s => parseFloat(s.replace(',', '.')))`))
	require.NoError(t, err)
	require.NotEmpty(t, distances)
	for i, d := range distances {
		require.LessOrEqual(t, d, 5.05)
		if i > 0 {
			require.GreaterOrEqual(t, d, distances[i-1], "nearest first")
		}
	}
	choose("place", "")
	from := time.Now().AddDate(0, 0, 7).Format(time.DateOnly)
	choose("from", from)
	choose("until", from)
	require.NotEqual(t, all, total(), "one day holds fewer activities than all: %s", eval(`location.search`))
	require.Contains(t, eval(`location.search`), "until="+from)
	eval(`document.getElementById('clear').click(); ''`)
	ready()
	require.Equal(t, all, total(), "clear shows everything again")
	require.NoError(t, chromedp.Do(ctx, chromedp.SetValue(`#q`, "Språkcafé"), stale, chromedp.Click(`#filters button[type="submit"]`)))
	ready()
	require.NotEqual(t, all, total())
	require.Contains(t, eval(`document.querySelector('#results .card h3').textContent`), "Språkcafé")

	// An activity: when, where, who, and its calendar feed.
	require.NoError(t, chromedp.Do(ctx, stale, chromedp.Click(`#results .card h3 a`)))
	ready()
	require.Contains(t, eval(`location.search`), "activity=")
	require.Equal(t, "activity-title", eval(`document.activeElement.id`), "focus moves to the activity's heading")
	require.Contains(t, eval(`document.getElementById('activity-title').textContent`), "Språkcafé")
	sections := eval(`[...document.querySelectorAll('#activity h3')].map(h => h.textContent).join('|')`)
	for _, s := range []string{"När", "Var", "Arrangör", "Kostnad", "Språk som talas"} {
		require.Contains(t, sections, s)
	}
	feed := eval(`document.querySelector('.calendar a[download]').getAttribute('href')`)
	require.Regexp(t, `^/calendar/activities/[A-Za-z0-9_-]+\.ics$`, feed)
	require.True(t, strings.HasPrefix(eval(`document.querySelector('.calendar a.primary').href`), "webcal://"))
	resp, err := http.Get(ts.URL + feed)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	axeCheck(t, ctx, axe, "sv desktop activity")
	require.NoError(t, chromedp.Do(ctx, chromedp.NavigateBack()))
	ready()
	require.Equal(t, "true", eval(`String(document.getElementById('activity').hidden)`), "back to the list")

	// The language picker: Arabic, remembered for /finder/.
	require.Equal(t, "/finder/ar?q=Spr%C3%A5kcaf%C3%A9", eval(`document.querySelector('#languages a[hreflang="ar"]').getAttribute('href')`),
		"the language links keep the filters")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(`#languages a[hreflang="ar"]`)))
	waitFor(`location.pathname === '/finder/ar'`)
	ready()
	require.Equal(t, "ar", eval(`document.documentElement.lang`))
	require.Equal(t, "rtl", eval(`document.documentElement.dir`))
	require.Contains(t, eval(`location.search`), "q=Spr", "the filters follow the language")
	open("/finder/")
	require.Equal(t, "/finder/ar", eval(`location.pathname`), "the choice is remembered")

	// axe-core in Swedish and Arabic, on a phone and on a desktop.
	for _, lang := range []string{"sv", "ar"} {
		for _, size := range []struct {
			name          string
			width, height int64
			mobile        bool
		}{{"desktop", 1280, 900, false}, {"phone", 375, 812, true}} {
			viewport := chromedp.EmulateViewport(size.width, size.height)
			if size.mobile {
				viewport = chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateMobile, chromedp.EmulateScale(2))
			}
			require.NoError(t, chromedp.Do(ctx, viewport))
			open("/finder/" + lang)
			require.Equal(t, map[string]string{"sv": "ltr", "ar": "rtl"}[lang], eval(`document.documentElement.dir`))
			require.Equal(t, lang, eval(`document.documentElement.lang`))
			require.Equal(t, 20, cards())
			if lang == "ar" {
				require.Regexp(t, `^تم العثور على`, total())
				// The demo activities' Arabic titles, as the API says they came (LocalizedText),
				// and the API's Arabic labels (Query.vocabulary).
				require.Positive(t, count(`document.querySelectorAll('#results .card > div[lang="ar"][dir="rtl"] h3').length`),
					"titles in Arabic")
				require.Contains(t, eval(`document.querySelector('#category').textContent`), "الصحة والعافية", "the labels are the API's")
			}
			axeCheck(t, ctx, axe, lang+" "+size.name)
			require.Zero(t, count(`document.documentElement.scrollWidth - document.documentElement.clientWidth`), "no horizontal scroll")
			if *updateScreenshot {
				shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(fmt.Sprintf("../docs/images/finder-%s-%s.png", lang, size.name), shot, 0o644))
			}
		}
	}
	// An activity in Arabic on a phone (the viewport of the last round), one with dates.
	eval(`[...document.querySelectorAll('#results .card')].find(c => !c.querySelector('.meta').textContent.includes('لا توجد مواعيد'))
		.querySelector('h3 a').dataset.pick = 'yes'; ''`)
	require.NoError(t, chromedp.Do(ctx, stale, chromedp.Click(`a[data-pick]`)))
	ready()
	require.Positive(t, count(`document.querySelectorAll('#activity li').length`), "its next dates")
	require.Contains(t, eval(`document.querySelector('.calendar a[download]').textContent`), "تنزيل ملف التقويم")
	require.Equal(t, "rtl", eval(`document.documentElement.dir`))
	require.Equal(t, "ar", eval(`document.querySelector('#activity-body > div').lang`), "the text block says its language")
	require.Contains(t, eval(`document.getElementById('back').getAttribute('href')`), "/finder/ar")
	axeCheck(t, ctx, axe, "ar phone activity")
	if *updateScreenshot {
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		require.NoError(t, err)
		require.NoError(t, os.WriteFile("../docs/images/finder-ar-activity-phone.png", shot, 0o644))
	}
	require.NoError(t, chromedp.Do(ctx, stale, chromedp.Click(`#back`)))
	ready()
	require.Equal(t, 20, cards(), "back to the list")

	// The check does find what it looks for: an unlabelled field is a critical violation.
	eval(`document.querySelector('#filters').append(Object.assign(document.createElement('input'), {id: 'unlabelled'})); ''`)
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.True(t, slices.ContainsFunc(violations, func(v axeViolation) bool { return v.ID == "label" && v.Impact == "critical" }))

	// The narrowest phone: nothing scrolls sideways.
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile)))
	open("/finder/ar")
	require.Zero(t, count(`document.documentElement.scrollWidth - document.documentElement.clientWidth`), "no horizontal scroll at 320 px")
	require.Zero(t, count(`[...document.querySelectorAll('button, select, input, .languages a, .card h3 a')]
		.filter(e => e.offsetParent && e.getBoundingClientRect().height < 44).length`), "touch targets are 44 px high")
}

// axeRun runs axe-core's WCAG 2.0 and 2.1 A and AA rules on the page and returns their violations.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => r.violations)`

// axeCheck runs axe-core on the page with the WCAG 2.0 and 2.1 A and AA rules and requires no
// serious or critical violation.
func axeCheck(t *testing.T, ctx context.Context, axe, where string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe))
	require.NoError(t, err)
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	var serious []string
	for _, v := range violations {
		if v.Impact == "serious" || v.Impact == "critical" {
			serious = append(serious, fmt.Sprintf("%s (%s): %s %v", v.ID, v.Impact, v.Help, v.Nodes))
		}
	}
	require.Empty(t, serious, "axe-core, %s", where)
}

// BenchmarkFinderRequests measures the finder's reads as the page sends them (anonymous GETs by
// hash, in Arabic), through the whole handler against the demo network with the production
// loader window: the first page of all activities, a page near a place sorted by distance, and
// one activity.
func BenchmarkFinderRequests(b *testing.B) {
	env := apitest.New(b, apitest.WithLoaderWait(loaders.DefaultWait))
	docs, err := server.FinderDocuments()
	require.NoError(b, err)
	hashes := map[string]string{}
	for hash, doc := range docs {
		hashes[regexp.MustCompile(`^query (\w+)`).FindStringSubmatch(doc)[1]] = hash
	}
	var first int64
	require.NoError(b, env.Pool.QueryRow(b.Context(), `SELECT id FROM activity WHERE status = 'PUBLISHED' ORDER BY id LIMIT 1`).Scan(&first))
	id := relay.ToGlobalID("Activity", first)
	requests := []struct {
		name, doc string
		vars      map[string]any
	}{
		{"list", "FinderActivities", map[string]any{"first": 20}},
		{"near", "FinderActivities", map[string]any{"first": 20, "filter": map[string]any{"near": map[string]any{"latitude": 55.7047, "longitude": 13.191, "radiusKm": 25}},
			"orderBy": map[string]any{"field": "DISTANCE", "direction": "ASC"}}},
		{"activity", "FinderActivity", map[string]any{"id": id}},
	}
	for _, r := range requests {
		vars, err := json.Marshal(r.vars)
		require.NoError(b, err)
		target := "/graphql?" + url.Values{"variables": {string(vars)},
			"extensions": {`{"persistedQuery":{"version":1,"sha256Hash":"` + hashes[r.doc] + `"}}`}}.Encode()
		b.Run(r.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, target, nil)
				req.Header.Set("Accept-Language", "ar")
				rec := httptest.NewRecorder()
				env.Handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
					b.Fatal(rec.Code, rec.Body.String())
				}
			}
		})
	}
}
