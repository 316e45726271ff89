package resolvers

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// The typenames of the global IDs of case work.
const (
	typeCaseTransfer       = "CaseTransfer"
	typeNewcomerInvitation = "NewcomerInvitation"
	typeNewcomerSignIn     = "NewcomerSignIn"
)

// Limits of case work's inputs.
const (
	maxAssignees      = 20
	minSearchLen      = 2
	maxInviteHours    = int(partnernet.MaxInvitationTTL / time.Hour)
	defaultInviteHour = int(partnernet.DefaultInvitationTTL / time.Hour)
	maxCodeLen        = 200
	maxAuditSubject   = 150
)

// correct applies a correction of one category of a newcomer's data, named at input.newcomerId
// by global ID gid and made on version: the newcomer must be one the caller sees (else "no such
// newcomer"), the caller must be allowed to change the category (authz.ChangeCategory, through
// the loaders, with the newcomer's consents), and build fills the correction in once both hold.
// The change and its audit entry (the names of the fields, never the values) commit together;
// a correction that changes nothing writes nothing and audits nothing.
func (r *Resolver) correct(ctx context.Context, gid string, version int, c partnernet.DataCategory, build func(n *partnernet.Newcomer, corr *partnernet.Correction) error) (*model.NewcomerCorrectionPayload, error) {
	n, err := r.newcomerArg(ctx, "input.newcomerId", gid, "correct newcomers' data", r.seesNewcomer(ctx))
	if err != nil {
		return nil, err
	}
	if err := loaders.For(ctx).Changeable(ctx, n, c); err != nil {
		return nil, err
	}
	if version < 1 {
		return nil, partnernet.InputError("input.version", "give the version you read, 1 or more")
	}
	corr := partnernet.Correction{NewcomerID: n.ID, Category: c, Version: version}
	if err := build(n, &corr); err != nil {
		return nil, err
	}
	p := authz.PrincipalFrom(ctx)
	change := partnernet.NewcomerChange{ChangedBy: p.Subject}
	if p.OrganisationID != 0 {
		org := p.OrganisationID
		change.OrganisationID = &org
	}
	made, err := commit(ctx, r.Store, retry{},
		func(tx *store.Store) (partnernet.NewcomerChange, error) { return tx.NewcomerCorrect(ctx, corr, change) },
		func(ch partnernet.NewcomerChange) []partnernet.AuditEvent {
			if len(ch.Fields) == 0 {
				return nil
			}
			e := authz.Event(ctx, partnernet.AuditUpdateNewcomer, n.ID, "changed "+strings.Join(ch.Fields, ", "))
			e.Categories = []string{string(c)}
			return []partnernet.AuditEvent{e}
		}, nil)
	if err != nil {
		return nil, err
	}
	fresh, err := r.freshNewcomer(ctx, n.ID)
	if err != nil {
		return nil, err
	}
	fields := made.Fields
	if fields == nil {
		fields = []string{}
	}
	return &model.NewcomerCorrectionPayload{Newcomer: fresh, Version: made.Version, ChangedFields: fields}, nil
}

