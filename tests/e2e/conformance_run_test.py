#!/usr/bin/env python3
"""End to end: language.md's conformance blocks, as written, run over the real Maven CRM data
(plus the made-up ratings of examples/llr) and compared, every column of every row, with an oracle
written here from language.md alone: plain Python over the CSV files, never fulcrum's output.

Blocks 1-3 run today: `llr`, the team OKRs `pipeline_okrs` and the personalized
`activity_targets`. Each runs for 2017-Q2, 2017-Q3 and two mid-quarter check-ins for the as-of
rules (2017-Q3 as of 2017-08-15, 2016-Q4 as of 2016-11-15) with both engines, which must print
byte-identical CSV and load every record of every file. The header must be exactly the
oracle's columns in order, the rows exactly the oracle's subjects (every rep of sales_teams.csv,
or every manager), and every cell the oracle's value:
numbers within 1e-9 (relative; a money quotient to its 4th decimal, see Near), text exactly,
missing as an empty cell and only then.

Every later block is listed as pending, with the reason; a pending block is tried (`fulcrum run`
of its frameworks, `fulcrum test` for its tests) and the test fails once it runs, so that it
joins the oracle. Where fulcrum does not yet do what language.md says (KNOWN_GAPS, each with its
issue), the differences are printed as pending, and the test fails once a gap closes.

Usage, from the repository's root: python3 tests/e2e/conformance_run_test.py build/bin/fulcrum"""
import atexit
import csv
import datetime
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import (Failures, quarter_bounds, shift_quarter, day, close,  # noqa: E402
                         run_both_engines)


FULCRUM = os.path.abspath(sys.argv[1])
SHARED = os.path.abspath("../shared")
LANGUAGE = f"{SHARED}/design/language.md"
DATA = f"{SHARED}/datasets/maven-crm"
RATINGS = os.path.abspath("examples/llr/ratings.csv")
HANDLED_BLOCKS = 3  # blocks 1..3 run and are compared with the oracle below
fail = Failures()


# ---------------------------------------------------------------------------------------------
# language.md's conformance blocks

def conformance_blocks():
    """The text of every ```fulcrum conformance block of language.md, in order."""
    blocks, current = [], None
    for line in open(LANGUAGE, encoding="utf-8").read().split("\n"):
        if current is None:
            if line.startswith("```fulcrum conformance"):
                current = []
        elif line.startswith("```"):
            blocks.append("\n".join(current) + "\n")
            current = None
        else:
            current.append(line)
    return blocks


def declared(block):
    """The frameworks and tests a block declares, in order: ("framework", NAME), ("test", TITLE)."""
    return [("framework", m.group(1)) if m.group(1) else ("test", m.group(2))
            for m in re.finditer(r'^\s*(?:framework\s+(\w+)|test\s+"([^"]*)")', block, re.M)]


# ---------------------------------------------------------------------------------------------
# The data, read with csv alone. Money is exact (language.md), so it is read as a Fraction; the
# oracle computes with Fractions throughout (exact real numbers) and compares at the end.

def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def exact(text):
    return Fraction(Decimal(text)) if text != "" else None


REPS = [(r["sales_agent"], r["manager"]) for r in read(f"{DATA}/sales_teams.csv")]
MANAGER_OF = dict(REPS)
MANAGERS = list(dict.fromkeys(manager for _, manager in REPS))
DEALS = [{"owner": d["sales_agent"], "stage": d["deal_stage"], "engaged": day(d["engage_date"]),
          "closed": day(d["close_date"]), "value": exact(d["close_value"])}
         for d in read(f"{DATA}/sales_pipeline.csv")]
RATING_ROWS = [{"rep": r["rep"], "quarter": r["quarter"], "leadership": exact(r["leadership"]),
                "leverage": exact(r["leverage"])} for r in read(RATINGS)]
QUOTA = Fraction(600000)  # block 2: param quota: money = 600000


# ---------------------------------------------------------------------------------------------
# The semantics of language.md that the three frameworks use. None is `missing`.

