package hsds_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/hsds"
	"github.com/partnerskap-skane/partnernet/store"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// publicActivities lists the activities the public sees (published, or published and since
// cancelled or finished) and the drafts, by id, straight from the store.
func publicActivities(t *testing.T, env *apitest.Env) (public, drafts []partnernet.Activity) {
	t.Helper()
	ctx := context.Background()
	all, err := env.Store.ActivityListAt(ctx, store.ActivityFilter{Unpublished: partnernet.OrgScope{All: true}},
		store.Order{Column: store.OrderID}, 0, 100000)
	require.NoError(t, err)
	for _, a := range all {
		if a.Public() {
			public = append(public, a)
		} else {
			drafts = append(drafts, a)
		}
	}
	require.NotEmpty(t, public)
	require.NotEmpty(t, drafts, "the demo directory has drafts")
	return public, drafts
}

// everyField adds to the demo directory published activities with every field HSDS has that
// the demo data leaves empty: service areas, application process, interpretation services,
// ages, a fee, a phone, co-organisers, several schedules; one online, one cancelled.
func everyField(t *testing.T, env *apitest.Env) {
	t.Helper()
	ctx := context.Background()
	area := func(code string) int64 {
		m, err := env.Store.MunicipalityGetByCode(ctx, code)
		require.NoError(t, err)
		return m.ID
	}
	at := func(m time.Month, d, h int) *time.Time {
		v := time.Date(2027, m, d, h, 0, 0, 0, partnernet.Stockholm)
		return &v
	}
	rule := func(s string) *string { return &s }
	phone, email, link := "+46 40 12 34 56", "kafe@abf.example", "https://meet.example.org/hsds"
	sixteen, sixtyFive := 16, 65
	for i, status := range []partnernet.ActivityStatus{partnernet.ActivityPublished, partnernet.ActivityPublished, partnernet.ActivityCancelled} {
		testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{
			OrganiserID: orgID(t, env, "abf"), CoOrganiserIDs: []int64{orgID(t, env, "im")},
			Title: fmt.Sprintf("Språkcafé med allt %d", i), TitleEn: fmt.Sprintf("Language café with everything %d", i),
			Languages: []string{"ar", "sv", "ti"}, TargetGroups: []partnernet.TargetGroup{partnernet.TargetWomen, partnernet.TargetFamilies},
			Online: i == 1, OnlineURL: &link,
			Schedule: partnernet.Schedule{StartsAt: at(3, 2, 18), DurationMinutes: 90, RRule: rule("FREQ=WEEKLY;BYDAY=TU;COUNT=10"),
				ExDates: []time.Time{*at(3, 16, 18)}},
			MoreSchedules: []partnernet.Schedule{
				{StartsAt: at(3, 6, 10), DurationMinutes: 120, RRule: rule("FREQ=MONTHLY;BYDAY=1SA;COUNT=4")},
				{StartsAt: at(6, 19, 12), DurationMinutes: 240},
			},
			MinAge: &sixteen, MaxAge: &sixtyFive, CostSEK: 20,
			ApplicationProcess: "Anmäl dig på plats.", InterpretationServices: "Tolk på tigrinja vid behov.",
			ServiceAreaIDs: []int64{area("1280"), area("1281"), area("1233")}, ContactEmail: &email, ContactPhone: &phone,
			Status: status,
		})
	}
}

