package loaders

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/store"
)

// DefaultWait is how long a loader collects keys before it runs its batch.
const DefaultWait = 2 * time.Millisecond

// Loaders are the dataloaders of one request. A newcomer's category data has no loader of its
// own here: it is read through the methods that first ask authz whether it is released
// (newcomer.go).
type Loaders struct {
	// authz decides what of a newcomer's data the request's principal may see.
	authz *authz.Authorizer
	// store reads what a parent level loads with its page (references.go).
	store *store.Store

	Organisation *Loader[int64, *partnernet.Organisation]
	Municipality *Loader[int64, *partnernet.Municipality]
	Programme    *Loader[int64, *partnernet.Programme]
	Activity     *Loader[int64, *partnernet.Activity]
	// ActivityParts are activities read in part, for a selection that reads no more (an
	// enrolment's activity's title): cached apart from Activity's whole ones.
	ActivityParts *Loader[ActivityPartsKey, *partnernet.Activity]
	// newcomer is each newcomer's record as stored, identity included: Newcomer hands it out
	// without its identity, which only Identity releases.
	newcomer                 *Loader[int64, *partnernet.Newcomer]
	ConsentRecord            *Loader[int64, *partnernet.ConsentRecord]
	MunicipalityOrganisation *Loader[int64, *partnernet.Organisation]
	Participations           *Loader[int64, []partnernet.ProgrammeParticipation]
	ConsentEvents            *Loader[int64, []partnernet.ConsentEvent]

	// The categories of each newcomer's data, read only once released (newcomer.go).
	contact              *Loader[int64, *partnernet.NewcomerContact]
	languages            *Loader[int64, []partnernet.LanguageSkill]
	health               *Loader[int64, *partnernet.NewcomerHealth]
	family               *Loader[int64, []partnernet.FamilyMember]
	background           *Loader[int64, *partnernet.NewcomerBackground]
	plansByNewcomer      *Loader[int64, []partnernet.SupportPlan]
	enrolmentsByNewcomer *Loader[int64, []partnernet.Enrolment]
	participations       *PageLoader[struct{}, partnernet.CourseParticipant]
	// versions are the versions of the categories of each newcomer's data that changed since
	// registration; changes the change history (names of fields, never values).
	versions  *Loader[int64, []store.CategoryVersion]
	changes   *PageLoader[store.ChangeFilter, partnernet.NewcomerChange]
	outcomes  *Loader[int64, []partnernet.Outcome]
	responses *Loader[int64, []partnernet.QuestionnaireResponse]
	// activeConsents are each newcomer's consents active now that name the organisation of the
	// request's principal: the input of every consent decision, read fresh for each request.
	activeConsents *Loader[int64, []partnernet.ConsentRecord]

	ActivitiesByOrganiser     *PageLoader[ActivityListFilter, partnernet.Activity]
	ActivitiesByProgramme     *PageLoader[ActivityListFilter, partnernet.Activity]
	ActivitiesByMunicipality  *PageLoader[ActivityListFilter, partnernet.Activity]
	OrganisationsByProgramme  *PageLoader[store.OrganisationFilter, partnernet.Organisation]
	ConsentsByNewcomer        *PageLoader[store.ConsentRecordFilter, partnernet.ConsentRecord]
	MembershipsByOrganisation *PageLoader[struct{}, partnernet.Membership]
	AuditByNewcomer           *PageLoader[struct{}, partnernet.AuditEvent]
	APIKeysByOrganisation     *Loader[int64, []partnernet.APIKey]

	// The registry, referrals and plans.
	NewcomerMerges     *Loader[int64, []partnernet.NewcomerMerge]
	PossibleDuplicates *Loader[int64, []partnernet.Newcomer]
	Referral           *Loader[int64, *partnernet.Referral]
	ReferralEvents     *Loader[int64, []partnernet.ReferralEvent]
	ReferralsByOrg     *PageLoader[store.ReferralFilter, partnernet.Referral]
	SupportPlan        *Loader[int64, *partnernet.SupportPlan]
	PlanSteps          *Loader[int64, []partnernet.PlanStep]
	PlanFollowUps      *Loader[int64, []partnernet.PlanFollowUp]
	// NextOccurrences are each activity's next MaxNextOccurrences occurrences not yet ended.
	NextOccurrences      *Loader[int64, []partnernet.Occurrence]
	Enrolment            *Loader[int64, *partnernet.Enrolment]
	EnrolmentCounts      *Loader[int64, *partnernet.EnrolmentCounts]
	EnrolmentsByActivity *PageLoader[struct{}, partnernet.Enrolment]
	// Activities run by associations: cancelled occurrences, attendance, notices.
	CancelledOccurrences  *Loader[int64, []partnernet.OccurrenceCancellation]
	AttendanceByEnrolment *Loader[int64, []partnernet.ActivityAttendance]
	NoticesByNewcomer     *PageLoader[struct{}, partnernet.Notice]
	NoticeDeliveries      *Loader[int64, []partnernet.NoticeDelivery]

	// SHK courses.
	Course                  *Loader[int64, *partnernet.Course]
	CourseSession           *Loader[int64, *partnernet.CourseSession]
	CourseParticipant       *Loader[int64, *partnernet.CourseParticipant]
	SessionsByCourse        *PageLoader[struct{}, partnernet.CourseSession]
	ParticipantsByCourse    *PageLoader[struct{}, partnernet.CourseParticipant]
	AttendanceBySession     *PageLoader[struct{}, partnernet.Attendance]
	AttendanceByParticipant *Loader[int64, []partnernet.Attendance]

	// Case work: assignment history, transfers, sign-ins.
	CaseAssignments     *Loader[int64, []partnernet.CaseAssignment]
	CaseTransfer        *Loader[int64, *partnernet.CaseTransfer]
	TransfersByNewcomer *Loader[int64, []partnernet.CaseTransfer]
	TransfersReceived   *PageLoader[store.TransferFilter, partnernet.CaseTransfer]
	TransfersSent       *PageLoader[store.TransferFilter, partnernet.CaseTransfer]
	Invitations         *Loader[int64, []partnernet.NewcomerInvitation]
	Invitation          *Loader[int64, *partnernet.NewcomerInvitation]
	SignIns             *Loader[int64, []partnernet.NewcomerLogin]
	SignIn              *Loader[int64, *partnernet.NewcomerLogin]
	DeskHours           *Loader[int64, []partnernet.DeskHours]
	// FeedbackByActivity is the newcomers' feedback on each activity, for its organiser's staff;
	// who gave named feedback is released by FeedbackAuthor only.
	FeedbackByActivity *Loader[int64, []partnernet.ActivityFeedback]

	// ActivityTexts are each activity's texts in every language it is written in; PublicTexts the
	// translated texts of programmes, organisations, desks and courses, by owner kind.
	ActivityTexts *Loader[int64, []partnernet.ActivityTranslation]
	PublicTexts   map[partnernet.PublicTextOwner]*Loader[int64, []partnernet.PublicText]

	// RÅDRUM advice.
	AdviceDesk       *Loader[int64, *partnernet.AdviceDesk]
	AdviceVisit      *Loader[int64, *partnernet.AdviceVisit]
	VisitsByDesk     *PageLoader[store.AdviceVisitFilter, partnernet.AdviceVisit]
	FollowUpsByVisit *Loader[int64, []partnernet.AdviceFollowUp]
}