class Run:
    """One evaluation window: a quarter and the as-of date D (by default the quarter's last day).
    `in period` ends at D when D falls inside the period (period to date); `previous 2 quarters`
    is the two whole quarters just before this one; `days_since(d)` is D - d in whole days and
    missing for a date after D; `working_days(period)` counts Monday to Friday of the whole period
    (no `holidays` table is declared, so there is no holiday)."""

    def __init__(self, period, as_of=None):
        self.period = period
        self.year, self.q = int(period[:4]), int(period[-1])
        self.start, self.end = quarter_bounds(self.year, self.q)
        self.as_of = day(as_of) if as_of else self.end
        self.label = period + (f" as of {as_of}" if as_of else "")
        self.args = ["--period", period] + (["--as-of", as_of] if as_of else [])

    def in_period(self, d):
        return d is not None and self.start <= d <= min(self.end, self.as_of)

    def in_previous_quarters(self, d, n):
        first, _ = quarter_bounds(*shift_quarter(self.year, self.q, -n))
        _, last = quarter_bounds(*shift_quarter(self.year, self.q, -1))
        return d is not None and first <= d <= last

    def days_since(self, d):
        return None if d is None or d > self.as_of else (self.as_of - d).days

    def working_days(self):
        days = (self.end - self.start).days + 1
        return sum(1 for n in range(days) if (self.start + datetime.timedelta(n)).weekday() < 5)


class Near:
    """A money result that the spec fixes only to its 4th decimal: money is a fixed-point decimal
    of (at least) four decimals, and language.md does not say how a quotient (an avg, a division)
    is rounded to it. `slack` is how far the true value may be from `value`."""

    def __init__(self, value, slack):
        self.value, self.slack = value, slack


HALF_UNIT = Fraction(1, 20000)  # half a unit of money's 4th decimal


def money(x):
    """A money result: exact when it has at most four decimals, else known to half a unit."""
    if x is None or (x * 10000).denominator == 1:
        return x
    return Near(x, HALF_UNIT)


def value_and_slack(x):
    return (x.value, x.slack) if isinstance(x, Near) else (Fraction(x), Fraction(0))


def div(a, b):
    """a / b: missing when either is missing or b is zero. A Near operand gives a Near result
    whose slack covers every value the operands may have (interval arithmetic)."""
    if a is None or b is None:
        return None
    (av, a_slack), (bv, b_slack) = value_and_slack(a), value_and_slack(b)
    if bv == 0:
        return None
    q = av / bv
    if a_slack == 0 and b_slack == 0:
        return q
    assert b_slack < abs(bv)
    ends = [x / y for x in (av - a_slack, av + a_slack) for y in (bv - b_slack, bv + b_slack)]
    return Near(q, max(abs(e - q) for e in ends))


def clamp(x, low, high):
    return None if x is None else min(max(x, low), high)


def mean(values):
    """avg: the sum over the count, skipping missing values; missing over no values."""
    values = [v for v in values if v is not None]
    return sum(values, Fraction(0)) / len(values) if values else None


def fallback(x, y):
    """x ?? y"""
    return y if x is None else x


def score(out_of, components):
    """out_of * sum(weight * clamp(component, 0, 1)); missing when a component is missing."""
    if any(c is None for _, c in components):
        return None
    return out_of * sum(weight * clamp(c, 0, 1) for weight, c in components)


def percent(n):
    return Fraction(n, 100)


# ---------------------------------------------------------------------------------------------
# The oracle: one function per framework. Each returns the subject's key column, the output
# columns in order as (name, kind), and {subject: {column: value}}.

