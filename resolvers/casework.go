package resolvers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// The typenames of the global IDs of SHK and RÅDRUM objects.
const (
	typeCourse            = "Course"
	typeCourseSession     = "CourseSession"
	typeCourseParticipant = "CourseParticipant"
	typeAdviceDesk        = "AdviceDesk"
	typeAdviceVisit       = "AdviceVisit"
)

// Limits on SHK and RÅDRUM input.
const (
	maxVisitNoteLen   = 2000
	maxSessionLength  = 24 * time.Hour
	maxStatisticsSpan = 5 * 366 * 24 * time.Hour
	// clockSlack is how far in the future a visit may be said to have happened, for clocks
	// that run a little fast.
	clockSlack = 5 * time.Minute
)

// The fixed orders of lists without an orderBy argument.
var (
	orderEnrolledAt = store.Order{Column: store.OrderEnrolledAt}
	orderRecordedAt = store.Order{Column: store.OrderRecordedAt}
	orderDeskName   = store.Order{Column: store.OrderName}
)

// caseworkNode loads an SHK or RÅDRUM object a global ID names, released as node(id) releases
// every object: only where the caller may see it.
func (r *Resolver) caseworkNode(ctx context.Context, typename string, id int64) func() (relay.Node, error) {
	l := loaders.For(ctx)
	switch typename {
	case typeCourse:
		return visibleNode(ctx, l.Course.Load(ctx, id), func(c *partnernet.Course) error {
			return r.Authz.Authorize(ctx, authz.ShkCourse, authz.Read, c.OrganisationID)
		})
	case typeCourseSession:
		return visibleNode(ctx, l.CourseSession.Load(ctx, id), func(s *partnernet.CourseSession) error {
			return r.Authz.Authorize(ctx, authz.ShkCourse, authz.Read, s.OrganisationID)
		})
	case typeCourseParticipant:
		return visibleNode(ctx, l.CourseParticipant.Load(ctx, id), func(p *partnernet.CourseParticipant) error {
			return r.Authz.AuthorizeSelf(ctx, authz.ShkParticipant, authz.Read, p.OrganisationID, p.NewcomerID)
		})
	case typeAdviceDesk:
		return visibleNode(ctx, l.AdviceDesk.Load(ctx, id), func(*partnernet.AdviceDesk) error {
			return r.Authz.Authorize(ctx, authz.AdviceDesk, authz.Read, 0)
		})
	case typeAdviceVisit:
		return visibleNode(ctx, l.AdviceVisit.Load(ctx, id), func(v *partnernet.AdviceVisit) error {
			return r.Authz.Authorize(ctx, authz.AdviceVisit, authz.Read, v.OrganisationID)
		})
	default:
		return func() (relay.Node, error) { return nil, nil }
	}
}

// participantNewcomer releases the newcomer a participant, an attendance or a visit names: the
// record through SeeNewcomer, and that they take part through ReleaseCategory PARTICIPATION.
func (r *Resolver) participantNewcomer(ctx context.Context, newcomerID int64) (*partnernet.Newcomer, error) {
	n, err := r.visibleNewcomer(ctx, newcomerID)
	if err != nil {
		return nil, err
	}
	if err := r.release(ctx, n, partnernet.CategoryParticipation); err != nil {
		return nil, err
	}
	return n, nil
}

// newcomerForWrite decodes the newcomer a mutation names at path field and decides whether the
// caller may record their participation: a newcomer the caller may not see is as unknown as one
// that does not exist; one whose participation is not released to the caller gets the
// decision's error (FORBIDDEN, CONSENT_REQUIRED).
func (r *Resolver) newcomerForWrite(ctx context.Context, field, gid string) (*partnernet.Newcomer, error) {
	n, err := r.newcomerArg(ctx, field, gid, "record newcomers' participation", r.seesNewcomer(ctx))
	if err != nil {
		return nil, err
	}
	if err := r.release(ctx, n, partnernet.CategoryParticipation); err != nil {
		return nil, err
	}
	return n, nil
}

// visibleFor loads the object a mutation names at path field and refuses it as unknown unless
// the caller may read it (authorize); anonymous callers are asked to sign in.
func visibleFor[T any](ctx context.Context, field, what string, v *T, err error, authorize func(*T) error) (*T, error) {
	v, err = nullIfMissing(v, err)
	if err != nil {
		return nil, err
	}
	if v == nil || authorize(v) != nil {
		if authz.PrincipalFrom(ctx).Anonymous() {
			return nil, partnernet.Errorf(partnernet.CodeUnauthenticated, "sign in to change %ss", what)
		}
		return nil, partnernet.InputError(field, "no such %s", what)
	}
	return v, nil
}

