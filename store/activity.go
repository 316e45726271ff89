package store

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// ActivityChannel is the channel on which every public change of an activity is announced (the
// payload is empty: listeners read activity_change past what they have seen). The notification
// is sent when the change commits, and not at all when it rolls back; see [Listen].
const ActivityChannel = "partnernet_activity"

// Order columns of activity lists.
const (
	OrderTitle     = "TITLE"
	OrderUpdatedAt = "UPDATED_AT"
	// OrderRelevance orders by full-text rank; it needs ActivityFilter.Text.
	OrderRelevance = "RELEVANCE"
	// OrderDistance orders by distance from ActivityFilter.Near; it needs it.
	OrderDistance = "DISTANCE"
)

// ActivityParts names the parts of an activity a list reads, so that a request reads only the
// columns its selection needs. The id, organiser and status are always read. The zero value
// reads every part.
type ActivityParts uint16

// The parts of an activity.
const (
	// ActivityTitle is the title in Swedish and English.
	ActivityTitle ActivityParts = 1 << iota
	// ActivityDescription is the description in Swedish and English and the accessibility note.
	ActivityDescription
	// ActivityClassification is the category, languages, target groups and programme.
	ActivityClassification
	// ActivityPlace is where it takes place: online or address, coordinates, municipality.
	ActivityPlace
	// ActivityTimes is the schedule: start, duration, recurrence rule and exceptions.
	ActivityTimes
	// ActivityPlaces is the capacity and the eligible ages.
	ActivityPlaces
	// ActivityCost is the cost and its note.
	ActivityCost
	// ActivityContact is the contact person.
	ActivityContact
	// ActivityLifecycle is when it was created, updated, published and cancelled, and its version.
	ActivityLifecycle
	// ActivityCoOrganisers is the ids of its co-organisers (a subquery per row).
	ActivityCoOrganisers
	// ActivityApplication is how to apply and the interpretation offered.
	ActivityApplication
	// ActivityServiceAreas is the municipalities it serves (a subquery per row).
	ActivityServiceAreas
	// ActivityMoreSchedules is its schedules beyond the first (a subquery per row).
	ActivityMoreSchedules

	// ActivityAllParts is every part.
	ActivityAllParts = ActivityMoreSchedules<<1 - 1
)

// activityColumn is one column of an activity row: its SQL expression, the part it belongs to (0:
// always read) and where a scan puts it.
type activityColumn struct {
	expr  string
	part  ActivityParts
	field func(a *partnernet.Activity) any
}

