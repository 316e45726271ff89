package partnernet

import (
	"io"
	"time"
)

// AuditAction is what an audit entry records.
type AuditAction string

// The audited actions.
const (
	AuditRead            AuditAction = "READ"
	AuditRecordConsent   AuditAction = "RECORD_CONSENT"
	AuditRenewConsent    AuditAction = "RENEW_CONSENT"
	AuditWithdrawConsent AuditAction = "WITHDRAW_CONSENT"
	AuditGrantRole       AuditAction = "GRANT_ROLE"
	AuditRevokeRole      AuditAction = "REVOKE_ROLE"
	AuditCreateAPIKey    AuditAction = "CREATE_API_KEY"
	AuditRevokeAPIKey    AuditAction = "REVOKE_API_KEY"
	AuditRegister        AuditAction = "REGISTER_NEWCOMER"
	AuditMerge           AuditAction = "MERGE_NEWCOMERS"
	AuditRefer           AuditAction = "REFER"
	AuditRespondReferral AuditAction = "RESPOND_TO_REFERRAL"
	AuditChangePlan      AuditAction = "CHANGE_PLAN"
	AuditExport          AuditAction = "EXPORT_DATA"
	AuditErase           AuditAction = "ERASE_DATA"
	AuditExpireConsent   AuditAction = "EXPIRE_CONSENT"
	AuditEnrol           AuditAction = "ENROL"
	AuditCancelEnrolment AuditAction = "CANCEL_ENROLMENT"
	// SHK and RÅDRUM.
	AuditCreateCourse      AuditAction = "CREATE_COURSE"
	AuditAddCourseSession  AuditAction = "ADD_COURSE_SESSION"
	AuditEnrolInCourse     AuditAction = "ENROL_IN_COURSE"
	AuditRecordAttendance  AuditAction = "RECORD_ATTENDANCE"
	AuditCompleteCourse    AuditAction = "COMPLETE_COURSE"
	AuditOpenAdviceDesk    AuditAction = "OPEN_ADVICE_DESK"
	AuditRecordAdviceVisit AuditAction = "RECORD_ADVICE_VISIT"
	AuditRecordFollowUp    AuditAction = "RECORD_FOLLOW_UP"
	// MILSA analytics.
	AuditResearchExtract AuditAction = "RESEARCH_EXTRACT"
	// Associations running their activities.
	AuditImportActivities    AuditAction = "IMPORT_ACTIVITIES"
	AuditSetNoticePreference AuditAction = "SET_NOTICE_PREFERENCE"
	// A municipality's working day: corrections, assignment, transfers, sign-in.
	AuditUpdateNewcomer   AuditAction = "UPDATE_NEWCOMER"
	AuditAssignCase       AuditAction = "ASSIGN_CASE"
	AuditRequestTransfer  AuditAction = "REQUEST_TRANSFER"
	AuditAcceptTransfer   AuditAction = "ACCEPT_TRANSFER"
	AuditDeclineTransfer  AuditAction = "DECLINE_TRANSFER"
	AuditCancelTransfer   AuditAction = "CANCEL_TRANSFER"
	AuditInviteNewcomer   AuditAction = "INVITE_NEWCOMER"
	AuditRevokeInvitation AuditAction = "REVOKE_INVITATION"
	AuditRedeemInvitation AuditAction = "REDEEM_INVITATION"
	AuditRevokeSignIn     AuditAction = "REVOKE_SIGN_IN"
	// The network's organisations and desks.
	AuditCreateOrganisation AuditAction = "CREATE_ORGANISATION"
	AuditUpdateOrganisation AuditAction = "UPDATE_ORGANISATION"
	AuditUpdateAdviceDesk   AuditAction = "UPDATE_ADVICE_DESK"
	// Outcomes, the questionnaire and feedback on activities.
	AuditRecordOutcome        AuditAction = "RECORD_OUTCOME"
	AuditCorrectOutcome       AuditAction = "CORRECT_OUTCOME"
	AuditRetractOutcome       AuditAction = "RETRACT_OUTCOME"
	AuditAnswerQuestionnaire  AuditAction = "ANSWER_QUESTIONNAIRE"
	AuditDeclineQuestionnaire AuditAction = "DECLINE_QUESTIONNAIRE"
	AuditGiveFeedback         AuditAction = "GIVE_FEEDBACK"
	AuditWithdrawFeedback     AuditAction = "WITHDRAW_FEEDBACK"
	AuditModerateFeedback     AuditAction = "MODERATE_FEEDBACK"
	// AuditSetTranslation and AuditRemoveTranslation write and remove public texts in a language.
	AuditSetTranslation    AuditAction = "SET_TRANSLATION"
	AuditRemoveTranslation AuditAction = "REMOVE_TRANSLATION"
)

