// Package server is the HTTP face of partnernet: the GraphQL endpoint (POST and GET /graphql),
// GraphiQL at /, the health probes /healthz and /readyz, request ids, structured JSON access
// logs, and a graceful shutdown that finishes the requests in flight.
//
// [New] wires a [Server] from a [Config]; [Server.Serve] runs it on a listener until its context
// ends.
package server
