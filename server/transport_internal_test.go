package server

import (
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestMarshalResponseIsEncodingJSON holds the response encoder to encoding/json's answer, as
// JSON, whether it writes the data as it is (a response with data alone) or lets encoding/json
// encode it.
func TestMarshalResponseIsEncodingJSON(t *testing.T) {
	t.Parallel()
	hasNext := true
	for _, tc := range []struct {
		name string
		resp graphql.Response
		raw  bool
	}{
		{"data alone", graphql.Response{Data: json.RawMessage(`{"activities":{"totalCount":3,"nodes":[{"title":"Språkcafé \"Fika\""}]}}`)}, true},
		{"data with markup, unescaped", graphql.Response{Data: json.RawMessage(`{"title":"<b>Fika & prat</b>"}`)}, true},
		{"null data", graphql.Response{Data: json.RawMessage(`null`)}, true},
		{"data and errors", graphql.Response{Data: json.RawMessage(`{"node":null}`),
			Errors: gqlerror.List{{Message: "not found", Path: ast.Path{ast.PathName("node")}}}}, false},
		{"data and extensions", graphql.Response{Data: json.RawMessage(`{"a":1}`), Extensions: map[string]any{"cost": 3}}, false},
		{"an incremental part", graphql.Response{Data: json.RawMessage(`{"a":1}`), Label: "slow", Path: ast.Path{ast.PathName("a")}, HasNext: &hasNext}, false},
		{"errors alone", graphql.Response{Errors: gqlerror.List{{Message: "bad"}}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.raw, onlyData(&tc.resp))
			want, err := json.Marshal(&tc.resp)
			require.NoError(t, err)
			got, status := marshalResponse(mediaJSON, &tc.resp)
			require.Zero(t, status)
			require.JSONEq(t, string(want), string(got))
			if tc.raw {
				require.Equal(t, `{"data":`+string(tc.resp.Data)+`}`, string(got),
					"the data as the executor wrote it (encoding/json would escape <, > and &, which JSON does not need)")
			}
		})
	}
}
