#!/usr/bin/env python3
"""End to end: examples/ci run as a CI job would run it. The folder is copied into a fresh Git
repository and committed; then:

1. `ci.sh` against the same revision: every step passes (exit 0), the JUnit file holds the three
   tests of scorecard_test.fulcrum, all passing, the SARIF file is SARIF 2.1.0 with no result, and
   the diff reports no change.
2. A second commit makes the scorecard activity-weighted (results 30%, win rate 70%): `ci.sh`
   with FAIL_ON=band exits 3, the tests still pass, and the diff's Markdown names exactly the
   sellers whose band an independent computation here (from sales_pipeline.csv) finds moved, each
   with its old and new band.
3. A third commit breaks the layout and a test (the `meets` threshold raised so that the rep at
   166% of quota lands on a PIP): `ci.sh` exits 1 (fmt --check, the first failing step, names
   the file) and the JUnit file records exactly that test with a <failure>.
"""
import csv
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
import json

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures, quarter_bounds  # noqa: E402

FULCRUM = os.path.abspath(sys.argv[1])
ROOT = os.getcwd()
DATA = os.path.join(ROOT, "../shared/datasets/maven-crm")
EXAMPLE = os.path.join(ROOT, "examples/ci")
PERIOD = (2017, 3)
QUOTA = 150000.0
fail = Failures()


def git(repo, *args):
    subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True)


def ci(repo, **environment):
    env = dict(os.environ, FULCRUM=FULCRUM, DATA=DATA, OUT="ci-out", FULCRUM_JIT_CACHE="off",
               **environment)
    done = subprocess.run(["sh", "ci.sh"], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=300)
    return done.returncode, done.stdout + done.stderr


def bands(results_weight, win_rate_weight):
    """Each agent's band for the quarter, computed here from the CSV files."""
    first, last = quarter_bounds(*PERIOD)
    with open(f"{DATA}/sales_teams.csv", newline="") as f:
        agents = [row["sales_agent"] for row in csv.DictReader(f)]
    won = {a: 0.0 for a in agents}
    wins = {a: 0 for a in agents}
    decided = {a: 0 for a in agents}
    with open(f"{DATA}/sales_pipeline.csv", newline="") as f:
        for row in csv.DictReader(f):
            closed = row["close_date"]
            if not closed or not first <= datetime.date.fromisoformat(closed) <= last:
                continue
            if row["deal_stage"] in ("Won", "Lost"):
                decided[row["sales_agent"]] += 1
            if row["deal_stage"] == "Won":
                wins[row["sales_agent"]] += 1
                won[row["sales_agent"]] += float(row["close_value"] or 0)
    result = {}
    for agent in agents:
        if decided[agent] == 0:
            result[agent] = "ramping"
            continue
        results = min(max(won[agent] / QUOTA / 1.5, 0), 1)
        win_rate = min(max(wins[agent] / decided[agent] / 0.8, 0), 1)
        seller = 5 * (results_weight * results + win_rate_weight * win_rate)
        for threshold in (4.0, 2.0):
            if abs(seller - threshold) < 1e-9:
                fail(f"{agent}'s score {seller} sits on a threshold: the oracle cannot decide")
        result[agent] = "raise" if seller >= 4.0 else "meets" if seller >= 2.0 else "pip"
    return result


def junit_cases(path):
    root = ElementTree.parse(path).getroot()
    return [(case.get("name"), [child.tag for child in case]) for case in root.iter("testcase")]


def edit(path, old, new):
    with open(path) as f:
        text = f.read()
    if old not in text:
        fail(f"{path} does not hold {old!r}: the test's edit no longer applies")
    with open(path, "w") as f:
        f.write(text.replace(old, new))


with tempfile.TemporaryDirectory() as temp:
    repo = os.path.join(temp, "frameworks-repo")
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns("ci-out"))
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "ci@example.com")
    git(repo, "config", "user.name", "CI")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the scorecard")
    scorecard = os.path.join(repo, "frameworks/scorecard.fulcrum")
    out = os.path.join(repo, "ci-out")

    # 1. Nothing changed.
    status, printed = ci(repo, BASE="HEAD")
    if status != 0:
        fail(f"ci.sh on an unchanged repository exited {status}:\n{printed}")
    cases = junit_cases(os.path.join(out, "junit.xml"))
    if len(cases) != 3 or any(children for _, children in cases):
        fail(f"junit.xml: expected three passing test cases, got {cases}")
    with open(os.path.join(out, "fulcrum.sarif")) as f:
        sarif = json.load(f)
    if sarif.get("version") != "2.1.0" or sarif["runs"][0].get("results"):
        fail("fulcrum.sarif: expected SARIF 2.1.0 with no result")

    # 2. Activity-weighted: results 30%, win rate 70%.
    edit(scorecard, "results  60%", "results  30%")
    edit(scorecard, "win_rate 40%", "win_rate 70%")
    git(repo, "commit", "-q", "-am", "weigh the win rate more")
    old, new = bands(0.6, 0.4), bands(0.3, 0.7)
    moved = {agent: (old[agent], new[agent]) for agent in old if old[agent] != new[agent]}
    if not moved:
        fail("the weight change moves no band: the test shows nothing")
    status, printed = ci(repo, FAIL_ON="band")
    if status != 3:
        fail(f"ci.sh with FAIL_ON=band after a change that moves bands exited {status}, not 3")
    with open(os.path.join(out, "diff-scorecard.md")) as f:
        markdown = f.read()
    # The changed values' table: `| subject | output | old | new |`.
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in markdown.splitlines() if line.startswith("| ")]
    band_moves = {row[0]: (row[2], row[3]) for row in rows if len(row) == 4 and row[1] == "outcome"}
    if band_moves != moved:
        fail(f"the diff shows these band moves: {band_moves}; the oracle finds {moved}")
    for pair in set(moved.values()):
        count = sum(1 for move in moved.values() if move == pair)
        if f"| outcome | {pair[0]} | {pair[1]} | {count} |" not in markdown:
            fail(f"the diff's summary does not count {count} moves {pair[0]} -> {pair[1]}")
    cases = junit_cases(os.path.join(out, "junit.xml"))
    if len(cases) != 3 or any(children for _, children in cases):
        fail(f"junit.xml after the weight change: expected three passing tests, got {cases}")

    # 3. A misformatted file and a failing test.
    edit(scorecard, 'seller >= 2.0     => "meets"', 'seller>=3.0 => "meets"')
    git(repo, "commit", "-q", "-am", "raise the bar, badly laid out")
    status, printed = ci(repo)
    if status != 1:
        fail(f"ci.sh with a misformatted file and a failing test exited {status}, not 1")
    if "frameworks/scorecard.fulcrum" not in printed.split("== fmt --check", 1)[-1]:
        fail(f"fmt --check does not name the misformatted file:\n{printed}")
    cases = junit_cases(os.path.join(out, "junit.xml"))
    failed = [name for name, children in cases if "failure" in children]
    if failed != ["a rep over quota with a low win rate is not put on a PIP"]:
        fail(f"junit.xml: expected the over-quota test to fail, got {cases}")

fail.finish(f"ci example: three commits, {len(moved)} band moves found by the oracle and the diff")
