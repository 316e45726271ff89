package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// Key is a row's position in a keyset order: the order column's value, as text, and the row's id
// as tiebreaker.
type Key struct {
	Value string
	ID    int64
}

// Page selects a window of a keyset-ordered list: Limit rows after After and before Before,
// walked from the end when Backward (Relay's last/before).
type Page struct {
	Limit    int
	Backward bool
	After    *Key
	Before   *Key
}

// Slice is one page of rows in order, each with its [Key]. HasMore reports that rows exist
// beyond the page in the direction it was walked.
type Slice[T any] struct {
	Rows    []T
	Keys    []Key
	HasMore bool
}

// Order is a sort order of a list: one of the columns the list allows, ascending or descending.
// Ties are always broken by id in the same direction.
type Order struct {
	Column string
	Desc   bool
}

// sortColumn is a column a list may be ordered by: its SQL expression and type, used to cast a
// cursor value back.
type sortColumn struct {
	expr    string
	sqlType string
}

// listQuery builds the SELECT of one list: a FROM clause, the scanned columns, filters, and the
// keyset window. Every identifier in it comes from this package; only values are parameters.
type listQuery struct {
	// name says what the list is, in errors; from when empty.
	name    string
	from    string
	columns string
	idExpr  string
	sorts   map[string]sortColumn
	where   []string
	args    []any
}

// subject names the list in errors: its name, else its FROM clause.
func (q *listQuery) subject() string {
	if q.name != "" {
		return q.name
	}
	return q.from
}

