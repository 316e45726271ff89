package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/server/graphiql"
)

// TestGraphiQLAssets checks what the server sends for GraphiQL: the page and its files from the
// binary, under a content security policy without eval, and nothing of it in production mode.
func TestGraphiQLAssets(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	rec := get("/")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, graphiql.ContentSecurityPolicy, rec.Header().Get("Content-Security-Policy"))
	require.NotContains(t, graphiql.ContentSecurityPolicy, "unsafe-eval")
	require.Contains(t, graphiql.ContentSecurityPolicy, "script-src 'self';")
	require.Contains(t, graphiql.ContentSecurityPolicy, "connect-src 'self';")
	page := rec.Body.String()
	require.NotContains(t, page, "//", "the page loads nothing from another origin")
	for _, file := range []string{"graphiql.js", "graphiql.css", "editor.worker.js", "graphql.worker.js", "json.worker.js", "LICENSES.txt"} {
		rec := get(graphiql.AssetsPath + file)
		require.Equal(t, http.StatusOK, rec.Code, file)
		require.Equal(t, graphiql.ContentSecurityPolicy, rec.Header().Get("Content-Security-Policy"), file)
		require.Positive(t, rec.Body.Len(), file)
		if strings.HasSuffix(file, ".js") {
			require.NotContains(t, rec.Body.String(), "cdn.jsdelivr", file)
		}
	}
	require.Contains(t, get(graphiql.AssetsPath+"LICENSES.txt").Body.String(), "graphiql@")
}

