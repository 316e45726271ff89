// Package federation holds the checks of partnernet as an Apollo Federation v2 subgraph: its
// tests compose partnernet's schema with the example partner subgraph (examples/volunteers) using
// Apollo's composition library, compare the result with the committed supergraph.graphql, and run
// queries through a real Apollo Gateway in front of both subgraphs on loopback. The Node.js side
// is compose.mjs and gateway.mjs, with their packages locked in package-lock.json.
package federation
