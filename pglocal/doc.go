// Package pglocal starts a local PostgreSQL cluster from the machine's server binaries (initdb,
// pg_ctl), for `partnernet dev` and for tests.
//
// [Start] creates the cluster in a data folder when it is new (initdb, a random password kept in
// the folder), starts it on 127.0.0.1, and waits until it answers; a server already running on
// the folder is attached to rather than started twice. [Cluster.Stop] stops what Start started.
//
// # Root
//
// PostgreSQL refuses to run as root. A process running as root runs initdb, pg_ctl and the
// server as the postgres user, and hands the cluster's folder to that user. The data folder's
// parents must then be reachable by postgres.
package pglocal