// activityColumnTable is every column an activity read may select, in select order.
var activityColumnTable = []activityColumn{
	{"a.id", 0, func(a *partnernet.Activity) any { return &a.ID }},
	{"a.organiser_id", 0, func(a *partnernet.Activity) any { return &a.OrganiserID }},
	{"a.status", 0, func(a *partnernet.Activity) any { return &a.Status }},
	{"a.title", ActivityTitle, func(a *partnernet.Activity) any { return &a.Title }},
	{"a.title_en", ActivityTitle, func(a *partnernet.Activity) any { return &a.TitleEn }},
	{"a.description", ActivityDescription, func(a *partnernet.Activity) any { return &a.Description }},
	{"a.description_en", ActivityDescription, func(a *partnernet.Activity) any { return &a.DescriptionEn }},
	{"a.accessibility", ActivityDescription, func(a *partnernet.Activity) any { return &a.Accessibility }},
	{"a.programme_id", ActivityClassification, func(a *partnernet.Activity) any { return &a.ProgrammeID }},
	{"a.category", ActivityClassification, func(a *partnernet.Activity) any { return &a.Category }},
	{"a.languages", ActivityClassification, func(a *partnernet.Activity) any { return &a.Languages }},
	{"a.target_groups", ActivityClassification, func(a *partnernet.Activity) any { return &a.TargetGroups }},
	{"a.municipality_id", ActivityPlace, func(a *partnernet.Activity) any { return &a.MunicipalityID }},
	{"a.online", ActivityPlace, func(a *partnernet.Activity) any { return &a.Online }},
	{"a.online_url", ActivityPlace, func(a *partnernet.Activity) any { return &a.OnlineURL }},
	{"a.address", ActivityPlace, func(a *partnernet.Activity) any { return &a.Address }},
	{"a.latitude", ActivityPlace, func(a *partnernet.Activity) any { return &a.Latitude }},
	{"a.longitude", ActivityPlace, func(a *partnernet.Activity) any { return &a.Longitude }},
	{"a.starts_at", ActivityTimes, func(a *partnernet.Activity) any { return &a.Schedule.StartsAt }},
	{"a.duration_minutes", ActivityTimes, func(a *partnernet.Activity) any { return &a.Schedule.DurationMinutes }},
	{"a.rrule", ActivityTimes, func(a *partnernet.Activity) any { return &a.Schedule.RRule }},
	{"a.exdates", ActivityTimes, func(a *partnernet.Activity) any { return &a.Schedule.ExDates }},
	{"a.capacity", ActivityPlaces, func(a *partnernet.Activity) any { return &a.Capacity }},
	{"a.min_age", ActivityPlaces, func(a *partnernet.Activity) any { return &a.MinAge }},
	{"a.max_age", ActivityPlaces, func(a *partnernet.Activity) any { return &a.MaxAge }},
	{"a.cost_sek", ActivityCost, func(a *partnernet.Activity) any { return &a.CostSEK }},
	{"a.cost_note", ActivityCost, func(a *partnernet.Activity) any { return &a.CostNote }},
	{"a.contact_name", ActivityContact, func(a *partnernet.Activity) any { return &a.ContactName }},
	{"a.contact_email", ActivityContact, func(a *partnernet.Activity) any { return &a.ContactEmail }},
	{"a.contact_phone", ActivityContact, func(a *partnernet.Activity) any { return &a.ContactPhone }},
	{"a.published_at", ActivityLifecycle, func(a *partnernet.Activity) any { return &a.PublishedAt }},
	{"a.cancelled_at", ActivityLifecycle, func(a *partnernet.Activity) any { return &a.CancelledAt }},
	{"a.version", ActivityLifecycle, func(a *partnernet.Activity) any { return &a.Version }},
	{"a.created_at", ActivityLifecycle, func(a *partnernet.Activity) any { return &a.CreatedAt }},
	{"a.updated_at", ActivityLifecycle, func(a *partnernet.Activity) any { return &a.UpdatedAt }},
	{"ARRAY(SELECT co.organisation_id FROM activity_co_organiser co WHERE co.activity_id = a.id ORDER BY 1)",
		ActivityCoOrganisers, func(a *partnernet.Activity) any { return &a.CoOrganiserIDs }},
	{"a.application_process", ActivityApplication, func(a *partnernet.Activity) any { return &a.ApplicationProcess }},
	{"a.interpretation_services", ActivityApplication, func(a *partnernet.Activity) any { return &a.InterpretationServices }},
	{"ARRAY(SELECT sa.municipality_id FROM activity_service_area sa WHERE sa.activity_id = a.id ORDER BY 1)",
		ActivityServiceAreas, func(a *partnernet.Activity) any { return &a.ServiceAreaIDs }},
	{`(SELECT json_agg(json_build_object('StartsAt', s.starts_at, 'DurationMinutes', s.duration_minutes,
   'RRule', s.rrule, 'ExDates', s.exdates) ORDER BY s.position) FROM activity_schedule s WHERE s.activity_id = a.id)`,
		ActivityMoreSchedules, func(a *partnernet.Activity) any { return &a.MoreSchedules }},
}

// activitySelection is the select list of some parts of an activity and the scan that fills them.
type activitySelection struct {
	columns string
	fields  []func(a *partnernet.Activity) any
}

// scan returns the scan destinations of a row of the selection in a.
func (s *activitySelection) scan(a *partnernet.Activity) []any {
	dest := make([]any, len(s.fields))
	for i, f := range s.fields {
		dest[i] = f(a)
	}
	return dest
}

// activitySelections holds the selection of every combination of parts asked for so far, each
// built once, on first use.
var activitySelections [ActivityAllParts + 1]atomic.Pointer[activitySelection]

// selectActivity returns the selection of parts; none means all.
func selectActivity(parts ActivityParts) *activitySelection {
	parts &= ActivityAllParts
	if parts == 0 {
		parts = ActivityAllParts
	}
	if s := activitySelections[parts].Load(); s != nil {
		return s
	}
	s := &activitySelection{}
	var cols []string
	for _, c := range activityColumnTable {
		if c.part == 0 || parts&c.part != 0 {
			cols = append(cols, c.expr)
			s.fields = append(s.fields, c.field)
		}
	}
	s.columns = strings.Join(cols, ", ")
	activitySelections[parts].Store(s)
	return s
}

// activityColumns and activityFields read every part of an activity.
var (
	activityColumns = selectActivity(ActivityAllParts).columns
	activityFields  = selectActivity(ActivityAllParts).scan
)

// GeoPoint is a point on the earth and a radius around it.
type GeoPoint struct {
	Latitude  float64
	Longitude float64
	RadiusKm  float64
}

