#!/usr/bin/env python3
"""End to end: `fulcrum alerts --state FILE`, the daily job that must not repeat itself, over 30
consecutive as-of dates, on both engines, each with a state file of its own.

The oracle is the rule of issue 20 applied to the stateless feed of each day (`fulcrum alerts
--as-of D` without --state, whose contents the goldens and the conformance oracle pin down): an
active alert is delivered on the first day it is in the feed and never again; a passive alert
on each day it is in the feed but was not the day before (it fires again only after its
condition stopped holding for a run). The data is written here: accounts, a keyed `events`
table and a keyless `touches` table, and each day the export arrives re-sorted (rows shuffled),
which must change no identity: the key, or a hash of the row's fields, names a row, not its
place in the file. Then the failures that must never reset the state silently: a damaged file,
a file of another framework, JSON that is not a state file, output that cannot be written.

Usage: python3 tests/e2e/alerts_state_test.py build/bin/fulcrum"""
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures  # noqa: E402

FULCRUM = os.path.abspath(sys.argv[1])
fail = Failures()
FIRST_DAY = datetime.date(2017, 6, 1)
DAYS = 30

FRAMEWORK = """
entity account from "accounts.csv" {
  key name: text
}
table events from "events.csv" {
  key id: text
  account: account
  contact: text?
  kind: text
  at: date
}
table touches from "touches.csv" {
  account: account
  rep: text
  day: date
}
framework daily {
  subject account
  cadence day
  metric quiet_days: count = days_since(max(events.at where kind == "usage"))
  alert moved "Role change" on events where kind == "role_change" and at in last 3 days
    message "{contact} moved at {name}"
  alert touched "Touched" on touches where day in last 2 days message "{rep} touched {name}"
  alert quiet "Quiet" when quiet_days > 4 message "{name} quiet for {quiet_days} days"
}
"""


def write_data(folder, rng, shuffle):
    accounts = [f"A{i:02}" for i in range(12)]
    with open(os.path.join(folder, "accounts.csv"), "w") as f:
        f.write("name\n" + "".join(a + "\n" for a in accounts))
    events, touches = [], []
    gen = random.Random(7)  # the same rows every day; only their order changes
    for n in range(160):
        account = gen.choice(accounts)
        at = FIRST_DAY + datetime.timedelta(days=gen.randrange(-10, DAYS + 5))
        kind = gen.choice(["usage", "usage", "role_change", "web"])
        events.append(f"e{n},{account},C{n},{kind},{at.isoformat()}\n")
    for n in range(40):
        at = FIRST_DAY + datetime.timedelta(days=gen.randrange(0, DAYS))
        touches.append(f"{gen.choice(accounts)},rep{n},{at.isoformat()}\n")
    if shuffle:
        rng.shuffle(events)
        rng.shuffle(touches)
    with open(os.path.join(folder, "events.csv"), "w") as f:
        f.write("id,account,contact,kind,at\n" + "".join(events))
    with open(os.path.join(folder, "touches.csv"), "w") as f:
        f.write("account,rep,day\n" + "".join(touches))


def alerts(folder, engine, as_of, state=None, extra=()):
    command = [FULCRUM, "alerts", os.path.join(folder, "daily.fulcrum"), "--framework", "daily",
               "--as-of", as_of, "--period", as_of, "--format", "json", "--engine", engine]
    if state:
        command += ["--state", state]
    return subprocess.run(command + list(extra), capture_output=True, text=True, timeout=120)


def key(record):
    """What names an alert in the oracle: rows here differ in contact or toucher, so the
    message tells them apart."""
    return (record["alert"], record["subject"], record["message"] if record["alert"] != "quiet"
            else "")