// TestEveryEndpointAnswersValidHSDS walks every endpoint of the API over the whole demo
// directory (and activities with every field, [everyField]), in both languages, and validates
// each answer against the official HSDS 3.0 schemas (the OpenAPI description's response
// schemas, which refer to the object schemas): every page of every list, in brief and in full,
// and every object by id. No answer names a draft.
func TestEveryEndpointAnswersValidHSDS(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	everyField(t, env)
	public, drafts := publicActivities(t, env)
	var bodies [][]byte
	keep := func(b []byte) { bodies = append(bodies, b) }

	root := getJSON(t, env, "/hsds/", responseSchema(t, "/"), nil)
	require.Contains(t, string(root), `"version":"3.0"`)
	keep(getJSON(t, env, "/hsds/openapi.json", nil, nil))

	serviceSchema := schemaAt(t, specBase+"compiled/service.json")
	salSchema := schemaAt(t, specBase+"service_at_location.json")
	orgSchema := schemaAt(t, specBase+"organization.json")
	for _, lang := range []string{"sv", "en"} {
		for _, list := range []struct {
			path string
			full bool
		}{
			{"/services", false}, {"/services", true}, {"/service_at_locations", false}, {"/service_at_locations", true},
			{"/organizations", false}, {"/organizations", true}, {"/taxonomies", false}, {"/taxonomy_terms", false},
		} {
			schema := responseSchema(t, list.path)
			for page := 1; ; page++ {
				var p hsds.Page[map[string]any]
				path := fmt.Sprintf("/hsds%s?page=%d&per_page=40&lang=%s", list.path, page, lang)
				if list.full {
					path += "&full=true"
				}
				keep(getJSON(t, env, path, schema, &p))
				if list.path == "/service_at_locations" && list.full {
					// Each is also a service at location of HSDS, fully nested.
					for _, sal := range p.Contents {
						validate(t, salSchema, "service_at_location", mustJSON(t, sal))
					}
				}
				if list.path == "/organizations" && list.full {
					for _, org := range p.Contents {
						validate(t, orgSchema, "organization", mustJSON(t, org))
					}
				}
				require.Equal(t, page, p.PageNumber)
				if p.LastPage {
					break
				}
			}
		}
	}
	for _, a := range public {
		keep(getJSON(t, env, "/hsds/services/"+hsds.ID("service", a.ID), serviceSchema, nil))
		keep(getJSON(t, env, "/hsds/service_at_locations/"+hsds.ID("service_at_location", a.ID)+"?lang=en", salSchema, nil))
	}
	var orgs hsds.Page[hsds.Organization]
	getJSON(t, env, "/hsds/organizations?per_page=200", nil, &orgs)
	for _, o := range orgs.Contents {
		keep(getJSON(t, env, "/hsds/organizations/"+o.ID+"?full_service=true", orgSchema, nil))
	}
	for _, tx := range hsds.Taxonomies {
		keep(getJSON(t, env, "/hsds/taxonomies/"+tx.ID(), schemaAt(t, specBase+"taxonomy.json"), nil))
		for _, term := range tx.Terms {
			keep(getJSON(t, env, "/hsds/taxonomy_terms/"+tx.TermID(term.Code), schemaAt(t, specBase+"taxonomy_term.json"), nil))
		}
	}

	// No answer names a draft, by any of its ids.
	for _, d := range drafts {
		for _, id := range []string{hsds.ID("service", d.ID), hsds.ID("service_at_location", d.ID),
			hsds.ID("location", d.ID), hsds.ID("schedule", d.ID, 0)} {
			for _, b := range bodies {
				require.NotContains(t, string(b), id, "draft %d appears", d.ID)
			}
		}
		require.Equal(t, http.StatusNotFound, get(t, env, "/hsds/services/"+hsds.ID("service", d.ID)).status)
		require.Equal(t, http.StatusNotFound, get(t, env, "/hsds/service_at_locations/"+hsds.ID("service_at_location", d.ID)).status)
	}
}

