package partnernet

import (
	"database/sql/driver"
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
		return Errorf(CodeBadUserInput, "expected a date as a string YYYY-MM-DD")
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		return Errorf(CodeBadUserInput, "%q is not a date; write it as YYYY-MM-DD, such as 2026-12-01", s)
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

// Scan implements sql.Scanner, reading a date column.
func (d *Date) Scan(src any) error {
	t, ok := src.(time.Time)
	if !ok {
		return fmt.Errorf("scan date: %T is not a date", src)
	}
	*d = Date(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC))
	return nil
}

// Value implements driver.Valuer, writing a date column.
func (d Date) Value() (driver.Value, error) { return time.Time(d), nil }

// String writes the date as YYYY-MM-DD.
func (d Date) String() string { return time.Time(d).Format(DateLayout) }
