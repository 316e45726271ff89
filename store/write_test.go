package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/store"
)

// writeBundle is a store over the demo network with a few newcomers, and the ids the wide
// writes refer to.
type writeBundle struct {
	pool                    *pgxpool.Pool
	st                      *store.Store
	ctx                     context.Context
	malmo, lund             partnernet.Municipality // municipalities
	malmoOrg, imOrg, abfOrg int64                   // organisations
	newcomer                int64
}

func setupWrite(t *testing.T) writeBundle {
	t.Helper()
	b := writeBundle{pool: dbtest.NewPool(t), ctx: context.Background()}
	b.st = store.New(b.pool)
	_, err := seed.Load(b.ctx, b.st, seed.Options{Newcomers: 3, Seed: 1}, nil)
	require.NoError(t, err)
	b.malmo, err = b.st.MunicipalityGetByCode(b.ctx, "1280")
	require.NoError(t, err)
	b.lund, err = b.st.MunicipalityGetByCode(b.ctx, "1281")
	require.NoError(t, err)
	for slug, id := range map[string]*int64{"malmo": &b.malmoOrg, "im": &b.imOrg, "abf": &b.abfOrg} {
		o, err := b.st.OrganisationGetBySlug(b.ctx, slug)
		require.NoError(t, err)
		*id = o.ID
	}
	require.NoError(t, b.pool.QueryRow(b.ctx, "SELECT min(id) FROM newcomer").Scan(&b.newcomer))
	return b
}

// The wide writes below derive their column lists, placeholders and arguments from one list of
// (column, value) pairs; each test writes every field and reads each back in its own field, so a
// value written to a neighbour's column would show.

func TestNewcomerRegisterStoresEveryField(t *testing.T) {
	t.Parallel()
	b := setupWrite(t)
	year, gender := 1990, partnernet.GenderFemale
	arrival := time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)
	plan := time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC)
	in := partnernet.Newcomer{
		ControllerID: b.malmoOrg, MunicipalityID: b.malmo.ID, DisplayName: "Amina Testsson (syntetisk)",
		BirthYear: &year, Gender: &gender, ArrivalDate: &arrival, PlanStartDate: &plan, ResidenceMunicipalityID: &b.lund.ID,
	}
	var got partnernet.Newcomer
	require.NoError(t, b.st.InTx(b.ctx, func(tx *store.Store) error {
		var err error
		got, err = tx.NewcomerRegister(b.ctx, partnernet.Registration{Newcomer: in})
		return err
	}))
	require.NotZero(t, got.ID)
	require.Equal(t, in.ControllerID, got.ControllerID)
	require.Equal(t, in.MunicipalityID, got.MunicipalityID)
	require.Equal(t, in.DisplayName, got.DisplayName)
	require.Equal(t, in.BirthYear, got.BirthYear)
	require.Equal(t, in.Gender, got.Gender)
	require.NotNil(t, got.ArrivalDate)
	require.Equal(t, "2025-03-14", got.ArrivalDate.Format(time.DateOnly))
	require.NotNil(t, got.PlanStartDate)
	require.Equal(t, "2025-05-02", got.PlanStartDate.Format(time.DateOnly))
	require.Equal(t, in.ResidenceMunicipalityID, got.ResidenceMunicipalityID)
}

