package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/store"
)

// activityBundle is a demo network without synthetic activities, and one draft of ABF's.
type activityBundle struct {
	st        *store.Store
	ctx       context.Context
	activity  partnernet.Activity
	newcomers []int64
}

func setupActivity(t *testing.T, capacity *int) activityBundle {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	_, err := seed.Load(ctx, st, seed.Options{Newcomers: 10, Seed: 1}, nil)
	require.NoError(t, err)
	abf, err := st.OrganisationGetBySlug(ctx, "abf")
	require.NoError(t, err)
	nad, err := st.ProgrammeGetByCode(ctx, partnernet.ProgrammeNAD)
	require.NoError(t, err)
	start := time.Date(2026, 12, 1, 18, 0, 0, 0, partnernet.Stockholm)
	a := partnernet.Activity{
		OrganiserID: abf.ID, ProgrammeID: nad.ID, Title: "Språkcafé", TitleEn: "Language café",
		Category: partnernet.ActivityLanguagePractice, Languages: []string{"sv"},
		TargetGroups: []partnernet.TargetGroup{partnernet.TargetEveryone}, Capacity: capacity,
		Schedule: partnernet.Schedule{StartsAt: &start, DurationMinutes: 60},
	}
	var created partnernet.Activity
	require.NoError(t, st.InTx(ctx, func(tx *store.Store) error {
		created, err = tx.ActivityCreate(ctx, a, []partnernet.Occurrence{{StartsAt: start, EndsAt: start.Add(time.Hour)}})
		return err
	}))
	rows, err := pool.Query(ctx, "SELECT id FROM newcomer ORDER BY id")
	require.NoError(t, err)
	var ids []int64
	for rows.Next() {
		var id int64
		require.NoError(t, rows.Scan(&id))
		ids = append(ids, id)
	}
	require.NoError(t, rows.Err())
	return activityBundle{st: st, ctx: ctx, activity: created, newcomers: ids}
}

func TestEnrolmentWaitlistAndPromotion(t *testing.T) {
	t.Parallel()
	two := 2
	tests := []struct {
		name     string
		capacity *int
		cancel   int // index of the enrolment to cancel
		want     []partnernet.EnrolmentStatus
	}{
		{"no limit: everyone enrolled", nil, 0, []partnernet.EnrolmentStatus{"CANCELLED", "ENROLLED", "ENROLLED", "ENROLLED"}},
		{"a freed place goes to the first waiting", &two, 1, []partnernet.EnrolmentStatus{"ENROLLED", "CANCELLED", "ENROLLED", "WAITLISTED"}},
		{"leaving the waitlist promotes nobody", &two, 3, []partnernet.EnrolmentStatus{"ENROLLED", "ENROLLED", "WAITLISTED", "CANCELLED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setupActivity(t, tt.capacity)
			var ids []int64
			for i := range 4 {
				require.NoError(t, b.st.InTx(b.ctx, func(tx *store.Store) error {
					a, err := tx.ActivityLock(b.ctx, b.activity.ID)
					if err != nil {
						return err
					}
					e, err := tx.EnrolmentCreate(b.ctx, a, b.newcomers[i], "test")
					require.Equal(t, int64(i+1), e.Position)
					ids = append(ids, e.ID)
					return err
				}))
			}
			require.NoError(t, b.st.InTx(b.ctx, func(tx *store.Store) error {
				_, _, err := tx.EnrolmentCancel(b.ctx, ids[tt.cancel])
				return err
			}))
			got, err := b.st.EnrolmentGetMany(b.ctx, ids)
			require.NoError(t, err)
			status := map[int64]partnernet.EnrolmentStatus{}
			for _, e := range got {
				status[e.ID] = e.Status
			}
			for i, id := range ids {
				require.Equal(t, tt.want[i], status[id], "enrolment %d", i)
			}
			// A newcomer holds one live enrolment per activity.
			err = b.st.InTx(b.ctx, func(tx *store.Store) error {
				a, err := tx.ActivityLock(b.ctx, b.activity.ID)
				if err != nil {
					return err
				}
				_, err = tx.EnrolmentCreate(b.ctx, a, b.newcomers[(tt.cancel+1)%4], "test")
				return err
			})
			require.ErrorIs(t, err, partnernet.ErrConflict)
		})
	}
}

