package hsds_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/hsds"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// apiKey creates an API key of organisation slug in role through GraphQL, as its admin, and
// returns the Authorization that presents it.
func apiKey(t *testing.T, env *apitest.Env, slug string, role string) string {
	t.Helper()
	admin := authz.Principal{Subject: "admin@" + slug, OrganisationID: orgID(t, env, slug), Roles: []authz.Role{authz.RoleOrgAdmin}}
	resp := env.Do(t, admin, `mutation($org: ID!, $role: Role!) {
  createApiKey(input: { organisationId: $org, role: $role, name: "booking system" }) { secret } }`,
		map[string]any{"org": relay.ToGlobalID("Organisation", orgID(t, env, slug)), "role": role})
	require.Empty(t, resp.Errors)
	var got struct {
		CreateAPIKey struct {
			Secret string `json:"secret"`
		} `json:"createApiKey"`
	}
	resp.Decode(t, &got)
	return "Bearer " + got.CreateAPIKey.Secret
}

// pushedService is an HSDS service as an association's booking system would push it: a weekly
// language café in Malmö, every Tuesday at 18:00 for six weeks, in Swedish.
func pushedService(source string) map[string]any {
	return map[string]any{
		"id": source, "name": "Språkcafé på Möllan", "description": "Vi fikar och pratar svenska.", "status": "active",
		"application_process": "Kom förbi, ingen anmälan.", "interpretation_services": "Tolk på dari vid behov.",
		"minimum_age": 16, "email": "cafe@abf.example",
		"languages":     []any{map[string]any{"id": uuid.NewString(), "code": "ar"}, map[string]any{"id": uuid.NewString(), "code": "sv"}},
		"service_areas": []any{map[string]any{"id": uuid.NewString(), "name": "Malmö"}, map[string]any{"id": uuid.NewString(), "name": "1281"}},
		"attributes": []any{
			map[string]any{"id": uuid.NewString(), "taxonomy_term_id": hsds.Categories.TermID("LANGUAGE_PRACTICE")},
			map[string]any{"id": uuid.NewString(), "taxonomy_term_id": hsds.TargetGroups.TermID("WOMEN")},
		},
		"cost_options": []any{map[string]any{"id": uuid.NewString(), "currency": "SEK", "amount": 20, "amount_description": "Fika ingår."}},
		"service_at_locations": []any{map[string]any{"id": uuid.NewString(), "location": map[string]any{
			"id": uuid.NewString(), "location_type": "physical", "latitude": 55.59, "longitude": 13.01,
			"addresses": []any{map[string]any{"id": uuid.NewString(), "address_1": "Möllevångstorget 1", "city": "Malmö",
				"state_province": "Skåne län", "postal_code": "214 24", "country": "SE", "address_type": "physical"}},
		}}},
		"schedules": []any{map[string]any{"id": uuid.NewString(), "freq": "WEEKLY", "byday": "TU", "count": 6,
			"dtstart": "2027-01-05", "opens_at": "18:00", "closes_at": "19:30"}},
	}
}

