package analytics

import (
	"fmt"
	"strconv"
	"time"
)

// The dimensions of the cohort measures ([Cohorts]): how newcomers are grouped, and their
// outcomes. Every newcomer with an arrival date is one fact, counted once in every table.
const (
	// DimCohort is the quarter of arrival in Sweden, such as 2025-Q3.
	DimCohort = "COHORT"
	// The participation in a programme at any time after arrival: PARTICIPANT or
	// NOT_PARTICIPANT. SHK: an SHK course; NAD: an enrolment in a NAD activity; MYPATH: a MY PATH
	// support plan; RADRUM: a visit to a RÅDRUM desk that named the newcomer.
	DimParticipationShk    = "PARTICIPATION_SHK"
	DimParticipationNad    = "PARTICIPATION_NAD"
	DimParticipationMyPath = "PARTICIPATION_MYPATH"
	DimParticipationRadrum = "PARTICIPATION_RADRUM"
	// Time from arrival to an event, as EVENT:<interval> (it happened then) or
	// CENSORED:<interval> (followed that long without it: still in follow-up, or left the region).
	DimShkStart         = "SHK_START"
	DimShkCompletion    = "SHK_COMPLETION"
	DimFirstNadActivity = "FIRST_NAD_ACTIVITY"
	DimSupportPlan      = "SUPPORT_PLAN"
	DimSfiCompletion    = "SFI_COMPLETION"
	DimWorkOrStudies    = "WORK_OR_STUDIES"
	// Where newcomers stand 12 and 24 months after arrival: WORK, STUDIES, NEITHER, or
	// NOT_FOLLOWED (arrived less long ago, or left the region before then).
	DimAt12Months = "AT_12_MONTHS"
	DimAt24Months = "AT_24_MONTHS"
	// The change between a newcomer's first and latest answers counted in statistics:
	// IMPROVED, STABLE, WORSENED, ONE_ANSWER; NO_ANSWER (withheld) for everyone else.
	DimWho5Change            = "WHO5_CHANGE"
	DimSelfRatedHealthChange = "SELF_RATED_HEALTH_CHANGE"
	DimParticipationChange   = "PARTICIPATION_CHANGE"
)

// The values of the cohort dimensions.
const (
	Participant    = "PARTICIPANT"
	NotParticipant = "NOT_PARTICIPANT"
	// EventPrefix and CensoredPrefix start a time-to-event value: EVENT:03-06.
	EventPrefix    = "EVENT:"
	CensoredPrefix = "CENSORED:"
	StatusWork     = "WORK"
	StatusStudies  = "STUDIES"
	StatusNeither  = "NEITHER"
	NotFollowed    = "NOT_FOLLOWED"
	Improved       = "IMPROVED"
	Stable         = "STABLE"
	Worsened       = "WORSENED"
	OneAnswer      = "ONE_ANSWER"
	NoAnswer       = "NO_ANSWER"
)

// CohortProgrammes are the programmes whose participation groups newcomers, with the dimension
// of each.
var CohortProgrammes = []struct{ Programme, Dimension string }{
	{"SHK", DimParticipationShk}, {"NAD", DimParticipationNad}, {"MYPATH", DimParticipationMyPath}, {"RADRUM", DimParticipationRadrum},
}

// OutcomeKind says how a cohort outcome is read.
type OutcomeKind int

// The kinds of cohort outcome.
const (
	// TimeToEvent outcomes give Kaplan–Meier curves and medians.
	TimeToEvent OutcomeKind = iota
	// StatusAt outcomes give shares in work or studies among those followed that long.
	StatusAt
	// Change outcomes give shares improved, stable and worsened among those with two answers.
	Change
)

// CohortOutcome is an outcome of the cohort measures: its name (also its dimension) and kind.
type CohortOutcome struct {
	Name string
	Kind OutcomeKind
	// Counted are the values a share is a share of (for StatusAt and Change).
	Counted []string
}

