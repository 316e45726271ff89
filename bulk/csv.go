package bulk

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnerskap-skane/partnernet"
)

// Columns are the columns of the CSV format, in the order the export writes them; an import
// needs source_id and title, in any order, and refuses a column not listed. Lists (languages,
// target_groups, exceptions) are separated by semicolons; times are RFC 3339.
var Columns = []string{
	"source_id", "status", "title", "title_en", "description", "description_en", "category", "languages",
	"target_groups", "online", "online_url", "address", "municipality_code", "latitude", "longitude",
	"starts_at", "duration_minutes", "rrule", "exceptions", "capacity", "min_age", "max_age", "cost_sek",
	"cost_note", "contact_name", "contact_email", "contact_phone",
}

// ReadCSV reads a CSV file with a header line naming its columns (see [Columns]) as rows. A
// file that is not CSV, lacks source_id or title, names an unknown column or has more than
// MaxRows data lines is an error.
func ReadCSV(content string) ([]Row, error) {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(content, "\ufeff")))
	r.FieldsPerRecord = 0
	header, err := r.Read()
	if err != nil {
		return nil, partnernet.InputError("input.content", "not a CSV file with a header line")
	}
	index := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(Columns, h) {
			return nil, partnernet.InputError("input.content", "unknown column %q; the columns are %s", h, strings.Join(Columns, ", "))
		}
		index[h] = i
	}
	for _, required := range []string{"source_id", "title"} {
		if _, ok := index[required]; !ok {
			return nil, partnernet.InputError("input.content", "the column %s is required", required)
		}
	}
	var rows []Row
	for n := 1; ; n++ {
		record, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if n > MaxRows {
			return nil, errTooMany(n)
		}
		if err != nil {
			rows = append(rows, refuse(n, "", "line", "not a CSV line: %s", err.Error()))
			continue
		}
		get := func(col string) string {
			if i, ok := index[col]; ok && i < len(record) {
				return strings.TrimSpace(record[i])
			}
			return ""
		}
		rows = append(rows, csvRow(n, get))
	}
}

// csvRow maps one data line.
func csvRow(n int, get func(string) string) Row {
	id, bad := sourceIDOf(n, "source_id", get("source_id"))
	if bad != nil {
		return *bad
	}
	r := Row{Number: n, SourceID: id, Status: partnernet.ActivityPublished, MunicipalityCode: get("municipality_code")}
	if s := strings.ToUpper(get("status")); s != "" {
		if !slices.Contains([]string{"PUBLISHED", "DRAFT", "CANCELLED"}, s) {
			return refuse(n, id, "status", "give PUBLISHED, DRAFT or CANCELLED")
		}
		r.Status = partnernet.ActivityStatus(s)
	}
	a := &r.Activity
	a.Title, a.TitleEn, a.Description, a.DescriptionEn = get("title"), get("title_en"), get("description"), get("description_en")
	if a.TitleEn == "" {
		a.TitleEn = a.Title
	}
	a.Category = partnernet.ActivityCategory(strings.ToUpper(get("category")))
	if a.Category != "" && !slices.Contains(a.Category.Values(), string(a.Category)) {
		return refuse(n, id, "category", "give one of %s", strings.Join(a.Category.Values(), ", "))
	}
	a.Languages = list(get("languages"), strings.ToLower)
	for _, g := range list(get("target_groups"), strings.ToUpper) {
		if !slices.Contains(partnernet.TargetGroup("").Values(), g) {
			return refuse(n, id, "target_groups", "give target groups among %s", strings.Join(partnernet.TargetGroup("").Values(), ", "))
		}
		a.TargetGroups = append(a.TargetGroups, partnernet.TargetGroup(g))
	}
	var err error
	if a.Online, err = boolean(get("online")); err != nil {
		return refuse(n, id, "online", "give true or false")
	}
	a.OnlineURL, a.Address = optional(get("online_url")), optional(get("address"))
	a.ContactName, a.ContactEmail, a.ContactPhone = optional(get("contact_name")), optional(get("contact_email")), optional(get("contact_phone"))
	a.CostNote = get("cost_note")
	for _, f := range []struct {
		col string
		dst **float64
	}{{"latitude", &a.Latitude}, {"longitude", &a.Longitude}} {
		if v := get(f.col); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return refuse(n, id, f.col, "give a number of degrees")
			}
			*f.dst = &x
		}
	}
	for _, f := range []struct {
		col string
		dst **int
	}{{"capacity", &a.Capacity}, {"min_age", &a.MinAge}, {"max_age", &a.MaxAge}} {
		if v := get(f.col); v != "" {
			x, err := strconv.Atoi(v)
			if err != nil {
				return refuse(n, id, f.col, "give a whole number")
			}
			*f.dst = &x
		}
	}
	if v := get("cost_sek"); v != "" {
		if a.CostSEK, err = strconv.Atoi(v); err != nil {
			return refuse(n, id, "cost_sek", "give a whole number of kronor")
		}
	}
	if v := get("starts_at"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return refuse(n, id, "starts_at", "give a time as RFC 3339, e.g. 2026-05-12T18:00:00+02:00")
		}
		t = stamp(t)
		a.Schedule.StartsAt = &t
	}
	if v := get("duration_minutes"); v != "" {
		if a.Schedule.DurationMinutes, err = strconv.Atoi(v); err != nil {
			return refuse(n, id, "duration_minutes", "give a whole number of minutes")
		}
	}
	a.Schedule.RRule = optional(get("rrule"))
	for _, v := range list(get("exceptions"), nil) {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return refuse(n, id, "exceptions", "give each exception as RFC 3339")
		}
		a.Schedule.ExDates = append(a.Schedule.ExDates, stamp(t))
	}
	defaults(a)
	return r
}

