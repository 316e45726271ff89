package seed_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestReferenceNetwork(t *testing.T) {
	t.Parallel()
	require.Len(t, seed.Municipalities, 33)
	codes := map[string]bool{}
	for _, m := range seed.Municipalities {
		require.Regexp(t, `^12[0-9]{2}$`, m.Code)
		require.False(t, codes[m.Code], "duplicate code %s", m.Code)
		codes[m.Code] = true
	}

	partners := seed.Partners()
	require.GreaterOrEqual(t, len(partners), 50)
	slugPattern := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	slugs := map[string]bool{}
	leads := map[partnernet.ProgrammeCode]int{}
	municipalities := 0
	for _, p := range partners {
		o := p.Organisation
		require.Regexp(t, slugPattern, o.Slug)
		require.False(t, slugs[o.Slug], "duplicate slug %s", o.Slug)
		slugs[o.Slug] = true
		require.Contains(t, o.Kind.Values(), string(o.Kind), o.Slug)
		require.Contains(t, o.Sector.Values(), string(o.Sector), o.Slug)
		require.True(t, codes[p.Home], "%s is based in an unknown municipality %s", o.Slug, p.Home)
		require.NotEmpty(t, p.Programmes, "%s takes part in no programme", o.Slug)
		for code, role := range p.Programmes {
			if role == partnernet.RoleLead {
				leads[code]++
			}
		}
		if o.Kind == partnernet.KindMunicipality {
			municipalities++
		}
	}
	require.Equal(t, 33, municipalities)
	for _, p := range seed.Programmes {
		require.Positive(t, leads[p.Code], "programme %s has no lead", p.Code)
	}
	for _, slug := range []string{"malmo", "radda-barnen", "im", "lansstyrelsen-skane", "malmo-universitet"} {
		require.True(t, slugs[slug], slug)
	}
}

// dump reads back what a load produced, as comparable text.
func dump(t *testing.T, st *store.Store) (activities []partnernet.Activity, newcomers []partnernet.Newcomer) {
	t.Helper()
	ctx := context.Background()
	a, err := st.ActivityList(ctx, store.ActivityFilter{Unpublished: partnernet.OrgScope{All: true}},
		store.Order{Column: store.OrderCreatedAt}, store.Page{Limit: 1000})
	require.NoError(t, err)
	n, err := st.NewcomerList(ctx, store.NewcomerFilter{Controllers: partnernet.OrgScope{All: true}},
		store.Order{Column: store.OrderRegisteredAt}, store.Page{Limit: 1000})
	require.NoError(t, err)
	for i := range a.Rows {
		a.Rows[i].CreatedAt, a.Rows[i].UpdatedAt = a.Rows[i].CreatedAt.UTC(), a.Rows[i].UpdatedAt.UTC()
	}
	for i := range n.Rows {
		n.Rows[i].RegisteredAt = n.Rows[i].RegisteredAt.UTC()
		// The last activity is the clock of the load itself, not the seed's.
		n.Rows[i].LastActivityAt = time.Time{}
	}
	return a.Rows, n.Rows
}

func TestLoadIsDeterministic(t *testing.T) {
	t.Parallel()
	opts := seed.Options{Newcomers: 40, Activities: 30, Seed: 7}
	load := func(o seed.Options) *store.Store {
		st := store.New(dbtest.NewPool(t))
		_, err := seed.Load(context.Background(), st, o, nil)
		require.NoError(t, err)
		return st
	}
	a1, n1 := dump(t, load(opts))
	a2, n2 := dump(t, load(opts))
	require.Equal(t, a1, a2)
	require.Equal(t, n1, n2)
	other := opts
	other.Seed = 8
	a3, n3 := dump(t, load(other))
	require.NotEqual(t, a1, a3)
	require.NotEqual(t, n1, n3)
}

func TestLoadDemoNetwork(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.NewPool(t))
	empty, err := seed.IsEmpty(ctx, st)
	require.NoError(t, err)
	require.True(t, empty)

	sum, err := seed.Load(ctx, st, seed.DefaultOptions(), nil)
	require.NoError(t, err)
	require.Equal(t, 33, sum.Municipalities)
	require.Equal(t, 6, sum.Programmes)
	require.GreaterOrEqual(t, sum.Organisations, 50)
	require.Equal(t, 300, sum.Newcomers)
	require.Equal(t, 390, sum.ConsentRecords)
	require.Greater(t, sum.ConsentEvents, sum.ConsentRecords)

	n, err := st.OrganisationCount(ctx, store.OrganisationFilter{})
	require.NoError(t, err)
	require.Equal(t, sum.Organisations, n)
	all := partnernet.OrgScope{All: true}
	activities, err := st.ActivityCount(ctx, store.ActivityFilter{Unpublished: all})
	require.NoError(t, err)
	require.Equal(t, 150, activities)
	published, err := st.ActivityCount(ctx, store.ActivityFilter{})
	require.NoError(t, err)
	require.Less(t, published, activities, "some activities are drafts, cancelled or finished")
	require.Greater(t, published, activities/2)
	newcomers, err := st.NewcomerCount(ctx, store.NewcomerFilter{Controllers: all})
	require.NoError(t, err)
	require.Equal(t, 300, newcomers)

	empty, err = seed.IsEmpty(ctx, st)
	require.NoError(t, err)
	require.False(t, empty)
	_, err = seed.Load(ctx, st, seed.DefaultOptions(), nil)
	require.ErrorIs(t, err, partnernet.ErrConflict, "a loaded database is not loaded twice")
	n, err = st.OrganisationCount(ctx, store.OrganisationFilter{})
	require.NoError(t, err)
	require.Equal(t, sum.Organisations, n, "the refused load left nothing behind")
}

