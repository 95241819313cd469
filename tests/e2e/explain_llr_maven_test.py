#!/usr/bin/env python3
"""End to end: `fulcrum run --explain REP` over the LLR example and the real Maven CRM data, for
several reps and quarters, checked against the run's own CSV and against figures computed here
independently from the CSV files.

Per rep and quarter: the explanation (JSON, with --explain-rows) is the same on both engines;
its values of won, attainment, the llr components, llr and outcome equal the run's CSV; each
component's contribution is its value times its points (weight x 5) and the contributions add up
to llr; the band arm taken is the one whose result is the outcome and every arm before it is
false; the row count of each aggregate (won, decided, the wins of win_rate, biggest_deal,
won_last_quarter, leadership, leverage) equals the rows counted here from sales_pipeline.csv and
ratings.csv, and the lines listed are those rows' lines. The text form shows won as language.md
shows money. An unknown rep is a usage error (64) naming the closest key."""
import csv
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures, quarter_bounds, shift_quarter, close, day  # noqa: E402

FULCRUM = sys.argv[1]
DATA = "../shared/datasets/maven-crm"
FRAMEWORK = "examples/llr/llr.fulcrum"
RATINGS = "examples/llr/ratings.csv"
WEIGHTS = {"results": 0.4, "leadership": 0.3, "leverage": 0.3}  # llr.fulcrum's, out of 5
REPS = ["Darcel Schlecht", "Anna Snelling", "Vicki Laflamme", "Mei-Mei Johns", "Rosalina Dieter"]
QUARTERS = [(2017, 1), (2017, 2), (2017, 3)]
fail = Failures()


def fulcrum(*args):
    return subprocess.run([FULCRUM, "run", *args], capture_output=True, text=True, timeout=300)


def lines_of(path):
    """Each record of a CSV file with the line it starts on (no record here spans lines)."""
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        for row in reader:
            yield reader.line_num, row


def reference_rows(rep, year, q):
    """The lines of the rows that feed each aggregate, per metric, from the CSV files alone."""
    start, end = quarter_bounds(year, q)
    prev_start, prev_end = quarter_bounds(*shift_quarter(year, q, -1))
    rows = {"won": [], "decided": [], "win_rate_wins": [], "biggest_deal": [],
            "won_last_quarter": [], "leadership": [], "leverage": []}
    for line, row in lines_of(f"{DATA}/sales_pipeline.csv"):
        if row["sales_agent"] != rep or not row["close_date"]:
            continue
        closed = day(row["close_date"])
        won = row["deal_stage"] == "Won"
        has_value = row["close_value"] != ""
        if start <= closed <= end:
            if row["deal_stage"] in ("Won", "Lost"):
                rows["decided"].append(line)
            if won:
                rows["win_rate_wins"].append(line)
                if has_value:
                    rows["won"].append(line)
                    rows["biggest_deal"].append(line)
        if prev_start <= closed <= prev_end and won and has_value:
            rows["won_last_quarter"].append(line)
    for line, row in lines_of(RATINGS):
        if row["rep"] == rep and row["quarter"] == f"{year}-Q{q}":
            rows["leadership"].append(line)
            rows["leverage"].append(line)
    return rows


def csv_rows(period):
    result = fulcrum(FRAMEWORK, "--framework", "llr", "--period", period, "--format", "csv")
    if result.returncode != 0:
        fail(f"{period}: run exited {result.returncode}: {result.stderr[:300]}")
        return {}
    return {row["name"]: row for row in csv.DictReader(result.stdout.splitlines())}


def explanation(rep, period, engine):
    result = fulcrum(FRAMEWORK, "--framework", "llr", "--period", period, "--explain", rep,
                     "--explain-rows", "--format", "json", "--engine", engine)
    if result.returncode != 0:
        fail(f"{period} {rep} {engine}: explain exited {result.returncode}: {result.stderr[:300]}")
        return None
    return result.stdout


def number(text):
    return None if text == "" else float(text)


def check_value(label, got, want_text):
    want = number(want_text)
    if want is None or got is None:
        if want is not None or got is not None:
            fail(f"{label}: the run has {want_text!r}, the explanation {got!r}")
    elif not close(float(got), want):
        fail(f"{label}: the run has {want}, the explanation {got}")


