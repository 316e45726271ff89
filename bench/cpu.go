package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// CPU is the processor time the processes of one measurement spent: the GraphQL server (partnernet
// or the peer), PostgreSQL's processes and the load generator (this process). Divided by the
// requests served, it says where a request's time goes on a machine whose cores they all share.
type CPU struct {
	// Server is the GraphQL server's process.
	Server time.Duration
	// Database is every PostgreSQL process of the machine (backends and background workers).
	Database time.Duration
	// Client is the benchmark's own process, which generates the load.
	Client time.Duration
}

// Add returns the sum of c and d.
func (c CPU) Add(d CPU) CPU {
	return CPU{Server: c.Server + d.Server, Database: c.Database + d.Database, Client: c.Client + d.Client}
}

// Since returns the CPU spent between an earlier reading and c, never below zero (a PostgreSQL
// process that exits takes its time with it).
func (c CPU) Since(earlier CPU) CPU {
	return CPU{Server: max(0, c.Server-earlier.Server), Database: max(0, c.Database-earlier.Database),
		Client: max(0, c.Client-earlier.Client)}
}

// Per divides c among n requests; zero when there were none.
func (c CPU) Per(n int) CPU {
	if n <= 0 {
		return CPU{}
	}
	d := time.Duration(n)
	return CPU{Server: c.Server / d, Database: c.Database / d, Client: c.Client / d}
}

// String shows the times in milliseconds, as server + database + load generator.
func (c CPU) String() string {
	return fmt.Sprintf("%.2f + %.2f + %.2f ms", ms64(c.Server), ms64(c.Database), ms64(c.Client))
}

// ms64 is d in milliseconds.
func ms64(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// readCPU reads the CPU time so far of the server process pid, of PostgreSQL's processes and of
// this process. Where /proc is missing (not Linux) the times are zero.
func readCPU(pid int) CPU {
	var c CPU
	c.Server, _ = processCPU(fmt.Sprintf("/proc/%d/stat", pid))
	c.Database = databaseCPU()
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		c.Client = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return c
}

// databaseCPU sums the CPU time of the machine's processes named postgres.
func databaseCPU() time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var sum time.Duration
	for _, stat := range stats {
		if t, name := processCPUNamed(stat); name == "postgres" {
			sum += t
		}
	}
	return sum
}

// processCPU reads user and system time from a /proc/PID/stat file.
func processCPU(stat string) (time.Duration, error) {
	t, name := processCPUNamed(stat)
	if name == "" {
		return 0, fmt.Errorf("read %s", stat)
	}
	return t, nil
}

// clockTicks is the kernel's USER_HZ, the unit of /proc's times: 100 on every Linux
// architecture Go runs on.
const clockTicks = 100

// processCPUNamed reads the command name and the user plus system time from a /proc/PID/stat
// file; an empty name when it cannot be read.
func processCPUNamed(stat string) (time.Duration, string) {
	b, err := os.ReadFile(stat)
	if err != nil {
		return 0, ""
	}
	return parseStat(string(b))
}

// parseStat reads the command name (the second field, in parentheses, which may itself hold
// spaces and parentheses) and utime plus stime (the 14th and 15th fields) of a /proc/PID/stat
// line.
func parseStat(line string) (time.Duration, string) {
	open, closing := strings.IndexByte(line, '('), strings.LastIndexByte(line, ')')
	if open < 0 || closing < open {
		return 0, ""
	}
	name := line[open+1 : closing]
	fields := strings.Fields(line[closing+1:])
	// fields[0] is the state, the third field of the line: utime is the 14th, stime the 15th.
	if len(fields) < 13 {
		return 0, ""
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, ""
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, name
}
