#!/usr/bin/env python3
"""End to end: `fulcrum diff` between the LLR example (examples/llr/llr.fulcrum) and a changed copy
written here (results weigh 50% instead of 40%, leadership and leverage 25% each instead of 30%;
the `raise` band starts at 3.0 instead of 3.5), over the real Maven CRM data, for 2017-Q2 and
2017-Q4, with both engines.

An independent reference computes every output of both versions per agent from the CSV files (as
llr_maven_test.py does for the original) and so the set of (agent, output) pairs whose value
changes; fulcrum's CSV (`subject,output,old,new`) must list exactly that set, in order (agents by
key, outputs in the framework's column order), with old and new values matching the reference and
band changes (`outcome`) from and to the reference's labels. Its summary (table format) must count
the agents whose band changed, and `--fail-on band` must exit 3."""
import csv
import datetime
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures, quarter_bounds, close  # noqa: E402
from e2e_support import MAVEN_DATA, LLR_FRAMEWORK, LLR_RATINGS, LLR_TABLES  # noqa: E402

FULCRUM = sys.argv[1]
DATA, FRAMEWORK, RATINGS, TABLES = MAVEN_DATA, LLR_FRAMEWORK, LLR_RATINGS, LLR_TABLES
QUOTA = 150000.0
OLD = {"weights": (0.40, 0.30, 0.30), "raise": 3.5}
NEW = {"weights": (0.50, 0.25, 0.25), "raise": 3.0}
fail = Failures()


def changed_framework():
    text = open(FRAMEWORK).read()
    for old, new in [("results    40%", "results    50%"), ("leadership 30%", "leadership 25%"),
                     ("leverage   30%", "leverage   25%"), ("llr >= 3.5", "llr >= 3.0")]:
        if old not in text:
            sys.exit(f"{FRAMEWORK} no longer holds `{old}`: update this test")
        text = text.replace(old, new)
    return text


def figures(year, q):
    """Per agent: the inputs of the LLR outputs for one quarter, from the CSV files alone."""
    agents = [row["sales_agent"] for row in csv.DictReader(open(TABLES["rep"]))]
    start, end = quarter_bounds(year, q)
    f = {a: {"won": 0.0, "decided": 0, "leadership": [], "leverage": []} for a in agents}
    for row in csv.DictReader(open(RATINGS)):
        if row["quarter"] == f"{year}-Q{q}":
            f[row["rep"]]["leadership"].append(float(row["leadership"]))
            f[row["rep"]]["leverage"].append(float(row["leverage"]))
    for row in csv.DictReader(open(TABLES["deals"])):
        if not row["close_date"]:
            continue
        closed = datetime.date.fromisoformat(row["close_date"])
        if start <= closed <= end:
            if row["deal_stage"] in ("Won", "Lost"):
                f[row["sales_agent"]]["decided"] += 1
            if row["deal_stage"] == "Won" and row["close_value"]:
                f[row["sales_agent"]]["won"] += float(row["close_value"])
    return f


def outputs(f, version):
    """The score and band of one agent under one version (the other outputs do not change)."""
    lead = sum(f["leadership"]) / len(f["leadership"]) if f["leadership"] else None
    lev = sum(f["leverage"]) / len(f["leverage"]) if f["leverage"] else None
    wr, wl, wv = version["weights"]
    llr = None
    if lead is not None and lev is not None:
        results = min(max(f["won"] / QUOTA / 1.5, 0.0), 1.0)
        llr = 5 * (wr * results + wl * lead / 5 + wv * lev / 5)
    if f["decided"] == 0:
        band = "ramping"
    elif llr is None:
        band = "unrated"
    elif llr >= 4.5:
        band = "promote"
    elif llr >= version["raise"]:
        band = "raise"
    elif llr >= 2.0:
        band = "meets"
    else:
        band = "pip"
    return {"llr": llr, "outcome": band}


def run_diff(new_path, period, extra):
    data = [a for t, p in TABLES.items() for a in ("--data", f"{t}={p}")]
    results = {}
    for engine in ("jit", "interp"):
        proc = subprocess.run([FULCRUM, "diff", FRAMEWORK, new_path, "--framework", "llr",
                               "--period", period, "--engine", engine] + data + extra,
                              capture_output=True, text=True)
        results[engine] = proc
    if results["jit"].stdout != results["interp"].stdout:
        fail(f"{period} {extra}: the JIT and the interpreter print different diffs")
    return results["jit"]


