#!/usr/bin/env bash
# Checks that every peer computes what fulcrum computes: over the data set DIR, for both
# frameworks and each period given (default 2018-Q3 and 2017-Q1), runs fulcrum and the peers and
# compares their results with bench/compare.py, showing each peer's line of timings. Exits 1 if
# any differs.
#
#   bench/peers/check_peers.sh DIR [PERIOD...]     (FULCRUM=path/to/fulcrum to pick a build)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="$(cd "${1:?usage: check_peers.sh DIR [PERIOD...]}" && pwd)"
shift
periods=("$@")
[ ${#periods[@]} -gt 0 ] || periods=(2018-Q3 2017-Q1)
fulcrum="${FULCRUM:-$root/build/bin/fulcrum}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

failed=0
for framework in llr targets; do
  for period in "${periods[@]}"; do
    "$fulcrum" run "$root/bench/frameworks/$framework.fulcrum" --framework "$framework" \
      --period "$period" --format csv --data "rep=$data/reps.csv" --data "deals=$data/deals.csv" \
      --data "activities=$data/activities.csv" --data "ratings=$data/ratings.csv" \
      --data "quotas=$data/quotas.csv" >"$work/fulcrum.csv" 2>"$work/fulcrum.log" || {
      echo "$framework $period: fulcrum failed:"; cat "$work/fulcrum.log"; failed=1; continue; }
    for peer in duckdb sqlite pandas; do
      case $peer in
      duckdb) command=(node "$root/bench/peers/duckdb_peer.mjs") ;;
      *) command=(/usr/bin/python3 "$root/bench/peers/${peer}_peer.py") ;;
      esac
      if ! "${command[@]}" --data "$data" --framework "$framework" --period "$period" \
        --out "$work/$peer.csv" >"$work/$peer.json"; then
        echo "$framework $period $peer: the peer failed"; failed=1; continue
      fi
      verdict=$(python3 "$root/bench/compare.py" "$work/fulcrum.csv" "$work/$peer.csv") || failed=1
      echo "$framework $period $peer: ${verdict//$'\n'/$'\n  '}"
      echo "  $(cat "$work/$peer.json")"
    done
  done
done
exit $failed
