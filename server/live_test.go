package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"github.com/teambition/rrule-go"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/store"
)

// wsMessage is a message of the graphql-transport-ws protocol.
type wsMessage struct {
	ID      string         `json:"id,omitempty"`
	Type    string         `json:"type"`
	Payload map[string]any `json:"payload,omitempty"`
}

// change is one activityChanged event as the subscription selects it.
type change struct {
	kind, id, title string
}

// subscribe opens a graphql-transport-ws subscription on a replica and returns its events.
func subscribe(t *testing.T, ctx context.Context, r replica, query string) <-chan change {
	t.Helper()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(r.url, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.CloseNow() })
	require.Equal(t, "graphql-transport-ws", conn.Subprotocol())
	require.NoError(t, wsjson.Write(ctx, conn, wsMessage{Type: "connection_init", Payload: map[string]any{}}))
	var ack wsMessage
	require.NoError(t, wsjson.Read(ctx, conn, &ack))
	require.Equal(t, "connection_ack", ack.Type)
	require.NoError(t, wsjson.Write(ctx, conn, wsMessage{ID: "1", Type: "subscribe", Payload: map[string]any{"query": query}}))
	out := make(chan change, 100)
	go func() {
		defer close(out)
		for {
			var m wsMessage
			if err := wsjson.Read(ctx, conn, &m); err != nil {
				return
			}
			if m.Type != "next" {
				continue
			}
			data, _ := m.Payload["data"].(map[string]any)
			c, _ := data["activityChanged"].(map[string]any)
			a, _ := c["activity"].(map[string]any)
			if a == nil {
				continue
			}
			out <- change{kind: c["kind"].(string), id: a["id"].(string), title: a["title"].(string)}
		}
	}()
	return out
}

// next waits for the next event that is not about skip.
func next(t *testing.T, events <-chan change, skip string) change {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case c, ok := <-events:
			require.True(t, ok, "the subscription ended")
			if c.id != skip {
				return c
			}
		case <-timeout:
			t.Fatal("no activity change arrived")
		}
	}
}

// TestActivityChangesReachSubscribersOnAnotherReplica subscribes on replica A and publishes,
// updates and cancels through replica B: each change reaches A's subscriber, filtered like
// discovery, over graphql-transport-ws. The published activity is in B's discovery and in A's
// calendar feed.
func TestActivityChangesReachSubscribersOnAnotherReplica(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dbURL := dbtest.NewDatabase(t)
	pool, err := pgxpool.New(ctx, dbURL)
	require.NoError(t, err)
	defer pool.Close()
	_, err = seed.Load(ctx, store.New(pool), seed.Options{Newcomers: 5, Activities: 20, Seed: 5}, nil)
	require.NoError(t, err)
	key, err := authn.GenerateKey()
	require.NoError(t, err)
	auth := authn.Config{LocalKey: key}
	a := startReplica(t, ctx, dbURL, auth)
	b := startReplica(t, ctx, dbURL, auth)
	token, err := authn.Mint(key, authn.DefaultIssuer, authn.DefaultAudience,
		authn.Claims{Subject: "per@abf", Organisation: "abf", Roles: []string{"publisher"}})
	require.NoError(t, err)

	events := subscribe(t, ctx, a, `subscription {
	  activityChanged(filter: {organisations: ["abf"], categories: [SPORTS], languages: ["ti"]}) { kind activity { id title } } }`)

	createAndPublish := func(title, category string) string {
		in := map[string]any{
			"title": title, "titleEn": title, "category": category, "languages": []string{"ti", "sv"},
			"location": map[string]any{"address": "Idrottsplatsen", "municipalityCode": "1281"},
			"schedule": map[string]any{
				"startsAt": time.Date(2026, 12, 1, 18, 0, 0, 0, partnernet.Stockholm).Format(time.RFC3339),
				"rrule":    "FREQ=WEEKLY;COUNT=8", "exceptions": []string{time.Date(2026, 12, 22, 18, 0, 0, 0, partnernet.Stockholm).Format(time.RFC3339)},
			},
		}
		res := b.post(t, token, "", `mutation($in: ActivityInput!) { createActivity(input: $in) { id } }`, map[string]any{"in": in})
		require.Empty(t, res.Errors)
		id := res.Data["createActivity"].(map[string]any)["id"].(string)
		res = b.post(t, token, "", `mutation($id: ID!) { publishActivity(input: {activityId: $id}) { status } }`, map[string]any{"id": id})
		require.Empty(t, res.Errors)
		return id
	}

	// A probe, changed through B until A's subscriber hears of it, shows the subscription is live.
	probe := createAndPublish("Probe", "SPORTS")
	rename := func(id, title, category string) {
		res := b.post(t, token, "", `mutation($id: ID!, $in: ActivityInput!) { updateActivity(input: {activityId: $id, activity: $in}) { version } }`,
			map[string]any{"id": id, "in": map[string]any{
				"title": title, "titleEn": title, "category": category, "languages": []string{"ti"},
				"location": map[string]any{"address": "Idrottsplatsen", "municipalityCode": "1281"},
				"schedule": map[string]any{"startsAt": time.Date(2026, 12, 1, 18, 0, 0, 0, partnernet.Stockholm).Format(time.RFC3339)},
			}})
		require.Empty(t, res.Errors)
	}
	deadline := time.Now().Add(30 * time.Second)
	for heard := false; !heard; {
		require.True(t, time.Now().Before(deadline), "the subscription never heard of the probe")
		rename(probe, "Probe", "SPORTS")
		select {
		case c := <-events:
			heard = c.id == probe
		case <-time.After(200 * time.Millisecond):
		}
	}

	// A culture activity does not match the filter; the football one does.
	createAndPublish("Körsång", "CULTURE")
	football := createAndPublish("Fotboll för tjejer", "SPORTS")
	got := next(t, events, probe)
	require.Equal(t, change{kind: "PUBLISHED", id: football, title: "Fotboll för tjejer"}, got)

	// The published activity is in discovery on B and in the calendar feed on A.
	res := b.post(t, "", "", `{ activities(first: 10, filter: {text: "fotboll tjejer"}) { edges { node { id } } } }`, nil)
	require.Empty(t, res.Errors)
	require.Contains(t, res.Data["activities"].(map[string]any)["edges"], map[string]any{"node": map[string]any{"id": football}})

	rename(football, "Fotboll för tjejer och kvinnor", "SPORTS")
	require.Equal(t, change{kind: "UPDATED", id: football, title: "Fotboll för tjejer och kvinnor"}, next(t, events, probe))

	res = b.post(t, token, "", `mutation($id: ID!) { cancelActivity(input: {activityId: $id}) { status } }`, map[string]any{"id": football})
	require.Empty(t, res.Errors)
	require.Equal(t, change{kind: "CANCELLED", id: football, title: "Fotboll för tjejer och kvinnor"}, next(t, events, probe))

	// A's feed of ABF's activities carries the cancellation, the recurrence and its exception.
	cal := fetchCalendar(t, a.url+"/calendar/organisations/abf.ics")
	event := findEvent(t, cal, "Fotboll för tjejer och kvinnor")
	require.Equal(t, "CANCELLED", event.GetProperty(ics.ComponentPropertyStatus).Value)
	probeEvent := findEvent(t, cal, "Probe")
	require.Equal(t, "CONFIRMED", probeEvent.GetProperty(ics.ComponentPropertyStatus).Value)
	require.Nil(t, probeEvent.GetProperty(ics.ComponentPropertyRrule), "the probe is a one-off now")
	chor := findEvent(t, cal, "Körsång")
	rule := chor.GetProperty(ics.ComponentPropertyRrule)
	require.NotNil(t, rule)
	start := chor.GetProperty(ics.ComponentPropertyDtStart)
	require.Equal(t, []string{"Europe/Stockholm"}, start.ICalParameters["TZID"])
	require.Equal(t, "20261201T180000", start.Value)
	exdate := chor.GetProperty(ics.ComponentPropertyExdate)
	require.Equal(t, "20261222T180000", exdate.Value)
	set, err := rrule.StrToRRuleSet("DTSTART;TZID=Europe/Stockholm:" + start.Value + "\nRRULE:" + rule.Value +
		"\nEXDATE;TZID=Europe/Stockholm:" + exdate.Value)
	require.NoError(t, err)
	all := set.All()
	require.Len(t, all, 7, "eight weekly occurrences less the exception")
	for _, o := range all {
		require.Equal(t, 18, o.In(partnernet.Stockholm).Hour())
	}
}