// courseFor loads the course a mutation names at path field.
func (r *Resolver) courseFor(ctx context.Context, field, gid string) (*partnernet.Course, error) {
	id, err := relay.DecodeID(field, typeCourse, gid)
	if err != nil {
		return nil, err
	}
	c, err := loaders.For(ctx).Course.Load(ctx, id)()
	return visibleFor(ctx, field, "course", c, err, func(c *partnernet.Course) error {
		return r.Authz.Authorize(ctx, authz.ShkCourse, authz.Read, c.OrganisationID)
	})
}

// listScope returns the organisations whose objects of kind obj the caller may list, refusing
// with the decision's error a caller who may list none.
func (r *Resolver) listScope(ctx context.Context, obj authz.Object) (partnernet.OrgScope, error) {
	scope, err := r.Authz.Scope(ctx, obj, authz.Read)
	if err != nil || !scope.Empty() {
		return scope, err
	}
	if err := r.Authz.Authorize(ctx, obj, authz.Read, authz.PrincipalFrom(ctx).OrganisationID); err != nil {
		return scope, err
	}
	return scope, partnernet.Errorf(partnernet.CodeForbidden, "not allowed to list these")
}

// municipalityID resolves an optional official municipality code at path field.
func (r *Resolver) municipalityID(ctx context.Context, field string, code *string) (*int64, error) {
	if code == nil {
		return nil, nil
	}
	if _, err := municipalityCodes(field, []string{*code}); err != nil {
		return nil, err
	}
	m, err := r.Store.MunicipalityGetByCode(ctx, *code)
	if errors.Is(err, partnernet.ErrNotFound) {
		return nil, partnernet.InputError(field, "no municipality of Skåne has the code %q", *code)
	}
	if err != nil {
		return nil, err
	}
	return &m.ID, nil
}

// courseOf validates a CreateCourseInput into a course of organisation orgID given by
// communicator.
func (r *Resolver) courseOf(ctx context.Context, in model.CreateCourseInput, orgID int64, communicator string) (partnernet.Course, error) {
	c := partnernet.Course{OrganisationID: orgID, Communicator: communicator, Language: in.Language, RequiredSessions: in.RequiredSessions}
	var err error
	if c.Title, err = text("input.title", in.Title, maxTitleLen, true); err != nil {
		return c, err
	}
	if !noticeLanguagePattern.MatchString(in.Language) {
		return c, partnernet.InputError("input.language", "give the language as an ISO 639 code such as ar, ti or uk")
	}
	if c.MunicipalityID, err = r.municipalityID(ctx, "input.municipalityCode", in.MunicipalityCode); err != nil {
		return c, err
	}
	if in.RequiredSessions < 1 || in.RequiredSessions > 100 {
		return c, partnernet.InputError("input.requiredSessions", "require 1 to 100 sessions")
	}
	return c, nil
}

// sessionOf validates an AddCourseSessionInput into a session of course courseID.
func sessionOf(in model.AddCourseSessionInput, courseID int64) (partnernet.CourseSession, error) {
	s := partnernet.CourseSession{CourseID: courseID, Kind: partnernet.SessionLesson, StartsAt: in.StartsAt, EndsAt: in.EndsAt}
	if in.Kind != nil {
		s.Kind = *in.Kind
	}
	if !in.EndsAt.After(in.StartsAt) || in.EndsAt.Sub(in.StartsAt) > maxSessionLength {
		return s, partnernet.InputError("input.endsAt", "a session ends after it starts, within a day")
	}
	var err error
	if s.Topic, err = text("input.topic", in.Topic, maxTitleLen, true); err != nil {
		return s, err
	}
	s.Place, err = text("input.place", in.Place, maxTitleLen, true)
	return s, err
}

// conflictAs replaces a store's generic conflict by a message saying what conflicts.
func conflictAs(err error, message string) error {
	if errors.Is(err, partnernet.ErrConflict) {
		return partnernet.Errorf(partnernet.CodeConflict, "%s", message)
	}
	return err
}

// courseOrder converts a course order; by title by default.
func courseOrder(o *model.CourseOrder) store.Order {
	if o == nil {
		return store.Order{Column: store.OrderTitle}
	}
	return orderOf(o.Field, o.Direction)
}

// sessionOrder converts a course session order; by start time by default.
func sessionOrder(o *model.CourseSessionOrder) store.Order {
	if o == nil {
		return store.Order{Column: store.OrderStartsAt}
	}
	return orderOf(o.Field, o.Direction)
}