// TestPushPublishesAndIsIdempotent pushes a service with a publisher's API key: it is created
// and published with every field read, shown by the HSDS and GraphQL APIs; the same push again
// changes nothing, a changed one updates the same activity (never a second one), English texts
// are added by a push in English, and defunct cancels it.
func TestPushPublishesAndIsIdempotent(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	key := apiKey(t, env, "abf", "PUBLISHER")
	source := uuid.NewString()
	svc := pushedService(source)

	status, resp, body := push(t, env, key, []any{svc}, "")
	require.Equal(t, http.StatusOK, status, "%s", body)
	require.Equal(t, 1, resp.Created, "%s", body)
	row := resp.Results[0]
	require.Equal(t, hsds.ResultCreated, row.Result)
	require.Equal(t, source, row.ID)
	require.Equal(t, "active", row.Status)

	var got hsds.Service
	getJSON(t, env, "/hsds/services/"+row.ServiceID, schemaAt(t, specBase+"compiled/service.json"), &got)
	require.Equal(t, "Språkcafé på Möllan", got.Name)
	require.Equal(t, hsds.ID("organization", orgID(t, env, "abf")), got.OrganizationID)
	require.Equal(t, "Kom förbi, ingen anmälan.", got.ApplicationProcess)
	require.Equal(t, "Tolk på dari vid behov.", got.InterpretationServices)
	require.Equal(t, 16, *got.MinimumAge)
	require.Len(t, got.ServiceAreas, 2)
	require.Equal(t, 20, *got.CostOptions[0].Amount)
	require.Equal(t, "Möllevångstorget 1", got.ServiceAtLocations[0].Location.Addresses[0].Address1)
	require.Equal(t, "Malmö", got.ServiceAtLocations[0].Location.Addresses[0].City)
	var occ []time.Time
	for _, s := range got.Schedules {
		occ = append(occ, expand(t, s, time.Now().AddDate(3, 0, 0))...)
	}
	require.Len(t, occ, 6)
	require.Equal(t, time.Date(2027, 1, 5, 18, 0, 0, 0, partnernet.Stockholm).UTC(), occ[0].UTC(), "18:00 in Stockholm")

	var gq struct {
		Node struct {
			Status       string   `json:"status"`
			Languages    []string `json:"languages"`
			TargetGroups []string `json:"targetGroups"`
			Category     string   `json:"category"`
		} `json:"node"`
	}
	activityID := activityOf(t, env, row.ServiceID)
	r := env.Do(t, authz.Principal{}, `query($id: ID!) { node(id: $id) { ... on Activity { status languages targetGroups category } } }`,
		map[string]any{"id": relay.ToGlobalID("Activity", activityID)})
	require.Empty(t, r.Errors)
	r.Decode(t, &gq)
	require.Equal(t, "PUBLISHED", gq.Node.Status, "published for anyone to find")
	require.Equal(t, []string{"ar", "sv"}, gq.Node.Languages)
	require.Equal(t, []string{"WOMEN"}, gq.Node.TargetGroups)
	require.Equal(t, "LANGUAGE_PRACTICE", gq.Node.Category)

	// The same push again: nothing changes, not even the version.
	before, err := env.Store.ActivityGetMany(ctx, []int64{activityID})
	require.NoError(t, err)
	_, resp, _ = push(t, env, key, svc, "")
	require.Equal(t, hsds.ResultUnchanged, resp.Results[0].Result)
	require.Equal(t, row.ServiceID, resp.Results[0].ServiceID)
	after, err := env.Store.ActivityGetMany(ctx, []int64{activityID})
	require.NoError(t, err)
	require.Equal(t, before[0].Version, after[0].Version)

	// A changed push updates the same activity; the English texts come in English.
	svc["name"] = "Språkcafé på Möllevången"
	_, resp, _ = push(t, env, key, svc, "")
	require.Equal(t, hsds.ResultUpdated, resp.Results[0].Result)
	require.Equal(t, row.ServiceID, resp.Results[0].ServiceID, "the same service, not a second one")
	svc["name"], svc["description"] = "Language café at Möllevången", "We have coffee and speak Swedish."
	_, resp, _ = push(t, env, key, svc, "?lang=en")
	require.Equal(t, hsds.ResultUpdated, resp.Results[0].Result)
	var sv, en hsds.Service
	getJSON(t, env, "/hsds/services/"+row.ServiceID, nil, &sv)
	getJSON(t, env, "/hsds/services/"+row.ServiceID+"?lang=en", nil, &en)
	require.Equal(t, "Språkcafé på Möllevången", sv.Name, "the Swedish text is kept")
	require.Equal(t, "Language café at Möllevången", en.Name)
	var list hsds.Page[hsds.Service]
	getJSON(t, env, "/hsds/services?search=M%C3%B6llev%C3%A5ngen", nil, &list)
	require.Equal(t, 1, list.TotalItems, "one activity for the source's id")

	// defunct cancels it; it stays visible as defunct, and a later change is refused.
	svc["status"] = "defunct"
	_, resp, _ = push(t, env, key, svc, "")
	require.Equal(t, hsds.ResultUpdated, resp.Results[0].Result)
	require.Equal(t, "defunct", resp.Results[0].Status)
	getJSON(t, env, "/hsds/services/"+row.ServiceID, nil, &sv)
	require.Equal(t, "defunct", sv.Status)
	svc["status"], svc["name"] = "active", "Nytt namn"
	_, resp, _ = push(t, env, key, svc, "")
	require.Equal(t, hsds.ResultRefused, resp.Results[0].Result)
	require.Equal(t, "CONFLICT", resp.Results[0].Errors[0].Code)
}

// activityOf finds the activity of a service id.
func activityOf(t *testing.T, env *apitest.Env, serviceID string) int64 {
	t.Helper()
	public, _ := publicActivities(t, env)
	for _, a := range public {
		if hsds.ID("service", a.ID) == serviceID {
			return a.ID
		}
	}
	t.Fatalf("no public activity has service id %s", serviceID)
	return 0
}

