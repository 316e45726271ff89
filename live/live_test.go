package live_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/live"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestHubFansOutCommittedChangesInOrder(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	_, err := seed.Load(ctx, st, seed.Options{Activities: 5, Seed: 2}, nil)
	require.NoError(t, err)
	var ids []int64
	rows, err := pool.Query(ctx, "SELECT id FROM activity WHERE status = 'DRAFT' OR status = 'PUBLISHED' ORDER BY id LIMIT 3")
	require.NoError(t, err)
	for rows.Next() {
		var id int64
		require.NoError(t, rows.Scan(&id))
		ids = append(ids, id)
	}
	require.NoError(t, rows.Err())
	require.Len(t, ids, 3)

	// A change committed before the hub follows the log is not replayed.
	require.NoError(t, st.InTx(ctx, func(tx *store.Store) error {
		_, err := tx.ActivitySetStatus(ctx, ids[0], partnernet.ActivityCancelled)
		return err
	}))
	hub := live.NewHub(st, slog.New(slog.DiscardHandler))
	go hub.Run(ctx, pool)
	select {
	case <-hub.Ready():
	case <-time.After(time.Minute):
		t.Fatal("the hub never followed the log")
	}
	subCtx, unsubscribe := context.WithCancel(ctx)
	first, second := hub.Subscribe(subCtx), hub.Subscribe(ctx)

	// Two commits and one rollback: both subscribers get the two, in commit order.
	for _, id := range ids[1:] {
		require.NoError(t, st.InTx(ctx, func(tx *store.Store) error {
			_, err := tx.ActivitySetStatus(ctx, id, partnernet.ActivityPublished)
			return err
		}))
	}
	_ = st.InTx(ctx, func(tx *store.Store) error {
		if _, err := tx.ActivitySetStatus(ctx, ids[0], partnernet.ActivityPublished); err != nil {
			return err
		}
		return partnernet.Errorf(partnernet.CodeConflict, "roll back")
	})
	for _, ch := range []<-chan partnernet.ActivityChange{first, second} {
		for _, want := range ids[1:] {
			select {
			case c := <-ch:
				require.Equal(t, want, c.ActivityID)
				require.Equal(t, partnernet.ChangePublished, c.Kind)
			case <-time.After(30 * time.Second):
				t.Fatal("no change arrived")
			}
		}
	}
	// Unsubscribing closes the channel.
	unsubscribe()
	for range first {
	}
	select {
	case c := <-second:
		t.Fatalf("a rolled-back change arrived: %+v", c)
	default:
	}
}

func TestExpandDueExtendsOpenEndedSchedules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	_, err := seed.Load(ctx, st, seed.Options{Seed: 2}, nil)
	require.NoError(t, err)
	abf, err := st.OrganisationGetBySlug(ctx, "abf")
	require.NoError(t, err)
	nad, err := st.ProgrammeGetByCode(ctx, partnernet.ProgrammeNAD)
	require.NoError(t, err)
	start := time.Date(2026, 1, 6, 18, 0, 0, 0, partnernet.Stockholm)
	// legacy is a rule stored before the schedule bounds, which refuse it now: twice a day.
	endless, bounded, legacy := "FREQ=WEEKLY", "FREQ=WEEKLY;COUNT=3", "FREQ=DAILY;BYHOUR=6,18"
	var ids []int64
	for _, rule := range []string{endless, bounded, legacy} {
		a := partnernet.Activity{
			OrganiserID: abf.ID, ProgrammeID: nad.ID, Title: "Språkcafé " + rule, TitleEn: "Language café",
			Category: partnernet.ActivityLanguagePractice, Languages: []string{"sv"},
			TargetGroups: []partnernet.TargetGroup{partnernet.TargetEveryone},
			Schedule:     partnernet.Schedule{StartsAt: &start, DurationMinutes: 60, RRule: &rule},
		}
		occ, err := a.Occurrences("activity", start)
		if rule == legacy {
			require.ErrorContains(t, err, "BYHOUR")
			occ = []partnernet.Occurrence{{StartsAt: start, EndsAt: start.Add(time.Hour)}}
		} else {
			require.NoError(t, err)
		}
		require.NoError(t, st.InTx(ctx, func(tx *store.Store) error {
			created, err := tx.ActivityCreate(ctx, a, occ)
			ids = append(ids, created.ID)
			return err
		}))
	}
	lastOccurrence := func(id int64) time.Time {
		var last time.Time
		require.NoError(t, pool.QueryRow(ctx, "SELECT max(starts_at) FROM activity_occurrence WHERE activity_id = $1", id).Scan(&last))
		return last
	}
	before := lastOccurrence(ids[0])

	// Two years on, the endless rule is expanded two years further; the bounded one is not, nor
	// the refused one, which is named.
	later := start.AddDate(2, 0, 0)
	added, err := live.ExpandDue(ctx, st, later)
	require.ErrorContains(t, err, fmt.Sprintf("activity %d", ids[2]))
	require.Positive(t, added)
	require.True(t, lastOccurrence(ids[0]).After(later.AddDate(1, 11, 0)), "expanded from %s to %s", before, lastOccurrence(ids[0]))
	require.Equal(t, start.AddDate(0, 0, 14).UTC(), lastOccurrence(ids[1]).UTC())
	require.Equal(t, start.UTC(), lastOccurrence(ids[2]).UTC())
	again, err := live.ExpandDue(ctx, st, later)
	require.ErrorContains(t, err, fmt.Sprintf("activity %d", ids[2]))
	require.Zero(t, again, "nothing is due twice")
}

