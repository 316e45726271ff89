package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"slices"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap-skane/partnernet/migrations"
	"github.com/partnerskap-skane/partnernet/pglocal"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/store"
)

// devDatabase is the database dev mode creates in its local cluster.
const devDatabase = "partnernet"

// runDev runs the server for development: a local PostgreSQL in the data folder (unless
// DATABASE_URL names one), migrations applied, the demo network loaded when the database is
// empty, introspection on.
func runDev(ctx context.Context, a *App, args []string) (err error) {
	fs := a.flagSet("dev", "dev [--addr ADDR] [--data-dir DIR] [--fresh]")
	o := a.serveFlags(fs)
	dataDir := fs.String("data-dir", a.envString("PARTNERNET_DATA_DIR", ".data"),
		"folder of the local PostgreSQL cluster, kept across restarts [PARTNERNET_DATA_DIR]")
	fresh := fs.Bool("fresh", false, "delete the local cluster and start from an empty database")
	pgPort := fs.Int("pg-port", a.envInt("PARTNERNET_PG_PORT", 0),
		"TCP port of the local PostgreSQL on 127.0.0.1; 0 picks a free one [PARTNERNET_PG_PORT]")
	fs.Func("database-url", "use this database instead of a local cluster [DATABASE_URL]", func(string) error {
		return errors.New("set DATABASE_URL in the environment instead")
	})
	if err := parse(fs, args); err != nil {
		return err
	}
	log := a.logger()

	url := a.Getenv("DATABASE_URL")
	if url == "" {
		if *fresh {
			log.Info("removing the local database", "data_dir", *dataDir)
			if err := pglocal.Remove(ctx, *dataDir); err != nil {
				return err
			}
		}
		cluster, err := pglocal.Start(ctx, pglocal.Options{DataDir: *dataDir, Port: *pgPort, Logger: log})
		if err != nil {
			return err
		}
		defer func() {
			started := cluster.Started()
			stopErr := cluster.Stop(context.WithoutCancel(ctx))
			if stopErr == nil && started {
				log.Info("stopped the local database")
			}
			err = errors.Join(err, stopErr)
		}()
		if err := cluster.EnsureDatabase(ctx, devDatabase); err != nil {
			return err
		}
		url = cluster.URL(devDatabase)
	} else if *fresh {
		return errors.New("--fresh only applies to the local database; unset DATABASE_URL")
	}

	tp, stopTracing, err := a.tracing(ctx, log)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stopTracing(context.WithoutCancel(ctx))) }()
	pool, err := openPool(ctx, url, tp)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := ensureSchema(ctx, log, pool, o.allowAhead, true,
		"start with --fresh for a new local database, or use a binary that carries them"); err != nil {
		return err
	}
	st := store.New(pool)
	empty, err := seed.IsEmpty(ctx, st)
	if err != nil {
		return err
	}
	if empty {
		summary, err := seed.Load(ctx, st, seed.DefaultOptions(), a.Stderr)
		if err != nil {
			return fmt.Errorf("load the demo network: %w", err)
		}
		if err := seed.LoadAnalyticsDemo(ctx, st, seed.DefaultOptions().Seed); err != nil {
			return err
		}
		if err := seed.LoadCohortDemo(ctx, st, seed.DefaultOptions().Seed); err != nil {
			return err
		}
		log.Info("loaded the demo network", "summary", fmt.Sprintf("%+v", summary))
	}
	ready := a.Ready
	a.Ready = func(addr net.Addr) {
		log.Info("partnernet dev is ready: open GraphiQL in a browser", "url", browseURL(addr),
			"database", redact(url))
		if ready != nil {
			ready(addr)
		}
	}
	defer func() { a.Ready = ready }()
	auth, err := o.authConfig(DevKeyFile(*dataDir))
	if err != nil {
		return err
	}
	return a.serve(ctx, log, pool, tp, o, auth, true)
}

// runServe runs the server in production mode against DATABASE_URL. It refuses a database
// whose schema is older than the binary's migrations, unless --migrate applies them first, and
// one migrated past the binary, unless --allow-schema-ahead accepts its newer migrations.
func runServe(ctx context.Context, a *App, args []string) (err error) {
	fs := a.flagSet("serve", "serve [--addr ADDR] [--migrate]")
	o := a.serveFlags(fs)
	migrate := fs.Bool("migrate", false, "apply pending migrations before serving")
	if err := parse(fs, args); err != nil {
		return err
	}
	url := a.Getenv("DATABASE_URL")
	if url == "" {
		return errors.New("DATABASE_URL is required (for example postgres://user:password@host:5432/partnernet)")
	}
	log := a.logger()
	tp, stopTracing, err := a.tracing(ctx, log)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stopTracing(context.WithoutCancel(ctx))) }()
	pool, err := openPool(ctx, url, tp)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := ensureSchema(ctx, log, pool, o.allowAhead, *migrate,
		"deploy a binary that carries them"); err != nil {
		return err
	}
	auth, err := o.authConfig("")
	if err != nil {
		return err
	}
	return a.serve(ctx, log, pool, tp, o, auth, false)
}

// DevKeyFile is where dev mode keeps the key that signs local tokens, in its data folder.
func DevKeyFile(dataDir string) string { return filepath.Join(dataDir, "signing-key.jwk") }

