#!/usr/bin/env python3
"""End to end: the team OKRs of examples/okr over the real Maven CRM data, for 2017-Q2, 2017-Q3
and 2017-Q4, through `fulcrum run` with both engines, against figures computed here independently
from the CSV files.

Checks per team (a manager's agents): each key result's actual, target and progress (big wins:
won deals over $3,000 against 120; win rate against 65%; average days from engaging to winning,
lower is better, against 30), the objective's score (the mean progress), the same score through
the stdlib's progress functions, the grade (stdlib/okr: 0.7 and up on track, 0.4 at risk), the
number of agents and the deals engaged; exactly one row per manager of sales_teams.csv (6), for
each quarter (empty output or a missing, extra or repeated row is a failure); teams both on track
and at risk over the quarters; both engines print byte-identical CSV and report loading every
record of every CSV file (a dropped row fails even where no checked value depends on it, e.g. the
open deals at the end of sales_pipeline.csv)."""
import csv
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import (Failures, quarter_bounds, day, close, run_both_engines,  # noqa: E402
                         rows_by)


FULCRUM = sys.argv[1]
DATA = "../shared/datasets/maven-crm"
FRAMEWORK = "examples/okr/okr.fulcrum"
BIG_WINS, WIN_RATE, CYCLE_DAYS = 120, 0.65, 30
TABLES = {"rep": f"{DATA}/sales_teams.csv", "deals": f"{DATA}/sales_pipeline.csv"}
TEAMS = 6
fail = Failures()


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def grade(progress):
    return "on track" if progress >= 0.7 else "at risk" if progress >= 0.4 else "off track"


reps = {row["sales_agent"]: row["manager"] for row in csv.DictReader(open(f"{DATA}/sales_teams.csv"))}
deals = list(csv.DictReader(open(f"{DATA}/sales_pipeline.csv")))


def reference(year, q):
    """Every output column per manager for one quarter, from the CSV files alone."""
    start, end = quarter_bounds(year, q)
    teams = {}
    for manager in reps.values():
        t = teams.setdefault(manager, {"agents": 0, "big": 0, "won": 0, "decided": 0,
                                       "engaged": 0, "days": []})
        t["agents"] += 1
    for d in deals:
        t = teams[reps[d["sales_agent"]]]
        closed, engaged = day(d["close_date"]), day(d["engage_date"])
        if engaged is not None and start <= engaged <= end:
            t["engaged"] += 1
        if closed is None or not start <= closed <= end:
            continue
        if d["deal_stage"] in ("Won", "Lost"):
            t["decided"] += 1
        if d["deal_stage"] == "Won":
            t["won"] += 1
            if float(d["close_value"]) > 3000:
                t["big"] += 1
            t["days"].append((closed - engaged).days)

    figures = {}
    for manager, t in teams.items():
        win_rate = t["won"] / t["decided"]
        cycle = sum(t["days"]) / len(t["days"])
        progress = [clamp(t["big"] / BIG_WINS, 0, 1), clamp(win_rate / WIN_RATE, 0, 1),
                    1.0 if cycle <= CYCLE_DAYS else clamp(CYCLE_DAYS / cycle, 0, 1)]
        score = sum(progress) / 3
        figures[manager] = {
            "big_wins.actual": t["big"], "big_wins.target": BIG_WINS,
            "big_wins.progress": progress[0],
            "win_rate.actual": win_rate, "win_rate.target": WIN_RATE,
            "win_rate.progress": progress[1],
            "cycle_days.actual": cycle, "cycle_days.target": CYCLE_DAYS,
            "cycle_days.progress": progress[2],
            "objective_1.score": score, "agents": t["agents"], "engaged": t["engaged"],
            "objective_score": score, "status": grade(score),
        }
    return figures



def compare(period, year, q, output):
    expected = reference(year, q)
    if len(expected) != TEAMS:
        fail(f"sales_teams.csv: {len(expected)} managers, expected {TEAMS}")
    rows = rows_by(output, "manager", expected, fail, period)
    if rows is None:
        return set()
    for manager, f in expected.items():
        for column, want in f.items():
            got = rows[manager].get(column)
            if got is None:
                fail(f"{period}: no column {column}")
            elif isinstance(want, str):
                if got != want:
                    fail(f"{period} {manager} {column}: expected {want!r}, got {got!r}")
            elif got == "" or not close(float(got), want):
                fail(f"{period} {manager} {column}: expected {want}, got {got!r}")
    statuses = {row["status"] for row in rows.values()}
    return statuses


statuses = set()
for period, year, q in [("2017-Q2", 2017, 2), ("2017-Q3", 2017, 3), ("2017-Q4", 2017, 4)]:
    output = run_both_engines(FULCRUM, [FRAMEWORK, "--framework", "team_okrs", "--period", period,
                                        "--format", "csv"], fail, period, TABLES)
    statuses |= compare(period, year, q, output)
if statuses != {"on track", "at risk"}:
    fail(f"expected teams both on track and at risk over the three quarters, got {statuses}")

fail.finish("team OKRs over Maven: 3 quarters x 6 teams x 2 engines agree with the reference")
