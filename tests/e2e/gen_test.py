#!/usr/bin/env python3
"""End to end: fulcrum-gen's data set (--reps 50) and the benchmark frameworks over it.

Checks: the files are byte-identical with --threads 1 and 2 and differ with --seed 2; exact
headers; unique, well-formed ids and every reference resolving; teams of 6 to 10 with distinct
managers; some reps hired in the range's last quarter; only weekdays, exactly --activities rows
in day order, none before the rep's hire date; the per-rep funnels and volumes differ by 2x or
more; one deal per demo (same rep, account and day), closed 14-180 days later or open past the
end; ratings and quotas for exactly the quarters employed; events well-formed, 15 per account,
by account then date. Then
bench/frameworks/llr (for 2018-Q3, and for 2018-Q4, the data's last quarter, so that the last
rows of activities, quotas and ratings count) and targets (for 2018-Q3), and both as of
2018-10-20 (2018-Q4 to date; a rep hired later has no tenure), with both engines: exit 0,
byte-identical output, every record of every file loaded (the counts fulcrum reports against the
files'), exactly one row per rep, and for every rep every metric recomputed here from the CSV
files (generated_reference.py: llr's won, decided, win rate, quota, attainment, the 5
activity counts, meeting rate and ratings; targets' tenure, quota, activity counts and decided
deals of the previous 2 quarters, own, team and median rates, the rates chosen, the back-solved
funnel, the daily targets and the coaching band). With --accounts and --events (the account
lens's data at a small scale): exact counts, the same bytes on 1 and 2 threads, every rep owning
an account, product usage every 1 to 8 days while it lasts, customers whose usage stops and
others still active at the end, role changes with a contact; and bench/frameworks/events.fulcrum's
account_lens over it, as of the range's last day and of a day with later events, with both
engines (`fulcrum run` and `fulcrum alerts`, byte-identical between engines) against an
independent reference (lens_reference in generated_reference.py: every column, the rank exactly,
the alert feed line for line). Bad flags exit non-zero with a message.
fulcrum-gen is found beside the fulcrum binary (argv[1]) or at $FULCRUM_GEN."""
import collections
import csv
import datetime
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generated_reference import generated_reference, lens_reference  # noqa: E402
from e2e_support import Failures, day, run_both_engines, rows_by, compare_rows  # noqa: E402


FULCRUM = sys.argv[1]
GEN = os.environ.get("FULCRUM_GEN") or os.path.join(os.path.dirname(FULCRUM), "fulcrum-gen")
REPS = 50
ACTIVITIES = 2000 * REPS  # the default
START, END = datetime.date(2016, 1, 1), datetime.date(2018, 12, 31)
LAST_QUARTER = datetime.date(2018, 10, 1)
HEADERS = {
    "reps": "rep_id,name,team,manager,region,hire_date",
    "accounts": "account_id,name,sector,employees,owner,renewal_date",
    "deals": "deal_id,owner,account,product,stage,engaged,closed,value",
    "activities": "rep,account,day,kind",
    "events": "account,contact,kind,at,weight",
    "ratings": "rep,quarter,leadership,leverage",
    "quotas": "rep,quarter,quota",
}
KINDS = {"dial", "email", "conversation", "meeting", "demo"}
EVENT_KINDS = {"web_visit", "whitepaper_download", "contact_request", "role_change",
               "product_usage", "email_open", "purchase"}
fail = Failures()
if not os.access(GEN, os.X_OK):
    print(f"no fulcrum-gen at {GEN}: build the fulcrum-gen target (or set FULCRUM_GEN)")
    sys.exit(1)


def generate(out, *flags):
    proc = subprocess.run([GEN, "--out", out, "--reps", str(REPS)] + list(flags),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"fulcrum-gen {' '.join(flags)}: exit {proc.returncode}: {proc.stderr}")
        sys.exit(1)


def read_bytes(folder, table):
    with open(f"{folder}/{table}.csv", "rb") as f:
        return f.read()


def quarter_of(d):
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def quarters_from(first):
    """The quarters from the one containing `first` to END's, as text."""
    year, q = first.year, (first.month - 1) // 3 + 1
    while (year, q) <= (END.year, 4):
        yield f"{year}-Q{q}"
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)


