package hsds

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/store"
)

// Version is the HSDS version the API follows.
const Version = "3.0"

// Profile is the HSDS profile the API follows: none of its own, so the base specification's.
const Profile = "https://docs.openreferral.org/en/v3.0/"

// Limits of one request.
const (
	// DefaultPerPage and MaxPerPage are how many objects a page holds by default and at most.
	DefaultPerPage = 50
	MaxPerPage     = 200
	// maxPage bounds the page number asked for.
	maxPage = 1_000_000
	// MaxOrganizationServices bounds the services nested in one organisation; its complete
	// list is /services?organization_id=.
	MaxOrganizationServices = 500
	// maxSearch bounds a search, in bytes.
	maxSearch = 200
	// maxParamValues bounds the values of one query parameter.
	maxParamValues = 1
)

// CacheControl is how long shared caches and clients may keep a public answer.
const CacheControl = "public, max-age=60"

// Config configures a [Handler].
type Config struct {
	// Store reads the directory. Required.
	Store *store.Store
	// Authz decides what the public may read and who may push. Required.
	Authz *authz.Authorizer
	// WriteError answers a request that was refused or failed, with its code's HTTP status
	// (the server's one error writer). Required.
	WriteError func(w http.ResponseWriter, r *http.Request, err error)
	// Now tells the time schedules are expanded as of; time.Now when nil.
	Now func() time.Time
	// Logger receives the errors of pushes no client is told about; slog.Default() when nil.
	Logger *slog.Logger
}

// Handler serves the HSDS API under /hsds/.
type Handler struct {
	cfg  Config
	mux  *http.ServeMux
	push *pushValidator
}