// ActivityFilter narrows a list of activities.
type ActivityFilter struct {
	// Unpublished says whose activities in a status other than PUBLISHED may be listed; the
	// published ones of every organisation always may. The zero value lists published only.
	Unpublished partnernet.OrgScope
	// Announced also lists activities that were published and have since been cancelled or
	// finished: what calendar feeds and live changes show.
	Announced         bool
	IDs               []int64
	Statuses          []partnernet.ActivityStatus
	ProgrammeCodes    []partnernet.ProgrammeCode
	MunicipalityCodes []string
	OrganisationSlugs []string // organiser or co-organiser
	Categories        []partnernet.ActivityCategory
	Languages         []string
	TargetGroups      []partnernet.TargetGroup
	// OccursFrom and OccursUntil keep activities with an occurrence overlapping the range.
	OccursFrom  *time.Time
	OccursUntil *time.Time
	Search      string // case-insensitive substring of the title
	// Text is a full-text query over titles and descriptions in every language an activity is
	// written in (see textSearch); with Fuzzy, a typo-tolerant match of titles instead.
	Text string
	// TextLanguage is the reader's language: matches in it rank first. Swedish when empty.
	TextLanguage partnernet.LanguageTag
	// Fuzzy matches Text against titles by trigram word similarity, forgiving typos: what a
	// search falls back on when full text finds nothing ([Store.ActivityList] does so itself).
	Fuzzy bool
	// Near keeps activities with coordinates within the radius of the point.
	Near *GeoPoint
	// ModifiedSince keeps activities last changed at or after the time.
	ModifiedSince *time.Time
	// OrganisationIDs keeps activities organised or co-organised by these organisations.
	OrganisationIDs []int64
	// HSDSServiceIDs keeps the activities whose HSDS service id (hsds_uuid('service:' || id)) is
	// one of these UUIDs, in their text form; HSDSServiceAtLocationIDs those whose service at
	// location id (hsds_uuid('service_at_location:' || id)) is.
	HSDSServiceIDs           []string
	HSDSServiceAtLocationIDs []string
	// Parts are the parts of each activity to read; the zero value reads all.
	Parts ActivityParts
}

// ActivityParent names the edge a batched activity list follows.
type ActivityParent string

// The parents of activity lists.
const (
	ActivityByOrganiser    ActivityParent = "a.organiser_id"
	ActivityByProgramme    ActivityParent = "a.programme_id"
	ActivityByMunicipality ActivityParent = "a.municipality_id"
)

// kmPerDegree is the length of a degree of latitude (and of longitude at the equator).
const kmPerDegree = 111.195

// haversineKm is the great-circle distance in km between the activity and the point at the
// placeholders lat and lon.
func haversineKm(lat, lon string) string {
	return fmt.Sprintf(`(12742 * asin(sqrt(power(sin(radians(a.latitude - %[1]s::float8) / 2), 2)
 + cos(radians(%[1]s::float8)) * cos(radians(a.latitude)) * power(sin(radians(a.longitude - %[2]s::float8) / 2), 2))))`, lat, lon)
}

