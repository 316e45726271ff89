package resolvers_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/analytics/attack"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/server"
)

const analyticsQuery = `query($m: AnalyticsMeasure!, $d: [AnalyticsDimension!]!, $f: AnalyticsFilter) {
  analytics(measure: $m, dimensions: $d, filter: $f) { measure dimensions threshold cells { values count suppressed } } }`

// table is an aggregate as the API returns it.
type table struct {
	Measure    string   `json:"measure"`
	Dimensions []string `json:"dimensions"`
	Threshold  int      `json:"threshold"`
	Cells      []struct {
		Values     []string `json:"values"`
		Count      *int     `json:"count"`
		Suppressed bool     `json:"suppressed"`
	} `json:"cells"`
}

// analyticsEnv is the demo network with the analytics demo data, its analytics kept for an hour
// (none of these tests changes what they count).
func analyticsEnv(t testing.TB, opts ...apitest.Option) *apitest.Env {
	t.Helper()
	opts = append([]apitest.Option{func(c *server.Config) { c.AnalyticsCacheTTL = time.Hour }}, opts...)
	env := apitest.New(t, opts...)
	require.NoError(t, seed.LoadAnalyticsDemo(context.Background(), env.Store, 1))
	return env
}

// aggregate asks for an aggregate as p and returns it, failing on any error.
func aggregate(t *testing.T, env *apitest.Env, p authz.Principal, measure string, dims []string, filter map[string]any) table {
	t.Helper()
	vars := map[string]any{"m": measure, "d": dims}
	if filter != nil {
		vars["f"] = filter
	}
	resp := env.Do(t, p, analyticsQuery, vars)
	require.Empty(t, resp.Errors, "%s by %v", measure, dims)
	var got struct{ Analytics table }
	resp.Decode(t, &got)
	return got.Analytics
}

func TestAnalyticsAccess(t *testing.T) {
	t.Parallel()
	env := analyticsEnv(t)
	queries := []string{
		`{ analytics(measure: ENROLMENTS, dimensions: [MONTH]) { dimensions } }`,
		`{ cohortAnalytics(measure: SHK_START, groupBy: [COHORT]) { groupBy } }`,
		`{ partnerNetwork { threshold } }`,
	}
	tests := []struct {
		name      string
		principal authz.Principal
		// wantCodes are the codes of the queries in order, "" for answered.
		wantCodes []string
	}{
		{"an analyst", staff(t, env, "malmo-universitet", authz.RoleAnalyst), []string{"", "", ""}},
		{"the network lead", staff(t, env, authz.NetworkLeadSlug, authz.RoleNetworkAdmin), []string{"", "", ""}},
		{"a network admin elsewhere", staff(t, env, "malmo", authz.RoleNetworkAdmin), []string{"FORBIDDEN", "FORBIDDEN", "FORBIDDEN"}},
		// A municipality's coordinator: the aggregates of its own newcomers, by MUNICIPALITY.
		{"a municipality's coordinator", staff(t, env, "malmo", authz.RoleCoordinator), []string{"", "", "FORBIDDEN"}},
		{"a coordinator elsewhere", staff(t, env, "abf", authz.RoleCoordinator), []string{"FORBIDDEN", "FORBIDDEN", "FORBIDDEN"}},
		{"anonymous", anonymous, []string{"UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, q := range queries {
				resp := env.Do(t, tt.principal, q, nil)
				if tt.wantCodes[i] == "" {
					require.Empty(t, resp.Errors, q)
					if tt.principal.Subject == "coordinator@malmo" {
						require.Contains(t, string(resp.Data), `"MUNICIPALITY"`, "a coordinator's aggregates are by municipality")
					}
					continue
				}
				require.Equal(t, []string{tt.wantCodes[i]}, resp.Codes(), q)
			}
		})
	}
}