// New returns the handler of the HSDS API, to be mounted at /hsds/.
func New(cfg Config) (*Handler, error) {
	if cfg.Store == nil || cfg.Authz == nil || cfg.WriteError == nil {
		return nil, errors.New("hsds: a store, an authorizer and an error writer are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	v, err := newPushValidator()
	if err != nil {
		return nil, fmt.Errorf("hsds: %w", err)
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux(), push: v}
	h.mux.HandleFunc("GET /hsds/{$}", h.root)
	h.mux.HandleFunc("GET /hsds/openapi.json", h.openapi)
	h.mux.HandleFunc("GET /hsds/services", h.services)
	h.mux.HandleFunc("POST /hsds/services", h.pushServices)
	h.mux.HandleFunc("GET /hsds/services/{id}", h.serviceByID)
	h.mux.HandleFunc("GET /hsds/organizations", h.organizations)
	h.mux.HandleFunc("GET /hsds/organizations/{id}", h.organizationByID)
	h.mux.HandleFunc("GET /hsds/service_at_locations", h.serviceAtLocations)
	h.mux.HandleFunc("GET /hsds/service_at_locations/{id}", h.serviceAtLocationByID)
	h.mux.HandleFunc("GET /hsds/taxonomies", h.taxonomies)
	h.mux.HandleFunc("GET /hsds/taxonomies/{id}", h.taxonomyByID)
	h.mux.HandleFunc("GET /hsds/taxonomy_terms", h.taxonomyTerms)
	h.mux.HandleFunc("GET /hsds/taxonomy_terms/{id}", h.taxonomyTermByID)
	h.mux.HandleFunc("/hsds/", func(w http.ResponseWriter, r *http.Request) {
		h.cfg.WriteError(w, r, partnernet.Errorf(partnernet.CodeNotFound, "no such HSDS endpoint; see %s", "/hsds/openapi.json"))
	})
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// request is what one read asks: its language and the time it is answered as of, with the
// public's principal, whoever asks: the HSDS API shows what anyone may see.
type request struct {
	ctx  context.Context
	lang Lang
	m    mapper
}

// begin reads a request's language and checks its query parameters against those the endpoint
// allows; the decision that the public may read the directory is authz's.
func (h *Handler) begin(r *http.Request, allowed ...string) (*request, error) {
	q := r.URL.Query()
	for name, vs := range q {
		if name != "lang" && !slices.Contains(allowed, name) {
			return nil, partnernet.InputError(name, "unknown parameter; this endpoint takes %s", strings.Join(append(allowed, "lang"), ", "))
		}
		if len(vs) > maxParamValues {
			return nil, partnernet.InputError(name, "give the parameter once")
		}
	}
	if f := q.Get("format"); q.Has("format") && f != "json" {
		return nil, partnernet.InputError("format", "only json is served")
	}
	l, err := negotiate(r)
	if err != nil {
		return nil, err
	}
	ctx := authz.WithPrincipal(r.Context(), authz.Principal{})
	if err := h.cfg.Authz.Authorize(ctx, authz.ActivityPublished, authz.Read, 0); err != nil {
		return nil, err
	}
	if err := h.cfg.Authz.Authorize(ctx, authz.NetworkOrganisation, authz.Read, 0); err != nil {
		return nil, err
	}
	return &request{ctx: ctx, lang: l, m: mapper{lang: l, now: h.cfg.Now()}}, nil
}

// pageParams reads page and per_page.
func pageParams(q url.Values) (page, perPage int, err error) {
	page, perPage = 1, DefaultPerPage
	if v := q.Get("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 || page > maxPage {
			return 0, 0, partnernet.InputError("page", "give a page number of 1 to %d", maxPage)
		}
	}
	if v := q.Get("per_page"); v != "" {
		if perPage, err = strconv.Atoi(v); err != nil || perPage < 1 || perPage > MaxPerPage {
			return 0, 0, partnernet.InputError("per_page", "give 1 to %d per page", MaxPerPage)
		}
	}
	return page, perPage, nil
}

// boolParam reads a true/false parameter; false when absent.
func boolParam(q url.Values, name string) (bool, error) {
	v := q.Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, partnernet.InputError(name, "give true or false")
	}
	return b, nil
}

// uuidParam reads a UUID parameter in canonical form; "" when absent.
func uuidParam(q url.Values, name string) (string, error) {
	v := q.Get(name)
	if v == "" {
		return "", nil
	}
	u, err := uuid.Parse(v)
	if err != nil {
		return "", partnernet.InputError(name, "give a UUID")
	}
	return u.String(), nil
}

// searchParam reads a search.
func searchParam(q url.Values) (string, error) {
	s := strings.TrimSpace(q.Get("search"))
	if len(s) > maxSearch {
		return "", partnernet.InputError("search", "at most %d characters", maxSearch)
	}
	return s, nil
}

// page makes a page of total items from the contents of page number n of size perPage.
func page[T any](contents []T, total, n, perPage int) Page[T] {
	pages := (total + perPage - 1) / perPage
	if contents == nil {
		contents = []T{}
	}
	return Page[T]{TotalItems: total, TotalPages: pages, PageNumber: n, Size: len(contents),
		FirstPage: n == 1, LastPage: n >= pages, Empty: total == 0, Contents: contents}
}

// root answers the API's root: the HSDS version and profile, and where its description is.
func (h *Handler) root(w http.ResponseWriter, r *http.Request) {
	req, err := h.begin(r)
	if err != nil {
		h.cfg.WriteError(w, r, err)
		return
	}
	h.write(w, r, req, Root{Version: Version, Profile: Profile, OpenAPIURL: baseURL(r) + "/hsds/openapi.json"}, time.Time{})
}

// baseURL is the scheme and host the request reached the server at.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// write answers a read with v as JSON, with its ETag (the SHA-256 of the body), its
// Last-Modified when known (not zero), its language and cache headers; a conditional request
// that the client's copy still satisfies gets 304 Not Modified.
func (h *Handler) write(w http.ResponseWriter, r *http.Request, req *request, v any, modified time.Time) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		h.cfg.WriteError(w, r, fmt.Errorf("encode hsds response: %w", err))
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	hd := w.Header()
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", CacheControl)
	hd.Add("Vary", "Accept-Language")
	hd.Set("Content-Language", string(req.lang))
	if !modified.IsZero() {
		hd.Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
	}
	if notModified(r, etag, modified) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hd.Set("Content-Type", "application/json; charset=utf-8")
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// notModified reports whether a conditional GET is satisfied by the client's copy: If-None-Match
// names the ETag (or *), or, without If-None-Match, If-Modified-Since is not before
// Last-Modified (RFC 9110, section 13.2.2).
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == etag || tag == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !modified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !modified.Truncate(time.Second).After(t)
	}
	return false
}

