package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap-skane/partnernet/migrations"
	"github.com/partnerskap-skane/partnernet/pglocal"
	"github.com/partnerskap-skane/partnernet/seed"
	"github.com/partnerskap-skane/partnernet/store"
)

// DataSet is the benchmark data set of issue 8: 150,000 newcomers, 30,000 activities,
// 1,500,000 enrolments and 400,000 consent records over the real partner network.
func DataSet() seed.Options {
	return seed.Options{Newcomers: 150_000, Activities: 30_000, Enrolments: 1_500_000, Consents: 400_000, Seed: 8}
}

// Database is the benchmark's database, loaded with the data set.
type Database struct {
	// URL names the database.
	URL string
	// Pool is a connection pool of the benchmark's own, for the plain SQL ceiling.
	Pool *pgxpool.Pool
	// Load is how long loading the data set took, when this run or an earlier one loaded it.
	Load time.Duration
	// Bytes is the size of the database on disk.
	Bytes   int64
	cluster *pglocal.Cluster
}

// benchDatabase is the name of the database in the benchmark's cluster.
const benchDatabase = "partnernet_bench"

// loadTimeFile keeps how long the load took, in the data folder, for later runs to report.
const loadTimeFile = "load-seconds"

// OpenDatabase starts (or reuses) a local PostgreSQL cluster in dataDir, migrates its benchmark
// database and loads the data set into it when it is empty, drawing progress on progress.
// poolSize, when positive, sets the connections of both the server's pool (through the URL's
// pool_max_conns) and the ceiling's; else both keep pgx's default (4 on 2 cores).
func OpenDatabase(ctx context.Context, dataDir string, set seed.Options, poolSize int, progress io.Writer) (*Database, error) {
	cluster, err := pglocal.Start(ctx, pglocal.Options{DataDir: dataDir})
	if err != nil {
		return nil, err
	}
	db := &Database{cluster: cluster, URL: cluster.URL(benchDatabase)}
	if poolSize > 0 {
		sep := "?"
		if strings.Contains(db.URL, "?") {
			sep = "&"
		}
		db.URL += sep + "pool_max_conns=" + strconv.Itoa(poolSize)
	}
	if err := db.open(ctx, dataDir, set, progress); err != nil {
		return nil, fmt.Errorf("bench database: %w", errors.Join(err, db.Close(context.WithoutCancel(ctx))))
	}
	return db, nil
}

func (db *Database) open(ctx context.Context, dataDir string, set seed.Options, progress io.Writer) error {
	if err := db.cluster.EnsureDatabase(ctx, benchDatabase); err != nil {
		return err
	}
	cfg, err := pgxpool.ParseConfig(db.URL)
	if err != nil {
		return fmt.Errorf("parse database URL: %w", err)
	}
	store.ConfigurePool(cfg) // the server's settings, so that the ceiling runs as the server does
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("open pool: %w", err)
	}
	db.Pool = pool
	if _, err := migrations.Up(ctx, pool); err != nil {
		return err
	}
	st := store.New(pool)
	empty, err := seed.IsEmpty(ctx, st)
	if err != nil {
		return err
	}
	timeFile := filepath.Join(dataDir, loadTimeFile)
	if empty {
		start := time.Now()
		if _, err := seed.Load(ctx, st, set, progress); err != nil {
			return err
		}
		if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
			return fmt.Errorf("vacuum: %w", err)
		}
		db.Load = time.Since(start)
		if err := os.WriteFile(timeFile, []byte(strconv.FormatFloat(db.Load.Seconds(), 'f', 1, 64)), 0o644); err != nil {
			return fmt.Errorf("keep the load time: %w", err)
		}
	} else if b, err := os.ReadFile(timeFile); err == nil {
		if s, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64); err == nil {
			db.Load = time.Duration(s * float64(time.Second))
		}
	}
	if err := pool.QueryRow(ctx, "SELECT pg_database_size(current_database())").Scan(&db.Bytes); err != nil {
		return fmt.Errorf("database size: %w", err)
	}
	return nil
}

// Close closes the pool and stops the cluster if this run started it.
func (db *Database) Close(ctx context.Context) error {
	if db.Pool != nil {
		db.Pool.Close()
	}
	return db.cluster.Stop(ctx)
}