// MaxNextOccurrences is how many next occurrences of an activity the loader reads.
const MaxNextOccurrences = 20

// New returns the loaders of one request over st, with az deciding what of a newcomer's data
// they release. Each collects keys for wait before it runs.
func New(st *store.Store, az *authz.Authorizer, wait time.Duration) *Loaders {
	var l *Loaders
	activities := func(parent store.ActivityParent) *PageLoader[ActivityListFilter, partnernet.Activity] {
		withReferences := func(ctx context.Context, pages map[int64]store.Slice[partnernet.Activity], refs ActivityReferences) error {
			rows := make([][]partnernet.Activity, 0, len(pages))
			for _, s := range pages {
				rows = append(rows, s.Rows)
			}
			return l.LoadActivityReferences(ctx, refs, rows...)
		}
		pl := newPageLoader(wait,
			func(ctx context.Context, ids []int64, f ActivityListFilter, o store.Order, p store.Page) (map[int64]store.Slice[partnernet.Activity], error) {
				pages, err := st.ActivityListByParents(ctx, parent, ids, f.ActivityFilter, o, p)
				if err != nil {
					return nil, err
				}
				return pages, withReferences(ctx, pages, f.References)
			},
			func(ctx context.Context, ids []int64, f ActivityListFilter) (map[int64]int, error) {
				return st.ActivityCountByParents(ctx, parent, ids, f.ActivityFilter)
			})
		pl.listCounted = func(ctx context.Context, ids []int64, f ActivityListFilter, o store.Order, p store.Page) (map[int64]store.Slice[partnernet.Activity], map[int64]int, error) {
			pages, counts, err := st.ActivityListByParentsCounted(ctx, parent, ids, f.ActivityFilter, o, p)
			if err != nil {
				return nil, nil, err
			}
			return pages, counts, withReferences(ctx, pages, f.References)
		}
		return pl
	}
	transfers := func(end string) *PageLoader[store.TransferFilter, partnernet.CaseTransfer] {
		return newPageLoader(wait,
			func(ctx context.Context, ids []int64, f store.TransferFilter, o store.Order, p store.Page) (map[int64]store.Slice[partnernet.CaseTransfer], error) {
				return st.CaseTransferListByOrganisations(ctx, end, ids, f, o, p)
			},
			func(ctx context.Context, ids []int64, f store.TransferFilter) (map[int64]int, error) {
				return st.CaseTransferCountByOrganisations(ctx, end, ids, f)
			})
	}
	publicTexts := make(map[partnernet.PublicTextOwner]*Loader[int64, []partnernet.PublicText])
	for _, kind := range partnernet.PublicTextOwners {
		publicTexts[kind] = groupedByID(wait, func(ctx context.Context, ids []int64) ([]partnernet.PublicText, error) {
			return st.PublicTextListByOwners(ctx, kind, ids)
		}, func(t *partnernet.PublicText) int64 { return t.OwnerID })
	}
	l = &Loaders{
		ActivityTexts: groupedByID(wait, st.ActivityTranslationListByActivities,
			func(t *partnernet.ActivityTranslation) int64 { return t.ActivityID }),
		PublicTexts:   publicTexts,
		authz:         az,
		store:         st,
		Organisation:  byID(wait, st.OrganisationGetMany, func(o *partnernet.Organisation) int64 { return o.ID }),
		Municipality:  byID(wait, st.MunicipalityGetMany, func(m *partnernet.Municipality) int64 { return m.ID }),
		Programme:     byID(wait, st.ProgrammeGetMany, func(p *partnernet.Programme) int64 { return p.ID }),
		Activity:      byID(wait, st.ActivityGetMany, func(a *partnernet.Activity) int64 { return a.ID }),
		ActivityParts: newActivityParts(wait, st),
		newcomer:      byID(wait, st.NewcomerGetMany, func(n *partnernet.Newcomer) int64 { return n.ID }),
		ConsentRecord: byID(wait, st.ConsentRecordGetMany,
			func(c *partnernet.ConsentRecord) int64 { return c.ID }),
		MunicipalityOrganisation: byID(wait, st.OrganisationGetManyByMunicipalities,
			func(o *partnernet.Organisation) int64 { return *o.HomeMunicipalityID }),
		Participations: groupedByID(wait, st.ProgrammeParticipationListByOrganisations,
			func(p *partnernet.ProgrammeParticipation) int64 { return p.OrganisationID }),
		ConsentEvents: groupedByID(wait, st.ConsentEventListByRecords,
			func(e *partnernet.ConsentEvent) int64 { return e.ConsentRecordID }),
		contact: byID(wait, st.NewcomerContactGetMany,
			func(c *partnernet.NewcomerContact) int64 { return c.NewcomerID }),
		languages: groupedByID(wait, st.NewcomerLanguageListByNewcomers,
			func(l *partnernet.LanguageSkill) int64 { return l.NewcomerID }),
		health: byID(wait, st.NewcomerHealthGetMany,
			func(h *partnernet.NewcomerHealth) int64 { return h.NewcomerID }),
		family: groupedByID(wait, st.NewcomerFamilyListByNewcomers,
			func(f *partnernet.FamilyMember) int64 { return f.NewcomerID }),
		background: byID(wait, st.NewcomerBackgroundGetMany,
			func(b *partnernet.NewcomerBackground) int64 { return b.NewcomerID }),
		plansByNewcomer: groupedByID(wait, st.SupportPlanListByNewcomers,
			func(p *partnernet.SupportPlan) int64 { return p.NewcomerID }),
		enrolmentsByNewcomer: groupedByID(wait, st.EnrolmentListByNewcomers,
			func(e *partnernet.Enrolment) int64 { return e.NewcomerID }),
		participations: newPageLoader(wait, st.CourseParticipantListByNewcomers, st.CourseParticipantCountByNewcomers),
		versions: groupedByID(wait, st.NewcomerChangeVersions,
			func(v *store.CategoryVersion) int64 { return v.NewcomerID }),
		changes: newPageLoader(wait, st.NewcomerChangeListByNewcomers, st.NewcomerChangeCountByNewcomers),
		outcomes: groupedByID(wait, st.OutcomeListByNewcomers,
			func(o *partnernet.Outcome) int64 { return o.NewcomerID }),
		responses: groupedByID(wait, st.QuestionnaireResponseListByNewcomers,
			func(r *partnernet.QuestionnaireResponse) int64 { return r.NewcomerID }),
		activeConsents: groupedByID(wait, func(ctx context.Context, ids []int64) ([]partnernet.ConsentRecord, error) {
			recipient := authz.PrincipalFrom(ctx).OrganisationID
			if recipient == 0 {
				return nil, nil
			}
			return st.ConsentRecordActiveForRecipient(ctx, ids, recipient)
		}, func(c *partnernet.ConsentRecord) int64 { return c.NewcomerID }),
		ActivitiesByOrganiser:    activities(store.ActivityByOrganiser),
		ActivitiesByProgramme:    activities(store.ActivityByProgramme),
		ActivitiesByMunicipality: activities(store.ActivityByMunicipality),
		OrganisationsByProgramme: newPageLoader(wait, st.OrganisationListByProgrammes, st.OrganisationCountByProgrammes),
		ConsentsByNewcomer:       newPageLoader(wait, st.ConsentRecordListByNewcomers, st.ConsentRecordCountByNewcomers),
		MembershipsByOrganisation: newPageLoader(wait,
			func(ctx context.Context, ids []int64, _ struct{}, _ store.Order, p store.Page) (map[int64]store.Slice[partnernet.Membership], error) {
				return st.MembershipListByOrganisations(ctx, ids, p)
			},
			func(ctx context.Context, ids []int64, _ struct{}) (map[int64]int, error) {
				return st.MembershipCountByOrganisations(ctx, ids)
			}),
		AuditByNewcomer: newPageLoader(wait,
			func(ctx context.Context, ids []int64, _ struct{}, _ store.Order, p store.Page) (map[int64]store.Slice[partnernet.AuditEvent], error) {
				return st.AuditListByNewcomers(ctx, ids, p)
			},
			func(ctx context.Context, ids []int64, _ struct{}) (map[int64]int, error) {
				return st.AuditCountByNewcomers(ctx, ids)
			}),
		APIKeysByOrganisation: keyedByID(wait, st.APIKeyListByOrganisations),
		NewcomerMerges: groupedByID(wait, st.NewcomerMergeListBySurvivors,
			func(m *partnernet.NewcomerMerge) int64 { return m.SurvivorID }),
		PossibleDuplicates: keyedByID(wait, st.NewcomerPossibleDuplicates),
		Referral:           byID(wait, st.ReferralGetMany, func(r *partnernet.Referral) int64 { return r.ID }),
		ReferralEvents: groupedByID(wait, st.ReferralEventListByReferrals,
			func(e *partnernet.ReferralEvent) int64 { return e.ReferralID }),
		ReferralsByOrg: newPageLoader(wait, st.ReferralListByOrganisations, st.ReferralCountByOrganisations),
		SupportPlan:    byID(wait, st.SupportPlanGetMany, func(p *partnernet.SupportPlan) int64 { return p.ID }),
		PlanSteps:      groupedByID(wait, st.PlanStepListByPlans, func(s *partnernet.PlanStep) int64 { return s.PlanID }),
		PlanFollowUps: groupedByID(wait, st.PlanFollowUpListByPlans,
			func(f *partnernet.PlanFollowUp) int64 { return f.PlanID }),
		NextOccurrences: groupedByID(wait, func(ctx context.Context, ids []int64) ([]partnernet.Occurrence, error) {
			return st.OccurrenceListNext(ctx, ids, time.Now(), MaxNextOccurrences)
		}, func(o *partnernet.Occurrence) int64 { return o.ActivityID }),
		Enrolment: byID(wait, st.EnrolmentGetMany, func(e *partnernet.Enrolment) int64 { return e.ID }),
		EnrolmentCounts: byID(wait, st.EnrolmentCountsGetMany,
			func(c *partnernet.EnrolmentCounts) int64 { return c.ActivityID }),
		EnrolmentsByActivity: newPageLoader(wait,
			func(ctx context.Context, ids []int64, _ struct{}, _ store.Order, p store.Page) (map[int64]store.Slice[partnernet.Enrolment], error) {
				return st.EnrolmentListByActivities(ctx, ids, p)
			},
			func(ctx context.Context, ids []int64, _ struct{}) (map[int64]int, error) {
				return st.EnrolmentCountByActivities(ctx, ids)
			}),
		CancelledOccurrences: groupedByID(wait, st.OccurrenceCancellationListByActivities,
			func(c *partnernet.OccurrenceCancellation) int64 { return c.ActivityID }),
		AttendanceByEnrolment: groupedByID(wait, st.AttendanceListByEnrolments,
			func(a *partnernet.ActivityAttendance) int64 { return a.EnrolmentID }),
		NoticesByNewcomer: newPageLoader(wait,
			func(ctx context.Context, ids []int64, _ struct{}, o store.Order, p store.Page) (map[int64]store.Slice[partnernet.Notice], error) {
				return st.NoticeListByNewcomers(ctx, ids, o, p)
			},
			func(ctx context.Context, ids []int64, _ struct{}) (map[int64]int, error) {
				return st.NoticeCountByNewcomers(ctx, ids)
			}),
		NoticeDeliveries: groupedByID(wait, st.NoticeDeliveryListByNotices,
			func(d *partnernet.NoticeDelivery) int64 { return d.NoticeID }),

		Course:               byID(wait, st.CourseGetMany, func(c *partnernet.Course) int64 { return c.ID }),
		CourseSession:        byID(wait, st.CourseSessionGetMany, func(s *partnernet.CourseSession) int64 { return s.ID }),
		CourseParticipant:    byID(wait, st.CourseParticipantGetMany, func(p *partnernet.CourseParticipant) int64 { return p.ID }),
		SessionsByCourse:     newPageLoader(wait, st.CourseSessionListByCourses, st.CourseSessionCountByCourses),
		ParticipantsByCourse: newPageLoader(wait, st.CourseParticipantListByCourses, st.CourseParticipantCountByCourses),
		AttendanceBySession:  newPageLoader(wait, st.AttendanceListBySessions, st.AttendanceCountBySessions),
		AttendanceByParticipant: groupedByID(wait, st.AttendanceListByParticipants,
			func(a *partnernet.Attendance) int64 { return a.ParticipantID }),

		CaseAssignments: groupedByID(wait, st.CaseAssignmentListByNewcomers,
			func(a *partnernet.CaseAssignment) int64 { return a.NewcomerID }),
		CaseTransfer: byID(wait, st.CaseTransferGetMany, func(t *partnernet.CaseTransfer) int64 { return t.ID }),
		TransfersByNewcomer: groupedByID(wait, st.CaseTransferListByNewcomers,
			func(t *partnernet.CaseTransfer) int64 { return t.NewcomerID }),
		TransfersReceived: transfers(store.TransferTo),
		TransfersSent:     transfers(store.TransferFrom),
		Invitations: groupedByID(wait, st.NewcomerInvitationListByNewcomers,
			func(i *partnernet.NewcomerInvitation) int64 { return i.NewcomerID }),
		Invitation: byID(wait, st.NewcomerInvitationGetMany, func(i *partnernet.NewcomerInvitation) int64 { return i.ID }),
		SignIns: groupedByID(wait, st.NewcomerLoginListByNewcomers,
			func(l *partnernet.NewcomerLogin) int64 { return l.NewcomerID }),
		SignIn:    byID(wait, st.NewcomerLoginGetMany, func(l *partnernet.NewcomerLogin) int64 { return l.ID }),
		DeskHours: groupedByID(wait, st.AdviceDeskHoursListByDesks, func(h *partnernet.DeskHours) int64 { return h.DeskID }),
		FeedbackByActivity: groupedByID(wait, st.FeedbackListByActivities,
			func(f *partnernet.ActivityFeedback) int64 { return f.ActivityID }),

		AdviceDesk:   byID(wait, st.AdviceDeskGetMany, func(d *partnernet.AdviceDesk) int64 { return d.ID }),
		AdviceVisit:  byID(wait, st.AdviceVisitGetMany, func(v *partnernet.AdviceVisit) int64 { return v.ID }),
		VisitsByDesk: newPageLoader(wait, st.AdviceVisitListByDesks, st.AdviceVisitCountByDesks),
		FollowUpsByVisit: groupedByID(wait, st.AdviceFollowUpListByVisits,
			func(f *partnernet.AdviceFollowUp) int64 { return f.VisitID }),
	}
	return l
}

