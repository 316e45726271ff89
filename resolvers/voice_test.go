package resolvers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// newcomerPrincipal is a newcomer acting for themself.
func newcomerPrincipal(id int64) authz.Principal {
	return authz.Principal{Subject: fmt.Sprintf("newcomer:%d", id), Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: id}
}

// TestQuestionnaire checks the questionnaire in Swedish, English and Arabic, answering it with
// and without sharing in statistics (the consent recorded in the same transaction, audited),
// declining it, who may read the answers, and hostile answers refused naming the field.
func TestQuestionnaire(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := t.Context()

	texts := map[string]string{}
	for _, lang := range []string{"sv", "en", "ar"} {
		resp := env.Do(t, anonymous, `query($l: String!) { questionnaire(language: $l) { language languages
		  sections { instrument title attribution questions { item text } options { value label } } } }`, map[string]any{"l": lang})
		require.Empty(t, resp.Errors, lang)
		var got struct {
			Questionnaire struct {
				Language  string
				Languages []string
				Sections  []struct {
					Instrument, Title, Attribution string
					Questions                      []struct{ Item, Text string }
					Options                        []struct {
						Value int
						Label string
					}
				}
			}
		}
		resp.Decode(t, &got)
		q := got.Questionnaire
		require.Equal(t, lang, q.Language)
		require.ElementsMatch(t, []string{"sv", "en", "ar"}, q.Languages)
		require.Len(t, q.Sections, 3)
		for _, s := range q.Sections {
			switch s.Instrument {
			case "WHO5":
				require.Len(t, s.Questions, 5)
				require.Len(t, s.Options, 6, "WHO-5 answers 0 to 5")
				require.NotEmpty(t, s.Attribution, "WHO-5 is used with attribution")
			case "SELF_RATED_HEALTH":
				require.Len(t, s.Questions, 1)
				require.Len(t, s.Options, 5, "a five-point scale")
			}
			for _, qq := range s.Questions {
				require.NotEmpty(t, qq.Text)
				texts[lang+"/"+qq.Item] = qq.Text
			}
		}
	}
	require.NotEqual(t, texts["sv/WHO5_CHEERFUL"], texts["en/WHO5_CHEERFUL"])
	require.NotEqual(t, texts["en/WHO5_CHEERFUL"], texts["ar/WHO5_CHEERFUL"])
	require.Equal(t, "I have felt cheerful and in good spirits", texts["en/WHO5_CHEERFUL"])
	require.Equal(t, []string{"BAD_USER_INPUT"}, env.Do(t, anonymous, `{ questionnaire(language: "xx") { language } }`, nil).Codes())

	malmoID := orgID(t, env, "malmo")
	n := testfactory.Newcomer(ctx, t, env.Pool, &testfactory.NewcomerOpts{ControllerID: malmoID})
	me := newcomerPrincipal(n.ID)
	answer := `mutation($in: AnswerQuestionnaireInput!) { answerQuestionnaire(input: $in) {
	  response { declined who5 selfRatedHealth answers { item value } } countedInStatistics statisticsConsent { purposes dataCategories } } }`
	in := func(share bool, answers ...map[string]any) map[string]any {
		return map[string]any{"in": map[string]any{"language": "ar", "answers": answers, "shareInStatistics": share}}
	}
	a := func(item string, v int) map[string]any { return map[string]any{"item": item, "value": v} }
	full := []map[string]any{a("SELF_RATED_HEALTH", 4), a("WHO5_CHEERFUL", 3), a("WHO5_CALM", 3), a("WHO5_ACTIVE", 2), a("WHO5_RESTED", 4), a("WHO5_INTERESTED", 3)}

	// Staff never answer for a newcomer; hostile answers are refused.
	require.Equal(t, []string{"FORBIDDEN"}, env.Do(t, staff(t, env, "malmo", authz.RoleCoordinator), answer, in(false, full...)).Codes())
	require.Equal(t, []string{"UNAUTHENTICATED"}, env.Do(t, anonymous, answer, in(false, full...)).Codes())
	for _, tt := range []struct {
		name string
		vars map[string]any
	}{
		{"WHO-5 above 5", in(false, a("WHO5_CALM", 6))},
		{"self-rated health of 0", in(false, a("SELF_RATED_HEALTH", 0))},
		{"an item twice", in(false, a("WHO5_CALM", 1), a("WHO5_CALM", 2))},
		{"no answers", map[string]any{"in": map[string]any{"language": "sv", "answers": []any{}, "shareInStatistics": false}}},
		{"an unknown language", map[string]any{"in": map[string]any{"language": "xx", "answers": full, "shareInStatistics": false}}},
	} {
		resp := env.Do(t, me, answer, tt.vars)
		require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), tt.name)
		require.NotEmpty(t, resp.Errors[0].Extensions["field"], tt.name)
	}

	// Answering without sharing: stored, counted nowhere, no consent.
	resp := env.Do(t, me, answer, in(false, full...))
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"countedInStatistics":false,"statisticsConsent":null`)
	require.Contains(t, string(resp.Data), `"who5":60,"selfRatedHealth":4`, "WHO-5: the raw 15 times 4")

	// Sharing: the consent is recorded with the answer.
	resp = env.Do(t, me, answer, in(true, full...))
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"countedInStatistics":true,"statisticsConsent":{"purposes":["STATISTICS"],"dataCategories":["WELLBEING"]}`)
	var consents int
	require.NoError(t, env.Pool.QueryRow(ctx, `SELECT count(*) FROM consent_record WHERE newcomer_id = $1 AND 'STATISTICS' = ANY(purposes)
		AND 'WELLBEING' = ANY(data_categories)`, n.ID).Scan(&consents))
	require.Equal(t, 1, consents)

	// Declining.
	resp = env.Do(t, me, `mutation { declineQuestionnaire(input: {language: "sv"}) { declined answers { item } } }`, nil)
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"declineQuestionnaire":{"declined":true,"answers":[]}}`, string(resp.Data))

	// The newcomer reads their answers; the controlling coordinator does not (health data).
	read := `query($id: ID!) { node(id: $id) { ... on Newcomer { questionnaireResponses { declined } } } }`
	vars := map[string]any{"id": relay.ToGlobalID("Newcomer", n.ID)}
	resp = env.Do(t, me, read, vars)
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node":{"questionnaireResponses":[{"declined":false},{"declined":false},{"declined":true}]}}`, string(resp.Data))
	resp = env.DoFor(t, staff(t, env, "malmo", authz.RoleCoordinator), partnernet.PurposeEstablishmentCoordination, read, vars)
	require.NotEmpty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"questionnaireResponses":null`)

	var audited int
	require.NoError(t, env.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_event WHERE newcomer_id = $1 AND action IN
		('ANSWER_QUESTIONNAIRE', 'DECLINE_QUESTIONNAIRE', 'RECORD_CONSENT')`, n.ID).Scan(&audited))
	require.Equal(t, 4, audited, "two answers, the consent, the decline")
}

