package resolvers

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/bulk"
	"github.com/partnerskap-skane/partnernet/calendar"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// maxExported bounds the activities of one export.
const maxExported = 500

// importer is what importing the rows of one programme shares.
type importer struct {
	r         *Resolver
	org       partnernet.Organisation
	programme int64
	format    partnernet.ImportFormat
	dryRun    bool
}

// importActivities publishes an association's programme in bulk, row by row.
func (r *Resolver) importActivities(ctx context.Context, in model.ImportActivitiesInput) (*partnernet.ImportReport, error) {
	orgID := authz.PrincipalFrom(ctx).OrganisationID
	for _, obj := range []authz.Object{authz.ActivityEdit, authz.ActivityPublish} {
		if err := r.Authz.Authorize(ctx, obj, authz.Write, orgID); err != nil {
			return nil, err
		}
	}
	org, err := loaders.For(ctx).Organisation.Load(ctx, orgID)()
	if err != nil {
		return nil, err
	}
	var rows []bulk.Row
	switch in.Format {
	case partnernet.FormatICalendar:
		rows, err = bulk.ReadICalendar(in.Content)
	case partnernet.FormatCSV:
		rows, err = bulk.ReadCSV(in.Content)
	default:
		err = partnernet.InputError("input.format", "give ICALENDAR or CSV")
	}
	if err != nil {
		return nil, err
	}
	nad, err := r.Store.ProgrammeGetByCode(ctx, partnernet.ProgrammeNAD)
	if err != nil {
		return nil, err
	}
	im := importer{r: r, org: *org, programme: nad.ID, format: in.Format, dryRun: in.DryRun != nil && *in.DryRun}
	report := &partnernet.ImportReport{Format: in.Format, DryRun: im.dryRun, Rows: len(rows),
		Results: []partnernet.ImportResult{}, Refused: []partnernet.ImportRefusal{}}
	for _, row := range rows {
		if row.Err != nil {
			report.Refuse(row.Number, row.SourceID, row.Err)
			continue
		}
		res, err := im.row(ctx, row)
		switch partnernet.ErrorCode(err) {
		case partnernet.CodeBadUserInput, partnernet.CodeConflict, partnernet.CodeNotFound:
			report.Refuse(row.Number, row.SourceID, err)
			continue
		}
		if err != nil {
			// The rows before are committed; importing the file again is safe (idempotent).
			return nil, err
		}
		report.Add(res)
	}
	return report, nil
}

// prepare maps a row onto an activity of the organisation, lets it validate itself, and
// expands its schedule, as createActivity does.
func (im importer) prepare(ctx context.Context, row bulk.Row) (partnernet.Activity, []partnernet.Occurrence, error) {
	a := row.Activity
	a.OrganiserID, a.ProgrammeID = im.org.ID, im.programme
	switch {
	case row.MunicipalityCode != "":
		m, err := im.r.Store.MunicipalityGetByCode(ctx, row.MunicipalityCode)
		if err != nil {
			return a, nil, partnernet.InputError("municipality_code", "no municipality with code %q", row.MunicipalityCode)
		}
		a.MunicipalityID = &m.ID
	case !a.Online:
		a.MunicipalityID = im.org.HomeMunicipalityID
	}
	s := &a.Schedule
	if s.RRule != nil {
		if s.StartsAt == nil {
			return a, nil, partnernet.InputError("activity.schedule.startsAt", "a recurrence needs a first start")
		}
		rule, err := partnernet.ParseRRule(*s.RRule, *s.StartsAt)
		if err != nil {
			return a, nil, partnernet.InputError("activity.schedule.rrule", "%s", err.Error())
		}
		normal := partnernet.NormalizeRRule(rule)
		s.RRule = &normal
	}
	if err := a.Validate("activity"); err != nil {
		return a, nil, err
	}
	if s.StartsAt == nil {
		if row.Status == partnernet.ActivityPublished {
			return a, nil, partnernet.InputError("activity.schedule.startsAt", "a published activity needs a start")
		}
		return a, nil, nil
	}
	exceptions := s.ExDates
	s.ExDates = nil
	all, err := s.Occurrences(time.Now())
	if err != nil {
		return a, nil, partnernet.InputError("activity.schedule.rrule", "%s", err.Error())
	}
	for i, ex := range exceptions {
		if s.RRule == nil || !containsTime(all, ex) {
			return a, nil, partnernet.InputError(fmt.Sprintf("activity.schedule.exceptions.%d", i), "an exception must be the start of an occurrence of the rule")
		}
	}
	s.ExDates = exceptions
	occurrences, err := a.Occurrences("activity", time.Now())
	if err != nil {
		return a, nil, err
	}
	return a, occurrences, nil
}

