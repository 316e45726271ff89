package seed

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// demoDesks are IM's RÅDRUM advice desks, each open weekly on two days (rule, first opening
// in Swedish time, hours open).
var demoDesks = []struct {
	name, place, municipality, address string
	languages                          []string
	hours                              []demoHours
}{
	{"RÅDRUM Lund", "IM:s mötesplats, Lund", "1281", "Syntetgatan 1, 222 22 Lund", []string{"sv", "ar", "en"},
		[]demoHours{{"FREQ=WEEKLY;BYDAY=TU", 10, 4}, {"FREQ=WEEKLY;BYDAY=TH", 16, 3}}},
	{"RÅDRUM Malmö", "IM:s mötesplats, Malmö", "1280", "Syntetgatan 2, 211 11 Malmö", []string{"sv", "ar", "fa", "so"},
		[]demoHours{{"FREQ=WEEKLY;BYDAY=MO", 13, 4}, {"FREQ=WEEKLY;BYDAY=WE", 10, 4}}},
}

// demoHours is a weekly opening of a demo desk: its rule, the hour it opens and for how long.
type demoHours struct {
	rule        string
	hour, hours int
}

// schedule is the opening as a schedule starting in the week of the seed's reference time.
func (h demoHours) schedule() partnernet.Schedule {
	ref := referenceTime.In(partnernet.Stockholm)
	start := time.Date(ref.Year(), ref.Month(), ref.Day(), h.hour, 0, 0, 0, partnernet.Stockholm)
	rule := h.rule
	return partnernet.Schedule{StartsAt: &start, DurationMinutes: h.hours * 60, RRule: &rule}
}

// adviceTopics weights the topics of demo visits: housing and authorities come up most.
var adviceTopics = []partnernet.AdviceTopic{
	partnernet.TopicHousing, partnernet.TopicHousing, partnernet.TopicHousing, partnernet.TopicHousing,
	partnernet.TopicAuthorities, partnernet.TopicAuthorities, partnernet.TopicAuthorities,
	partnernet.TopicWork, partnernet.TopicWork, partnernet.TopicMoney, partnernet.TopicMoney,
	partnernet.TopicHealthCare, partnernet.TopicHealthCare, partnernet.TopicFamily, partnernet.TopicSchool,
	partnernet.TopicOther,
}

// adviceOutcomes are the outcomes of demo visits.
var adviceOutcomes = []string{
	"Synthetic: explained the letter and what to answer.",
	"Synthetic: helped fill in the application form.",
	"Synthetic: booked an appointment with the authority.",
	"Synthetic: referred to the municipality's reception.",
}

// loadAdvice opens IM's demo RÅDRUM desks and loads their visits and follow-ups, some naming
// newcomers whose consent lets IM process their data for advice.
func loadAdvice(ctx context.Context, tx *store.Store, g *generator, newcomerIDs []int64) error {
	imID := g.net.orgIDsBySlug()["im"]
	var deskIDs []int64
	for _, dd := range demoDesks {
		municipalityID := g.net.municipalityIDs[dd.municipality]
		var hours []partnernet.Schedule
		for _, h := range dd.hours {
			hours = append(hours, h.schedule())
		}
		address := dd.address
		d, err := tx.AdviceDeskCreate(ctx, partnernet.AdviceDesk{
			OrganisationID: imID, MunicipalityID: &municipalityID, Name: dd.name, Place: dd.place,
			Address: &address, Languages: dd.languages,
		}, hours)
		if err != nil {
			return err
		}
		deskIDs = append(deskIDs, d.ID)
	}
	// Newcomers whose consent names IM for advice may be named by a visit.
	var named []int64
	for i := range g.opts.consents() {
		c, _ := g.consent(i, newcomerIDs)
		if slices.Contains(c.RecipientIDs, imID) && slices.Contains(c.Purposes, partnernet.PurposeAdvice) && !slices.Contains(named, c.NewcomerID) {
			named = append(named, c.NewcomerID)
		}
	}
	visits := make([]partnernet.AdviceVisit, demoVisits)
	for i := range visits {
		r := g.rng(kindVisit, i)
		desk := deskIDs[0]
		if r.IntN(5) >= 2 {
			desk = deskIDs[1]
		}
		at := referenceTime.Add(-time.Duration(1+r.IntN(182*24)) * time.Hour)
		visits[i] = partnernet.AdviceVisit{
			DeskID: desk, VisitedAt: at, Topic: pick(r, adviceTopics), Adviser: fmt.Sprintf("adviser%d@im", 1+r.IntN(4)),
			Outcome: pick(r, adviceOutcomes), RecordedAt: at.Add(time.Hour),
		}
		if len(named) > 0 && r.IntN(4) == 0 {
			id := pick(r, named)
			visits[i].NewcomerID = &id
		}
	}
	ids, err := adviceVisitCopy(ctx, tx.DB(), visits)
	if err != nil {
		return err
	}
	var followUps []partnernet.AdviceFollowUp
	for i, v := range visits {
		if r := g.rng(kindVisit, demoVisits+i); r.IntN(4) == 0 {
			followUps = append(followUps, partnernet.AdviceFollowUp{
				VisitID: ids[i], DueAt: v.VisitedAt.AddDate(0, 0, 14), Note: "Synthetic: check that the authority answered.",
				RecordedAt: v.RecordedAt, RecordedBy: v.Adviser,
			})
		}
	}
	return adviceFollowUpCopy(ctx, tx.DB(), followUps)
}
