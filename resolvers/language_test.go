package resolvers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/apitest"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

// doIn posts a GraphQL request as p with an Accept-Language header (none for "") and, for
// purpose, a declared purpose.
func doIn(t *testing.T, env *apitest.Env, p authz.Principal, acceptLanguage string, query string, vars map[string]any) apitest.Response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if acceptLanguage != "" {
		req.Header.Set("Accept-Language", acceptLanguage)
	}
	return env.Send(t, p, req)
}

type localized struct {
	Text      string `json:"text"`
	Language  string `json:"language"`
	Direction string `json:"direction"`
	Fallback  bool   `json:"fallback"`
}

type searchResult struct {
	Activities struct {
		TotalCount int `json:"totalCount"`
		Edges      []struct {
			Node struct {
				ID    string `json:"id"`
				Title string `json:"title"`
				Text  struct {
					Title localized `json:"title"`
				} `json:"text"`
			} `json:"node"`
		} `json:"edges"`
	} `json:"activities"`
}

const searchQuery = `query($text: String!, $lang: LanguageTag) {
  activities(first: 100, filter: {text: $text}) { totalCount edges { node { id title text(language: $lang) { title { text language direction fallback } } } } }
}`

// search runs a text search as an anonymous reader of lang.
func search(t *testing.T, env *apitest.Env, acceptLanguage, text string, lang any) searchResult {
	t.Helper()
	resp := doIn(t, env, authz.Principal{}, acceptLanguage, searchQuery, map[string]any{"text": text, "lang": lang})
	require.Empty(t, resp.Errors)
	var got searchResult
	resp.Decode(t, &got)
	return got
}

// countPublished counts the published demo activities with a text in language whose title starts
// with prefix: what a search for the prefix's words must find.
func countPublished(t *testing.T, env *apitest.Env, language, prefix string) int {
	t.Helper()
	var n int
	require.NoError(t, env.Pool.QueryRow(context.Background(), `SELECT count(*) FROM activity a
JOIN activity_text t ON t.activity_id = a.id AND t.language = $1
WHERE a.status = 'PUBLISHED' AND starts_with(t.title, $2)`, language, prefix).Scan(&n))
	return n
}

func TestSearchAcrossLanguages(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)

	// Arabic words of a demo activity's Arabic title find the Arabic demo activities: all of them,
	// each with its Arabic title, right to left, when read in Arabic.
	want := countPublished(t, env, "ar", "مقهى اللغة")
	require.Positive(t, want, "the demo data has Arabic language cafés")
	got := search(t, env, "ar", "مقهى اللغة", nil)
	require.Equal(t, want, got.Activities.TotalCount)
	for _, e := range got.Activities.Edges {
		require.True(t, strings.HasPrefix(e.Node.Title, "مقهى اللغة"), "the title in the reader's language: %s", e.Node.Title)
		require.Equal(t, localized{Text: e.Node.Title, Language: "ar", Direction: "RTL"}, e.Node.Text.Title)
	}

	// Without the accent, in any case, "Språkcafe" finds "Språkcafé" — and a Swedish reader gets
	// the Swedish titles, unchanged from before.
	want = countPublished(t, env, "sv", "Språkcafé")
	require.Positive(t, want)
	for _, q := range []string{"Språkcafe", "språkcafe", "SPRAKCAFE", "Språkcafé"} {
		got = search(t, env, "", q, nil)
		require.Equal(t, want, got.Activities.TotalCount, "search %q", q)
		for _, e := range got.Activities.Edges {
			require.True(t, strings.HasPrefix(e.Node.Title, "Språkcafé"), "search %q found %q", q, e.Node.Title)
			require.Equal(t, localized{Text: e.Node.Title, Language: "sv", Direction: "LTR"}, e.Node.Text.Title)
		}
	}

	// A search in Ukrainian finds the Ukrainian texts (simple configuration), and ranks the
	// reader's language first.
	got = search(t, env, "uk", "Мовне кафе", "uk")
	require.Equal(t, countPublished(t, env, "uk", "Мовне кафе"), got.Activities.TotalCount)

	// A typo finds by trigram similarity when full text finds nothing.
	got = search(t, env, "", "Sprakkafé", nil)
	require.Positive(t, got.Activities.TotalCount, "the typo-tolerant fallback")
	for _, e := range got.Activities.Edges[:1] {
		require.True(t, strings.HasPrefix(e.Node.Title, "Språkcafé"), "the closest title first: %q", e.Node.Title)
	}

	// Nothing at all still finds nothing.
	got = search(t, env, "", "xqzvwk", nil)
	require.Zero(t, got.Activities.TotalCount)
}

