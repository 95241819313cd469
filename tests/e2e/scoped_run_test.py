#!/usr/bin/env python3
"""End to end: `--only EXPR` filters the output, never the input, on the Maven CRM data.

For the LLR and the personalized-targets examples (2017-Q3, both engines, CSV): the subjects a
scoped run prints are exactly the agents whose manager is Dustin Brinkmann in sales_teams.csv (read
here, an oracle independent of fulcrum), and each of their rows is byte-identical to that agent's
row in the whole run: the team's medians and averages over peers (`across rep by manager`) and
the ranks keep their whole-company values. Both engines print the same bytes. The other formats
(table, json) show the same subjects. `alerts --only` (the account lens, sector technolgy) prints
exactly the whole feed's records of those accounts, in the same order. `report --only` writes a
page of the team only; `diff --only` of a file with itself finds no change and reports the team's
subjects only. A subject whose condition is missing is not shown."""
import csv
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures, LLR_FRAMEWORK, MAVEN_DATA  # noqa: E402

FULCRUM = sys.argv[1]
MANAGER = "Dustin Brinkmann"
ONLY = f'manager == "{MANAGER}"'
fail = Failures()

team = {row["sales_agent"] for row in csv.DictReader(open(f"{MAVEN_DATA}/sales_teams.csv"))
        if row["manager"] == MANAGER}
tech = {row["account"] for row in csv.DictReader(open(f"{MAVEN_DATA}/accounts.csv"))
        if row["sector"] == "technolgy"}
if len(team) < 3 or len(tech) < 3:
    fail(f"the oracle found {len(team)} agents of {MANAGER}, {len(tech)} technolgy accounts")


def fulcrum(args, what, expect=0):
    proc = subprocess.run([FULCRUM] + args, capture_output=True, text=True)
    if proc.returncode != expect:
        fail(f"{what}: exit {proc.returncode}, expected {expect}: {proc.stderr[-600:]}")
    return proc.stdout


def rows(text):
    lines = text.splitlines()
    return lines[0], {line.split(",", 1)[0]: line for line in lines[1:]}


for framework, path in (("llr", LLR_FRAMEWORK), ("targets", "examples/targets/targets.fulcrum")):
    base = ["run", path, "--framework", framework, "--period", "2017-Q3"]
    by_engine = {}
    for engine in ("jit", "interp"):
        whole = fulcrum(base + ["--format", "csv", "--engine", engine], f"{framework} {engine}")
        scoped = fulcrum(base + ["--format", "csv", "--engine", engine, "--only", ONLY],
                         f"{framework} {engine} --only")
        by_engine[engine] = scoped
        header, all_rows = rows(whole)
        scoped_header, kept = rows(scoped)
        if scoped_header != header:
            fail(f"{framework} {engine}: the scoped header differs: {scoped_header!r}")
        if set(kept) != team:
            fail(f"{framework} {engine}: --only kept {sorted(kept)}, the team is {sorted(team)}")
        for key, line in kept.items():
            if all_rows.get(key) != line:
                fail(f"{framework} {engine}: {key}'s row changed under --only:\n  whole  "
                     f"{all_rows.get(key)}\n  scoped {line}")
        # The scoped rows keep the whole run's order.
        order = [key for key in all_rows if key in team]
        if list(kept) != order:
            fail(f"{framework} {engine}: order {list(kept)}, whole run's {order}")
        columns = header.split(",")
        for column in ("median_win_rate", "team_win_rate", "team_average_deal"):
            if framework == "targets" and column not in columns:
                fail(f"targets: no column {column}: the peer figures are not tested")
    if by_engine["jit"] != by_engine["interp"]:
        fail(f"{framework}: the engines print different scoped output")
    as_json = json.loads(fulcrum(base + ["--format", "json", "--only", ONLY], f"{framework} json"))
    key = "name"
    if {row[key] for row in as_json} != team:
        fail(f"{framework} --format json --only: {sorted(row[key] for row in as_json)}")
    table = fulcrum(base + ["--only", ONLY], f"{framework} table").splitlines()
    if len(table) != len(team) + 1 or not all(any(a in line for a in team) for line in table[1:]):
        fail(f"{framework} --format table --only: {table[:3]}...")