def oracle_llr(run):
    """Block 2's `llr` over every rep of sales_teams.csv."""
    columns = [("won", "money"), ("decided", "count"), ("win_rate", "percent"),
               ("attainment", "percent"), ("leadership", "number"), ("leverage", "number"),
               ("llr", "number"), ("llr.results", "number"), ("llr.leadership", "number"),
               ("llr.leverage", "number"), ("outcome", "text")]
    result = {}
    for rep, _ in REPS:
        closed = [d for d in DEALS if d["owner"] == rep and run.in_period(d["closed"])]
        won_deals = [d for d in closed if d["stage"] == "Won"]
        won = sum((d["value"] for d in won_deals if d["value"] is not None), Fraction(0))
        decided = sum(1 for d in closed if d["stage"] in ("Won", "Lost"))
        attainment = div(won, QUOTA)
        rated = [r for r in RATING_ROWS if r["rep"] == rep and r["quarter"] == run.period]
        leadership = mean(r["leadership"] for r in rated)
        leverage = mean(r["leverage"] for r in rated)
        results = clamp(div(attainment, percent(150)), 0, 1)
        leadership_part, leverage_part = div(leadership, 5), div(leverage, 5)
        llr = score(5, [(percent(40), results), (percent(30), leadership_part),
                        (percent(30), leverage_part)])
        if llr is None:
            outcome = "unrated"
        elif llr >= Fraction(45, 10):
            outcome = "promote"
        elif llr >= Fraction(35, 10):
            outcome = "raise"
        elif llr >= 2:
            outcome = "meets"
        else:
            outcome = "pip"
        result[rep] = {
            "won": won, "decided": decided, "win_rate": div(len(won_deals), decided),
            "attainment": attainment, "leadership": leadership, "leverage": leverage, "llr": llr,
            "llr.results": clamp(results, 0, 1), "llr.leadership": clamp(leadership_part, 0, 1),
            "llr.leverage": clamp(leverage_part, 0, 1), "outcome": outcome}
    return "name", columns, result


def oracle_pipeline_okrs(run):
    """Block 3's `pipeline_okrs` over every manager (`group team of rep by manager`): a team's
    deals are its reps' deals. progress = clamp(actual / target, 0, 1); the objective (unnamed:
    `objective_1`) outputs its score, the mean progress of the key results that are not missing,
    and its grade (the standard library's: 0.7 and up "on track", 0.4 and up "at risk", else
    "off track")."""
    targets = {"big_wins": Fraction(60), "win_rate": percent(65), "engaged": Fraction(400)}
    columns = [(f"{kr}.{part}", "number" if kr != "win_rate" else "percent")
               for kr in targets for part in ("actual", "target", "progress")]
    columns += [("objective_1.score", "number"), ("objective_1.grade", "text")]
    result = {}
    for manager in MANAGERS:
        deals = [d for d in DEALS if MANAGER_OF[d["owner"]] == manager]
        closed = [d for d in deals if run.in_period(d["closed"])]
        won = [d for d in closed if d["stage"] == "Won"]
        actual = {
            "big_wins": sum(1 for d in won if d["value"] is not None and d["value"] > 3000),
            "win_rate": div(len(won), sum(1 for d in closed if d["stage"] in ("Won", "Lost"))),
            "engaged": sum(1 for d in deals if run.in_period(d["engaged"]))}
        row = {}
        for kr, target in targets.items():
            row[f"{kr}.actual"] = actual[kr]
            row[f"{kr}.target"] = target
            row[f"{kr}.progress"] = clamp(div(actual[kr], target), 0, 1)
        objective = mean(row[f"{kr}.progress"] for kr in targets)
        row["objective_1.score"] = objective
        row["objective_1.grade"] = (None if objective is None else "on track"
                                    if objective >= percent(70) else "at risk"
                                    if objective >= percent(40) else "off track")
        result[manager] = row
    return "manager", columns, result


def oracle_activity_targets(run):
    """Block 3's `activity_targets` over every rep. `team_win_rate` is the mean of own_win_rate
    over the reps with the same manager (the rep included), skipping missing ones;
    `history_days` is days_since of the rep's earliest engaged date (over all its deals), 0 when
    that is missing."""
    columns = [("own_win_rate", "number"), ("team_win_rate", "number"), ("history_days", "count"),
               ("win_rate", "number"), ("avg_deal", "money"), ("pipeline_needed", "money"),
               ("deals_needed", "count"), ("deals_per_week", "number")]
    own_win_rate, prior_wins = {}, {}
    for rep, _ in REPS:
        prior = [d for d in DEALS if d["owner"] == rep and run.in_previous_quarters(d["closed"], 2)]
        prior_wins[rep] = [d for d in prior if d["stage"] == "Won"]
        own_win_rate[rep] = div(len(prior_wins[rep]),
                                sum(1 for d in prior if d["stage"] in ("Won", "Lost")))
    result = {}
    for rep, manager in REPS:
        team_win_rate = mean(own_win_rate[peer] for peer, m in REPS if m == manager)
        engaged = [d["engaged"] for d in DEALS if d["owner"] == rep and d["engaged"] is not None]
        history_days = fallback(run.days_since(min(engaged) if engaged else None), 0)
        win_rate = (fallback(own_win_rate[rep], team_win_rate) if history_days >= 90
                    else team_win_rate)
        avg_deal = money(mean(d["value"] for d in prior_wins[rep]))
        pipeline_needed = money(div(QUOTA, win_rate))
        deals_needed = div(pipeline_needed, avg_deal)
        result[rep] = {
            "own_win_rate": own_win_rate[rep], "team_win_rate": team_win_rate,
            "history_days": history_days, "win_rate": win_rate, "avg_deal": avg_deal,
            "pipeline_needed": pipeline_needed, "deals_needed": deals_needed,
            "deals_per_week": div(deals_needed, div(run.working_days(), 5))}
    return "name", columns, result


