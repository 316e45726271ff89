package relay

import "github.com/partnerskap-skane/partnernet"

// Node is any object with a global ID; the GraphQL Node interface is bound to it.
type Node any

// The connection and edge types of the schema, bound by gqlgen.yml.
type (
	// OrganisationConnection is a page of organisations.
	OrganisationConnection = Connection[partnernet.Organisation]
	// OrganisationEdge is an organisation with its cursor.
	OrganisationEdge = Edge[partnernet.Organisation]
	// MunicipalityConnection is a page of municipalities.
	MunicipalityConnection = Connection[partnernet.Municipality]
	// MunicipalityEdge is a municipality with its cursor.
	MunicipalityEdge = Edge[partnernet.Municipality]
	// ProgrammeConnection is a page of programmes.
	ProgrammeConnection = Connection[partnernet.Programme]
	// ProgrammeEdge is a programme with its cursor.
	ProgrammeEdge = Edge[partnernet.Programme]
	// ActivityConnection is a page of activities.
	ActivityConnection = Connection[partnernet.Activity]
	// ActivityEdge is an activity with its cursor.
	ActivityEdge = Edge[partnernet.Activity]
	// EnrolmentConnection is a page of enrolments.
	EnrolmentConnection = Connection[partnernet.Enrolment]
	// EnrolmentEdge is an enrolment with its cursor.
	EnrolmentEdge = Edge[partnernet.Enrolment]
	// NewcomerConnection is a page of newcomers.
	NewcomerConnection = Connection[partnernet.Newcomer]
	// NewcomerEdge is a newcomer with its cursor.
	NewcomerEdge = Edge[partnernet.Newcomer]
	// ConsentRecordConnection is a page of consent records.
	ConsentRecordConnection = Connection[partnernet.ConsentRecord]
	// ConsentRecordEdge is a consent record with its cursor.
	ConsentRecordEdge = Edge[partnernet.ConsentRecord]
	// MembershipConnection is a page of memberships.
	MembershipConnection = Connection[partnernet.Membership]
	// MembershipEdge is a membership with its cursor.
	MembershipEdge = Edge[partnernet.Membership]
	// AuditEventConnection is a page of audit entries.
	AuditEventConnection = Connection[partnernet.AuditEvent]
	// AuditEventEdge is an audit entry with its cursor.
	AuditEventEdge = Edge[partnernet.AuditEvent]
	// ReferralConnection is a page of referrals.
	ReferralConnection = Connection[partnernet.Referral]
	// ReferralEdge is a referral with its cursor.
	ReferralEdge = Edge[partnernet.Referral]
	// CourseConnection is a page of SHK courses.
	CourseConnection = Connection[partnernet.Course]
	// CourseEdge is a course with its cursor.
	CourseEdge = Edge[partnernet.Course]
	// CourseSessionConnection is a page of course sessions.
	CourseSessionConnection = Connection[partnernet.CourseSession]
	// CourseSessionEdge is a course session with its cursor.
	CourseSessionEdge = Edge[partnernet.CourseSession]
	// CourseParticipantConnection is a page of course participants.
	CourseParticipantConnection = Connection[partnernet.CourseParticipant]
	// CourseParticipantEdge is a course participant with its cursor.
	CourseParticipantEdge = Edge[partnernet.CourseParticipant]
	// AttendanceConnection is a page of attendance records.
	AttendanceConnection = Connection[partnernet.Attendance]
	// AttendanceEdge is an attendance record with its cursor.
	AttendanceEdge = Edge[partnernet.Attendance]
	// AdviceDeskConnection is a page of advice desks.
	AdviceDeskConnection = Connection[partnernet.AdviceDesk]
	// AdviceDeskEdge is an advice desk with its cursor.
	AdviceDeskEdge = Edge[partnernet.AdviceDesk]
	// AdviceVisitConnection is a page of advice visits.
	AdviceVisitConnection = Connection[partnernet.AdviceVisit]
	// AdviceVisitEdge is an advice visit with its cursor.
	AdviceVisitEdge = Edge[partnernet.AdviceVisit]
	// NoticeConnection is a page of a newcomer's notices.
	NoticeConnection = Connection[partnernet.Notice]
	// NoticeEdge is a notice with its cursor.
	NoticeEdge = Edge[partnernet.Notice]
	// NewcomerChangeConnection is a page of a newcomer's change history.
	NewcomerChangeConnection = Connection[partnernet.NewcomerChange]
	// NewcomerChangeEdge is a change with its cursor.
	NewcomerChangeEdge = Edge[partnernet.NewcomerChange]
	// CaseTransferConnection is a page of case transfers.
	CaseTransferConnection = Connection[partnernet.CaseTransfer]
	// CaseTransferEdge is a transfer with its cursor.
	CaseTransferEdge = Edge[partnernet.CaseTransfer]
)