type loadersKey struct{}

// Middleware puts fresh loaders over st, deciding through az, into every request's context.
func Middleware(st *store.Store, az *authz.Authorizer, wait time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := context.WithValue(r.Context(), loadersKey{}, New(st, az, wait))
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// NewContext returns a context carrying l, for callers outside HTTP (tests, jobs).
func NewContext(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, loadersKey{}, l)
}

// For returns the loaders of the request ctx belongs to. It panics when the context has none: a
// wiring mistake, not a runtime condition.
func For(ctx context.Context) *Loaders {
	l, ok := ctx.Value(loadersKey{}).(*Loaders)
	if !ok {
		panic("loaders: no loaders in context; is loaders.Middleware installed?")
	}
	return l
}

// byID builds a loader of single rows by id from a store method that fetches many.
func byID[T any](wait time.Duration, fetch func(context.Context, []int64) ([]T, error), id func(*T) int64) *Loader[int64, *T] {
	return lazy(wait, func() dataloader.BatchFunc[int64, *T] { return newByID(fetch, id) })
}

// newByID makes the batch function of the dataloader byID makes on first use.
func newByID[T any](fetch func(context.Context, []int64) ([]T, error), id func(*T) int64) dataloader.BatchFunc[int64, *T] {
	return func(ctx context.Context, keys []int64) []*dataloader.Result[*T] {
		rows, err := fetch(ctx, keys)
		results := make([]*dataloader.Result[*T], len(keys))
		if err != nil {
			for i := range results {
				results[i] = &dataloader.Result[*T]{Error: err}
			}
			return results
		}
		found := make(map[int64]*T, len(rows))
		for i := range rows {
			found[id(&rows[i])] = &rows[i]
		}
		for i, k := range keys {
			if row, ok := found[k]; ok {
				results[i] = &dataloader.Result[*T]{Data: row}
			} else {
				results[i] = &dataloader.Result[*T]{Error: partnernet.Errorf(partnernet.CodeNotFound, "no object with id %d", k)}
			}
		}
		return results
	}
}