// list splits a semicolon-separated list, each value trimmed and mapped by norm (nil: as is).
func list(v string, norm func(string) string) []string {
	var out []string
	for _, s := range strings.Split(v, ";") {
		if s = strings.TrimSpace(s); s != "" {
			if norm != nil {
				s = norm(s)
			}
			out = append(out, s)
		}
	}
	return out
}

// optional is nil for an empty text.
func optional(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

// boolean reads true/false (also yes/no, 1/0); empty is false.
func boolean(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "", "false", "no", "0":
		return false, nil
	case "true", "yes", "1":
		return true, nil
	}
	return false, fmt.Errorf("not a boolean: %q", v)
}

// ExportRow is an activity as the CSV export writes it.
type ExportRow struct {
	Activity partnernet.Activity
	// SourceID is the source's own ID of an imported activity, else the activity's global ID.
	SourceID         string
	MunicipalityCode string
}

// WriteCSV writes activities in the CSV format, a header line first.
func WriteCSV(w io.Writer, rows []ExportRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	for _, r := range rows {
		a := r.Activity
		rec := map[string]string{
			"source_id": r.SourceID, "status": string(a.Status), "title": a.Title, "title_en": a.TitleEn,
			"description": a.Description, "description_en": a.DescriptionEn, "category": string(a.Category),
			"languages": strings.Join(a.Languages, ";"), "online": strconv.FormatBool(a.Online),
			"online_url": deref(a.OnlineURL), "address": deref(a.Address), "municipality_code": r.MunicipalityCode,
			"latitude": float(a.Latitude), "longitude": float(a.Longitude), "rrule": deref(a.Schedule.RRule),
			"duration_minutes": strconv.Itoa(a.Schedule.DurationMinutes), "capacity": integer(a.Capacity),
			"min_age": integer(a.MinAge), "max_age": integer(a.MaxAge), "cost_sek": strconv.Itoa(a.CostSEK),
			"cost_note": a.CostNote, "contact_name": deref(a.ContactName), "contact_email": deref(a.ContactEmail),
			"contact_phone": deref(a.ContactPhone),
		}
		var groups, exceptions []string
		for _, g := range a.TargetGroups {
			groups = append(groups, string(g))
		}
		for _, t := range a.Schedule.ExDates {
			exceptions = append(exceptions, t.In(partnernet.Stockholm).Format(time.RFC3339))
		}
		rec["target_groups"], rec["exceptions"] = strings.Join(groups, ";"), strings.Join(exceptions, ";")
		if a.Schedule.StartsAt != nil {
			rec["starts_at"] = a.Schedule.StartsAt.In(partnernet.Stockholm).Format(time.RFC3339)
		}
		line := make([]string, len(Columns))
		for i, c := range Columns {
			line[i] = rec[c]
		}
		if err := cw.Write(line); err != nil {
			return fmt.Errorf("write csv line: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func integer(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

func float(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
