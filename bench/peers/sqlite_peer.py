#!/usr/bin/python3
"""Benchmark peer: SQLite in memory through Python's sqlite3. Loads the generated CSVs with
csv.reader and executemany, runs the framework's SQL (sql/sqlite_*.sql) K times, writes the
result as Fulcrum's CSV and prints one JSON line of timings.

    sqlite_peer.py --data DIR --framework llr|targets|deals --period 2018-Q3 [--as-of 2018-08-15]
                   --out RESULT.csv [--repeat K]
"""
import csv
import os
import sqlite3
import time
from operator import itemgetter

import peer_common

HERE = os.path.dirname(os.path.abspath(__file__))


def optional(text):
    return text if text != "" else None


def optional_number(text):
    return float(text) if text != "" else None


# Per table: its file, the schema of the declared fields (bench/frameworks/data.fulcrum) and
# how a csv row becomes the inserted tuple (an undeclared column like `account` is dropped).
# REAL affinity makes SQLite store numeric text as floats; dates stay ISO text. No indexes: a
# covering index on activities(day, rep, kind) takes longer to build than it saves one
# evaluation (300k rows: 1.0 s to build, 0.08 s saved).
TABLES = {
    "reps": ("reps.csv", "id TEXT PRIMARY KEY, name TEXT, team TEXT, manager TEXT, region TEXT, "
             "hired TEXT", None),
    "deals": ("deals.csv", "id TEXT, owner TEXT, product TEXT, stage TEXT, engaged TEXT, "
              "closed TEXT, value REAL",
              lambda r: (r[0], r[1], r[3], r[4], r[5], optional(r[6]), optional_number(r[7]))),
    "activities": ("activities.csv", "rep TEXT, day TEXT, kind TEXT", itemgetter(0, 2, 3)),
    "ratings": ("ratings.csv", "rep TEXT, quarter TEXT, leadership REAL, leverage REAL", None),
    "quotas": ("quotas.csv", "rep TEXT, quarter TEXT, quota REAL", None),
    # The deals shape (`fulcrum-gen --pipeline`): agents and accounts by name, the pipeline's
    # empty dates and close values as NULL.
    "agents": ("sales_teams.csv", "id TEXT PRIMARY KEY, manager TEXT, office TEXT", None),
    "deal_accounts": ("accounts.csv", "id TEXT PRIMARY KEY", itemgetter(slice(0, 1))),
    "pipeline": ("sales_pipeline.csv", "owner TEXT, product TEXT, account TEXT, stage TEXT, "
                 "engaged TEXT, closed TEXT, value REAL",
                 lambda r: (r[1], r[2], optional(r[3]), r[4], optional(r[5]), optional(r[6]),
                            optional_number(r[7]))),
}
TABLES_OF = {"llr": ["reps", "deals", "activities", "ratings", "quotas"],
             "targets": ["reps", "deals", "activities", "quotas"],
             "deals": ["agents", "deal_accounts", "pipeline"]}


def load(db, directory, framework):
    for name in TABLES_OF[framework]:
        file, schema, convert = TABLES[name]
        db.execute(f"CREATE TABLE {name} ({schema})")
        width = schema.count(",") + 1
        insert = f"INSERT INTO {name} VALUES ({', '.join('?' * width)})"
        with open(os.path.join(directory, file), newline="") as f:
            rows = csv.reader(f)
            next(rows)
            db.executemany(insert, rows if convert is None else map(convert, rows))
    db.commit()


def main():
    args = peer_common.parse_args(__doc__.splitlines()[0])
    quarter = peer_common.Quarter(args.period, args.as_of)
    db = sqlite3.connect(":memory:")
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")

    start = time.perf_counter()
    load(db, args.data, args.framework)
    load_s = time.perf_counter() - start
    rows_table = "pipeline" if args.framework == "deals" else "activities"
    activity_rows = db.execute(f"SELECT count(*) FROM {rows_table}").fetchone()[0]

    with open(os.path.join(HERE, "sql", f"sqlite_{args.framework}.sql")) as f:
        sql = f.read()
    params = {"period": quarter.text, "period_start": quarter.start.isoformat()}
    if args.framework in ("llr", "deals"):
        params.update(to_date=quarter.to_date.isoformat())
    if args.framework == "targets":
        params.update(period_end=quarter.end.isoformat(),
                      window_start=quarter.window_start.isoformat(),
                      window_end=quarter.window_end.isoformat(), as_of=quarter.as_of.isoformat(),
                      min_tenure=peer_common.MIN_TENURE, min_decided=peer_common.MIN_DECIDED)

    def evaluate():
        cursor = db.execute(sql, params)
        return [d[0] for d in cursor.description], cursor.fetchall()

    (header, rows), eval_s, eval_median_s = peer_common.timed_evaluations(evaluate, args.repeat)
    peer_common.write_result(args.out, header, rows)
    peer_common.report("sqlite", args, load_s, eval_s, eval_median_s, activity_rows)


if __name__ == "__main__":
    main()
