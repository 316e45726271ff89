package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type testBundle struct {
	st  *store.Store
	ctx context.Context
}

// setup returns a store on a fresh database holding municipalities with the given names (each
// with a municipality organisation) and, for each, titles activities.
func setup(t *testing.T, names []string, activitiesEach int) testBundle {
	t.Helper()
	pool := dbtest.NewPool(t)
	ctx := context.Background()
	for i, name := range names {
		_, err := pool.Exec(ctx, `
WITH m AS (INSERT INTO municipality (code, name) VALUES ($1, $2) RETURNING id),
     p AS (INSERT INTO programme (code, name, name_sv) VALUES ($3, $3, $3) RETURNING id),
     o AS (INSERT INTO organisation (slug, name, kind, sector, home_municipality_id)
           SELECT $4, $2 || ' kommun', 'MUNICIPALITY', 'PUBLIC', id FROM m RETURNING id, home_municipality_id)
INSERT INTO activity (organiser_id, programme_id, municipality_id, title, status)
SELECT o.id, p.id, o.home_municipality_id, $2 || ' aktivitet ' || g, CASE WHEN g % 2 = 0 THEN 'DRAFT' ELSE 'PUBLISHED' END
FROM o, p, generate_series(1, $5::int) g`,
			fmt.Sprintf("%04d", 1200+i), name, fmt.Sprintf("P%d", i), fmt.Sprintf("org-%d", i), activitiesEach)
		require.NoError(t, err)
	}
	return testBundle{st: store.New(pool), ctx: ctx}
}

func names(s store.Slice[partnernet.Municipality]) []string {
	var out []string
	for _, m := range s.Rows {
		out = append(out, m.Name)
	}
	return out
}

func TestListOrdersSwedishNamesAndPagesByKeyset(t *testing.T) {
	t.Parallel()
	b := setup(t, []string{"Östra Göinge", "Ängelholm", "Åstorp", "Bjuv", "Lund", "Malmö", "Ystad"}, 0)
	want := []string{"Bjuv", "Lund", "Malmö", "Ystad", "Åstorp", "Ängelholm", "Östra Göinge"}
	asc := store.Order{Column: store.OrderName}

	all, err := b.st.MunicipalityList(b.ctx, store.MunicipalityFilter{}, asc, store.Page{Limit: 100})
	require.NoError(t, err)
	require.Equal(t, want, names(all), "Å, Ä and Ö sort after Z")
	require.False(t, all.HasMore)

	tests := []struct {
		name     string
		order    store.Order
		page     func(all store.Slice[partnernet.Municipality]) store.Page
		want     []string
		wantMore bool
	}{
		{"first 3", asc, func(store.Slice[partnernet.Municipality]) store.Page { return store.Page{Limit: 3} }, want[:3], true},
		{
			"3 after the third", asc,
			func(all store.Slice[partnernet.Municipality]) store.Page {
				return store.Page{Limit: 3, After: &all.Keys[2]}
			},
			want[3:6], true,
		},
		{
			"after the last", asc,
			func(all store.Slice[partnernet.Municipality]) store.Page {
				return store.Page{Limit: 3, After: &all.Keys[6]}
			},
			nil, false,
		},
		{"last 2", asc, func(store.Slice[partnernet.Municipality]) store.Page { return store.Page{Limit: 2, Backward: true} }, want[5:], true},
		{
			"last 2 before the fifth", asc,
			func(all store.Slice[partnernet.Municipality]) store.Page {
				return store.Page{Limit: 2, Backward: true, Before: &all.Keys[4]}
			},
			want[2:4], true,
		},
		{
			"between two cursors", asc,
			func(all store.Slice[partnernet.Municipality]) store.Page {
				return store.Page{Limit: 10, After: &all.Keys[1], Before: &all.Keys[5]}
			},
			want[2:5], false,
		},
		{
			"descending", store.Order{Column: store.OrderName, Desc: true},
			func(store.Slice[partnernet.Municipality]) store.Page { return store.Page{Limit: 2} },
			[]string{"Östra Göinge", "Ängelholm"}, true,
		},
		{
			"by code", store.Order{Column: store.OrderCode},
			func(store.Slice[partnernet.Municipality]) store.Page { return store.Page{Limit: 2} },
			[]string{"Östra Göinge", "Ängelholm"}, true,
		},
		{"empty page", asc, func(store.Slice[partnernet.Municipality]) store.Page { return store.Page{Limit: 0} }, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := b.st.MunicipalityList(b.ctx, store.MunicipalityFilter{}, tt.order, tt.page(all))
			require.NoError(t, err)
			require.Equal(t, tt.want, names(got))
			require.Equal(t, tt.wantMore, got.HasMore)
		})
	}

	_, err = b.st.MunicipalityList(b.ctx, store.MunicipalityFilter{}, store.Order{Column: "name; DROP TABLE municipality"}, store.Page{Limit: 1})
	require.Error(t, err, "only the list's own order columns are accepted")
}

func TestListByParentsPagesEachParent(t *testing.T) {
	t.Parallel()
	b := setup(t, []string{"Lund", "Malmö", "Ystad"}, 7)
	orgs, err := b.st.OrganisationList(b.ctx, store.OrganisationFilter{}, store.Order{Column: store.OrderName}, store.Page{Limit: 10})
	require.NoError(t, err)
	ids := []int64{orgs.Rows[0].ID, orgs.Rows[1].ID, orgs.Rows[2].ID}

	published := store.ActivityFilter{}
	pages, err := b.st.ActivityListByParents(b.ctx, store.ActivityByOrganiser, ids, published, store.Order{Column: store.OrderTitle}, store.Page{Limit: 3})
	require.NoError(t, err)
	counts, err := b.st.ActivityCountByParents(b.ctx, store.ActivityByOrganiser, ids, published)
	require.NoError(t, err)
	for _, id := range ids {
		require.Len(t, pages[id].Rows, 3)
		require.True(t, pages[id].HasMore)
		require.Equal(t, 4, counts[id], "4 of 7 activities are published")
		for _, a := range pages[id].Rows {
			require.Equal(t, id, a.OrganiserID)
			require.Equal(t, partnernet.ActivityPublished, a.Status)
		}
		// The next page of one parent continues where its first ended.
		next, err := b.st.ActivityListByParents(b.ctx, store.ActivityByOrganiser, []int64{id}, published,
			store.Order{Column: store.OrderTitle}, store.Page{Limit: 3, After: &pages[id].Keys[2]})
		require.NoError(t, err)
		require.Len(t, next[id].Rows, 1)
		require.False(t, next[id].HasMore)
	}

	// Unpublished activities of the organisations in scope join the list.
	scoped := store.ActivityFilter{Unpublished: partnernet.OrgScope{IDs: ids[:1]}}
	counts, err = b.st.ActivityCountByParents(b.ctx, store.ActivityByOrganiser, ids, scoped)
	require.NoError(t, err)
	require.Equal(t, map[int64]int{ids[0]: 7, ids[1]: 4, ids[2]: 4}, counts)
}

func TestErrorsAreTranslated(t *testing.T) {
	t.Parallel()
	b := setup(t, []string{"Lund"}, 0)
	_, err := b.st.OrganisationGetBySlug(b.ctx, "no-such-slug")
	require.ErrorIs(t, err, partnernet.ErrNotFound)

	err = b.st.InTx(b.ctx, func(tx *store.Store) error {
		_, err := tx.MunicipalityGetByCode(b.ctx, "1200")
		require.NoError(t, err)
		return errors.New("roll back")
	})
	require.EqualError(t, err, "roll back")
}
