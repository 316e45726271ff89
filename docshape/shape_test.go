package docshape_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/partnerskap-skane/partnernet/docshape"
	"github.com/partnerskap-skane/partnernet/docshape/docshapetest"
)

func mustParse(t testing.TB, query string) *ast.QueryDocument {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	require.NoError(t, err)
	return doc
}

func TestMeasure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		query string
		op    string
		want  docshape.Shape
	}{
		{
			name:  "one field",
			query: `{ programmes { totalCount } }`,
			want:  docshape.Shape{Selections: 2, Repeats: 1, Depth: 2, RootFields: 1},
		},
		{
			name:  "aliases and repeats",
			query: `{ a: programmes { totalCount totalCount } b: programmes { totalCount } }`,
			want:  docshape.Shape{Selections: 5, Repeats: 2, Depth: 2, Aliases: 2, RootFields: 2},
		},
		{
			name:  "same-named fields merge their selections",
			query: `{ programmes { totalCount } programmes { totalCount } programmes { totalCount } }`,
			want:  docshape.Shape{Selections: 6, Repeats: 3, Depth: 2, RootFields: 3},
		},
		{
			name:  "a fragment counts at each use",
			query: `{ a: programmes { ...P } b: programmes { ...P } } fragment P on ProgrammeConnection { x: totalCount }`,
			want:  docshape.Shape{Selections: 4, Repeats: 1, Depth: 2, Aliases: 4, RootFields: 2},
		},
		{
			name:  "a fragment spread twice in one place merges once",
			query: `{ programmes { ...P ...P } } fragment P on ProgrammeConnection { totalCount }`,
			want:  docshape.Shape{Selections: 3, Repeats: 1, Depth: 2, RootFields: 1},
		},
		{
			name:  "inline fragments add no level",
			query: `{ node(id: "x") { ... on Organisation { name } ... on Activity { title } } }`,
			want:  docshape.Shape{Selections: 3, Repeats: 1, Depth: 2, RootFields: 1},
		},
		{
			name:  "root fields through fragments",
			query: `{ ...Q programmes { totalCount } } fragment Q on Query { a: programmes { totalCount } b: programmes { totalCount } }`,
			want:  docshape.Shape{Selections: 6, Repeats: 1, Depth: 2, Aliases: 2, RootFields: 3},
		},
		{
			name:  "introspection is one level",
			query: `{ __schema { types { fields { type { ofType { name } } } } } }`,
			want:  docshape.Shape{Selections: 6, Repeats: 1, Depth: 1, RootFields: 1, Introspects: true},
		},
		{
			name:  "the named operation",
			query: `query A { programmes { totalCount } } query B { x: __typename }`,
			op:    "B",
			want:  docshape.Shape{Selections: 3, Repeats: 1, Depth: 1, Aliases: 1, RootFields: 1},
		},
		{
			name:  "no such operation",
			query: `query A { programmes { totalCount } }`,
			op:    "C",
			want:  docshape.Shape{Selections: 2, Repeats: 1},
		},
		{
			name:  "unused fragments count",
			query: `{ __typename } fragment U on Query { programmes { totalCount } }`,
			want:  docshape.Shape{Selections: 3, Repeats: 1, Depth: 1, RootFields: 1},
		},
		{
			name:  "a fragment bomb saturates",
			query: "{ ...F0 }\n" + docshapetest.FragmentChain(40, "Query", "__typename"),
			want:  docshape.Shape{Selections: math.MaxInt32, Depth: 1, RootFields: math.MaxInt32},
		},
		{
			name:  "a cycle",
			query: `{ ...A } fragment A on Query { ...B } fragment B on Query { programmes { ...A } }`,
			want:  docshape.Shape{Cycle: "A"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := docshape.Measure(mustParse(t, tt.query), tt.op, 1000)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestCountTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src     string
		stop    int
		want    int
		wantErr bool
	}{
		{src: `{ programmes { totalCount } }`, stop: 100, want: 6},
		{src: "# a comment\n{ a: __typename }, # another\n", stop: 100, want: 5},
		{src: `query($n: Int = 3) { organisations(first: $n) { totalCount } }`, stop: 100, want: 21},
		{src: `{ __typename __typename __typename }`, stop: 3, want: 4},
		{src: `{ activities(filter: { search: "unterminated }) { totalCount } }`, stop: 100, wantErr: true},
		{src: "", stop: 10, want: 0},
	}
	for _, tt := range tests {
		got, err := docshape.CountTokens(&ast.Source{Input: tt.src}, tt.stop)
		if tt.wantErr {
			require.Error(t, err, tt.src)
			continue
		}
		require.NoError(t, err, tt.src)
		require.Equal(t, tt.want, got, tt.src)
	}
}
