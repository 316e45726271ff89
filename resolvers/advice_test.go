package resolvers_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/analytics/attack"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
)

// adviceConsent records, as Malmö's coordinator, a consent of the newcomer naming IM for advice
// over the categories, and returns the consent's global ID.
func adviceConsent(t *testing.T, env *apitest.Env, newcomerGID string, categories ...string) string {
	t.Helper()
	resp := env.Do(t, staff(t, env, "malmo", authz.RoleCoordinator), `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id } }`,
		map[string]any{"in": map[string]any{
			"newcomerId": newcomerGID, "recipientIds": []string{relay.ToGlobalID("Organisation", orgID(t, env, "im"))},
			"purposes": []string{"ADVICE"}, "dataCategories": categories, "method": "VERBAL", "noticeLanguage": "ar", "noticeVersion": "2026.1",
		}})
	require.Empty(t, resp.Errors)
	var got struct {
		RecordConsent struct{ ID string } `json:"recordConsent"`
	}
	resp.Decode(t, &got)
	return got.RecordConsent.ID
}

const (
	openDesk    = `mutation($in: OpenAdviceDeskInput!) { openAdviceDesk(input: $in) { id name organisation { slug } municipality { code } } }`
	recordVisit = `mutation($in: RecordAdviceVisitInput!) { recordAdviceVisit(input: $in) { id anonymous topic adviser newcomer { id } desk { name } } }`
	followUp    = `mutation($in: RecordFollowUpInput!) { recordFollowUp(input: $in) { note visit { id } } }`
)

