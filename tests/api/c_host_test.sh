#!/bin/sh
# The C host's CSV equals `fulcrum run --format csv` byte for byte (from the repository root).
# usage: c_host_test.sh C_HOST FULCRUM
set -eu
host=$1 fulcrum=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for period in 2017-Q2 2017-Q3; do
  "$host" examples/llr/llr.fulcrum llr "$period" > "$out/api.csv"
  "$fulcrum" run examples/llr/llr.fulcrum --framework llr --period "$period" --format csv \
    > "$out/cli.csv" 2>/dev/null
  cmp "$out/api.csv" "$out/cli.csv"
  [ "$(wc -l < "$out/api.csv")" -eq 36 ] || { echo "expected 36 lines"; exit 1; }
done
# An error is a status and a message, not a crash.
status=0
"$host" examples/llr/llr.fulcrum nope 2017-Q3 > /dev/null 2> "$out/err" || status=$?
[ "$status" -eq 64 ] || { echo "unknown framework: exit $status, expected 64"; exit 1; }
grep -q "no framework named \`nope\`" "$out/err"
echo "c host: ok"
