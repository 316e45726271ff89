package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

func intPtr(n int) *int { return &n }

func TestAdviceVisitStatisticsSuppressesSmallCounts(t *testing.T) {
	t.Parallel()
	b := setupCasework(t)
	desk, err := b.st.AdviceDeskCreate(b.ctx, partnernet.AdviceDesk{OrganisationID: b.org, Name: "RÅDRUM", Place: "Lokalen"})
	require.NoError(t, err)
	_, err = b.st.AdviceDeskCreate(b.ctx, partnernet.AdviceDesk{OrganisationID: b.org, Name: "RÅDRUM", Place: "Annan"})
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
	tests := []struct {
		name         string
		since, until time.Time
		want         []partnernet.AdviceVisitCount
	}{
		{
			name:  "spring",
			since: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), until: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
			want: []partnernet.AdviceVisitCount{
				{DeskID: desk.ID, Month: "2026-03", Topic: partnernet.TopicHousing, Visits: intPtr(5)},
				{DeskID: desk.ID, Month: "2026-03", Topic: partnernet.TopicWork, Visits: nil},
				{DeskID: desk.ID, Month: "2026-04", Topic: partnernet.TopicHousing, Visits: intPtr(6)},
				{DeskID: desk.ID, Month: "2026-05", Topic: partnernet.TopicMoney, Visits: nil},
			},
		},
		{
			// April in Swedish time: from 22:00 UTC on 31 March.
			name:  "the period bounds the visits",
			since: time.Date(2026, 3, 31, 22, 0, 0, 0, time.UTC), until: time.Date(2026, 4, 30, 22, 0, 0, 0, time.UTC),
			want: []partnernet.AdviceVisitCount{
				{DeskID: desk.ID, Month: "2026-04", Topic: partnernet.TopicHousing, Visits: intPtr(6)},
			},
		},
		{
			name:  "an empty period",
			since: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), until: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC),
			want: []partnernet.AdviceVisitCount{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := b.st.AdviceVisitStatistics(b.ctx, tt.since, tt.until)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestAdviceVisitsAreListedOnlyInScope(t *testing.T) {
	t.Parallel()
	b := setupCasework(t)
	desk, err := b.st.AdviceDeskCreate(b.ctx, partnernet.AdviceDesk{OrganisationID: b.org, Name: "RÅDRUM", Place: "Lokalen"})
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
