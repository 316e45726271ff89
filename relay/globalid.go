package relay

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/partnerskap-skane/partnernet"
)

// ToGlobalID encodes a typename and a database id into an opaque global ID.
func ToGlobalID(typename string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typename + ":" + strconv.FormatInt(id, 10)))
}

// FromGlobalID decodes a global ID into its typename and database id. A malformed ID gives a
// BAD_USER_INPUT error.
func FromGlobalID(gid string) (typename string, id int64, err error) {
	bad := partnernet.InputError("id", "%q is not a valid ID", truncate(gid, 64))
	raw, decErr := base64.RawURLEncoding.DecodeString(gid)
	if decErr != nil {
		return "", 0, bad
	}
	typename, idText, ok := strings.Cut(string(raw), ":")
	if !ok || typename == "" {
		return "", 0, bad
	}
	id, convErr := strconv.ParseInt(idText, 10, 64)
	if convErr != nil || id <= 0 {
		return "", 0, bad
	}
	return typename, id, nil
}

// DecodeID decodes a global ID that must name an object of typename, as an argument at path
// field.
func DecodeID(field, typename, gid string) (int64, error) {
	t, id, err := FromGlobalID(gid)
	if err != nil || t != typename {
		return 0, partnernet.InputError(field, "%q is not a valid %s ID", truncate(gid, 64), typename)
	}
	return id, nil
}

// truncate shortens s to at most n bytes for an error message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
