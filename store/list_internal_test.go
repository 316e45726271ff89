package store

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/dbtest"
)

// TestFilterOneOf pins how a filter by a set of values reads: equality for one value, which
// PostgreSQL matches to an index's order (it cannot for = ANY), ANY for several.
func TestFilterOneOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		values []string
		where  string
		arg    any
	}{
		{"one value", []string{"SPORTS"}, "a.category = $1", "SPORTS"},
		{"several values", []string{"SPORTS", "CULTURE"}, "a.category = ANY($1)", []string{"SPORTS", "CULTURE"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q := &listQuery{}
			filterOneOf(q, "a.category", tc.values)
			require.Equal(t, []string{tc.where}, q.where)
			require.Equal(t, []any{tc.arg}, q.args)
		})
	}
}

// TestFilterEnumOneOf pins a filter by an enum's values: one value written in, several as one
// parameter, and a value outside the enum matching nothing.
func TestFilterEnumOneOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		values []partnernet.ActivityCategory
		where  string
		args   []any
	}{
		{"one value", []partnernet.ActivityCategory{"SPORTS"}, "a.category = 'SPORTS'", nil},
		{"several values", []partnernet.ActivityCategory{"SPORTS", "CULTURE"}, "a.category = ANY($1)",
			[]any{[]partnernet.ActivityCategory{"SPORTS", "CULTURE"}}},
		{"a value outside the enum", []partnernet.ActivityCategory{"SPORTS' OR true --"}, "a.category = NULL", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q := &listQuery{}
			filterEnumOneOf(q, "a.category", tc.values)
			require.Equal(t, []string{tc.where}, q.where)
			require.Equal(t, tc.args, q.args)
		})
	}
}

// TestPagesByParentInAnyOrder feeds collectPagesByParent the rows of three parents' pages out
// of order, as a per-parent page statement without ORDER BY may send them: each row must land in
// its place by its number, the row past the page must say there is more, and a page walked
// backward must come out reversed.
func TestPagesByParentInAnyOrder(t *testing.T) {
	t.Parallel()
	pool := dbtest.NewPool(t)
	type item struct {
		ID    int64
		Title string
	}
	fields := func(it *item) []any { return []any{&it.ID, &it.Title} }
	// id, title, sort key, row number, parent: parent 7 has rows 1–3 and one more, parent 8
	// rows 1–2, parent 9 row 1.
	const rowsSQL = `SELECT * FROM (VALUES
  (13::bigint, 'c', 'k13', 3::bigint, 7::bigint), (21, 'x', 'k21', 2, 8), (11, 'a', 'k11', 1, 7),
  (14, 'd', 'k14', 4, 7), (31, 'p', 'k31', 1, 9), (20, 'w', 'k20', 1, 8), (12, 'b', 'k12', 2, 7)) v`
	for _, tc := range []struct {
		name     string
		backward bool
		want     map[int64][]int64
	}{
		{"forward", false, map[int64][]int64{7: {11, 12, 13}, 8: {20, 21}, 9: {31}}},
		{"backward", true, map[int64][]int64{7: {13, 12, 11}, 8: {21, 20}, 9: {31}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rows, err := pool.Query(context.Background(), rowsSQL)
			require.NoError(t, err)
			pages, err := collectPagesByParent(&listQuery{from: "items"}, rows, 3, Page{Limit: 3, Backward: tc.backward}, fields)
			require.NoError(t, err)
			require.Len(t, pages, len(tc.want))
			for parent, ids := range tc.want {
				page := pages[parent]
				var got []int64
				for i, r := range page.Rows {
					got = append(got, r.ID)
					require.Equal(t, r.ID, page.Keys[i].ID, "parent %d: each key beside its row", parent)
					require.Equal(t, "k"+strconv.FormatInt(r.ID, 10), page.Keys[i].Value)
				}
				require.Equal(t, ids, got, "parent %d", parent)
				require.Equal(t, parent == 7, page.HasMore, "parent %d", parent)
			}
		})
	}
}

// TestActivityFilterForParents: an organiser's page leaves out the scope of unpublished
// activities only when the scope covers every organiser asked for, whose activities it then
// lets through whatever their status.
func TestActivityFilterForParents(t *testing.T) {
	t.Parallel()
	mine := partnernet.OrgScope{IDs: []int64{3, 5}}
	for _, tc := range []struct {
		name    string
		parent  ActivityParent
		parents []int64
		scope   partnernet.OrgScope
		want    partnernet.OrgScope
	}{
		{"own organisation", ActivityByOrganiser, []int64{3}, mine, partnernet.OrgScope{All: true}},
		{"every one of them own", ActivityByOrganiser, []int64{5, 3}, mine, partnernet.OrgScope{All: true}},
		{"one of them not own", ActivityByOrganiser, []int64{3, 4}, mine, mine},
		{"anonymous", ActivityByOrganiser, []int64{3}, partnernet.OrgScope{}, partnernet.OrgScope{}},
		{"by programme: the scope is of organisers", ActivityByProgramme, []int64{3}, mine, mine},
		{"by municipality", ActivityByMunicipality, []int64{3}, mine, mine},
		{"no parents", ActivityByOrganiser, nil, mine, mine},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := ActivityFilter{Unpublished: tc.scope, Categories: []partnernet.ActivityCategory{"SPORTS"}}.forParents(tc.parent, tc.parents)
			require.Equal(t, tc.want, got.Unpublished)
			require.Equal(t, []partnernet.ActivityCategory{"SPORTS"}, got.Categories, "the rest of the filter as it was")
		})
	}
}

