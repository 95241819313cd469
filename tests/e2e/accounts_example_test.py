#!/usr/bin/env python3
"""End to end: the account lens of examples/accounts over the real Maven CRM accounts and the
made-up events, as of 2017-06-30, through `fulcrum run` and `fulcrum alerts` with both engines,
against the expected outputs checked in beside it and figures computed here from the CSV files.

Checks: make_events.py (fixed seed) still writes events.csv byte for byte; lens.fulcrum checks
clean (no diagnostic at all) and holds language.md's fourth conformance block, its `events` table
and every line of its `account_lens` framework in order (the example adds bands, nothing else
changes: tests/e2e/conformance_run_test.py compares that block with its oracle over the same
files); both engines print byte-identical output, exactly expected_run.csv (`run --format csv`),
expected_alerts.txt (`alerts`, the table format) and expected_alerts.csv (`alerts --format csv`),
and report loading every record of both CSV files. Then the expected files against the CSVs:
one row per account of accounts.csv; per account size_of_prize (employees * $40), temperature
(the events of the last 90 days, weight * 0.5 ^ (age / 14 days), summed), heat, priority
(RANK() of size_of_prize * temperature, largest first), quiet_days (days since the latest
product_usage, missing without one), the size band and the quadrant; the feed's records
(role changes of the last 7 days, dated by the event, and accounts with quiet_days over 14, dated
2017-06-30), in the feed's order (priority, then key; newest first, then the alert declared
first, then file order); the table format's count, headings and lines say the same records."""
import csv
import datetime
import math
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures, close, run_both_engines, rows_by  # noqa: E402


FULCRUM = sys.argv[1]
DATA = "../shared/datasets/maven-crm"
EXAMPLE = "examples/accounts"
FRAMEWORK = f"{EXAMPLE}/lens.fulcrum"
EVENTS = f"{EXAMPLE}/events.csv"
TABLES = {"account": f"{DATA}/accounts.csv", "events": EVENTS}
AS_OF = datetime.date(2017, 6, 30)
ARGS = [FRAMEWORK, "--framework", "account_lens", "--as-of", AS_OF.isoformat()]
LARGE = 200000  # the size band's bound, $200k
fail = Failures()


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return f.read()


# make_events.py is deterministic: it writes events.csv again, byte for byte.
with tempfile.TemporaryDirectory() as scratch:
    again = os.path.join(scratch, "events.csv")
    proc = subprocess.run([sys.executable, f"{EXAMPLE}/make_events.py", again],
                          capture_output=True, text=True)
    if proc.returncode != 0 or not os.path.exists(again):
        fail(f"make_events.py: exit {proc.returncode}: {proc.stderr[-500:]}")
    elif read(again) != read(EVENTS):
        fail("make_events.py writes another events.csv than the one checked in: run "
             "`python3 examples/accounts/make_events.py` and update the expected outputs")

# lens.fulcrum checks clean, and holds language.md's block 4 line for line.
proc = subprocess.run([FULCRUM, "check", FRAMEWORK], capture_output=True, text=True)
if proc.returncode != 0 or proc.stdout.strip() or proc.stderr.strip():
    fail(f"fulcrum check {FRAMEWORK}: exit {proc.returncode}, expected 0 and no diagnostic: "
         f"{(proc.stdout + proc.stderr)[:500]}")
blocks = re.findall(r"^```fulcrum conformance\n(.*?)^```", read("../shared/design/language.md"),
                    re.S | re.M)
block = next((b for b in blocks if "framework account_lens" in b), "")
if not block:
    fail("language.md has no conformance block with `framework account_lens`")
lines = [line.strip() for line in read(FRAMEWORK).splitlines()
         if line.strip() and not line.strip().startswith("//")]
at = 0
for line in (line.strip() for line in block.splitlines() if line.strip()):
    if line not in lines[at:]:
        fail(f"{FRAMEWORK} no longer holds language.md's block 4 in order: {line!r}")
        break
    at = lines.index(line, at) + 1

# Both engines print exactly the expected outputs.
outputs = {
    "expected_run.csv": run_both_engines(FULCRUM, ARGS + ["--format", "csv"], fail, "run",
                                         TABLES),
    "expected_alerts.txt": run_both_engines(FULCRUM, ARGS, fail, "alerts", TABLES,
                                            command="alerts"),
    "expected_alerts.csv": run_both_engines(FULCRUM, ARGS + ["--format", "csv"], fail,
                                            "alerts --format csv", TABLES, command="alerts"),
}
for name, output in outputs.items():
    if output != read(f"{EXAMPLE}/{name}"):
        fail(f"{EXAMPLE}/{name}: fulcrum prints something else (both engines agree); if the "
             "change is right, write the file anew and say why in the commit")