func TestReaderLanguageFallback(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	publisher := staff(t, env, "abf", authz.RolePublisher)
	a := create(t, env, publisher, activityInput("Läsecirkel"))

	// The activity has Swedish and English texts only: a Tigrinya reader gets the Swedish text
	// and is told it is a fallback, by argument and by Accept-Language alike.
	const read = `query($id: ID!, $lang: LanguageTag) { node(id: $id) { ... on Activity {
	  title description titleEn text(language: $lang) { title { text language direction fallback } description { text language fallback } }
	  translations { tag name direction } } } }`
	type activityTexts struct {
		Node struct {
			Title       string `json:"title"`
			Description string `json:"description"`
			TitleEn     string `json:"titleEn"`
			Text        struct {
				Title       localized  `json:"title"`
				Description *localized `json:"description"`
			} `json:"text"`
			Translations []partnernet.TextLanguage `json:"translations"`
		} `json:"node"`
	}
	get := func(p authz.Principal, acceptLanguage string, lang any) activityTexts {
		resp := doIn(t, env, p, acceptLanguage, read, map[string]any{"id": a.ID, "lang": lang})
		require.Empty(t, resp.Errors)
		require.Contains(t, resp.Header.Values("Vary"), "Accept-Language")
		var got activityTexts
		resp.Decode(t, &got)
		return got
	}
	for _, c := range []struct{ header, arg any }{{"ti", nil}, {"", "ti"}, {"ti-ER, de;q=0.5", nil}} {
		got := get(publisher, c.header.(string), c.arg)
		require.Equal(t, localized{Text: "Läsecirkel", Language: "sv", Direction: "LTR", Fallback: true}, got.Node.Text.Title, "%v", c)
		require.Equal(t, "sv", got.Node.Text.Description.Language)
		require.True(t, got.Node.Text.Description.Fallback)
	}
	// A reader of English (after Tigrinya) gets English; without a language, Swedish as before.
	got := get(publisher, "ti, en;q=0.8", nil)
	require.Equal(t, "Läsecirkel (en)", got.Node.Title)
	require.Equal(t, localized{Text: "Läsecirkel (en)", Language: "en", Direction: "LTR", Fallback: true}, got.Node.Text.Title)
	got = get(publisher, "", nil)
	require.Equal(t, "Läsecirkel", got.Node.Title)
	require.False(t, got.Node.Text.Title.Fallback)
	require.Equal(t, []string{"sv", "en"}, tags(got.Node.Translations))

	// Its publisher writes the Tigrinya texts: then a Tigrinya reader gets them, not a fallback;
	// a Dari reader falls back to Persian once there is a Persian text, and is told so.
	const set = `mutation($in: SetActivityTranslationInput!) { setActivityTranslation(input: $in) {
	  translations { tag name direction } } }`
	resp := env.Do(t, publisher, set, map[string]any{"in": map[string]any{
		"activityId": a.ID, "language": "ti", "title": "ክበብ ንባብ", "description": "ብሓባር መጻሕፍቲ ነንብብ።"}})
	require.Empty(t, resp.Errors)
	resp = env.Do(t, publisher, set, map[string]any{"in": map[string]any{
		"activityId": a.ID, "language": "FA", "title": "حلقه کتاب\u200cخوانی"}})
	require.Empty(t, resp.Errors)
	got = get(publisher, "ti", nil)
	require.Equal(t, "ክበብ ንባብ", got.Node.Title)
	require.Equal(t, localized{Text: "ክበብ ንባብ", Language: "ti", Direction: "LTR"}, got.Node.Text.Title)
	require.Equal(t, []string{"sv", "en", "fa", "ti"}, tags(got.Node.Translations))
	require.Equal(t, "ትግርኛ", got.Node.Translations[3].Name)
	require.Equal(t, partnernet.DirectionRTL, got.Node.Translations[2].Direction)
	got = get(publisher, "", "prs")
	require.Equal(t, localized{Text: "حلقه کتاب\u200cخوانی", Language: "fa", Direction: "RTL", Fallback: true}, got.Node.Text.Title)
	require.Equal(t, "sv", got.Node.Text.Description.Language, "each text falls back on its own")

	// Setting the Swedish texts writes the activity's own title; removing a translation returns
	// the reader to the chain; the Swedish and English texts cannot be removed.
	resp = env.Do(t, publisher, set, map[string]any{"in": map[string]any{"activityId": a.ID, "language": "sv-FI", "title": "Läsring"}})
	require.Empty(t, resp.Errors, "a regional variant is a translation of its own")
	require.Equal(t, localized{Text: "Läsring", Language: "sv-FI", Direction: "LTR"}, get(publisher, "sv-FI", nil).Node.Text.Title)
	require.Equal(t, "Läsecirkel", get(publisher, "sv", nil).Node.Title)
	resp = env.Do(t, publisher, set, map[string]any{"in": map[string]any{"activityId": a.ID, "language": "sv", "title": "Bokcirkel"}})
	require.Empty(t, resp.Errors)
	require.Equal(t, "Bokcirkel", get(publisher, "", nil).Node.Title)
	const remove = `mutation($in: RemoveActivityTranslationInput!) { removeActivityTranslation(input: $in) { translations { tag } } }`
	resp = env.Do(t, publisher, remove, map[string]any{"in": map[string]any{"activityId": a.ID, "language": "ti"}})
	require.Empty(t, resp.Errors)
	require.Equal(t, localized{Text: "Bokcirkel", Language: "sv", Direction: "LTR", Fallback: true}, get(publisher, "ti", nil).Node.Text.Title)
	resp = env.Do(t, publisher, remove, map[string]any{"in": map[string]any{"activityId": a.ID, "language": "sv"}})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes())
	resp = env.Do(t, publisher, remove, map[string]any{"in": map[string]any{"activityId": a.ID, "language": "ti"}})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "no Tigrinya texts left")

	// Another organisation's publisher may not translate it: answered as for no such activity.
	other := staff(t, env, "malmo", authz.RolePublisher)
	resp = env.Do(t, other, set, map[string]any{"in": map[string]any{"activityId": a.ID, "language": "ar", "title": "نادي الكتاب"}})
	require.NotEmpty(t, resp.Errors)
	require.NotContains(t, string(resp.Data), "نادي الكتاب")

	// Both writes are audited.
	actions := doneActions(t, env, publisher.Subject)
	require.Equal(t, 4, actions["SET_TRANSLATION"])
	require.Equal(t, 1, actions["REMOVE_TRANSLATION"])
}

