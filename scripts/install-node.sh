#!/usr/bin/env bash
# Makes sure Node.js 20 or newer and npm are on this machine (from Debian's packages when missing),
# then installs the locked npm packages of the folders given, such as federation: the Apollo
# composition library and gateway the federation tests run.
set -euo pipefail
cd "$(dirname "$0")/.."

node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ]
}

if ! node_ok; then
  echo "Node.js 20+ and npm not found: installing Debian's nodejs and npm packages" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "Install Node.js 20 or newer with npm and run again." >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
  node_ok || { echo "Node.js 20 or newer is needed; found $(node --version 2>/dev/null || echo none)" >&2; exit 1; }
fi

for dir in "$@"; do
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
done
