package cli

import (
	"io"
	"log/slog"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTuneGC sets the server's collection where the environment says nothing, and leaves it
// to GOGC and GOMEMLIMIT where they are set. It changes process-wide settings, so it is not
// parallel and puts them back.
func TestTuneGC(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
	for _, tc := range []struct {
		name                string
		gogc, gomemlimit    string
		wantPercent         int
		wantLimitFromServer bool
	}{
		{name: "unset", wantPercent: serverGCPercent, wantLimitFromServer: true},
		{name: "set by the environment", gogc: "150", gomemlimit: "1GiB", wantPercent: 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOGC", tc.gogc)
			t.Setenv("GOMEMLIMIT", tc.gomemlimit)
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(limit)
			tuneGC(log)
			require.Equal(t, tc.wantPercent, debug.SetGCPercent(100))
			if tc.wantLimitFromServer {
				require.Equal(t, int64(serverMemoryLimit), debug.SetMemoryLimit(-1))
			} else {
				require.Equal(t, limit, debug.SetMemoryLimit(-1))
			}
		})
	}
}
