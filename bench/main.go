package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

// Main runs the benchmark command with args and returns its exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := Options{}
	fs.StringVar(&o.DataDir, "data-dir", ".bench", "folder of the benchmark's PostgreSQL cluster, kept across runs")
	fs.StringVar(&o.Binary, "binary", "bin/partnernet", "the partnernet binary to benchmark")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "how long each measurement runs")
	fs.IntVar(&o.Concurrency, "concurrency", 16, "requests (and plain SQL callers) in flight at once")
	fs.IntVar(&o.Page, "page", 20, "page size of the list workloads")
	fs.StringVar(&o.Only, "only", "", "run only the workloads whose names contain this")
	fs.IntVar(&o.PoolSize, "pool", 0, "database connections of the server, the peer and the ceiling; 0 keeps each one's default")
	fs.StringVar(&o.PeerDir, "peer", "bench/postgraphile", "folder of the PostGraphile peer (installed with scripts/install-node.sh); empty measures partnernet alone")
	setupOnly := fs.Bool("setup-only", false, "load the data set and stop")
	set := DataSet()
	fs.IntVar(&set.Newcomers, "newcomers", set.Newcomers, "newcomers in the data set")
	fs.IntVar(&set.Activities, "activities", set.Activities, "activities in the data set")
	fs.IntVar(&set.Enrolments, "enrolments", set.Enrolments, "enrolments in the data set")
	fs.IntVar(&set.Consents, "consents", set.Consents, "consent records in the data set")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	o.Set = set
	db, err := OpenDatabase(ctx, o.DataDir, set, o.PoolSize, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	defer func() {
		if err := db.Close(context.WithoutCancel(ctx)); err != nil {
			fmt.Fprintf(stderr, "bench: %v\n", err)
		}
	}()
	fmt.Fprintf(stdout, "data set: %+v\nload: %s, database size: %.2f GiB\n", set, db.Load.Round(time.Second), float64(db.Bytes)/(1<<30))
	if *setupOnly {
		return 0
	}
	report, err := Run(ctx, db, o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, report.Markdown())
	return 0
}
