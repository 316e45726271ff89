package resolvers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
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