func TestConsentRecordCreateStoresEveryField(t *testing.T) {
	t.Parallel()
	b := setupWrite(t)
	from := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	until := time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
	in := partnernet.ConsentRecord{
		NewcomerID: b.newcomer, ControllerID: b.malmoOrg, RecipientIDs: []int64{b.imOrg, b.abfOrg},
		Purposes:       []partnernet.Purpose{partnernet.PurposeAdvice, partnernet.PurposeReferral},
		DataCategories: []partnernet.DataCategory{partnernet.CategoryContact, partnernet.CategoryLanguages},
		LegalBasis:     partnernet.BasisConsent, Method: partnernet.MethodDigital,
		NoticeLanguage: "ar", NoticeVersion: "2026.2", ValidFrom: from, ValidUntil: &until,
	}
	var got partnernet.ConsentRecord
	require.NoError(t, b.st.InTx(b.ctx, func(tx *store.Store) error {
		var err error
		got, err = tx.ConsentRecordCreate(b.ctx, in, "coordinator@malmo")
		return err
	}))
	require.NotZero(t, got.ID)
	require.Equal(t, in.NewcomerID, got.NewcomerID)
	require.Equal(t, in.ControllerID, got.ControllerID)
	require.ElementsMatch(t, in.RecipientIDs, got.RecipientIDs)
	require.ElementsMatch(t, in.Purposes, got.Purposes)
	require.ElementsMatch(t, in.DataCategories, got.DataCategories)
	require.Equal(t, in.LegalBasis, got.LegalBasis)
	require.Equal(t, in.Method, got.Method)
	require.Equal(t, in.NoticeLanguage, got.NoticeLanguage)
	require.Equal(t, in.NoticeVersion, got.NoticeVersion)
	require.True(t, from.Equal(got.ValidFrom), "valid from %s", got.ValidFrom)
	require.NotNil(t, got.ValidUntil)
	require.True(t, until.Equal(*got.ValidUntil), "valid until %s", got.ValidUntil)
	require.Equal(t, "coordinator@malmo", got.RecordedBy)
	require.Equal(t, partnernet.ConsentGiven, got.LastEvent)

	events, err := b.st.ConsentEventListByRecords(b.ctx, []int64{got.ID})
	require.NoError(t, err)
	require.Len(t, events, 1)
	require.Equal(t, partnernet.ConsentGiven, events[0].Kind)
	require.Equal(t, "coordinator@malmo", events[0].Actor, "the GIVEN event is the recorder's")
}

func TestReferralCreateStoresEveryField(t *testing.T) {
	t.Parallel()
	b := setupWrite(t)
	// The newcomer was last active long ago; a referral makes them active now.
	_, err := b.pool.Exec(b.ctx, "UPDATE newcomer SET last_activity_at = '2020-01-01' WHERE id = $1", b.newcomer)
	require.NoError(t, err)
	service, note := "Synthetic: RÅDRUM advice", "Needs help with a letter"
	in := partnernet.Referral{
		NewcomerID: b.newcomer, FromOrgID: b.malmoOrg, ToOrgID: b.imOrg, Service: &service,
		Purpose: partnernet.PurposeReferral, ReferrerNote: &note, CreatedBy: "coordinator@malmo",
	}
	var got partnernet.Referral
	require.NoError(t, b.st.InTx(b.ctx, func(tx *store.Store) error {
		got, err = tx.ReferralCreate(b.ctx, in)
		return err
	}))
	require.NotZero(t, got.ID)
	require.Equal(t, in.NewcomerID, got.NewcomerID)
	require.Equal(t, in.FromOrgID, got.FromOrgID)
	require.Equal(t, in.ToOrgID, got.ToOrgID)
	require.Nil(t, got.ActivityID)
	require.Equal(t, in.Service, got.Service)
	require.Equal(t, in.Purpose, got.Purpose)
	require.Equal(t, in.ReferrerNote, got.ReferrerNote)
	require.Equal(t, in.CreatedBy, got.CreatedBy)
	require.Equal(t, partnernet.ReferralSent, got.Status)

	events, err := b.st.ReferralEventListByReferrals(b.ctx, []int64{got.ID})
	require.NoError(t, err)
	require.Len(t, events, 1)
	require.Equal(t, partnernet.ReferralSent, events[0].Status)
	require.Equal(t, "coordinator@malmo", events[0].Actor, "the SENT event is the referrer's")

	var active time.Time
	require.NoError(t, b.pool.QueryRow(b.ctx, "SELECT last_activity_at FROM newcomer WHERE id = $1", b.newcomer).Scan(&active))
	require.True(t, active.After(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)), "the referred newcomer is active: %s", active)
}