func TestAnalyticsMeasures(t *testing.T) {
	t.Parallel()
	env := analyticsEnv(t)
	analyst := staff(t, env, "malmo-universitet", authz.RoleAnalyst)
	tests := []struct {
		measure string
		dims    []string
	}{
		{"ENROLMENTS", []string{"MONTH", "PROGRAMME"}},
		{"ENROLMENTS", []string{"CATEGORY", "GENDER"}},
		{"ENROLMENTS", []string{"LANGUAGE"}},
		{"ENROLMENTS", []string{"MUNICIPALITY", "AGE_BAND"}},
		{"REACH", []string{"MONTH", "GENDER"}},
		{"SHK_PARTICIPANTS", []string{"OUTCOME"}},
		{"ADVICE_VISITS", []string{"MONTH", "TOPIC"}},
		{"REFERRALS", []string{"FROM_ORGANISATION", "TO_ORGANISATION", "OUTCOME"}},
		{"CONSENT_COVERAGE", []string{"PURPOSE", "OUTCOME"}},
		{"ATTENDANCE", []string{"ORGANISER", "OUTCOME"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.measure, tt.dims), func(t *testing.T) {
			got := aggregate(t, env, analyst, tt.measure, tt.dims, nil)
			require.Equal(t, tt.measure, got.Measure)
			require.Equal(t, 5, got.Threshold)
			require.NotEmpty(t, got.Cells)
			visible := 0
			for _, c := range got.Cells {
				require.Len(t, c.Values, len(got.Dimensions))
				require.Equal(t, c.Count == nil, c.Suppressed)
				if c.Count != nil {
					require.GreaterOrEqual(t, *c.Count, 5, "a small count is never published")
					visible++
				}
			}
			require.Positive(t, visible, "the demo data has counts to show")
		})
	}
	// Breaking down by a dimension orders the table's dimensions as the measure does.
	got := aggregate(t, env, analyst, "ENROLMENTS", []string{"GENDER", "MONTH"}, nil)
	require.Equal(t, []string{"MONTH", "GENDER"}, got.Dimensions)
}

func TestAnalyticsRefusesBadInput(t *testing.T) {
	t.Parallel()
	env := analyticsEnv(t)
	analyst := staff(t, env, "malmo-universitet", authz.RoleAnalyst)
	tests := []struct {
		name      string
		measure   string
		dims      []string
		filter    map[string]any
		wantField string
	}{
		{"a dimension the measure lacks", "ADVICE_VISITS", []string{"GENDER"}, nil, "dimensions"},
		{"a dimension twice", "ENROLMENTS", []string{"MONTH", "MONTH"}, nil, "dimensions"},
		{"a period without months", "ENROLMENTS", []string{"GENDER"}, map[string]any{"from": "2026-01"}, "filter.from"},
		{"a malformed month", "ENROLMENTS", []string{"MONTH"}, map[string]any{"until": "2026-13"}, "filter.until"},
		{"a period backwards", "ENROLMENTS", []string{"MONTH"}, map[string]any{"from": "2026-05", "until": "2026-01"}, "filter.until"},
		{"a filter on a dimension not broken down by", "ENROLMENTS", []string{"MONTH"},
			map[string]any{"values": []map[string]any{{"dimension": "GENDER", "values": []string{"FEMALE"}}}}, "filter.values"},
		{"more than three dimensions", "ENROLMENTS", []string{"MONTH", "PROGRAMME", "GENDER", "AGE_BAND"}, nil, "dimensions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := env.Do(t, analyst, analyticsQuery, map[string]any{"m": tt.measure, "d": tt.dims, "f": tt.filter})
			require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes())
			require.Equal(t, tt.wantField, resp.Errors[0].Extensions["field"])
		})
	}
}

