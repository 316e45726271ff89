// Package analytics turns counts about newcomers into aggregates that may leave the system, and
// the partner network into a graph with centrality measures.
//
// # Disclosure control
//
// Every table a caller may ask for of a measure (every set of at most [MaxDimensions] of its
// dimensions, the total without any among them) is protected together with all the others, as
// a [Family] ([ProtectFamily], [Measure.Protect]), so that no small count can be read or
// derived from any of them or by differencing any of them:
//
//   - primary suppression: a count below the threshold is published as suppressed (null);
//   - rounding: every other count is published rounded to a multiple of [RoundingBase], so
//     that totals and the cells they are made of no longer subtract exactly;
//   - linked complementary suppression: an attacker holding every table of the family, who
//     knows how they add up (line by line, for counts of distinct units as far as they do) and
//     how counts are rounded, is simulated by propagating bounds on every cell to a fixed
//     point; while a small count is left with one possible value, cells that the bound pinning
//     it comes from are suppressed as well;
//   - one canonical table: filters select cells of a table protected as a whole (all values
//     of every dimension, all months), so that two queries differing by a filter value or a
//     period publish identical values for the cells they share ([Table.Select]).
//
// docs/analytics.md says why, and what the protection does not cover.
//
// # The network
//
// [Network] builds the partner network as an undirected graph of organisations (gonum), edges
// weighted by the cooperation that is published, and computes degree, betweenness and PageRank
// of every node.
package analytics
