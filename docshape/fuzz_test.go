package docshape_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/partnerskap-skane/partnernet/docshape"
	"github.com/partnerskap-skane/partnernet/docshape/docshapetest"
	"github.com/partnerskap-skane/partnernet/graph"
	"github.com/partnerskap-skane/partnernet/server"
)

// admitted reports whether the server's default limits let shape through to validation.
func admitted(shape docshape.Shape) bool {
	return shape.Cycle == "" && shape.Selections <= server.DefaultMaxSelections &&
		shape.Repeats <= server.DefaultMaxRepeated && shape.Depth <= server.DefaultMaxDepth &&
		shape.Aliases <= server.DefaultMaxAliases && shape.RootFields <= server.DefaultMaxRootFields
}

// FuzzMeasure checks, for any document within the token limit that parses, that the linear
// measure agrees with a naive expansion of every fragment wherever the expansion is small enough
// to make, and that validation of any document the limits admit completes. The test command runs
// it for a bounded time; the benchmark below times the seeds.
func FuzzMeasure(f *testing.F) {
	for _, doc := range docshapetest.HostileDocuments() {
		f.Add(doc)
	}
	f.Add(`query A { programmes { totalCount } } query B { ...P } fragment P on Query { x: programmes { totalCount } }`)
	f.Add(`{ node(id: "x") { ... on Organisation { name ...O } } } fragment O on Organisation { slug name }`)
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	f.Fuzz(func(t *testing.T, query string) {
		src := &ast.Source{Input: query}
		if n, err := docshape.CountTokens(src, server.DefaultMaxTokens); err != nil || n > server.DefaultMaxTokens {
			return
		}
		doc, err := parser.ParseQuery(src)
		if err != nil {
			return
		}
		shape := docshape.Measure(doc, "", server.DefaultMaxSelections)
		if shape.Cycle == "" && len(doc.Operations) == 1 {
			if want, ok := naiveMeasure(doc, 20000); ok {
				got := shape
				got.Repeats, want.Repeats = 0, 0
				require.Equal(t, want, got)
			}
		}
		if admitted(shape) {
			_ = validator.ValidateWithRules(schema, doc, rules.NewDefaultRules())
		}
	})
}

// naiveMeasure measures doc's only operation by expanding every fragment wherever it is spread,
// giving up (false) after budget steps: fields and expansions, so that fragments that double
// without ever reaching a field (their last one undefined) cannot keep it going. Unused
// fragments' fields are added as Measure does.
func naiveMeasure(doc *ast.QueryDocument, budget int) (docshape.Shape, bool) {
	frags := map[string]*ast.FragmentDefinition{}
	for _, f := range doc.Fragments {
		if _, ok := frags[f.Name]; !ok {
			frags[f.Name] = f
		}
	}
	var shape docshape.Shape
	used := map[string]bool{}
	var walk func(set ast.SelectionSet, level int, root bool) (depth int)
	walk = func(set ast.SelectionSet, level int, root bool) int {
		deepest := 0
		for _, sel := range set {
			if budget < 0 {
				return 0
			}
			switch s := sel.(type) {
			case *ast.Field:
				budget--
				shape.Selections++
				if root {
					shape.RootFields++
				}
				if s.Alias != "" && s.Alias != s.Name {
					shape.Aliases++
				}
				d := 1
				if s.Name == "__schema" || s.Name == "__type" {
					shape.Introspects = true
					walk(s.SelectionSet, level+1, false)
				} else {
					d = 1 + walk(s.SelectionSet, level+1, false)
				}
				deepest = max(deepest, d)
			case *ast.InlineFragment:
				budget-- // expanding costs a step even when it reaches no field
				deepest = max(deepest, walk(s.SelectionSet, level, root))
			case *ast.FragmentSpread:
				budget--
				if def := frags[s.Name]; def != nil {
					used[s.Name] = true
					deepest = max(deepest, walk(def.SelectionSet, level, root))
				}
			}
		}
		return deepest
	}
	shape.Depth = walk(doc.Operations[0].SelectionSet, 0, true)
	// Fragments used only by other unused fragments are unused too: add each unused one's own
	// expansion, as Measure does, without counting it as the operation's.
	op := shape
	var unused []*ast.FragmentDefinition
	for _, f := range doc.Fragments {
		if !used[f.Name] && frags[f.Name] == f {
			unused = append(unused, f)
		}
	}
	for _, f := range unused {
		walk(f.SelectionSet, 0, false)
	}
	op.Selections = shape.Selections
	if budget < 0 {
		return docshape.Shape{}, false
	}
	return op, true
}

// BenchmarkMeasure times the measure of each hostile document, parsing excluded.
func BenchmarkMeasure(b *testing.B) {
	for name, query := range docshapetest.HostileDocuments() {
		if n, err := docshape.CountTokens(&ast.Source{Input: query}, server.DefaultMaxTokens); err != nil || n > server.DefaultMaxTokens {
			continue
		}
		doc, err := parser.ParseQuery(&ast.Source{Input: query})
		if err != nil {
			continue
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				docshape.Measure(doc, "", server.DefaultMaxSelections)
			}
		})
	}
}
