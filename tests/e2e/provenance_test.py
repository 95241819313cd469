#!/usr/bin/env python3
"""End to end: `--provenance PATH` and `run --verify-provenance PATH` over the LLR example, with
copies of its framework and the Maven CRM files in a scratch folder (so bytes can be changed).

Checks: the record names the framework file and every data file, each SHA-256 and size as
hashlib and os.stat give them here, the rows loaded and rejected as the CSV files hold them
(the rows counted here), params as given and as used (the default quota and a --param one),
period, as-of, engine, --only, the version and a build identity; `--format json --provenance`
carries the same record beside the rows, and those rows are the plain `--format json` array;
alerts and report write records too, and the report's footer names the files' short hashes and
no time. Verifying: the same inputs pass (exit 0); changing one byte of the deals file (a digit of
one close value) names that file with its old and new hash (exit 3); a different --param names
the param; a record written to a folder that does not exist is exit 2 and no file."""
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures, LLR_FRAMEWORK, LLR_RATINGS, MAVEN_DATA  # noqa: E402

FULCRUM = os.path.abspath(sys.argv[1])
GOLDEN_RUN_DATA = os.path.abspath("tests/golden/run/data")
# Two tables over one file (deals.csv); `wins` requires a value, so it rejects the 3 rows without.
TWO_TABLES_ONE_FILE = """entity rep from "reps.csv" {
  key name: text
  manager: text
}
table deals from "deals.csv" {
  key id: text
  owner: rep
  stage: text
  value: money?
}
table wins from "deals.csv" {
  key id: text
  owner: rep
  stage: text
  value: money
}
framework two {
  subject rep
  cadence quarter
  metric won: money = sum(wins.value where stage == "Won")
  metric deals_seen: number = count(deals)
}
"""
fail = Failures()


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def records(path):
    with open(path, newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.DictReader(f))


def fulcrum(args, what, expect=0, cwd=None):
    proc = subprocess.run([FULCRUM] + args, capture_output=True, text=True, cwd=cwd)
    if proc.returncode != expect:
        fail(f"{what}: exit {proc.returncode}, expected {expect}:\n{proc.stdout[-800:]}"
             f"{proc.stderr[-800:]}")
    return proc.stdout


