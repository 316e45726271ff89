// Package conformance checks a running partnernet server against the GraphQL-over-HTTP spec,
// with the audit suite of the npm package graphql-http (every MUST must pass; the SHOULD and
// MAY results are recorded in docs/operations.md), and against the GraphQL-over-WebSocket protocol
// (graphql-transport-ws) with the npm graphql-ws client.
//
// The checks are Node.js scripts in this folder (audit.test.mjs, subscription.test.mjs), with
// their packages pinned in package-lock.json and installed by scripts/install-node.sh
// (npm ci). Go tests in this package start a real server against a real PostgreSQL database
// and run them, so `go test ./conformance` is all it takes once the packages are installed.
package conformance
