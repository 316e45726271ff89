package bench

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseStat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, line string
		want       time.Duration
		command    string
	}{
		{"a backend", "4242 (postgres) S 4200 4242 4242 0 -1 4194560 1021 0 0 0 250 75 0 0 20 0 1 0 5563 225252352 5522 18446744073709551615",
			3250 * time.Millisecond, "postgres"},
		{"a name with spaces and parentheses", "7 (node (x) y) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 1 1 1 1",
			70 * time.Millisecond, "node (x) y"},
		{"cut short", "7 (node) R 1 7", 0, ""},
		{"not numbers", "7 (node) R 1 7 7 0 -1 0 0 0 0 0 x y 0 0", 0, ""},
		{"no parentheses", "", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, command := parseStat(tc.line)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.command, command)
		})
	}
}

func TestReadCPUReadsThisProcess(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc on this system")
	}
	before := readCPU(os.Getpid())
	deadline := time.Now().Add(50 * time.Millisecond)
	for x := 0; time.Now().Before(deadline); x++ {
		_ = x * x
	}
	spent := readCPU(os.Getpid()).Since(before)
	require.Positive(t, spent.Client, "the load generator's time is this process's")
	require.Equal(t, CPU{Server: time.Second / 2}, CPU{Server: 2 * time.Second}.Per(4))
	require.Equal(t, CPU{}, CPU{Server: time.Second}.Per(0))
	require.Equal(t, CPU{}, CPU{}.Since(CPU{Database: time.Second}), "a process that exited takes no time back")
}
