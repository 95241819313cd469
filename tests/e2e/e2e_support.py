"""What the end-to-end tests share: quarter arithmetic, date parsing, float comparison, running
`fulcrum run` (or `fulcrum alerts`) with both engines (non-empty, engines agreeing, every CSV
record loaded), checking one row per subject and cell values, and collecting failures. Not a test
itself (no `_test` name)."""
import csv
import datetime
import math
import re
import os
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal

# No end-to-end test reuses a JIT object compiled by another build (CTest sets the same); the
# tests of the object cache pass a fresh folder of their own.
os.environ["FULCRUM_JIT_CACHE"] = "off"


# The LLR example over the Maven CRM data: its framework and the files of its tables, as the
# end-to-end tests of run, diff and explain read them (paths from the repository root).
MAVEN_DATA = "../shared/datasets/maven-crm"
LLR_FRAMEWORK = "examples/llr/llr.fulcrum"
LLR_RATINGS = "examples/llr/ratings.csv"
LLR_TABLES = {"rep": f"{MAVEN_DATA}/sales_teams.csv", "deals": f"{MAVEN_DATA}/sales_pipeline.csv",
              "account": f"{MAVEN_DATA}/accounts.csv", "ratings": LLR_RATINGS}


class Failures:
    def __init__(self):
        self.messages = []

    def __call__(self, message):
        self.messages.append(message)

    def finish(self, success):
        """Exits 1 listing the failures, or prints `success` and returns."""
        if self.messages:
            print("\n".join(self.messages[:40]))
            print(f"{len(self.messages)} failure(s)")
            sys.exit(1)
        print(success)


def quarter_bounds(year, q):
    start = datetime.date(year, 3 * (q - 1) + 1, 1)
    end = datetime.date(year + (q == 4), (3 * q) % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


def shift_quarter(year, q, n):
    index = year * 4 + (q - 1) + n
    return index // 4, index % 4 + 1


def day(text):
    return datetime.date.fromisoformat(text) if text else None


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def divide(a, b):
    """a / b, missing (None) when either is missing or b is zero."""
    return a / b if a is not None and b else None


def mean(values):
    """avg: skips missing values; missing over none."""
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def money(x):
    """An amount as fulcrum holds money (language.md, "Money is exact"): a whole number of units
    of 1/10,000, a product or quotient rounded to the unit with halves away from zero. None (a
    missing value) stays None."""
    if x is None:
        return None
    exact = x if isinstance(x, Decimal) else Decimal(repr(x))
    return float(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def money_mean(values):
    """avg of money: the exact sum over the count, rounded to the unit; missing over none."""
    values = [Decimal(repr(v)) for v in values if v is not None]
    return money(sum(values) / len(values)) if values else None


def median(values):
    """median: skips missing values; the mean of the middle two for an even count."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def count_records(path):
    """The records of a CSV file, its header line not counted (nor blank lines)."""
    with open(path, newline="") as f:
        return max(0, sum(1 for record in csv.reader(f) if record) - 1)


LOAD_SUMMARY = re.compile(r"^(\S+): (\d+) rows, (\d+) loaded, (\d+) rejected$", re.MULTILINE)


def run_both_engines(fulcrum, args, fail, what, tables=None, command="run"):
    """Runs `fulcrum run ARGS` (or `fulcrum COMMAND ARGS`: `alerts`) with the JIT and the
    interpreter; their stdout must be byte-identical and hold a header line and at least one row
    (failures otherwise). With `tables` ({table: CSV path}), each engine must also report loading
    every record of each file, as counted here: `TABLE: N rows, N loaded, 0 rejected` (a dropped
    row is a failure even where no checked value depends on it). Returns the JIT's stdout."""
    outputs = {}
    expected_loads = {t: count_records(p) for t, p in (tables or {}).items()}
    for engine in ("jit", "interp"):
        proc = subprocess.run([fulcrum, command] + args + ["--engine", engine],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            fail(f"{what} {engine}: exit {proc.returncode}: {proc.stderr[-500:]}")
        lines = [line for line in proc.stdout.splitlines() if line.strip()]
        if len(lines) < 2:
            fail(f"{what} {engine}: expected a header line and at least one row, got "
                 f"{proc.stdout[:200]!r}")
        loads = {m[1]: (int(m[2]), int(m[3]), int(m[4]))
                 for m in LOAD_SUMMARY.finditer(proc.stderr)}
        for table, n in expected_loads.items():
            if loads.get(table) != (n, n, 0):
                got = "no load summary" if table not in loads else \
                    "{} rows, {} loaded, {} rejected".format(*loads[table])
                fail(f"{what} {engine}: {table}: expected {n} rows, {n} loaded, 0 rejected, "
                     f"got {got}")
        outputs[engine] = proc.stdout
    if outputs["jit"] != outputs["interp"]:
        fail(f"{what}: the JIT and the interpreter print different output")
    return outputs["jit"]


def rows_by(output, key, subjects, fail, what):
    """The CSV output's rows by their `key` column, which must hold each of `subjects` exactly
    once: one row per subject, none missing, none extra, none twice. None (and a failure)
    otherwise."""
    rows = list(csv.DictReader(output.splitlines()))
    by_key = {row.get(key): row for row in rows}
    if len(rows) != len(subjects) or set(by_key) != set(subjects):
        differing = sorted(set(by_key) ^ set(subjects), key=str)
        fail(f"{what}: {len(rows)} rows ({len(by_key)} distinct `{key}`), expected exactly one "
             f"per subject ({len(subjects)}); differing: {differing[:10]}")
        return None
    return by_key


def matches(got, want):
    """Whether a CSV cell holds the expected value: None is a missing value (an empty cell); a
    string is compared as is; ("ceil", x) is x rounded up (either way when x sits on an integer
    but for a last bit); a number is compared with `close`."""
    if got is None:
        return False
    if isinstance(want, tuple):
        want = want[1]
        if want is None:
            return got == ""
        allowed = {math.ceil(want * (1 - 1e-12)), math.ceil(want * (1 + 1e-12))}
        return got != "" and float(got) in allowed
    if want is None:
        return got == ""
    if isinstance(want, str):
        return got == want
    return got != "" and close(float(got), want)


def compare_rows(rows, expected, fail, what):
    """Every expected column ({subject: {column: value}}) against the rows by subject; returns the
    number of cells compared."""
    compared = 0
    for subject, columns in expected.items():
        for column, want in columns.items():
            got = rows[subject].get(column)
            if got is None:
                fail(f"{what}: no column {column}")
                return compared
            if not matches(got, want):
                fail(f"{what} {subject} {column}: expected {want}, got {got!r}")
            compared += 1
    return compared
