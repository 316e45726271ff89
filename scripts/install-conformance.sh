#!/usr/bin/env bash
# Installs the conformance checks' tools: Node.js and npm when this machine lacks them (Debian's
# nodejs and npm packages), then the exact npm packages of conformance/package-lock.json
# (npm ci). The conformance tests in conformance/ run them against a real server.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node or npm not found: installing Debian's nodejs and npm packages" >&2
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "Install Node.js 20 or newer with npm and run again." >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
fi

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "Node.js $major is too old for the conformance checks (they need 18 or newer, for fetch)" >&2
  exit 1
fi

npm ci --prefix conformance --no-audit --no-fund --loglevel=error
