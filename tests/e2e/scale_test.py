#!/usr/bin/env python3
"""End to end: what makes big runs fast must never change a result.

Over fulcrum-gen data big enough that scans are cut into chunks (300,000 activity rows), for
2018-Q3 (and llr for 2018-Q4 too, the data's last quarter: the last chunk's rows count):
- `--threads 1, 2 and 3` print byte-identical results (the outputs are compared as strings), with
  the JIT and the interpreter, for bench/frameworks/llr and targets; every run reports loading
  every record of every file (the counts against the files'); the --threads 1 output has exactly
  one row per rep (200), and every metric of every rep is the one recomputed here from the CSV
  files (generated_reference.py: for llr deals won and decided, quota, attainment,
  activity counts, ratings; for targets the previous 2 quarters' activity counts, decided deals,
  own, team and median rates, the back-solved funnel, the daily targets, the coaching band);
- the column cache (`--cache`): a second run reads `FILE.fulcrum-cache` and prints the same, the
  reference's values; after the CSV changes (every quota doubled), the cache is not used: the
  result is the reference recomputed from the new files;
- the JIT's object cache (FULCRUM_JIT_CACHE=DIR): the first run fills DIR and prints the
  reference's values, a second run prints the same; a corrupt cached object is ignored (compiled
  again and rewritten), never run;
- `--data NAME=PATH` for a table the program does not declare is an error with a suggestion,
  not a silent read of the declared file.
fulcrum-gen is found beside the fulcrum binary (argv[1]) or at $FULCRUM_GEN."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generated_reference import generated_reference  # noqa: E402
from e2e_support import Failures, run_both_engines, rows_by, compare_rows  # noqa: E402

FULCRUM = sys.argv[1]
GEN = os.environ.get("FULCRUM_GEN") or os.path.join(os.path.dirname(FULCRUM), "fulcrum-gen")
TABLES = {"rep": "reps", "deals": "deals", "activities": "activities", "ratings": "ratings",
          "quotas": "quotas"}


def data_args(folder):
    args = []
    for table, file in TABLES.items():
        args += ["--data", f"{table}={os.path.join(folder, file + '.csv')}"]
    return args


def framework_args(name, folder, period="2018-Q3"):
    return [f"bench/frameworks/{name}.fulcrum", "--framework", name, "--period", period,
            "--format", "csv"] + data_args(folder)


def data_tables(folder, name):
    """The files `name` reads, for run_both_engines' load check (targets reads no ratings)."""
    return {table: os.path.join(folder, file + ".csv") for table, file in TABLES.items()
            if name == "llr" or table != "ratings"}


def check_values(output, expected, fail, what):
    """One row per rep, each with every value of the reference."""
    rows = rows_by(output, "id", expected, fail, what)
    if rows:
        compare_rows(rows, expected, fail, what)