ORACLES = {"llr": oracle_llr, "pipeline_okrs": oracle_pipeline_okrs,
           "activity_targets": oracle_activity_targets}
# Two whole quarters, and two mid-quarter check-ins for the as-of rules: 2017-Q3 as of 2017-08-15
# (period to date), 2016-Q4 as of 2016-11-15 (no deal closed yet, so a key result is missing; some
# reps engaged their first deal after that day, so days_since of it is missing).
RUNS = [Run("2017-Q2"), Run("2017-Q3"), Run("2017-Q3", "2017-08-15"), Run("2016-Q4", "2016-11-15")]

# Where fulcrum does not yet do what language.md says, each with the issue that closes it. A gap
# only excuses the differences it names (a cell's reason containing `reason`, or a whole run): it
# is printed as pending on every run, and the test fails once the gap no longer shows, so that the
# oracle's full comparison takes its place. Anything else that differs fails.
KNOWN_GAPS = [
    {"framework": "pipeline_okrs", "column": "objective_1.grade", "reason": "no such column",
     "why": "objectives output no grade yet (issue 21, OKR completeness)"},
    {"framework": "activity_targets", "column": "avg_deal", "reason": "more than four decimals",
     "why": "money is a double, printed with more than four decimals (issue 21, exact money)"},
    {"framework": "activity_targets", "column": "pipeline_needed",
     "reason": "more than four decimals",
     "why": "money is a double, printed with more than four decimals (issue 21, exact money)"},
    {"framework": "pipeline_okrs", "column": "objective_1.score",
     "reason": "missing, expected a value",
     "why": "a missing key result makes the objective's score missing, not the mean over the "
            "others (issue 21, OKRs)"},
]


def gap_for(framework, run, column, reason):
    """The known gap that excuses this difference, or None."""
    for gap in KNOWN_GAPS:
        if "run" in gap and gap["run"] == run.label:
            return gap
        if gap.get("framework") == framework and gap.get("column") == column \
                and gap["reason"] in reason:
            return gap
    return None


# ---------------------------------------------------------------------------------------------
# Comparing fulcrum's CSV with the oracle

# In CSV, money is printed in its shortest exact form, with at most four decimals.
MONEY_TEXT = re.compile(r"-?\d+(\.\d{1,4})?")


def shown(want):
    if want is None:
        return "missing (an empty cell)"
    if isinstance(want, Near):
        return f"{float(want.value)!r} (± {float(want.slack):.1g})"
    return repr(want) if isinstance(want, str) else repr(float(want))


def mismatch(cell, want, kind):
    """Why a CSV cell does not hold the expected value, or None when it does."""
    if want is None:
        return None if cell == "" else "expected missing"
    if cell == "":
        return "missing, expected a value"
    if kind == "text":
        return None if cell == want else "differs"
    try:
        got = float(cell)
    except ValueError:
        return "not a number"
    if not math.isfinite(got):
        return "not a finite number"
    value, slack = value_and_slack(want)
    if not (close(got, float(value)) or abs(Fraction(got) - value) <= slack):
        return "differs"
    if kind == "money" and not MONEY_TEXT.fullmatch(cell):
        return "the value is right, but money is printed with more than four decimals"
    return None


seen_gaps = {}  # id(gap) -> the differences it excused


