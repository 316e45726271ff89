package store

import (
	"context"

	"github.com/partnerskap-skane/partnernet"
)

// Order columns of activity lists.
const (
	OrderTitle     = "TITLE"
	OrderUpdatedAt = "UPDATED_AT"
)

const activityColumns = "a.id, a.organiser_id, a.programme_id, a.municipality_id, a.title, a.description, a.status, a.created_at, a.updated_at"

func activityFields(a *partnernet.Activity) []any {
	return []any{
		&a.ID, &a.OrganiserID, &a.ProgrammeID, &a.MunicipalityID, &a.Title, &a.Description, &a.Status,
		&a.CreatedAt, &a.UpdatedAt,
	}
}

// ActivityFilter narrows a list of activities.
type ActivityFilter struct {
	// Unpublished says whose activities in a status other than PUBLISHED may be listed; the
	// published ones of every organisation always may. The zero value lists published only.
	Unpublished       partnernet.OrgScope
	Statuses          []partnernet.ActivityStatus
	ProgrammeCodes    []partnernet.ProgrammeCode
	MunicipalityCodes []string
	OrganisationSlugs []string
	Search            string // case-insensitive substring of the title
}

// ActivityParent names the edge a batched activity list follows.
type ActivityParent string

// The parents of activity lists.
const (
	ActivityByOrganiser    ActivityParent = "a.organiser_id"
	ActivityByProgramme    ActivityParent = "a.programme_id"
	ActivityByMunicipality ActivityParent = "a.municipality_id"
)

func activityQuery(f ActivityFilter) *listQuery {
	q := &listQuery{
		from: "activity a", columns: activityColumns, idExpr: "a.id",
		sorts: map[string]sortColumn{
			OrderTitle: {"a.title", "text"}, OrderCreatedAt: {"a.created_at", "timestamptz"},
			OrderUpdatedAt: {"a.updated_at", "timestamptz"},
		},
	}
	switch {
	case f.Unpublished.All:
	case len(f.Unpublished.IDs) > 0:
		q.filter("(a.status = 'PUBLISHED' OR a.organiser_id = ANY(%s))", f.Unpublished.IDs)
	default:
		q.filter("a.status = 'PUBLISHED'")
	}
	if len(f.Statuses) > 0 {
		q.filter("a.status = ANY(%s)", f.Statuses)
	}
	if len(f.ProgrammeCodes) > 0 {
		q.filter("a.programme_id IN (SELECT fp.id FROM programme fp WHERE fp.code = ANY(%s))", f.ProgrammeCodes)
	}
	if len(f.MunicipalityCodes) > 0 {
		q.filter("a.municipality_id IN (SELECT fm.id FROM municipality fm WHERE fm.code = ANY(%s))", f.MunicipalityCodes)
	}
	if len(f.OrganisationSlugs) > 0 {
		q.filter("a.organiser_id IN (SELECT fo.id FROM organisation fo WHERE fo.slug = ANY(%s))", f.OrganisationSlugs)
	}
	if f.Search != "" {
		q.filter("a.title ILIKE %s", likePattern(f.Search))
	}
	return q
}

// ActivityList returns one page of activities.
func (s *Store) ActivityList(ctx context.Context, f ActivityFilter, o Order, p Page) (Slice[partnernet.Activity], error) {
	return listPage(ctx, s.db, activityQuery(f), o, p, activityFields)
}

// ActivityCount counts the activities a filter selects.
func (s *Store) ActivityCount(ctx context.Context, f ActivityFilter) (int, error) {
	return countRows(ctx, s.db, activityQuery(f))
}

// ActivityListByParents returns one page of activities for each of the parents, keyed by parent
// id, in one statement.
func (s *Store) ActivityListByParents(ctx context.Context, parent ActivityParent, parentIDs []int64, f ActivityFilter, o Order, p Page) (map[int64]Slice[partnernet.Activity], error) {
	return listPageByParent(ctx, s.db, activityQuery(f), string(parent), parentIDs, o, p, activityFields)
}

// ActivityCountByParents counts the activities of each of the parents, in one statement.
func (s *Store) ActivityCountByParents(ctx context.Context, parent ActivityParent, parentIDs []int64, f ActivityFilter) (map[int64]int, error) {
	return countRowsByParent(ctx, s.db, activityQuery(f), string(parent), parentIDs)
}

// ActivityGetMany returns the activities with the given ids, whatever their status, in no
// particular order; unknown ids are absent. Callers decide visibility.
func (s *Store) ActivityGetMany(ctx context.Context, ids []int64) ([]partnernet.Activity, error) {
	return getMany(ctx, s.db, "activities",
		"SELECT "+activityColumns+" FROM activity a WHERE a.id = ANY($1)", ids, activityFields)
}
