#!/usr/bin/env bash
# Fails when `go generate ./...` would change the committed generated code (graph/, resolvers/).
set -euo pipefail
cd "$(dirname "$0")/.."

snapshot() { find graph resolvers examples -type f -name '*.go' -print0 | sort -z | xargs -0 sha256sum; }
before=$(snapshot)
go generate ./...
after=$(snapshot)
if [ "$before" != "$after" ]; then
  echo "generated code is stale: 'go generate ./...' changed it. Commit the regenerated files:" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  git --no-pager diff --stat -- graph resolvers examples >&2 || true
  exit 1
fi
echo "generated code is current"