// TestGraphiQLInChromium drives GraphiQL in headless Chromium that reaches nothing but the server
// on loopback: the page and its editor render, the headers are prefilled with placeholders, which
// are not sent, a query runs and shows its result, a pasted token and purpose reach the server,
// and neither localStorage nor sessionStorage holds anything afterwards. No request leaves for
// another origin and no content security policy violation occurs. A screenshot is taken (saved to
// docs/graphiql.png with -screenshot).
func TestGraphiQLInChromium(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	org, err := env.Store.OrganisationGetBySlug(context.Background(), "malmo")
	require.NoError(t, err)
	coordinator := authz.Principal{Subject: "coordinator@malmo", OrganisationID: org.ID, Roles: []authz.Role{authz.RoleCoordinator}}
	token := env.Token(t, coordinator)
	ts := httptest.NewServer(env.Handler)
	t.Cleanup(ts.Close)

	ctx := headlessChromium(t, 1400, 900, 3*time.Minute)

	// Every request the page makes, and every uncaught exception.
	var mu sync.Mutex
	var requests, exceptions, wsSent, wsReceived []string
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			requests = append(requests, ev.Request.URL)
		case *network.EventWebSocketCreated:
			requests = append(requests, ev.URL)
		case *network.EventWebSocketFrameSent:
			wsSent = append(wsSent, string(ev.Response.PayloadData))
		case *network.EventWebSocketFrameReceived:
			wsReceived = append(wsReceived, string(ev.Response.PayloadData))
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			exceptions = append(exceptions, msg)
		}
	}))

	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		require.NoError(t, err, js)
		return s
	}
	// editorText returns the text a Monaco editor shows.
	editorText := func(selector string) string {
		t.Helper()
		return eval(`(() => { const e = document.querySelector(` + "`" + selector + "`" + `);
			return e ? e.querySelector('.view-lines').innerText.replace(/\u00a0/g, ' ') : ''; })()`)
	}
	const (
		queryEditor    = `.graphiql-query-editor .graphiql-editor`
		headerEditor   = `.graphiql-editor-tool .graphiql-editor:not(.hidden)`
		responseEditor = `.graphiql-response .result-window`
	)
	waitForResponse := func(want string) string {
		t.Helper()
		js := `(() => { const e = document.querySelector('` + responseEditor + ` .view-lines');
			return !!e && e.innerText.replace(/\u00a0/g, ' ').includes(` + "`" + want + "`" + `); })()`
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(time.Minute)))
		require.NoError(t, err, "waiting for %q in the response: %s", want, editorText(responseEditor))
		return editorText(responseEditor)
	}
	// replace selects everything in the Monaco editor at selector and types text in its place.
	replace := func(selector, text string) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Click(selector+` .view-lines`),
			chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
			chromedp.KeyEvent("\b"),
		))
		_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text})
		require.NoError(t, err)
	}

	_, err = chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__cspViolations = [];
			document.addEventListener('securitypolicyviolation',
				(e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`})
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(queryEditor+` .monaco-editor .view-lines`),
		chromedp.WaitVisible(headerEditor+` .monaco-editor .view-lines`),
	))

	// The headers are prefilled with placeholders, and the editor shows the welcome query.
	headers := editorText(headerEditor)
	require.Contains(t, headers, `"Authorization": "Bearer <paste a token>"`)
	require.Contains(t, headers, `"Partnernet-Purpose": "<a Purpose, such as ADVICE>"`)
	require.Contains(t, editorText(queryEditor), "programmes(first: 10)")

	// The welcome query runs anonymously: placeholders are not sent.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(`button.graphiql-execute-button`)))
	require.Contains(t, waitForResponse(`"totalCount": 6`), `"code": "SHK"`)
	screenshot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.Greater(t, len(screenshot), 10_000)
	if *updateScreenshot {
		require.NoError(t, os.WriteFile("../docs/graphiql.png", screenshot, 0o644))
	}

	// A pasted token and a declared purpose reach the server.
	replace(headerEditor, `{"Authorization": "Bearer `+token+`", "Partnernet-Purpose": "`+string(partnernet.PurposeEstablishmentCoordination)+`"}`)
	replace(queryEditor, `{ viewer { subject purpose roles } }`)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(`button.graphiql-execute-button`)))
	viewer := waitForResponse(`"subject": "coordinator@malmo"`)
	require.Contains(t, viewer, `"purpose": "ESTABLISHMENT_COORDINATION"`)

	// A subscription runs over the websocket, authenticated with the same headers, and shows the
	// changes it hears of.
	replace(queryEditor, `subscription { activityChanged(filter: {organisations: ["abf"]}) { kind activity { title } } }`)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(`button.graphiql-execute-button`)))
	abf, err := env.Store.OrganisationGetBySlug(context.Background(), "abf")
	require.NoError(t, err)
	publisher := authz.Principal{Subject: "publisher@abf", OrganisationID: abf.ID, Roles: []authz.Role{authz.RolePublisher}}
	heard := `(() => { const e = document.querySelector('` + responseEditor + ` .view-lines');
		return !!e && e.innerText.replace(/\u00a0/g, ' ').includes('Language practice from GraphiQL'); })()`
	for i := 0; ; i++ { // the subscription starts on the server a moment after the click
		require.Less(t, i, 60, "the subscription never heard of a published activity: %s", editorText(responseEditor))
		publishActivity(t, env, publisher, "Language practice from GraphiQL")
		got, err := chromedp.Run(ctx, chromedp.Poll[bool](heard, chromedp.WithPollingTimeout(time.Second)))
		if err == nil && got {
			break
		}
	}
	require.Contains(t, editorText(responseEditor), `"kind": "PUBLISHED"`)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(`button.graphiql-execute-button`)), "stop the subscription")
	// The websocket's frames reach the listener a moment after the page has them.
	frames := func() (sent, received string) {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(wsSent, "\n"), strings.Join(wsReceived, "\n")
	}
	for i := 0; i < 100; i++ {
		if _, received := frames(); strings.Contains(received, `"type":"connection_ack"`) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	sent, received := frames()
	require.Contains(t, sent, `{"type":"connection_init","payload":{"Authorization":"Bearer `+token+`"`,
		"the websocket authenticates with the header editor's token")
	require.Contains(t, received, `"type":"connection_ack"`)

	// Nothing is kept in the browser's storage: not the token, nor anything else.
	require.Equal(t, "0 0", eval(`localStorage.length + ' ' + sessionStorage.length`))
	require.NotContains(t, eval(`document.cookie`), token)

	// A reload forgets the token: the placeholders are back.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Reload(),
		chromedp.WaitVisible(headerEditor+` .monaco-editor .view-lines`),
	))
	require.Contains(t, editorText(headerEditor), "<paste a token>")
	require.NotContains(t, editorText(headerEditor), token)

	require.Equal(t, "[]", eval(`JSON.stringify(window.__cspViolations)`), "no content security policy violation")
	mu.Lock()
	defer mu.Unlock()
	require.Empty(t, exceptions)
	require.NotEmpty(t, requests)
	host := strings.TrimPrefix(ts.URL, "http://")
	for _, u := range requests {
		if !strings.HasPrefix(u, "data:") {
			require.True(t, strings.HasPrefix(u, "http://"+host+"/") || strings.HasPrefix(u, "ws://"+host+"/"),
				"a request to %.100s, off loopback", u)
		}
	}
}

// publishActivity creates an activity titled title as p and publishes it.
func publishActivity(t *testing.T, env *apitest.Env, p authz.Principal, title string) {
	t.Helper()
	in := map[string]any{
		"title": title, "titleEn": title, "category": "LANGUAGE_PRACTICE", "languages": []string{"ar", "sv"},
		"location": map[string]any{"address": "Folkets hus", "municipalityCode": "1280"},
		"schedule": map[string]any{
			"startsAt": time.Date(2026, 12, 1, 18, 0, 0, 0, partnernet.Stockholm).Format(time.RFC3339),
			"rrule":    "FREQ=WEEKLY;COUNT=4",
		},
	}
	res := env.Do(t, p, `mutation($in: ActivityInput!) { createActivity(input: $in) { id } }`, map[string]any{"in": in})
	require.Empty(t, res.Errors)
	var created struct{ CreateActivity struct{ ID string } }
	res.Decode(t, &created)
	res = env.Do(t, p, `mutation($id: ID!) { publishActivity(input: {activityId: $id}) { status } }`,
		map[string]any{"id": created.CreateActivity.ID})
	require.Empty(t, res.Errors)
}
