package resolvers

import (
	"context"
	"errors"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// The fixed orders of lists without an orderBy argument.
var (
	orderEnrolledAt = store.Order{Column: store.OrderEnrolledAt}
	orderRecordedAt = store.Order{Column: store.OrderRecordedAt}
	orderDeskName   = store.Order{Column: store.OrderName}
)

// participantNewcomer releases the newcomer a participant, an attendance or a visit names: the
// record through SeeNewcomer, and that they take part through ReleaseCategory PARTICIPATION.
func (r *Resolver) participantNewcomer(ctx context.Context, newcomerID int64) (*partnernet.Newcomer, error) {
	l := loaders.For(ctx)
	n, err := l.VisibleNewcomer(ctx, newcomerID)
	if err != nil {
		return nil, err
	}
	if err := l.Release(ctx, n, partnernet.CategoryParticipation); err != nil {
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
	if err := loaders.For(ctx).Release(ctx, n, partnernet.CategoryParticipation); err != nil {
		return nil, err
	}
	return n, nil
}

// courseFor loads the course a mutation names at path field.
func (r *Resolver) courseFor(ctx context.Context, field, gid string) (*partnernet.Course, error) {
	id, err := relay.DecodeID(field, typeCourse, gid)
	if err != nil {
		return nil, err
	}
	c, err := loaders.For(ctx).Course.Load(ctx, id)()
	return visibleFor(ctx, field, "course", c, err, func(c *partnernet.Course) error {
		return r.Authz.Authorize(ctx, authz.Course, authz.Read, c.OrganisationID)
	})
}

// courseOf maps a CreateCourseInput onto a course of organisation orgID given by communicator,
// looking up its municipality, and lets the course validate itself.
func (r *Resolver) courseOf(ctx context.Context, in model.CreateCourseInput, orgID int64, communicator string) (partnernet.Course, error) {
	c := partnernet.Course{OrganisationID: orgID, Communicator: communicator, Title: in.Title, Language: in.Language, RequiredSessions: in.RequiredSessions}
	if err := c.Validate("input"); err != nil {
		return c, err
	}
	var err error
	c.MunicipalityID, err = r.municipalityID(ctx, "input.municipalityCode", in.MunicipalityCode)
	return c, err
}

// sessionOf maps an AddCourseSessionInput onto a session of course courseID and validates it.
func sessionOf(in model.AddCourseSessionInput, courseID int64) (partnernet.CourseSession, error) {
	s := partnernet.CourseSession{CourseID: courseID, Kind: partnernet.SessionLesson, StartsAt: in.StartsAt, EndsAt: in.EndsAt, Topic: in.Topic, Place: in.Place}
	if in.Kind != nil {
		s.Kind = *in.Kind
	}
	return s, s.Validate("input")
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

// participationFor decides a change to a newcomer's participation in a course a mutation names:
// the course visible to the caller, the caller allowed to write its participants, and the
// newcomer's participation released to the caller.
func (r *Resolver) participationFor(ctx context.Context, in model.CourseNewcomerInput) (*partnernet.Course, *partnernet.Newcomer, error) {
	c, err := r.courseFor(ctx, "input.courseId", in.CourseID)
	if err != nil {
		return nil, nil, err
	}
	if err := r.Authz.Authorize(ctx, authz.CourseParticipant, authz.Write, c.OrganisationID); err != nil {
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