// keyedByID builds a loader from a store method that answers a map by parent id; parents
// without an entry get the zero value.
func keyedByID[V any](wait time.Duration, fetch func(context.Context, []int64) (map[int64]V, error)) *Loader[int64, V] {
	return lazy(wait, func() dataloader.BatchFunc[int64, V] { return newKeyedByID(fetch) })
}

// newKeyedByID makes the batch function of the dataloader keyedByID makes on first use.
func newKeyedByID[V any](fetch func(context.Context, []int64) (map[int64]V, error)) dataloader.BatchFunc[int64, V] {
	return func(ctx context.Context, keys []int64) []*dataloader.Result[V] {
		got, err := fetch(ctx, keys)
		results := make([]*dataloader.Result[V], len(keys))
		for i, k := range keys {
			results[i] = &dataloader.Result[V]{Data: got[k], Error: err}
		}
		return results
	}
}

// groupedByID builds a loader of all rows belonging to a parent id; parents without rows get an
// empty list.
func groupedByID[T any](wait time.Duration, fetch func(context.Context, []int64) ([]T, error), parent func(*T) int64) *Loader[int64, []T] {
	return lazy(wait, func() dataloader.BatchFunc[int64, []T] { return newGroupedByID(fetch, parent) })
}

// newGroupedByID makes the batch function of the dataloader groupedByID makes on first use.
func newGroupedByID[T any](fetch func(context.Context, []int64) ([]T, error), parent func(*T) int64) dataloader.BatchFunc[int64, []T] {
	return func(ctx context.Context, keys []int64) []*dataloader.Result[[]T] {
		rows, err := fetch(ctx, keys)
		results := make([]*dataloader.Result[[]T], len(keys))
		groups := make(map[int64][]T, len(keys))
		for i := range rows {
			p := parent(&rows[i])
			groups[p] = append(groups[p], rows[i])
		}
		for i, k := range keys {
			results[i] = &dataloader.Result[[]T]{Data: groups[k], Error: err}
		}
		return results
	}
}

