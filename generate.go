package partnernet

// The GraphQL executable schema (graph/) and resolver stubs (resolvers/) are generated from
// schema/*.graphqls by gqlgen, configured in gqlgen.yml and run by cmd/gqlgen with the project's
// plugin. The result is committed; CI fails when regenerating changes it.
//go:generate go run ./cmd/gqlgen
