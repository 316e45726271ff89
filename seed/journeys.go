package seed

import (
	"context"
	"math"
	"math/rand/v2"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// Row kinds of the journeys (outcomes and questionnaire answers); apart from the others'.
const (
	kindJourney uint64 = 301 + iota
	kindCohortNewcomer
)

// journey is one newcomer's synthetic establishment after arrival: when they met each programme
// (for the cohort demo), their outcomes and their answers to the questionnaire. Every date lies
// between arrival and the end given.
type journey struct {
	shkStart, shkDone, firstNad, plan, visit *time.Time
	// nadActivities is how many NAD activities they joined, from firstNad on.
	nadActivities int
	outcomes      []partnernet.Outcome
	responses     []partnernet.QuestionnaireResponse
	// share says their answers count in statistics (a consent recorded with the first answer).
	share bool
}

// journeyOrgs are the organisations that record outcomes: the controlling municipality (SFI,
// leaving the region) and the Public Employment Service (work, studies, the programme).
type journeyOrgs struct{ municipality, employment int64 }

// makeJourney draws a plausible journey from arrival until end. With programmes, the newcomer
// also meets SHK, NAD, MY PATH and RÅDRUM, and those who join NAD or MY PATH find work a little
// sooner and feel a little better: the demo's curves and changes differ by participation, as an
// evaluation would look for (the effects are invented).
func makeJourney(r *rand.Rand, arrival, end time.Time, programmes bool, orgs journeyOrgs) journey {
	var j journey
	// after returns the date days after base, or nil when it falls after end.
	after := func(base time.Time, lo, hi int) *time.Time {
		d := base.AddDate(0, 0, lo+r.IntN(hi-lo+1))
		if d.After(end) {
			return nil
		}
		return &d
	}
	chance := func(percent int) bool { return r.IntN(100) < percent }
	boost := 0.0
	if programmes {
		if chance(85) {
			j.shkStart = after(arrival, 7, 150)
			if j.shkStart != nil && chance(80) {
				j.shkDone = after(*j.shkStart, 50, 120)
			}
		}
		if chance(60) {
			j.firstNad = after(arrival, 20, 360)
			j.nadActivities = 1 + r.IntN(3)
			if j.firstNad != nil {
				boost += 0.15
			}
		}
		if chance(20) {
			j.plan = after(arrival, 60, 300)
			if j.plan != nil {
				boost += 0.1
			}
		}
		if chance(25) {
			j.visit = after(arrival, 0, 400)
		}
	}
	outcome := func(kind partnernet.OutcomeKind, org int64, start time.Time, stop *time.Time) *partnernet.Outcome {
		o := partnernet.Outcome{Kind: kind, StartedOn: partnernet.Date(start), RecordedByOrgID: org, RecordedBy: "seed",
			RecordedAt: start.Add(36 * time.Hour), UpdatedAt: start.Add(36 * time.Hour)}
		if stop != nil {
			end := partnernet.Date(*stop)
			o.EndedOn = &end
		}
		j.outcomes = append(j.outcomes, o)
		return &j.outcomes[len(j.outcomes)-1]
	}
	// SFI: courses from A, B or C on, each passed (most), discontinued or still studied.
	sfiDone := false
	if start := after(arrival, 20, 120); start != nil && chance(90) {
		courses := []partnernet.SfiCourse{partnernet.SfiCourseA, partnernet.SfiCourseB, partnernet.SfiCourseC, partnernet.SfiCourseD}
		for _, c := range courses[r.IntN(3):] {
			course := c
			stop := after(*start, 100, 230)
			progress := partnernet.SfiPassed
			switch {
			case stop == nil:
				progress = partnernet.SfiStudying
			case chance(8):
				progress = partnernet.SfiDiscontinued
			}
			o := outcome(partnernet.OutcomeSfi, orgs.municipality, *start, stop)
			o.SfiCourse, o.SfiProgress = &course, &progress
			if progress != partnernet.SfiPassed {
				break
			}
			sfiDone = course == partnernet.SfiCourseD
			if start = after(*stop, 7, 40); start == nil {
				break
			}
		}
	}
	if start := after(arrival, 15, 75); start != nil && chance(75) {
		outcome(partnernet.OutcomeEstablishmentProgramme, orgs.employment, *start, after(*start, 700, 730))
	}
	workChance := 45 + int(100*boost)
	if sfiDone {
		workChance += 15
	}
	if chance(workChance) {
		delay := int(float64(150+r.IntN(750)) * (1 - boost))
		if start := after(arrival, delay, delay); start != nil {
			var stop *time.Time
			if chance(25) {
				stop = after(*start, 60, 400)
			}
			outcome(partnernet.OutcomeWork, orgs.employment, *start, stop)
		}
	}
	if start := after(arrival, 200, 800); start != nil && chance(18) {
		var stop *time.Time
		if chance(40) {
			stop = after(*start, 150, 400)
		}
		outcome(partnernet.OutcomeStudies, orgs.employment, *start, stop)
	}
	if left := after(arrival, 60, 700); left != nil && chance(7) {
		outcome(partnernet.OutcomeLeftRegion, orgs.municipality, *left, nil)
	}
	// The questionnaire: most answer it a month or three after arrival, some again later; some
	// decline, a few after answering.
	language := pick(r, []string{"ar", "ar", "sv", "en"})
	level := 45 + r.NormFloat64()*14
	first := after(arrival, 30, 100)
	if first == nil || !chance(72) {
		return j
	}
	if chance(12) {
		j.responses = append(j.responses, partnernet.QuestionnaireResponse{Version: partnernet.QuestionnaireVersion, Language: language, Declined: true, CreatedAt: *first})
		return j
	}
	j.share = chance(80)
	j.responses = append(j.responses, answers(r, language, level, *first))
	if second := after(*first, 200, 400); second != nil && chance(60) {
		j.responses = append(j.responses, answers(r, language, level+6+40*boost+r.NormFloat64()*12, *second))
		if third := after(*second, 30, 200); third != nil && chance(6) {
			j.responses = append(j.responses, partnernet.QuestionnaireResponse{Version: partnernet.QuestionnaireVersion, Language: language, Declined: true, CreatedAt: *third})
		}
	}
	return j
}

// answers draws a response whose WHO-5 score is near level (0–100), with self-rated health and
// participation near it, a question skipped now and then.
func answers(r *rand.Rand, language string, level float64, at time.Time) partnernet.QuestionnaireResponse {
	resp := partnernet.QuestionnaireResponse{Version: partnernet.QuestionnaireVersion, Language: language, CreatedAt: at}
	clamp := func(v float64, lo, hi int) int { return max(lo, min(hi, int(math.Round(v)))) }
	for _, in := range partnernet.Instruments {
		for _, item := range in.Items {
			var v int
			switch in.Name {
			case partnernet.InstrumentWho5:
				v = clamp(level/20+r.NormFloat64()*0.7, 0, 5)
			default:
				if r.IntN(20) == 0 {
					continue // skipped
				}
				v = clamp(1+level/25+r.NormFloat64()*0.8, 1, 5)
			}
			resp.Answers = append(resp.Answers, partnernet.QuestionnaireAnswer{Item: item, Value: v})
		}
	}
	return resp
}

// loadJourneys gives every synthetic newcomer of Load outcomes and answers (the demo network's
// and the benchmark's alike), with the consents to statistics of those who share their answers.
func loadJourneys(ctx context.Context, db store.DBTX, g *generator, newcomerIDs []int64) error {
	employment := g.net.orgIDsBySlug()["arbetsformedlingen"]
	var all []journeyOf
	for i, id := range newcomerIDs {
		n := g.newcomer(i)
		r := g.rng(kindJourney, i)
		all = append(all, journeyOf{newcomerID: id, controllerID: n.ControllerID,
			journey: makeJourney(r, *n.ArrivalDate, referenceTime, false, journeyOrgs{n.ControllerID, employment})})
	}
	return journeysCopy(ctx, db, all, g.net.orgIDsBySlug()[leadSlug])
}

// leadSlug is the network lead, the recipient of the consents to statistics (it owns the
// analytics).
const leadSlug = "lansstyrelsen-skane"

// journeyOf is a journey with the newcomer it belongs to.
type journeyOf struct {
	newcomerID, controllerID, municipalityID int64
	journey
}
