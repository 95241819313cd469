#!/usr/bin/env python3
"""End to end: language.md's conformance blocks, as written, run over the real Maven CRM data
(plus the made-up ratings of examples/llr and the made-up account events of examples/accounts)
and compared, every column of every row, with an oracle written here from language.md alone:
plain Python over the CSV files, never fulcrum's output.

Blocks 1-4 run today: `llr`, the team OKRs `pipeline_okrs`, the personalized `activity_targets`
and the `account_lens`. The first three run for 2017-Q2, 2017-Q3 and two mid-quarter check-ins
for the as-of rules (2017-Q3 as of 2017-08-15, 2016-Q4 as of 2016-11-15); the weekly
`account_lens` for the week 2017-W26 (as of its last day) and as of eight days chosen in the
events (see WEEK_RUNS), with `--as-of` alone picking the week. Every run is made with both
engines, which must print byte-identical CSV and load every record of every file. The header must
be exactly the oracle's columns in order, the rows exactly the oracle's subjects (every rep of
sales_teams.csv, every manager, or every account of accounts.csv), and every cell the oracle's
value: numbers within 1e-9 (relative; a money quotient to its 4th decimal, see Near), text
exactly, missing as an empty cell and only then. For `account_lens`, `fulcrum alerts --format
csv` and `--format json` (both engines, byte-identical) must also hold exactly the oracle's alert
records, `subject, alert, title, date, message, priority`, in the oracle's order.

Every later block is listed as pending, with the reason; a pending block is tried (`fulcrum run`
of its frameworks, `fulcrum test` for its tests) and the test fails once it runs, so that it
joins the oracle. Where fulcrum does not yet do what language.md says (KNOWN_GAPS, each with its
issue), the differences are printed as pending, and the test fails once a gap closes.

Usage, from the repository's root: python3 tests/e2e/conformance_run_test.py build/bin/fulcrum"""
import atexit
import csv
import datetime
import json
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
EVENTS = os.path.abspath("examples/accounts/events.csv")
HANDLED_BLOCKS = 5  # blocks 1..4 run and are compared with the oracle below; 5 under `fulcrum test`
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
ACCOUNTS = [(a["account"], int(a["employees"])) for a in read(f"{DATA}/accounts.csv")]
# Block 4's events, in file order (`row` is the place in the file, for the alerts' order).
EVENT_ROWS = [{"row": n, "account": e["account"], "contact": e["contact"] or None,
               "kind": e["kind"], "at": day(e["at"]), "weight": float(e["weight"])}
              for n, e in enumerate(read(EVENTS))]
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


class WeekRun:
    """One evaluation of a weekly framework: as of D alone (`--as-of D`, which picks the ISO week,
    Monday to Sunday, that holds D), or a whole week (`--period 2017-W26`, as of its Sunday).
    `d in last N days` is the N days ending at D (D - N + 1 .. D); `days_since(d)` is D - d in
    whole days and `decay(d, h)` is 0.5 ^ ((D - d) / h), both missing for a date after D."""

    def __init__(self, as_of=None, period=None):
        if as_of:
            self.as_of = day(as_of)
            year, week, _ = self.as_of.isocalendar()
            self.period = f"{year}-W{week:02d}"
            self.label = f"as of {as_of} ({self.period})"
            self.args = ["--as-of", as_of]
        else:
            self.period = period
            self.as_of = datetime.date.fromisocalendar(int(period[:4]), int(period[6:]), 7)
            self.label = period
            self.args = ["--period", period]

    def in_last_days(self, d, n):
        return d is not None and self.as_of - datetime.timedelta(days=n - 1) <= d <= self.as_of

    def days_since(self, d):
        return None if d is None or d > self.as_of else (self.as_of - d).days

    def decay(self, d, half_life_days):
        age = self.days_since(d)
        return None if age is None else 0.5 ** (age / half_life_days)


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


lens_cache = {}  # run label -> lens_values(run)


