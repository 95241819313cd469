#!/usr/bin/env python3
"""bench/run.py's argument checks: each --*-only mode reaches its benchmark (Bench.run is stubbed
to record what it was given), and each mode refuses what it cannot run (exit 2, argparse's usage
error). No data is generated and no tool runs."""
import contextlib
import importlib.util
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bench_run", os.path.join(HERE, "..", "..", "bench",
                                                                        "run.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

failures = []
ran = []
bench.Bench.__init__ = lambda self, args: setattr(self, "args", args)
bench.Bench.run = lambda self: ran.append(self.args) or 0


def main_with(argv):
    """(exit code, the args Bench ran with or None, stderr)."""
    ran.clear()
    sys.argv = ["run.py"] + argv
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            code = bench.main()
    except SystemExit as e:
        code = e.code
    return code, (ran[0] if ran else None), err.getvalue()


def expect_runs(argv, check, what):
    code, args, err = main_with(argv)
    if code != 0 or args is None:
        failures.append(f"{what}: expected the benchmark to run, got exit {code}: {err.strip()}")
    elif not check(args):
        failures.append(f"{what}: ran with sizes={args.sizes} event_sizes={args.event_sizes}")


def expect_refused(argv, needle, what):
    code, args, err = main_with(argv)
    if code != 2 or args is not None or needle not in err:
        failures.append(f"{what}: expected a usage error naming `{needle}`, got exit {code}, "
                        f"ran={args is not None}: {err.strip()}")


expect_runs(["--embedding-only"],
            lambda a: a.embedding_only and not a.sizes and not a.event_sizes and not a.deal_sizes,
            "--embedding-only")
expect_runs(["--postgres-only", "--sizes", "1M"],
            lambda a: (a.postgres_only and a.sizes == [1_000_000] and not a.event_sizes
                       and not a.deal_sizes),
            "--postgres-only")
expect_runs(["--dask-only", "--sizes", "1M"],
            lambda a: (a.dask_only and a.sizes == [1_000_000] and not a.event_sizes
                       and not a.deal_sizes),
            "--dask-only")
expect_runs([], lambda a: a.sizes and a.event_sizes and a.deal_sizes == [1_000_000, 5_000_000,
                                                                          20_000_000],
            "the whole benchmark")
expect_runs(["--sizes", "", "--event-sizes", ""], lambda a: a.deal_sizes and not a.sizes,
            "the deals shape alone")
expect_refused(["--postgres-only", "--sizes", ""], "--postgres-only needs at least one size",
               "--postgres-only without a size")
expect_refused(["--postgres-only", "--threads", "0"], "--threads >= 1",
               "--postgres-only --threads 0")
expect_refused(["--postgres-only", "--repeat", "0"], "--repeat >= 1", "--postgres-only --repeat 0")
expect_refused(["--embedding-only", "--postgres-only"], "exclude each other", "both --*-only")
expect_refused(["--dask-only", "--sizes", ""], "--dask-only needs at least one size",
               "--dask-only without a size")
expect_refused(["--dask-only", "--prove-only"], "exclude each other", "--dask-only and another")
expect_refused(["--sizes", "", "--event-sizes", "", "--deal-sizes", ""], "at least one size",
               "no size at all")

for f in failures:
    print(f)
CHECKS = 12  # each expect_* above adds at most one failure
print(f"{CHECKS - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
