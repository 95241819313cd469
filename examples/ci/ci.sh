#!/bin/sh
# What CI runs on every change to this repository's frameworks (see README.md):
#   check (annotations for the pull request, and a SARIF file for code scanning),
#   fmt --check, test (a JUnit file), and a diff of each changed framework against the base
#   revision over the real data (a Markdown table to post as a comment).
# Every step runs even when an earlier one fails, so that the job shows every report; the exit
# status is the first failing step's (fulcrum's own statuses: 1 errors, failed tests or files
# fmt would change; 2 data or I/O errors; 3 a change `--fail-on` names; 64 a usage error).
#
# Environment: FULCRUM (the binary, default `fulcrum`), BASE (the revision to diff against,
# default HEAD~1), PERIOD (default 2017-Q3), OUT (where reports go, default ci-out),
# FAIL_ON (band or any: fail the job when the change moves a band, or changes any value;
# default: report only), DATA (a folder of the CRM export, default the Maven data set).
set -u
here=$(cd "$(dirname "$0")" && pwd)
FULCRUM=${FULCRUM:-fulcrum}
BASE=${BASE:-HEAD~1}
PERIOD=${PERIOD:-2017-Q3}
OUT=${OUT:-ci-out}
FAIL_ON=${FAIL_ON:-}
DATA=${DATA:-$here/../../../shared/datasets/maven-crm}
cd "$here"
mkdir -p "$OUT"
status=0

# Runs one step; the first failure's status is the job's.
step() {
  name=$1
  shift
  echo "== $name"
  "$@"
  code=$?
  if [ "$code" -ne 0 ]; then
    echo "== $name failed (exit $code)"
    [ "$status" -eq 0 ] && status=$code
  fi
}

frameworks=$(ls frameworks/*.fulcrum)
tests=$(ls frameworks/*_test.fulcrum)

# shellcheck disable=SC2086 # the file lists are meant to split
step "check" "$FULCRUM" check --format github $frameworks
"$FULCRUM" check --format sarif $frameworks >"$OUT/fulcrum.sarif"
step "fmt --check" "$FULCRUM" fmt --check $frameworks
step "test" "$FULCRUM" test --junit "$OUT/junit.xml" $tests

# The diff: the scorecard as it was at BASE against the working copy, over the same data.
diff_one() {
  file=$1
  framework=$2
  # An unknown BASE (a typo, a branch the CI did not fetch) is an error, never "nothing to compare".
  if ! git rev-parse --verify -q "$BASE^{commit}" >/dev/null; then
    echo "BASE $BASE is not a commit of this repository (fetch it first)"
    return 2
  fi
  if ! git cat-file -e "$BASE:./$file" 2>/dev/null; then
    echo "$file is new since $BASE: nothing to compare"
    return 0
  fi
  fail_on=""
  [ -n "$FAIL_ON" ] && fail_on="--fail-on $FAIL_ON"
  # shellcheck disable=SC2086
  "$FULCRUM" diff "$BASE:./$file" "$file" --framework "$framework" --period "$PERIOD" \
    --data "rep=$DATA/sales_teams.csv" --data "deals=$DATA/sales_pipeline.csv" \
    --format markdown $fail_on >"$OUT/diff-$framework.md"
  code=$?
  cat "$OUT/diff-$framework.md"
  return $code
}
step "diff scorecard" diff_one frameworks/scorecard.fulcrum scorecard

exit "$status"
