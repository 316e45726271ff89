package partnernet

// The GraphQL executable schema (graph/) and resolver stubs (resolvers/) are generated from
// schema/*.graphqls by gqlgen, configured in gqlgen.yml. The result is committed; CI fails when
// regenerating changes it.
//go:generate go run github.com/99designs/gqlgen generate --config gqlgen.yml