// arg adds a parameter and returns its placeholder.
func (q *listQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// filter adds a condition; each %s in cond is replaced by the placeholder of the next value.
func (q *listQuery) filter(cond string, values ...any) {
	ph := make([]any, len(values))
	for i, v := range values {
		ph[i] = q.arg(v)
	}
	q.where = append(q.where, fmt.Sprintf(cond, ph...))
}

// oneOf returns the condition that col is one of values, with the value its %s stands for:
// col = value when there is one, which the planner matches to an index's order as it cannot
// match col = ANY(values) (so a category's page by title is a top-N of an index, not a filter of
// every published activity), and col = ANY(values) when there are several.
func oneOf[T any](col string, values []T) (string, any) {
	if len(values) == 1 {
		return col + " = %s", values[0]
	}
	return col + " = ANY(%s)", values
}

// filterOneOf adds the condition that col is one of values (see oneOf).
func filterOneOf[T any](q *listQuery, col string, values []T) {
	cond, v := oneOf(col, values)
	q.filter(cond, v)
}

// enum is a type of the domain whose values are a fixed list (an activity's category, a status).
type enum interface {
	~string
	Values() []string
}

// filterEnumOneOf adds the condition that col is one of values, an enum's: one value is written
// in (enumLiteral), for the reason orgLiteral gives, as the values' shares of the rows differ (one
// category is a twentieth of the activities, another a fifth) and a statement with the value as
// a parameter was planned again on every call; several values are a parameter (filterOneOf), so
// that the statement texts stay as few as the values.
func filterEnumOneOf[T enum](q *listQuery, col string, values []T) {
	if len(values) == 1 {
		q.where = append(q.where, col+" = "+enumLiteral(string(values[0]), values[0].Values()))
		return
	}
	filterOneOf(q, col, values)
}

// scope adds the condition that keeps the rows an organisation scope covers, col being the
// column of a row's organisation: nothing when the scope covers every organisation, col = id or
// col IN (ids) when it lists some, false when it covers none. The organisations are the
// caller's, from its credentials, and are written in (orgsLiteral). A non-empty also keeps
// further rows whatever the scope (each %s in it is replaced by the placeholder of the next of
// its values, as in filter): (col IN (ids) OR also) when the scope lists organisations, also
// alone when it lists none. Every list filtered by an [partnernet.OrgScope] goes through here.
func (q *listQuery) scope(s partnernet.OrgScope, col, also string, values ...any) {
	switch {
	case s.All:
	case len(s.IDs) > 0 && also != "":
		q.filter("("+orgsLiteral(col, s.IDs)+" OR "+also+")", values...)
	case len(s.IDs) > 0:
		q.where = append(q.where, orgsLiteral(col, s.IDs))
	case also != "":
		q.filter(also, values...)
	default:
		q.filter("false")
	}
}

// sort resolves an order against the list's allowed columns.
func (q *listQuery) sort(o Order) (sortColumn, error) {
	col, ok := q.sorts[o.Column]
	if !ok {
		return sortColumn{}, fmt.Errorf("list over %s cannot be ordered by %q", q.subject(), o.Column)
	}
	return col, nil
}

// keyset adds the conditions that keep rows strictly after After and before Before in order o.
func (q *listQuery) keyset(col sortColumn, o Order, page Page) {
	for _, bound := range []struct {
		key   *Key
		after bool
	}{{page.After, true}, {page.Before, false}} {
		if bound.key == nil {
			continue
		}
		op := ">"
		if bound.after == o.Desc {
			op = "<"
		}
		q.where = append(q.where, fmt.Sprintf("(%s, %s) %s (%s::%s, %s::bigint)",
			col.expr, q.idExpr, op, q.arg(bound.key.Value), col.sqlType, q.arg(bound.key.ID)))
	}
}

// whereClause renders the conditions, or nothing.
func (q *listQuery) whereClause() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// orderBy renders the ORDER BY of o, reversed when walking backward.
func (q *listQuery) orderBy(col sortColumn, o Order, backward bool) string {
	dir := "ASC"
	if o.Desc != backward {
		dir = "DESC"
	}
	return fmt.Sprintf("%s %s, %s %s", col.expr, dir, q.idExpr, dir)
}

// limitLiteral is a page's LIMIT (one row more than the page, to tell whether there are more)
// written into the statement rather than passed as a parameter. With LIMIT $n PostgreSQL's
// generic plan guesses a tenth of the rows, costs it above the plan for the real limit, and so
// plans the statement again on every call (0.1–0.3 ms of planning per page); with the number
// written in, it keeps one plan per page size. Page sizes are few and bounded (at most 100 on a
// GraphQL connection, 200 on an HSDS page), and so are a list's statements in a connection's
// statement cache. The number is the program's, never the caller's text.
func limitLiteral(page Page) string {
	return strconv.Itoa(page.Limit + 1)
}

// orgLiteral is an organisation of the caller's scope — the caller's own or its controllers,
// from its credentials, never the caller's text — written into a statement rather than passed
// as a parameter. With organisation_id = $n, PostgreSQL's generic plan assumes every
// organisation holds an average share of the rows (many consents name no one here, Malmö
// controls a quarter of the newcomers), costs that plan far above the plan for the real
// organisation, and so plans the statement again on every call: 1.3–1.6 ms of planning for a
// newcomer page or count that runs in 0.02–0.3 ms. And when it does take the generic plan, as
// for a page of one newcomer, that plan hashes every active consent of the network: 124 ms over
// 200,000. With the number written in, each organisation's statements keep plans fitted to it.
// Organisations are few (about fifty), and so are the statement texts.
func orgLiteral(id int64) string { return strconv.FormatInt(id, 10) }

// orgsLiteral is the condition that col is one of the organisations ids, written in for the
// reason orgLiteral gives: organisations differ in size from none of a list's rows to a
// quarter of them (Malmö's newcomers), so a plan for an average one fits none. One id is an
// equality, which the planner matches to an index's order (see oneOf).
func orgsLiteral(col string, ids []int64) string {
	if len(ids) == 1 {
		return col + " = " + orgLiteral(ids[0])
	}
	written := make([]string, len(ids))
	for i, id := range ids {
		written[i] = orgLiteral(id)
	}
	return col + " IN (" + strings.Join(written, ", ") + ")"
}

// enumLiteral is value as an SQL string literal, for the reason orgLiteral gives, when it
// is one of values (an enum the program has checked: a purpose, a data category); any other
// value is NULL, which no condition matches.
func enumLiteral(value string, values []string) string {
	if !slices.Contains(values, value) {
		return "NULL"
	}
	return stringLiteral(value)
}

// stringLiteral is s as an SQL string literal: quoted, each quote inside doubled (with
// standard_conforming_strings, PostgreSQL's default, a backslash is an ordinary character).
// For values the program has checked; the caller's text goes in parameters.
func stringLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// page builds the statement for one page of the list.
func (q *listQuery) page(o Order, page Page) (string, []any, error) {
	col, err := q.sort(o)
	if err != nil {
		return "", nil, err
	}
	q.keyset(col, o, page)
	limit := limitLiteral(page)
	sql := fmt.Sprintf("SELECT %s, (%s)::text FROM %s%s ORDER BY %s LIMIT %s",
		q.columns, col.expr, q.from, q.whereClause(), q.orderBy(col, o, page.Backward), limit)
	return sql, q.args, nil
}

// pageByParent builds the statement for one page per parent: for each of parentIDs, the top
// page.Limit+1 rows whose parentExpr is that parent, read by a LATERAL subquery that stops at its
// limit (an index on the parent and the order serves it), rather than numbering every row of
// every parent. The columns end with the sort key, the row's number within its parent and the
// parent id. The rows come in no particular order: sorting them by parent and number cost
// PostgreSQL a third of the statement for 50 parents' 10 rows, and each row's number says where
// it goes (collectPagesByParent).
func (q *listQuery) pageByParent(parentExpr string, parentIDs []int64, o Order, page Page) (string, []any, error) {
	col, err := q.sort(o)
	if err != nil {
		return "", nil, err
	}
	if len(parentIDs) == 1 {
		// One parent, the usual case of a field of one object: its page alone, by equality. With
		// an array of one, PostgreSQL plans the statement again on every call (a generic plan
		// guesses ten parents); with equality it keeps one plan.
		parent := q.arg(parentIDs[0])
		q.where = append(q.where, parentExpr+" = "+parent)
		q.keyset(col, o, page)
		limit := limitLiteral(page)
		order := q.orderBy(col, o, page.Backward)
		sql := fmt.Sprintf(`SELECT %s, (%s)::text AS sort_key, row_number() OVER (ORDER BY %s) AS rn, %s::bigint
FROM %s%s ORDER BY %s LIMIT %s`, q.columns, col.expr, order, parent, q.from, q.whereClause(), order, limit)
		return sql, q.args, nil
	}
	parents := q.arg(parentIDs)
	q.where = append(q.where, parentExpr+" = p.parent_id")
	q.keyset(col, o, page)
	limit := limitLiteral(page)
	order := q.orderBy(col, o, page.Backward)
	sql := fmt.Sprintf(`SELECT l.*, p.parent_id FROM unnest(%s::bigint[]) AS p(parent_id)
CROSS JOIN LATERAL (
  SELECT %s, (%s)::text AS sort_key, row_number() OVER (ORDER BY %s) AS rn
  FROM %s%s ORDER BY %s LIMIT %s) l`,
		parents, q.columns, col.expr, order, q.from, q.whereClause(), order, limit)
	return sql, q.args, nil
}

// countByParent builds the statement counting rows per parent.
func (q *listQuery) countByParent(parentExpr string, parentIDs []int64) (string, []any) {
	filterOneOf(q, parentExpr, parentIDs) // one parent by equality, as in pageByParent
	return fmt.Sprintf("SELECT %s, count(*) FROM %s%s GROUP BY 1", parentExpr, q.from, q.whereClause()), q.args
}

// count builds the statement counting every row of the list.
func (q *listQuery) count() (string, []any) {
	return fmt.Sprintf("SELECT count(*) FROM %s%s", q.from, q.whereClause()), q.args
}

// scanFunc returns the scan destinations of one row of T; the first is always its *int64 id.
type scanFunc[T any] func(row *T) []any

// listPage runs the statement of one page and shapes the rows into a Slice.
func listPage[T any](ctx context.Context, db DBTX, q *listQuery, o Order, page Page, fields scanFunc[T]) (Slice[T], error) {
	sql, args, err := q.page(o, page)
	if err != nil {
		return Slice[T]{}, err
	}
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return Slice[T]{}, translate(fmt.Errorf("list %s: %w", q.subject(), err))
	}
	return collectPage(q, rows, page, fields)
}