// TestAnalyticsResistsDifferencingAttacks mounts the differencing attack on the demo data
// through the API, for every measure: it asks for every table an analyst may (every set of at
// most three dimensions, the total without any among them; for ADVICE_VISITS also the RÅDRUM
// statistics by desk), differences every pair through the dimensions they share, feeds what
// each difference reveals into the others, and fails if any small count follows. Then two
// queries that differ by one filter value or one month must agree on every cell they share.
func TestAnalyticsResistsDifferencingAttacks(t *testing.T) {
	t.Parallel()
	env := analyticsEnv(t)
	analyst := staff(t, env, "malmo-universitet", authz.RoleAnalyst)
	rule := attack.Rule{Threshold: analytics.DefaultThreshold, Base: analytics.RoundingBase}
	for _, m := range analytics.Measures {
		t.Run(m.Name, func(t *testing.T) {
			facts, err := env.Store.AnalyticsFacts(context.Background(), m)
			require.NoError(t, err)
			var held []attack.Table
			for _, dims := range analytics.Sets(m.Dimensions, m.Internal, analytics.MaxDimensions) {
				names := make([]string, len(dims))
				for i, d := range dims {
					names[i] = m.Dimensions[d]
				}
				got := aggregate(t, env, analyst, m.Name, names, nil)
				cells := map[string]*int{}
				for _, c := range got.Cells {
					cells[strings.Join(c.Values, "|")] = c.Count
				}
				held = append(held, attack.Table{Dimensions: got.Dimensions, Cells: cells})
			}
			if m.Name == analytics.AdviceVisits.Name {
				held = append(held, adviceStatisticsTable(t, env, analyst))
			}
			truth := factTruth(m, facts)
			bounds := attack.Differencing{Tables: held, Rule: rule, Distinct: m.Distinct, Truth: truth}.Bounds()
			small := 0
			for ti, tb := range held {
				for k, v := range tb.Cells {
					var key []string
					if len(tb.Dimensions) > 0 {
						key = strings.Split(k, "|")
					}
					n, b := truth(tb.Dimensions, key), bounds[attack.Cell{Table: ti, Key: k}]
					require.True(t, b[0] <= n && n <= b[1], "the attacker's bounds hold the truth")
					if n >= rule.Threshold {
						if v != nil {
							require.Equal(t, rule.Round(n), *v, "%v=%s is published rounded", tb.Dimensions, k)
						}
						continue
					}
					small++
					require.Nil(t, v, "the small count of %v=%s is suppressed", tb.Dimensions, k)
					require.Less(t, b[0], b[1], "the small count of %v=%s (%d) follows from differencing: %v", tb.Dimensions, k, n, b)
				}
			}
			require.Positive(t, small, "the demo data has small counts to attack")
		})
	}

	// Two queries differing by one filter value, or by one month, publish the same value for
	// every cell they share: their difference is made of published cells only.
	byGender := func(genders ...string) map[string]any {
		return map[string]any{"from": "2026-05", "values": []map[string]any{{"dimension": "GENDER", "values": genders}}}
	}
	overlapping := []struct {
		name       string
		wide, narr map[string]any
	}{
		{"one gender more", byGender("FEMALE", "MALE"), byGender("FEMALE")},
		{"one month more", map[string]any{"from": "2026-05", "until": "2026-10"}, map[string]any{"from": "2026-05", "until": "2026-09"}},
	}
	all := map[string]*int{}
	for _, c := range aggregate(t, env, analyst, "ENROLMENTS", []string{"MONTH", "AGE_BAND", "GENDER"}, nil).Cells {
		all[strings.Join(c.Values, "|")] = c.Count
	}
	for _, tt := range overlapping {
		wide := aggregate(t, env, analyst, "ENROLMENTS", []string{"MONTH", "AGE_BAND", "GENDER"}, tt.wide)
		narrow := aggregate(t, env, analyst, "ENROLMENTS", []string{"MONTH", "AGE_BAND", "GENDER"}, tt.narr)
		require.Less(t, len(narrow.Cells), len(wide.Cells), tt.name)
		for _, c := range append(wide.Cells, narrow.Cells...) {
			require.Equal(t, all[strings.Join(c.Values, "|")], c.Count, "%s: a filter never changes a cell", tt.name)
		}
	}
}

// factTruth returns the true count of a cell of measure m's table over dims, from its facts.
func factTruth(m analytics.Measure, facts []analytics.Fact) func(dims, key []string) int {
	tables := map[string]map[string]int{} // by dimensions, then key
	return func(dims, key []string) int {
		name := strings.Join(dims, ",")
		if tables[name] == nil {
			counts, units := map[string]int{}, map[string]map[int64]bool{}
			for _, f := range facts {
				values := make([]string, len(dims))
				for i, d := range dims {
					values[i] = f.Values[slices.Index(m.Dimensions, d)]
				}
				k := strings.Join(values, "|")
				counts[k] += max(f.Weight, 1)
				if units[k] == nil {
					units[k] = map[int64]bool{}
				}
				units[k][f.Unit] = true
			}
			if m.Distinct {
				for k, u := range units {
					counts[k] = len(u)
				}
			}
			tables[name] = counts
		}
		return tables[name][strings.Join(key, "|")]
	}
}

// adviceStatisticsTable is the RÅDRUM statistics by desk of every month, as a table by MONTH,
// TOPIC and DESK (the desk's id).
func adviceStatisticsTable(t *testing.T, env *apitest.Env, p authz.Principal) attack.Table {
	t.Helper()
	resp := env.Do(t, p, `{ adviceVisitStatistics(since: "2024-01-01T00:00:00Z", until: "2029-01-01T00:00:00Z") { desk { id } month topic visits } }`, nil)
	require.Empty(t, resp.Errors)
	var got struct {
		AdviceVisitStatistics []struct {
			Desk   struct{ ID string }
			Month  string
			Topic  string
			Visits *int
		}
	}
	resp.Decode(t, &got)
	require.NotEmpty(t, got.AdviceVisitStatistics)
	cells := map[string]*int{}
	for _, c := range got.AdviceVisitStatistics {
		desk, err := relay.DecodeID("desk", "AdviceDesk", c.Desk.ID)
		require.NoError(t, err)
		cells[fmt.Sprintf("%s|%s|%d", c.Month, c.Topic, desk)] = c.Visits
	}
	return attack.Table{Dimensions: []string{analytics.DimMonth, analytics.DimTopic, analytics.DimDesk}, Cells: cells}
}