func TestAdviceDesksVisitsAndFollowUps(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	im := relay.ToGlobalID("Organisation", orgID(t, env, "im"))
	admin := staff(t, env, "im", authz.RoleOrgAdmin)
	adviser := staff(t, env, "im", authz.RoleAdviser)
	otherAdviser := staff(t, env, "roda-korset", authz.RoleAdviser)
	publisher := staff(t, env, "im", authz.RolePublisher)
	communicator := staff(t, env, "malmo", authz.RoleCommunicator)
	analyst := staff(t, env, "malmo-universitet", authz.RoleAnalyst)
	namedGID, named := newcomerOf(t, env, "malmo")
	strangerGID, _ := newcomerOf(t, env, "malmo")
	consentGID := adviceConsent(t, env, namedGID, "IDENTITY", "PARTICIPATION")
	advice := partnernet.PurposeAdvice

	desk := func(over map[string]any) map[string]any {
		in := map[string]any{"organisationId": im, "name": "RÅDRUM Ystad", "place": "Biblioteket, Ystad", "municipalityCode": "1286"}
		for k, v := range over {
			in[k] = v
		}
		return map[string]any{"in": in}
	}
	requireRefused(t, env, openDesk, []refusal{
		{name: "anonymous", principal: anonymous, vars: desk(nil), wantCode: "UNAUTHENTICATED"},
		{name: "an adviser", principal: adviser, vars: desk(nil), wantCode: "FORBIDDEN"},
		{name: "another organisation's admin", principal: staff(t, env, "roda-korset", authz.RoleOrgAdmin), vars: desk(nil), wantCode: "FORBIDDEN"},
		{name: "no name", principal: admin, vars: desk(map[string]any{"name": ""}), wantCode: "BAD_USER_INPUT", wantField: "input.name"},
		{name: "no place", principal: admin, vars: desk(map[string]any{"place": " "}), wantCode: "BAD_USER_INPUT", wantField: "input.place"},
		{name: "an unknown municipality", principal: admin, vars: desk(map[string]any{"municipalityCode": "9999"}), wantCode: "BAD_USER_INPUT", wantField: "input.municipalityCode"},
		{name: "a desk of that name exists", principal: admin, vars: desk(map[string]any{"name": "RÅDRUM Lund"}), wantCode: "CONFLICT"},
	})
	resp := env.Do(t, admin, openDesk, desk(nil))
	require.Empty(t, resp.Errors)
	var opened struct {
		OpenAdviceDesk struct{ ID string } `json:"openAdviceDesk"`
	}
	resp.Decode(t, &opened)
	deskGID := opened.OpenAdviceDesk.ID
	require.Equal(t, map[string]int{"OPEN_ADVICE_DESK": 1}, doneActions(t, env, admin.Subject))

	visitedAt := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	visit := func(over map[string]any) map[string]any {
		in := map[string]any{"deskId": deskGID, "visitedAt": visitedAt.Format(time.RFC3339), "topic": "HOUSING", "outcome": "Förklarade hyresavtalet."}
		for k, v := range over {
			in[k] = v
		}
		return map[string]any{"in": in}
	}
	requireRefused(t, env, recordVisit, []refusal{
		{name: "anonymous", principal: anonymous, vars: visit(nil), wantCode: "UNAUTHENTICATED"},
		{name: "another organisation's adviser", principal: otherAdviser, vars: visit(nil), wantCode: "FORBIDDEN"},
		{name: "IM's publisher", principal: publisher, vars: visit(nil), wantCode: "FORBIDDEN"},
		{name: "IM's admin, who reads visits", principal: admin, vars: visit(nil), wantCode: "FORBIDDEN"},
		{name: "in the future", principal: adviser, vars: visit(map[string]any{"visitedAt": time.Now().Add(time.Hour).Format(time.RFC3339)}), wantCode: "BAD_USER_INPUT", wantField: "input.visitedAt"},
		{name: "no outcome", principal: adviser, vars: visit(map[string]any{"outcome": ""}), wantCode: "BAD_USER_INPUT", wantField: "input.outcome"},
		{name: "not a desk", principal: adviser, vars: visit(map[string]any{"deskId": im}), wantCode: "BAD_USER_INPUT", wantField: "input.deskId"},
		{name: "not a topic", principal: adviser, vars: visit(map[string]any{"topic": "WEATHER"}), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "a newcomer without consent", principal: adviser, purpose: advice, vars: visit(map[string]any{"newcomerId": strangerGID}), wantCode: "BAD_USER_INPUT", wantField: "input.newcomerId"},
		{name: "a consenting newcomer without a declared purpose", principal: adviser, vars: visit(map[string]any{"newcomerId": namedGID}), wantCode: "BAD_USER_INPUT", wantField: "input.newcomerId"},
	})

	type visitResult struct {
		RecordAdviceVisit struct {
			ID        string `json:"id"`
			Anonymous bool   `json:"anonymous"`
			Adviser   string `json:"adviser"`
			Newcomer  *struct {
				ID string `json:"id"`
			} `json:"newcomer"`
		} `json:"recordAdviceVisit"`
	}
	resp = env.Do(t, adviser, recordVisit, visit(nil))
	require.Empty(t, resp.Errors)
	var anon visitResult
	resp.Decode(t, &anon)
	require.True(t, anon.RecordAdviceVisit.Anonymous)
	require.Nil(t, anon.RecordAdviceVisit.Newcomer)
	require.Equal(t, adviser.Subject, anon.RecordAdviceVisit.Adviser)
	resp = env.DoFor(t, adviser, advice, recordVisit, visit(map[string]any{"newcomerId": namedGID, "topic": "AUTHORITIES"}))
	require.Empty(t, resp.Errors)
	var withNewcomer visitResult
	resp.Decode(t, &withNewcomer)
	require.False(t, withNewcomer.RecordAdviceVisit.Anonymous)
	require.Equal(t, namedGID, withNewcomer.RecordAdviceVisit.Newcomer.ID)

	due := visitedAt.AddDate(0, 0, 14).Format(time.RFC3339)
	requireRefused(t, env, followUp, []refusal{
		{name: "another organisation's adviser", principal: otherAdviser, vars: map[string]any{"in": map[string]any{"visitId": anon.RecordAdviceVisit.ID, "dueAt": due, "note": "Ring"}}, wantCode: "BAD_USER_INPUT", wantField: "input.visitId"},
		{name: "due before the visit", principal: adviser, vars: map[string]any{"in": map[string]any{"visitId": anon.RecordAdviceVisit.ID, "dueAt": visitedAt.Add(-time.Hour).Format(time.RFC3339), "note": "Ring"}}, wantCode: "BAD_USER_INPUT", wantField: "input.dueAt"},
		{name: "no note", principal: adviser, vars: map[string]any{"in": map[string]any{"visitId": anon.RecordAdviceVisit.ID, "dueAt": due, "note": ""}}, wantCode: "BAD_USER_INPUT", wantField: "input.note"},
	})
	resp = env.Do(t, adviser, followUp, map[string]any{"in": map[string]any{"visitId": withNewcomer.RecordAdviceVisit.ID, "dueAt": due, "note": "Följ upp svaret från Försäkringskassan."}})
	require.Empty(t, resp.Errors)
	require.Equal(t, map[string]int{"RECORD_ADVICE_VISIT": 2, "RECORD_FOLLOW_UP": 1}, doneActions(t, env, adviser.Subject))
	var audited int
	require.NoError(t, env.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_event
		WHERE subject = $1 AND action IN ('RECORD_ADVICE_VISIT', 'RECORD_FOLLOW_UP') AND newcomer_id = $2`, adviser.Subject, named.NewcomerID).Scan(&audited))
	require.Equal(t, 2, audited, "the entries about the named visit name the newcomer; the anonymous visit's names nobody")

	// Who sees a visit: only IM's advisers and admins; the newcomer only through the decision.
	const visitNode = `query($id: ID!) { node(id: $id) { ... on AdviceVisit { topic anonymous newcomer { identity { displayName } } followUps { note } } } }`
	tests := []struct {
		name      string
		principal authz.Principal
		purpose   partnernet.Purpose
		want      string
		wantCodes []string
	}{
		{name: "IM's adviser, for advice", principal: adviser, purpose: advice,
			want: `{"topic":"AUTHORITIES","anonymous":false,"newcomer":{"identity":{"displayName":"Fixture Participant"}},"followUps":[{"note":"Följ upp svaret från Försäkringskassan."}]}`},
		{name: "IM's adviser without a purpose", principal: adviser,
			want: `{"topic":"AUTHORITIES","anonymous":false,"newcomer":null,"followUps":[{"note":"Följ upp svaret från Försäkringskassan."}]}`, wantCodes: []string{"FORBIDDEN"}},
		{name: "IM's admin", principal: admin,
			want: `{"topic":"AUTHORITIES","anonymous":false,"newcomer":null,"followUps":[{"note":"Följ upp svaret från Försäkringskassan."}]}`, wantCodes: []string{"FORBIDDEN"}},
		{name: "another organisation's adviser", principal: otherAdviser, purpose: advice, want: "null"},
		{name: "the newcomer's municipality", principal: staff(t, env, "malmo", authz.RoleCoordinator), purpose: partnernet.PurposeEstablishmentCoordination, want: "null"},
		{name: "an analyst", principal: analyst, want: "null"},
		{name: "the newcomer", principal: named, want: "null"},
		{name: "anonymous", principal: anonymous, want: "null"},
	}
	for _, tt := range tests {
		t.Run("visit/"+tt.name, func(t *testing.T) {
			resp := env.DoFor(t, tt.principal, tt.purpose, visitNode, map[string]any{"id": withNewcomer.RecordAdviceVisit.ID})
			require.Equal(t, tt.wantCodes, nilIfEmpty(resp.Codes()), "%+v", resp.Errors)
			var got struct {
				Node any `json:"node"`
			}
			resp.Decode(t, &got)
			require.JSONEq(t, tt.want, mustJSON(t, got.Node))
		})
	}

	// The lists: IM's visits for IM's staff only; desks for everyone.
	for _, tt := range []struct {
		name      string
		principal authz.Principal
		wantCode  string
	}{
		{"anonymous", anonymous, "UNAUTHENTICATED"},
		{"another organisation's adviser", communicator, "FORBIDDEN"},
		{"an analyst", analyst, "FORBIDDEN"},
		{"a newcomer", named, "FORBIDDEN"},
	} {
		resp := env.Do(t, tt.principal, `{ adviceVisits(first: 1) { totalCount } }`, nil)
		require.Equal(t, []string{tt.wantCode}, resp.Codes(), tt.name)
	}
	resp = env.Do(t, otherAdviser, `{ adviceVisits(first: 1) { totalCount } }`, nil)
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"adviceVisits":{"totalCount":0}}`, string(resp.Data), "an organisation without desks has no visits")
	const anonymousVisits = `query($desk: ID!) { node(id: $desk) { ... on AdviceDesk { visits(first: 10, filter: {anonymous: true}) { totalCount edges { node { id } } } } } }`
	resp = env.Do(t, admin, anonymousVisits, map[string]any{"desk": deskGID})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node":{"visits":{"totalCount":1,"edges":[{"node":{"id":"`+anon.RecordAdviceVisit.ID+`"}}]}}}`, string(resp.Data))
	resp = env.Do(t, anonymous, anonymousVisits, map[string]any{"desk": deskGID})
	require.Equal(t, []string{"UNAUTHENTICATED"}, resp.Codes(), "a desk is public, its visits are not")
	require.JSONEq(t, `{"node":{"visits":null}}`, string(resp.Data))
	resp = env.Do(t, anonymous, `{ adviceDesks(first: 10) { totalCount edges { node { name organisation { slug } } } } }`, nil)
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"totalCount":3`)

	// A withdrawn consent hides the newcomer from the next request on; the visit stays.
	resp = env.Do(t, named, `mutation($id: ID!) { withdrawConsent(input: {consentId: $id}) { state } }`, map[string]any{"id": consentGID})
	require.Empty(t, resp.Errors)
	resp = env.DoFor(t, adviser, advice, visitNode, map[string]any{"id": withNewcomer.RecordAdviceVisit.ID})
	require.Equal(t, []string{"FORBIDDEN"}, resp.Codes())
	require.Contains(t, string(resp.Data), `"newcomer":null`)
}

func TestAdviceStatisticsSuppressSmallCounts(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	analyst := staff(t, env, "malmo-universitet", authz.RoleAnalyst)
	const stats = `query($since: Time!, $until: Time!) { adviceVisitStatistics(since: $since, until: $until) { desk { id name } month topic visits } }`
	since, until := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	period := map[string]any{"since": since.Format(time.RFC3339), "until": until.Format(time.RFC3339)}
	for _, tt := range []struct {
		name      string
		principal authz.Principal
		vars      map[string]any
		wantCode  string
	}{
		{"anonymous", anonymous, period, "UNAUTHENTICATED"},
		{"IM's adviser", staff(t, env, "im", authz.RoleAdviser), period, "FORBIDDEN"},
		{"IM's admin", staff(t, env, "im", authz.RoleOrgAdmin), period, "FORBIDDEN"},
		{"the end before the start", analyst, map[string]any{"since": period["until"], "until": period["since"]}, "BAD_USER_INPUT"},
		{"longer than five years", analyst, map[string]any{"since": "2010-01-01T00:00:00Z", "until": period["until"]}, "BAD_USER_INPUT"},
	} {
		resp := env.Do(t, tt.principal, stats, tt.vars)
		require.Equal(t, []string{tt.wantCode}, resp.Codes(), tt.name)
	}

	resp := env.Do(t, analyst, stats, period)
	require.Empty(t, resp.Errors)
	var got struct {
		Cells []struct {
			Desk struct {
				ID string `json:"id"`
			} `json:"desk"`
			Month  string `json:"month"`
			Topic  string `json:"topic"`
			Visits *int   `json:"visits"`
		} `json:"adviceVisitStatistics"`
	}
	resp.Decode(t, &got)
	require.NotEmpty(t, got.Cells)
	// Each cell against the visits themselves: shown (rounded to fives) from five on, null below.
	suppressed, shown := 0, 0
	for _, c := range got.Cells {
		deskID, err := relay.DecodeID("desk", "AdviceDesk", c.Desk.ID)
		require.NoError(t, err)
		var n int
		require.NoError(t, env.Pool.QueryRow(context.Background(), `SELECT count(*) FROM advice_visit
			WHERE desk_id = $1 AND topic = $2 AND to_char(visited_at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM') = $3
			  AND visited_at >= $4 AND visited_at < $5`, deskID, c.Topic, c.Month, since, until).Scan(&n))
		require.Positive(t, n, "only cells with visits are listed")
		switch {
		case n < analytics.DefaultThreshold:
			require.Nil(t, c.Visits, "%s %s %s: %d visits must be suppressed", c.Desk.ID, c.Month, c.Topic, n)
			suppressed++
		case c.Visits != nil:
			require.Equal(t, attack.Rule{Threshold: analytics.DefaultThreshold, Base: analytics.RoundingBase}.Round(n), *c.Visits, "rounded")
			shown++
		default:
			suppressed++ // complementary: it would let a small one be derived
		}
	}
	require.Positive(t, suppressed, "the demo data has small cells")
	require.Positive(t, shown, "the demo data has cells large enough to show")
}

// TestCourseAndAdviceNestedListsDoNotGrowWithPageSize proves that the edges of the SHK and RÅDRUM
// lists are batched: the statements of a nested query do not grow with its page sizes.
func TestCourseAndAdviceNestedListsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, apitest.WithLoaderWait(countingLoaderWait))
	queries := []struct {
		name       string
		principal  authz.Principal
		query      string
		statements int64
	}{
		{"desks → visits → desk, follow-ups", staff(t, env, "im", authz.RoleAdviser), `query($n: Int!) {
		  adviceDesks(first: 10) { edges { node { name visits(first: $n) { totalCount edges { node { topic desk { name } followUps { note } } } } } } }
		}`, 5}, // desks, visit pages, visit counts, desks of visits, follow-ups
		{"courses → sessions → attendance → participant, participants → attendance", staff(t, env, "malmo", authz.RoleCommunicator), `query($n: Int!) {
		  courses(first: 10) { edges { node { title organisation { slug }
		    sessions(first: $n) { totalCount edges { node { topic course { title } attendance(first: $n) { totalCount edges { node { present participant { attendedSessions } } } } } } }
		    participants(first: $n) { edges { node { completed attendance { present } } } }
		  } } }
		}`, 10}, // courses, organisations, session pages and counts, courses of sessions, attendance pages and counts, participants of attendance, participant pages, their attendance
	}
	for _, q := range queries {
		// A first request resolves the token's organisation once; the counted ones do not.
		require.Empty(t, env.Do(t, q.principal, q.query, map[string]any{"n": 1}).Errors)
		counts := map[int]int64{}
		for _, n := range []int{1, 4, 8} {
			resp := env.Do(t, q.principal, q.query, map[string]any{"n": n})
			require.Empty(t, resp.Errors, q.name)
			require.Greater(t, len(resp.Data), 100, q.name)
			counts[n] = resp.Statements
		}
		require.Equal(t, counts[1], counts[4], "%s: %v", q.name, counts)
		require.Equal(t, counts[1], counts[8], "%s: %v", q.name, counts)
		require.Equal(t, q.statements, counts[1], "%s: one statement per edge", q.name)
	}
}
