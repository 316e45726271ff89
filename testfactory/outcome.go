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

// OutcomeOpts are the options of [Outcome].
type OutcomeOpts struct {
	// NewcomerID is the newcomer; required.
	NewcomerID int64
	// RecordedByOrgID is the recording organisation; the newcomer's controller by default.
	RecordedByOrgID int64
	// Kind defaults to WORK.
	Kind partnernet.OutcomeKind
	// StartedOn is required; EndedOn, SfiCourse and SfiProgress are left empty by default.
	StartedOn   time.Time
	EndedOn     *time.Time
	SfiCourse   *partnernet.SfiCourse
	SfiProgress *partnernet.SfiProgress
}

// Outcome records an establishment outcome through the store, as recordOutcome does (validated
// against today), and returns it as stored.
func Outcome(ctx context.Context, t testing.TB, db store.DBTX, opts *OutcomeOpts) partnernet.Outcome {
	t.Helper()
	o := *opts
	require.NotZero(t, o.NewcomerID, "testfactory: OutcomeOpts.NewcomerID is required")
	st := store.New(db)
	if o.RecordedByOrgID == 0 {
		got, err := st.NewcomerGetMany(ctx, []int64{o.NewcomerID})
		require.NoError(t, err)
		require.Len(t, got, 1, "testfactory: no newcomer %d", o.NewcomerID)
		o.RecordedByOrgID = got[0].ControllerID
	}
	out := partnernet.Outcome{NewcomerID: o.NewcomerID, RecordedByOrgID: o.RecordedByOrgID, Kind: cmp.Or(o.Kind, partnernet.OutcomeWork),
		StartedOn: partnernet.Date(o.StartedOn), EndedOn: partnernet.DateOf(o.EndedOn), SfiCourse: o.SfiCourse, SfiProgress: o.SfiProgress}
	require.NoError(t, out.Validate("testfactory", time.Now()), "testfactory: outcome")
	out, err := st.OutcomeCreate(ctx, out, actor)
	require.NoError(t, err, "testfactory: record outcome")
	return out
}

// ResponseOpts are the options of [Response].
type ResponseOpts struct {
	// NewcomerID is the newcomer who answers; required.
	NewcomerID int64
	// Language defaults to "sv".
	Language string
	// Declined records a decline instead of answers.
	Declined bool
	// Who5 answers the five WHO-5 statements with this value each (0–5), SelfRatedHealth the
	// self-rated health question (1–5) when not zero; Answers adds answers of its own.
	Who5            *int
	SelfRatedHealth int
	Answers         []partnernet.QuestionnaireAnswer
	// Shared records, with the response, the newcomer's consent to statistics of their answers
	// (purpose STATISTICS, category WELLBEING), as answerQuestionnaire does with
	// shareInStatistics.
	Shared bool
}

// Response stores a newcomer's response to the questionnaire (or decline) through the store, and
// returns it as stored.
func Response(ctx context.Context, t testing.TB, db store.DBTX, opts *ResponseOpts) partnernet.QuestionnaireResponse {
	t.Helper()
	o := *opts
	require.NotZero(t, o.NewcomerID, "testfactory: ResponseOpts.NewcomerID is required")
	r := partnernet.QuestionnaireResponse{NewcomerID: o.NewcomerID, Version: partnernet.QuestionnaireVersion,
		Language: cmp.Or(o.Language, "sv"), Declined: o.Declined, Answers: o.Answers}
	for _, in := range partnernet.Instruments {
		if in.Name != partnernet.InstrumentWho5 || o.Who5 == nil {
			continue
		}
		for _, item := range in.Items {
			r.Answers = append(r.Answers, partnernet.QuestionnaireAnswer{Item: item, Value: *o.Who5})
		}
	}
	if o.SelfRatedHealth != 0 {
		r.Answers = append(r.Answers, partnernet.QuestionnaireAnswer{Item: partnernet.ItemSelfRatedHealth, Value: o.SelfRatedHealth})
	}
	require.NoError(t, r.Validate("testfactory"), "testfactory: response")
	st := store.New(db)
	r, err := st.QuestionnaireResponseCreate(ctx, r)
	require.NoError(t, err, "testfactory: store response")
	if o.Shared {
		Consent(ctx, t, db, &ConsentOpts{NewcomerID: o.NewcomerID, Purposes: []partnernet.Purpose{partnernet.PurposeStatistics},
			DataCategories: []partnernet.DataCategory{partnernet.CategoryWellbeing}, Method: partnernet.MethodDigital})
	}
	return r
}
