package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/url"
	"os"
	"strconv"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/partnerskap-skane/partnernet/migrations"
	"github.com/partnerskap-skane/partnernet/pglocal"
)

// EnvURL names the environment variable of the test server's URL. Its database is used only to
// create and drop the tests' databases.
const EnvURL = "TEST_DATABASE_URL"

// Main runs a package's tests: `func TestMain(m *testing.M) { dbtest.Main(m) }`. Without
// TEST_DATABASE_URL it starts a private cluster for the test binary, and stops and removes it
// when the tests are done.
func Main(m *testing.M) {
	if os.Getenv(EnvURL) != "" {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "partnernet-test-")
	if err == nil {
		err = os.Chmod(dir, 0o755) // reachable by the postgres user when tests run as root
	}
	if err != nil {
		log.Fatalf("dbtest: make a folder for the test cluster: %v", err)
	}
	ctx := context.Background()
	cluster, err := pglocal.Start(ctx, pglocal.Options{DataDir: dir})
	if err != nil {
		_ = os.RemoveAll(dir)
		log.Fatalf("dbtest: start a PostgreSQL cluster for the tests: %v", err)
	}
	os.Setenv(EnvURL, cluster.URL("postgres"))
	code := m.Run()
	if err := cluster.Stop(ctx); err != nil {
		log.Printf("dbtest: %v", err)
	}
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

var (
	adminOnce sync.Once
	adminPool *pgxpool.Pool
	adminErr  error

	templateOnce sync.Once
	templateName string
	templateErr  error
)

// admin returns a pool on the test server's maintenance database.
func admin(t testing.TB) *pgxpool.Pool {
	t.Helper()
	adminOnce.Do(func() {
		url := os.Getenv(EnvURL)
		if url == "" {
			adminErr = fmt.Errorf("%s is not set: call dbtest.Main from the package's TestMain", EnvURL)
			return
		}
		adminPool, adminErr = pgxpool.New(context.Background(), url)
		if adminErr == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := adminPool.Ping(ctx); err != nil {
				adminErr = fmt.Errorf("the test database server at %s does not answer: %w", EnvURL, err)
			}
		}
	})
	if adminErr != nil {
		t.Fatalf("dbtest: %v", adminErr)
	}
	return adminPool
}

// urlFor returns the URL of a database on the test server.
func urlFor(t testing.TB, database string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(os.Getenv(EnvURL))
	if err != nil {
		t.Fatalf("dbtest: parse %s: %v", EnvURL, err)
	}
	cfg.Database = database
	u := url.URL{
		Scheme: "postgres", User: url.UserPassword(cfg.User, cfg.Password),
		Host: net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))), Path: "/" + database, RawQuery: "sslmode=disable",
	}
	return u.String()
}

// migrationsHash names the template after the migrations' contents, so a changed migration set
// gets a template of its own.
func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12], err
}

// template returns the name of the migrated template database, creating it once per server and
// migration set. Concurrent test binaries sharing a server take turns through an advisory lock.
func template(t testing.TB) string {
	t.Helper()
	pool := admin(t)
	templateOnce.Do(func() {
		templateName, templateErr = makeTemplate(context.Background(), pool)
	})
	if templateErr != nil {
		t.Fatalf("dbtest: %v", templateErr)
	}
	return templateName
}

func makeTemplate(ctx context.Context, pool *pgxpool.Pool) (string, error) {
	hash, err := migrationsHash()
	if err != nil {
		return "", fmt.Errorf("hash migrations: %w", err)
	}
	name := "partnernet_tmpl_" + hash
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return "", fmt.Errorf("acquire a connection: %w", err)
	}
	defer conn.Release()
	const lockKey = 0x706e7464 // "pntd"
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return "", fmt.Errorf("lock template creation: %w", err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockKey) }()

	var exists, ready bool
	err = conn.QueryRow(ctx, "SELECT true, datistemplate FROM pg_database WHERE datname = $1", name).Scan(&exists, &ready)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("look up template: %w", err)
	}
	if ready {
		return name, nil
	}
	ident := pgx.Identifier{name}.Sanitize()
	if exists { // a half-made template from an interrupted run
		if _, err := conn.Exec(ctx, "DROP DATABASE "+ident+" WITH (FORCE)"); err != nil {
			return "", fmt.Errorf("drop stale template: %w", err)
		}
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return "", fmt.Errorf("create template: %w", err)
	}
	cfg, err := pgxpool.ParseConfig(pool.Config().ConnString())
	if err != nil {
		return "", fmt.Errorf("parse server URL: %w", err)
	}
	cfg.ConnConfig.Database = name
	tmpl, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return "", fmt.Errorf("connect to template: %w", err)
	}
	_, err = migrations.Up(ctx, tmpl)
	tmpl.Close()
	if err != nil {
		return "", fmt.Errorf("migrate template: %w", err)
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return "", fmt.Errorf("mark template: %w", err)
	}
	return name, nil
}

// createDatabase creates a database of the test's own, from template when not empty, and drops
// it when the test ends.
func createDatabase(t testing.TB, from string) string {
	t.Helper()
	pool := admin(t)
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "pnt_" + hex.EncodeToString(b[:])
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if from != "" {
		sql += " TEMPLATE " + pgx.Identifier{from}.Sanitize() + " STRATEGY FILE_COPY"
	}
	if _, err := pool.Exec(context.Background(), sql); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := pool.Exec(context.Background(), "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("dbtest: drop database %s: %v", name, err)
		}
	})
	return urlFor(t, name)
}

// NewDatabase returns the URL of a fresh database with every migration applied, dropped when
// the test ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	return createDatabase(t, template(t))
}

// NewEmptyDatabase returns the URL of a fresh database with no migration applied, dropped when
// the test ends.
func NewEmptyDatabase(t testing.TB) string {
	t.Helper()
	return createDatabase(t, "")
}

// NewPool returns a pool on a fresh migrated database ([NewDatabase]), closed when the test
// ends.
func NewPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), NewDatabase(t))
	if err != nil {
		t.Fatalf("dbtest: connect: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// TempDir returns a temporary folder, removed when the test ends, that the postgres user can
// reach as well (t.TempDir's are private to this user), for tests that start a cluster of their
// own.
func TempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "partnernet-test-")
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		t.Fatalf("dbtest: make a folder: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

// MigrateAhead applies to the database at url a migration that package migrations does not
// carry, numbered version (newer than all of them), as a newer binary of partnernet would: it
// creates a table of its own, and goose records the version. Tests use it for a database
// migrated past the binary.
func MigrateAhead(t testing.TB, url string, version int64) {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatalf("dbtest: connect: %v", err)
	}
	defer pool.Close()
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	future := fstest.MapFS{fmt.Sprintf("%05d_from_a_newer_binary.sql", version): {Data: []byte(fmt.Sprintf(
		"-- +goose Up\nCREATE TABLE from_a_newer_binary_%d (id bigint PRIMARY KEY);\n"+
			"-- +goose Down\nDROP TABLE from_a_newer_binary_%d;\n", version, version))}}
	p, err := goose.NewProvider(goose.DialectPostgres, db, future)
	if err != nil {
		t.Fatalf("dbtest: open a provider of the newer migration: %v", err)
	}
	if _, err := p.Up(context.Background()); err != nil {
		t.Fatalf("dbtest: apply the newer migration %d: %v", version, err)
	}
}
