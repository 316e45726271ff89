// Package hsds serves the activity directory as an Open Referral HSDS 3.0 API under /hsds/, and
// takes the services an association's own system pushes. It is a transport beside GraphQL:
// package server mounts it with the same authentication, rate limits, body and time limits,
// CORS and metrics as /graphql; it reads through the store and asks authz, and imports no other
// transport.
//
// # Reading
//
// Reads answer as the public, whoever asks: published activities, and those published and since
// cancelled (status defunct) or finished (inactive), as services; never drafts, never people.
// The endpoints are those of the HSDS OpenAPI description (served at /hsds/openapi.json): the
// root, services, service_at_locations and organizations (lists and by id), taxonomies and
// taxonomy_terms, with its pagination and filters. Lists are in id order, so that walking the
// pages visits every service once even while activities are published. Every answer carries an
// ETag (the SHA-256 of its body) and, where known, Last-Modified, and a conditional request
// the client's copy satisfies gets 304.
//
// # Mapping
//
// An activity is a service ([Service]) with one service at location (a physical place with its
// address and coordinates, or a virtual one online), its schedules ([Schedule]; see
// schedule.go for how a Europe/Stockholm rule with exceptions becomes HSDS's fixed-offset
// parts), service areas (municipalities), languages, a cost option, eligibility (target groups
// as terms of [TargetGroups], ages), contact and phone, its organiser ([Organization]), its
// programme ([Program]) and its category (a term of [Categories]). Ids are stable UUIDs ([ID]).
// Texts are in the language asked for ([Lang], [Text]).
//
// # Pushing
//
// POST /hsds/services takes one service or an array, with an API key of a publisher or
// organisation admin; each row is validated against the official schema and the activity's
// rules and written on its own, and the source's id makes a push idempotent. See
// docs/hsds.md.
package hsds