// latest is the latest of the times.
func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// serviceFilter reads the filters of services and services at locations into a store filter
// of the public's activities (published, cancelled or finished, never drafts). none reports a
// filter that matches nothing (an unknown term or organisation).
func (h *Handler) serviceFilter(ctx context.Context, q url.Values) (f store.ActivityFilter, none bool, err error) {
	f = store.ActivityFilter{Announced: true}
	if f.Text, err = searchParam(q); err != nil {
		return f, false, err
	}
	termID, err := uuidParam(q, "taxonomy_term_id")
	if err != nil {
		return f, false, err
	}
	if termID != "" {
		t, term, ok := termByID(termID)
		switch {
		case !ok:
			return f, true, nil
		case t == &Categories:
			f.Categories = []partnernet.ActivityCategory{partnernet.ActivityCategory(term.Code)}
		default:
			f.TargetGroups = []partnernet.TargetGroup{partnernet.TargetGroup(term.Code)}
		}
	}
	taxonomyID, err := uuidParam(q, "taxonomy_id")
	if err != nil {
		return f, false, err
	}
	if _, ok := taxonomyByID(taxonomyID); taxonomyID != "" && !ok {
		return f, true, nil // every activity has a category and a target group: a known taxonomy keeps all
	}
	orgID, err := uuidParam(q, "organization_id")
	if err != nil {
		return f, false, err
	}
	if orgID != "" {
		orgs, err := h.cfg.Store.OrganisationList(ctx, store.OrganisationFilter{HSDSIDs: []string{orgID}},
			store.Order{Column: store.OrderName}, store.Page{Limit: 1})
		if err != nil {
			return f, false, err
		}
		if len(orgs.Rows) == 0 {
			return f, true, nil
		}
		f.OrganisationIDs = []int64{orgs.Rows[0].ID}
	}
	if v := q.Get("modified_after"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			if t, err = time.ParseInLocation(dateFormat, v, partnernet.Stockholm); err != nil {
				return f, false, partnernet.InputError("modified_after", "give a time as RFC 3339 (2026-11-01T00:00:00Z) or a date")
			}
		}
		f.ModifiedSince = &t
	}
	return f, false, nil
}