func activityQuery(f ActivityFilter) *listQuery {
	q := &listQuery{
		from: "activity a", columns: selectActivity(f.Parts).columns, idExpr: "a.id",
		sorts: map[string]sortColumn{
			OrderTitle: {"a.title", "text"}, OrderCreatedAt: {"a.created_at", "timestamptz"},
			OrderUpdatedAt: {"a.updated_at", "timestamptz"},
		},
	}
	visible := "a.status = 'PUBLISHED'"
	if f.Announced {
		visible = "(a.published_at IS NOT NULL AND a.status <> 'DRAFT')"
	}
	// Every organisation's visible activities, and the scope's in any status.
	q.scope(f.Unpublished, "a.organiser_id", visible)
	if len(f.IDs) > 0 {
		filterOneOf(q, "a.id", f.IDs)
	}
	if len(f.Statuses) > 0 {
		filterEnumOneOf(q, "a.status", f.Statuses)
	}
	if len(f.ProgrammeCodes) > 0 {
		q.filter("a.programme_id IN (SELECT fp.id FROM programme fp WHERE fp.code = ANY(%s))", f.ProgrammeCodes)
	}
	if len(f.MunicipalityCodes) > 0 {
		q.filter("a.municipality_id IN (SELECT fm.id FROM municipality fm WHERE fm.code = ANY(%s))", f.MunicipalityCodes)
	}
	if len(f.OrganisationSlugs) > 0 {
		q.filter(`(a.organiser_id IN (SELECT fo.id FROM organisation fo WHERE fo.slug = ANY(%[1]s))
 OR a.id IN (SELECT fc.activity_id FROM activity_co_organiser fc JOIN organisation fo ON fo.id = fc.organisation_id
             WHERE fo.slug = ANY(%[1]s)))`, f.OrganisationSlugs)
	}
	if len(f.OrganisationIDs) > 0 {
		q.filter(`(a.organiser_id = ANY(%[1]s)
 OR a.id IN (SELECT fc.activity_id FROM activity_co_organiser fc WHERE fc.organisation_id = ANY(%[1]s)))`, f.OrganisationIDs)
	}
	if len(f.HSDSServiceIDs) > 0 {
		q.filter("hsds_uuid('service:' || a.id) = ANY(%s::uuid[])", f.HSDSServiceIDs)
	}
	if len(f.HSDSServiceAtLocationIDs) > 0 {
		q.filter("hsds_uuid('service_at_location:' || a.id) = ANY(%s::uuid[])", f.HSDSServiceAtLocationIDs)
	}
	if f.ModifiedSince != nil {
		q.filter("a.updated_at >= %s", *f.ModifiedSince)
	}
	if len(f.Categories) > 0 {
		filterEnumOneOf(q, "a.category", f.Categories)
	}
	if len(f.Languages) > 0 {
		q.filter("a.languages && %s::text[]", f.Languages)
	}
	if len(f.TargetGroups) > 0 {
		q.filter("a.target_groups && %s::text[]", f.TargetGroups)
	}
	if f.OccursFrom != nil || f.OccursUntil != nil {
		from, until := time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		if f.OccursFrom != nil {
			from = *f.OccursFrom
		}
		if f.OccursUntil != nil {
			until = *f.OccursUntil
		}
		q.filter(`EXISTS (SELECT 1 FROM activity_occurrence fo
 WHERE fo.activity_id = a.id AND fo.ends_at > %s AND fo.starts_at < %s)`, from, until)
	}
	if f.Search != "" {
		q.filter("a.title ILIKE %s", likePattern(f.Search))
	}
	if f.Text != "" {
		textSearch(q, f)
	}
	if f.Near != nil {
		dist := haversineKm(q.arg(f.Near.Latitude), q.arg(f.Near.Longitude))
		// The bounding box of the radius lets the coordinates index narrow the rows first.
		dLat := f.Near.RadiusKm / kmPerDegree
		dLon := 180.0
		if c := math.Cos(f.Near.Latitude * math.Pi / 180); c > 0.01 {
			dLon = min(180, f.Near.RadiusKm/(kmPerDegree*c))
		}
		q.filter("a.latitude BETWEEN %s::float8 AND %s::float8", f.Near.Latitude-dLat, f.Near.Latitude+dLat)
		if dLon < 180 && f.Near.Longitude-dLon >= -180 && f.Near.Longitude+dLon <= 180 {
			q.filter("a.longitude BETWEEN %s::float8 AND %s::float8", f.Near.Longitude-dLon, f.Near.Longitude+dLon)
		}
		q.filter(dist+" <= %s::float8", f.Near.RadiusKm)
		q.sorts[OrderDistance] = sortColumn{dist, "float8"}
	}
	return q
}

// ActivityList returns one page of activities. A text search that finds nothing by full text
// falls back on the typo-tolerant match of titles (ActivityFilter.Fuzzy).
func (s *Store) ActivityList(ctx context.Context, f ActivityFilter, o Order, p Page) (Slice[partnernet.Activity], error) {
	page, err := listPage(ctx, s.db, activityQuery(f), o, p, selectActivity(f.Parts).scan)
	if err != nil || len(page.Rows) > 0 || f.Text == "" || f.Fuzzy {
		return page, err
	}
	if n, err := countRows(ctx, s.db, activityQuery(f)); err != nil || n > 0 {
		return page, err
	}
	f.Fuzzy = true
	err = s.fuzzy(ctx, func(st *Store) error {
		page, err = listPage(ctx, st.db, activityQuery(f), o, p, selectActivity(f.Parts).scan)
		return err
	})
	return page, err
}

// ActivityListCounted returns one page of activities and the count of every activity the filter
// selects, in one round trip; a text search that finds nothing by full text falls back as
// [Store.ActivityList] does.
func (s *Store) ActivityListCounted(ctx context.Context, f ActivityFilter, o Order, p Page) (Slice[partnernet.Activity], int, error) {
	page, n, err := listPageCounted(ctx, s.db, activityQuery(f), o, p, selectActivity(f.Parts).scan)
	if err != nil || n > 0 || f.Text == "" || f.Fuzzy {
		return page, n, err
	}
	f.Fuzzy = true
	err = s.fuzzy(ctx, func(st *Store) error {
		page, n, err = listPageCounted(ctx, st.db, activityQuery(f), o, p, selectActivity(f.Parts).scan)
		return err
	})
	return page, n, err
}

// ActivityListAt returns limit activities from offset on, in order o (OrderID for a list that
// only grows at its end): a page by number.
func (s *Store) ActivityListAt(ctx context.Context, f ActivityFilter, o Order, offset, limit int) ([]partnernet.Activity, error) {
	return listAt(ctx, s.db, activityQuery(f), o, offset, limit, activityFields)
}

