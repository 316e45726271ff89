// Package partnernet holds the domain of the Partnership Skåne partner network: the types the
// whole service speaks about (organisations, municipalities, programmes, activities, newcomers,
// consent records), their enumerations, and the errors every layer shares.
//
// # Layout
//
// The root package depends on nothing else in the module. Around it:
//
//   - store: all SQL, on pgx v5; turns rows into the types here.
//   - authz: the one authorisation decision point (Casbin).
//   - loaders: per-request dataloaders in front of store.
//   - relay: global IDs and cursor connections.
//   - analytics: disclosure control of aggregates and the network's centrality, pure.
//   - statistics: the analytics every transport serves (aggregates, the partner network,
//     research extracts, RÅDRUM statistics), authorised through authz, with its fact cache.
//   - resolvers, graph, schema: the GraphQL API (gqlgen, schema first).
//   - server: HTTP, logging, health, graceful shutdown.
//   - cli, cmd/partnernet: the command line.
//   - pglocal, dbtest, seed, migrations: local PostgreSQL, tests, demo data, schema history.
package partnernet