def compare(framework, run, output):
    """Compares one run's CSV with the oracle; returns (subjects, columns, cells compared)."""
    key, columns, expected = ORACLES[framework](run)
    what = f"{framework} {run.label}"
    table = list(csv.reader(output.splitlines()))
    if not table:
        fail(f"{what}: no output at all")
        return len(expected), len(columns), 0
    header, body = table[0], table[1:]
    want_header = [key] + [name for name, _ in columns]
    missing = [c for c in want_header if c not in header]
    for column in missing:
        gap = gap_for(framework, run, column, "no such column")
        if gap:
            seen_gaps.setdefault(id(gap), []).append(f"{what}: no column {column}")
    unexcused = [c for c in missing if not gap_for(framework, run, c, "no such column")]
    if [c for c in want_header if c in header] != header or unexcused:
        extra = [c for c in header if c not in want_header]
        fail(f"{what}: the header differs from the oracle's: missing {missing}, extra {extra}"
             + ("" if missing or extra else f", in another order: {header}"))
    where = {name: i for i, name in enumerate(header)}

    rows = {}
    for row in body:
        if len(row) != len(header):
            fail(f"{what}: row {row[:1]} has {len(row)} cells, the header {len(header)}")
        elif row[0] in rows:
            fail(f"{what}: subject {row[0]!r} has two rows")
        else:
            rows[row[0]] = row
    if set(rows) != set(expected):
        missing, extra = sorted(set(expected) - set(rows)), sorted(set(rows) - set(expected))
        fail(f"{what}: subjects differ from the oracle's {len(expected)}: {len(missing)} missing "
             f"{missing[:8]}, {len(extra)} extra {extra[:8]}")

    compared = 0
    for name, kind in columns:
        if name not in where:
            continue
        wrong = []
        for subject, want_row in expected.items():
            if subject not in rows:
                continue
            cell, want = rows[subject][where[name]], want_row[name]
            compared += 1
            reason = mismatch(cell, want, kind)
            if not reason:
                continue
            difference = f"{subject}: got {cell!r}, want {shown(want)}: {reason}"
            gap = gap_for(framework, run, name, reason)
            if gap:
                seen_gaps.setdefault(id(gap), []).append(f"{what} {name}: {difference}")
            else:
                wrong.append(difference)
        if wrong:
            fail(f"{what} {name}: {len(wrong)} of {len(expected)} subjects differ from the "
                 f"oracle, e.g. " + "; ".join(wrong[:3]))
    return len(expected), len(columns), compared


# ---------------------------------------------------------------------------------------------
# Pending blocks: listed with the reason, and tried so that one that starts running is noticed

KNOWN_REASONS = {"account_lens": "rank and alert do not run yet, issue 20",
                 "test": "`fulcrum test` does not exist yet, issue 22"}
SAMPLE_PERIOD = {"quarter": "2017-Q2", "month": "2017-06", "week": "2017-W26", "year": "2017"}
# A few account events for block 4's `table events from "events.csv"` (made up).
EVENTS = """account,contact,kind,at,weight
Acme Corporation,Jane Roe,role_change,2017-06-27,3
Acme Corporation,,product_usage,2017-06-01,1
Betasoloin,,whitepaper,2017-06-20,2
"""


def first_error(text):
    for line in text.splitlines():
        if "error" in line or "not supported" in line:
            return re.sub(r"^\S+:\d+:\d+: error: ", "", line.strip())
    return text.strip().splitlines()[-1] if text.strip() else "no message"


def try_block(blocks, n, work):
    """Runs what block n declares (blocks 1..n in one file): `fulcrum run` of each framework for
    a period of its cadence, `fulcrum test` when it has tests. Returns (runs, what happened)."""
    path = f"{work}/blocks_1_to_{n}.fulcrum"
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(blocks[:n]))
    commands = []
    for kind, name in declared(blocks[n - 1]):
        if kind == "framework":
            cadence = re.search(rf"framework\s+{name}\b.*?\bcadence\s+(\w+)", blocks[n - 1], re.S)
            period = SAMPLE_PERIOD.get(cadence.group(1) if cadence else "", "2017-Q2")
            commands.append(["run", path, "--framework", name, "--period", period,
                             "--format", "csv"])
        elif ["test", path] not in commands:
            commands.append(["test", path])
    if not commands:
        commands.append(["check", path])
    for command in commands:
        proc = subprocess.run([FULCRUM] + command, capture_output=True, text=True)
        if proc.returncode != 0:
            shown_command = " ".join(c for c in command if c != path)
            return False, (f"`fulcrum {shown_command}` exits {proc.returncode}: "
                           f"{first_error(proc.stderr + proc.stdout)}")
    return True, "; ".join("`fulcrum " + " ".join(c for c in command if c != path) + "` exits 0"
                           for command in commands)


