package docshape

import (
	"math"

	"github.com/vektah/gqlparser/v2/ast"
)

// Shape is what the operation limits measure of a parsed, not yet validated, document. Every
// figure is computed in time linear in the document: a fragment is measured once, however often
// it is spread, and its figures are added wherever it is used. Sums saturate at math.MaxInt32.
type Shape struct {
	// Selections counts the fields the document selects: those of every operation, a fragment's
	// counted again at each spread, plus those of fragments no operation spreads. It bounds the
	// work of validation and of execution.
	Selections int
	// Repeats is the most fields one response name gathers in one merged selection set (fields
	// of the same name, directly, through fragments, and in the selections of fields they merge
	// with). Validation compares each pair of them, so this bounds its quadratic part.
	Repeats int
	// Cycle names a fragment that spreads itself, directly or through others; such a document
	// is invalid and the other figures are not computed.
	Cycle string

	// The figures of the operation that runs (the one named, or the only one); zero when the
	// document has no such operation.

	// Depth is the deepest nesting of fields, root fields at depth 1, fragments inline.
	Depth int
	// Aliases counts aliased fields, a fragment's at each spread.
	Aliases int
	// RootFields counts the fields at the operation's root, through fragments.
	RootFields int
	// Introspects tells whether the operation asks for __schema or __type anywhere.
	Introspects bool
}

// selectionMeasure is the measure of one selection set, or of a fragment's.
type selectionMeasure struct {
	fields      int  // fields, fragments expanded
	aliases     int  // aliased fields, fragments expanded
	depth       int  // nesting: 1 for a set of leaves, 0 for an empty set
	top         int  // fields at this level, fragments expanded
	introspects bool // asks for __schema or __type
}

// shapeMeasurer measures one document.
type shapeMeasurer struct {
	fragments map[string]*ast.FragmentDefinition
	measured  map[string]selectionMeasure
	visiting  map[string]bool
	cycle     string
	// budget is the merged walk's remaining field visits; it stops early once spent.
	budget int
}

// Measure measures doc for the operation named operationName (or its only operation). Past a
// selection count of stop, Repeats is not computed (it stays 0): a caller refuses such a
// document on its selections anyway.
func Measure(doc *ast.QueryDocument, operationName string, stop int) Shape {
	m := &shapeMeasurer{
		fragments: make(map[string]*ast.FragmentDefinition, len(doc.Fragments)),
		measured:  make(map[string]selectionMeasure, len(doc.Fragments)),
		visiting:  map[string]bool{},
	}
	for _, f := range doc.Fragments {
		if _, dup := m.fragments[f.Name]; !dup {
			m.fragments[f.Name] = f
		}
	}
	var shape Shape
	for _, op := range doc.Operations {
		shape.Selections = satAdd(shape.Selections, m.set(op.SelectionSet).fields)
	}
	// Fragments no operation spreads are still validated: their fields count too (each name
	// once; validation refuses a name defined twice).
	reachable := m.reachable(doc.Operations)
	var unused []*ast.FragmentDefinition
	for _, f := range doc.Fragments {
		if !reachable[f.Name] && m.fragments[f.Name] == f {
			unused = append(unused, f)
			shape.Selections = satAdd(shape.Selections, m.fragment(f.Name).fields)
		}
	}
	if m.cycle != "" {
		return Shape{Cycle: m.cycle}
	}
	if op := doc.Operations.ForName(operationName); op != nil {
		om := m.set(op.SelectionSet)
		shape.Depth, shape.Aliases, shape.RootFields, shape.Introspects = om.depth, om.aliases, om.top, om.introspects
	}
	if shape.Selections > stop {
		return shape
	}
	m.budget = shape.Selections
	for _, op := range doc.Operations {
		shape.Repeats = max(shape.Repeats, m.repeats([]ast.SelectionSet{op.SelectionSet}))
	}
	for _, f := range unused {
		shape.Repeats = max(shape.Repeats, m.repeats([]ast.SelectionSet{f.SelectionSet}))
	}
	return shape
}