def run(args, fail, what, env=None):
    proc = subprocess.run([FULCRUM, "run"] + args, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        fail(f"{what}: exit {proc.returncode}: {proc.stderr[-400:]}")
    return proc


def main():
    fail = Failures()
    work = tempfile.mkdtemp(prefix="fulcrum-scale-")
    try:
        data = os.path.join(work, "data")
        gen = subprocess.run([GEN, "--out", data, "--reps", "200", "--activities", "300000",
                              "--seed", "7"], capture_output=True, text=True)
        if gen.returncode != 0:
            fail(f"fulcrum-gen: exit {gen.returncode}: {gen.stderr}")
            fail.finish("")

        # Threads never change a result, in either engine, and the result is the reference's.
        reference = generated_reference(data, 2018, 3)
        last_quarter = generated_reference(data, 2018, 4)
        if len(reference["llr"]) != 200:
            fail(f"reps.csv: {len(reference['llr'])} reps, expected 200")
        for name, period, expected in (("llr", "2018-Q3", reference["llr"]),
                                       ("llr", "2018-Q4", last_quarter["llr"]),
                                       ("targets", "2018-Q3", reference["targets"])):
            outputs = {}
            for threads in ("1", "2", "3"):
                outputs[threads] = run_both_engines(
                    FULCRUM, framework_args(name, data, period) + ["--threads", threads], fail,
                    f"{name} {period} --threads {threads}", data_tables(data, name))
            if len(set(outputs.values())) != 1:
                fail(f"{name} {period}: --threads 1, 2 and 3 print different results")
            check_values(outputs["1"], expected, fail, f"{name} {period} --threads 1")

        # The column cache: the same result from the cache; a changed CSV is read again.
        args = framework_args("llr", data)
        plain = run(args, fail, "llr").stdout
        first = run(args + ["--cache"], fail, "llr --cache (writes the cache)").stdout
        caches = glob.glob(os.path.join(data, "*.fulcrum-cache"))
        if len(caches) != len(TABLES):
            fail(f"--cache wrote {len(caches)} cache files, expected {len(TABLES)}")
        second = run(args + ["--cache"], fail, "llr --cache (reads the cache)").stdout
        if not (plain == first == second):
            fail("--cache changes the result")
        check_values(plain, reference["llr"], fail, "llr")
        quotas = os.path.join(data, "quotas.csv")
        with open(quotas) as f:
            lines = f.read().splitlines()
        header, rows = lines[0], lines[1:]
        doubled = [f"{r.rsplit(',', 1)[0]},{int(r.rsplit(',', 1)[1]) * 2}" for r in rows]
        with open(quotas, "w") as f:
            f.write("\n".join([header] + doubled) + "\n")
        doubled_reference = generated_reference(data, 2018, 3)
        fresh = run(args, fail, "llr after the quotas changed").stdout
        cached = run(args + ["--cache"], fail, "llr --cache after the quotas changed").stdout
        if fresh == plain:
            fail("doubling every quota did not change the result (the test cannot see the cache)")
        if cached != fresh:
            fail("--cache used a stale cache after the CSV changed")
        check_values(fresh, doubled_reference["llr"], fail, "llr after the quotas changed")

        # The JIT's object cache across processes, and a corrupt object in it.
        objects = os.path.join(work, "jit-cache")
        env = dict(os.environ, FULCRUM_JIT_CACHE=objects)
        args = framework_args("targets", data) + ["--engine", "jit"]
        baseline = run(args, fail, "targets (fills the object cache)", env).stdout
        files = glob.glob(os.path.join(objects, "*.o"))
        if not files:
            fail("FULCRUM_JIT_CACHE: no object was written")
        check_values(baseline, doubled_reference["targets"], fail, "targets (object cache)")
        again = run(args, fail, "targets (from the object cache)", env)
        if again.stdout != baseline or "warning" in again.stderr:
            fail("a run from the object cache differs or warns")
        for path in files:
            with open(path, "r+b") as f:
                f.seek(40)
                f.write(b"\xff" * 16)
        corrupt = run(args, fail, "targets (corrupt object cache)", env)
        if corrupt.stdout != baseline:
            fail("a corrupt object cache changed the result")
        # Ignored, not used: the compile that replaced them wrote them again, whole.
        for path in files:
            with open(path, "rb") as f:
                f.seek(40)
                if f.read(16) == b"\xff" * 16:
                    fail(f"{os.path.basename(path)}: the corrupt object was not replaced")

        # A --data name the program does not declare.
        proc = subprocess.run([FULCRUM, "run", "bench/frameworks/llr.fulcrum", "--framework", "llr",
                               "--period", "2018-Q3", "--data", "reps=x.csv"],
                              capture_output=True, text=True)
        expected = "--data reps=x.csv: the program declares no table or entity `reps` " \
                   "(did you mean `rep`?)"
        if proc.returncode != 64 or expected not in proc.stderr:
            fail(f"--data reps=: exit {proc.returncode}, stderr {proc.stderr!r}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    fail.finish("threads, the column cache and the object cache never change a result; "
                "llr and targets agree with the reference")


main()
