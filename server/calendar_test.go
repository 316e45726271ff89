package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/apitest"
)

func TestCalendarRoutes(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	tests := []struct {
		name   string
		path   string
		status int
		check  func(t *testing.T, cal *ics.Calendar)
	}{
		{"an organisation's feed", "/calendar/organisations/abf.ics", http.StatusOK, func(t *testing.T, cal *ics.Calendar) {
			require.NotEmpty(t, cal.Events())
			for _, e := range cal.Events() {
				require.Contains(t, e.GetProperty(ics.ComponentPropertyDescription).Value, "ABF Skåne")
			}
		}},
		{"an unknown organisation", "/calendar/organisations/no-such.ics", http.StatusNotFound, nil},
		{"not an .ics name", "/calendar/organisations/abf", http.StatusNotFound, nil},
		{"a discovery filter", "/calendar/activities.ics?category=SPORTS&municipality=1280&municipality=1281", http.StatusOK,
			func(t *testing.T, cal *ics.Calendar) {
				for _, e := range cal.Events() {
					require.Equal(t, "SPORTS", e.GetProperty(ics.ComponentPropertyCategories).Value)
				}
			}},
		{"drafts never appear", "/calendar/activities.ics", http.StatusOK, func(t *testing.T, cal *ics.Calendar) {
			require.NotEmpty(t, cal.Events())
			for _, e := range cal.Events() {
				require.Contains(t, []string{"CONFIRMED", "CANCELLED"}, e.GetProperty(ics.ComponentPropertyStatus).Value)
			}
		}},
		{"a bad filter", "/calendar/activities.ics?category=CHESS", http.StatusBadRequest, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			if tt.check == nil {
				return
			}
			cal, err := ics.ParseCalendar(strings.NewReader(rec.Body.String()))
			require.NoError(t, err)
			tt.check(t, cal)
		})
	}
	// The feed of all activities holds the published ones and, once published, the cancelled,
	// never drafts: compare with the database.
	var drafts int
	rec := httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/calendar/activities.ics", nil))
	require.NoError(t, env.Pool.QueryRow(t.Context(), "SELECT count(*) FROM activity WHERE status = 'DRAFT'").Scan(&drafts))
	require.Positive(t, drafts)
	cal, err := ics.ParseCalendar(strings.NewReader(rec.Body.String()))
	require.NoError(t, err)
	var public int
	require.NoError(t, env.Pool.QueryRow(t.Context(), `SELECT count(*) FROM activity
		WHERE published_at IS NOT NULL AND status <> 'DRAFT' AND starts_at IS NOT NULL`).Scan(&public))
	require.Len(t, cal.Events(), public)
}

func TestCalendarInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	get := func(path, acceptLanguage string) (*httptest.ResponseRecorder, *ics.Calendar) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if acceptLanguage != "" {
			req.Header.Set("Accept-Language", acceptLanguage)
		}
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return rec, nil
		}
		cal, err := ics.ParseCalendar(strings.NewReader(rec.Body.String()))
		require.NoError(t, err)
		return rec, cal
	}
	// The language cafés, in Arabic by parameter and by header alike: SUMMARY and DESCRIPTION in
	// Arabic with their LANGUAGE, the fields named in Arabic.
	for _, c := range []struct{ path, header string }{
		{"/calendar/activities.ics?q=Spr%C3%A5kcaf%C3%A9&lang=ar", ""},
		{"/calendar/activities.ics?q=Spr%C3%A5kcaf%C3%A9", "ar, sv;q=0.5"},
	} {
		rec, cal := get(c.path, c.header)
		require.NotNil(t, cal, rec.Body.String())
		require.Contains(t, rec.Header().Values("Vary"), "Accept-Language")
		require.Equal(t, "ar", rec.Header().Get("Content-Language"))
		require.NotEmpty(t, cal.Events())
		for _, e := range cal.Events() {
			summary := e.GetProperty(ics.ComponentPropertySummary)
			require.True(t, strings.HasPrefix(summary.Value, "مقهى اللغة"), summary.Value)
			require.Equal(t, []string{"ar"}, summary.ICalParameters["LANGUAGE"])
			description := e.GetProperty(ics.ComponentPropertyDescription)
			require.Contains(t, description.Value, "تدرّب على اللغة السويدية")
			require.Contains(t, description.Value, "الجهة المنظِّمة: ")
			require.Equal(t, []string{"ar"}, description.ICalParameters["LANGUAGE"])
		}
	}
	// Without a language, the bilingual feed of before; a bad tag is refused naming lang.
	_, cal := get("/calendar/activities.ics?q=Spr%C3%A5kcaf%C3%A9", "")
	for _, e := range cal.Events() {
		require.Contains(t, e.GetProperty(ics.ComponentPropertySummary).Value, " / Language café")
	}
	rec, _ := get("/calendar/activities.ics?lang=xx-%3F", "")
	require.Equal(t, http.StatusBadRequest, rec.Code)
	require.Contains(t, rec.Body.String(), `"lang"`)
	rec, cal = get("/calendar/organisations/abf.ics?lang=uk", "")
	require.NotNil(t, cal, rec.Body.String())
	for _, e := range cal.Events() {
		require.Contains(t, e.GetProperty(ics.ComponentPropertyDescription).Value, "Організатор: ")
	}
}
