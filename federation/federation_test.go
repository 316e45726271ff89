package federation_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/examples/volunteers"
	"github.com/partnerskap-skane/partnernet/relay"
)

var update = flag.Bool("update", false, "rewrite supergraph.graphql from the current subgraph schemas")

func TestMain(m *testing.M) { dbtest.Main(m) }

// The routing URLs the committed supergraph names; the gateway test points them at loopback.
const (
	partnernetURL = "http://partnernet.invalid/graphql"
	volunteersURL = "http://volunteers.invalid/graphql"
)

// subgraphs runs partnernet (over a fresh demo database) and the example partner subgraph on
// loopback.
type subgraphs struct {
	env        *apitest.Env
	partnernet *httptest.Server
	volunteers *httptest.Server
}

func startSubgraphs(t *testing.T) subgraphs {
	t.Helper()
	env := apitest.New(t)
	pn := httptest.NewServer(env.Handler)
	t.Cleanup(pn.Close)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	v, err := volunteers.NewVerifier(ctx, pn.URL+"/.well-known/jwks.json", authn.DefaultIssuer, authn.DefaultAudience)
	require.NoError(t, err)
	abf, err := env.Store.OrganisationGetBySlug(ctx, "abf")
	require.NoError(t, err)
	r := &volunteers.Resolver{Store: volunteers.NewStore(3), OrganisationID: relay.ToGlobalID("Organisation", abf.ID)}
	vs := httptest.NewServer(volunteers.Handler(r, v))
	t.Cleanup(vs.Close)
	return subgraphs{env: env, partnernet: pn, volunteers: vs}
}

// response is a GraphQL response.
type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (r response) codes() []string {
	var out []string
	for _, e := range r.Errors {
		code, _ := e.Extensions["code"].(string)
		out = append(out, code)
	}
	return out
}

// post sends a GraphQL request to url with a bearer token ("" for none) and a purpose.
func post(t *testing.T, url, token string, purpose partnernet.Purpose, query string, vars map[string]any) response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if purpose != "" {
		req.Header.Set(authz.PurposeHeader, string(purpose))
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	var out response
	require.NoError(t, json.Unmarshal(raw, &out), "status %d: %s", res.StatusCode, raw)
	return out
}

// sdl fetches a subgraph's schema from its _service field.
func sdl(t *testing.T, url string) string {
	t.Helper()
	res := post(t, url, "", "", `{ _service { sdl } }`, nil)
	require.Empty(t, res.Errors)
	var got struct {
		Service struct {
			SDL string `json:"sdl"`
		} `json:"_service"`
	}
	require.NoError(t, json.Unmarshal(res.Data, &got))
	require.NotEmpty(t, got.Service.SDL)
	return got.Service.SDL
}

// node runs a Node.js script of this folder, installing the locked packages first if needed.
func node(t *testing.T, ctx context.Context, env []string, args ...string) *exec.Cmd {
	t.Helper()
	if _, err := os.Stat(filepath.Join("node_modules", "@apollo", "gateway")); err != nil {
		install := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		out, err := install.CombinedOutput()
		require.NoError(t, err, "npm ci (Node.js and npm are needed; scripts/test.sh installs them): %s", out)
	}
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// compose composes the subgraphs' live schemas into a supergraph SDL.
func compose(t *testing.T, s subgraphs) string {
	t.Helper()
	dir := t.TempDir()
	pn, vs := filepath.Join(dir, "partnernet.graphql"), filepath.Join(dir, "volunteers.graphql")
	require.NoError(t, os.WriteFile(pn, []byte(sdl(t, s.partnernet.URL+"/graphql")), 0o600))
	require.NoError(t, os.WriteFile(vs, []byte(sdl(t, s.volunteers.URL+"/graphql")), 0o600))
	var stdout, stderr bytes.Buffer
	cmd := node(t, t.Context(), nil, "compose.mjs", "partnernet="+pn+"="+partnernetURL, "volunteers="+vs+"="+volunteersURL)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "composition failed:\n%s", stderr.String())
	return stdout.String()
}

