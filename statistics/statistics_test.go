package statistics_test

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/statistics"
	"github.com/partnerskap-skane/partnernet/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// countingStore is the real store, counting the loads of each measure's facts.
type countingStore struct {
	*store.Store
	mu    sync.Mutex
	loads map[string]int
}

// AnalyticsFacts counts the load and loads.
func (c *countingStore) AnalyticsFacts(ctx context.Context, m analytics.Measure) ([]analytics.Fact, error) {
	c.mu.Lock()
	c.loads[m.Name]++
	c.mu.Unlock()
	return c.Store.AnalyticsFacts(ctx, m)
}

// testBundle is a service over a database of the test's own holding the demo network and the
// analytics demo data.
type testBundle struct {
	store *countingStore
	authz *authz.Authorizer
	orgs  map[string]int64
}

func setup(t testing.TB) *testBundle {
	t.Helper()
	ctx := context.Background()
	st := store.New(dbtest.NewPool(t))
	_, err := seed.Load(ctx, st, seed.DefaultOptions(), nil)
	require.NoError(t, err)
	require.NoError(t, seed.LoadAnalyticsDemo(ctx, st, 1))
	az, err := authz.New(ctx, st)
	require.NoError(t, err)
	b := &testBundle{store: &countingStore{Store: st, loads: map[string]int{}}, authz: az, orgs: map[string]int64{}}
	for _, slug := range []string{"malmo-universitet", "malmo", authz.NetworkLeadSlug} {
		o, err := st.OrganisationGetBySlug(ctx, slug)
		require.NoError(t, err)
		b.orgs[slug] = o.ID
	}
	return b
}

// service returns a service over the bundle's store, keeping facts for ttl.
func (b *testBundle) service(ttl time.Duration) *statistics.Service {
	return statistics.New(statistics.Config{Store: b.store, Authz: b.authz, CacheTTL: ttl})
}

// as returns a context of a principal of the organisation slug in role, declaring purpose
// RESEARCH, with an audit trail as the GraphQL transport gives it; the zero role is anonymous.
func (b *testBundle) as(slug string, role authz.Role) context.Context {
	ctx := authz.WithTrail(authz.WithPurpose(context.Background(), partnernet.PurposeResearch), authz.NewTrail("test"))
	if role == "" {
		return ctx
	}
	return authz.WithPrincipal(ctx, authz.Principal{Subject: string(role) + "@" + slug, OrganisationID: b.orgs[slug], Roles: []authz.Role{role}})
}

// since and until are a period holding every month of the demo data.
var since, until = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)

// call is one method of the service, called with fixed arguments.
type call struct {
	name string
	do   func(context.Context, *statistics.Service) error
}

func aggregateCall(req statistics.AggregateRequest) func(context.Context, *statistics.Service) error {
	return func(ctx context.Context, s *statistics.Service) error {
		_, err := s.Aggregate(ctx, req)
		return err
	}
}

func cohortCall(req statistics.CohortRequest) func(context.Context, *statistics.Service) error {
	return func(ctx context.Context, s *statistics.Service) error {
		_, err := s.Cohort(ctx, req)
		return err
	}
}

func networkCall(f analytics.NetworkFilter) func(context.Context, *statistics.Service) error {
	return func(ctx context.Context, s *statistics.Service) error {
		_, err := s.Network(ctx, f)
		return err
	}
}

func adviceCall(since, until time.Time) func(context.Context, *statistics.Service) error {
	return func(ctx context.Context, s *statistics.Service) error {
		_, err := s.AdviceStatistics(ctx, since, until)
		return err
	}
}

func extractCall(categories ...partnernet.DataCategory) func(context.Context, *statistics.Service) error {
	return func(ctx context.Context, s *statistics.Service) error {
		_, err := s.Extract(ctx, categories)
		return err
	}
}

func TestNewThreshold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		configured, want int
	}{
		{0, analytics.DefaultThreshold},
		{-1, analytics.DefaultThreshold},
		{12, 12},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, statistics.New(statistics.Config{Threshold: tt.configured}).Threshold(), "configured %d", tt.configured)
	}
}