def lens_values(run):
    """Block 4's `account_lens` metrics per account of accounts.csv: size_of_prize = employees *
    $40; temperature = the sum, over the account's events with `at` in the last 90 days, of
    weight * decay(at, 14 days) (0 without such an event; a row whose decay is missing would be
    skipped); heat, the first arm that holds; quiet_days = days_since of the account's latest
    product_usage (over all its rows), missing without one or when that day is after D;
    priority = SQL's RANK() of size_of_prize * temperature, largest first (equal values share
    the smaller rank, the next skips), missing for a missing value."""
    if run.label in lens_cache:
        return lens_cache[run.label]
    values = lens_cache[run.label] = {}
    for account, employees in ACCOUNTS:
        events = [e for e in EVENT_ROWS if e["account"] == account]
        terms = [e["weight"] * run.decay(e["at"], 14) for e in events
                 if run.in_last_days(e["at"], 90) and run.decay(e["at"], 14) is not None]
        temperature = math.fsum(terms)  # a sum of numbers is exactly rounded (language.md)
        used = [e["at"] for e in events if e["kind"] == "product_usage"]
        values[account] = {
            "size_of_prize": Fraction(employees * 40), "temperature": temperature,
            "heat": "HIGH" if temperature >= 20 else "MEDIUM" if temperature >= 5 else "LOW",
            "quiet_days": run.days_since(max(used)) if used else None}
    order = {a: float(v["size_of_prize"]) * v["temperature"] for a, v in values.items()}
    known = [x for x in order.values() if x is not None]
    for a, v in values.items():
        v["priority"] = None if order[a] is None else 1 + sum(1 for x in known if x > order[a])
    # The data must not leave a rank or a band to the last bits of a float: two different
    # products, or a temperature and a band's bound, closer than the comparison's tolerance.
    distinct = sorted(set(known))
    for x, y in zip(distinct, distinct[1:]):
        if close(x, y):
            fail(f"account_lens {run.label}: two priorities differ by rounding only: {x!r}, {y!r}")
    for a, v in values.items():
        if any(close(v["temperature"], bound) for bound in (5, 20)):
            fail(f"account_lens {run.label}: {a}'s temperature {v['temperature']!r} is a bound")
    return values


def oracle_account_lens(run):
    """Block 4's `account_lens` over every account of accounts.csv (see lens_values)."""
    columns = [("size_of_prize", "money"), ("temperature", "number"), ("heat", "text"),
               ("priority", "count"), ("quiet_days", "count")]
    return "name", columns, lens_values(run)


def shown_count(n):
    """A count as the table format and messages show it: an integer with thousands separators,
    `-` when missing."""
    return "-" if n is None else f"{n:,}"


ALERT_FIELDS = ["subject", "alert", "title", "date", "message", "priority"]


def oracle_alerts(run):
    """Block 4's alert feed as of D, as records (subject, alert, title, date, message, priority),
    in the feed's order. `decision_maker_move` (active): one per events row of kind
    role_change with `at` in the last 7 days, dated `at` (a row after D is left out, and the
    window holds none); `gone_quiet` (passive): one per account whose quiet_days > 14 (a missing
    quiet_days does not fire), dated D. Holes as values are shown: a text as is, a missing
    contact `-`, a count with thousands separators. No priority is declared (None). Order:
    subjects by `priority` (missing last), equal ranks by key; within a subject newest first,
    then the alerts in declaration order, then rows in file order."""
    values = lens_values(run)
    fired = []  # (subject, date, declaration index, file row, record)
    for e in EVENT_ROWS:
        if e["kind"] == "role_change" and run.in_last_days(e["at"], 7):
            contact = e["contact"] if e["contact"] is not None else "-"
            fired.append((e["account"], e["at"], 0, e["row"],
                          (e["account"], "decision_maker_move", "Decision maker move",
                           e["at"].isoformat(), f"{contact} changed roles at {e['account']}",
                           None)))
    for account, v in values.items():
        if v["quiet_days"] is not None and v["quiet_days"] > 14:
            fired.append((account, run.as_of, 1, -1,
                          (account, "gone_quiet", "No product use for two weeks",
                           run.as_of.isoformat(),
                           f"{account}: no product use for {shown_count(v['quiet_days'])} days",
                           None)))

    def order(f):
        rank = values[f[0]]["priority"]
        return (rank is None, rank or 0, f[0], -f[1].toordinal(), f[2], f[3])
    return [f[4] for f in sorted(fired, key=order)]


ORACLES = {"llr": oracle_llr, "pipeline_okrs": oracle_pipeline_okrs,
           "activity_targets": oracle_activity_targets, "account_lens": oracle_account_lens}
# Two whole quarters, and two mid-quarter check-ins for the as-of rules: 2017-Q3 as of 2017-08-15
# (period to date), 2016-Q4 as of 2016-11-15 (no deal closed yet, so a key result is missing; some
# reps engaged their first deal after that day, so days_since of it is missing).
QUARTER_RUNS = [Run("2017-Q2"), Run("2017-Q3"), Run("2017-Q3", "2017-08-15"),
                Run("2016-Q4", "2016-11-15")]