// TestSupergraphComposes composes the two subgraphs without errors or hints, and checks that the
// committed supergraph is what they compose to now.
func TestSupergraphComposes(t *testing.T) {
	t.Parallel()
	supergraph := compose(t, startSubgraphs(t))
	require.Contains(t, supergraph, "join__graph(name: \"partnernet\"")
	if *update {
		require.NoError(t, os.WriteFile("supergraph.graphql", []byte(supergraph), 0o644))
	}
	committed, err := os.ReadFile("supergraph.graphql")
	require.NoError(t, err)
	require.Equal(t, string(committed), supergraph,
		"supergraph.graphql is stale: run `go test ./federation -run TestSupergraphComposes -update` and commit it")
}

// startGateway runs an Apollo Gateway over the committed supergraph, routed to the subgraphs,
// and returns its URL.
func startGateway(t *testing.T, s subgraphs) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	urls, err := json.Marshal(map[string]string{"partnernet": s.partnernet.URL + "/graphql", "volunteers": s.volunteers.URL + "/graphql"})
	require.NoError(t, err)
	cmd := node(t, ctx, []string{"SUPERGRAPH=supergraph.graphql", "SUBGRAPH_URLS=" + string(urls), "PORT=0"}, "gateway.mjs")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case url, ok := <-lines:
		require.True(t, ok, "the gateway stopped before listening: %s", stderr.String())
		require.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), "gateway printed %q", url)
		return url
	case <-time.After(time.Minute):
		t.Fatalf("the gateway did not start within a minute: %s", stderr.String())
		return ""
	}
}