// mustJSON marshals v.
func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// TestPagingCoversEveryPublicActivityOnce pages through services and services at locations
// with several page sizes, and finds every activity the public sees exactly once, drafts never,
// with the page fields agreeing; past the last page is an empty page.
func TestPagingCoversEveryPublicActivityOnce(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	public, _ := publicActivities(t, env)
	want := make([]string, len(public))
	for i, a := range public {
		want[i] = hsds.ID("service", a.ID)
	}
	for _, list := range []string{"/hsds/services", "/hsds/service_at_locations"} {
		for _, perPage := range []int{1, 7, 50, 200} {
			if perPage == 1 && list == "/hsds/service_at_locations" {
				continue // as slow as it is thorough; once is enough
			}
			var seen []string
			pages := 0
			for n := 1; ; n++ {
				var p hsds.Page[map[string]any]
				getJSON(t, env, fmt.Sprintf("%s?page=%d&per_page=%d", list, n, perPage), nil, &p)
				pages++
				require.Equal(t, len(public), p.TotalItems)
				require.Equal(t, (len(public)+perPage-1)/perPage, p.TotalPages)
				require.Equal(t, n == 1, p.FirstPage)
				require.Equal(t, len(p.Contents), p.Size)
				require.False(t, p.Empty)
				for _, c := range p.Contents {
					id, _ := c["id"].(string)
					if list == "/hsds/service_at_locations" {
						id, _ = c["service_id"].(string)
					}
					seen = append(seen, id)
				}
				if p.LastPage {
					break
				}
			}
			require.Equal(t, pages, (len(public)+perPage-1)/perPage)
			require.Len(t, seen, len(want), "%s per %d: each once", list, perPage)
			require.ElementsMatch(t, want, seen, "%s per %d", list, perPage)
		}
	}
	var past hsds.Page[map[string]any]
	getJSON(t, env, "/hsds/services?page=999&per_page=50", nil, &past)
	require.Empty(t, past.Contents)
	require.True(t, past.LastPage)
	require.False(t, past.Empty, "the list is not empty, only this page")
	var none hsds.Page[map[string]any]
	getJSON(t, env, "/hsds/services?search=zzzxqj", nil, &none)
	require.True(t, none.Empty)
	require.Zero(t, none.TotalPages)
}

// TestDraftsNeverAppear makes drafts (one never published, one cancelled before publishing)
// and checks that no list, filter, search or lookup shows them, while the published activity
// made beside them shows.
func TestDraftsNeverAppear(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	abf := orgID(t, env, "abf")
	start := time.Date(2027, 3, 2, 18, 0, 0, 0, partnernet.Stockholm)
	rule := "FREQ=WEEKLY;COUNT=4"
	sched := partnernet.Schedule{StartsAt: &start, DurationMinutes: 60, RRule: &rule}
	draft := testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{OrganiserID: abf, Title: "Hemlig utkastträff", Schedule: sched})
	called := testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{OrganiserID: abf, Title: "Hemlig inställd träff", Schedule: sched})
	_, err := env.Store.ActivitySetStatus(ctx, called.ID, partnernet.ActivityCancelled)
	require.NoError(t, err)
	shown := testfactory.Activity(ctx, t, env.Pool, &testfactory.ActivityOpts{OrganiserID: abf, Title: "Hemlig publicerad träff",
		Schedule: sched, Status: partnernet.ActivityPublished})

	abfID := hsds.ID("organization", abf)
	for _, path := range []string{
		"/hsds/services?search=Hemlig&full=true", "/hsds/service_at_locations?search=Hemlig&full=true",
		"/hsds/services?organization_id=" + abfID + "&per_page=200&full=true",
		"/hsds/services?modified_after=2000-01-01&per_page=200",
		"/hsds/services?taxonomy_term_id=" + hsds.Categories.TermID("SOCIAL_MEETING_PLACE") + "&per_page=200",
		"/hsds/organizations/" + abfID + "?full_service=true",
	} {
		body := string(getJSON(t, env, path, nil, nil))
		for _, a := range []partnernet.Activity{draft, called} {
			require.NotContains(t, body, hsds.ID("service", a.ID), "%s shows a draft", path)
			require.NotContains(t, body, a.Title, "%s shows a draft", path)
		}
		require.Contains(t, body, hsds.ID("service", shown.ID), "%s shows the published activity", path)
	}
	for _, a := range []partnernet.Activity{draft, called} {
		require.Equal(t, http.StatusNotFound, get(t, env, "/hsds/services/"+hsds.ID("service", a.ID)).status)
		require.Equal(t, http.StatusNotFound, get(t, env, "/hsds/service_at_locations/"+hsds.ID("service_at_location", a.ID)).status)
	}
}