// activityPage lists page n of the public's activities f selects, in id order (so that an
// activity published while a client pages through lands on the last page, and every activity
// is on exactly one page), with their total count and what they refer to.
func (h *Handler) activityPage(req *request, f store.ActivityFilter, none bool, n, perPage int) ([]partnernet.Activity, int, error) {
	if none {
		return nil, 0, nil
	}
	total, err := h.cfg.Store.ActivityCount(req.ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if (n-1)*perPage >= total {
		return nil, total, nil
	}
	acts, err := h.cfg.Store.ActivityListAt(req.ctx, f, store.Order{Column: store.OrderID}, (n-1)*perPage, perPage)
	if err != nil {
		return nil, 0, err
	}
	if req.m.refs, err = load(req.ctx, h.cfg.Store, acts, nil); err != nil {
		return nil, 0, err
	}
	return acts, total, nil
}

// servicesParams are the parameters of /services and /service_at_locations.
var servicesParams = []string{"search", "page", "per_page", "format", "taxonomy_term_id", "taxonomy_id",
	"organization_id", "modified_after", "full"}

// services answers /services: a page of services, with their one-to-one fields or in full.
func (h *Handler) services(w http.ResponseWriter, r *http.Request) {
	req, err := h.begin(r, servicesParams...)
	if err != nil {
		h.cfg.WriteError(w, r, err)
		return
	}
	err = listServices(h, w, r, req, func(a *partnernet.Activity, full bool) (Service, error) {
		if full {
			return req.m.service(a)
		}
		return req.m.serviceBrief(a), nil
	})
	if err != nil {
		h.cfg.WriteError(w, r, err)
	}
}

// serviceAtLocations answers /service_at_locations: a page of services at their locations.
func (h *Handler) serviceAtLocations(w http.ResponseWriter, r *http.Request) {
	req, err := h.begin(r, servicesParams...)
	if err != nil {
		h.cfg.WriteError(w, r, err)
		return
	}
	err = listServices(h, w, r, req, func(a *partnernet.Activity, full bool) (ServiceAtLocation, error) {
		return req.m.serviceAtLocationOf(a, full)
	})
	if err != nil {
		h.cfg.WriteError(w, r, err)
	}
}

// serviceAtLocationOf is an activity at its location, with its service brief or in full.
func (m mapper) serviceAtLocationOf(a *partnernet.Activity, full bool) (ServiceAtLocation, error) {
	sal := m.serviceAtLocation(a)
	s := m.serviceBrief(a)
	if full {
		var err error
		if s, err = m.service(a); err != nil {
			return sal, err
		}
		sal.Schedules = s.Schedules
	}
	sal.Service = &s
	return sal, nil
}

// listServices answers a page of activities, each mapped by one.
func listServices[T any](h *Handler, w http.ResponseWriter, r *http.Request, req *request, one func(*partnernet.Activity, bool) (T, error)) error {
	q := r.URL.Query()
	n, perPage, err := pageParams(q)
	if err != nil {
		return err
	}
	full, err := boolParam(q, "full")
	if err != nil {
		return err
	}
	f, none, err := h.serviceFilter(req.ctx, q)
	if err != nil {
		return err
	}
	acts, total, err := h.activityPage(req, f, none, n, perPage)
	if err != nil {
		return err
	}
	contents := make([]T, 0, len(acts))
	var modified time.Time
	for i := range acts {
		v, err := one(&acts[i], full)
		if err != nil {
			return err
		}
		contents = append(contents, v)
		modified = latest(modified, acts[i].UpdatedAt, req.m.refs.orgs[acts[i].OrganiserID].UpdatedAt)
	}
	h.write(w, r, req, page(contents, total, n, perPage), modified)
	return nil
}

// publicActivity finds the public activity whose service (or service at location) has the
// UUID of the request's path: NOT_FOUND for an unknown one, a draft's, or a malformed id.
func (h *Handler) publicActivity(req *request, r *http.Request, kind string) (*partnernet.Activity, error) {
	notFound := partnernet.Errorf(partnernet.CodeNotFound, "no such %s", kind)
	u, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return nil, notFound
	}
	f := store.ActivityFilter{Announced: true, HSDSServiceIDs: []string{u.String()}}
	if kind == kindServiceAtLocation {
		f = store.ActivityFilter{Announced: true, HSDSServiceAtLocationIDs: []string{u.String()}}
	}
	acts, err := h.cfg.Store.ActivityListAt(req.ctx, f, store.Order{Column: store.OrderID}, 0, 1)
	if err != nil {
		return nil, err
	}
	if len(acts) == 0 {
		return nil, notFound
	}
	if req.m.refs, err = load(req.ctx, h.cfg.Store, acts, nil); err != nil {
		return nil, err
	}
	return &acts[0], nil
}

// serviceByID answers /services/{id}: one service, fully nested.
func (h *Handler) serviceByID(w http.ResponseWriter, r *http.Request) {
	req, err := h.begin(r)
	if err == nil {
		var a *partnernet.Activity
		if a, err = h.publicActivity(req, r, kindService); err == nil {
			var s Service
			if s, err = req.m.service(a); err == nil {
				h.write(w, r, req, s, latest(a.UpdatedAt, req.m.refs.orgs[a.OrganiserID].UpdatedAt))
				return
			}
		}
	}
	h.cfg.WriteError(w, r, err)
}

// serviceAtLocationByID answers /service_at_locations/{id}: one service at its location, fully
// nested with its service.
func (h *Handler) serviceAtLocationByID(w http.ResponseWriter, r *http.Request) {
	req, err := h.begin(r)
	if err == nil {
		var a *partnernet.Activity
		if a, err = h.publicActivity(req, r, kindServiceAtLocation); err == nil {
			var sal ServiceAtLocation
			if sal, err = req.m.serviceAtLocationOf(a, true); err == nil {
				h.write(w, r, req, sal, latest(a.UpdatedAt, req.m.refs.orgs[a.OrganiserID].UpdatedAt))
				return
			}
		}
	}
	h.cfg.WriteError(w, r, err)
}

// organizations answers /organizations: a page of the network's organisations by name, with
// their one-to-one fields, or in full (programmes, identifiers, services).
func (h *Handler) organizations(w http.ResponseWriter, r *http.Request) {
	req, err := h.begin(r, "search", "page", "per_page", "format", "full", "full_service")
	if err == nil {
		err = h.listOrganizations(w, r, req)
	}
	if err != nil {
		h.cfg.WriteError(w, r, err)
	}
}

