package loaders

import (
	"context"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// NewcomerPageReads says what the selection of a page of newcomers reads of every one of them,
// to load with the page.
type NewcomerPageReads struct {
	// Languages and Enrolments are the categories of the same name.
	Languages, Enrolments bool
	// EnrolmentActivities loads the activity of every enrolment, once for each of the parts
	// (store.ActivityParts) in EnrolmentActivityParts, the parts each enrolment's activity field
	// selects: the fields then find them under their parts.
	EnrolmentActivities    bool
	EnrolmentActivityParts []store.ActivityParts
}

// LoadNewcomerPage reads, now and in one statement per kind, what reads asks for of every one
// of the page's newcomers, for their fields to answer at once rather than after a batch window.
// It only loads: each category is still handed out by its method above, and only once
// released, so what the caller may not see stays in the request's loaders and goes nowhere.
func (l *Loaders) LoadNewcomerPage(ctx context.Context, page []partnernet.Newcomer, reads NewcomerPageReads) error {
	if len(page) == 0 {
		return nil
	}
	ids := make([]int64, len(page))
	for i := range page {
		ids[i] = page[i].ID
		l.newcomer.Prime(ctx, page[i].ID, &page[i])
	}
	if reads.Languages {
		languages, err := l.store.NewcomerLanguageListByNewcomers(ctx, ids)
		if err != nil {
			return err
		}
		primeGroups(ctx, l.languages, ids, languages, func(s *partnernet.LanguageSkill) int64 { return s.NewcomerID })
	}
	if reads.Enrolments {
		enrolments, err := l.store.EnrolmentListByNewcomers(ctx, ids)
		if err != nil {
			return err
		}
		primeGroups(ctx, l.enrolmentsByNewcomer, ids, enrolments, func(e *partnernet.Enrolment) int64 { return e.NewcomerID })
		if reads.EnrolmentActivities && len(enrolments) > 0 {
			activityIDs := make([]int64, len(enrolments))
			for i := range enrolments {
				activityIDs[i] = enrolments[i].ActivityID
			}
			activityIDs = distinct(activityIDs)
			for _, parts := range reads.EnrolmentActivityParts {
				activities, err := l.store.ActivityGetManyParts(ctx, parts, activityIDs)
				if err != nil {
					return err
				}
				for i := range activities {
					l.ActivityParts.Prime(ctx, ActivityPartsKey{ID: activities[i].ID, Parts: parts}, &activities[i])
				}
			}
		}
	}
	return nil
}

// primeGroups primes a loader of each parent's rows with rows grouped by parent, every one of
// parents included (those without rows get none).
func primeGroups[T any](ctx context.Context, loader *Loader[int64, []T], parents []int64, rows []T, parent func(*T) int64) {
	groups := make(map[int64][]T, len(parents))
	for i := range rows {
		p := parent(&rows[i])
		groups[p] = append(groups[p], rows[i])
	}
	for _, p := range parents {
		loader.Prime(ctx, p, groups[p])
	}
}
