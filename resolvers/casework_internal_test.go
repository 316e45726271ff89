package resolvers

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
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

// TestCommitUnderAKeyKeepsNothingWhenTheAuditFails checks the core every mutation writes
// through, under an idempotency key and with several audit entries: when one entry cannot be
// written, neither the write, nor any entry, nor the key is kept, so that a retry with the key
// really runs; once it commits, a retry with the key writes and audits nothing.
func TestCommitUnderAKeyKeepsNothingWhenTheAuditFails(t *testing.T) {
	t.Parallel()
	ctx := authz.WithPrincipal(context.Background(), authz.Principal{Subject: "c", OrganisationID: 1})
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	var orgID int64
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO organisation (slug, name, kind, sector)
		VALUES ('kommunen', 'Kommunen', 'MUNICIPALITY', 'PUBLIC') RETURNING id`).Scan(&orgID))
	course := partnernet.Course{OrganisationID: orgID, Title: "Samhällsorientering", Language: "ar", Communicator: "c", RequiredSessions: 1}
	rt := retry{key: "k", operation: "create course", field: "input.idempotencyKey"}
	entries := func(second string) func(partnernet.Course) []partnernet.AuditEvent {
		return func(partnernet.Course) []partnernet.AuditEvent {
			return []partnernet.AuditEvent{
				{Subject: "c", Action: partnernet.AuditCreateCourse, Decision: partnernet.AuditDone, Reason: "course"},
				{Subject: "c", Action: partnernet.AuditCreateCourse, Decision: partnernet.AuditDone, Reason: second},
			}
		}
	}
	counts := func() (rows, audits, keys int) {
		require.NoError(t, pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM shk_course), (SELECT count(*) FROM audit_event),
			(SELECT count(*) FROM idempotency_key)`).Scan(&rows, &audits, &keys))
		return rows, audits, keys
	}
	write := func(tx *store.Store) (partnernet.Course, error) { return tx.CourseCreate(ctx, course) }
	tests := []struct {
		name       string
		second     string
		wantErr    bool
		wantRows   int
		wantAudits int
		wantKeys   int
	}{
		{"the second entry is refused", strings.Repeat("x", 201), true, 0, 0, 0},
		{"all is written", "again", false, 1, 2, 1},
		{"a retry with the key", "again", false, 1, 2, 1},
	}
	var first *partnernet.Course
	for _, tt := range tests {
		got, err := commit(ctx, st, rt, write, entries(tt.second), nil)
		if tt.wantErr {
			require.Error(t, err, tt.name)
			require.Nil(t, got, tt.name)
		} else {
			require.NoError(t, err, tt.name)
			if first == nil {
				first = got
			}
			require.Equal(t, first.ID, got.ID, "%s: the retry returns the first result", tt.name)
		}
		rows, audits, keys := counts()
		require.Equal(t, tt.wantRows, rows, tt.name)
		require.Equal(t, tt.wantAudits, audits, tt.name)
		require.Equal(t, tt.wantKeys, keys, tt.name)
	}
}