def check_determinism(work):
    generate(f"{work}/one", "--threads", "1")
    generate(f"{work}/two", "--threads", "2")
    generate(f"{work}/seed2", "--threads", "2", "--seed", "2")
    for table in HEADERS:
        if read_bytes(f"{work}/one", table) != read_bytes(f"{work}/two", table):
            fail(f"{table}.csv differs between --threads 1 and --threads 2")
    for table in ("reps", "deals", "activities", "events"):
        if read_bytes(f"{work}/one", table) == read_bytes(f"{work}/seed2", table):
            fail(f"{table}.csv is the same with --seed 2")


def check_bad_flags(work):
    for flags in (["--reps", "0"], ["--reps", "ten"], ["--bogus", "1"], ["--start", "2018-02-30"],
                  ["--start", "2018-01-01", "--end", "2017-01-01"], ["--threads"],
                  ["--accounts", "10"], ["--accounts", "0"], ["--accounts", "10000000"],
                  ["--events", "-1"], ["--events", "many"]):
        proc = subprocess.run([GEN, "--out", f"{work}/bad"] + flags, capture_output=True, text=True)
        if proc.returncode == 0 or "fulcrum-gen:" not in proc.stderr:
            fail(f"fulcrum-gen {' '.join(flags)}: expected an error, got exit {proc.returncode}")
    proc = subprocess.run([GEN, "--reps", "5"], capture_output=True, text=True)
    if proc.returncode == 0:
        fail("fulcrum-gen without --out succeeded")


def load(folder):
    tables = {}
    for table, header in HEADERS.items():
        with open(f"{folder}/{table}.csv", newline="") as f:
            first = f.readline().rstrip("\n")
            if first != header:
                fail(f"{table}.csv header is `{first}`, expected `{header}`")
            tables[table] = list(csv.reader(f))
    return tables


def check_reps(reps):
    ids = [r[0] for r in reps]
    if len(ids) != REPS or len(set(ids)) != REPS:
        fail(f"reps.csv: {len(ids)} rows, {len(set(ids))} distinct ids, expected {REPS}")
    if any(not re.fullmatch(r"R\d{6}", i) for i in ids):
        fail("reps.csv: an id is not R + 6 digits")
    teams = collections.defaultdict(list)
    for rep_id, name, team, manager, region, hired in reps:
        teams[team].append((manager, region))
        if len(name.split()) < 2:
            fail(f"{rep_id}: name `{name}` is not a first and a last name")
    managers = set()
    for team, members in teams.items():
        if not 6 <= len(members) <= 10:
            fail(f"team {team} has {len(members)} reps")
        if len(set(members)) != 1:
            fail(f"team {team} has more than one manager or region")
        managers.add(members[0][0])
    if len(managers) != len(teams):
        fail("two teams share a manager")
    hired = {r[0]: day(r[5]) for r in reps}
    late = sum(1 for d in hired.values() if LAST_QUARTER <= d <= END)
    earlier = sum(1 for d in hired.values() if START <= d < LAST_QUARTER)
    before = sum(1 for d in hired.values() if d < START)
    if late < max(1, 0.03 * REPS) or earlier == 0 or before == 0:
        fail(f"hire dates: {before} before the range, {earlier} in it, {late} in its last quarter")
    return hired