// tags are the tags of languages.
func tags(ls []partnernet.TextLanguage) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = string(l.Tag)
	}
	return out
}

func TestBadLanguageTags(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	publisher := staff(t, env, "abf", authz.RolePublisher)
	a := create(t, env, publisher, activityInput("Språkvän"))
	tests := []struct {
		name, query string
		vars        map[string]any
		field       string
	}{
		{"malformed argument", `query($l: LanguageTag) { vocabulary(language: $l) { language } }`, map[string]any{"l": "not a tag"}, "language"},
		{"undetermined", `query($l: LanguageTag) { vocabulary(language: $l) { language } }`, map[string]any{"l": "und"}, "language"},
		{"private use", `query($l: LanguageTag) { vocabulary(language: $l) { language } }`, map[string]any{"l": "x-klingon"}, "language"},
		{"too long", `query($l: LanguageTag) { vocabulary(language: $l) { language } }`, map[string]any{"l": strings.Repeat("ab-", 20) + "ab"}, "language"},
		{"not a string", `query($l: LanguageTag) { vocabulary(language: $l) { language } }`, map[string]any{"l": 42}, "language"},
		{"on a field", `query($id: ID!) { node(id: $id) { ... on Activity { text(language: "zz-ZZ-1") { title { text } } } } }`,
			map[string]any{"id": a.ID}, ""},
		{"in an input", `mutation($in: SetActivityTranslationInput!) { setActivityTranslation(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"activityId": a.ID, "language": "12", "title": "x"}}, "input.language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := env.Do(t, publisher, tt.query, tt.vars)
			require.NotEmpty(t, resp.Errors)
			require.Contains(t, []string{"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}, resp.Errors[0].Code())
			if tt.field != "" {
				require.Equal(t, "BAD_USER_INPUT", resp.Errors[0].Code())
				require.Equal(t, tt.field, resp.Errors[0].Extensions["field"])
			}
		})
	}

	// A malformed Accept-Language header is ignored, not refused: Swedish.
	resp := doIn(t, env, authz.Principal{}, strings.Repeat("x", 2000)+",;;q=abc", `{ vocabulary { language categories { value text { language } } } }`, nil)
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"language":"sv"`)
}

func TestVocabularyAndLanguages(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	resp := doIn(t, env, authz.Principal{}, "", `{ languages { tag name direction }
	  vocabulary(language: "ar") { language categories { value text { text language direction fallback } } consentStates { value text { text } } } }`, nil)
	require.Empty(t, resp.Errors)
	var got struct {
		Languages  []partnernet.TextLanguage `json:"languages"`
		Vocabulary struct {
			Language   string `json:"language"`
			Categories []struct {
				Value string    `json:"value"`
				Text  localized `json:"text"`
			} `json:"categories"`
		} `json:"vocabulary"`
	}
	resp.Decode(t, &got)
	require.Equal(t, []string{"sv", "en", "ar", "fa", "fa-AF", "so", "ti", "uk"}, tags(got.Languages))
	require.Equal(t, "العربية", got.Languages[2].Name)
	require.Equal(t, partnernet.DirectionRTL, got.Languages[4].Direction)
	require.Equal(t, "ar", got.Vocabulary.Language)
	require.Len(t, got.Vocabulary.Categories, len(partnernet.ActivityCategory("").Values()))
	require.Equal(t, "LANGUAGE_PRACTICE", got.Vocabulary.Categories[0].Value)
	require.Equal(t, localized{Text: "ممارسة اللغة", Language: "ar", Direction: "RTL"}, got.Vocabulary.Categories[0].Text)

	// Kurmanji has no labels: Swedish, said to be a fallback; Accept-Language picks the labels.
	resp = doIn(t, env, authz.Principal{}, "kmr, uk;q=0.9", `{ vocabulary { categories { text { text language fallback } } } }`, nil)
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `{"text":"Мовна практика","language":"uk","fallback":true}`)
}

func TestAccessLogInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	var newcomerID int64
	require.NoError(t, env.Pool.QueryRow(ctx, `SELECT n.id FROM newcomer n JOIN organisation o ON o.id = n.controller_id
WHERE o.slug = 'malmo' ORDER BY n.id LIMIT 1`).Scan(&newcomerID))
	gid := relay.ToGlobalID("Newcomer", newcomerID)

	// A Malmö coordinator reads the newcomer's contact details to coordinate their establishment.
	coordinator := staff(t, env, "malmo", authz.RoleCoordinator)
	resp := env.DoFor(t, coordinator, partnernet.PurposeEstablishmentCoordination,
		`query($id: ID!) { node(id: $id) { ... on Newcomer { contact { email } } } }`, map[string]any{"id": gid})
	require.Empty(t, resp.Errors)
	var malmo string
	require.NoError(t, env.Pool.QueryRow(ctx, `SELECT name FROM organisation WHERE slug = 'malmo'`).Scan(&malmo))

	// The newcomer reads who read their data, in Arabic: a sentence naming the organisation, the
	// data and the purpose in words.
	const log = `{ viewer { newcomer { accessLog(first: 50) { edges { node { action decision summary { text language direction fallback } } } } } } }`
	resp = doIn(t, env, self(newcomerID), "ar", log, nil)
	require.Empty(t, resp.Errors)
	var got struct {
		Viewer struct {
			Newcomer struct {
				AccessLog struct {
					Edges []struct {
						Node struct {
							Action   string    `json:"action"`
							Decision string    `json:"decision"`
							Summary  localized `json:"summary"`
						} `json:"node"`
					} `json:"edges"`
				} `json:"accessLog"`
			} `json:"newcomer"`
		} `json:"viewer"`
	}
	resp.Decode(t, &got)
	var sentences []string
	for _, e := range got.Viewer.Newcomer.AccessLog.Edges {
		require.Equal(t, "ar", e.Node.Summary.Language)
		require.Equal(t, "RTL", e.Node.Summary.Direction)
		require.False(t, e.Node.Summary.Fallback)
		sentences = append(sentences, e.Node.Summary.Text)
	}
	want := "اطّلعت الجهة «" + malmo + "» على بياناتك: بيانات الاتصال. الغرض: تنسيق برنامج التأسيس الخاص بك."
	require.Contains(t, sentences, want)
	for _, s := range sentences {
		require.NotContains(t, s, "CONTACT", "words, not codes")
		require.NotContains(t, s, "ESTABLISHMENT_COORDINATION")
	}

	// The export names records by global IDs and organisations by name, and tells the access log
	// in the reader's language.
	resp = doIn(t, env, self(newcomerID), "", `{ myData(language: "ar") }`, nil)
	require.Empty(t, resp.Errors)
	var export struct {
		MyData struct {
			Newcomer         map[string]any   `json:"newcomer"`
			Consents         []map[string]any `json:"consents"`
			AccessLogInWords []struct {
				Summary  string `json:"summary"`
				Language string `json:"language"`
			} `json:"accessLogInWords"`
		} `json:"myData"`
	}
	require.NoError(t, json.Unmarshal(resp.Data, &export))
	require.Equal(t, gid, export.MyData.Newcomer["iD"])
	require.Equal(t, malmo, export.MyData.Newcomer["controllerName"])
	require.Equal(t, relay.ToGlobalID("Organisation", orgID(t, env, "malmo")), export.MyData.Newcomer["controllerID"])
	for _, c := range export.MyData.Consents {
		require.IsType(t, "", c["iD"], "a global ID, not an internal number")
		require.NotEmpty(t, c["purposesLabel"])
	}
	var inWords []string
	for _, e := range export.MyData.AccessLogInWords {
		inWords = append(inWords, e.Summary)
	}
	require.Contains(t, inWords, want)

	// The same entry in Swedish by argument, and in Somali by header.
	resp = doIn(t, env, self(newcomerID), "so", `{ viewer { newcomer { accessLog(first: 50) { edges { node {
	  sv: summary(language: "sv") { text } so: summary { text language } } } } } } }`, nil)
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), malmo+" läste dina uppgifter: Kontaktuppgifter. Syfte: Samordning av din etablering.")
	require.Contains(t, string(resp.Data), malmo+" ayaa akhriday xogtaada: Macluumaadka xiriirka. Ujeeddada: Isku-dubaridka barnaamijkaaga dejinta.")
}

