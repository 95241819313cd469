#!/usr/bin/env python3
"""End to end: language.md's first three conformance blocks, as written, run over the real Maven
data (plus the made-up ratings of examples/llr) for 2017-Q2 and 2017-Q3 with both engines:
`llr`, the team OKRs `pipeline_okrs` and the personalized `activity_targets`. Both engines must
print byte-identical CSV, and the OKR actuals and the targets' rates are recomputed here from the
CSV files alone (agents with no deals must get their team's win rate, never missing or zero)."""
import csv
import datetime
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures, quarter_bounds, shift_quarter, day, close, run_both_engines  # noqa: E402


FULCRUM = os.path.abspath(sys.argv[1])
SHARED = os.path.abspath("../shared")
DATA = f"{SHARED}/datasets/maven-crm"
fail = Failures()


def blocks():
    text = open(f"{SHARED}/design/language.md", encoding="utf-8").read().split("\n")
    out, on, n = [], False, 0
    for line in text:
        if line.startswith("```fulcrum conformance"):
            on, n = True, n + 1
            continue
        if line.startswith("```"):
            on = False
        elif on and n <= 3:
            out.append(line)
    return "\n".join(out) + "\n"


work = tempfile.mkdtemp(prefix="fulcrum-conformance-")
with open(f"{work}/conformance.fulcrum", "w", encoding="utf-8") as f:
    f.write(blocks())
for name in ("sales_teams.csv", "accounts.csv", "sales_pipeline.csv"):
    os.symlink(f"{DATA}/{name}", f"{work}/{name}")
os.symlink(os.path.abspath("examples/llr/ratings.csv"), f"{work}/ratings.csv")

reps = {r["sales_agent"]: r["manager"] for r in csv.DictReader(open(f"{DATA}/sales_teams.csv"))}
deals = list(csv.DictReader(open(f"{DATA}/sales_pipeline.csv")))



def check_okrs(rows, year, q):
    start, end = quarter_bounds(year, q)
    teams = {}
    for d in deals:
        t = teams.setdefault(reps[d["sales_agent"]], {"big": 0, "won": 0, "decided": 0, "engaged": 0})
        closed, engaged = day(d["close_date"]), day(d["engage_date"])
        in_q = closed is not None and start <= closed <= end
        if in_q and d["deal_stage"] == "Won":
            t["won"] += 1
            if d["close_value"] and float(d["close_value"]) > 3000:
                t["big"] += 1
        if in_q and d["deal_stage"] in ("Won", "Lost"):
            t["decided"] += 1
        if engaged is not None and start <= engaged <= end:
            t["engaged"] += 1
    for row in rows:
        t = teams[row["manager"]]
        for column, want in (("big_wins.actual", t["big"]), ("engaged.actual", t["engaged"]),
                             ("win_rate.actual", t["won"] / t["decided"])):
            if not close(float(row[column]), want):
                fail(f"pipeline_okrs {year}-Q{q} {row['manager']} {column}: {row[column]} != {want}")


def check_targets(rows, year, q):
    _, end = quarter_bounds(year, q)
    first, _ = quarter_bounds(*shift_quarter(year, q, -2))
    _, last = quarter_bounds(*shift_quarter(year, q, -1))
    own, engaged_first = {}, {}
    for agent in reps:
        wins = sum(1 for d in deals if d["sales_agent"] == agent and d["deal_stage"] == "Won"
                   and d["close_date"] and first <= day(d["close_date"]) <= last)
        decided = sum(1 for d in deals if d["sales_agent"] == agent
                      and d["deal_stage"] in ("Won", "Lost")
                      and d["close_date"] and first <= day(d["close_date"]) <= last)
        own[agent] = wins / decided if decided else None
        dates = [day(d["engage_date"]) for d in deals
                 if d["sales_agent"] == agent and d["engage_date"]]
        engaged_first[agent] = min(dates) if dates else None
    team = {}
    for agent, manager in reps.items():
        if own[agent] is not None:
            team.setdefault(manager, []).append(own[agent])
    by_name = {row["name"]: row for row in rows}
    for agent, manager in reps.items():
        row = by_name[agent]
        team_rate = sum(team[manager]) / len(team[manager])
        history = (end - engaged_first[agent]).days if engaged_first[agent] else 0
        rate = (own[agent] if own[agent] is not None else team_rate) if history >= 90 else team_rate
        for column, want in (("team_win_rate", team_rate), ("history_days", history),
                             ("win_rate", rate)):
            if row[column] == "" or not close(float(row[column]), want):
                fail(f"activity_targets {year}-Q{q} {agent} {column}: {row[column]!r} != {want}")
        if engaged_first[agent] is None and (row["win_rate"] in ("", "0")):
            fail(f"activity_targets {year}-Q{q} {agent}: a new agent must get the team's rate")


for year, q in ((2017, 2), (2017, 3)):
    period = f"{year}-Q{q}"
    for framework in ("llr", "pipeline_okrs", "activity_targets"):
        output = run_both_engines(FULCRUM, [f"{work}/conformance.fulcrum", "--framework", framework,
                                            "--period", period, "--format", "csv"],
                                  fail, f"{framework} {period}")
        rows = list(csv.DictReader(output.splitlines()))
        if framework == "pipeline_okrs":
            check_okrs(rows, year, q)
        elif framework == "activity_targets":
            check_targets(rows, year, q)

fail.finish("conformance blocks 1-3 run over Maven: 3 frameworks x 2 quarters x 2 engines agree")
