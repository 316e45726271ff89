package graphiql_test

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestBundleIsCurrent rebuilds GraphiQL from the locked npm packages and the sources in src/
// into a folder of its own, and fails unless the committed dist/ is exactly that build: as
// generated code, dist/ is never edited by hand. Without the npm packages installed
// (scripts/install-node.sh server/graphiql) the test is skipped, except under make test or CI.
func TestBundleIsCurrent(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join("node_modules", "graphiql", "package.json"))
	}
	if err != nil {
		msg := "GraphiQL's npm packages are not installed: run scripts/install-node.sh server/graphiql (" + err.Error() + ")"
		if os.Getenv("CI") != "" || os.Getenv("PARTNERNET_REQUIRE_CONFORMANCE") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	out := filepath.Join(t.TempDir(), "dist")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	build, err := exec.CommandContext(ctx, node, "build.mjs", "--outdir", out).CombinedOutput()
	require.NoError(t, err, "build.mjs failed:\n%s", build)

	const stale = "dist/ is stale: rebuild it (cd server/graphiql && npm ci && npm run build) and commit it"
	want := files(t, out)
	got := files(t, "dist")
	require.ElementsMatch(t, keys(want), keys(got), stale)
	for name, content := range want {
		//nolint:testifylint // require.Equal would print a diff of minified bundles; the message says what to do
		require.True(t, content == got[name], "%s differs from the build: %s", name, stale)
	}
}

// files reads every file under dir, by its path relative to dir.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	require.NoError(t, fs.WalkDir(os.DirFS(dir), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(os.DirFS(dir), path)
		out[path] = string(b)
		return err
	}))
	return out
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
