package resolvers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// typeNotice is the type name in a notice's global ID.
const typeNotice = "Notice"

// maxNoticeIDs bounds the notices one markNoticesRead names.
const maxNoticeIDs = 100

// sharingEnded are the sharing consents a change expired, newcomer and consent in step.
type sharingEnded struct{ newcomers, consents []int64 }

// endSharing expires the sharing consents of the live enrolments of activity activityID (or of
// enrolment enrolmentID alone) in the change's transaction, acting as the caller.
func endSharing(ctx context.Context, tx *store.Store, activityID, enrolmentID int64) (sharingEnded, error) {
	n, c, err := tx.ConsentExpireSharing(ctx, activityID, enrolmentID, authz.PrincipalFrom(ctx).Subject)
	return sharingEnded{newcomers: n, consents: c}, err
}

// events are the audit entries of the expired sharing consents: why is the reason.
func (s sharingEnded) events(ctx context.Context, why string) []partnernet.AuditEvent {
	out := make([]partnernet.AuditEvent, len(s.consents))
	for i := range s.consents {
		out[i] = authz.Event(ctx, partnernet.AuditExpireConsent, s.newcomers[i],
			fmt.Sprintf("sharing consent %s expired: %s", relay.ToGlobalID(typeConsentRecord, s.consents[i]), why))
	}
	return out
}

// drafts makes a notice of each enrolment's newcomer.
func drafts(enrolments []partnernet.Enrolment, of func(partnernet.Enrolment) partnernet.NoticeDraft) []partnernet.NoticeDraft {
	out := make([]partnernet.NoticeDraft, 0, len(enrolments))
	for _, e := range enrolments {
		d := of(e)
		d.NewcomerID = e.NewcomerID
		out = append(out, d)
	}
	return out
}

// nextOccurrence is the start of an activity's next occurrence that has not ended, nil when
// none is scheduled, read in the change's transaction.
func nextOccurrence(ctx context.Context, tx *store.Store, activityID int64) (*time.Time, error) {
	occ, err := tx.OccurrenceListNext(ctx, []int64{activityID}, time.Now(), 1)
	if err != nil || len(occ) == 0 {
		return nil, err
	}
	return &occ[0].StartsAt, nil
}

