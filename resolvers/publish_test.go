package resolvers_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
)

const createActivity = `mutation($in: ActivityInput!) { createActivity(input: $in) {
  id title titleEn status version category languages targetGroups capacity minAge maxAge placesLeft
  applicationProcess interpretationServices serviceAreas { code }
  cost { free amountSek } contact { email }
  location { online address municipality { code } latitude longitude }
  schedule { startsAt durationMinutes rrule exceptions timeZone }
  nextOccurrences(first: 20) { startsAt endsAt }
  organiser { slug } coOrganisers { slug }
} }`

type activityNode struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	TitleEn      string   `json:"titleEn"`
	Status       string   `json:"status"`
	Version      int      `json:"version"`
	Category     string   `json:"category"`
	Languages    []string `json:"languages"`
	TargetGroups []string `json:"targetGroups"`
	Capacity     *int     `json:"capacity"`
	MinAge       *int     `json:"minAge"`
	MaxAge       *int     `json:"maxAge"`
	PlacesLeft   *int     `json:"placesLeft"`
	// The HSDS fields of issue 17.
	ApplicationProcess     string `json:"applicationProcess"`
	InterpretationServices string `json:"interpretationServices"`
	ServiceAreas           []struct {
		Code string `json:"code"`
	} `json:"serviceAreas"`
	Cost struct {
		Free      bool `json:"free"`
		AmountSek int  `json:"amountSek"`
	} `json:"cost"`
	Location struct {
		Online       bool    `json:"online"`
		Address      *string `json:"address"`
		Municipality *struct {
			Code string `json:"code"`
		} `json:"municipality"`
	} `json:"location"`
	Schedule *struct {
		StartsAt   time.Time   `json:"startsAt"`
		Rrule      *string     `json:"rrule"`
		Exceptions []time.Time `json:"exceptions"`
		TimeZone   string      `json:"timeZone"`
	} `json:"schedule"`
	NextOccurrences []struct {
		StartsAt time.Time `json:"startsAt"`
		EndsAt   time.Time `json:"endsAt"`
	} `json:"nextOccurrences"`
	Organiser struct {
		Slug string `json:"slug"`
	} `json:"organiser"`
	CoOrganisers []struct {
		Slug string `json:"slug"`
	} `json:"coOrganisers"`
}

// weeklyStart is the first start of the test activities: next Tuesday at 18:00 in Stockholm.
func weeklyStart() time.Time {
	t := time.Now().In(partnernet.Stockholm).AddDate(0, 0, 1)
	for t.Weekday() != time.Tuesday {
		t = t.AddDate(0, 0, 1)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 18, 0, 0, 0, partnernet.Stockholm)
}

// activityInput is a valid ActivityInput: a weekly language café in Malmö.
func activityInput(title string) map[string]any {
	start := weeklyStart()
	return map[string]any{
		"title": title, "titleEn": title + " (en)", "description": "Vi fikar och pratar svenska.",
		"descriptionEn": "We have coffee and speak Swedish.", "category": "LANGUAGE_PRACTICE",
		"languages": []string{"ar", "sv"}, "targetGroups": []string{"WOMEN", "EVERYONE"},
		"location": map[string]any{"address": "Storgatan 1, Malmö", "municipalityCode": "1280", "latitude": 55.605, "longitude": 13.004},
		"schedule": map[string]any{
			"startsAt": start.Format(time.RFC3339), "durationMinutes": 90, "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=6",
			"exceptions": []string{start.AddDate(0, 0, 14).Format(time.RFC3339)},
		},
		"capacity": 20, "minAge": 16, "contactEmail": "info@abf.example",
		"applicationProcess": "Kom förbi, ingen anmälan.", "interpretationServices": "Tolk på dari vid behov.",
		"serviceAreaCodes": []string{"1281", "1280", "1280"},
	}
}

// create creates an activity as p and returns it.
func create(t *testing.T, env *apitest.Env, p authz.Principal, in map[string]any) activityNode {
	t.Helper()
	resp := env.Do(t, p, createActivity, map[string]any{"in": in})
	require.Empty(t, resp.Errors)
	var got struct {
		CreateActivity activityNode `json:"createActivity"`
	}
	resp.Decode(t, &got)
	return got.CreateActivity
}

