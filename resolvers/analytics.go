package resolvers

import (
	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/statistics"
)

// The analytics fields are computed, and authorised, by package statistics, which the CSV
// export shares; the resolvers convert their arguments and shape the results.

// threshold is the suppression threshold of aggregates, which availability bands follow.
func (r *Resolver) threshold() int {
	return r.Statistics.Threshold()
}

// aggregateRequest converts the arguments of the analytics query.
func aggregateRequest(measure model.AnalyticsMeasure, dimensions []model.AnalyticsDimension, f *model.AnalyticsFilter) statistics.AggregateRequest {
	req := statistics.AggregateRequest{Measure: string(measure), Dimensions: make([]string, len(dimensions))}
	for i, d := range dimensions {
		req.Dimensions[i] = string(d)
	}
	if f == nil {
		return req
	}
	if f.From != nil {
		req.Filter.From = *f.From
	}
	if f.Until != nil {
		req.Filter.Until = *f.Until
	}
	for _, v := range f.Values {
		if v == nil {
			continue
		}
		if req.Filter.Values == nil {
			req.Filter.Values = map[string][]string{}
		}
		req.Filter.Values[string(v.Dimension)] = append(req.Filter.Values[string(v.Dimension)], v.Values...)
	}
	return req
}

// tableOf shapes a protected table.
func tableOf(measure model.AnalyticsMeasure, t analytics.Table) *model.AnalyticsTable {
	out := &model.AnalyticsTable{Measure: measure, Threshold: t.Threshold, Cells: make([]*model.AnalyticsCell, 0, len(t.Cells))}
	for _, d := range t.Dimensions {
		out.Dimensions = append(out.Dimensions, model.AnalyticsDimension(d))
	}
	for _, c := range t.Cells {
		out.Cells = append(out.Cells, &model.AnalyticsCell{Values: c.Key, Count: c.Count, Suppressed: c.Suppressed})
	}
	return out
}

// cohortRequest converts the arguments of the cohortAnalytics query.
func cohortRequest(measure model.CohortMeasure, groupBy []model.CohortGrouping, programme *partnernet.ProgrammeCode, f *model.CohortFilter) statistics.CohortRequest {
	req := statistics.CohortRequest{Outcome: string(measure)}
	for _, g := range groupBy {
		req.GroupBy = append(req.GroupBy, string(g))
	}
	if programme != nil {
		req.Programme = string(*programme)
	}
	if f != nil {
		if f.From != nil {
			req.Filter.From = *f.From
		}
		if f.Until != nil {
			req.Filter.Until = *f.Until
		}
		req.Filter.Municipalities = f.MunicipalityCodes
	}
	return req
}

// cohortTableOf shapes a cohort measure.
func cohortTableOf(t statistics.CohortTable) *model.CohortTable {
	out := &model.CohortTable{Measure: model.CohortMeasure(t.Outcome.Name), Threshold: t.Threshold, Groups: make([]*model.CohortGroup, 0, len(t.Groups))}
	for _, g := range t.GroupBy {
		out.GroupBy = append(out.GroupBy, model.CohortGrouping(g))
	}
	if t.Programme != "" {
		p := partnernet.ProgrammeCode(t.Programme)
		out.Programme = &p
	}
	for _, g := range t.Groups {
		group := &model.CohortGroup{Values: g.Key, Size: g.Size, Suppressed: g.Suppressed, MedianMonths: g.Median, Estimated: g.Estimated,
			Cells: make([]*model.CohortCell, 0, len(g.Cells)), Curve: make([]*model.CurvePoint, 0, len(g.Curve))}
		for _, c := range g.Cells {
			group.Cells = append(group.Cells, &model.CohortCell{Value: c.Value, Count: c.Count, Suppressed: c.Suppressed, Share: c.Share})
		}
		for _, p := range g.Curve {
			group.Curve = append(group.Curve, &model.CurvePoint{Month: p.Month, Reached: p.Reached})
		}
		out.Groups = append(out.Groups, group)
	}
	return out
}

// networkFilterOf converts the partnerNetwork query's filter.
func networkFilterOf(f *model.PartnerNetworkFilter) analytics.NetworkFilter {
	var out analytics.NetworkFilter
	if f == nil {
		return out
	}
	if f.Programme != nil {
		out.Programme = string(*f.Programme)
	}
	if f.From != nil {
		out.From = *f.From
	}
	if f.Until != nil {
		out.Until = *f.Until
	}
	return out
}

// partnerNetworkOf shapes the partner network.
func partnerNetworkOf(n statistics.Network) *model.PartnerNetwork {
	out := &model.PartnerNetwork{Threshold: n.Threshold, Nodes: []*model.NetworkNode{}, Edges: []*model.NetworkEdge{}}
	for _, node := range n.Nodes {
		out.Nodes = append(out.Nodes, &model.NetworkNode{
			Organisation: n.Organisations[node.Slug], Participation: node.Participation.Value,
			ParticipationSuppressed: node.Participation.Suppressed, Degree: node.Degree,
			Betweenness: node.Betweenness, PageRank: node.PageRank,
		})
	}
	for _, e := range n.Edges {
		out.Edges = append(out.Edges, &model.NetworkEdge{
			Source: n.Organisations[e.A], Target: n.Organisations[e.B], CoOrganisedActivities: e.CoOrganisedActivities,
			Referrals: e.Referrals.Value, ReferralsSuppressed: e.Referrals.Suppressed,
			SharedParticipants: e.SharedParticipants.Value, SharedParticipantsSuppressed: e.SharedParticipants.Suppressed,
			Weight: e.Weight,
		})
	}
	return out
}

// researchExtractOf shapes a research extract; its rows have the fields of the schema's.
func researchExtractOf(x statistics.ResearchExtract) *model.ResearchExtract {
	out := &model.ResearchExtract{CreatedAt: x.CreatedAt, Categories: x.Categories, Rows: make([]*model.ResearchRow, len(x.Rows))}
	for i, row := range x.Rows {
		shaped := model.ResearchRow(row)
		out.Rows[i] = &shaped
	}
	return out
}