// ActivityCount counts the activities a filter selects; a text search that finds nothing by
// full text counts the typo-tolerant matches, as [Store.ActivityList] lists them.
func (s *Store) ActivityCount(ctx context.Context, f ActivityFilter) (int, error) {
	n, err := countRows(ctx, s.db, activityQuery(f))
	if err != nil || n > 0 || f.Text == "" || f.Fuzzy {
		return n, err
	}
	f.Fuzzy = true
	err = s.fuzzy(ctx, func(st *Store) error {
		n, err = countRows(ctx, st.db, activityQuery(f))
		return err
	})
	return n, err
}

// forParents returns the filter for the activities of parents. An organiser's activities are
// all in the scope of unpublished activities when the organiser is: the scope's condition,
// (organiser in scope OR published), then holds for each of them, and is left out, so that an
// organisation's own page and count are read by the organiser's index alone (index-only for
// the count) rather than through an OR the planner cannot serve from one index.
func (f ActivityFilter) forParents(parent ActivityParent, parentIDs []int64) ActivityFilter {
	if parent != ActivityByOrganiser || len(parentIDs) == 0 {
		return f
	}
	for _, id := range parentIDs {
		if !f.Unpublished.Covers(id) {
			return f
		}
	}
	f.Unpublished = partnernet.OrgScope{All: true}
	return f
}

// ActivityListByParents returns one page of activities for each of the parents, keyed by parent
// id, in one statement.
func (s *Store) ActivityListByParents(ctx context.Context, parent ActivityParent, parentIDs []int64, f ActivityFilter, o Order, p Page) (map[int64]Slice[partnernet.Activity], error) {
	f = f.forParents(parent, parentIDs)
	return listPageByParent(ctx, s.db, activityQuery(f), string(parent), parentIDs, o, p, selectActivity(f.Parts).scan)
}

// ActivityListByParentsCounted returns one page of activities for each of the parents and the
// count of each parent's activities, in one round trip.
func (s *Store) ActivityListByParentsCounted(ctx context.Context, parent ActivityParent, parentIDs []int64, f ActivityFilter, o Order, p Page) (map[int64]Slice[partnernet.Activity], map[int64]int, error) {
	f = f.forParents(parent, parentIDs)
	return listPageByParentCounted(ctx, s.db, func() *listQuery { return activityQuery(f) }, string(parent), parentIDs, o, p,
		selectActivity(f.Parts).scan)
}

// ActivityCountByParents counts the activities of each of the parents, in one statement.
func (s *Store) ActivityCountByParents(ctx context.Context, parent ActivityParent, parentIDs []int64, f ActivityFilter) (map[int64]int, error) {
	f = f.forParents(parent, parentIDs)
	return countRowsByParent(ctx, s.db, activityQuery(f), string(parent), parentIDs)
}

// ActivityGetMany returns the activities with the given ids, whatever their status, in no
// particular order; unknown ids are absent. Callers decide visibility.
func (s *Store) ActivityGetMany(ctx context.Context, ids []int64) ([]partnernet.Activity, error) {
	return s.ActivityGetManyParts(ctx, ActivityAllParts, ids)
}

// ActivityGetManyParts is ActivityGetMany reading only parts of each activity (zero: all), for a
// selection that asks for no more: an enrolment's activity's title reads three columns, not 34
// and three subqueries.
func (s *Store) ActivityGetManyParts(ctx context.Context, parts ActivityParts, ids []int64) ([]partnernet.Activity, error) {
	sel := selectActivity(parts)
	return getMany(ctx, s.db, "activities", "SELECT "+sel.columns+" FROM activity a WHERE a.id = ANY($1)", ids, sel.scan)
}

// ActivityLock returns the activity with id and locks it until the transaction ends: the lock
// that serialises writes and enrolments of one activity. It returns partnernet.ErrNotFound for
// an unknown id.
func (s *Store) ActivityLock(ctx context.Context, id int64) (partnernet.Activity, error) {
	var a partnernet.Activity
	err := s.db.QueryRow(ctx, "SELECT "+activityColumns+" FROM activity a WHERE a.id = $1 FOR UPDATE OF a", id).
		Scan(activityFields(&a)...)
	if err != nil {
		return a, translate(fmt.Errorf("lock activity %d: %w", id, err))
	}
	return a, nil
}

// activityWrite is what an editor writes of an activity: each column with its value.
func activityWrite(a partnernet.Activity) columns {
	exdates := a.Schedule.ExDates
	if exdates == nil {
		exdates = []time.Time{}
	}
	return columns{
		{"programme_id", a.ProgrammeID},
		{"municipality_id", a.MunicipalityID},
		{"title", a.Title},
		{"description", a.Description},
		{"title_en", a.TitleEn},
		{"description_en", a.DescriptionEn},
		{"category", a.Category},
		{"languages", a.Languages},
		{"target_groups", a.TargetGroups},
		{"accessibility", a.Accessibility},
		{"online", a.Online},
		{"online_url", a.OnlineURL},
		{"address", a.Address},
		{"latitude", a.Latitude},
		{"longitude", a.Longitude},
		{"starts_at", a.Schedule.StartsAt},
		{"duration_minutes", a.Schedule.DurationMinutes},
		{"rrule", a.Schedule.RRule},
		{"exdates", exdates},
		{"capacity", a.Capacity},
		{"min_age", a.MinAge},
		{"max_age", a.MaxAge},
		{"cost_sek", a.CostSEK},
		{"cost_note", a.CostNote},
		{"contact_name", a.ContactName},
		{"contact_email", a.ContactEmail},
		{"contact_phone", a.ContactPhone},
		{"application_process", a.ApplicationProcess},
		{"interpretation_services", a.InterpretationServices},
	}
}

