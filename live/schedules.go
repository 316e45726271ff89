package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/partnerskap-skane/partnernet/store"
)

// Expansion of open-ended schedules.
const (
	// expandAhead is how far ahead of now an open-ended schedule always has occurrences.
	expandAhead = 366 * 24 * time.Hour
	// expandBatch is how many activities one round expands.
	expandBatch = 200
)

// ExpandSchedules keeps open-ended recurring schedules expanded: every interval (the first time
// one interval after the start: writes expand schedules themselves), until ctx
// ends, each draft or published activity with an open-ended rule whose occurrences end within a
// year gets the occurrences of its rule through the schedule horizon (two years) from now. Replicas may run it at
// once: adding an occurrence twice keeps one.
func ExpandSchedules(ctx context.Context, st *store.Store, interval time.Duration, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
		if _, err := ExpandDue(ctx, st, time.Now()); err != nil && ctx.Err() == nil {
			log.ErrorContext(ctx, "could not expand recurring schedules", "err", err)
		}
	}
}

// ExpandDue expands, as of now, the schedules whose occurrences end within a year of now, and
// returns how many occurrences it added. A schedule whose rule is refused (one stored before
// the bounds of partnernet.ParseRRule) is left as it is, and named in the error, after the
// others are expanded.
func ExpandDue(ctx context.Context, st *store.Store, now time.Time) (int64, error) {
	var added int64
	var refused []error
	for {
		due, err := st.ActivityListScheduleDue(ctx, now.Add(expandAhead), expandBatch)
		if err != nil {
			return added, errors.Join(append(refused, err)...)
		}
		progress := int64(0)
		for _, a := range due {
			occurrences, err := a.Occurrences("activity", now)
			if err != nil {
				// A rule stored before the schedule bounds tightened may be refused now: the
				// others are expanded all the same.
				refused = append(refused, fmt.Errorf("expand the schedule of activity %d: %w", a.ID, err))
				continue
			}
			n, err := st.OccurrenceAdd(ctx, a, occurrences)
			if err != nil {
				return added, errors.Join(append(refused, err)...)
			}
			progress += n
		}
		added += progress
		// A batch that added nothing holds rules that have ended: stop rather than loop.
		if len(due) < expandBatch || progress == 0 {
			return added, errors.Join(refused...)
		}
	}
}
