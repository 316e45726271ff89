// Tests of the schema files themselves.
package schema_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/graph"
)

// TestEverythingIsDescribed checks that every type, field, argument, input field and enum value
// the schema defines carries a description, as the style guide asks.
func TestEverythingIsDescribed(t *testing.T) {
	t.Parallel()
	// The schema as served: the files plus what the federation plugin adds, whose own types and
	// fields (_Service, _entities, link__Import, …) are Apollo's, not ours to describe.
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	var missing []string
	for name, def := range schema.Types {
		if def.BuiltIn || federationType(name) {
			continue
		}
		if def.Description == "" && name != "Query" && name != "Mutation" && name != "Subscription" {
			missing = append(missing, "type "+name)
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "_") {
				continue
			}
			if f.Description == "" {
				missing = append(missing, "field "+name+"."+f.Name)
			}
			for _, a := range f.Arguments {
				if a.Description == "" {
					missing = append(missing, "argument "+name+"."+f.Name+"("+a.Name+")")
				}
			}
		}
		for _, v := range def.EnumValues {
			if v.Description == "" {
				missing = append(missing, "enum value "+name+"."+v.Name)
			}
		}
	}
	require.Empty(t, missing, "describe these in the SDL")
}

// federationType reports whether a type is one the federation plugin defines.
func federationType(name string) bool {
	for _, prefix := range []string{"_", "link__", "federation__"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return name == "FieldSet"
}
