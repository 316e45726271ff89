package pglocal

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoBinaries reports that PostgreSQL's server binaries are not on this machine.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, pg_ctl) not found: " +
	"run scripts/install-postgres.sh (or apt-get install postgresql), or set PARTNERNET_PG_BIN")

// superuser is the name of the cluster's superuser.
const superuser = "partnernet"

// Options configure [Start].
type Options struct {
	// DataDir holds the cluster: the data in DataDir/pgdata, the server log in
	// DataDir/postgres.log, the password in DataDir/credentials. Created when missing.
	DataDir string
	// Port is the TCP port on 127.0.0.1; 0 picks a free one.
	Port int
	// Logger receives progress messages; nil discards them.
	Logger *slog.Logger
}

// Cluster is a running local PostgreSQL server.
type Cluster struct {
	binDir   string
	dataDir  string
	pgdata   string
	port     int
	password string
	started  bool
	owner    *syscall.Credential
	log      *slog.Logger
}

// FindBinaries returns the folder of PostgreSQL's server binaries: PARTNERNET_PG_BIN, else the
// folder of initdb on PATH, else the newest /usr/lib/postgresql/N/bin (N ≥ 15). It returns
// ErrNoBinaries when there are none.
func FindBinaries() (string, error) {
	if dir := os.Getenv("PARTNERNET_PG_BIN"); dir != "" {
		if hasBinaries(dir) {
			return dir, nil
		}
		return "", fmt.Errorf("PARTNERNET_PG_BIN=%s: %w", dir, ErrNoBinaries)
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if resolved, err := filepath.EvalSymlinks(p); err == nil && hasBinaries(filepath.Dir(resolved)) {
			return filepath.Dir(resolved), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, dir := range dirs {
		if version(dir) >= 15 && hasBinaries(dir) {
			return dir, nil
		}
	}
	return "", ErrNoBinaries
}

// version returns N of /usr/lib/postgresql/N/bin, or 0.
func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func hasBinaries(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.IsDir() {
			return false
		}
	}
	return true
}

// Start starts the cluster in opts.DataDir, creating it first when new, and returns once it
// accepts connections. When a server already runs on that folder, Start attaches to it:
// [Cluster.Started] is false and [Cluster.Stop] leaves it running.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	if opts.DataDir == "" {
		return nil, errors.New("pglocal: a data folder is required")
	}
	binDir, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	dataDir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("resolve data folder: %w", err)
	}
	c := &Cluster{binDir: binDir, dataDir: dataDir, pgdata: filepath.Join(dataDir, "pgdata"), log: opts.Logger}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.owner, err = serverOwner(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	if c.owner != nil {
		if err := reachable(dataDir); err != nil {
			return nil, err
		}
	}
	if err := c.loadOrCreatePassword(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(c.pgdata, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx); err != nil {
			return nil, err
		}
	}
	if port, ok := c.runningPort(ctx); ok {
		c.port = port
		c.log.Info("attached to the local database already running", "port", port, "data_dir", dataDir)
	} else {
		if c.port = opts.Port; c.port == 0 {
			if c.port, err = freePort(); err != nil {
				return nil, err
			}
		}
		if err := c.start(ctx); err != nil {
			return nil, err
		}
		c.started = true
	}
	if err := c.waitReady(ctx); err != nil {
		if c.started {
			_ = c.Stop(context.WithoutCancel(ctx))
		}
		return nil, err
	}
	return c, nil
}

// serverOwner returns the credential the server must run as: the postgres user when this
// process is root, nil (this process's own) otherwise.
func serverOwner() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL needs the postgres user: %w", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// reachable checks that every parent of dir lets other users through, so that the postgres
// user can reach the cluster's folder.
func reachable(dir string) error {
	for d := dir; ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("check data folder: %w", err)
		}
		if st.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("the postgres user cannot reach %s (mode %v); choose a data folder whose parents are "+
				"world-executable (chmod o+x), for example with --data-dir /var/tmp/partnernet", d, st.Mode().Perm())
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// loadOrCreatePassword reads the superuser's password from the data folder, or makes one.
func (c *Cluster) loadOrCreatePassword() error {
	path := filepath.Join(c.dataDir, "credentials")
	if b, err := os.ReadFile(path); err == nil {
		c.password = strings.TrimSpace(string(b))
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read database password: %w", err)
	}
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Errorf("make database password: %w", err)
	}
	c.password = hex.EncodeToString(b[:])
	if err := os.WriteFile(path, []byte(c.password+"\n"), 0o600); err != nil {
		return fmt.Errorf("save database password: %w", err)
	}
	return nil
}

// command prepares a server binary to run as the cluster's owner.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.binDir, name), args...)
	cmd.Dir = c.dataDir
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "TZ=UTC")
	// A process group of its own keeps a terminal's Ctrl-C from reaching the server: the
	// server stops when Stop says so, after the API has finished its requests.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.owner}
	return cmd
}

// run runs a server binary and returns its output in the error when it fails.
func (c *Cluster) run(ctx context.Context, name string, args ...string) error {
	var out bytes.Buffer
	cmd := c.command(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// chown hands a path to the cluster's owner.
func (c *Cluster) chown(path string) error {
	if c.owner == nil {
		return nil
	}
	return filepath.Walk(path, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, int(c.owner.Uid), int(c.owner.Gid))
	})
}