// freshNewcomer reads a newcomer's record as a mutation left it, past the request's loaders
// (which may hold it as it was before).
func (r *Resolver) freshNewcomer(ctx context.Context, id int64) (*partnernet.Newcomer, error) {
	got, err := r.Store.NewcomerGetMany(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(got) == 0 {
		return nil, partnernet.Errorf(partnernet.CodeNotFound, "newcomer %d: not found", id)
	}
	return &got[0], nil
}

// subjectAt validates a subject (of a staff member) given at path field.
func subjectAt(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxSubjectLen {
		return "", partnernet.InputError(field, "give a subject of 1 to %d characters", maxSubjectLen)
	}
	return s, nil
}

// short cuts s to at most n runes for an audit entry's reason, which holds 200.
func short(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// transferArg resolves the transfer a mutation names by global ID at input.transferId: one the
// caller's organisation sends or receives, as its coordinators read them; anything else is
// "no such transfer".
func (r *Resolver) transferArg(ctx context.Context, gid string) (*partnernet.CaseTransfer, error) {
	id, err := relay.DecodeID("input.transferId", typeCaseTransfer, gid)
	if err != nil {
		return nil, notVisible(ctx, "input.transferId", "transfer", "answer transfers")
	}
	t, err := loaders.For(ctx).CaseTransfer.Load(ctx, id)()
	return visibleFor(ctx, "input.transferId", "transfer", t, err, func(t *partnernet.CaseTransfer) error {
		return r.seeTransfer(ctx, t)
	})
}

// seeTransfer decides whether the caller may read a transfer: as staff of either end.
func (r *Resolver) seeTransfer(ctx context.Context, t *partnernet.CaseTransfer) error {
	if err := r.Authz.Authorize(ctx, authz.CaseTransfer, authz.Read, t.FromOrgID); err == nil {
		return nil
	}
	return r.Authz.Authorize(ctx, authz.CaseTransfer, authz.Read, t.ToOrgID)
}

// decideTransfer moves a transfer the caller may answer (end by, allowed by authorize) to
// status to, with its audit entry of action; reason is a decline's.
func (r *Resolver) decideTransfer(ctx context.Context, gid string, to partnernet.CaseTransferStatus, by partnernet.TransferEnd,
	action partnernet.AuditAction, reason *string, authorize func(*partnernet.CaseTransfer) error) (*partnernet.CaseTransfer, error) {
	t, err := r.transferArg(ctx, gid)
	if err != nil {
		return nil, err
	}
	if err := authorize(t); err != nil {
		return nil, err
	}
	actor := authz.PrincipalFrom(ctx).Subject
	return audited(ctx, r.Store,
		func(tx *store.Store) (partnernet.CaseTransfer, error) {
			return tx.CaseTransferDecide(ctx, t.ID, to, by, actor, reason)
		},
		func(done partnernet.CaseTransfer) partnernet.AuditEvent {
			return authz.Event(ctx, action, done.NewcomerID, "transfer "+relay.ToGlobalID(typeCaseTransfer, done.ID))
		})
}

// invitationArg resolves the invitation a mutation names by global ID at input.invitationId,
// with its newcomer's record: one the caller may issue invitations for; anything else is "no
// such invitation".
func (r *Resolver) invitationArg(ctx context.Context, gid string) (*partnernet.NewcomerInvitation, error) {
	id, err := relay.DecodeID("input.invitationId", typeNewcomerInvitation, gid)
	if err != nil {
		return nil, notVisible(ctx, "input.invitationId", "invitation", "revoke invitations")
	}
	inv, err := loaders.For(ctx).Invitation.Load(ctx, id)()
	return visibleFor(ctx, "input.invitationId", "invitation", inv, err, func(inv *partnernet.NewcomerInvitation) error {
		n, err := loaders.For(ctx).Newcomer(ctx, inv.NewcomerID)()
		if err != nil {
			return err
		}
		return r.Authz.Authorize(ctx, authz.NewcomerInvite, authz.Write, n.ControllerID)
	})
}

// signInArg resolves the sign-in a mutation names by global ID at input.signInId: the caller's
// own, as the newcomer, or one the caller may revoke as the controller's coordinator; anything
// else is "no such sign-in".
func (r *Resolver) signInArg(ctx context.Context, gid string) (*partnernet.NewcomerLogin, error) {
	id, err := relay.DecodeID("input.signInId", typeNewcomerSignIn, gid)
	if err != nil {
		return nil, notVisible(ctx, "input.signInId", "sign-in", "revoke sign-ins")
	}
	l, err := loaders.For(ctx).SignIn.Load(ctx, id)()
	return visibleFor(ctx, "input.signInId", "sign-in", l, err, func(l *partnernet.NewcomerLogin) error {
		if err := r.Authz.AuthorizeSelf(ctx, authz.NewcomerSignIn, authz.Write, 0, l.NewcomerID); err == nil {
			return nil
		}
		n, err := loaders.For(ctx).Newcomer(ctx, l.NewcomerID)()
		if err != nil {
			return err
		}
		return r.Authz.Authorize(ctx, authz.NewcomerInvite, authz.Write, n.ControllerID)
	})
}

// worklist validates a newcomer filter and order into the store's, for the caller: every
// category the conditions and the order read is released through authz.SearchScope, so that a
// search finds only whom the caller may see in that category.
func (r *Resolver) worklist(ctx context.Context, f *store.NewcomerFilter, filter *model.NewcomerFilter, orderBy *model.NewcomerOrder) (store.Order, error) {
	o := newcomerOrder(orderBy)
	if filter != nil {
		if err := worklistFilter(ctx, f, filter); err != nil {
			return o, err
		}
	}
	switch {
	case f.Name != "" && orderBy == nil:
		o = store.Order{Column: store.OrderRelevance, Desc: true}
	case o.Column == store.OrderRelevance && f.Name == "":
		return o, partnernet.InputError("orderBy.field", "order by relevance to a name searched for: give filter.search")
	}
	for _, c := range store.NewcomerFilterCategories(*f, o) {
		s, err := r.Authz.SearchScope(ctx, c)
		if err != nil {
			return o, err
		}
		f.Released = append(f.Released, s)
	}
	return o, nil
}

// worklistFilter validates the conditions of a newcomer filter into f.
func worklistFilter(ctx context.Context, f *store.NewcomerFilter, in *model.NewcomerFilter) error {
	var err error
	if f.MunicipalityCodes, err = municipalityCodes("filter.municipalityCodes", in.MunicipalityCodes); err != nil {
		return err
	}
	if f.ResidenceMunicipalityCodes, err = municipalityCodes("filter.residenceMunicipalityCodes", in.ResidenceMunicipalityCodes); err != nil {
		return err
	}
	if in.Search != nil {
		s := strings.TrimSpace(*in.Search)
		if n := utf8.RuneCountInString(s); !utf8.ValidString(s) || n < minSearchLen || n > maxSearchLength {
			return partnernet.InputError("filter.search", "search by %d to %d characters of a name", minSearchLen, maxSearchLength)
		}
		f.Name = s
	}
	if in.Phone != nil {
		if !partnernet.PhonePattern.MatchString(*in.Phone) {
			return partnernet.InputError("filter.phone", "give a phone number of digits, spaces, ( ) and -")
		}
		f.Phone = *in.Phone
	}
	if in.Email != nil {
		if len(*in.Email) > partnernet.MaxEmailLen || !emailPattern.MatchString(*in.Email) {
			return partnernet.InputError("filter.email", "give an email address such as name@example.se")
		}
		f.Email = *in.Email
	}
	f.ArrivedFrom, f.ArrivedTo = in.ArrivedFrom.Time(), in.ArrivedTo.Time()
	if f.ArrivedFrom != nil && f.ArrivedTo != nil && f.ArrivedTo.Before(*f.ArrivedFrom) {
		return partnernet.InputError("filter.arrivedTo", "the end of the range comes before its start")
	}
	f.InCourse, f.InPlan, f.EnrolledInNAD, f.Assigned = in.InShk, in.InPlan, in.EnrolledInNad, in.Assigned
	if f.Statuses, err = values("filter.statuses", in.Statuses); err != nil {
		return err
	}
	if len(in.AssignedTo) > maxAssignees {
		return partnernet.InputError("filter.assignedTo", "at most %d staff members", maxAssignees)
	}
	for _, s := range in.AssignedTo {
		if _, err := subjectAt("filter.assignedTo", s); err != nil {
			return err
		}
	}
	f.AssignedTo = in.AssignedTo
	if in.Mine != nil && *in.Mine {
		if len(in.AssignedTo) > 0 {
			return partnernet.InputError("filter.mine", "give mine or assignedTo, not both")
		}
		f.AssignedTo = []string{authz.PrincipalFrom(ctx).Subject}
	}
	if in.Mine != nil && !*in.Mine {
		return partnernet.InputError("filter.mine", "give mine: true, or leave it out")
	}
	return nil
}

// transferTarget resolves the municipality a case moves to, by official code at
// input.toMunicipalityCode, to its organisation.
func (r *Resolver) transferTarget(ctx context.Context, code string, n *partnernet.Newcomer) (*partnernet.Organisation, error) {
	const field = "input.toMunicipalityCode"
	id, err := r.municipalityID(ctx, field, &code)
	if err != nil {
		return nil, err
	}
	org, err := loaders.For(ctx).MunicipalityOrganisation.Load(ctx, *id)()
	if errors.Is(err, partnernet.ErrNotFound) {
		return nil, partnernet.InputError(field, "the municipality %s takes no part in the network", code)
	}
	if err != nil {
		return nil, err
	}
	if org.ID == n.ControllerID {
		return nil, partnernet.InputError(field, "the case is that municipality's already")
	}
	return org, nil
}

// newInvitation validates how long an invitation stays valid (input.validForHours, hours
// default when nil) and makes one for newcomer n, with its code.
func newInvitation(ctx context.Context, n *partnernet.Newcomer, hours *int) (partnernet.NewcomerInvitation, string, error) {
	h := defaultInviteHour
	if hours != nil {
		h = *hours
	}
	if h < 1 || h > maxInviteHours {
		return partnernet.NewcomerInvitation{}, "", partnernet.InputError("input.validForHours", "give 1 to %d hours", maxInviteHours)
	}
	code, hash, err := authn.NewInvitationCode()
	if err != nil {
		return partnernet.NewcomerInvitation{}, "", err
	}
	inv := partnernet.NewcomerInvitation{
		NewcomerID: n.ID, SecretHash: hash, CreatedBy: authz.PrincipalFrom(ctx).Subject,
		ExpiresAt: time.Now().Add(time.Duration(h) * time.Hour),
	}
	return inv, code, nil
}

// changeCategories validates the categories of a change history asked for at path field: 1 to
// all of them, each once.
func changeCategories(field string, cs []partnernet.DataCategory) ([]partnernet.DataCategory, error) {
	out := slices.Clone(cs)
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 || len(cs) > len(partnernet.DataCategory("").Values()) {
		return nil, partnernet.InputError(field, "name 1 to %d categories, each once", len(partnernet.DataCategory("").Values()))
	}
	return out, nil
}
