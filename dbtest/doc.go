// Package dbtest gives each test a real PostgreSQL database of its own.
//
// A test binary's TestMain calls [Main]. Without TEST_DATABASE_URL, Main starts a private
// cluster for the binary (package pglocal) and stops it afterwards; with it, tests use that
// server. The first test to need a database migrates a template database once per server and
// migration set; each test then gets a clone ([NewPool], [NewDatabase]) that is dropped when the
// test ends, so tests are isolated and may run in parallel.
//
// dbtest is for tests only: production code never imports it.
package dbtest
