package statistics

import (
	"context"
	"errors"
	"slices"
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
	// CohortSubjects returns the newcomers the cohort measures count.
	CohortSubjects(ctx context.Context) ([]analytics.CohortSubject, error)
	// OrganisationGetMany and MunicipalityGetMany return organisations and municipalities by id.
	OrganisationGetMany(ctx context.Context, ids []int64) ([]partnernet.Organisation, error)
	MunicipalityGetMany(ctx context.Context, ids []int64) ([]partnernet.Municipality, error)
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
	// Now is the clock the cohort measures' follow-up ends at; time.Now when nil.
	Now func() time.Time
}

// Service computes the aggregates, the partner network, research extracts and the RÅDRUM
// statistics, deciding through authz who may have them. It is safe for concurrent use; one
// Service serves every transport, so that they share its fact cache.
type Service struct {
	store     Store
	authz     *authz.Authorizer
	threshold int
	facts     *factCache
	now       func() time.Time
}

// New returns a Service over cfg.
func New(cfg Config) *Service {
	threshold := cfg.Threshold
	if threshold <= 0 {
		threshold = analytics.DefaultThreshold
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Service{store: cfg.Store, authz: cfg.Authz, threshold: threshold, facts: newFactCache(cfg.CacheTTL), now: now}
}

// Threshold returns the suppression threshold: the smallest count the service publishes, which
// availability bands of activities also follow.
func (s *Service) Threshold() int { return s.threshold }

// authorizeAggregates lets analysts and the network lead's network admins through.
func (s *Service) authorizeAggregates(ctx context.Context) error {
	lead, err := s.lead(ctx)
	if err != nil {
		return err
	}
	return s.authz.Authorize(ctx, authz.AnalyticsAggregate, authz.Read, lead)
}

// lead returns the id of the network lead's organisation, 0 when there is none.
func (s *Service) lead(ctx context.Context) (int64, error) {
	o, err := s.store.OrganisationGetBySlug(ctx, authz.NetworkLeadSlug)
	switch {
	case err == nil:
		return o.ID, nil
	case errors.Is(err, partnernet.ErrNotFound):
		return 0, nil
	default:
		return 0, err
	}
}

// municipalities is whose newcomers a principal's aggregates count: nil for every newcomer of
// the network, or the codes of the municipalities whose newcomers they are.
type municipalities []string

// aggregateScope asks authz whose newcomers the principal's aggregates count (every newcomer
// for analysts and the network lead, a municipality's own for its coordinators) and returns the
// scope as municipality codes, nil for all. An organisation scope that holds no municipality
// counts nobody: FORBIDDEN.
func (s *Service) aggregateScope(ctx context.Context) (municipalities, error) {
	lead, err := s.lead(ctx)
	if err != nil {
		return nil, err
	}
	scope, err := s.authz.AggregateScope(ctx, lead)
	if err != nil || scope.All {
		return nil, err
	}
	orgs, err := s.store.OrganisationGetMany(ctx, scope.IDs)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, o := range orgs {
		if o.Kind == partnernet.KindMunicipality && o.HomeMunicipalityID != nil {
			ids = append(ids, *o.HomeMunicipalityID)
		}
	}
	ms, err := s.store.MunicipalityGetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := municipalities{}
	for _, m := range ms {
		out = append(out, m.Code)
	}
	if len(out) == 0 {
		return nil, partnernet.Errorf(partnernet.CodeForbidden, "aggregates by municipality are for a municipality's own coordinators")
	}
	return out, nil
}

// narrow applies a municipality scope to the dimensions chosen of measure m (indexes into
// m.Dimensions) and to the values a filter keeps: all for a nil scope; otherwise MUNICIPALITY
// is among the dimensions (added when missing) and keeps only the scope's municipalities,
// within those the filter asks for. A measure that does not count newcomers by their
// controlling municipality, or a filter asking for another municipality, is FORBIDDEN.
func (ms municipalities) narrow(m analytics.Measure, chosen []int, values map[string][]string) ([]int, map[string][]string, error) {
	if ms == nil {
		return chosen, values, nil
	}
	if !m.Controlled {
		return nil, nil, partnernet.Errorf(partnernet.CodeForbidden, "%s does not count newcomers by the municipality that controls them", m.Name)
	}
	for _, code := range values[analytics.DimMunicipality] {
		if !slices.Contains(ms, code) {
			return nil, nil, partnernet.Errorf(partnernet.CodeForbidden, "your aggregates count the newcomers your municipality controls, not those of %s", code)
		}
	}
	narrowed := map[string][]string{}
	for d, v := range values {
		narrowed[d] = v
	}
	if _, ok := narrowed[analytics.DimMunicipality]; !ok {
		narrowed[analytics.DimMunicipality] = ms
	}
	at := slices.Index(m.Dimensions, analytics.DimMunicipality)
	if !slices.Contains(chosen, at) {
		chosen = append(slices.Clone(chosen), at)
		slices.Sort(chosen)
	}
	return chosen, narrowed, nil
}

// table returns the protected table of measure m over the dimensions chosen (indexes into
// m.Dimensions, sorted), from its family protected as a whole.
func (s *Service) table(ctx context.Context, m analytics.Measure, chosen []int) (analytics.Table, error) {
	return s.facts.table(ctx, m, chosen, s.threshold, s.store.AnalyticsFacts)
}