def report_pending(blocks, work):
    for n in range(HANDLED_BLOCKS + 1, len(blocks) + 1):
        members = declared(blocks[n - 1])
        kind, name = members[0] if members else ("", "declarations")
        title = name if kind != "test" else f'test "{name}"'
        reason = KNOWN_REASONS.get(name if kind == "framework" else kind,
                                   "not compared with the oracle yet")
        runs, what = try_block(blocks, n, work)
        if runs:
            print(f"block {n} ({title}) now runs: {what}")
            fail(f"block {n} ({title}) now runs ({what}): add it to the oracle of "
                 f"tests/e2e/conformance_run_test.py and raise HANDLED_BLOCKS")
        else:
            print(f"pending: block {n} ({title}: {reason}) [{what}]")


# ---------------------------------------------------------------------------------------------

blocks = conformance_blocks()
work = tempfile.mkdtemp(prefix="fulcrum-conformance-")
atexit.register(shutil.rmtree, work, True)
for name in ("sales_teams.csv", "accounts.csv", "sales_pipeline.csv"):
    os.symlink(f"{DATA}/{name}", f"{work}/{name}")
os.symlink(RATINGS, f"{work}/ratings.csv")
with open(f"{work}/events.csv", "w", encoding="utf-8") as f:
    f.write(EVENTS)
with open(f"{work}/conformance.fulcrum", "w", encoding="utf-8") as f:
    f.write("".join(blocks[:HANDLED_BLOCKS]))

handled = [name for block in blocks[:HANDLED_BLOCKS] for kind, name in declared(block)
           if kind == "framework"]
for name in handled:
    if name not in ORACLES:
        fail(f"framework {name} of blocks 1-{HANDLED_BLOCKS} has no oracle in this test")
for name in ORACLES:
    if name not in handled:
        fail(f"framework {name} is no longer in blocks 1-{HANDLED_BLOCKS} of language.md")

# The files each framework loads: every record of each must be loaded (none rejected or dropped).
LOADED = {"rep": f"{DATA}/sales_teams.csv", "deals": f"{DATA}/sales_pipeline.csv",
          "account": f"{DATA}/accounts.csv"}
counts = []
for framework in ORACLES:
    tables = dict(LOADED, **({"ratings": RATINGS} if framework == "llr" else {}))
    subjects = columns = cells = 0
    for run in RUNS:
        output = run_both_engines(FULCRUM, [f"{work}/conformance.fulcrum", "--framework", framework,
                                            "--format", "csv"] + run.args,
                                  fail, f"{framework} {run.label}", tables=tables)
        subjects, columns, compared = compare(framework, run, output)
        cells += compared
    counts.append((framework, subjects, columns, cells))

report_pending(blocks, work)
for gap in KNOWN_GAPS:
    where = gap.get("run") or f"{gap['framework']} {gap['column']}"
    excused = seen_gaps.get(id(gap), [])
    if excused:
        print(f"pending: {where}: {gap['why']}: {len(excused)} difference(s), e.g. {excused[0]}")
    else:
        fail(f"known gap `{where}` ({gap['why']}) no longer shows: remove it from KNOWN_GAPS "
             "so that the oracle checks it in full")
total = sum(cells for *_, cells in counts)
summary = (f"conformance blocks 1-{HANDLED_BLOCKS} of {len(blocks)}: {len(RUNS)} runs x ("
           + " + ".join(f"{fw} {s} subjects x {c} columns" for fw, s, c, _ in counts)
           + f") = {total} cells compared with the oracle, on both engines; "
           + f"{sum(len(v) for v in seen_gaps.values())} differences are known gaps, pending")
if fail.messages:
    print(summary.replace("compared", "compared (with failures)"))
fail.finish(summary)