// TestPushRefusesRowByRow pushes rows of which some break the schema or the activity's rules:
// each is refused with its field and reason, and the others are written.
func TestPushRefusesRowByRow(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	key := apiKey(t, env, "abf", "PUBLISHER")
	with := func(change func(map[string]any)) map[string]any {
		s := pushedService(uuid.NewString())
		change(s)
		return s
	}
	rows := []struct {
		name  string
		svc   map[string]any
		field string
		code  string
	}{
		{"a good one", with(func(map[string]any) {}), "", ""},
		{"no name (schema)", with(func(s map[string]any) { delete(s, "name") }), "1", "BAD_USER_INPUT"},
		{"an id that is no UUID (schema)", with(func(s map[string]any) { s["id"] = "42" }), "2.id", "BAD_USER_INPUT"},
		{"a freq HSDS lacks (schema)", with(func(s map[string]any) {
			s["schedules"].([]any)[0].(map[string]any)["freq"] = "DAILY"
		}), "3.schedules.0.freq", "BAD_USER_INPUT"},
		{"no category", with(func(s map[string]any) { s["attributes"] = []any{} }), "4.attributes", "BAD_USER_INPUT"},
		{"a town outside Skåne", with(func(s map[string]any) {
			loc := s["service_at_locations"].([]any)[0].(map[string]any)["location"].(map[string]any)
			loc["addresses"].([]any)[0].(map[string]any)["city"] = "Uppsala"
		}), "5.service_at_locations.0.location.addresses.0.city", "BAD_USER_INPUT"},
		{"ages the wrong way round", with(func(s map[string]any) { s["minimum_age"], s["maximum_age"] = 30, 20 }), "6.maximum_age", "BAD_USER_INPUT"},
		{"a fractional age", with(func(s map[string]any) { s["minimum_age"] = 16.5 }), "7.minimum_age", "BAD_USER_INPUT"},
		{"another organisation's", with(func(s map[string]any) { s["organization_id"] = hsds.ID("organization", orgID(t, env, "im")) }),
			"8.organization_id", "BAD_USER_INPUT"},
		{"temporarily closed", with(func(s map[string]any) { s["status"] = "temporarily closed" }), "9.status", "BAD_USER_INPUT"},
		{"two rules starting at the same time", with(func(s map[string]any) {
			twice := maps.Clone(s["schedules"].([]any)[0].(map[string]any))
			twice["id"], twice["closes_at"] = uuid.NewString(), "20:30"
			s["schedules"] = append(s["schedules"].([]any), twice)
		}), "10.schedules.1", "BAD_USER_INPUT"},
		{"no closing time", with(func(s map[string]any) {
			delete(s["schedules"].([]any)[0].(map[string]any), "closes_at")
		}), "11.schedules.0.closes_at", "BAD_USER_INPUT"},
		{"an active one without a schedule", with(func(s map[string]any) { delete(s, "schedules") }), "12.schedules", "BAD_USER_INPUT"},
		{"an unknown term", with(func(s map[string]any) {
			s["attributes"] = []any{map[string]any{"id": uuid.NewString(), "taxonomy_term_id": uuid.NewString()}}
		}), "13.attributes.0.taxonomy_term_id", "BAD_USER_INPUT"},
		{"a long application process", with(func(s map[string]any) { s["application_process"] = string(make([]byte, 2001)) }),
			"14.application_process", "BAD_USER_INPUT"},
		{"defunct before it exists", with(func(s map[string]any) { s["status"] = "defunct" }), "15.status", "BAD_USER_INPUT"},
		{"an inactive one stays a draft", with(func(s map[string]any) { s["status"] = "inactive" }), "", ""},
	}
	body := make([]any, len(rows))
	for i, r := range rows {
		body[i] = r.svc
	}
	status, resp, raw := push(t, env, key, body, "")
	require.Equal(t, http.StatusOK, status, "%s", raw)
	require.Equal(t, 2, resp.Created, "%s", raw)
	require.Equal(t, len(rows)-2, resp.Refused)
	for i, r := range rows {
		res := resp.Results[i]
		require.Equal(t, i, res.Index)
		if r.code == "" {
			require.Equal(t, hsds.ResultCreated, res.Result, "%s: %+v", r.name, res.Errors)
			continue
		}
		require.Equal(t, hsds.ResultRefused, res.Result, r.name)
		require.NotEmpty(t, res.Errors, r.name)
		require.Equal(t, r.code, res.Errors[0].Code, r.name)
		require.Equal(t, r.field, res.Errors[0].Field, "%s: %+v", r.name, res.Errors)
		require.NotEmpty(t, res.Errors[0].Message)
		require.NotContains(t, res.Errors[0].Message, "validation failed", "%s: a reason, not that it failed", r.name)
	}
	inactive := resp.Results[len(rows)-1]
	require.Equal(t, "inactive", inactive.Status)
	require.Equal(t, http.StatusNotFound, get(t, env, "/hsds/services/"+inactive.ServiceID).status, "a draft is not shown")
}