// PageLoader loads one page of a child list, and its total count, for many parents at once.
// Parents asked with the same filter, order and page share one statement.
type PageLoader[F, T any] struct {
	pages  *Loader[pageKey, store.Slice[T]]
	counts *Loader[pageKey, int]
	// list and count read many parents' pages and counts.
	list  func(context.Context, []int64, F, store.Order, store.Page) (map[int64]store.Slice[T], error)
	count func(context.Context, []int64, F) (map[int64]int, error)
	// listCounted, when set, reads both in one round trip.
	listCounted func(context.Context, []int64, F, store.Order, store.Page) (map[int64]store.Slice[T], map[int64]int, error)
	// loadedFor remembers, by the field of the operation they were loaded for, the pages
	// LoadWithParents loaded (see LoadedFor).
	mu        sync.Mutex
	loadedFor map[any]*loaded[F, T]
}

// loaded are the pages of one child list field that LoadWithParentsFor loaded ahead for a
// level of parents, with the arguments they were read with.
type loaded[F, T any] struct {
	filter  F
	order   store.Order
	page    store.Page
	pages   map[int64]store.Slice[T]
	counts  map[int64]int
	counted bool
}

// LoadedPage is one parent's page of a child list loaded ahead, with the arguments it was read
// with and, when Counted, the list's count.
type LoadedPage[F, T any] struct {
	Filter  F
	Order   store.Order
	Page    store.Page
	Rows    store.Slice[T]
	Count   int
	Counted bool
}