// initdb creates the cluster.
func (c *Cluster) initdb(ctx context.Context) error {
	c.log.Info("creating a local PostgreSQL cluster", "data_dir", c.pgdata)
	if err := os.MkdirAll(c.pgdata, 0o700); err != nil {
		return fmt.Errorf("create cluster folder: %w", err)
	}
	pwfile := filepath.Join(c.dataDir, "initdb.pw")
	if err := os.WriteFile(pwfile, []byte(c.password+"\n"), 0o600); err != nil {
		return fmt.Errorf("write password file: %w", err)
	}
	defer os.Remove(pwfile)
	if err := errors.Join(c.chown(c.pgdata), c.chown(pwfile)); err != nil {
		return fmt.Errorf("hand the cluster to postgres: %w", err)
	}
	args := []string{
		"-D", c.pgdata, "-U", superuser, "--pwfile", pwfile, "-E", "UTF8",
		"--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
	}
	err := c.run(ctx, "initdb", append(args, "--locale=C.UTF-8")...)
	if err != nil {
		c.log.Warn("initdb with locale C.UTF-8 failed; retrying with C", "err", err)
		_ = os.RemoveAll(c.pgdata)
		if err := os.MkdirAll(c.pgdata, 0o700); err != nil {
			return fmt.Errorf("create cluster folder: %w", err)
		}
		if err := c.chown(c.pgdata); err != nil {
			return fmt.Errorf("hand the cluster to postgres: %w", err)
		}
		err = c.run(ctx, "initdb", append(args, "--locale=C")...)
	}
	if err != nil {
		_ = os.RemoveAll(c.pgdata)
		return fmt.Errorf("create the local cluster: %w", err)
	}
	return nil
}

// socketDir is where the server puts its unix socket: inside the data folder when the path is
// short enough for a socket, else the system's temporary folder.
func (c *Cluster) socketDir() (string, error) {
	dir := filepath.Join(c.dataDir, "run")
	if len(dir)+len("/.s.PGSQL.65535") >= 107 {
		dir = filepath.Join(os.TempDir(), "partnernet-pg-"+strconv.Itoa(os.Getuid()))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create socket folder: %w", err)
	}
	if err := c.chown(dir); err != nil {
		return "", fmt.Errorf("hand the socket folder to postgres: %w", err)
	}
	return dir, nil
}

// start starts the server with pg_ctl and waits for it.
func (c *Cluster) start(ctx context.Context) error {
	sockets, err := c.socketDir()
	if err != nil {
		return err
	}
	logFile := filepath.Join(c.dataDir, "postgres.log")
	if f, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err == nil {
		_ = f.Close()
	}
	if err := c.chown(logFile); err != nil {
		return fmt.Errorf("hand the log to postgres: %w", err)
	}
	options := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200 -c timezone=UTC", c.port, sockets)
	c.log.Info("starting the local database", "port", c.port, "log", logFile)
	if err := c.run(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", c.pgdata, "-l", logFile, "-o", options); err != nil {
		return fmt.Errorf("start the local database: %w\n%s", err, tail(logFile, 20))
	}
	return nil
}

// runningPort reports whether a server runs on the cluster, and its port.
func (c *Cluster) runningPort(ctx context.Context) (int, bool) {
	if err := c.run(ctx, "pg_ctl", "status", "-D", c.pgdata); err != nil {
		return 0, false
	}
	f, err := os.Open(filepath.Join(c.pgdata, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for line := 1; s.Scan(); line++ {
		if line == 4 {
			port, err := strconv.Atoi(strings.TrimSpace(s.Text()))
			return port, err == nil
		}
	}
	return 0, false
}

// waitReady waits until the server accepts a connection.
func (c *Cluster) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, c.URL("postgres"))
		if err == nil {
			return conn.Close(ctx)
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("the local database does not answer: %w", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Started reports whether this process started the server (and Stop will stop it).
func (c *Cluster) Started() bool { return c.started }

// Port returns the server's TCP port on 127.0.0.1.
func (c *Cluster) Port() int { return c.port }

// URL returns the connection URL of a database of the cluster, as its superuser.
func (c *Cluster) URL(database string) string {
	return fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s?sslmode=disable", superuser, c.password, c.port, database)
}

// EnsureDatabase creates the database unless it exists.
func (c *Cluster) EnsureDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("connect to the local database: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %q: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("create database %q: %w", name, err)
	}
	return nil
}

// Stop stops the server if this Cluster started it (fast shutdown: sessions are ended, work in
// transactions rolled back).
func (c *Cluster) Stop(ctx context.Context) error {
	if !c.started {
		return nil
	}
	if _, running := c.runningPort(ctx); !running {
		c.started = false
		return nil
	}
	if err := c.run(ctx, "pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", c.pgdata); err != nil {
		return fmt.Errorf("stop the local database: %w", err)
	}
	c.started = false
	return nil
}

// Remove stops a server running on dataDir's cluster, if any, and deletes the cluster.
func Remove(ctx context.Context, dataDir string) error {
	pgdata := filepath.Join(dataDir, "pgdata")
	if _, err := os.Stat(filepath.Join(pgdata, "PG_VERSION")); err == nil {
		binDir, err := FindBinaries()
		if err != nil {
			return err
		}
		owner, err := serverOwner()
		if err != nil {
			return err
		}
		c := &Cluster{binDir: binDir, dataDir: dataDir, pgdata: pgdata, owner: owner}
		if _, running := c.runningPort(ctx); running {
			c.started = true
			if err := c.Stop(ctx); err != nil {
				return err
			}
		}
	}
	if err := os.RemoveAll(pgdata); err != nil {
		return fmt.Errorf("delete the local cluster: %w", err)
	}
	return nil
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// tail returns the last n lines of a file, for error messages.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