# The expected files against the CSVs.
accounts = list(csv.DictReader(open(f"{DATA}/accounts.csv", newline="")))
events = list(csv.DictReader(open(EVENTS, newline="")))
figures = {}
for account in accounts:
    name = account["account"]
    mine = [e for e in events if e["account"] == name]
    ages = [(AS_OF - datetime.date.fromisoformat(e["at"])).days for e in mine]
    temperature = math.fsum(float(e["weight"]) * 0.5 ** (age / 14)
                            for e, age in zip(mine, ages) if 0 <= age < 90)
    used = [age for e, age in zip(mine, ages) if e["kind"] == "product_usage"]
    size = int(account["employees"]) * 40
    heat = "HIGH" if temperature >= 20 else "MEDIUM" if temperature >= 5 else "LOW"
    band = "large" if size >= LARGE else "small"
    figures[name] = {"size_of_prize": size, "temperature": temperature, "heat": heat,
                     "quiet_days": None if not used or min(used) < 0 else min(used),
                     "size": band, "quadrant": f"{heat} temperature / {band} prize"}
products = {name: f["size_of_prize"] * f["temperature"] for name, f in figures.items()}
for name, f in figures.items():
    f["priority"] = 1 + sum(1 for p in products.values() if p > products[name])



def agrees(cell, want):
    """A CSV cell against a computed value: missing is an empty cell, text exact, numbers close."""
    if cell is None:
        return False
    if want is None or isinstance(want, str):
        return cell == (want or "")
    return cell != "" and close(float(cell), float(want))


rows = rows_by(read(f"{EXAMPLE}/expected_run.csv"), "name", figures, fail, "expected_run.csv")
for name, f in figures.items():
    for column, want in f.items():
        if rows and not agrees(rows[name].get(column), want):
            fail(f"expected_run.csv {name} {column}: {rows[name].get(column)!r}, "
                 f"computed {want!r}")

feed = []  # (priority, key, newest first, declaration, file order) -> record
for n, e in enumerate(events):
    age = (AS_OF - datetime.date.fromisoformat(e["at"])).days
    if e["kind"] == "role_change" and 0 <= age < 7:
        feed.append(((figures[e["account"]]["priority"], e["account"], age, 0, n),
                     [e["account"], "decision_maker_move", "Decision maker move", e["at"],
                      f"{e['contact'] or '-'} changed roles at {e['account']}", ""]))
for name, f in figures.items():
    if f["quiet_days"] is not None and f["quiet_days"] > 14:
        feed.append(((f["priority"], name, 0, 1, 0),
                     [name, "gone_quiet", "No product use for two weeks", AS_OF.isoformat(),
                      f"{name}: no product use for {f['quiet_days']:,} days", ""]))
feed = [record for _, record in sorted(feed)]
records = list(csv.reader(read(f"{EXAMPLE}/expected_alerts.csv").splitlines()))
if records[:1] != [["subject", "alert", "title", "date", "message", "priority"]] \
        or records[1:] != feed:
    fail(f"expected_alerts.csv: {len(records) - 1} records, computed {len(feed)}: "
         f"{records[1:3]} ... against {feed[:2]} ...")
if not any(r[1] == "gone_quiet" for r in feed) or not any(r[1] != "gone_quiet" for r in feed):
    fail("the feed as of 2017-06-30 should show both alerts")

text = [f"Account Alerts - {len(feed)}"]
for n, record in enumerate(feed):
    if n == 0 or feed[n - 1][0] != record[0]:
        text += ["", record[0]]
    text.append(f"  {record[3]}  {record[2]}: {record[4]}")
if read(f"{EXAMPLE}/expected_alerts.txt").splitlines() != text:
    fail("expected_alerts.txt: not the count, headings and lines of the computed feed")

fail.finish(f"examples/accounts as of {AS_OF}: {len(figures)} accounts x "
            f"{len(figures[accounts[0]['account']])} columns and {len(feed)} alerts agree with "
            "the expected files and the CSVs, on both engines")
