package loaders_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// statements keeps the SQL sent on a pool.
type statements struct {
	mu  sync.Mutex
	sql []string
}

// TraceQueryStart implements pgx.QueryTracer.
func (s *statements) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	s.mu.Lock()
	s.sql = append(s.sql, data.SQL)
	s.mu.Unlock()
	return ctx
}

// TraceQueryEnd implements pgx.QueryTracer.
func (*statements) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// since returns the statements sent since the n-th.
func (s *statements) since(n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.sql[n:]...)
}

func (s *statements) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sql)
}

// category is a method of Loaders that returns one category of a newcomer's data, with the
// table it reads ("" for identity, which the record carries).
type category struct {
	name  string
	table string
	read  func(ctx context.Context, l *loaders.Loaders, n *partnernet.Newcomer) (any, error)
}

var categories = []category{
	{"Identity", "", func(ctx context.Context, l *loaders.Loaders, n *partnernet.Newcomer) (any, error) {
		return l.Identity(ctx, n)
	}},
	{"Contact", "newcomer_contact", func(ctx context.Context, l *loaders.Loaders, n *partnernet.Newcomer) (any, error) {
		return l.Contact(ctx, n)
	}},
	{"Languages", "newcomer_language", func(ctx context.Context, l *loaders.Loaders, n *partnernet.Newcomer) (any, error) {
		return l.Languages(ctx, n)
	}},
	{"Health", "newcomer_health", func(ctx context.Context, l *loaders.Loaders, n *partnernet.Newcomer) (any, error) {
		return l.Health(ctx, n)
	}},
	{"Family", "newcomer_family_member", func(ctx context.Context, l *loaders.Loaders, n *partnernet.Newcomer) (any, error) {
		return l.Family(ctx, n)
	}},
	{"Background", "newcomer_background", func(ctx context.Context, l *loaders.Loaders, n *partnernet.Newcomer) (any, error) {
		return l.Background(ctx, n)
	}},
	{"Plans", "support_plan", func(ctx context.Context, l *loaders.Loaders, n *partnernet.Newcomer) (any, error) {
		return l.Plans(ctx, n)
	}},
	{"Enrolments", "enrolment", func(ctx context.Context, l *loaders.Loaders, n *partnernet.Newcomer) (any, error) {
		return l.Enrolments(ctx, n)
	}},
	{"Outcomes", "newcomer_outcome", func(ctx context.Context, l *loaders.Loaders, n *partnernet.Newcomer) (any, error) {
		return l.Outcomes(ctx, n)
	}},
	{"QuestionnaireResponses", "questionnaire_response", func(ctx context.Context, l *loaders.Loaders, n *partnernet.Newcomer) (any, error) {
		return l.QuestionnaireResponses(ctx, n)
	}},
	{"CourseParticipations", "shk_participant", func(ctx context.Context, l *loaders.Loaders, n *partnernet.Newcomer) (any, error) {
		p, err := l.CourseParticipations(ctx, n)
		if err != nil {
			return nil, err
		}
		return p.Load(ctx, n.ID, struct{}{}, store.Order{Column: store.OrderEnrolledAt}, store.Page{Limit: 10})
	}},
}

