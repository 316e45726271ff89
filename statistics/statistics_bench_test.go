package statistics_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/statistics"
)

// BenchmarkAggregate measures the service's part of the analysts' aggregate of the benchmark's
// workload (ENROLMENTS by MONTH and PROGRAMME) over the demo data, the facts and their
// protected tables cached: what any transport pays besides its own decoding and encoding
// (resolvers' BenchmarkAnalyticsAggregate measures the whole GraphQL request). Run with:
// go test -run '^$' -bench Aggregate ./statistics/
func BenchmarkAggregate(b *testing.B) {
	bundle := setup(b)
	s := bundle.service(time.Hour)
	ctx := bundle.as("malmo-universitet", authz.RoleAnalyst)
	req := statistics.AggregateRequest{Measure: "ENROLMENTS", Dimensions: []string{"MONTH", "PROGRAMME"}}
	for b.Loop() {
		if _, err := s.Aggregate(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCohortProtect measures the first cohort request over the demo data with the cohort
// demo (about 1,300 newcomers with an arrival date): loading the subjects, and protecting every
// table of every cohort measure together, which a request without a cached family waits for.
func BenchmarkCohortProtect(b *testing.B) {
	bundle := setup(b)
	require.NoError(b, seed.LoadCohortDemo(context.Background(), bundle.store.Store, 1))
	s := bundle.service(0)
	ctx := bundle.as("malmo-universitet", authz.RoleAnalyst)
	req := statistics.CohortRequest{Outcome: "WORK_OR_STUDIES", GroupBy: []string{"COHORT"}}
	for b.Loop() {
		if _, err := s.Cohort(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCohortCached measures a cohort request once the family is cached.
func BenchmarkCohortCached(b *testing.B) {
	bundle := setup(b)
	require.NoError(b, seed.LoadCohortDemo(context.Background(), bundle.store.Store, 1))
	s := bundle.service(time.Hour)
	ctx := bundle.as("malmo-universitet", authz.RoleAnalyst)
	req := statistics.CohortRequest{Outcome: "WORK_OR_STUDIES", GroupBy: []string{"COHORT"}}
	for b.Loop() {
		if _, err := s.Cohort(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
