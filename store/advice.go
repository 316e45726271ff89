package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// OrderVisitedAt orders advice visits by when they happened; ties are broken by id.
const OrderVisitedAt = "VISITED_AT"

const deskColumns = `ad.id, ad.organisation_id, ad.municipality_id, ad.name, ad.place, ad.opened_at,
  ad.address, ad.languages, ad.contact_email, ad.contact_phone, ad.updated_at`

func deskFields(d *partnernet.AdviceDesk) []any {
	return []any{&d.ID, &d.OrganisationID, &d.MunicipalityID, &d.Name, &d.Place, &d.OpenedAt,
		&d.Address, &d.Languages, &d.ContactEmail, &d.ContactPhone, &d.UpdatedAt}
}

// deskWrite lists the columns a desk's creation and update set, once.
func deskWrite(d partnernet.AdviceDesk) columns {
	langs := d.Languages
	if len(langs) == 0 {
		langs = []string{"sv"}
	}
	return columns{
		{"municipality_id", d.MunicipalityID},
		{"name", d.Name},
		{"place", d.Place},
		{"address", d.Address},
		{"languages", langs},
		{"contact_email", d.ContactEmail},
		{"contact_phone", d.ContactPhone},
	}
}

func deskQuery() *listQuery {
	return &listQuery{
		from: "advice_desk ad", columns: deskColumns, idExpr: "ad.id",
		sorts: map[string]sortColumn{OrderName: {"ad.name", "text"}},
	}
}

// AdviceDeskList returns one page of the advice desks of the network.
func (s *Store) AdviceDeskList(ctx context.Context, o Order, p Page) (Slice[partnernet.AdviceDesk], error) {
	return listPage(ctx, s.db, deskQuery(), o, p, deskFields)
}

// AdviceDeskCount counts the advice desks of the network.
func (s *Store) AdviceDeskCount(ctx context.Context) (int, error) {
	return countRows(ctx, s.db, deskQuery())
}

// AdviceDeskGetMany returns the desks with the given ids; unknown ids are absent.
func (s *Store) AdviceDeskGetMany(ctx context.Context, ids []int64) ([]partnernet.AdviceDesk, error) {
	return getMany(ctx, s.db, "advice desks", "SELECT "+deskColumns+" FROM advice_desk ad WHERE ad.id = ANY($1)", ids, deskFields)
}

// AdviceDeskCreate opens an advice desk with its opening hours and returns it as stored. It
// returns partnernet.ErrConflict when the organisation already has a desk of that name.
func (s *Store) AdviceDeskCreate(ctx context.Context, d partnernet.AdviceDesk, hours []partnernet.Schedule) (partnernet.AdviceDesk, error) {
	cols := append(columns{{"organisation_id", d.OrganisationID}}, deskWrite(d)...)
	var p params
	sql := "INSERT INTO advice_desk AS ad (" + cols.names() + ") VALUES (" + p.values(cols) + ") RETURNING " + deskColumns
	rows, err := s.db.Query(ctx, sql, p...)
	got, err := one(rows, err, "open advice desk", deskFields)
	if err != nil {
		return got, err
	}
	return got, s.deskHoursReplace(ctx, got.ID, hours)
}

// AdviceDeskUpdate replaces a desk's name, place, municipality, address, languages, contact and
// opening hours, and returns it as stored; partnernet.ErrNotFound for an unknown desk,
// partnernet.ErrConflict when the organisation has another desk of that name.
func (s *Store) AdviceDeskUpdate(ctx context.Context, d partnernet.AdviceDesk, hours []partnernet.Schedule) (partnernet.AdviceDesk, error) {
	cols := deskWrite(d)
	var p params
	sql := "UPDATE advice_desk AS ad SET (" + cols.names() + ", updated_at) = (" + p.values(cols) + ", now()) WHERE ad.id = " +
		p.add(d.ID) + " RETURNING " + deskColumns
	rows, err := s.db.Query(ctx, sql, p...)
	got, err := one(rows, err, "update advice desk", deskFields)
	if err != nil {
		return got, err
	}
	return got, s.deskHoursReplace(ctx, got.ID, hours)
}

