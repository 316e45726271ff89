package store_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/migrations"
	"github.com/partnerskap-skane/partnernet/store"
)

func reasons(s store.Slice[partnernet.AuditEvent]) []string {
	var out []string
	for _, e := range s.Rows {
		out = append(out, e.Reason)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// auditTrail is a batch of audit events, each named by its reason, in two organisations and
// about two newcomers. e4 and e7 happened at the same time; e6 has no time of its own.
func auditTrail(org0, org1 int64, t0 time.Time) []partnernet.AuditEvent {
	at := func(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }
	read := func(reason string, when time.Time, org int64, newcomer int64, d partnernet.AuditDecision, categories ...string) partnernet.AuditEvent {
		return partnernet.AuditEvent{
			OccurredAt: when, RequestID: "req-" + reason, Subject: "anna", OrganisationID: &org,
			Roles: []string{"coordinator", "adviser"}, Action: partnernet.AuditRead, NewcomerID: &newcomer,
			Categories: categories, Purpose: ptr("ESTABLISHMENT"), Decision: d, Reason: reason,
		}
	}
	return []partnernet.AuditEvent{
		read("e1", at(0), org0, 501, partnernet.AuditReleased, "IDENTITY", "CONTACT"),
		read("e2", at(1), org0, 501, partnernet.AuditDenied, "HEALTH"),
		read("e3", at(2), org1, 501, partnernet.AuditReleased, "IDENTITY"),
		{ // no newcomer, no purpose, no roles nor categories
			OccurredAt: at(3), RequestID: "req-e4", Subject: "admin", OrganisationID: &org0,
			Action: partnernet.AuditGrantRole, Decision: partnernet.AuditDone, Reason: "e4",
		},
		read("e5", at(4), org0, 502, partnernet.AuditReleased, "LANGUAGES"),
		{ // no organisation, no time of its own
			RequestID: "req-e6", Subject: "network-admin", Roles: []string{"network_admin"},
			Action: partnernet.AuditRecordConsent, NewcomerID: ptr(int64(502)), Categories: []string{},
			Decision: partnernet.AuditDone, Reason: "e6",
		},
		read("e7", at(3), org0, 501, partnernet.AuditReleased, "IDENTITY"),
	}
}

func TestAuditInsertStoresTheBatch(t *testing.T) {
	t.Parallel()
	b := setupOrganisations(t, 2)
	t0 := time.Date(2024, 3, 1, 9, 0, 0, 123456000, time.UTC)
	events := auditTrail(b.orgIDs[0], b.orgIDs[1], t0)
	require.NoError(t, b.st.AuditInsert(b.ctx, events))
	require.NoError(t, b.st.AuditInsert(b.ctx, nil), "an empty batch is no statement")

	rows, err := b.pool.Query(b.ctx, `SELECT id, occurred_at, request_id, subject, organisation_id, roles, action,
  newcomer_id, categories, purpose, decision, reason FROM audit_event ORDER BY id`)
	require.NoError(t, err)
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[partnernet.AuditEvent])
	require.NoError(t, err)
	require.Len(t, got, len(events))
	for i := range got {
		want := events[i]
		if i > 0 {
			require.Greater(t, got[i].ID, got[i-1].ID, "ids follow the batch")
		}
		if want.OccurredAt.IsZero() {
			require.WithinDuration(t, time.Now(), got[i].OccurredAt, time.Minute, "a zero time is the time of the insert")
		} else {
			require.True(t, want.OccurredAt.Equal(got[i].OccurredAt), "%s: %v, want %v", want.Reason, got[i].OccurredAt, want.OccurredAt)
		}
		if want.Roles == nil {
			want.Roles = []string{}
		}
		if want.Categories == nil {
			want.Categories = []string{}
		}
		want.ID, want.OccurredAt = got[i].ID, got[i].OccurredAt
		require.Equal(t, want, got[i])
	}
}

func TestAuditInsertIsOneStatement(t *testing.T) {
	t.Parallel()
	b := setupOrganisations(t, 2)
	events := auditTrail(b.orgIDs[0], b.orgIDs[1], time.Now().Add(-time.Hour))
	bad := events[len(events)-1]
	bad.Action = "not an action" // the database keeps the shape of actions; the enumeration is the application's
	errRollBack := errors.New("roll back")

	tests := []struct {
		name    string
		insert  func() error
		wantErr error
		stored  int
	}{
		{"an invalid event rejects the batch", func() error {
			return b.st.AuditInsert(b.ctx, append(events[:len(events)-1:len(events)-1], bad))
		}, partnernet.ErrBadUserInput, 0},
		{"an unknown organisation rejects the batch", func() error {
			unknown := events[0]
			unknown.OrganisationID = ptr(b.orgIDs[1] + 1000)
			return b.st.AuditInsert(b.ctx, []partnernet.AuditEvent{events[1], unknown})
		}, partnernet.ErrBadUserInput, 0},
		{"a transaction that rolls back takes the batch with it", func() error {
			return b.st.InTx(b.ctx, func(tx *store.Store) error {
				if err := tx.AuditInsert(b.ctx, events); err != nil {
					return err
				}
				return errRollBack
			})
		}, errRollBack, 0},
		{"a transaction that commits keeps it", func() error {
			return b.st.InTx(b.ctx, func(tx *store.Store) error { return tx.AuditInsert(b.ctx, events) })
		}, nil, len(events)},
	}
	for _, tt := range tests { // in order: the counts add up
		err := tt.insert()
		if tt.wantErr != nil {
			require.ErrorIs(t, err, tt.wantErr, tt.name)
		} else {
			require.NoError(t, err, tt.name)
		}
		var n int
		require.NoError(t, b.pool.QueryRow(b.ctx, "SELECT count(*) FROM audit_event").Scan(&n))
		require.Equal(t, tt.stored, n, tt.name)
	}
}

func TestAuditListByNewcomersNewestFirst(t *testing.T) {
	t.Parallel()
	b := setupOrganisations(t, 2)
	t0 := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	require.NoError(t, b.st.AuditInsert(b.ctx, auditTrail(b.orgIDs[0], b.orgIDs[1], t0)))
	newcomers := []int64{501, 502, 503}

	counts, err := b.st.AuditCountByNewcomers(b.ctx, newcomers)
	require.NoError(t, err)
	require.Equal(t, map[int64]int{501: 4, 502: 2}, counts, "newcomers without entries are absent")

	first, err := b.st.AuditListByNewcomers(b.ctx, newcomers, store.Page{Limit: 2})
	require.NoError(t, err)
	require.Equal(t, []string{"e7", "e3"}, reasons(first[501]))
	require.True(t, first[501].HasMore)
	require.Equal(t, []string{"e6", "e5"}, reasons(first[502]), "the entry stamped at insert is the newest")
	require.False(t, first[502].HasMore)
	require.NotContains(t, first, int64(503))

	all, err := b.st.AuditListByNewcomers(b.ctx, newcomers[:1], store.Page{Limit: 100})
	require.NoError(t, err)
	keys := all[501].Keys
	require.Equal(t, []string{"e7", "e3", "e2", "e1"}, reasons(all[501]))
	tests := []struct {
		name     string
		page     store.Page
		want     []string
		wantMore bool
	}{
		{"after the second", store.Page{Limit: 2, After: &keys[1]}, []string{"e2", "e1"}, false},
		{"last 3", store.Page{Limit: 3, Backward: true}, []string{"e3", "e2", "e1"}, true},
		{"last 1 before the newest", store.Page{Limit: 1, Backward: true, Before: &keys[1]}, []string{"e7"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := b.st.AuditListByNewcomers(b.ctx, newcomers[:1], tt.page)
			require.NoError(t, err)
			require.Equal(t, tt.want, reasons(got[501]))
			require.Equal(t, tt.wantMore, got[501].HasMore)
		})
	}
}

func TestAuditListByOrganisationFiltersAndPages(t *testing.T) {
	t.Parallel()
	b := setupOrganisations(t, 2)
	t0 := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	require.NoError(t, b.st.AuditInsert(b.ctx, auditTrail(b.orgIDs[0], b.orgIDs[1], t0)))
	org := b.orgIDs[0]
	at := func(minutes int) *time.Time { return ptr(t0.Add(time.Duration(minutes) * time.Minute)) }

	all, err := b.st.AuditListByOrganisation(b.ctx, org, store.AuditFilter{}, store.Page{Limit: 100})
	require.NoError(t, err)
	require.Equal(t, []string{"e5", "e7", "e4", "e2", "e1"}, reasons(all), "newest first; e7 follows e4 at the same time")
	keys := all.Keys
	other, err := b.st.AuditListByOrganisation(b.ctx, b.orgIDs[1], store.AuditFilter{}, store.Page{Limit: 100})
	require.NoError(t, err)
	require.Equal(t, []string{"e3"}, reasons(other), "only what the organisation's people did")

	tests := []struct {
		name     string
		filter   store.AuditFilter
		page     store.Page
		want     []string
		wantMore bool
	}{
		{"first 2", store.AuditFilter{}, store.Page{Limit: 2}, []string{"e5", "e7"}, true},
		{"after a tie", store.AuditFilter{}, store.Page{Limit: 2, After: &keys[1]}, []string{"e4", "e2"}, true},
		{"last 2", store.AuditFilter{}, store.Page{Limit: 2, Backward: true}, []string{"e2", "e1"}, true},
		{"last 2 before e2", store.AuditFilter{}, store.Page{Limit: 2, Backward: true, Before: &keys[3]}, []string{"e7", "e4"}, true},
		{"denied", store.AuditFilter{Decisions: []partnernet.AuditDecision{partnernet.AuditDenied}}, store.Page{Limit: 10}, []string{"e2"}, false},
		{
			"released or done", store.AuditFilter{Decisions: []partnernet.AuditDecision{partnernet.AuditReleased, partnernet.AuditDone}},
			store.Page{Limit: 10}, []string{"e5", "e7", "e4", "e1"}, false,
		},
		{"role grants", store.AuditFilter{Actions: []partnernet.AuditAction{partnernet.AuditGrantRole}}, store.Page{Limit: 10}, []string{"e4"}, false},
		{
			"released about one newcomer",
			store.AuditFilter{Decisions: []partnernet.AuditDecision{partnernet.AuditReleased}, NewcomerID: ptr(int64(501))},
			store.Page{Limit: 10}, []string{"e7", "e1"}, false,
		},
		{"since, inclusive, until, exclusive", store.AuditFilter{Since: at(1), Until: at(3)}, store.Page{Limit: 10}, []string{"e2"}, false},
		{"since", store.AuditFilter{Since: at(3)}, store.Page{Limit: 10}, []string{"e5", "e7", "e4"}, false},
		{"since, paged", store.AuditFilter{Since: at(3)}, store.Page{Limit: 1, After: &keys[0]}, []string{"e7"}, true},
		{"nothing", store.AuditFilter{Actions: []partnernet.AuditAction{partnernet.AuditRevokeAPIKey}}, store.Page{Limit: 10}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := b.st.AuditListByOrganisation(b.ctx, org, tt.filter, tt.page)
			require.NoError(t, err)
			require.Equal(t, tt.want, reasons(got))
			require.Equal(t, tt.wantMore, got.HasMore)
			if tt.page.After == nil && tt.page.Before == nil && !tt.wantMore {
				n, err := b.st.AuditCountByOrganisation(b.ctx, org, tt.filter)
				require.NoError(t, err)
				require.Equal(t, len(tt.want), n)
			}
		})
	}
}