# A condition that is missing for a subject leaves it out: `outcome` is a band, missing for none,
# and `llr >= 3.5` is missing for the unrated reps, which are left out with those below.
llr = ["run", LLR_FRAMEWORK, "--framework", "llr", "--period", "2017-Q3", "--format", "csv"]
_, all_llr = rows(fulcrum(llr, "llr whole"))
_, scored = rows(fulcrum(llr + ["--only", "llr >= 3.5"], "llr --only llr >= 3.5"))
header = fulcrum(llr, "llr").splitlines()[0].split(",")
position = header.index("llr")
expected = {k for k, line in all_llr.items()
            if list(csv.reader([line]))[0][position] not in ("",)
            and float(list(csv.reader([line]))[0][position]) >= 3.5}
if set(scored) != expected:
    fail(f"llr --only 'llr >= 3.5': {sorted(scored)}, expected {sorted(expected)}")

# alerts --only: the whole feed's records of the technolgy accounts, in the same order.
lens = ["alerts", "examples/accounts/lens.fulcrum", "--framework", "account_lens",
        "--as-of", "2017-06-30", "--format", "csv"]
for engine in ("jit", "interp"):
    whole = fulcrum(lens + ["--engine", engine], f"alerts {engine}").splitlines()
    scoped = fulcrum(lens + ["--engine", engine, "--only", 'sector == "technolgy"'],
                     f"alerts {engine} --only").splitlines()
    subjects = [list(csv.reader([line]))[0][0] for line in whole[1:]]
    expected = [whole[0]] + [line for line, s in zip(whole[1:], subjects) if s in tech]
    if scoped != expected:
        fail(f"alerts {engine} --only: {len(scoped) - 1} records, expected {len(expected) - 1} "
             f"(the whole feed's {len(whole) - 1} of the technolgy accounts)")
    if len(expected) < 2 or len(expected) == len(whole):
        fail(f"alerts {engine}: the test cannot fail: {len(expected) - 1} of {len(whole) - 1}")

# report --only: the page's subjects are the team's.
with tempfile.TemporaryDirectory() as folder:
    page = os.path.join(folder, "team.html")
    fulcrum(["report", LLR_FRAMEWORK, "--framework", "llr", "--period", "2017-Q3", "--only", ONLY,
             "--out", page], "report --only")
    html = open(page, encoding="utf-8").read() if os.path.exists(page) else ""
    # The page's rows are the JSON in #fulcrum-results (the charts and table are drawn from it);
    # a name between tags would not be there, so the rows themselves are compared.
    start = html.find('id="fulcrum-results">')
    end = html.find("</script>", start)
    shown = set()
    if start < 0 or end < 0:
        fail("report --only: no #fulcrum-results in the page")
    else:
        rows = json.loads(html[start + len('id="fulcrum-results">'):end]).get("rows", [])
        shown = {row[0] for row in rows}
    if shown != team:
        fail(f"report --only: the page's rows are {sorted(shown)}, expected the team "
             f"{sorted(team)}")

# diff --only: a file against itself changes nothing, and names the team's subjects only.
out = fulcrum(["diff", LLR_FRAMEWORK, LLR_FRAMEWORK, "--framework", "llr", "--period", "2017-Q3",
               "--only", ONLY, "--fail-on", "any"], "diff --only")
summary = f"summary: 0 of {len(team)} subjects changed, 0 values changed"
if summary not in out:
    fail(f"diff --only: expected `{summary}`: {out[-300:]}")
whole = fulcrum(["diff", LLR_FRAMEWORK, LLR_FRAMEWORK, "--framework", "llr", "--period",
                 "2017-Q3", "--fail-on", "any"], "diff")
if summary in whole:
    fail(f"diff without --only counts {len(team)} subjects too: the test cannot fail")

fail.finish(f"scoped runs: {len(team)} of {MANAGER}'s agents shown with their whole-run rows "
            f"(llr, targets, both engines), {len(tech)} technolgy accounts' alerts")
