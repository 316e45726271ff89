package resolvers

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/99designs/gqlgen/graphql"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// Lookahead: a list resolver reads the operation's selection below it before it loads, so that
// it reads only the columns the selection needs and loads, with its own page, the references
// every row of the page will ask for, rather than letting each row ask and a batch window
// gather the questions.

// activityFieldParts says which parts of an activity each field of Activity needs. A field not
// named here reads every part, so a new field is correct before it is listed and fast after.
var activityFieldParts = map[string]store.ActivityParts{
	"__typename": 0,
	"id":         0,
	"status":     0,
	"organiser":  0,
	// The organiser's and co-organisers' staff read enrolments: the decision needs both.
	"enrolmentCounts":      store.ActivityCoOrganisers,
	"enrolments":           store.ActivityCoOrganisers,
	"overview":             store.ActivityAllParts,
	"cancelledOccurrences": 0,
	"feedback":             0,
	"nextOccurrences":      0,
	"title":                store.ActivityTitle,
	"titleEn":              store.ActivityTitle,
	"description":          store.ActivityDescription,
	"descriptionEn":        store.ActivityDescription,
	// The texts in every language are read from activity_text; the own Swedish fields stand in
	// for a row the trigger has not written yet.
	"text":                   store.ActivityTitle | store.ActivityDescription | store.ActivityCost | store.ActivityApplication,
	"translations":           store.ActivityTitle,
	"accessibility":          store.ActivityDescription,
	"category":               store.ActivityClassification,
	"languages":              store.ActivityClassification,
	"targetGroups":           store.ActivityClassification,
	"programme":              store.ActivityClassification,
	"location":               store.ActivityPlace,
	"municipality":           store.ActivityPlace,
	"schedule":               store.ActivityTimes,
	"schedules":              store.ActivityTimes | store.ActivityMoreSchedules,
	"applicationProcess":     store.ActivityApplication,
	"interpretationServices": store.ActivityApplication,
	"serviceAreas":           store.ActivityServiceAreas,
	"capacity":               store.ActivityPlaces,
	"minAge":                 store.ActivityPlaces,
	"maxAge":                 store.ActivityPlaces,
	"placesLeft":             store.ActivityPlaces | store.ActivityCoOrganisers,
	"availability":           store.ActivityPlaces,
	"cost":                   store.ActivityCost,
	"contact":                store.ActivityContact,
	"coOrganisers":           store.ActivityCoOrganisers,
	"publishedAt":            store.ActivityLifecycle,
	"cancelledAt":            store.ActivityLifecycle,
	"version":                store.ActivityLifecycle,
	"createdAt":              store.ActivityLifecycle,
	"updatedAt":              store.ActivityLifecycle,
}

// connectionNodes returns the fields selected on the nodes of the connection whose selection is
// sel, in either shape (edges { node { … } } and nodes { … }). Fragments are taken whatever their type condition: on an object
// type, validation admits only conditions the object satisfies.
func connectionNodes(op *graphql.OperationContext, sel []graphql.CollectedField) []graphql.CollectedField {
	var nodes []graphql.CollectedField
	for _, edges := range sel {
		if edges.Name == "nodes" {
			nodes = append(nodes, graphql.CollectFields(op, edges.Selections, nil)...)
		}
		if edges.Name != "edges" {
			continue
		}
		for _, node := range graphql.CollectFields(op, edges.Selections, nil) {
			if node.Name == "node" {
				nodes = append(nodes, graphql.CollectFields(op, node.Selections, nil)...)
			}
		}
	}
	return nodes
}

// activitySelection is what a list of activities reads of each row, and which of the rows'
// references it loads with the page.
type activitySelection struct {
	parts store.ActivityParts
	refs  loaders.ActivityReferences
}

// activitySelectionOf reads the selection of activity nodes in operation op.
func activitySelectionOf(op *graphql.OperationContext, nodes []graphql.CollectedField) activitySelection {
	var s activitySelection
	for _, f := range nodes {
		part, known := activityFieldParts[f.Name]
		if !known {
			part = store.ActivityAllParts
		}
		s.parts |= part
		switch f.Name {
		case "organiser":
			s.refs.Organisers = true
		case "municipality":
			s.refs.Municipalities = true
		case "programme":
			s.refs.Programmes = true
		case "coOrganisers":
			s.refs.CoOrganisers = true
		case "nextOccurrences":
			s.refs.NextOccurrences = true
		case "enrolmentCounts", "availability", "placesLeft":
			s.refs.EnrolmentCounts = true
		case "text", "translations":
			s.refs.Texts = true
		case "title", "description":
			s.refs.ReaderTexts = true
		case "location":
			for _, l := range graphql.CollectFields(op, f.Selections, nil) {
				s.refs.Municipalities = s.refs.Municipalities || l.Name == "municipality"
			}
		}
	}
	if s.parts == 0 {
		// Only always-read columns: ask for the smallest part rather than the zero value (all).
		s.parts = store.ActivityTitle
	}
	return s
}

