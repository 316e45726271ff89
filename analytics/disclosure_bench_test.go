package analytics_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/partnerskap-skane/partnernet/analytics"
)

// syntheticEnrolments makes n enrolment facts over the dimensions of ENROLMENTS with about the
// cardinalities of the benchmark's data set (24 months, 6 programmes, 34 municipalities, 8
// categories, 9 languages, 8 age bands, 3 genders, 53 organisers), skewed towards the first
// values, grouped as the store groups them.
func syntheticEnrolments(n int, seed uint64) []analytics.Fact {
	r := rand.New(rand.NewPCG(seed, 1))
	cardinality := []int{24, 6, 34, 8, 9, 8, 3, 53}
	index := map[string]int{}
	var facts []analytics.Fact
	for range n {
		values := make([]string, len(cardinality))
		for d, c := range cardinality {
			values[d] = fmt.Sprintf("v%d", min(r.IntN(c), r.IntN(c)))
		}
		k := strings.Join(values, "|")
		if i, ok := index[k]; ok {
			facts[i].Weight++
			continue
		}
		index[k] = len(facts)
		facts = append(facts, analytics.Fact{Values: values, Weight: 1})
	}
	return facts
}

// BenchmarkProtectFamily measures protecting the 93 tables of ENROLMENTS together, from facts
// of synthetic enrolments (what the fact cache does once per load). Run with:
// go test -run '^$' -bench ProtectFamily ./analytics/
func BenchmarkProtectFamily(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_500_000} {
		facts := syntheticEnrolments(n, 1)
		b.Run(fmt.Sprintf("enrolments=%d", n), func(b *testing.B) {
			var f *analytics.Family
			for b.Loop() {
				var err error
				if f, err = analytics.Enrolments.Protect(facts, analytics.DefaultThreshold); err != nil {
					b.Fatal(err)
				}
			}
			cells, suppressed := 0, 0
			for _, t := range f.Tables() {
				for _, c := range t.Cells {
					cells++
					if c.Suppressed {
						suppressed++
					}
				}
			}
			b.ReportMetric(float64(len(facts)), "facts")
			b.ReportMetric(float64(cells), "cells")
			b.ReportMetric(float64(suppressed), "suppressed")
		})
	}
}
