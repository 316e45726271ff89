package store

import (
	"context"
	"fmt"
	"time"

	"github.com/partnerskap-skane/partnernet"
)

// OrderOccurredAt orders audit entries by when they happened; ties are broken by id. Audit lists
// are always newest first.
const OrderOccurredAt = "OCCURRED_AT"

// auditOrder is the order of every audit list: newest first.
var auditOrder = Order{Column: OrderOccurredAt, Desc: true}

const auditColumns = `ae.id, ae.occurred_at, ae.request_id, ae.subject, ae.organisation_id, ae.roles, ae.action,
  ae.newcomer_id, ae.categories, ae.purpose, ae.decision, ae.reason`

func auditFields(e *partnernet.AuditEvent) []any {
	return []any{
		&e.ID, &e.OccurredAt, &e.RequestID, &e.Subject, &e.OrganisationID, &e.Roles, &e.Action,
		&e.NewcomerID, &e.Categories, &e.Purpose, &e.Decision, &e.Reason,
	}
}

// AuditFilter narrows an audit trail; conditions combine with AND, values within one with OR.
type AuditFilter struct {
	Decisions  []partnernet.AuditDecision // with any of these outcomes
	Actions    []partnernet.AuditAction   // recording any of these actions
	NewcomerID *int64                     // about this newcomer
	Since      *time.Time                 // at or after this time
	Until      *time.Time                 // before this time
	// ConfirmedTo, when set, leaves out the denials about newcomers that organisation may not
	// see now (neither controls nor is named by an active consent of): a denial is all there is
	// of a probe of a newcomer's ID, and it is written only for a newcomer who exists, so it
	// would tell the organisation's trail readers so (authz.SeeInTrail).
	ConfirmedTo int64
}

func auditQuery(f AuditFilter) *listQuery {
	q := &listQuery{
		from: "audit_event ae", columns: auditColumns, idExpr: "ae.id",
		sorts: map[string]sortColumn{OrderOccurredAt: {"ae.occurred_at", "timestamptz"}},
	}
	if len(f.Decisions) > 0 {
		filterOneOf(q, "ae.decision", f.Decisions)
	}
	if len(f.Actions) > 0 {
		filterOneOf(q, "ae.action", f.Actions)
	}
	if f.NewcomerID != nil {
		q.filter("ae.newcomer_id = %s", *f.NewcomerID)
	}
	if f.Since != nil {
		q.filter("ae.occurred_at >= %s", *f.Since)
	}
	if f.Until != nil {
		q.filter("ae.occurred_at < %s", *f.Until)
	}
	if f.ConfirmedTo != 0 {
		q.filter(`(ae.decision <> 'DENIED' OR ae.newcomer_id IS NULL OR EXISTS (
  SELECT 1 FROM newcomer tn WHERE tn.id = ae.newcomer_id AND (tn.controller_id = %[1]s OR EXISTS (
    SELECT 1 FROM consent_record_current tv JOIN consent_recipient tr ON tr.consent_record_id = tv.id
    WHERE tv.newcomer_id = tn.id AND tv.active AND tr.organisation_id = %[1]s))))`, f.ConfirmedTo)
	}
	return q
}