def check(rep, period, year, q, run_row, explained):
    members = {(m["kind"], m["name"]): m for m in explained["members"]}
    where = f"{period} {rep}"
    if explained["subject"] != rep:
        fail(f"{where}: the explanation is of {explained['subject']!r}")
    for name in ("won", "attainment", "decided", "win_rate", "leadership", "leverage"):
        check_value(f"{where} {name}", members[("metric", name)]["value"], run_row[name])
    score = members[("score", "llr")]
    check_value(f"{where} llr", score["value"], run_row["llr"])
    total = 0.0
    if [part["name"] for part in score["components"]] != list(WEIGHTS):
        fail(f"{where}: components {[part['name'] for part in score['components']]}")
    for part in score["components"]:
        if not close(part["weight"], WEIGHTS.get(part["name"], -1)):
            fail(f"{where} llr.{part['name']}: weight {part['weight']}")
        check_value(f"{where} llr.{part['name']}", part["value"], run_row[f"llr.{part['name']}"])
        if part["value"] is None:
            if part["contribution"] is not None:
                fail(f"{where} llr.{part['name']}: missing, yet contributes {part['contribution']}")
            total = None
            continue
        if not close(part["contribution"], part["value"] * WEIGHTS[part["name"]] * 5):
            fail(f"{where} llr.{part['name']}: contributes {part['contribution']}, not "
                 f"{part['value']} x {WEIGHTS[part['name']]} x 5")
        if total is not None:
            total += part["contribution"]
    if total is None:
        if score["value"] is not None or score["sum"] is not None:
            fail(f"{where}: a component is missing, yet llr is {score['value']}")
    elif not (close(total, score["value"]) and close(score["sum"], score["value"])):
        fail(f"{where}: contributions add up to {total} (sum {score['sum']}), llr is "
             f"{score['value']}")
    band = members[("band", "outcome")]
    if band["value"] != run_row["outcome"]:
        fail(f"{where} outcome: the run has {run_row['outcome']!r}, the explanation "
             f"{band['value']!r}")
    outcomes = [arm["outcome"] for arm in band["arms"]]
    taken = [arm for arm in band["arms"] if arm["outcome"] == "taken"]
    if len(taken) != 1 or taken[0]["result"] != json.dumps(run_row["outcome"]):
        fail(f"{where}: arms {outcomes}, expected one taken with {run_row['outcome']!r}")
    else:
        index = band["arms"].index(taken[0])
        if outcomes[:index] != ["false"] * index or set(outcomes[index + 1:]) - {"not reached"}:
            fail(f"{where}: arms {outcomes}: the ones before the taken arm must be false")
    # Row counts and lines against the CSV files.
    reference = reference_rows(rep, year, q)
    aggregates = {name: members[("metric", name)]["aggregates"]
                  for name in ("won", "decided", "biggest_deal", "won_last_quarter", "leadership",
                               "leverage")}
    win_rate = members[("metric", "win_rate")]["aggregates"]
    if len(win_rate) != 1 or win_rate[0]["call"] != \
            'count(deals where stage == "Won" and closed in period)':
        fail(f"{where} win_rate: aggregates {[a['call'] for a in win_rate]}")
    aggregates["win_rate_wins"] = win_rate
    for name, listed in aggregates.items():
        if len(listed) != 1:
            fail(f"{where} {name}: {len(listed)} aggregates, expected 1")
            continue
        want = reference[name]
        if listed[0]["rows"] != len(want) or listed[0]["lines"] != want:
            fail(f"{where} {name}: {listed[0]['rows']} rows at {listed[0]['lines'][:8]}, the CSV "
                 f"has {len(want)} at {want[:8]}")
    return len(reference["won"])


checked = rows_counted = 0
for year, q in QUARTERS:
    period = f"{year}-Q{q}"
    run = csv_rows(period)
    for rep in REPS:
        if rep not in run:
            fail(f"{period}: no row for {rep} in the run")
            continue
        texts = {engine: explanation(rep, period, engine) for engine in ("jit", "interp")}
        if None in texts.values():
            continue
        if texts["jit"] != texts["interp"]:
            fail(f"{period} {rep}: the engines' explanations differ")
        rows_counted += check(rep, period, year, q, run[rep], json.loads(texts["interp"]))
        checked += 1

# The text form shows money as language.md does ($1,234), and the sum line.
text = fulcrum(FRAMEWORK, "--framework", "llr", "--period", "2017-Q2", "--explain",
               "Darcel Schlecht")
won = float(csv_rows("2017-Q2")["Darcel Schlecht"]["won"])
shown = "$" + f"{won:,.2f}".removesuffix(".00")
if text.returncode != 0 or f"metric won = {shown}" not in text.stdout or "  sum: " not in text.stdout:
    fail(f"text form: expected `metric won = {shown}` and a sum line, got:\n{text.stdout[:600]}")

unknown = fulcrum(FRAMEWORK, "--framework", "llr", "--period", "2017-Q2", "--explain",
                  "Darcel Schlect")
if unknown.returncode != 64 or 'did you mean "Darcel Schlecht"' not in unknown.stderr:
    fail(f"unknown rep: exit {unknown.returncode}, {unknown.stderr[:300]!r}")

if checked == 0 or rows_counted == 0:
    fail(f"nothing checked ({checked} explanations, {rows_counted} won rows)")
fail.finish(f"explain over Maven: {checked} rep-quarters x 2 engines agree with the run and "
            f"with {rows_counted} won rows counted from the CSV")
