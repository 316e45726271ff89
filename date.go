package partnernet

import (
	"fmt"
	"io"
	"strconv"
	"time"
)

// DateLayout is how the Date scalar writes a calendar date.
const DateLayout = time.DateOnly

// Date is a calendar date, the GraphQL Date scalar: a time at midnight UTC, written YYYY-MM-DD.
type Date time.Time

// UnmarshalGQL implements graphql.Unmarshaler, reading YYYY-MM-DD.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("a date must be a string YYYY-MM-DD, got %T", v)
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	*d = Date(t)
	return nil
}

// MarshalGQL implements graphql.Marshaler.
func (d Date) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(time.Time(d).Format(DateLayout)))
}

// DateOf returns a time's calendar date, or nil for nil.
func DateOf(t *time.Time) *Date {
	if t == nil {
		return nil
	}
	d := Date(*t)
	return &d
}

// Time returns the date as a time at midnight UTC, or nil for nil.
func (d *Date) Time() *time.Time {
	if d == nil {
		return nil
	}
	t := time.Time(*d)
	return &t
}