// TestServiceDecides checks that every method asks authz itself, before it looks at its
// arguments: a transport that calls it gets the decision, and bad arguments tell a refused
// caller nothing.
func TestServiceDecides(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := b.service(time.Hour)
	calls := []call{
		{"aggregate", aggregateCall(statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"MONTH"}})},
		{"aggregate, bad measure", aggregateCall(statistics.AggregateRequest{Measure: "SECRETS"})},
		{"network", networkCall(analytics.NetworkFilter{Programme: "NAD"})},
		{"network, bad programme", networkCall(analytics.NetworkFilter{Programme: "NOPE"})},
		{"advice statistics", adviceCall(since, until)},
		{"advice statistics, bad period", adviceCall(until, since)},
		{"extract", extractCall(partnernet.CategoryIdentity)},
		{"extract, bad category", extractCall(partnernet.CategoryHealth)},
		{"cohort", cohortCall(statistics.CohortRequest{Outcome: "SHK_START", GroupBy: []string{"COHORT"}})},
		{"cohort, bad measure", cohortCall(statistics.CohortRequest{Outcome: "SECRETS"})},
	}
	tests := []struct {
		name string
		ctx  context.Context
		// want is the code of each call in order; "" for allowed, BAD_USER_INPUT for the bad ones
		// when allowed.
		want []partnernet.Code
	}{
		{"an analyst", b.as("malmo-universitet", authz.RoleAnalyst), []partnernet.Code{
			"", partnernet.CodeBadUserInput, "", partnernet.CodeBadUserInput, "", partnernet.CodeBadUserInput, "", partnernet.CodeBadUserInput,
			"", partnernet.CodeBadUserInput,
		}},
		{"an analyst without purpose RESEARCH", authz.WithPurpose(b.as("malmo-universitet", authz.RoleAnalyst), partnernet.PurposeStatistics), []partnernet.Code{
			"", partnernet.CodeBadUserInput, "", partnernet.CodeBadUserInput, "", partnernet.CodeBadUserInput, partnernet.CodeForbidden, partnernet.CodeForbidden,
			"", partnernet.CodeBadUserInput,
		}},
		{"the network lead", b.as(authz.NetworkLeadSlug, authz.RoleNetworkAdmin), []partnernet.Code{
			"", partnernet.CodeBadUserInput, "", partnernet.CodeBadUserInput,
			partnernet.CodeForbidden, partnernet.CodeForbidden, partnernet.CodeForbidden, partnernet.CodeForbidden,
			"", partnernet.CodeBadUserInput,
		}},
		{"a network admin elsewhere", b.as("malmo", authz.RoleNetworkAdmin), slices.Repeat([]partnernet.Code{partnernet.CodeForbidden}, len(calls))},
		// A municipality's coordinator: the aggregates of its own newcomers, nothing else.
		{"a municipality's coordinator", b.as("malmo", authz.RoleCoordinator), []partnernet.Code{
			"", partnernet.CodeBadUserInput, partnernet.CodeForbidden, partnernet.CodeForbidden,
			partnernet.CodeForbidden, partnernet.CodeForbidden, partnernet.CodeForbidden, partnernet.CodeForbidden,
			"", partnernet.CodeBadUserInput,
		}},
		{"a coordinator of another organisation", b.as("malmo-universitet", authz.RoleCoordinator), slices.Repeat([]partnernet.Code{partnernet.CodeForbidden}, len(calls))},
		{"anonymous", b.as("", ""), slices.Repeat([]partnernet.Code{partnernet.CodeUnauthenticated}, len(calls))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, c := range calls {
				err := c.do(tt.ctx, s)
				if tt.want[i] == "" {
					require.NoError(t, err, c.name)
					continue
				}
				require.Error(t, err, c.name)
				require.Equal(t, tt.want[i], partnernet.ErrorCode(err), "%s: %v", c.name, err)
			}
		})
	}
}

func TestServiceRefusesBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := b.service(time.Hour)
	ctx := b.as("malmo-universitet", authz.RoleAnalyst)
	byGender := map[string][]string{"GENDER": {"FEMALE"}}
	tests := []struct {
		name      string
		do        func(context.Context, *statistics.Service) error
		wantField string
	}{
		{"an unknown measure", aggregateCall(statistics.AggregateRequest{Measure: "SECRETS"}), "measure"},
		{"a dimension the measure lacks", aggregateCall(statistics.AggregateRequest{Measure: "ADVICE_VISITS", Dimensions: []string{"GENDER"}}), "dimensions"},
		{"an internal dimension", aggregateCall(statistics.AggregateRequest{Measure: "ADVICE_VISITS", Dimensions: []string{"DESK"}}), "dimensions"},
		{"a dimension twice", aggregateCall(statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"MONTH", "MONTH"}}), "dimensions"},
		{"more than three dimensions", aggregateCall(statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"MONTH", "PROGRAMME", "GENDER", "AGE_BAND"}}), "dimensions"},
		{"a period without months", aggregateCall(statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"GENDER"},
			Filter: statistics.AggregateFilter{From: "2026-01"}}), "filter.from"},
		{"a malformed month", aggregateCall(statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"MONTH"},
			Filter: statistics.AggregateFilter{Until: "2026-13"}}), "filter.until"},
		{"a period backwards", aggregateCall(statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"MONTH"},
			Filter: statistics.AggregateFilter{From: "2026-05", Until: "2026-01"}}), "filter.until"},
		{"a filter on a dimension not broken down by", aggregateCall(statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"MONTH"},
			Filter: statistics.AggregateFilter{Values: byGender}}), "filter.values"},
		{"a filter keeping no value", aggregateCall(statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"GENDER"},
			Filter: statistics.AggregateFilter{Values: map[string][]string{"GENDER": {}}}}), "filter.values"},
		{"an unknown programme", networkCall(analytics.NetworkFilter{Programme: "NOPE"}), "programme"},
		{"a malformed first month of the network", networkCall(analytics.NetworkFilter{From: "June"}), "filter.from"},
		{"a malformed last month of the network", networkCall(analytics.NetworkFilter{Until: "2026-6"}), "filter.until"},
		{"an empty period of advice statistics", adviceCall(since, since), "until"},
		{"a period of advice statistics over five years", adviceCall(since, since.Add(partnernet.MaxAdviceSpan+time.Hour)), "until"},
		{"an extract of nothing", extractCall(), "input.categories"},
		{"an extract of health data", extractCall(partnernet.CategoryIdentity, partnernet.CategoryHealth), "input.categories"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *partnernet.Error
			require.ErrorAs(t, tt.do(ctx, s), &e)
			require.Equal(t, partnernet.CodeBadUserInput, e.Code)
			require.Equal(t, tt.wantField, e.Field)
		})
	}
}

// TestAggregateSelectsCellsOfOneTable checks that dimensions come in the measure's order and
// that a filter selects cells of the table protected as a whole, never changing one.
func TestAggregateSelectsCellsOfOneTable(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := b.service(time.Hour)
	ctx := b.as("malmo-universitet", authz.RoleAnalyst)
	whole, err := s.Aggregate(ctx, statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"GENDER", "MONTH"}})
	require.NoError(t, err)
	require.Equal(t, []string{"MONTH", "GENDER"}, whole.Dimensions)
	require.Equal(t, analytics.DefaultThreshold, whole.Threshold)
	cells := map[string]analytics.Published{}
	for _, c := range whole.Cells {
		require.Equal(t, c.Count == nil, c.Suppressed)
		cells[strings.Join(c.Key, "|")] = c
	}
	filtered, err := s.Aggregate(ctx, statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"MONTH", "GENDER"},
		Filter: statistics.AggregateFilter{From: "2026-06", Until: "2026-09", Values: map[string][]string{"GENDER": {"FEMALE", "MALE"}}}})
	require.NoError(t, err)
	require.NotEmpty(t, filtered.Cells)
	require.Less(t, len(filtered.Cells), len(whole.Cells))
	for _, c := range filtered.Cells {
		require.True(t, c.Key[0] >= "2026-06" && c.Key[0] <= "2026-09", "%v is in the period", c.Key)
		require.Contains(t, []string{"FEMALE", "MALE"}, c.Key[1])
		require.Equal(t, cells[strings.Join(c.Key, "|")], c, "a filter never changes a cell")
	}
}

