package statistics

import (
	"context"
	"fmt"
	"regexp"
	"slices"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
)

// The groupings of a cohort measure, as requests name them.
const (
	GroupMunicipality  = "MUNICIPALITY"
	GroupCohort        = "COHORT"
	GroupParticipation = "PARTICIPATION"
)

// cohortPattern is an arrival cohort as filters give it.
var cohortPattern = regexp.MustCompile(`^[0-9]{4}-Q[1-4]$`)

// CohortRequest asks for a cohort measure: an outcome of the newcomers grouped by municipality,
// arrival cohort or participation in a programme (at most two of them), narrowed to some groups.
type CohortRequest struct {
	// Outcome is the outcome's name, such as SHK_COMPLETION ([analytics.CohortOutcomes]).
	Outcome string
	// GroupBy are the groupings: MUNICIPALITY, COHORT, PARTICIPATION.
	GroupBy []string
	// Programme is the programme whose participation PARTICIPATION groups by: SHK, NAD, MYPATH or
	// RADRUM.
	Programme string
	// Filter selects groups.
	Filter CohortFilter
}

// CohortFilter selects groups of a cohort measure: a range of arrival cohorts (YYYY-Qn,
// inclusive, "" for an open end), which needs the COHORT grouping, and municipalities (codes),
// which need MUNICIPALITY. Like an aggregate's filter it never changes a group.
type CohortFilter struct {
	From, Until    string
	Municipalities []string
}

// CohortTable is a cohort measure by group, as published.
type CohortTable struct {
	// Outcome is the outcome measured.
	Outcome analytics.CohortOutcome
	// GroupBy are the groupings of the groups' keys, in order (a coordinator's always start
	// with MUNICIPALITY), and Programme the programme of PARTICIPATION.
	GroupBy   []string
	Programme string
	// Threshold is the suppression threshold.
	Threshold int
	// Groups are the groups selected, in order of key.
	Groups []analytics.CohortGroup
}

