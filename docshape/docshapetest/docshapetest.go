// Package docshapetest holds hostile GraphQL documents for the tests, fuzz targets and benchmarks
// of the operation limits. It is for tests only.
package docshapetest

import (
	"fmt"
	"strings"

	"github.com/partnerskap-skane/partnernet/server"
)

// FragmentChain is the fragments F0 to F<levels> on typ, each spreading the next twice, the last
// selecting leaf: 2^levels fields in a few bytes per level.
func FragmentChain(levels int, typ, leaf string) string {
	var b strings.Builder
	for i := range levels {
		fmt.Fprintf(&b, "fragment F%d on %s { ...F%d ...F%d }\n", i, typ, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on %s { %s }\n", levels, typ, leaf)
	return b.String()
}

// HostileDocuments are, by name, the documents that once cost seconds or minutes of CPU, and
// the worst ones the server's default limits still admit: the seeds of the fuzz target and the
// cases of the benchmarks.
func HostileDocuments() map[string]string {
	repeat := strings.Repeat
	// Just under the token limit: a variable definition is 4 tokens, an argument 3, a directive
	// 7, a list value 1.
	tokens := server.DefaultMaxTokens - 30
	var vars, varUses, args, dirs, list strings.Builder
	for i := range tokens / 4 {
		fmt.Fprintf(&vars, " $v%d: Int", i)
	}
	for i := range 3000 {
		fmt.Fprintf(&varUses, " a%d: organisations(first: $v%d) { totalCount }", i, i)
	}
	for range tokens / 3 {
		args.WriteString(" first: 1")
	}
	for range tokens / 7 {
		dirs.WriteString(" @skip(if: false)")
	}
	for range tokens {
		list.WriteString(` "1280",`)
	}
	// The worst admitted: many groups of fields, each repeated as often as the limit allows.
	var groups strings.Builder
	for g := range server.DefaultMaxSelections / server.DefaultMaxRepeated / 2 {
		fmt.Fprintf(&groups, " n%d: node(id: \"x\") { %s }", g, repeat(" id", server.DefaultMaxRepeated-1))
	}
	// The largest body the server reads, in one comment, one string and white space.
	big := server.DefaultMaxBodyBytes - 100
	return map[string]string{
		"fragment bomb 26":        "{ ...F0 }\n" + FragmentChain(26, "Query", "__typename"),
		"fragment bomb 40":        "{ ...F0 }\n" + FragmentChain(40, "Query", "__typename"),
		"unused fragment bomb 40": "{ __typename }\n" + FragmentChain(40, "Query", "__typename"),
		"__typename x8000":        "query R1 {" + repeat(" __typename", 8000) + " }",
		"__typename x14000":       "query R2 {" + repeat(" __typename", 14000) + " }",
		"nested merges 30x30":     "{" + repeat(" programmes {"+repeat(" totalCount", 30)+" }", 30) + " }",
		"unused variables":        "query Q(" + vars.String() + ") { __typename }",
		"3000 aliased uses":       "query Q(" + vars.String() + ") {" + varUses.String() + " }",
		"repeated arguments":      "{ organisations(" + args.String() + ") { totalCount } }",
		"repeated directives":     "{ __typename" + dirs.String() + " }",
		"a long list":             "{ organisations(filter: { municipalityCodes: [" + list.String() + "] }) { totalCount } }",
		"the largest comment":     "#" + repeat("a", big) + "\n{ __typename }",
		"the longest string":      `{ activities(filter: { search: "` + repeat("a", big) + `" }) { totalCount } }`,
		"the most white space":    "{" + repeat(" ", big) + "__typename }",
		"worst admitted repeats":  "{" + groups.String() + " }",
		"cycle":                   "{ ...A } fragment A on Query { ...B } fragment B on Query { programmes { ...A } }",
	}
}
