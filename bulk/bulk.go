// Package bulk reads and writes an association's programme of activities in bulk: iCalendar
// (RFC 5545, parsed with github.com/arran4/golang-ical) and CSV with the columns documented in
// docs/associations.md (encoding/csv). It only maps: each row becomes a [Row], an activity with
// its source's own ID and the status the source gives it, or the reason it cannot; validating,
// storing and auditing are the importer's (resolvers), through the domain and the store.
package bulk

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"github.com/partnerskap-skane/partnernet"
)

// MaxRows bounds the rows (events or data lines) of one import; a larger programme is imported
// in parts.
const MaxRows = 200

// MaxSourceIDLen bounds a source's own ID (an iCalendar UID, the CSV column source_id).
const MaxSourceIDLen = 255

// Row is one activity of an imported programme.
type Row struct {
	// Number is the row's number: 1 for the first event or data line.
	Number int
	// SourceID is the source's own ID for the activity.
	SourceID string
	// Activity holds the fields the row gives (its OrganiserID and ProgrammeID are the
	// importer's); MunicipalityCode names its municipality ("" for the organiser's home
	// municipality), to be looked up by the importer.
	Activity         partnernet.Activity
	MunicipalityCode string
	// Status is what the source says of the activity: PUBLISHED, DRAFT or CANCELLED.
	Status partnernet.ActivityStatus
	// Err is why the row cannot be imported, as the importer reports it; nil for a good row.
	Err error
}

// Digest is the SHA-256 of what the row says: the same row imported again has the same digest,
// and changes nothing.
func (r Row) Digest() []byte {
	a := r.Activity
	raw, _ := json.Marshal(struct {
		A partnernet.Activity
		M string
		S partnernet.ActivityStatus
	}{a, r.MunicipalityCode, r.Status})
	sum := sha256.Sum256(raw)
	return sum[:]
}

// refuse makes a row refused with a BAD_USER_INPUT about field.
func refuse(number int, sourceID, field, format string, args ...any) Row {
	return Row{Number: number, SourceID: sourceID, Err: partnernet.InputError(field, format, args...)}
}

// defaults fills what a row leaves out: Swedish spoken, for everyone, an hour long, published.
func defaults(a *partnernet.Activity) {
	if len(a.Languages) == 0 {
		a.Languages = []string{"sv"}
	}
	if len(a.TargetGroups) == 0 {
		a.TargetGroups = []partnernet.TargetGroup{partnernet.TargetEveryone}
	}
	if a.Category == "" {
		a.Category = partnernet.ActivitySocialMeetingPlace
	}
	if a.Schedule.DurationMinutes == 0 {
		a.Schedule.DurationMinutes = 60
	}
}

// stamp truncates a time to the second, as activities keep them.
func stamp(t time.Time) time.Time { return t.Truncate(time.Second) }

// errTooMany is the refusal of a file with more than MaxRows rows.
func errTooMany(n int) error {
	return partnernet.InputError("input.content", "at most %d rows per import, not %d: import the programme in parts", MaxRows, n)
}

// sourceIDOf validates a source ID.
func sourceIDOf(number int, field, id string) (string, *Row) {
	if id == "" || len(id) > MaxSourceIDLen {
		r := refuse(number, "", field, "give the source's own ID, 1 to %d bytes", MaxSourceIDLen)
		return "", &r
	}
	return id, nil
}

// Format names a format for messages.
func Format(f partnernet.ImportFormat) string {
	switch f {
	case partnernet.FormatICalendar:
		return "iCalendar"
	case partnernet.FormatCSV:
		return "CSV"
	}
	return fmt.Sprint(f)
}