// seq is the comma-separated integers from through to.
func seq(from, to int) string {
	s := make([]string, 0, to-from+1)
	for i := from; i <= to; i++ {
		s = append(s, strconv.Itoa(i))
	}
	return strings.Join(s, ",")
}

func TestCreateActivityValidatesEachField(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	publisher := staff(t, env, "abf", authz.RolePublisher)
	with := func(edit func(in map[string]any)) map[string]any {
		in := activityInput("Språkcafé")
		edit(in)
		return in
	}
	schedule := func(in map[string]any) map[string]any { return in["schedule"].(map[string]any) }
	location := func(in map[string]any) map[string]any { return in["location"].(map[string]any) }
	tests := []struct {
		name  string
		in    map[string]any
		field string
	}{
		{"blank title", with(func(in map[string]any) { in["title"] = "  " }), "input.title"},
		{"long English title", with(func(in map[string]any) { in["titleEn"] = string(make([]byte, 201)) }), "input.titleEn"},
		{"bad language", with(func(in map[string]any) { in["languages"] = []string{"sv", "Arabic"} }), "input.languages.1"},
		{"no target group", with(func(in map[string]any) { in["targetGroups"] = []string{} }), "input.targetGroups"},
		{"unknown municipality", with(func(in map[string]any) { location(in)["municipalityCode"] = "9999" }), "input.location.municipalityCode"},
		{"half coordinates", with(func(in map[string]any) { delete(location(in), "longitude") }), "input.location.latitude"},
		{"online without link", with(func(in map[string]any) { location(in)["online"] = true }), "input.location.onlineUrl"},
		{"hourly rule", with(func(in map[string]any) { schedule(in)["rrule"] = "FREQ=HOURLY" }), "input.schedule.rrule"},
		{"garbled rule", with(func(in map[string]any) { schedule(in)["rrule"] = "FREQ=WEEKLY;BYDAY=XX" }), "input.schedule.rrule"},
		{"a rule every second", with(func(in map[string]any) {
			schedule(in)["rrule"] = "FREQ=DAILY;BYHOUR=" + seq(0, 23) + ";BYMINUTE=" + seq(0, 59) + ";BYSECOND=" + seq(0, 59)
		}), "input.schedule.rrule"},
		{"a zero interval", with(func(in map[string]any) { schedule(in)["rrule"] = "FREQ=DAILY;INTERVAL=0" }), "input.schedule.rrule"},
		{"a rule that never matches", with(func(in map[string]any) { schedule(in)["rrule"] = "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30" }), "input.schedule.rrule"},
		{"exception off the rule", with(func(in map[string]any) {
			schedule(in)["exceptions"] = []string{weeklyStart().Add(time.Hour).Format(time.RFC3339)}
		}), "input.schedule.exceptions.0"},
		{"zero duration", with(func(in map[string]any) { schedule(in)["durationMinutes"] = 0 }), "input.schedule.durationMinutes"},
		{"no places", with(func(in map[string]any) { in["capacity"] = 0 }), "input.capacity"},
		{"an age past 120", with(func(in map[string]any) { in["maxAge"] = 121 }), "input.maxAge"},
		{"a negative age", with(func(in map[string]any) { in["minAge"] = -1 }), "input.minAge"},
		{"ages the wrong way round", with(func(in map[string]any) { in["minAge"], in["maxAge"] = 30, 20 }), "input.maxAge"},
		{"negative cost", with(func(in map[string]any) { in["costSek"] = -5 }), "input.costSek"},
		{"an unknown service area", with(func(in map[string]any) { in["serviceAreaCodes"] = []string{"1280", "9999"} }), "input.serviceAreaCodes.1"},
		{"too many service areas", with(func(in map[string]any) {
			in["serviceAreaCodes"] = slices.Repeat([]string{"1280"}, partnernet.MaxServiceAreas+1)
		}), "input.serviceAreaCodes"},
		{"a long application process", with(func(in map[string]any) {
			in["applicationProcess"] = strings.Repeat("x", partnernet.MaxApplicationProcessLen+1)
		}), "input.applicationProcess"},
		{"a long interpretation note", with(func(in map[string]any) {
			in["interpretationServices"] = strings.Repeat("x", partnernet.MaxInterpretationLen+1)
		}), "input.interpretationServices"},
		{"bad e-mail", with(func(in map[string]any) { in["contactEmail"] = "Anna <anna@x.example>" }), "input.contactEmail"},
		{"bad phone", with(func(in map[string]any) { in["contactPhone"] = "call me" }), "input.contactPhone"},
		{"further schedules without a first", with(func(in map[string]any) {
			in["moreSchedules"] = []any{schedule(in)}
			delete(in, "schedule")
		}), "input.moreSchedules"},
		{"too many schedules", with(func(in map[string]any) {
			more := make([]any, partnernet.MaxSchedules)
			for i := range more {
				more[i] = map[string]any{"startsAt": weeklyStart().Add(time.Duration(i+1) * time.Hour).Format(time.RFC3339), "durationMinutes": 30}
			}
			in["moreSchedules"] = more
		}), "input.moreSchedules"},
		{"a further schedule's garbled rule", with(func(in map[string]any) {
			in["moreSchedules"] = []any{map[string]any{"startsAt": weeklyStart().AddDate(0, 0, 4).Format(time.RFC3339),
				"durationMinutes": 60, "rrule": "FREQ=WEEKLY;BYDAY=XX"}}
		}), "input.moreSchedules.0.rrule"},
		{"a further schedule's exception off its rule", with(func(in map[string]any) {
			start := weeklyStart().AddDate(0, 0, 4)
			in["moreSchedules"] = []any{map[string]any{"startsAt": start.Format(time.RFC3339), "durationMinutes": 60,
				"rrule": "FREQ=WEEKLY;COUNT=3", "exceptions": []string{start.Add(time.Hour).Format(time.RFC3339)}}}
		}), "input.moreSchedules.0.exceptions.0"},
		{"a further schedule's zero duration", with(func(in map[string]any) {
			in["moreSchedules"] = []any{map[string]any{"startsAt": weeklyStart().AddDate(0, 0, 4).Format(time.RFC3339), "durationMinutes": 0}}
		}), "input.moreSchedules.0.durationMinutes"},
		{"two schedules starting at the same time", with(func(in map[string]any) {
			in["moreSchedules"] = []any{
				map[string]any{"startsAt": weeklyStart().AddDate(0, 0, 4).Format(time.RFC3339), "durationMinutes": 60},
				map[string]any{"startsAt": weeklyStart().AddDate(0, 0, 7).Format(time.RFC3339), "durationMinutes": 30},
			}
		}), "input.moreSchedules.1"},
		{"co-organiser not an organisation", with(func(in map[string]any) {
			in["coOrganiserIds"] = []string{relay.ToGlobalID("Activity", 1)}
		}), "input.coOrganiserIds.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := env.Do(t, publisher, createActivity, map[string]any{"in": tt.in})
			require.Len(t, resp.Errors, 1, "%s", resp.Data)
			require.Equal(t, "BAD_USER_INPUT", resp.Errors[0].Code())
			require.Equal(t, tt.field, resp.Errors[0].Extensions["field"])
		})
	}
	var n int
	require.NoError(t, env.Pool.QueryRow(context.Background(),
		"SELECT count(*) FROM activity WHERE title = 'Språkcafé'").Scan(&n))
	require.Zero(t, n, "nothing was written")
}