// listPageCounted runs the statements of one page and of the count of every row of the list
// together, in one round trip.
func listPageCounted[T any](ctx context.Context, db DBTX, q *listQuery, o Order, page Page, fields scanFunc[T]) (Slice[T], int, error) {
	countSQL, countArgs := q.count()
	countArgs = slices.Clone(countArgs)
	pageSQL, pageArgs, err := q.page(o, page)
	if err != nil {
		return Slice[T]{}, 0, err
	}
	b := &pgx.Batch{}
	b.Queue(pageSQL, pageArgs...)
	b.Queue(countSQL, countArgs...)
	results := db.SendBatch(ctx, b)
	defer results.Close()
	rows, err := results.Query()
	if err != nil {
		return Slice[T]{}, 0, translate(fmt.Errorf("list %s: %w", q.subject(), err))
	}
	s, err := collectPage(q, rows, page, fields)
	if err != nil {
		return Slice[T]{}, 0, err
	}
	var n int
	if err := results.QueryRow().Scan(&n); err != nil {
		return Slice[T]{}, 0, translate(fmt.Errorf("count %s: %w", q.subject(), err))
	}
	if err := results.Close(); err != nil {
		return Slice[T]{}, 0, translate(fmt.Errorf("list and count %s: %w", q.subject(), err))
	}
	return s, n, nil
}

// preallocatedRows bounds the room a page makes for its rows before it reads them: a page of
// the API is at most 100 rows, and an internal reader's larger page grows as it reads.
const preallocatedRows = 100