// AuditDecision is the outcome an audit entry records.
type AuditDecision string

// The audited outcomes.
const (
	AuditReleased AuditDecision = "RELEASED"
	AuditDenied   AuditDecision = "DENIED"
	AuditDone     AuditDecision = "DONE"
)

// AuditEvent is one entry of the append-only audit trail: a release or denial of a newcomer's
// data, or a change to consents, memberships or keys.
type AuditEvent struct {
	ID             int64
	OccurredAt     time.Time
	RequestID      string
	Subject        string
	OrganisationID *int64 // the principal's organisation
	Roles          []string
	Action         AuditAction
	NewcomerID     *int64
	Categories     []string
	Purpose        *string
	Decision       AuditDecision
	Reason         string // the basis of a release, the code of a denial, or what was done
}

// Values lists every AuditAction.
func (AuditAction) Values() []string {
	return []string{
		"READ", "RECORD_CONSENT", "RENEW_CONSENT", "WITHDRAW_CONSENT", "GRANT_ROLE", "REVOKE_ROLE",
		"CREATE_API_KEY", "REVOKE_API_KEY", "REGISTER_NEWCOMER", "MERGE_NEWCOMERS", "REFER",
		"RESPOND_TO_REFERRAL", "CHANGE_PLAN", "EXPORT_DATA", "ERASE_DATA", "EXPIRE_CONSENT",
		"ENROL", "CANCEL_ENROLMENT",
		"CREATE_COURSE", "ADD_COURSE_SESSION", "ENROL_IN_COURSE", "RECORD_ATTENDANCE", "COMPLETE_COURSE",
		"OPEN_ADVICE_DESK", "RECORD_ADVICE_VISIT", "RECORD_FOLLOW_UP",
		"RESEARCH_EXTRACT",
		"IMPORT_ACTIVITIES", "SET_NOTICE_PREFERENCE",
		"UPDATE_NEWCOMER", "ASSIGN_CASE", "REQUEST_TRANSFER", "ACCEPT_TRANSFER", "DECLINE_TRANSFER",
		"CANCEL_TRANSFER", "INVITE_NEWCOMER", "REVOKE_INVITATION", "REDEEM_INVITATION", "REVOKE_SIGN_IN",
		"CREATE_ORGANISATION", "UPDATE_ORGANISATION", "UPDATE_ADVICE_DESK",
		"RECORD_OUTCOME", "CORRECT_OUTCOME", "RETRACT_OUTCOME", "ANSWER_QUESTIONNAIRE", "DECLINE_QUESTIONNAIRE",
		"GIVE_FEEDBACK", "WITHDRAW_FEEDBACK", "MODERATE_FEEDBACK",
		"SET_TRANSLATION", "REMOVE_TRANSLATION",
	}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (a *AuditAction) UnmarshalGQL(v any) error { return unmarshalEnum(a, v) }

// MarshalGQL implements graphql.Marshaler.
func (a AuditAction) MarshalGQL(w io.Writer) { marshalEnum(a, w) }

// Values lists every AuditDecision.
func (AuditDecision) Values() []string { return []string{"RELEASED", "DENIED", "DONE"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (d *AuditDecision) UnmarshalGQL(v any) error { return unmarshalEnum(d, v) }

// MarshalGQL implements graphql.Marshaler.
func (d AuditDecision) MarshalGQL(w io.Writer) { marshalEnum(d, w) }