func TestPublicTextTranslations(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	type programme struct {
		ID   string `json:"id"`
		Code string `json:"code"`
		Name string `json:"name"`
		Text struct {
			Name        *localized `json:"name"`
			Description *localized `json:"description"`
		} `json:"text"`
		Translations []partnernet.TextLanguage `json:"translations"`
	}
	programmes := func(acceptLanguage string, lang any) map[string]programme {
		resp := doIn(t, env, authz.Principal{}, acceptLanguage, `query($l: LanguageTag) { programmes(first: 10) { edges { node {
		  id code name text(language: $l) { name { text language direction fallback } description { text language fallback } }
		  translations { tag } } } } }`, map[string]any{"l": lang})
		require.Empty(t, resp.Errors)
		var got struct {
			Programmes struct {
				Edges []struct{ Node programme } `json:"edges"`
			} `json:"programmes"`
		}
		resp.Decode(t, &got)
		out := map[string]programme{}
		for _, e := range got.Programmes.Edges {
			out[e.Node.Code] = e.Node
		}
		return out
	}
	// The demo programmes are translated: in Arabic by header, in Tigrinya by argument; without a
	// language, English as before.
	require.Equal(t, "شبكة – نشاط – مشاركة", programmes("ar", nil)["NAD"].Name)
	nad := programmes("", "ti")["NAD"]
	require.Equal(t, &localized{Text: "መርበብ – ንጥፈት – ተሳትፎ", Language: "ti", Direction: "LTR"}, nad.Text.Name)
	require.Equal(t, "Network–Activity–Participation", programmes("", nil)["NAD"].Name)
	require.Equal(t, []string{"sv", "en", "ar", "fa", "fa-AF", "so", "ti", "uk"}, tags(nad.Translations))

	// The network lead writes a Kurmanji name; a publisher may not; removing it falls back.
	const set = `mutation($in: SetTranslationInput!) { setTranslation(input: $in) { id ... on Programme { name text(language: "kmr") { name { text fallback } } } } }`
	lead := staff(t, env, "lansstyrelsen-skane", authz.RoleNetworkAdmin)
	resp := doIn(t, env, lead, "kmr", set, map[string]any{"in": map[string]any{"id": nad.ID, "language": "kmr", "name": "Tor – Çalakî – Beşdarî"}})
	require.Empty(t, resp.Errors)
	require.Contains(t, string(resp.Data), `"name":"Tor – Çalakî – Beşdarî"`)
	resp = env.Do(t, staff(t, env, "abf", authz.RolePublisher), set, map[string]any{"in": map[string]any{"id": nad.ID, "language": "kmr", "name": "x"}})
	require.Equal(t, []string{"FORBIDDEN"}, resp.Codes())
	resp = env.Do(t, lead, set, map[string]any{"in": map[string]any{"id": nad.ID, "language": "kmr", "place": "x"}})
	require.Equal(t, []string{"BAD_USER_INPUT"}, resp.Codes(), "a programme has no place")
	const remove = `mutation($in: RemoveTranslationInput!) { removeTranslation(input: $in) { id } }`
	resp = env.Do(t, lead, remove, map[string]any{"in": map[string]any{"id": nad.ID, "language": "kmr"}})
	require.Empty(t, resp.Errors)
	require.Equal(t, "sv", programmes("kmr", "kmr")["NAD"].Text.Name.Language, "Kurmanji falls back to Swedish")

	// An organisation's admin translates its description; another organisation's may not.
	abf := relay.ToGlobalID("Organisation", orgID(t, env, "abf"))
	resp = env.Do(t, staff(t, env, "abf", authz.RoleOrgAdmin), set, map[string]any{"in": map[string]any{"id": abf, "language": "ar", "description": "جمعية لتعليم الكبار."}})
	require.Empty(t, resp.Errors)
	resp = doIn(t, env, authz.Principal{}, "ar", `query($id: ID!) { node(id: $id) { ... on Organisation { description text { description { language direction } } } } }`, map[string]any{"id": abf})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node":{"description":"جمعية لتعليم الكبار.","text":{"description":{"language":"ar","direction":"RTL"}}}}`, string(resp.Data))
	resp = env.Do(t, staff(t, env, "malmo", authz.RoleOrgAdmin), set, map[string]any{"in": map[string]any{"id": abf, "language": "ar", "description": "x"}})
	require.Equal(t, []string{"FORBIDDEN"}, resp.Codes())
	require.Equal(t, 2, doneActions(t, env, lead.Subject)["SET_TRANSLATION"]+doneActions(t, env, lead.Subject)["REMOVE_TRANSLATION"])
}

