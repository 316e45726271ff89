package statistics

import (
	"context"
	"regexp"
	"slices"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
)

// maxFilterValues is the most values a filter may keep of one dimension, as in the API's other
// filters.
const maxFilterValues = 100

// monthPattern is a month as filters give it.
var monthPattern = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// AggregateRequest asks for the aggregate of a measure broken down by dimensions (their names,
// as in package analytics), narrowed to some of its cells.
type AggregateRequest struct {
	// Measure is the measure's name, such as ENROLMENTS.
	Measure string
	// Dimensions are the dimensions to break down by, at most analytics.MaxDimensions, in any
	// order: the table orders them as the measure does.
	Dimensions []string
	// Filter selects cells of the table.
	Filter AggregateFilter
}

// AggregateFilter selects cells of an aggregate: a period of whole months (YYYY-MM, inclusive;
// "" for an open end) and, per dimension, the values to keep. A filter never changes a cell:
// it needs the dimensions it names among those broken down by.
type AggregateFilter struct {
	From, Until string
	Values      map[string][]string
}

// Aggregate returns the aggregate req asks for, protected as a whole and then narrowed by its
// filter: for analysts and the network lead, every newcomer; for a municipality's coordinators,
// the newcomers their municipality controls (the table always broken down by MUNICIPALITY and
// narrowed to theirs, as authz decides: AggregateScope). Refusals are UNAUTHENTICATED or
// FORBIDDEN (also a coordinator's measure that does not count newcomers by municipality, or a
// filter on another municipality); bad measures, dimensions and filters are BAD_USER_INPUT
// errors naming the argument (measure, dimensions, filter.from, filter.until, filter.values).
func (s *Service) Aggregate(ctx context.Context, req AggregateRequest) (analytics.Table, error) {
	scope, err := s.aggregateScope(ctx)
	if err != nil {
		return analytics.Table{}, err
	}
	m, ok := analytics.MeasureNamed(req.Measure)
	if !ok {
		return analytics.Table{}, partnernet.InputError("measure", "unknown measure %q", req.Measure)
	}
	var chosen []int
	for _, d := range req.Dimensions {
		i := slices.Index(m.Dimensions, d)
		if i < 0 || slices.Contains(m.Internal, d) {
			return analytics.Table{}, partnernet.InputError("dimensions", "%s has no dimension %q", m.Name, d)
		}
		if slices.Contains(chosen, i) {
			return analytics.Table{}, partnernet.InputError("dimensions", "dimension %s is named twice", d)
		}
		chosen = append(chosen, i)
	}
	slices.Sort(chosen)
	asked := len(chosen)
	chosen, req.Filter.Values, err = scope.narrow(m, chosen, req.Filter.Values)
	if err != nil {
		return analytics.Table{}, err
	}
	if len(chosen) > analytics.MaxDimensions {
		if len(chosen) > asked {
			return analytics.Table{}, partnernet.InputError("dimensions", "break down by at most %d dimensions besides MUNICIPALITY", analytics.MaxDimensions-1)
		}
		return analytics.Table{}, partnernet.InputError("dimensions", "break down by at most %d dimensions", analytics.MaxDimensions)
	}
	keep, err := cellFilter(m, chosen, req.Filter)
	if err != nil {
		return analytics.Table{}, err
	}
	t, err := s.table(ctx, m, chosen)
	if err != nil {
		return analytics.Table{}, err
	}
	return t.Select(keep), nil
}

// cellFilter validates f against the dimensions chosen and returns what selects its cells.
func cellFilter(m analytics.Measure, chosen []int, f AggregateFilter) (func([]string) bool, error) {
	position := func(dim string) int {
		for p, i := range chosen {
			if m.Dimensions[i] == dim {
				return p
			}
		}
		return -1
	}
	monthAt := position(analytics.DimMonth)
	for field, v := range map[string]string{"filter.from": f.From, "filter.until": f.Until} {
		if v == "" {
			continue
		}
		if !monthPattern.MatchString(v) {
			return nil, partnernet.InputError(field, "a month is YYYY-MM")
		}
		if monthAt < 0 {
			return nil, partnernet.InputError(field, "a period needs the MONTH dimension: a filter selects cells, it never changes one")
		}
	}
	if f.From != "" && f.Until != "" && f.Until < f.From {
		return nil, partnernet.InputError("filter.until", "until comes before from")
	}
	type selection struct {
		at     int
		values []string
	}
	var selections []selection
	for dim, values := range f.Values {
		at := position(dim)
		if at < 0 {
			return nil, partnernet.InputError("filter.values", "a filter on %s needs the %s dimension: a filter selects cells, it never changes one", dim, dim)
		}
		if len(values) == 0 || len(values) > maxFilterValues {
			return nil, partnernet.InputError("filter.values", "give 1 to %d values of %s", maxFilterValues, dim)
		}
		selections = append(selections, selection{at, values})
	}
	return func(key []string) bool {
		if monthAt >= 0 && ((f.From != "" && key[monthAt] < f.From) || (f.Until != "" && key[monthAt] > f.Until)) {
			return false
		}
		for _, s := range selections {
			if !slices.Contains(s.values, key[s.at]) {
				return false
			}
		}
		return true
	}, nil
}

// protectedTable returns measure m's table over the named dimensions, protected as a whole.
func (s *Service) protectedTable(ctx context.Context, m analytics.Measure, dims ...string) (analytics.Table, error) {
	var chosen []int
	for _, d := range dims {
		chosen = append(chosen, slices.Index(m.Dimensions, d))
	}
	slices.Sort(chosen)
	return s.table(ctx, m, chosen)
}
