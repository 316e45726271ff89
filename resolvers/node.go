package resolvers

import (
	"context"
	"errors"
	"fmt"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// The typenames global IDs carry.
const (
	typeOrganisation  = "Organisation"
	typeMunicipality  = "Municipality"
	typeProgramme     = "Programme"
	typeActivity      = "Activity"
	typeNewcomer      = "Newcomer"
	typeConsentRecord = "ConsentRecord"
	typeAPIKey        = "ApiKey"
	typeReferral      = "Referral"
	typeSupportPlan   = "SupportPlan"
	typeEnrolment     = "Enrolment"
	// SHK courses and RÅDRUM advice.
	typeCourse            = "Course"
	typeCourseSession     = "CourseSession"
	typeCourseParticipant = "CourseParticipant"
	typeAdviceDesk        = "AdviceDesk"
	typeAdviceVisit       = "AdviceVisit"
)

// node starts loading the object a global ID names and returns a thunk that waits for it. The
// thunk yields nil for an object that does not exist or that the caller may not see, so that
// node(id) does not reveal whether a hidden object exists.
func (r *Resolver) node(ctx context.Context, typename string, id int64) func() (relay.Node, error) {
	l := loaders.For(ctx)
	switch typename {
	case typeOrganisation:
		return visibleNode(ctx, l.Organisation.Load(ctx, id), func(*partnernet.Organisation) error {
			return r.Authz.Authorize(ctx, authz.NetworkOrganisation, authz.Read, 0)
		})
	case typeMunicipality:
		return visibleNode(ctx, l.Municipality.Load(ctx, id), func(*partnernet.Municipality) error {
			return r.Authz.Authorize(ctx, authz.NetworkMunicipality, authz.Read, 0)
		})
	case typeProgramme:
		return visibleNode(ctx, l.Programme.Load(ctx, id), func(*partnernet.Programme) error {
			return r.Authz.Authorize(ctx, authz.NetworkProgramme, authz.Read, 0)
		})
	case typeActivity:
		return visibleNode(ctx, l.Activity.Load(ctx, id), func(a *partnernet.Activity) error {
			return r.authorizeActivity(ctx, a)
		})
	case typeNewcomer:
		return visibleNode(ctx, l.Newcomer(ctx, id), func(n *partnernet.Newcomer) error {
			return l.See(ctx, n)
		})
	case typeEnrolment:
		return visibleNode(ctx, l.Enrolment.Load(ctx, id), func(e *partnernet.Enrolment) error {
			return r.seeEnrolment(ctx, e)
		})
	case typeConsentRecord:
		return visibleNode(ctx, l.ConsentRecord.Load(ctx, id), func(c *partnernet.ConsentRecord) error {
			return r.Authz.AuthorizeSelf(ctx, authz.ConsentRecord, authz.Read, c.ControllerID, c.NewcomerID)
		})
	case typeReferral:
		return visibleNode(ctx, l.Referral.Load(ctx, id), func(ref *partnernet.Referral) error {
			if receiver, referrer := r.referralSide(ctx, ref); receiver || referrer {
				return nil
			}
			return r.Authz.AuthorizeSelf(ctx, authz.Referral, authz.Read, ref.ToOrgID, ref.NewcomerID)
		})
	case typeSupportPlan:
		return visibleNode(ctx, l.SupportPlan.Load(ctx, id), func(p *partnernet.SupportPlan) error {
			return r.seePlan(ctx, p)
		})
	case typeCourse:
		return visibleNode(ctx, l.Course.Load(ctx, id), func(c *partnernet.Course) error {
			return r.Authz.Authorize(ctx, authz.Course, authz.Read, c.OrganisationID)
		})
	case typeCourseSession:
		return visibleNode(ctx, l.CourseSession.Load(ctx, id), func(s *partnernet.CourseSession) error {
			return r.Authz.Authorize(ctx, authz.Course, authz.Read, s.OrganisationID)
		})
	case typeCourseParticipant:
		return visibleNode(ctx, l.CourseParticipant.Load(ctx, id), func(p *partnernet.CourseParticipant) error {
			return r.Authz.AuthorizeSelf(ctx, authz.CourseParticipant, authz.Read, p.OrganisationID, p.NewcomerID)
		})
	case typeAdviceDesk:
		return visibleNode(ctx, l.AdviceDesk.Load(ctx, id), func(*partnernet.AdviceDesk) error {
			return r.Authz.Authorize(ctx, authz.AdviceDesk, authz.Read, 0)
		})
	case typeAdviceVisit:
		return visibleNode(ctx, l.AdviceVisit.Load(ctx, id), func(v *partnernet.AdviceVisit) error {
			return r.Authz.Authorize(ctx, authz.AdviceVisit, authz.Read, v.OrganisationID)
		})
	case typeCaseTransfer:
		return visibleNode(ctx, l.CaseTransfer.Load(ctx, id), func(t *partnernet.CaseTransfer) error {
			return r.seeTransfer(ctx, t)
		})
	case typeNewcomerInvitation:
		return visibleNode(ctx, l.Invitation.Load(ctx, id), func(i *partnernet.NewcomerInvitation) error {
			return r.seeInvitations(ctx, i.NewcomerID)
		})
	case typeNewcomerSignIn:
		return visibleNode(ctx, l.SignIn.Load(ctx, id), func(s *partnernet.NewcomerLogin) error {
			return r.seeInvitations(ctx, s.NewcomerID)
		})
	default:
		return func() (relay.Node, error) { return nil, nil }
	}
}

// seeInvitations decides who sees a newcomer's invitations and sign-ins: the controller's
// coordinators and the newcomer.
func (r *Resolver) seeInvitations(ctx context.Context, newcomerID int64) error {
	n, err := loaders.For(ctx).Newcomer(ctx, newcomerID)()
	if err != nil {
		return err
	}
	return r.Authz.AuthorizeSelf(ctx, authz.NewcomerInvite, authz.Read, n.ControllerID, n.ID)
}

// visibleNode waits for a loaded object and releases it only when authorize allows; a missing
// or refused object is null.
func visibleNode[T any](ctx context.Context, thunk dataloader.Thunk[*T], authorize func(*T) error) func() (relay.Node, error) {
	return func() (relay.Node, error) {
		v, err := thunk()
		if errors.Is(err, partnernet.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		switch err := authorize(v); {
		case errors.Is(err, partnernet.ErrForbidden), errors.Is(err, partnernet.ErrUnauthenticated):
			return nil, nil
		case err != nil:
			return nil, err
		}
		return v, nil
	}
}

// authorizeActivity decides whether the caller may see an activity: anyone a published one, the
// organiser's staff the others.
func (r *Resolver) authorizeActivity(ctx context.Context, a *partnernet.Activity) error {
	if a.Status == partnernet.ActivityPublished {
		return r.Authz.Authorize(ctx, authz.ActivityPublished, authz.Read, a.OrganiserID)
	}
	return r.Authz.AuthorizeActivity(ctx, authz.ActivityUnpublished, authz.Read, a.OrganiserID, a.CoOrganiserIDs)
}

// visibleActivities validates an activity filter and limits it to what the caller may see.
func (r *Resolver) visibleActivities(ctx context.Context, filter *model.ActivityFilter) (store.ActivityFilter, error) {
	if err := r.Authz.Authorize(ctx, authz.ActivityPublished, authz.Read, 0); err != nil {
		return store.ActivityFilter{}, err
	}
	f, err := activityFilter(filter)
	if err != nil {
		return f, err
	}
	if err := discoveryFilter(filter, &f); err != nil {
		return f, err
	}
	f.Unpublished, err = r.Authz.Scope(ctx, authz.ActivityUnpublished, authz.Read)
	return f, err
}

// entity resolves a federation representation of an entity by its global ID, exactly as node(id)
// does: through the per-request loaders (so one statement per type serves a whole _entities
// request) and the same authorisation. An ID of another type is a bad input; a missing or hidden
// object is null.
func entity[T any](ctx context.Context, r *Resolver, typename, gid string) (*T, error) {
	id, err := relay.DecodeID("representations.id", typename, gid)
	if err != nil {
		return nil, err
	}
	return visibleAs[T](ctx, r, typename, id)
}

// visibleAs loads the object of typename with id as node(id) does, and returns it as a *T; a
// missing or hidden object is null.
func visibleAs[T any](ctx context.Context, r *Resolver, typename string, id int64) (*T, error) {
	n, err := r.node(ctx, typename, id)()
	if err != nil || n == nil {
		return nil, err
	}
	v, ok := n.(*T)
	if !ok {
		return nil, fmt.Errorf("resolve %s %d: loaded a %T", typename, id, n)
	}
	return v, nil
}

// visibleRef is visibleAs for an optional reference: nil for none.
func visibleRef[T any](ctx context.Context, r *Resolver, typename string, id *int64) (*T, error) {
	if id == nil {
		return nil, nil
	}
	return visibleAs[T](ctx, r, typename, *id)
}
