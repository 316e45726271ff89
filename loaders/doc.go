// Package loaders batches the reads behind every edge of the graph with per-request dataloaders
// (graph-gophers/dataloader v7), so that a nested query costs one statement per edge, not one per
// parent.
//
// [Middleware] builds a fresh [Loaders] for each HTTP request; resolvers read it back with
// [For]. Batch functions return results in key order, with a per-key error matching
// partnernet.ErrNotFound for a missing id. Loaders carry no authorisation: they fetch what the
// resolvers ask for, and the resolvers decide, through authz, what is shown.
package loaders
