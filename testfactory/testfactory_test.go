package testfactory_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/store"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testBundle is an empty migrated database with a municipality and its organisation.
type testBundle struct {
	pool         *pgxpool.Pool
	st           *store.Store
	municipality partnernet.Municipality
	org          partnernet.Organisation
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	m := testfactory.Municipality(ctx, t, pool, &testfactory.MunicipalityOpts{})
	org := testfactory.Organisation(ctx, t, pool, &testfactory.OrganisationOpts{
		Kind: partnernet.KindMunicipality, HomeMunicipalityID: &m.ID,
	})
	return &testBundle{pool: pool, st: store.New(pool), municipality: m, org: org}
}

func TestNetwork(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("MunicipalityAndOrganisationDefaults", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		require.Regexp(t, `^9[0-9]{3}$`, b.municipality.Code)
		require.Equal(t, "Kommun "+b.municipality.Code, b.municipality.Name)
		got, err := b.st.MunicipalityGetByCode(ctx, b.municipality.Code)
		require.NoError(t, err)
		require.Equal(t, b.municipality, got)

		require.Equal(t, partnernet.SectorPublic, b.org.Sector, "a municipality is public")
		require.Equal(t, &b.municipality.ID, b.org.HomeMunicipalityID)
		assoc := testfactory.Organisation(ctx, t, b.pool, &testfactory.OrganisationOpts{})
		require.Equal(t, partnernet.KindAssociation, assoc.Kind)
		require.Equal(t, partnernet.SectorCivic, assoc.Sector)
		require.Nil(t, assoc.HomeMunicipalityID)
		require.NotEqual(t, b.org.Slug, assoc.Slug, "default slugs are unique")
		stored, err := b.st.OrganisationGetBySlug(ctx, assoc.Slug)
		require.NoError(t, err)
		require.Equal(t, assoc, stored)
	})

	t.Run("Programme", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		p := testfactory.Programme(ctx, t, b.pool, &testfactory.ProgrammeOpts{Code: partnernet.ProgrammeSHK})
		got, err := b.st.ProgrammeGetByCode(ctx, partnernet.ProgrammeSHK)
		require.NoError(t, err)
		require.Equal(t, p, got)
	})

	t.Run("Membership", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		m := testfactory.Membership(ctx, t, b.pool, &testfactory.MembershipOpts{OrganisationID: b.org.ID})
		require.Equal(t, string(authz.RoleCoordinator), m.Role)
		all, err := b.st.MembershipListAll(ctx)
		require.NoError(t, err)
		require.Equal(t, []partnernet.Membership{m}, all)
	})
}