// row applies one row in a transaction of its own (commit): create, update or nothing, with
// the row's audit entry, and the notices a change owes participants.
func (im importer) row(ctx context.Context, row bulk.Row) (partnernet.ImportResult, error) {
	res := partnernet.ImportResult{Row: row.Number, SourceID: row.SourceID}
	if strings.HasSuffix(row.SourceID, "@"+calendar.UIDDomain) {
		return res, partnernet.Errorf(partnernet.CodeConflict, "the event is one of partnernet's own activities (its UID is "+
			"partnernet's, not your system's): edit it in partnernet, or import the CSV export, which names it by its ID")
	}
	a, occurrences, err := im.prepare(ctx, row)
	if err != nil {
		return res, err
	}
	digest := row.Digest()
	if im.dryRun {
		src, found, err := im.r.Store.ActivitySourceLock(ctx, im.org.ID, row.SourceID)
		if err == nil && !found {
			src, found, err = im.adopt(ctx, im.r.Store, row.SourceID)
		}
		switch {
		case err != nil:
			return res, err
		case !found && row.Status == partnernet.ActivityCancelled:
			return res, partnernet.InputError("status", "nothing to cancel: no activity was imported with this source ID")
		case !found:
			res.Outcome = partnernet.ImportCreated
		case bytes.Equal(src.ContentHash, digest):
			res.Outcome, res.ActivityID = partnernet.ImportUnchanged, ptr(activityGID(src.ActivityID))
		default:
			res.Outcome, res.ActivityID = partnernet.ImportUpdated, ptr(activityGID(src.ActivityID))
		}
		return res, nil
	}
	by := authz.PrincipalFrom(ctx).Subject
	var promoted, changed, cancelled []partnernet.Enrolment
	var ended sharingEnded
	var next *time.Time
	var stored partnernet.Activity
	got, err := commit(ctx, im.r.Store, retry{}, func(tx *store.Store) (partnernet.ImportResult, error) {
		src, found, err := tx.ActivitySourceLock(ctx, im.org.ID, row.SourceID)
		if err == nil && !found {
			src, found, err = im.adopt(ctx, tx, row.SourceID)
		}
		if err != nil {
			return res, err
		}
		save := store.ActivitySource{OrganiserID: im.org.ID, SourceID: row.SourceID, Format: im.format, ContentHash: digest}
		switch {
		case found && bytes.Equal(src.ContentHash, digest):
			res.Outcome, res.ActivityID = partnernet.ImportUnchanged, ptr(activityGID(src.ActivityID))
			return res, nil
		case !found:
			if row.Status == partnernet.ActivityCancelled {
				return res, partnernet.InputError("status", "nothing to cancel: no activity was imported with this source ID")
			}
			if stored, err = tx.ActivityCreate(ctx, a, occurrences); err != nil {
				return res, err
			}
			if row.Status == partnernet.ActivityPublished {
				if stored, err = tx.ActivitySetStatus(ctx, stored.ID, partnernet.ActivityPublished); err != nil {
					return res, err
				}
			}
			res.Outcome = partnernet.ImportCreated
		default:
			current, err := tx.ActivityLock(ctx, src.ActivityID)
			if err != nil {
				return res, err
			}
			switch {
			case current.Status == partnernet.ActivityCancelled && row.Status == partnernet.ActivityCancelled:
				stored, res.Outcome = current, partnernet.ImportUnchanged
				save.ActivityID = current.ID
				res.ActivityID = ptr(activityGID(current.ID))
				return res, tx.ActivitySourceSave(ctx, save, by)
			case current.Status == partnernet.ActivityCancelled || current.Status == partnernet.ActivityFinished:
				return res, partnernet.Errorf(partnernet.CodeConflict, "the activity is %s; an import does not change it", strings.ToLower(string(current.Status)))
			case current.Status == partnernet.ActivityPublished && row.Status == partnernet.ActivityDraft:
				return res, partnernet.InputError("status", "a published activity does not go back to draft; cancel it instead")
			}
			// What the formats do not carry stays as it is: the co-organisers and the programme.
			a.ID, a.CoOrganiserIDs, a.ProgrammeID = current.ID, current.CoOrganiserIDs, current.ProgrammeID
			if occurrences, err = keepCancelled(ctx, tx, &a, occurrences); err != nil {
				return res, err
			}
			if stored, err = tx.ActivityUpdate(ctx, a, occurrences); err != nil {
				return res, err
			}
			if promoted, err = tx.EnrolmentPromote(ctx, a.ID); err != nil {
				return res, err
			}
			switch {
			case row.Status == partnernet.ActivityCancelled:
				if cancelled, err = tx.EnrolmentListLive(ctx, a.ID); err != nil {
					return res, err
				}
				if ended, err = endSharing(ctx, tx, a.ID, 0); err != nil {
					return res, err
				}
				stored, err = tx.ActivitySetStatus(ctx, a.ID, partnernet.ActivityCancelled)
			case row.Status == partnernet.ActivityPublished && current.Status == partnernet.ActivityDraft:
				stored, err = tx.ActivitySetStatus(ctx, a.ID, partnernet.ActivityPublished)
			case current.Status == partnernet.ActivityPublished && timeOrPlaceChanged(current, stored):
				changed, err = tx.EnrolmentListLive(ctx, a.ID)
			}
			if err != nil {
				return res, err
			}
			if len(changed)+len(promoted) > 0 {
				if next, err = nextOccurrence(ctx, tx, a.ID); err != nil {
					return res, err
				}
			}
			res.Outcome = partnernet.ImportUpdated
		}
		save.ActivityID = stored.ID
		res.ActivityID = ptr(activityGID(stored.ID))
		return res, tx.ActivitySourceSave(ctx, save, by)
	}, func(res partnernet.ImportResult) []partnernet.AuditEvent {
		if res.Outcome == partnernet.ImportUnchanged {
			return nil
		}
		events := []partnernet.AuditEvent{authz.Event(ctx, partnernet.AuditImportActivities, 0,
			fmt.Sprintf("%s row %d (source %.60s): %s %s", bulk.Format(im.format), row.Number, row.SourceID, res.Outcome, orEmpty(res.ActivityID)))}
		events = append(events, promotionEvents(ctx, promoted)...)
		return append(events, ended.events(ctx, "the activity was cancelled by an import")...)
	}, func(partnernet.ImportResult) []partnernet.NoticeDraft {
		out := drafts(changed, func(e partnernet.Enrolment) partnernet.NoticeDraft {
			return partnernet.NoticeDraft{Activity: stored, Kind: partnernet.NoticeActivityChanged, Next: next,
				DedupKey: fmt.Sprintf("%s:%d:%d:%d", partnernet.NoticeActivityChanged, stored.ID, stored.Version, e.NewcomerID)}
		})
		out = append(out, drafts(cancelled, func(e partnernet.Enrolment) partnernet.NoticeDraft {
			return partnernet.NoticeDraft{Activity: stored, Kind: partnernet.NoticeActivityCancelled,
				DedupKey: fmt.Sprintf("%s:%d:%d", partnernet.NoticeActivityCancelled, stored.ID, e.NewcomerID)}
		})...)
		return append(out, promotionDrafts(stored, promoted, next)...)
	})
	if err != nil {
		return res, err
	}
	return *got, nil
}