// TestServiceSharesFactLoads checks that the methods share one fact cache: with a TTL, each
// measure's facts are loaded once however many requests of any method need them; without one,
// once per request.
func TestServiceSharesFactLoads(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := b.as("malmo-universitet", authz.RoleAnalyst)
	tests := []struct {
		ttl  time.Duration
		want map[string]int
	}{
		{time.Hour, map[string]int{"ENROLMENTS": 1, "REFERRALS": 1, "ADVICE_VISITS": 1}},
		{0, map[string]int{"ENROLMENTS": 3, "REFERRALS": 2, "ADVICE_VISITS": 2}},
	}
	for _, tt := range tests {
		b.store.mu.Lock()
		clear(b.store.loads)
		b.store.mu.Unlock()
		s := b.service(tt.ttl)
		for _, do := range []func(context.Context, *statistics.Service) error{
			aggregateCall(statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"MONTH"}}),
			aggregateCall(statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"GENDER", "AGE_BAND"}}),
			aggregateCall(statistics.AggregateRequest{Measure: "REFERRALS", Dimensions: []string{"OUTCOME"}}),
			aggregateCall(statistics.AggregateRequest{Measure: "ADVICE_VISITS", Dimensions: []string{"TOPIC"}}),
			networkCall(analytics.NetworkFilter{Programme: "NAD", From: "2026-08"}),
			adviceCall(since, until),
		} {
			require.NoError(t, do(ctx, s))
		}
		b.store.mu.Lock()
		require.Equal(t, tt.want, b.store.loads, "TTL %v", tt.ttl)
		b.store.mu.Unlock()
	}
}

func TestAdviceStatistics(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := b.service(time.Hour)
	ctx := b.as("malmo-universitet", authz.RoleAnalyst)
	all, err := s.AdviceStatistics(ctx, since, until)
	require.NoError(t, err)
	require.NotEmpty(t, all)
	visible := 0
	for i, c := range all {
		if c.Visits != nil {
			require.GreaterOrEqual(t, *c.Visits, analytics.DefaultThreshold, "a small count is never published")
			visible++
		}
		if i > 0 {
			prev := all[i-1]
			require.True(t, prev.DeskID < c.DeskID || (prev.DeskID == c.DeskID && prev.Month+string(prev.Topic) < c.Month+string(c.Topic)),
				"ordered by desk, month and topic: %v before %v", prev, c)
		}
	}
	require.Positive(t, visible)

	// A period of one month, in Swedish time, keeps that month's counts, unchanged.
	month := all[0].Month
	first, err := time.ParseInLocation("2006-01", month, partnernet.Stockholm)
	require.NoError(t, err)
	one, err := s.AdviceStatistics(ctx, first, first.AddDate(0, 1, 0))
	require.NoError(t, err)
	var want []*partnernet.AdviceVisitCount
	for _, c := range all {
		if c.Month == month {
			want = append(want, c)
		}
	}
	require.Equal(t, want, one)
}

