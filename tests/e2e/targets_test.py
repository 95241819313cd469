#!/usr/bin/env python3
"""End to end: the personalized activity targets of examples/targets over the real Maven CRM deals
and the made-up weekly activities, for 2017-Q3, 2017-Q4 and 2018-Q1 (whose previous quarters are
the data's last: the last weeks of activities.csv count), through `fulcrum run --strict` with both
engines, against figures computed here independently from the CSV files.

Checks: exactly one row per agent of sales_teams.csv (35; empty output or a missing, extra or
repeated row is a failure); per agent, every column: history (weeks of activity, decided deals),
the own rates and average deal over the previous 2 quarters, the team's (the mean of the
manager's agents' own rates), the rate chosen (own with enough history, else the team's), the
back-solved pipeline, opportunities, conversations and dials, the daily targets, last quarter's
dials per day, each stage against the team's median and the coaching band. Also: the 5 agents
with no deals have no activity and get the team's rates (not missing, not zero) and a daily
target; the daily dial targets of some agents differ by 2x or more; both engines print
byte-identical CSV and report loading every record of every CSV file (a dropped row fails even
where no checked value depends on it, e.g. the open deals at the end of sales_pipeline.csv); the
check holds."""
import csv
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import (Failures, quarter_bounds, shift_quarter, day, divide, mean,  # noqa: E402
                         median, matches, money, money_mean, run_both_engines, rows_by)


FULCRUM = sys.argv[1]
DATA = "../shared/datasets/maven-crm"
FRAMEWORK = "examples/targets/targets.fulcrum"
ACTIVITIES = "examples/targets/activities.csv"
TABLES = {"rep": f"{DATA}/sales_teams.csv", "deals": f"{DATA}/sales_pipeline.csv",
          "activities": ACTIVITIES}
AGENTS = 35
QUOTA = 150000.0
MIN_WEEKS = 13
MIN_DECIDED = 30
NEW_AGENTS = {"Mei-Mei Johns", "Elizabeth Anderson", "Natalya Ivanova", "Carol Thompson", "Carl Lin"}
STAGES = ["dial_to_conversation", "conversation_to_meeting", "meeting_to_demo"]
fail = Failures()


def choose(own, team, history, threshold):
    return own if history >= threshold and own is not None else team


reps = {row["sales_agent"]: row["manager"] for row in csv.DictReader(open(f"{DATA}/sales_teams.csv"))}
deals = list(csv.DictReader(open(f"{DATA}/sales_pipeline.csv")))
activities = list(csv.DictReader(open(ACTIVITIES)))


def reference(year, q):
    """Every output column per agent for one quarter, from the CSV files alone."""
    start, end = quarter_bounds(year, q)
    window_start, _ = quarter_bounds(*shift_quarter(year, q, -2))
    last_start, last_end = quarter_bounds(*shift_quarter(year, q, -1))
    working_days = sum(1 for n in range((end - start).days + 1)
                       if (start + datetime.timedelta(days=n)).weekday() < 5)

    own = {}
    for agent in reps:
        weeks = [a for a in activities if a["sales_agent"] == agent
                 and window_start <= day(a["week"]) <= last_end]
        last = [a for a in activities if a["sales_agent"] == agent
                and last_start <= day(a["week"]) <= last_end]
        closed = [d for d in deals if d["sales_agent"] == agent and d["close_date"]
                  and window_start <= day(d["close_date"]) <= last_end]
        won = [d for d in closed if d["deal_stage"] == "Won"]
        total = {k: sum(int(a[k]) for a in weeks) for k in ("dials", "conversations", "meetings", "demos")}
        own[agent] = {
            "weeks_of_history": len(weeks),
            "decided": sum(1 for d in closed if d["deal_stage"] in ("Won", "Lost")),
            "win_rate": None,
            "average_deal": money_mean([float(d["close_value"]) for d in won if d["close_value"]]),
            "dial_to_conversation": divide(total["conversations"], total["dials"]),
            "conversation_to_meeting": divide(total["meetings"], total["conversations"]),
            "meeting_to_demo": divide(total["demos"], total["meetings"]),
            "last_quarter": divide(sum(int(a["dials"]) for a in last), 5 * len(last)),
        }
        own[agent]["win_rate"] = divide(len(won), own[agent]["decided"])

    figures = {}
    for agent, manager in reps.items():
        mine = own[agent]
        peers = [own[a] for a, m in reps.items() if m == manager]
        team = {k: mean([p[k] for p in peers]) for k in ["win_rate"] + STAGES}
        team["average_deal"] = money_mean([p["average_deal"] for p in peers])
        middle = {k: median([p[k] for p in peers]) for k in ["win_rate"] + STAGES}
        f = {"weeks_of_history": mine["weeks_of_history"], "decided": mine["decided"]}
        for k in ["win_rate", "average_deal"] + STAGES:
            f["own_" + k] = mine[k]
            f["team_" + k] = team[k]
        f["win_rate"] = choose(mine["win_rate"], team["win_rate"], mine["decided"], MIN_DECIDED)
        f["average_deal"] = choose(mine["average_deal"], team["average_deal"], mine["decided"],
                                   MIN_DECIDED)
        for k in STAGES:
            f[k] = choose(mine[k], team[k], mine["weeks_of_history"], MIN_WEEKS)
        f["pipeline"] = money(divide(QUOTA, f["win_rate"]))  # money / a rate is money
        f["opportunities"] = divide(f["pipeline"], f["average_deal"])
        f["conversations"] = divide(f["opportunities"],
                                    f["conversation_to_meeting"] * f["meeting_to_demo"])
        f["dials"] = divide(f["conversations"], f["dial_to_conversation"])
        f["conversations_per_day"] = ("ceil", divide(f["conversations"], working_days))
        f["dials_per_day"] = ("ceil", divide(f["dials"], working_days))
        f["dials_per_day_last_quarter"] = mine["last_quarter"]
        versus = {}
        for column, k in (("dial_vs_team", "dial_to_conversation"),
                          ("meeting_vs_team", "conversation_to_meeting"),
                          ("demo_vs_team", "meeting_to_demo"), ("win_vs_team", "win_rate")):
            versus[column] = divide(mine[k], middle[k])
            f[column] = versus[column]
            f["median_" + k] = middle[k]
        known = list(versus.values())
        f["weakest_vs_team"] = None if None in known else min(known)
        f["coaching"] = coaching(f, versus)
        figures[agent] = f
    return figures


