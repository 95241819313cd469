#!/usr/bin/env python3
"""End to end: PostgreSQL as a data source (runtime/postgres/), against a real PostgreSQL 15
server this test starts (tests/postgres/pg_server.py: initdb in a temporary directory as an
unprivileged user, a Unix socket, no TCP; stopped and removed at the end, also on failure).

- The Maven CSVs and the LLR example's ratings are loaded with COPY into tables of real SQL types
  (numeric money, dates, NULLs where a cell is empty); the LLR example read from the database
  (`--data T=postgresql:///crm?table=...`, a `from "postgresql:..."` declaration, and a `query=`)
  prints the same bytes as from the CSV files, on both engines, for four quarters, with every row
  loaded.
- Every PostgreSQL type a field reads (tests/postgres/types.fulcrum): the same run from a CSV file
  and from a table of smallint, integer, bigint, numeric, real, double precision, boolean, date,
  timestamp, timestamptz, varchar and text prints the same bytes; money from numeric is exact
  (sums checked against Python's Decimal).
- Errors: a NULL in a required column, a duplicate key, an unknown reference and a numeric finer
  than money are rejected with the source, the row, its key, the column and the value; with
  `--on-error skip --rejects`, the same rows and reasons as the same rows in a CSV file and the
  same results; an unreachable server, a bad query, a missing table, a column of the wrong type
  and a URI without a table are data errors (exit 2) with the server's message, and a password in
  the URI is never printed.

Fails when postgresql-15 is not installed (`make deps` installs it); with FULCRUM_ALLOW_SKIP=1
it exits 77 (skipped) instead."""
import atexit
import csv
import datetime
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from pg_server import PostgresServer, skip_without_postgres  # noqa: E402
from e2e_support import Failures, MAVEN_DATA, LLR_FRAMEWORK, LLR_RATINGS  # noqa: E402

FULCRUM = sys.argv[1]
fail = Failures()
DATA_ERROR = 2

# Each Maven table in real SQL types; column names as in the CSV headers.
TABLES = {
    "sales_teams": (f"{MAVEN_DATA}/sales_teams.csv",
                    "sales_agent varchar(40), manager text, regional_office text"),
    "accounts": (f"{MAVEN_DATA}/accounts.csv",
                 "account text, sector text, year_established integer, revenue numeric(12,2), "
                 "employees integer, office_location text, subsidiary_of text"),
    "products": (f"{MAVEN_DATA}/products.csv", "product text, series text, sales_price numeric"),
    "sales_pipeline": (f"{MAVEN_DATA}/sales_pipeline.csv",
                       "opportunity_id text, sales_agent text, product text, account text, "
                       "deal_stage text, engage_date date, close_date date, "
                       "close_value numeric(14,2)"),
    "ratings": (LLR_RATINGS, "rep text, quarter text, leadership numeric, leverage smallint"),
}
LLR_DEALS_CSV = f"{MAVEN_DATA}/sales_pipeline.csv"
LLR_SOURCES = {"rep": "sales_teams", "account": "accounts", "deals": "sales_pipeline",
               "ratings": "ratings"}
PERIODS = ["2017-Q1", "2017-Q2", "2017-Q3", "2017-Q4"]
SUMMARY = re.compile(r"^\S+: \d+ rows, \d+ loaded, \d+ rejected$", re.MULTILINE)