def check_quarter(new_path, period, year, q):
    f = figures(year, q)
    expected = {}  # (agent, output) -> (old, new)
    for agent in sorted(f, key=lambda a: a.encode()):
        old, new = outputs(f[agent], OLD), outputs(f[agent], NEW)
        for name in ("llr", "outcome"):
            a, b = old[name], new[name]
            same = a == b if isinstance(a, str) or a is None or b is None else close(a, b)
            if not same:
                expected[(agent, name)] = (a, b)
    if not any(k[1] == "outcome" for k in expected):
        fail(f"{period}: the reference finds no band change: the test would prove little")

    proc = run_diff(new_path, period, ["--format", "csv"])
    if proc.returncode != 0:
        fail(f"{period}: diff --format csv exit {proc.returncode}: {proc.stderr[-400:]}")
        return
    rows = list(csv.reader(proc.stdout.splitlines()))
    if not rows or rows[0] != ["subject", "output", "old", "new"]:
        fail(f"{period}: header {rows[:1]}, expected subject,output,old,new")
        return
    got = {(r[0], r[1]): (r[2], r[3]) for r in rows[1:]}
    if len(got) != len(rows) - 1:
        fail(f"{period}: a (subject, output) pair is listed twice")
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    if missing:
        fail(f"{period}: changes the reference finds that fulcrum does not list: {missing[:8]}")
    if extra:
        fail(f"{period}: changes fulcrum lists that the reference does not find: {extra[:8]}")
    # Sorted by subject (byte order), then by output in the framework's column order.
    header = subprocess.run([FULCRUM, "run", new_path, "--framework", "llr", "--period", period,
                             "--format", "csv"] +
                            [a for t, p in TABLES.items() for a in ("--data", f"{t}={p}")],
                            capture_output=True, text=True).stdout.splitlines()[0].split(",")
    keys = [(r[0].encode(), header.index(r[1])) for r in rows[1:] if r[1] in header]
    if keys != sorted(keys):
        fail(f"{period}: rows are not sorted by subject, then output order")
    for pair in set(expected) & set(got):
        want, have = expected[pair], got[pair]
        for side, w, h in (("old", want[0], have[0]), ("new", want[1], have[1])):
            ok = h == "" if w is None else h == w if isinstance(w, str) else \
                h != "" and close(float(h), w)
            if not ok:
                fail(f"{period} {pair} {side}: expected {w!r}, got {h!r}")

    bands = sum(1 for k in expected if k[1] == "outcome")
    table = run_diff(new_path, period, [])
    if f"band outcome: {bands} subject{'s' if bands != 1 else ''} changed" not in table.stdout:
        fail(f"{period}: the summary does not count {bands} band changes:\n{table.stdout[-800:]}")
    changed = len({k[0] for k in expected})
    if f"summary: {changed} of {len(f)} subjects changed" not in table.stdout:
        fail(f"{period}: the summary does not say {changed} of {len(f)} subjects changed")
    gate = run_diff(new_path, period, ["--format", "csv", "--fail-on", "band"])
    if gate.returncode != 3 or gate.stdout != proc.stdout:
        fail(f"{period}: --fail-on band exit {gate.returncode}, expected 3 with the same output")
    return len(expected), bands


with tempfile.TemporaryDirectory() as tmp:
    new_path = os.path.join(tmp, "llr_changed.fulcrum")
    with open(new_path, "w") as out:
        out.write(changed_framework())
    totals = [check_quarter(new_path, p, y, q) for p, y, q in [("2017-Q2", 2017, 2),
                                                               ("2017-Q4", 2017, 4)]]
    same = run_diff(FRAMEWORK, "2017-Q2", ["--format", "csv", "--fail-on", "any"])
    if same.returncode != 0 or same.stdout != "subject,output,old,new\n":
        fail(f"a version against itself: exit {same.returncode}, {same.stdout[:200]!r}")

summary = ", ".join(f"{t[0]} changes ({t[1]} bands)" for t in totals if t)
fail.finish(f"diff of llr over Maven: {summary} in 2017-Q2 and 2017-Q4, as the reference finds")