def coaching(f, versus):
    if f["weeks_of_history"] < MIN_WEEKS:
        return "ramp-up: plan with the team's rates"
    if f["weakest_vs_team"] is None:
        return "not enough deals to compare"
    if f["weakest_vs_team"] >= 1:
        return "at or above the team at every stage"
    names = {"dial_vs_team": "dials to conversations", "meeting_vs_team": "conversations to meetings",
             "demo_vs_team": "meetings to demos", "win_vs_team": "closing: win rate"}
    for column, name in names.items():
        if versus[column] == f["weakest_vs_team"]:
            return name


def compare(period, year, q, output):
    expected = reference(year, q)
    if len(expected) != AGENTS:
        fail(f"sales_teams.csv: {len(expected)} agents, expected {AGENTS}")
    rows = rows_by(output, "name", expected, fail, period)
    if rows is None:
        return None
    for agent, f in expected.items():
        for column, want in f.items():
            got = rows[agent].get(column)
            if got is None:
                fail(f"{period}: no column {column}")
            elif not matches(got, want):
                fail(f"{period} {agent} {column}: expected {want}, got {got!r}")
    for agent in NEW_AGENTS:
        row = rows[agent]
        for k in ["win_rate", "average_deal"] + STAGES:
            if row[k] in ("", "0") or row[k] != row["team_" + k] or float(row[k]) <= 0:
                fail(f"{period} {agent} {k}: a new agent must plan with the team's rate, "
                     f"got {row[k]!r} (team {row['team_' + k]!r})")
        if row["dials_per_day"] in ("", "0"):
            fail(f"{period} {agent}: a new agent must get a daily dial target")
    targets = [float(r["dials_per_day"]) for r in rows.values() if r["dials_per_day"]]
    if not targets or max(targets) < 2 * min(targets):
        fail(f"{period}: daily dial targets do not differ by 2x: {sorted(targets)}")
    return max(targets) / min(targets)


# The data: no activity for the agents without deals, 52 weeks for everyone else.
weeks = {}
for a in activities:
    weeks[a["sales_agent"]] = weeks.get(a["sales_agent"], 0) + 1
owners = {d["sales_agent"] for d in deals}
if set(weeks) & NEW_AGENTS or NEW_AGENTS & owners or set(weeks) != set(reps) - NEW_AGENTS:
    fail("activities.csv: the agents with activity are not exactly the agents with deals")
if any(n != 52 for n in weeks.values()):
    fail("activities.csv: an agent does not have 52 weeks")

spreads = []
for period, year, q in [("2017-Q3", 2017, 3), ("2017-Q4", 2017, 4), ("2018-Q1", 2018, 1)]:
    output = run_both_engines(FULCRUM, [FRAMEWORK, "--framework", "targets", "--period", period,
                                        "--format", "csv", "--strict"], fail, period, TABLES)
    spread = compare(period, year, q, output)
    if spread:
        spreads.append(spread)

fail.finish("targets over Maven: 3 quarters x 35 agents x 2 engines agree with the reference; "
            f"daily dial targets differ by up to {max(spreads, default=0):.1f}x")
