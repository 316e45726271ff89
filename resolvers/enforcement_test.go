package resolvers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// consentFixture is one newcomer of Malmö with data in every modelled category, and a consent
// naming ABF (an adult-education association) for activity participation, in a given state.
type consentFixture struct {
	newcomerID  int64
	newcomerGID string
	consentGID  string
}

// newConsentFixture registers the newcomer with data in every category (testfactory), records
// the consent as Malmö's coordinator through the GraphQL mutations, then brings the consent into
// state.
func newConsentFixture(t *testing.T, env *apitest.Env, state partnernet.ConsentState, categories ...partnernet.DataCategory) consentFixture {
	t.Helper()
	ctx := context.Background()
	birthYear, phone, email, occupation := 1990, "+46 70 174 00 00", "fixture@example.invalid", "Fixture occupation"
	newcomerID := testfactory.Newcomer(ctx, t, env.Pool, &testfactory.NewcomerOpts{
		ControllerID: orgID(t, env, "malmo"), DisplayName: "Fixture Person", BirthYear: &birthYear,
		Contact:    &partnernet.NewcomerContact{Phone: &phone, Email: &email},
		Languages:  []partnernet.LanguageSkill{{Language: "ar", Proficiency: partnernet.ProficiencyNative}},
		Health:     &partnernet.NewcomerHealth{Notes: "Synthetic fixture note"},
		Family:     []partnernet.FamilyMember{{Relation: partnernet.RelationChild, Name: "Fixture Child", InSweden: true}},
		Background: &partnernet.NewcomerBackground{Occupation: &occupation},
	}).ID
	f := consentFixture{newcomerID: newcomerID, newcomerGID: relay.ToGlobalID("Newcomer", newcomerID)}
	if state == "" {
		return f
	}
	from, until := time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0)
	switch state {
	case partnernet.ConsentStateExpired:
		from, until = time.Now().AddDate(-2, 0, 0), time.Now().AddDate(-1, 0, 0)
	case partnernet.ConsentPending:
		from = time.Now().AddDate(0, 1, 0)
		until = from.AddDate(1, 0, 0)
	}
	if len(categories) == 0 {
		categories = []partnernet.DataCategory{partnernet.CategoryIdentity, partnernet.CategoryContact}
	}
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	resp := env.Do(t, coordinator, `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id state } }`,
		map[string]any{"in": map[string]any{
			"newcomerId": f.newcomerGID, "recipientIds": []string{relay.ToGlobalID("Organisation", orgID(t, env, "abf"))},
			"purposes": []string{"ACTIVITY_PARTICIPATION"}, "dataCategories": categories,
			"method": "WRITTEN", "noticeLanguage": "ar", "noticeVersion": "2026.1",
			"validFrom": from.Format(time.RFC3339), "validUntil": until.Format(time.RFC3339),
		}})
	require.Empty(t, resp.Errors)
	var rec struct {
		RecordConsent struct{ ID, State string } `json:"recordConsent"`
	}
	resp.Decode(t, &rec)
	f.consentGID = rec.RecordConsent.ID
	if state == partnernet.ConsentStateWithdrawn {
		resp = env.Do(t, coordinator, `mutation($id: ID!) { withdrawConsent(input: {consentId: $id}) { state } }`,
			map[string]any{"id": f.consentGID})
		require.Empty(t, resp.Errors)
	}
	got := rec.RecordConsent.State
	if state == partnernet.ConsentStateWithdrawn {
		got = string(partnernet.ConsentStateWithdrawn)
	}
	require.Equal(t, string(state), got)
	return f
}

// The ways into a newcomer's data that the table walks, each reading one category field.
var enforcementPaths = map[string]string{
	"node":  `query($id: ID!) { node(id: $id) { ... on Newcomer { id %s } } }`,
	"nodes": `query($id: ID!) { nodes(ids: [$id]) { ... on Newcomer { id %s } } }`,
	"list": `{ newcomers(first: 100, orderBy: {field: REGISTERED_AT, direction: DESC}) {
		edges { node { id %s } } } }`,
	"consent→newcomer": `query($consent: ID!) { node(id: $consent) { ... on ConsentRecord { newcomer { id %s } } } }`,
	"viewer":           `{ viewer { newcomer { id %s } } }`,
}

// The field of each category in the schema.
var categoryFields = map[partnernet.DataCategory]string{
	partnernet.CategoryIdentity:      "identity { displayName birthYear }",
	partnernet.CategoryContact:       "contact { phone email }",
	partnernet.CategoryLanguages:     "languages { language proficiency }",
	partnernet.CategoryHealth:        "health { notes }",
	partnernet.CategoryFamily:        "family { name relation }",
	partnernet.CategoryBackground:    "background { occupation }",
	partnernet.CategoryPlan:          "supportPlans { needs }",
	partnernet.CategoryParticipation: "enrolments { status }",
	partnernet.CategoryOutcomes:      "outcomes { kind }",
	partnernet.CategoryWellbeing:     "questionnaireResponses { declined }",
}

// outcome is what a request may find of the category field.
type outcome string

const (
	released outcome = "released" // the value, no error
	hidden   outcome = "hidden"   // the newcomer is not there at all
)

// findNewcomer returns the newcomer object a path's response holds, or nil, and for the list
// its index.
func findNewcomer(t *testing.T, path string, data json.RawMessage, gid string) (map[string]any, int) {
	t.Helper()
	var d map[string]any
	require.NoError(t, json.Unmarshal(data, &d))
	if path == "list" {
		c, _ := d["newcomers"].(map[string]any)
		if c == nil {
			return nil, -1
		}
		for i, e := range c["edges"].([]any) {
			node := e.(map[string]any)["node"].(map[string]any)
			if node["id"] == gid {
				return node, i
			}
		}
		return nil, -1
	}
	return findOne(path, d), -1
}

