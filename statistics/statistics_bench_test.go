package statistics_test

import (
	"testing"
	"time"

	"github.com/partnerskap-skane/partnernet/authz"
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
