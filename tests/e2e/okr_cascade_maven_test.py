#!/usr/bin/env python3
"""End to end: the linked OKR cascade of examples/okr/cascade.fulcrum (company -> team -> rep,
and a company review reading the levels below) over the real Maven CRM data, for 2017-Q2,
2017-Q3 and 2017-Q4, through `fulcrum run` with both engines, against figures computed here
independently from the CSV files.

The oracle: the company's targets are the params ($4M won, 1,500 wins, 65% win rate); a team's
revenue and wins targets are the company's times its share of the agents, its win rate target
the company's; a rep's are the team's over the team's agents, and the team's win rate. Progress
is actual / target clamped to [0, 1]; a missing progress (a win rate with no deal decided) leaves
the objective scored over the others (the mean of the present ones); the grade is the standard
library's (0.7 and up on track, 0.4 at risk, else off track). The review averages and counts
the teams' and reps' scores and grades. Every output column of the four frameworks is compared,
one row per subject (1 company, 6 teams, 35 reps), and the engines must print the same bytes."""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import (Failures, quarter_bounds, day, matches, run_both_engines,  # noqa: E402
                         rows_by)

FULCRUM = sys.argv[1]
DATA = "../shared/datasets/maven-crm"
FRAMEWORK = "examples/okr/cascade.fulcrum"
TABLES = {"rep": f"{DATA}/sales_teams.csv", "deals": f"{DATA}/sales_pipeline.csv"}
REVENUE, WINS, WIN_RATE = 4_000_000, 1500, 0.65
fail = Failures()

agents = [row for row in csv.DictReader(open(f"{DATA}/sales_teams.csv"))]
manager_of = {row["sales_agent"]: row["manager"] for row in agents}
deals = list(csv.DictReader(open(f"{DATA}/sales_pipeline.csv")))


def clamp(x):
    return max(0.0, min(1.0, x))


def grade(score):
    if score is None:
        return None
    return "on track" if score >= 0.7 else "at risk" if score >= 0.4 else "off track"


def tally(start, end, members):
    """Won money, wins and decided deals closed in [start, end] by the given agents."""
    won = wins = decided = 0
    for d in deals:
        closed = day(d["close_date"])
        if d["sales_agent"] not in members or closed is None or not start <= closed <= end:
            continue
        if d["deal_stage"] in ("Won", "Lost"):
            decided += 1
        if d["deal_stage"] == "Won":
            wins += 1
            won += float(d["close_value"])
    return won, wins, decided


def objective(won, wins, decided, targets):
    """The key results' columns, the score over the present progresses and the grade."""
    rate = wins / decided if decided else None
    row = {}
    progress = []
    for name, actual, target in zip(("won", "wins", "win_rate"), (won, wins, rate), targets):
        p = clamp(actual / target) if actual is not None else None
        row.update({f"{name}.actual": actual, f"{name}.target": target, f"{name}.progress": p})
        if p is not None:
            progress.append(p)
    score = sum(progress) / len(progress) if progress else None
    row.update({"revenue.score": score, "revenue.grade": grade(score)})
    return row


def reference(year, q):
    start, end = quarter_bounds(year, q)
    everyone = set(manager_of)
    company = {"agents": len(everyone)}
    company.update(objective(*tally(start, end, everyone), (REVENUE, WINS, WIN_RATE)))
    teams = {}
    for manager in dict.fromkeys(manager_of.values()):
        members = {a for a, m in manager_of.items() if m == manager}
        share = len(members) / company["agents"]
        targets = (REVENUE * share, WINS * share, WIN_RATE)
        teams[manager] = {"agents": len(members), "share": share}
        teams[manager].update(objective(*tally(start, end, members), targets))
    reps = {}
    for agent, manager in manager_of.items():
        team = teams[manager]
        targets = (team["won.target"] / team["agents"], team["wins.target"] / team["agents"],
                   WIN_RATE)
        reps[agent] = objective(*tally(start, end, {agent}), targets)
        reps[agent]["team_grade"] = team["revenue.grade"]
    team_scores = [t["revenue.score"] for t in teams.values() if t["revenue.score"] is not None]
    rep_scores = [r["revenue.score"] for r in reps.values() if r["revenue.score"] is not None]
    review = {
        "company_score": company["revenue.score"], "company_grade": company["revenue.grade"],
        "teams_score": sum(team_scores) / len(team_scores),
        "teams_on_track": sum(t["revenue.grade"] == "on track" for t in teams.values()),
        "reps_score": sum(rep_scores) / len(rep_scores),
        "reps_on_track": sum(r["revenue.grade"] == "on track" for r in reps.values()),
        "weakest_rep": min(rep_scores),
    }
    return {"company_okrs": ("name", {"company": company}),
            "team_okrs": ("manager", teams),
            "rep_okrs": ("name", reps),
            "company_review": ("name", {"company": review})}


def compare(framework, period, key, expected, output):
    rows = rows_by(output, key, expected, fail, f"{period} {framework}")
    if rows is None:
        return
    for subject, columns in expected.items():
        for column, want in columns.items():
            got = rows[subject].get(column)
            if got is None:
                fail(f"{period} {framework}: no column {column}")
            elif want is None:
                if got != "":
                    fail(f"{period} {framework} {subject} {column}: expected missing, got {got!r}")
            elif not matches(got, want):
                fail(f"{period} {framework} {subject} {column}: expected {want!r}, got {got!r}")


grades = set()
for period, year, q in [("2017-Q2", 2017, 2), ("2017-Q3", 2017, 3), ("2017-Q4", 2017, 4)]:
    for framework, (key, expected) in reference(year, q).items():
        output = run_both_engines(FULCRUM, [FRAMEWORK, "--framework", framework, "--period",
                                            period, "--format", "csv"], fail,
                                  f"{period} {framework}", TABLES)
        compare(framework, period, key, expected, output)
        grades |= {row.get("revenue.grade") for row in expected.values()}
if not {"on track", "at risk", "off track"} <= grades:
    fail(f"expected every grade somewhere in the cascade, got {grades}")

fail.finish("OKR cascade over Maven: 3 quarters x 4 frameworks x 2 engines agree with the "
            "reference")
