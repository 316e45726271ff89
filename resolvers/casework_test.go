package resolvers_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
)

const registerMutation = `mutation($in: RegisterNewcomerInput!) { registerNewcomer(input: $in) {
  newcomer { id identity { displayName } }
  possibleDuplicates { id }
} }`

// registration is a valid RegisterNewcomerInput, changed by change.
func registration(name string, change func(in map[string]any)) map[string]any {
	in := map[string]any{
		"displayName": name, "birthYear": 1990, "gender": "FEMALE",
		"arrivalDate": "2026-03-01", "planStartDate": "2026-04-01", "residenceMunicipalityCode": "1281",
		"contact":     map[string]any{"phone": "+46 70 111 22 33", "email": "amal@example.invalid"},
		"family":      []map[string]any{{"relation": "CHILD", "name": "Sami", "birthYear": 2019}},
		"languages":   []map[string]any{{"language": "ar", "proficiency": "NATIVE"}, {"language": "sv", "proficiency": "BASIC"}},
		"healthNotes": "Synthetic note",
		"background":  map[string]any{"educationLevel": "UNIVERSITY", "occupation": "Nurse", "yearsOfWork": 6},
	}
	if change != nil {
		change(in)
	}
	return map[string]any{"in": in}
}

// registered registers a newcomer in Malmö and returns their global ID.
func registered(t *testing.T, env *apitest.Env, name string) string {
	t.Helper()
	resp := env.DoFor(t, staff(t, env, "malmo", authz.RoleCoordinator), partnernet.PurposeEstablishmentCoordination, registerMutation, registration(name, nil))
	require.Empty(t, resp.Errors)
	return between(string(resp.Data), `"newcomer":{"id":"`, `"`)
}

// between returns the text of s between the first start and the next end.
func between(s, start, end string) string {
	_, rest, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(rest, end)
	return v
}

func TestRegisterNewcomer(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	malmo := staff(t, env, "malmo", authz.RoleCoordinator)

	refused := []struct {
		name      string
		principal authz.Principal
		vars      map[string]any
		wantCode  string
		wantField string
	}{
		{"anonymous", anonymous, registration("A", nil), "UNAUTHENTICATED", ""},
		{"a publisher", staff(t, env, "malmo", authz.RolePublisher), registration("A", nil), "FORBIDDEN", ""},
		{"an association's coordinator", staff(t, env, "abf", authz.RoleCoordinator), registration("A", nil), "FORBIDDEN", ""},
		{"a blank name", malmo, registration("  ", nil), "BAD_USER_INPUT", "input.displayName"},
		{"a birth year from the future", malmo, registration("A", func(in map[string]any) { in["birthYear"] = 2999 }), "BAD_USER_INPUT", "input.birthYear"},
		{"an arrival in the future", malmo, registration("A", func(in map[string]any) { in["arrivalDate"] = "2999-01-01" }), "BAD_USER_INPUT", "input.arrivalDate"},
		{"a plan before the arrival", malmo, registration("A", func(in map[string]any) { in["planStartDate"] = "2026-01-01" }), "BAD_USER_INPUT", "input.planStartDate"},
		{"a municipality outside Skåne", malmo, registration("A", func(in map[string]any) { in["residenceMunicipalityCode"] = "0180" }), "BAD_USER_INPUT", "input.residenceMunicipalityCode"},
		{"a bad phone", malmo, registration("A", func(in map[string]any) { in["contact"] = map[string]any{"phone": "call me"} }), "BAD_USER_INPUT", "input.contact.phone"},
		{"a bad email", malmo, registration("A", func(in map[string]any) { in["contact"] = map[string]any{"email": "nowhere"} }), "BAD_USER_INPUT", "input.contact.email"},
		{"a nameless child", malmo, registration("A", func(in map[string]any) {
			in["family"] = []map[string]any{{"relation": "CHILD", "name": ""}}
		}), "BAD_USER_INPUT", "input.family.0.name"},
		{"a language twice", malmo, registration("A", func(in map[string]any) {
			in["languages"] = []map[string]any{{"language": "ar", "proficiency": "NATIVE"}, {"language": "ar", "proficiency": "BASIC"}}
		}), "BAD_USER_INPUT", "input.languages.1.language"},
		{"negative work years", malmo, registration("A", func(in map[string]any) {
			in["background"] = map[string]any{"yearsOfWork": -1}
		}), "BAD_USER_INPUT", "input.background.yearsOfWork"},
	}
	for _, tt := range refused {
		t.Run("refused/"+tt.name, func(t *testing.T) {
			t.Parallel()
			resp := env.Do(t, tt.principal, registerMutation, tt.vars)
			require.Equal(t, []string{tt.wantCode}, resp.Codes(), "%+v", resp.Errors)
			if tt.wantField != "" {
				require.Equal(t, tt.wantField, resp.Errors[0].Extensions["field"])
			}
		})
	}

	id := registered(t, env, "Amal Registrerad")
	// Every category reads back for the controller, and the registration is audited.
	resp := env.DoFor(t, malmo, partnernet.PurposeEstablishmentCoordination, `query($id: ID!) { node(id: $id) { ... on Newcomer {
	  identity { displayName birthYear gender } controller { slug }
	  establishment { arrivalDate planStartDate residenceMunicipality { code } }
	  contact { phone email } family { relation name birthYear inSweden } languages { language proficiency }
	  background { educationLevel occupation yearsOfWork }
	} } }`, map[string]any{"id": id})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node":{
	  "identity":{"displayName":"Amal Registrerad","birthYear":1990,"gender":"FEMALE"},"controller":{"slug":"malmo"},
	  "establishment":{"arrivalDate":"2026-03-01","planStartDate":"2026-04-01","residenceMunicipality":{"code":"1281"}},
	  "contact":{"phone":"+46 70 111 22 33","email":"amal@example.invalid"},
	  "family":[{"relation":"CHILD","name":"Sami","birthYear":2019,"inSweden":true}],
	  "languages":[{"language":"ar","proficiency":"NATIVE"},{"language":"sv","proficiency":"BASIC"}],
	  "background":{"educationLevel":"UNIVERSITY","occupation":"Nurse","yearsOfWork":6}}}`, string(resp.Data))
	// An association without consent sees nothing of the new record.
	resp = env.DoFor(t, staff(t, env, "abf", authz.RolePublisher), partnernet.PurposeActivityParticipation,
		`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
	require.JSONEq(t, `{"node":null}`, string(resp.Data))
}

