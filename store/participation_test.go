package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// enrolAll enrols the first n newcomers of b in its activity, in order.
func enrolAll(t *testing.T, b activityBundle, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
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
	return ids
}

// TestAttendanceAndItsFacts records a roll call, records it anew (the last word wins), refuses
// a participant without a place, and finds the attendance in the ATTENDANCE measure's facts
// under the activity's global ID as the API gives it.
func TestAttendanceAndItsFacts(t *testing.T) {
	t.Parallel()
	two := 2
	b := setupActivity(t, &two)
	ids := enrolAll(t, b, 3) // two placed, one waiting
	at := *b.activity.Schedule.StartsAt

	_, err := b.st.AttendanceUpsert(b.ctx, b.activity.ID, at, []int64{ids[0], ids[2]},
		[]partnernet.AttendanceStatus{partnernet.AttendancePresent, partnernet.AttendancePresent}, "test")
	require.ErrorIs(t, err, partnernet.ErrBadUserInput, "the waiting newcomer holds no place")

	got, err := b.st.AttendanceUpsert(b.ctx, b.activity.ID, at, ids[:2],
		[]partnernet.AttendanceStatus{partnernet.AttendancePresent, partnernet.AttendanceAbsent}, "test")
	require.NoError(t, err)
	require.Len(t, got, 2)
	_, err = b.st.AttendanceUpsert(b.ctx, b.activity.ID, at, ids[1:2],
		[]partnernet.AttendanceStatus{partnernet.AttendanceExcused}, "test")
	require.NoError(t, err)

	counts, err := b.st.AttendanceCountsByActivities(b.ctx, []int64{b.activity.ID})
	require.NoError(t, err)
	require.Len(t, counts, 1)
	require.Equal(t, 1, counts[0].Present)
	require.Equal(t, 0, counts[0].Absent)
	require.Equal(t, 1, counts[0].Excused)

	facts, err := b.st.AnalyticsFacts(b.ctx, analytics.Attendance)
	require.NoError(t, err)
	gid := relay.ToGlobalID("Activity", b.activity.ID)
	byOutcome := map[string]int{}
	for _, f := range facts {
		require.Len(t, f.Values, len(analytics.Attendance.Dimensions))
		require.Equal(t, "2026-12", f.Values[0])
		require.Equal(t, "NAD", f.Values[1])
		require.Equal(t, "abf", f.Values[2])
		require.Equal(t, gid, f.Values[3], "the ACTIVITY dimension is the activity's global ID")
		byOutcome[f.Values[4]] += max(f.Weight, 1)
	}
	require.Equal(t, map[string]int{"PRESENT": 1, "EXCUSED": 1}, byOutcome)
}

// TestNoticeDeliveryClaims shows the outbox's guarantees: concurrent workers never claim the
// same delivery (SKIP LOCKED); a claim whose worker died is claimed again only after its lease;
// and the dead worker's late mark changes nothing (fencing by attempt).
func TestNoticeDeliveryClaims(t *testing.T) {
	t.Parallel()
	b := setupActivity(t, nil)
	activityID := b.activity.ID
	var notices []partnernet.Notice
	for i := range 5 {
		notices = append(notices, partnernet.Notice{NewcomerID: b.newcomers[i], ActivityID: &activityID,
			Kind: partnernet.NoticeReminder, Language: "sv", Subject: "Påminnelse", Body: "I morgon",
			DedupKey: "test:" + string(rune('a'+i))})
	}
	require.NoError(t, b.st.InTx(b.ctx, func(tx *store.Store) error {
		written, err := tx.NoticeInsert(b.ctx, notices)
		require.Len(t, written, 5)
		return err
	}))
	require.NoError(t, b.st.InTx(b.ctx, func(tx *store.Store) error {
		again, err := tx.NoticeInsert(b.ctx, notices)
		require.Empty(t, again, "a notice whose key was written before is not written twice")
		return err
	}))

	// Four workers claim at once: the ten deliveries (two channels each) go out once in all.
	now := time.Now()
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := b.st.NoticeDeliveryClaim(context.Background(), now, time.Minute, 3)
			require.NoError(t, err)
			mu.Lock()
			defer mu.Unlock()
			for _, c := range got {
				seen[c.Delivery.ID]++
			}
		})
	}
	wg.Wait()
	rest, err := b.st.NoticeDeliveryClaim(b.ctx, now, time.Minute, 100)
	require.NoError(t, err)
	for _, c := range rest {
		seen[c.Delivery.ID]++
	}
	require.Len(t, seen, 10)
	for id, n := range seen {
		require.Equal(t, 1, n, "delivery %d claimed once", id)
	}

	// Nothing is due again before the leases run out; after them, every claim comes back.
	got, err := b.st.NoticeDeliveryClaim(b.ctx, now.Add(30*time.Second), time.Minute, 100)
	require.NoError(t, err)
	require.Empty(t, got)
	reclaimed, err := b.st.NoticeDeliveryClaim(b.ctx, now.Add(2*time.Minute), time.Minute, 100)
	require.NoError(t, err)
	require.Len(t, reclaimed, 10)
	c := reclaimed[0]
	require.Equal(t, 2, c.Delivery.Attempts)

	// The first, dead claim marks late: nothing changes. The live one marks: done.
	ok, err := b.st.NoticeDeliveryFinish(b.ctx, c.Delivery.ID, 1, partnernet.DeliverySent, now, nil)
	require.NoError(t, err)
	require.False(t, ok, "a claim whose lease ran out and was claimed again is fenced off")
	ok, err = b.st.NoticeDeliveryFinish(b.ctx, c.Delivery.ID, 2, partnernet.DeliverySent, now, nil)
	require.NoError(t, err)
	require.True(t, ok)
	got, err = b.st.NoticeDeliveryClaim(b.ctx, now.Add(time.Hour), time.Minute, 100)
	require.NoError(t, err)
	for _, d := range got {
		require.NotEqual(t, c.Delivery.ID, d.Delivery.ID, "a sent delivery is never claimed again")
	}
	require.Len(t, got, 9)
}