// runMigrate applies migrations (up) or reports where the database stands (status).
func runMigrate(ctx context.Context, a *App, args []string) error {
	fs := a.flagSet("migrate", "migrate up|status\n\n  up      apply every pending migration\n  status  show the applied and pending versions\n\nDATABASE_URL names the database.")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "up" && fs.Arg(0) != "status") {
		fs.Usage()
		return errUsage
	}
	url := a.Getenv("DATABASE_URL")
	if url == "" {
		return errors.New("DATABASE_URL is required")
	}
	pool, err := openPool(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	if fs.Arg(0) == "up" {
		applied, err := migrations.Up(ctx, pool)
		if err != nil {
			return err
		}
		if len(applied) == 0 {
			fmt.Fprintln(a.Stdout, "no pending migrations")
		}
		for _, v := range applied {
			fmt.Fprintf(a.Stdout, "applied %05d\n", v)
		}
		return nil
	}
	status, err := migrations.GetStatus(ctx, pool)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "current version: %d\nlatest version:  %d\n", status.Current, status.Latest)
	if status.UpToDate() {
		fmt.Fprintln(a.Stdout, "up to date")
	}
	for _, v := range status.Pending {
		fmt.Fprintf(a.Stdout, "pending %05d\n", v)
	}
	for _, v := range status.Unknown {
		fmt.Fprintf(a.Stdout, "unknown %05d (applied, not in this binary)\n", v)
	}
	if status.Ahead() {
		return status.Check(0)
	}
	return nil
}

// ensureSchema makes sure the database's schema is the one this binary serves. Pending
// migrations are applied when migrate is set and refused otherwise. A database migrated past
// the binary is refused, with aheadHint, unless every migration the binary does not carry is
// numbered at most allowAhead (--allow-schema-ahead): then it is served, with a warning.
func ensureSchema(ctx context.Context, log *slog.Logger, pool *pgxpool.Pool, allowAhead int64, migrate bool, aheadHint string) error {
	status, err := migrations.GetStatus(ctx, pool)
	if err != nil {
		return err
	}
	switch err := status.Check(allowAhead); {
	case errors.Is(err, migrations.ErrSchemaAhead):
		return fmt.Errorf("%w; %s, or, if those migrations are backward compatible with this binary "+
			"(a rolling deploy or a rollback), start with --allow-schema-ahead %d", err, aheadHint, slices.Max(status.Unknown))
	case errors.Is(err, migrations.ErrSchemaBehind) && !migrate:
		return fmt.Errorf("%w; run 'partnernet migrate up' or start with --migrate", err)
	case err != nil:
		if err := migrateUp(ctx, log, pool); err != nil {
			return err
		}
	}
	if status.Ahead() {
		log.Warn("serving a database migrated past this binary, as --allow-schema-ahead allows",
			"database_version", status.Current, "binary_version", status.Latest, "unknown", fmt.Sprint(status.Unknown))
	}
	return nil
}

// runSeed loads the demo network, or a large deterministic data set, into an empty database.
func runSeed(ctx context.Context, a *App, args []string) error {
	fs := a.flagSet("seed", "seed [--newcomers N] [--activities N] [--consents N] [--enrolments N] [--seed S]\n\n"+
		"Loads the real partner network plus synthetic newcomers, activities, consents and enrolments\n"+
		"into the empty database DATABASE_URL names (migrating it first). The same seed gives the same data.\n"+
		"The benchmark data set: --newcomers 150000 --activities 30000 --enrolments 1500000 --consents 400000.")
	def := seed.DefaultOptions()
	newcomers := fs.Int("newcomers", def.Newcomers, "synthetic newcomers to generate")
	activities := fs.Int("activities", def.Activities, "synthetic activities to generate")
	consents := fs.Int("consents", def.Consents, "synthetic consent records to generate; 0 derives it from --newcomers")
	enrolments := fs.Int("enrolments", def.Enrolments, "synthetic enrolments to generate, spread over the activities that are not drafts")
	seedValue := fs.Uint64("seed", def.Seed, "seed of the generator")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *newcomers < 0 || *activities < 0 || *consents < 0 || *enrolments < 0 {
		return errors.New("counts must not be negative")
	}
	url := a.Getenv("DATABASE_URL")
	if url == "" {
		return errors.New("DATABASE_URL is required")
	}
	log := a.logger()
	pool, err := openPool(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := migrateUp(ctx, log, pool); err != nil {
		return err
	}
	opts := seed.Options{Newcomers: *newcomers, Activities: *activities, Consents: *consents, Enrolments: *enrolments, Seed: *seedValue}
	summary, err := seed.Load(ctx, store.New(pool), opts, a.Stderr)
	if err != nil {
		return err
	}
	// The analytics and cohort demos' enrolments, referrals and journeys accompany the demo
	// network; a large data set brings its own enrolments (and every newcomer's outcomes and
	// answers, seed.Load) and is measured as it is.
	if opts.Enrolments == 0 {
		if err := seed.LoadAnalyticsDemo(ctx, store.New(pool), opts.Seed); err != nil {
			return err
		}
		if err := seed.LoadCohortDemo(ctx, store.New(pool), opts.Seed); err != nil {
			return err
		}
	}
	fmt.Fprintf(a.Stdout, "%+v\n", summary)
	return nil
}
