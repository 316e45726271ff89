// Package server is the HTTP face of partnernet: the GraphQL endpoint (POST and GET /graphql,
// and graphql-transport-ws websockets for subscriptions), GraphiQL at / in dev mode (package
// graphiql, served from the binary), the health probes /healthz and /readyz, Prometheus metrics
// at /metrics, request ids, structured JSON access logs, and a graceful shutdown that finishes
// the requests in flight.
//
// # Protection
//
// Every GraphQL request passes rate limits per client address and per principal ([RateLimit]),
// a body size limit, a time limit that cancels its SQL, and, once parsed, the operation limits
// of [Limits]: depth, cost ([FieldCosts], lists multiplied by their page size), aliases and root
// fields. In production mode introspection and field suggestions are off. [TrustedDocuments]
// restricts a server to an allowlist of operations; otherwise automatic persisted queries are
// on. Responses carry security headers, and CORS answers only [Config.CORSOrigins]. Each
// refusal is a GraphQL error with a stable extensions.code (CodeDepthLimit and its siblings).
//
// # Observability
//
// Each HTTP request and each GraphQL operation is an OpenTelemetry span of
// [Config.TracerProvider]; /metrics counts requests, operations and errors by code, times them,
// and reports the database pool and the authorisation denials authz decides.
//
// [New] wires a [Server] from a [Config]; [Server.Serve] runs it on a listener until its context
// ends.
package server
