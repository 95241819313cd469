#!/usr/bin/env bash
# Installs what only the benchmark's peers need (bench/peers): node and npm for the DuckDB and
# Polars peers, Debian's pandas for the pandas peer, sqlite3; then the peers' npm packages.
# Installs only what is missing: fast and silent when everything is present.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
packages=(nodejs npm python3 python3-pandas sqlite3)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done
# A node that came from elsewhere (nvm, a tarball) serves as well as Debian's.
if command -v node >/dev/null && command -v npm >/dev/null; then
  kept=()
  for pkg in "${missing[@]}"; do
    [ "$pkg" = nodejs ] || [ "$pkg" = npm ] || kept+=("$pkg")
  done
  missing=("${kept[@]+"${kept[@]}"}")
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "bench deps: all packages present"
else
  echo "bench deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

peers="$root/bench/peers"
# nodejs-polars declares node >= 22 but runs on Debian's node 20; its platform binary is pinned
# beside it (newer releases lack this platform's build).
if [ ! -d "$peers/node_modules/@duckdb/node-api" ] ||
   [ ! -d "$peers/node_modules/nodejs-polars-linux-x64-gnu" ]; then
  echo "bench deps: npm packages of bench/peers"
  if [ -f "$peers/package-lock.json" ]; then
    (cd "$peers" && npm ci --no-audit --no-fund --loglevel=error)
  else
    (cd "$peers" && npm install --no-audit --no-fund --loglevel=error)
  fi
fi
