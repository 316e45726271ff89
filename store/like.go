package store

import "strings"

// likeEscaper escapes the wildcard characters of LIKE patterns.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// likePattern turns user text into an ILIKE pattern matching it as a substring, with its own
// wildcards taken literally.
func likePattern(s string) string { return "%" + likeEscaper.Replace(s) + "%" }
