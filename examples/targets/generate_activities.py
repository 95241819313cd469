#!/usr/bin/env python3
"""Writes activities.csv: made-up weekly sales activity for the Maven CRM agents in 2017.

One row per agent per week (the week's Monday, 2017-01-02 .. 2017-12-25) with the dials,
conversations, meetings and demos of that week. Each agent has their own conversion rates
(dial -> conversation, conversation -> meeting, meeting -> demo) and their own weekly dial
volume, drawn once; every week's counts are then drawn stage by stage from those rates. The five
agents who own no deal in the real pipeline are new: they get no row at all.

Deterministic (fixed seed): running it again writes the same file. Run from anywhere:

    python3 examples/targets/generate_activities.py
"""
import csv
import datetime
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "../../../shared/datasets/maven-crm")
SEED = 2017

rng = random.Random(SEED)


def binomial(n, p):
    """How many of n tries succeed, each with probability p."""
    return sum(1 for _ in range(n) if rng.random() < p)


def main():
    agents = [row["sales_agent"] for row in csv.DictReader(open(f"{DATA}/sales_teams.csv"))]
    owners = {row["sales_agent"] for row in csv.DictReader(open(f"{DATA}/sales_pipeline.csv"))}
    mondays = [datetime.date(2017, 1, 2) + datetime.timedelta(weeks=w) for w in range(52)]

    rows = []
    for agent in agents:
        if agent not in owners:
            continue  # a new agent: no history yet
        dial_to_conversation = rng.uniform(0.08, 0.24)
        conversation_to_meeting = rng.uniform(0.30, 0.65)
        meeting_to_demo = rng.uniform(0.40, 0.85)
        weekly_dials = rng.randint(150, 320)
        for monday in mondays:
            dials = round(weekly_dials * rng.uniform(0.8, 1.2))
            conversations = binomial(dials, dial_to_conversation)
            meetings = binomial(conversations, conversation_to_meeting)
            demos = binomial(meetings, meeting_to_demo)
            rows.append([agent, monday.isoformat(), dials, conversations, meetings, demos])

    with open(os.path.join(HERE, "activities.csv"), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["sales_agent", "week", "dials", "conversations", "meetings", "demos"])
        out.writerows(rows)
    print(f"activities.csv: {len(rows)} rows")


if __name__ == "__main__":
    main()
