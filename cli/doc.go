// Package cli implements the partnernet command line: the subcommands dev, serve, migrate and
// seed, their flags and the environment variables that stand in for them.
//
// cmd/partnernet only hands its arguments to [App.Run], so tests run the real command in
// process, listening on 127.0.0.1:0 ([App.Ready] reports the address).
package cli