// TestCategoryDataIsReadOnlyOnceReleased calls every category method of Loaders as callers the
// decision refuses: each gets the decision's error, and no statement reads the category's
// table (for callers without an organisation, no statement at all: there are no consents of
// theirs to read either). The newcomer themself gets their data, read from the database.
func TestCategoryDataIsReadOnlyOnceReleased(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(dbtest.NewDatabase(t))
	require.NoError(t, err)
	sent := &statements{}
	cfg.ConnConfig.Tracer = sent
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	st := store.New(pool)

	var municipalityID, malmo, lund, newcomerID int64
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO municipality (code, name) VALUES ('1280', 'Malmö') RETURNING id`).Scan(&municipalityID))
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO organisation (slug, name, kind, sector)
		VALUES ('malmo', 'Malmö stad', 'MUNICIPALITY', 'PUBLIC') RETURNING id`).Scan(&malmo))
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO organisation (slug, name, kind, sector)
		VALUES ('lund', 'Lunds kommun', 'MUNICIPALITY', 'PUBLIC') RETURNING id`).Scan(&lund))
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO newcomer (controller_id, municipality_id, display_name)
		VALUES ($1, $2, 'Amal') RETURNING id`, malmo, municipalityID).Scan(&newcomerID))
	_, err = pool.Exec(ctx, `INSERT INTO newcomer_contact (newcomer_id, phone) VALUES ($1, '+46 40 123 45')`, newcomerID)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO newcomer_health (newcomer_id, notes) VALUES ($1, 'Allergi')`, newcomerID)
	require.NoError(t, err)
	az, err := authz.New(ctx, st)
	require.NoError(t, err)
	n := &partnernet.Newcomer{ID: newcomerID, ControllerID: malmo, MunicipalityID: municipalityID, DisplayName: "Amal"}

	refused := []struct {
		name    string
		p       authz.Principal
		purpose partnernet.Purpose
		want    partnernet.Code
		// consents is whether the caller's organisation's consents are read for the decision.
		consents bool
	}{
		{"anonymous", authz.Principal{}, "", partnernet.CodeUnauthenticated, false},
		{"anonymous, declaring a purpose", authz.Principal{}, partnernet.PurposeHealthCommunication, partnernet.CodeUnauthenticated, false},
		{"signed in without a role", authz.Principal{Subject: "x"}, partnernet.PurposeHealthCommunication, partnernet.CodeForbidden, false},
		{"another newcomer", authz.Principal{Subject: "newcomer:0", NewcomerID: newcomerID + 1, Roles: []authz.Role{authz.RoleNewcomer}},
			"", partnernet.CodeForbidden, false},
		{"another municipality's organisation admin", authz.Principal{Subject: "olle", OrganisationID: lund, Roles: []authz.Role{authz.RoleOrgAdmin}},
			partnernet.PurposeEstablishmentCoordination, partnernet.CodeForbidden, true},
	}
	for _, c := range categories {
		for _, tt := range refused {
			ctx := authz.WithTrail(authz.WithPrincipal(ctx, tt.p), authz.NewTrail("test"))
			if tt.purpose != "" {
				ctx = authz.WithPurpose(ctx, tt.purpose)
			}
			before := sent.count()
			got, err := c.read(ctx, loaders.New(st, az, time.Millisecond), n)
			require.Equal(t, tt.want, partnernet.ErrorCode(err), "%s, %s: %v", c.name, tt.name, got)
			sql := sent.since(before)
			if !tt.consents {
				require.Empty(t, sql, "%s, %s: no statement", c.name, tt.name)
			}
			for _, s := range sql {
				if c.table != "" {
					require.NotContains(t, s, " "+c.table+" ", "%s, %s: the category is not read", c.name, tt.name)
				}
				require.Contains(t, s, "consent_record", "%s, %s: only the caller's consents are read", c.name, tt.name)
			}
		}
	}

	self := authz.WithTrail(authz.WithPrincipal(ctx, authz.Principal{Subject: "newcomer:1", NewcomerID: newcomerID,
		Roles: []authz.Role{authz.RoleNewcomer}}), authz.NewTrail("test"))
	l := loaders.New(st, az, time.Millisecond)
	contact, err := l.Contact(self, n)
	require.NoError(t, err)
	require.Equal(t, "+46 40 123 45", *contact.Phone)
	health, err := l.Health(self, n)
	require.NoError(t, err)
	require.Equal(t, "Allergi", health.Notes)
	background, err := l.Background(self, n)
	require.NoError(t, err)
	require.Nil(t, background, "nothing recorded is no error")
	identity, err := l.Identity(self, n)
	require.NoError(t, err)
	require.Equal(t, "Amal", identity.DisplayName)

	// The record the loaders hand out carries no identity; Identity releases it, read from the
	// request's cache of the stored record.
	record, err := l.Newcomer(self, newcomerID)()
	require.NoError(t, err)
	require.Equal(t, malmo, record.ControllerID)
	require.Empty(t, record.DisplayName, "the record carries no identity")
	before := sent.count()
	identity, err = l.Identity(self, record)
	require.NoError(t, err)
	require.Equal(t, "Amal", identity.DisplayName)
	require.Empty(t, sent.since(before), "read from the cache of the record")
	_, err = l.Identity(authz.WithTrail(authz.WithPrincipal(ctx, authz.Principal{Subject: "x"}), authz.NewTrail("test")), record)
	require.ErrorIs(t, err, partnernet.ErrForbidden)
}

// TestSeeDecidesOnTheRecord checks that the record goes only where SeeNewcomer releases it.
func TestSeeDecidesOnTheRecord(t *testing.T) {
	t.Parallel()
	ctx := authz.WithTrail(context.Background(), authz.NewTrail("test"))
	st := store.New(dbtest.NewPool(t))
	az, err := authz.New(ctx, st)
	require.NoError(t, err)
	n := &partnernet.Newcomer{ID: 1, ControllerID: 1}
	l := loaders.New(st, az, time.Millisecond)
	require.ErrorIs(t, l.See(ctx, n), partnernet.ErrUnauthenticated)
	require.ErrorIs(t, l.SeeAll(ctx, []partnernet.Newcomer{*n}), partnernet.ErrUnauthenticated)
	self := authz.WithPrincipal(ctx, authz.Principal{Subject: "newcomer:1", NewcomerID: 1, Roles: []authz.Role{authz.RoleNewcomer}})
	require.NoError(t, l.See(self, n))
	require.NoError(t, l.SeeAll(self, []partnernet.Newcomer{*n}))
	require.ErrorIs(t, l.See(authz.WithPrincipal(ctx, authz.Principal{Subject: "x"}), n), partnernet.ErrForbidden)
}
