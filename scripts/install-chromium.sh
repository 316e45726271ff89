#!/usr/bin/env bash
# Makes sure Debian's chromium is on this machine (installing the package when missing), for the
# end-to-end tests of the analytics page and GraphiQL, which drive it headless with chromedp.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
echo "chromium not found: installing Debian's chromium package" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
  echo "Install chromium and run again." >&2
  exit 1
fi
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
command -v chromium >/dev/null 2>&1 || { echo "chromium is still missing" >&2; exit 1; }
