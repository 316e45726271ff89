package partnernet

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// enum is the constraint met by the string enumerations of this package.
type enum interface {
	~string
	Values() []string
}

// unmarshalEnum parses a GraphQL enum value into dst, refusing values E does not list; dst is
// left unchanged on error.
func unmarshalEnum[E enum](dst *E, v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("enum value must be a string, got %T", v)
	}
	if !slices.Contains((*dst).Values(), s) {
		return fmt.Errorf("%q is not a valid value", s)
	}
	*dst = E(s)
	return nil
}

// marshalEnum writes an enum value as a GraphQL string literal.
func marshalEnum[E enum](e E, w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(string(e)))
}

// validEnum reports whether e is one of the values E lists.
func validEnum[E enum](e E) bool { return slices.Contains(e.Values(), string(e)) }