// ActivityCreate inserts a draft activity organised by a.OrganiserID, with its co-organisers,
// service areas, further schedules and the occurrences of its schedules, and returns it as
// stored. Run it in a transaction. It returns
// partnernet.ErrBadUserInput for a value the database refuses (an unknown programme,
// municipality or co-organiser).
func (s *Store) ActivityCreate(ctx context.Context, a partnernet.Activity, occurrences []partnernet.Occurrence) (partnernet.Activity, error) {
	cols := append(columns{{"organiser_id", a.OrganiserID}}, activityWrite(a)...)
	var p params
	sql := "INSERT INTO activity (" + cols.names() + ") VALUES (" + p.values(cols) + ") RETURNING id"
	var id int64
	err := s.db.QueryRow(ctx, sql, p...).Scan(&id)
	if err != nil {
		return a, translate(fmt.Errorf("insert activity: %w", err))
	}
	if err := s.activityChildren(ctx, id, a, occurrences); err != nil {
		return a, err
	}
	return s.ActivityLock(ctx, id)
}

// ActivityUpdate replaces the editable fields of activity a.ID, its co-organisers, service areas,
// further schedules and occurrences, counts a new version, and returns it as stored. When the activity is public
// and published, an UPDATED change is announced. Run it in a transaction, after
// [Store.ActivityLock].
func (s *Store) ActivityUpdate(ctx context.Context, a partnernet.Activity, occurrences []partnernet.Occurrence) (partnernet.Activity, error) {
	cols := activityWrite(a)
	var p params
	id := p.add(a.ID)
	sql := "UPDATE activity SET (" + cols.names() + ", version, updated_at) = (" + p.values(cols) + ", version + 1, now()) WHERE id = " + id
	tag, err := s.db.Exec(ctx, sql, p...)
	if err != nil {
		return a, translate(fmt.Errorf("update activity %d: %w", a.ID, err))
	}
	if tag.RowsAffected() == 0 {
		return a, partnernet.Errorf(partnernet.CodeNotFound, "no activity %d", a.ID)
	}
	if _, err := s.db.Exec(ctx, "DELETE FROM activity_co_organiser WHERE activity_id = $1", a.ID); err != nil {
		return a, translate(fmt.Errorf("clear co-organisers of activity %d: %w", a.ID, err))
	}
	if _, err := s.db.Exec(ctx, "DELETE FROM activity_schedule WHERE activity_id = $1", a.ID); err != nil {
		return a, translate(fmt.Errorf("clear further schedules of activity %d: %w", a.ID, err))
	}
	if _, err := s.db.Exec(ctx, "DELETE FROM activity_service_area WHERE activity_id = $1", a.ID); err != nil {
		return a, translate(fmt.Errorf("clear service areas of activity %d: %w", a.ID, err))
	}
	if _, err := s.db.Exec(ctx, "DELETE FROM activity_occurrence WHERE activity_id = $1", a.ID); err != nil {
		return a, translate(fmt.Errorf("clear occurrences of activity %d: %w", a.ID, err))
	}
	if err := s.activityChildren(ctx, a.ID, a, occurrences); err != nil {
		return a, err
	}
	out, err := s.ActivityLock(ctx, a.ID)
	if err != nil {
		return out, err
	}
	if out.Status == partnernet.ActivityPublished {
		err = s.activityChange(ctx, a.ID, partnernet.ChangeUpdated)
	}
	return out, err
}