// Cohort returns the cohort measure req asks for: the outcome's cells of every group, protected
// with every table of every cohort measure ([analytics.Cohorts]); for time-to-event outcomes the
// Kaplan–Meier curve and median computed from the published cells, for the others the shares.
// For analysts and the network lead, every newcomer with an arrival date; for a municipality's
// coordinators, those their municipality controls (MUNICIPALITY added to the groupings and
// narrowed to theirs). Refusals are UNAUTHENTICATED or FORBIDDEN (a filter on another
// municipality among them); a bad outcome, grouping, programme or filter is BAD_USER_INPUT naming
// the argument (measure, groupBy, programme, filter.from, filter.until,
// filter.municipalityCodes).
func (s *Service) Cohort(ctx context.Context, req CohortRequest) (CohortTable, error) {
	scope, err := s.aggregateScope(ctx)
	if err != nil {
		return CohortTable{}, err
	}
	o, ok := analytics.CohortOutcomeNamed(req.Outcome)
	if !ok {
		return CohortTable{}, partnernet.InputError("measure", "unknown cohort measure %q", req.Outcome)
	}
	m := analytics.Cohorts
	programmeDim := ""
	for _, p := range analytics.CohortProgrammes {
		if p.Programme == req.Programme {
			programmeDim = p.Dimension
		}
	}
	switch {
	case req.Programme != "" && programmeDim == "":
		return CohortTable{}, partnernet.InputError("programme", "participation groups by SHK, NAD, MYPATH or RADRUM")
	case req.Programme != "" && !slices.Contains(req.GroupBy, GroupParticipation):
		return CohortTable{}, partnernet.InputError("programme", "a programme goes with the PARTICIPATION grouping")
	}
	var groups []int
	for _, g := range req.GroupBy {
		dim := map[string]string{GroupMunicipality: analytics.DimMunicipality, GroupCohort: analytics.DimCohort, GroupParticipation: programmeDim}[g]
		if g == GroupParticipation && programmeDim == "" {
			return CohortTable{}, partnernet.InputError("programme", "name the programme whose participation to group by")
		}
		i := slices.Index(m.Dimensions, dim)
		if dim == "" || i < 0 {
			return CohortTable{}, partnernet.InputError("groupBy", "group by MUNICIPALITY, COHORT or PARTICIPATION")
		}
		if slices.Contains(groups, i) {
			return CohortTable{}, partnernet.InputError("groupBy", "grouping %s is named twice", g)
		}
		groups = append(groups, i)
	}
	slices.Sort(groups)
	values := map[string][]string{}
	if len(req.Filter.Municipalities) > 0 {
		if len(req.Filter.Municipalities) > maxFilterValues {
			return CohortTable{}, partnernet.InputError("filter.municipalityCodes", "give at most %d municipalities", maxFilterValues)
		}
		values[analytics.DimMunicipality] = req.Filter.Municipalities
	}
	asked := len(groups)
	groups, values, err = scope.narrow(m, groups, values)
	if err != nil {
		return CohortTable{}, err
	}
	outcomeAt := slices.Index(m.Dimensions, o.Name)
	dims := append(slices.Clone(groups), outcomeAt)
	if !m.Publishes(dims) {
		if len(groups) > asked {
			return CohortTable{}, partnernet.InputError("groupBy", "group by one of COHORT and PARTICIPATION besides MUNICIPALITY")
		}
		return CohortTable{}, partnernet.InputError("groupBy", "group by at most two of MUNICIPALITY, COHORT and PARTICIPATION")
	}
	keep, err := groupFilter(m, groups, req.Filter, values)
	if err != nil {
		return CohortTable{}, err
	}
	load := func(ctx context.Context, _ analytics.Measure) ([]analytics.Fact, error) {
		subjects, err := s.store.CohortSubjects(ctx)
		if err != nil {
			return nil, err
		}
		return analytics.CohortFacts(subjects, s.now()), nil
	}
	family, err := s.facts.family(ctx, m, s.threshold, load)
	if err != nil {
		return CohortTable{}, err
	}
	sizes, ok1 := family.Table(groups)
	table, ok2 := family.Table(dims)
	if !ok1 || !ok2 {
		return CohortTable{}, fmt.Errorf("analytics: %s publishes no table over %v", m.Name, dims)
	}
	out := CohortTable{Outcome: o, Programme: req.Programme, Threshold: s.threshold, Groups: []analytics.CohortGroup{}}
	for _, i := range groups {
		switch m.Dimensions[i] {
		case analytics.DimMunicipality:
			out.GroupBy = append(out.GroupBy, GroupMunicipality)
		case analytics.DimCohort:
			out.GroupBy = append(out.GroupBy, GroupCohort)
		default:
			out.GroupBy = append(out.GroupBy, GroupParticipation)
		}
	}
	for _, g := range analytics.ReadCohort(o, sizes, table, s.threshold) {
		if keep(g.Key) {
			out.Groups = append(out.Groups, g)
		}
	}
	return out, nil
}

// groupFilter validates a cohort filter against the groupings chosen and returns what selects
// groups; values are the municipalities to keep (the request's, narrowed to the scope).
func groupFilter(m analytics.Measure, groups []int, f CohortFilter, values map[string][]string) (func([]string) bool, error) {
	position := func(dim string) int {
		for p, i := range groups {
			if m.Dimensions[i] == dim {
				return p
			}
		}
		return -1
	}
	cohortAt := position(analytics.DimCohort)
	for field, v := range map[string]string{"filter.from": f.From, "filter.until": f.Until} {
		if v == "" {
			continue
		}
		if !cohortPattern.MatchString(v) {
			return nil, partnernet.InputError(field, "a cohort is YYYY-Qn, such as 2025-Q3")
		}
		if cohortAt < 0 {
			return nil, partnernet.InputError(field, "a range of cohorts needs the COHORT grouping: a filter selects groups, it never changes one")
		}
	}
	if f.From != "" && f.Until != "" && f.Until < f.From {
		return nil, partnernet.InputError("filter.until", "until comes before from")
	}
	municipalityAt := position(analytics.DimMunicipality)
	kept := values[analytics.DimMunicipality]
	if len(kept) > 0 && municipalityAt < 0 {
		return nil, partnernet.InputError("filter.municipalityCodes", "a filter on municipalities needs the MUNICIPALITY grouping")
	}
	return func(key []string) bool {
		if cohortAt >= 0 && ((f.From != "" && key[cohortAt] < f.From) || (f.Until != "" && key[cohortAt] > f.Until)) {
			return false
		}
		return municipalityAt < 0 || len(kept) == 0 || slices.Contains(kept, key[municipalityAt])
	}, nil
}