// errorsAt keeps the errors about the newcomer: all of them, but in a list only those under
// the newcomer's edge.
func errorsAt(errs []apitest.Error, path string, index int) []apitest.Error {
	if path != "list" {
		return errs
	}
	var out []apitest.Error
	for _, e := range errs {
		if len(e.Path) > 2 && e.Path[2] == float64(index) {
			out = append(out, e)
		}
	}
	return out
}

// findOne returns the newcomer object of a single-object path.
func findOne(path string, d map[string]any) map[string]any {
	switch path {
	case "viewer":
		v, _ := d["viewer"].(map[string]any)
		if v == nil {
			return nil
		}
		n, _ := v["newcomer"].(map[string]any)
		return n
	case "node":
		n, _ := d["node"].(map[string]any)
		if len(n) == 0 {
			return nil
		}
		return n
	case "nodes":
		list, _ := d["nodes"].([]any)
		if len(list) == 0 || list[0] == nil {
			return nil
		}
		return list[0].(map[string]any)
	case "consent→newcomer":
		n, _ := d["node"].(map[string]any)
		if len(n) == 0 {
			return nil
		}
		nc, _ := n["newcomer"].(map[string]any)
		return nc
	}
	return nil
}

// TestEnforcementTable walks role × category × consent state × path: each cell releases the
// category's value, refuses it with FORBIDDEN or CONSENT_REQUIRED (null, no hint of the
// value), or does not show the newcomer at all; and each release and denial is audited.
func TestEnforcementTable(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	states := map[partnernet.ConsentState]consentFixture{}
	for _, s := range []partnernet.ConsentState{partnernet.ConsentActive, partnernet.ConsentStateWithdrawn, partnernet.ConsentStateExpired, partnernet.ConsentPending, ""} {
		states[s] = newConsentFixture(t, env, s)
	}

	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	supervisor := staff(t, env, "malmo", authz.RoleSupervisor)
	publisher := staff(t, env, "abf", authz.RolePublisher)
	lundCoordinator := staff(t, env, "lund", authz.RoleCoordinator)
	networkAdmin := staff(t, env, "lansstyrelsen-skane", authz.RoleNetworkAdmin)
	analyst := staff(t, env, "malmo-universitet", authz.RoleAnalyst)
	self := func(f consentFixture) authz.Principal {
		return authz.Principal{Subject: fmt.Sprintf("newcomer:%d", f.newcomerID), Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: f.newcomerID}
	}
	stranger := authz.Principal{Subject: "newcomer:0", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: 1}

	const (
		none        = ""
		coordinate  = partnernet.PurposeEstablishmentCoordination
		participate = partnernet.PurposeActivityParticipation
		plan        = partnernet.PurposeSupportPlan
	)
	type cell struct {
		who      string
		p        func(consentFixture) authz.Principal
		purpose  partnernet.Purpose
		state    partnernet.ConsentState
		category partnernet.DataCategory
		want     outcome // released, hidden, or an error code
	}
	fixed := func(p authz.Principal) func(consentFixture) authz.Principal {
		return func(consentFixture) authz.Principal { return p }
	}
	var cells []cell
	add := func(who string, p func(consentFixture) authz.Principal, purpose partnernet.Purpose, state partnernet.ConsentState, want map[partnernet.DataCategory]outcome) {
		for cat, w := range want {
			cells = append(cells, cell{who, p, purpose, state, cat, w})
		}
	}
	all := func(o outcome) map[partnernet.DataCategory]outcome {
		out := map[partnernet.DataCategory]outcome{}
		for c := range categoryFields {
			out[c] = o
		}
		return out
	}
	// The controller's coordinator: public task for coordination, never health; a purpose must
	// be declared. The consent to ABF changes nothing for Malmö.
	for _, s := range []partnernet.ConsentState{partnernet.ConsentActive, partnernet.ConsentStateWithdrawn, ""} {
		add("malmö coordinator", fixed(coordinator), coordinate, s, map[partnernet.DataCategory]outcome{
			partnernet.CategoryIdentity: released, partnernet.CategoryContact: released,
			partnernet.CategoryLanguages: released, partnernet.CategoryHealth: "FORBIDDEN",
			partnernet.CategoryFamily: released, partnernet.CategoryBackground: released,
			partnernet.CategoryPlan: released, partnernet.CategoryParticipation: released,
			partnernet.CategoryOutcomes: released, partnernet.CategoryWellbeing: "FORBIDDEN"})
		add("malmö coordinator without purpose", fixed(coordinator), none, s, all("FORBIDDEN"))
	}
	// The controller's supervisor: health only under a consent naming Malmö, which none does.
	add("malmö supervisor", fixed(supervisor), plan, partnernet.ConsentActive, map[partnernet.DataCategory]outcome{
		partnernet.CategoryIdentity: "CONSENT_REQUIRED", partnernet.CategoryHealth: "CONSENT_REQUIRED",
		partnernet.CategoryFamily: "CONSENT_REQUIRED", partnernet.CategoryBackground: "CONSENT_REQUIRED",
		partnernet.CategoryPlan: "CONSENT_REQUIRED", partnernet.CategoryParticipation: "CONSENT_REQUIRED",
		partnernet.CategoryOutcomes: "CONSENT_REQUIRED", partnernet.CategoryWellbeing: "CONSENT_REQUIRED"})
	// The association: only through an active consent, only the categories it names.
	add("abf publisher, active consent", fixed(publisher), participate, partnernet.ConsentActive, map[partnernet.DataCategory]outcome{
		partnernet.CategoryIdentity: released, partnernet.CategoryContact: released,
		partnernet.CategoryLanguages: "CONSENT_REQUIRED", partnernet.CategoryHealth: "FORBIDDEN",
		partnernet.CategoryFamily: "FORBIDDEN", partnernet.CategoryBackground: "FORBIDDEN",
		partnernet.CategoryPlan: "FORBIDDEN", partnernet.CategoryParticipation: "CONSENT_REQUIRED",
		partnernet.CategoryOutcomes: "FORBIDDEN", partnernet.CategoryWellbeing: "FORBIDDEN"})
	for _, s := range []partnernet.ConsentState{partnernet.ConsentStateWithdrawn, partnernet.ConsentStateExpired, partnernet.ConsentPending, ""} {
		add("abf publisher, consent "+string(s), fixed(publisher), participate, s, all(hidden))
	}
	add("abf publisher without purpose", fixed(publisher), none, partnernet.ConsentActive, all(hidden))
	// Others see nothing, whatever the consent to ABF.
	add("lund coordinator", fixed(lundCoordinator), coordinate, partnernet.ConsentActive, all(hidden))
	add("network admin", fixed(networkAdmin), none, partnernet.ConsentActive, all(hidden))
	add("analyst", fixed(analyst), none, partnernet.ConsentActive, all(hidden))
	add("anonymous", fixed(anonymous), none, partnernet.ConsentActive, all(hidden))
	add("another newcomer", fixed(stranger), none, partnernet.ConsentActive, all(hidden))
	// The newcomer sees everything of their own, consent or not.
	add("the newcomer", self, none, partnernet.ConsentStateWithdrawn, all(released))
	add("the newcomer", self, none, partnernet.ConsentActive, all(released))

	for _, c := range cells {
		for path, query := range enforcementPaths {
			f := states[c.state]
			if path == "consent→newcomer" && f.consentGID == "" {
				continue
			}
			if path == "viewer" && c.who != "the newcomer" {
				continue // viewer.newcomer is the signed-in newcomer's own record only
			}
			name := fmt.Sprintf("%s/%s/%s/%s/%s", c.who, c.purpose, c.state, c.category, path)
			t.Run(name, func(t *testing.T) {
				field := categoryFields[c.category]
				want := c.want
				if path == "consent→newcomer" && want != hidden && c.who != "the newcomer" && !strings.HasPrefix(c.who, "malmö") {
					want = hidden // consent records are the controller's and the newcomer's only
				}
				if path == "list" && c.who == "the newcomer" {
					want = hidden // the staff list is refused; viewer is the newcomer's way in
				}
				vars := map[string]any{"id": f.newcomerGID}
				switch path {
				case "list", "viewer":
					vars = nil
				case "consent→newcomer":
					vars = map[string]any{"consent": f.consentGID}
				}
				resp := env.DoFor(t, c.p(f), c.purpose, fmt.Sprintf(query, field), vars)
				if path == "list" && len(resp.Errors) == 1 && resp.Errors[0].Path[len(resp.Errors[0].Path)-1] == "newcomers" {
					// The list itself is refused to a caller who may list nobody (a newcomer
					// reads their own record through viewer).
					require.Equal(t, hidden, want, "the list was refused: %v", resp.Errors)
					require.Contains(t, []string{"FORBIDDEN", "UNAUTHENTICATED"}, resp.Errors[0].Code())
					require.JSONEq(t, "null", string(resp.Data))
					return
				}
				n, index := findNewcomer(t, path, resp.Data, f.newcomerGID)
				errs := errorsAt(resp.Errors, path, index)
				key := fieldName(field)
				switch want {
				case hidden:
					require.Empty(t, errs)
					require.Nil(t, n, "the newcomer must not be visible: %s", resp.Data)
				case released:
					require.Empty(t, errs)
					require.NotNil(t, n)
					require.NotNil(t, n[key], "the %s must be released: %s", key, resp.Data)
				default:
					require.NotNil(t, n, "the record is visible, the category refused: %s", resp.Data)
					require.Nil(t, n[key])
					require.Len(t, errs, 1)
					require.Equal(t, string(want), errs[0].Code())
					require.Equal(t, key, errs[0].Path[len(errs[0].Path)-1])
					require.NotContains(t, errs[0].Message, "Fixture")
					require.NotContains(t, errs[0].Message, "+46")
				}
				if want != hidden {
					requireAudited(t, env, c.p(f), f.newcomerID, c.category, want)
				}
			})
		}
	}
}

