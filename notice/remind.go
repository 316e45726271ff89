package notice

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// The hours of the day (Swedish time) in which reminders are written: nobody is woken at night
// by a reminder of tomorrow's activity.
const (
	RemindFromHour  = 9
	RemindUntilHour = 21
	remindBatch     = 500
)

// Remind writes the reminders due at now: between RemindFromHour and RemindUntilHour, one
// REMINDER to every newcomer holding a place at an occurrence of a published activity starting
// tomorrow (Swedish time) who has none for it yet. Replicas may run it at once: an advisory lock
// lets one write at a time, and each reminder's dedup key keeps it once whatever happens. It
// returns how many it wrote.
func Remind(ctx context.Context, st *store.Store, now time.Time) (int, error) {
	local := now.In(partnernet.Stockholm)
	if local.Hour() < RemindFromHour || local.Hour() >= RemindUntilHour {
		return 0, nil
	}
	tomorrow := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, partnernet.Stockholm)
	dayAfter := time.Date(local.Year(), local.Month(), local.Day()+2, 0, 0, 0, 0, partnernet.Stockholm)
	written := 0
	err := st.InTx(ctx, func(tx *store.Store) error {
		mine, err := tx.ReminderLock(ctx)
		if err != nil || !mine {
			return err
		}
		for {
			targets, err := tx.ReminderTargets(ctx, tomorrow, dayAfter, remindBatch)
			if err != nil || len(targets) == 0 {
				return err
			}
			var ids []int64
			for _, t := range targets {
				ids = append(ids, t.ActivityID)
			}
			activities, err := tx.ActivityGetMany(ctx, ids)
			if err != nil {
				return err
			}
			byID := map[int64]partnernet.Activity{}
			for _, a := range activities {
				byID[a.ID] = a
			}
			drafts := make([]partnernet.NoticeDraft, 0, len(targets))
			for _, t := range targets {
				starts := t.StartsAt
				drafts = append(drafts, partnernet.NoticeDraft{
					NewcomerID: t.NewcomerID, Activity: byID[t.ActivityID], Kind: partnernet.NoticeReminder,
					Occurrence: &starts, DedupKey: ReminderKey(t.ActivityID, starts, t.NewcomerID),
				})
			}
			made, err := Enqueue(ctx, tx, drafts)
			if err != nil {
				return err
			}
			written += len(made)
			if len(targets) < remindBatch || len(made) == 0 {
				return nil
			}
		}
	})
	return written, err
}

// ReminderKey is the dedup key of the reminder of the occurrence of an activity starting at
// starts, to a newcomer.
func ReminderKey(activityID int64, starts time.Time, newcomerID int64) string {
	return fmt.Sprintf("REMINDER:%d:%d:%d", activityID, starts.Unix(), newcomerID)
}

// RunReminders writes the reminders due every interval until ctx ends.
func RunReminders(ctx context.Context, st *store.Store, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := Remind(ctx, st, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.ErrorContext(ctx, "could not write reminders; trying again next time", "err", err)
		case n > 0:
			log.InfoContext(ctx, "reminders written", "notices", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