def scratch_dir(prefix):
    """A temporary directory removed when the test exits, whatever the outcome."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def run(args, env, what=None, expect=0):
    proc = subprocess.run([FULCRUM] + args, capture_output=True, text=True, env=env)
    if what is not None and proc.returncode != expect:
        fail(f"{what}: expected exit {expect}, got {proc.returncode}: {proc.stderr[-800:]}")
    return proc


def uri(table):
    return f"postgresql:///crm?table={table}"


def load_csv(pg, table, path, columns):
    pg.psql("crm", f"CREATE TABLE {table} ({columns});\n"
                   f"\\copy {table} FROM '{os.path.abspath(path)}' WITH (FORMAT csv, HEADER true)\n")


def check_llr(pg, env):
    base = ["run", LLR_FRAMEWORK, "--framework", "llr", "--format", "csv"]
    data = [a for t, s in LLR_SOURCES.items() for a in ("--data", f"{t}={uri(s)}")]
    # The same framework with `from "postgresql:..."` declarations instead of file paths.
    with open(LLR_FRAMEWORK) as f:
        text = f.read()
    declared = text
    for table, source in LLR_SOURCES.items():
        declared, n = re.subn(rf'((?:entity|table) {table} from )"[^"]*"',
                              rf'\1"{uri(source)}"', declared)
        if n != 1:
            fail(f"llr.fulcrum: no `from` path of {table} to replace")
    tmp = scratch_dir("fulcrum-pg-llr-")
    declared_path = os.path.join(tmp, "llr.fulcrum")
    with open(declared_path, "w") as f:
        f.write(declared)
    query = ("postgresql:///crm?query=SELECT * FROM sales_pipeline WHERE deal_stage %3C%3E "
             "'nothing' ORDER BY opportunity_id -- a query may end in a comment")
    for period in PERIODS:
        for engine in ("jit", "interp"):
            what = f"llr {period} {engine}"
            args = ["--period", period, "--engine", engine]
            from_csv = run(base + args, env, what + " from CSV")
            from_db = run(base + args + data, env, what + " from PostgreSQL (--data)")
            from_decl = run(["run", declared_path, "--framework", "llr", "--format", "csv"] + args,
                            env, what + " from PostgreSQL (from)")
            from_query = run(base + args + data + ["--data", f"deals={query}"], env,
                             what + " from PostgreSQL (query=)")
            if len(from_csv.stdout.splitlines()) != 36:
                fail(f"{what}: expected a header and 35 rows from CSV, got "
                     f"{from_csv.stdout[:300]!r}")
            for name, got in (("--data", from_db), ("from", from_decl), ("query=", from_query)):
                if got.stdout != from_csv.stdout:
                    fail(f"{what}: PostgreSQL via {name} prints other bytes than the CSV files:\n"
                         f"{got.stdout[:400]}\nvs\n{from_csv.stdout[:400]}")
            csv_loads = sorted(SUMMARY.findall(from_csv.stderr))
            if len(csv_loads) != 4 or sorted(SUMMARY.findall(from_db.stderr)) != csv_loads:
                fail(f"{what}: load summaries differ: {csv_loads} vs "
                     f"{sorted(SUMMARY.findall(from_db.stderr))}")
            if "deals: 8800 rows, 8800 loaded, 0 rejected" not in from_db.stderr:
                fail(f"{what}: expected every deal loaded from PostgreSQL: {from_db.stderr[-400:]}")


# Instants whose UTC day is easy to get wrong, as PostgreSQL reads them (a zone offset after the
# time); utc_day gives the day the CSV holds.
STAMPED_EDGES = [
    "2017-03-31 22:30:00-02",         # 2017-04-01 00:30 UTC: the next quarter
    "2017-04-01 01:30:00+02",         # 2017-03-31 23:30 UTC: the previous quarter
    "2017-06-30 23:59:59.999999+00",  # the quarter's last microsecond
    "2017-07-01 00:00:00+00",         # the next quarter's first
    "2017-09-30 21:00:00-03",         # 2017-10-01 00:00 UTC exactly
    "2017-12-31 23:30:00+00",
    "2017-12-31 20:30:00-02",         # 22:30 UTC: still the same day
    "2017-01-01 10:00:00+13",         # 2016-12-31 21:00 UTC: the previous year
    "1999-12-31 23:59:59+00",         # before 2000: negative microseconds
    "1999-12-31 22:30:00-02",         # 2000-01-01 00:30 UTC
    "2000-01-01 00:30:00+01",         # 1999-12-31 23:30 UTC
    "1969-12-31 23:00:00+00",         # before 1970
    "1970-01-01 00:30:00+01",         # 1969-12-31 23:30 UTC
    "1899-06-15 12:00:00+00",
    "2017-05-15 00:00:00.000001-00:30",
]


def utc_day(stamped):
    """The UTC day of a timestamptz as written in STAMPED_EDGES or the random rows."""
    text = stamped.replace(" ", "T", 1)
    if re.search(r"[+-]\d\d$", text):
        text += ":00"
    return datetime.datetime.fromisoformat(text).astimezone(datetime.timezone.utc).date()


def check_types(pg, env):
    rng = random.Random(27)
    items = [f"item-{i:02}" for i in range(12)]
    # One item per edge instant with that one fact: its first and last stamped day are that day.
    edge_items = [f"edge-{i:02}" for i in range(len(STAMPED_EDGES))]
    tmp = scratch_dir("fulcrum-pg-types-")
    item_csv = os.path.join(tmp, "item.csv")
    with open(item_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "region"])
        for i, code in enumerate(items + edge_items):
            w.writerow([code, "" if i % 4 == 0 else f"region {i % 3}"])
    csv_rows, db_rows = [], []
    stamped_days = {}  # item -> the UTC days of its facts' stamped instants
    prices = {code: Decimal(0) for code in items + edge_items}
    for i in range(400):
        code = items[rng.randrange(len(items))] if i >= len(items) else items[i]
        edge = i - len(items)
        if 0 <= edge < len(STAMPED_EDGES):
            code = edge_items[edge]
        # Money to 1/10,000: each item's first amount has 16 digits, more than a double holds
        # (through a double, 800000001111.4123 comes back as another amount), then small ones.
        if i < len(items):
            price = Decimal(f"{800000000000 + 1111 * i}.{4123 + 7 * i}")
        else:
            price = Decimal(rng.randrange(0, 10**9)) / 10000 if i % 3 else Decimal("0.0001")
        prices[code] += price
        dollars = "" if i % 5 == 0 else str(rng.randrange(-10**6, 10**6))
        ratio = repr(rng.uniform(-1000, 1000))
        approx = str(rng.randrange(-800, 800) / 8)
        share = str(Decimal(rng.randrange(0, 2000)) / 1000)
        day = f"2017-{rng.randrange(1, 13):02}-{rng.randrange(1, 29):02}"
        hour = rng.randrange(0, 24)
        seen = "" if i % 7 == 0 else day
        quarter = f"2017-Q{rng.randrange(1, 5)}"
        active = rng.choice(["true", "false"])
        small, whole = rng.randrange(-30000, 30000), rng.randrange(-2**31, 2**31)
        csv_rows.append([i + 1, code, small, whole, price, dollars, ratio, approx, share, active,
                         day, seen, day, quarter])
        # stamped (timestamptz): an instant written in some zone; its day is the UTC day, which
        # Python's datetime computes independently for the CSV. Edge instants first (quarter
        # ends, midnight from both sides, zones that move the day either way, before 2000 and
        # before 1970, where the microseconds from 2000 are negative), then random times.
        stamped = (STAMPED_EDGES[edge] if 0 <= edge < len(STAMPED_EDGES) else
                   f"{day} {hour:02}:{rng.randrange(60):02}:{rng.randrange(60):02}"
                   f"{rng.choice(['+00', '-02', '+02', '-11', '+13', '+05:30'])}")
        db_rows.append([i + 1, code, small, whole, price, dollars, ratio, approx, share, active,
                        day, f"{seen} {hour:02}:59:59" if seen else "", stamped, quarter])
        csv_rows[-1][12] = utc_day(stamped).isoformat()
        stamped_days.setdefault(code, []).append(utc_day(stamped))
    header = ["id", "item", "small", "whole", "price", "dollars", "ratio", "approx", "share",
              "active", "started", "seen", "stamped", "quarter"]
    facts_csv = os.path.join(tmp, "facts.csv")
    with open(facts_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(csv_rows)
    facts_db = os.path.join(tmp, "facts_db.csv")
    with open(facts_db, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(db_rows)
    load_csv(pg, "item", item_csv, "code varchar(20), region character(12)")
    load_csv(pg, "facts", facts_db,
             "id bigint, item text, small smallint, whole integer, price numeric(18,4), "
             "dollars bigint, ratio double precision, approx real, share numeric, active boolean, "
             "started date, seen timestamp, stamped timestamptz, quarter varchar(7)")
    framework = os.path.join(HERE, "types.fulcrum")
    for period in PERIODS:
        for engine in ("jit", "interp"):
            what = f"types {period} {engine}"
            args = ["run", framework, "--framework", "types", "--period", period, "--format",
                    "csv", "--engine", engine]
            from_csv = run(args + ["--data", f"item={item_csv}", "--data", f"facts={facts_csv}"], env,
                           what + " from CSV")
            from_db = run(args + ["--data", f"item={uri('item')}", "--data", f"facts={uri('facts')}"],
                          env, what + " from PostgreSQL")
            if from_db.stdout != from_csv.stdout or len(from_csv.stdout.splitlines()) != 1 + len(items) + len(edge_items):
                fail(f"{what}: PostgreSQL prints other bytes than the CSV file:\n"
                     f"{from_db.stdout[:600]}\nvs\n{from_csv.stdout[:600]}")
            got = {r["code"]: r for r in csv.DictReader(io.StringIO(from_db.stdout))}
            for code in items + edge_items:
                # The loaded days themselves, against Python's UTC days (not only counts).
                days = stamped_days.get(code, [])
                want = (min(days).isoformat(), max(days).isoformat()) if days else ("", "")
                if code in got and (got[code]["stamped_first"], got[code]["stamped_last"]) != want:
                    fail(f"{what}: {code}: stamped days {got[code]['stamped_first']}.."
                         f"{got[code]['stamped_last']}, expected {want[0]}..{want[1]}")
                if code in got and Decimal(got[code]["price_sum"]) != prices[code]:
                    fail(f"{what}: {code}: price_sum {got[code]['price_sum']}, expected exactly "
                         f"{prices[code]}")


BAD_HEADER = ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date",
              "close_date", "close_value"]


def bad_rows():
    """The first 30 deals with five bad ones: a NULL owner (row 3), a repeated key (row 5), an
    unknown agent (row 7), money finer than 1/10,000 (row 9), and a NULL product (row 11), a
    required field llr never reads: only whether it is NULL is fetched, and it is still
    rejected, as in a CSV file."""
    with open(f"{MAVEN_DATA}/sales_pipeline.csv", newline="") as f:
        rows = list(csv.reader(f))[1:31]
    rows[2][1] = ""
    rows[4][0] = rows[1][0]
    rows[6][1] = "Nobody Atall"
    rows[8][7] = "12.34567"
    rows[8][4] = "Won"
    rows[10][2] = ""
    return rows


def check_errors(pg, env):
    tmp = scratch_dir("fulcrum-pg-bad-")
    rows = bad_rows()
    bad_csv = os.path.join(tmp, "bad_deals.csv")
    with open(bad_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(BAD_HEADER)
        w.writerows(rows)
    load_csv(pg, "bad_deals", bad_csv, TABLES["sales_pipeline"][1].replace("(14,2)", ""))
    keys = [r[0] for r in rows]
    base = ["run", LLR_FRAMEWORK, "--framework", "llr", "--period", "2017-Q1", "--format", "csv"]
    proc = run(base + ["--data", f"deals={uri('bad_deals')}"], env, "bad rows", DATA_ERROR)
    expected = [
        (3, "sales_agent", "empty"),
        (5, "opportunity_id", f"duplicate key `{keys[1]}`"),
        (7, "sales_agent", "Nobody Atall"),
        (9, "close_value", "12.34567"),
        (11, "product", "empty"),
    ]
    for row, column, text in expected:
        want = f"postgresql:bad_deals: row {row} (id `{keys[row - 1]}`): error: "
        lines = [line for line in proc.stderr.splitlines() if line.startswith(want)]
        if len(lines) != 1 or column not in lines[0] or text not in lines[0]:
            fail(f"bad rows: expected one message `{want}...` naming `{column}` and `{text}`, "
                 f"got {lines} in:\n{proc.stderr[-1500:]}")

    # check --with-data in SARIF and GitHub annotations: a database table is no file, so each
    # row's error points at the source by a logical location, never at a made-up file URI.
    check = ["check", LLR_FRAMEWORK, "--with-data", "--data", f"deals={uri('bad_deals')}"]
    proc = run(check + ["--format", "sarif"], env, "check --with-data sarif", DATA_ERROR)
    results = [r for r in json.loads(proc.stdout)["runs"][0]["results"]
               if r["ruleId"] == "DataError"]
    places = [(r["locations"][0].get("logicalLocations"), r["locations"][0].get("physicalLocation"),
               r["message"]["text"].split(":")[0]) for r in results]
    want_places = [([{"fullyQualifiedName": "postgresql:bad_deals", "kind": "resource"}], None,
                    f"row {row} (id `{keys[row - 1]}`)") for row, _, _ in expected]
    if places != want_places:
        fail(f"check --with-data sarif: expected each row's error at postgresql:bad_deals, got "
             f"{places}")
    proc = run(check + ["--format", "github"], env, "check --with-data github", DATA_ERROR)
    lines = [line for line in proc.stdout.splitlines() if "DataError" in line]
    want_lines = [f"::error title=DataError::postgresql:bad_deals: row {row} (id `{keys[row - 1]}`)"
                  for row, _, _ in expected]
    if [line.split("):")[0] + ")" for line in lines] != want_lines:
        fail(f"check --with-data github: expected {want_lines}, got {lines}")

    # --on-error skip: the same rows rejected for the same reasons as from the CSV file, and the
    # same results.
    outputs = {}
    for name, source in (("csv", bad_csv), ("db", uri("bad_deals"))):
        rejects = os.path.join(tmp, f"rejects-{name}.csv")
        proc = run(base + ["--data", f"deals={source}", "--on-error", "skip", "--rejects", rejects],
                   env, f"skip ({name})")
        if "deals: 30 rows, 25 loaded, 5 rejected" not in proc.stderr:
            fail(f"skip ({name}): expected `deals: 30 rows, 25 loaded, 5 rejected`: "
                 f"{proc.stderr[-600:]}")
        with open(rejects, newline="") as f:
            records = [r for r in csv.DictReader(f)]
        outputs[name] = (proc.stdout, records)
    csv_out, csv_rejects = outputs["csv"]
    db_out, db_rejects = outputs["db"]
    if csv_out != db_out:
        fail(f"skip: PostgreSQL and CSV results differ:\n{db_out[:400]}\nvs\n{csv_out[:400]}")
    strip = re.compile(r"column \d+: ")
    want = [(r["table"], int(r["line"]) - 1, strip.sub("", r["reason"].replace(" at line ",
            " row ").replace("is at line", "is row"))) for r in csv_rejects]
    got = [(r["table"], int(r["line"]), r["reason"]) for r in db_rejects]
    if len(got) != 5 or any(r["file"] != "postgresql:bad_deals" for r in db_rejects):
        fail(f"skip: expected 5 rejected rows of postgresql:bad_deals, got {db_rejects}")
    for (t1, row1, reason1), (t2, row2, reason2) in zip(want, got):
        # A file's duplicate names the first row's line; a table its row (the line less one).
        reason1 = re.sub(r"is row (\d+)", lambda m: f"is row {int(m[1]) - 1}", reason1)
        if (t1, row1) != (t2, row2) or reason1 != reason2:
            fail(f"skip: rejected row differs from the CSV file's:\n  db  {t2} row {row2}: "
                 f"{reason2}\n  csv {t1} row {row1}: {reason1}")

    # --memory-limit holds for a database table as for a file: the rows' texts are charged while
    # they are read, and a table over the limit stops the load with the file's message.
    for source in (LLR_DEALS_CSV, uri("sales_pipeline")):
        args = ["run", LLR_FRAMEWORK, "--framework", "llr", "--period", "2017-Q1", "--format",
                "csv", "--data", f"deals={source}"]
        proc = run(args + ["--memory-limit", "300K"], env, f"--memory-limit 300K ({source})",
                   DATA_ERROR)
        if ("deals: not loaded, stopped at the memory limit" not in proc.stderr
                or "need more than the memory limit allows (--memory-limit 300" not in proc.stderr):
            fail(f"--memory-limit 300K ({source}): expected the deals stopped at the limit: "
                 f"{proc.stderr[-800:]}")
        proc = run(args + ["--memory-limit", "64M"], env, f"--memory-limit 64M ({source})")
        if "deals: 8800 rows, 8800 loaded, 0 rejected" not in proc.stderr:
            fail(f"--memory-limit 64M ({source}): expected every deal: {proc.stderr[-600:]}")

    secret = "S3cretPassw0rd"
    failures = [
        ("unreachable server", f"postgresql://fulcrum:{secret}@/crm?host=/nonexistent-fulcrum-"
                               "socket&table=sales_pipeline",
         ["postgresql:sales_pipeline: error: cannot connect to the PostgreSQL server",
          "/nonexistent-fulcrum-socket", "hint"]),
        ("password in the URI's parameters", f"postgresql:///nodb?password={secret}&table=x",
         ["postgresql:x: error: cannot connect", '"nodb" does not exist']),
        ("bad query", "postgresql:///crm?query=SELECT no_such_column FROM sales_pipeline",
         ["postgresql:(SELECT no_such_column FROM sales_pipeline): error: the PostgreSQL server "
          "refused to read the query", 'column "no_such_column" does not exist', "hint"]),
        ("missing table", uri("no_such_table"),
         ['relation "no_such_table" does not exist', "hint"]),
        ("no table or query", "postgresql:///crm",
         ["needs `?table=NAME` or `?query=SELECT...`"]),
        ("wrong column type", "postgresql:///crm?query=SELECT opportunity_id, sales_agent, "
                              "product, account, deal_stage, engage_date, close_date, "
                              "close_value::float8 AS close_value FROM sales_pipeline",
         ["column `close_value` is double precision, but `value` (column `close_value`) is "
          "money: expected numeric or an integer type"]),
        ("a type no field reads", "postgresql:///crm?query=SELECT opportunity_id, sales_agent, "
                                  "product, account, deal_stage, engage_date, close_date, "
                                  "to_json(close_value) AS close_value FROM sales_pipeline",
         ["column `close_value` is json, but `value` (column `close_value`) is money"]),
        # PostgreSQL's own `money` type prints by the server's locale: named as such, with the
        # cast to write, and without the float remark (it is no float).
        ("PostgreSQL money type", "postgresql:///crm?query=SELECT opportunity_id, sales_agent, "
                                  "product, account, deal_stage, engage_date, close_date, "
                                  "close_value::money AS close_value FROM sales_pipeline",
         ["column `close_value` is PostgreSQL's `money` type (its text follows the server's "
          "locale; select it as `col::numeric AS col`), but `value` (column `close_value`) is "
          "money: expected numeric or an integer type"]),
        ("missing column", "postgresql:///crm?query=SELECT opportunity_id FROM sales_pipeline",
         ["no column `sales_agent` for the field `owner`"]),
        # An optional field's column missing is as fatal as a CSV file's, not a column of NULLs.
        ("missing optional column", "postgresql:///crm?query=SELECT opportunity_id, "
                                    "sales_agent, product, account, deal_stage, engage_date, "
                                    "close_date FROM sales_pipeline",
         ["no column `close_value` for the field `value`"]),
        ("misspelt column", "postgresql:///crm?query=SELECT opportunity_id, sales_agent, "
                            "product, account, deal_stage, engage_date, close_date, "
                            "close_value AS close_valu FROM sales_pipeline",
         ["no column `close_value` for the field `value`", "(did you mean `close_valu`?)"]),
        ("a column twice", "postgresql:///crm?query=SELECT *, close_value FROM sales_pipeline",
         ["two columns are named `close_value` (columns 8 and 9), which the field `value` "
          "(column `close_value`) reads"]),
        # A short password is not searched for inside Fulcrum's own words ("th*** Postgr***SQL").
        ("short password", "postgresql://fulcrum:e@/crm?host=/nonexistent-fulcrum-socket&"
                           "table=sales_pipeline",
         ["error: cannot connect to the PostgreSQL server", "(hint: is the server running, and "
          "do the URI's host, port, database, user and password hold?"]),
    ]
    for what, source, needles in failures:
        proc = run(base + ["--data", f"deals={source}"], env, what, DATA_ERROR)
        for needle in needles:
            if needle not in proc.stderr:
                fail(f"{what}: expected `{needle}` in:\n{proc.stderr[-800:]}")
        if secret in proc.stderr or secret in proc.stdout:
            fail(f"{what}: the password is printed:\n{proc.stderr[-800:]}")
    proc = run(base + ["--data", f"dealz=postgresql://u:{secret}@/crm?table=x"], env)
    if proc.returncode == 0 or secret in proc.stderr or "postgresql:x" not in proc.stderr:
        fail(f"--data for an unknown table: expected an error naming postgresql:x without the "
             f"password, got exit {proc.returncode}: {proc.stderr[-500:]}")


def check_fetched_columns(pg, env):
    """Only what the framework reads is fetched: llr reads the deals' key, owner, account, stage,
    close day and value; of `product` and `engaged` (declared, never read) the server sends only
    whether each is NULL. Read from the COPY statement the server logs."""
    pg.psql("crm", "ALTER DATABASE crm SET log_statement = 'all';")
    run(["run", LLR_FRAMEWORK, "--framework", "llr", "--period", "2017-Q1", "--format", "csv",
         "--data", f"deals={uri('sales_pipeline')}"], env, "llr for the logged COPY")
    pg.psql("crm", "ALTER DATABASE crm RESET log_statement;")
    copies = [line for line in pg.server_log(tail=None).splitlines()
              if "LOG:  statement: COPY (SELECT" in line and '"sales_pipeline"' in line]
    if len(copies) != 1:
        fail(f"fetched columns: expected one logged COPY of sales_pipeline, got {copies}")
        return
    selected = copies[0].split("COPY (SELECT ", 1)[1].split(' FROM "sales_pipeline"')[0]
    want = ('"opportunity_id", "sales_agent", "account", NULLIF("product" IS NOT NULL, false), '
            '"deal_stage", NULLIF("engage_date" IS NOT NULL, false), "close_date", '
            '"close_value"')
    if selected != want:
        fail(f"fetched columns: expected SELECT {want}\ngot    SELECT {selected}")


def check_provenance(pg, env):
    """--provenance of a database table records its source without the password, and
    --verify-provenance reruns it: unchanged, it passes; a deleted row is named."""
    tmp = scratch_dir("fulcrum-pg-provenance-")
    record = os.path.join(tmp, "q1.json")
    secret = "Pr0venanceS3cret"
    source = f"postgresql://fulcrum:{secret}@/crm?table=prov_deals"
    pg.psql("crm", "CREATE TABLE prov_deals AS SELECT * FROM sales_pipeline;")
    args = ["run", LLR_FRAMEWORK, "--framework", "llr", "--period", "2017-Q1", "--format", "csv",
            "--data", f"deals={source}"]
    run(args + ["--provenance", record], env, "provenance of a database table")
    with open(record) as f:
        written = f.read()
    if secret in written:
        fail("provenance: the record holds the password")
    entry = [e for e in json.loads(written)["data_files"] if e["table"] == "deals"]
    want = {"path": "postgresql:prov_deals", "table": "deals",
            "source": "postgresql://fulcrum@/crm?table=prov_deals", "rows": 8800,
            "loaded": 8800, "rejected": 0}
    if entry != [want]:
        fail(f"provenance: expected the deals entry {want}, got {entry}")
    proc = run(["run", "--verify-provenance", record], env, "verify a database table")
    if "provenance verified" not in proc.stdout + proc.stderr:
        fail(f"verify a database table: {proc.stdout}{proc.stderr[-500:]}")
    pg.psql("crm", "DELETE FROM prov_deals WHERE opportunity_id = "
                   "(SELECT min(opportunity_id) FROM prov_deals);")
    proc = run(["run", "--verify-provenance", record], env, "verify a changed table", 3)
    if "data file `postgresql:prov_deals` (table deals): rows loaded 8800 -> 8799" not in \
            proc.stdout + proc.stderr:
        fail(f"verify a changed table: expected the deals named: {proc.stdout}{proc.stderr}")


def main():
    skip_without_postgres()
    with PostgresServer() as pg:
        pg.create_database("crm")
        for table, (path, columns) in TABLES.items():
            load_csv(pg, table, path, columns)
        env = pg.client_env()
        try:
            check_llr(pg, env)
            check_types(pg, env)
            check_errors(pg, env)
            check_fetched_columns(pg, env)
            check_provenance(pg, env)
        except BaseException:
            print("\n".join(fail.messages[:40]))  # what failed before the exception
            raise
    fail.finish("PostgreSQL source: the LLR example and every type as from CSV on both engines; "
                "row errors, skip and rejects as CSV's; connection and SQL errors exit 2")


if __name__ == "__main__":
    main()