// CohortOutcomes are the outcomes, in the order the API lists them.
var CohortOutcomes = []CohortOutcome{
	{Name: DimShkStart, Kind: TimeToEvent},
	{Name: DimShkCompletion, Kind: TimeToEvent},
	{Name: DimFirstNadActivity, Kind: TimeToEvent},
	{Name: DimSupportPlan, Kind: TimeToEvent},
	{Name: DimSfiCompletion, Kind: TimeToEvent},
	{Name: DimWorkOrStudies, Kind: TimeToEvent},
	{Name: DimAt12Months, Kind: StatusAt, Counted: []string{StatusWork, StatusStudies, StatusNeither}},
	{Name: DimAt24Months, Kind: StatusAt, Counted: []string{StatusWork, StatusStudies, StatusNeither}},
	{Name: DimWho5Change, Kind: Change, Counted: []string{Improved, Stable, Worsened}},
	{Name: DimSelfRatedHealthChange, Kind: Change, Counted: []string{Improved, Stable, Worsened}},
	{Name: DimParticipationChange, Kind: Change, Counted: []string{Improved, Stable, Worsened}},
}

// CohortOutcomeNamed returns the cohort outcome called name.
func CohortOutcomeNamed(name string) (CohortOutcome, bool) {
	for _, o := range CohortOutcomes {
		if o.Name == name {
			return o, true
		}
	}
	return CohortOutcome{}, false
}

// Cohorts is the family of the cohort measures: every newcomer with an arrival date, by the
// municipality that controls them, their arrival cohort and their participation in each
// programme, with every outcome as a dimension of its own. A table groups by at most two of
// municipality, cohort and one programme's participation, and holds at most one outcome, so that
// each outcome is read by group; the tables of every outcome are protected together, so that
// differencing across outcomes, cohorts and groups meets the same protection as within one.
var Cohorts = func() Measure {
	groups := []string{DimMunicipality, DimCohort}
	dims := append([]string{}, groups...)
	for _, p := range CohortProgrammes {
		dims = append(dims, p.Dimension)
	}
	var only [][]string
	for _, o := range CohortOutcomes {
		dims = append(dims, o.Name)
		only = append(only, []string{DimMunicipality, DimCohort, o.Name})
		for _, p := range CohortProgrammes {
			only = append(only, []string{DimMunicipality, p.Dimension, o.Name}, []string{DimCohort, p.Dimension, o.Name})
		}
	}
	return Measure{
		Name: "COHORTS", Dimensions: dims, Only: only, Controlled: true,
		Withheld: map[string]string{DimWho5Change: NoAnswer, DimSelfRatedHealthChange: NoAnswer, DimParticipationChange: NoAnswer},
	}
}()

// Score is what a newcomer's consented answers say of one instrument: the first and the latest
// score, and how many responses had one.
type Score struct {
	First, Last float64
	N           int
}

// CohortSubject is a newcomer as the cohort measures count them: never leaves the process.
type CohortSubject struct {
	// Municipality is the code of the municipality controlling the newcomer (Unknown if none).
	Municipality string
	// Arrival is the date of arrival in Sweden.
	Arrival time.Time
	// Participated says, for each of CohortProgrammes in order, whether the newcomer took part.
	Participated [4]bool
	// The first date of each event, nil while it has not happened: SHK started and completed,
	// the first enrolment in a NAD activity, the first support plan, SFI course D passed, the
	// first spell of work or studies.
	ShkStart, ShkCompletion, FirstNadActivity, SupportPlan, SfiCompletion, WorkOrStudies *time.Time
	// LeftRegion is when the newcomer left the region: their follow-up ends then.
	LeftRegion *time.Time
	// Whether a spell of work, or of studies, covered the day 12 and 24 months after arrival.
	Work12, Studies12, Work24, Studies24 bool
	// The WHO-5 score (0–100), self-rated health (1–5) and sense of participation (1–5) of the
	// responses the newcomer's consent lets statistics count.
	Who5, SelfRatedHealth, Participation Score
}