// set measures a selection set, each fragment it spreads measured once.
func (m *shapeMeasurer) set(set ast.SelectionSet) selectionMeasure {
	var sm selectionMeasure
	add := func(c selectionMeasure) {
		sm.fields = satAdd(sm.fields, c.fields)
		sm.aliases = satAdd(sm.aliases, c.aliases)
		sm.top = satAdd(sm.top, c.top)
		sm.depth = max(sm.depth, c.depth)
		sm.introspects = sm.introspects || c.introspects
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			f := selectionMeasure{fields: 1, top: 1, depth: 1}
			if s.Alias != "" && s.Alias != s.Name {
				f.aliases = 1
			}
			child := m.set(s.SelectionSet)
			f.fields = satAdd(f.fields, child.fields)
			f.aliases = satAdd(f.aliases, child.aliases)
			f.introspects = child.introspects
			if s.Name == "__schema" || s.Name == "__type" {
				// Introspection has a shape of its own (and is off in production): it adds one
				// level, while its fields still count as selections.
				f.introspects = true
			} else {
				f.depth = satAdd(1, child.depth)
			}
			add(f)
		case *ast.InlineFragment:
			add(m.set(s.SelectionSet))
		case *ast.FragmentSpread:
			add(m.fragment(s.Name))
		}
	}
	return sm
}

// fragment measures the fragment named name once; an unknown fragment measures nothing (the
// validation refuses it), and a fragment reached again while being measured is a cycle.
func (m *shapeMeasurer) fragment(name string) selectionMeasure {
	if got, ok := m.measured[name]; ok {
		return got
	}
	def := m.fragments[name]
	if def == nil {
		return selectionMeasure{}
	}
	if m.visiting[name] {
		if m.cycle == "" {
			m.cycle = name
		}
		return selectionMeasure{}
	}
	m.visiting[name] = true
	got := m.set(def.SelectionSet)
	delete(m.visiting, name)
	m.measured[name] = got
	return got
}

// reachable returns the fragments the operations spread, directly or through other fragments.
func (m *shapeMeasurer) reachable(ops ast.OperationList) map[string]bool {
	seen := map[string]bool{}
	var visit func(set ast.SelectionSet)
	visit = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				visit(s.SelectionSet)
			case *ast.InlineFragment:
				visit(s.SelectionSet)
			case *ast.FragmentSpread:
				if def := m.fragments[s.Name]; def != nil && !seen[s.Name] {
					seen[s.Name] = true
					visit(def.SelectionSet)
				}
			}
		}
	}
	for _, op := range ops {
		visit(op.SelectionSet)
	}
	return seen
}

// repeats merges sets as execution and validation do (fields by response name, through
// fragments, a fragment once however often it is spread there) and returns the most fields one
// response name gathers, here or below. The document
// has no fragment cycle, and its selections are bounded, so the walk visits each field it
// counts once; it stops when the budget is spent.
func (m *shapeMeasurer) repeats(sets []ast.SelectionSet) int {
	groups := map[string][]ast.SelectionSet{}
	counts := map[string]int{}
	spread := map[string]bool{} // a fragment spread again in one merged set adds nothing
	var order []string
	var collect func(set ast.SelectionSet)
	collect = func(set ast.SelectionSet) {
		for _, sel := range set {
			if m.budget <= 0 {
				return
			}
			switch s := sel.(type) {
			case *ast.Field:
				m.budget--
				key := s.Alias
				if key == "" {
					key = s.Name
				}
				if counts[key] == 0 {
					order = append(order, key)
				}
				counts[key]++
				if len(s.SelectionSet) > 0 {
					groups[key] = append(groups[key], s.SelectionSet)
				}
			case *ast.InlineFragment:
				collect(s.SelectionSet)
			case *ast.FragmentSpread:
				if def := m.fragments[s.Name]; def != nil && !spread[s.Name] {
					spread[s.Name] = true
					collect(def.SelectionSet)
				}
			}
		}
	}
	for _, set := range sets {
		collect(set)
	}
	most := 0
	for _, key := range order {
		most = max(most, counts[key])
		if children := groups[key]; len(children) > 0 {
			most = max(most, m.repeats(children))
		}
	}
	return most
}

// satAdd adds without overflowing: sums past math.MaxInt32 stay there.
func satAdd(a, b int) int {
	if a > math.MaxInt32-b {
		return math.MaxInt32
	}
	return a + b
}
