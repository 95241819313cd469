#!/usr/bin/env bash
# `make demo`: checks the LLR example framework, runs it over the real Maven CRM data and writes
# its report (build/llr-report.html).
set -euo pipefail
fulcrum=${1:-build/bin/fulcrum}
cd "$(dirname "$0")/.."
data=../shared/datasets/maven-crm
if [ ! -d "$data" ]; then
  echo "demo: $data is missing; clone this repository beside the shared folder" >&2
  exit 1
fi

echo "== fulcrum check examples/llr/llr.fulcrum"
"$fulcrum" check examples/llr/llr.fulcrum && echo "clean: no errors, no warnings"
echo
echo "== fulcrum run examples/llr/llr.fulcrum --framework llr --period 2017-Q3"
"$fulcrum" run examples/llr/llr.fulcrum --framework llr --period 2017-Q3 --format table
echo
echo "== fulcrum report examples/llr/llr.fulcrum --framework llr --period 2017-Q3"
"$fulcrum" report examples/llr/llr.fulcrum --framework llr --period 2017-Q3 \
  --out build/llr-report.html
echo "the report: $(pwd)/build/llr-report.html"
