package bench

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Caller is who a workload's requests are sent as.
type Caller struct {
	// Organisation and Role are the token's claims; an empty Role is anonymous.
	Organisation, Role string
	// Purpose is the Partnernet-Purpose header, if any.
	Purpose string
}

// Workload is one kind of request of the benchmark, with the plain SQL that reads the same data.
type Workload struct {
	// Name names the workload in the report.
	Name string
	// Caller sends the requests.
	Caller Caller
	// Query is the GraphQL document; its variable $first, when it has one, is the page size.
	Query string
	// Variables are the query's variables other than $first.
	Variables map[string]any
	// Rows is the path to the list whose items a response counts, for the check that GraphQL and
	// SQL read as many rows.
	Rows []string
	// Paged says whether the page size applies.
	Paged bool
	// Peer is the same read asked of PostGraphile, for the workloads the two share; nil for the
	// others.
	Peer *Peer
	// Ceiling reads the same data with the benchmark's own plain SQL, straight on the pool, and
	// returns the number of rows of the page.
	Ceiling func(ctx context.Context, db *pgxpool.Pool, ids IDs, page int) (int, error)
}

// IDs are the database ids the plain SQL ceiling needs, looked up once.
type IDs struct {
	Malmo, ABF int64
}

// statisticsSince and statisticsUntil bound the analyst's aggregate: the half year of the demo
// advice visits.
var (
	statisticsSince = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	statisticsUntil = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
)

// Workloads are the benchmark's workloads: discovery, a category's published activities, 50
// organisations with 10 titles each, a caseload, an organisation's own activities, the
// analysts' aggregate and the RÅDRUM statistics. Those with a Peer are measured against
// PostGraphile too, and ask for the same shape as the peer's query: nodes, without edges and
// cursors.
func Workloads() []Workload {
	return []Workload{
		{
			Name:   "discovery",
			Caller: Caller{},
			Query: `query Discovery($first: Int!, $filter: ActivityFilter) {
  activities(first: $first, filter: $filter) { totalCount edges { node {
    id title category languages organiser { name } municipality { name }
    nextOccurrences(first: 3) { startsAt } availability } } } }`,
			Variables: map[string]any{"filter": map[string]any{"languages": []string{"ar"}, "categories": []string{"LANGUAGE_PRACTICE"}}},
			Rows:      []string{"activities", "edges"},
			Paged:     true,
			Ceiling: func(ctx context.Context, db *pgxpool.Pool, _ IDs, page int) (int, error) {
				return ceilingDiscovery(ctx, db, []string{"ar"}, []string{"LANGUAGE_PRACTICE"}, page)
			},
		},
		{
			Name:   "category",
			Caller: Caller{},
			Query: `query Category($first: Int!) {
  activities(first: $first, filter: { categories: [SPORTS] }, orderBy: { field: TITLE }) {
    totalCount nodes { id title organiser { name } municipality { name } } } }`,
			Rows:  []string{"activities", "nodes"},
			Paged: true,
			Peer: &Peer{Query: `query Category($first: Int!) {
  allActivities(first: $first, condition: { status: "PUBLISHED", category: "SPORTS" }, orderBy: [TITLE_ASC, PRIMARY_KEY_ASC]) {
    totalCount nodes { rowId title organiser { name } municipality { name } } } }`},
			Ceiling: func(ctx context.Context, db *pgxpool.Pool, _ IDs, page int) (int, error) {
				return ceilingCategory(ctx, db, "SPORTS", page)
			},
		},
		{
			Name:   "organisations × titles",
			Caller: Caller{},
			Query: `query OrganisationsTitles {
  organisations(first: 50) { nodes { name activities(first: 10) { nodes { title } } } } }`,
			Rows: []string{"organisations", "nodes"},
			Peer: &Peer{Query: `query OrganisationsTitles {
  allOrganisations(first: 50, orderBy: [NAME_ASC, PRIMARY_KEY_ASC]) { nodes { name
    activities(first: 10, orderBy: [TITLE_ASC, PRIMARY_KEY_ASC], condition: { status: "PUBLISHED" }) { nodes { title } } } } }`},
			Ceiling: func(ctx context.Context, db *pgxpool.Pool, _ IDs, _ int) (int, error) {
				return ceilingOrganisationsTitles(ctx, db, 50, 10)
			},
		},
		{
			Name:   "caseload",
			Caller: Caller{Organisation: "malmo", Role: "coordinator", Purpose: "ESTABLISHMENT_COORDINATION"},
			Query: `query Caseload($first: Int!) {
  newcomers(first: $first) { totalCount edges { node {
    id registeredAt identity { displayName birthYear gender } languages { language proficiency }
    consents(first: 5) { edges { node { state purposes validFrom recipients { name } } } }
    enrolments { status position activity { title } } } } } }`,
			Rows:  []string{"newcomers", "edges"},
			Paged: true,
			Ceiling: func(ctx context.Context, db *pgxpool.Pool, ids IDs, page int) (int, error) {
				return ceilingCaseload(ctx, db, ids.Malmo, page)
			},
		},
		{
			Name:   "own activities",
			Caller: Caller{Organisation: "abf", Role: "publisher"},
			Query: `query OwnActivities($first: Int!) {
  organisation(slug: "abf") { activities(first: $first, orderBy: { field: UPDATED_AT, direction: DESC }) {
    totalCount nodes { id title status capacity enrolmentCounts { enrolled waitlisted } } } } }`,
			Rows:  []string{"organisation", "activities", "nodes"},
			Paged: true,
			Peer: &Peer{Query: `query OwnActivities($first: Int!) {
  organisationBySlug(slug: "abf") { activities(first: $first, orderBy: [UPDATED_AT_DESC, PRIMARY_KEY_DESC]) {
    totalCount nodes { rowId title status capacity
      enrolled: enrolments(condition: { status: "ENROLLED" }) { totalCount }
      waitlisted: enrolments(condition: { status: "WAITLISTED" }) { totalCount } } } } }`},
			Ceiling: func(ctx context.Context, db *pgxpool.Pool, ids IDs, page int) (int, error) {
				return ceilingOwnActivities(ctx, db, ids.ABF, page)
			},
		},
		{
			Name:   "analyst aggregate",
			Caller: Caller{Organisation: "malmo-universitet", Role: "analyst", Purpose: "STATISTICS"},
			Query: `query Participation {
  analytics(measure: ENROLMENTS, dimensions: [MONTH, PROGRAMME]) { threshold cells { values count suppressed } } }`,
			Rows: []string{"analytics", "cells"},
			Ceiling: func(ctx context.Context, db *pgxpool.Pool, _ IDs, _ int) (int, error) {
				return ceilingEnrolmentsByMonthProgramme(ctx, db)
			},
		},
		{
			Name:   "advice statistics",
			Caller: Caller{Organisation: "malmo-universitet", Role: "analyst", Purpose: "STATISTICS"},
			Query: `query Statistics($since: Time!, $until: Time!) {
  adviceVisitStatistics(since: $since, until: $until) { desk { name } month topic visits } }`,
			Variables: map[string]any{"since": statisticsSince, "until": statisticsUntil},
			Rows:      []string{"adviceVisitStatistics"},
			Ceiling: func(ctx context.Context, db *pgxpool.Pool, _ IDs, _ int) (int, error) {
				return ceilingAdviceStatistics(ctx, db, statisticsSince, statisticsUntil)
			},
		},
	}
}
