package store_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/store"
)

// orgBundle is a store on a fresh database holding organisations, with the pool beneath it.
type orgBundle struct {
	pool   *pgxpool.Pool
	st     *store.Store
	ctx    context.Context
	orgIDs []int64
}

// setupOrganisations returns a store on a fresh database holding n associations, org-1 to org-n,
// whose ids are in orgIDs in that order.
func setupOrganisations(t *testing.T, n int) orgBundle {
	t.Helper()
	pool := dbtest.NewPool(t)
	ctx := context.Background()
	rows, err := pool.Query(ctx, `
INSERT INTO organisation (slug, name, kind, sector)
SELECT 'org-' || g, 'Förening ' || g, 'ASSOCIATION', 'CIVIC' FROM generate_series(1, $1::int) g
RETURNING id`, n)
	require.NoError(t, err)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	require.NoError(t, err)
	return orgBundle{pool: pool, st: store.New(pool), ctx: ctx, orgIDs: ids}
}

func subjects(s store.Slice[partnernet.Membership]) []string {
	var out []string
	for _, m := range s.Rows {
		out = append(out, m.Subject)
	}
	return out
}

func TestMembershipGrantAndRevoke(t *testing.T) {
	t.Parallel()
	b := setupOrganisations(t, 2)
	org := b.orgIDs[0]
	coordinator := partnernet.Membership{Subject: "anna", OrganisationID: org, Role: "coordinator", GrantedBy: "admin"}
	adviser := coordinator
	adviser.Role = "adviser"
	elsewhere := coordinator
	elsewhere.OrganisationID = b.orgIDs[1]
	badRole := coordinator
	badRole.Role = "king"
	noOrg := coordinator
	noOrg.OrganisationID = b.orgIDs[1] + 1000

	grant := func(m partnernet.Membership) func() (partnernet.Membership, error) {
		return func() (partnernet.Membership, error) { return b.st.MembershipGrant(b.ctx, m) }
	}
	revoke := func(m partnernet.Membership) func() (partnernet.Membership, error) {
		return func() (partnernet.Membership, error) {
			return b.st.MembershipRevoke(b.ctx, m.Subject, m.OrganisationID, m.Role)
		}
	}
	// The steps run in order: each sees what the ones before it did.
	steps := []struct {
		name    string
		do      func() (partnernet.Membership, error)
		want    partnernet.Membership
		wantErr error
	}{
		{"grant", grant(coordinator), coordinator, nil},
		{"same grant again", grant(coordinator), partnernet.Membership{}, partnernet.ErrConflict},
		{"another role, same organisation", grant(adviser), adviser, nil},
		{"same role, another organisation", grant(elsewhere), elsewhere, nil},
		{"unknown role", grant(badRole), partnernet.Membership{}, partnernet.ErrBadUserInput},
		{"unknown organisation", grant(noOrg), partnernet.Membership{}, partnernet.ErrBadUserInput},
		{"revoke", revoke(coordinator), coordinator, nil},
		{"revoke again", revoke(coordinator), partnernet.Membership{}, partnernet.ErrNotFound},
		{"revoke one never granted", revoke(badRole), partnernet.Membership{}, partnernet.ErrNotFound},
		{"grant after revoke", grant(coordinator), coordinator, nil},
	}
	before := time.Now().Add(-time.Minute)
	for _, tt := range steps {
		got, err := tt.do()
		if tt.wantErr != nil {
			require.ErrorIs(t, err, tt.wantErr, tt.name)
			continue
		}
		require.NoError(t, err, tt.name)
		require.NotZero(t, got.ID, tt.name)
		require.True(t, got.GrantedAt.After(before), tt.name)
		got.ID, got.GrantedAt = 0, time.Time{}
		require.Equal(t, tt.want, got, tt.name)
	}

	all, err := b.st.MembershipListAll(b.ctx)
	require.NoError(t, err)
	type row struct {
		subject string
		org     int64
		role    string
	}
	var got []row
	for _, m := range all {
		got = append(got, row{m.Subject, m.OrganisationID, m.Role})
	}
	require.Equal(t, []row{{"anna", org, "adviser"}, {"anna", org, "coordinator"}, {"anna", b.orgIDs[1], "coordinator"}}, got)
}

