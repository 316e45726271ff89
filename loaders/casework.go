package loaders

import (
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// Casework are the loaders of SHK courses and RÅDRUM advice.
type Casework struct {
	Course            *dataloader.Loader[int64, *partnernet.Course]
	CourseSession     *dataloader.Loader[int64, *partnernet.CourseSession]
	CourseParticipant *dataloader.Loader[int64, *partnernet.CourseParticipant]
	AdviceDesk        *dataloader.Loader[int64, *partnernet.AdviceDesk]
	AdviceVisit       *dataloader.Loader[int64, *partnernet.AdviceVisit]

	SessionsByCourse        *PageLoader[struct{}, partnernet.CourseSession]
	ParticipantsByCourse    *PageLoader[struct{}, partnernet.CourseParticipant]
	ParticipantsByNewcomer  *PageLoader[struct{}, partnernet.CourseParticipant]
	AttendanceBySession     *PageLoader[struct{}, partnernet.Attendance]
	AttendanceByParticipant *dataloader.Loader[int64, []partnernet.Attendance]
	VisitsByDesk            *PageLoader[store.AdviceVisitFilter, partnernet.AdviceVisit]
	FollowUpsByVisit        *dataloader.Loader[int64, []partnernet.AdviceFollowUp]
}

// newCasework returns the SHK and RÅDRUM loaders of one request over st.
func newCasework(st *store.Store, wait time.Duration) *Casework {
	return &Casework{
		Course:            byID(wait, st.CourseGetMany, func(c *partnernet.Course) int64 { return c.ID }),
		CourseSession:     byID(wait, st.CourseSessionGetMany, func(s *partnernet.CourseSession) int64 { return s.ID }),
		CourseParticipant: byID(wait, st.CourseParticipantGetMany, func(p *partnernet.CourseParticipant) int64 { return p.ID }),
		AdviceDesk:        byID(wait, st.AdviceDeskGetMany, func(d *partnernet.AdviceDesk) int64 { return d.ID }),
		AdviceVisit:       byID(wait, st.AdviceVisitGetMany, func(v *partnernet.AdviceVisit) int64 { return v.ID }),

		SessionsByCourse:       newPageLoader(wait, st.CourseSessionListByCourses, st.CourseSessionCountByCourses),
		ParticipantsByCourse:   newPageLoader(wait, st.CourseParticipantListByCourses, st.CourseParticipantCountByCourses),
		ParticipantsByNewcomer: newPageLoader(wait, st.CourseParticipantListByNewcomers, st.CourseParticipantCountByNewcomers),
		AttendanceBySession:    newPageLoader(wait, st.AttendanceListBySessions, st.AttendanceCountBySessions),
		AttendanceByParticipant: groupedByID(wait, st.AttendanceListByParticipants,
			func(a *partnernet.Attendance) int64 { return a.ParticipantID }),
		VisitsByDesk: newPageLoader(wait, st.AdviceVisitListByDesks, st.AdviceVisitCountByDesks),
		FollowUpsByVisit: groupedByID(wait, st.AdviceFollowUpListByVisits,
			func(f *partnernet.AdviceFollowUp) int64 { return f.VisitID }),
	}
}