// listOrganizations answers a page of organisations.
func (h *Handler) listOrganizations(w http.ResponseWriter, r *http.Request, req *request) error {
	q := r.URL.Query()
	n, perPage, err := pageParams(q)
	if err != nil {
		return err
	}
	full, err := boolParam(q, "full")
	if err != nil {
		return err
	}
	fullService, err := boolParam(q, "full_service")
	if err != nil {
		return err
	}
	f := store.OrganisationFilter{}
	if f.Search, err = searchParam(q); err != nil {
		return err
	}
	total, err := h.cfg.Store.OrganisationCount(req.ctx, f)
	if err != nil {
		return err
	}
	var orgs []partnernet.Organisation
	if (n-1)*perPage < total {
		if orgs, err = h.cfg.Store.OrganisationListAt(req.ctx, f, store.Order{Column: store.OrderID}, (n-1)*perPage, perPage); err != nil {
			return err
		}
	}
	contents := make([]Organization, 0, len(orgs))
	var modified time.Time
	if full || fullService {
		for i := range orgs {
			o, m, err := h.organizationFull(req, &orgs[i], fullService)
			if err != nil {
				return err
			}
			contents = append(contents, o)
			modified = latest(modified, m)
		}
	} else {
		if req.m.refs, err = load(req.ctx, h.cfg.Store, nil, orgs); err != nil {
			return err
		}
		for i := range orgs {
			contents = append(contents, req.m.organization(&orgs[i]))
			modified = latest(modified, orgs[i].UpdatedAt)
		}
	}
	h.write(w, r, req, page(contents, total, n, perPage), modified)
	return nil
}

// organizationFull is an organisation fully nested: its programmes, identifiers and services
// (their one-to-one fields, or in full), at most MaxOrganizationServices, and when it or they last
// changed.
func (h *Handler) organizationFull(req *request, o *partnernet.Organisation, fullService bool) (Organization, time.Time, error) {
	acts, err := h.cfg.Store.ActivityListAt(req.ctx, store.ActivityFilter{Announced: true, OrganisationIDs: []int64{o.ID}},
		store.Order{Column: store.OrderID}, 0, MaxOrganizationServices)
	if err != nil {
		return Organization{}, time.Time{}, err
	}
	parts, err := h.cfg.Store.ProgrammeParticipationListByOrganisations(req.ctx, []int64{o.ID})
	if err != nil {
		return Organization{}, time.Time{}, err
	}
	m := req.m
	if m.refs, err = load(req.ctx, h.cfg.Store, acts, []partnernet.Organisation{*o}); err != nil {
		return Organization{}, time.Time{}, err
	}
	var programmeIDs []int64
	for _, p := range parts {
		programmeIDs = append(programmeIDs, p.ProgrammeID)
	}
	if missing := slices.DeleteFunc(slices.Clone(programmeIDs), func(id int64) bool { _, ok := m.refs.programmes[id]; return ok }); len(missing) > 0 {
		got, err := h.cfg.Store.ProgrammeGetMany(req.ctx, missing)
		if err != nil {
			return Organization{}, time.Time{}, err
		}
		for _, p := range got {
			m.refs.programmes[p.ID] = p
		}
	}
	out := m.organizationFull(o, programmeIDs)
	modified := o.UpdatedAt
	for i := range acts {
		s := m.serviceBrief(&acts[i])
		if fullService {
			if s, err = m.service(&acts[i]); err != nil {
				return out, modified, err
			}
		}
		s.Organization = nil // the organisation it is nested in
		out.Services = append(out.Services, s)
		modified = latest(modified, acts[i].UpdatedAt)
	}
	return out, modified, nil
}

// organizationByID answers /organizations/{id}: one organisation, fully nested.
func (h *Handler) organizationByID(w http.ResponseWriter, r *http.Request) {
	req, err := h.begin(r, "full_service")
	if err == nil {
		err = h.oneOrganization(w, r, req)
	}
	if err != nil {
		h.cfg.WriteError(w, r, err)
	}
}

