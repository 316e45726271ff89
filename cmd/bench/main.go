// Command bench runs partnernet's benchmark (see docs/benchmark.md): it loads the
// large data set into a local PostgreSQL cluster, starts a partnernet server on loopback, and
// measures four workloads against the plain SQL ceiling.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/partnerskap-skane/partnernet/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := bench.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
