package relay

import (
	"context"
	"encoding/base64"
	"encoding/json"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// MaxPageSize is the largest page a connection returns; asking for more is an error.
const MaxPageSize = 100

// DefaultPageSize is the page size when neither first nor last is given.
const DefaultPageSize = 20

// Args are the pagination arguments of a connection field.
type Args struct {
	First  *int
	After  *string
	Last   *int
	Before *string
}

// cursor is the decoded form of an edge cursor: the order it was made in and the row's
// position in that order.
type cursor struct {
	Order string `json:"o"`
	Value string `json:"v"`
	ID    int64  `json:"i"`
}

// Page validates the arguments and turns them into a keyset page over the named order. Errors
// are BAD_USER_INPUT, naming the offending argument.
func (a Args) Page(order string) (store.Page, error) {
	if a.First != nil && a.Last != nil {
		return store.Page{}, partnernet.InputError("first", "first and last cannot be combined")
	}
	page := store.Page{Limit: DefaultPageSize}
	for _, arg := range []struct {
		name string
		n    *int
	}{{"first", a.First}, {"last", a.Last}} {
		if arg.n == nil {
			continue
		}
		if *arg.n < 0 {
			return store.Page{}, partnernet.InputError(arg.name, "%s must not be negative", arg.name)
		}
		if *arg.n > MaxPageSize {
			return store.Page{}, partnernet.InputError(arg.name,
				"%s must be at most %d; page through larger lists with after/before", arg.name, MaxPageSize)
		}
		page.Limit = *arg.n
	}
	page.Backward = a.Last != nil || (a.First == nil && a.Before != nil && a.After == nil)
	var err error
	if page.After, err = decodeCursor("after", a.After, order); err != nil {
		return store.Page{}, err
	}
	if page.Before, err = decodeCursor("before", a.Before, order); err != nil {
		return store.Page{}, err
	}
	return page, nil
}

// decodeCursor decodes the cursor argument at path field, made in the given order.
func decodeCursor(field string, s *string, order string) (*store.Key, error) {
	if s == nil {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*s)
	var c cursor
	if err == nil {
		err = json.Unmarshal(raw, &c)
	}
	if err != nil || c.ID <= 0 {
		return nil, partnernet.InputError(field, "%q is not a valid cursor", truncate(*s, 64))
	}
	if c.Order != order {
		return nil, partnernet.InputError(field, "the cursor was made for another orderBy")
	}
	return &store.Key{Value: c.Value, ID: c.ID}, nil
}

// EncodeCursor encodes a row's position in an order as an opaque cursor.
func EncodeCursor(order string, key store.Key) string {
	raw, _ := json.Marshal(cursor{Order: order, Value: key.Value, ID: key.ID})
	return base64.RawURLEncoding.EncodeToString(raw)
}

// PageInfo tells a client whether there is more to fetch in either direction.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	// order and start, end are the cursors' order and the keys of the first and last rows,
	// encoded only when a client asks for them.
	order      string
	start, end *store.Key
}

// StartCursor is the cursor of the page's first row; nil for an empty page.
func (p PageInfo) StartCursor() *string { return encodeKey(p.order, p.start) }

// EndCursor is the cursor of the page's last row; nil for an empty page.
func (p PageInfo) EndCursor() *string { return encodeKey(p.order, p.end) }

// encodeKey encodes the cursor of key in order; nil for no key.
func encodeKey(order string, key *store.Key) *string {
	if key == nil {
		return nil
	}
	c := EncodeCursor(order, *key)
	return &c
}

// Edge is one node of a connection with its cursor.
type Edge[T any] struct {
	// Node points into the page's rows: a row is not copied once per edge.
	Node  *T
	order string
	key   store.Key
}

// Cursor is the edge's position in the connection's order, opaque to clients. It is encoded when
// asked for: a list of 500 titles whose query asks for no cursor encodes none.
func (e *Edge[T]) Cursor() string { return EncodeCursor(e.order, e.key) }

// Counter counts every item of a connection, across all pages. It runs only when a client asks
// for totalCount.
type Counter func(ctx context.Context) (int, error)

// Connection is one page of a list, in Relay's shape.
type Connection[T any] struct {
	Edges    []Edge[T]
	PageInfo PageInfo
	count    Counter
}

// TotalCount counts every item of the list the connection pages through.
func (c *Connection[T]) TotalCount(ctx context.Context) (int, error) {
	if c.count == nil {
		return len(c.Edges), nil
	}
	return c.count(ctx)
}

// Nodes are the page's items without their cursors, in the page's order: the schema's
// `nodes`, one level shorter than `edges { node }`.
func (c *Connection[T]) Nodes() []*T {
	nodes := make([]*T, len(c.Edges))
	for i := range c.Edges {
		nodes[i] = c.Edges[i].Node
	}
	return nodes
}

// NewConnection shapes a page of rows from the store into a connection whose cursors belong
// to the named order. count runs when totalCount is asked for.
func NewConnection[T any](order string, page store.Page, s store.Slice[T], count Counter) *Connection[T] {
	c := &Connection[T]{Edges: make([]Edge[T], len(s.Rows)), count: count}
	c.PageInfo.order = order
	for i := range s.Rows {
		c.Edges[i] = Edge[T]{Node: &s.Rows[i], order: order, key: s.Keys[i]}
	}
	if n := len(c.Edges); n > 0 {
		c.PageInfo.start, c.PageInfo.end = &s.Keys[0], &s.Keys[n-1]
	}
	if page.Backward {
		c.PageInfo.HasPreviousPage = s.HasMore
		c.PageInfo.HasNextPage = page.Before != nil
	} else {
		c.PageInfo.HasNextPage = s.HasMore
		c.PageInfo.HasPreviousPage = page.After != nil
	}
	return c
}