func TestIdempotencyKeyWritesOnce(t *testing.T) {
	t.Parallel()
	b := setupActivity(t, nil)
	type result struct{ Enrolment partnernet.Enrolment }
	// Ten concurrent requests with one key: one enrols, the others wait for it and return its
	// result.
	results := make([]result, 10)
	errs := make([]error, 10)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = b.st.InTx(b.ctx, func(tx *store.Store) error {
				found, err := tx.IdempotencyClaim(b.ctx, "newcomer:1", "key-1", "enrol", &results[i])
				if err != nil || found {
					return err
				}
				a, err := tx.ActivityLock(b.ctx, b.activity.ID)
				if err != nil {
					return err
				}
				if results[i].Enrolment, err = tx.EnrolmentCreate(b.ctx, a, b.newcomers[0], "newcomer:1"); err != nil {
					return err
				}
				return tx.IdempotencySave(b.ctx, "newcomer:1", "key-1", results[i])
			})
		}()
	}
	wg.Wait()
	for i := range results {
		require.NoError(t, errs[i])
		require.Equal(t, results[0].Enrolment.ID, results[i].Enrolment.ID)
		require.Equal(t, partnernet.EnrolmentEnrolled, results[i].Enrolment.Status)
	}
	counts, err := b.st.EnrolmentCountsGetMany(b.ctx, []int64{b.activity.ID})
	require.NoError(t, err)
	require.Equal(t, []partnernet.EnrolmentCounts{{ActivityID: b.activity.ID, Enrolled: 1}}, counts, "written once")

	// The same key for another operation is refused; another caller's key is their own.
	err = b.st.InTx(b.ctx, func(tx *store.Store) error {
		_, err := tx.IdempotencyClaim(b.ctx, "newcomer:1", "key-1", "cancel", &result{})
		return err
	})
	require.ErrorIs(t, err, partnernet.ErrConflict)
	err = b.st.InTx(b.ctx, func(tx *store.Store) error {
		found, err := tx.IdempotencyClaim(b.ctx, "newcomer:2", "key-1", "enrol", &result{})
		require.False(t, found)
		return err
	})
	require.NoError(t, err)
}

func TestActivityChangesFollowPublicTransitions(t *testing.T) {
	t.Parallel()
	b := setupActivity(t, nil)
	step := func(fn func(tx *store.Store) error) {
		require.NoError(t, b.st.InTx(b.ctx, fn))
	}
	latest := func() []partnernet.ActivityChangeKind {
		changes, err := b.st.ActivityChangeListAfter(b.ctx, 0, 100)
		require.NoError(t, err)
		var kinds []partnernet.ActivityChangeKind
		for _, c := range changes {
			kinds = append(kinds, c.Kind)
		}
		return kinds
	}
	// Editing a draft is not public.
	step(func(tx *store.Store) error {
		a := b.activity
		a.Title = "Språkcafé på arabiska"
		_, err := tx.ActivityUpdate(b.ctx, a, nil)
		return err
	})
	require.Empty(t, latest())
	step(func(tx *store.Store) error {
		a, err := tx.ActivitySetStatus(b.ctx, b.activity.ID, partnernet.ActivityPublished)
		require.NotNil(t, a.PublishedAt)
		require.Equal(t, 3, a.Version)
		return err
	})
	step(func(tx *store.Store) error {
		a := b.activity
		a.Title = "Språkcafé på dari"
		out, err := tx.ActivityUpdate(b.ctx, a, nil)
		require.Equal(t, partnernet.ActivityPublished, out.Status)
		return err
	})
	step(func(tx *store.Store) error {
		a, err := tx.ActivitySetStatus(b.ctx, b.activity.ID, partnernet.ActivityCancelled)
		require.NotNil(t, a.CancelledAt)
		return err
	})
	require.Equal(t, []partnernet.ActivityChangeKind{"PUBLISHED", "UPDATED", "CANCELLED"}, latest())
	latestID, err := b.st.ActivityChangeLatest(b.ctx)
	require.NoError(t, err)
	rest, err := b.st.ActivityChangeListAfter(b.ctx, latestID, 100)
	require.NoError(t, err)
	require.Empty(t, rest)

	// A rolled-back change leaves no trace.
	err = b.st.InTx(b.ctx, func(tx *store.Store) error {
		if _, err := tx.ActivitySetStatus(b.ctx, b.activity.ID, partnernet.ActivityPublished); err != nil {
			return err
		}
		return partnernet.Errorf(partnernet.CodeConflict, "roll back")
	})
	require.Error(t, err)
	require.Len(t, latest(), 3)
}

func TestRaisedCapacityPromotesInArrivalOrder(t *testing.T) {
	t.Parallel()
	one := 1
	b := setupActivity(t, &one)
	var ids []int64
	for i := range 4 {
		require.NoError(t, b.st.InTx(b.ctx, func(tx *store.Store) error {
			a, err := tx.ActivityLock(b.ctx, b.activity.ID)
			if err != nil {
				return err
			}
			e, err := tx.EnrolmentCreate(b.ctx, a, b.newcomers[i], "test")
			ids = append(ids, e.ID)
			return err
		}))
	}
	tests := []struct {
		capacity *int
		want     []int64 // promoted
	}{
		{capacity: &one, want: nil},
		{capacity: func() *int { n := 3; return &n }(), want: ids[1:3]},
		{capacity: nil, want: ids[3:]},
	}
	for _, tt := range tests {
		var promoted []partnernet.Enrolment
		require.NoError(t, b.st.InTx(b.ctx, func(tx *store.Store) error {
			a, err := tx.ActivityLock(b.ctx, b.activity.ID)
			if err != nil {
				return err
			}
			a.Capacity = tt.capacity
			if _, err := tx.ActivityUpdate(b.ctx, a, nil); err != nil {
				return err
			}
			promoted, err = tx.EnrolmentPromote(b.ctx, a.ID)
			return err
		}))
		var got []int64
		for _, e := range promoted {
			require.Equal(t, partnernet.EnrolmentEnrolled, e.Status)
			got = append(got, e.ID)
		}
		require.Equal(t, tt.want, got)
	}
}
