package seed

import (
	"context"
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

// loadCourses loads the demo SHK courses, with sessions, participants among the newcomers each
// municipality registered, attendance and completions.
func loadCourses(ctx context.Context, tx *store.Store, g *generator, newcomerIDs []int64) error {
	orgIDs := g.net.orgIDsBySlug()
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
	return attendanceCopy(ctx, tx.DB(), attendance)
}