// fetchCalendar GETs and parses an iCalendar feed.
func fetchCalendar(t *testing.T, url string) *ics.Calendar {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	require.Equal(t, "text/calendar; charset=utf-8", resp.Header.Get("Content-Type"))
	cal, err := ics.ParseCalendar(strings.NewReader(string(body)))
	require.NoError(t, err)
	return cal
}

// findEvent returns the event whose summary starts with title.
func findEvent(t *testing.T, cal *ics.Calendar, title string) *ics.VEvent {
	t.Helper()
	for _, e := range cal.Events() {
		if p := e.GetProperty(ics.ComponentPropertySummary); p != nil && strings.HasPrefix(p.Value, title) {
			return e
		}
	}
	t.Fatalf("no event %q in the feed", title)
	return nil
}

func TestSubscriptionWithBadFilterIsRefused(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	env := apitest.New(t)
	srv := httptest.NewServer(env.Handler)
	defer srv.Close()
	tests := []struct {
		name, filter, field string
	}{
		{"bad municipality", `{municipalityCodes: ["Malmö"]}`, "filter.municipalityCodes"},
		{"bad language", `{languages: ["Arabic"]}`, "filter.languages.0"},
		{"bad radius", `{near: {latitude: 55.6, longitude: 13.0, radiusKm: 0}}`, "filter.near.radiusKm"},
	}
	for _, tt := range tests {
		conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql",
			&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		require.NoError(t, err)
		require.NoError(t, wsjson.Write(ctx, conn, wsMessage{Type: "connection_init"}))
		var ack wsMessage
		require.NoError(t, wsjson.Read(ctx, conn, &ack))
		require.NoError(t, wsjson.Write(ctx, conn, wsMessage{ID: "1", Type: "subscribe",
			Payload: map[string]any{"query": "subscription { activityChanged(filter: " + tt.filter + ") { kind } }"}}))
		// gqlgen answers a subscription whose resolver fails with one result carrying the
		// error, then completes it.
		var m struct {
			Type    string `json:"type"`
			Payload struct {
				Data   map[string]any `json:"data"`
				Errors []struct {
					Extensions map[string]any `json:"extensions"`
				} `json:"errors"`
			} `json:"payload"`
		}
		require.NoError(t, wsjson.Read(ctx, conn, &m), tt.name)
		require.Equal(t, "next", m.Type, tt.name)
		require.Len(t, m.Payload.Errors, 1, tt.name)
		require.Equal(t, "BAD_USER_INPUT", m.Payload.Errors[0].Extensions["code"], tt.name)
		require.Equal(t, tt.field, m.Payload.Errors[0].Extensions["field"], tt.name)
		require.NoError(t, wsjson.Read(ctx, conn, &m), tt.name)
		require.Equal(t, "complete", m.Type, tt.name)
		_ = conn.CloseNow()
	}
}
