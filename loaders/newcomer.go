package loaders

import (
	"context"
	"errors"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/store"
)

// A newcomer's data is released here, and only here: each method first asks authz, with the
// newcomer's active consents naming the caller's organisation (read once per request, in one
// batch per page), and loads nothing when the answer is no. The decision is audited (the
// request's authz trail) whatever it is. A refusal is the decision's error: UNAUTHENTICATED,
// FORBIDDEN or CONSENT_REQUIRED.

// grants returns the newcomer's active consents naming the caller's organisation, as the
// decision point takes them.
func (l *Loaders) grants(ctx context.Context, newcomerID int64) ([]authz.Grant, error) {
	records, err := l.activeConsents.Load(ctx, newcomerID)()
	if err != nil {
		return nil, err
	}
	return authz.GrantsFrom(records), nil
}

// ref is what a decision about n needs to know of n.
func ref(n *partnernet.Newcomer) authz.NewcomerRef {
	r := authz.NewcomerRef{ID: n.ID, ControllerID: n.ControllerID}
	if n.IncomingTo != nil {
		r.IncomingTo = *n.IncomingTo
	}
	return r
}

// release is the one place that asks authz.ReleaseCategory whether category c of n's data goes
// to the caller.
func (l *Loaders) release(ctx context.Context, n *partnernet.Newcomer, c partnernet.DataCategory) error {
	g, err := l.grants(ctx, n.ID)
	if err != nil {
		return err
	}
	return l.authz.ReleaseCategory(ctx, ref(n), c, g)
}

// Release decides whether category c of n's data goes to the caller, for a caller that needs
// the decision only (the participation of a course participant, the right to write a plan). The
// data itself is read through the method of its category.
func (l *Loaders) Release(ctx context.Context, n *partnernet.Newcomer, c partnernet.DataCategory) error {
	return l.release(ctx, n, c)
}

// released loads a category of n's data with load, once c is released to the caller.
func released[T any](ctx context.Context, l *Loaders, n *partnernet.Newcomer, c partnernet.DataCategory, load func() (T, error)) (T, error) {
	if err := l.release(ctx, n, c); err != nil {
		var none T
		return none, err
	}
	return load()
}

