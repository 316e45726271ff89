package authz

// The objects of SHK courses and RÅDRUM advice. None of them carries a newcomer's data by
// itself: where a participant, an attendance or a visit names a newcomer, the Newcomer is
// released only through SeeNewcomer and ReleaseCategory (category PARTICIPATION).
const (
	// ShkCourse is an SHK course and its sessions (WELCOME visits among them).
	ShkCourse Object = "shk:course"
	// ShkParticipant is a newcomer's participation in a course and their attendance.
	ShkParticipant Object = "shk:participant"
	// AdviceDesk is a RÅDRUM advice desk.
	AdviceDesk Object = "advice:desk"
	// AdviceVisit is a visit to an advice desk and its follow-ups.
	AdviceVisit Object = "advice:visit"
	// AdviceStatistics is the aggregate count of advice visits, small counts suppressed.
	AdviceStatistics Object = "advice:statistics"
)