// activityExport writes the caller's organisation's activities in a bulk format.
func (r *Resolver) activityExport(ctx context.Context, format partnernet.ImportFormat) (*model.ActivityExport, error) {
	orgID := authz.PrincipalFrom(ctx).OrganisationID
	if err := r.Authz.Authorize(ctx, authz.ActivityEdit, authz.Write, orgID); err != nil {
		return nil, err
	}
	org, err := loaders.For(ctx).Organisation.Load(ctx, orgID)()
	if err != nil {
		return nil, err
	}
	page, err := r.Store.ActivityList(ctx, store.ActivityFilter{Unpublished: partnernet.OrgScope{IDs: []int64{orgID}},
		OrganisationSlugs: []string{org.Slug}}, store.Order{Column: store.OrderCreatedAt}, store.Page{Limit: maxExported})
	if err != nil {
		return nil, err
	}
	var activities []partnernet.Activity
	var ids, municipalityIDs []int64
	for _, a := range page.Rows {
		if a.OrganiserID == orgID {
			activities, ids = append(activities, a), append(ids, a.ID)
			if a.MunicipalityID != nil {
				municipalityIDs = append(municipalityIDs, *a.MunicipalityID)
			}
		}
	}
	sources, err := r.Store.ActivitySourceGetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	ms, err := r.Store.MunicipalityGetMany(ctx, municipalityIDs)
	if err != nil {
		return nil, err
	}
	names := calendar.Names{Organisations: map[int64]string{orgID: org.Name}, Municipalities: map[int64]string{},
		Export: true, UIDs: map[int64]string{}, MunicipalityCodes: map[int64]string{}}
	for _, m := range ms {
		names.Municipalities[m.ID], names.MunicipalityCodes[m.ID] = m.Name, m.Code
	}
	for _, s := range sources {
		names.UIDs[s.ActivityID] = s.SourceID
	}
	out := &model.ActivityExport{Format: format}
	switch format {
	case partnernet.FormatICalendar:
		out.ContentType, out.Content = calendar.ContentType, calendar.Write(org.Name, calendar.UIDDomain, activities, names)
	case partnernet.FormatCSV:
		rows := make([]bulk.ExportRow, len(activities))
		for i, a := range activities {
			rows[i] = bulk.ExportRow{Activity: a, SourceID: cmp.Or(names.UIDs[a.ID], activityGID(a.ID))}
			if a.MunicipalityID != nil {
				rows[i].MunicipalityCode = names.MunicipalityCodes[*a.MunicipalityID]
			}
		}
		var b strings.Builder
		if err := bulk.WriteCSV(&b, rows); err != nil {
			return nil, err
		}
		out.ContentType, out.Content = "text/csv; charset=utf-8", b.String()
	default:
		return nil, partnernet.InputError("format", "give ICALENDAR or CSV")
	}
	return out, nil
}

// adopt finds the activity that a source ID names by its global ID, as the export names the
// activities an organisation made by hand: importing an export back then updates them instead of
// making copies. It finds nothing for any other source ID, for another organisation's activity,
// and for one imported under a source ID of its own.
func (im importer) adopt(ctx context.Context, st *store.Store, sourceID string) (store.ActivitySource, bool, error) {
	id, err := relay.DecodeID("source_id", typeActivity, sourceID)
	if err != nil {
		return store.ActivitySource{}, false, nil //nolint:nilerr // not a global ID: an ordinary source ID
	}
	as, err := st.ActivityGetMany(ctx, []int64{id})
	if err != nil || len(as) == 0 || as[0].OrganiserID != im.org.ID {
		return store.ActivitySource{}, false, err
	}
	sources, err := st.ActivitySourceGetMany(ctx, []int64{id})
	if err != nil || len(sources) > 0 {
		return store.ActivitySource{}, false, err
	}
	return store.ActivitySource{ActivityID: id, OrganiserID: im.org.ID, SourceID: sourceID}, true, nil
}

// activityGID is an activity's global ID.
func activityGID(id int64) string { return relay.ToGlobalID(typeActivity, id) }

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }
