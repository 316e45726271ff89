// Package migrations holds the versioned SQL migrations of the partnernet database, embedded in
// the binary.
//
// Files are named NNNNN_name.sql and carry goose annotations (-- +goose Up / Down). A migration,
// once on main, is never edited: a change to the schema is always a new file.
package migrations

import "embed"

// FS holds every migration file, at its root.
//
//go:embed *.sql
var FS embed.FS