// deskHoursReplace replaces a desk's opening hours.
func (s *Store) deskHoursReplace(ctx context.Context, deskID int64, hours []partnernet.Schedule) error {
	b := &pgx.Batch{}
	b.Queue("DELETE FROM advice_desk_hours WHERE desk_id = $1", deskID)
	for i, h := range hours {
		exdates := h.ExDates
		if exdates == nil {
			exdates = []time.Time{}
		}
		b.Queue(`INSERT INTO advice_desk_hours (desk_id, position, starts_at, duration_minutes, rrule, exdates)
VALUES ($1, $2, $3, $4, $5, $6)`, deskID, i, h.StartsAt, h.DurationMinutes, h.RRule, exdates)
	}
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return translate(fmt.Errorf("store the opening hours of desk %d: %w", deskID, err))
	}
	return nil
}

// AdviceDeskHoursListByDesks returns the opening hours of each of the desks, in order.
func (s *Store) AdviceDeskHoursListByDesks(ctx context.Context, deskIDs []int64) ([]partnernet.DeskHours, error) {
	return getMany(ctx, s.db, "desk opening hours", `
SELECT h.desk_id, h.position, h.starts_at, h.duration_minutes, h.rrule, h.exdates FROM advice_desk_hours h
WHERE h.desk_id = ANY($1) ORDER BY h.desk_id, h.position`, deskIDs, func(h *partnernet.DeskHours) []any {
		return []any{&h.DeskID, &h.Position, &h.Schedule.StartsAt, &h.Schedule.DurationMinutes, &h.Schedule.RRule, &h.Schedule.ExDates}
	})
}

const visitColumns = "av.id, av.desk_id, ad.organisation_id, av.visited_at, av.topic, av.adviser, av.newcomer_id, av.outcome, av.recorded_at"

func visitFields(v *partnernet.AdviceVisit) []any {
	return []any{&v.ID, &v.DeskID, &v.OrganisationID, &v.VisitedAt, &v.Topic, &v.Adviser, &v.NewcomerID, &v.Outcome, &v.RecordedAt}
}

// visitFrom joins a visit to its desk.
const visitFrom = "advice_visit av JOIN advice_desk ad ON ad.id = av.desk_id"

// AdviceVisitFilter narrows a list of advice visits.
type AdviceVisitFilter struct {
	// Organisations are those whose visits may be listed; the zero value lists none.
	Organisations partnernet.OrgScope
	DeskIDs       []int64
	Topics        []partnernet.AdviceTopic
	Anonymous     *bool      // only anonymous visits (true) or only named ones (false)
	Since         *time.Time // at or after
	Until         *time.Time // before
}

func visitQuery(f AdviceVisitFilter) *listQuery {
	q := &listQuery{
		from: visitFrom, columns: visitColumns, idExpr: "av.id",
		sorts: map[string]sortColumn{OrderVisitedAt: {"av.visited_at", "timestamptz"}},
	}
	q.scope(f.Organisations, "ad.organisation_id", "")
	if len(f.DeskIDs) > 0 {
		filterOneOf(q, "av.desk_id", f.DeskIDs)
	}
	if len(f.Topics) > 0 {
		filterOneOf(q, "av.topic", f.Topics)
	}
	if f.Anonymous != nil {
		q.filter("(av.newcomer_id IS NULL) = %s", *f.Anonymous)
	}
	if f.Since != nil {
		q.filter("av.visited_at >= %s", *f.Since)
	}
	if f.Until != nil {
		q.filter("av.visited_at < %s", *f.Until)
	}
	return q
}

