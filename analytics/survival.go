package analytics

import (
	"slices"
	"strings"
)

// KaplanMeier returns the product-limit (Kaplan–Meier) estimate of the share of a group still
// without an event at the end of each of a run of intervals: the group counts n at the start of
// the first, and events[i] of them have the event and censored[i] leave follow-up without it
// (censored) in interval i. At interval i, with r at risk at its start (n less the events and
// censorings before), the estimate is multiplied by 1 - events[i]/r. Events within an interval
// are taken before its censorings, as the estimator takes tied times; times are whole months.
// An interval nobody is at risk in leaves the estimate as it is.
func KaplanMeier(n int, events, censored []int) []float64 {
	out := make([]float64, len(events))
	s, atRisk := 1.0, n
	for i, d := range events {
		if atRisk > 0 {
			s *= 1 - float64(min(d, atRisk))/float64(atRisk)
		}
		out[i] = s
		atRisk -= d + censored[i]
	}
	return out
}

// CurvePoint is a point of a time-to-event curve: the share of the group estimated to have had
// the event by Month months after arrival (1 less the Kaplan–Meier estimate).
type CurvePoint struct {
	Month   int
	Reached float64
}

// CohortCell is an outcome's cell of one group: its value (EVENT:03-06, WORK, IMPROVED…), its
// count as published, and for the values a share is of, its share of them.
type CohortCell struct {
	Value      string
	Count      *int
	Suppressed bool
	// Share is Count over the sum of the counted values' counts ([CohortOutcome.Counted]);
	// nil for other values, or when one of them is suppressed or their sum is below the
	// threshold.
	Share *float64
}

// CohortGroup is one group of a cohort table (a municipality, a cohort, participants of a
// programme, or two of these), with what the published cells say of its outcome.
type CohortGroup struct {
	// Key holds the group's values, one per grouping dimension.
	Key []string
	// Size is the number of newcomers in the group, as published; nil when suppressed.
	Size       *int
	Suppressed bool
	// Cells are the outcome's cells of the group, in order of value.
	Cells []CohortCell
	// Curve is the time-to-event curve, as far as it is published (TimeToEvent outcomes).
	Curve []CurvePoint
	// Median is the first month of the curve by which half the group has had the event; nil
	// when the published curve does not reach half.
	Median *int
	// Estimated says that the curve or the shares needed a suppressed count, and took it as
	// estimated from the published ones ([CohortGroup.estimate]).
	Estimated bool
	// estimates are the suppressed counts of the group's line as estimated, by value; hidden is
	// how many of the group they stand for.
	estimates map[string]int
	hidden    int
}

// ReadCohort reads the groups of a protected cohort table (over grouping dimensions and, last,
// the outcome o), with their sizes from the protected table over the grouping dimensions alone.
// Everything it reads is published: the curve is the Kaplan–Meier estimate computed from the
// published counts (rounded; a suppressed one estimated from the published ones, and the group
// marked Estimated), so it tells nothing the tables do not. A curve is drawn only for a group
// whose size is published (at least the threshold) and at least half of it in published counts; a
// point at the end of an interval only when
// at least threshold newcomers were at risk at its start and at least threshold of them were
// observed to its end (had the event, or stayed in follow-up); the curve stops at the first
// interval that is not. Shares are computed likewise from published counts.
func ReadCohort(o CohortOutcome, sizes, table Table, threshold int) []CohortGroup {
	nGroup := len(sizes.Dimensions)
	var groups []CohortGroup
	index := map[string]int{}
	for _, c := range sizes.Cells {
		index[strings.Join(c.Key, "|")] = len(groups)
		groups = append(groups, CohortGroup{Key: c.Key, Size: c.Count, Suppressed: c.Suppressed})
	}
	for _, c := range table.Cells {
		i, ok := index[strings.Join(c.Key[:nGroup], "|")]
		if !ok {
			continue // cannot be: every cell's group has a size
		}
		groups[i].Cells = append(groups[i].Cells, CohortCell{Value: c.Key[nGroup], Count: c.Count, Suppressed: c.Suppressed})
	}
	for i := range groups {
		g := &groups[i]
		g.estimate(threshold)
		switch o.Kind {
		case TimeToEvent:
			g.Curve, g.Median = curve(g, threshold)
		case StatusAt, Change:
			shares(g, o.Counted, threshold)
		}
	}
	return groups
}

