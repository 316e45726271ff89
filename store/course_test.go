package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/store"
)

// courseAdviceBundle is a fresh database holding two municipalities' organisations and two
// newcomers registered by the first.
type courseAdviceBundle struct {
	st          *store.Store
	ctx         context.Context
	org, other  int64
	newcomers   [2]int64
	municipalID int64
}

func setupCourseAdvice(t *testing.T) courseAdviceBundle {
	t.Helper()
	pool := dbtest.NewPool(t)
	b := courseAdviceBundle{st: store.New(pool), ctx: context.Background()}
	require.NoError(t, pool.QueryRow(b.ctx, `
WITH m AS (INSERT INTO municipality (code, name) VALUES ('1280', 'Malmö'), ('1281', 'Lund') RETURNING id, code),
     o AS (INSERT INTO organisation (slug, name, kind, sector, home_municipality_id)
           SELECT 'org-' || code, 'Kommun ' || code, 'MUNICIPALITY', 'PUBLIC', id FROM m RETURNING id, slug, home_municipality_id)
SELECT (SELECT id FROM o WHERE slug = 'org-1280'), (SELECT id FROM o WHERE slug = 'org-1281'),
       (SELECT home_municipality_id FROM o WHERE slug = 'org-1280')`).Scan(&b.org, &b.other, &b.municipalID))
	for i := range b.newcomers {
		require.NoError(t, pool.QueryRow(b.ctx, `INSERT INTO newcomer (controller_id, municipality_id, display_name)
VALUES ($1, $2, 'Test Testsson') RETURNING id`, b.org, b.municipalID).Scan(&b.newcomers[i]))
	}
	return b
}

func TestCourseParticipationAttendanceAndCompletion(t *testing.T) {
	t.Parallel()
	b := setupCourseAdvice(t)
	c, err := b.st.CourseCreate(b.ctx, partnernet.Course{
		OrganisationID: b.org, MunicipalityID: &b.municipalID, Title: "Samhällsorientering", Language: "ar",
		Communicator: "communicator@malmo", RequiredSessions: 2,
	})
	require.NoError(t, err)
	require.Positive(t, c.ID)
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	var sessions []partnernet.CourseSession
	for i, kind := range []partnernet.CourseSessionKind{partnernet.SessionLesson, partnernet.SessionLesson, partnernet.SessionWelcomeVisit} {
		s, err := b.st.CourseSessionCreate(b.ctx, partnernet.CourseSession{
			CourseID: c.ID, Kind: kind, StartsAt: start.AddDate(0, 0, 7*i), EndsAt: start.AddDate(0, 0, 7*i).Add(2 * time.Hour),
			Topic: "Tema", Place: "Medborgarhuset",
		})
		require.NoError(t, err)
		require.Equal(t, b.org, s.OrganisationID, "a session carries its course's organisation")
		sessions = append(sessions, s)
	}
	p, err := b.st.CourseParticipantCreate(b.ctx, c.ID, b.newcomers[0], "communicator@malmo")
	require.NoError(t, err)
	_, err = b.st.CourseParticipantCreate(b.ctx, c.ID, b.newcomers[0], "communicator@malmo")
	require.ErrorIs(t, err, partnernet.ErrConflict, "a newcomer is enrolled once")
	_, err = b.st.CourseParticipantGet(b.ctx, c.ID, b.newcomers[1])
	require.ErrorIs(t, err, partnernet.ErrNotFound)

	// The last record of a session counts; only presence counts as attended.
	steps := []struct {
		session int
		present bool
		want    int
	}{
		{0, true, 1},
		{1, false, 1},
		{1, true, 2},
		{0, false, 1},
		{2, true, 2},
	}
	for _, tt := range steps {
		_, err := b.st.AttendanceRecord(b.ctx, sessions[tt.session].ID, p.ID, tt.present, "communicator@malmo")
		require.NoError(t, err)
		got, err := b.st.CourseParticipantGet(b.ctx, c.ID, b.newcomers[0])
		require.NoError(t, err)
		require.Equal(t, tt.want, got.Attended, "after session %d present=%v", tt.session, tt.present)
	}
	byParticipant, err := b.st.AttendanceListByParticipants(b.ctx, []int64{p.ID})
	require.NoError(t, err)
	require.Len(t, byParticipant, 3, "one record per session")
	require.Equal(t, sessions[0].ID, byParticipant[0].SessionID, "in session order")

	done, err := b.st.CourseParticipantComplete(b.ctx, p.ID, "communicator@malmo")
	require.NoError(t, err)
	require.NotNil(t, done.CompletedAt)
	require.Equal(t, "communicator@malmo", *done.CompletedBy)

	page, err := b.st.CourseParticipantListByNewcomers(b.ctx, b.newcomers[:], struct{}{}, store.Order{Column: store.OrderEnrolledAt}, store.Page{Limit: 10})
	require.NoError(t, err)
	require.Len(t, page[b.newcomers[0]].Rows, 1)
	require.Empty(t, page[b.newcomers[1]].Rows)

	// The visibility scope of course lists: none by default.
	n, err := b.st.CourseCount(b.ctx, store.CourseFilter{})
	require.NoError(t, err)
	require.Zero(t, n)
	n, err = b.st.CourseCount(b.ctx, store.CourseFilter{Organisations: partnernet.OrgScope{IDs: []int64{b.other}}})
	require.NoError(t, err)
	require.Zero(t, n)
	n, err = b.st.CourseCount(b.ctx, store.CourseFilter{Organisations: partnernet.OrgScope{IDs: []int64{b.org}}, Languages: []string{"ar"}})
	require.NoError(t, err)
	require.Equal(t, 1, n)
}