// fieldName is the first word of a selection: the field's name.
func fieldName(selection string) string {
	for i, r := range selection {
		if r == ' ' {
			return selection[:i]
		}
	}
	return selection
}

// requireAudited finds the audit entry of the latest decision on a newcomer's category by p.
func requireAudited(t *testing.T, env *apitest.Env, p authz.Principal, newcomerID int64, category partnernet.DataCategory, want outcome) {
	t.Helper()
	decision := partnernet.AuditReleased
	if want != released {
		decision = partnernet.AuditDenied
	}
	var n int
	require.NoError(t, env.Pool.QueryRow(context.Background(), `
		SELECT count(*) FROM audit_event WHERE newcomer_id = $1 AND subject = $2 AND decision = $3
		AND $4 = ANY(categories)`, newcomerID, p.Subject, string(decision), string(category)).Scan(&n))
	require.Positive(t, n, "no audit entry for %s of %s", decision, category)
}

// TestEnforcementSharingAtEnrolment walks the ways an organiser reaches a participant of its
// activity (the newcomer by node, and the enrolment's participant) × category × what the
// participant chose at enrolment (issue 15): the consent they give when enrolling releases
// exactly the categories they shared, to the organiser's staff declaring ACTIVITY_PARTICIPATION,
// through the same decision point as every consent; withdrawn, never given, or asked without
// the purpose or by another association, the participant is an explained anonymous place.
func TestEnforcementSharingAtEnrolment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := apitest.New(t)
	course := testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{OrganiserID: orgID(t, env, "abf"),
		Status: partnernet.ActivityPublished})
	courseGID := relay.ToGlobalID("Activity", course.ID)
	type fixture struct {
		newcomer consentFixture
		anon     partnernet.AnonymityReason // what the organiser's staff see when the record is not released
	}
	enrol := func(share, withdraw bool) fixture {
		f := newConsentFixture(t, env, "")
		self := authz.Principal{Subject: fmt.Sprintf("newcomer:%d", f.newcomerID), Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: f.newcomerID}
		in := map[string]any{"activityId": courseGID}
		if share {
			in["sharing"] = map[string]any{"categories": []string{"IDENTITY", "CONTACT", "LANGUAGES"}, "noticeLanguage": "ar"}
		}
		resp := env.Do(t, self, `mutation($in: EnrolInput!) { enrol(input: $in) { sharing { id } } }`, map[string]any{"in": in})
		require.Empty(t, resp.Errors)
		var got struct {
			Enrol struct{ Sharing *struct{ ID string } } `json:"enrol"`
		}
		resp.Decode(t, &got)
		if !share {
			return fixture{f, partnernet.AnonymousNotShared}
		}
		require.NotNil(t, got.Enrol.Sharing)
		f.consentGID = got.Enrol.Sharing.ID
		if !withdraw {
			return fixture{f, partnernet.AnonymousNotReleased}
		}
		resp = env.Do(t, self, `mutation($id: ID!) { withdrawConsent(input: {consentId: $id}) { state } }`, map[string]any{"id": f.consentGID})
		require.Empty(t, resp.Errors, "the newcomer withdraws their sharing")
		return fixture{f, partnernet.AnonymousWithdrawn}
	}
	fixtures := map[string]fixture{"shared": enrol(true, false), "withdrawn": enrol(true, true), "not shared": enrol(false, false)}

	publisher := staff(t, env, "abf", authz.RolePublisher)
	redCross := staff(t, env, "roda-korset", authz.RolePublisher)
	const participate = partnernet.PurposeActivityParticipation
	sharedCategories := map[partnernet.DataCategory]outcome{
		partnernet.CategoryIdentity: released, partnernet.CategoryContact: released, partnernet.CategoryLanguages: released,
		partnernet.CategoryHealth: "FORBIDDEN", partnernet.CategoryFamily: "FORBIDDEN", partnernet.CategoryBackground: "FORBIDDEN",
		partnernet.CategoryPlan: "FORBIDDEN", partnernet.CategoryParticipation: "CONSENT_REQUIRED",
		partnernet.CategoryOutcomes: "FORBIDDEN", partnernet.CategoryWellbeing: "FORBIDDEN",
	}
	tests := []struct {
		who     string
		p       authz.Principal
		purpose partnernet.Purpose
		fixture string
		want    map[partnernet.DataCategory]outcome // nil: not released at all
	}{
		{"abf publisher", publisher, participate, "shared", sharedCategories},
		{"abf publisher without purpose", publisher, "", "shared", nil},
		{"abf publisher", publisher, participate, "withdrawn", nil},
		{"abf publisher", publisher, participate, "not shared", nil},
		{"red cross publisher", redCross, participate, "shared", nil},
	}
	const (
		byNode        = `query($id: ID!) { node(id: $id) { ... on Newcomer { id %s } } }`
		byParticipant = `query($activity: ID!) { node(id: $activity) { ... on Activity { enrolments(first: 10) {
			edges { node { participant { __typename ... on NamedParticipant { sharedCategories newcomer { id %s } }
			... on AnonymousParticipant { reason explanation } } } } } } } }`
	)
	for _, tt := range tests {
		f := fixtures[tt.fixture]
		for _, name := range partnernet.DataCategory("").Values() {
			cat := partnernet.DataCategory(name)
			field, ok := categoryFields[cat]
			if !ok {
				continue
			}
			for path, query := range map[string]string{"node": byNode, "enrolment→participant": byParticipant} {
				t.Run(fmt.Sprintf("%s/%s/%s/%s/%s", tt.who, tt.purpose, tt.fixture, cat, path), func(t *testing.T) {
					vars := map[string]any{"id": f.newcomer.newcomerGID}
					if path != "node" {
						vars = map[string]any{"activity": courseGID}
					}
					resp := env.DoFor(t, tt.p, tt.purpose, fmt.Sprintf(query, field), vars)
					var n map[string]any
					var errs []apitest.Error
					if path == "node" {
						n, _ = findNewcomer(t, "node", resp.Data, f.newcomer.newcomerGID)
						errs = resp.Errors
					} else {
						var d struct {
							Node *struct {
								Enrolments *struct {
									Edges []struct {
										Node struct{ Participant map[string]any } `json:"node"`
									} `json:"edges"`
								} `json:"enrolments"`
							} `json:"node"`
						}
						require.NoError(t, json.Unmarshal(resp.Data, &d))
						require.NotNil(t, d.Node, "%v", resp.Errors)
						if tt.who == "red cross publisher" {
							require.Nil(t, d.Node.Enrolments, "another association may not list the enrolments")
							require.Len(t, resp.Errors, 1)
							require.Equal(t, "FORBIDDEN", resp.Errors[0].Code())
							return
						}
						require.NotNil(t, d.Node.Enrolments)
						found := 0
						for i, e := range d.Node.Enrolments.Edges {
							p := e.Node.Participant
							require.NotNil(t, p, "a participant is never null")
							if nc, _ := p["newcomer"].(map[string]any); nc != nil && nc["id"] == f.newcomer.newcomerGID {
								n = nc
								found++
								for _, e := range resp.Errors {
									if len(e.Path) > 3 && e.Path[3] == float64(i) {
										errs = append(errs, e)
									}
								}
							}
						}
						if tt.want == nil {
							require.Zero(t, found, "the participant is not named: %s", resp.Data)
							reasons := map[string]int{}
							for _, e := range d.Node.Enrolments.Edges {
								if r, ok := e.Node.Participant["reason"].(string); ok {
									reasons[r]++
									require.NotEmpty(t, e.Node.Participant["explanation"])
								}
							}
							wantReason := f.anon
							if tt.purpose == "" && f.anon == partnernet.AnonymousNotReleased {
								wantReason = partnernet.AnonymousNotReleased
							}
							require.Positive(t, reasons[string(wantReason)], "an anonymous place says why: %s", resp.Data)
							return
						}
						require.Equal(t, 1, found)
					}
					want, ok := tt.want[cat]
					if tt.want == nil {
						require.Nil(t, n, "the newcomer must not be visible: %s", resp.Data)
						require.Empty(t, errs)
						return
					}
					require.True(t, ok)
					key := fieldName(field)
					require.NotNil(t, n, "the record is visible: %s", resp.Data)
					if want == released {
						require.Empty(t, errs)
						require.NotNil(t, n[key], "the %s must be released: %s", key, resp.Data)
					} else {
						require.Nil(t, n[key])
						require.Len(t, errs, 1, "%v", errs)
						require.Equal(t, string(want), errs[0].Code())
						require.NotContains(t, errs[0].Message, "Fixture")
					}
					requireAudited(t, env, tt.p, f.newcomer.newcomerID, cat, want)
				})
			}
		}
	}
}

