package resolvers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// Limits on filter inputs.
const (
	maxSearchLength = 100
	maxFilterValues = 100
)

// orderOf turns a sort field and direction into a store order. The schema's order fields are
// named as the store's order columns.
func orderOf[F ~string](field F, dir *model.OrderDirection) store.Order {
	return store.Order{Column: string(field), Desc: dir != nil && *dir == model.OrderDirectionDesc}
}

// organisationOrder converts an organisation order; by name by default.
func organisationOrder(o *model.OrganisationOrder) store.Order {
	if o == nil {
		return store.Order{Column: store.OrderName}
	}
	return orderOf(o.Field, o.Direction)
}

// municipalityOrder converts a municipality order; by name by default.
func municipalityOrder(o *model.MunicipalityOrder) store.Order {
	if o == nil {
		return store.Order{Column: store.OrderName}
	}
	return orderOf(o.Field, o.Direction)
}

// programmeOrder converts a programme order; by code by default.
func programmeOrder(o *model.ProgrammeOrder) store.Order {
	if o == nil {
		return store.Order{Column: store.OrderCode}
	}
	return orderOf(o.Field, o.Direction)
}

// newcomerOrder converts a newcomer order; by registration by default.
func newcomerOrder(o *model.NewcomerOrder) store.Order {
	if o == nil {
		return store.Order{Column: store.OrderRegisteredAt}
	}
	return orderOf(o.Field, o.Direction)
}

// consentRecordOrder converts a consent record order; by when recorded by default.
func consentRecordOrder(o *model.ConsentRecordOrder) store.Order {
	if o == nil {
		return store.Order{Column: store.OrderRecordedAt}
	}
	return orderOf(o.Field, o.Direction)
}

// orderKey names an order in cursors, so that a cursor from another order is refused.
func orderKey(o store.Order) string {
	if o.Desc {
		return o.Column + ":DESC"
	}
	return o.Column + ":ASC"
}

// pageArgs validates a connection's pagination arguments against an order.
func pageArgs(first *int, after *string, last *int, before *string, o store.Order) (store.Page, error) {
	return relay.Args{First: first, After: after, Last: last, Before: before}.Page(orderKey(o))
}

// rootConnection pages through a root list: validate the arguments, fetch one page, and count
// only when asked.
func rootConnection[T any](ctx context.Context, first *int, after *string, last *int, before *string, o store.Order,
	list func(context.Context, store.Order, store.Page) (store.Slice[T], error),
	count relay.Counter,
) (*relay.Connection[T], error) {
	page, err := pageArgs(first, after, last, before, o)
	if err != nil {
		return nil, err
	}
	s, err := list(ctx, o, page)
	if err != nil {
		return nil, err
	}
	return relay.NewConnection(orderKey(o), page, s, count), nil
}