// selectedActivityParts returns the parts of an activity that field, whose value is one activity,
// reads: what the field's resolver asks ActivityParts for. Fragments are taken whatever their
// type condition, as in connectionNodes: on a field of type Activity, validation admits only
// conditions an activity satisfies (Activity and its interfaces).
func selectedActivityParts(op *graphql.OperationContext, field graphql.CollectedField) store.ActivityParts {
	return activitySelectionOf(op, graphql.CollectFields(op, field.Selections, nil)).parts
}

// activityListSelection reads the selection of the activity connection field resolving in ctx.
func activityListSelection(ctx context.Context) activitySelection {
	op := graphql.GetOperationContext(ctx)
	return activitySelectionOf(op, connectionNodes(op, graphql.CollectFieldsCtx(ctx, nil)))
}

// loadNodesAhead loads what the selection of the field resolving in ctx (node or nodes) asks of
// the activities among nodes — their references, next occurrences, enrolment counts and texts —
// together, as a page of activities loads them for its rows, so that their organisers,
// municipalities and programmes come in one round trip rather than one each. Like the other
// loads ahead it only loads: an error is the fields' to report, each asking for itself.
func loadNodesAhead(ctx context.Context, nodes []relay.Node) {
	var activities []partnernet.Activity
	for _, n := range nodes {
		if a, ok := n.(*partnernet.Activity); ok {
			activities = append(activities, *a)
		}
	}
	if len(activities) == 0 {
		return
	}
	op := graphql.GetOperationContext(ctx)
	fields := graphql.CollectFields(op, graphql.GetFieldContext(ctx).Field.Selections, []string{typeActivity, "Node"})
	_ = loaders.For(ctx).LoadActivityReferences(ctx, activitySelectionOf(op, fields).refs, activities)
}

// activityList is the filter and order of a list of activities as the caller asks for it,
// reading what sel selects.
func (r *Resolver) activityList(ctx context.Context, filter *model.ActivityFilter, orderBy *model.ActivityOrder,
	sel activitySelection,
) (loaders.ActivityListFilter, store.Order, error) {
	f, err := r.visibleActivities(ctx, filter)
	if err != nil {
		return loaders.ActivityListFilter{}, store.Order{}, err
	}
	o, err := discoveryOrder(orderBy, f)
	if err != nil {
		return loaders.ActivityListFilter{}, store.Order{}, err
	}
	f.Parts = sel.parts
	return loaders.ActivityListFilter{ActivityFilter: f, References: sel.refs}, o, nil
}

// activityListArgs are the arguments of a field listing activities.
type activityListArgs struct {
	First   *int                  `json:"first"`
	After   *string               `json:"after"`
	Last    *int                  `json:"last"`
	Before  *string               `json:"before"`
	Filter  *model.ActivityFilter `json:"filter"`
	OrderBy *model.ActivityOrder  `json:"orderBy"`
}

// pageNodes returns the fields selected on the nodes of the connection resolving in ctx.
func pageNodes(ctx context.Context) []graphql.CollectedField {
	return connectionNodes(graphql.GetOperationContext(ctx), graphql.CollectFieldsCtx(ctx, nil))
}

