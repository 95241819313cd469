#!/usr/bin/env python3
"""End to end: `sum` and `avg` of numbers are exactly rounded (language.md), against Python's
math.fsum as the oracle.

Random values of every magnitude (huge, tiny, subnormal, cents, values that cancel) are written to
a CSV large enough for the scan to be cut into chunks; `fulcrum run` with both engines must print,
for every rep, sum == fsum(values) and avg == fsum(values) / count bit for bit, and across peers
the sum of the reps' sums == fsum of them. The same rows shuffled, and any --threads, must print
the same bytes: no result depends on the order rows are read in."""
import csv
import io
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures, run_both_engines  # noqa: E402

FULCRUM = os.path.abspath(sys.argv[1])
REPS = ["ann", "bob", "cy", "dee", "eve"]
ROWS = 140000  # more than two chunks' worth (runtime/exec/ChunkedScan.cpp)

FRAMEWORK = """
entity rep from "reps.csv" {
  key name: text
}

table rows from "rows.csv" {
  key id: text
  owner: rep
  x: number?
}

framework sums {
  subject rep
  cadence quarter
  metric total: number = sum(rows.x)
  metric mean: number = avg(rows.x)
  metric team_total: number = sum(total across rep)
  metric team_mean: number = avg(total across rep)
}
"""


def plain(x):
    """x as a plain decimal the loader reads back exactly (it takes no exponents)."""
    return format(Decimal(repr(x)), "f")


def draw(rng, earlier):
    kind = rng.random()
    if kind < 0.04:
        x = math.ldexp(rng.uniform(1, 2), rng.randint(-1074, 900))  # any magnitude
    elif kind < 0.08 and earlier:
        x = -rng.choice(earlier)  # cancels an earlier value
    elif kind < 0.5:
        x = rng.randint(-10**8, 10**8) / 100  # cents
    else:
        x = math.ldexp(rng.uniform(1, 2), rng.randint(-40, 40))
    return x if rng.random() < 0.5 else -x


def main():
    fail = Failures()
    rng = random.Random(2101)
    work = tempfile.mkdtemp(prefix="fulcrum-exact-sums-")
    try:
        with open(os.path.join(work, "reps.csv"), "w") as f:
            f.write("name\n" + "".join(r + "\n" for r in REPS))
        rows, by_rep, earlier = [], {r: [] for r in REPS}, []
        for i in range(ROWS):
            owner = REPS[rng.randrange(len(REPS))]
            if rng.random() < 0.01:
                rows.append((f"r{i}", owner, ""))  # missing: skipped
                continue
            x = draw(rng, earlier)
            if len(earlier) < 1000 and abs(x) > 1e20:
                earlier.append(x)
            rows.append((f"r{i}", owner, plain(x)))
            by_rep[owner].append(x)
        framework = os.path.join(work, "sums.fulcrum")
        with open(framework, "w") as f:
            f.write(FRAMEWORK)

        def write_rows(ordered):
            with open(os.path.join(work, "rows.csv"), "w", newline="") as f:
                out = csv.writer(f, lineterminator="\n")
                out.writerow(["id", "owner", "x"])
                out.writerows(ordered)

        write_rows(rows)
        args = [framework, "--framework", "sums", "--period", "2017-Q2", "--format", "csv"]
        output = run_both_engines(FULCRUM, args, fail, "exact sums",
                                  {"rows": os.path.join(work, "rows.csv")})
        results = {row["name"]: row for row in csv.DictReader(io.StringIO(output))}
        totals = []
        for rep in REPS:
            want = math.fsum(by_rep[rep])
            totals.append(want)
            got = results.get(rep, {})
            if got.get("total") is None or float(got["total"]) != want:
                fail(f"{rep}: sum {got.get('total')!r}, fsum {want!r} "
                     f"(one by one: {sum(by_rep[rep])!r})")
            mean = want / len(by_rep[rep])
            if got.get("mean") is None or float(got["mean"]) != mean:
                fail(f"{rep}: avg {got.get('mean')!r}, fsum / count {mean!r}")
        for rep in REPS:
            got = results.get(rep, {})
            if float(got.get("team_total") or "nan") != math.fsum(totals):
                fail(f"{rep}: sum across reps {got.get('team_total')!r}, "
                     f"fsum {math.fsum(totals)!r}")
            if float(got.get("team_mean") or "nan") != math.fsum(totals) / len(REPS):
                fail(f"{rep}: avg across reps {got.get('team_mean')!r}")
        # The naive sums must differ somewhere, or the test would prove nothing.
        if all(sum(by_rep[r]) == math.fsum(by_rep[r]) for r in REPS):
            fail("every naive sum is exact: the data does not test rounding")

        # The same rows in another order, with one thread and with several: the same bytes.
        rng.shuffle(rows)
        write_rows(rows)
        for threads in ("1", "2", "3"):
            for engine in ("jit", "interp"):
                proc = subprocess.run([FULCRUM, "run"] + args + ["--threads", threads,
                                                                 "--engine", engine],
                                      capture_output=True, text=True)
                if proc.returncode != 0 or proc.stdout != output:
                    fail(f"shuffled rows, --threads {threads}, {engine}: exit "
                         f"{proc.returncode}, output differs: {proc.stdout[:300]!r} "
                         f"{proc.stderr[-300:]!r}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    fail.finish(f"exact sums: {ROWS} rows, {len(REPS)} reps, both engines, equal to math.fsum")


main()