// countBeside starts count now, when the query asks for totalCount, so that it runs on a
// second connection beside the statement of the page instead of after it; the counter it
// returns waits for that count. Where both are heavy (a name search rechecks thousands of
// names twice: for the page and for the count) the answer comes in the time of the slower
// instead of the sum. Without totalCount in the query it returns count unchanged.
func countBeside(ctx context.Context, count relay.Counter) relay.Counter {
	if !slices.Contains(graphql.CollectAllFields(ctx), "totalCount") {
		return count
	}
	var (
		done = make(chan struct{})
		n    int
		err  error
	)
	go func() {
		defer close(done)
		n, err = count(ctx)
	}()
	return func(ctx context.Context) (int, error) {
		select {
		case <-done:
			return n, err
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// childConnection pages through the list under one parent through a page loader, so that all
// parents of a request share one statement. When the query asks for totalCount, the count is
// started with the page, so that every parent's count joins one batch too.
func childConnection[F, T any](ctx context.Context, l interface {
	Load(context.Context, int64, F, store.Order, store.Page) (store.Slice[T], error)
	Count(context.Context, int64, F) func() (int, error)
}, parentID int64, f F, first *int, after *string, last *int, before *string, o store.Order,
) (*relay.Connection[T], error) {
	page, err := pageArgs(first, after, last, before, o)
	if err != nil {
		return nil, err
	}
	count := func(ctx context.Context) (int, error) { return l.Count(ctx, parentID, f)() }
	if slices.Contains(graphql.CollectAllFields(ctx), "totalCount") {
		thunk := l.Count(ctx, parentID, f)
		count = func(context.Context) (int, error) { return thunk() }
	}
	s, err := l.Load(ctx, parentID, f, o, page)
	if err != nil {
		return nil, err
	}
	return relay.NewConnection(orderKey(o), page, s, count), nil
}

// loadedChildConnection is the connection of the child list field resolving in ctx for the parent
// with id parentID, when its parent level loaded it ahead (loadChildActivities): what
// childConnection would answer, without deriving the field's filter, selection and key again
// for each of the level's parents. ok is false when nothing was loaded ahead.
func loadedChildConnection[F, T any](ctx context.Context, l *loaders.PageLoader[F, T], parentID int64) (*relay.Connection[T], bool) {
	got, ok := l.LoadedFor(graphql.GetFieldContext(ctx).Field.Field, parentID)
	if !ok {
		return nil, false
	}
	count := func(ctx context.Context) (int, error) { return l.Count(ctx, parentID, got.Filter)() }
	if got.Counted {
		count = func(context.Context) (int, error) { return got.Count, nil }
	}
	return relay.NewConnection(orderKey(got.Order), got.Page, got.Rows, count), true
}

// searchText validates a free-text search argument at path field.
func searchText(field string, s *string) (string, error) {
	if s == nil {
		return "", nil
	}
	if !utf8.ValidString(*s) || utf8.RuneCountInString(*s) > maxSearchLength {
		return "", partnernet.InputError(field, "search must be valid text of at most %d characters", maxSearchLength)
	}
	return *s, nil
}

// values validates a list-valued filter argument at path field.
func values[T any](field string, v []T) ([]T, error) {
	if len(v) > maxFilterValues {
		return nil, partnernet.InputError(field, "at most %d values", maxFilterValues)
	}
	return v, nil
}

// organisationIDs decodes a list-valued filter of organisation global IDs at path field.
func organisationIDs(field string, gids []string) ([]int64, error) {
	if _, err := values(field, gids); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(gids))
	for i, gid := range gids {
		id, err := relay.DecodeID(fmt.Sprintf("%s.%d", field, i), typeOrganisation, gid)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// municipalityCodes validates official municipality codes given as a filter at path field.
func municipalityCodes(field string, codes []string) ([]string, error) {
	if _, err := values(field, codes); err != nil {
		return nil, err
	}
	for _, c := range codes {
		if len(c) != 4 || c[0] < '0' || c[0] > '9' || c[1] < '0' || c[1] > '9' || c[2] < '0' || c[2] > '9' || c[3] < '0' || c[3] > '9' {
			return nil, partnernet.InputError(field, "%q is not a four-digit municipality code", c)
		}
	}
	return codes, nil
}

// nullIfMissing turns a loader's not-found error into a null result.
func nullIfMissing[T any](v *T, err error) (*T, error) {
	if errors.Is(err, partnernet.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// firstError returns the first non-nil error of a loader's LoadMany.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// optional turns a not-found error into a null result, as single-object lookups by key answer
// null for a key that names nothing.
func optional[T any](v T, err error) (*T, error) {
	if errors.Is(err, partnernet.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// organisationFilter validates and converts an organisation filter.
func organisationFilter(f *model.OrganisationFilter) (store.OrganisationFilter, error) {
	var out store.OrganisationFilter
	if f == nil {
		return out, nil
	}
	var err error
	if out.Kinds, err = values("filter.kinds", f.Kinds); err != nil {
		return out, err
	}
	if out.Sectors, err = values("filter.sectors", f.Sectors); err != nil {
		return out, err
	}
	if out.ProgrammeCodes, err = values("filter.programmes", f.Programmes); err != nil {
		return out, err
	}
	if out.MunicipalityCodes, err = municipalityCodes("filter.municipalityCodes", f.MunicipalityCodes); err != nil {
		return out, err
	}
	out.Search, err = searchText("filter.search", f.Search)
	return out, err
}

// activityFilter validates and converts an activity filter; visibility of unpublished activities
// is the caller's to add.
func activityFilter(f *model.ActivityFilter) (store.ActivityFilter, error) {
	var out store.ActivityFilter
	if f == nil {
		return out, nil
	}
	var err error
	if out.Statuses, err = values("filter.statuses", f.Statuses); err != nil {
		return out, err
	}
	if out.ProgrammeCodes, err = values("filter.programmes", f.Programmes); err != nil {
		return out, err
	}
	if out.MunicipalityCodes, err = municipalityCodes("filter.municipalityCodes", f.MunicipalityCodes); err != nil {
		return out, err
	}
	if out.OrganisationSlugs, err = values("filter.organisations", f.Organisations); err != nil {
		return out, err
	}
	out.Search, err = searchText("filter.search", f.Search)
	return out, err
}

// pointers returns pointers to the elements of s, the shape gqlgen wants for lists of objects.
func pointers[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

// municipalityID resolves an optional official municipality code at path field.
func (r *Resolver) municipalityID(ctx context.Context, field string, code *string) (*int64, error) {
	if code == nil {
		return nil, nil
	}
	if _, err := municipalityCodes(field, []string{*code}); err != nil {
		return nil, err
	}
	m, err := r.Store.MunicipalityGetByCode(ctx, *code)
	if errors.Is(err, partnernet.ErrNotFound) {
		return nil, partnernet.InputError(field, "no municipality of Skåne has the code %q", *code)
	}
	if err != nil {
		return nil, err
	}
	return &m.ID, nil
}

// conflictAs replaces a store's generic conflict by a message saying what conflicts.
func conflictAs(err error, message string) error {
	if errors.Is(err, partnernet.ErrConflict) {
		return partnernet.Errorf(partnernet.CodeConflict, "%s", message)
	}
	return err
}

// consentRecordFilter validates and converts a filter of consent records.
func consentRecordFilter(filter *model.ConsentRecordFilter) (store.ConsentRecordFilter, error) {
	var f store.ConsentRecordFilter
	if filter == nil {
		return f, nil
	}
	var err error
	if f.Purposes, err = values("filter.purposes", filter.Purposes); err != nil {
		return f, err
	}
	if f.DataCategories, err = values("filter.dataCategories", filter.DataCategories); err != nil {
		return f, err
	}
	if f.States, err = values("filter.states", filter.States); err != nil {
		return f, err
	}
	f.RecipientIDs, err = organisationIDs("filter.recipientIds", filter.RecipientIds)
	return f, err
}
