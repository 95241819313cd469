#!/usr/bin/env bash
# Checks that every peer computes what fulcrum computes: over the data set DIR, for both
# frameworks and each period given (default 2018-Q3, 2017-Q1 and 2018-Q3 as of 2018-08-15), runs
# fulcrum and the peers (the hand-written C++ too, when it is built beside fulcrum) and compares
# their results with bench/compare.py, showing each peer's line of timings. A period may carry the
# run's as-of day after an `@`: 2018-Q3@2018-08-15 is `--period 2018-Q3 --as-of 2018-08-15` (the
# quarter to date; a rep hired later has no tenure). Then the account lens
# (bench/frameworks/events.fulcrum's account_lens, over DIR's accounts and events) as of the
# data's last day 2018-12-31 and as of 2018-06-30 (later events then exist): `fulcrum run` and
# `fulcrum alerts` against DuckDB and the hand-written C++, the ranks exactly and the alert feed
# byte for byte. Exits 1 if any differs.
#
#   bench/peers/check_peers.sh DIR [PERIOD[@AS_OF]...]     (FULCRUM=path/to/fulcrum to pick a build)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="$(cd "${1:?usage: check_peers.sh DIR [PERIOD[@AS_OF]...]}" && pwd)"
shift
periods=("$@")
[ ${#periods[@]} -gt 0 ] || periods=(2018-Q3 2017-Q1 2018-Q3@2018-08-15)
fulcrum="${FULCRUM:-$root/build/bin/fulcrum}"
handwritten="$(dirname "$fulcrum")/fulcrum-handwritten"
peers=(duckdb polars sqlite pandas)
[ -x "$handwritten" ] && peers=(handwritten "${peers[@]}")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

failed=0
for framework in llr targets; do
  for run in "${periods[@]}"; do
    period="${run%%@*}"
    when=(--period "$period")
    [ "$run" = "$period" ] || when+=(--as-of "${run#*@}")
    "$fulcrum" run "$root/bench/frameworks/$framework.fulcrum" --framework "$framework" \
      "${when[@]}" --format csv --data "rep=$data/reps.csv" --data "deals=$data/deals.csv" \
      --data "activities=$data/activities.csv" --data "ratings=$data/ratings.csv" \
      --data "quotas=$data/quotas.csv" >"$work/fulcrum.csv" 2>"$work/fulcrum.log" || {
      echo "$framework $run: fulcrum failed:"; cat "$work/fulcrum.log"; failed=1; continue; }
    for peer in "${peers[@]}"; do
      case $peer in
      handwritten) command=("$handwritten") ;;
      duckdb | polars) command=(node "$root/bench/peers/${peer}_peer.mjs") ;;
      *) command=(/usr/bin/python3 "$root/bench/peers/${peer}_peer.py") ;;
      esac
      if ! "${command[@]}" --data "$data" --framework "$framework" "${when[@]}" \
        --out "$work/$peer.csv" >"$work/$peer.json"; then
        echo "$framework $run $peer: the peer failed"; failed=1; continue
      fi
      verdict=$(python3 "$root/bench/compare.py" "$work/fulcrum.csv" "$work/$peer.csv") || failed=1
      echo "$framework $run $peer: ${verdict//$'\n'/$'\n  '}"
      echo "  $(cat "$work/$peer.json")"
    done
  done
done

lens=(run "$root/bench/frameworks/events.fulcrum" --framework account_lens --format csv
  --data "account=$data/accounts.csv" --data "events=$data/events.csv")
lens_peers=(duckdb)
[ -x "$handwritten" ] && lens_peers=(handwritten duckdb)
for as_of in 2018-12-31 2018-06-30; do
  if ! "$fulcrum" "${lens[@]}" --as-of "$as_of" >"$work/fulcrum.csv" 2>"$work/fulcrum.log" ||
    ! "$fulcrum" alerts "${lens[@]:1}" --as-of "$as_of" >"$work/feed.csv" 2>>"$work/fulcrum.log"; then
    echo "account_lens @$as_of: fulcrum failed:"; cat "$work/fulcrum.log"; failed=1; continue
  fi
  for peer in "${lens_peers[@]}"; do
    case $peer in
    handwritten) command=("$handwritten") ;;
    duckdb) command=(node "$root/bench/peers/duckdb_peer.mjs") ;;
    esac
    if ! "${command[@]}" --data "$data" --framework account_lens --as-of "$as_of" \
      --out "$work/$peer.csv" --alerts-out "$work/$peer-feed.csv" >"$work/$peer.json"; then
      echo "account_lens @$as_of $peer: the peer failed"; failed=1; continue
    fi
    verdict=$(python3 "$root/bench/compare.py" "$work/fulcrum.csv" "$work/$peer.csv" \
      --exact size_of_prize,heat,priority,quiet_days --rel 1e-12) || failed=1
    if cmp -s "$work/feed.csv" "$work/$peer-feed.csv"; then
      verdict+="; feed identical ($(($(wc -l <"$work/feed.csv") - 1)) alerts)"
    else
      verdict+="; FEED DIFFERS: $(diff "$work/feed.csv" "$work/$peer-feed.csv" | head -3)"
      failed=1
    fi
    echo "account_lens @$as_of $peer: ${verdict//$'\n'/$'\n  '}"
    echo "  $(cat "$work/$peer.json")"
  done
done
exit $failed