func TestNewcomerAndConsent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("EveryCategory", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		year, phone, occupation := 1990, "+46 70 000 00 00", "Welder"
		n := testfactory.Newcomer(ctx, t, b.pool, &testfactory.NewcomerOpts{
			ControllerID: b.org.ID, BirthYear: &year,
			Contact:    &partnernet.NewcomerContact{Phone: &phone},
			Languages:  []partnernet.LanguageSkill{{Language: "ar", Proficiency: partnernet.ProficiencyNative}},
			Health:     &partnernet.NewcomerHealth{Notes: "Synthetic note"},
			Family:     []partnernet.FamilyMember{{Relation: partnernet.RelationChild, Name: "Child"}},
			Background: &partnernet.NewcomerBackground{Occupation: &occupation},
		})
		require.Equal(t, b.municipality.ID, n.MunicipalityID, "the controller's home municipality by default")
		require.Equal(t, "Fixture Person", n.DisplayName)
		d, err := b.st.NewcomerDataGet(ctx, n.ID)
		require.NoError(t, err)
		require.Equal(t, n, d.Newcomer)
		require.Equal(t, &year, d.Newcomer.BirthYear)
		require.Len(t, d.Contact, 1)
		require.Equal(t, &phone, d.Contact[0].Phone)
		require.Equal(t, []partnernet.LanguageSkill{{NewcomerID: n.ID, Language: "ar", Proficiency: partnernet.ProficiencyNative}}, d.Languages)
		require.Len(t, d.Health, 1)
		require.Equal(t, "Synthetic note", d.Health[0].Notes)
		require.Len(t, d.Family, 1)
		require.Equal(t, "Child", d.Family[0].Name)
		require.Len(t, d.Background, 1)
		require.Equal(t, &occupation, d.Background[0].Occupation)
	})

	t.Run("NoCategoryData", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		n := testfactory.Newcomer(ctx, t, b.pool, &testfactory.NewcomerOpts{ControllerID: b.org.ID, DisplayName: "Ana"})
		d, err := b.st.NewcomerDataGet(ctx, n.ID)
		require.NoError(t, err)
		require.Equal(t, "Ana", d.Newcomer.DisplayName)
		require.Empty(t, d.Contact)
		require.Empty(t, d.Languages)
		require.Empty(t, d.Health)
		require.Empty(t, d.Family)
		require.Empty(t, d.Background)
	})

	t.Run("Consent", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		abf := testfactory.Organisation(ctx, t, b.pool, &testfactory.OrganisationOpts{Kind: partnernet.KindAdultEducationAssociation})
		n := testfactory.Newcomer(ctx, t, b.pool, &testfactory.NewcomerOpts{ControllerID: b.org.ID})
		c := testfactory.Consent(ctx, t, b.pool, &testfactory.ConsentOpts{NewcomerID: n.ID, RecipientIDs: []int64{abf.ID}})
		require.Equal(t, b.org.ID, c.ControllerID, "the newcomer's controller by default")
		require.Equal(t, []int64{abf.ID}, c.RecipientIDs)
		require.Equal(t, []partnernet.Purpose{partnernet.PurposeActivityParticipation}, c.Purposes)
		require.Equal(t, []partnernet.DataCategory{partnernet.CategoryIdentity}, c.DataCategories)
		require.Equal(t, partnernet.ConsentActive, c.StateAt(time.Now()))
		got, err := b.st.ConsentRecordGetMany(ctx, []int64{c.ID})
		require.NoError(t, err)
		require.Equal(t, []partnernet.ConsentRecord{c}, got)

		w := testfactory.Consent(ctx, t, b.pool, &testfactory.ConsentOpts{NewcomerID: n.ID, Withdrawn: true})
		require.Equal(t, partnernet.ConsentStateWithdrawn, w.StateAt(time.Now()))
	})
}