with tempfile.TemporaryDirectory() as folder:
    for source in (LLR_FRAMEWORK, LLR_RATINGS):
        shutil.copy(source, folder)
    for name in ("sales_teams.csv", "sales_pipeline.csv", "accounts.csv"):
        shutil.copy(f"{MAVEN_DATA}/{name}", folder)
    data = ["--data", "rep=sales_teams.csv", "--data", "deals=sales_pipeline.csv",
            "--data", "account=accounts.csv"]
    base = ["run", "llr.fulcrum", "--framework", "llr", "--period", "2017-Q3"] + data
    fulcrum(base + ["--provenance", "q3.json", "--format", "csv", "--param", "quota=200000"],
            "run --provenance", cwd=folder)
    record = json.load(open(os.path.join(folder, "q3.json")))
    files = record.get("framework_files", [])
    if [f.get("path") for f in files] != ["llr.fulcrum"] or \
            files[0].get("sha256") != sha(os.path.join(folder, "llr.fulcrum")):
        fail(f"framework_files: {files}")
    expected_tables = {"rep": "sales_teams.csv", "deals": "sales_pipeline.csv",
                       "account": "accounts.csv", "ratings": "ratings.csv"}
    by_table = {entry.get("table"): entry for entry in record.get("data_files", [])}
    if set(by_table) != set(expected_tables):
        fail(f"data_files names the tables {sorted(by_table)}, expected {sorted(expected_tables)}")
    for table, name in expected_tables.items():
        entry, path = by_table.get(table, {}), os.path.join(folder, name)
        n = records(path)
        want = {"sha256": sha(path), "size": os.stat(path).st_size, "rows": n, "loaded": n,
                "rejected": 0}
        got = {k: entry.get(k) for k in want}
        if got != want or not entry.get("modified", "").endswith("Z"):
            fail(f"data file {table}: {entry}, expected {want} and a modified time")
    params = record.get("params", {})
    if params.get("given") != {"quota": "200000"} or params.get("used") != {"quota": "200000"}:
        fail(f"params: {params}")
    for field, value in (("period", "2017-Q3"), ("period_used", "2017-Q3"),
                         ("as_of_used", "2017-09-30"), ("engine", "jit"), ("only", None),
                         ("framework", "llr"), ("command", "run")):
        if record.get(field) != value:
            fail(f"{field}: {record.get(field)!r}, expected {value!r}")
    build = record.get("fulcrum", {})
    if not build.get("version") or not build.get("compiler") or "build_id" not in build:
        fail(f"fulcrum: {build}")
    csv_out = fulcrum(base + ["--format", "csv", "--param", "quota=200000"], "run csv", cwd=folder)
    if record.get("result_sha256") != hashlib.sha256(csv_out.encode()).hexdigest():
        fail("result_sha256 is not the SHA-256 of the --format csv output")

    # A default param is recorded as used; --format json carries the record.
    plain = fulcrum(base + ["--format", "json"], "run json", cwd=folder)
    both = json.loads(fulcrum(base + ["--format", "json", "--provenance", "d.json"],
                              "run json --provenance", cwd=folder))
    again = json.load(open(os.path.join(folder, "d.json")))
    if both.get("provenance") != again:
        fail("--format json's provenance object is not the record written to --provenance")
    if both.get("results") != json.loads(plain):
        fail("--format json --provenance: `results` is not the plain --format json array")
    if again.get("params", {}).get("used") != {"quota": "150000"} or \
            again.get("params", {}).get("given") != {}:
        fail(f"default quota: params {again.get('params')}")

    # Verifying: the same inputs pass.
    out = fulcrum(["run", "--verify-provenance", "q3.json"], "verify unchanged", cwd=folder)
    if "provenance verified" not in out:
        fail(f"verify unchanged: {out}")
    # Differences the command line can make are named: --only (a cause, before the result),
    # the engine and the build (notes: exit 0 when nothing else differs).
    out = fulcrum(["run", "--verify-provenance", "q3.json", "--engine", "interp"],
                  "verify another engine", cwd=folder)
    if "provenance verified" not in out or "note: engine: jit -> interp" not in out:
        fail(f"verify another engine: {out}")
    out = fulcrum(["run", "--verify-provenance", "q3.json", "--only", 'manager == "Dustin Brinkmann"'],
                  "verify with --only", expect=3, cwd=folder)
    cause = out.find('only: - -> manager == "Dustin Brinkmann"')
    if cause < 0 or cause > out.find("the result (as --format csv prints it)"):
        fail(f"verify with --only: the cause is not named before the result: {out}")
    older = dict(record, fulcrum=dict(record["fulcrum"], version="0.0.1-old"))
    with open(os.path.join(folder, "older.json"), "w", encoding="utf-8") as f:
        json.dump(older, f)
    out = fulcrum(["run", "--verify-provenance", "older.json"], "verify another version",
                  cwd=folder)
    if "provenance verified" not in out or \
            f"note: fulcrum version: recorded by 0.0.1-old, verified by {record['fulcrum']['version']}" \
            not in out:
        fail(f"verify another version: {out}")

    # Records that cannot be used say why: the system's reason, the JSON error's line and column,
    # the record's version.
    def verify_error(name, content, expected):
        if content is not None:
            with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                f.write(content)
        proc = subprocess.run([FULCRUM, "run", "--verify-provenance", name], capture_output=True,
                              text=True, cwd=folder)
        if proc.returncode != 2 or expected not in proc.stderr:
            fail(f"verify {name}: exit {proc.returncode}, expected 2 and `{expected}`:\n"
                 f"{proc.stderr}")
    verify_error("nosuch.json", None, "`nosuch.json`: cannot read it: No such file or directory")
    verify_error("broken.json", '{\n  "provenance_version": 1,\n  oops\n}\n',
                 "`broken.json`: not a provenance record: line 3, column 3: not valid JSON")
    verify_error("v99.json", json.dumps(dict(record, provenance_version=99)),
                 "a provenance record of version 99; this Fulcrum reads version 1")
    verify_error("jit2.json", json.dumps(dict(record, engine="llvm")),
                 "`engine`: --engine is jit or interp")
    # A recorded file that cannot be read now: the system's reason, not `size N -> -`.
    teams = os.path.join(folder, "sales_teams.csv")
    os.rename(teams, teams + ".away")
    out = fulcrum(["run", "--verify-provenance", "q3.json"], "verify, a file gone", expect=2,
                  cwd=folder)
    os.rename(teams + ".away", teams)
    if "data file `sales_teams.csv` (table rep): cannot be read now: No such file or directory" \
            not in out:
        fail(f"verify, a file gone: {out}")

    # A rerun that fails (here a usage error only the run finds) compares the files alone and
    # says so; it never says "verified" (it did: the rehashed record carried the old result).
    out = fulcrum(["run", "--verify-provenance", "q3.json", "--period", "2017-Q9"],
                  "verify, rerun fails", expect=64, cwd=folder)
    if "provenance verified" in out or "the params and the result were not compared" not in out \
            or "unchanged" not in out:
        fail(f"verify, rerun fails: {out}")
    # What verify would ignore is a usage error, and nothing is written.
    for extra in (["--out", "v.csv"], ["--provenance", "v.csv"], ["--format", "json"]):
        out = fulcrum(["run", "--verify-provenance", "q3.json"] + extra,
                      f"verify with {extra[0]}", expect=64, cwd=folder)
        if out or os.path.exists(os.path.join(folder, "v.csv")):
            fail(f"verify with {extra[0]}: printed {out!r} or wrote v.csv")

    # A different param is named.
    out = fulcrum(["run", "--verify-provenance", "q3.json", "--param", "quota=250000"],
                  "verify another quota", expect=3, cwd=folder)
    if "param `quota`: 200000 -> 250000" not in out:
        fail(f"verify another quota: {out}")
    # One byte of the deals file: the first close value's last digit.
    deals = os.path.join(folder, "sales_pipeline.csv")
    old = open(deals, "rb").read()
    lines = old.split(b"\n")
    for i, line in enumerate(lines[1:], 1):
        cells = line.split(b",")
        if cells[-1].strip().isdigit() and cells[-1].strip() != b"0":
            digit = cells[-1].rstrip()[-1:]
            cells[-1] = cells[-1].rstrip()[:-1] + (b"1" if digit != b"1" else b"2") + \
                cells[-1][len(cells[-1].rstrip()):]
            lines[i] = b",".join(cells)
            break
    changed = b"\n".join(lines)
    if len(changed) != len(old) or sum(a != b for a, b in zip(old, changed)) != 1:
        fail("the test did not change exactly one byte")
    open(deals, "wb").write(changed)
    out = fulcrum(["run", "--verify-provenance", "q3.json"], "verify one byte", expect=3,
                  cwd=folder)
    if "data file `sales_pipeline.csv` (table deals)" not in out or \
            hashlib.sha256(old).hexdigest() not in out or \
            hashlib.sha256(changed).hexdigest() not in out:
        fail(f"verify one byte: the deals file and its hashes are not named:\n{out}")
    if "sales_teams.csv" in out or "llr.fulcrum" in out:
        fail(f"verify one byte: an unchanged file is named:\n{out}")
    open(deals, "wb").write(old)

    # alerts and report write records; the report's footer has the short hashes and no time.
    fulcrum(["alerts", "llr.fulcrum", "--framework", "llr", "--period", "2017-Q3",
             "--provenance", "a.json"] + data, "alerts --provenance", cwd=folder)
    if json.load(open(os.path.join(folder, "a.json"))).get("command") != "alerts":
        fail("alerts --provenance: no record")
    # alerts: result_sha256 is the feed's (after --since), --since is recorded, and verify
    # refuses the record (it replays `run`); so it does a report's series of periods.
    feed = fulcrum(["alerts", "llr.fulcrum", "--framework", "llr", "--period", "2017-Q3",
                    "--since", "2017-08-01", "--format", "csv", "--provenance", "a2.json"] + data,
                   "alerts --since --provenance", cwd=folder)
    a2 = json.load(open(os.path.join(folder, "a2.json")))
    if a2.get("result_sha256") != hashlib.sha256(feed.encode()).hexdigest() or \
            a2.get("since") != "2017-08-01" or "state" not in a2:
        fail(f"alerts record: result_sha256 is not the feed's, or --since/state missing: "
             f"{ {k: a2.get(k) for k in ('result_sha256', 'since', 'state')} }")
    proc = subprocess.run([FULCRUM, "run", "--verify-provenance", "a2.json"], capture_output=True,
                          text=True, cwd=folder)
    if proc.returncode != 2 or "a record of `fulcrum alerts`" not in proc.stderr:
        fail(f"verify an alerts record: exit {proc.returncode}: {proc.stderr}")
    fulcrum(["report", "llr.fulcrum", "--framework", "llr", "--periods", "2017-Q1..2017-Q3",
             "--out", "series.html", "--provenance", "series.json"] + data, "report --periods",
            cwd=folder)
    if json.load(open(os.path.join(folder, "series.json"))).get("periods") != "2017-Q1..2017-Q3":
        fail("report --periods: the record has no periods")
    proc = subprocess.run([FULCRUM, "run", "--verify-provenance", "series.json"],
                          capture_output=True, text=True, cwd=folder)
    if proc.returncode != 2 or "fulcrum report --periods" not in proc.stderr:
        fail(f"verify a report --periods record: exit {proc.returncode}: {proc.stderr}")
    fulcrum(["report", "llr.fulcrum", "--framework", "llr", "--period", "2017-Q3", "--out",
             "r.html", "--provenance", "r.json"] + data, "report --provenance", cwd=folder)
    html = open(os.path.join(folder, "r.html"), encoding="utf-8").read()
    footer = html[html.find("<footer>"):html.find("</footer>")]
    if sha(deals)[:12] not in footer or sha(os.path.join(folder, "llr.fulcrum"))[:12] not in footer:
        fail(f"report footer: no short hashes: {footer[:400]}")
    if any(entry.get("modified", "-")[:10] in footer
           for entry in json.load(open(os.path.join(folder, "r.json")))["data_files"]):
        fail("report footer: holds a modification time")

    # A data path that is not UTF-8 cannot be held by a JSON record: a clear error naming the
    # field and the bytes, exit 2, nothing written (it was an uncaught nlohmann type_error, 134).
    odd = os.fsdecode(b"d\xff")
    os.mkdir(os.path.join(folder, odd))
    shutil.copy(os.path.join(folder, "sales_teams.csv"), os.path.join(folder, odd))
    odd_data = ["--data", f"rep={odd}/sales_teams.csv", "--data", "deals=sales_pipeline.csv",
                "--data", "account=accounts.csv"]
    for extra in (["--format", "csv"], ["--format", "json"]):
        proc = subprocess.run([FULCRUM, "run", "llr.fulcrum", "--framework", "llr", "--period",
                               "2017-Q3", "--provenance", "odd.json"] + odd_data + extra,
                              capture_output=True, cwd=folder)
        err = proc.stderr.decode("utf-8", "replace")
        if proc.returncode != 2 or "/path is `d\\xFF/sales_teams.csv`, which is not UTF-8" not in err \
                or proc.stdout or os.path.exists(os.path.join(folder, "odd.json")):
            fail(f"non-UTF-8 data path {extra}: exit {proc.returncode}, stdout "
                 f"{len(proc.stdout)} bytes, record written "
                 f"{os.path.exists(os.path.join(folder, 'odd.json'))}:\n{err[-600:]}")

    # Two tables that read one file are two entries, matched by (table, path): one of them
    # rejects rows (its value is required) and the other does not; verifying the same inputs
    # passes (matched by path alone, the wins entry was compared with the deals one: exit 3).
    shutil.copy(os.path.join(GOLDEN_RUN_DATA, "reps.csv"), folder)
    shutil.copy(os.path.join(GOLDEN_RUN_DATA, "deals.csv"), folder)
    with open(os.path.join(folder, "two.fulcrum"), "w", encoding="utf-8") as f:
        f.write(TWO_TABLES_ONE_FILE)
    fulcrum(["run", "two.fulcrum", "--framework", "two", "--period", "2017-Q2", "--on-error",
             "skip", "--rejects", "two_rejects.csv", "--provenance", "two.json"],
            "two tables, one file", cwd=folder)
    entries = json.load(open(os.path.join(folder, "two.json")))["data_files"]
    counts = sorted((e["table"], e["loaded"], e["rejected"]) for e in entries
                    if e["path"] == "deals.csv")
    if counts != [("deals", 10, 0), ("wins", 7, 3)]:
        fail(f"two tables, one file: {counts}")
    out = fulcrum(["run", "--verify-provenance", "two.json", "--rejects", "two_rejects.csv"],
                  "verify two tables, one file", cwd=folder)
    if "provenance verified" not in out:
        fail(f"verify two tables, one file: {out}")

    # FULCRUM_CACHE=trust-stat matches the column cache on size and mtime only; under
    # --provenance the content is checked, so the run uses the bytes the record hashes. A deals
    # file rewritten in place with its size and mtime put back: the record's result is the
    # uncached run's over the new bytes (it was the stale cache's, while the hash was the new
    # file's).
    stat_env = dict(os.environ, FULCRUM_CACHE="trust-stat")
    with open(os.path.join(folder, "one.fulcrum"), "w", encoding="utf-8") as f:
        f.write(TWO_TABLES_ONE_FILE.split("table wins")[0] + "framework one {\n  subject rep\n"
                "  cadence quarter\n  metric won: money = sum(deals.value where stage == \"Won\")"
                "\n}\n")
    cached = ["run", "one.fulcrum", "--framework", "one", "--period", "2017-Q2", "--format",
              "csv", "--cache"]
    subprocess.run([FULCRUM] + cached, capture_output=True, cwd=folder, env=stat_env, check=True)
    two_deals = os.path.join(folder, "deals.csv")
    stamp = os.stat(two_deals)
    edited = open(two_deals, "rb").read().replace(b"d1,Ann,Won,40000", b"d1,Ann,Won,50000")
    open(two_deals, "wb").write(edited)
    os.utime(two_deals, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    uncached = fulcrum(cached[:-1], "uncached run over the edit", cwd=folder)
    proc = subprocess.run([FULCRUM] + cached + ["--provenance", "stat.json"], capture_output=True,
                          text=True, cwd=folder, env=stat_env)
    stat_record = json.load(open(os.path.join(folder, "stat.json")))
    if proc.stdout != uncached or "Ann,145000\n" not in uncached or \
            stat_record.get("result_sha256") != hashlib.sha256(uncached.encode()).hexdigest():
        fail(f"trust-stat under --provenance used the stale cache:\n{proc.stdout}\n"
             f"expected:\n{uncached}")

    # The standard library is matched by its import name (`stdlib/funnel`), not by where it is
    # installed: a record made with the source tree's library verifies with a copy elsewhere
    # (FULCRUM_STDLIB), and a changed byte in the copy is named.
    stdlib_copy = os.path.join(folder, "stdlib_copy")
    shutil.copytree("stdlib", stdlib_copy)
    targets = ["run", os.path.abspath("examples/targets/targets.fulcrum"), "--framework", "targets",
               "--period", "2017-Q3", "--format", "csv", "--provenance", "t.json"]
    fulcrum(targets, "targets --provenance", cwd=folder)
    env = dict(os.environ, FULCRUM_STDLIB=stdlib_copy)
    proc = subprocess.run([FULCRUM, "run", "--verify-provenance", "t.json"], capture_output=True,
                          text=True, cwd=folder, env=env)
    if proc.returncode != 0 or "provenance verified" not in proc.stdout:
        fail(f"verify with the stdlib elsewhere: exit {proc.returncode}:\n{proc.stdout}")
    with open(os.path.join(stdlib_copy, "funnel.fulcrum"), "a", encoding="utf-8") as f:
        f.write("// one more line\n")
    proc = subprocess.run([FULCRUM, "run", "--verify-provenance", "t.json"], capture_output=True,
                          text=True, cwd=folder, env=env)
    if proc.returncode != 3 or "framework file `stdlib/funnel`" not in proc.stdout:
        fail(f"verify with a changed stdlib copy: exit {proc.returncode}:\n{proc.stdout}")

    # A record that cannot be written: exit 2, nothing left behind.
    fulcrum(base + ["--provenance", "missing/q.json"], "unwritable record", expect=2, cwd=folder)
    if os.path.exists(os.path.join(folder, "missing")):
        fail("unwritable record: something was created")

fail.finish("provenance: the record matches hashlib and the files; verify passes, names a changed "
            "byte's file and a changed param")