func TestDuplicatesAreFoundAndMerged(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	malmo := staff(t, env, "malmo", authz.RoleCoordinator)
	first := registered(t, env, "Hana Dubblett")
	// The same person again, her name spaced and cased otherwise: found as a possible duplicate.
	resp := env.DoFor(t, malmo, partnernet.PurposeEstablishmentCoordination, registerMutation, registration("hana  DUBBLETT", func(in map[string]any) {
		in["contact"] = map[string]any{"phone": "+46 70 999 88 77"}
		in["languages"] = []map[string]any{{"language": "ti", "proficiency": "FLUENT"}}
	}))
	require.Empty(t, resp.Errors)
	second := between(string(resp.Data), `"newcomer":{"id":"`, `"`)
	require.Contains(t, between(string(resp.Data), `"possibleDuplicates":`, `]`), first)
	// A consent given on the second record.
	resp = env.Do(t, malmo, `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"newcomerId": second, "recipientIds": []string{relay.ToGlobalID("Organisation", orgID(t, env, "abf"))},
		"purposes": []string{"ACTIVITY_PARTICIPATION"}, "dataCategories": []string{"IDENTITY"},
		"method": "WRITTEN", "noticeLanguage": "ti", "noticeVersion": "1"}})
	require.Empty(t, resp.Errors)

	const merge = `mutation($s: ID!, $d: ID!, $r: String!) { mergeNewcomers(input: { survivorId: $s, duplicateId: $d, reason: $r }) { id } }`
	refused := []struct {
		name      string
		principal authz.Principal
		vars      map[string]any
		wantCode  string
	}{
		{"by another municipality", staff(t, env, "lund", authz.RoleCoordinator), map[string]any{"s": first, "d": second, "r": "same"}, "BAD_USER_INPUT"},
		{"by a supervisor", staff(t, env, "malmo", authz.RoleSupervisor), map[string]any{"s": first, "d": second, "r": "same"}, "BAD_USER_INPUT"},
		{"into itself", malmo, map[string]any{"s": first, "d": first, "r": "same"}, "BAD_USER_INPUT"},
		{"without a reason", malmo, map[string]any{"s": first, "d": second, "r": " "}, "BAD_USER_INPUT"},
	}
	for _, tt := range refused {
		resp := env.Do(t, tt.principal, merge, tt.vars)
		require.Equal(t, []string{tt.wantCode}, resp.Codes(), tt.name)
	}
	resp = env.Do(t, malmo, merge, map[string]any{"s": first, "d": second, "r": "same person, registered twice"})
	require.Empty(t, resp.Errors)
	resp = env.Do(t, malmo, merge, map[string]any{"s": first, "d": second, "r": "again"})
	require.Equal(t, []string{"CONFLICT"}, resp.Codes(), "a merged record is merged once")

	resp = env.DoFor(t, malmo, partnernet.PurposeEstablishmentCoordination, `query($a: ID!, $b: ID!) {
	  a: node(id: $a) { ... on Newcomer { languages { language } contact { phone } consents(first: 5) { totalCount } merges { mergedId reason } possibleDuplicates { id } } }
	  b: node(id: $b) { ... on Newcomer { mergedInto { id } } }
	}`, map[string]any{"a": first, "b": second})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{
	  "a":{"languages":[{"language":"ar"},{"language":"sv"},{"language":"ti"}],"contact":{"phone":"+46 70 111 22 33"},
	       "consents":{"totalCount":1},"merges":[{"mergedId":"`+second+`","reason":"same person, registered twice"}],"possibleDuplicates":[]},
	  "b":{"mergedInto":{"id":"`+first+`"}}}`, string(resp.Data))
	// The merged record leaves the lists.
	resp = env.DoFor(t, malmo, partnernet.PurposeEstablishmentCoordination, `{ newcomers(first: 100, orderBy: {field: REGISTERED_AT, direction: DESC}) { edges { node { id } } } }`, nil)
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), first)
	require.NotContains(t, string(resp.Data), second)
}