// TestTranslationOfAPublishedActivityIsAPublicChange: setting or removing a translation of a
// published activity is announced like any other edit (activityChanged subscribers, directories
// following the change log); of a draft, it is not.
func TestTranslationOfAPublishedActivityIsAPublicChange(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	publisher := staff(t, env, "abf", authz.RolePublisher)
	published := publishedActivity(t, env, "Språkvandring", 10)
	draft := create(t, env, publisher, activityInput("Utkast")).ID
	changes := func(gid string) int {
		t.Helper()
		_, id, err := relay.FromGlobalID(gid)
		require.NoError(t, err)
		var n int
		require.NoError(t, env.Pool.QueryRow(context.Background(),
			"SELECT count(*) FROM activity_change WHERE activity_id = $1 AND kind = 'UPDATED'", id).Scan(&n))
		return n
	}
	const set = `mutation($in: SetActivityTranslationInput!) { setActivityTranslation(input: $in) { id } }`
	const remove = `mutation($in: RemoveActivityTranslationInput!) { removeActivityTranslation(input: $in) { id } }`
	tests := []struct {
		name     string
		activity string
		query    string
		in       map[string]any
		want     int
	}{
		{"a published activity's translation", published, set, map[string]any{"language": "uk", "title": "Мовна прогулянка"}, 1},
		{"removed", published, remove, map[string]any{"language": "uk"}, 2},
		{"a draft's translation", draft, set, map[string]any{"language": "uk", "title": "Чернетка"}, 0},
	}
	for _, tt := range tests {
		tt.in["activityId"] = tt.activity
		resp := env.Do(t, publisher, tt.query, map[string]any{"in": tt.in})
		require.Empty(t, resp.Errors, tt.name)
		require.Equal(t, tt.want, changes(tt.activity), tt.name)
	}
}