// workCaller is one principal of the case-work enforcement table, given the newcomer of the cell
// (the newcomer acts as themself), with the purpose it declares; token, when set, is the bearer
// token of an external identity provider it signs in with instead.
type workCaller struct {
	name    string
	p       func(newcomerID int64) authz.Principal
	purpose partnernet.Purpose
	token   func() string
}

// caseWorkCallers are the principals every new field and mutation of case work is tried as.
func caseWorkCallers(t *testing.T, env *apitest.Env, idp *externalIdP) []workCaller {
	fixed := func(p authz.Principal) func(int64) authz.Principal { return func(int64) authz.Principal { return p } }
	var invitees atomic.Int64
	return []workCaller{
		{name: "malmö coordinator", p: fixed(staff(t, env, "malmo", authz.RoleCoordinator)), purpose: partnernet.PurposeEstablishmentCoordination},
		{name: "malmö coordinator without purpose", p: fixed(staff(t, env, "malmo", authz.RoleCoordinator))},
		{name: "malmö supervisor", p: fixed(staff(t, env, "malmo", authz.RoleSupervisor)), purpose: partnernet.PurposeSupportPlan},
		{name: "abf publisher, active consent", p: fixed(staff(t, env, "abf", authz.RolePublisher)), purpose: partnernet.PurposeActivityParticipation},
		{name: "lund coordinator", p: fixed(staff(t, env, "lund", authz.RoleCoordinator)), purpose: partnernet.PurposeEstablishmentCoordination},
		{name: "network admin", p: fixed(staff(t, env, "lansstyrelsen-skane", authz.RoleNetworkAdmin))},
		{name: "im admin", p: fixed(staff(t, env, "im", authz.RoleOrgAdmin))},
		{name: "anonymous", p: fixed(anonymous)},
		{name: "the newcomer", p: func(id int64) authz.Principal {
			return authz.Principal{Subject: fmt.Sprintf("newcomer:%d", id), Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: id}
		}},
		{name: "another newcomer", p: fixed(authz.Principal{Subject: "newcomer:0", Roles: []authz.Role{authz.RoleNewcomer}, NewcomerID: 1})},
		{name: "invitee", token: func() string { return idp.token(t, fmt.Sprintf("invitee-%d", invitees.Add(1))) }},
	}
}

