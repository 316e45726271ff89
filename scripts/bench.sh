#!/usr/bin/env bash
# The benchmark (docs/benchmark.md). Not part of `make test`: the first run loads the large data set
# (about a minute and 1 GiB on disk, in .bench/, kept for later runs) and every run keeps both
# cores busy for a few minutes. Builds the server and the load program, then runs the four
# workloads against a server on loopback and prints the results table. Flags go to cmd/bench
# (--duration, --concurrency, --page, --only, --setup-only; --help lists them).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-postgres.sh
./scripts/install-node.sh bench/postgraphile
mkdir -p bin
go build -o bin/partnernet ./cmd/partnernet
go build -o bin/bench ./cmd/bench
exec bin/bench --binary bin/partnernet "$@"
