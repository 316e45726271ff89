package statistics

import (
	"context"
	"slices"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/store"
)

// Network is the partner network of a filter: its nodes and edges (organisations by slug), with
// the organisations they name and the threshold its counts were protected at.
type Network struct {
	analytics.Network
	// Organisations are the network's organisations by slug: every node's and edge's.
	Organisations map[string]*partnernet.Organisation
	// Threshold is the suppression threshold of the network's counts.
	Threshold int
}

// Network returns the partner network of f (a programme code, "" for all, and a period of
// months YYYY-MM, inclusive, "" for open ends), built from the protected tables: for analysts
// and the network lead. Refusals are UNAUTHENTICATED or FORBIDDEN; an unknown programme is a
// BAD_USER_INPUT error on programme, a malformed month one on filter.from or filter.until.
func (s *Service) Network(ctx context.Context, f analytics.NetworkFilter) (Network, error) {
	if err := s.authorizeAggregates(ctx); err != nil {
		return Network{}, err
	}
	if f.Programme != "" && !slices.Contains(partnernet.ProgrammeCode("").Values(), f.Programme) {
		return Network{}, partnernet.InputError("programme", "unknown programme %q", f.Programme)
	}
	for field, v := range map[string]string{"filter.from": f.From, "filter.until": f.Until} {
		if v != "" && !monthPattern.MatchString(v) {
			return Network{}, partnernet.InputError(field, "a month is YYYY-MM")
		}
	}
	orgs, err := s.store.OrganisationList(ctx, store.OrganisationFilter{}, store.Order{Column: store.OrderName}, store.Page{Limit: 10_000})
	if err != nil {
		return Network{}, err
	}
	out := Network{Organisations: map[string]*partnernet.Organisation{}, Threshold: s.threshold}
	var in analytics.NetworkInput
	for i := range orgs.Rows {
		o := &orgs.Rows[i]
		out.Organisations[o.Slug] = o
		in.Organisations = append(in.Organisations, analytics.Organisation{Slug: o.Slug, Name: o.Name})
	}
	// Each table is protected over the dimensions the filter needs only (organisations, plus
	// programme and month when filtered by them), and laid out as BuildNetwork reads it.
	needed := func(dims ...string) []string {
		if f.Programme != "" {
			dims = append(dims, analytics.DimProgramme)
		}
		if f.From != "" || f.Until != "" {
			dims = append(dims, analytics.DimMonth)
		}
		return dims
	}
	layout := []string{analytics.DimMonth, analytics.DimProgramme, analytics.DimOrganiser}
	part, err := s.protectedTable(ctx, analytics.Enrolments, needed(analytics.DimOrganiser)...)
	if err != nil {
		return Network{}, err
	}
	in.Participation = laidOut(part, layout)
	refDims := []string{analytics.DimFromOrganisation, analytics.DimToOrganisation}
	if f.From != "" || f.Until != "" {
		refDims = append(refDims, analytics.DimMonth) // referrals belong to no programme
	}
	refs, err := s.protectedTable(ctx, analytics.Referrals, refDims...)
	if err != nil {
		return Network{}, err
	}
	in.Referrals = laidOut(refs, []string{analytics.DimMonth, analytics.DimFromOrganisation, analytics.DimToOrganisation})
	shared, err := s.store.SharedParticipantFacts(ctx)
	if err != nil {
		return Network{}, err
	}
	pairs := analytics.Measure{Name: "SHARED", Dimensions: layout, Distinct: true}
	var chosen []int
	for _, d := range needed(analytics.DimOrganiser) {
		chosen = append(chosen, slices.Index(layout, d))
	}
	slices.Sort(chosen)
	sharedFamily, err := pairs.Protect(shared, s.threshold)
	if err != nil {
		return Network{}, err
	}
	sharedTable, _ := sharedFamily.Table(chosen)
	in.Shared = laidOut(sharedTable, layout)
	co, err := s.store.AnalyticsCoOrganisations(ctx)
	if err != nil {
		return Network{}, err
	}
	for _, c := range co {
		in.CoOrganised = append(in.CoOrganised, analytics.CoOrganised{A: c.Organiser, B: c.CoOrganiser, Programme: c.Programme, Month: c.Month})
	}
	out.Network = analytics.BuildNetwork(in, f)
	return out, nil
}

// laidOut re-keys the cells of t by the dimensions of layout, a dimension t lacks given as "".
func laidOut(t analytics.Table, layout []string) analytics.Table {
	out := analytics.Table{Dimensions: layout, Threshold: t.Threshold, Cells: make([]analytics.Published, 0, len(t.Cells))}
	for _, c := range t.Cells {
		key := make([]string, len(layout))
		for i, d := range layout {
			if j := slices.Index(t.Dimensions, d); j >= 0 {
				key[i] = c.Key[j]
			}
		}
		out.Cells = append(out.Cells, analytics.Published{Key: key, Count: c.Count, Suppressed: c.Suppressed})
	}
	return out
}