// optional is a single row that a newcomer may not have: nil, not an error, when missing.
func optional[T any](v *T, err error) (*T, error) {
	if errors.Is(err, partnernet.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// Newcomer starts loading the record of the newcomer with id and returns a thunk that waits for
// it. The record is the input of every decision about the newcomer (its controller), so it
// carries none of their data: its identity fields are empty, and only Identity releases them.
func (l *Loaders) Newcomer(ctx context.Context, id int64) func() (*partnernet.Newcomer, error) {
	thunk := l.newcomer.Load(ctx, id)
	return func() (*partnernet.Newcomer, error) {
		n, err := thunk()
		if err != nil {
			return nil, err
		}
		record := *n
		record.DisplayName, record.BirthYear, record.Gender = "", nil, nil
		return &record, nil
	}
}

// Identity returns n's identity data (category IDENTITY). A record of a store's list carries it
// (display names are never empty); one handed out by Newcomer does not, and its identity is read
// from the request's cache of the stored record.
func (l *Loaders) Identity(ctx context.Context, n *partnernet.Newcomer) (*partnernet.NewcomerIdentity, error) {
	return released(ctx, l, n, partnernet.CategoryIdentity, func() (*partnernet.NewcomerIdentity, error) {
		if n.DisplayName != "" {
			return n.Identity(), nil
		}
		stored, err := l.newcomer.Load(ctx, n.ID)()
		if err != nil {
			return nil, err
		}
		return stored.Identity(), nil
	})
}

// Contact returns how to reach n (category CONTACT); nil when nothing is recorded.
func (l *Loaders) Contact(ctx context.Context, n *partnernet.Newcomer) (*partnernet.NewcomerContact, error) {
	return released(ctx, l, n, partnernet.CategoryContact, func() (*partnernet.NewcomerContact, error) {
		return optional(l.contact.Load(ctx, n.ID)())
	})
}

// Languages returns the languages n speaks (category LANGUAGES).
func (l *Loaders) Languages(ctx context.Context, n *partnernet.Newcomer) ([]partnernet.LanguageSkill, error) {
	return released(ctx, l, n, partnernet.CategoryLanguages, func() ([]partnernet.LanguageSkill, error) {
		return l.languages.Load(ctx, n.ID)()
	})
}

// Health returns n's health notes (category HEALTH, special under GDPR art. 9); nil when none.
func (l *Loaders) Health(ctx context.Context, n *partnernet.Newcomer) (*partnernet.NewcomerHealth, error) {
	return released(ctx, l, n, partnernet.CategoryHealth, func() (*partnernet.NewcomerHealth, error) {
		return optional(l.health.Load(ctx, n.ID)())
	})
}

// Family returns n's family members (category FAMILY).
func (l *Loaders) Family(ctx context.Context, n *partnernet.Newcomer) ([]partnernet.FamilyMember, error) {
	return released(ctx, l, n, partnernet.CategoryFamily, func() ([]partnernet.FamilyMember, error) {
		return l.family.Load(ctx, n.ID)()
	})
}

// Background returns n's education and work background (category BACKGROUND); nil when none.
func (l *Loaders) Background(ctx context.Context, n *partnernet.Newcomer) (*partnernet.NewcomerBackground, error) {
	return released(ctx, l, n, partnernet.CategoryBackground, func() (*partnernet.NewcomerBackground, error) {
		return optional(l.background.Load(ctx, n.ID)())
	})
}

// Plans returns n's MY PATH support plans (category PLAN).
func (l *Loaders) Plans(ctx context.Context, n *partnernet.Newcomer) ([]partnernet.SupportPlan, error) {
	return released(ctx, l, n, partnernet.CategoryPlan, func() ([]partnernet.SupportPlan, error) {
		return l.plansByNewcomer.Load(ctx, n.ID)()
	})
}

// Enrolments returns n's enrolments in activities (category PARTICIPATION).
func (l *Loaders) Enrolments(ctx context.Context, n *partnernet.Newcomer) ([]partnernet.Enrolment, error) {
	return released(ctx, l, n, partnernet.CategoryParticipation, func() ([]partnernet.Enrolment, error) {
		return l.enrolmentsByNewcomer.Load(ctx, n.ID)()
	})
}

// CourseParticipations returns the loader of n's participations in SHK courses (category
// PARTICIPATION), once released, for the caller to page through.
func (l *Loaders) CourseParticipations(ctx context.Context, n *partnernet.Newcomer) (*PageLoader[struct{}, partnernet.CourseParticipant], error) {
	return released(ctx, l, n, partnernet.CategoryParticipation, func() (*PageLoader[struct{}, partnernet.CourseParticipant], error) {
		return l.participations, nil
	})
}

// Changeable decides whether the caller may change (correct) category c of n's data
// (authz.ChangeCategory), with n's active consents naming the caller's organisation.
func (l *Loaders) Changeable(ctx context.Context, n *partnernet.Newcomer, c partnernet.DataCategory) error {
	g, err := l.grants(ctx, n.ID)
	if err != nil {
		return err
	}
	return l.authz.ChangeCategory(ctx, ref(n), c, g)
}

// Version returns the version of category c of n's data (1 as registered), once c is released
// to the caller: what a correction of c names.
func (l *Loaders) Version(ctx context.Context, n *partnernet.Newcomer, c partnernet.DataCategory) (int, error) {
	return released(ctx, l, n, c, func() (int, error) {
		versions, err := l.versions.Load(ctx, n.ID)()
		if err != nil {
			return 0, err
		}
		for _, v := range versions {
			if v.Category == c {
				return v.Version, nil
			}
		}
		return 1, nil
	})
}

// Changes returns the loader of n's change history in the categories cs, once each of them is
// released to the caller (the first refusal is returned), for the caller to page through.
func (l *Loaders) Changes(ctx context.Context, n *partnernet.Newcomer, cs []partnernet.DataCategory) (*PageLoader[store.ChangeFilter, partnernet.NewcomerChange], error) {
	for _, c := range cs {
		if err := l.release(ctx, n, c); err != nil {
			return nil, err
		}
	}
	return l.changes, nil
}

// Outcomes returns n's establishment outcomes, in the order they began (category OUTCOMES).
func (l *Loaders) Outcomes(ctx context.Context, n *partnernet.Newcomer) ([]partnernet.Outcome, error) {
	return released(ctx, l, n, partnernet.CategoryOutcomes, func() ([]partnernet.Outcome, error) {
		return l.outcomes.Load(ctx, n.ID)()
	})
}

// QuestionnaireResponses returns n's responses to the questionnaire, oldest first (category
// WELLBEING).
func (l *Loaders) QuestionnaireResponses(ctx context.Context, n *partnernet.Newcomer) ([]partnernet.QuestionnaireResponse, error) {
	return released(ctx, l, n, partnernet.CategoryWellbeing, func() ([]partnernet.QuestionnaireResponse, error) {
		return l.responses.Load(ctx, n.ID)()
	})
}

// FeedbackAuthor returns the name of the newcomer who gave feedback f, once authz releases it to
// the caller (authz.ReleaseFeedbackAuthor: the newcomer chose to be named, and the caller reads
// the organiser's feedback); nil for anonymous feedback, which never tells who gave it.
func (l *Loaders) FeedbackAuthor(ctx context.Context, f *partnernet.ActivityFeedback) (*string, error) {
	if f.NewcomerID == nil || !f.Named {
		return nil, nil
	}
	stored, err := l.newcomer.Load(ctx, *f.NewcomerID)()
	if err != nil {
		return nil, err
	}
	if err := l.authz.ReleaseFeedbackAuthor(ctx, ref(stored), f.OrganiserID, f.Named); err != nil {
		return nil, err
	}
	name := stored.DisplayName
	return &name, nil
}

// See decides whether the caller may see that n is registered: the record without category
// data (authz.SeeNewcomer).
func (l *Loaders) See(ctx context.Context, n *partnernet.Newcomer) error {
	g, err := l.grants(ctx, n.ID)
	if err != nil {
		return err
	}
	return l.authz.SeeNewcomer(ctx, ref(n), g)
}

// SeeAll decides, as See does, on every newcomer of rows, with their consents read in one
// batch (shared, through the batch window, with the other rows asking at the same time), and
// returns the first refusal. A page's SQL scope already mirrors the decision, so a refusal is a
// fault to report, never a row to leave out quietly (which would make counts lie).
func (l *Loaders) SeeAll(ctx context.Context, rows []partnernet.Newcomer) error {
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	records, errs := l.activeConsents.LoadMany(ctx, ids)()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return l.seeEach(ctx, rows, func(i int) []partnernet.ConsentRecord { return records[i] })
}

// SeePage decides as SeeAll does on a page a list resolver has just read, with the consents of
// all its newcomers read now, without waiting for a batch window: the page is all there is to
// gather. The consents stay loaded for every later decision of the request.
func (l *Loaders) SeePage(ctx context.Context, page []partnernet.Newcomer) error {
	ids := make([]int64, len(page))
	for i := range page {
		ids[i] = page[i].ID
	}
	byNewcomer, err := l.loadActiveConsents(ctx, ids)
	if err != nil {
		return err
	}
	return l.seeEach(ctx, page, func(i int) []partnernet.ConsentRecord { return byNewcomer[page[i].ID] })
}

// seeEach decides on every newcomer of rows, consents(i) being the active consents of the i-th,
// and returns the first refusal.
func (l *Loaders) seeEach(ctx context.Context, rows []partnernet.Newcomer, consents func(i int) []partnernet.ConsentRecord) error {
	for i := range rows {
		if err := l.authz.SeeNewcomer(ctx, ref(&rows[i]), authz.GrantsFrom(consents(i))); err != nil {
			return err
		}
	}
	return nil
}

// loadActiveConsents reads, now and in one statement, the active consents naming the caller's
// organisation of every one of newcomerIDs, the input of every decision about them, and keeps
// them for the decisions of the rest of the request.
func (l *Loaders) loadActiveConsents(ctx context.Context, newcomerIDs []int64) (map[int64][]partnernet.ConsentRecord, error) {
	byNewcomer := make(map[int64][]partnernet.ConsentRecord, len(newcomerIDs))
	if recipient := authz.PrincipalFrom(ctx).OrganisationID; recipient != 0 && len(newcomerIDs) > 0 {
		records, err := l.store.ConsentRecordActiveForRecipient(ctx, newcomerIDs, recipient)
		if err != nil {
			return nil, err
		}
		for _, r := range records {
			byNewcomer[r.NewcomerID] = append(byNewcomer[r.NewcomerID], r)
		}
	}
	for _, id := range newcomerIDs {
		l.activeConsents.Prime(ctx, id, byNewcomer[id])
	}
	return byNewcomer, nil
}

// VisibleNewcomer loads the newcomer with id and returns the record only where See releases it.
func (l *Loaders) VisibleNewcomer(ctx context.Context, id int64) (*partnernet.Newcomer, error) {
	n, err := l.Newcomer(ctx, id)()
	if err != nil {
		return nil, err
	}
	if err := l.See(ctx, n); err != nil {
		return nil, err
	}
	return n, nil
}

// SeeInTrail decides whether the audit trail of the caller's organisation may confirm that n is
// registered (authz.SeeInTrail).
func (l *Loaders) SeeInTrail(ctx context.Context, n *partnernet.Newcomer) error {
	g, err := l.grants(ctx, n.ID)
	if err != nil {
		return err
	}
	return l.authz.SeeInTrail(ctx, ref(n), g)
}
