// Package scalars reads and writes the GraphQL scalars whose Go type is a standard one, String
// and Time, more strictly than gqlgen's defaults: every malformed value is refused as
// BAD_USER_INPUT (a [partnernet.Error]) before any resolver or statement sees it, where gqlgen's
// plain errors would be reported as internal faults, or worse, reach the database.
//
// gqlgen.yml binds the String and Time scalars to this package's Marshal and Unmarshal
// functions.
package scalars