// appRolePool returns a pool on a fresh database, connected as a new role that is not a
// superuser and that owns the database and ran the migrations, as the application's role does
// in production.
func appRolePool(t *testing.T, admin *pgxpool.Pool) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	var secret [12]byte
	_, _ = rand.Read(secret[:])
	role, password := "pnt_app_"+hex.EncodeToString(secret[:4]), hex.EncodeToString(secret[4:])
	_, err := admin.Exec(ctx, "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN NOSUPERUSER PASSWORD '"+password+"'")
	require.NoError(t, err)
	t.Cleanup(func() { // after the database is dropped: cleanups run last registered first
		_, err := admin.Exec(context.Background(), "DROP ROLE "+pgx.Identifier{role}.Sanitize())
		require.NoError(t, err)
	})
	url := dbtest.NewEmptyDatabase(t)
	cfg, err := pgxpool.ParseConfig(url)
	require.NoError(t, err)
	_, err = admin.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{cfg.ConnConfig.Database}.Sanitize()+
		" OWNER TO "+pgx.Identifier{role}.Sanitize())
	require.NoError(t, err)
	cfg.ConnConfig.User, cfg.ConnConfig.Password = role, password
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	_, err = migrations.Up(ctx, pool)
	require.NoError(t, err)
	return pool
}