func TestMembershipListByOrganisationsPagesEachOrganisation(t *testing.T) {
	t.Parallel()
	b := setupOrganisations(t, 3)
	grants := map[int64][]string{
		b.orgIDs[0]: {"erik", "anna", "cecilia", "bo", "dag"},
		b.orgIDs[1]: {"zed", "yrsa"},
	}
	for org, subs := range grants {
		for _, sub := range subs {
			_, err := b.st.MembershipGrant(b.ctx, partnernet.Membership{Subject: sub, OrganisationID: org, Role: "adviser", GrantedBy: "admin"})
			require.NoError(t, err)
		}
	}
	// A second role of the same subject is a membership of its own, after the first by id.
	_, err := b.st.MembershipGrant(b.ctx, partnernet.Membership{Subject: "bo", OrganisationID: b.orgIDs[0], Role: "analyst", GrantedBy: "admin"})
	require.NoError(t, err)

	counts, err := b.st.MembershipCountByOrganisations(b.ctx, b.orgIDs)
	require.NoError(t, err)
	require.Equal(t, map[int64]int{b.orgIDs[0]: 6, b.orgIDs[1]: 2}, counts, "organisations without members are absent")

	first, err := b.st.MembershipListByOrganisations(b.ctx, b.orgIDs, store.Page{Limit: 2})
	require.NoError(t, err)
	require.Equal(t, []string{"anna", "bo"}, subjects(first[b.orgIDs[0]]))
	require.True(t, first[b.orgIDs[0]].HasMore)
	require.Equal(t, []string{"yrsa", "zed"}, subjects(first[b.orgIDs[1]]))
	require.False(t, first[b.orgIDs[1]].HasMore)
	require.NotContains(t, first, b.orgIDs[2])
	require.Equal(t, "anna", first[b.orgIDs[0]].Keys[0].Value, "keys carry the subject")
	require.Equal(t, first[b.orgIDs[0]].Rows[0].ID, first[b.orgIDs[0]].Keys[0].ID)

	all, err := b.st.MembershipListByOrganisations(b.ctx, b.orgIDs[:1], store.Page{Limit: 100})
	require.NoError(t, err)
	keys := all[b.orgIDs[0]].Keys
	require.Equal(t, []string{"anna", "bo", "bo", "cecilia", "dag", "erik"}, subjects(all[b.orgIDs[0]]))

	tests := []struct {
		name     string
		page     store.Page
		want     []string
		wantMore bool
	}{
		{"after the first bo", store.Page{Limit: 2, After: &keys[1]}, []string{"bo", "cecilia"}, true},
		{"after the second bo", store.Page{Limit: 2, After: &keys[2]}, []string{"cecilia", "dag"}, true},
		{"after the last", store.Page{Limit: 2, After: &keys[5]}, nil, false},
		{"last 2", store.Page{Limit: 2, Backward: true}, []string{"dag", "erik"}, true},
		{"last 3 before dag", store.Page{Limit: 3, Backward: true, Before: &keys[4]}, []string{"bo", "bo", "cecilia"}, true},
		{"between two cursors", store.Page{Limit: 10, After: &keys[0], Before: &keys[4]}, []string{"bo", "bo", "cecilia"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := b.st.MembershipListByOrganisations(b.ctx, b.orgIDs[:1], tt.page)
			require.NoError(t, err)
			require.Equal(t, tt.want, subjects(got[b.orgIDs[0]]))
			require.Equal(t, tt.wantMore, got[b.orgIDs[0]].HasMore)
		})
	}
}

// signals counts the calls of an onChange callback and lets a test wait for them.
type signals struct {
	ch chan struct{}
}

func newSignals() *signals { return &signals{ch: make(chan struct{}, 1000)} }

func (s *signals) onChange() { s.ch <- struct{}{} }

// wait fails the test unless a call arrives within a generous deadline: a liveness guard, not a
// timing assertion.
func (s *signals) wait(t *testing.T, what string) {
	t.Helper()
	select {
	case <-s.ch:
	case <-time.After(30 * time.Second):
		t.Fatalf("no onChange call within 30s: %s", what)
	}
}