// TestGateway runs queries through a real Apollo Gateway in front of partnernet and the example
// partner subgraph: queries that join them, the caller's token forwarded to both, and a consent
// denial that reaches the caller with the same error code as from partnernet itself.
func TestGateway(t *testing.T) {
	t.Parallel()
	s := startSubgraphs(t)
	gateway := startGateway(t, s)
	env := s.env
	abfPublisher := env.Token(t, authz.Principal{Subject: "publisher@abf", OrganisationID: orgID(t, env, "abf"), Roles: []authz.Role{authz.RolePublisher}})
	malmoCoordinator := env.Token(t, authz.Principal{Subject: "coordinator@malmo", OrganisationID: orgID(t, env, "malmo"), Roles: []authz.Role{authz.RoleCoordinator}})

	// An ABF activity, found through the gateway without credentials.
	res := post(t, gateway, "", "", `{ organisation(slug: "abf") { id name activities(first: 1, filter: { statuses: [PUBLISHED] }) { edges { node { id } } } } }`, nil)
	require.Empty(t, res.Errors)
	var org struct {
		Organisation struct {
			ID         string `json:"id"`
			Activities struct {
				Edges []struct {
					Node struct {
						ID string `json:"id"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"activities"`
		} `json:"organisation"`
	}
	require.NoError(t, json.Unmarshal(res.Data, &org))
	require.NotEmpty(t, org.Organisation.Activities.Edges, "ABF publishes activities in the demo network")
	activity := org.Organisation.Activities.Edges[0].Node.ID

	// A volunteer signs up in the partner's subgraph, through the gateway.
	res = post(t, gateway, "", "", `mutation($a: ID!) { signUp(activityId: $a, name: "Amira", task: "interpreter") { name } }`, map[string]any{"a": activity})
	require.Empty(t, res.Errors)

	const joined = `query($a: ID!) { node(id: $a) { ... on Activity {
	  title status organiser { name volunteerCount } enrolmentCounts { enrolled waitlisted }
	  volunteersNeeded volunteers { name task } bookings { resource }
	} } }`
	// The enrolment counts, as partnernet gives them to ABF's staff directly.
	direct := post(t, s.partnernet.URL+"/graphql", abfPublisher, "", `query($a: ID!) { node(id: $a) { ... on Activity { enrolmentCounts { enrolled waitlisted } } } }`,
		map[string]any{"a": activity})
	require.Empty(t, direct.Errors)
	counts := between(string(direct.Data), `"enrolmentCounts":`, `}`) + "}"
	require.Contains(t, counts, `"enrolled":`)
	tests := []struct {
		name      string
		token     string
		mutate    string
		wantCodes []string
		check     func(t *testing.T, data string)
	}{
		{"anonymous: volunteers joined with the organiser; counts refused by partnernet, bookings by the partner", "", "", []string{"UNAUTHENTICATED", "UNAUTHENTICATED"},
			func(t *testing.T, data string) {
				require.Contains(t, data, `"enrolmentCounts":null`)
				require.Contains(t, data, `"organiser":{"name":"ABF`)
				require.Contains(t, data, `"volunteerCount":1`)
				require.Contains(t, data, `"volunteersNeeded":2`)
				require.Contains(t, data, `"volunteers":[{"name":"Amira","task":"interpreter"}]`)
				require.Contains(t, data, `"bookings":null`)
			}},
		{"signed in: the token reaches the partner, which verifies it with partnernet's keys", abfPublisher,
			`mutation($a: ID!) { book(activityId: $a, resource: "Room 2", startsAt: "2026-12-01T17:00:00Z", endsAt: "2026-12-01T19:00:00Z") { resource } }`, nil,
			func(t *testing.T, data string) {
				require.Contains(t, data, `"bookings":[{"resource":"Room 2"}]`)
				require.Contains(t, data, `"enrolmentCounts":`+counts, "the organiser's enrolment counts, from partnernet, beside the partner's volunteers")
				require.Contains(t, data, `"volunteers":[{"name":"Amira","task":"interpreter"}]`)
			}},
		{"a forged token is refused by both subgraphs", "eyJhbGciOiJub25lIn0.e30.", "", []string{"UNAUTHENTICATED"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.mutate != "" {
				res := post(t, gateway, tt.token, "", tt.mutate, map[string]any{"a": activity})
				require.Empty(t, res.Errors)
			}
			res := post(t, gateway, tt.token, "", joined, map[string]any{"a": activity})
			require.ElementsMatch(t, tt.wantCodes, res.codes(), "%+v", res.Errors)
			if tt.check != nil {
				tt.check(t, string(res.Data))
			}
		})
	}

	// The token reaches partnernet too: the viewer is the caller.
	res = post(t, gateway, abfPublisher, "", `{ viewer { organisation { slug } roles } }`, nil)
	require.Empty(t, res.Errors)
	require.JSONEq(t, `{"viewer":{"organisation":{"slug":"abf"},"roles":["PUBLISHER"]}}`, string(res.Data))

	// A consent denial surfaces through the gateway with partnernet's code: Malmö records a
	// newcomer's consent letting ABF see identity only; ABF asks for identity and contact.
	res = post(t, gateway, malmoCoordinator, partnernet.PurposeEstablishmentCoordination,
		`{ newcomers(first: 1) { edges { node { id } } } }`, nil)
	require.Empty(t, res.Errors)
	newcomer := between(string(res.Data), `"id":"`, `"`)
	res = post(t, gateway, malmoCoordinator, partnernet.PurposeEstablishmentCoordination,
		`mutation($in: RecordConsentInput!) { recordConsent(input: $in) { state } }`, map[string]any{"in": map[string]any{
			"newcomerId": newcomer, "recipientIds": []string{org.Organisation.ID}, "purposes": []string{"ACTIVITY_PARTICIPATION"},
			"dataCategories": []string{"IDENTITY"}, "method": "WRITTEN", "noticeLanguage": "ar", "noticeVersion": "2026.1",
		}})
	require.Empty(t, res.Errors)
	const read = `query($n: ID!) { node(id: $n) { ... on Newcomer { identity { displayName } contact { phone } } } }`
	direct = post(t, s.partnernet.URL+"/graphql", abfPublisher, partnernet.PurposeActivityParticipation, read, map[string]any{"n": newcomer})
	viaGateway := post(t, gateway, abfPublisher, partnernet.PurposeActivityParticipation, read, map[string]any{"n": newcomer})
	require.Equal(t, []string{"CONSENT_REQUIRED"}, direct.codes())
	require.Equal(t, direct.codes(), viaGateway.codes(), "%+v", viaGateway.Errors)
	require.JSONEq(t, string(direct.Data), string(viaGateway.Data))
	require.Contains(t, string(viaGateway.Data), `"contact":null`)
}

// lockedBuffer is a bytes.Buffer that a running process writes while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// orgID returns the database id of the organisation with a slug.
func orgID(t *testing.T, env *apitest.Env, slug string) int64 {
	t.Helper()
	o, err := env.Store.OrganisationGetBySlug(context.Background(), slug)
	require.NoError(t, err)
	return o.ID
}

// between returns the text of s between the first start and the next end.
func between(s, start, end string) string {
	_, rest, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(rest, end)
	return v
}