func TestExtract(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := b.service(time.Hour)
	ctx := b.as("malmo-universitet", authz.RoleAnalyst)
	university := b.orgs["malmo-universitet"]
	// by groups the pseudonyms of an extract by the categories released.
	by := func(x statistics.ResearchExtract) map[string][]string {
		out := map[string][]string{}
		for _, r := range x.Rows {
			names := make([]string, len(r.Categories))
			for i, c := range r.Categories {
				names[i] = string(c)
			}
			k := strings.Join(names, ",")
			out[k] = append(out[k], r.Pseudonym)
		}
		return out
	}
	asked := []partnernet.DataCategory{partnernet.CategoryLanguages, partnernet.CategoryIdentity, partnernet.CategoryLanguages}
	first, err := s.Extract(ctx, asked)
	require.NoError(t, err)
	before := by(first) // the demo network's own research consents

	// Four of Malmö's newcomers without one consent: to research by the university of their
	// identity, languages and health; of their languages only; of their health only (never
	// extracted); and to statistics.
	subjects, err := b.store.ResearchSubjects(context.Background(), university)
	require.NoError(t, err)
	newcomers, err := b.store.NewcomerList(context.Background(), store.NewcomerFilter{Controllers: partnernet.OrgScope{IDs: []int64{b.orgs["malmo"]}}},
		store.Order{Column: store.OrderRegisteredAt}, store.Page{Limit: 100})
	require.NoError(t, err)
	fresh := slices.DeleteFunc(newcomers.Rows, func(n partnernet.Newcomer) bool {
		return slices.ContainsFunc(subjects, func(s store.ResearchSubject) bool { return s.NewcomerID == n.ID })
	})
	consents := []struct {
		purpose    partnernet.Purpose
		categories []partnernet.DataCategory
	}{
		{partnernet.PurposeResearch, []partnernet.DataCategory{partnernet.CategoryIdentity, partnernet.CategoryLanguages, partnernet.CategoryHealth}},
		{partnernet.PurposeResearch, []partnernet.DataCategory{partnernet.CategoryLanguages}},
		{partnernet.PurposeResearch, []partnernet.DataCategory{partnernet.CategoryHealth}},
		{partnernet.PurposeStatistics, []partnernet.DataCategory{partnernet.CategoryIdentity, partnernet.CategoryLanguages}},
	}
	require.GreaterOrEqual(t, len(fresh), len(consents))
	for i, c := range consents {
		n := fresh[i]
		_, err := b.store.ConsentRecordCreate(context.Background(), partnernet.ConsentRecord{
			NewcomerID: n.ID, ControllerID: n.ControllerID, RecipientIDs: []int64{university},
			Purposes: []partnernet.Purpose{c.purpose}, DataCategories: c.categories, LegalBasis: partnernet.BasisConsent,
			Method: partnernet.MethodWritten, NoticeLanguage: "ar", NoticeVersion: "2026.1", ValidFrom: time.Now().Add(-time.Hour),
		}, "coordinator@malmo")
		require.NoError(t, err)
	}
	authz.TrailFrom(ctx).Drain()

	x, err := s.Extract(ctx, asked)
	require.NoError(t, err)
	require.Equal(t, []partnernet.DataCategory{partnernet.CategoryLanguages, partnernet.CategoryIdentity}, x.Categories, "asked for, once each")
	after := by(x)
	require.Len(t, after["LANGUAGES,IDENTITY"], len(before["LANGUAGES,IDENTITY"])+1, "the consent covering both, HEALTH never extracted")
	require.Len(t, after["LANGUAGES"], len(before["LANGUAGES"])+1, "the consent covering languages only")
	require.Len(t, x.Rows, len(first.Rows)+2, "neither the consent to HEALTH only nor the one to STATISTICS")
	require.True(t, slices.IsSortedFunc(x.Rows, func(a, b statistics.ResearchRow) int { return strings.Compare(a.Pseudonym, b.Pseudonym) }))
	for _, r := range x.Rows {
		require.Regexp(t, `^[0-9a-f]{64}$`, r.Pseudonym)
		require.Subset(t, x.Categories, r.Categories, "only categories asked for are released")
		require.Equal(t, slices.Contains(r.Categories, partnernet.CategoryIdentity), r.Municipality != nil, "IDENTITY only when released")
		require.Equal(t, slices.Contains(r.Categories, partnernet.CategoryIdentity), r.RegisteredMonth != nil)
		require.Equal(t, slices.Contains(r.Categories, partnernet.CategoryLanguages), r.Languages != nil)
		if r.BirthYearBand != nil {
			require.Regexp(t, `^[0-9]{4}-[0-9]{4}$`, *r.BirthYearBand)
		}
		require.Nil(t, r.Enrolments, "PARTICIPATION was not asked for")
		require.Nil(t, r.ShkCompleted)
		for _, p := range first.Rows {
			require.NotEqual(t, p.Pseudonym, r.Pseudonym, "pseudonyms differ across extracts")
		}
	}

	// Each person's release is decided, and recorded in the request's trail, category by
	// category; the extract itself is audited, its entry committed when it is returned.
	released := 0
	for _, e := range authz.TrailFrom(ctx).Drain() {
		if e.Decision == partnernet.AuditReleased && e.Purpose != nil && *e.Purpose == string(partnernet.PurposeResearch) {
			released += len(e.Categories)
		}
	}
	require.GreaterOrEqual(t, released, 3, "at least the new consents' three releases")
	trail, err := b.store.AuditListByOrganisation(context.Background(), university,
		store.AuditFilter{Actions: []partnernet.AuditAction{partnernet.AuditResearchExtract}}, store.Page{Limit: 10})
	require.NoError(t, err)
	var reasons []string
	for _, e := range trail.Rows {
		reasons = append(reasons, e.Reason)
	}
	require.ElementsMatch(t, []string{
		fmt.Sprintf("%d rows; LANGUAGES,IDENTITY", len(first.Rows)), fmt.Sprintf("%d rows; LANGUAGES,IDENTITY", len(x.Rows)),
	}, reasons)
}

// TestImportsNoTransport checks the dependency direction: transports call this package, which
// depends on no transport.
func TestImportsNoTransport(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("go list: %v: %s", err, exit.Stderr)
	}
	require.NoError(t, err)
	const module = "github.com/partnerskap-skane/partnernet/"
	for _, dep := range strings.Fields(string(out)) {
		for _, transport := range []string{"resolvers", "server", "graph", "loaders", "cli", "dbtest", "apitest"} {
			require.False(t, dep == module+transport || strings.HasPrefix(dep, module+transport+"/"),
				"package statistics depends on %s", dep)
		}
	}
}
