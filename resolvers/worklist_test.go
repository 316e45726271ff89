package resolvers_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// worklist runs newcomers(filter, orderBy) as p for coordination and returns the global IDs
// of the page, in order, and the totalCount.
func worklist(t *testing.T, env *apitest.Env, p authz.Principal, filter map[string]any, orderBy map[string]any) ([]string, int) {
	t.Helper()
	resp := env.DoFor(t, p, partnernet.PurposeEstablishmentCoordination,
		`query($f: NewcomerFilter, $o: NewcomerOrder) { newcomers(first: 100, filter: $f, orderBy: $o) { totalCount edges { node { id } } } }`,
		map[string]any{"f": filter, "o": orderBy})
	require.Empty(t, resp.Errors, "%v", filter)
	var out struct {
		Newcomers struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
	}
	resp.Decode(t, &out)
	ids := []string{}
	for _, e := range out.Newcomers.Edges {
		ids = append(ids, e.Node.ID)
	}
	return ids, out.Newcomers.TotalCount
}

// TestWorklistFiltersAndOrders: each filter of the worklist keeps exactly the cases it names,
// the orders sort them, and totalCount counts them. The fixtures share a surname no demo
// newcomer has, which the name search narrows the list to.
func TestWorklistFiltersAndOrders(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	malmo := orgID(t, env, "malmo")
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	mk := func(name string, email *string) (int64, string) {
		n := testfactory.Newcomer(ctx, t, env.Pool, &testfactory.NewcomerOpts{ControllerID: malmo, DisplayName: name,
			Contact: &partnernet.NewcomerContact{Email: email}})
		return n.ID, relay.ToGlobalID("Newcomer", n.ID)
	}
	email := "amira.zyxwvu@example.org"
	_, amira := mk("Amira Zyxwvu", &email)
	bashirID, bashir := mk("Bashir Zyxwvu", nil)
	cecilia := func() string { id, gid := mk("Cecilia Zyxwvu", nil); enrolNAD(t, env, id); return gid }()
	dawitID, dawit := mk("Dawit Zyxwvu", nil)
	efremID, efrem := mk("Efrem Zyxwvu", nil)

	// Arrival dates and a residence, by correction.
	for gid, in := range map[string]map[string]any{
		amira:  {"displayName": "Amira Zyxwvu", "arrivalDate": "2026-03-01", "residenceMunicipalityCode": "1281"},
		bashir: {"displayName": "Bashir Zyxwvu", "arrivalDate": "2026-06-01"},
	} {
		in["newcomerId"], in["version"] = gid, 1
		resp := env.DoFor(t, coordinator, partnernet.PurposeEstablishmentCoordination,
			`mutation($in: UpdateNewcomerIdentityInput!) { updateNewcomerIdentity(input: $in) { version } }`, map[string]any{"in": in})
		require.Empty(t, resp.Errors)
	}
	// Bashir takes part in SHK; Dawit's data is erased; Efrem's case has been still for two years.
	course := testfactory.Course(ctx, t, env.Pool, &testfactory.CourseOpts{OrganisationID: malmo})
	testfactory.CourseParticipant(ctx, t, env.Pool, &testfactory.CourseParticipantOpts{CourseID: course.ID, NewcomerID: bashirID})
	require.NoError(t, env.Store.InTx(ctx, func(tx *store.Store) error {
		_, err := tx.NewcomerErase(ctx, dawitID, "test")
		return err
	}))
	_, err := env.Pool.Exec(ctx, "UPDATE newcomer SET last_activity_at = now() - interval '2 years' WHERE id = $1", efremID)
	require.NoError(t, err)

	search := func(more map[string]any) map[string]any {
		f := map[string]any{"search": "zyxwvu"}
		for k, v := range more {
			f[k] = v
		}
		return f
	}
	tests := []struct {
		name   string
		filter map[string]any
		want   []string
	}{
		{"the name, open cases", search(nil), []string{amira, bashir, cecilia, efrem}},
		{"a typo and lower case", map[string]any{"search": "zyxwuv amira"}, []string{amira}},
		// Each word typed is in the name: the surname alone is more than half of what was typed,
		// which once found every Zyxwvu.
		{"every word typed", map[string]any{"search": "zyxwvu efrem"}, []string{efrem}},
		{"words in any order", map[string]any{"search": "Efrem Zyxwvu"}, []string{efrem}},
		{"e-mail in another case", search(map[string]any{"email": "AMIRA.Zyxwvu@example.org"}), []string{amira}},
		{"arrived from", search(map[string]any{"arrivedFrom": "2026-05-01"}), []string{bashir}},
		{"arrived until", search(map[string]any{"arrivedTo": "2026-04-01"}), []string{amira}},
		{"living in Lund", search(map[string]any{"residenceMunicipalityCodes": []string{"1281"}}), []string{amira}},
		{"in SHK", search(map[string]any{"inShk": true}), []string{bashir}},
		{"not in SHK", search(map[string]any{"inShk": false}), []string{amira, cecilia, efrem}},
		{"enrolled in NAD", search(map[string]any{"enrolledInNad": true}), []string{cecilia}},
		{"in a plan", search(map[string]any{"inPlan": true}), []string{}},
		{"inactive", search(map[string]any{"statuses": []string{"INACTIVE"}}), []string{efrem}},
		{"active", search(map[string]any{"statuses": []string{"ACTIVE"}}), []string{amira, bashir, cecilia}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total := worklist(t, env, coordinator, tt.filter, nil)
			require.ElementsMatch(t, tt.want, got)
			require.Equal(t, len(tt.want), total)
		})
	}
	erased, _ := worklist(t, env, coordinator, map[string]any{"statuses": []string{"ERASED"}}, nil)
	require.Contains(t, erased, dawit)
	require.NotContains(t, erased, amira)

	// Orders.
	byName, _ := worklist(t, env, coordinator, search(nil), map[string]any{"field": "NAME", "direction": "DESC"})
	require.Equal(t, []string{efrem, cecilia, bashir, amira}, byName)
	byArrival, _ := worklist(t, env, coordinator, search(nil), map[string]any{"field": "ARRIVAL_DATE", "direction": "ASC"})
	require.Equal(t, []string{amira, bashir}, byArrival[:2], "those without a date last")
	byActivity, _ := worklist(t, env, coordinator, search(nil), map[string]any{"field": "LAST_ACTIVITY", "direction": "ASC"})
	require.Equal(t, efrem, byActivity[0])

	// Lund's coordinator finds none of Malmö's cases, and totalCount says so.
	got, total := worklist(t, env, staff(t, env, "lund", authz.RoleCoordinator), search(nil), nil)
	require.Empty(t, got)
	require.Zero(t, total)
	// A search needs a purpose: without one it is refused, not answered with an empty list.
	resp := env.Do(t, coordinator, `{ newcomers(first: 5, filter: {search: "zyxwvu"}) { totalCount } }`, nil)
	require.Equal(t, []string{"FORBIDDEN"}, resp.Codes())
	resp = env.DoFor(t, coordinator, partnernet.PurposeEstablishmentCoordination, `{ newcomers(first: 5, filter: {search: "z"}) { totalCount } }`, nil)
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes())
}

