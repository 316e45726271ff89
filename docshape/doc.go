// Package docshape measures the shape of a parsed GraphQL document before it is validated: how
// many fields it selects (fragments counted at each use), how often one response name repeats
// where fields merge, how deep it nests, how many aliases and root fields its operation has, and
// whether it introspects.
//
// Validation and execution cost grow with these figures (validation's field-merging rule
// compares every pair of same-named fields: quadratic in the repeats), and a few hundred bytes of
// nested fragment spreads can select 2^40 fields. [Measure] therefore runs in time linear in the
// document, measuring each fragment once, so that the server can refuse a document on its shape
// before spending anything on it. The limits themselves are the server's (package server).
package docshape
