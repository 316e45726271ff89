package resolvers_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
)

const enrol = `mutation($activity: ID!, $newcomer: ID, $key: String) {
  enrol(input: {activityId: $activity, newcomerId: $newcomer, idempotencyKey: $key}) { id status position createdAt }
}`

type enrolment struct {
	ID        string    `json:"id"`
	Status    string    `json:"status"`
	Position  int       `json:"position"`
	CreatedAt time.Time `json:"createdAt"`
}

// self is the principal of a newcomer signed in as themself.
func self(newcomerID int64) authz.Principal {
	return authz.Principal{Subject: fmt.Sprintf("newcomer:%d", newcomerID), Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: newcomerID}
}

// publishedActivity creates and publishes an ABF activity with capacity places.
func publishedActivity(t *testing.T, env *apitest.Env, title string, capacity int) string {
	t.Helper()
	publisher := staff(t, env, "abf", authz.RolePublisher)
	in := activityInput(title)
	in["capacity"] = capacity
	a := create(t, env, publisher, in)
	resp := env.Do(t, publisher, `mutation($id: ID!) { publishActivity(input: {activityId: $id}) { status } }`, map[string]any{"id": a.ID})
	require.Empty(t, resp.Errors)
	return a.ID
}

// newcomerIDs returns n newcomer ids, optionally only of one controller.
func newcomerIDs(t *testing.T, env *apitest.Env, n int, controllerSlug string) []int64 {
	t.Helper()
	rows, err := env.Pool.Query(context.Background(), `SELECT n.id FROM newcomer n JOIN organisation o ON o.id = n.controller_id
		WHERE $2 = '' OR o.slug = $2 ORDER BY n.id LIMIT $1`, n, controllerSlug)
	require.NoError(t, err)
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		require.NoError(t, rows.Scan(&id))
		ids = append(ids, id)
	}
	require.NoError(t, rows.Err())
	require.Len(t, ids, n)
	return ids
}