// TestActivityFeedback walks feedback on an activity: a newcomer who joined it rates it and
// comments; the comment waits for a moderator, who sees it without its author and approves it
// with the personal details taken out; the organiser reads ratings, approved comments only, and
// who gave the feedback only where the newcomer chose to be named; anonymous feedback is held
// back while fewer than the threshold gave it.
func TestActivityFeedback(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := t.Context()
	malmoID, abfID := orgID(t, env, "malmo"), orgID(t, env, "abf")
	act := testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{OrganiserID: abfID, Status: partnernet.ActivityPublished})
	actGID := relay.ToGlobalID("Activity", act.ID)
	var joined []authz.Principal
	for i := range 6 {
		n := testfactory.Newcomer(ctx, t, env.Pool, &testfactory.NewcomerOpts{ControllerID: malmoID, DisplayName: fmt.Sprintf("Person %d", i)})
		testfactory.Enrolment(ctx, t, env.Pool, &testfactory.EnrolmentOpts{ActivityID: act.ID, NewcomerID: n.ID})
		joined = append(joined, newcomerPrincipal(n.ID))
	}
	outsider := newcomerPrincipal(testfactory.Newcomer(ctx, t, env.Pool, &testfactory.NewcomerOpts{ControllerID: malmoID}).ID)
	give := `mutation($in: GiveActivityFeedbackInput!) { giveActivityFeedback(input: $in) { id rating comment named moderation publishedComment } }`
	feedback := func(rating int, comment any, named bool) map[string]any {
		return map[string]any{"in": map[string]any{"activityId": actGID, "rating": rating, "comment": comment, "named": named}}
	}
	organiser := staff(t, env, "abf", authz.RolePublisher)
	summary := func() apitest.Response {
		return env.Do(t, organiser, `query($id: ID!) { node(id: $id) { ... on Activity { feedback { count averageRating anonymousWithheld
		  entries { rating comment author } } } } }`, map[string]any{"id": actGID})
	}

	// Refusals: not joined, staff, hostile values.
	require.Equal(t, []string{"BAD_USER_INPUT"}, env.Do(t, outsider, give, feedback(5, nil, false)).Codes(), "not joined: as an unknown activity")
	require.Equal(t, []string{"FORBIDDEN"}, env.Do(t, organiser, give, feedback(5, nil, false)).Codes())
	for _, tt := range []struct {
		name string
		vars map[string]any
	}{
		{"rating 0", feedback(0, nil, false)}, {"rating 6", feedback(6, nil, false)},
		{"an over-long comment", feedback(3, strings.Repeat("x", 2001), false)},
	} {
		require.Equal(t, []string{"BAD_USER_INPUT"}, env.Do(t, joined[0], give, tt.vars).Codes(), tt.name)
	}

	// One named, with a comment naming someone: pending, not shown to the organiser.
	resp := env.Do(t, joined[0], give, feedback(4, "Bra! Ring mig på 070-123 45 67", true))
	require.Empty(t, resp.Errors)
	var got struct {
		GiveActivityFeedback struct {
			ID         string
			Moderation string
		}
	}
	resp.Decode(t, &got)
	require.Equal(t, "PENDING", got.GiveActivityFeedback.Moderation)
	resp = summary()
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node":{"feedback":{"count":1,"averageRating":4,"anonymousWithheld":false,
	  "entries":[{"rating":4,"comment":null,"author":"Person 0"}]}}}`, string(resp.Data))

	// Anonymous feedback from fewer than the threshold is held back, with the average.
	for i := 1; i <= 3; i++ {
		require.Empty(t, env.Do(t, joined[i], give, feedback(2, nil, false)).Errors)
	}
	resp = summary()
	require.JSONEq(t, `{"node":{"feedback":{"count":4,"averageRating":null,"anonymousWithheld":true,
	  "entries":[{"rating":4,"comment":null,"author":"Person 0"}]}}}`, string(resp.Data))
	for i := 4; i <= 5; i++ {
		require.Empty(t, env.Do(t, joined[i], give, feedback(5, nil, false)).Errors)
	}
	resp = summary()
	require.Contains(t, string(resp.Data), `"count":6,"averageRating":3.3333333333333335,"anonymousWithheld":false`)
	require.NotContains(t, string(resp.Data), "Person 1", "anonymous feedback never names its author")

	// Moderation: the queue shows the comment and never who wrote it; only moderators see it.
	queue := `{ moderationQueue { pending items { id rating comment activity { id } } } }`
	require.Equal(t, []string{"FORBIDDEN"}, env.Do(t, organiser, queue, nil).Codes())
	moderator := staff(t, env, "lansstyrelsen-skane", authz.RoleModerator)
	resp = env.Do(t, moderator, queue, nil)
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"pending":1`)
	require.Contains(t, string(resp.Data), "070-123 45 67")
	require.NotContains(t, string(resp.Data), "Person 0")
	moderate := `mutation($in: ModerateFeedbackInput!) { moderateFeedback(input: $in) { id comment } }`
	require.Equal(t, []string{"BAD_USER_INPUT"}, env.Do(t, moderator, moderate, map[string]any{"in": map[string]any{
		"feedbackId": got.GiveActivityFeedback.ID, "decision": "REJECT"}}).Codes(), "a rejection gives its reason")
	require.Equal(t, []string{"FORBIDDEN"}, env.Do(t, organiser, moderate, map[string]any{"in": map[string]any{
		"feedbackId": got.GiveActivityFeedback.ID, "decision": "APPROVE"}}).Codes())
	resp = env.Do(t, moderator, moderate, map[string]any{"in": map[string]any{
		"feedbackId": got.GiveActivityFeedback.ID, "decision": "APPROVE", "publishedComment": "Bra!"}})
	require.Empty(t, resp.Errors)
	resp = summary()
	require.Contains(t, string(resp.Data), `{"rating":4,"comment":"Bra!","author":"Person 0"}`)
	require.NotContains(t, string(resp.Data), "070")
	require.Contains(t, string(env.Do(t, moderator, queue, nil).Data), `"pending":0`)

	// Another organisation's staff read none of it; the newcomer withdraws theirs.
	resp = env.Do(t, staff(t, env, "lund", authz.RolePublisher), `query($id: ID!) { node(id: $id) { ... on Activity { feedback { count } } } }`,
		map[string]any{"id": actGID})
	require.Equal(t, []string{"FORBIDDEN"}, resp.Codes(), "%s", resp.Data)
	resp = env.Do(t, joined[0], `mutation($in: WithdrawActivityFeedbackInput!) { withdrawActivityFeedback(input: $in) { rating } }`,
		map[string]any{"in": map[string]any{"activityId": actGID}})
	require.Empty(t, resp.Errors)
	require.Contains(t, string(summary().Data), `"count":5`)

	var audited int
	require.NoError(t, env.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_event WHERE action IN ('GIVE_FEEDBACK', 'WITHDRAW_FEEDBACK', 'MODERATE_FEEDBACK')`).Scan(&audited))
	require.Equal(t, 6+1+1, audited)
}