// LoadedFor returns what LoadWithParentsFor loaded for the parent with id parentID through the
// operation's field field. A child resolver that finds its page here need not derive its
// arguments and key again for every parent of the level. ok is false when nothing was loaded
// ahead for that field and parent; the caller then loads for itself.
func (l *PageLoader[F, T]) LoadedFor(field any, parentID int64) (LoadedPage[F, T], bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	got := l.loadedFor[field]
	if got == nil {
		return LoadedPage[F, T]{}, false
	}
	rows, ok := got.pages[parentID]
	return LoadedPage[F, T]{Filter: got.filter, Order: got.order, Page: got.page, Rows: rows,
		Count: got.counts[parentID], Counted: got.counted}, ok
}

// LoadWithParentsFor is LoadWithParents that also remembers the pages by field, an identity of
// the operation's child list field (gqlgen's *ast.Field), for LoadedFor. One field under several
// levels of parents (a fragment spread in two places) has the same arguments in both, so their
// pages are kept together.
func (l *PageLoader[F, T]) LoadWithParentsFor(ctx context.Context, field any, parentIDs []int64, f F, o store.Order, p store.Page, counted bool) error {
	pages, counts, err := l.loadWithParents(ctx, parentIDs, f, o, p, counted)
	if err != nil || len(parentIDs) == 0 {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.loadedFor == nil {
		l.loadedFor = make(map[any]*loaded[F, T])
	}
	got := l.loadedFor[field]
	if got == nil || got.counted != counted {
		got = &loaded[F, T]{filter: f, order: o, page: p, pages: make(map[int64]store.Slice[T], len(parentIDs)),
			counts: make(map[int64]int, len(counts)), counted: counted}
		l.loadedFor[field] = got
	}
	for _, id := range parentIDs {
		got.pages[id] = pages[id]
		if counted {
			got.counts[id] = counts[id]
		}
	}
	return nil
}

// pageKey identifies a parent and, canonically encoded, the arguments of its list.
type pageKey struct {
	ParentID int64
	Args     string
}

// pageArgs are the arguments of a child list.
type pageArgs[F any] struct {
	Filter F
	Order  store.Order
	Page   store.Page
}

// Load returns the page of the parent's list selected by f, o and p.
func (l *PageLoader[F, T]) Load(ctx context.Context, parentID int64, f F, o store.Order, p store.Page) (store.Slice[T], error) {
	args, err := json.Marshal(pageArgs[F]{Filter: f, Order: o, Page: p})
	if err != nil {
		return store.Slice[T]{}, fmt.Errorf("encode list arguments: %w", err)
	}
	return l.pages.Load(ctx, pageKey{ParentID: parentID, Args: string(args)})()
}

// Count starts counting the items of the parent's list selected by f and returns a thunk that
// waits for the count. Starting early lets every parent's count join one batch, whenever each
// is read.
func (l *PageLoader[F, T]) Count(ctx context.Context, parentID int64, f F) func() (int, error) {
	args, err := json.Marshal(pageArgs[F]{Filter: f})
	if err != nil {
		return func() (int, error) { return 0, fmt.Errorf("encode list arguments: %w", err) }
	}
	return l.counts.Load(ctx, pageKey{ParentID: parentID, Args: string(args)})
}

// LoadWithParents loads, at once and without waiting for a batch window, the pages of the lists
// of every one of parentIDs selected by f, o and p, and their counts when counted: what a parent
// level that knows its rows and the child list they will ask for does before its rows resolve.
// The rows' own Load and Count then answer from what was loaded. It returns the pages.
func (l *PageLoader[F, T]) LoadWithParents(ctx context.Context, parentIDs []int64, f F, o store.Order, p store.Page, counted bool) (map[int64]store.Slice[T], error) {
	pages, _, err := l.loadWithParents(ctx, parentIDs, f, o, p, counted)
	return pages, err
}

// loadWithParents is LoadWithParents, returning the counts too.
func (l *PageLoader[F, T]) loadWithParents(ctx context.Context, parentIDs []int64, f F, o store.Order, p store.Page, counted bool) (map[int64]store.Slice[T], map[int64]int, error) {
	if len(parentIDs) == 0 {
		return nil, nil, nil
	}
	args, err := json.Marshal(pageArgs[F]{Filter: f, Order: o, Page: p})
	if err != nil {
		return nil, nil, fmt.Errorf("encode list arguments: %w", err)
	}
	var (
		pages  map[int64]store.Slice[T]
		counts map[int64]int
	)
	switch {
	case counted && l.listCounted != nil:
		pages, counts, err = l.listCounted(ctx, parentIDs, f, o, p)
	case counted:
		if pages, err = l.list(ctx, parentIDs, f, o, p); err == nil {
			counts, err = l.count(ctx, parentIDs, f)
		}
	default:
		pages, err = l.list(ctx, parentIDs, f, o, p)
	}
	if err != nil {
		return nil, nil, err
	}
	for _, id := range parentIDs {
		l.pages.Prime(ctx, pageKey{ParentID: id, Args: string(args)}, pages[id])
	}
	if !counted {
		return pages, nil, nil
	}
	if args, err = json.Marshal(pageArgs[F]{Filter: f}); err != nil {
		return nil, nil, fmt.Errorf("encode list arguments: %w", err)
	}
	for _, id := range parentIDs {
		l.counts.Prime(ctx, pageKey{ParentID: id, Args: string(args)}, counts[id])
	}
	return pages, counts, nil
}

// groupByArgs groups keys by their encoded arguments, keeping each key's index.
func groupByArgs(keys []pageKey) map[string][]int {
	groups := make(map[string][]int)
	for i, k := range keys {
		groups[k.Args] = append(groups[k.Args], i)
	}
	return groups
}

// newPageLoader builds a PageLoader from the store's batched list and count methods.
func newPageLoader[F, T any](wait time.Duration,
	list func(context.Context, []int64, F, store.Order, store.Page) (map[int64]store.Slice[T], error),
	count func(context.Context, []int64, F) (map[int64]int, error),
) *PageLoader[F, T] {
	pages := func(ctx context.Context, keys []pageKey) []*dataloader.Result[store.Slice[T]] {
		results := make([]*dataloader.Result[store.Slice[T]], len(keys))
		for encoded, idx := range groupByArgs(keys) {
			var a pageArgs[F]
			err := json.Unmarshal([]byte(encoded), &a)
			var got map[int64]store.Slice[T]
			if err == nil {
				got, err = list(ctx, parentIDs(keys, idx), a.Filter, a.Order, a.Page)
			}
			for _, i := range idx {
				results[i] = &dataloader.Result[store.Slice[T]]{Data: got[keys[i].ParentID], Error: err}
			}
		}
		return results
	}
	counts := func(ctx context.Context, keys []pageKey) []*dataloader.Result[int] {
		results := make([]*dataloader.Result[int], len(keys))
		for encoded, idx := range groupByArgs(keys) {
			var a pageArgs[F]
			err := json.Unmarshal([]byte(encoded), &a)
			var got map[int64]int
			if err == nil {
				got, err = count(ctx, parentIDs(keys, idx), a.Filter)
			}
			for _, i := range idx {
				results[i] = &dataloader.Result[int]{Data: got[keys[i].ParentID], Error: err}
			}
		}
		return results
	}
	return &PageLoader[F, T]{
		pages:  lazy(wait, func() dataloader.BatchFunc[pageKey, store.Slice[T]] { return pages }),
		counts: lazy(wait, func() dataloader.BatchFunc[pageKey, int] { return counts }),
		list:   list,
		count:  count,
	}
}

// parentIDs returns the distinct parent ids of the keys at idx.
func parentIDs(keys []pageKey, idx []int) []int64 {
	seen := make(map[int64]bool, len(idx))
	ids := make([]int64, 0, len(idx))
	for _, i := range idx {
		if id := keys[i].ParentID; !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}