func TestPublishingLifecycleAndAuthorisation(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	publisher := staff(t, env, "abf", authz.RolePublisher)
	coPublisher := staff(t, env, "im", authz.RolePublisher)
	outsider := staff(t, env, "lund", authz.RolePublisher)
	coordinator := staff(t, env, "abf", authz.RoleCoordinator)

	// Only the organiser's publishers and admins create.
	in := activityInput("Språkcafé i Möllan")
	in["coOrganiserIds"] = []string{relay.ToGlobalID("Organisation", orgID(t, env, "im"))}
	for _, p := range []authz.Principal{anonymous, coordinator} {
		resp := env.Do(t, p, createActivity, map[string]any{"in": in})
		require.NotEmpty(t, resp.Errors)
		require.Contains(t, []string{"UNAUTHENTICATED", "FORBIDDEN"}, resp.Errors[0].Code())
	}
	in["organiserId"] = relay.ToGlobalID("Organisation", orgID(t, env, "abf"))
	resp := env.Do(t, outsider, createActivity, map[string]any{"in": in})
	require.Equal(t, []string{"FORBIDDEN"}, resp.Codes(), "no activities for another organisation")

	a := create(t, env, publisher, in)
	require.Equal(t, "DRAFT", a.Status)
	require.Equal(t, "abf", a.Organiser.Slug)
	require.Equal(t, "im", a.CoOrganisers[0].Slug)
	require.Equal(t, []string{"ar", "sv"}, a.Languages)
	require.True(t, a.Cost.Free, "free by default")
	require.Equal(t, 20, *a.PlacesLeft)
	require.Equal(t, 16, *a.MinAge, "the youngest who may take part")
	require.Nil(t, a.MaxAge, "no upper bound")
	require.Equal(t, "Kom förbi, ingen anmälan.", a.ApplicationProcess)
	require.Equal(t, "Tolk på dari vid behov.", a.InterpretationServices)
	require.Len(t, a.ServiceAreas, 2, "each municipality once")
	require.ElementsMatch(t, []string{"1280", "1281"}, []string{a.ServiceAreas[0].Code, a.ServiceAreas[1].Code})
	require.Equal(t, "Europe/Stockholm", a.Schedule.TimeZone)
	require.Equal(t, "FREQ=WEEKLY;COUNT=6;BYDAY=TU", *a.Schedule.Rrule)
	require.Len(t, a.NextOccurrences, 5, "six weekly occurrences less one exception")
	for _, o := range a.NextOccurrences {
		require.Equal(t, 18, o.StartsAt.In(partnernet.Stockholm).Hour(), "18:00 in Stockholm, summer or winter")
		require.Equal(t, 90*time.Minute, o.EndsAt.Sub(o.StartsAt))
	}

	// A draft is not discoverable.
	discover := func() activityEdges {
		resp := env.Do(t, anonymous, activitiesQuery, map[string]any{"filter": map[string]any{"search": "Möllan"}})
		require.Empty(t, resp.Errors)
		var got activityEdges
		resp.Decode(t, &got)
		return got
	}
	require.Zero(t, discover().Activities.TotalCount)

	// The co-organiser edits; an outsider may not.
	const update = `mutation($id: ID!, $in: ActivityInput!) { updateActivity(input: {activityId: $id, activity: $in}) { title version status } }`
	edited := activityInput("Språkcafé i Möllan, nu med läxhjälp")
	edited["coOrganiserIds"] = in["coOrganiserIds"]
	resp = env.Do(t, outsider, update, map[string]any{"id": a.ID, "in": edited})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "a draft of another organisation does not exist for an outsider")
	withoutCo := activityInput("Språkcafé i Möllan, nu med läxhjälp")
	resp = env.Do(t, coPublisher, update, map[string]any{"id": a.ID, "in": withoutCo})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "a co-organiser does not change who co-organises")
	require.Equal(t, "input.activity.coOrganiserIds", resp.Errors[0].Extensions["field"])
	resp = env.Do(t, coPublisher, update, map[string]any{"id": a.ID, "in": edited})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"updateActivity":{"title":"Språkcafé i Möllan, nu med läxhjälp","version":2,"status":"DRAFT"}}`, string(resp.Data))

	// Only the organiser publishes; with an idempotency key a retry changes nothing.
	const publish = `mutation($id: ID!, $key: String) { publishActivity(input: {activityId: $id, idempotencyKey: $key}) { status version publishedAt } }`
	resp = env.Do(t, coPublisher, publish, map[string]any{"id": a.ID})
	require.Equal(t, []string{"FORBIDDEN"}, resp.Codes())
	first := env.Do(t, publisher, publish, map[string]any{"id": a.ID, "key": "publish-1"})
	require.Empty(t, first.Errors)
	again := env.Do(t, publisher, publish, map[string]any{"id": a.ID, "key": "publish-1"})
	require.Empty(t, again.Errors)
	require.JSONEq(t, string(first.Data), string(again.Data), "the retry returns the first result")
	resp = env.Do(t, publisher, publish, map[string]any{"id": a.ID})
	require.Equal(t, []string{"CONFLICT"}, resp.Codes(), "without a key, publishing twice is a conflict")
	resp = env.Do(t, publisher, `mutation($id: ID!) { cancelActivity(input: {activityId: $id, idempotencyKey: "publish-1"}) { status } }`,
		map[string]any{"id": a.ID})
	require.Equal(t, []string{"CONFLICT"}, resp.Codes(), "a key used for another request is refused")
	var changes, version int
	require.NoError(t, env.Pool.QueryRow(ctx, `SELECT count(*), max(a.version) FROM activity_change c JOIN activity a ON a.id = c.activity_id
		WHERE a.title LIKE 'Språkcafé i Möllan%'`).Scan(&changes, &version))
	require.Equal(t, 1, changes, "published once")
	require.Equal(t, 3, version)

	got := discover()
	require.Equal(t, 1, got.Activities.TotalCount, "published, it is found without signing in")
	require.Equal(t, a.ID, got.Activities.Edges[0].Node.ID)

	// Cancelled, it leaves discovery; a cancelled activity is not edited any more.
	resp = env.Do(t, publisher, `mutation($id: ID!) { cancelActivity(input: {activityId: $id, idempotencyKey: "cancel-1"}) { status cancelledAt } }`,
		map[string]any{"id": a.ID})
	require.Empty(t, resp.Errors)
	require.Zero(t, discover().Activities.TotalCount)
	resp = env.Do(t, publisher, update, map[string]any{"id": a.ID, "in": edited})
	require.Equal(t, []string{"CONFLICT"}, resp.Codes())
}

func TestDiscoveryFilters(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	publisher := staff(t, env, "abf", authz.RolePublisher)
	publish := func(in map[string]any) string {
		a := create(t, env, publisher, in)
		resp := env.Do(t, publisher, `mutation($id: ID!) { publishActivity(input: {activityId: $id}) { status } }`, map[string]any{"id": a.ID})
		require.Empty(t, resp.Errors)
		return a.ID
	}
	football := activityInput("Fotbollsträning för tjejer")
	football["titleEn"], football["description"] = "Football practice for girls", "Fotboll på konstgräs i Lund."
	football["descriptionEn"], football["category"] = "Football on artificial turf.", "SPORTS"
	football["languages"], football["targetGroups"] = []string{"ti", "sv"}, []string{"YOUTH", "WOMEN"}
	football["location"] = map[string]any{"address": "Idrottsplatsen, Lund", "municipalityCode": "1281", "latitude": 55.705, "longitude": 13.191}
	footballID := publish(football)

	parenting := activityInput("Föräldraträff om skolan")
	parenting["titleEn"], parenting["description"] = "Parents' meeting about school", "Samtal om skolan och föräldraskap."
	parenting["descriptionEn"], parenting["category"] = "Talks about school and parenting.", "PARENTING"
	parenting["languages"], parenting["targetGroups"] = []string{"so", "sv"}, []string{"PARENTS"}
	parenting["location"] = map[string]any{"address": "Stadsbiblioteket, Helsingborg", "municipalityCode": "1283", "latitude": 56.046, "longitude": 12.695}
	start := time.Now().AddDate(0, 2, 0).Truncate(time.Hour)
	parenting["schedule"] = map[string]any{"startsAt": start.Format(time.RFC3339), "durationMinutes": 120}
	parentingID := publish(parenting)

	online := activityInput("Digital jobbklubb")
	online["titleEn"], online["category"], online["languages"] = "Online job club", "WORK_AND_STUDY", []string{"uk"}
	online["location"] = map[string]any{"online": true, "onlineUrl": "https://meet.example.org/jobbklubb"}
	onlineID := publish(online)

	mine := []string{footballID, parentingID, onlineID}
	from, until := time.Now().AddDate(0, 1, 20), time.Now().AddDate(0, 2, 10)
	tests := []struct {
		name   string
		filter map[string]any
		order  map[string]any
		want   []string // of mine, in order
	}{
		{"category", map[string]any{"categories": []string{"SPORTS"}}, nil, []string{footballID}},
		{"language", map[string]any{"languages": []string{"so", "uk"}}, nil, []string{onlineID, parentingID}},
		{"target group", map[string]any{"targetGroups": []string{"PARENTS"}}, nil, []string{parentingID}},
		{"municipality", map[string]any{"municipalityCodes": []string{"1281"}}, nil, []string{footballID}},
		{"organisation", map[string]any{"organisations": []string{"abf"}, "search": "o"}, nil, []string{onlineID, footballID, parentingID}},
		{"occurrences in a range", map[string]any{"occursFrom": from.Format(time.RFC3339), "occursUntil": until.Format(time.RFC3339)}, nil, []string{parentingID}},
		{"Swedish full text with stemming", map[string]any{"text": "fotbollen"}, nil, []string{footballID}},
		{"English full text", map[string]any{"text": "girls football"}, nil, []string{footballID}},
		{"full text with no match", map[string]any{"text": "schack"}, nil, nil},
		{"near Lund, nearest first", map[string]any{"near": map[string]any{"latitude": 55.70, "longitude": 13.19, "radiusKm": 80}}, nil, []string{footballID, parentingID}},
		{"near Helsingborg, small radius", map[string]any{"near": map[string]any{"latitude": 56.05, "longitude": 12.70, "radiusKm": 5}}, nil, []string{parentingID}},
		{"far order reversed", map[string]any{"search": "trä", "near": map[string]any{"latitude": 55.70, "longitude": 13.19, "radiusKm": 80}},
			map[string]any{"field": "DISTANCE", "direction": "DESC"}, []string{parentingID, footballID}},
	}
	const query = `query($filter: ActivityFilter, $order: ActivityOrder) {
	  activities(first: 100, filter: $filter, orderBy: $order) { totalCount edges { node { id } } } }`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := env.Do(t, anonymous, query, map[string]any{"filter": tt.filter, "order": tt.order})
			require.Empty(t, resp.Errors)
			var got activityEdges
			resp.Decode(t, &got)
			var ids []string
			for _, e := range got.Activities.Edges {
				for _, m := range mine {
					if e.Node.ID == m {
						ids = append(ids, m)
					}
				}
			}
			require.Equal(t, tt.want, ids)
		})
	}

	// Ranked full-text results page by cursor without repeats.
	seen := map[string]bool{}
	var after *string
	for {
		resp := env.Do(t, anonymous, `query($after: String) { activities(first: 7, after: $after, filter: {text: "språkcafé"}) {
		  totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`, map[string]any{"after": after})
		require.Empty(t, resp.Errors)
		var page struct {
			Activities struct {
				TotalCount int      `json:"totalCount"`
				PageInfo   pageInfo `json:"pageInfo"`
				Edges      []struct {
					Node struct {
						ID string `json:"id"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"activities"`
		}
		resp.Decode(t, &page)
		for _, e := range page.Activities.Edges {
			require.False(t, seen[e.Node.ID], "no repeats across pages")
			seen[e.Node.ID] = true
		}
		if !page.Activities.PageInfo.HasNextPage {
			require.Len(t, seen, page.Activities.TotalCount)
			require.NotEmpty(t, seen, "the demo network has language cafés")
			break
		}
		after = page.Activities.PageInfo.EndCursor
	}

	// Orders that need a filter say which.
	resp := env.Do(t, anonymous, query, map[string]any{"order": map[string]any{"field": "RELEVANCE"}})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes())
	require.Equal(t, "orderBy.field", resp.Errors[0].Extensions["field"])
	resp = env.Do(t, anonymous, query, map[string]any{"filter": map[string]any{"near": map[string]any{"latitude": 95, "longitude": 13, "radiusKm": 5}}})
	require.Equal(t, "filter.near.latitude", resp.Errors[0].Extensions["field"])
}

// TestSeveralSchedules creates an activity on Tuesday evenings and Saturday mornings (each with
// its own duration and exceptions): GraphQL gives both schedules and their occurrences
// interleaved, each as long as its schedule; an update with one schedule removes the other and
// its occurrences.
func TestSeveralSchedules(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	publisher := staff(t, env, "abf", authz.RolePublisher)
	const query = `query($id: ID!) { node(id: $id) { ... on Activity {
  schedule { startsAt } schedules { startsAt durationMinutes rrule exceptions }
  nextOccurrences(first: 20) { startsAt endsAt } } } }`
	type occurrence struct {
		StartsAt time.Time `json:"startsAt"`
		EndsAt   time.Time `json:"endsAt"`
	}
	type schedules struct {
		Node struct {
			Schedule *struct {
				StartsAt time.Time `json:"startsAt"`
			} `json:"schedule"`
			Schedules []struct {
				StartsAt        time.Time   `json:"startsAt"`
				DurationMinutes int         `json:"durationMinutes"`
				Rrule           *string     `json:"rrule"`
				Exceptions      []time.Time `json:"exceptions"`
			} `json:"schedules"`
			NextOccurrences []occurrence `json:"nextOccurrences"`
		} `json:"node"`
	}
	read := func(id string) schedules {
		resp := env.Do(t, publisher, query, map[string]any{"id": id})
		require.Empty(t, resp.Errors)
		var got schedules
		resp.Decode(t, &got)
		return got
	}

	tuesday := weeklyStart()
	saturday := tuesday.AddDate(0, 0, 4).Add(-8 * time.Hour) // 10:00
	in := activityInput("Språkcafé två dagar")
	in["moreSchedules"] = []any{map[string]any{"startsAt": saturday.Format(time.RFC3339), "durationMinutes": 120,
		"rrule": "FREQ=WEEKLY;BYDAY=SA;COUNT=3", "exceptions": []string{saturday.AddDate(0, 0, 7).Format(time.RFC3339)}}}
	a := create(t, env, publisher, in)

	got := read(a.ID)
	require.Len(t, got.Node.Schedules, 2)
	require.True(t, got.Node.Schedule.StartsAt.Equal(got.Node.Schedules[0].StartsAt), "schedule is the first of schedules")
	require.True(t, saturday.Equal(got.Node.Schedules[1].StartsAt))
	require.Equal(t, 120, got.Node.Schedules[1].DurationMinutes)
	require.Equal(t, "FREQ=WEEKLY;COUNT=3;BYDAY=SA", *got.Node.Schedules[1].Rrule)
	require.Len(t, got.Node.Schedules[1].Exceptions, 1)

	// Tuesdays: six weeks less the third at 90 minutes; Saturdays: three less the second at 120.
	var want []occurrence
	for i := range 6 {
		if i != 2 {
			start := tuesday.AddDate(0, 0, 7*i)
			want = append(want, occurrence{start, start.Add(90 * time.Minute)})
		}
	}
	for i := range 3 {
		if i != 1 {
			start := saturday.AddDate(0, 0, 7*i)
			want = append(want, occurrence{start, start.Add(120 * time.Minute)})
		}
	}
	slices.SortFunc(want, func(x, y occurrence) int { return x.StartsAt.Compare(y.StartsAt) })
	require.Len(t, got.Node.NextOccurrences, len(want))
	for i, o := range got.Node.NextOccurrences {
		require.True(t, want[i].StartsAt.Equal(o.StartsAt) && want[i].EndsAt.Equal(o.EndsAt), "occurrence %d: %v, want %v", i, o, want[i])
	}

	const update = `mutation($id: ID!, $in: ActivityInput!) { updateActivity(input: {activityId: $id, activity: $in}) { version } }`
	resp := env.Do(t, publisher, update, map[string]any{"id": a.ID, "in": activityInput("Språkcafé två dagar")})
	require.Empty(t, resp.Errors)
	got = read(a.ID)
	require.Len(t, got.Node.Schedules, 1, "the update gave one schedule")
	require.Len(t, got.Node.NextOccurrences, 5, "the Saturdays are gone")
	for _, o := range got.Node.NextOccurrences {
		require.Equal(t, time.Tuesday, o.StartsAt.In(partnernet.Stockholm).Weekday())
	}
}