def check_activities(activities, hired, accounts):
    if len(activities) != ACTIVITIES:
        fail(f"activities.csv has {len(activities)} rows, expected exactly {ACTIVITIES}")
    counts = collections.defaultdict(collections.Counter)
    days_active = collections.defaultdict(set)
    previous = None
    for rep, account, text, kind in activities:
        d = day(text)
        if rep not in hired or account not in accounts or kind not in KINDS:
            fail(f"activity {rep},{account},{text},{kind}: unknown rep, account or kind")
            continue
        if d.weekday() >= 5 or not START <= d <= END or d < hired[rep]:
            fail(f"activity {rep} on {text}: a weekend, outside the range or before the hire date")
        if previous and d < previous:
            fail(f"activity on {text} after one on {previous}: not in day order")
        previous = d
        counts[rep][kind] += 1
        days_active[rep].add(d)
    # Interleaved within a day: consecutive rows of one day are not all one rep's.
    runs = sum(1 for a, b in zip(activities, activities[1:]) if a[0] == b[0] and a[2] == b[2])
    if runs > len(activities) / 4:
        fail(f"{runs} consecutive same-rep rows: reps are not interleaved within a day")
    seasoned = [r for r in hired if hired[r] < START]
    rates = [counts[r]["conversation"] / counts[r]["dial"] for r in seasoned if counts[r]["dial"]]
    if len(rates) < 10 or max(rates) < 2 * min(rates):
        fail(f"dial->conversation rates do not differ by 2x between reps: {sorted(rates)}")
    meeting = [counts[r]["meeting"] / counts[r]["conversation"] for r in seasoned
               if counts[r]["conversation"] >= 50]
    if len(meeting) < 10 or max(meeting) < 2 * min(meeting):
        fail(f"conversation->meeting rates do not differ by 2x: {sorted(meeting)}")
    volume = [sum(counts[r].values()) for r in seasoned]
    if max(volume) < 2 * min(volume):
        fail(f"activity volumes do not differ by 2x between reps: {sorted(volume)}")
    for kind in KINDS:
        if sum(c[kind] for c in counts.values()) == 0:
            fail(f"no `{kind}` activity at all")
    return counts


