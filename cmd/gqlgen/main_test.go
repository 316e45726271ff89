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