// loadChildActivities loads, with parents whose ids are parentIDs and whose selected fields
// are parentFields (the nodes of a page, or the one object of a field), the activities each
// selects through field activities, under every alias: one statement for all parents' pages
// and one for their counts, now, rather than one question per parent gathered by a batch
// window. It is an optimisation only: when it cannot read the child's arguments, or the child
// list would fail, it loads nothing and each parent's field asks, and answers, for itself.
func (r *Resolver) loadChildActivities(ctx context.Context, parentFields []graphql.CollectedField, parentIDs []int64,
	l *loaders.PageLoader[loaders.ActivityListFilter, partnernet.Activity],
) {
	op := graphql.GetOperationContext(ctx)
	for _, field := range parentFields {
		if field.Name != "activities" {
			continue
		}
		encoded, err := json.Marshal(field.ArgumentMap(op.Variables))
		if err != nil {
			continue
		}
		var args activityListArgs
		if json.Unmarshal(encoded, &args) != nil {
			continue
		}
		list := graphql.CollectFields(op, field.Selections, nil)
		f, o, err := r.activityList(ctx, args.Filter, args.OrderBy, activitySelectionOf(op, connectionNodes(op, list)))
		if err != nil {
			continue
		}
		page, err := pageArgs(args.First, args.After, args.Last, args.Before, o)
		if err != nil {
			continue
		}
		counted := false
		for _, c := range list {
			counted = counted || c.Name == "totalCount"
		}
		// An error here is the children's to report: each asks again for itself.
		_ = l.LoadWithParentsFor(ctx, field.Field, parentIDs, f, o, page, counted)
	}
}

// rowIDs returns the ids of rows.
func rowIDs[T any](rows []T, id func(*T) int64) []int64 {
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = id(&rows[i])
	}
	return ids
}

// consentListArgs are the arguments of a newcomer's consents.
type consentListArgs struct {
	First   *int                       `json:"first"`
	After   *string                    `json:"after"`
	Last    *int                       `json:"last"`
	Before  *string                    `json:"before"`
	Filter  *model.ConsentRecordFilter `json:"filter"`
	OrderBy *model.ConsentRecordOrder  `json:"orderBy"`
}

// loadNewcomerPage loads, with a page of newcomers, what the nodes of the connection resolving
// in ctx select of each: languages, enrolments with their activities, and consents with their
// recipients (for every alias of consents). Like loadChildActivities it only loads ahead:
// each field still decides, through the loaders' released methods and authz, what goes out.
func (r *Resolver) loadNewcomerPage(ctx context.Context, page []partnernet.Newcomer) error {
	op := graphql.GetOperationContext(ctx)
	l := loaders.For(ctx)
	var reads loaders.NewcomerPageReads
	ids := rowIDs(page, func(n *partnernet.Newcomer) int64 { return n.ID })
	for _, field := range pageNodes(ctx) {
		switch field.Name {
		case "languages":
			reads.Languages = true
		case "enrolments":
			reads.Enrolments = true
			for _, e := range graphql.CollectFields(op, field.Selections, nil) {
				if e.Name != "activity" {
					continue
				}
				reads.EnrolmentActivities = true
				parts := selectedActivityParts(op, e)
				if !slices.Contains(reads.EnrolmentActivityParts, parts) {
					reads.EnrolmentActivityParts = append(reads.EnrolmentActivityParts, parts)
				}
			}
		case "consents":
			r.loadConsentPages(ctx, op, field, ids)
		}
	}
	return l.LoadNewcomerPage(ctx, page, reads)
}

// loadConsentPages loads the consents field selects of every newcomer of ids, and their
// recipients when selected; when it cannot, each newcomer's field asks for itself.
func (r *Resolver) loadConsentPages(ctx context.Context, op *graphql.OperationContext, field graphql.CollectedField, ids []int64) {
	encoded, err := json.Marshal(field.ArgumentMap(op.Variables))
	if err != nil {
		return
	}
	var args consentListArgs
	if json.Unmarshal(encoded, &args) != nil {
		return
	}
	f, err := consentRecordFilter(args.Filter)
	if err != nil {
		return
	}
	o := consentRecordOrder(args.OrderBy)
	p, err := pageArgs(args.First, args.After, args.Last, args.Before, o)
	if err != nil {
		return
	}
	list := graphql.CollectFields(op, field.Selections, nil)
	counted, recipients := false, false
	for _, c := range list {
		counted = counted || c.Name == "totalCount"
	}
	for _, n := range connectionNodes(op, list) {
		recipients = recipients || n.Name == "recipients"
	}
	l := loaders.For(ctx)
	pages, err := l.ConsentsByNewcomer.LoadWithParents(ctx, ids, f, o, p, counted)
	if err != nil || !recipients {
		return
	}
	var organisations []int64
	for _, s := range pages {
		for i := range s.Rows {
			organisations = append(organisations, s.Rows[i].RecipientIDs...)
		}
	}
	// An error here is the recipients' to report: each asks again for itself.
	_ = l.LoadOrganisations(ctx, organisations)
}
