package analytics

import (
	"slices"
	"strconv"
	"strings"
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
)

// Unknown is the value of a dimension the data does not give.
const Unknown = "UNKNOWN"

// Measure is something counted: its name, the dimensions its facts carry (in this order), and
// whether it counts distinct units (newcomers) rather than facts. Internal dimensions are not
// offered to analysts' own break-downs, but protection accounts for the tables of other queries
// that break down by them.
type Measure struct {
	Name       string
	Dimensions []string
	Distinct   bool
	Internal   []string
}

// The measures.
var (
	// Enrolments counts enrolments of newcomers in activities (participation).
	Enrolments = Measure{Name: "ENROLMENTS", Dimensions: []string{DimMonth, DimProgramme, DimMunicipality, DimCategory, DimLanguage, DimAgeBand, DimGender, DimOrganiser}}
	// Reach counts distinct newcomers enrolled in activities.
	Reach = Measure{Name: "REACH", Dimensions: Enrolments.Dimensions, Distinct: true}
	// ShkParticipants counts participants of SHK courses, OUTCOME COMPLETED or NOT_COMPLETED.
	ShkParticipants = Measure{Name: "SHK_PARTICIPANTS", Dimensions: []string{DimMonth, DimMunicipality, DimLanguage, DimAgeBand, DimGender, DimOrganiser, DimOutcome}}
	// AdviceVisits counts visits to RÅDRUM desks; by DESK only for the statistics by desk.
	AdviceVisits = Measure{Name: "ADVICE_VISITS", Dimensions: []string{DimMonth, DimMunicipality, DimTopic, DimOrganiser, DimDesk}, Internal: []string{DimDesk}}
	// Referrals counts referrals between organisations, OUTCOME their status.
	Referrals = Measure{Name: "REFERRALS", Dimensions: []string{DimMonth, DimFromOrganisation, DimToOrganisation, DimOutcome, DimPurpose}}
	// ConsentCoverage counts newcomers per purpose, OUTCOME COVERED when an active consent of
	// theirs covers the purpose and NOT_COVERED otherwise; MONTH is when they were registered.
	ConsentCoverage = Measure{Name: "CONSENT_COVERAGE", Dimensions: []string{DimMonth, DimMunicipality, DimPurpose, DimOutcome}, Distinct: true}
)

// Measures lists every measure.
var Measures = []Measure{Enrolments, Reach, ShkParticipants, AdviceVisits, Referrals, ConsentCoverage}

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

// FromFacts is the Source over facts: counts of facts, or of distinct units when distinct.
func FromFacts(facts []Fact, distinct bool) Source {
	return func(dims []int) []Cell {
		type acc struct {
			key   []string
			n     int
			units map[int64]struct{}
		}
		index := map[string]*acc{}
		var order []*acc
		for _, f := range facts {
			key := make([]string, len(dims))
			for i, d := range dims {
				key[i] = f.Values[d]
			}
			k := strings.Join(key, "\x00")
			a := index[k]
			if a == nil {
				a = &acc{key: key, units: map[int64]struct{}{}}
				index[k] = a
				order = append(order, a)
			}
			a.n += max(f.Weight, 1)
			if distinct {
				a.units[f.Unit] = struct{}{}
			}
		}
		cells := make([]Cell, 0, len(order))
		for _, a := range order {
			n := a.n
			if distinct {
				n = len(a.units)
			}
			cells = append(cells, Cell{Key: a.key, Count: n})
		}
		return cells
	}
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
