package resolvers

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/store"
)

// AggregateFilter selects cells of an aggregate: a period of whole months (YYYY-MM, inclusive;
// "" for an open end) and, per dimension, the values to keep.
type AggregateFilter struct {
	From, Until string
	Values      map[string][]string
}

// monthPattern is a month as filters give it.
var monthPattern = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// threshold is the suppression threshold of the aggregates.
func (r *Resolver) threshold() int {
	if r.SuppressionThreshold <= 0 {
		return analytics.DefaultThreshold
	}
	return r.SuppressionThreshold
}

// authorizeAggregates lets analysts and the network lead's network admins through.
func (r *Resolver) authorizeAggregates(ctx context.Context) error {
	var lead int64
	o, err := r.Store.OrganisationGetBySlug(ctx, authz.NetworkLeadSlug)
	switch {
	case err == nil:
		lead = o.ID
	case !errors.Is(err, partnernet.ErrNotFound):
		return err
	}
	return r.Authz.Authorize(ctx, authz.AnalyticsAggregate, authz.Read, lead)
}

// Aggregate returns the aggregate of measure broken down by dims, protected as a whole and then
// narrowed by f: for analysts and the network lead. GraphQL and the CSV export both serve it.
// Bad measures, dimensions and filters are BAD_USER_INPUT errors naming the argument.
func (r *Resolver) Aggregate(ctx context.Context, measure string, dims []string, f AggregateFilter) (analytics.Table, error) {
	if err := r.authorizeAggregates(ctx); err != nil {
		return analytics.Table{}, err
	}
	m, ok := analytics.MeasureNamed(measure)
	if !ok {
		return analytics.Table{}, partnernet.InputError("measure", "unknown measure %q", measure)
	}
	var chosen []int
	for _, d := range dims {
		i := slices.Index(m.Dimensions, d)
		if i < 0 || slices.Contains(m.Internal, d) {
			return analytics.Table{}, partnernet.InputError("dimensions", "%s has no dimension %q", m.Name, d)
		}
		if slices.Contains(chosen, i) {
			return analytics.Table{}, partnernet.InputError("dimensions", "dimension %s is named twice", d)
		}
		chosen = append(chosen, i)
	}
	if len(chosen) > analytics.MaxDimensions {
		return analytics.Table{}, partnernet.InputError("dimensions", "break down by at most %d dimensions", analytics.MaxDimensions)
	}
	slices.Sort(chosen)
	keep, err := cellFilter(m, chosen, f)
	if err != nil {
		return analytics.Table{}, err
	}
	t, err := r.Facts.table(ctx, m, chosen, r.threshold(), r.Store.AnalyticsFacts)
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

// filterOf converts the schema's filter.
func filterOf(f *model.AnalyticsFilter) AggregateFilter {
	var out AggregateFilter
	if f == nil {
		return out
	}
	if f.From != nil {
		out.From = *f.From
	}
	if f.Until != nil {
		out.Until = *f.Until
	}
	for _, v := range f.Values {
		if v == nil {
			continue
		}
		if out.Values == nil {
			out.Values = map[string][]string{}
		}
		out.Values[string(v.Dimension)] = append(out.Values[string(v.Dimension)], v.Values...)
	}
	return out
}

// protectedFacts loads a measure's facts and protects its table over the named dimensions, as a
// whole.
func (r *Resolver) protectedFacts(ctx context.Context, m analytics.Measure, dims ...string) (analytics.Table, error) {
	var chosen []int
	for _, d := range dims {
		chosen = append(chosen, slices.Index(m.Dimensions, d))
	}
	slices.Sort(chosen)
	return r.Facts.table(ctx, m, chosen, r.threshold(), r.Store.AnalyticsFacts)
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

// PartnerNetworkOf returns the partner network of a programme ("" for all) and a period of
// months (YYYY-MM, inclusive; "" for open ends), for analysts and the network lead: what the
// partnerNetwork query gives, for the CSV export. Bad arguments are BAD_USER_INPUT errors.
func (r *Resolver) PartnerNetworkOf(ctx context.Context, programme, from, until string) (*model.PartnerNetwork, error) {
	if err := r.authorizeAggregates(ctx); err != nil {
		return nil, err
	}
	f := &model.PartnerNetworkFilter{}
	if programme != "" {
		code := partnernet.ProgrammeCode(programme)
		if !slices.Contains(code.Values(), programme) {
			return nil, partnernet.InputError("programme", "unknown programme %q", programme)
		}
		f.Programme = &code
	}
	if from != "" {
		f.From = &from
	}
	if until != "" {
		f.Until = &until
	}
	return r.network(ctx, f)
}

// network builds the partner network of a filter from the protected tables.
func (r *Resolver) network(ctx context.Context, f *model.PartnerNetworkFilter) (*model.PartnerNetwork, error) {
	var nf analytics.NetworkFilter
	if f != nil {
		if f.Programme != nil {
			nf.Programme = string(*f.Programme)
		}
		for field, v := range map[string]*string{"filter.from": f.From, "filter.until": f.Until} {
			if v != nil && !monthPattern.MatchString(*v) {
				return nil, partnernet.InputError(field, "a month is YYYY-MM")
			}
		}
		if f.From != nil {
			nf.From = *f.From
		}
		if f.Until != nil {
			nf.Until = *f.Until
		}
	}
	orgs, err := r.Store.OrganisationList(ctx, store.OrganisationFilter{}, store.Order{Column: store.OrderName}, store.Page{Limit: 10_000})
	if err != nil {
		return nil, err
	}
	bySlug := map[string]*partnernet.Organisation{}
	var in analytics.NetworkInput
	for i := range orgs.Rows {
		o := &orgs.Rows[i]
		bySlug[o.Slug] = o
		in.Organisations = append(in.Organisations, analytics.Organisation{Slug: o.Slug, Name: o.Name})
	}
	// Each table is protected over the dimensions the filter needs only (organisations, plus
	// programme and month when filtered by them), and laid out as BuildNetwork reads it.
	needed := func(dims ...string) []string {
		if nf.Programme != "" {
			dims = append(dims, analytics.DimProgramme)
		}
		if nf.From != "" || nf.Until != "" {
			dims = append(dims, analytics.DimMonth)
		}
		return dims
	}
	layout := []string{analytics.DimMonth, analytics.DimProgramme, analytics.DimOrganiser}
	part, err := r.protectedFacts(ctx, analytics.Enrolments, needed(analytics.DimOrganiser)...)
	if err != nil {
		return nil, err
	}
	in.Participation = laidOut(part, layout)
	refDims := []string{analytics.DimFromOrganisation, analytics.DimToOrganisation}
	if nf.From != "" || nf.Until != "" {
		refDims = append(refDims, analytics.DimMonth) // referrals belong to no programme
	}
	refs, err := r.protectedFacts(ctx, analytics.Referrals, refDims...)
	if err != nil {
		return nil, err
	}
	in.Referrals = laidOut(refs, []string{analytics.DimMonth, analytics.DimFromOrganisation, analytics.DimToOrganisation})
	shared, err := r.Store.SharedParticipantFacts(ctx)
	if err != nil {
		return nil, err
	}
	pairs := analytics.Measure{Name: "SHARED", Dimensions: layout, Distinct: true}
	var chosen []int
	for _, d := range needed(analytics.DimOrganiser) {
		chosen = append(chosen, slices.Index(layout, d))
	}
	slices.Sort(chosen)
	sharedFamily, err := pairs.Protect(shared, r.threshold())
	if err != nil {
		return nil, err
	}
	sharedTable, _ := sharedFamily.Table(chosen)
	in.Shared = laidOut(sharedTable, layout)
	co, err := r.Store.AnalyticsCoOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range co {
		in.CoOrganised = append(in.CoOrganised, analytics.CoOrganised{A: c.Organiser, B: c.CoOrganiser, Programme: c.Programme, Month: c.Month})
	}
	n := analytics.BuildNetwork(in, nf)
	out := &model.PartnerNetwork{Threshold: r.threshold(), Nodes: []*model.NetworkNode{}, Edges: []*model.NetworkEdge{}}
	for _, node := range n.Nodes {
		out.Nodes = append(out.Nodes, &model.NetworkNode{
			Organisation: bySlug[node.Slug], Participation: node.Participation.Value,
			ParticipationSuppressed: node.Participation.Suppressed, Degree: node.Degree,
			Betweenness: node.Betweenness, PageRank: node.PageRank,
		})
	}
	for _, e := range n.Edges {
		out.Edges = append(out.Edges, &model.NetworkEdge{
			Source: bySlug[e.A], Target: bySlug[e.B], CoOrganisedActivities: e.CoOrganisedActivities,
			Referrals: e.Referrals.Value, ReferralsSuppressed: e.Referrals.Suppressed,
			SharedParticipants: e.SharedParticipants.Value, SharedParticipantsSuppressed: e.SharedParticipants.Suppressed,
			Weight: e.Weight,
		})
	}
	return out, nil
}

// researchCategories are the categories a research extract may hold.
var researchCategories = []partnernet.DataCategory{
	partnernet.CategoryIdentity, partnernet.CategoryLanguages, partnernet.CategoryParticipation,
}

// extract makes a research extract for the principal's organisation: every subject's categories
// decided by authz (audited per person), pseudonymised with a fresh key, generalised, and the
// extract itself audited with its audit entry committed before it is returned.
func (r *Resolver) extract(ctx context.Context, in model.ResearchExtractInput) (*model.ResearchExtract, error) {
	if err := r.Authz.AuthorizeExtract(ctx); err != nil {
		return nil, err
	}
	if len(in.Categories) == 0 {
		return nil, partnernet.InputError("input.categories", "ask for at least one category")
	}
	var categories []partnernet.DataCategory
	for _, c := range in.Categories {
		if !slices.Contains(researchCategories, c) {
			return nil, partnernet.InputError("input.categories", "a research extract holds IDENTITY, LANGUAGES and PARTICIPATION only")
		}
		if !slices.Contains(categories, c) {
			categories = append(categories, c)
		}
	}
	p := authz.PrincipalFrom(ctx)
	subjects, err := r.Store.ResearchSubjects(ctx, p.OrganisationID)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("research extract key: %w", err)
	}
	out := &model.ResearchExtract{CreatedAt: time.Now().UTC(), Categories: categories, Rows: []*model.ResearchRow{}}
	for _, s := range subjects {
		released, err := r.Authz.ResearchRelease(ctx, authz.NewcomerRef{ID: s.NewcomerID, ControllerID: s.ControllerID},
			categories, authz.GrantsFrom(s.Consents))
		if err != nil {
			continue // no category released: the person is left out
		}
		out.Rows = append(out.Rows, researchRow(key, s, released))
	}
	slices.SortFunc(out.Rows, func(a, b *model.ResearchRow) int { return strings.Compare(a.Pseudonym, b.Pseudonym) })
	names := make([]string, len(categories))
	for i, c := range categories {
		names[i] = string(c)
	}
	event := authz.Event(ctx, partnernet.AuditResearchExtract, 0,
		fmt.Sprintf("%d rows; %s", len(out.Rows), strings.Join(names, ",")))
	event.Categories = names
	if err := r.Store.AuditInsert(ctx, []partnernet.AuditEvent{event}); err != nil {
		return nil, err
	}
	return out, nil
}

// pseudonym is the keyed hash of a newcomer: HMAC-SHA256 under the extract's key, hex.
func pseudonym(key []byte, newcomerID int64) string {
	h := hmac.New(sha256.New, key)
	_, _ = fmt.Fprintf(h, "newcomer:%d", newcomerID)
	return hex.EncodeToString(h.Sum(nil))
}

// researchRow generalises a subject into a row holding the released categories only.
func researchRow(key []byte, s store.ResearchSubject, released []partnernet.DataCategory) *model.ResearchRow {
	row := &model.ResearchRow{Pseudonym: pseudonym(key, s.NewcomerID), Categories: released}
	for _, c := range released {
		switch c {
		case partnernet.CategoryIdentity:
			if s.BirthYear != nil {
				lo := *s.BirthYear / 5 * 5
				band := fmt.Sprintf("%d-%d", lo, lo+4)
				row.BirthYearBand = &band
			}
			row.Gender = s.Gender
			municipality := s.Municipality
			row.Municipality = &municipality
			registered := s.RegisteredAt.In(partnernet.Stockholm).Format("2006-01")
			row.RegisteredMonth = &registered
			if s.ArrivalDate != nil {
				arrived := s.ArrivalDate.Format("2006-01")
				row.ArrivalMonth = &arrived
			}
		case partnernet.CategoryLanguages:
			row.Languages = s.Languages
		case partnernet.CategoryParticipation:
			n, completed := s.Enrolments, s.ShkCompleted
			row.Enrolments, row.ActivityCategories, row.ShkCompleted = &n, s.ActivityCategories, &completed
		}
	}
	return row
}

// adviceStatistics is the RÅDRUM statistics by desk, month and topic: the protected table of
// ADVICE_VISITS by those dimensions, so that it cannot be differenced against the analytics
// tables, narrowed to the whole months (in Swedish time) from since's to the one before until.
func (r *Resolver) adviceStatistics(ctx context.Context, since, until time.Time) ([]*partnernet.AdviceVisitCount, error) {
	t, err := r.protectedFacts(ctx, analytics.AdviceVisits, analytics.DimMonth, analytics.DimTopic, analytics.DimDesk)
	if err != nil {
		return nil, err
	}
	first := since.In(partnernet.Stockholm).Format("2006-01")
	last := until.Add(-time.Nanosecond).In(partnernet.Stockholm).Format("2006-01")
	out := []*partnernet.AdviceVisitCount{}
	for _, c := range t.Cells { // keyed month, topic, desk
		if c.Key[0] < first || c.Key[0] > last {
			continue
		}
		desk, err := strconv.ParseInt(c.Key[2], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("advice statistics: desk %q: %w", c.Key[2], err)
		}
		out = append(out, &partnernet.AdviceVisitCount{DeskID: desk, Month: c.Key[0], Topic: partnernet.AdviceTopic(c.Key[1]), Visits: c.Count})
	}
	slices.SortFunc(out, func(a, b *partnernet.AdviceVisitCount) int {
		if a.DeskID != b.DeskID {
			return cmp.Compare(a.DeskID, b.DeskID)
		}
		return strings.Compare(a.Month+string(a.Topic), b.Month+string(b.Topic))
	})
	return out, nil
}