// anActivityOf returns the global ID of a published activity of an organisation.
func anActivityOf(t *testing.T, env *apitest.Env, slug string) string {
	t.Helper()
	resp := env.Do(t, anonymous, `query($s: String!) { organisation(slug: $s) { activities(first: 1, filter: { statuses: [PUBLISHED] }) { edges { node { id } } } } }`,
		map[string]any{"s": slug})
	require.Empty(t, resp.Errors)
	id := between(string(resp.Data), `"id":"`, `"`)
	require.NotEmpty(t, id, "%s publishes activities in the demo network", slug)
	return id
}

func TestReferrals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	malmo := staff(t, env, "malmo", authz.RoleCoordinator)
	abfPublisher := staff(t, env, "abf", authz.RolePublisher)
	abf := relay.ToGlobalID("Organisation", orgID(t, env, "abf"))
	activity := anActivityOf(t, env, "abf")
	withConsent := newConsentFixture(t, env, partnernet.ConsentActive, partnernet.CategoryIdentity)
	without := newConsentFixture(t, env, "")
	const refer = `mutation($in: ReferNewcomerInput!) { referNewcomer(input: $in) { id status from { slug } to { slug } activity { id } history { status } } }`
	input := func(newcomer string, change func(in map[string]any)) map[string]any {
		in := map[string]any{"newcomerId": newcomer, "toOrganisationId": abf, "activityId": activity,
			"purpose": "ACTIVITY_PARTICIPATION", "note": "Wants to practise Swedish"}
		if change != nil {
			change(in)
		}
		return map[string]any{"in": in}
	}
	countReferrals := func() int {
		var n int
		require.NoError(t, env.Pool.QueryRow(t.Context(), "SELECT count(*) FROM referral").Scan(&n))
		return n
	}

	refused := []struct {
		name      string
		principal authz.Principal
		purpose   partnernet.Purpose
		vars      map[string]any
		wantCode  string
	}{
		{"anonymous", anonymous, "", input(withConsent.newcomerGID, nil), "UNAUTHENTICATED"},
		{"without a consent naming the receiver", malmo, partnernet.PurposeEstablishmentCoordination, input(without.newcomerGID, nil), "CONSENT_REQUIRED"},
		{"for a purpose the consent does not cover", malmo, partnernet.PurposeEstablishmentCoordination,
			input(withConsent.newcomerGID, func(in map[string]any) { in["purpose"] = "ADVICE"; delete(in, "activityId"); in["service"] = "advice" }), "CONSENT_REQUIRED"},
		{"by an organisation that cannot see the newcomer", staff(t, env, "lund", authz.RoleCoordinator), partnernet.PurposeReferral, input(withConsent.newcomerGID, nil), "BAD_USER_INPUT"},
		{"by a publisher", staff(t, env, "malmo", authz.RolePublisher), "", input(withConsent.newcomerGID, nil), "FORBIDDEN"},
		{"to an activity of another organisation", malmo, partnernet.PurposeEstablishmentCoordination,
			input(withConsent.newcomerGID, func(in map[string]any) { in["activityId"] = anActivityOf(t, env, "sensus") }), "BAD_USER_INPUT"},
		{"to nothing", malmo, partnernet.PurposeEstablishmentCoordination,
			input(withConsent.newcomerGID, func(in map[string]any) { delete(in, "activityId") }), "BAD_USER_INPUT"},
		{"for research", malmo, partnernet.PurposeEstablishmentCoordination,
			input(withConsent.newcomerGID, func(in map[string]any) { in["purpose"] = "RESEARCH" }), "BAD_USER_INPUT"},
	}
	for _, tt := range refused {
		resp := env.DoFor(t, tt.principal, tt.purpose, refer, tt.vars)
		require.Equal(t, []string{tt.wantCode}, resp.Codes(), "%s: %+v", tt.name, resp.Errors)
	}
	require.Zero(t, countReferrals(), "a refused referral writes nothing")

	resp := env.DoFor(t, malmo, partnernet.PurposeEstablishmentCoordination, refer, input(withConsent.newcomerGID, nil))
	require.Empty(t, resp.Errors)
	id := between(string(resp.Data), `"id":"`, `"`)
	require.JSONEq(t, `{"referNewcomer":{"id":"`+id+`","status":"SENT","from":{"slug":"malmo"},"to":{"slug":"abf"},"activity":{"id":"`+activity+`"},"history":[{"status":"SENT"}]}}`, string(resp.Data))

	const respond = `mutation($id: ID!, $s: ReferralStatus!, $note: String) { respondToReferral(input: { referralId: $id, status: $s, note: $note }) { status } }`
	steps := []struct {
		name      string
		principal authz.Principal
		status    string
		wantCode  string
	}{
		{"the referrer cannot accept", malmo, "ACCEPTED", "CONFLICT"},
		{"another organisation cannot answer", staff(t, env, "sensus", authz.RolePublisher), "ACCEPTED", "BAD_USER_INPUT"},
		{"the receiver accepts", abfPublisher, "ACCEPTED", ""},
		{"the receiver cannot accept twice", abfPublisher, "ACCEPTED", "CONFLICT"},
		{"the receiver completes", abfPublisher, "COMPLETED", ""},
		{"a completed referral cannot be cancelled", malmo, "CANCELLED", "CONFLICT"},
	}
	for _, st := range steps {
		resp := env.Do(t, st.principal, respond, map[string]any{"id": id, "s": st.status, "note": "Came twice; speaks well"})
		if st.wantCode == "" {
			require.Empty(t, resp.Errors, st.name)
		} else {
			require.Equal(t, []string{st.wantCode}, resp.Codes(), st.name)
		}
	}

	// Both ends list it; the referrer sees the outcome, not the receiver's note.
	const listed = `query($d: ReferralDirection!, $s: String!) { organisation(slug: $s) { referrals(direction: $d, first: 10) {
	  totalCount edges { node { status referrerNote receiverNote history { status } } } } } }`
	resp = env.Do(t, abfPublisher, listed, map[string]any{"d": "RECEIVED", "s": "abf"})
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"receiverNote":"Came twice; speaks well"`)
	require.Contains(t, string(resp.Data), `"history":[{"status":"SENT"},{"status":"ACCEPTED"},{"status":"COMPLETED"}]`)
	resp = env.Do(t, malmo, listed, map[string]any{"d": "MADE", "s": "malmo"})
	require.Equal(t, []string{"FORBIDDEN"}, resp.Codes())
	require.Contains(t, string(resp.Data), `"status":"COMPLETED","referrerNote":"Wants to practise Swedish","receiverNote":null`)
	resp = env.Do(t, staff(t, env, "sensus", authz.RoleOrgAdmin), listed, map[string]any{"d": "RECEIVED", "s": "abf"})
	require.Equal(t, []string{"FORBIDDEN"}, resp.Codes(), "another organisation lists none of ABF's referrals")
}

func TestSupportPlans(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	malmo := staff(t, env, "malmo", authz.RoleCoordinator)
	supervisor := staff(t, env, "radda-barnen", authz.RoleSupervisor)
	f := newConsentFixture(t, env, "")
	// Malmö records the newcomer's consent: Rädda Barnen may see identity and plan for MY PATH.
	resp := env.Do(t, malmo, `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"newcomerId": f.newcomerGID, "recipientIds": []string{relay.ToGlobalID("Organisation", orgID(t, env, "radda-barnen"))},
		"purposes": []string{"SUPPORT_PLAN"}, "dataCategories": []string{"IDENTITY", "PLAN"},
		"method": "WRITTEN", "noticeLanguage": "ar", "noticeVersion": "1"}})
	require.Empty(t, resp.Errors)

	const create = `mutation($n: ID!) { createSupportPlan(input: { newcomerId: $n, forFamily: true, needs: "Work and language", goals: "A job within a year" }) { id status } }`
	resp = env.DoFor(t, staff(t, env, "sensus", authz.RoleSupervisor), partnernet.PurposeSupportPlan, create, map[string]any{"n": f.newcomerGID})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "a supervisor no consent names does not see the newcomer")
	resp = env.DoFor(t, supervisor, partnernet.PurposeSupportPlan, create, map[string]any{"n": f.newcomerGID})
	require.Empty(t, resp.Errors)
	plan := between(string(resp.Data), `"id":"`, `"`)

	activity := anActivityOf(t, env, "abf")
	abf := relay.ToGlobalID("Organisation", orgID(t, env, "abf"))
	changes := []struct {
		name     string
		query    string
		vars     map[string]any
		wantCode string
	}{
		{"an activity step", `mutation($p: ID!, $o: ID!, $a: ID!) { addPlanStep(input: { planId: $p, kind: ACTIVITY, description: "Language café", responsibleOrganisationId: $o, dueDate: "2027-01-15", activityId: $a }) { id } }`,
			map[string]any{"p": plan, "o": abf, "a": activity}, ""},
		{"an activity step without its activity", `mutation($p: ID!, $o: ID!) { addPlanStep(input: { planId: $p, kind: ACTIVITY, description: "x", responsibleOrganisationId: $o }) { id } }`,
			map[string]any{"p": plan, "o": abf}, "BAD_USER_INPUT"},
		{"an appointment", `mutation($p: ID!, $o: ID!) { addPlanStep(input: { planId: $p, kind: APPOINTMENT, description: "Meet the employment service", responsibleOrganisationId: $o }) { id } }`,
			map[string]any{"p": plan, "o": relay.ToGlobalID("Organisation", orgID(t, env, "arbetsformedlingen"))}, ""},
		{"a step that does not exist", `mutation($p: ID!) { updatePlanStep(input: { planId: $p, index: 5, status: DONE }) { id } }`,
			map[string]any{"p": plan}, "BAD_USER_INPUT"},
		{"the first step done", `mutation($p: ID!) { updatePlanStep(input: { planId: $p, index: 0, status: DONE }) { id } }`,
			map[string]any{"p": plan}, ""},
		{"a follow-up", `mutation($p: ID!) { followUpPlan(input: { planId: $p, note: "Attends every week" }) { id } }`,
			map[string]any{"p": plan}, ""},
		{"the evaluation", `mutation($p: ID!) { evaluatePlan(input: { planId: $p, evaluation: "Goals met" }) { id } }`,
			map[string]any{"p": plan}, ""},
		{"a step after the evaluation", `mutation($p: ID!, $o: ID!) { addPlanStep(input: { planId: $p, kind: APPOINTMENT, description: "Late", responsibleOrganisationId: $o }) { id } }`,
			map[string]any{"p": plan, "o": abf}, "CONFLICT"},
	}
	for _, c := range changes {
		resp := env.DoFor(t, supervisor, partnernet.PurposeSupportPlan, c.query, c.vars)
		if c.wantCode == "" {
			require.Empty(t, resp.Errors, c.name)
		} else {
			require.Equal(t, []string{c.wantCode}, resp.Codes(), c.name)
		}
	}
	// Someone who sees the plan but does not run it cannot change it.
	resp = env.DoFor(t, malmo, partnernet.PurposeEstablishmentCoordination, `mutation($p: ID!) { followUpPlan(input: { planId: $p, note: "x" }) { id } }`, map[string]any{"p": plan})
	require.Equal(t, []string{"FORBIDDEN"}, resp.Codes())

	const read = `{ viewer { newcomer { supportPlans { forFamily needs status evaluation organisation { slug }
	  steps { kind description status dueDate activity { id } responsibleOrganisation { slug } } followUps { note } } } } }`
	self := authz.Principal{Subject: "self", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: f.newcomerID}
	resp = env.Do(t, self, read, nil)
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"viewer":{"newcomer":{"supportPlans":[{"forFamily":true,"needs":"Work and language","status":"EVALUATED","evaluation":"Goals met",
	  "organisation":{"slug":"radda-barnen"},"steps":[
	    {"kind":"ACTIVITY","description":"Language café","status":"DONE","dueDate":"2027-01-15","activity":{"id":"`+activity+`"},"responsibleOrganisation":{"slug":"abf"}},
	    {"kind":"APPOINTMENT","description":"Meet the employment service","status":"PLANNED","dueDate":null,"activity":null,"responsibleOrganisation":{"slug":"arbetsformedlingen"}}],
	  "followUps":[{"note":"Attends every week"}]}]}}}`, string(resp.Data))
	// The plan, reached by node(id): null for an organisation the newcomer's PLAN data is not released to.
	resp = env.DoFor(t, staff(t, env, "lund", authz.RoleCoordinator), partnernet.PurposeEstablishmentCoordination, `query($p: ID!) { node(id: $p) { id } }`, map[string]any{"p": plan})
	require.JSONEq(t, `{"node":null}`, string(resp.Data))
}

func TestMyDataAndErasure(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	f := newConsentFixture(t, env, partnernet.ConsentActive, partnernet.CategoryIdentity)
	self := authz.Principal{Subject: "self", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: f.newcomerID}
	other := newConsentFixture(t, env, "")
	stranger := authz.Principal{Subject: "stranger", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: other.newcomerID}

	for _, p := range []authz.Principal{anonymous, staff(t, env, "malmo", authz.RoleCoordinator)} {
		resp := env.Do(t, p, `{ myData }`, nil)
		require.NotEmpty(t, resp.Codes(), "only a newcomer exports their own data")
	}
	resp := env.Do(t, self, `{ myData }`, nil)
	require.Empty(t, resp.Errors)
	var export struct {
		MyData struct {
			Newcomer  map[string]any   `json:"newcomer"`
			Contact   []map[string]any `json:"contact"`
			Health    []map[string]any `json:"health"`
			Consents  []map[string]any `json:"consents"`
			AccessLog []map[string]any `json:"accessLog"`
		} `json:"myData"`
	}
	require.NoError(t, json.Unmarshal(resp.Data, &export))
	require.Equal(t, "Fixture Person", export.MyData.Newcomer["displayName"])
	require.Equal(t, "+46 70 174 00 00", export.MyData.Contact[0]["phone"])
	require.Equal(t, "Synthetic fixture note", export.MyData.Health[0]["notes"])
	require.Len(t, export.MyData.Consents, 1)
	require.NotEmpty(t, export.MyData.AccessLog, "who did what with the data, the consent's recording at least")

	const erase = `mutation($n: ID!) { eraseNewcomerData(input: { newcomerId: $n }) { id } }`
	resp = env.Do(t, stranger, erase, map[string]any{"n": f.newcomerGID})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "another newcomer cannot erase")
	resp = env.Do(t, staff(t, env, "lund", authz.RoleCoordinator), erase, map[string]any{"n": f.newcomerGID})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "another municipality cannot erase")
	resp = env.Do(t, self, erase, map[string]any{"n": f.newcomerGID})
	require.Empty(t, resp.Errors)
	resp = env.Do(t, self, erase, map[string]any{"n": f.newcomerGID})
	require.Equal(t, []string{"CONFLICT"}, resp.Codes(), "erased once")

	resp = env.Do(t, self, `{ viewer { newcomer { identity { displayName birthYear } contact { phone } languages { language } health { notes }
	  consents(first: 5) { edges { node { state } } } accessLog(first: 50) { totalCount } } } }`, nil)
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"viewer":{"newcomer":{"identity":{"displayName":"[erased]","birthYear":1990},"contact":null,"languages":[],"health":null,
	  "consents":{"edges":[{"node":{"state":"WITHDRAWN"}}]},"accessLog":{"totalCount":`+between(string(resp.Data), `"totalCount":`, `}`)+`}}}}`, string(resp.Data))
	require.Contains(t, string(resp.Data), `"accessLog":{"totalCount":`)
	var audited int
	require.NoError(t, env.Pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_event WHERE newcomer_id = $1 AND action IN ('EXPORT_DATA', 'ERASE_DATA')`, f.newcomerID).Scan(&audited))
	require.Equal(t, 2, audited, "the export and the erasure are in the audit trail, which stays")
}
