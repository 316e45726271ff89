// Command partnernet runs the GraphQL API of the Partnership Skåne partner network.
//
// Run `partnernet help` for the subcommands: dev, serve, migrate and seed.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/partnerskap-skane/partnernet/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.New().Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