// collectPage reads the rows of a page statement, each ending with its sort key, into a Slice.
func collectPage[T any](q *listQuery, rows pgx.Rows, page Page, fields scanFunc[T]) (Slice[T], error) {
	defer rows.Close()
	// The statement reads at most one row more than the page, which says there are more. Rows
	// are scanned in place: a row (an activity has 34 columns) is not copied on its way.
	var s Slice[T]
	for rows.Next() {
		if s.Rows == nil { // room for the page once there is a row: an empty page makes none
			room := min(page.Limit, preallocatedRows) + 1
			s.Rows, s.Keys = make([]T, 0, room), make([]Key, 0, room)
		}
		s.Rows = append(s.Rows, *new(T))
		s.Keys = append(s.Keys, Key{})
		row, key := &s.Rows[len(s.Rows)-1], &s.Keys[len(s.Keys)-1]
		dest := fields(row)
		if err := rows.Scan(append(dest, &key.Value)...); err != nil {
			return Slice[T]{}, translate(fmt.Errorf("list %s: %w", q.subject(), err))
		}
		key.ID = *dest[0].(*int64)
	}
	if err := rows.Err(); err != nil {
		return Slice[T]{}, translate(fmt.Errorf("list %s: %w", q.subject(), err))
	}
	if len(s.Rows) > page.Limit {
		s.HasMore = true
		s.Rows, s.Keys = s.Rows[:page.Limit], s.Keys[:page.Limit]
	}
	if page.Backward {
		slices.Reverse(s.Rows)
		slices.Reverse(s.Keys)
	}
	return s, nil
}

// listPageByParent runs the per-parent page statement and groups the rows by parent id.
func listPageByParent[T any](ctx context.Context, db DBTX, q *listQuery, parentExpr string, parentIDs []int64,
	o Order, page Page, fields scanFunc[T],
) (map[int64]Slice[T], error) {
	sql, args, err := q.pageByParent(parentExpr, parentIDs, o, page)
	if err != nil {
		return nil, err
	}
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(fmt.Errorf("list %s by parent: %w", q.subject(), err))
	}
	return collectPagesByParent(q, rows, len(parentIDs), page, fields)
}

// listPageByParentCounted runs the per-parent page statement and the per-parent count
// statement together, in one round trip; query builds a fresh query of the list for each.
func listPageByParentCounted[T any](ctx context.Context, db DBTX, query func() *listQuery, parentExpr string, parentIDs []int64,
	o Order, page Page, fields scanFunc[T],
) (map[int64]Slice[T], map[int64]int, error) {
	q := query()
	pageSQL, pageArgs, err := q.pageByParent(parentExpr, parentIDs, o, page)
	if err != nil {
		return nil, nil, err
	}
	countSQL, countArgs := query().countByParent(parentExpr, parentIDs)
	b := &pgx.Batch{}
	b.Queue(pageSQL, pageArgs...)
	b.Queue(countSQL, countArgs...)
	results := db.SendBatch(ctx, b)
	defer results.Close()
	rows, err := results.Query()
	if err != nil {
		return nil, nil, translate(fmt.Errorf("list %s by parent: %w", q.subject(), err))
	}
	pages, err := collectPagesByParent(q, rows, len(parentIDs), page, fields)
	if err != nil {
		return nil, nil, err
	}
	if rows, err = results.Query(); err != nil {
		return nil, nil, translate(fmt.Errorf("count %s by parent: %w", q.subject(), err))
	}
	counts, err := collectCountsByParent(q, rows, len(parentIDs))
	if err != nil {
		return nil, nil, err
	}
	if err := results.Close(); err != nil {
		return nil, nil, translate(fmt.Errorf("list and count %s by parent: %w", q.subject(), err))
	}
	return pages, counts, nil
}