func TestAnalyticsThresholdIsConfigurable(t *testing.T) {
	t.Parallel()
	env := analyticsEnv(t, func(c *server.Config) { c.SuppressionThreshold = 12 })
	got := aggregate(t, env, staff(t, env, "malmo-universitet", authz.RoleAnalyst), "ENROLMENTS", []string{"MONTH", "AGE_BAND", "GENDER"}, nil)
	require.Equal(t, 12, got.Threshold)
	small := 0
	for _, c := range got.Cells {
		if c.Count != nil {
			require.GreaterOrEqual(t, *c.Count, 12)
		} else {
			small++
		}
	}
	require.Positive(t, small)
}

func TestPartnerNetwork(t *testing.T) {
	t.Parallel()
	env := analyticsEnv(t)
	analyst := staff(t, env, "malmo-universitet", authz.RoleAnalyst)
	const q = `query($f: PartnerNetworkFilter) { partnerNetwork(filter: $f) {
  nodes { organisation { slug } participation participationSuppressed degree betweenness pageRank }
  edges { source { slug } target { slug } coOrganisedActivities referrals referralsSuppressed sharedParticipants sharedParticipantsSuppressed weight } } }`
	type network struct {
		PartnerNetwork struct {
			Nodes []struct {
				Organisation            struct{ Slug string }
				Participation           *int
				ParticipationSuppressed bool
				Degree                  int
				Betweenness, PageRank   float64
			}
			Edges []struct {
				Source, Target               struct{ Slug string }
				CoOrganisedActivities        int
				Referrals                    *int
				ReferralsSuppressed          bool
				SharedParticipants           *int
				SharedParticipantsSuppressed bool
				Weight                       float64
			}
		}
	}
	get := func(filter map[string]any) network {
		resp := env.Do(t, analyst, q, map[string]any{"f": filter})
		require.Empty(t, resp.Errors)
		var n network
		resp.Decode(t, &n)
		return n
	}
	all := get(nil)
	require.Len(t, all.PartnerNetwork.Nodes, 53, "every organisation is a node")
	degrees, rank := map[string]int{}, 0.0
	for _, n := range all.PartnerNetwork.Nodes {
		degrees[n.Organisation.Slug] = n.Degree
		rank += n.PageRank
		require.Equal(t, n.Participation == nil, n.ParticipationSuppressed)
		if n.Participation != nil && *n.Participation > 0 {
			require.GreaterOrEqual(t, *n.Participation, 5, "none is a count, a small one is not")
		}
	}
	require.InDelta(t, 1.0, rank, 1e-6, "PageRank sums to one")
	require.Positive(t, degrees["im"], "IM receives referrals")
	visibleReferrals, coOrganised := 0, 0
	for _, e := range all.PartnerNetwork.Edges {
		require.Less(t, e.Source.Slug, e.Target.Slug)
		require.Equal(t, e.Referrals == nil, e.ReferralsSuppressed)
		require.Equal(t, e.SharedParticipants == nil, e.SharedParticipantsSuppressed)
		if e.Referrals != nil && *e.Referrals > 0 {
			visibleReferrals++
			require.GreaterOrEqual(t, *e.Referrals, 5)
		}
		coOrganised += e.CoOrganisedActivities
		require.GreaterOrEqual(t, e.Weight, 1.0)
	}
	require.Positive(t, visibleReferrals)
	require.Positive(t, coOrganised)

	nad := get(map[string]any{"programme": "NAD", "from": "2026-08", "until": "2026-10"})
	require.Len(t, nad.PartnerNetwork.Nodes, 53)
	require.Less(t, len(nad.PartnerNetwork.Edges), len(all.PartnerNetwork.Edges), "a programme and a period narrow the network")

	resp := env.Do(t, analyst, q, map[string]any{"f": map[string]any{"from": "August"}})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes())
}

