// Package statistics computes what leaves the system for analysis, for every transport alike:
// the analysts' aggregates ([Service.Aggregate]), the partner network ([Service.Network]), the
// research extract ([Service.Extract]) and the RÅDRUM statistics by desk
// ([Service.AdviceStatistics]). The GraphQL resolvers, the CSV export of package server and
// any later REST endpoint call the same [Service], and only shape what it returns.
//
// # Layers
//
// Transports (resolvers, server) call this package; it reads through package store (the
// [Store] interface names what it needs), decides through package authz, and protects counts
// with package analytics, which holds the disclosure control and the network's centrality as
// pure computation, without a database or a principal. Nothing here imports a transport.
//
// # Authorisation
//
// Every method asks authz itself, first, before it validates or reads anything: a transport
// gets the decision by calling the method, and cannot forget it. Aggregates and the network
// are for analysts and the network lead's network admins ([authz.AnalyticsAggregate]), the
// RÅDRUM statistics for whom the policy lets read them ([authz.AdviceStatistics]), and a
// research extract for a role the policy lets make one for the declared purpose RESEARCH,
// each person's categories then released by authz one by one.
//
// # The fact cache
//
// A measure's facts (counted over every enrolment, referral or visit of the network) and the
// family of tables protected from them are kept for [Config.CacheTTL], so that a request costs
// one look-up once the family is computed; concurrent requests share one load and one
// protection. Facts never leave the process.
//
// # Errors
//
// Refusals are UNAUTHENTICATED or FORBIDDEN; bad arguments are BAD_USER_INPUT errors naming
// the argument as the GraphQL API spells it (measure, dimensions, filter.from, filter.until,
// filter.values, programme, input.categories, until), which the CSV export reports as they are.
package statistics