// collectPagesByParent reads the rows of a per-parent page statement, grouped by parent id and
// each put in its place by its row number, in whatever order they come.
func collectPagesByParent[T any](q *listQuery, rows pgx.Rows, parents int, page Page, fields scanFunc[T]) (map[int64]Slice[T], error) {
	out := make(map[int64]Slice[T], parents)
	var (
		row    T
		key    Key
		parent int64
		rn     int64
	)
	dest := append(fields(&row), &key.Value, &rn, &parent)
	_, err := pgx.ForEachRow(rows, dest, func() error {
		s := out[parent]
		switch i := int(rn) - 1; {
		case i < 0:
			return fmt.Errorf("row number %d of parent %d", rn, parent)
		case i >= page.Limit:
			s.HasMore = true
		default:
			if s.Rows == nil { // room for the page at once: rows are large, copying them as it grows is not
				room := min(page.Limit, preallocatedRows)
				s.Rows, s.Keys = make([]T, 0, room), make([]Key, 0, room)
			}
			if i >= len(s.Rows) { // the rows of a parent come in any order: each goes to its number's place
				s.Rows, s.Keys = slices.Grow(s.Rows, i+1-len(s.Rows))[:i+1], slices.Grow(s.Keys, i+1-len(s.Keys))[:i+1]
			}
			key.ID = *dest[0].(*int64)
			s.Rows[i], s.Keys[i] = row, key
		}
		out[parent] = s
		var zero T
		row = zero
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("list %s by parent: %w", q.subject(), err))
	}
	if page.Backward {
		for p, s := range out {
			slices.Reverse(s.Rows)
			slices.Reverse(s.Keys)
			out[p] = s
		}
	}
	return out, nil
}

// countRows runs a count statement.
func countRows(ctx context.Context, db DBTX, q *listQuery) (int, error) {
	sql, args := q.count()
	var n int
	if err := db.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		return 0, translate(fmt.Errorf("count %s: %w", q.subject(), err))
	}
	return n, nil
}

// countRowsByParent runs a per-parent count statement; parents without rows are absent.
func countRowsByParent(ctx context.Context, db DBTX, q *listQuery, parentExpr string, parentIDs []int64) (map[int64]int, error) {
	sql, args := q.countByParent(parentExpr, parentIDs)
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(fmt.Errorf("count %s by parent: %w", q.subject(), err))
	}
	return collectCountsByParent(q, rows, len(parentIDs))
}

// collectCountsByParent reads the rows of a per-parent count statement.
func collectCountsByParent(q *listQuery, rows pgx.Rows, parents int) (map[int64]int, error) {
	out := make(map[int64]int, parents)
	var parent int64
	var n int
	_, err := pgx.ForEachRow(rows, []any{&parent, &n}, func() error {
		out[parent] = n
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("count %s by parent: %w", q.subject(), err))
	}
	return out, nil
}

// getMany loads rows by id; the caller puts them in key order.
func getMany[T any](ctx context.Context, db DBTX, what, sql string, ids []int64, fields scanFunc[T]) ([]T, error) {
	rows, err := db.Query(ctx, sql, ids)
	if err != nil {
		return nil, translate(fmt.Errorf("get %s by ids: %w", what, err))
	}
	out, err := collectAll(rows, fields)
	if err != nil {
		return nil, translate(fmt.Errorf("get %s by ids: %w", what, err))
	}
	return out, nil
}

// queueMany queues the statement reading rows by the ids on b, to collect them into out when
// the batch's results are read.
func queueMany[T any](b *pgx.Batch, sql string, ids []int64, fields scanFunc[T], out *[]T) {
	b.Queue(sql, ids).Query(func(rows pgx.Rows) error {
		got, err := collectAll(rows, fields)
		*out = got
		return err
	})
}

// OrderID orders a list by its rows' ids, which only grow: the order of page-numbered lists
// (the HSDS API's), where a row added later sorts after every row there was.
const OrderID = "ID"

// at builds the statement of the limit rows from offset on, in order o (OrderID, or a column
// the list allows).
func (q *listQuery) at(o Order, offset, limit int) (string, []any, error) {
	col := sortColumn{q.idExpr, "bigint"}
	if o.Column != OrderID {
		var err error
		if col, err = q.sort(o); err != nil {
			return "", nil, err
		}
	}
	lim, off := q.arg(limit), q.arg(offset)
	sql := fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s LIMIT %s OFFSET %s",
		q.columns, q.from, q.whereClause(), q.orderBy(col, o, false), lim, off)
	return sql, q.args, nil
}

// listAt runs the statement of the limit rows from offset on: a page by number.
func listAt[T any](ctx context.Context, db DBTX, q *listQuery, o Order, offset, limit int, fields scanFunc[T]) ([]T, error) {
	sql, args, err := q.at(o, offset, limit)
	if err != nil {
		return nil, err
	}
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(fmt.Errorf("list %s by page number: %w", q.subject(), err))
	}
	out, err := collectAll(rows, fields)
	if err != nil {
		return nil, translate(fmt.Errorf("list %s by page number: %w", q.subject(), err))
	}
	return out, nil
}

// collectAll reads every row of rows, each scanned by fields.
func collectAll[T any](rows pgx.Rows, fields scanFunc[T]) ([]T, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) {
		var t T
		return t, r.Scan(fields(&t)...)
	})
}
