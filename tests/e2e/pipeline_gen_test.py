#!/usr/bin/env python3
"""End to end: fulcrum-gen's deals shape (`--pipeline N`, Maven's CRM export at scale) and
bench/frameworks/deals.fulcrum over it.

Checks: the four files have Maven's headers; the bytes are identical on 1 and 2 threads and
differ with --seed 2; exactly N deal rows; opportunity ids unique, 8 characters of [0-9A-Z];
agent and account names unique, with spaces, every deal's agent and (non-empty) account
resolving; the stages are Won, Lost, Engaging and Prospecting, each present; a Prospecting deal
has no engage date, an open deal no close date or value, a closed deal both dates (the close on
or after the engage) and a value (0 when Lost); some open deals have no account. Then
deals.fulcrum for 2018-Q3, and as of 2018-08-15, with both engines: exit 0, byte-identical
output, every record of every file loaded, one row per agent, and every column recomputed
here from the CSV files; over 120,000 deals (cut into ranges), --threads 1, 2 and 3 print
byte-identical results on both engines. --pipeline with --activities is refused with a message.
fulcrum-gen is found beside the fulcrum binary (argv[1]) or at $FULCRUM_GEN."""
import csv
import datetime
import filecmp
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures, compare_rows, day, divide, rows_by, run_both_engines  # noqa: E402

FULCRUM = sys.argv[1]
GEN = os.environ.get("FULCRUM_GEN") or os.path.join(os.path.dirname(FULCRUM), "fulcrum-gen")
FRAMEWORK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench",
                         "frameworks", "deals.fulcrum")
REPS, DEALS = 40, 30000
BIG_DEALS = 120000
HEADERS = {
    "sales_teams.csv": "sales_agent,manager,regional_office",
    "products.csv": "product,series,sales_price",
    "accounts.csv": "account,sector,year_established,revenue,employees,office_location,"
                    "subsidiary_of",
    "sales_pipeline.csv": "opportunity_id,sales_agent,product,account,deal_stage,engage_date,"
                          "close_date,close_value",
}
fail = Failures()


def generate(out, *extra):
    proc = subprocess.run([GEN, "--out", out, "--reps", str(REPS), "--pipeline", str(DEALS)]
                          + list(extra), capture_output=True, text=True)
    if proc.returncode != 0:
        fail(f"fulcrum-gen {' '.join(extra)}: exit {proc.returncode}: {proc.stderr}")
    return out


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def expected_deals(agents, deals, first, last):
    """Every column of deals.fulcrum per agent, from the rows."""
    out = {a: {"won": 0.0, "won_deals": 0, "lost_deals": 0, "engaged": 0, "biggest_win": None,
               "gtk_won": 0.0, "open_deals": 0, "prospects": 0} for a in agents}
    for d in deals:
        r = out[d["sales_agent"]]
        closed, engaged = day(d["close_date"]), day(d["engage_date"])
        closed_in = closed is not None and first <= closed <= last
        value = float(d["close_value"]) if d["close_value"] else None
        if d["deal_stage"] == "Won" and closed_in:
            r["won_deals"] += 1
            if value is not None:
                r["won"] += value
                r["biggest_win"] = value if r["biggest_win"] is None else max(r["biggest_win"], value)
                if d["product"] == "GTK 500":
                    r["gtk_won"] += value
        if d["deal_stage"] == "Lost" and closed_in:
            r["lost_deals"] += 1
        if engaged is not None and first <= engaged <= last:
            r["engaged"] += 1
        r["open_deals"] += d["deal_stage"] == "Engaging"
        r["prospects"] += d["deal_stage"] == "Prospecting"
    for r in out.values():
        r["win_rate"] = divide(r["won_deals"], r["won_deals"] + r["lost_deals"])
    return out


def main():
    with tempfile.TemporaryDirectory() as tmp:
        one = generate(os.path.join(tmp, "one"), "--threads", "1")
        two = generate(os.path.join(tmp, "two"), "--threads", "2")
        other = generate(os.path.join(tmp, "other"), "--seed", "2")
        for name, header in HEADERS.items():
            with open(os.path.join(one, name)) as f:
                got = f.readline().rstrip("\n")
            if got != header:
                fail(f"{name}: header {got!r}, expected {header!r}")
            if not filecmp.cmp(os.path.join(one, name), os.path.join(two, name), shallow=False):
                fail(f"{name}: differs between 1 and 2 threads")
        if filecmp.cmp(os.path.join(one, "sales_pipeline.csv"),
                       os.path.join(other, "sales_pipeline.csv"), shallow=False):
            fail("sales_pipeline.csv: the same with --seed 2")

        agents = [r["sales_agent"] for r in read(os.path.join(one, "sales_teams.csv"))]
        accounts = [r["account"] for r in read(os.path.join(one, "accounts.csv"))]
        deals = read(os.path.join(one, "sales_pipeline.csv"))
        for what, names in (("agent", agents), ("account", accounts)):
            if len(set(names)) != len(names) or not all(" " in n for n in names):
                fail(f"{what} names must be unique and hold a space: {names[:5]}")
        if len(agents) != REPS or len(deals) != DEALS:
            fail(f"{len(agents)} agents and {len(deals)} deals, expected {REPS} and {DEALS}")
        ids = [d["opportunity_id"] for d in deals]
        if len(set(ids)) != len(ids) or not all(re.fullmatch(r"[0-9A-Z]{8}", i) for i in ids):
            fail("opportunity ids must be unique, 8 characters of [0-9A-Z]")
        agent_set, account_set = set(agents), set(accounts)
        stages = {}
        open_without_account = 0
        for d in deals:
            stage = d["deal_stage"]
            stages[stage] = stages.get(stage, 0) + 1
            what = f"deal {d['opportunity_id']}"
            if d["sales_agent"] not in agent_set:
                fail(f"{what}: unknown agent {d['sales_agent']!r}")
            if d["account"] and d["account"] not in account_set:
                fail(f"{what}: unknown account {d['account']!r}")
            is_open = stage in ("Engaging", "Prospecting")
            if (stage == "Prospecting") != (d["engage_date"] == ""):
                fail(f"{what}: {stage} with engage date {d['engage_date']!r}")
            if is_open and (d["close_date"] or d["close_value"]):
                fail(f"{what}: open with a close date or value")
            if not is_open:
                if not d["close_date"] or day(d["close_date"]) < day(d["engage_date"]):
                    fail(f"{what}: closed {d['close_date']!r} before engaged {d['engage_date']}")
                if stage == "Lost" and d["close_value"] != "0":
                    fail(f"{what}: Lost with value {d['close_value']!r}")
                if stage == "Won" and not d["close_value"]:
                    fail(f"{what}: Won without a value")
            open_without_account += is_open and not d["account"]
        if set(stages) != {"Won", "Lost", "Engaging", "Prospecting"}:
            fail(f"stages {stages}")
        if not open_without_account:
            fail("no open deal without an account")

        tables = {"rep": os.path.join(one, "sales_teams.csv"),
                  "account": os.path.join(one, "accounts.csv"),
                  "pipeline": os.path.join(one, "sales_pipeline.csv")}
        data = [a for t, p in tables.items() for a in ("--data", f"{t}={p}")]
        q3 = (datetime.date(2018, 7, 1), datetime.date(2018, 9, 30))
        for when, last in ((["--period", "2018-Q3"], q3[1]),
                           (["--period", "2018-Q3", "--as-of", "2018-08-15"],
                            datetime.date(2018, 8, 15))):
            what = "deals " + " ".join(when)
            output = run_both_engines(FULCRUM, [FRAMEWORK, "--framework", "deals", "--format",
                                                "csv"] + when + data, fail, what, tables)
            rows = rows_by(output, "id", agents, fail, what)
            if rows:
                compared = compare_rows(rows, expected_deals(agents, deals, q3[0], last), fail,
                                        what)
                if compared != len(agents) * 9:
                    fail(f"{what}: compared {compared} cells, expected {len(agents) * 9}")

        # Threads never change a result: a file big enough to be cut into ranges (120,000 deals,
        # 9 MB: two ranges of at least 4 MiB), so each range interns its texts into its own
        # dictionaries and the merge re-codes them, the key index sharing the key's dictionary.
        big = os.path.join(tmp, "big")
        subprocess.run([GEN, "--out", big, "--reps", str(REPS), "--pipeline", str(BIG_DEALS)],
                       capture_output=True, check=True)
        if os.path.getsize(os.path.join(big, "sales_pipeline.csv")) < 8 << 20:
            fail("the big deals file is under 8 MiB: it would load in one range")
        big_tables = {t: os.path.join(big, os.path.basename(p)) for t, p in tables.items()}
        big_data = [a for t, p in big_tables.items() for a in ("--data", f"{t}={p}")]
        outputs = {}
        for threads in ("1", "2", "3"):
            outputs[threads] = run_both_engines(
                FULCRUM, [FRAMEWORK, "--framework", "deals", "--format", "csv", "--period",
                          "2018-Q3", "--threads", threads] + big_data, fail,
                f"deals ({BIG_DEALS} rows) --threads {threads}", big_tables)
        if len(set(outputs.values())) != 1:
            fail(f"deals ({BIG_DEALS} rows): --threads 1, 2 and 3 print different results")

        proc = subprocess.run([GEN, "--out", os.path.join(tmp, "bad"), "--pipeline", "10",
                               "--activities", "5"], capture_output=True, text=True)
        if proc.returncode != 2 or "--pipeline" not in proc.stderr:
            fail(f"--pipeline with --activities: exit {proc.returncode}, {proc.stderr!r}")
    fail.finish(f"ok: {DEALS} deals of {REPS} agents, deals.fulcrum checked on both engines")


if __name__ == "__main__":
    main()
