package analytics

import (
	"slices"
	"strconv"
)

// The dimensions aggregates are broken down by. A value is a code: YYYY-MM for months, the
// programme's code, the municipality's four-digit code, the enum value of a category, gender,
// topic, status or purpose, a language's ISO 639 code, an organisation's slug, an age band such
// as 30-39; UNKNOWN where the data does not say.
const (
	DimMonth            = "MONTH"
	DimProgramme        = "PROGRAMME"
	DimMunicipality     = "MUNICIPALITY"
	DimCategory         = "CATEGORY"
	DimLanguage         = "LANGUAGE"
	DimAgeBand          = "AGE_BAND"
	DimGender           = "GENDER"
	DimOrganiser        = "ORGANISER"
	DimOutcome          = "OUTCOME"
	DimTopic            = "TOPIC"
	DimFromOrganisation = "FROM_ORGANISATION"
	DimToOrganisation   = "TO_ORGANISATION"
	DimPurpose          = "PURPOSE"
	// DimDesk is the advice desk (its id): internal, for the RÅDRUM statistics by desk.
	DimDesk = "DESK"
	// DimActivity is the activity, by its global ID (as the API gives it).
	DimActivity = "ACTIVITY"
)

// Unknown is the value of a dimension the data does not give.
const Unknown = "UNKNOWN"

// Measure is something counted: its name, the dimensions its facts carry (in this order), and
// whether it counts distinct units (newcomers) rather than facts. Internal dimensions are not
// offered to analysts' own break-downs; Published lists the tables over them that other queries
// publish, which protection accounts for.
type Measure struct {
	Name       string
	Dimensions []string
	Distinct   bool
	Internal   []string
	Published  [][]string
	// Only, when set, are the tables that may be published instead of every set of at most
	// MaxDimensions dimensions: these sets and their subsets.
	Only [][]string
	// Withheld are values never published, by dimension: a cell with one is suppressed whatever
	// its count (the cohort measures' NO_ANSWER: newcomers counted in no well-being measure).
	Withheld map[string]string
	// Controlled says that the measure's MUNICIPALITY is the municipality controlling the
	// newcomer counted, so that a municipality's aggregates are its cells.
	Controlled bool
}

// Tables returns the dimension sets (indexes into m.Dimensions, ascending) of every table of m
// that may be published: analysts' break-downs by at most [MaxDimensions] of its dimensions that
// are not internal, and the tables of Published; or the sets of Only and their subsets.
func (m Measure) Tables() [][]int {
	if len(m.Only) > 0 {
		return Sets(m.Dimensions, m.Dimensions, 0, m.Only...)
	}
	return Sets(m.Dimensions, m.Internal, MaxDimensions, m.Published...)
}

// Publishes reports whether a table over dims (indexes into m.Dimensions, ascending) is one m
// may publish: a subset of one of [Measure.Tables].
func (m Measure) Publishes(dims []int) bool {
	mask := maskOf(dims)
	for _, s := range m.Tables() {
		if mask&^maskOf(s) == 0 {
			return true
		}
	}
	return false
}

// Protect publishes the family of m's tables ([Measure.Tables]) from its facts, protected
// together at threshold ([ProtectFamily]), its Withheld values suppressed.
func (m Measure) Protect(facts []Fact, threshold int) (*Family, error) {
	withheld := map[int]string{}
	for d, v := range m.Withheld {
		if i := slices.Index(m.Dimensions, d); i >= 0 {
			withheld[i] = v
		}
	}
	return protectFamily(m.Dimensions, m.Tables(), facts, m.Distinct, threshold, withheld)
}

// The measures.
var (
	// Enrolments counts enrolments of newcomers in activities (participation).
	Enrolments = Measure{Name: "ENROLMENTS", Dimensions: []string{DimMonth, DimProgramme, DimMunicipality, DimCategory, DimLanguage, DimAgeBand, DimGender, DimOrganiser},
		Controlled: true}
	// Reach counts distinct newcomers enrolled in activities.
	Reach = Measure{Name: "REACH", Dimensions: Enrolments.Dimensions, Distinct: true, Controlled: true}
	// ShkParticipants counts participants of SHK courses, OUTCOME COMPLETED or NOT_COMPLETED.
	ShkParticipants = Measure{Name: "SHK_PARTICIPANTS", Dimensions: []string{DimMonth, DimMunicipality, DimLanguage, DimAgeBand, DimGender, DimOrganiser, DimOutcome},
		Controlled: true}
	// AdviceVisits counts visits to RÅDRUM desks; by DESK only for the statistics by desk.
	AdviceVisits = Measure{Name: "ADVICE_VISITS", Dimensions: []string{DimMonth, DimMunicipality, DimTopic, DimOrganiser, DimDesk},
		Internal: []string{DimDesk}, Published: [][]string{{DimMonth, DimTopic, DimDesk}}}
	// Referrals counts referrals between organisations, OUTCOME their status.
	Referrals = Measure{Name: "REFERRALS", Dimensions: []string{DimMonth, DimFromOrganisation, DimToOrganisation, DimOutcome, DimPurpose}}
	// ConsentCoverage counts newcomers per purpose, OUTCOME COVERED when an active consent of
	// theirs covers the purpose and NOT_COVERED otherwise; MONTH is when they were registered.
	ConsentCoverage = Measure{Name: "CONSENT_COVERAGE", Dimensions: []string{DimMonth, DimMunicipality, DimPurpose, DimOutcome}, Distinct: true,
		Controlled: true}
)

// Attendance counts the attendance recorded at occurrences of activities, OUTCOME PRESENT,
// ABSENT or EXCUSED, MONTH the occurrence's; an activity's attendance rate is PRESENT over all
// its cells by ACTIVITY and OUTCOME (issue 15).
var Attendance = Measure{Name: "ATTENDANCE", Dimensions: []string{DimMonth, DimProgramme, DimOrganiser, DimActivity, DimOutcome}}

// Measures lists every measure.
var Measures = []Measure{Enrolments, Reach, ShkParticipants, AdviceVisits, Referrals, ConsentCoverage, Attendance}

// MeasureNamed returns the measure called name.
func MeasureNamed(name string) (Measure, bool) {
	i := slices.IndexFunc(Measures, func(m Measure) bool { return m.Name == name })
	if i < 0 {
		return Measure{}, false
	}
	return Measures[i], true
}

// Fact is one counted unit of a measure: the values of its dimensions and the newcomer it is
// about (0 when none), which distinct counts count once. Weight is how many identical units it
// stands for (the store groups them; 0 counts as 1). Facts never leave the process.
type Fact struct {
	Values []string
	Unit   int64
	Weight int
}

// AgeBand is the ten-year band of someone born in birthYear, in year: "30-39", "60+", or
// Unknown when the birth year is not known.
func AgeBand(birthYear *int, year int) string {
	if birthYear == nil {
		return Unknown
	}
	age := max(year-*birthYear, 0)
	if age >= 60 {
		return "60+"
	}
	lo := age / 10 * 10
	return strconv.Itoa(lo) + "-" + strconv.Itoa(lo+9)
}