// Interval bounds, in whole months since arrival: the intervals times to events are counted in,
// quarters in the first year ([0,3), [3,6), [6,9), [9,12)), half-years in the second, then
// [24,36) and 36 months or more. Curve points lie at their ends. Intervals this wide hold counts
// large enough to publish for a cohort of a hundred or so; finer ones would be mostly suppressed.
var Interval = []int{0, 3, 6, 9, 12, 18, 24, 36}

// intervalLabel names the interval starting at Interval[i]: 00-03, …, 24-36, 36+.
func intervalLabel(i int) string {
	if i == len(Interval)-1 {
		return fmt.Sprintf("%02d+", Interval[i])
	}
	return fmt.Sprintf("%02d-%02d", Interval[i], Interval[i+1])
}

// intervalOf returns the index of the interval holding months.
func intervalOf(months int) int {
	i := 0
	for i+1 < len(Interval) && months >= Interval[i+1] {
		i++
	}
	return i
}

// MonthsBetween is the number of whole calendar months from a to b (0 when b is not after a).
func MonthsBetween(a, b time.Time) int {
	m := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	if b.Day() < a.Day() {
		m--
	}
	return max(m, 0)
}

// CohortOf is the arrival cohort of a date: its quarter, such as 2025-Q3.
func CohortOf(arrival time.Time) string {
	return strconv.Itoa(arrival.Year()) + "-Q" + strconv.Itoa((int(arrival.Month())-1)/3+1)
}

// CohortFacts turns subjects into the facts of [Cohorts], as of now: one fact each, with its
// values in the order of Cohorts.Dimensions.
func CohortFacts(subjects []CohortSubject, now time.Time) []Fact {
	out := make([]Fact, 0, len(subjects))
	for _, s := range subjects {
		end := now
		if s.LeftRegion != nil && s.LeftRegion.Before(end) {
			end = *s.LeftRegion
		}
		v := make([]string, 0, len(Cohorts.Dimensions))
		v = append(v, s.Municipality, CohortOf(s.Arrival))
		for _, p := range s.Participated {
			v = append(v, participation(p))
		}
		for _, e := range []*time.Time{s.ShkStart, s.ShkCompletion, s.FirstNadActivity, s.SupportPlan, s.SfiCompletion, s.WorkOrStudies} {
			v = append(v, timeToEvent(s.Arrival, e, end))
		}
		v = append(v, statusAt(s.Arrival, 12, end, now, s.Work12, s.Studies12), statusAt(s.Arrival, 24, end, now, s.Work24, s.Studies24))
		v = append(v, change(s.Who5, 10), change(s.SelfRatedHealth, 1), change(s.Participation, 1))
		out = append(out, Fact{Values: v, Weight: 1})
	}
	return out
}

// participation is the value of a participation dimension.
func participation(took bool) string {
	if took {
		return Participant
	}
	return NotParticipant
}

// timeToEvent is the value of a time-to-event dimension: the interval of the event, when it
// happened by the end of follow-up; else the interval follow-up ended in.
func timeToEvent(arrival time.Time, event *time.Time, end time.Time) string {
	if event != nil && !event.After(end) {
		return EventPrefix + intervalLabel(intervalOf(MonthsBetween(arrival, *event)))
	}
	return CensoredPrefix + intervalLabel(intervalOf(MonthsBetween(arrival, end)))
}

// statusAt is where a newcomer stands months after arrival: NOT_FOLLOWED unless that day has
// come (by now) within their follow-up (end).
func statusAt(arrival time.Time, months int, end, now time.Time, work, studies bool) string {
	at := arrival.AddDate(0, months, 0)
	switch {
	case at.After(now) || at.After(end):
		return NotFollowed
	case work:
		return StatusWork
	case studies:
		return StatusStudies
	default:
		return StatusNeither
	}
}

// change is the value of a change dimension: the latest score against the first, improved or
// worsened by at least step.
func change(s Score, step float64) string {
	switch {
	case s.N == 0:
		return NoAnswer
	case s.N == 1:
		return OneAnswer
	case s.Last-s.First >= step:
		return Improved
	case s.First-s.Last >= step:
		return Worsened
	default:
		return Stable
	}
}
