package testfactory

import (
	"cmp"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// CourseOpts are the options of [Course].
type CourseOpts struct {
	// OrganisationID is the organisation giving the course; required.
	OrganisationID int64
	// MunicipalityID is where it is given; none by default.
	MunicipalityID *int64
	// Title defaults to a unique "Samhällsorientering N".
	Title string
	// Language defaults to Arabic ("ar").
	Language string
	// Communicator defaults to "communicator@fixture".
	Communicator string
	// RequiredSessions defaults to 1.
	RequiredSessions int
}

// Course creates an SHK course, as createCourse does, and returns it as stored. It fails the
// test when the course breaks a rule of [partnernet.Course.Validate].
func Course(ctx context.Context, t testing.TB, db store.DBTX, opts *CourseOpts) partnernet.Course {
	t.Helper()
	o := *opts
	require.NotZero(t, o.OrganisationID, "testfactory: CourseOpts.OrganisationID is required")
	c := partnernet.Course{
		OrganisationID: o.OrganisationID, MunicipalityID: o.MunicipalityID,
		Title:            cmp.Or(o.Title, fmt.Sprintf("Samhällsorientering %d", next())),
		Language:         cmp.Or(o.Language, "ar"),
		Communicator:     cmp.Or(o.Communicator, "communicator@fixture"),
		RequiredSessions: cmp.Or(o.RequiredSessions, 1),
	}
	require.NoError(t, c.Validate("course"), "testfactory: a course the API would refuse")
	c, err := store.New(db).CourseCreate(ctx, c)
	require.NoError(t, err, "testfactory: create course")
	return c
}

// CourseSessionOpts are the options of [CourseSession].
type CourseSessionOpts struct {
	// CourseID is the session's course; required.
	CourseID int64
	// Kind defaults to LESSON.
	Kind partnernet.CourseSessionKind
	// StartsAt defaults to 10:00 UTC tomorrow, EndsAt to two hours after the start.
	StartsAt, EndsAt time.Time
	// Topic defaults to "Lektion", Place to "Biblioteket".
	Topic, Place string
}

// CourseSession adds a session to a course, as addCourseSession does, and returns it as stored.
// It fails the test when the session breaks a rule of [partnernet.CourseSession.Validate].
func CourseSession(ctx context.Context, t testing.TB, db store.DBTX, opts *CourseSessionOpts) partnernet.CourseSession {
	t.Helper()
	o := *opts
	require.NotZero(t, o.CourseID, "testfactory: CourseSessionOpts.CourseID is required")
	if o.StartsAt.IsZero() {
		o.StartsAt = time.Now().UTC().Truncate(24 * time.Hour).Add(34 * time.Hour)
	}
	if o.EndsAt.IsZero() {
		o.EndsAt = o.StartsAt.Add(2 * time.Hour)
	}
	x := partnernet.CourseSession{
		CourseID: o.CourseID, Kind: cmp.Or(o.Kind, partnernet.SessionLesson), StartsAt: o.StartsAt, EndsAt: o.EndsAt,
		Topic: cmp.Or(o.Topic, "Lektion"), Place: cmp.Or(o.Place, "Biblioteket"),
	}
	require.NoError(t, x.Validate("session"), "testfactory: a course session the API would refuse")
	x, err := store.New(db).CourseSessionCreate(ctx, x)
	require.NoError(t, err, "testfactory: create course session")
	return x
}

// CourseParticipantOpts are the options of [CourseParticipant].
type CourseParticipantOpts struct {
	// CourseID and NewcomerID say who takes part in what; required.
	CourseID, NewcomerID int64
	// By is who enrols them; "testfactory" by default.
	By string
}

// CourseParticipant enrols a newcomer in a course and returns the participation as stored.
func CourseParticipant(ctx context.Context, t testing.TB, db store.DBTX, opts *CourseParticipantOpts) partnernet.CourseParticipant {
	t.Helper()
	o := *opts
	require.NotZero(t, o.CourseID, "testfactory: CourseParticipantOpts.CourseID is required")
	require.NotZero(t, o.NewcomerID, "testfactory: CourseParticipantOpts.NewcomerID is required")
	p, err := store.New(db).CourseParticipantCreate(ctx, o.CourseID, o.NewcomerID, cmp.Or(o.By, actor))
	require.NoError(t, err, "testfactory: enrol newcomer %d in course %d", o.NewcomerID, o.CourseID)
	return p
}
