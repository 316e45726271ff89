package seed

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// Row kinds of the SHK and RÅDRUM demo data, mixed into each row's seed; apart from seed.go's.
const (
	kindCourse uint64 = 101 + iota
	kindVisit
)

// demoCourses are the demo SHK courses: one per municipality, in the languages many newcomers
// in Skåne speak.
var demoCourses = []struct{ slug, municipality, language, title string }{
	{"malmo", "1280", "ar", "Samhällsorientering och hälsa på arabiska"},
	{"helsingborg", "1283", "prs", "Samhällsorientering och hälsa på dari"},
	{"lund", "1281", "ti", "Samhällsorientering och hälsa på tigrinja"},
	{"kristianstad", "1290", "so", "Samhällsorientering och hälsa på somaliska"},
	{"landskrona", "1282", "uk", "Samhällsorientering och hälsa på ukrainska"},
}

// courseLessons are the themes of civic orientation and health communication, in course order;
// a WELCOME visit follows them.
var courseLessons = []string{
	"Att komma till Sverige", "Att bo i Sverige", "Att försörja sig och utvecklas i Sverige",
	"Individens rättigheter och skyldigheter", "Att vårda sin hälsa i Sverige",
}

// Sizes of the demo SHK and RÅDRUM data.
const (
	demoParticipants     = 8   // newcomers per course, at most
	demoRequiredSessions = 4   // sessions a participant must attend
	demoVisits           = 300 // advice visits over the half year before referenceTime
)

// demoDesks are IM's RÅDRUM advice desks.
var demoDesks = []struct{ name, place, municipality string }{
	{"RÅDRUM Lund", "IM:s mötesplats, Lund", "1281"},
	{"RÅDRUM Malmö", "IM:s mötesplats, Malmö", "1280"},
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

// loadCasework loads the demo SHK courses, with sessions, participants among the newcomers each
// municipality registered, attendance and completions, and IM's RÅDRUM desks with their visits,
// some naming newcomers whose consent lets IM process their data for advice.
func loadCasework(ctx context.Context, tx *store.Store, g *generator, newcomerIDs []int64) error {
	orgIDs := map[string]int64{}
	for i, p := range g.net.partners {
		orgIDs[p.Organisation.Slug] = g.net.orgIDs[i]
	}
	var attendance []partnernet.Attendance
	for k, dc := range demoCourses {
		communicator := "communicator@" + dc.slug
		municipalityID := g.net.municipalityIDs[dc.municipality]
		c, err := tx.CourseCreate(ctx, partnernet.Course{
			OrganisationID: orgIDs[dc.slug], MunicipalityID: &municipalityID, Title: dc.title,
			Language: dc.language, Communicator: communicator, RequiredSessions: demoRequiredSessions,
		})
		if err != nil {
			return err
		}
		start := referenceTime.AddDate(0, 0, -70+7*k).Truncate(24 * time.Hour).Add(8 * time.Hour)
		var sessions []partnernet.CourseSession
		for j := range len(courseLessons) + 1 {
			s := partnernet.CourseSession{
				CourseID: c.ID, Kind: partnernet.SessionLesson, StartsAt: start.AddDate(0, 0, 7*j),
				Topic: courseLessons[min(j, len(courseLessons)-1)], Place: "Medborgarhuset, " + municipalityName(dc.municipality),
			}
			if j == len(courseLessons) {
				s.Kind, s.Topic, s.Place = partnernet.SessionWelcomeVisit, "Välkommen till biblioteket", "Stadsbiblioteket, "+municipalityName(dc.municipality)
			}
			s.EndsAt = s.StartsAt.Add(3 * time.Hour)
			if s, err = tx.CourseSessionCreate(ctx, s); err != nil {
				return err
			}
			sessions = append(sessions, s)
		}
		enrolled := 0
		for i := 0; i < len(newcomerIDs) && enrolled < demoParticipants; i++ {
			if g.newcomer(i).ControllerID != c.OrganisationID {
				continue
			}
			p, err := tx.CourseParticipantCreate(ctx, c.ID, newcomerIDs[i], communicator)
			if err != nil {
				return err
			}
			r := g.rng(kindCourse, k*1000+enrolled)
			attended := 0
			for _, s := range sessions {
				present := r.IntN(10) < 8
				if present {
					attended++
				}
				attendance = append(attendance, partnernet.Attendance{
					SessionID: s.ID, ParticipantID: p.ID, Present: present, RecordedAt: s.EndsAt, RecordedBy: communicator,
				})
			}
			if attended >= demoRequiredSessions && r.IntN(10) < 7 {
				if _, err := tx.CourseParticipantComplete(ctx, p.ID, communicator); err != nil {
					return err
				}
			}
			enrolled++
		}
	}
	if err := tx.AttendanceCopy(ctx, attendance); err != nil {
		return err
	}
	return loadAdvice(ctx, tx, g, orgIDs["im"], newcomerIDs)
}

// loadAdvice opens IM's demo desks and loads their visits and follow-ups.
func loadAdvice(ctx context.Context, tx *store.Store, g *generator, imID int64, newcomerIDs []int64) error {
	var deskIDs []int64
	for _, dd := range demoDesks {
		municipalityID := g.net.municipalityIDs[dd.municipality]
		d, err := tx.AdviceDeskCreate(ctx, partnernet.AdviceDesk{OrganisationID: imID, MunicipalityID: &municipalityID, Name: dd.name, Place: dd.place})
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
	ids, err := tx.AdviceVisitCopy(ctx, visits)
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
	return tx.AdviceFollowUpCopy(ctx, followUps)
}
