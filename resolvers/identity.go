package resolvers

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// Limits on consent input.
const (
	maxRecipients       = 50
	maxConsentValidity  = 5 * 365 * 24 * time.Hour
	maxNoticeVersionLen = 50
	maxSubjectLen       = 300
	maxKeyNameLen       = 200
)

// orderOccurredAt orders audit entries, newest first.
var orderOccurredAt = store.Order{Column: "OCCURRED_AT", Desc: true}

// roleOf converts a schema role to the policy's.
func roleOf(r model.Role) authz.Role { return authz.Role(strings.ToLower(string(r))) }

// schemaRole converts a policy role to the schema's.
func schemaRole(r string) model.Role { return model.Role(strings.ToUpper(r)) }

// consentOf validates a RecordConsentInput into a consent record of the newcomer n.
func consentOf(in model.RecordConsentInput, n *partnernet.Newcomer, now time.Time) (partnernet.ConsentRecord, error) {
	c := partnernet.ConsentRecord{
		NewcomerID: n.ID, ControllerID: n.ControllerID, LegalBasis: partnernet.BasisConsent,
		Method: in.Method, NoticeLanguage: in.NoticeLanguage, NoticeVersion: in.NoticeVersion,
		Purposes: dedupe(in.Purposes), DataCategories: dedupe(in.DataCategories), ValidFrom: now,
	}
	if len(in.RecipientIds) == 0 || len(in.RecipientIds) > maxRecipients {
		return c, partnernet.InputError("input.recipientIds", "name 1 to %d recipient organisations", maxRecipients)
	}
	for i, gid := range dedupe(in.RecipientIds) {
		id, err := relay.DecodeID(fmt.Sprintf("input.recipientIds.%d", i), typeOrganisation, gid)
		if err != nil {
			return c, err
		}
		c.RecipientIDs = append(c.RecipientIDs, id)
	}
	if len(c.Purposes) == 0 {
		return c, partnernet.InputError("input.purposes", "name at least one purpose")
	}
	if len(c.DataCategories) == 0 {
		return c, partnernet.InputError("input.dataCategories", "name at least one category of data")
	}
	if !partnernet.LanguagePattern.MatchString(in.NoticeLanguage) {
		return c, partnernet.InputError("input.noticeLanguage", "give the notice's language as an ISO 639 code such as ar or sv")
	}
	if in.NoticeVersion == "" || !utf8.ValidString(in.NoticeVersion) || utf8.RuneCountInString(in.NoticeVersion) > maxNoticeVersionLen {
		return c, partnernet.InputError("input.noticeVersion", "give the notice's version, at most %d characters", maxNoticeVersionLen)
	}
	if in.ValidFrom != nil {
		c.ValidFrom = *in.ValidFrom
	}
	if in.ValidUntil != nil {
		if err := validUntil("input.validUntil", c.ValidFrom, *in.ValidUntil); err != nil {
			return c, err
		}
		c.ValidUntil = in.ValidUntil
	}
	return c, nil
}

// validUntil checks the end of a consent's validity against its start.
func validUntil(field string, from, until time.Time) error {
	if !until.After(from) {
		return partnernet.InputError(field, "the end of validity must come after its start")
	}
	if until.Sub(from) > maxConsentValidity {
		return partnernet.InputError(field, "a consent is valid for at most five years; renew it later")
	}
	return nil
}

// dedupe returns s without repeated values, in first-seen order.
func dedupe[T comparable](s []T) []T {
	seen := make(map[T]bool, len(s))
	out := make([]T, 0, len(s))
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// membershipOf validates a MembershipInput.
func membershipOf(in model.MembershipInput) (partnernet.Membership, error) {
	orgID, err := relay.DecodeID("input.organisationId", typeOrganisation, in.OrganisationID)
	if err != nil {
		return partnernet.Membership{}, err
	}
	subject := strings.TrimSpace(in.Subject)
	if subject == "" || !utf8.ValidString(subject) || utf8.RuneCountInString(subject) > maxSubjectLen {
		return partnernet.Membership{}, partnernet.InputError("input.subject", "give a subject of 1 to %d characters", maxSubjectLen)
	}
	if in.Role == model.RoleNewcomer {
		return partnernet.Membership{}, partnernet.InputError("input.role", "the newcomer role is not held in an organisation")
	}
	return partnernet.Membership{Subject: subject, OrganisationID: orgID, Role: string(roleOf(in.Role))}, nil
}

// membershipObject is the object of a decision to grant or revoke role: granting the network
// admin role is a decision of its own.
func membershipObject(role string) authz.Object {
	if authz.Role(role) == authz.RoleNetworkAdmin {
		return authz.Membership + ":network_admin"
	}
	return authz.Membership
}

// keyName validates an API key's name.
func keyName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxKeyNameLen {
		return "", partnernet.InputError("input.name", "give a name of 1 to %d characters", maxKeyNameLen)
	}
	return name, nil
}