// TestDeskAndCourseTranslations: a RÅDRUM desk's name and place and an SHK course's title are
// translated by those who may edit them (the desk's organisation admin, the course's
// communicator) and read in the reader's language; another organisation's staff may not write
// them.
func TestDeskAndCourseTranslations(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	malmo := orgID(t, env, "malmo")
	desk := testfactory.AdviceDesk(ctx, t, env.Pool, &testfactory.AdviceDeskOpts{OrganisationID: malmo, Name: "Rådrum Rosengård", Place: "Rosengårds bibliotek"})
	course := testfactory.Course(ctx, t, env.Pool, &testfactory.CourseOpts{OrganisationID: malmo, Title: "Samhällsorientering höst"})
	deskID, courseID := relay.ToGlobalID("AdviceDesk", desk.ID), relay.ToGlobalID("Course", course.ID)
	admin := staff(t, env, "malmo", authz.RoleOrgAdmin)
	communicator := staff(t, env, "malmo", authz.RoleCommunicator)
	const set = `mutation($in: SetTranslationInput!) { setTranslation(input: $in) { id } }`
	tests := []struct {
		name  string
		who   authz.Principal
		in    map[string]any
		codes []string
	}{
		{"the desk's organisation admin names it in Arabic", admin,
			map[string]any{"id": deskID, "language": "ar", "name": "رادروم روزنغورد", "place": "مكتبة روزنغورد"}, nil},
		{"another organisation's admin may not", staff(t, env, "lund", authz.RoleOrgAdmin),
			map[string]any{"id": deskID, "language": "so", "name": "x"}, []string{"FORBIDDEN"}},
		{"a desk has no title", admin, map[string]any{"id": deskID, "language": "so", "title": "x"}, []string{"BAD_USER_INPUT"}},
		{"the course's communicator titles it in Tigrinya", communicator,
			map[string]any{"id": courseID, "language": "ti", "title": "ምልላይ ሕብረተሰብ"}, nil},
		// Another organisation's course is not visible to its staff: refused as one that does not
		// exist.
		{"another organisation's communicator may not", staff(t, env, "lund", authz.RoleCommunicator),
			map[string]any{"id": courseID, "language": "so", "title": "x"}, []string{"BAD_USER_INPUT"}},
		{"as a course that does not exist", communicator,
			map[string]any{"id": relay.ToGlobalID("Course", course.ID+1000), "language": "so", "title": "x"}, []string{"BAD_USER_INPUT"}},
	}
	for _, tt := range tests {
		resp := env.Do(t, tt.who, set, map[string]any{"in": tt.in})
		if tt.codes == nil {
			require.Empty(t, resp.Errors, tt.name)
		} else {
			require.Equal(t, tt.codes, resp.Codes(), tt.name)
		}
	}
	resp := doIn(t, env, authz.Principal{}, "ar", `query($id: ID!) { node(id: $id) { ... on AdviceDesk {
	  text { name { text language direction } place { text language } } translations { tag } } } }`, map[string]any{"id": deskID})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node":{"text":{"name":{"text":"رادروم روزنغورد","language":"ar","direction":"RTL"},
	  "place":{"text":"مكتبة روزنغورد","language":"ar"}},"translations":[{"tag":"sv"},{"tag":"ar"}]}}`, string(resp.Data))
	resp = doIn(t, env, communicator, "ti", `query($id: ID!) { node(id: $id) { ... on Course { text { title { text language fallback } } } } }`,
		map[string]any{"id": courseID})
	require.Empty(t, resp.Errors)
	require.JSONEq(t, `{"node":{"text":{"title":{"text":"ምልላይ ሕብረተሰብ","language":"ti","fallback":false}}}}`, string(resp.Data))
}