// TestPagesWriteTheirLimit: a page's LIMIT is written into the statement, one more than the
// page, not passed as a parameter, so that PostgreSQL keeps one plan per page size; a page of
// one parent asks for it by equality, of several by an array.
func TestPagesWriteTheirLimit(t *testing.T) {
	t.Parallel()
	query := func() *listQuery {
		return &listQuery{from: "item i", columns: "i.id", idExpr: "i.id",
			sorts: map[string]sortColumn{OrderID: {"i.id", "bigint"}}}
	}
	o, p := Order{Column: OrderID}, Page{Limit: 20}
	sql, args, err := query().page(o, p)
	require.NoError(t, err)
	require.Contains(t, sql, "LIMIT 21")
	require.Empty(t, args)
	sql, args, err = query().pageByParent("i.parent_id", []int64{7}, o, p)
	require.NoError(t, err)
	require.Contains(t, sql, "i.parent_id = $1")
	require.Contains(t, sql, "LIMIT 21")
	require.NotContains(t, sql, "unnest")
	require.Equal(t, []any{int64(7)}, args)
	sql, args, err = query().pageByParent("i.parent_id", []int64{7, 8}, o, p)
	require.NoError(t, err)
	require.Contains(t, sql, "unnest($1::bigint[])")
	require.Contains(t, sql, "LIMIT 21")
	require.Equal(t, []any{[]int64{7, 8}}, args)
}

func TestEnumLiteral(t *testing.T) {
	t.Parallel()
	values := []string{"ESTABLISHMENT_COORDINATION", "IT'S"}
	tests := []struct{ value, want string }{
		{"ESTABLISHMENT_COORDINATION", "'ESTABLISHMENT_COORDINATION'"},
		{"IT'S", "'IT''S'"},
		{"establishment_coordination", "NULL"},
		{"'; DROP TABLE newcomer; --", "NULL"},
		{"", "NULL"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, enumLiteral(tt.value, values), tt.value)
	}
}

// TestConsentScopesWriteTheirRecipient checks that every statement that keeps the newcomers a
// consent shares with the caller writes the controller, the caller's organisation, the purpose
// and the category into its text (orgLiteral), so that PostgreSQL keeps a plan fitted to them, and that a
// purpose or category outside the enums matches nothing.
func TestConsentScopesWriteTheirRecipient(t *testing.T) {
	t.Parallel()
	const purpose = partnernet.Purpose("ESTABLISHMENT_COORDINATION")
	shared := NewcomerFilter{Controllers: partnernet.OrgScope{IDs: []int64{7}}, ConsentRecipient: 22, ConsentPurpose: purpose}
	released := func(s partnernet.CategoryScope) *listQuery {
		q := newcomerQuery(NewcomerFilter{Controllers: partnernet.OrgScope{All: true}}, Order{Column: OrderRegisteredAt}, "")
		q.released(s)
		return q
	}
	tests := []struct {
		name     string
		query    *listQuery
		contains []string
	}{
		{
			name:     "own or shared",
			query:    newcomerQuery(shared, Order{Column: OrderRegisteredAt}, ""),
			contains: []string{"n.controller_id = 7 OR", "vr.organisation_id = 22", "'ESTABLISHMENT_COORDINATION' = ANY(v.purposes)"},
		},
		{
			name:     "a name search over own and shared",
			query:    newcomerQuery(shared, Order{Column: OrderRegisteredAt}, "amina"),
			contains: []string{"WHERE controller_id = 7 UNION ALL", "NOT (s.controller_id = 7)", "vr.organisation_id = 22", "'ESTABLISHMENT_COORDINATION' = ANY(v.purposes)"},
		},
		{
			name:     "a category released by consent",
			query:    released(partnernet.CategoryScope{Controller: 7, ConsentRecipient: 22, Purpose: purpose, Category: partnernet.CategoryHealth}),
			contains: []string{"n.controller_id = 7 OR", "rr.organisation_id = 22", "'ESTABLISHMENT_COORDINATION' = ANY(rv.purposes)", "'HEALTH' = ANY(rv.data_categories)"},
		},
		{
			name:     "an unknown purpose matches nothing",
			query:    released(partnernet.CategoryScope{ConsentRecipient: 22, Purpose: "MARKETING", Category: partnernet.CategoryHealth}),
			contains: []string{"rr.organisation_id = 22", "NULL = ANY(rv.purposes)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sql, args, err := tt.query.page(Order{Column: OrderRegisteredAt}, Page{Limit: 1})
			require.NoError(t, err)
			for _, c := range tt.contains {
				require.Contains(t, sql, c)
			}
			for _, a := range args {
				require.NotContains(t, []any{int64(7), []int64{7}}, a, "the controller is written in, not passed")
				require.NotEqual(t, int64(22), a, "the recipient is written in, not passed")
				require.NotEqual(t, string(purpose), a, "the purpose is written in, not passed")
			}
		})
	}
}
