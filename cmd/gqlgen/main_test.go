package main

import (
	"testing"

	"github.com/99designs/gqlgen/codegen"
	"github.com/stretchr/testify/require"
)

func TestSequentialFieldsLeavesRootTypesConcurrent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		object     codegen.Object
		sequential bool
	}{
		{name: "an object type", object: codegen.Object{}, sequential: true},
		{name: "a root type", object: codegen.Object{Root: true}, sequential: false},
		{name: "a root type already serial (Mutation)", object: codegen.Object{Root: true, DisableConcurrency: true}, sequential: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := tt.object
			require.NoError(t, sequentialFields{}.GenerateCode(&codegen.Data{Objects: codegen.Objects{&o}}))
			require.Equal(t, tt.sequential, o.DisableConcurrency)
		})
	}
}

func TestWithoutDeferredGroups(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, exec, want string
		fails            bool
	}{
		{
			name: "an object's unused group is the zero group",
			exec: "out := graphql.NewFieldSet(fields)\n\tdeferred := graphql.NewDeferredGroup(ctx)\n\tif n := len(deferred.Defers); n > 0 {",
			want: "out := graphql.NewFieldSet(fields)\n\tvar deferred graphql.DeferredGroup\n\tif n := len(deferred.Defers); n > 0 {",
		},
		{name: "no group at all", exec: "return out", want: "return out"},
		{
			name:  "a field deferred through the group",
			exec:  "deferred := graphql.NewDeferredGroup(ctx)\n\tout.ResolveConcurrently(ec.OperationContext, &deferred, i,",
			fails: true,
		},
		{name: "a group built another way", exec: "deferred := graphql.NewDeferredGroup(fc.Ctx)", fails: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := withoutDeferredGroups([]byte(tt.exec))
			if tt.fails {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, string(got))
		})
	}
}

func TestListsThroughSiblings(t *testing.T) {
	t.Parallel()
	const header = "package graph\n\nimport (\n\t\"context\"\n\n\t\"github.com/99designs/gqlgen/graphql\"\n\t\"github.com/partnerskap-skane/partnernet/relay\"\n)\n\n"
	tests := []struct {
		name, exec, want string
		fails            bool
	}{
		{
			name: "a list's elements go through siblings.Marshal, imported beside gqlgen's runtime",
			exec: header + "var ret = graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, f)\n",
			want: "package graph\n\nimport (\n\t\"context\"\n\n\t\"github.com/99designs/gqlgen/graphql\"\n\t\"github.com/partnerskap-skane/partnernet/relay\"\n\t\"github.com/partnerskap-skane/partnernet/siblings\"\n)\n\n" +
				"var ret = siblings.Marshal(ctx, len(v), 0, false, f)\n",
		},
		{name: "no list marshalled that way", exec: header + "var ret = graphql.Null\n", fails: true},
		{name: "gqlgen's runtime imported otherwise", exec: "package graph\n\nimport gql \"github.com/99designs/gqlgen/graphql\"\n\nvar ret = graphql.MarshalSliceConcurrently(ctx, 1, 0, false, f)\n", fails: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := listsThroughSiblings([]byte(tt.exec))
			if tt.fails {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, string(got))
		})
	}
}