// oneOrganization answers one organisation, fully nested.
func (h *Handler) oneOrganization(w http.ResponseWriter, r *http.Request, req *request) error {
	fullService, err := boolParam(r.URL.Query(), "full_service")
	if err != nil {
		return err
	}
	notFound := partnernet.Errorf(partnernet.CodeNotFound, "no such organization")
	u, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return notFound
	}
	orgs, err := h.cfg.Store.OrganisationListAt(req.ctx, store.OrganisationFilter{HSDSIDs: []string{u.String()}},
		store.Order{Column: store.OrderID}, 0, 1)
	if err != nil {
		return err
	}
	if len(orgs) == 0 {
		return notFound
	}
	o, modified, err := h.organizationFull(req, &orgs[0], fullService)
	if err != nil {
		return err
	}
	h.write(w, r, req, o, modified)
	return nil
}

// taxonomies answers /taxonomies.
func (h *Handler) taxonomies(w http.ResponseWriter, r *http.Request) {
	req, err := h.begin(r, "search", "page", "per_page", "format")
	if err == nil {
		err = h.listStatic(w, r, req, func(search string) []any {
			var out []any
			for _, t := range Taxonomies {
				tx := req.m.taxonomy(t)
				if matches(search, tx.Name, tx.Description, t.Name) {
					out = append(out, tx)
				}
			}
			return out
		})
	}
	if err != nil {
		h.cfg.WriteError(w, r, err)
	}
}

// taxonomyTerms answers /taxonomy_terms, narrowed by taxonomy_id, parent_id (none has a parent:
// both taxonomies are flat) and top_only (every term is at the top).
func (h *Handler) taxonomyTerms(w http.ResponseWriter, r *http.Request) {
	req, err := h.begin(r, "search", "page", "per_page", "format", "taxonomy_id", "top_only", "parent_id")
	if err != nil {
		h.cfg.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	taxonomyID, err := uuidParam(q, "taxonomy_id")
	if err == nil {
		_, err = boolParam(q, "top_only")
	}
	var parentID string
	if err == nil {
		parentID, err = uuidParam(q, "parent_id")
	}
	if err == nil {
		err = h.listStatic(w, r, req, func(search string) []any {
			var out []any
			for _, t := range Taxonomies {
				if taxonomyID != "" && t.ID() != taxonomyID || parentID != "" {
					continue
				}
				for _, term := range t.Terms {
					tt := req.m.term(t, term.Code)
					if matches(search, tt.Name, tt.Description, tt.Code) {
						out = append(out, tt)
					}
				}
			}
			return out
		})
	}
	if err != nil {
		h.cfg.WriteError(w, r, err)
	}
}

// matches reports whether any of the texts contains the search, case-insensitively; an empty
// search matches all.
func matches(search string, texts ...string) bool {
	if search == "" {
		return true
	}
	for _, t := range texts {
		if strings.Contains(strings.ToLower(t), strings.ToLower(search)) {
			return true
		}
	}
	return false
}

// listStatic answers a page of the objects all returns for the search: the taxonomies' and
// their terms', which are part of the program.
func (h *Handler) listStatic(w http.ResponseWriter, r *http.Request, req *request, all func(search string) []any) error {
	q := r.URL.Query()
	n, perPage, err := pageParams(q)
	if err != nil {
		return err
	}
	search, err := searchParam(q)
	if err != nil {
		return err
	}
	items := all(search)
	from, to := min((n-1)*perPage, len(items)), min(n*perPage, len(items))
	h.write(w, r, req, page(items[from:to], len(items), n, perPage), time.Time{})
	return nil
}

// taxonomyByID answers /taxonomies/{id}.
func (h *Handler) taxonomyByID(w http.ResponseWriter, r *http.Request) {
	req, err := h.begin(r)
	if err != nil {
		h.cfg.WriteError(w, r, err)
		return
	}
	t, ok := taxonomyByID(r.PathValue("id"))
	if !ok {
		h.cfg.WriteError(w, r, partnernet.Errorf(partnernet.CodeNotFound, "no such taxonomy"))
		return
	}
	h.write(w, r, req, req.m.taxonomy(t), time.Time{})
}

// taxonomyTermByID answers /taxonomy_terms/{id}.
func (h *Handler) taxonomyTermByID(w http.ResponseWriter, r *http.Request) {
	req, err := h.begin(r)
	if err != nil {
		h.cfg.WriteError(w, r, err)
		return
	}
	t, term, ok := termByID(r.PathValue("id"))
	if !ok {
		h.cfg.WriteError(w, r, partnernet.Errorf(partnernet.CodeNotFound, "no such taxonomy term"))
		return
	}
	h.write(w, r, req, req.m.term(t, term.Code), time.Time{})
}
