#!/usr/bin/env python3
"""End to end: the same data in three CRM export styles gives byte-identical results.

1. Generated data: `fulcrum-gen --style salesforce|hubspot|european` (--reps 30) writes the data
   set the benchmark reads; bench/frameworks/llr.fulcrum runs over it with each style's data
   declarations (tests/e2e/styles/generated/STYLE.fulcrum in place of data.fulcrum), and its CSV
   and table output for 2017-Q4 and 2018-Q3 must equal the run over the ISO files byte for byte,
   on both engines, with every row of every file loaded. The styled files are also checked to be
   styled (a BOM, `;`, `$1,234.56`, timestamps), so a generator that ignored --style fails.
2. Maven: tests/e2e/restyle_csv.py rewrites the Maven CSV files (and the example's ratings) in
   each style; the LLR example runs over them with the declarations of
   tests/e2e/styles/maven/STYLE.fulcrum and must print what it prints over the ISO files, for
   2017-Q1 to 2017-Q4.
The hubspot style writes each date as 01:30 UTC of the next day, read `in zone
"America/Los_Angeles"`: a day off in the zone conversion moves deals across quarter ends.
The european declarations say `currency EUR` (one currency per program: a `€` format needs it), so
the framework's money literals are written `€` and the table output shows `€` where the ISO run
shows `$`: that output is compared with its signs swapped back (CSV output carries no sign)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures, run_both_engines  # noqa: E402

FULCRUM = sys.argv[1]
GEN = os.environ.get("FULCRUM_GEN") or os.path.join(os.path.dirname(FULCRUM), "fulcrum-gen")
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
HERE = os.path.join(ROOT, "tests", "e2e")
MAVEN = os.path.normpath(os.path.join(ROOT, "..", "shared", "datasets", "maven-crm"))
STYLES = ["salesforce", "hubspot", "european"]
GEN_TABLES = {"rep": "reps", "deals": "deals", "activities": "activities",
              "ratings": "ratings", "quotas": "quotas"}
fail = Failures()


def generate(out, *flags):
    proc = subprocess.run([GEN, "--out", out, "--reps", "30", "--threads", "2"] + list(flags),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"fulcrum-gen {' '.join(flags)}: exit {proc.returncode}: {proc.stderr}")
        sys.exit(1)


def runs(framework_file, framework, periods, tables, what):
    """Both engines' CSV and table output for each period (they must agree)."""
    out = []
    for period in periods:
        for fmt in ("csv", "table"):
            args = [framework_file, "--framework", framework, "--period", period, "--format", fmt]
            out.append(run_both_engines(FULCRUM, args, fail, f"{what} {period} {fmt}", tables))
    return out


def in_dollars(outputs, style):
    """A european (`currency EUR`) run's outputs as the ISO (dollar) run prints them."""
    return [o.replace("\u20ac", "$") for o in outputs] if style == "european" else outputs


def check_styled(folder, style):
    with open(os.path.join(folder, "deals.csv"), "rb") as f:
        head = f.read(4096)
    expected = {"salesforce": b'"deal_id"', "hubspot": b"\xef\xbb\xbfDeal Id",
                "european": b"\xef\xbb\xbfdeal_id;"}[style]
    if not head.startswith(expected):
        fail(f"fulcrum-gen --style {style}: deals.csv starts {head[:40]!r}, expected {expected!r}")
    marker = {"salesforce": b'"$', "hubspot": b"T01:30:00Z", "european": b" \xe2\x82\xac"}[style]
    if marker not in head:
        fail(f"fulcrum-gen --style {style}: no {marker!r} in deals.csv's first rows")


def generated(tmp):
    iso = os.path.join(tmp, "iso")
    generate(iso)
    shutil.copy(os.path.join(ROOT, "bench", "frameworks", "data.fulcrum"), iso)
    shutil.copy(os.path.join(ROOT, "bench", "frameworks", "llr.fulcrum"), iso)
    periods = ["2017-Q4", "2018-Q3"]
    tables = {t: os.path.join(iso, f + ".csv") for t, f in GEN_TABLES.items()}
    expected = runs(os.path.join(iso, "llr.fulcrum"), "llr", periods, tables, "generated iso")
    for style in STYLES:
        folder = os.path.join(tmp, style)
        generate(folder, "--style", style)
        check_styled(folder, style)
        shutil.copy(os.path.join(HERE, "styles", "generated", f"{style}.fulcrum"),
                    os.path.join(folder, "data.fulcrum"))
        shutil.copy(os.path.join(ROOT, "bench", "frameworks", "llr.fulcrum"), folder)
        got = in_dollars(runs(os.path.join(folder, "llr.fulcrum"), "llr", periods, tables,
                              f"generated {style}"), style)
        for i, (want, have) in enumerate(zip(expected, got)):
            if want != have:
                fail(f"generated {style}: output {i} differs from the ISO files':\n"
                     f"{want[:300]}\n---\n{have[:300]}")


def maven(tmp):
    llr = open(os.path.join(ROOT, "examples", "llr", "llr.fulcrum"), encoding="utf-8").read()
    framework_part = llr[llr.index("// Made up: one quarter's quota"):]
    periods = ["2017-Q1", "2017-Q2", "2017-Q3", "2017-Q4"]
    tables = {"deals": os.path.join(MAVEN, "sales_pipeline.csv"),
              "rep": os.path.join(MAVEN, "sales_teams.csv")}
    expected = runs(os.path.join(ROOT, "examples", "llr", "llr.fulcrum"), "llr", periods, tables,
                    "maven iso")
    columns = {
        "sales_teams.csv": {},
        "accounts.csv": {},
        "sales_pipeline.csv": {"dates": "engage_date,close_date", "money": "close_value"},
    }
    for style in STYLES:
        folder = os.path.join(tmp, "maven-" + style)
        os.makedirs(folder)
        sources = {name: os.path.join(MAVEN, name) for name in columns}
        sources["ratings.csv"] = os.path.join(ROOT, "examples", "llr", "ratings.csv")
        for name, source in sources.items():
            flags = [f"--{k}={v}" for k, v in columns.get(name, {}).items()]
            subprocess.run([sys.executable, os.path.join(HERE, "restyle_csv.py"), style, source,
                            os.path.join(folder, name)] + flags, check=True)
        declarations = open(os.path.join(HERE, "styles", "maven", f"{style}.fulcrum"),
                            encoding="utf-8").read()
        options = {"salesforce": "", "hubspot": " headers loose", "european": ' delimiter ";"'}
        body = framework_part.replace('table ratings from "ratings.csv" {',
                                      f'table ratings from "ratings.csv"{options[style]} {{')
        if style == "european":  # `currency EUR`: the framework's literals in euros
            body = re.sub(r"\$(?=\d)", "\u20ac", body)
        path = os.path.join(folder, "llr.fulcrum")
        with open(path, "w", encoding="utf-8") as f:
            f.write(declarations + "\n" + body)
        got = in_dollars(runs(path, "llr", periods, tables, f"maven {style}"), style)
        for i, (want, have) in enumerate(zip(expected, got)):
            if want != have:
                fail(f"maven {style}: output {i} differs from the ISO files':\n"
                     f"{want[:300]}\n---\n{have[:300]}")


if not os.access(GEN, os.X_OK):
    print(f"no fulcrum-gen at {GEN}: build the fulcrum-gen target (or set FULCRUM_GEN)")
    sys.exit(1)
with tempfile.TemporaryDirectory() as tmp:
    generated(tmp)
    maven(tmp)
fail.finish("three export styles: generated data and Maven give the ISO files' results, "
            "byte for byte, on both engines")
