package resolvers

import (
	"encoding/json"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// document turns a value into a JSON document whose keys start in lower case, as the rest of
// the API's: the shape of an export is the domain's own, field by field.
func document(v any) (map[string]any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode export: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("decode export: %w", err)
	}
	return lowerKeys(m).(map[string]any), nil
}

// lowerKeys lower-cases the first letter of every object key in v, recursively.
func lowerKeys(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			r, n := utf8.DecodeRuneInString(k)
			out[string(unicode.ToLower(r))+k[n:]] = lowerKeys(val)
		}
		return out
	case []any:
		for i := range t {
			t[i] = lowerKeys(t[i])
		}
		return t
	default:
		return v
	}
}
