package testfactory

import (
	"cmp"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// NewcomerOpts are the options of [Newcomer]: the registration, by category of data.
type NewcomerOpts struct {
	// ControllerID is the registering organisation; required.
	ControllerID int64
	// MunicipalityID defaults to the controller's home municipality.
	MunicipalityID int64
	// DisplayName defaults to "Fixture Person".
	DisplayName string
	// BirthYear and Gender are left empty by default, like the other identity fields.
	BirthYear *int
	Gender    *partnernet.Gender
	// ArrivalDate is when the newcomer arrived in Sweden; none by default (in no cohort).
	ArrivalDate *time.Time
	// Contact, Languages, Health, Family and Background are the newcomer's data in the other
	// categories; none by default. Their NewcomerID is set by the factory.
	Contact    *partnernet.NewcomerContact
	Languages  []partnernet.LanguageSkill
	Health     *partnernet.NewcomerHealth
	Family     []partnernet.FamilyMember
	Background *partnernet.NewcomerBackground
}

// Newcomer registers a newcomer with their data by category, as the registry does, and returns
// the newcomer as stored.
func Newcomer(ctx context.Context, t testing.TB, db store.DBTX, opts *NewcomerOpts) partnernet.Newcomer {
	t.Helper()
	o := *opts
	require.NotZero(t, o.ControllerID, "testfactory: NewcomerOpts.ControllerID is required")
	if o.MunicipalityID == 0 {
		home := organisationGet(ctx, t, db, o.ControllerID).HomeMunicipalityID
		require.NotNil(t, home, "testfactory: organisation %d has no home municipality: set NewcomerOpts.MunicipalityID", o.ControllerID)
		o.MunicipalityID = *home
	}
	reg := partnernet.Registration{
		Newcomer: partnernet.Newcomer{
			ControllerID: o.ControllerID, MunicipalityID: o.MunicipalityID,
			DisplayName: cmp.Or(o.DisplayName, "Fixture Person"), BirthYear: o.BirthYear, Gender: o.Gender,
			ArrivalDate: o.ArrivalDate,
		},
		Contact: o.Contact, Languages: o.Languages, Health: o.Health, Family: o.Family, Background: o.Background,
	}
	var n partnernet.Newcomer
	err := store.New(db).InTx(ctx, func(tx *store.Store) error {
		var err error
		n, err = tx.NewcomerRegister(ctx, reg)
		return err
	})
	require.NoError(t, err, "testfactory: register newcomer")
	return n
}

// ConsentOpts are the options of [Consent].
type ConsentOpts struct {
	// NewcomerID is the newcomer who consents; required.
	NewcomerID int64
	// ControllerID defaults to the newcomer's controller.
	ControllerID int64
	// RecipientIDs are the organisations the data may be shared with; none by default.
	RecipientIDs []int64
	// Purposes defaults to ACTIVITY_PARTICIPATION.
	Purposes []partnernet.Purpose
	// DataCategories defaults to IDENTITY.
	DataCategories []partnernet.DataCategory
	// LegalBasis defaults to CONSENT.
	LegalBasis partnernet.LegalBasis
	// Method defaults to WRITTEN.
	Method partnernet.ConsentMethod
	// NoticeLanguage defaults to "sv" and NoticeVersion to "1".
	NoticeLanguage, NoticeVersion string
	// ValidFrom defaults to an hour ago; ValidUntil to no end.
	ValidFrom  time.Time
	ValidUntil *time.Time
	// RecordedBy defaults to "testfactory".
	RecordedBy string
	// Withdrawn withdraws the consent after recording it.
	Withdrawn bool
}

// Consent records a newcomer's consent, as recordConsent does, and returns the record as
// stored.
func Consent(ctx context.Context, t testing.TB, db store.DBTX, opts *ConsentOpts) partnernet.ConsentRecord {
	t.Helper()
	o := *opts
	require.NotZero(t, o.NewcomerID, "testfactory: ConsentOpts.NewcomerID is required")
	st := store.New(db)
	if o.ControllerID == 0 {
		got, err := st.NewcomerGetMany(ctx, []int64{o.NewcomerID})
		require.NoError(t, err)
		require.Len(t, got, 1, "testfactory: no newcomer %d", o.NewcomerID)
		o.ControllerID = got[0].ControllerID
	}
	if len(o.Purposes) == 0 {
		o.Purposes = []partnernet.Purpose{partnernet.PurposeActivityParticipation}
	}
	if len(o.DataCategories) == 0 {
		o.DataCategories = []partnernet.DataCategory{partnernet.CategoryIdentity}
	}
	if o.ValidFrom.IsZero() {
		o.ValidFrom = time.Now().Add(-time.Hour)
	}
	by := cmp.Or(o.RecordedBy, actor)
	rec := partnernet.ConsentRecord{
		NewcomerID: o.NewcomerID, ControllerID: o.ControllerID, RecipientIDs: o.RecipientIDs,
		Purposes: o.Purposes, DataCategories: o.DataCategories,
		LegalBasis: cmp.Or(o.LegalBasis, partnernet.BasisConsent), Method: cmp.Or(o.Method, partnernet.MethodWritten),
		NoticeLanguage: cmp.Or(o.NoticeLanguage, "sv"), NoticeVersion: cmp.Or(o.NoticeVersion, "1"),
		ValidFrom: o.ValidFrom, ValidUntil: o.ValidUntil,
	}
	err := st.InTx(ctx, func(tx *store.Store) error {
		var err error
		if rec, err = tx.ConsentRecordCreate(ctx, rec, by); err != nil || !o.Withdrawn {
			return err
		}
		rec, err = tx.ConsentEventAppend(ctx, rec.ID, partnernet.ConsentWithdrawn, by, nil)
		return err
	})
	require.NoError(t, err, "testfactory: record consent")
	return rec
}
