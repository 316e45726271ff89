// Package loaders batches the reads behind every edge of the graph with per-request dataloaders
// (graph-gophers/dataloader v7), so that a nested query costs one statement per edge, not one per
// parent.
//
// [Middleware] builds a fresh [Loaders] for each HTTP request; resolvers read it back with
// [For]. Batch functions return results in key order, with a per-key error matching
// partnernet.ErrNotFound for a missing id.
//
// # A newcomer's data
//
// The loaders of a newcomer's categories of data (contact, languages, health, family,
// background, plans, enrolments, course participations) are unexported. They are read only
// through methods such as [Loaders.Contact] or [Loaders.Health], which first ask authz
// (ReleaseCategory, with the newcomer's active consents naming the caller's organisation) and
// load nothing when the category is not released; [Loaders.Release] is the decision alone.
// Likewise [Loaders.See], [Loaders.SeeAll] and [Loaders.VisibleNewcomer] decide whether the
// caller may see that a newcomer is registered. The other loaders carry no authorisation: they
// fetch what the resolvers ask for, and the resolvers decide, through authz, what is shown.
package loaders