// TestFiltersAndLanguages checks the list filters against the store and the texts in each
// language.
func TestFiltersAndLanguages(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	public, _ := publicActivities(t, env)
	count := func(keep func(a partnernet.Activity) bool) int {
		n := 0
		for _, a := range public {
			if keep(a) {
				n++
			}
		}
		return n
	}
	total := func(path string) int {
		var p hsds.Page[map[string]any]
		getJSON(t, env, path, nil, &p)
		return p.TotalItems
	}
	for _, code := range partnernet.ActivityCategory("").Values() {
		want := count(func(a partnernet.Activity) bool { return string(a.Category) == code })
		require.Equal(t, want, total("/hsds/services?taxonomy_term_id="+hsds.Categories.TermID(code)), code)
	}
	women := count(func(a partnernet.Activity) bool { return slices.Contains(a.TargetGroups, partnernet.TargetWomen) })
	require.Equal(t, women, total("/hsds/services?taxonomy_term_id="+hsds.TargetGroups.TermID("WOMEN")))
	require.Equal(t, len(public), total("/hsds/services?taxonomy_id="+hsds.Categories.ID()))
	im := orgID(t, env, "im")
	byIM := count(func(a partnernet.Activity) bool { return a.OrganiserID == im || slices.Contains(a.CoOrganiserIDs, im) })
	require.Equal(t, byIM, total("/hsds/services?organization_id="+hsds.ID("organization", im)))
	cut := public[len(public)/2].UpdatedAt
	since := count(func(a partnernet.Activity) bool { return !a.UpdatedAt.Before(cut) })
	require.Equal(t, since, total("/hsds/services?modified_after="+cut.UTC().Format(time.RFC3339Nano)))
	require.Zero(t, total("/hsds/services?organization_id=00000000-0000-4000-8000-000000000000"), "an unknown organisation has none")
	require.Zero(t, total("/hsds/services?taxonomy_term_id=00000000-0000-4000-8000-000000000000"))
	require.Positive(t, total("/hsds/services?search=spr%C3%A5kcaf%C3%A9"), "full text in Swedish")
	require.Positive(t, total("/hsds/services?search=language+caf%C3%A9"), "and in English")

	a := public[0]
	var sv, en, accepted hsds.Service
	getJSON(t, env, "/hsds/services/"+hsds.ID("service", a.ID), nil, &sv)
	getJSON(t, env, "/hsds/services/"+hsds.ID("service", a.ID)+"?lang=en", nil, &en)
	r := get(t, env, "/hsds/services/"+hsds.ID("service", a.ID), "Accept-Language", "fr-CA, en-GB;q=0.8, sv;q=0.5")
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, "en", r.header.Get("Content-Language"))
	require.NoError(t, json.Unmarshal(r.body, &accepted))
	require.Equal(t, a.Title, sv.Name)
	require.Equal(t, a.TitleEn, en.Name)
	require.Equal(t, a.TitleEn, accepted.Name, "English is the best the client accepts")
	require.Equal(t, a.Title, en.AlternateName, "the name as the organiser gave it")
	catSv, catEn := sv.Attributes[0].TaxonomyTerm, en.Attributes[0].TaxonomyTerm
	require.Equal(t, string(a.Category), catSv.Code)
	require.NotEqual(t, catSv.Name, catEn.Name, "term names in each language")
	require.Equal(t, "en", catEn.Language)

	for path, field := range map[string]string{
		"/hsds/services?lang=fr":                            "lang",
		"/hsds/services?page=0":                             "page",
		"/hsds/services?per_page=1000":                      "per_page",
		"/hsds/services?full=perhaps":                       "full",
		"/hsds/services?organization_id=abf":                "organization_id",
		"/hsds/services?modified_after=soon":                "modified_after",
		"/hsds/services?format=ndjson":                      "format",
		"/hsds/services?postcode=21120":                     "postcode",
		"/hsds/services?search=" + strings.Repeat("x", 201): "search",
	} {
		r := get(t, env, path)
		require.Equal(t, http.StatusBadRequest, r.status, path)
		require.Contains(t, string(r.body), `"code":"BAD_USER_INPUT"`, path)
		require.Contains(t, string(r.body), `"field":"`+field+`"`, path)
	}
	require.Equal(t, http.StatusNotFound, get(t, env, "/hsds/services/not-a-uuid").status)
	require.Equal(t, http.StatusNotFound, get(t, env, "/hsds/organizations/"+hsds.ID("organization", 999999)).status)
	require.Equal(t, http.StatusNotFound, get(t, env, "/hsds/nothing").status)
}
