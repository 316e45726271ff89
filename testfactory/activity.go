package testfactory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// ActivityOpts are the options of [Activity].
type ActivityOpts struct {
	// OrganiserID is the organising organisation; required.
	OrganiserID int64
	// ProgrammeID defaults to NAD's, which the factory creates when the database has none.
	ProgrammeID int64
	// MunicipalityID defaults, for an activity in a place, to the organiser's home municipality.
	MunicipalityID *int64
	// Title defaults to a unique "Aktivitet N", TitleEn to "Activity N".
	Title, TitleEn string
	// Category defaults to SOCIAL_MEETING_PLACE.
	Category partnernet.ActivityCategory
	// Languages defaults to Swedish ("sv").
	Languages []string
	// TargetGroups defaults to EVERYONE.
	TargetGroups []partnernet.TargetGroup
	// Online activities need an https OnlineURL; others take place in MunicipalityID, at Address.
	Online    bool
	OnlineURL *string
	Address   *string
	// Schedule is when it takes place; unscheduled by default. Its occurrences are expanded as
	// the API does; its DurationMinutes defaults to 60.
	Schedule partnernet.Schedule
	// MoreSchedules are its further schedules; none by default.
	MoreSchedules []partnernet.Schedule
	// Capacity is the number of places; no limit by default.
	Capacity *int
	// CoOrganiserIDs are the co-organising organisations; none by default.
	CoOrganiserIDs []int64
	// MinAge and MaxAge bound who may take part by age; no bound by default.
	MinAge, MaxAge *int
	// CostSEK is the fee; free by default.
	CostSEK int
	// ApplicationProcess and InterpretationServices are empty by default.
	ApplicationProcess, InterpretationServices string
	// ServiceAreaIDs are the municipalities served; none (anyone) by default.
	ServiceAreaIDs []int64
	// ContactEmail and ContactPhone are none by default.
	ContactEmail, ContactPhone *string
	// Status defaults to DRAFT. PUBLISHED publishes the activity; CANCELLED and FINISHED publish
	// it, then cancel or finish it.
	Status partnernet.ActivityStatus
}

// Activity creates an activity, as createActivity does, brings it to its status, and returns it
// as stored. It fails the test when the activity breaks a rule of [partnernet.Activity.Validate].
func Activity(ctx context.Context, t testing.TB, db store.DBTX, opts *ActivityOpts) partnernet.Activity {
	t.Helper()
	o := *opts
	require.NotZero(t, o.OrganiserID, "testfactory: ActivityOpts.OrganiserID is required")
	if o.ProgrammeID == 0 {
		o.ProgrammeID = nad(ctx, t, db)
	}
	if o.MunicipalityID == nil && !o.Online {
		o.MunicipalityID = organisationGet(ctx, t, db, o.OrganiserID).HomeMunicipalityID
	}
	n := next()
	a := partnernet.Activity{
		OrganiserID: o.OrganiserID, ProgrammeID: o.ProgrammeID, MunicipalityID: o.MunicipalityID,
		Title:        cmp.Or(o.Title, fmt.Sprintf("Aktivitet %d", n)),
		TitleEn:      cmp.Or(o.TitleEn, fmt.Sprintf("Activity %d", n)),
		Category:     cmp.Or(o.Category, partnernet.ActivitySocialMeetingPlace),
		Languages:    o.Languages,
		TargetGroups: o.TargetGroups,
		Online:       o.Online, OnlineURL: o.OnlineURL, Address: o.Address,
		Schedule: o.Schedule, MoreSchedules: o.MoreSchedules, Capacity: o.Capacity, CoOrganiserIDs: o.CoOrganiserIDs,
		MinAge: o.MinAge, MaxAge: o.MaxAge, CostSEK: o.CostSEK,
		ApplicationProcess: o.ApplicationProcess, InterpretationServices: o.InterpretationServices,
		ServiceAreaIDs: o.ServiceAreaIDs, ContactEmail: o.ContactEmail, ContactPhone: o.ContactPhone,
	}
	if a.Schedule.DurationMinutes == 0 {
		a.Schedule.DurationMinutes = 60
	}
	if len(a.Languages) == 0 {
		a.Languages = []string{"sv"}
	}
	if len(a.TargetGroups) == 0 {
		a.TargetGroups = []partnernet.TargetGroup{partnernet.TargetEveryone}
	}
	require.NoError(t, a.Validate("activity"), "testfactory: an activity the API would refuse")
	occurrences, err := a.Occurrences("activity", time.Now())
	require.NoError(t, err, "testfactory: expand the activity's schedule")
	var steps []partnernet.ActivityStatus
	switch o.Status {
	case "", partnernet.ActivityDraft:
	case partnernet.ActivityPublished:
		steps = []partnernet.ActivityStatus{partnernet.ActivityPublished}
	default:
		steps = []partnernet.ActivityStatus{partnernet.ActivityPublished, o.Status}
	}
	err = store.New(db).InTx(ctx, func(tx *store.Store) error {
		var err error
		if a, err = tx.ActivityCreate(ctx, a, occurrences); err != nil {
			return err
		}
		for _, s := range steps {
			if a, err = tx.ActivitySetStatus(ctx, a.ID, s); err != nil {
				return err
			}
		}
		return nil
	})
	require.NoError(t, err, "testfactory: create activity")
	return a
}

// nad returns the id of programme NAD, creating it when the database has none.
func nad(ctx context.Context, t testing.TB, db store.DBTX) int64 {
	t.Helper()
	p, err := store.New(db).ProgrammeGetByCode(ctx, partnernet.ProgrammeNAD)
	if errors.Is(err, partnernet.ErrNotFound) {
		return Programme(ctx, t, db, &ProgrammeOpts{Code: partnernet.ProgrammeNAD, Name: "Network–Activity–Participation", NameSv: "Nätverk–Aktivitet–Delaktighet"}).ID
	}
	require.NoError(t, err)
	return p.ID
}

// EnrolmentOpts are the options of [Enrolment].
type EnrolmentOpts struct {
	// ActivityID and NewcomerID say who enrols in what; required.
	ActivityID, NewcomerID int64
	// By is who enrols them; "testfactory" by default.
	By string
}

// Enrolment enrols a newcomer in an activity, or puts them on its waitlist when its places are
// taken, as enrol does, and returns the enrolment as stored.
func Enrolment(ctx context.Context, t testing.TB, db store.DBTX, opts *EnrolmentOpts) partnernet.Enrolment {
	t.Helper()
	o := *opts
	require.NotZero(t, o.ActivityID, "testfactory: EnrolmentOpts.ActivityID is required")
	require.NotZero(t, o.NewcomerID, "testfactory: EnrolmentOpts.NewcomerID is required")
	var e partnernet.Enrolment
	err := store.New(db).InTx(ctx, func(tx *store.Store) error {
		a, err := tx.ActivityLock(ctx, o.ActivityID)
		if err != nil {
			return err
		}
		e, err = tx.EnrolmentCreate(ctx, a, o.NewcomerID, cmp.Or(o.By, actor))
		return err
	})
	require.NoError(t, err, "testfactory: enrol newcomer %d in activity %d", o.NewcomerID, o.ActivityID)
	return e
}