// activityChildren writes an activity's co-organisers, service areas, further schedules and
// occurrences.
func (s *Store) activityChildren(ctx context.Context, id int64, a partnernet.Activity, occurrences []partnernet.Occurrence) error {
	if len(a.CoOrganiserIDs) > 0 {
		_, err := s.db.Exec(ctx, `INSERT INTO activity_co_organiser (activity_id, organisation_id)
SELECT $1, o FROM unnest($2::bigint[]) o ON CONFLICT DO NOTHING`, id, a.CoOrganiserIDs)
		if err != nil {
			return translate(fmt.Errorf("insert co-organisers of activity %d: %w", id, err))
		}
	}
	if len(a.ServiceAreaIDs) > 0 {
		_, err := s.db.Exec(ctx, `INSERT INTO activity_service_area (activity_id, municipality_id)
SELECT $1, m FROM unnest($2::bigint[]) m ON CONFLICT DO NOTHING`, id, a.ServiceAreaIDs)
		if err != nil {
			return translate(fmt.Errorf("insert service areas of activity %d: %w", id, err))
		}
	}
	for i, sc := range a.MoreSchedules {
		exdates := sc.ExDates
		if exdates == nil {
			exdates = []time.Time{}
		}
		_, err := s.db.Exec(ctx, `INSERT INTO activity_schedule (activity_id, position, starts_at, duration_minutes, rrule, exdates)
VALUES ($1, $2, $3, $4, $5, $6)`, id, i+1, sc.StartsAt, sc.DurationMinutes, sc.RRule, exdates)
		if err != nil {
			return translate(fmt.Errorf("insert schedule %d of activity %d: %w", i+1, id, err))
		}
	}
	if len(occurrences) > 0 {
		starts, ends := occurrenceTimes(occurrences)
		_, err := s.db.Exec(ctx, `INSERT INTO activity_occurrence (activity_id, starts_at, ends_at)
SELECT $1, s, e FROM unnest($2::timestamptz[], $3::timestamptz[]) AS o(s, e)`, id, starts, ends)
		if err != nil {
			return translate(fmt.Errorf("insert occurrences of activity %d: %w", id, err))
		}
	}
	return nil
}

// occurrenceTimes splits occurrences into their starts and ends.
func occurrenceTimes(occurrences []partnernet.Occurrence) (starts, ends []time.Time) {
	starts, ends = make([]time.Time, len(occurrences)), make([]time.Time, len(occurrences))
	for i, o := range occurrences {
		starts[i], ends[i] = o.StartsAt, o.EndsAt
	}
	return starts, ends
}

// ActivitySetStatus moves activity id to status: publishing stamps published_at the first time,
// cancelling stamps cancelled_at. A move to PUBLISHED or CANCELLED is announced as a public
// change in the same transaction. It returns the activity as stored; partnernet.ErrNotFound for
// an unknown id. Check the transition before, under [Store.ActivityLock].
func (s *Store) ActivitySetStatus(ctx context.Context, id int64, status partnernet.ActivityStatus) (partnernet.Activity, error) {
	_, err := s.db.Exec(ctx, `UPDATE activity SET status = $2, version = version + 1, updated_at = now(),
 published_at = CASE WHEN $2 = 'PUBLISHED' THEN coalesce(published_at, now()) ELSE published_at END,
 cancelled_at = CASE WHEN $2 = 'CANCELLED' THEN now() ELSE cancelled_at END
WHERE id = $1`, id, status)
	if err != nil {
		return partnernet.Activity{}, translate(fmt.Errorf("set status of activity %d: %w", id, err))
	}
	a, err := s.ActivityLock(ctx, id)
	if err != nil {
		return a, err
	}
	switch status {
	case partnernet.ActivityPublished:
		err = s.activityChange(ctx, id, partnernet.ChangePublished)
	case partnernet.ActivityCancelled:
		if a.PublishedAt != nil {
			err = s.activityChange(ctx, id, partnernet.ChangeCancelled)
		}
	}
	return a, err
}

// activityChange records a public change and notifies [ActivityChannel], both taking effect
// when the transaction commits.
func (s *Store) activityChange(ctx context.Context, id int64, kind partnernet.ActivityChangeKind) error {
	_, err := s.db.Exec(ctx, `WITH c AS (INSERT INTO activity_change (activity_id, kind) VALUES ($1, $2) RETURNING id)
SELECT pg_notify($3, '') FROM c`, id, kind, ActivityChannel)
	return translate(wrap(fmt.Sprintf("record %s of activity %d", kind, id), err))
}

// ActivityChangeLatest returns the id of the latest public change, 0 when there is none.
func (s *Store) ActivityChangeLatest(ctx context.Context) (int64, error) {
	var id int64
	if err := s.db.QueryRow(ctx, "SELECT coalesce(max(id), 0) FROM activity_change").Scan(&id); err != nil {
		return 0, translate(fmt.Errorf("latest activity change: %w", err))
	}
	return id, nil
}

