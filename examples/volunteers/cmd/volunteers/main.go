// Command volunteers runs the example partner subgraph: an association's volunteer and booking
// service, to compose with partnernet behind a federation gateway.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/partnerskap-skane/partnernet/examples/volunteers"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "volunteers:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:8081", "address to listen on")
	jwks := flag.String("jwks", "http://127.0.0.1:8080/.well-known/jwks.json", "partnernet's key set, to verify forwarded tokens")
	issuer := flag.String("issuer", "partnernet", "issuer of the tokens")
	audience := flag.String("audience", "partnernet", "audience of the tokens")
	org := flag.String("organisation", "", "partnernet global ID of the association running the service")
	wanted := flag.Int("wanted", 3, "volunteers each activity wants")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	v, err := volunteers.NewVerifier(ctx, *jwks, *issuer, *audience)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           volunteers.Handler(&volunteers.Resolver{Store: volunteers.NewStore(*wanted), OrganisationID: *org}, v),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	slog.Info("volunteers subgraph serving", "addr", *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