// timeOrPlaceChanged reports whether an update moved an activity in time or space: what its
// participants are told of.
func timeOrPlaceChanged(before, after partnernet.Activity) bool {
	s, t := before.Schedule, after.Schedule
	sameTime := func(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }
	sameText := func(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	sameFloat := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	sameID := func(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	return !sameTime(s.StartsAt, t.StartsAt) || s.DurationMinutes != t.DurationMinutes || !sameText(s.RRule, t.RRule) ||
		!slices.EqualFunc(s.ExDates, t.ExDates, time.Time.Equal) ||
		before.Online != after.Online || !sameText(before.OnlineURL, after.OnlineURL) ||
		!sameText(before.Address, after.Address) || !sameID(before.MunicipalityID, after.MunicipalityID) ||
		!sameFloat(before.Latitude, after.Latitude) || !sameFloat(before.Longitude, after.Longitude)
}

// promotionDrafts are the notices of enrolments promoted from a waitlist of activity a.
func promotionDrafts(a partnernet.Activity, promoted []partnernet.Enrolment, next *time.Time) []partnernet.NoticeDraft {
	return drafts(promoted, func(e partnernet.Enrolment) partnernet.NoticeDraft {
		return partnernet.NoticeDraft{Activity: a, Kind: partnernet.NoticePromoted, Next: next,
			DedupKey: fmt.Sprintf("%s:%d", partnernet.NoticePromoted, e.ID)}
	})
}

// sharingOf validates the sharing chosen at enrolment of newcomer n by the caller, and asks
// the decision point whether the caller may record the consent: the newcomer for themself
// (DIGITAL by default), the controller's staff with the method the newcomer consented by.
func (r *Resolver) sharingOf(ctx context.Context, in *model.EnrolmentSharingInput, n *partnernet.Newcomer) (*partnernet.Sharing, error) {
	if in == nil {
		return nil, nil
	}
	self := authz.PrincipalFrom(ctx).NewcomerID == n.ID
	s := partnernet.Sharing{Categories: in.Categories, NoticeLanguage: in.NoticeLanguage, Method: partnernet.MethodDigital}
	switch {
	case in.Method != nil:
		s.Method = *in.Method
	case !self:
		return nil, partnernet.InputError("input.sharing.method", "say how the newcomer consented: WRITTEN or VERBAL")
	}
	if self && s.Method != partnernet.MethodDigital {
		return nil, partnernet.InputError("input.sharing.method", "your own choice is DIGITAL")
	}
	if err := s.Validate("input.sharing"); err != nil {
		return nil, err
	}
	if err := r.Authz.AuthorizeSelf(ctx, authz.ConsentRecord, authz.Write, n.ControllerID, n.ID); err != nil {
		return nil, err
	}
	return &s, nil
}

// participant is who takes part in an enrolment, as the caller may see them: named when the
// decision point releases the newcomer's record to the caller, otherwise an anonymous place
// with the reason.
func (r *Resolver) participant(ctx context.Context, e *partnernet.Enrolment) (model.Participant, error) {
	var sharing *partnernet.ConsentRecord
	if e.SharingConsentID != nil {
		c, err := nullIfMissing(loaders.For(ctx).ConsentRecord.Load(ctx, *e.SharingConsentID)())
		if err != nil {
			return nil, err
		}
		sharing = c
	}
	n, err := loaders.For(ctx).VisibleNewcomer(ctx, e.NewcomerID)
	switch {
	case err == nil:
		shared := []partnernet.DataCategory{}
		if sharing != nil && sharing.StateAt(time.Now()) == partnernet.ConsentActive {
			shared = sharing.DataCategories
		}
		return model.NamedParticipant{Newcomer: n, SharedCategories: shared}, nil
	case !errors.Is(err, partnernet.ErrForbidden) && !errors.Is(err, partnernet.ErrUnauthenticated):
		return nil, err
	}
	reason, explanation := partnernet.AnonymousNotShared,
		"The participant chose not to share who they are with the organisers; they count as an anonymous place."
	if sharing != nil {
		switch sharing.StateAt(time.Now()) {
		case partnernet.ConsentStateWithdrawn:
			reason, explanation = partnernet.AnonymousWithdrawn, "The participant shared who they are, and has withdrawn that consent."
		case partnernet.ConsentStateExpired:
			reason, explanation = partnernet.AnonymousExpired, "The participant's sharing ended with the activity or with their enrolment."
		default:
			reason, explanation = partnernet.AnonymousNotReleased, "The participant shared who they are with the organisers, "+
				"but this request may not see it: declare purpose ACTIVITY_PARTICIPATION (header "+authz.PurposeHeader+
				") as a publisher of the organiser or a co-organiser."
		}
	}
	return model.AnonymousParticipant{Reason: reason, Explanation: explanation, Position: int(e.Position)}, nil
}

// authorizeAttendance decides whether the caller may read the attendance of enrolment e: the
// organisers' staff, and the newcomer.
func (r *Resolver) authorizeAttendance(ctx context.Context, e *partnernet.Enrolment) error {
	a, err := loaders.For(ctx).Activity.Load(ctx, e.ActivityID)()
	if err != nil {
		return err
	}
	if r.Authz.AuthorizeActivity(ctx, authz.ActivityAttendance, authz.Read, a.OrganiserID, a.CoOrganiserIDs) == nil {
		return nil
	}
	n, err := loaders.For(ctx).Newcomer(ctx, e.NewcomerID)()
	if err != nil {
		return err
	}
	return r.Authz.AuthorizeSelf(ctx, authz.ActivityAttendance, authz.Read, n.ControllerID, n.ID)
}

// recordAttendance records a roll call at one occurrence, with an audit entry per participant.
func (r *Resolver) recordAttendance(ctx context.Context, in model.RecordActivityAttendanceInput) ([]*partnernet.ActivityAttendance, error) {
	a, err := r.editableActivity(ctx, "input.activityId", in.ActivityID)
	if err != nil {
		return nil, err
	}
	if err := r.Authz.AuthorizeActivity(ctx, authz.ActivityAttendance, authz.Write, a.OrganiserID, a.CoOrganiserIDs); err != nil {
		return nil, err
	}
	if len(in.Entries) == 0 || len(in.Entries) > partnernet.MaxAttendanceEntries {
		return nil, partnernet.InputError("input.entries", "give 1 to %d entries", partnernet.MaxAttendanceEntries)
	}
	startsAt := in.StartsAt.Truncate(time.Second)
	if startsAt.After(time.Now()) {
		return nil, partnernet.InputError("input.startsAt", "record attendance once the occurrence has started")
	}
	ok, err := r.Store.OccurrenceExists(ctx, a.ID, startsAt)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, partnernet.InputError("input.startsAt", "the activity has no occurrence starting then")
	}
	ids := make([]int64, len(in.Entries))
	statuses := make([]partnernet.AttendanceStatus, len(in.Entries))
	seen := map[int64]bool{}
	for i, entry := range in.Entries {
		field := fmt.Sprintf("input.entries.%d.enrolmentId", i)
		id, err := relay.DecodeID(field, typeEnrolment, entry.EnrolmentID)
		if err != nil {
			return nil, err
		}
		if seen[id] {
			return nil, partnernet.InputError(field, "name each participant once")
		}
		seen[id], ids[i], statuses[i] = true, id, entry.Status
	}
	enrolments, errs := loaders.For(ctx).Enrolment.LoadMany(ctx, ids)()
	for i, e := range enrolments {
		if (i < len(errs) && errs[i] != nil) || e == nil || e.ActivityID != a.ID {
			return nil, partnernet.InputError(fmt.Sprintf("input.entries.%d.enrolmentId", i), "no such enrolment in this activity")
		}
	}
	by := authz.PrincipalFrom(ctx).Subject
	got, err := commit(ctx, r.Store, retry{}, func(tx *store.Store) ([]partnernet.ActivityAttendance, error) {
		if _, err := tx.ActivityLock(ctx, a.ID); err != nil {
			return nil, err
		}
		return tx.AttendanceUpsert(ctx, a.ID, startsAt, ids, statuses, by)
	}, func(recorded []partnernet.ActivityAttendance) []partnernet.AuditEvent {
		events := make([]partnernet.AuditEvent, len(recorded))
		for i, att := range recorded {
			events[i] = authz.Event(ctx, partnernet.AuditRecordAttendance, enrolments[i].NewcomerID,
				fmt.Sprintf("%s at %s %s: %s", enrolmentGID(att.EnrolmentID), in.ActivityID, startsAt.Format(time.RFC3339), att.Status))
		}
		return events
	}, nil)
	if err != nil {
		return nil, err
	}
	return pointers(*got), nil
}

// cancelOccurrence calls off one occurrence and tells everyone enrolled or waiting.
func (r *Resolver) cancelOccurrence(ctx context.Context, in model.CancelOccurrenceInput) (*partnernet.Activity, error) {
	a, err := r.editableActivity(ctx, "input.activityId", in.ActivityID)
	if err != nil {
		return nil, err
	}
	if err := r.Authz.Authorize(ctx, authz.ActivityPublish, authz.Write, a.OrganiserID); err != nil {
		return nil, err
	}
	reason, err := partnernet.Text("input.reason", orEmpty(in.Reason), partnernet.MaxCancellationReasonLen, false)
	if err != nil {
		return nil, err
	}
	startsAt := in.StartsAt.Truncate(time.Second)
	if !startsAt.After(time.Now()) {
		return nil, partnernet.InputError("input.startsAt", "only an occurrence that has not started can be called off")
	}
	rt, err := retryAs(fmt.Sprintf("cancel occurrence %s %d", in.ActivityID, startsAt.Unix()), in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	by := authz.PrincipalFrom(ctx).Subject
	var live []partnernet.Enrolment
	return commit(ctx, r.Store, rt, func(tx *store.Store) (partnernet.Activity, error) {
		current, err := tx.ActivityLock(ctx, a.ID)
		if err != nil {
			return current, err
		}
		switch {
		case current.Status != partnernet.ActivityPublished && current.Status != partnernet.ActivityDraft:
			return current, partnernet.Errorf(partnernet.CodeConflict, "a %s activity has no occurrences to call off", current.Status)
		case current.Schedule.RRule == nil:
			return current, partnernet.InputError("input.startsAt", "a one-off activity is called off with cancelActivity")
		}
		updated, err := tx.OccurrenceCancel(ctx, current, startsAt, reason, by)
		if errors.Is(err, partnernet.ErrNotFound) {
			return updated, partnernet.InputError("input.startsAt", "the activity has no occurrence starting then")
		}
		if err != nil {
			return updated, err
		}
		live, err = tx.EnrolmentListLive(ctx, a.ID)
		return updated, err
	}, nil, func(updated partnernet.Activity) []partnernet.NoticeDraft {
		return drafts(live, func(e partnernet.Enrolment) partnernet.NoticeDraft {
			return partnernet.NoticeDraft{Activity: updated, Kind: partnernet.NoticeOccurrenceCancelled, Occurrence: &startsAt,
				Reason: reason, DedupKey: fmt.Sprintf("%s:%d:%d:%d", partnernet.NoticeOccurrenceCancelled, a.ID, startsAt.Unix(), e.NewcomerID)}
		})
	})
}

// overview is the organiser's overview of activity a.
func (r *Resolver) overview(ctx context.Context, a *partnernet.Activity) (*model.ActivityOverview, error) {
	if err := r.Authz.AuthorizeActivity(ctx, authz.ActivityEnrolments, authz.Read, a.OrganiserID, a.CoOrganiserIDs); err != nil {
		return nil, err
	}
	o, err := r.Store.ActivityOverview(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	out := &model.ActivityOverview{Enrolled: o.Enrolled, Waitlisted: o.Waitlisted, Sharing: o.Sharing,
		Anonymous: o.Enrolled + o.Waitlisted - o.Sharing, Threshold: r.threshold(), Languages: []*model.LanguageCount{}}
	for i := range o.Attendance {
		o.Attendance[i].Unrecorded = max(0, o.Enrolled-o.Attendance[i].Recorded())
	}
	out.Attendance = pointers(o.Attendance)
	out.AttendanceRate = partnernet.AttendanceRate(o.Attendance)
	facts := make([]analytics.Fact, len(o.Languages))
	for i, l := range o.Languages {
		facts[i] = analytics.Fact{Values: []string{l.Language}, Unit: l.NewcomerID}
	}
	dims := []string{analytics.DimLanguage}
	family, err := analytics.ProtectFamily(dims, analytics.Sets(dims, nil, 1), facts, true, r.threshold())
	if err != nil {
		return nil, err
	}
	table, ok := family.Table([]int{0})
	if !ok {
		return nil, errors.New("overview: the languages table is missing from its family")
	}
	for _, c := range table.Cells {
		out.Languages = append(out.Languages, &model.LanguageCount{Language: c.Key[0], Count: c.Count, Suppressed: c.Suppressed})
	}
	return out, nil
}

// keepCancelled keeps the occurrences the organiser called off out of an updated schedule: each
// that is still an occurrence of the new rule stays an exception (so that an update made without
// them does not bring them back), and is left out of the occurrences to store.
func keepCancelled(ctx context.Context, st *store.Store, a *partnernet.Activity, occurrences []partnernet.Occurrence) ([]partnernet.Occurrence, error) {
	cancelled, err := st.OccurrenceCancellationList(ctx, a.ID)
	if err != nil || len(cancelled) == 0 {
		return occurrences, err
	}
	schedules := []*partnernet.Schedule{&a.Schedule}
	for i := range a.MoreSchedules {
		schedules = append(schedules, &a.MoreSchedules[i])
	}
	out := occurrences[:0:0]
	for _, o := range occurrences {
		t := o.StartsAt
		if slices.ContainsFunc(cancelled, func(c partnernet.OccurrenceCancellation) bool { return c.StartsAt.Equal(t) }) {
			// The cancelled start becomes an exception of the schedule whose rule makes it.
			for _, s := range schedules {
				if s.RRule == nil || slices.ContainsFunc(s.ExDates, t.Equal) || len(s.ExDates) >= partnernet.MaxExceptions {
					continue
				}
				if starts, err := s.Occurrences(t); err == nil && slices.ContainsFunc(starts, t.Equal) {
					s.ExDates = append(s.ExDates, t)
					break
				}
			}
			continue
		}
		out = append(out, o)
	}
	return out, nil
}
