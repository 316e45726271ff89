#!/usr/bin/env bash
# The project's test command (README: `make test`). Installs what the machine lacks: PostgreSQL's
# server binaries, Node.js with the npm packages of the federation and conformance checks, of
# GraphiQL's build and of the finder's accessibility check (axe-core) (npm ci), and Debian's
# chromium for the browser tests of the analytics page, the finder and GraphiQL. Then checks
# formatting, module tidiness, vet, the linters and generated code, and runs every test with the
# race detector against real PostgreSQL clusters started by the tests themselves (or
# TEST_DATABASE_URL when set); the Node.js and browser tests may not skip here.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-postgres.sh
./scripts/install-node.sh federation conformance server/graphiql server/a11y
./scripts/install-chromium.sh

echo "== gofmt"
unformatted=$(git ls-files -z '*.go' | xargs -0 gofmt -l)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2
  echo "$unformatted" >&2
  exit 1
fi

echo "== go mod tidy"
go mod tidy -diff
(cd tools && go mod tidy -diff)

echo "== go vet"
go vet ./...

echo "== golangci-lint (.golangci.yml; pinned in tools/go.mod, built from the module proxy the first time)"
go tool -modfile=tools/go.mod golangci-lint run ./...

echo "== generated code"
./scripts/check-generated.sh

echo "== go test -race"
PARTNERNET_REQUIRE_CONFORMANCE=1 go test -race -count=1 "$@" ./...

echo "== fuzz the operation limits and validation (bounded)"
go test -run '^$' -fuzz '^FuzzMeasure$' -fuzztime "${PARTNERNET_FUZZTIME:-30s}" ./docshape/