func TestResearchExtract(t *testing.T) {
	t.Parallel()
	env := analyticsEnv(t)
	analyst := staff(t, env, "malmo-universitet", authz.RoleAnalyst)
	university := relay.ToGlobalID("Organisation", orgID(t, env, "malmo-universitet"))
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	consent := func(newcomer string, purposes, categories []string) {
		resp := env.Do(t, coordinator, `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id } }`,
			map[string]any{"in": map[string]any{
				"newcomerId": newcomer, "recipientIds": []string{university}, "purposes": purposes,
				"dataCategories": categories, "method": "WRITTEN", "noticeLanguage": "ar", "noticeVersion": "2026.1",
			}})
		require.Empty(t, resp.Errors)
	}
	const extract = `mutation($c: [DataCategory!]!) { createResearchExtract(input: { categories: $c }) {
  categories rows { pseudonym categories birthYearBand gender municipality registeredMonth languages enrolments shkCompleted } } }`
	type rows struct {
		CreateResearchExtract struct {
			Rows []struct {
				Pseudonym       string
				Categories      []string
				Municipality    *string
				RegisteredMonth *string
				Languages       []string
				Enrolments      *int
			}
		}
	}
	run := func() rows {
		resp := env.DoFor(t, analyst, partnernet.PurposeResearch, extract, map[string]any{"c": []string{"IDENTITY", "LANGUAGES", "PARTICIPATION"}})
		require.Empty(t, resp.Errors)
		var got rows
		resp.Decode(t, &got)
		return got
	}
	groups := func(r rows) map[string][]string {
		out := map[string][]string{}
		for _, row := range r.CreateResearchExtract.Rows {
			k := strings.Join(row.Categories, ",")
			out[k] = append(out[k], row.Pseudonym)
		}
		return out
	}
	before := groups(run()) // the demo network's own research consents
	full, _ := newcomerOf(t, env, "malmo")
	languagesOnly, _ := newcomerOf(t, env, "malmo")
	otherPurpose, _ := newcomerOf(t, env, "malmo")
	consent(full, []string{"RESEARCH"}, []string{"IDENTITY", "LANGUAGES", "PARTICIPATION", "HEALTH"})
	consent(languagesOnly, []string{"RESEARCH", "STATISTICS"}, []string{"LANGUAGES"})
	consent(otherPurpose, []string{"STATISTICS"}, []string{"IDENTITY", "LANGUAGES"})

	first, second := run(), run()
	for _, r := range first.CreateResearchExtract.Rows {
		require.Regexp(t, `^[0-9a-f]{64}$`, r.Pseudonym)
		if slices.Contains(r.Categories, "IDENTITY") {
			require.NotNil(t, r.Municipality)
			require.Regexp(t, `^[0-9]{4}-[0-9]{2}$`, *r.RegisteredMonth)
		} else {
			require.Nil(t, r.Municipality, "a category the consent does not cover stays out")
			require.Nil(t, r.RegisteredMonth)
		}
		if !slices.Contains(r.Categories, "PARTICIPATION") {
			require.Nil(t, r.Enrolments)
		}
	}
	pseudonyms := groups(first)
	require.Len(t, pseudonyms["IDENTITY,LANGUAGES,PARTICIPATION"], len(before["IDENTITY,LANGUAGES,PARTICIPATION"])+1,
		"the full consent is in, HEALTH never extracted")
	require.Len(t, pseudonyms["LANGUAGES"], len(before["LANGUAGES"])+1, "the consent covering languages only")
	require.Len(t, second.CreateResearchExtract.Rows, len(first.CreateResearchExtract.Rows), "the STATISTICS consent is not")
	for _, r := range second.CreateResearchExtract.Rows {
		for _, p := range pseudonyms {
			require.NotContains(t, p, r.Pseudonym, "pseudonyms differ across extracts")
		}
	}

	// Every extract is audited, and so is each person's release.
	var extracts, releases int
	require.NoError(t, env.Pool.QueryRow(context.Background(),
		`SELECT count(*) FILTER (WHERE action = 'RESEARCH_EXTRACT'), count(*) FILTER (WHERE action = 'READ' AND purpose = 'RESEARCH' AND decision = 'RELEASED')
		 FROM audit_event WHERE subject = $1`, analyst.Subject).Scan(&extracts, &releases))
	require.Equal(t, 3, extracts)
	require.GreaterOrEqual(t, releases, 4)

	refusals := []struct {
		name      string
		principal authz.Principal
		purpose   partnernet.Purpose
		wantCode  string
	}{
		{"without purpose RESEARCH", analyst, partnernet.PurposeStatistics, "FORBIDDEN"},
		{"without a purpose", analyst, "", "FORBIDDEN"},
		{"the network lead", staff(t, env, authz.NetworkLeadSlug, authz.RoleNetworkAdmin), "", "FORBIDDEN"},
		{"anonymous", anonymous, "", "UNAUTHENTICATED"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			resp := env.DoFor(t, tt.principal, tt.purpose, extract, map[string]any{"c": []string{"IDENTITY"}})
			require.Equal(t, []string{tt.wantCode}, resp.Codes())
		})
	}
	resp := env.DoFor(t, analyst, partnernet.PurposeResearch, extract, map[string]any{"c": []string{"HEALTH"}})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes())
}