// visitOrder converts an advice visit order; newest first by default.
func visitOrder(o *model.AdviceVisitOrder) store.Order {
	if o == nil {
		return store.Order{Column: store.OrderVisitedAt, Desc: true}
	}
	return orderOf(o.Field, o.Direction)
}

// courseFilter validates a course filter; visibility is the caller's to add.
func courseFilter(f *model.CourseFilter) (store.CourseFilter, error) {
	var out store.CourseFilter
	if f == nil {
		return out, nil
	}
	var err error
	if out.Languages, err = values("filter.languages", f.Languages); err != nil {
		return out, err
	}
	if out.MunicipalityCodes, err = municipalityCodes("filter.municipalityCodes", f.MunicipalityCodes); err != nil {
		return out, err
	}
	out.Search, err = searchText("filter.search", f.Search)
	return out, err
}

// visitFilter validates an advice visit filter; visibility is the caller's to add.
func visitFilter(f *model.AdviceVisitFilter) (store.AdviceVisitFilter, error) {
	var out store.AdviceVisitFilter
	if f == nil {
		return out, nil
	}
	var err error
	if out.Topics, err = values("filter.topics", f.Topics); err != nil {
		return out, err
	}
	if f.Since != nil && f.Until != nil && !f.Until.After(*f.Since) {
		return out, partnernet.InputError("filter.until", "until must come after since")
	}
	out.Anonymous, out.Since, out.Until = f.Anonymous, f.Since, f.Until
	return out, nil
}

// visitOf validates a RecordAdviceVisitInput into a visit to desk d received by adviser; the
// newcomer is the caller's to add.
func visitOf(in model.RecordAdviceVisitInput, d *partnernet.AdviceDesk, adviser string, now time.Time) (partnernet.AdviceVisit, error) {
	v := partnernet.AdviceVisit{DeskID: d.ID, VisitedAt: in.VisitedAt, Topic: in.Topic, Adviser: adviser}
	if in.VisitedAt.After(now.Add(clockSlack)) {
		return v, partnernet.InputError("input.visitedAt", "a visit cannot be recorded before it happens")
	}
	if in.VisitedAt.Before(now.Add(-maxStatisticsSpan)) {
		return v, partnernet.InputError("input.visitedAt", "the visit is too long ago")
	}
	var err error
	v.Outcome, err = text("input.outcome", in.Outcome, maxVisitNoteLen, true)
	return v, err
}

// audited runs write and the audit entry event makes of its result in one transaction, and
// returns the result once both are committed.
func audited[T any](ctx context.Context, st *store.Store, write func(tx *store.Store) (T, error), event func(T) partnernet.AuditEvent) (*T, error) {
	var out T
	err := st.InTx(ctx, func(tx *store.Store) error {
		var err error
		if out, err = write(tx); err != nil {
			return err
		}
		return auditOne(ctx, tx, event(out))
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// followUp loads the follow-up id of the advice visit visitID; partnernet.ErrNotFound when it
// has none of that id.
func followUp(ctx context.Context, visitID, id int64) (*partnernet.AdviceFollowUp, error) {
	all, err := loaders.For(ctx).FollowUpsByVisit.Load(ctx, visitID)()
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	return nil, fmt.Errorf("read follow-up %d of visit %d: %w", id, visitID, partnernet.ErrNotFound)
}

// participationFor decides a change to a newcomer's participation in a course a mutation names:
// the course visible to the caller, the caller allowed to write its participants, and the
// newcomer's participation released to the caller.
func (r *Resolver) participationFor(ctx context.Context, in model.CourseNewcomerInput) (*partnernet.Course, *partnernet.Newcomer, error) {
	c, err := r.courseFor(ctx, "input.courseId", in.CourseID)
	if err != nil {
		return nil, nil, err
	}
	if err := r.Authz.Authorize(ctx, authz.ShkParticipant, authz.Write, c.OrganisationID); err != nil {
		return nil, nil, err
	}
	n, err := r.newcomerForWrite(ctx, "input.newcomerId", in.NewcomerID)
	return c, n, err
}

// enrolment returns the newcomer's participation in the course, refusing at input.newcomerId a
// newcomer who is not enrolled.
func (r *Resolver) enrolment(ctx context.Context, courseID, newcomerID int64) (partnernet.CourseParticipant, error) {
	p, err := r.Store.CourseParticipantGet(ctx, courseID, newcomerID)
	if errors.Is(err, partnernet.ErrNotFound) {
		return p, partnernet.InputError("input.newcomerId", "the newcomer is not enrolled in the course")
	}
	return p, err
}
