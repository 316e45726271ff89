package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/calendar"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// organisationCalendar serves the iCalendar feed of one organisation's public activities
// (organised or co-organised), at /calendar/organisations/{slug}.ics.
func (s *Server) organisationCalendar(w http.ResponseWriter, r *http.Request) {
	slug, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || slug == "" {
		writeError(w, r, partnernet.Errorf(partnernet.CodeNotFound, "no such calendar; feeds are named <organisation>.ics"))
		return
	}
	org, err := s.store.OrganisationGetBySlug(r.Context(), slug)
	if errors.Is(err, partnernet.ErrNotFound) {
		writeError(w, r, partnernet.Errorf(partnernet.CodeNotFound, "no such organisation"))
		return
	}
	if err != nil {
		s.calendarError(w, r, err)
		return
	}
	f := store.ActivityFilter{Announced: true, OrganisationSlugs: []string{slug}}
	for name, vs := range r.URL.Query() {
		if name != "lang" || len(vs) != 1 {
			s.calendarError(w, r, partnernet.InputError(name, "an organisation's feed takes one parameter: lang"))
			return
		}
		if f.TextLanguage, err = partnernet.ParseLanguageTag("lang", vs[0]); err != nil {
			s.calendarError(w, r, err)
			return
		}
	}
	s.writeCalendar(w, r, org.Name, f)
}

// activitiesCalendar serves the iCalendar feed of the public activities a discovery filter
// selects, given as query parameters (see calendar.FilterFromQuery).
func (s *Server) activitiesCalendar(w http.ResponseWriter, r *http.Request) {
	f, err := calendar.FilterFromQuery(r.URL.Query())
	if err != nil {
		s.calendarError(w, r, err)
		return
	}
	s.writeCalendar(w, r, "Partnerskap Skåne – aktiviteter", f)
}

// activityCalendar serves the iCalendar feed of one public activity (published, or since
// cancelled or finished), at /calendar/activities/{id}.ics with the activity's global ID: what
// the finder offers as "add to calendar". A draft, an unknown ID and a malformed one are alike
// "no such activity".
func (s *Server) activityCalendar(w http.ResponseWriter, r *http.Request) {
	gid, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	id, err := relay.DecodeID("id", "Activity", gid)
	if !ok || err != nil {
		writeError(w, r, partnernet.Errorf(partnernet.CodeNotFound, "no such activity; feeds are named <activity ID>.ics"))
		return
	}
	s.writeCalendar(w, r, "", store.ActivityFilter{Announced: true, IDs: []int64{id}})
}

// writeCalendar lists the activities of f, published or since cancelled, and writes them as a
// feed named name. With no name, f names one activity: the feed takes its title, and is "no
// such activity" when f finds none.
func (s *Server) writeCalendar(w http.ResponseWriter, r *http.Request, name string, f store.ActivityFilter) {
	ctx := authz.WithPrincipal(r.Context(), authz.Principal{})
	if err := s.authz.Authorize(ctx, authz.ActivityPublished, authz.Read, 0); err != nil {
		s.calendarError(w, r, err)
		return
	}
	page, err := s.store.ActivityList(ctx, f, store.Order{Column: store.OrderTitle}, store.Page{Limit: calendar.MaxEvents})
	if err != nil {
		s.calendarError(w, r, err)
		return
	}
	if name == "" {
		if len(page.Rows) != 1 {
			writeError(w, r, partnernet.Errorf(partnernet.CodeNotFound, "no such activity"))
			return
		}
		name = page.Rows[0].Title
	}
	names := calendar.Names{Organisations: map[int64]string{}, Municipalities: map[int64]string{}}
	// The feed's language: its lang parameter, else Accept-Language; none keeps the bilingual
	// feed.
	names.Reader = partnernet.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if f.TextLanguage != "" {
		names.Reader = partnernet.Reader{f.TextLanguage}
	}
	w.Header().Add("Vary", "Accept-Language")
	if len(names.Reader) > 0 {
		ids := make([]int64, len(page.Rows))
		for i, a := range page.Rows {
			ids[i] = a.ID
		}
		texts, err := s.store.ActivityTranslationListByActivities(ctx, ids)
		if err != nil {
			s.calendarError(w, r, err)
			return
		}
		names.Texts = make(map[int64][]partnernet.ActivityTranslation, len(ids))
		for _, t := range texts {
			names.Texts[t.ActivityID] = append(names.Texts[t.ActivityID], t)
		}
		w.Header().Set("Content-Language", string(names.Reader.Wants()))
	}
	var orgIDs, municipalityIDs []int64
	for _, a := range page.Rows {
		orgIDs = append(append(orgIDs, a.OrganiserID), a.CoOrganiserIDs...)
		if a.MunicipalityID != nil {
			municipalityIDs = append(municipalityIDs, *a.MunicipalityID)
		}
	}
	orgs, err := s.store.OrganisationGetMany(ctx, orgIDs)
	if err != nil {
		s.calendarError(w, r, err)
		return
	}
	for _, o := range orgs {
		names.Organisations[o.ID] = o.Name
	}
	ms, err := s.store.MunicipalityGetMany(ctx, municipalityIDs)
	if err != nil {
		s.calendarError(w, r, err)
		return
	}
	for _, m := range ms {
		names.Municipalities[m.ID] = m.Name
	}
	w.Header().Set("Content-Type", calendar.ContentType)
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write([]byte(calendar.Write(name, calendar.UIDDomain, page.Rows, names)))
}

// calendarError answers a feed request that failed, as writeFailure does: 400 with the message
// and field for bad input, 503 when the database is unavailable, 500 (logged) otherwise.
func (s *Server) calendarError(w http.ResponseWriter, r *http.Request, err error) {
	s.writeFailure(w, r, "calendar feed", err)
}
