#!/usr/bin/env python3
"""End to end: the LLR example over the real Maven CRM data, for 2017-Q2, 2017-Q3 and 2017-Q4 (the
data's last quarter: the last rows of ratings.csv count), through `fulcrum run` with both engines,
against figures computed here independently from the CSV files.

Checks: exactly one row per agent of sales_teams.csv (35; empty output or a missing, extra or
repeated row is a failure); per agent: won value, decided deals, win rate (missing with no decided
deal), biggest won deal, attainment, won value of the previous quarter, the average leadership and
leverage ratings of the quarter (missing without a rating); the 5 agents with no deals come out
with a missing win rate and never in the PIP band; both engines print byte-identical CSV and
report loading every record of every CSV file (a dropped row fails even where no checked value
depends on it, e.g. the open deals at the end of sales_pipeline.csv)."""
import csv
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures, quarter_bounds, close, run_both_engines, rows_by  # noqa: E402
from e2e_support import MAVEN_DATA, LLR_FRAMEWORK, LLR_RATINGS, LLR_TABLES  # noqa: E402


FULCRUM = sys.argv[1]
DATA, FRAMEWORK, RATINGS, TABLES = MAVEN_DATA, LLR_FRAMEWORK, LLR_RATINGS, LLR_TABLES
AGENTS = 35
QUOTA = 150000.0
fail = Failures()


def reference(year, q):
    """Per agent figures for one quarter, from the CSV files alone."""
    agents = [row["sales_agent"] for row in csv.DictReader(open(f"{DATA}/sales_teams.csv"))]
    start, end = quarter_bounds(year, q)
    prev_start, prev_end = quarter_bounds(year - (q == 1), 4 if q == 1 else q - 1)
    figures = {a: {"won": 0.0, "decided": 0, "wins": 0, "biggest": None, "prev": 0.0,
                   "leadership": [], "leverage": []} for a in agents}
    for row in csv.DictReader(open(RATINGS)):
        if row["quarter"] == f"{year}-Q{q}":
            figures[row["rep"]]["leadership"].append(float(row["leadership"]))
            figures[row["rep"]]["leverage"].append(float(row["leverage"]))
    for row in csv.DictReader(open(f"{DATA}/sales_pipeline.csv")):
        if not row["close_date"]:
            continue
        closed = datetime.date.fromisoformat(row["close_date"])
        f = figures[row["sales_agent"]]
        value = float(row["close_value"]) if row["close_value"] else None
        if start <= closed <= end:
            if row["deal_stage"] in ("Won", "Lost"):
                f["decided"] += 1
            if row["deal_stage"] == "Won":
                f["wins"] += 1
                if value is not None:
                    f["won"] += value
                    f["biggest"] = value if f["biggest"] is None else max(f["biggest"], value)
        if prev_start <= closed <= prev_end and row["deal_stage"] == "Won" and value is not None:
            f["prev"] += value
    return figures



def compare(period, year, q, output):
    expected = reference(year, q)
    if len(expected) != AGENTS:
        fail(f"sales_teams.csv: {len(expected)} agents, expected {AGENTS}")
    rows = rows_by(output, "name", expected, fail, period)
    if rows is None:
        return
    no_deals = 0
    for agent, f in expected.items():
        row = rows[agent]
        checks = [("won", f["won"]), ("decided", f["decided"]), ("won_last_quarter", f["prev"]),
                  ("attainment", f["won"] / QUOTA)]
        checks.append(("win_rate", f["wins"] / f["decided"] if f["decided"] else None))
        checks.append(("biggest_deal", f["biggest"]))
        for column in ("leadership", "leverage"):
            ratings = f[column]
            checks.append((column, sum(ratings) / len(ratings) if ratings else None))
        for column, want in checks:
            got = row[column]
            if want is None:
                if got != "":
                    fail(f"{period} {agent} {column}: expected missing, got {got!r}")
            elif got == "" or not close(float(got), want):
                fail(f"{period} {agent} {column}: expected {want}, got {got!r}")
        if f["decided"] == 0 and f["won"] == 0 and f["prev"] == 0:
            no_deals += 1
            if row["outcome"] == "pip":
                fail(f"{period} {agent}: an agent with no deals is in the PIP band")
    agents_without_any_deal = {"Mei-Mei Johns", "Elizabeth Anderson", "Natalya Ivanova",
                               "Carol Thompson", "Carl Lin"}
    for agent in agents_without_any_deal:
        if rows[agent]["win_rate"] != "" or rows[agent]["outcome"] == "pip":
            fail(f"{period} {agent}: expected a missing win rate and no PIP")


for period, year, q in [("2017-Q2", 2017, 2), ("2017-Q3", 2017, 3), ("2017-Q4", 2017, 4)]:
    output = run_both_engines(FULCRUM, [FRAMEWORK, "--framework", "llr", "--period", period,
                                        "--format", "csv"], fail, period, TABLES)
    compare(period, year, q, output)

fail.finish("llr over Maven: 3 quarters x 35 agents x 2 engines agree with the reference")
