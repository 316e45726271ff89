package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// ActivityReferenceIDs name what a page of activities refers to and what of each activity a
// page's selection reads beside its row: the organisations, municipalities and programmes, and,
// of Activities, their texts in every language, their next occurrences and their enrolment
// counts.
type ActivityReferenceIDs struct {
	Network    NetworkIDs
	Activities []int64
	// Texts, NextOccurrences and EnrolmentCounts say which of the activities' reads to make.
	Texts, NextOccurrences, EnrolmentCounts bool
	// OccurrencesAfter and OccurrenceLimit bound the next occurrences: the first
	// OccurrenceLimit of each activity that end after OccurrencesAfter.
	OccurrencesAfter time.Time
	OccurrenceLimit  int
}

// ActivityReferenceRows are what [Store.ActivityReferencesGet] read, in no particular order
// across activities; unknown ids are absent, and so are the counts of activities without
// enrolments.
type ActivityReferenceRows struct {
	NetworkRows
	Texts       []partnernet.ActivityTranslation
	Occurrences []partnernet.Occurrence
	Counts      []partnernet.EnrolmentCounts
}

// ActivityReferencesGet reads everything ids names in one round trip: one statement for each
// kind of row it asks for, sent together, so that a page of activities costs the page's round
// trip and this one, whatever its selection reads of each row.
func (s *Store) ActivityReferencesGet(ctx context.Context, ids ActivityReferenceIDs) (ActivityReferenceRows, error) {
	var out ActivityReferenceRows
	b := &pgx.Batch{}
	queueNetwork(b, ids.Network, &out.NetworkRows)
	if len(ids.Activities) > 0 {
		if ids.Texts {
			queueMany(b, activityTextsSQL, ids.Activities, activityTextFields, &out.Texts)
		}
		if ids.NextOccurrences {
			b.Queue(nextOccurrencesSQL, ids.Activities, ids.OccurrencesAfter, ids.OccurrenceLimit).Query(func(rows pgx.Rows) error {
				got, err := collectAll(rows, occurrenceFields)
				out.Occurrences = got
				return err
			})
		}
		if ids.EnrolmentCounts {
			queueMany(b, enrolmentCountsSQL, ids.Activities, enrolmentCountFields, &out.Counts)
		}
	}
	if b.Len() == 0 {
		return out, nil
	}
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return ActivityReferenceRows{}, translate(fmt.Errorf("get the references of %d activities: %w", len(ids.Activities), err))
	}
	return out, nil
}