def daily_runs(folder, engine):
    state = os.path.join(folder, f"state-{engine}.json")
    rng = random.Random(engine)
    previous_passive, delivered = set(), set()
    for offset in range(DAYS):
        as_of = (FIRST_DAY + datetime.timedelta(days=offset)).isoformat()
        write_data(folder, rng, shuffle=offset > 0)
        stateless = alerts(folder, engine, as_of)
        stateful = alerts(folder, engine, as_of, state)
        if stateless.returncode or stateful.returncode:
            fail(f"{engine} {as_of}: exit {stateless.returncode}/{stateful.returncode}: "
                 f"{stateless.stderr}{stateful.stderr}")
            return 0
        feed = json.loads(stateless.stdout)
        active = [key(r) for r in feed if r["alert"] != "quiet"]
        passive = {key(r) for r in feed if r["alert"] == "quiet"}
        expected = [key(r) for r in feed
                    if (r["alert"] != "quiet" and key(r) not in delivered)
                    or (r["alert"] == "quiet" and key(r) not in previous_passive)]
        got = [key(r) for r in json.loads(stateful.stdout)]
        if got != expected:
            fail(f"{engine} {as_of}: delivered {got}, want {expected}")
        delivered.update(active)
        previous_passive = passive
        with open(state) as f:  # a whole JSON document after every run
            document = json.load(f)
        if document.get("framework") != "daily":
            fail(f"{engine} {as_of}: the state file names framework {document.get('framework')}")
    leftovers = [n for n in os.listdir(folder) if n.startswith(f"state-{engine}.json") and
                 n != f"state-{engine}.json"]
    if leftovers:
        fail(f"{engine}: temporary files left beside the state file: {leftovers}")
    return len(delivered)


def refusals(folder):
    """A state file that cannot be trusted is an error (exit 2) that leaves it as it was."""
    write_data(folder, random.Random(1), shuffle=False)
    cases = {
        "damaged": '{"format": "fulcrum alert state", "version": 1, "framework": "dai',
        "foreign": json.dumps({"format": "fulcrum alert state", "version": 1,
                               "framework": "other", "delivered": [], "holding": []}),
        "not a state file": json.dumps({"delivered": []}),
        "newer version": json.dumps({"format": "fulcrum alert state", "version": 2,
                                     "framework": "daily", "delivered": [], "holding": []}),
        "damaged list": json.dumps({"format": "fulcrum alert state", "version": 1,
                                    "framework": "daily", "delivered": [[1, 2]],
                                    "holding": []}),
    }
    for name, text in cases.items():
        path = os.path.join(folder, "refused.json")
        with open(path, "w") as f:
            f.write(text)
        proc = alerts(folder, "jit", "2017-06-10", path)
        with open(path) as f:
            after = f.read()
        if proc.returncode != 2 or "state file" not in proc.stderr or proc.stdout:
            fail(f"{name} state file: exit {proc.returncode}, stdout {proc.stdout!r}, "
                 f"stderr {proc.stderr!r}; want exit 2, nothing printed, a message")
        if after != text:
            fail(f"{name} state file was changed")
    # Output that cannot be written: exit 2, and nothing counts as delivered.
    path = os.path.join(folder, "full.json")
    proc = alerts(folder, "jit", "2017-06-10", path, ["--out", "/dev/full"])
    if proc.returncode != 2 or os.path.exists(path):
        fail(f"--out /dev/full: exit {proc.returncode}, state written: {os.path.exists(path)}")


def main():
    folder = tempfile.mkdtemp(prefix="fulcrum_alert_state_")
    try:
        with open(os.path.join(folder, "daily.fulcrum"), "w") as f:
            f.write(FRAMEWORK)
        counts = {engine: daily_runs(folder, engine) for engine in ("jit", "interp")}
        if counts["jit"] != counts["interp"]:
            fail(f"the engines delivered {counts['jit']} and {counts['interp']} active alerts")
        if counts["jit"] < 20:
            fail(f"only {counts['jit']} active alerts over {DAYS} days: the data tests too little")
        refusals(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    fail.finish(f"--state over {DAYS} consecutive days, both engines: each active alert "
                f"delivered once ({counts['jit']}), passive ones again only after a day off; "
                "damaged, foreign and unwritable cases refused")


main()
