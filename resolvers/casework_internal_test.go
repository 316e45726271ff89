package resolvers

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/store"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// TestAuditedWritesNothingWhenTheAuditFails checks that a mutation's write and its audit entry
// commit together: when the entry cannot be written, the write is rolled back.
func TestAuditedWritesNothingWhenTheAuditFails(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	orgID := testfactory.Organisation(ctx, t, pool, &testfactory.OrganisationOpts{
		Slug: "kommunen", Name: "Kommunen", Kind: partnernet.KindMunicipality,
	}).ID
	course := partnernet.Course{OrganisationID: orgID, Title: "Samhällsorientering", Language: "ar", Communicator: "c", RequiredSessions: 1}
	tests := []struct {
		name      string
		reason    string
		wantErr   bool
		wantRows  int
		wantAudit int
	}{
		{"the audit entry is refused", strings.Repeat("x", 201), true, 0, 0},
		{"both are written", "course", false, 1, 1},
	}
	for _, tt := range tests {
		got, err := audited(ctx, st, func(tx *store.Store) (partnernet.Course, error) { return tx.CourseCreate(ctx, course) },
			func(partnernet.Course) partnernet.AuditEvent {
				return partnernet.AuditEvent{Subject: "c", Action: partnernet.AuditCreateCourse, Decision: partnernet.AuditDone, Reason: tt.reason}
			})
		if tt.wantErr {
			require.Error(t, err, tt.name)
			require.Nil(t, got)
		} else {
			require.NoError(t, err, tt.name)
			require.Positive(t, got.ID)
		}
		var rows, entries int
		require.NoError(t, pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM shk_course), (SELECT count(*) FROM audit_event)").Scan(&rows, &entries))
		require.Equal(t, tt.wantRows, rows, tt.name)
		require.Equal(t, tt.wantAudit, entries, tt.name)
	}
}
