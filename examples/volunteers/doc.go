// Package volunteers is an example partner subgraph: an association's volunteer and booking
// service that extends partnernet's Activity and Organisation entities, to run behind an Apollo
// Federation gateway beside partnernet. It keeps its own small store, and verifies the bearer
// tokens the gateway forwards against partnernet's published key set.
//
// Run it with `go run ./examples/volunteers/cmd/volunteers --help`.
package volunteers