// do sends a request as the caller.
func (c workCaller) do(t *testing.T, env *apitest.Env, newcomerID int64, query string, vars map[string]any) apitest.Response {
	t.Helper()
	if c.token != nil {
		return asBearer(t, env, c.token(), query, vars)
	}
	return env.DoFor(t, c.p(newcomerID), c.purpose, query, vars)
}

// The outcome columns of the case-work table: released, hidden, ok (a mutation succeeded) or
// an error code.
const (
	ok outcome = "ok"
)

// TestEnforcementCaseWork walks every field and mutation that case work (issue 14) added, as
// every kind of caller: each cell releases, hides the newcomer, succeeds, or refuses with a
// stable code. Values never leak into a refusal.
func TestEnforcementCaseWork(t *testing.T) {
	t.Parallel()
	idp := newExternalIdP(t)
	env := apitest.New(t, trusting(idp))
	ctx := context.Background()
	callers := caseWorkCallers(t, env, idp)
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	const coordinate = partnernet.PurposeEstablishmentCoordination

	// One newcomer for the read table: consent to ABF for identity and contact, assigned, with
	// a correction, a transfer asked for and cancelled, an invitation and a sign-in.
	f := newConsentFixture(t, env, partnernet.ConsentActive)
	mustDo := func(p authz.Principal, query string, vars map[string]any) apitest.Response {
		t.Helper()
		resp := env.DoFor(t, p, coordinate, query, vars)
		require.Empty(t, resp.Errors, "%s", query)
		return resp
	}
	mustDo(coordinator, `mutation($id: ID!) { assignCase(input: {newcomerId: $id, assignee: "coordinator@malmo"}) { id } }`, map[string]any{"id": f.newcomerGID})
	mustDo(coordinator, `mutation($id: ID!) { updateNewcomerContact(input: {newcomerId: $id, version: 1, contact: {phone: "+46 70 111 11 11"}}) { version } }`, map[string]any{"id": f.newcomerGID})
	bind := func(newcomerID int64, subject string) (invitationGID, signInGID string) {
		t.Helper()
		code, hash, err := authn.NewInvitationCode()
		require.NoError(t, err)
		require.NotEmpty(t, code)
		inv, err := env.Store.NewcomerInvitationCreate(ctx, partnernet.NewcomerInvitation{
			NewcomerID: newcomerID, SecretHash: hash, CreatedBy: coordinator.Subject, ExpiresAt: time.Now().Add(time.Hour)})
		require.NoError(t, err)
		if subject == "" {
			return relay.ToGlobalID("NewcomerInvitation", inv.ID), ""
		}
		l, err := env.Store.NewcomerInvitationRedeem(ctx, hash, subject)
		require.NoError(t, err)
		return relay.ToGlobalID("NewcomerInvitation", inv.ID), relay.ToGlobalID("NewcomerSignIn", l.ID)
	}
	bind(f.newcomerID, "https://idp.example|fixture")

	reads := map[string]string{
		"version":        "version(category: CONTACT)",
		"changes":        "changes(categories: [CONTACT]) { totalCount edges { node { fields changedBy } } }",
		"status":         "status",
		"lastActivityAt": "lastActivityAt",
		"assignedTo":     "assignedTo",
		"assignedAt":     "assignedAt",
		"assignments":    "assignments { assignee }",
		"transfers":      "transfers { status }",
		"invitations":    "invitations { usable }",
		"signIns":        "signIns { subject }",
	}
	// What each caller finds of each new field of Newcomer, through node(id).
	wantRead := map[string]map[string]outcome{
		"malmö coordinator": {"version": released, "changes": released, "status": released, "lastActivityAt": released,
			"assignedTo": released, "assignedAt": released, "assignments": released, "transfers": released,
			"invitations": released, "signIns": released},
		"malmö coordinator without purpose": {"version": "FORBIDDEN", "changes": "FORBIDDEN", "status": released, "lastActivityAt": released,
			"assignedTo": released, "assignedAt": released, "assignments": released, "transfers": released,
			"invitations": released, "signIns": released},
		"malmö supervisor": {"version": "CONSENT_REQUIRED", "changes": "CONSENT_REQUIRED", "status": released, "lastActivityAt": released,
			"assignedTo": released, "assignedAt": released, "assignments": released, "transfers": released,
			"invitations": "FORBIDDEN", "signIns": "FORBIDDEN"},
		"abf publisher, active consent": {"version": released, "changes": released, "status": released, "lastActivityAt": released,
			"assignedTo": "FORBIDDEN", "assignedAt": "FORBIDDEN", "assignments": "FORBIDDEN", "transfers": "FORBIDDEN",
			"invitations": "FORBIDDEN", "signIns": "FORBIDDEN"},
		"the newcomer": {"version": released, "changes": released, "status": released, "lastActivityAt": released,
			"assignedTo": released, "assignedAt": released, "assignments": "FORBIDDEN", "transfers": "FORBIDDEN",
			"invitations": released, "signIns": released},
	}
	var mismatches []string
	for _, c := range callers {
		for field, sel := range reads {
			want, listed := wantRead[c.name][field]
			if !listed {
				want = hidden
			}
			resp := c.do(t, env, f.newcomerID, `query($id: ID!) { node(id: $id) { ... on Newcomer { id `+sel+` } } }`,
				map[string]any{"id": f.newcomerGID})
			got := readOutcome(t, resp, field)
			if got != want {
				mismatches = append(mismatches, fmt.Sprintf("read %s as %s: got %s, want %s (%s)", field, c.name, got, want, resp.Data))
			}
			for _, e := range resp.Errors {
				require.NotContains(t, e.Message, "+46")
				require.NotContains(t, e.Message, "Fixture")
			}
		}
	}

	// Each mutation, on a fresh newcomer of Malmö (with a consent to ABF) for each caller.
	type fixture struct {
		newcomerID int64
		gid        string
	}
	var slugs atomic.Int64
	transfer := func(fx fixture) string {
		t.Helper()
		var out struct {
			RequestCaseTransfer struct{ ID string } `json:"requestCaseTransfer"`
		}
		mustDo(coordinator, `mutation($id: ID!) { requestCaseTransfer(input: {newcomerId: $id, toMunicipalityCode: "1281"}) { id } }`,
			map[string]any{"id": fx.gid}).Decode(t, &out)
		return out.RequestCaseTransfer.ID
	}
	desk := testfactory.AdviceDesk(ctx, t, env.Pool, &testfactory.AdviceDeskOpts{OrganisationID: orgID(t, env, "im")})
	orgInput := func() map[string]any {
		return map[string]any{"name": "Testförening", "kind": "ASSOCIATION", "sector": "CIVIC",
			"participations": []any{map[string]any{"programme": "NAD", "role": "PARTNER"}},
			"profile":        map[string]any{"website": "https://example.org", "contact": map[string]any{"email": "info@example.org"}}}
	}
	mutations := map[string]struct {
		query string
		vars  func(fx fixture) map[string]any
	}{
		"updateNewcomerIdentity": {`mutation($in: UpdateNewcomerIdentityInput!) { updateNewcomerIdentity(input: $in) { version } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "version": 1, "displayName": "Fixture Renamed"}}
			}},
		"updateNewcomerContact": {`mutation($in: UpdateNewcomerContactInput!) { updateNewcomerContact(input: $in) { version } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "version": 1, "contact": map[string]any{"phone": "+46 70 222 22 22"}}}
			}},
		"updateNewcomerFamily": {`mutation($in: UpdateNewcomerFamilyInput!) { updateNewcomerFamily(input: $in) { version } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "version": 1, "family": []any{}}}
			}},
		"updateNewcomerLanguages": {`mutation($in: UpdateNewcomerLanguagesInput!) { updateNewcomerLanguages(input: $in) { version } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "version": 1,
					"languages": []any{map[string]any{"language": "sv", "proficiency": "BASIC"}}}}
			}},
		"updateNewcomerHealth": {`mutation($in: UpdateNewcomerHealthInput!) { updateNewcomerHealth(input: $in) { version } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "version": 1, "notes": "Changed note"}}
			}},
		"updateNewcomerBackground": {`mutation($in: UpdateNewcomerBackgroundInput!) { updateNewcomerBackground(input: $in) { version } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "version": 1, "background": nil}}
			}},
		"assignCase": {`mutation($in: AssignCaseInput!) { assignCase(input: $in) { id } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "assignee": coordinator.Subject}}
			}},
		"requestCaseTransfer": {`mutation($in: RequestCaseTransferInput!) { requestCaseTransfer(input: $in) { id } }`,
			func(fx fixture) map[string]any {
				return map[string]any{"in": map[string]any{"newcomerId": fx.gid, "toMunicipalityCode": "1281"}}
			}},
		"acceptCaseTransfer": {`mutation($id: ID!) { acceptCaseTransfer(input: {transferId: $id}) { status } }`,
			func(fx fixture) map[string]any { return map[string]any{"id": transfer(fx)} }},
		"declineCaseTransfer": {`mutation($id: ID!) { declineCaseTransfer(input: {transferId: $id, reason: "Not here"}) { status } }`,
			func(fx fixture) map[string]any { return map[string]any{"id": transfer(fx)} }},
		"cancelCaseTransfer": {`mutation($id: ID!) { cancelCaseTransfer(input: {transferId: $id}) { status } }`,
			func(fx fixture) map[string]any { return map[string]any{"id": transfer(fx)} }},
		"inviteNewcomer": {`mutation($id: ID!) { inviteNewcomer(input: {newcomerId: $id}) { code } }`,
			func(fx fixture) map[string]any { return map[string]any{"id": fx.gid} }},
		"revokeNewcomerInvitation": {`mutation($id: ID!) { revokeNewcomerInvitation(input: {invitationId: $id}) { usable } }`,
			func(fx fixture) map[string]any {
				inv, _ := bind(fx.newcomerID, "")
				return map[string]any{"id": inv}
			}},
		"redeemNewcomerInvitation": {`mutation($c: String!) { redeemNewcomerInvitation(input: {code: $c}) { newcomerId } }`,
			func(fx fixture) map[string]any {
				code, hash, err := authn.NewInvitationCode()
				require.NoError(t, err)
				_, err = env.Store.NewcomerInvitationCreate(ctx, partnernet.NewcomerInvitation{
					NewcomerID: fx.newcomerID, SecretHash: hash, CreatedBy: coordinator.Subject, ExpiresAt: time.Now().Add(time.Hour)})
				require.NoError(t, err)
				return map[string]any{"c": code}
			}},
		"revokeNewcomerSignIn": {`mutation($id: ID!) { revokeNewcomerSignIn(input: {signInId: $id}) { subject } }`,
			func(fx fixture) map[string]any {
				_, l := bind(fx.newcomerID, fmt.Sprintf("https://idp.example|n%d", fx.newcomerID))
				return map[string]any{"id": l}
			}},
		"createOrganisation": {`mutation($in: CreateOrganisationInput!) { createOrganisation(input: $in) { slug } }`,
			func(fixture) map[string]any {
				return map[string]any{"in": map[string]any{"slug": fmt.Sprintf("testforening-%d", slugs.Add(1)), "organisation": orgInput()}}
			}},
		"updateOrganisation": {`mutation($in: UpdateOrganisationInput!) { updateOrganisation(input: $in) { id } }`,
			func(fixture) map[string]any {
				in := orgInput()
				in["name"], in["kind"], in["sector"] = "IM – Individuell Människohjälp", "ASSOCIATION", "CIVIC"
				return map[string]any{"in": map[string]any{"organisationId": relay.ToGlobalID("Organisation", orgID(t, env, "im")), "organisation": in}}
			}},
		"updateOrganisationProfile": {`mutation($in: UpdateOrganisationProfileInput!) { updateOrganisationProfile(input: $in) { id } }`,
			func(fixture) map[string]any {
				return map[string]any{"in": map[string]any{"organisationId": relay.ToGlobalID("Organisation", orgID(t, env, "im")),
					"profile": map[string]any{"description": "Rådgivning för nyanlända"}}}
			}},
		"updateAdviceDesk": {`mutation($in: UpdateAdviceDeskInput!) { updateAdviceDesk(input: $in) { id } }`,
			func(fixture) map[string]any {
				return map[string]any{"in": map[string]any{"deskId": relay.ToGlobalID("AdviceDesk", desk.ID), "name": desk.Name,
					"place": "Stadsbiblioteket", "languages": []string{"sv", "ar"},
					"openingHours": []any{map[string]any{"startsAt": "2027-01-05T10:00:00+01:00", "durationMinutes": 180, "rrule": "FREQ=WEEKLY;BYDAY=TU"}}}}
			}},
	}
	everyoneRefused := map[string]outcome{"anonymous": "UNAUTHENTICATED"}
	newcomerRefused := func(coord, noPurpose, supervisor, publisher, self outcome) map[string]outcome {
		return map[string]outcome{"malmö coordinator": coord, "malmö coordinator without purpose": noPurpose,
			"malmö supervisor": supervisor, "abf publisher, active consent": publisher, "the newcomer": self}
	}
	wantWrite := map[string]map[string]outcome{
		"updateNewcomerIdentity":   newcomerRefused(ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
		"updateNewcomerContact":    newcomerRefused(ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", ok),
		"updateNewcomerFamily":     newcomerRefused(ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
		"updateNewcomerLanguages":  newcomerRefused(ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", ok),
		"updateNewcomerHealth":     newcomerRefused("FORBIDDEN", "FORBIDDEN", "CONSENT_REQUIRED", "FORBIDDEN", "FORBIDDEN"),
		"updateNewcomerBackground": newcomerRefused(ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
		"assignCase":               newcomerRefused(ok, ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
		"requestCaseTransfer":      newcomerRefused(ok, ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
		// The sender sees its transfer but does not answer it; the receiver does not cancel it.
		"acceptCaseTransfer":        {"lund coordinator": ok, "malmö coordinator": "FORBIDDEN", "malmö coordinator without purpose": "FORBIDDEN"},
		"declineCaseTransfer":       {"lund coordinator": ok, "malmö coordinator": "FORBIDDEN", "malmö coordinator without purpose": "FORBIDDEN"},
		"cancelCaseTransfer":        {"malmö coordinator": ok, "malmö coordinator without purpose": ok, "lund coordinator": "FORBIDDEN"},
		"inviteNewcomer":            newcomerRefused(ok, ok, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
		"revokeNewcomerInvitation":  {"malmö coordinator": ok, "malmö coordinator without purpose": ok},
		"redeemNewcomerInvitation":  {"invitee": ok},
		"revokeNewcomerSignIn":      {"malmö coordinator": ok, "malmö coordinator without purpose": ok, "the newcomer": ok},
		"createOrganisation":        {"network admin": ok},
		"updateOrganisation":        {"network admin": ok},
		"updateOrganisationProfile": {"network admin": ok, "im admin": ok},
		"updateAdviceDesk":          {"im admin": ok},
	}
	for name, m := range mutations {
		for _, c := range callers {
			cf := newConsentFixture(t, env, partnernet.ConsentActive)
			fx := fixture{newcomerID: cf.newcomerID, gid: cf.newcomerGID}
			want, listed := wantWrite[name][c.name]
			if !listed {
				want = defaultRefusal(name, c.name, everyoneRefused)
			}
			resp := c.do(t, env, fx.newcomerID, m.query, m.vars(fx))
			got := ok
			if len(resp.Errors) > 0 {
				got = outcome(resp.Errors[0].Code())
			}
			if got != want {
				mismatches = append(mismatches, fmt.Sprintf("%s as %s: got %s, want %s (%v)", name, c.name, got, want, resp.Errors))
			}
		}
	}
	sort.Strings(mismatches)
	require.Empty(t, mismatches, "\n%s", strings.Join(mismatches, "\n"))
}

// defaultRefusal is the answer of a caller a mutation's table does not list: anonymous callers
// are refused as such; only an invitee redeems an invitation, and only the network's and the
// organisation's admins edit organisations and desks (FORBIDDEN to others); a mutation on a
// newcomer, a transfer, an invitation or a sign-in the caller may not see answers "no such"
// (BAD_USER_INPUT at the argument, as notVisible does), whether it exists or not.
func defaultRefusal(mutation, caller string, everyone map[string]outcome) outcome {
	if o, found := everyone[caller]; found {
		return o
	}
	switch mutation {
	case "createOrganisation", "updateOrganisation", "updateOrganisationProfile", "updateAdviceDesk", "redeemNewcomerInvitation":
		return "FORBIDDEN"
	}
	return "BAD_USER_INPUT"
}

// readOutcome classifies a node(id) response for one field: hidden, released or the code.
func readOutcome(t *testing.T, resp apitest.Response, field string) outcome {
	t.Helper()
	var d struct {
		Node map[string]any `json:"node"`
	}
	require.NoError(t, json.Unmarshal(resp.Data, &d))
	if len(d.Node) == 0 {
		if len(resp.Errors) > 0 {
			return outcome(resp.Errors[0].Code())
		}
		return hidden
	}
	if len(resp.Errors) > 0 {
		return outcome(resp.Errors[0].Code())
	}
	return released
}

// TestEnforcementInTheReadersLanguage walks the fields issue 16 added on newcomer data — an
// access-log entry's summary, a consent's receipt, the export's readable form — as every kind of
// caller: each is released exactly where the entry or record it tells of is (the same outcome as
// the field's parent without it), and the export only to the newcomer themself.
func TestEnforcementInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	idp := newExternalIdP(t)
	env := apitest.New(t, trusting(idp))
	callers := caseWorkCallers(t, env, idp)
	f := newConsentFixture(t, env, partnernet.ConsentActive)
	// A read to have an access-log entry to tell.
	resp := env.DoFor(t, staff(t, env, "malmo", authz.RoleCoordinator), partnernet.PurposeEstablishmentCoordination,
		`query($id: ID!) { node(id: $id) { ... on Newcomer { contact { phone } } } }`, map[string]any{"id": f.newcomerGID})
	require.Empty(t, resp.Errors)

	fields := map[string]struct{ bare, told string }{
		"accessLog": {"accessLog(first: 50) { edges { node { action } } }",
			`accessLog(first: 50) { edges { node { action summary(language: "ar") { text language } } } }`},
		"consents": {"consents(first: 5) { edges { node { state } } }",
			`consents(first: 5) { edges { node { state receipt(language: "ti") { summary { text } purposes { value text { text } } } } } }`},
	}
	var mismatches []string
	for _, c := range callers {
		for name, sel := range fields {
			q := func(s string) string { return `query($id: ID!) { node(id: $id) { ... on Newcomer { id ` + s + ` } } }` }
			bare := c.do(t, env, f.newcomerID, q(sel.bare), map[string]any{"id": f.newcomerGID})
			told := c.do(t, env, f.newcomerID, q(sel.told), map[string]any{"id": f.newcomerGID})
			want, got := readOutcome(t, bare, name), readOutcome(t, told, name)
			if got != want {
				mismatches = append(mismatches, fmt.Sprintf("%s as %s: got %s, want %s as without its words (%s)", name, c.name, got, want, told.Data))
			}
			if c.name == "the newcomer" {
				require.Equal(t, released, got, "%s: %s", name, told.Data)
				require.NotContains(t, string(told.Data), `"text":""`, "every entry is told in words")
			}
			if got != released {
				require.NotContains(t, string(told.Data), "+46")
			}
		}
		// The export is always the caller's own: the newcomer's, another newcomer's theirs, and
		// nothing for anyone else.
		resp := c.do(t, env, f.newcomerID, `{ myData(language: "so") }`, nil)
		switch c.name {
		case "the newcomer":
			require.Empty(t, resp.Errors)
			require.Contains(t, string(resp.Data), "accessLogInWords")
			require.Contains(t, string(resp.Data), "Fixture Person")
		case "another newcomer":
			require.Empty(t, resp.Errors)
			require.NotContains(t, string(resp.Data), "Fixture Person")
		default:
			require.NotEmpty(t, resp.Codes(), "only a newcomer exports their data, as %s", c.name)
			require.NotContains(t, string(resp.Data), "Fixture")
		}
	}
	require.Empty(t, mismatches)
}