func TestLoadLargerSet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.NewPool(t))
	sum, err := seed.Load(ctx, st, seed.Options{Newcomers: 5000, Activities: 1000, Consents: 7000, Seed: 3}, nil)
	require.NoError(t, err)
	require.Equal(t, 7000, sum.ConsentRecords)
	n, err := st.NewcomerCount(ctx, store.NewcomerFilter{Controllers: partnernet.OrgScope{All: true}})
	require.NoError(t, err)
	require.Equal(t, 5000, n)
}

func TestDemoActivitiesAreRealistic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	_, err := seed.Load(ctx, store.New(pool), seed.DefaultOptions(), nil)
	require.NoError(t, err)
	var languages, categories []string
	var municipalities, unscheduled, withoutOccurrences, outsideSkane, untranslated, neverPublished int
	require.NoError(t, pool.QueryRow(ctx, `SELECT
	  (SELECT array_agg(DISTINCT l ORDER BY l) FROM activity, unnest(languages) l),
	  (SELECT array_agg(DISTINCT category ORDER BY category) FROM activity WHERE programme_id =
	     (SELECT id FROM programme WHERE code = 'NAD')),
	  (SELECT count(DISTINCT municipality_id) FROM activity),
	  (SELECT count(*) FROM activity WHERE starts_at IS NULL OR rrule IS NULL),
	  (SELECT count(*) FROM activity a WHERE NOT EXISTS (SELECT 1 FROM activity_occurrence o WHERE o.activity_id = a.id)),
	  (SELECT count(*) FROM activity WHERE latitude NOT BETWEEN 55.3 AND 56.5 OR longitude NOT BETWEEN 12.4 AND 14.6),
	  (SELECT count(*) FROM activity WHERE title_en = '' OR description = '' OR description_en = ''),
	  (SELECT count(*) FROM activity WHERE status <> 'DRAFT' AND published_at IS NULL)`).
		Scan(&languages, &categories, &municipalities, &unscheduled, &withoutOccurrences, &outsideSkane, &untranslated, &neverPublished))
	require.Equal(t, []string{"ar", "en", "fa", "ku", "prs", "so", "sv", "ti", "uk"}, languages,
		"the languages most spoken by newcomers in Skåne")
	require.ElementsMatch(t, partnernet.ActivityCategory("").Values(), categories, "NAD covers every category")
	require.GreaterOrEqual(t, municipalities, 20, "activities across the municipalities")
	require.Zero(t, unscheduled, "every activity recurs")
	require.Zero(t, withoutOccurrences, "every schedule is expanded")
	require.Zero(t, outsideSkane, "places are in Skåne")
	require.Zero(t, untranslated, "texts in Swedish and English")
	require.Zero(t, neverPublished, "what is not a draft was published")
}

func TestLoadEnrolments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	sum, err := seed.Load(ctx, store.New(pool), seed.Options{Newcomers: 300, Activities: 60, Enrolments: 3000, Seed: 5}, nil)
	require.NoError(t, err)
	require.Equal(t, 3000, sum.Enrolments)
	var total, onDrafts, overCapacity, cancelled, waitlisted, gaps int
	require.NoError(t, pool.QueryRow(ctx, `SELECT
	  (SELECT count(*) FROM enrolment),
	  (SELECT count(*) FROM enrolment e JOIN activity a ON a.id = e.activity_id WHERE a.status = 'DRAFT'),
	  (SELECT count(*) FROM activity a WHERE a.capacity <
	     (SELECT count(*) FROM enrolment e WHERE e.activity_id = a.id AND e.status = 'ENROLLED')),
	  (SELECT count(*) FROM enrolment WHERE status = 'CANCELLED'),
	  (SELECT count(*) FROM enrolment WHERE status = 'WAITLISTED'),
	  (SELECT count(*) FROM (SELECT activity_id FROM enrolment GROUP BY activity_id
	     HAVING max(position) <> count(*)) g)`).
		Scan(&total, &onDrafts, &overCapacity, &cancelled, &waitlisted, &gaps))
	require.Equal(t, 3000, total)
	require.Zero(t, onDrafts, "nobody enrols in a draft")
	require.Zero(t, overCapacity, "places are not overbooked")
	require.Positive(t, cancelled)
	require.Positive(t, waitlisted, "full activities have a waitlist")
	require.Zero(t, gaps, "positions are the arrival order, 1 to n")

	_, err = seed.Load(ctx, store.New(dbtest.NewPool(t)), seed.Options{Newcomers: 2, Activities: 1, Enrolments: 10, Seed: 5}, nil)
	require.ErrorIs(t, err, partnernet.ErrBadUserInput, "more enrolments per activity than newcomers")
}
