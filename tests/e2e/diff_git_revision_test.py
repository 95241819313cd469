#!/usr/bin/env python3
"""End to end: `fulcrum diff REV:PATH NEW`, in a git repository made here.

The first commit holds frameworks/plan.fulcrum, which imports frameworks/rules.fulcrum (a function
paying 10% of what a rep won) and reads data/*.csv (`from "../data/..."`). The second commit pays
20% in rules.fulcrum and adds a metric to plan.fulcrum. `diff HEAD~1:frameworks/plan.fulcrum
frameworks/plan.fulcrum` must show every rep's payout going from 10% to 20% of its won value (so
the old import was read from the revision, not from the working tree, where it pays 20%) and the
added metric; the old file's data paths resolve as if it stood at frameworks/plan.fulcrum. Then:
the same from inside frameworks/ (REV:./PATH, relative to the current directory, as git reads it);
a compile error in the old revision names it (`HEAD~1:frameworks/plan.fulcrum:LINE:COL`); an
unknown revision and a path the revision lacks are usage errors (64) with git's message; outside
a repository too."""
import csv
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures  # noqa: E402

FULCRUM = os.path.abspath(sys.argv[1])
fail = Failures()
GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t", GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")

PLAN = """import "rules"

entity rep from "../data/reps.csv" {
  key name: text
}

table deals from "../data/deals.csv" {
  key id: text
  owner: rep
  value: money
  closed: date
}

framework plan {
  subject rep
  cadence quarter
  metric won: money = sum(deals.value where closed in period)
  metric payout: money = payout_of(won)
%s}
"""
RULES = "fn payout_of(won: money): money = won * %s\n"
REPS = "name\nAnn\nBob\nCy\n"
DEALS = "id,owner,value,closed\nd1,Ann,1000,2017-04-03\nd2,Bob,250,2017-05-02\nd3,Ann,30,2017-06-30\n"
WON = {"Ann": 1030.0, "Bob": 250.0, "Cy": 0.0}


def git(repo, *args):
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=GIT_ENV)
    if proc.returncode != 0:
        sys.exit(f"git {' '.join(args)}: {proc.stderr}")


def write(repo, path, text):
    os.makedirs(os.path.dirname(os.path.join(repo, path)), exist_ok=True)
    with open(os.path.join(repo, path), "w") as out:
        out.write(text)


def diff(cwd, *args):
    return subprocess.run([FULCRUM, "diff", *args, "--framework", "plan", "--period", "2017-Q2"],
                          cwd=cwd, capture_output=True, text=True, env=GIT_ENV)


def expect_changes(proc, what):
    if proc.returncode != 0:
        fail(f"{what}: exit {proc.returncode}: {proc.stderr[-500:]}")
        return
    rows = list(csv.DictReader(proc.stdout.splitlines()))
    got = {(r["subject"], r["output"]): (r["old"], r["new"]) for r in rows}
    want = {}
    for rep, won in WON.items():
        if won:
            want[(rep, "payout")] = (f"{won * 0.1:g}", f"{won * 0.2:g}")
        want[(rep, "deal_count")] = ("", str(sum(1 for line in DEALS.splitlines() if f",{rep}," in line)))
    if got != want:
        fail(f"{what}: expected {sorted(want.items())}, got {sorted(got.items())}")


with tempfile.TemporaryDirectory() as repo:
    git(repo, "init", "-q")
    write(repo, "data/reps.csv", REPS)
    write(repo, "data/deals.csv", DEALS)
    write(repo, "frameworks/plan.fulcrum", PLAN % "")
    write(repo, "frameworks/rules.fulcrum", RULES % "0.1")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    write(repo, "frameworks/plan.fulcrum", PLAN % "  metric deal_count: count = count(deals)\n")
    write(repo, "frameworks/rules.fulcrum", RULES % "0.2")
    git(repo, "commit", "-q", "-am", "second")

    expect_changes(diff(repo, "HEAD~1:frameworks/plan.fulcrum", "frameworks/plan.fulcrum",
                        "--format", "csv"), "from the top")
    sub = os.path.join(repo, "frameworks")
    expect_changes(diff(sub, "HEAD~1:./plan.fulcrum", "plan.fulcrum", "--format", "csv"),
                   "from frameworks/ with ./")
    expect_changes(diff(sub, "HEAD~1:frameworks/plan.fulcrum", "plan.fulcrum", "--format", "csv"),
                   "from frameworks/ with a path from the top")
    # A revision against the same file in the working tree: nothing changed.
    same = diff(repo, "HEAD:frameworks/plan.fulcrum", "frameworks/plan.fulcrum", "--format", "csv",
                "--fail-on", "any")
    if same.returncode != 0 or same.stdout != "subject,output,old,new\n":
        fail(f"HEAD against the working tree: exit {same.returncode}: {same.stdout!r}")

    for args, needle in [(["nosuchrevision:frameworks/plan.fulcrum"], "nosuchrevision"),
                         (["HEAD~1:frameworks/nothere.fulcrum"], "nothere.fulcrum")]:
        proc = diff(repo, *args, "frameworks/plan.fulcrum")
        if proc.returncode != 64 or needle not in proc.stderr or "fatal" not in proc.stderr:
            fail(f"{args}: expected exit 64 with git's message, got {proc.returncode}: "
                 f"{proc.stderr[:300]!r}")

    # A compile error in the old revision is reported at the revision's file.
    write(repo, "frameworks/plan.fulcrum", PLAN % "  metric broken = wno\n")
    git(repo, "commit", "-q", "-am", "third")
    write(repo, "frameworks/plan.fulcrum", PLAN % "")
    proc = diff(repo, "HEAD:frameworks/plan.fulcrum", "frameworks/plan.fulcrum")
    if proc.returncode != 1 or "HEAD:frameworks/plan.fulcrum:19:" not in proc.stderr:
        fail(f"compile error in HEAD: exit {proc.returncode}: {proc.stderr[:400]!r}")

with tempfile.TemporaryDirectory() as elsewhere:
    proc = diff(elsewhere, "HEAD:plan.fulcrum", "plan.fulcrum")
    if proc.returncode != 64 or "git" not in proc.stderr.lower():
        fail(f"outside a repository: exit {proc.returncode}: {proc.stderr[:300]!r}")

fail.finish("diff REV:PATH: the old framework and its import come from the revision, its data "
            "from where it stands")
