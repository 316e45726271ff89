package partnernet

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"
)

// LanguagePattern is an ISO 639 language code as the API takes it: ar, sv, prs.
var LanguagePattern = regexp.MustCompile(`^[a-z]{2,3}$`)

// PhonePattern is a telephone number as the database accepts it: digits, spaces and ()-,
// optionally after +.
var PhonePattern = regexp.MustCompile(`^\+?[0-9 ()-]{5,30}$`)

// MaxEmailLen is the longest e-mail address accepted (RFC 5321).
const MaxEmailLen = 254

// Text validates a free text at path field: trimmed, at most limit characters, and not blank
// when required. Its error is BAD_USER_INPUT naming field.
func Text(field, s string, limit int, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > limit || (required && s == "") {
		if required {
			return "", InputError(field, "give 1 to %d characters", limit)
		}
		return "", InputError(field, "at most %d characters", limit)
	}
	return s, nil
}

// OptionalText is [Text] for an optional text: nil stays nil, and a blank one becomes nil.
func OptionalText(field string, s *string, limit int) (*string, error) {
	if s == nil {
		return nil, nil
	}
	v, err := Text(field, *s, limit, false)
	if err != nil || v == "" {
		return nil, err
	}
	return &v, nil
}

// CheckEmail refuses, at path field, an e-mail address that is not a plain address.
func CheckEmail(field string, email *string) error {
	if email == nil {
		return nil
	}
	if addr, err := mail.ParseAddress(*email); err != nil || addr.Address != *email || len(*email) > MaxEmailLen {
		return InputError(field, "give a plain e-mail address")
	}
	return nil
}

// CheckPhone refuses, at path field, a telephone number the database would not hold.
func CheckPhone(field string, phone *string) error {
	if phone != nil && !PhonePattern.MatchString(*phone) {
		return InputError(field, "give a telephone number of digits, spaces, ()-, optionally after +")
	}
	return nil
}

// CheckLanguages refuses, at path field, a list of language codes that is empty, longer than
// limit or holds something that is not an ISO 639 code.
func CheckLanguages(field string, languages []string, limit int) error {
	if len(languages) == 0 || len(languages) > limit {
		return InputError(field, "name 1 to %d languages", limit)
	}
	for i, l := range languages {
		if !LanguagePattern.MatchString(l) {
			return InputError(fmt.Sprintf("%s.%d", field, i), "give an ISO 639 code such as ar or sv")
		}
	}
	return nil
}
