// Package analytics turns counts about newcomers into aggregates that may leave the system, and
// the partner network into a graph with centrality measures.
//
// # Disclosure control
//
// [Protect] publishes a table of counts (one cell per combination of the chosen dimensions'
// values) so that no small count can be read or derived:
//
//   - primary suppression: a count below the threshold is published as suppressed (null);
//   - no margins: a table never carries totals or subtotals;
//   - complementary suppression: every line of the table (the cells that share all values but
//     one dimension's) is audited as an attacker would, who knows the line's total from a
//     coarser query (the same table without that dimension) and which suppressed cells are
//     small; as long as some suppressed cell's value would follow, the smallest visible cell of
//     the line is suppressed as well;
//   - one canonical table: filters select cells of the table protected as a whole (all values
//     of every dimension, all months), so that two queries differing by a filter value or a
//     period publish identical values for the cells they share and differencing them yields
//     nothing ([Table.Select]).
//
// # The network
//
// [Network] builds the partner network as an undirected graph of organisations (gonum), edges
// weighted by the cooperation that is published, and computes degree, betweenness and PageRank
// of every node.
package analytics
