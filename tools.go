//go:build tools

// This file pins the code generators the module runs with `go run`, so their versions live in
// go.mod.
package partnernet

import _ "github.com/99designs/gqlgen"
