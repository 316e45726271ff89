#!/usr/bin/env bash
# Installs PostgreSQL's server binaries (initdb, pg_ctl, postgres) when this machine lacks them,
# from Debian's `postgresql` package. partnernet starts its own clusters from these binaries
# (`partnernet dev`, the tests); the cluster the Debian package may create is stopped.
set -euo pipefail

has_binaries() {
  if [ -n "${PARTNERNET_PG_BIN:-}" ] && [ -x "$PARTNERNET_PG_BIN/initdb" ]; then return 0; fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then return 0; fi
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && return 0
  done
  return 1
}

if has_binaries; then
  exit 0
fi

echo "PostgreSQL server binaries not found: installing Debian's postgresql package" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "Install PostgreSQL 15 or newer (for example: apt-get install postgresql) and run again." >&2
  exit 1
fi
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
# The package starts a cluster of its own; partnernet does not use it.
"${sudo[@]}" service postgresql stop >/dev/null 2>&1 || true

has_binaries || { echo "installed postgresql, but its binaries are still not found" >&2; exit 1; }
