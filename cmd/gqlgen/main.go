// Command gqlgen writes the executable schema (graph/) and the resolver stubs (resolvers/) from
// schema/*.graphqls, configured by gqlgen.yml, as `gqlgen generate` does, with one plugin of our
// own, sequentialFields, and two rewrites of what it wrote, withoutDeferredGroups and
// listsThroughSiblings. Run it through `go generate ./...` (generate.go).
package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
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
	exec, err := os.ReadFile(cfg.Exec.Filename)
	if err != nil {
		return fmt.Errorf("read the executable schema: %w", err)
	}
	if exec, err = withoutDeferredGroups(exec); err != nil {
		return fmt.Errorf("%s: %w", cfg.Exec.Filename, err)
	}
	if exec, err = listsThroughSiblings(exec); err != nil {
		return fmt.Errorf("%s: %w", cfg.Exec.Filename, err)
	}
	if err := os.WriteFile(cfg.Exec.Filename, exec, 0o644); err != nil { //nolint:gosec // generated source, committed
		return fmt.Errorf("write the executable schema: %w", err)
	}
	return nil
}

// The statement with which gqlgen starts each object's deferred group, and the zero group that
// replaces it.
var (
	newDeferredGroup  = []byte("deferred := graphql.NewDeferredGroup(ctx)")
	zeroDeferredGroup = []byte("var deferred graphql.DeferredGroup")
)

// withoutDeferredGroups rewrites the executable schema exec so that an object no longer builds
// a deferred group it never fills. gqlgen starts one in every object it marshals, computing the
// object's path for it (an allocation for each element of the path), for the fields that @defer
// sends later. Here no field is ever deferred: @defer is not in the server's schema
// (server.withoutDefer), and the fields of an object resolve in turn (sequentialFields), never
// through the group. The group stays empty and its final check (len(deferred.Defers) > 0) false;
// building it was an eighth of the caseload's allocations and a fifth of its server CPU.
// gqlgen's plugins run before it writes this file, so this is a rewrite of its text; it fails if
// the code uses the group in any other way (&deferred), which a later gqlgen might.
func withoutDeferredGroups(exec []byte) ([]byte, error) {
	out := bytes.ReplaceAll(exec, newDeferredGroup, zeroDeferredGroup)
	if bytes.Contains(out, []byte("&deferred")) || bytes.Contains(out, []byte("NewDeferredGroup")) {
		return nil, errors.New("an object hands its deferred group on (&deferred) or builds it otherwise: " +
			"this gqlgen defers fields in a way withoutDeferredGroups does not know; see cmd/gqlgen")
	}
	return out, nil
}

// gqlgen's call that marshals the elements of a list, each on a goroutine of its own; the call
// with the same arguments that runs them in turn until one waits; the import gqlgen's runtime
// comes in, and siblings' import beside it.
var (
	marshalConcurrently = []byte("graphql.MarshalSliceConcurrently(")
	marshalSiblings     = []byte("siblings.Marshal(")
	graphqlImport       = []byte("\t\"github.com/99designs/gqlgen/graphql\"\n")
	siblingsImport      = []byte("\t\"github.com/partnerskap-skane/partnernet/siblings\"\n")
)

// listsThroughSiblings rewrites the executable schema exec so that the elements of a list are
// marshalled by siblings.Marshal, in turn until one of them waits for a batch or the database,
// instead of each on a goroutine of its own. A parent level loads what its rows' fields read
// (ARCHITECTURE.md, "How a request reads"), so most elements never wait, and their goroutines'
// fresh stacks were a sixth of the server's CPU on a list of fifty organisations with ten
// activities each (docs/benchmark.md, sixth pass). It fails if the file marshals no list this
// way or does not import gqlgen's runtime where it expects, which a later gqlgen might change.
func listsThroughSiblings(exec []byte) ([]byte, error) {
	if !bytes.Contains(exec, marshalConcurrently) || !bytes.Contains(exec, graphqlImport) {
		return nil, errors.New("no list marshalled by graphql.MarshalSliceConcurrently, or no import of " +
			"gqlgen's graphql package: this gqlgen marshals lists in a way listsThroughSiblings does not know; see cmd/gqlgen")
	}
	out := bytes.ReplaceAll(exec, marshalConcurrently, marshalSiblings)
	out = bytes.Replace(out, graphqlImport, append(append([]byte{}, graphqlImport...), siblingsImport...), 1)
	formatted, err := format.Source(out)
	if err != nil {
		return nil, fmt.Errorf("format after marshalling lists through siblings: %w", err)
	}
	return formatted, nil
}

// sequentialFields has every object type but the root ones resolve its selected fields one after
// another, on the goroutine that marshals the object, where gqlgen would start a goroutine for
// each field that has a resolver. The elements of a list start side by side as soon as one of
// them waits (listsThroughSiblings), so a loader still collects the keys of a whole page's
// siblings in one batch.
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