func TestEnrolmentCapacityHoldsUnderConcurrency(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	activityID := publishedActivity(t, env, "Simskola för kvinnor", 20)
	ids := newcomerIDs(t, env, 200, "")

	// 200 newcomers enrol at once, each with an idempotency key of their own.
	results := make([]enrolment, len(ids))
	errs := make([][]string, len(ids))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp := env.Do(t, self(id), enrol, map[string]any{"activity": activityID, "key": "enrol-once"})
			errs[i] = resp.Codes()
			var got struct {
				Enrol enrolment `json:"enrol"`
			}
			if len(errs[i]) == 0 {
				resp.Decode(t, &got)
			}
			results[i] = got.Enrol
		}()
	}
	close(start)
	wg.Wait()

	byPosition := map[int]enrolment{}
	enrolled := 0
	for i, r := range results {
		require.Empty(t, errs[i], "newcomer %d", ids[i])
		require.NotContains(t, byPosition, r.Position, "each arrival has a position of its own")
		byPosition[r.Position] = r
		if r.Status == "ENROLLED" {
			enrolled++
		}
	}
	require.Equal(t, 20, enrolled, "exactly as many enrolled as there are places")
	for pos := 1; pos <= 200; pos++ {
		want := "WAITLISTED"
		if pos <= 20 {
			want = "ENROLLED"
		}
		require.Equal(t, want, byPosition[pos].Status, "the first 20 arrivals hold the places, the rest wait in arrival order (position %d)", pos)
	}

	// When each enrolment was made agrees with its place in the line: ordered by createdAt, the
	// enrolments are in the order of their positions, with no two at the same time.
	byTime := slices.Clone(results)
	slices.SortStableFunc(byTime, func(a, b enrolment) int { return a.CreatedAt.Compare(b.CreatedAt) })
	for i := 1; i < len(byTime); i++ {
		require.True(t, byTime[i-1].CreatedAt.Before(byTime[i].CreatedAt), "created at the same time as the one before: %+v", byTime[i])
		require.Less(t, byTime[i-1].Position, byTime[i].Position, "created after %+v but ahead of it in the line: %+v", byTime[i-1], byTime[i])
	}

	// A retry with the same key returns the first result and writes nothing.
	resp := env.Do(t, self(ids[7]), enrol, map[string]any{"activity": activityID, "key": "enrol-once"})
	require.Empty(t, resp.Errors)
	var retry struct {
		Enrol enrolment `json:"enrol"`
	}
	resp.Decode(t, &retry)
	require.Equal(t, results[7], retry.Enrol)
	resp = env.Do(t, self(ids[7]), enrol, map[string]any{"activity": activityID})
	require.Equal(t, []string{"CONFLICT"}, resp.Codes(), "without a key, a second enrolment is a conflict")

	// The publisher sees counts and places left; others do not (both are refused), but anyone
	// sees that the activity is full.
	const counts = `query($id: ID!) { node(id: $id) { ... on Activity { availability placesLeft enrolmentCounts { enrolled waitlisted } } } }`
	publisher := staff(t, env, "abf", authz.RolePublisher)
	resp = env.Do(t, publisher, counts, map[string]any{"id": activityID})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node":{"availability":"FULL","placesLeft":0,"enrolmentCounts":{"enrolled":20,"waitlisted":180}}}`, string(resp.Data))
	resp = env.Do(t, anonymous, counts, map[string]any{"id": activityID})
	require.Equal(t, []string{"UNAUTHENTICATED", "UNAUTHENTICATED"}, resp.Codes())
	require.JSONEq(t, `{"node":{"availability":"FULL","placesLeft":null,"enrolmentCounts":null}}`, string(resp.Data))
	resp = env.Do(t, staff(t, env, "lund", authz.RolePublisher), counts, map[string]any{"id": activityID})
	require.Equal(t, []string{"FORBIDDEN", "FORBIDDEN"}, resp.Codes())

	// An enrolled newcomer cancels: the first on the waitlist gets the place.
	first := byPosition[3]
	var firstNewcomer int64
	for i, r := range results {
		if r.ID == first.ID {
			firstNewcomer = ids[i]
		}
	}
	const cancel = `mutation($id: ID!, $key: String) { cancelEnrolment(input: {enrolmentId: $id, idempotencyKey: $key}) { status position } }`
	resp = env.Do(t, self(ids[0]+100000), cancel, map[string]any{"id": first.ID})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "someone else's enrolment does not exist for a stranger")
	one := env.Do(t, self(firstNewcomer), cancel, map[string]any{"id": first.ID, "key": "cancel-1"})
	require.Empty(t, one.Errors)
	require.JSONEq(t, `{"cancelEnrolment":{"status":"CANCELLED","position":3}}`, string(one.Data))
	two := env.Do(t, self(firstNewcomer), cancel, map[string]any{"id": first.ID, "key": "cancel-1"})
	require.JSONEq(t, string(one.Data), string(two.Data), "a retried cancellation returns the first result")
	resp = env.Do(t, self(firstNewcomer), cancel, map[string]any{"id": first.ID})
	require.Equal(t, []string{"CONFLICT"}, resp.Codes())

	resp = env.Do(t, publisher, `query($id: ID!) { node(id: $id) { ... on Activity {
	  enrolmentCounts { enrolled waitlisted } enrolments(first: 25) { totalCount edges { node { status position newcomer { id } } } } } } }`,
		map[string]any{"id": activityID})
	require.Empty(t, resp.Errors)
	var list struct {
		Node struct {
			EnrolmentCounts struct{ Enrolled, Waitlisted int } `json:"enrolmentCounts"`
			Enrolments      struct {
				TotalCount int `json:"totalCount"`
				Edges      []struct {
					Node struct {
						Status   string `json:"status"`
						Position int    `json:"position"`
						Newcomer *struct {
							ID string `json:"id"`
						} `json:"newcomer"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"enrolments"`
		} `json:"node"`
	}
	resp.Decode(t, &list)
	require.Equal(t, 20, list.Node.EnrolmentCounts.Enrolled)
	require.Equal(t, 179, list.Node.EnrolmentCounts.Waitlisted)
	require.Equal(t, 199, list.Node.Enrolments.TotalCount)
	var positions []int
	for _, e := range list.Node.Enrolments.Edges {
		positions = append(positions, e.Node.Position)
		if e.Node.Position == 21 {
			require.Equal(t, "ENROLLED", e.Node.Status, "the first on the waitlist was promoted")
		}
		require.Nil(t, e.Node.Newcomer, "who enrolled is not released without consent and a declared purpose")
	}
	require.True(t, sort.IntsAreSorted(positions), "in arrival order")
	require.NotContains(t, positions, 3, "the cancelled enrolment left the list")

	// Five more places go to the next five waiting.
	more := activityInput("Simskola för kvinnor")
	more["capacity"] = 25
	resp = env.Do(t, publisher, `mutation($id: ID!, $in: ActivityInput!) { updateActivity(input: {activityId: $id, activity: $in}) {
	  placesLeft enrolmentCounts { enrolled waitlisted } } }`, map[string]any{"id": activityID, "in": more})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"updateActivity":{"placesLeft":0,"enrolmentCounts":{"enrolled":25,"waitlisted":174}}}`, string(resp.Data))

	var audited int
	require.NoError(t, env.Pool.QueryRow(context.Background(),
		"SELECT count(*) FROM audit_event WHERE action IN ('ENROL', 'CANCEL_ENROLMENT')").Scan(&audited))
	require.Equal(t, 200+1+1+5, audited, "every enrolment, the cancellation and the promotions are audited, retries are not")
}

func TestCoordinatorEnrolsUnderConsent(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	activityID := publishedActivity(t, env, "Föräldragrupp", 10)
	newcomer := newcomerIDs(t, env, 1, "malmo")[0]
	newcomerGID := relay.ToGlobalID("Newcomer", newcomer)
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)

	tests := []struct {
		name string
		p    authz.Principal
		code string
	}{
		// Those who may not see the newcomer are told no more than of an ID that names nobody.
		{"anonymous", anonymous, "UNAUTHENTICATED"},
		{"another municipality's coordinator", staff(t, env, "lund", authz.RoleCoordinator), "BAD_USER_INPUT"},
		{"the organiser's publisher", staff(t, env, "abf", authz.RolePublisher), "BAD_USER_INPUT"},
		{"another newcomer", self(newcomer + 1), "BAD_USER_INPUT"},
		{"the controller's coordinator without consent", coordinator, "CONSENT_REQUIRED"},
	}
	for _, tt := range tests {
		resp := env.Do(t, tt.p, enrol, map[string]any{"activity": activityID, "newcomer": newcomerGID})
		require.Equal(t, []string{tt.code}, resp.Codes(), tt.name)
	}

	resp := env.Do(t, coordinator, `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id } }`,
		map[string]any{"in": map[string]any{
			"newcomerId": newcomerGID, "recipientIds": []string{relay.ToGlobalID("Organisation", orgID(t, env, "abf"))},
			"purposes": []string{"ACTIVITY_PARTICIPATION"}, "dataCategories": []string{"PARTICIPATION", "IDENTITY"},
			"method": "WRITTEN", "noticeLanguage": "ar", "noticeVersion": "2026.1",
		}})
	require.Empty(t, resp.Errors)
	resp = env.Do(t, coordinator, enrol, map[string]any{"activity": activityID, "newcomer": newcomerGID})
	require.Empty(t, resp.Errors)
	var made struct {
		Enrol enrolment `json:"enrol"`
	}
	resp.Decode(t, &made)
	require.Equal(t, "ENROLLED", made.Enrol.Status)

	// The enrolment is a node for the newcomer, the coordinator and the organiser's staff only.
	const node = `query($id: ID!) { node(id: $id) { ... on Enrolment { status activity { id } } } }`
	for _, p := range []authz.Principal{self(newcomer), coordinator, staff(t, env, "abf", authz.RolePublisher)} {
		resp = env.Do(t, p, node, map[string]any{"id": made.Enrol.ID})
		require.Empty(t, resp.Errors)
		require.JSONEq(t, `{"node":{"status":"ENROLLED","activity":{"id":"`+activityID+`"}}}`, string(resp.Data), "%s", p.Subject)
	}
	for _, p := range []authz.Principal{anonymous, self(newcomer + 1), staff(t, env, "lund", authz.RoleCoordinator), staff(t, env, "im", authz.RolePublisher)} {
		resp = env.Do(t, p, node, map[string]any{"id": made.Enrol.ID})
		require.Empty(t, resp.Errors)
		require.JSONEq(t, `{"node":null}`, string(resp.Data), "%s", p.Subject)
	}

	// Under that consent, the publisher declaring the purpose sees who enrolled.
	resp = env.DoFor(t, staff(t, env, "abf", authz.RolePublisher), "ACTIVITY_PARTICIPATION",
		`query($id: ID!) { node(id: $id) { ... on Activity { enrolments(first: 5) { edges { node { newcomer { id } } } } } } }`,
		map[string]any{"id": activityID})
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), newcomerGID)

	// The newcomer sees their own enrolments; an organisation without consent for their
	// participation does not.
	const mine = `{ viewer { newcomer { enrolments { status activity { title } } } } }`
	resp = env.Do(t, self(newcomer), mine, nil)
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"viewer":{"newcomer":{"enrolments":[{"status":"ENROLLED","activity":{"title":"Föräldragrupp"}}]}}}`, string(resp.Data))
	const theirs = `query($id: ID!) { node(id: $id) { ... on Newcomer { enrolments { status } } } }`
	resp = env.DoFor(t, staff(t, env, "abf", authz.RolePublisher), "ACTIVITY_PARTICIPATION", theirs, map[string]any{"id": newcomerGID})
	require.Empty(t, resp.Errors, "the consent covers participation for ABF")
	resp = env.DoFor(t, staff(t, env, "im", authz.RolePublisher), "ACTIVITY_PARTICIPATION", theirs, map[string]any{"id": newcomerGID})
	require.JSONEq(t, `{"node":null}`, string(resp.Data), "IM is not named by any consent")

	// A finished activity takes no more enrolments.
	publisher := staff(t, env, "abf", authz.RolePublisher)
	resp = env.Do(t, publisher, `mutation($id: ID!) { finishActivity(input: {activityId: $id}) { status } }`, map[string]any{"id": activityID})
	require.JSONEq(t, `{"finishActivity":{"status":"FINISHED"}}`, string(resp.Data))
	resp = env.Do(t, publisher, `mutation($id: ID!) { finishActivity(input: {activityId: $id}) { status } }`, map[string]any{"id": activityID})
	require.Equal(t, []string{"CONFLICT"}, resp.Codes())
	resp = env.Do(t, self(newcomer+1), enrol, map[string]any{"activity": activityID})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "a finished activity is not visible to a newcomer")

	// A draft takes no enrolments.
	draft := create(t, env, staff(t, env, "abf", authz.RolePublisher), activityInput("Utkast"))
	resp = env.Do(t, self(newcomer), enrol, map[string]any{"activity": draft.ID})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "a draft does not exist for a newcomer")
}
