package hsds

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/store"
)

// MaxPushRows bounds the services of one push.
const MaxPushRows = 100

// The results of a pushed row.
const (
	ResultCreated   = "created"
	ResultUpdated   = "updated"
	ResultUnchanged = "unchanged"
	ResultRefused   = "refused"
)

// RowError is why a pushed row was refused: a stable code, the field it is about (the row's
// index, then the HSDS field: "3.schedules.0.opens_at") and a message.
type RowError struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// RowResult is what became of one pushed service.
type RowResult struct {
	// Index is the row's place in the push, from 0.
	Index int `json:"index"`
	// ID is the id the pushing system gave the service.
	ID string `json:"id,omitempty"`
	// ServiceID is the service's id in this API (/hsds/services/{id}), once it exists.
	ServiceID string `json:"service_id,omitempty"`
	// Result is created, updated, unchanged or refused.
	Result string `json:"result"`
	// Status is the service's HSDS status after the push.
	Status string `json:"status,omitempty"`
	// Errors say why a row was refused.
	Errors []RowError `json:"errors,omitempty"`
}

// PushResponse answers a push: how many rows became what, and each row's result in order.
type PushResponse struct {
	Created   int         `json:"created"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Refused   int         `json:"refused"`
	Results   []RowResult `json:"results"`
}

// pushServices answers POST /hsds/services: an organisation's own system (with an API key of a
// publisher or organisation admin) publishes its activities as HSDS services. The body is one
// service or an array of at most MaxPushRows. Each row is validated against the official schema
// and the activity's rules and written in a transaction of its own, so that a refused row holds
// back no other; the source's own id makes a push idempotent: the same id again updates that
// activity (or leaves it unchanged), never makes another. Status active publishes, inactive
// keeps a new service a draft and finishes a published one, defunct cancels.
func (h *Handler) pushServices(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := authz.PrincipalFrom(ctx)
	if p.Anonymous() {
		h.cfg.WriteError(w, r, partnernet.Errorf(partnernet.CodeUnauthenticated, "push with an API key of your organisation"))
		return
	}
	if err := h.cfg.Authz.Authorize(ctx, authz.ActivityEdit, authz.Write, p.OrganisationID); err != nil {
		h.cfg.WriteError(w, r, err)
		return
	}
	if p.OrganisationID == 0 {
		h.cfg.WriteError(w, r, partnernet.Errorf(partnernet.CodeForbidden, "push for an organisation: use its API key"))
		return
	}
	lang, err := pushLang(r)
	if err != nil {
		h.cfg.WriteError(w, r, err)
		return
	}
	rows, err := readRows(r.Body)
	if err != nil {
		h.cfg.WriteError(w, r, err)
		return
	}
	resp := PushResponse{Results: make([]RowResult, len(rows))}
	for i, row := range rows {
		res := h.pushRow(ctx, p.OrganisationID, lang, i, row)
		switch res.Result {
		case ResultCreated:
			resp.Created++
		case ResultUpdated:
			resp.Updated++
		case ResultUnchanged:
			resp.Unchanged++
		default:
			resp.Refused++
		}
		resp.Results[i] = res
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(resp)
}

// pushLang is the language of a push's texts: the lang parameter, else Content-Language, else
// Swedish.
func pushLang(r *http.Request) (Lang, error) {
	if r.URL.Query().Has("lang") {
		return negotiate(r)
	}
	primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Language"))), "-")
	if slices.Contains(Langs, Lang(primary)) {
		return Lang(primary), nil
	}
	return Langs[0], nil
}

// readRows reads a push's body: one service object or an array of them.
func readRows(body io.Reader) ([]any, error) {
	raw, err := io.ReadAll(body)
	if err != nil {
		return nil, fmt.Errorf("read the pushed services: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, partnernet.InputError("body", "not JSON: give an HSDS service or an array of them")
	}
	switch v := doc.(type) {
	case []any:
		if len(v) == 0 || len(v) > MaxPushRows {
			return nil, partnernet.InputError("body", "give 1 to %d services", MaxPushRows)
		}
		return v, nil
	case map[string]any:
		return []any{v}, nil
	}
	return nil, partnernet.InputError("body", "give an HSDS service or an array of them")
}

// refuse is the result of a refused row, its error as a RowError.
func refuse(res RowResult, prefix string, err error) RowResult {
	res.Result, res.Status = ResultRefused, ""
	var e *partnernet.Error
	if errors.As(err, &e) {
		field := prefix
		if e.Field != "" {
			field += "." + e.Field
		}
		res.Errors = append(res.Errors, RowError{Code: string(e.Code), Field: field, Message: e.Message})
		return res
	}
	res.Errors = append(res.Errors, RowError{Code: string(partnernet.CodeInternal), Field: prefix, Message: "internal server error"})
	return res
}

// pushRow validates and writes one pushed service for organisation org.
func (h *Handler) pushRow(ctx context.Context, org int64, lang Lang, i int, row any) RowResult {
	prefix := strconv.Itoa(i)
	res := RowResult{Index: i}
	if obj, ok := row.(map[string]any); ok {
		res.ID, _ = obj["id"].(string)
	}
	if errs := h.push.validate(prefix, row); len(errs) > 0 {
		res.Result, res.Errors = ResultRefused, errs
		return res
	}
	var s Service
	raw, _ := json.Marshal(row)
	if err := json.Unmarshal(raw, &s); err != nil {
		field := ""
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field = te.Field
		}
		return refuse(res, prefix, partnernet.InputError(field, "give a whole number"))
	}
	source, _ := uuid.Parse(s.ID)
	res.ID = source.String()
	switch s.Status {
	case "temporarily closed":
		return refuse(res, prefix, partnernet.InputError("status", "temporarily closed has no counterpart: keep it active (with an alert), or make it inactive or defunct"))
	case "active", "inactive", "defunct":
	default:
		return refuse(res, prefix, partnernet.InputError("status", "give active, inactive or defunct"))
	}
	if s.OrganizationID != "" && s.OrganizationID != ID(kindOrganization, org) {
		return refuse(res, prefix, partnernet.InputError("organization_id", "push your own organisation's services (%s), or leave organization_id out", ID(kindOrganization, org)))
	}
	if err := h.cfg.Authz.Authorize(ctx, authz.ActivityPublish, authz.Write, org); err != nil {
		return refuse(res, prefix, err)
	}
	var out partnernet.Activity
	err := h.cfg.Store.InTx(ctx, func(tx *store.Store) error {
		var err error
		out, res.Result, err = h.writeRow(ctx, tx, org, lang, res.ID, s)
		return err
	})
	if err != nil {
		if partnernet.ErrorCode(err) == partnernet.CodeInternal {
			h.cfg.Logger.ErrorContext(ctx, "hsds push failed", "err", err, "row", i)
		}
		return refuse(res, prefix, err)
	}
	res.ServiceID, res.Status = ID(kindService, out.ID), status(out.Status)
	if out.Status == partnernet.ActivityDraft {
		res.Status = "inactive"
	}
	return res
}

// writeRow creates, updates or moves the activity pushed under source, in tx, and returns it
// with what became of it.
func (h *Handler) writeRow(ctx context.Context, tx *store.Store, org int64, lang Lang, source string, s Service) (partnernet.Activity, string, error) {
	existingID, err := tx.ActivitySourceGet(ctx, org, source)
	switch {
	case errors.Is(err, partnernet.ErrNotFound):
		return h.createRow(ctx, tx, org, lang, source, s)
	case err != nil:
		return partnernet.Activity{}, "", err
	}
	current, err := tx.ActivityLock(ctx, existingID)
	if err != nil {
		return current, "", err
	}
	want := map[string]partnernet.ActivityStatus{"active": partnernet.ActivityPublished, "inactive": partnernet.ActivityFinished,
		"defunct": partnernet.ActivityCancelled}[s.Status]
	if current.Status == partnernet.ActivityDraft && want == partnernet.ActivityFinished {
		want = partnernet.ActivityDraft // a draft stays one until it is pushed active
	}
	switch {
	case current.Status == want && (want == partnernet.ActivityCancelled || want == partnernet.ActivityFinished):
		return current, ResultUnchanged, nil
	case current.Status == partnernet.ActivityCancelled || current.Status == partnernet.ActivityFinished:
		return current, "", partnernet.Errorf(partnernet.CodeConflict, "a %s activity cannot be changed", current.Status)
	case want == partnernet.ActivityCancelled:
		out, err := tx.ActivitySetStatus(ctx, current.ID, want)
		return out, ResultUpdated, err
	}
	next := current
	occurrences, err := h.activityOf(ctx, lang, s, &next, false)
	if err != nil {
		return current, "", err
	}
	result := ResultUnchanged
	out := current
	if !sameEditable(current, next) {
		if out, err = tx.ActivityUpdate(ctx, next, occurrences); err != nil {
			return out, "", err
		}
		result = ResultUpdated
	}
	if out.Status != want {
		if want == partnernet.ActivityPublished && out.Schedule.StartsAt == nil {
			return out, "", partnernet.InputError("schedules", "schedule the activity before publishing it")
		}
		if out, err = tx.ActivitySetStatus(ctx, out.ID, want); err != nil {
			return out, "", err
		}
		result = ResultUpdated
	}
	return out, result, nil
}

// createRow creates the activity of a service pushed under a new source id: published when it
// is active, a draft when inactive.
func (h *Handler) createRow(ctx context.Context, tx *store.Store, org int64, lang Lang, source string, s Service) (partnernet.Activity, string, error) {
	if s.Status == "defunct" {
		return partnernet.Activity{}, "", partnernet.InputError("status", "no service with this id to cancel")
	}
	a := partnernet.Activity{OrganiserID: org}
	occurrences, err := h.activityOf(ctx, lang, s, &a, true)
	if err != nil {
		return a, "", err
	}
	if s.Status == "active" && a.Schedule.StartsAt == nil {
		return a, "", partnernet.InputError("schedules", "schedule the activity before publishing it")
	}
	out, err := tx.ActivityCreate(ctx, a, occurrences)
	if err != nil {
		return out, "", err
	}
	if err := tx.ActivitySourceCreate(ctx, org, source, out.ID); err != nil {
		return out, "", err
	}
	if s.Status == "active" {
		out, err = tx.ActivitySetStatus(ctx, out.ID, partnernet.ActivityPublished)
	}
	return out, ResultCreated, err
}

// sameEditable reports whether two activities agree in every field an editor writes.
func sameEditable(a, b partnernet.Activity) bool {
	norm := func(x partnernet.Activity) partnernet.Activity {
		x.ID, x.Status, x.Version, x.PublishedAt, x.CancelledAt = 0, "", 0, nil, nil
		x.CreatedAt, x.UpdatedAt = time.Time{}, time.Time{}
		x.Schedule = normSchedule(x.Schedule)
		var more []partnernet.Schedule
		for _, s := range x.MoreSchedules {
			more = append(more, normSchedule(s))
		}
		x.MoreSchedules = more
		if len(x.ServiceAreaIDs) == 0 {
			x.ServiceAreaIDs = nil
		}
		if len(x.CoOrganiserIDs) == 0 {
			x.CoOrganiserIDs = nil
		}
		return x
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

// normSchedule is s with its times in UTC and no empty list of exceptions, for comparing.
func normSchedule(s partnernet.Schedule) partnernet.Schedule {
	if s.StartsAt != nil {
		t := s.StartsAt.UTC()
		s.StartsAt = &t
	}
	var ex []time.Time
	for _, t := range s.ExDates {
		ex = append(ex, t.UTC())
	}
	s.ExDates = ex
	return s
}

// fieldNames map the activity's field paths (as Activity.Validate names them) to the pushed
// service's.
var fieldNames = map[string]string{
	"title": "name", "titleEn": "name", "description": "description", "descriptionEn": "description",
	"accessibility": "service_at_locations.0.location.accessibility", "languages": "languages",
	"targetGroups": "attributes", "location.onlineUrl": "service_at_locations.0.location.url",
	"location.address":          "service_at_locations.0.location.addresses.0.address_1",
	"location.municipalityCode": "service_at_locations.0.location.addresses.0.city",
	"location.latitude":         "service_at_locations.0.location.latitude",
	"location.longitude":        "service_at_locations.0.location.longitude",
	"minAge":                    "minimum_age", "maxAge": "maximum_age", "costSek": "cost_options.0.amount",
	"costNote": "cost_options.0.amount_description", "contactName": "contacts.0.name", "contactEmail": "email",
	"contactPhone": "phones.0.number", "serviceAreaCodes": "service_areas", "applicationProcess": "application_process",
	"interpretationServices": "interpretation_services",
}

// hsdsField renames the field of a BAD_USER_INPUT the activity's Validate returned (under
// prefix "activity") to the pushed service's.
func hsdsField(err error) error {
	var e *partnernet.Error
	if !errors.As(err, &e) || e.Code != partnernet.CodeBadUserInput {
		return err
	}
	field := strings.TrimPrefix(e.Field, "activity.")
	if strings.HasPrefix(field, "schedule.") || strings.HasPrefix(field, "moreSchedules") {
		field = "schedules"
	} else if name, ok := fieldNames[field]; ok {
		field = name
	}
	return partnernet.InputError(field, "%s", e.Message)
}

// activityOf maps a pushed service onto a: the texts in lang (on create, the other languages'
// repeat them until they are pushed), and every field HSDS carries; what HSDS has no field for
// (capacity, co-organisers) is kept. It validates a and returns the occurrences of its
// schedule.
func (h *Handler) activityOf(ctx context.Context, lang Lang, s Service, a *partnernet.Activity, create bool) ([]partnernet.Occurrence, error) {
	setText := func(sv, en *string, v string, copyOther bool) {
		if lang == English {
			*en = v
			if copyOther {
				*sv = v
			}
			return
		}
		*sv = v
		if copyOther {
			*en = v
		}
	}
	setText(&a.Title, &a.TitleEn, s.Name, create)
	setText(&a.Description, &a.DescriptionEn, s.Description, false)
	a.ApplicationProcess, a.InterpretationServices = s.ApplicationProcess, s.InterpretationServices
	a.MinAge, a.MaxAge = s.MinimumAge, s.MaximumAge
	if err := h.programmeOf(ctx, s.ProgramID, a); err != nil {
		return nil, err
	}
	if err := termsOf(s.Attributes, a); err != nil {
		return nil, err
	}
	a.Languages = nil
	for _, l := range s.Languages {
		code := strings.ToLower(strings.TrimSpace(l.Code))
		if !slices.Contains(a.Languages, code) {
			a.Languages = append(a.Languages, code)
		}
	}
	if len(a.Languages) == 0 {
		a.Languages = []string{"sv"}
	}
	costOf(s, a)
	contactOf(s, a)
	if err := h.placeOf(ctx, s, a); err != nil {
		return nil, err
	}
	all, firsts, err := schedulesOf(s.Schedules, time.Now())
	if err != nil {
		return nil, err
	}
	a.Schedule, a.MoreSchedules = partnernet.Schedule{DurationMinutes: 60}, nil
	if len(all) > 0 {
		a.Schedule, a.MoreSchedules = all[0], all[1:]
	}
	if err := a.Validate("activity"); err != nil {
		return nil, hsdsField(err)
	}
	occurrences, err := a.Occurrences("activity", time.Now())
	var e *partnernet.Error
	if errors.As(err, &e) && e.Code == partnernet.CodeBadUserInput {
		// Two schedules starting an occurrence at the same time: name the later one as pushed.
		var k int
		if _, scanErr := fmt.Sscanf(e.Field, "activity.moreSchedules.%d", &k); scanErr == nil && k+1 < len(firsts) {
			return nil, partnernet.InputError(fmt.Sprintf("schedules.%d", firsts[k+1]), "%s", e.Message)
		}
	}
	if err != nil {
		return nil, hsdsField(err)
	}
	return occurrences, nil
}

// programmeOf sets the activity's programme from the service's program_id: NAD when there is
// none.
func (h *Handler) programmeOf(ctx context.Context, programID string, a *partnernet.Activity) error {
	if programID == "" {
		if a.ProgrammeID != 0 {
			return nil
		}
		p, err := h.cfg.Store.ProgrammeGetByCode(ctx, partnernet.ProgrammeNAD)
		if err != nil {
			return err
		}
		a.ProgrammeID = p.ID
		return nil
	}
	for _, code := range partnernet.ProgrammeCode("").Values() {
		p, err := h.cfg.Store.ProgrammeGetByCode(ctx, partnernet.ProgrammeCode(code))
		if errors.Is(err, partnernet.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if ID(kindProgram, p.ID) == programID {
			a.ProgrammeID = p.ID
			return nil
		}
	}
	return partnernet.InputError("program_id", "no such program; see the programs of /hsds/organizations/{id}")
}

// termsOf sets the activity's category and target groups from the service's attributes: one
// term of the categories taxonomy (required) and any of the target groups' (everyone by
// default).
func termsOf(attrs []Attribute, a *partnernet.Activity) error {
	a.Category, a.TargetGroups = "", nil
	for i, at := range attrs {
		id := at.TaxonomyTermID
		if id == "" && at.TaxonomyTerm != nil {
			id = at.TaxonomyTerm.ID
		}
		t, term, ok := termByID(id)
		switch {
		case !ok:
			return partnernet.InputError(fmt.Sprintf("attributes.%d.taxonomy_term_id", i), "no such term; see /hsds/taxonomy_terms")
		case t == &Categories && a.Category != "":
			return partnernet.InputError(fmt.Sprintf("attributes.%d.taxonomy_term_id", i), "one category at most")
		case t == &Categories:
			a.Category = partnernet.ActivityCategory(term.Code)
		case !slices.Contains(a.TargetGroups, partnernet.TargetGroup(term.Code)):
			a.TargetGroups = append(a.TargetGroups, partnernet.TargetGroup(term.Code))
		}
	}
	if a.Category == "" {
		return partnernet.InputError("attributes", "link one term of the taxonomy %s (/hsds/taxonomy_terms?taxonomy_id=%s)", Categories.Name, Categories.ID())
	}
	if len(a.TargetGroups) == 0 {
		a.TargetGroups = []partnernet.TargetGroup{partnernet.TargetEveryone}
	}
	return nil
}

// costOf sets the fee from the first cost option in kronor (its amount description the note),
// or free with fees_description as the note.
func costOf(s Service, a *partnernet.Activity) {
	a.CostSEK, a.CostNote = 0, s.FeesDescription
	if len(s.CostOptions) > 0 {
		c := s.CostOptions[0]
		if c.Amount != nil {
			a.CostSEK = *c.Amount
		}
		a.CostNote = c.AmountDescription
	}
}

// contactOf sets the contact from the service's email and phones and its first contact.
func contactOf(s Service, a *partnernet.Activity) {
	a.ContactName, a.ContactEmail, a.ContactPhone = nil, nil, nil
	set := func(dst **string, v string) {
		if v != "" && *dst == nil {
			*dst = &v
		}
	}
	set(&a.ContactEmail, s.Email)
	if len(s.Phones) > 0 {
		set(&a.ContactPhone, s.Phones[0].Number)
	}
	if len(s.Contacts) > 0 {
		c := s.Contacts[0]
		set(&a.ContactName, c.Name)
		set(&a.ContactEmail, c.Email)
		if len(c.Phones) > 0 {
			set(&a.ContactPhone, c.Phones[0].Number)
		}
	}
}

// municipality finds a municipality of Skåne by name or official code.
func (h *Handler) municipality(ctx context.Context, field, v string) (partnernet.Municipality, error) {
	v = strings.TrimSpace(v)
	ms, err := h.cfg.Store.MunicipalityList(ctx, store.MunicipalityFilter{}, store.Order{Column: store.OrderCode}, store.Page{Limit: 100})
	if err != nil {
		return partnernet.Municipality{}, err
	}
	for _, m := range ms.Rows {
		if strings.EqualFold(m.Name, v) || m.Code == v || strings.EqualFold(m.Name+" kommun", v) {
			return m, nil
		}
	}
	return partnernet.Municipality{}, partnernet.InputError(field, "%q is not a municipality of Skåne (name or code)", v)
}

// placeOf sets where the activity takes place from its one service at location (a virtual one
// online, a physical one with an address in a municipality of Skåne), and the municipalities it
// serves from its service areas.
func (h *Handler) placeOf(ctx context.Context, s Service, a *partnernet.Activity) error {
	a.ServiceAreaIDs = nil
	for i, sa := range s.ServiceAreas {
		m, err := h.municipality(ctx, fmt.Sprintf("service_areas.%d.name", i), sa.Name)
		if err != nil {
			return err
		}
		if !slices.Contains(a.ServiceAreaIDs, m.ID) {
			a.ServiceAreaIDs = append(a.ServiceAreaIDs, m.ID)
		}
	}
	slices.Sort(a.ServiceAreaIDs)
	a.Online, a.OnlineURL, a.Address, a.MunicipalityID, a.Latitude, a.Longitude, a.Accessibility = false, nil, nil, nil, nil, nil, ""
	switch {
	case len(s.ServiceAtLocations) == 0 || s.ServiceAtLocations[0].Location == nil:
		return partnernet.InputError("service_at_locations", "say where: one location, physical with an address in Skåne or virtual with its https url")
	case len(s.ServiceAtLocations) > 1:
		return partnernet.InputError("service_at_locations", "an activity takes place at one location")
	}
	loc := s.ServiceAtLocations[0].Location
	const field = "service_at_locations.0.location"
	if loc.LocationType == "virtual" {
		a.Online = true
		if loc.URL != "" {
			a.OnlineURL = &loc.URL
		}
		return nil
	}
	a.Latitude, a.Longitude = loc.Latitude, loc.Longitude
	if len(loc.Accessibility) > 0 {
		a.Accessibility = loc.Accessibility[0].Description
	}
	switch {
	case len(loc.Addresses) > 0:
		addr := loc.Addresses[0]
		a.Address = &addr.Address1
		m, err := h.municipality(ctx, field+".addresses.0.city", addr.City)
		if err != nil {
			return err
		}
		a.MunicipalityID = &m.ID
	case loc.Name != "":
		if m, err := h.municipality(ctx, field+".name", loc.Name); err == nil {
			a.MunicipalityID = &m.ID
		}
	}
	return nil
}

// ruleKey is what the HSDS schedules of one activity schedule share: everything but the window
// each holds for and the UTC offset it is read with.
type ruleKey struct {
	rule     string
	start    time.Time
	duration time.Duration
	until    string
}

// schedulesOf reads pushed HSDS schedules into activity schedules: those that are parts of one
// rule (the same rule parts, first date, wall-clock time in Stockholm and duration; as this API
// gives a schedule across summer and winter time and around exceptions) become one schedule,
// in the order the rules first appear, at most [partnernet.MaxSchedules]; with the index of the
// first pushed schedule of each. None is unscheduled.
func schedulesOf(in []Schedule, now time.Time) ([]partnernet.Schedule, []int, error) {
	if len(in) > maxPushedSchedules {
		return nil, nil, partnernet.InputError("schedules", "at most %d schedules", maxPushedSchedules)
	}
	var keys []ruleKey
	groups := map[ruleKey][]int{}
	read := make([]readRule, len(in))
	for i, s := range in {
		k, w, err := readSchedule(s)
		if err != nil {
			var e *partnernet.Error
			if errors.As(err, &e) {
				return nil, nil, partnernet.InputError(fmt.Sprintf("schedules.%d.%s", i, e.Field), "%s", e.Message)
			}
			return nil, nil, err
		}
		read[i] = readRule{key: k, window: w}
		if _, ok := groups[k]; !ok {
			if len(keys) == partnernet.MaxSchedules {
				return nil, nil, partnernet.InputError(fmt.Sprintf("schedules.%d", i), "at most %d different rules (schedules differing in more than their windows of dates)", partnernet.MaxSchedules)
			}
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	out, firsts := make([]partnernet.Schedule, 0, len(keys)), make([]int, 0, len(keys))
	for _, k := range keys {
		s, err := scheduleOf(read, groups[k], now)
		if err != nil {
			return nil, nil, err
		}
		out, firsts = append(out, s), append(firsts, groups[k][0])
	}
	return out, firsts, nil
}

// readRule is what one pushed schedule says: the rule it is a part of and its window of dates.
type readRule struct {
	key    ruleKey
	window [2]time.Time
}

// scheduleOf makes one activity schedule of the pushed schedules at indexes, all parts of one
// rule: the occurrences of the rule outside every schedule's window become exception dates.
func scheduleOf(read []readRule, indexes []int, now time.Time) (partnernet.Schedule, error) {
	key, first := read[indexes[0]].key, indexes[0]
	at := func(name string) string { return fmt.Sprintf("schedules.%d.%s", first, name) }
	start := key.start
	out := partnernet.Schedule{StartsAt: &start, DurationMinutes: int(key.duration / time.Minute)}
	if key.rule == "" {
		if len(indexes) > 1 {
			return out, partnernet.InputError(fmt.Sprintf("schedules.%d", indexes[1]), "a schedule without freq occurs once: give it once")
		}
		return out, nil
	}
	windows := make([][2]time.Time, len(indexes))
	for i, j := range indexes {
		windows[i] = read[j].window
	}
	rule, last := key.rule, key.until
	if last == "" && !strings.Contains(rule, "COUNT=") {
		// An open-ended rule whose every window ends ends with the last window.
		var latestTo time.Time
		for _, w := range windows {
			if w[1].IsZero() {
				latestTo = time.Time{}
				break
			}
			latestTo = latest(latestTo, w[1])
		}
		if !latestTo.IsZero() {
			last = latestTo.Format(dateFormat)
		}
	}
	if last != "" {
		until, err := date(at("until"), last)
		if err != nil {
			return out, err
		}
		rule += ";UNTIL=" + until.AddDate(0, 0, 1).Add(-time.Second).UTC().Format("20060102T150405Z")
	}
	r, err := partnernet.ParseRRule(rule, start)
	if err != nil {
		return out, partnernet.InputError(at("freq"), "%s", err.Error())
	}
	normal := partnernet.NormalizeRRule(r)
	out.RRule = &normal
	all, err := out.Occurrences(now)
	if err != nil {
		return out, partnernet.InputError(at("freq"), "%s", err.Error())
	}
	open := len(windows) == 1 && windows[0][0].IsZero() && windows[0][1].IsZero()
	for _, t := range all {
		local := t.In(partnernet.Stockholm)
		day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, partnernet.Stockholm)
		inside := open
		for _, w := range windows {
			inside = inside || (w[0].IsZero() || !day.Before(w[0])) && (w[1].IsZero() || !day.After(w[1]))
		}
		if !inside {
			out.ExDates = append(out.ExDates, t)
		}
	}
	if len(out.ExDates) > partnernet.MaxExceptions {
		return out, partnernet.InputError(at("valid_from"), "at most %d occurrences of the rule may fall outside the schedules' windows", partnernet.MaxExceptions)
	}
	return out, nil
}

// readSchedule reads one pushed HSDS schedule: its rule and what it shares with the other
// schedules of its rule, and the window of dates it holds for (zero times where open).
func readSchedule(s Schedule) (ruleKey, [2]time.Time, error) {
	var w [2]time.Time
	first, err := date("dtstart", s.DTStart)
	if err != nil {
		return ruleKey{}, w, err
	}
	if w[0], err = date("valid_from", s.ValidFrom); err != nil {
		return ruleKey{}, w, err
	}
	if w[1], err = date("valid_to", s.ValidTo); err != nil {
		return ruleKey{}, w, err
	}
	if first.IsZero() {
		first = w[0]
	}
	if first.IsZero() {
		return ruleKey{}, w, partnernet.InputError("dtstart", "give the date of the first occurrence")
	}
	// The schedule's UTC offset is that of its window (summer or winter time), not necessarily
	// its first date's: read opens_at on a date of the window, then take its Stockholm wall-clock
	// time to the first date.
	ref := first
	if !w[0].IsZero() {
		ref = w[0]
	}
	opens, err := s.startOn(ref)
	if err != nil {
		return ruleKey{}, w, err
	}
	opens = opens.In(partnernet.Stockholm)
	start := time.Date(first.Year(), first.Month(), first.Day(), opens.Hour(), opens.Minute(), 0, 0, partnernet.Stockholm)
	d, err := s.duration()
	if err != nil {
		return ruleKey{}, w, err
	}
	if d > partnernet.MaxDurationMinutes*time.Minute {
		return ruleKey{}, w, partnernet.InputError("closes_at", "an occurrence lasts at most a day")
	}
	rule, err := s.rule()
	if err != nil {
		return ruleKey{}, w, err
	}
	return ruleKey{rule: rule, start: start, duration: d, until: s.Until}, w, nil
}