// TestExpandDueExtendsFurtherSchedules checks an activity whose first schedule is bounded but
// reaches further ahead than its open-ended further schedule: the open-ended one is still
// expanded as time passes.
func TestExpandDueExtendsFurtherSchedules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	_, err := seed.Load(ctx, st, seed.Options{Seed: 2}, nil)
	require.NoError(t, err)
	abf, err := st.OrganisationGetBySlug(ctx, "abf")
	require.NoError(t, err)
	nad, err := st.ProgrammeGetByCode(ctx, partnernet.ProgrammeNAD)
	require.NoError(t, err)
	now := time.Date(2026, 1, 6, 12, 0, 0, 0, partnernet.Stockholm)
	tuesdays := time.Date(2027, 1, 5, 18, 0, 0, 0, partnernet.Stockholm) // a year on, for three years
	saturdays := time.Date(2026, 1, 10, 10, 0, 0, 0, partnernet.Stockholm)
	bounded, endless := "FREQ=WEEKLY;COUNT=150", "FREQ=WEEKLY"
	a := partnernet.Activity{
		OrganiserID: abf.ID, ProgrammeID: nad.ID, Title: "Språkcafé", TitleEn: "Language café",
		Category: partnernet.ActivityLanguagePractice, Languages: []string{"sv"},
		TargetGroups:  []partnernet.TargetGroup{partnernet.TargetEveryone},
		Schedule:      partnernet.Schedule{StartsAt: &tuesdays, DurationMinutes: 60, RRule: &bounded},
		MoreSchedules: []partnernet.Schedule{{StartsAt: &saturdays, DurationMinutes: 120, RRule: &endless}},
	}
	occ, err := a.Occurrences("activity", now)
	require.NoError(t, err)
	var id int64
	require.NoError(t, st.InTx(ctx, func(tx *store.Store) error {
		created, err := tx.ActivityCreate(ctx, a, occ)
		id = created.ID
		return err
	}))
	lastSaturday := func() time.Time {
		var last time.Time
		require.NoError(t, pool.QueryRow(ctx, `SELECT max(starts_at) FROM activity_occurrence
WHERE activity_id = $1 AND extract(isodow FROM starts_at AT TIME ZONE 'Europe/Stockholm') = 6`, id).Scan(&last))
		return last
	}
	before := lastSaturday()
	require.True(t, before.Before(now.AddDate(2, 0, 7)), "expanded through the horizon: %s", before)

	later := now.AddDate(1, 6, 0)
	added, err := live.ExpandDue(ctx, st, later)
	require.NoError(t, err)
	require.Positive(t, added)
	require.True(t, lastSaturday().After(later.AddDate(1, 11, 0)), "the Saturdays expanded from %s to %s", before, lastSaturday())
	var twoHours int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM activity_occurrence
WHERE activity_id = $1 AND ends_at - starts_at = interval '2 hours'`, id).Scan(&twoHours))
	require.Positive(t, twoHours, "each occurrence as long as its schedule")
}