# The weekly account lens over examples/accounts/events.csv (2017-03-27 .. 2017-06-30): the week
# 2017-W26 (as of Sunday 2017-07-02, after the last event); as of the Friday 2017-06-30 (the
# example's day); the week's edges, Monday 2017-06-26 and the Sunday before (events after D have
# not happened: their decay and days_since are missing, so some quiet_days are); Thursday
# 2017-06-22 (Lexiqvolax: a role change on the day and gone quiet, one date, two alerts);
# 2017-05-16 (Bluth Company: two role changes that day, in file order, and gone quiet; most
# events still ahead); Monday 2017-07-10 (no event for ten days: the last weekly usage, on
# 2017-06-26, is exactly 14 days old: no quiet_days > 14 for the customers still using);
# Monday 2017-09-04, two months after the export (every customer is quiet; three of them,
# Bioholding, Rantouch and Warephase, have had no event in the 90 days: a temperature of 0, one
# rank shared, so the feed lists them by key, after the others); 2020-06-30, three years on
# (every temperature 0, every rank 1; quiet for over 1,000 days: a count hole with a thousands
# separator).
WEEK_RUNS = [WeekRun(period="2017-W26"), WeekRun("2017-06-30"), WeekRun("2017-06-26"),
             WeekRun("2017-06-25"), WeekRun("2017-06-22"), WeekRun("2017-05-16"),
             WeekRun("2017-07-10"), WeekRun("2017-09-04"), WeekRun("2020-06-30")]
RUNS = {"llr": QUARTER_RUNS, "pipeline_okrs": QUARTER_RUNS, "activity_targets": QUARTER_RUNS,
        "account_lens": WEEK_RUNS}

