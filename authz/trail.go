package authz

import (
	"context"
	"slices"
	"sync"

	"github.com/partnerskap-skane/partnernet"
)

// PurposeHeader is the HTTP header in which a request declares the purpose of processing.
const PurposeHeader = "Partnernet-Purpose"

// Trail collects the audit entries of one request: every release and every denial of newcomer
// data decided for it. Decisions about the same newcomer, purpose and outcome merge into one
// entry listing the categories. The server writes the trail to the database before the
// response leaves, and withholds the response when it cannot.
type Trail struct {
	requestID string
	mu        sync.Mutex
	entries   []*partnernet.AuditEvent
	index     map[trailKey]*partnernet.AuditEvent
}

// trailKey is what merges decisions into one entry.
type trailKey struct {
	newcomerID int64
	purpose    partnernet.Purpose
	decision   partnernet.AuditDecision
	reason     string
}

// NewTrail returns an empty trail for the request requestID.
func NewTrail(requestID string) *Trail {
	return &Trail{requestID: requestID, index: map[trailKey]*partnernet.AuditEvent{}}
}

type trailKeyCtx struct{}

// WithTrail returns a context whose decisions are recorded in t.
func WithTrail(ctx context.Context, t *Trail) context.Context {
	return context.WithValue(ctx, trailKeyCtx{}, t)
}

// TrailFrom returns the context's trail, or nil.
func TrailFrom(ctx context.Context) *Trail {
	t, _ := ctx.Value(trailKeyCtx{}).(*Trail)
	return t
}

// errNoTrail refuses decisions made where nothing would record them.
var errNoTrail = partnernet.Errorf(partnernet.CodeInternal, "newcomer data requested outside an audited request")

// add records a decision about newcomer n's category ("" for the record itself). Without a
// trail the decision is turned into a denial: newcomer data never leaves unaudited.
func (t *Trail) add(p Principal, newcomerID int64, category partnernet.DataCategory, purpose partnernet.Purpose, d *decision) {
	if t == nil {
		*d = deny(errNoTrail)
		return
	}
	key := trailKey{newcomerID: newcomerID, purpose: purpose, decision: partnernet.AuditReleased, reason: d.basis}
	if d.err != nil {
		key.decision, key.reason = partnernet.AuditDenied, string(partnernet.ErrorCode(d.err))
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.index[key]
	if !ok {
		e = &partnernet.AuditEvent{
			RequestID: t.requestID, Subject: p.Subject, Action: partnernet.AuditRead,
			NewcomerID: &newcomerID, Decision: key.decision, Reason: key.reason, Categories: []string{},
		}
		if p.OrganisationID != 0 {
			org := p.OrganisationID
			e.OrganisationID = &org
		}
		for _, r := range p.roles() {
			e.Roles = append(e.Roles, string(r))
		}
		if purpose != "" {
			s := string(purpose)
			e.Purpose = &s
		}
		t.index[key] = e
		t.entries = append(t.entries, e)
	}
	if category != "" && !slices.Contains(e.Categories, string(category)) {
		e.Categories = append(e.Categories, string(category))
	}
}

// Drain returns the entries recorded so far and empties the trail.
func (t *Trail) Drain() []partnernet.AuditEvent {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]partnernet.AuditEvent, 0, len(t.entries))
	for _, e := range t.entries {
		out = append(out, *e)
	}
	t.entries, t.index = nil, map[trailKey]*partnernet.AuditEvent{}
	return out
}

// Event returns an audit entry for an action the principal of ctx performed (a consent
// recorded, a role granted), for the caller to write in the same transaction as the action.
func Event(ctx context.Context, action partnernet.AuditAction, newcomerID int64, reason string) partnernet.AuditEvent {
	p := PrincipalFrom(ctx)
	e := partnernet.AuditEvent{
		Subject: p.Subject, Action: action, Decision: partnernet.AuditDone, Reason: reason, Categories: []string{},
	}
	if t := TrailFrom(ctx); t != nil {
		e.RequestID = t.requestID
	}
	if p.OrganisationID != 0 {
		org := p.OrganisationID
		e.OrganisationID = &org
	}
	if newcomerID != 0 {
		e.NewcomerID = &newcomerID
	}
	for _, r := range p.roles() {
		e.Roles = append(e.Roles, string(r))
	}
	if purpose := PurposeFrom(ctx); purpose != "" {
		s := string(purpose)
		e.Purpose = &s
	}
	return e
}