func TestActivityAndEnrolment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("DraftByDefault", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		a := testfactory.Activity(ctx, t, b.pool, &testfactory.ActivityOpts{OrganiserID: b.org.ID})
		require.Equal(t, partnernet.ActivityDraft, a.Status)
		require.Nil(t, a.PublishedAt)
		require.Equal(t, &b.municipality.ID, a.MunicipalityID, "the organiser's home municipality by default")
		nad, err := b.st.ProgrammeGetByCode(ctx, partnernet.ProgrammeNAD)
		require.NoError(t, err, "NAD is created when missing")
		require.Equal(t, nad.ID, a.ProgrammeID)
		again := testfactory.Activity(ctx, t, b.pool, &testfactory.ActivityOpts{OrganiserID: b.org.ID})
		require.Equal(t, nad.ID, again.ProgrammeID, "and found the next time")
		got, err := b.st.ActivityGetMany(ctx, []int64{a.ID})
		require.NoError(t, err)
		require.Equal(t, []partnernet.Activity{a}, got)
	})

	t.Run("PublishedWithScheduleAndWaitlist", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		start := time.Now().UTC().Truncate(time.Hour).Add(48 * time.Hour)
		rule, places := "FREQ=WEEKLY;COUNT=3", 1
		a := testfactory.Activity(ctx, t, b.pool, &testfactory.ActivityOpts{
			OrganiserID: b.org.ID, Status: partnernet.ActivityPublished, Capacity: &places,
			Schedule: partnernet.Schedule{StartsAt: &start, DurationMinutes: 90, RRule: &rule},
		})
		require.Equal(t, partnernet.ActivityPublished, a.Status)
		require.NotNil(t, a.PublishedAt)
		next, err := b.st.OccurrenceListNext(ctx, []int64{a.ID}, time.Now(), 10)
		require.NoError(t, err)
		require.Len(t, next, 3)
		require.True(t, start.Equal(next[0].StartsAt))
		latest, err := b.st.ActivityChangeLatest(ctx)
		require.NoError(t, err)
		require.Positive(t, latest, "publishing is announced")

		n1 := testfactory.Newcomer(ctx, t, b.pool, &testfactory.NewcomerOpts{ControllerID: b.org.ID})
		n2 := testfactory.Newcomer(ctx, t, b.pool, &testfactory.NewcomerOpts{ControllerID: b.org.ID})
		e1 := testfactory.Enrolment(ctx, t, b.pool, &testfactory.EnrolmentOpts{ActivityID: a.ID, NewcomerID: n1.ID})
		e2 := testfactory.Enrolment(ctx, t, b.pool, &testfactory.EnrolmentOpts{ActivityID: a.ID, NewcomerID: n2.ID})
		require.Equal(t, partnernet.EnrolmentEnrolled, e1.Status)
		require.Equal(t, partnernet.EnrolmentWaitlisted, e2.Status, "the one place is taken")
		got, err := b.st.EnrolmentGetMany(ctx, []int64{e1.ID, e2.ID})
		require.NoError(t, err)
		require.ElementsMatch(t, []partnernet.Enrolment{e1, e2}, got)
	})

	t.Run("Cancelled", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		a := testfactory.Activity(ctx, t, b.pool, &testfactory.ActivityOpts{OrganiserID: b.org.ID, Status: partnernet.ActivityCancelled})
		require.Equal(t, partnernet.ActivityCancelled, a.Status)
		require.NotNil(t, a.PublishedAt, "published before it was cancelled")
		require.NotNil(t, a.CancelledAt)
	})
}

func TestCourseAndAdvice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	c := testfactory.Course(ctx, t, b.pool, &testfactory.CourseOpts{OrganisationID: b.org.ID, RequiredSessions: 2})
	require.Equal(t, "ar", c.Language)
	require.Equal(t, 2, c.RequiredSessions)
	courses, err := b.st.CourseGetMany(ctx, []int64{c.ID})
	require.NoError(t, err)
	require.Equal(t, []partnernet.Course{c}, courses)

	s := testfactory.CourseSession(ctx, t, b.pool, &testfactory.CourseSessionOpts{CourseID: c.ID})
	require.Equal(t, partnernet.SessionLesson, s.Kind)
	require.Equal(t, b.org.ID, s.OrganisationID)
	require.Equal(t, 2*time.Hour, s.EndsAt.Sub(s.StartsAt))
	sessions, err := b.st.CourseSessionGetMany(ctx, []int64{s.ID})
	require.NoError(t, err)
	require.Equal(t, []partnernet.CourseSession{s}, sessions)

	n := testfactory.Newcomer(ctx, t, b.pool, &testfactory.NewcomerOpts{ControllerID: b.org.ID})
	p := testfactory.CourseParticipant(ctx, t, b.pool, &testfactory.CourseParticipantOpts{CourseID: c.ID, NewcomerID: n.ID})
	participants, err := b.st.CourseParticipantGetMany(ctx, []int64{p.ID})
	require.NoError(t, err)
	require.Equal(t, []partnernet.CourseParticipant{p}, participants)

	d := testfactory.AdviceDesk(ctx, t, b.pool, &testfactory.AdviceDeskOpts{OrganisationID: b.org.ID, MunicipalityID: &b.municipality.ID})
	require.Equal(t, "Medborgarhuset", d.Place)
	desks, err := b.st.AdviceDeskGetMany(ctx, []int64{d.ID})
	require.NoError(t, err)
	require.Equal(t, []partnernet.AdviceDesk{d}, desks)
}
