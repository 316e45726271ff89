package loaders

import (
	"context"
	"slices"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// ActivityReferences says which references of a page of activities its selection asks for, to
// load them with the page.
type ActivityReferences struct {
	Organisers, CoOrganisers, Municipalities, Programmes bool
	// NextOccurrences and EnrolmentCounts load each activity's next occurrences and its
	// enrolment counts.
	NextOccurrences, EnrolmentCounts bool
	// Texts loads each activity's texts in every language (its text and translations fields);
	// ReaderTexts only when the reader reads another language than Swedish (its title and
	// description, which read the activity's own Swedish columns otherwise).
	Texts, ReaderTexts bool
}

// texts says whether the activities' texts in every language are to be loaded for the reader
// in ctx.
func (refs ActivityReferences) texts(ctx context.Context) bool {
	return refs.Texts || refs.ReaderTexts && partnernet.ReaderFrom(ctx).Wants() != partnernet.Swedish
}

// ActivityListFilter is the filter of a child list of activities, with the references its
// selection asks for.
type ActivityListFilter struct {
	store.ActivityFilter
	References ActivityReferences
}

// LoadActivityReferences loads what refs asks for of every activity of pages — organisers,
// co-organisers, municipalities and programmes, next occurrences, enrolment counts and texts in
// every language — in one round trip of one statement per kind, into the loaders each
// activity's fields ask, so that they answer at once rather than after a batch window.
func (l *Loaders) LoadActivityReferences(ctx context.Context, refs ActivityReferences, pages ...[]partnernet.Activity) error {
	q := store.ActivityReferenceIDs{
		Texts: refs.texts(ctx), NextOccurrences: refs.NextOccurrences, EnrolmentCounts: refs.EnrolmentCounts,
		OccurrencesAfter: time.Now(), OccurrenceLimit: MaxNextOccurrences,
	}
	ids := &q.Network
	for _, activities := range pages {
		for i := range activities {
			a := &activities[i]
			q.Activities = append(q.Activities, a.ID)
			if refs.Organisers {
				ids.Organisations = append(ids.Organisations, a.OrganiserID)
			}
			if refs.CoOrganisers {
				ids.Organisations = append(ids.Organisations, a.CoOrganiserIDs...)
			}
			if refs.Municipalities && a.MunicipalityID != nil {
				ids.Municipalities = append(ids.Municipalities, *a.MunicipalityID)
			}
			if refs.Programmes && a.ProgrammeID != 0 {
				ids.Programmes = append(ids.Programmes, a.ProgrammeID)
			}
		}
	}
	ids.Organisations, ids.Municipalities, ids.Programmes = distinct(ids.Organisations), distinct(ids.Municipalities), distinct(ids.Programmes)
	got, err := l.store.ActivityReferencesGet(ctx, q)
	if err != nil {
		return err
	}
	l.primeNetwork(ctx, got.NetworkRows)
	if q.Texts {
		primeGroups(ctx, l.ActivityTexts, q.Activities, got.Texts,
			func(t *partnernet.ActivityTranslation) int64 { return t.ActivityID })
	}
	if q.NextOccurrences {
		primeGroups(ctx, l.NextOccurrences, q.Activities, got.Occurrences,
			func(o *partnernet.Occurrence) int64 { return o.ActivityID })
	}
	if q.EnrolmentCounts {
		byActivity := make(map[int64]*partnernet.EnrolmentCounts, len(q.Activities))
		for i := range got.Counts {
			byActivity[got.Counts[i].ActivityID] = &got.Counts[i]
		}
		for _, id := range q.Activities {
			c := byActivity[id]
			if c == nil {
				// No enrolments: what the resolvers make of a missing row.
				c = &partnernet.EnrolmentCounts{ActivityID: id}
			}
			l.EnrolmentCounts.Prime(ctx, id, c)
		}
	}
	return nil
}

// loadNetwork reads the organisations, municipalities and programmes ids names in one round
// trip (repeats dropped) and primes their loaders with them.
func (l *Loaders) loadNetwork(ctx context.Context, ids store.NetworkIDs) error {
	ids.Organisations = distinct(ids.Organisations)
	ids.Municipalities = distinct(ids.Municipalities)
	ids.Programmes = distinct(ids.Programmes)
	got, err := l.store.NetworkGetMany(ctx, ids)
	if err != nil {
		return err
	}
	l.primeNetwork(ctx, got)
	return nil
}

// LoadActivities reads, now and in one statement, the whole activities ids names, for the
// Activity loader to answer at once: for a caller that knows every id it will ask for (nodes(ids:)),
// so that a batch window, which a busy machine can split, does not decide how many statements
// they take.
func (l *Loaders) LoadActivities(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	activities, err := l.store.ActivityGetMany(ctx, distinct(ids))
	if err != nil {
		return err
	}
	for i := range activities {
		l.Activity.Prime(ctx, activities[i].ID, &activities[i])
	}
	return nil
}

// LoadOrganisations reads, now and in one statement, the organisations ids names, for their
// loader to answer at once.
func (l *Loaders) LoadOrganisations(ctx context.Context, ids []int64) error {
	return l.loadNetwork(ctx, store.NetworkIDs{Organisations: ids})
}

// primeNetwork primes the organisation, municipality and programme loaders with rows.
func (l *Loaders) primeNetwork(ctx context.Context, got store.NetworkRows) {
	for i := range got.Organisations {
		l.Organisation.Prime(ctx, got.Organisations[i].ID, &got.Organisations[i])
	}
	for i := range got.Municipalities {
		l.Municipality.Prime(ctx, got.Municipalities[i].ID, &got.Municipalities[i])
	}
	for i := range got.Programmes {
		l.Programme.Prime(ctx, got.Programmes[i].ID, &got.Programmes[i])
	}
}

// distinct sorts ids and drops repeats.
func distinct(ids []int64) []int64 {
	slices.Sort(ids)
	return slices.Compact(ids)
}