func TestAuditTrailIsAppendOnly(t *testing.T) {
	t.Parallel()
	superuser := dbtest.NewPool(t)
	tests := []struct {
		name        string
		pool        func(t *testing.T) *pgxpool.Pool
		wantMessage string
	}{
		// The tests' role is a superuser, which privileges do not bind: the triggers stop it.
		{"superuser owner", func(*testing.T) *pgxpool.Pool { return superuser }, "audit_event is append-only"},
		// The owner that ran the migrations has revoked its own rights.
		{"owner that ran the migrations", func(t *testing.T) *pgxpool.Pool { return appRolePool(t, superuser) }, "permission denied for table audit_event"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pool := tt.pool(t)
			st := store.New(pool)
			ctx := context.Background()
			events := auditTrail(0, 0, time.Now())
			for i := range events {
				events[i].OrganisationID = nil
			}
			require.NoError(t, st.AuditInsert(ctx, events), "INSERT works")
			got, err := st.AuditListByNewcomers(ctx, []int64{501}, store.Page{Limit: 10})
			require.NoError(t, err, "SELECT works")
			require.Len(t, got[501].Rows, 4)

			for _, sql := range []string{
				"UPDATE audit_event SET reason = 'rewritten'",
				"DELETE FROM audit_event",
				"TRUNCATE audit_event",
			} {
				_, err := pool.Exec(ctx, sql)
				var pgErr *pgconn.PgError
				require.ErrorAs(t, err, &pgErr, sql)
				require.Equal(t, "42501", pgErr.Code, "%s: insufficient_privilege", sql)
				require.Contains(t, pgErr.Message, tt.wantMessage, sql)
			}
			var n, rewritten int
			require.NoError(t, pool.QueryRow(ctx, "SELECT count(*), count(*) FILTER (WHERE reason = 'rewritten') FROM audit_event").
				Scan(&n, &rewritten))
			require.Equal(t, len(events), n)
			require.Zero(t, rewritten)
		})
	}
}