// curve computes a group's published curve and median.
func curve(g *CohortGroup, threshold int) ([]CurvePoint, *int) {
	if g.Size == nil || *g.Size < threshold || g.uncertain() {
		return nil, nil
	}
	points := []CurvePoint{{Month: 0, Reached: 0}}
	var events, censored []int
	atRisk := *g.Size
	for i := 0; i+1 < len(Interval); i++ {
		d, dImputed := g.count(EventPrefix+intervalLabel(i), threshold)
		c, cImputed := g.count(CensoredPrefix+intervalLabel(i), threshold)
		if atRisk < threshold || atRisk-c < threshold {
			break
		}
		g.Estimated = g.Estimated || dImputed || cImputed
		events, censored = append(events, d), append(censored, c)
		s := KaplanMeier(*g.Size, events, censored)
		points = append(points, CurvePoint{Month: Interval[i+1], Reached: 1 - s[len(s)-1]})
		atRisk -= d + c
	}
	for _, p := range points {
		if p.Reached >= 0.5 {
			m := p.Month
			return points, &m
		}
	}
	return points, nil
}

// estimate estimates the group's suppressed counts from the published ones: the line of a group
// adds up to its size, so what the published cells leave of it (the size less their counts) is
// shared equally among the suppressed cells, each at least 1, or, where that leaves nothing
// (rounding) or the line holds a withheld value (NO_ANSWER, which takes most of the rest), taken
// as [Imputed]. An estimate is a function of published counts only.
func (g *CohortGroup) estimate(threshold int) {
	if g.Size == nil {
		return
	}
	rest, hidden, withheld := *g.Size, 0, false
	for _, c := range g.Cells {
		switch {
		case c.Value == NoAnswer:
			withheld = true
		case c.Suppressed:
			hidden++
		default:
			rest -= *c.Count
		}
	}
	if hidden == 0 {
		return
	}
	each := Imputed(threshold)
	if !withheld && rest/hidden >= 1 {
		each = rest / hidden
	}
	g.estimates = map[string]int{}
	for _, c := range g.Cells {
		if c.Suppressed && c.Value != NoAnswer {
			g.estimates[c.Value] = max(each, 1)
			g.hidden += max(each, 1)
		}
	}
}

// uncertain reports whether more than half of the group lies in suppressed counts: too much to
// estimate a curve or shares from.
func (g *CohortGroup) uncertain() bool { return g.Size == nil || 2*g.hidden > *g.Size }

// Imputed is what a suppressed count is taken as when the published counts leave nothing to
// estimate it from: half the threshold less one, rounded down (2 at threshold 5), the middle of
// the small counts it most likely is.
func Imputed(threshold int) int { return (threshold - 1) / 2 }

// count returns the published count of the group's cell of value: 0 when absent, its estimate
// when suppressed (and true).
func (g *CohortGroup) count(value string, _ int) (int, bool) {
	i := slices.IndexFunc(g.Cells, func(c CohortCell) bool { return c.Value == value })
	switch {
	case i < 0:
		return 0, false
	case g.Cells[i].Suppressed:
		return g.estimates[value], true
	default:
		return *g.Cells[i].Count, false
	}
}

// shares sets the share of each counted value of a group, of a group whose size is published,
// when they add up to at least the threshold (suppressed counts taken as [Imputed]).
func shares(g *CohortGroup, counted []string, threshold int) {
	if g.uncertain() {
		return
	}
	sum, imputed := 0, false
	for _, v := range counted {
		n, x := g.count(v, threshold)
		sum, imputed = sum+n, imputed || x
	}
	if sum < threshold {
		return
	}
	g.Estimated = imputed
	for i, c := range g.Cells {
		if slices.Contains(counted, c.Value) {
			n, _ := g.count(c.Value, threshold)
			share := float64(n) / float64(sum)
			g.Cells[i].Share = &share
		}
	}
}