// consentGuard refuses a change to a consent in a state that does not allow it.
func consentGuard(c partnernet.ConsentRecord, kind partnernet.ConsentEventKind, now time.Time) error {
	switch state := c.StateAt(now); {
	case state == partnernet.ConsentStateWithdrawn:
		return partnernet.Errorf(partnernet.CodeConflict, "the consent is already withdrawn")
	case kind == partnernet.ConsentWithdrawn && state == partnernet.ConsentStateExpired:
		return partnernet.Errorf(partnernet.CodeConflict, "the consent has expired; there is nothing to withdraw")
	}
	return nil
}

// orderMembership orders memberships by subject.
var orderMembership = store.Order{Column: "SUBJECT"}

// changeConsent renews or withdraws a consent: decided by the policy for the newcomer themself
// or the controller's staff, applied under a lock on the record with its audit entry in one
// transaction.
func (r *Resolver) changeConsent(ctx context.Context, id int64, kind partnernet.ConsentEventKind, until *time.Time) (*partnernet.ConsentRecord, error) {
	c, err := nullIfMissing(loaders.For(ctx).ConsentRecord.Load(ctx, id)())
	if err != nil {
		return nil, err
	}
	obj, action := authz.ConsentRecord, partnernet.AuditRenewConsent
	if kind == partnernet.ConsentWithdrawn {
		obj, action = authz.ConsentWithdraw, partnernet.AuditWithdrawConsent
	}
	if c == nil || r.Authz.AuthorizeSelf(ctx, authz.ConsentRecord, authz.Read, c.ControllerID, c.NewcomerID) != nil {
		return nil, notVisible(ctx, "input.consentId", "consent record", "")
	}
	if err := r.Authz.AuthorizeSelf(ctx, obj, authz.Write, c.ControllerID, c.NewcomerID); err != nil {
		return nil, err
	}
	now := time.Now()
	if kind == partnernet.ConsentRenewed && until != nil {
		if err := validUntil("input.validUntil", now, *until); err != nil {
			return nil, err
		}
	}
	actor := authz.PrincipalFrom(ctx).Subject
	return audited(ctx, r.Store, func(tx *store.Store) (partnernet.ConsentRecord, error) {
		current, err := tx.ConsentRecordLock(ctx, id)
		if err != nil {
			return current, err
		}
		if err := consentGuard(current, kind, now); err != nil {
			return current, err
		}
		return tx.ConsentEventAppend(ctx, id, kind, actor, until)
	}, func(partnernet.ConsentRecord) partnernet.AuditEvent {
		return authz.Event(ctx, action, c.NewcomerID, "consent "+relay.ToGlobalID(typeConsentRecord, id))
	})
}

// auditFilter validates the filter of an organisation's audit trail. A newcomer the reader's
// organisation may not see (authz.SeeInTrail) is refused as one that does not exist.
func (r *Resolver) auditFilter(ctx context.Context, f *model.AuditEventFilter) (store.AuditFilter, error) {
	var out store.AuditFilter
	if f == nil {
		return out, nil
	}
	out.Decisions = append(out.Decisions, f.Decisions...)
	out.Actions = append(out.Actions, f.Actions...)
	if f.NewcomerID != nil {
		n, err := r.newcomerArg(ctx, "filter.newcomerId", *f.NewcomerID, "read audit trails", func(n *partnernet.Newcomer) error {
			return loaders.For(ctx).SeeInTrail(ctx, n)
		})
		if err != nil {
			return out, err
		}
		out.NewcomerID = &n.ID
	}
	out.Since, out.Until = f.Since, f.Until
	return out, nil
}