// ActivityChangeListAfter returns the public changes after id, oldest first, at most limit.
func (s *Store) ActivityChangeListAfter(ctx context.Context, after int64, limit int) ([]partnernet.ActivityChange, error) {
	rows, err := s.db.Query(ctx, `SELECT id, activity_id, kind, occurred_at FROM activity_change
WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, translate(fmt.Errorf("list activity changes: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (partnernet.ActivityChange, error) {
		var c partnernet.ActivityChange
		return c, r.Scan(&c.ID, &c.ActivityID, &c.Kind, &c.OccurredAt)
	})
	if err != nil {
		return nil, translate(fmt.Errorf("list activity changes: %w", err))
	}
	return out, nil
}

// OccurrenceListNext returns, for each of the activities, its next limit occurrences ending
// after t, in order.
func (s *Store) OccurrenceListNext(ctx context.Context, ids []int64, t time.Time, limit int) ([]partnernet.Occurrence, error) {
	rows, err := s.db.Query(ctx, nextOccurrencesSQL, ids, t, limit)
	if err != nil {
		return nil, translate(fmt.Errorf("list next occurrences: %w", err))
	}
	out, err := collectAll(rows, occurrenceFields)
	if err != nil {
		return nil, translate(fmt.Errorf("list next occurrences: %w", err))
	}
	return out, nil
}

// nextOccurrencesSQL reads the next $3 occurrences ending after $2 of each activity of $1.
const nextOccurrencesSQL = `SELECT o.activity_id, o.starts_at, o.ends_at
FROM unnest($1::bigint[]) AS p(id)
CROSS JOIN LATERAL (SELECT * FROM activity_occurrence o WHERE o.activity_id = p.id AND o.ends_at > $2
                    ORDER BY o.starts_at LIMIT $3) o
ORDER BY o.activity_id, o.starts_at`

// occurrenceFields are the scan destinations of a row of nextOccurrencesSQL.
func occurrenceFields(o *partnernet.Occurrence) []any {
	return []any{&o.ActivityID, &o.StartsAt, &o.EndsAt}
}

// ActivityListScheduleDue returns up to limit activities, draft or published, with an
// open-ended recurrence rule (no COUNT, no UNTIL) in any of their schedules whose expanded
// occurrences end before until: the schedules to expand further.
func (s *Store) ActivityListScheduleDue(ctx context.Context, until time.Time, limit int) ([]partnernet.Activity, error) {
	rows, err := s.db.Query(ctx, "SELECT "+activityColumns+` FROM activity a
WHERE (a.rrule IS NOT NULL AND a.rrule !~ '(COUNT|UNTIL)='
       OR EXISTS (SELECT 1 FROM activity_schedule s WHERE s.activity_id = a.id AND s.rrule IS NOT NULL
                  AND s.rrule !~ '(COUNT|UNTIL)='))
  AND a.status IN ('DRAFT', 'PUBLISHED')
  AND coalesce((SELECT max(o.starts_at) FROM activity_occurrence o WHERE o.activity_id = a.id), '-infinity') < $1
ORDER BY a.id LIMIT $2`, until, limit)
	if err != nil {
		return nil, translate(fmt.Errorf("list activities due for expansion: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (partnernet.Activity, error) {
		var a partnernet.Activity
		return a, r.Scan(activityFields(&a)...)
	})
	if err != nil {
		return nil, translate(fmt.Errorf("list activities due for expansion: %w", err))
	}
	return out, nil
}

// OccurrenceAdd adds occurrences of activity a's schedules; those already there are kept. It
// returns how many were new.
func (s *Store) OccurrenceAdd(ctx context.Context, a partnernet.Activity, occurrences []partnernet.Occurrence) (int64, error) {
	starts, ends := occurrenceTimes(occurrences)
	tag, err := s.db.Exec(ctx, `INSERT INTO activity_occurrence (activity_id, starts_at, ends_at)
SELECT $1, s, e FROM unnest($2::timestamptz[], $3::timestamptz[]) AS o(s, e)
ON CONFLICT DO NOTHING`, a.ID, starts, ends)
	if err != nil {
		return 0, translate(fmt.Errorf("add occurrences of activity %d: %w", a.ID, err))
	}
	return tag.RowsAffected(), nil
}

// ActivitySourceGet returns the activity an organisation's own system pushed under its id
// sourceID (a UUID in text form). It returns partnernet.ErrNotFound when there is none.
func (s *Store) ActivitySourceGet(ctx context.Context, organisationID int64, sourceID string) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `SELECT activity_id FROM activity_hsds_source WHERE organisation_id = $1 AND source_id = $2::uuid`,
		organisationID, sourceID).Scan(&id)
	if err != nil {
		return 0, translate(fmt.Errorf("get pushed activity %s of organisation %d: %w", sourceID, organisationID, err))
	}
	return id, nil
}

// ActivitySourceCreate records that an organisation's own system pushed activity activityID under
// its id sourceID. It returns partnernet.ErrConflict when the id is taken.
func (s *Store) ActivitySourceCreate(ctx context.Context, organisationID int64, sourceID string, activityID int64) error {
	_, err := s.db.Exec(ctx, `INSERT INTO activity_hsds_source (organisation_id, source_id, activity_id) VALUES ($1, $2::uuid, $3)`,
		organisationID, sourceID, activityID)
	return translate(wrap(fmt.Sprintf("record pushed activity %s of organisation %d", sourceID, organisationID), err))
}
