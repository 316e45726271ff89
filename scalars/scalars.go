package scalars

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"github.com/partnerskap-skane/partnernet"
)

// MarshalString writes a String.
func MarshalString(s string) graphql.Marshaler { return graphql.MarshalString(s) }

// UnmarshalString reads a String input: text in valid UTF-8 without the NUL character, which no
// text column can hold. Unlike gqlgen's default it does not turn numbers or booleans into text;
// validation has already refused those in the document, and a variable's value must be a string.
func UnmarshalString(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", partnernet.Errorf(partnernet.CodeBadUserInput, "expected a string, got %s", kindOf(v))
	}
	if err := CheckText(s); err != nil {
		return "", err
	}
	return s, nil
}

// CheckText refuses text that is not valid UTF-8 or holds the NUL character, with
// BAD_USER_INPUT.
func CheckText(s string) error {
	if !utf8.ValidString(s) {
		return partnernet.Errorf(partnernet.CodeBadUserInput, "the text is not valid UTF-8")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return partnernet.Errorf(partnernet.CodeBadUserInput, "the text holds the NUL character (U+0000), which is not allowed")
	}
	return nil
}

// MarshalTime writes a Time in RFC 3339 with the precision it has, or null for the zero time.
func MarshalTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

// TimeExample is a Time as clients should write it.
const TimeExample = "2026-12-01T18:00:00+01:00"

// UnmarshalTime reads a Time input: an RFC 3339 date and time with its offset, such as
// 2026-12-01T18:00:00+01:00 or 2026-12-01T17:00:00.5Z, years 0001 to 9999. Anything else —
// another layout, a date alone, an impossible date, the empty string — is refused.
func UnmarshalTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, partnernet.Errorf(partnernet.CodeBadUserInput,
			"expected a time as a string such as %s, got %s", TimeExample, kindOf(v))
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || len(s) > 64 {
		return time.Time{}, partnernet.Errorf(partnernet.CodeBadUserInput,
			"%s is not a time; write it in RFC 3339, such as %s", quoteShort(s), TimeExample)
	}
	return t, nil
}

// kindOf names the JSON kind of a decoded value, for messages.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	}
	return "a number"
}

// quoteShort quotes s for a message, cut to 40 characters, with control characters escaped.
func quoteShort(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return strconv.Quote(s)
}
