package statistics

import (
	"context"
	"errors"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/store"
)

// Store is what the service reads from the database, and where it writes the audit entry of a
// research extract: a *store.Store.
type Store interface {
	// AnalyticsFacts returns the facts of a measure.
	AnalyticsFacts(ctx context.Context, m analytics.Measure) ([]analytics.Fact, error)
	// SharedParticipantFacts returns the facts of newcomers enrolled with two organisations.
	SharedParticipantFacts(ctx context.Context) ([]analytics.Fact, error)
	// AnalyticsCoOrganisations returns the co-organised activities.
	AnalyticsCoOrganisations(ctx context.Context) ([]store.CoOrganisation, error)
	// OrganisationGetBySlug returns an organisation, or partnernet.ErrNotFound.
	OrganisationGetBySlug(ctx context.Context, slug string) (partnernet.Organisation, error)
	// OrganisationList returns a page of organisations.
	OrganisationList(ctx context.Context, f store.OrganisationFilter, o store.Order, p store.Page) (store.Slice[partnernet.Organisation], error)
	// ResearchSubjects returns the newcomers a research extract for recipient may hold.
	ResearchSubjects(ctx context.Context, recipient int64) ([]store.ResearchSubject, error)
	// InTx runs fn in one transaction.
	InTx(ctx context.Context, fn func(tx *store.Store) error) error
}

var _ Store = (*store.Store)(nil)

// Config is what a [Service] is built from.
type Config struct {
	// Store is the database.
	Store Store
	// Authz takes every authorisation decision.
	Authz *authz.Authorizer
	// Threshold is the smallest count published (smaller ones are suppressed);
	// analytics.DefaultThreshold (5) when zero.
	Threshold int
	// CacheTTL is how long a measure's facts, and the tables protected from them, are kept
	// between requests; 0 loads and protects them afresh for every request.
	CacheTTL time.Duration
}

// Service computes the aggregates, the partner network, research extracts and the RÅDRUM
// statistics, deciding through authz who may have them. It is safe for concurrent use; one
// Service serves every transport, so that they share its fact cache.
type Service struct {
	store     Store
	authz     *authz.Authorizer
	threshold int
	facts     *factCache
}

// New returns a Service over cfg.
func New(cfg Config) *Service {
	threshold := cfg.Threshold
	if threshold <= 0 {
		threshold = analytics.DefaultThreshold
	}
	return &Service{store: cfg.Store, authz: cfg.Authz, threshold: threshold, facts: newFactCache(cfg.CacheTTL)}
}

// Threshold returns the suppression threshold: the smallest count the service publishes, which
// availability bands of activities also follow.
func (s *Service) Threshold() int { return s.threshold }

// authorizeAggregates lets analysts and the network lead's network admins through.
func (s *Service) authorizeAggregates(ctx context.Context) error {
	var lead int64
	o, err := s.store.OrganisationGetBySlug(ctx, authz.NetworkLeadSlug)
	switch {
	case err == nil:
		lead = o.ID
	case !errors.Is(err, partnernet.ErrNotFound):
		return err
	}
	return s.authz.Authorize(ctx, authz.AnalyticsAggregate, authz.Read, lead)
}

// table returns the protected table of measure m over the dimensions chosen (indexes into
// m.Dimensions, sorted), from its family protected as a whole.
func (s *Service) table(ctx context.Context, m analytics.Measure, chosen []int) (analytics.Table, error) {
	return s.facts.table(ctx, m, chosen, s.threshold, s.store.AnalyticsFacts)
}
