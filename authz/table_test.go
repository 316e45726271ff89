package authz_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReadmePolicyTableMatchesPolicy keeps the README's table of roles, purposes and categories
// equal to what the embedded policy decides. On a policy change, paste the new table (printed
// by the failure) between the README's policy-table markers.
func TestReadmePolicyTableMatchesPolicy(t *testing.T) {
	t.Parallel()
	table, err := newAuthorizer(t).PolicyTable()
	require.NoError(t, err)
	readme, err := os.ReadFile("../docs/privacy.md")
	require.NoError(t, err)
	const start, end = "<!-- policy-table:start -->\n", "<!-- policy-table:end -->"
	_, rest, ok := strings.Cut(string(readme), start)
	require.True(t, ok, "docs/privacy.md has no %q marker", start)
	documented, _, ok := strings.Cut(rest, end)
	require.True(t, ok, "docs/privacy.md has no %q marker", end)
	require.Equal(t, table, documented, "docs/privacy.md's policy table differs from authz/policy.csv; the policy says:\n%s", table)
}
