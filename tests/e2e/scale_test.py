#!/usr/bin/env python3
"""End to end: what makes big runs fast must never change a result.

Over fulcrum-gen data big enough that scans are cut into chunks (300,000 activity rows):
- `--threads 1, 2 and 3` print byte-identical results, with the JIT and the interpreter, for
  bench/frameworks/llr and targets;
- the column cache (`--cache`): a second run reads `FILE.fulcrum-cache` and prints the same; after
  the CSV changes, the cache is not used (the result follows the new data);
- the JIT's object cache (FULCRUM_JIT_CACHE=DIR): the first run fills DIR, a second run prints
  the same; a corrupt cached object is ignored (compiled again and rewritten), never run;
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
from e2e_support import Failures, run_both_engines  # noqa: E402

FULCRUM = sys.argv[1]
GEN = os.environ.get("FULCRUM_GEN") or os.path.join(os.path.dirname(FULCRUM), "fulcrum-gen")
TABLES = {"rep": "reps", "deals": "deals", "activities": "activities", "ratings": "ratings",
          "quotas": "quotas"}


def data_args(folder):
    args = []
    for table, file in TABLES.items():
        args += ["--data", f"{table}={os.path.join(folder, file + '.csv')}"]
    return args


def framework_args(name, folder):
    return [f"bench/frameworks/{name}.fulcrum", "--framework", name, "--period", "2018-Q3",
            "--format", "csv"] + data_args(folder)


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

        # Threads never change a result, in either engine.
        for name in ("llr", "targets"):
            outputs = {}
            for threads in ("1", "2", "3"):
                outputs[threads] = run_both_engines(
                    FULCRUM, framework_args(name, data) + ["--threads", threads], fail,
                    f"{name} --threads {threads}")
            if len(set(outputs.values())) != 1:
                fail(f"{name}: --threads 1, 2 and 3 print different results")
            if outputs["1"].count("\n") != 201:
                fail(f"{name}: expected a header and 200 rows")

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
        quotas = os.path.join(data, "quotas.csv")
        with open(quotas) as f:
            lines = f.read().splitlines()
        header, rows = lines[0], lines[1:]
        doubled = [f"{r.rsplit(',', 1)[0]},{int(r.rsplit(',', 1)[1]) * 2}" for r in rows]
        with open(quotas, "w") as f:
            f.write("\n".join([header] + doubled) + "\n")
        fresh = run(args, fail, "llr after the quotas changed").stdout
        cached = run(args + ["--cache"], fail, "llr --cache after the quotas changed").stdout
        if fresh == plain:
            fail("doubling every quota did not change the result (the test cannot see the cache)")
        if cached != fresh:
            fail("--cache used a stale cache after the CSV changed")

        # The JIT's object cache across processes, and a corrupt object in it.
        objects = os.path.join(work, "jit-cache")
        env = dict(os.environ, FULCRUM_JIT_CACHE=objects)
        args = framework_args("targets", data) + ["--engine", "jit"]
        baseline = run(args, fail, "targets (fills the object cache)", env).stdout
        files = glob.glob(os.path.join(objects, "*.o"))
        if not files:
            fail("FULCRUM_JIT_CACHE: no object was written")
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
        if proc.returncode != 2 or expected not in proc.stderr:
            fail(f"--data reps=: exit {proc.returncode}, stderr {proc.stderr!r}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    fail.finish("threads, the column cache and the object cache never change a result")


main()