// AdviceVisitList returns one page of advice visits.
func (s *Store) AdviceVisitList(ctx context.Context, f AdviceVisitFilter, o Order, p Page) (Slice[partnernet.AdviceVisit], error) {
	return listPage(ctx, s.db, visitQuery(f), o, p, visitFields)
}

// AdviceVisitCount counts the advice visits a filter selects.
func (s *Store) AdviceVisitCount(ctx context.Context, f AdviceVisitFilter) (int, error) {
	return countRows(ctx, s.db, visitQuery(f))
}

// AdviceVisitListByDesks returns one page of the visits of each of the desks.
func (s *Store) AdviceVisitListByDesks(ctx context.Context, deskIDs []int64, f AdviceVisitFilter, o Order, p Page) (map[int64]Slice[partnernet.AdviceVisit], error) {
	return listPageByParent(ctx, s.db, visitQuery(f), "av.desk_id", deskIDs, o, p, visitFields)
}

// AdviceVisitCountByDesks counts the visits of each of the desks.
func (s *Store) AdviceVisitCountByDesks(ctx context.Context, deskIDs []int64, f AdviceVisitFilter) (map[int64]int, error) {
	return countRowsByParent(ctx, s.db, visitQuery(f), "av.desk_id", deskIDs)
}

// AdviceVisitGetMany returns the visits with the given ids; unknown ids are absent.
func (s *Store) AdviceVisitGetMany(ctx context.Context, ids []int64) ([]partnernet.AdviceVisit, error) {
	return getMany(ctx, s.db, "advice visits", "SELECT "+visitColumns+" FROM "+visitFrom+" WHERE av.id = ANY($1)", ids, visitFields)
}

// AdviceVisitCreate stores a visit and returns it as stored; v.ID, v.OrganisationID and
// v.RecordedAt are ignored.
func (s *Store) AdviceVisitCreate(ctx context.Context, v partnernet.AdviceVisit) (partnernet.AdviceVisit, error) {
	rows, err := s.db.Query(ctx, `
WITH av AS (
  INSERT INTO advice_visit (desk_id, visited_at, topic, adviser, newcomer_id, outcome)
  VALUES ($1, $2, $3, $4, $5, $6) RETURNING *)
SELECT `+visitColumns+` FROM av JOIN advice_desk ad ON ad.id = av.desk_id`,
		v.DeskID, v.VisitedAt, v.Topic, v.Adviser, v.NewcomerID, v.Outcome)
	return one(rows, err, "record advice visit", visitFields)
}

const followUpColumns = "af.id, af.visit_id, af.due_at, af.note, af.recorded_at, af.recorded_by"

func followUpFields(f *partnernet.AdviceFollowUp) []any {
	return []any{&f.ID, &f.VisitID, &f.DueAt, &f.Note, &f.RecordedAt, &f.RecordedBy}
}

// AdviceFollowUpListByVisits returns the follow-ups of each of the visits, by visit and due date.
func (s *Store) AdviceFollowUpListByVisits(ctx context.Context, visitIDs []int64) ([]partnernet.AdviceFollowUp, error) {
	return getMany(ctx, s.db, "advice follow-ups", "SELECT "+followUpColumns+
		" FROM advice_follow_up af WHERE af.visit_id = ANY($1) ORDER BY af.visit_id, af.due_at, af.id", visitIDs, followUpFields)
}

// AdviceFollowUpCreate stores a follow-up of a visit and returns it as stored.
func (s *Store) AdviceFollowUpCreate(ctx context.Context, f partnernet.AdviceFollowUp) (partnernet.AdviceFollowUp, error) {
	rows, err := s.db.Query(ctx, `
INSERT INTO advice_follow_up AS af (visit_id, due_at, note, recorded_by) VALUES ($1, $2, $3, $4)
RETURNING `+followUpColumns, f.VisitID, f.DueAt, f.Note, f.RecordedBy)
	return one(rows, err, "record follow-up", followUpFields)
}
