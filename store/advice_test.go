package store_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/store"
)

// TestAdviceVisitFacts checks the facts the RÅDRUM statistics and the ADVICE_VISITS aggregates
// count: one per visit, in its month in Swedish time, with the desk's organisation and id.
func TestAdviceVisitFacts(t *testing.T) {
	t.Parallel()
	b := setupCourseAdvice(t)
	desk, err := b.st.AdviceDeskCreate(b.ctx, partnernet.AdviceDesk{OrganisationID: b.org, Name: "RÅDRUM", Place: "Lokalen"}, nil)
	require.NoError(t, err)
	_, err = b.st.AdviceDeskCreate(b.ctx, partnernet.AdviceDesk{OrganisationID: b.org, Name: "RÅDRUM", Place: "Annan"}, nil)
	require.ErrorIs(t, err, partnernet.ErrConflict, "desk names are unique within an organisation")

	march := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	visits := []struct {
		at    time.Time
		topic partnernet.AdviceTopic
		n     int
	}{
		{march, partnernet.TopicHousing, 5},
		{march, partnernet.TopicWork, 4},
		// 22:30 UTC on 31 March is 00:30 on 1 April in Sweden (summer time).
		{time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC), partnernet.TopicHousing, 6},
		{time.Date(2026, 5, 2, 9, 0, 0, 0, time.UTC), partnernet.TopicMoney, 1},
	}
	for _, v := range visits {
		for range v.n {
			_, err := b.st.AdviceVisitCreate(b.ctx, partnernet.AdviceVisit{
				DeskID: desk.ID, VisitedAt: v.at, Topic: v.topic, Adviser: "adviser@im", Outcome: "Råd givet.",
			})
			require.NoError(t, err)
		}
	}
	facts, err := b.st.AnalyticsFacts(b.ctx, analytics.AdviceVisits)
	require.NoError(t, err)
	org, err := b.st.OrganisationGetMany(b.ctx, []int64{b.org})
	require.NoError(t, err)
	counts := map[string]int{}
	for _, f := range facts {
		require.Equal(t, org[0].Slug, f.Values[3])
		require.Equal(t, strconv.FormatInt(desk.ID, 10), f.Values[4])
		counts[f.Values[0]+" "+f.Values[2]] += max(f.Weight, 1) // identical facts arrive grouped
	}
	require.Equal(t, map[string]int{
		"2026-03 HOUSING": 5, "2026-03 WORK": 4,
		"2026-04 HOUSING": 6, // in April in Sweden
		"2026-05 MONEY":   1,
	}, counts)
}

func TestAdviceVisitsAreListedOnlyInScope(t *testing.T) {
	t.Parallel()
	b := setupCourseAdvice(t)
	desk, err := b.st.AdviceDeskCreate(b.ctx, partnernet.AdviceDesk{OrganisationID: b.org, Name: "RÅDRUM", Place: "Lokalen"}, nil)
	require.NoError(t, err)
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	named, err := b.st.AdviceVisitCreate(b.ctx, partnernet.AdviceVisit{
		DeskID: desk.ID, VisitedAt: at, Topic: partnernet.TopicSchool, Adviser: "adviser@im", NewcomerID: &b.newcomers[0], Outcome: "Råd.",
	})
	require.NoError(t, err)
	require.Equal(t, b.org, named.OrganisationID)
	_, err = b.st.AdviceVisitCreate(b.ctx, partnernet.AdviceVisit{
		DeskID: desk.ID, VisitedAt: at.Add(time.Hour), Topic: partnernet.TopicOther, Adviser: "adviser@im", Outcome: "Råd.",
	})
	require.NoError(t, err)
	yes, no := true, false
	own := partnernet.OrgScope{IDs: []int64{b.org}}
	tests := []struct {
		name   string
		filter store.AdviceVisitFilter
		want   int
	}{
		{"no scope lists nothing", store.AdviceVisitFilter{}, 0},
		{"another organisation's scope", store.AdviceVisitFilter{Organisations: partnernet.OrgScope{IDs: []int64{b.other}}}, 0},
		{"own scope", store.AdviceVisitFilter{Organisations: own}, 2},
		{"anonymous only", store.AdviceVisitFilter{Organisations: own, Anonymous: &yes}, 1},
		{"named only", store.AdviceVisitFilter{Organisations: own, Anonymous: &no}, 1},
		{"by topic", store.AdviceVisitFilter{Organisations: own, Topics: []partnernet.AdviceTopic{partnernet.TopicSchool}}, 1},
		{"until", store.AdviceVisitFilter{Organisations: own, Until: &at}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := b.st.AdviceVisitList(b.ctx, tt.filter, store.Order{Column: store.OrderVisitedAt, Desc: true}, store.Page{Limit: 10})
			require.NoError(t, err)
			require.Len(t, page.Rows, tt.want)
			n, err := b.st.AdviceVisitCount(b.ctx, tt.filter)
			require.NoError(t, err)
			require.Equal(t, tt.want, n)
		})
	}
	f, err := b.st.AdviceFollowUpCreate(b.ctx, partnernet.AdviceFollowUp{VisitID: named.ID, DueAt: at.AddDate(0, 0, 14), Note: "Ring upp.", RecordedBy: "adviser@im"})
	require.NoError(t, err)
	got, err := b.st.AdviceFollowUpListByVisits(b.ctx, []int64{named.ID})
	require.NoError(t, err)
	require.Equal(t, []partnernet.AdviceFollowUp{f}, got)
}