// enrolNAD enrols the newcomer in a new NAD activity.
func enrolNAD(t *testing.T, env *apitest.Env, newcomerID int64) {
	t.Helper()
	ctx := context.Background()
	a := testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{OrganiserID: orgID(t, env, "abf")})
	testfactory.Enrolment(ctx, t, env.Pool, &testfactory.EnrolmentOpts{ActivityID: a.ID, NewcomerID: newcomerID})
}

// TestAssignmentHistory: a case is assigned, reassigned and unassigned, each kept in its history
// and audited; only staff who hold cases are assignees; "my cases" follows.
func TestAssignmentHistory(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	anna := staff(t, env, "malmo", authz.RoleCoordinator)
	bo := anna
	bo.Subject = "bo@malmo"
	f := newConsentFixture(t, env, "")
	assign := func(p authz.Principal, assignee any) apitest.Response {
		return env.DoFor(t, p, partnernet.PurposeEstablishmentCoordination,
			`mutation($in: AssignCaseInput!) { assignCase(input: $in) { assignedTo assignments { assignee assignedBy organisation { slug } } } }`,
			map[string]any{"in": map[string]any{"newcomerId": f.newcomerGID, "assignee": assignee}})
	}
	resp := assign(anna, "nobody@malmo")
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "not a staff member who holds cases")
	require.Equal(t, "input.assignee", resp.Errors[0].Extensions["field"])
	require.Empty(t, assign(anna, anna.Subject).Errors)
	mine := func(p authz.Principal) []string {
		got, _ := worklist(t, env, p, map[string]any{"mine": true}, nil)
		return got
	}
	require.Equal(t, []string{f.newcomerGID}, mine(anna))
	require.Empty(t, assign(bo, bo.Subject).Errors)
	require.Empty(t, mine(anna))
	require.Equal(t, []string{f.newcomerGID}, mine(bo))
	byAssignee, _ := worklist(t, env, anna, map[string]any{"assignedTo": []string{bo.Subject}}, nil)
	require.Equal(t, []string{f.newcomerGID}, byAssignee)
	resp = assign(bo, nil)
	require.Empty(t, resp.Errors)
	require.JSONEq(t, fmt.Sprintf(`{"assignCase": {"assignedTo": null, "assignments": [
		{"assignee": %q, "assignedBy": %q, "organisation": {"slug": "malmo"}},
		{"assignee": %q, "assignedBy": %q, "organisation": {"slug": "malmo"}},
		{"assignee": null, "assignedBy": %q, "organisation": {"slug": "malmo"}}]}}`,
		anna.Subject, anna.Subject, bo.Subject, bo.Subject, bo.Subject), string(resp.Data))
	require.Empty(t, mine(bo))
	unassigned, _ := worklist(t, env, anna, map[string]any{"assigned": false, "search": "Fixture Person"}, nil)
	require.True(t, slices.Contains(unassigned, f.newcomerGID))
	var audited int
	require.NoError(t, env.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM audit_event WHERE newcomer_id = $1 AND action = 'ASSIGN_CASE'`, f.newcomerID).Scan(&audited))
	require.Equal(t, 3, audited)
}