// AuditInsert appends the events to the audit trail in one statement, so that inside a
// transaction they are kept or dropped with it. An event's OccurredAt is the time of the
// transaction when zero; its ID is ignored. A nil Roles or Categories is stored as empty. It
// returns partnernet.ErrBadUserInput when an event breaks a constraint of the trail (an unknown
// action or decision, a text too long, an unknown organisation).
func (s *Store) AuditInsert(ctx context.Context, events []partnernet.AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	n := len(events)
	var (
		occurredAt  = make([]*time.Time, n)
		requestIDs  = make([]string, n)
		subjects    = make([]string, n)
		orgIDs      = make([]*int64, n)
		actions     = make([]string, n)
		newcomerIDs = make([]*int64, n)
		purposes    = make([]*string, n)
		decisions   = make([]string, n)
		reasons     = make([]string, n)
		// Arrays of arrays cannot be ragged, so the roles and the categories of all events travel
		// as one flat array each, with the bounds (1-based, inclusive) of each event's part.
		roles, categories            = []string{}, []string{}
		rolesFrom, rolesTo           = make([]int32, n), make([]int32, n)
		categoriesFrom, categoriesTo = make([]int32, n), make([]int32, n)
	)
	for i, e := range events {
		if !e.OccurredAt.IsZero() {
			occurredAt[i] = &e.OccurredAt
		}
		requestIDs[i], subjects[i], orgIDs[i] = e.RequestID, e.Subject, e.OrganisationID
		actions[i], newcomerIDs[i], purposes[i] = string(e.Action), e.NewcomerID, e.Purpose
		decisions[i], reasons[i] = string(e.Decision), e.Reason
		rolesFrom[i] = int32(len(roles) + 1)
		roles = append(roles, e.Roles...)
		rolesTo[i] = int32(len(roles))
		categoriesFrom[i] = int32(len(categories) + 1)
		categories = append(categories, e.Categories...)
		categoriesTo[i] = int32(len(categories))
	}
	// Rows are inserted in the order of the batch, so ids follow it.
	_, err := s.db.Exec(ctx, `
INSERT INTO audit_event (occurred_at, request_id, subject, organisation_id, roles, action, newcomer_id,
  categories, purpose, decision, reason)
SELECT coalesce(u.occurred_at, now()), u.request_id, u.subject, u.organisation_id,
  coalesce(($14::text[])[u.roles_from:u.roles_to], '{}'), u.action, u.newcomer_id,
  coalesce(($15::text[])[u.categories_from:u.categories_to], '{}'), u.purpose, u.decision, u.reason
FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[],
    $7::text[], $8::text[], $9::text[], $10::int[], $11::int[], $12::int[], $13::int[])
  WITH ORDINALITY AS u(occurred_at, request_id, subject, organisation_id, action, newcomer_id,
    purpose, decision, reason, roles_from, roles_to, categories_from, categories_to, ord)
ORDER BY u.ord`,
		occurredAt, requestIDs, subjects, orgIDs, actions, newcomerIDs, purposes, decisions, reasons,
		rolesFrom, rolesTo, categoriesFrom, categoriesTo, roles, categories)
	if err != nil {
		return translate(fmt.Errorf("insert %d audit events: %w", n, err))
	}
	return nil
}

// AuditListByNewcomers returns one page of the audit entries about each of the newcomers, newest
// first, keyed by newcomer id, in one statement. The keys of the page carry the time as value.
func (s *Store) AuditListByNewcomers(ctx context.Context, newcomerIDs []int64, p Page) (map[int64]Slice[partnernet.AuditEvent], error) {
	return listPageByParent(ctx, s.db, auditQuery(AuditFilter{}), "ae.newcomer_id", newcomerIDs, auditOrder, p, auditFields)
}

// AuditCountByNewcomers counts the audit entries about each of the newcomers; newcomers without
// any are absent.
func (s *Store) AuditCountByNewcomers(ctx context.Context, newcomerIDs []int64) (map[int64]int, error) {
	return countRowsByParent(ctx, s.db, auditQuery(AuditFilter{}), "ae.newcomer_id", newcomerIDs)
}

// auditByOrganisationQuery is the trail of what the people of one organisation did.
func auditByOrganisationQuery(organisationID int64, f AuditFilter) *listQuery {
	q := auditQuery(f)
	q.filter("ae.organisation_id = %s", organisationID)
	return q
}

// AuditListByOrganisation returns one page of the audit entries whose principal acted for the
// organisation, newest first. The keys of the page carry the time as value.
func (s *Store) AuditListByOrganisation(ctx context.Context, organisationID int64, f AuditFilter, p Page) (Slice[partnernet.AuditEvent], error) {
	return listPage(ctx, s.db, auditByOrganisationQuery(organisationID, f), auditOrder, p, auditFields)
}

// AuditCountByOrganisation counts the audit entries a filter selects among those whose principal
// acted for the organisation.
func (s *Store) AuditCountByOrganisation(ctx context.Context, organisationID int64, f AuditFilter) (int, error) {
	return countRows(ctx, s.db, auditByOrganisationQuery(organisationID, f))
}
