package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/server"
	"github.com/partnerskap-skane/partnernet/store"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// startNoticeReplica is a replica that follows the notices written on any replica.
func startNoticeReplica(t *testing.T, ctx context.Context, dbURL string, auth authn.Config) replica {
	t.Helper()
	pool, err := pgxpool.New(ctx, dbURL)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	srv, err := server.New(ctx, server.Config{Pool: pool, Logger: slog.New(slog.DiscardHandler), Auth: auth})
	require.NoError(t, err)
	for _, ready := range []<-chan struct{}{srv.PolicyReady(), srv.LiveReady(), srv.NoticesReady()} {
		select {
		case <-ready:
		case <-time.After(time.Minute):
			t.Fatal("replica never became ready")
		}
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return replica{url: hs.URL}
}

// TestNoticeReceivedOnAnotherReplica subscribes two newcomers to noticeReceived on replica A;
// ABF cancels the activity one of them enrolled in through replica B. That newcomer's
// subscription hears of it, in their language; the other's hears nothing of it.
func TestNoticeReceivedOnAnotherReplica(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dbURL := dbtest.NewDatabase(t)
	pool, err := pgxpool.New(ctx, dbURL)
	require.NoError(t, err)
	defer pool.Close()
	st := store.New(pool)
	_, err = seed.Load(ctx, st, seed.Options{Newcomers: 2, Seed: 7}, nil)
	require.NoError(t, err)
	abf, err := st.OrganisationGetBySlug(ctx, "abf")
	require.NoError(t, err)
	malmo, err := st.OrganisationGetBySlug(ctx, "malmo")
	require.NoError(t, err)
	starts := time.Now().AddDate(0, 0, 5).Truncate(time.Hour)
	a := testfactory.Activity(ctx, t, pool, &testfactory.ActivityOpts{OrganiserID: abf.ID, Status: partnernet.ActivityPublished,
		Title: "Simning", Schedule: partnernet.Schedule{StartsAt: &starts, DurationMinutes: 60}})
	var newcomers []int64
	for _, lang := range []string{"ar", "uk"} {
		n := testfactory.Newcomer(ctx, t, pool, &testfactory.NewcomerOpts{ControllerID: malmo.ID,
			Languages: []partnernet.LanguageSkill{{Language: lang, Proficiency: partnernet.ProficiencyNative}}})
		newcomers = append(newcomers, n.ID)
	}
	testfactory.Enrolment(ctx, t, pool, &testfactory.EnrolmentOpts{ActivityID: a.ID, NewcomerID: newcomers[0]})

	key, err := authn.GenerateKey()
	require.NoError(t, err)
	auth := authn.Config{LocalKey: key}
	ra := startNoticeReplica(t, ctx, dbURL, auth)
	rb := startNoticeReplica(t, ctx, dbURL, auth)
	listen := func(newcomerID int64) <-chan map[string]any {
		token, err := authn.Mint(key, authn.DefaultIssuer, authn.DefaultAudience,
			authn.Claims{Subject: fmt.Sprintf("newcomer:%d", newcomerID), Roles: []string{"newcomer"}, NewcomerID: newcomerID})
		require.NoError(t, err)
		conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ra.url, "http")+"/graphql",
			&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		require.NoError(t, err)
		t.Cleanup(func() { _ = conn.CloseNow() })
		require.NoError(t, wsjson.Write(ctx, conn, wsMessage{Type: "connection_init", Payload: map[string]any{"Authorization": "Bearer " + token}}))
		var ack wsMessage
		require.NoError(t, wsjson.Read(ctx, conn, &ack))
		require.Equal(t, "connection_ack", ack.Type)
		require.NoError(t, wsjson.Write(ctx, conn, wsMessage{ID: "1", Type: "subscribe",
			Payload: map[string]any{"query": "subscription { noticeReceived { kind language subject activity { id } } }"}}))
		out := make(chan map[string]any, 10)
		go func() {
			defer close(out)
			for {
				var m wsMessage
				if err := wsjson.Read(ctx, conn, &m); err != nil {
					return
				}
				if m.Type == "next" {
					data, _ := m.Payload["data"].(map[string]any)
					n, _ := data["noticeReceived"].(map[string]any)
					out <- n
				}
			}
		}()
		return out
	}
	enrolled, other := listen(newcomers[0]), listen(newcomers[1])
	time.Sleep(200 * time.Millisecond) // let the subscriptions register before the change

	publisher, err := authn.Mint(key, authn.DefaultIssuer, authn.DefaultAudience,
		authn.Claims{Subject: "per@abf", Organisation: "abf", Roles: []string{"publisher"}})
	require.NoError(t, err)
	res := rb.post(t, publisher, "", `mutation($id: ID!) { cancelActivity(input: {activityId: $id}) { status } }`,
		map[string]any{"id": relay.ToGlobalID("Activity", a.ID)})
	require.Empty(t, res.Errors)

	select {
	case n := <-enrolled:
		require.Equal(t, "ACTIVITY_CANCELLED", n["kind"])
		require.Equal(t, "ar", n["language"])
		require.Contains(t, n["subject"], "تم الإلغاء")
		require.Equal(t, relay.ToGlobalID("Activity", a.ID), n["activity"].(map[string]any)["id"])
	case <-time.After(30 * time.Second):
		t.Fatal("the enrolled newcomer was not told")
	}
	select {
	case n := <-other:
		t.Fatalf("another newcomer was told: %v", n)
	case <-time.After(time.Second):
	}
}
