#!/usr/bin/env bash
# `make demo`: checks the LLR example framework and runs it over the real Maven CRM data.
set -euo pipefail
fulcrum=${1:-build/bin/fulcrum}
cd "$(dirname "$0")/.."
data=../shared/datasets/maven-crm
if [ ! -d "$data" ]; then
  echo "demo: $data is missing; clone this repository beside the shared folder" >&2
  exit 1
fi

echo "== fulcrum check examples/llr/llr.fulcrum"
"$fulcrum" check examples/llr/llr.fulcrum && echo "no errors, no warnings"
echo

echo "== the data it reads"
"$fulcrum" load examples/llr/llr.fulcrum