# Where fulcrum does not yet do what language.md says, each with the issue that closes it. A gap
# only excuses the differences it names (a cell's reason containing `reason`, or a whole run): it
# is printed as pending on every run, and the test fails once the gap no longer shows, so that the
# oracle's full comparison takes its place. Anything else that differs fails.
KNOWN_GAPS = [
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


def first_difference(got, want):
    """Where two lists of alert records part, for a failure message."""
    for n, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return f"record {n + 1}: got {g}, want {w}"
    n = min(len(got), len(want))
    return (f"record {n + 1}: got {got[n]}, want no more" if len(got) > n else
            f"record {n + 1}: got no more, want {want[n]}")


def compare_alerts(framework, run, csv_output, json_output):
    """`fulcrum alerts` in CSV and in JSON against the oracle's records, in order; returns the
    number of records."""
    want = oracle_alerts(run)
    what = f"{framework} {run.label} alerts"
    table = list(csv.reader(csv_output.splitlines()))
    if not table or table[0] != ALERT_FIELDS:
        fail(f"{what} csv: the header is {table[:1]}, want {ALERT_FIELDS}")
    else:
        got = [tuple(record) for record in table[1:]]
        want_csv = [record[:5] + ("" if record[5] is None else str(record[5]),)
                    for record in want]
        if got != want_csv:
            fail(f"{what} csv: {len(got)} records, the oracle's {len(want)}; "
                 + first_difference(got, want_csv))
    try:
        records = json.loads(json_output, object_pairs_hook=lambda pairs: pairs)
    except ValueError as error:
        fail(f"{what} json: not JSON: {error}")
        return len(want)
    if not isinstance(records, list) or any(
            not isinstance(r, list) or [k for k, _ in r] != ALERT_FIELDS for r in records):
        fail(f"{what} json: not a list of objects with exactly the fields {ALERT_FIELDS} in "
             f"order: {json_output[:200]!r}")
        return len(want)
    got = [tuple(v for _, v in record) for record in records]
    if got != want:
        fail(f"{what} json: {len(got)} records, the oracle's {len(want)}; "
             + first_difference(got, want))
    return len(want)


def alert_coverage(runs):
    """What the account lens's runs exercise, from the oracle alone (never from fulcrum's
    output): a test data change that loses one of these fails, so that the cases stay covered."""
    feeds = {run.label: oracle_alerts(run) for run in runs}
    values = {run.label: lens_values(run) for run in runs}
    cases = {
        "both alerts fire": lambda l: {"decision_maker_move", "gone_quiet"}
        <= {r[1] for r in feeds[l]},
        "a subject with two alerts of one date": lambda l: any(
            a[0] == b[0] and a[3] == b[3] and a[1] != b[1] for a in feeds[l] for b in feeds[l]),
        "a subject with two rows of one alert on one date (file order)": lambda l: any(
            a[0] == b[0] and a[3] == b[3] and a[1] == b[1] and a[4] > b[4]
            for a, b in zip(feeds[l], feeds[l][1:])),
        "subjects of the feed sharing a rank (ordered by key)": lambda l: any(
            a[0] != b[0] and values[l][a[0]]["priority"] == values[l][b[0]]["priority"]
            for a, b in zip(feeds[l], feeds[l][1:])),
        "a quiet_days missing because the latest usage is after D": lambda l: any(
            v["quiet_days"] is None and any(e["kind"] == "product_usage" and e["account"] == a
                                            for e in EVENT_ROWS) for a, v in values[l].items()),
        "a quiet_days of exactly 14 (no alert)": lambda l: any(
            v["quiet_days"] == 14 for v in values[l].values()),
        "a count hole with a thousands separator": lambda l: any(
            re.search(r"\d,\d{3} days", r[4]) for r in feeds[l]),
        "every heat": lambda l: {v["heat"] for v in values[l].values()} == {"HIGH", "MEDIUM",
                                                                            "LOW"},
    }
    for case, holds in cases.items():
        if not any(holds(run.label) for run in runs):
            fail(f"account_lens: no run covers `{case}`: choose WEEK_RUNS or events anew")


# ---------------------------------------------------------------------------------------------
# Pending blocks: listed with the reason, and tried so that one that starts running is noticed

KNOWN_REASONS = {}
SAMPLE_PERIOD = {"quarter": "2017-Q2", "month": "2017-06", "week": "2017-W26", "year": "2017"}


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
os.symlink(EVENTS, f"{work}/events.csv")
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
LOADS = {"llr": dict(LOADED, ratings=RATINGS), "pipeline_okrs": LOADED,
         "activity_targets": LOADED,
         "account_lens": {"account": f"{DATA}/accounts.csv", "events": EVENTS}}
ALERTING = ["account_lens"]  # the frameworks with alerts: their feed is compared too
counts, alerts = [], 0
for framework in ORACLES:
    subjects = columns = cells = 0
    for run in RUNS[framework]:
        args = [f"{work}/conformance.fulcrum", "--framework", framework] + run.args
        output = run_both_engines(FULCRUM, args + ["--format", "csv"], fail,
                                  f"{framework} {run.label}", tables=LOADS[framework])
        subjects, columns, compared = compare(framework, run, output)
        cells += compared
        if framework in ALERTING:
            feeds = [run_both_engines(FULCRUM, args + ["--format", form], fail,
                                      f"{framework} {run.label} alerts --format {form}",
                                      tables=LOADS[framework], command="alerts")
                     for form in ("csv", "json")]
            alerts += compare_alerts(framework, run, *feeds)
    counts.append((framework, len(RUNS[framework]), subjects, columns, cells))
alert_coverage(WEEK_RUNS)



def check_tests(path):
    """Block 5's test blocks pass under `fulcrum test` (both engines, which must agree), and the
    same tests with an expectation changed fail: `fulcrum test` can tell."""
    titles = [name for block in blocks[:HANDLED_BLOCKS] for kind, name in declared(block)
              if kind == "test"]
    proc = subprocess.run([FULCRUM, "test", path, "--format", "json"], capture_output=True,
                          text=True)
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        fail(f"fulcrum test: not JSON (exit {proc.returncode}): {proc.stdout[:300]} {proc.stderr}")
        return 0
    tests = [t for f in report["files"] for t in f["tests"]]
    if proc.returncode != 0 or [t["title"] for t in tests] != titles or \
            not all(t["passed"] and t["engines"] == ["interp", "jit"] for t in tests):
        fail(f"fulcrum test of blocks 1-{HANDLED_BLOCKS}: exit {proc.returncode}, want 0 and "
             f"{titles} passed on both engines: {proc.stdout} {proc.stderr}")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    broken = f"{work}/broken_test.fulcrum"
    with open(broken, "w", encoding="utf-8") as f:
        f.write(text.replace('attainment: 166%', 'attainment: 150%'))
    proc = subprocess.run([FULCRUM, "test", broken], capture_output=True, text=True)
    if proc.returncode != 1 or "expected 150%, got 166%" not in proc.stdout:
        fail(f"fulcrum test with attainment 150% expected: exit {proc.returncode}, want 1 and "
             f"`expected 150%, got 166%`: {proc.stdout}")
    return len(tests)


tests_passed = check_tests(f"{work}/conformance.fulcrum")
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
summary = (f"conformance blocks 1-{HANDLED_BLOCKS} of {len(blocks)}: "
           + " + ".join(f"{fw} {r} runs x {s} subjects x {c} columns" for fw, r, s, c, _ in counts)
           + f" = {total} cells and {alerts} alerts (CSV and JSON) compared with the oracle, on "
           + f"both engines; {tests_passed} test block(s) pass under `fulcrum test`; {sum(len(v) for v in seen_gaps.values())} differences are known "
           + "gaps, pending")
if fail.messages:
    print(summary.replace("compared", "compared (with failures)"))
fail.finish(summary)
