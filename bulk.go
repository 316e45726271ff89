package partnernet

import "io"

// ImportFormat is a format an association's system publishes its programme in.
type ImportFormat string

// The import formats. (HSDS JSON is pushed through the HSDS API, which reports in the same
// shape, ImportReport.)
const (
	FormatICalendar ImportFormat = "ICALENDAR"
	FormatCSV       ImportFormat = "CSV"
)

// Values lists every ImportFormat.
func (ImportFormat) Values() []string { return []string{"ICALENDAR", "CSV"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (f *ImportFormat) UnmarshalGQL(v any) error { return unmarshalEnum(f, v) }

// MarshalGQL implements graphql.Marshaler.
func (f ImportFormat) MarshalGQL(w io.Writer) { marshalEnum(f, w) }

// ImportReport is what a bulk publication did, row by row: how many activities it created,
// updated or found unchanged, and each row it refused and why. Every bulk way in (iCalendar,
// CSV, the HSDS push) answers with it.
type ImportReport struct {
	Format ImportFormat `json:"format"`
	// DryRun says that nothing was written: the report tells what an import would do.
	DryRun    bool `json:"dryRun"`
	Rows      int  `json:"rows"`
	Created   int  `json:"created"`
	Updated   int  `json:"updated"`
	Unchanged int  `json:"unchanged"`
	// Results says what became of each accepted row, in order.
	Results []ImportResult `json:"results"`
	// Refused are the rows refused, in order; the others were applied.
	Refused []ImportRefusal `json:"refused"`
}

// ImportOutcome is what became of an accepted row.
type ImportOutcome string

// The outcomes of an accepted row.
const (
	ImportCreated   ImportOutcome = "CREATED"
	ImportUpdated   ImportOutcome = "UPDATED"
	ImportUnchanged ImportOutcome = "UNCHANGED"
)

// ImportResult is an accepted row: its source ID, the activity's global ID and what was done.
type ImportResult struct {
	Row      int    `json:"row"`
	SourceID string `json:"sourceId"`
	// ActivityID is the activity's global ID; nil for one a dry run would create.
	ActivityID *string       `json:"activityId"`
	Outcome    ImportOutcome `json:"outcome"`
}

// ImportRefusal is a row refused: its number (1 for the first event or data line), the
// source's ID when it gave one, and the refusal's stable code, field and message.
type ImportRefusal struct {
	Row      int    `json:"row"`
	SourceID string `json:"sourceId,omitempty"`
	Code     string `json:"code"`
	Field    string `json:"field,omitempty"`
	Message  string `json:"message"`
}

// Add counts an accepted row's outcome.
func (r *ImportReport) Add(res ImportResult) {
	r.Results = append(r.Results, res)
	switch res.Outcome {
	case ImportCreated:
		r.Created++
	case ImportUpdated:
		r.Updated++
	case ImportUnchanged:
		r.Unchanged++
	}
}

// Refuse records a refused row with err's code, field and message; an error that is not an
// [Error] is INTERNAL_SERVER_ERROR without its details.
func (r *ImportReport) Refuse(row int, sourceID string, err error) {
	ref := ImportRefusal{Row: row, SourceID: sourceID, Code: string(ErrorCode(err)), Message: "the row could not be stored"}
	if e, ok := asError(err); ok {
		ref.Field, ref.Message = e.Field, e.Message
	}
	r.Refused = append(r.Refused, ref)
}

// Values lists every ImportOutcome.
func (ImportOutcome) Values() []string { return []string{"CREATED", "UPDATED", "UNCHANGED"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (o *ImportOutcome) UnmarshalGQL(v any) error { return unmarshalEnum(o, v) }

// MarshalGQL implements graphql.Marshaler.
func (o ImportOutcome) MarshalGQL(w io.Writer) { marshalEnum(o, w) }
