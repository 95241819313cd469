#!/usr/bin/env bash
# Installs the Debian packages Fulcrum needs, only those missing; touches nothing when all are present.
set -euo pipefail

packages=(
  cmake ninja-build g++ make
  antlr4 default-jre-headless libantlr4-runtime-dev
  llvm-19-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-19 libclang-rt-19-dev
  nlohmann-json3-dev libxxhash-dev libz3-dev libssl-dev
  libhowardhinnant-date-dev tzdata  # time zones of data formats (support/TimeZones.h)
  sqlite3 python3 clang-format git
  libpq-dev postgresql-15  # PostgreSQL sources (runtime/postgres/); the tests start a server
  pybind11-dev python3-pybind11 python3-numpy python3-pandas python3-pytest
  python3-distributed  # fulcrum.dask: distributed runs (docs/scaling.md)
  chromium  # the report's browser test drives it headless (tests/browser/cdp.py)
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