// quiet fails the test when a call arrives within d.
func (s *signals) quiet(t *testing.T, d time.Duration, what string) {
	t.Helper()
	select {
	case <-s.ch:
		t.Fatalf("unexpected onChange call: %s", what)
	case <-time.After(d):
	}
}

// startListen runs store.Listen on the membership channel until the test ends.
func startListen(t *testing.T, pool *pgxpool.Pool, onChange func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var listenErr error
	wg.Go(func() {
		listenErr = store.Listen(ctx, pool, store.MembershipChannel, onChange, slog.New(slog.NewTextHandler(t.Output(), nil)))
	})
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		require.NoError(t, listenErr, "Listen returns nil when its context ends")
	})
}

func TestListenHearsMembershipChanges(t *testing.T) {
	t.Parallel()
	b := setupOrganisations(t, 4)
	sig := newSignals()
	startListen(t, b.pool, sig.onChange)
	sig.wait(t, "the call after subscribing")

	m := partnernet.Membership{Subject: "anna", OrganisationID: b.orgIDs[0], Role: "coordinator", GrantedBy: "admin"}
	tests := []struct {
		name   string
		change func() error
		heard  bool
	}{
		{"grant", func() error { _, err := b.st.MembershipGrant(b.ctx, m); return err }, true},
		{"revoke", func() error {
			_, err := b.st.MembershipRevoke(b.ctx, m.Subject, m.OrganisationID, m.Role)
			return err
		}, true},
		{"grant in a transaction that commits", func() error {
			return b.st.InTx(b.ctx, func(tx *store.Store) error { _, err := tx.MembershipGrant(b.ctx, m); return err })
		}, true},
		{"revoke in a transaction that rolls back", func() error {
			errRollBack := errors.New("roll back")
			err := b.st.InTx(b.ctx, func(tx *store.Store) error {
				if _, err := tx.MembershipRevoke(b.ctx, m.Subject, m.OrganisationID, m.Role); err != nil {
					return err
				}
				return errRollBack
			})
			if errors.Is(err, errRollBack) {
				return nil
			}
			return errors.Join(errors.New("want the rollback"), err)
		}, false},
		{"duplicate grant, which fails", func() error {
			_, err := b.st.MembershipGrant(b.ctx, m)
			if !errors.Is(err, partnernet.ErrConflict) {
				return errors.Join(errors.New("want a conflict"), err)
			}
			return nil
		}, false},
		{"a burst of grants in one transaction, in four organisations", func() error {
			return b.st.InTx(b.ctx, func(tx *store.Store) error {
				for _, org := range b.orgIDs {
					burst := m
					burst.OrganisationID, burst.Role = org, "adviser"
					if _, err := tx.MembershipGrant(b.ctx, burst); err != nil {
						return err
					}
				}
				return nil
			})
		}, true},
	}
	for _, tt := range tests { // in order: each step builds on the ones before
		require.NoError(t, tt.change(), tt.name)
		if tt.heard {
			sig.wait(t, tt.name)
		} else {
			sig.quiet(t, 500*time.Millisecond, tt.name)
		}
	}
	// The burst's four notifications (four payloads, so not merged by the server) were handled
	// as one.
	sig.quiet(t, 500*time.Millisecond, "a second call for the burst")
}

func TestListenResubscribesAfterConnectionLoss(t *testing.T) {
	t.Parallel()
	b := setupOrganisations(t, 1)
	sig := newSignals()
	startListen(t, b.pool, sig.onChange)
	sig.wait(t, "the call after subscribing")

	var terminated bool
	err := b.pool.QueryRow(b.ctx, `
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`).Scan(&terminated)
	require.NoError(t, err)
	require.True(t, terminated)
	sig.wait(t, "the call after subscribing again")

	_, err = b.st.MembershipGrant(b.ctx, partnernet.Membership{Subject: "anna", OrganisationID: b.orgIDs[0], Role: "adviser", GrantedBy: "admin"})
	require.NoError(t, err)
	sig.wait(t, "a grant after the reconnection")
}

func TestListenRefusesAnEmptyChannel(t *testing.T) {
	t.Parallel()
	b := setupOrganisations(t, 0)
	require.Error(t, store.Listen(b.ctx, b.pool, "", func() {}, nil))
}
