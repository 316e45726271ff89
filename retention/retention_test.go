package retention_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/retention"
	"github.com/partnerskap-skane/partnernet/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestRunOnceExpiresConsentsAndErasesInactiveNewcomers(t *testing.T) {
	t.Parallel()
	pool := dbtest.NewPool(t)
	ctx := context.Background()
	st := store.New(pool)
	exec := func(sql string, args ...any) {
		t.Helper()
		_, err := pool.Exec(ctx, sql, args...)
		require.NoError(t, err)
	}
	var org, municipality int64
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO municipality (code, name) VALUES ('1280', 'Malmö') RETURNING id`).Scan(&municipality))
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO organisation (slug, name, kind, sector, home_municipality_id)
		VALUES ('malmo', 'Malmö stad', 'MUNICIPALITY', 'PUBLIC', $1) RETURNING id`, municipality).Scan(&org))
	newcomer := func(name string, birthYear int, inactiveFor time.Duration) int64 {
		var id int64
		require.NoError(t, pool.QueryRow(ctx, `INSERT INTO newcomer (controller_id, municipality_id, display_name, birth_year, gender, last_activity_at)
			VALUES ($1, $2, $3, $4, 'FEMALE', now() - $5::interval) RETURNING id`, org, municipality, name, birthYear, inactiveFor.String()).Scan(&id))
		exec(`INSERT INTO newcomer_contact (newcomer_id, phone) VALUES ($1, '+46 70 000 00 00')`, id)
		exec(`INSERT INTO newcomer_family_member (newcomer_id, relation, name) VALUES ($1, 'CHILD', 'Child of '||$2)`, id, name)
		return id
	}
	consent := func(newcomerID int64, from, until time.Time) int64 {
		var id int64
		require.NoError(t, pool.QueryRow(ctx, `INSERT INTO consent_record (newcomer_id, controller_id, purposes, data_categories,
			method, notice_language, notice_version, valid_from, valid_until)
			VALUES ($1, $2, '{ACTIVITY_PARTICIPATION}', '{IDENTITY}', 'WRITTEN', 'ar', '1', $3, $4) RETURNING id`,
			newcomerID, org, from, until).Scan(&id))
		exec(`INSERT INTO consent_event (consent_record_id, kind, occurred_at) VALUES ($1, 'GIVEN', $2)`, id, from)
		return id
	}
	exec(`INSERT INTO idempotency_key (subject, key, operation, result, created_at) VALUES
		('pia@abf', 'old', 'publishActivity', 'null', now() - interval '8 days'), ('pia@abf', 'new', 'publishActivity', 'null', now())`)
	now := time.Now()
	const period = 5 * 365 * 24 * time.Hour
	active := newcomer("Active Person", 1991, 24*time.Hour)
	inactive := newcomer("Inactive Person", 1987, period+24*time.Hour)
	endedConsent := consent(active, now.AddDate(-2, 0, 0), now.AddDate(0, 0, -1))
	runningConsent := consent(active, now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
	inactivesConsent := consent(inactive, now.AddDate(-6, 0, 0), now.AddDate(1, 0, 0))

	res, err := retention.RunOnce(ctx, st, period, now)
	require.NoError(t, err)
	require.Equal(t, retention.Result{ExpiredConsents: 1, ErasedNewcomers: 1, ForgottenIdemKeys: 1}, res)
	var keys []string
	rows, err := pool.Query(ctx, "SELECT key FROM idempotency_key ORDER BY key")
	require.NoError(t, err)
	for rows.Next() {
		var k string
		require.NoError(t, rows.Scan(&k))
		keys = append(keys, k)
	}
	require.Equal(t, []string{"new"}, keys, "a key past its horizon is forgotten, a fresh one kept")

	lastEvent := func(consentID int64) (kind, actor string) {
		t.Helper()
		require.NoError(t, pool.QueryRow(ctx, `SELECT kind, actor FROM consent_event WHERE consent_record_id = $1
			ORDER BY occurred_at DESC, id DESC LIMIT 1`, consentID).Scan(&kind, &actor))
		return kind, actor
	}
	tests := []struct {
		name      string
		consent   int64
		wantEvent string
	}{
		{"a consent past its end expires", endedConsent, "EXPIRED"},
		{"a running consent stays", runningConsent, "GIVEN"},
		{"an erased newcomer's consent is withdrawn", inactivesConsent, "WITHDRAWN"},
	}
	for _, tt := range tests {
		kind, _ := lastEvent(tt.consent)
		require.Equal(t, tt.wantEvent, kind, tt.name)
	}

	var name string
	var birthYear *int
	var gender *string
	var erased bool
	var contacts, family int
	require.NoError(t, pool.QueryRow(ctx, `SELECT display_name, birth_year, gender, erased_at IS NOT NULL,
		(SELECT count(*) FROM newcomer_contact WHERE newcomer_id = n.id), (SELECT count(*) FROM newcomer_family_member WHERE newcomer_id = n.id)
		FROM newcomer n WHERE id = $1`, inactive).Scan(&name, &birthYear, &gender, &erased, &contacts, &family))
	require.Equal(t, store.ErasedName, name)
	require.Equal(t, 1980, *birthYear, "the birth year is kept to its decade, for anonymous counts")
	require.Nil(t, gender)
	require.True(t, erased)
	require.Zero(t, contacts+family, "contact and family data are gone")
	require.NoError(t, pool.QueryRow(ctx, `SELECT display_name FROM newcomer WHERE id = $1`, active).Scan(&name))
	require.Equal(t, "Active Person", name, "an active case is kept")

	var audited int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM audit_event WHERE subject = $1 AND (
		(action = 'EXPIRE_CONSENT' AND newcomer_id = $2) OR (action = 'ERASE_DATA' AND newcomer_id = $3))`,
		retention.Actor, active, inactive).Scan(&audited))
	require.Equal(t, 2, audited, "each change is audited")

	res, err = retention.RunOnce(ctx, st, period, now)
	require.NoError(t, err)
	require.Equal(t, retention.Result{}, res, "a second run finds nothing to do")
	res, err = retention.RunOnce(ctx, st, 0, now.AddDate(50, 0, 0))
	require.NoError(t, err)
	require.Zero(t, res.ErasedNewcomers, "a retention of 0 erases nobody")
}
