// Package bench is partnernet's benchmark (issue 8, item 7; docs/benchmark.md).
//
// It loads a large deterministic data set ([DataSet]: 150,000 newcomers, 30,000 activities,
// 1,500,000 enrolments, 400,000 consent records over the real partner network) into a local
// PostgreSQL cluster, runs the partnernet binary as a server of its own on loopback, and
// measures four [Workloads] with the vegeta load library: public activity discovery, a
// coordinator's caseload with consents and enrolments, an association's own activities with
// enrolment counts, and an analyst's aggregate. For each it reports requests per second and
// p50/p99 latency at peak, p99 at 80% of the peak rate, the SQL statements per request (from the
// server's partnernet_db_statements_total, at three page sizes), the server's memory, and the
// same data read by hand-written SQL (the benchmark's own, in ceiling.go, run straight on the
// pool rather than through package store) with the same concurrency, as the ceiling.
//
// It never runs in `make test`; `make bench` (scripts/bench.sh) runs it. Its tests check the
// aggregation and that every workload and its ceiling read the same rows of the demo network.
package bench
