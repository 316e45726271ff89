package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/server"
)

// wsOperation opens a graphql-transport-ws connection to the server at url, initialises it with
// payload and runs query. It returns the operation's first message, or the error that ended the
// connection.
func wsOperation(t *testing.T, url string, payload map[string]any, query string) (map[string]any, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err)
	defer c.CloseNow()
	send := func(msg map[string]any) {
		raw, err := json.Marshal(msg)
		require.NoError(t, err)
		require.NoError(t, c.Write(ctx, websocket.MessageText, raw))
	}
	read := func() (map[string]any, error) {
		_, raw, err := c.Read(ctx)
		if err != nil {
			return nil, err
		}
		var msg map[string]any
		require.NoError(t, json.Unmarshal(raw, &msg))
		return msg, nil
	}
	send(map[string]any{"type": "connection_init", "payload": payload})
	for {
		msg, err := read()
		if err != nil {
			return nil, err
		}
		switch msg["type"] {
		case "connection_ack":
			send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query}})
		case "next", "error":
			return msg, nil
		}
	}
}

// TestWebsocketAuthentication opens graphql-transport-ws connections that authenticate in
// their connection_init payload, as browsers must, and asks who they are.
func TestWebsocketAuthentication(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	hs := httptest.NewServer(env.Handler)
	t.Cleanup(hs.Close)
	analyst := staff(t, env, "lunds-universitet", authz.RoleAnalyst)
	tests := []struct {
		name        string
		payload     map[string]any
		wantSubject string
		wantClose   websocket.StatusCode // 0: the connection is accepted
	}{
		{name: "a token", payload: map[string]any{"Authorization": "Bearer " + env.Token(t, analyst)}, wantSubject: analyst.Subject},
		{name: "a token and a purpose it holds", payload: map[string]any{"Authorization": "Bearer " + env.Token(t, analyst), "Partnernet-Purpose": "RESEARCH"}, wantSubject: analyst.Subject},
		{name: "anonymous", payload: map[string]any{}},
		{name: "a bad token", payload: map[string]any{"Authorization": "Bearer nonsense"}, wantClose: 4403},
		{name: "a purpose the role does not hold", payload: map[string]any{"Authorization": "Bearer " + env.Token(t, analyst), "Partnernet-Purpose": "SUPPORT_PLAN"}, wantClose: 4403},
		{name: "an unknown purpose", payload: map[string]any{"Partnernet-Purpose": "GOSSIP"}, wantClose: 4400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := wsOperation(t, hs.URL, tt.payload, "{ viewer { subject } }")
			if tt.wantClose != 0 {
				require.Equal(t, tt.wantClose, websocket.CloseStatus(err), "%v", err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, "next", msg["type"], "%v", msg)
			viewer := msg["payload"].(map[string]any)["data"].(map[string]any)["viewer"].(map[string]any)
			if tt.wantSubject == "" {
				require.Nil(t, viewer["subject"])
			} else {
				require.Equal(t, tt.wantSubject, viewer["subject"])
			}
		})
	}
}

// TestWebsocketOperationsAreRateLimited checks that operations over websockets count against
// their principal's budget like requests do.
func TestWebsocketOperationsAreRateLimited(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, withConfig(func(c *server.Config) {
		c.RateLimit = server.RateLimit{PerPrincipal: 0.001, PrincipalBurst: 2}
	}))
	hs := httptest.NewServer(env.Handler)
	t.Cleanup(hs.Close)
	analyst := staff(t, env, "lunds-universitet", authz.RoleAnalyst)
	payload := map[string]any{"Authorization": "Bearer " + env.Token(t, analyst)}
	for i := range 3 {
		msg, err := wsOperation(t, hs.URL, payload, "{ viewer { subject } }")
		require.NoError(t, err)
		limited := strings.Contains(fmt.Sprint(msg["payload"]), server.CodeRateLimited)
		require.Equal(t, i == 2, limited, "operation %d: %v", i+1, msg)
	}
}
