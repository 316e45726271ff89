// Command gqlgen writes the executable schema (graph/) and the resolver stubs (resolvers/) from
// schema/*.graphqls, configured by gqlgen.yml, as `gqlgen generate` does, with one plugin of our
// own: sequentialFields. Run it through `go generate ./...` (generate.go).
package main

import (
	"fmt"
	"os"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
)

func main() {
	if err := generate("gqlgen.yml"); err != nil {
		fmt.Fprintf(os.Stderr, "gqlgen: %v\n", err)
		os.Exit(1)
	}
}

// generate runs gqlgen with the configuration at path and the project's plugin.
func generate(path string) error {
	cfg, err := config.LoadConfig(path)
	if err != nil {
		return fmt.Errorf("load %s: %w", path, err)
	}
	if err := api.Generate(cfg, api.AddPlugin(sequentialFields{})); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	return nil
}

// sequentialFields has every object type but the root ones resolve its selected fields one after
// another, on the goroutine that marshals the object, where gqlgen would start a goroutine for
// each field that has a resolver. The elements of a list are still marshalled concurrently, so a
// loader still collects the keys of a whole page's siblings in one batch.
//
// Why: under load, starting those goroutines, their closures and the growth of their stacks
// were a fifth of the server's CPU on a list of twenty activities with organiser and
// municipality (docs/benchmark.md, fifth pass). A parent level loads what its rows' fields ask
// for with its page (ARCHITECTURE.md, "How a request reads"), so those fields seldom wait on a
// batch window, and concurrency among the fields of one object bought nothing for that cost.
// Root fields stay concurrent (Query) or serial as the specification asks (Mutation).
type sequentialFields struct{}

// Name implements plugin.Plugin.
func (sequentialFields) Name() string { return "sequential-fields" }

// GenerateCode implements plugin.CodeGenerator; gqlgen calls it before it writes the
// executable schema, which reads DisableConcurrency.
func (sequentialFields) GenerateCode(data *codegen.Data) error {
	for _, o := range data.Objects {
		if !o.Root {
			o.DisableConcurrency = true
		}
	}
	return nil
}