def check_deals(deals, activities, hired, accounts):
    ids = [d[0] for d in deals]
    if ids != [f"D{n:09d}" for n in range(1, len(ids) + 1)]:
        fail("deal ids are not D000000001, D000000002, ... in order")
    demos = collections.Counter((a[0], a[1], a[2]) for a in activities if a[3] == "demo")
    opened = collections.Counter((d[1], d[2], d[5]) for d in deals)
    if demos != opened:
        fail(f"deals ({len(deals)}) are not one per demo ({sum(demos.values())}) "
             "with the demo's rep, account and day")
    stages = collections.Counter()
    previous = None
    for deal_id, owner, account, product, stage, engaged, closed, value in deals:
        stages[stage] += 1
        e, c = day(engaged), day(closed)
        if owner not in hired or account not in accounts or not product:
            fail(f"{deal_id}: unknown owner or account, or no product")
        if previous and e < previous:
            fail(f"{deal_id}: engaged {engaged} before the previous deal's: not in order")
        previous = e
        if stage in ("Won", "Lost"):
            if c is None or not 14 <= (c - e).days <= 182 or c > END:
                fail(f"{deal_id}: {stage} closed {closed} for engaged {engaged}")
            if stage == "Won" and not float(value) > 0:
                fail(f"{deal_id}: won with value `{value}`")
            if stage == "Lost" and value != "0":
                fail(f"{deal_id}: lost with value `{value}`")
        elif stage in ("Prospecting", "Engaging"):
            if closed or value or (END - e).days > 182:
                fail(f"{deal_id}: open deal engaged {engaged}, closed `{closed}`, value `{value}`")
        else:
            fail(f"{deal_id}: stage `{stage}`")
    if min(stages["Won"], stages["Lost"], stages["Prospecting"] + stages["Engaging"]) == 0:
        fail(f"deal stages lack won, lost or open deals: {dict(stages)}")
    won = sorted(float(d[7]) for d in deals if d[4] == "Won")
    if won and won[-1] < 10 * won[len(won) // 2]:
        fail(f"won values are not long-tailed: median {won[len(won) // 2]}, max {won[-1]}")


def check_per_quarter(table, rows, hired, valid):
    seen = collections.defaultdict(list)
    for row in rows:
        seen[row[0]].append(row[1])
        if not valid(row):
            fail(f"{table}: bad row {row}")
    for rep, hire in hired.items():
        expected = list(quarters_from(max(hire, START)))
        if seen.get(rep) != expected:
            fail(f"{table}: {rep} (hired {hire}) has quarters {seen.get(rep)}, expected {expected}")
    if set(seen) - set(hired):
        fail(f"{table}: unknown reps {set(seen) - set(hired)}")


def check_accounts_and_events(tables, hired):
    accounts = {a[0]: a for a in tables["accounts"]}
    if len(accounts) != len(tables["accounts"]) or len(accounts) < 10 * REPS:
        fail(f"accounts.csv: {len(tables['accounts'])} rows, {len(accounts)} distinct ids")
    for account_id, name, sector, employees, owner, renewal in tables["accounts"]:
        if not re.fullmatch(r"A\d{7}", account_id) or owner not in hired or not name or not sector:
            fail(f"account {account_id}: bad id, unknown owner or empty name")
        if int(employees) < 1 or day(renewal) < START:
            fail(f"account {account_id}: employees {employees}, renewal {renewal}")
    kinds = collections.Counter()
    if len(tables["events"]) != 15 * len(accounts):
        fail(f"events.csv: {len(tables['events'])} rows, expected 15 per account "
             f"({15 * len(accounts)})")
    order = [(account, at) for account, _, _, at, _ in tables["events"]]
    if order != sorted(order):
        fail("events.csv is not ordered by account and then date")
    for account, contact, kind, at, weight in tables["events"]:
        kinds[kind] += 1
        if account not in accounts or kind not in EVENT_KINDS or not 1 <= int(weight) <= 10:
            fail(f"event {account},{kind},{weight}: unknown account or kind, or bad weight")
        if not START <= day(at) <= END:
            fail(f"event {account} at {at}: outside the range")
    if set(kinds) != EVENT_KINDS or kinds["web_visit"] < 5 * kinds["purchase"]:
        fail(f"event kinds missing or not skewed: {dict(kinds)}")
    return accounts


LENS_ACCOUNTS, LENS_EVENTS = 2000, 40000


def check_lens_data(work):
    """--accounts and --events: exact, deterministic, and the product-usage story the account
    lens's passive alert reads (regular usage that stops for some customers)."""
    for threads in ("1", "2"):
        generate(f"{work}/lens{threads}", "--accounts", str(LENS_ACCOUNTS), "--events",
                 str(LENS_EVENTS), "--activities", "1000", "--threads", threads)
    for table in HEADERS:
        if read_bytes(f"{work}/lens1", table) != read_bytes(f"{work}/lens2", table):
            fail(f"--accounts/--events: {table}.csv differs between --threads 1 and 2")
    folder = f"{work}/lens2"
    with open(f"{folder}/accounts.csv", newline="") as f:
        accounts = list(csv.DictReader(f))
    with open(f"{folder}/events.csv", newline="") as f:
        events = list(csv.DictReader(f))
    if len(accounts) != LENS_ACCOUNTS or len(events) != LENS_EVENTS:
        fail(f"--accounts {LENS_ACCOUNTS} --events {LENS_EVENTS}: {len(accounts)} accounts, "
             f"{len(events)} events")
    owners = [a["owner"] for a in accounts]
    if len(set(owners)) != REPS or owners != sorted(owners):
        fail(f"accounts: {len(set(owners))} of {REPS} reps own accounts, or not rep by rep")
    usage = collections.defaultdict(list)
    for e in events:
        if e["kind"] == "product_usage":
            usage[e["account"]].append(day(e["at"]))
        if e["kind"] == "role_change" and not e["contact"]:
            fail(f"a role change at {e['account']} on {e['at']} has no contact")
    gaps = [b - a for days in usage.values() for a, b in zip(days, days[1:])]
    if not gaps or max(gaps).days > 8 or min(gaps).days < 1:
        fail(f"product usage is not every 1 to 8 days: gaps from {min(gaps, default=None)} to "
             f"{max(gaps, default=None)}")
    stopped = sum(1 for days in usage.values() if (END - days[-1]).days > 30)
    active = sum(1 for days in usage.values() if (END - days[-1]).days <= 8)
    share = sum(len(days) for days in usage.values()) / len(events)
    if stopped == 0 or active == 0 or not 0.2 <= share <= 0.5:
        fail(f"product usage: {len(usage)} customers, {stopped} stopped, {active} active at the "
             f"end, {share:.0%} of the events (expected some of each, about 35%)")
    return folder


def check_lens(folder):
    """account_lens over the generated accounts and events, against lens_reference."""
    data = ["--data", f"account={folder}/accounts.csv", "--data", f"events={folder}/events.csv"]
    tables = {"account": f"{folder}/accounts.csv", "events": f"{folder}/events.csv"}
    compared = 0
    for as_of in (END, datetime.date(2018, 6, 30)):
        what = f"account_lens as of {as_of}"
        args = ["bench/frameworks/events.fulcrum", "--framework", "account_lens", "--as-of",
                as_of.isoformat(), "--format", "csv"] + data
        output = run_both_engines(FULCRUM, args, fail, what, tables)
        expected, feed = lens_reference(folder, as_of)
        rows = rows_by(output, "id", expected, fail, what)
        if rows:
            compared += compare_rows(rows, expected, fail, what)
        got = run_both_engines(FULCRUM, args, fail, f"{what} alerts", tables,
                               command="alerts").splitlines()[1:]
        if got != feed:
            first = next((i for i, (a, b) in enumerate(zip(got, feed)) if a != b),
                         min(len(feed), len(got)))
            fail(f"{what}: the feed differs from the reference ({len(got)} vs {len(feed)} "
                 f"alerts; first at {first}: {got[first:first + 1]} vs {feed[first:first + 1]})")
        if not any(",gone_quiet," in line for line in feed) or \
                not any(",decision_maker_move," in line for line in feed):
            fail(f"{what}: the reference feed lacks an alert kind: {feed[:5]}")
        compared += len(feed)
    return compared


def check_frameworks(folder, hired):
    files = {"rep": "reps", "deals": "deals", "activities": "activities", "ratings": "ratings",
             "quotas": "quotas"}
    tables = {table: f"{folder}/{file}.csv" for table, file in files.items()}
    data = [arg for table, path in tables.items() for arg in ("--data", f"{table}={path}")]
    compared = 0
    # Mid-quarter check-ins too (language.md, "As of a date"): the quarter to date, and reps
    # hired after the as-of day, whose tenure is missing.
    for framework, year, q, as_of in (("llr", 2018, 3, None), ("llr", 2018, 4, None),
                                      ("targets", 2018, 3, None), ("llr", 2018, 4, "2018-10-20"),
                                      ("targets", 2018, 4, "2018-10-20")):
        what = f"{framework} {year}-Q{q}" + (f" as of {as_of}" if as_of else "")
        read = {t: p for t, p in tables.items() if framework == "llr" or t != "ratings"}
        output = run_both_engines(FULCRUM, [f"bench/frameworks/{framework}.fulcrum", "--framework",
                                            framework, "--period", f"{year}-Q{q}", "--format",
                                            "csv"] + (["--as-of", as_of] if as_of else []) + data,
                                  fail, what, read)
        expected = generated_reference(folder, year, q, day(as_of))[framework]
        if sorted(expected) != sorted(hired):
            fail(f"{what}: the reference has {len(expected)} reps, expected {len(hired)}")
        rows = rows_by(output, "id", expected, fail, what)
        if rows:
            compared += compare_rows(rows, expected, fail, what)
    return compared


with tempfile.TemporaryDirectory() as work:
    check_bad_flags(work)
    check_determinism(work)
    folder = f"{work}/one"
    tables = load(folder)
    hired = check_reps(tables["reps"])
    accounts = check_accounts_and_events(tables, hired)
    check_activities(tables["activities"], hired, accounts)
    check_deals(tables["deals"], tables["activities"], hired, accounts)
    check_per_quarter("ratings", tables["ratings"], hired,
                      lambda r: r[2] in "12345" and r[3] in "12345" and len(r[2]) == len(r[3]) == 1)
    check_per_quarter("quotas", tables["quotas"], hired,
                      lambda r: int(r[2]) % 1000 == 0 and 50000 <= int(r[2]) <= 400000)
    compared = check_frameworks(folder, hired)
    lens_compared = check_lens(check_lens_data(work))

fail.finish(f"fulcrum-gen --reps {REPS}: deterministic, consistent and realistic; "
            f"llr and targets run on it with both engines and agree with the reference "
            f"({compared} values); with --accounts {LENS_ACCOUNTS} --events {LENS_EVENTS}, "
            f"account_lens and its alert feed agree with theirs ({lens_compared} values and "
            f"alerts)")