// TestPushIsDecidedByAuthz checks who may push: nobody anonymous, not a coordinator's key, a
// publisher's and an organisation admin's; and bodies that are not services.
func TestPushIsDecidedByAuthz(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	svc := pushedService(uuid.NewString())
	status, _, body := push(t, env, "", svc, "")
	require.Equal(t, http.StatusUnauthorized, status)
	require.Contains(t, string(body), "UNAUTHENTICATED")
	status, _, body = push(t, env, apiKey(t, env, "malmo", "COORDINATOR"), svc, "")
	require.Equal(t, http.StatusForbidden, status)
	require.Contains(t, string(body), "FORBIDDEN")
	status, _, body = push(t, env, "Bearer pnk_abcdefghijkl_nonsense", svc, "")
	require.Equal(t, http.StatusUnauthorized, status, "%s", body)
	admin := bearer(t, env, authz.Principal{Subject: "admin@abf", OrganisationID: orgID(t, env, "abf"), Roles: []authz.Role{authz.RoleOrgAdmin}})
	status, resp, _ := push(t, env, admin, svc, "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, 1, resp.Created)

	for _, bad := range []any{"a string", []any{}, make([]any, hsds.MaxPushRows+1)} {
		status, _, body := push(t, env, admin, bad, "")
		require.Equal(t, http.StatusBadRequest, status, "%s", body)
		require.Contains(t, string(body), `"field":"body"`)
	}
}

// TestOwnServicesRoundTrip pushes back what the API serves of activities (every shape of
// schedule, one or several, summer and winter time, exceptions) as another system's copy: each
// makes an activity with the same occurrences, as long, and the same fields.
func TestOwnServicesRoundTrip(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	abf := orgID(t, env, "abf")
	key := apiKey(t, env, "abf", "PUBLISHER")
	now := time.Now()
	cases := severalScheduleCases()
	for name, sched := range scheduleCases() {
		cases[name] = []partnernet.Schedule{sched}
	}
	cut := now.Add(partnernet.ScheduleHorizon - 72*time.Hour)
	// occurrences are the starts and ends of an activity's occurrences up to cut, in UTC.
	occurrences := func(a partnernet.Activity) [][2]time.Time {
		all, err := a.Occurrences("activity", now)
		require.NoError(t, err)
		var out [][2]time.Time
		for _, o := range all {
			if !o.StartsAt.After(cut) {
				out = append(out, [2]time.Time{o.StartsAt.UTC(), o.EndsAt.UTC()})
			}
		}
		return out
	}
	for name, sched := range cases {
		a := testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{OrganiserID: abf, Title: name, Schedule: sched[0],
			MoreSchedules: sched[1:], Status: partnernet.ActivityPublished, Languages: []string{"so", "sv"}})
		raw := getJSON(t, env, "/hsds/services/"+hsds.ID("service", a.ID), nil, nil)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(raw, &doc))
		doc["id"] = uuid.NewString() // the other system's id
		_, resp, body := push(t, env, key, doc, "")
		require.Equal(t, hsds.ResultCreated, resp.Results[0].Result, "%s: %s", name, body)
		copyID := activityOf(t, env, resp.Results[0].ServiceID)
		got, err := env.Store.ActivityGetMany(ctx, []int64{copyID})
		require.NoError(t, err)
		c := got[0]
		require.Equal(t, occurrences(a), occurrences(c), name)
		require.Equal(t, a.Schedule.DurationMinutes, c.Schedule.DurationMinutes, name)
		require.Equal(t, a.Title, c.Title, name)
		require.Equal(t, a.Languages, c.Languages, name)
		require.Equal(t, a.Category, c.Category, name)
		require.Equal(t, a.MunicipalityID, c.MunicipalityID, name)
	}
}
