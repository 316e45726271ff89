package relay_test

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

func ptr[T any](v T) *T { return &v }

func TestGlobalIDRoundTrip(t *testing.T) {
	t.Parallel()
	gid := relay.ToGlobalID("Organisation", 42)
	typename, id, err := relay.FromGlobalID(gid)
	require.NoError(t, err)
	require.Equal(t, "Organisation", typename)
	require.Equal(t, int64(42), id)
	require.NotContains(t, gid, "42", "a global ID must not show the database id in clear")
}

func TestFromGlobalIDRejectsMalformed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		gid  string
	}{
		{"empty", ""},
		{"not base64", "!!!"},
		{"no separator", relayEncode("Organisation42")},
		{"no typename", relayEncode(":42")},
		{"not a number", relayEncode("Organisation:x")},
		{"zero", relayEncode("Organisation:0")},
		{"negative", relayEncode("Organisation:-1")},
		{"overflow", relayEncode("Organisation:99999999999999999999")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := relay.FromGlobalID(tt.gid)
			require.ErrorIs(t, err, partnernet.ErrBadUserInput)
		})
	}
}

func TestDecodeIDChecksTypename(t *testing.T) {
	t.Parallel()
	_, err := relay.DecodeID("id", "Activity", relay.ToGlobalID("Organisation", 1))
	require.ErrorIs(t, err, partnernet.ErrBadUserInput)
	id, err := relay.DecodeID("id", "Activity", relay.ToGlobalID("Activity", 7))
	require.NoError(t, err)
	require.Equal(t, int64(7), id)
}

// relayEncode encodes a payload as the documented global ID encoding does (base64url, no
// padding), to build malformed IDs.
func relayEncode(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestArgsPage(t *testing.T) {
	t.Parallel()
	valid := relay.EncodeCursor("NAME:ASC", store.Key{Value: "Malmö", ID: 3})
	tests := []struct {
		name      string
		args      relay.Args
		wantErr   string // the offending argument, or "" for success
		wantPage  store.Page
		checkPage bool
	}{
		{name: "defaults", args: relay.Args{}, checkPage: true, wantPage: store.Page{Limit: relay.DefaultPageSize}},
		{name: "first", args: relay.Args{First: ptr(5)}, checkPage: true, wantPage: store.Page{Limit: 5}},
		{name: "first zero", args: relay.Args{First: ptr(0)}, checkPage: true, wantPage: store.Page{Limit: 0}},
		{name: "maximum", args: relay.Args{First: ptr(relay.MaxPageSize)}, checkPage: true, wantPage: store.Page{Limit: relay.MaxPageSize}},
		{name: "last", args: relay.Args{Last: ptr(3)}, checkPage: true, wantPage: store.Page{Limit: 3, Backward: true}},
		{
			name: "after", args: relay.Args{First: ptr(2), After: &valid}, checkPage: true,
			wantPage: store.Page{Limit: 2, After: &store.Key{Value: "Malmö", ID: 3}},
		},
		{
			name: "before alone walks backward", args: relay.Args{Before: &valid}, checkPage: true,
			wantPage: store.Page{Limit: relay.DefaultPageSize, Backward: true, Before: &store.Key{Value: "Malmö", ID: 3}},
		},
		{name: "first and last", args: relay.Args{First: ptr(1), Last: ptr(1)}, wantErr: "first"},
		{name: "negative first", args: relay.Args{First: ptr(-1)}, wantErr: "first"},
		{name: "negative last", args: relay.Args{Last: ptr(-1)}, wantErr: "last"},
		{name: "above maximum", args: relay.Args{First: ptr(relay.MaxPageSize + 1)}, wantErr: "first"},
		{name: "garbage cursor", args: relay.Args{After: ptr("garbage")}, wantErr: "after"},
		{name: "cursor of another order", args: relay.Args{After: ptr(relay.EncodeCursor("SLUG:ASC", store.Key{Value: "a", ID: 1}))}, wantErr: "after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			page, err := tt.args.Page("NAME:ASC")
			if tt.wantErr != "" {
				require.ErrorIs(t, err, partnernet.ErrBadUserInput)
				var e *partnernet.Error
				require.ErrorAs(t, err, &e)
				require.Equal(t, tt.wantErr, e.Field)
				return
			}
			require.NoError(t, err)
			if tt.checkPage {
				require.Equal(t, tt.wantPage, page)
			}
		})
	}
}

func TestNewConnectionPageInfo(t *testing.T) {
	t.Parallel()
	s := store.Slice[string]{Rows: []string{"a", "b"}, Keys: []store.Key{{Value: "a", ID: 1}, {Value: "b", ID: 2}}, HasMore: true}
	after := &store.Key{Value: "0", ID: 9}
	tests := []struct {
		name               string
		page               store.Page
		wantNext, wantPrev bool
	}{
		{"forward, first page", store.Page{Limit: 2}, true, false},
		{"forward, later page", store.Page{Limit: 2, After: after}, true, true},
		{"backward, last page", store.Page{Limit: 2, Backward: true}, false, true},
		{"backward, before a cursor", store.Page{Limit: 2, Backward: true, Before: after}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := relay.NewConnection("X:ASC", tt.page, s, nil)
			require.Len(t, c.Edges, 2)
			require.Equal(t, "a", *c.Edges[0].Node)
			require.Equal(t, []*string{c.Edges[0].Node, c.Edges[1].Node}, c.Nodes(), "nodes are the edges' nodes, in order")
			require.Equal(t, tt.wantNext, c.PageInfo.HasNextPage)
			require.Equal(t, tt.wantPrev, c.PageInfo.HasPreviousPage)
			require.Equal(t, c.Edges[0].Cursor(), *c.PageInfo.StartCursor())
			require.Equal(t, c.Edges[1].Cursor(), *c.PageInfo.EndCursor())
			back, err := relay.Args{After: c.PageInfo.EndCursor()}.Page("X:ASC")
			require.NoError(t, err)
			require.Equal(t, &store.Key{Value: "b", ID: 2}, back.After)
		})
	}
	empty := relay.NewConnection("X:ASC", store.Page{Limit: 2}, store.Slice[string]{}, nil)
	require.Nil(t, empty.PageInfo.StartCursor(), "an empty page has no cursors")
	require.Nil(t, empty.PageInfo.EndCursor())
}
