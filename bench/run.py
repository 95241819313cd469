#!/usr/bin/env python3
"""The benchmark behind `make bench`: fulcrum against its peers on the same generated data.

    python3 bench/run.py [--sizes 1M,10M,50M] [--deal-sizes 1M,5M,20M] [--event-sizes 10M]
                         [--accounts 3M] [--threads N]
                         [--repeat K] [--budget S] [--period 2018-Q3] [--as-of DATE]
                         [--bin DIR] [--data-root DIR] [--out-dir DIR] [--tool NAME=PATH]...
                         [--embedding-only] [--prove-only] [--postgres-only] [--dask-only]

For each size it generates the data (reused when the stamp matches), then measures evaluation
throughput (JIT on N and 1 threads, interpreter, hand-written C++, DuckDB, Polars, SQLite,
pandas; every result checked against the JIT's), end-to-end process time, compile latency, peak
memory and the single-thread scan against one core's read bandwidth, and checks the figures
against the project's targets (issue 24's: the speed targets against the faster of DuckDB and
Polars). Each deal size does the same on the deals shape (`fulcrum-gen --pipeline`, Maven's CRM
export columns) with bench/frameworks/deals.fulcrum; the CSV load's MB/s per core and thread
scaling come from the JIT's runs of both shapes. For each event size it generates accounts and events (`--accounts` accounts,
the seed's 500 a rep for 6,000 reps by default) and measures the account lens
(bench/frameworks/events.fulcrum: temperature, a rank over every account, two alerts) on the
JIT, the interpreter, hand-written C++ and DuckDB, ranks and the alert feed checked exactly
against the JIT's, and what share of the JIT's run its alerts cost. Then the embedding API
(fulcrum-api-bench: the C API's overhead over Program::evaluate for a 35-rep llr run;
fulcrum-alert-bench: events a second through an alert session, one row and 1,000 rows a feed;
`--embedding-only` runs just these). Then `check --prove` (docs/prove.md) on every example and
on a generated llr with 50 checks: each check's time and each file's whole run (`--prove-only`
runs just these). At the smallest size, loading deals and activities from a local PostgreSQL
server against from CSV (`--postgres-only` runs just that, at every size), and llr on a Dask
LocalCluster of 1 and 2 workers against one process (bench/dask_scaling.py; `--dask-only` runs
just that, at every size). Prints aligned
tables, and writes them as JSON and Markdown
(build/bench-results.json, build/bench-results.md). Exits 1 when any result differs from the
JIT's or a tool fails; a missed target is reported, not an error.
"""
import argparse
import datetime
import filecmp
import glob
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FRAMEWORKS = ("llr", "targets")       # over the activity shape
DEALS_FRAMEWORKS = ("deals",)          # over the deals shape (`fulcrum-gen --pipeline`)
PEERS = ("handwritten", "duckdb", "polars", "sqlite", "pandas")
PEER_NAMES = {"handwritten": "hand-written C++", "duckdb": "DuckDB", "polars": "Polars",
              "sqlite": "SQLite", "pandas": "pandas"}
# The peers the speed targets are judged against: the faster of them at each measure.
FAST_PEERS = ("DuckDB", "Polars")
# Issue 24's targets.
HANDWRITTEN_GOAL = 1.1          # JIT eval at most this times the hand-written C++'s
PEER_EVAL_GOAL = 2.0            # JIT eval this many times faster than the faster peer
PEER_EVAL_FROM_ROWS = 5_000_000  # ... at every size from this many rows
PEER_E2E_GOAL = 2.0             # `fulcrum run` this many times faster end to end, every size
LOAD_GOAL_MB_S = {"activity": 500, "deals": 300}  # CSV load per core, one thread
SCALING_GOAL = 1.8
# Reps at the named sizes; other sizes interpolate on a log-log scale between these.
REPS_AT_SIZE = [(1_000_000, 600), (10_000_000, 3000), (50_000_000, 6000)]
# Bytes the activity scan reads per row: rep, day and kind as int32 columns, one validity byte each.
# What the JIT's activity scan reads a row: rep, day and kind as int32. They are declared
# without `?`, so their validity is never read (BoundColumnSpec::neverMissing).
SCAN_BYTES_PER_ROW = 3 * 4
SLOW_ENGINES = ("interp", "sqlite", "pandas")
TARGET_FILE = {f: os.path.join(REPO_ROOT, "bench", "frameworks", f + ".fulcrum")
               for f in FRAMEWORKS + DEALS_FRAMEWORKS}

# The account lens (language.md's fourth conformance block) over generated accounts and events.
EVENTS_FILE = os.path.join(REPO_ROOT, "bench", "frameworks", "events.fulcrum")
LENS = "account_lens"                    # with its two alerts
LENS_WITHOUT_ALERTS = "account_lens_no_alerts"  # the same columns, no alert declared
LENS_REPS = 6000                         # the seed's scale: about 500 accounts a rep
# The lens runs as of the generated range's last day (fulcrum-gen's default --end), so no event
# falls after the as-of day; the engines and peers follow the as-of rule all the same.
LENS_AS_OF = "2018-12-31"
# Result columns every engine and peer must match exactly; temperature (a sum of doubles whose
# order differs between engines) to LENS_REL.
LENS_EXACT = "size_of_prize,heat,priority,quiet_days"
LENS_REL = 1e-12
ALERT_SHARE_GOAL = 0.20                  # alert evaluation's share of the run, few alerts firing
# Issue 23's embedding targets: the C API's cost over Program::evaluate for a 35-rep llr run, and
# events a second (per core) through an alert session over examples/accounts' lens.
API_OVERHEAD_GOAL_US = 50
ALERT_FEED_GOAL = 1_000_000
BENCH_REPETITIONS = 5                    # Google Benchmark repetitions; the median is kept


# ----------------------------------------------------------------------------- small helpers

def parse_size(text):
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmMgG]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"bad size `{text}` (like 100k, 1M, 10M)")
    scale = {"": 1, "k": 1e3, "m": 1e6, "g": 1e9}[match.group(2).lower()]
    return int(float(match.group(1)) * scale)


def size_label(rows):
    for unit, scale in (("G", 10**9), ("M", 10**6), ("k", 10**3)):
        if rows >= scale and rows % scale == 0:
            return f"{rows // scale}{unit}"
    return str(rows)


def rows_of(size):
    """The rows a size counts: activity rows, or event rows for an event size."""
    return size["events"] if "events" in size else size["activities"]


def reps_for(rows):
    points = REPS_AT_SIZE
    if rows <= points[0][0]:
        (x0, y0), (x1, y1) = points[0], points[1]
    elif rows >= points[-1][0]:
        (x0, y0), (x1, y1) = points[-2], points[-1]
    else:
        i = next(i for i in range(1, len(points)) if rows <= points[i][0])
        (x0, y0), (x1, y1) = points[i - 1], points[i]
    slope = math.log(y1 / y0) / math.log(x1 / x0)
    reps = y0 * math.exp(slope * math.log(rows / x0))
    return max(20, min(100_000, int(round(reps))))


def fmt_seconds(s):
    if s is None:
        return "-"
    if s < 1e-3:
        return f"{s * 1e6:.0f} us"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


def fmt_rate(rows_per_s):
    return "-" if not rows_per_s else f"{rows_per_s / 1e6:.1f} M/s"


def fmt_ratio(x):
    return "-" if x is None else f"{x:.2f}x"


def fmt_bytes(n):
    if n is None:
        return "-"
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n:.0f} B"


class Table:
    """Rows of strings with a title; rendered as aligned text or as Markdown."""

    def __init__(self, title, columns, note="", left=(0,)):
        self.title, self.columns, self.note, self.rows = title, columns, note, []
        self.left = set(left)  # the columns aligned left (text); the others are right (numbers)

    def add(self, *cells):
        self.rows.append([str(c) for c in cells])

    def text(self):
        widths = [max(len(c), *(len(r[i]) for r in self.rows)) if self.rows else len(c)
                  for i, c in enumerate(self.columns)]

        def line(cells):
            return "  ".join(c.ljust(w) if i in self.left else c.rjust(w)
                             for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

        out = [self.title, "-" * len(self.title), line(self.columns),
               line(["-" * w for w in widths])]
        out += [line(r) for r in self.rows]
        if self.note:
            out.append(self.note)
        return "\n".join(out) + "\n"

    def markdown(self):
        out = [f"### {self.title}", "", "| " + " | ".join(self.columns) + " |",
               "|" + "|".join(" --- " if i in self.left else " ---: "
                        for i in range(len(self.columns))) + "|"]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in self.rows]
        if self.note:
            out += ["", self.note]
        return "\n".join(out) + "\n"

    def as_json(self):
        return {"title": self.title, "columns": self.columns, "rows": self.rows, "note": self.note}


class ProcessResult:
    def __init__(self, returncode, wall_s, max_rss_bytes, stdout, stderr):
        self.returncode, self.wall_s, self.max_rss_bytes = returncode, wall_s, max_rss_bytes
        self.stdout, self.stderr = stdout, stderr

    def json_line(self):
        for line in reversed(self.stdout.strip().splitlines()):
            line = line.strip()
            if line.startswith("{"):
                try:
                    return json.loads(line)
                except ValueError:
                    pass
        return None


PROVE_GENERATED = "prove50.fulcrum"


def prove_generated_source():
    """language.md's llr (ratings in 1..5) with 50 checks: bounds, implications between bands,
    and the teaching check at 50 quotas; some proved, some refuted, some unknown."""
    checks = []
    for i in range(50):
        kind = i % 5
        if kind == 0:
            checks.append(f'check "pip above {100 + i}%": attainment >= {100 + i}% implies '
                          f'outcome != "pip"')
        elif kind == 1:
            checks.append(f'check "llr under {5 + i}": llr is missing or llr <= {5 + i}')
        elif kind == 2:
            checks.append(f'check "results at {i}%": attainment >= {i}% implies '
                          f'llr.results >= {i / 150:.4f} - 0.001')
        elif kind == 3:
            checks.append(f'check "won over {i}k": won >= ${i}k or attainment < {i}%')
        else:
            checks.append(f'check "promote needs ratings {i}": outcome == "promote" implies '
                          f'leadership >= {1 + (i % 4) * 0.5}')
    return """entity rep {
  key name: text
  manager: text
}

table deals {
  key id: text
  owner: rep
  stage: text
  closed: date?
  value: money?
}

param quota: money = 600000

table ratings {
  rep: rep
  quarter: period
  leadership: number in 1..5
  leverage: number in 1..5
}

framework llr {
  subject rep
  cadence quarter

  metric won: money = sum(deals.value where stage == "Won" and closed in period)
  metric attainment: percent = won / quota
  metric leadership = avg(ratings.leadership where quarter == period)
  metric leverage = avg(ratings.leverage where quarter == period)

  score llr out of 5 {
    results    40% = clamp(attainment / 150%, 0, 1)
    leadership 30% = leadership / 5
    leverage   30% = leverage / 5
  }

  band outcome = case {
    llr is missing => "unrated"
    llr >= 4.5     => "promote"
    llr >= 3.5     => "raise"
    llr >= 2.0     => "meets"
    else           => "pip"
  }

""" + "\n".join("  " + c for c in checks) + "\n}\n"


def run_process(command, env=None, cwd=None):
    """Runs `command` to its end; wall time from spawn to reap, peak RSS from wait4's rusage."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            child = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd)
        except OSError as error:
            return ProcessResult(127, 0.0, 0, "", f"cannot start {command[0]}: {error}")
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ProcessResult(child.returncode, wall, usage.ru_maxrss * 1024,
                             out.read().decode(errors="replace"), err.read().decode(errors="replace"))


def machine_info():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    commit = subprocess.run(["git", "-C", REPO_ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_bytes": memory,
            "kernel": platform.release(), "commit": commit or "unknown",
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds")}


# ----------------------------------------------------------------------------- the benchmark

class Bench:
    def __init__(self, args):
        self.args = args
        self.threads = args.threads
        self.tools = {name: os.path.join(args.bin, name) for name in
                      ("fulcrum", "fulcrum-run-timed", "fulcrum-gen", "fulcrum-handwritten",
                       "fulcrum-bandwidth", "fulcrum-api-bench", "fulcrum-alert-bench")}
        for override in args.tool:
            name, _, path = override.partition("=")
            self.tools[name] = path
        self.tables = []          # every Table printed, in order
        self.records = {}         # section name -> list of measurement dicts (the JSON)
        self.problems = []        # mismatches and failures: each makes the exit status 1
        self.previous_wall = {}   # (engine, framework, kind) -> (activity rows, wall s)
        self.previous_eval = {}   # (engine, framework) -> (activity rows, best eval s)
        self.previous_lens = {}   # (engine or peer, framework) -> (event rows, load s, eval s)
        self.machine = machine_info()
        self.sizes = [{"label": size_label(n), "activities": n, "reps": reps_for(n),
                       "shape": "activity"} for n in args.sizes]
        # The deals shape: `activities` is the row count of sales_pipeline.csv, the table every
        # deals evaluation scans (the field keeps its name so the tables' code serves both).
        self.deal_sizes = [{"label": "deals-" + size_label(n), "activities": n,
                            "reps": reps_for(n), "shape": "deals"} for n in args.deal_sizes]
        self.event_sizes = [{"label": size_label(n), "events": n, "accounts": args.accounts,
                             "reps": LENS_REPS} for n in args.event_sizes]
        self.peers_available = self.find_peers()
        self.peers = [p for p in PEERS if p in args.peers]

    # --- tools and data

    def find_peers(self):
        available = {"handwritten": os.access(self.tools["fulcrum-handwritten"], os.X_OK)}
        peers_dir = os.path.join(REPO_ROOT, "bench", "peers")
        available["duckdb"] = bool(shutil.which("node")) and os.path.isdir(
            os.path.join(peers_dir, "node_modules", "@duckdb"))
        available["polars"] = bool(shutil.which("node")) and os.path.isdir(
            os.path.join(peers_dir, "node_modules", "nodejs-polars-linux-x64-gnu"))
        python_ok = os.access("/usr/bin/python3", os.X_OK)
        available["sqlite"] = python_ok
        available["pandas"] = python_ok and subprocess.run(
            ["/usr/bin/python3", "-c", "import pandas"], capture_output=True).returncode == 0
        return available

    def data_dir(self, size):
        return os.path.join(self.args.data_root, size["label"])

    def data_files(self, size):
        """(table, CSV path) of every table the size's frameworks read."""
        d = self.data_dir(size)
        if size["shape"] == "deals":
            files = (("rep", "sales_teams"), ("account", "accounts"),
                     ("pipeline", "sales_pipeline"))
        else:
            files = (("rep", "reps"), ("deals", "deals"), ("activities", "activities"),
                     ("ratings", "ratings"), ("quotas", "quotas"))
        return [(table, f"{d}/{file}.csv") for table, file in files]

    def data_flags(self, size):
        flags = []
        for table, path in self.data_files(size):
            flags += ["--data", f"{table}={path}"]
        return flags

    def data_bytes(self, size):
        return sum(os.path.getsize(path) for _, path in self.data_files(size))

    @staticmethod
    def frameworks_of(size):
        return DEALS_FRAMEWORKS if size["shape"] == "deals" else FRAMEWORKS

    @staticmethod
    def rows_name(size):
        return "deal rows" if size["shape"] == "deals" else "activity rows"

    def generate(self, size):
        directory = self.data_dir(size)
        stamp_path = os.path.join(directory, "stamp.json")
        deals = size["shape"] == "deals"
        wanted = {"reps": size["reps"], "pipeline" if deals else "activities": size["activities"],
                  "seed": self.args.seed}
        try:
            with open(stamp_path) as f:
                if json.load(f) == wanted:
                    return "reused"
        except (OSError, ValueError):
            pass
        os.makedirs(directory, exist_ok=True)
        if os.path.exists(stamp_path):
            os.remove(stamp_path)
        for old_cache in glob.glob(os.path.join(directory, "*.fulcrum-cache")):
            os.remove(old_cache)
        result = run_process([self.tools["fulcrum-gen"], "--out", directory, "--reps",
                              str(size["reps"]), "--pipeline" if deals else "--activities",
                              str(size["activities"]), "--seed", str(self.args.seed),
                              "--threads", str(self.threads)])
        if result.returncode != 0:
            raise SystemExit(f"fulcrum-gen failed:\n{result.stderr}")
        with open(stamp_path, "w") as f:
            json.dump(wanted, f)
        return f"generated in {result.wall_s:.1f} s"

    def out_path(self, size, name):
        directory = os.path.join(self.args.out_dir, size["label"])
        os.makedirs(directory, exist_ok=True)
        return os.path.join(directory, name)

    # --- commands

    def when(self):
        """The evaluation period, and the as-of day when one is given (every tool takes both)."""
        return ["--period", self.args.period] + (["--as-of", self.args.as_of]
                                                 if self.args.as_of else [])

    def timed_command(self, framework, size, engine, threads, out, repeat, extra=()):
        return ([self.tools["fulcrum-run-timed"], TARGET_FILE[framework], "--framework", framework]
                + self.when() + self.data_flags(size) +
                ["--engine", engine, "--threads", str(threads), "--repeat", str(repeat),
                 "--compiles", "1", "--out", out] + list(extra))

    def peer_command(self, peer, framework, size, out, repeat):
        common = ["--data", self.data_dir(size), "--framework", framework] + self.when() + [
            "--out", out, "--threads", str(self.threads), "--repeat", str(repeat)]
        if peer == "handwritten":
            return [self.tools["fulcrum-handwritten"]] + common
        if peer in ("duckdb", "polars"):
            return ["node", os.path.join(REPO_ROOT, "bench", "peers", f"{peer}_peer.mjs")] + common
        return ["/usr/bin/python3", os.path.join(REPO_ROOT, "bench", "peers", f"{peer}_peer.py")] + common

    def fulcrum_run_command(self, framework, size, out, engine="jit", cache=False):
        return ([self.tools["fulcrum"], "run", TARGET_FILE[framework], "--framework", framework]
                + self.when() + ["--format", "csv", "--out", out,
                 "--engine", engine, "--threads", str(self.threads)] +
                (["--cache"] if cache else []) + self.data_flags(size))

    def over_budget(self, key, size):
        """The estimated wall time of `key` at `size` from the previous size, if above budget."""
        if key not in self.previous_wall:
            return None
        rows, wall = self.previous_wall[key]
        estimate = wall * rows_of(size) / rows
        return estimate if estimate > self.args.budget else None

    def check_against_jit(self, jit_csv, other_csv, what, exact=False, compare_args=()):
        """'ok', or 'MISMATCH' (recorded as a problem) when `other_csv` differs from the JIT's."""
        if exact:
            if filecmp.cmp(jit_csv, other_csv, shallow=False):
                return "ok"
            self.problems.append(f"{what}: output differs byte for byte from the JIT's")
            return "MISMATCH"
        verdict = subprocess.run([sys.executable, os.path.join(REPO_ROOT, "bench", "compare.py"),
                                  jit_csv, other_csv] + list(compare_args),
                                 capture_output=True, text=True)
        if verdict.returncode == 0:
            return "ok"
        self.problems.append(f"{what}: differs from the JIT's:\n{verdict.stdout}{verdict.stderr}")
        return "MISMATCH"

    def fail(self, what, result):
        detail = (result.stderr.strip() or result.stdout.strip()).splitlines()[-5:]
        self.problems.append(f"{what}: exit {result.returncode}: " + " / ".join(detail))

    def show(self, table):
        self.tables.append(table)
        print()
        print(table.text(), end="", flush=True)
        self.write_outputs()

    # --- 2. evaluation throughput

    def throughput(self, size):
        n, k = size["activities"], self.args.repeat
        table = Table(f"Evaluation throughput, {size['label']} {self.rows_name(size)} ({size['reps']} reps)",
                      ["framework", "engine", "threads", "eval (best)", "median", "rows/s",
                       "vs JIT", "check"], left=(0, 1, 7),
                      note=f"eval: best of the repeats over loaded tables (load excluded); "
                           f"vs JIT: this engine's time / the JIT's on {self.threads} threads.")
        records = self.records.setdefault("throughput", [])
        for framework in self.frameworks_of(size):
            jit_csv = self.out_path(size, f"{framework}-jit.csv")
            jit = self.run_timed(size, framework, "jit", self.threads, jit_csv, k, table, records)
            if jit is None:
                continue
            jit_eval = jit["eval_s"]
            runs = [("jit", 1)] if self.threads != 1 else []
            if self.threads != 2 and (os.cpu_count() or 1) >= 2:
                runs.append(("jit", 2))
            runs.append(("interp", self.threads))
            for engine, threads in runs:
                out = self.out_path(size, f"{framework}-{engine}-{threads}.csv")
                self.run_timed(size, framework, engine, threads, out,
                               self.slow_repeat(engine, framework, size), table, records,
                               jit_csv=jit_csv, jit_eval=jit_eval)
            for peer in self.peers:
                self.run_peer(size, framework, peer, jit_csv, jit_eval, table, records)
        self.show(table)

    def slow_repeat(self, engine, framework, size):
        if engine not in SLOW_ENGINES:
            return self.args.repeat
        previous = self.previous_eval.get((engine, framework))
        if previous and previous[1] * rows_of(size) / previous[0] > 20:
            return 1
        return min(self.args.repeat, 3)

    def run_timed(self, size, framework, engine, threads, out, repeat, table, records,
                  jit_csv=None, jit_eval=None):
        n = size["activities"]
        key = (engine, framework, "eval")
        label = "JIT" if engine == "jit" else "interpreter"
        estimate = self.over_budget(key, size) if engine != "jit" else None
        record = {"size": size["label"], "activities": n, "framework": framework,
                  "engine": label, "threads": threads}
        if estimate is not None:
            table.add(framework, label, threads, f"skipped (est. {estimate:.{0 if estimate >= 10 else 1}f} s)", "", "", "", "")
            records.append(dict(record, skipped_estimate_s=estimate))
            return None
        result = run_process(self.timed_command(framework, size, engine, threads, out, repeat))
        timing = result.json_line()
        if result.returncode != 0 or timing is None:
            self.fail(f"{size['label']} {framework} {label} {threads} threads", result)
            table.add(framework, label, threads, "FAILED", "", "", "", "")
            records.append(dict(record, failed=True))
            return None
        self.previous_wall[key] = (n, result.wall_s)
        self.previous_eval[(engine, framework)] = (n, timing["eval_s"])
        ratio, check = None, ""
        if jit_csv is not None:
            exact = engine == "interp"
            check = self.check_against_jit(jit_csv, out, f"{size['label']} {framework} {label} "
                                           f"{threads} threads", exact=exact)
            if check == "ok" and exact:
                check = "identical"
            ratio = timing["eval_s"] / jit_eval if jit_eval else None
        table.add(framework, label, threads, fmt_seconds(timing["eval_s"]),
                  fmt_seconds(timing["eval_median_s"]), fmt_rate(n / timing["eval_s"]),
                  "MISMATCH" if check == "MISMATCH" else fmt_ratio(ratio) if ratio else "1.00x",
                  check or "reference")
        timing = {k: v for k, v in timing.items() if k != "engine"}
        records.append(dict(record, repeat=repeat, wall_s=result.wall_s, check=check or "reference",
                            ratio_to_jit=ratio, rows_per_s=n / timing["eval_s"], **timing))
        return timing

    def run_peer(self, size, framework, peer, jit_csv, jit_eval, table, records):
        n = size["activities"]
        name = PEER_NAMES[peer]
        record = {"size": size["label"], "activities": n, "framework": framework, "engine": name}
        if not self.peers_available[peer]:
            table.add(framework, name, "", "unavailable (tools/bench_deps.sh)", "", "", "", "")
            records.append(dict(record, unavailable=True))
            return
        key = (peer, framework, "eval")
        # The targets are judged against DuckDB and Polars at every size: never skipped.
        estimate = None if PEER_NAMES[peer] in FAST_PEERS else self.over_budget(key, size)
        if estimate is not None:
            table.add(framework, name, "", f"skipped (est. {estimate:.{0 if estimate >= 10 else 1}f} s)", "", "", "", "")
            records.append(dict(record, skipped_estimate_s=estimate))
            return
        out = self.out_path(size, f"{framework}-{peer}.csv")
        repeat = self.slow_repeat(peer, framework, size)
        result = run_process(self.peer_command(peer, framework, size, out, repeat))
        timing = result.json_line()
        if result.returncode != 0 or timing is None:
            self.fail(f"{size['label']} {framework} {name}", result)
            table.add(framework, name, "", "FAILED", "", "", "", "")
            records.append(dict(record, failed=True))
            return
        self.previous_wall[key] = (n, result.wall_s)
        self.previous_eval[(peer, framework)] = (n, timing["eval_s"])
        check = self.check_against_jit(jit_csv, out, f"{size['label']} {framework} {name}")
        ratio = timing["eval_s"] / jit_eval if jit_eval else None
        threads = timing.get("threads", self.threads)
        table.add(framework, name, threads, fmt_seconds(timing["eval_s"]),
                  fmt_seconds(timing.get("eval_median_s")), fmt_rate(n / timing["eval_s"]),
                  "MISMATCH" if check == "MISMATCH" else fmt_ratio(ratio), check)
        records.append(dict(record, threads=threads, repeat=repeat, wall_s=result.wall_s,
                            check=check, ratio_to_jit=ratio, rows_per_s=n / timing["eval_s"],
                            eval_s=timing["eval_s"], eval_median_s=timing.get("eval_median_s"),
                            load_s=timing.get("load_s")))

    # --- 3. end to end (and 5. peak memory of `fulcrum run`)

    def end_to_end(self, size):
        table = Table(f"End to end, {size['label']} {self.rows_name(size)}",
                      ["framework", "process", "wall", "peak RSS", "vs fulcrum", "check"], left=(0, 1, 5),
                      note="wall: the whole process (start, compile, load the CSVs, evaluate once, "
                           "write the result); vs fulcrum: this process's wall / `fulcrum run`'s.")
        records = self.records.setdefault("end_to_end", [])
        for framework in self.frameworks_of(size):
            jit_csv = self.out_path(size, f"{framework}-jit.csv")
            reference = jit_csv if os.path.exists(jit_csv) else None
            fulcrum_wall = None
            variants = ["fulcrum run"]
            if self.cli_accepts_cache():
                variants += ["fulcrum run --cache (cold)", "fulcrum run --cache (warm)"]
            for variant in variants:
                cache = "--cache" in variant
                if variant.endswith("(cold)"):
                    for old in glob.glob(os.path.join(self.data_dir(size), "*.fulcrum-cache")):
                        os.remove(old)
                out = self.out_path(size, f"{framework}-e2e-{len(variant)}.csv")
                result = run_process(self.fulcrum_run_command(framework, size, out, cache=cache))
                record = {"size": size["label"], "activities": size["activities"],
                          "framework": framework, "process": variant}
                if result.returncode != 0:
                    self.fail(f"{size['label']} {framework} {variant}", result)
                    table.add(framework, variant, "FAILED", "", "", "")
                    records.append(dict(record, failed=True))
                    continue
                check = (self.check_against_jit(reference, out, f"{size['label']} {framework} "
                                                f"{variant}") if reference else "")
                if fulcrum_wall is None:
                    fulcrum_wall = result.wall_s
                ratio = result.wall_s / fulcrum_wall
                table.add(framework, variant, fmt_seconds(result.wall_s),
                          fmt_bytes(result.max_rss_bytes), fmt_ratio(ratio), check)
                records.append(dict(record, wall_s=result.wall_s, peak_rss_bytes=result.max_rss_bytes,
                                    ratio_to_fulcrum=ratio, check=check))
            for peer in self.peers:
                name = PEER_NAMES[peer]
                record = {"size": size["label"], "activities": size["activities"],
                          "framework": framework, "process": name}
                if not self.peers_available[peer]:
                    table.add(framework, name, "unavailable", "", "", "")
                    records.append(dict(record, unavailable=True))
                    continue
                key = (peer, framework, "e2e")
                estimate = None if name in FAST_PEERS else (
                    self.over_budget(key, size) or self.over_budget((peer, framework, "eval"), size))
                if estimate is not None:
                    table.add(framework, name, f"skipped (est. {estimate:.{0 if estimate >= 10 else 1}f} s)", "", "", "")
                    records.append(dict(record, skipped_estimate_s=estimate))
                    continue
                out = self.out_path(size, f"{framework}-e2e-{peer}.csv")
                result = run_process(self.peer_command(peer, framework, size, out, 1))
                if result.returncode != 0:
                    self.fail(f"{size['label']} {framework} {name} end to end", result)
                    table.add(framework, name, "FAILED", "", "", "")
                    records.append(dict(record, failed=True))
                    continue
                self.previous_wall[key] = (size["activities"], result.wall_s)
                check = (self.check_against_jit(reference, out, f"{size['label']} {framework} "
                                                f"{name} end to end") if reference else "")
                ratio = result.wall_s / fulcrum_wall if fulcrum_wall else None
                table.add(framework, name, fmt_seconds(result.wall_s),
                          fmt_bytes(result.max_rss_bytes), fmt_ratio(ratio), check)
                records.append(dict(record, wall_s=result.wall_s, peak_rss_bytes=result.max_rss_bytes,
                                    ratio_to_fulcrum=ratio, check=check))
        self.show(table)

    def postgres_load(self, size):
        """Loading the same rows from PostgreSQL (docs/postgres.md) against from the CSV files:
        a server started for the run (tests/postgres/pg_server.py), deals and activities COPYed
        into tables of real SQL types, then fulcrum-run-timed on one thread with those two tables
        from the database and with every table from CSV; the results must be byte-identical."""
        table = Table(f"Loading from PostgreSQL, {size['label']} activity rows",
                      ["source", "load", "rows", "rows/s", "vs CSV", "check"], left=(0, 5),
                      note="load: Program::load of every table (fulcrum-run-timed's load_s, one "
                           "thread); deals and activities from a local PostgreSQL 15 over a "
                           "Unix socket (binary COPY), the rest from CSV either way.")
        records = self.records.setdefault("postgres_load", [])
        sys.path.insert(0, os.path.join(REPO_ROOT, "tests", "postgres"))
        import pg_server
        if not os.access(os.path.join(pg_server.PG_BIN, "postgres"), os.X_OK):
            table.add("PostgreSQL", "unavailable", "", "", "", "")
            records.append({"size": size["label"], "unavailable": True})
            return self.show(table)
        d = self.data_dir(size)
        columns = {"deals": "deal_id text, owner text, account text, product text, stage text, "
                            "engaged date, closed date, value numeric(14,2)",
                   "activities": "rep text, account text, day date, kind text"}
        with pg_server.PostgresServer() as pg:
            pg.create_database("bench")
            for name, cols in columns.items():
                pg.psql("bench", f"CREATE TABLE {name} ({cols});\n"
                                 f"\\copy {name} FROM '{d}/{name}.csv' WITH (FORMAT csv, HEADER true)\n")
            pg.psql("bench", "VACUUM ANALYZE;")
            env = pg.client_env()
            base_csv = None
            csv_load = None
            for source in ("CSV", "PostgreSQL"):
                out = self.out_path(size, f"llr-load-{source}.csv")
                extra = []
                if source == "PostgreSQL":
                    extra = [f for name in columns
                             for f in ("--data", f"{name}=postgresql:///bench?table={name}")]
                command = self.timed_command("llr", size, "jit", 1, out, 1) + extra
                result = run_process(command, env=env)
                timing = result.json_line() if result.returncode == 0 else None
                record = {"size": size["label"], "activities": size["activities"], "source": source}
                if timing is None:
                    self.fail(f"{size['label']} load from {source}", result)
                    table.add(source, "FAILED", "", "", "", "")
                    records.append(dict(record, failed=True))
                    continue
                load_s, rows = timing["load_s"], timing["rows"]
                check = ""
                if source == "CSV":
                    base_csv, csv_load = out, load_s
                elif base_csv:
                    check = self.check_against_jit(base_csv, out,
                                                   f"{size['label']} load from PostgreSQL",
                                                   exact=True)
                ratio = load_s / csv_load if csv_load else None
                table.add(source, fmt_seconds(load_s), rows, fmt_rate(rows / load_s),
                          fmt_ratio(ratio), check)
                records.append(dict(record, load_s=load_s, rows=rows, rows_per_s=rows / load_s,
                                    ratio_to_csv=ratio, check=check))
        self.show(table)

    def dask_scaling(self, size):
        """llr through fulcrum.dask (docs/scaling.md) on a LocalCluster of 1 and 2 worker
        processes against `fulcrum run` on one thread, the fact tables cut by rep into 8 files
        (bench/dask_scaling.py, run by a Python with Dask's distributed); the CSVs must be
        byte-identical."""
        table = Table(f"Dask, llr, {size['label']} activity rows",
                      ["run", "first run", "best run", "vs one process", "shipped to stage 2",
                       "check"], left=(0, 5),
                      note="first run: the workers compile the framework (JIT cache off); best: "
                           "of 2 more; one process: `fulcrum run --threads 1`, best of 2. "
                           "shipped: every partition's partial (JSON) together.")
        records = self.records.setdefault("dask", [])
        python = next((p for p in (sys.executable, "/usr/bin/python3")
                       if run_process([p, "-c", "import distributed, numpy, pandas"]).returncode
                       == 0), None)
        if python is None:
            table.add("Dask", "unavailable (python3-distributed)", "", "", "", "")
            records.append({"size": size["label"], "unavailable": True})
            return self.show(table)
        env = dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(self.args.bin), "python"))
        result = run_process([python, os.path.join(REPO_ROOT, "bench", "dask_scaling.py"),
                              "--bin", self.args.bin, "--data", self.data_dir(size),
                              "--period", self.args.period], env=env)
        try:
            report = json.loads(result.stdout)
        except ValueError:
            self.fail(f"{size['label']} dask", result)
            table.add("Dask", "FAILED", "", "", "", "")
            records.append({"size": size["label"], "failed": True})
            return self.show(table)
        if result.returncode != 0:
            self.problems.append(f"{size['label']} dask: a result differs from fulcrum run's")
        one = report["one_process_s"]
        table.add("fulcrum run (1 process, 1 thread)", "", fmt_seconds(one), "1.00x", "", "")
        for run in report["dask"]:
            table.add(f"Dask, {run['workers']} worker(s), {report['parts']} files a table",
                      fmt_seconds(run["first_s"]), fmt_seconds(run["best_s"]),
                      fmt_ratio(run["best_s"] / one), fmt_bytes(report["stage2_input_bytes"]),
                      "ok" if run["identical"] else "DIFFERS")
        records.append(dict(report, size=size["label"]))
        self.show(table)

    def cli_accepts_cache(self):
        """Whether `fulcrum run`'s usage (printed for no arguments) lists --cache."""
        usage = run_process([self.tools["fulcrum"], "run"])
        return "--cache" in usage.stderr + usage.stdout

    def load_rate(self):
        """CSV loading: fulcrum-run-timed's load (`Program::load` of every table given) on one
        thread and on N, over the bytes of the CSV files given."""
        table = Table("CSV load (fulcrum-run-timed, JIT runs)",
                      ["size", "framework", "CSV bytes", "load, 1 thread", "MB/s, 1 thread",
                       f"load, {self.threads} threads", "scaling"], left=(0, 1),
                      note="load: Program::load of every table passed with --data (each file "
                           "parsed, keys and references checked); MB/s: the files' bytes over "
                           "the one-thread load, so per core; scaling: one thread's load over "
                           f"{self.threads} threads'.")
        records = self.records.setdefault("load", [])
        for size in self.sizes + self.deal_sizes:
            for framework in self.frameworks_of(size):
                one = self.find("throughput", size=size["label"], framework=framework,
                                engine="JIT", threads=1)
                many = self.find("throughput", size=size["label"], framework=framework,
                                 engine="JIT", threads=self.threads)
                if not one or "load_s" not in one:
                    continue
                size_bytes = self.data_bytes(size)
                rate = size_bytes / one["load_s"] / 1e6
                scaling = (one["load_s"] / many["load_s"]
                           if many and "load_s" in many and many is not one else None)
                table.add(size["label"], framework, fmt_bytes(size_bytes),
                          fmt_seconds(one["load_s"]), f"{rate:.0f}",
                          fmt_seconds(many["load_s"]) if many else "-",
                          fmt_ratio(scaling) if scaling else "-")
                records.append({"size": size["label"], "shape": size["shape"],
                                "framework": framework, "bytes": size_bytes,
                                "load_1_s": one["load_s"], "mb_s_per_core": rate,
                                "load_n_s": many.get("load_s") if many else None,
                                "scaling": scaling})
        if table.rows:
            self.show(table)

    def peak_memory(self):
        if not self.sizes and not self.deal_sizes:
            return
        table = Table("Peak memory of `fulcrum run` (JIT, no cache)",
                      ["size", "framework", "peak RSS", "loaded columns", "RSS / columns"],
                      note="peak RSS: the process's ru_maxrss (os.wait4); loaded columns: "
                           "fulcrum-run-timed's column_bytes for the same tables.")
        records = self.records.setdefault("memory", [])
        for size in self.sizes + self.deal_sizes:
            for framework in self.frameworks_of(size):
                e2e = self.find("end_to_end", size=size["label"], framework=framework,
                                process="fulcrum run")
                timed = self.find("throughput", size=size["label"], framework=framework,
                                  engine="JIT", threads=self.threads)
                if not e2e or not timed or "peak_rss_bytes" not in e2e or "column_bytes" not in timed:
                    continue
                ratio = e2e["peak_rss_bytes"] / timed["column_bytes"] if timed["column_bytes"] else None
                table.add(size["label"], framework, fmt_bytes(e2e["peak_rss_bytes"]),
                          fmt_bytes(timed["column_bytes"]), fmt_ratio(ratio))
                records.append({"size": size["label"], "framework": framework,
                                "peak_rss_bytes": e2e["peak_rss_bytes"],
                                "column_bytes": timed["column_bytes"], "ratio": ratio})
        self.show(table)

    def find(self, section, **fields):
        for record in self.records.get(section, []):
            if all(record.get(k) == v for k, v in fields.items()):
                return record
        return None

    # --- 4. compile latency

    def jit_cache_honoured(self):
        for tool in ("fulcrum", "fulcrum-run-timed"):
            try:
                with open(self.tools[tool], "rb") as f:
                    if b"FULCRUM_JIT_CACHE" in f.read():
                        return True
            except OSError:
                pass
        return False

    def compile_latency(self, share=True):
        honoured = self.jit_cache_honoured()
        sources = sorted(glob.glob(os.path.join(REPO_ROOT, "examples", "*", "*.fulcrum")))
        sources += [TARGET_FILE[f] for f in FRAMEWORKS + DEALS_FRAMEWORKS] + [EVENTS_FILE]
        table = Table("Compile latency (JIT)",
                      ["file", "framework", "median", "front end", "back end", "first back end",
                       "recompile", "2nd process first", "2nd median", "FULCRUM_JIT_CACHE"],
                      left=(0, 1),
                      note="median of 21 uncached compiles in one process (front end + plan + "
                           "LLVM, FULCRUM_JIT_CACHE=off); first back end: the process's first, "
                           "which also starts LLVM; recompile: the median of 21 compiles of the "
                           "same file in the same process through the program cache (source to "
                           "runnable program, after one compile filled it); 2nd process: after "
                           "another process filled the "
                           "object cache, a fresh process's first compile (front end + back end) "
                           "and its median of 21" +
                           (" with FULCRUM_JIT_CACHE shared with the first process."
                            if honoured else "; FULCRUM_JIT_CACHE is not honoured by this build, "
                                             "so there is no cross-process cache."))
        records = self.records.setdefault("compile", [])
        cache_dir = tempfile.mkdtemp(prefix="fulcrum-jit-cache-")
        try:
            for source in sources:
                with open(source) as f:
                    names = re.findall(r"^framework\s+(\w+)", f.read(), re.MULTILINE)
                for framework in names:
                    # Uncached: every compile a fresh one (FULCRUM_JIT_CACHE=off also turns the
                    # in-memory object cache off). Cached: a process fills a fresh cache folder,
                    # then a second process compiles with it.
                    uncached = dict(os.environ, FULCRUM_JIT_CACHE="off")
                    env = dict(os.environ)
                    if honoured:
                        env["FULCRUM_JIT_CACHE"] = os.path.join(cache_dir, framework + "-"
                                                                + str(len(records)))
                    command = [self.tools["fulcrum-run-timed"], source, "--framework", framework,
                               "--compiles", "21"]
                    first = run_process(command, env=uncached)
                    run_process(command[:-1] + ["1"], env=env)
                    second = run_process(command, env=env)
                    rel = os.path.relpath(source, REPO_ROOT)
                    a, b = first.json_line(), second.json_line()
                    if first.returncode or second.returncode or not a or not b:
                        self.fail(f"compile {rel} {framework}", first if first.returncode else second)
                        table.add(rel, framework, "FAILED", "", "", "", "", "", "", "")
                        continue
                    median = a["front_end_ms"] + a["back_end_ms"]
                    if "cached_compile_ms" not in a:
                        self.problems.append(f"compile {rel} {framework}: fulcrum-run-timed "
                                             "printed no cached_compile_ms (the recompile)")
                    second_first = b["front_end_ms"] + b["first_back_end_ms"]
                    table.add(rel, framework, f"{median:.2f} ms", f"{a['front_end_ms']:.2f} ms",
                              f"{a['back_end_ms']:.2f} ms", f"{a['first_back_end_ms']:.2f} ms",
                              f"{a['cached_compile_ms']:.3f} ms" if "cached_compile_ms" in a
                              else "FAILED",
                              f"{second_first:.2f} ms",
                              f"{b['front_end_ms'] + b['back_end_ms']:.2f} ms",
                              "shared" if honoured else "not honoured")
                    records.append({"file": rel, "framework": framework, "median_ms": median,
                                    "front_end_ms": a["front_end_ms"],
                                    "back_end_ms": a["back_end_ms"],
                                    "first_back_end_ms": a["first_back_end_ms"],
                                    "recompile_ms": a.get("cached_compile_ms"),
                                    "second_process_first_ms": second_first,
                                    "second_process_median_ms": b["front_end_ms"] + b["back_end_ms"],
                                    "cache_honoured": honoured})
        finally:
            shutil.rmtree(cache_dir, ignore_errors=True)
        self.show(table)
        if share:
            self.compile_share()

    def compile_share(self):
        sized = [s for s in self.sizes if s["activities"] == 10_000_000] or self.sizes[-1:]
        if not sized:
            return
        size = sized[0]
        table = Table(f"Compile's share of a {size['label']}-row JIT run",
                      ["framework", "compile", "load", "eval", "compile share"],
                      note="from fulcrum-run-timed's JIT run on all threads: compile = front end + "
                           "back end (one compile), eval = the median evaluation; share = compile "
                           "/ (compile + load + eval).")
        records = self.records.setdefault("compile_share", [])
        for framework in FRAMEWORKS:
            t = self.find("throughput", size=size["label"], framework=framework, engine="JIT",
                          threads=self.threads)
            if not t or "front_end_ms" not in t:
                continue
            compile_s = (t["front_end_ms"] + t["back_end_ms"]) / 1e3
            total = compile_s + t["load_s"] + t["eval_median_s"]
            share = compile_s / total
            table.add(framework, fmt_seconds(compile_s), fmt_seconds(t["load_s"]),
                      fmt_seconds(t["eval_median_s"]), f"{share * 100:.1f}%")
            records.append({"size": size["label"], "framework": framework, "compile_s": compile_s,
                            "load_s": t["load_s"], "eval_s": t["eval_median_s"], "share": share})
        self.show(table)

    # --- 6. memory bandwidth

    def bandwidth(self):
        if not self.sizes:
            return
        size = self.sizes[-1]
        table = Table("Single-thread scan against one core's read bandwidth",
                      ["measure", "bytes", "time", "GB/s", "fraction"],
                      note=f"scan bytes: {size['label']} activity rows x {SCAN_BYTES_PER_ROW} "
                           f"(rep, day, kind as int32; their validity is not read); the JIT's "
                           f"single-thread llr evaluation (best of {self.args.repeat}); bandwidth: "
                           f"fulcrum-bandwidth, a plain sum over arrays of the same layout, best pass.")
        record = {}
        tool = self.tools["fulcrum-bandwidth"]
        if not os.access(tool, os.X_OK):
            self.problems.append(f"bandwidth: {tool} is missing (build the fulcrum-bandwidth target)")
            table.add("one core's read bandwidth", "", "", "missing", "")
            self.records["bandwidth"] = record
            self.show(table)
            return
        rows = min(size["activities"], 100_000_000)
        result = run_process([tool, "--rows", str(rows)])
        measured = result.json_line()
        if result.returncode != 0 or not measured:
            self.fail("fulcrum-bandwidth", result)
            table.add("one core's read bandwidth", "", "", "FAILED", "")
        else:
            record["bandwidth"] = measured
            table.add("one core's read bandwidth", fmt_bytes(measured["bytes"]),
                      fmt_seconds(measured["seconds"]), f"{measured['gb_per_s']:.2f}", "1.00")
        single = self.find("throughput", size=size["label"], framework="llr", engine="JIT", threads=1)
        if single is None and self.threads == 1:
            single = self.find("throughput", size=size["label"], framework="llr", engine="JIT")
        if single and "eval_s" in single and measured:
            scan_bytes = size["activities"] * SCAN_BYTES_PER_ROW
            gbps = scan_bytes / single["eval_s"] / 1e9
            fraction = gbps / measured["gb_per_s"]
            table.add("JIT llr scan, 1 thread", fmt_bytes(scan_bytes), fmt_seconds(single["eval_s"]),
                      f"{gbps:.2f}", f"{fraction:.2f}")
            record.update({"scan_bytes": scan_bytes, "scan_eval_s": single["eval_s"],
                           "scan_gb_per_s": gbps, "fraction": fraction})
        self.records["bandwidth"] = record
        self.show(table)

    # --- 7. the account lens: millions of subjects, a rank, alerts

    def lens_data_dir(self, size):
        return os.path.join(self.args.data_root, f"events-{size['label']}")

    def lens_data_flags(self, size):
        d = self.lens_data_dir(size)
        return ["--data", f"account={d}/accounts.csv", "--data", f"events={d}/events.csv"]

    def generate_lens(self, size):
        """Accounts and events (and the few reps that own them; no activities) for `size`."""
        directory = self.lens_data_dir(size)
        stamp_path = os.path.join(directory, "stamp.json")
        wanted = {"reps": size["reps"], "accounts": size["accounts"], "events": size["events"],
                  "activities": 0, "seed": self.args.seed}
        try:
            with open(stamp_path) as f:
                if json.load(f) == wanted:
                    return "reused"
        except (OSError, ValueError):
            pass
        os.makedirs(directory, exist_ok=True)
        if os.path.exists(stamp_path):
            os.remove(stamp_path)
        for old_cache in glob.glob(os.path.join(directory, "*.fulcrum-cache")):
            os.remove(old_cache)
        result = run_process([self.tools["fulcrum-gen"], "--out", directory, "--reps",
                              str(size["reps"]), "--accounts", str(size["accounts"]),
                              "--events", str(size["events"]), "--activities", "0",
                              "--seed", str(self.args.seed), "--threads", str(self.threads)])
        if result.returncode != 0:
            raise SystemExit(f"fulcrum-gen failed:\n{result.stderr}")
        with open(stamp_path, "w") as f:
            json.dump(wanted, f)
        return f"generated in {result.wall_s:.1f} s"

    def lens_check(self, reference, other, what, exact):
        """Compares a lens run (result CSV and, when both have one, alert feed) with the JIT's:
        'identical' (both byte for byte), 'ok' (ranks, sizes, bands and quiet days exactly,
        temperature to LENS_REL, the feed byte for byte) or 'MISMATCH' (a problem)."""
        (ref_csv, ref_feed), (csv_path, feed) = reference, other
        same = filecmp.cmp(ref_csv, csv_path, shallow=False)
        if not same and exact:
            self.problems.append(f"{what}: the result differs byte for byte from the JIT's")
            return "MISMATCH"
        if not same and self.check_against_jit(
                ref_csv, csv_path, what,
                compare_args=["--exact", LENS_EXACT, "--rel", str(LENS_REL)]) != "ok":
            return "MISMATCH"
        if ref_feed and feed and not filecmp.cmp(ref_feed, feed, shallow=False):
            with open(ref_feed) as a, open(feed) as b:
                lines_a, lines_b = a.read().splitlines(), b.read().splitlines()
            first = next((i for i, (x, y) in enumerate(zip(lines_a, lines_b)) if x != y),
                         min(len(lines_a), len(lines_b)))
            self.problems.append(
                f"{what}: the alert feed differs from the JIT's ({len(lines_a) - 1} vs "
                f"{len(lines_b) - 1} alerts; first at line {first + 1}: "
                f"{lines_a[first] if first < len(lines_a) else '(none)'!r} vs "
                f"{lines_b[first] if first < len(lines_b) else '(none)'!r})")
            return "MISMATCH"
        return "identical" if same else "ok"

    def lens_plan(self, key, size):
        """(repeat, estimate or None) for engine or peer `key` at `size`: its load and one
        evaluation at the previous event size, scaled by the event rows (an overestimate: the
        3M accounts' share does not grow), give the repeat (all of --repeat, at most 3 for a
        slow engine or above 2 s an evaluation, 1 above 20 s) and, when load plus those
        evaluations would exceed --budget, the estimate (skip it)."""
        previous = self.previous_lens.get(key)
        slow = key[0] in SLOW_ENGINES
        if not previous:
            return (min(self.args.repeat, 3) if slow else self.args.repeat), None
        rows, load, evaluation = previous
        scale = rows_of(size) / rows
        one = evaluation * scale
        repeat = (1 if one > 20 else min(self.args.repeat, 3) if slow or one > 2
                  else self.args.repeat)
        estimate = (load + evaluation * repeat) * scale
        return repeat, (estimate if estimate > self.args.budget else None)

    def lens_timed_command(self, size, framework, engine, out, feed, repeat, also_no_feed=False):
        return ([self.tools["fulcrum-run-timed"], EVENTS_FILE, "--framework", framework,
                 "--as-of", LENS_AS_OF] + self.lens_data_flags(size) +
                ["--engine", engine, "--threads", str(self.threads), "--repeat", str(repeat),
                 "--compiles", "1", "--out", out] +
                (["--alerts-out", feed] if feed else []) +
                (["--also-no-feed"] if also_no_feed else []))

    def lens_peer_command(self, peer, size, out, feed, repeat):
        common = ["--data", self.lens_data_dir(size), "--framework", LENS, "--as-of", LENS_AS_OF,
                  "--out", out, "--alerts-out", feed, "--threads", str(self.threads),
                  "--repeat", str(repeat)]
        if peer == "handwritten":
            return [self.tools["fulcrum-handwritten"]] + common
        return ["node", os.path.join(REPO_ROOT, "bench", "peers", "duckdb_peer.mjs")] + common

    def lens_throughput(self, size):
        n = size["events"]
        table = Table(f"Account lens, {size['label']} event rows ({size['accounts']:,} accounts)",
                      ["framework", "engine", "threads", "eval (best)", "median", "events/s",
                       "vs JIT", "alerts", "check"], left=(0, 1, 8),
                      note=f"as of {LENS_AS_OF}; eval: best of the repeats over loaded tables (up "
                           f"to {self.args.repeat}; at most 3 for the interpreter or above 2 s an "
                           f"evaluation), the rank and (for {LENS}) the alert feed collected; "
                           f"skipped: load + evaluations extrapolated from the previous event size "
                           f"above {self.args.budget:.0f} s; vs JIT: this time / "
                           f"the JIT's {LENS} on {self.threads} threads; check: identical (result "
                           f"and feed byte for byte), ok ({LENS_EXACT.replace(',', ', ')} exactly, "
                           f"temperature to a relative {LENS_REL:g}, the feed byte for byte).")
        records = self.records.setdefault("lens", [])
        ref = (self.out_path(size, "lens-jit.csv"), self.out_path(size, "lens-jit-alerts.csv"))
        base = {"size": size["label"], "events": n, "accounts": size["accounts"]}

        def timed(framework, engine, out, feed, also_no_feed=False, check=None):
            label = "JIT" if engine == "jit" else "interpreter"
            record = dict(base, framework=framework, engine=label, threads=self.threads)
            key = (engine, framework)
            repeat, estimate = self.lens_plan(key, size)
            if engine == "jit":
                repeat, estimate = self.args.repeat, None
            if estimate is not None:
                table.add(framework, label, self.threads, f"skipped (est. {estimate:.0f} s)",
                          "", "", "", "", "")
                records.append(dict(record, skipped_estimate_s=estimate))
                return None
            result = run_process(self.lens_timed_command(size, framework, engine, out, feed,
                                                         repeat, also_no_feed))
            timing = result.json_line()
            if result.returncode != 0 or timing is None:
                self.fail(f"{size['label']} events {framework} {label}", result)
                table.add(framework, label, self.threads, "FAILED", "", "", "", "", "")
                records.append(dict(record, failed=True))
                return None
            self.previous_lens[key] = (n, timing["load_s"], timing["eval_s"])
            verdict = check(out, feed) if check else "reference"
            ratio = timing["eval_s"] / jit["eval_s"] if check and jit else None
            table.add(framework, label, self.threads, fmt_seconds(timing["eval_s"]),
                      fmt_seconds(timing["eval_median_s"]), fmt_rate(n / timing["eval_s"]),
                      "MISMATCH" if verdict == "MISMATCH" else fmt_ratio(ratio) if ratio
                      else "1.00x", timing.get("alerts", ""), verdict)
            timing = {k: v for k, v in timing.items() if k != "engine"}
            records.append(dict(record, repeat=repeat, wall_s=result.wall_s, check=verdict,
                                ratio_to_jit=ratio, rows_per_s=n / timing["eval_s"], **timing))
            return timing

        jit = None
        jit = timed(LENS, "jit", ref[0], ref[1], also_no_feed=True)
        if jit is None:
            self.show(table)
            return
        timed(LENS_WITHOUT_ALERTS, "jit", self.out_path(size, "lens-no-alerts-jit.csv"), None,
              check=lambda out, feed: self.lens_check(ref, (out, None),
                                                      f"{size['label']} events without alerts",
                                                      exact=True))
        timed(LENS, "interp", self.out_path(size, "lens-interp.csv"),
              self.out_path(size, "lens-interp-alerts.csv"),
              check=lambda out, feed: self.lens_check(ref, (out, feed),
                                                      f"{size['label']} events interpreter",
                                                      exact=True))
        for peer in (p for p in self.peers if p in ("handwritten", "duckdb")):
            name = {"handwritten": "hand-written C++", "duckdb": "DuckDB"}[peer]
            record = dict(base, framework=LENS, engine=name)
            if not self.peers_available[peer]:
                table.add(LENS, name, "", "unavailable (tools/bench_deps.sh)", "", "", "", "", "")
                records.append(dict(record, unavailable=True))
                continue
            key = (peer, LENS)
            repeat, estimate = self.lens_plan(key, size)
            if estimate is not None:
                table.add(LENS, name, "", f"skipped (est. {estimate:.0f} s)", "", "", "", "", "")
                records.append(dict(record, skipped_estimate_s=estimate))
                continue
            out = self.out_path(size, f"lens-{peer}.csv")
            feed = self.out_path(size, f"lens-{peer}-alerts.csv")
            result = run_process(self.lens_peer_command(peer, size, out, feed, repeat))
            timing = result.json_line()
            if result.returncode != 0 or timing is None:
                self.fail(f"{size['label']} events {name}", result)
                table.add(LENS, name, "", "FAILED", "", "", "", "", "")
                records.append(dict(record, failed=True))
                continue
            self.previous_lens[key] = (n, timing["load_s"], timing["eval_s"])
            verdict = self.lens_check(ref, (out, feed), f"{size['label']} events {name}",
                                      exact=False)
            ratio = timing["eval_s"] / jit["eval_s"]
            threads = timing.get("threads", self.threads)
            table.add(LENS, name, threads, fmt_seconds(timing["eval_s"]),
                      fmt_seconds(timing.get("eval_median_s")), fmt_rate(n / timing["eval_s"]),
                      "MISMATCH" if verdict == "MISMATCH" else fmt_ratio(ratio),
                      timing.get("alerts", ""), verdict)
            records.append(dict(record, threads=threads, repeat=repeat,
                                wall_s=result.wall_s, check=verdict, ratio_to_jit=ratio,
                                rows_per_s=n / timing["eval_s"],
                                **{k: v for k, v in timing.items()
                                   if k in ("eval_s", "eval_median_s", "load_s", "alerts",
                                            "alerts_s")}))
        self.show(table)

    def lens_end_to_end(self, size):
        table = Table(f"Account lens end to end, {size['label']} event rows",
                      ["process", "wall", "peak RSS", "vs fulcrum alerts", "check"], left=(0, 4),
                      note="wall: the whole process (start, compile, load the CSVs, evaluate once, "
                           "write); `fulcrum run` writes the result, `fulcrum alerts` the feed, "
                           "the peers both; vs fulcrum alerts: this wall / `fulcrum alerts`'s.")
        records = self.records.setdefault("lens_end_to_end", [])
        ref = (self.out_path(size, "lens-jit.csv"), self.out_path(size, "lens-jit-alerts.csv"))
        have_ref = all(os.path.exists(p) for p in ref)
        base_wall = None
        variants = [("fulcrum alerts", "alerts", False), ("fulcrum run", "run", False)]
        if self.cli_accepts_cache():
            variants += [("fulcrum alerts --cache (cold)", "alerts", True),
                         ("fulcrum alerts --cache (warm)", "alerts", True)]
        for name, command, cache in variants:
            if name.endswith("(cold)"):
                for old in glob.glob(os.path.join(self.lens_data_dir(size), "*.fulcrum-cache")):
                    os.remove(old)
            out = self.out_path(size, f"lens-e2e-{len(name)}.csv")
            result = run_process([self.tools["fulcrum"], command, EVENTS_FILE, "--framework",
                                  LENS, "--as-of", LENS_AS_OF, "--format", "csv", "--out", out,
                                  "--threads", str(self.threads)] + (["--cache"] if cache else [])
                                 + self.lens_data_flags(size))
            record = {"size": size["label"], "events": size["events"], "process": name}
            if result.returncode != 0:
                self.fail(f"{size['label']} events {name}", result)
                table.add(name, "FAILED", "", "", "")
                records.append(dict(record, failed=True))
                continue
            check = ""
            if have_ref:
                reference = ref[1] if command == "alerts" else ref[0]
                check = ("identical" if filecmp.cmp(reference, out, shallow=False) else "MISMATCH")
                if check == "MISMATCH":
                    self.problems.append(f"{size['label']} events {name}: output differs from "
                                         f"fulcrum-run-timed's")
            base_wall = base_wall or result.wall_s
            table.add(name, fmt_seconds(result.wall_s), fmt_bytes(result.max_rss_bytes),
                      fmt_ratio(result.wall_s / base_wall), check)
            records.append(dict(record, wall_s=result.wall_s, peak_rss_bytes=result.max_rss_bytes,
                                ratio=result.wall_s / base_wall, check=check))
        for peer in (p for p in self.peers if p in ("handwritten", "duckdb")):
            name = {"handwritten": "hand-written C++", "duckdb": "DuckDB"}[peer]
            record = {"size": size["label"], "events": size["events"], "process": name}
            if not self.peers_available[peer]:
                table.add(name, "unavailable", "", "", "")
                records.append(dict(record, unavailable=True))
                continue
            previous = self.previous_lens.get((peer, LENS))  # this size's, or the one before
            estimate = ((previous[1] + previous[2]) * size["events"] / previous[0]
                        if previous else 0)
            if estimate > self.args.budget:
                table.add(name, f"skipped (est. {estimate:.0f} s)", "", "", "")
                records.append(dict(record, skipped_estimate_s=estimate))
                continue
            out = self.out_path(size, f"lens-e2e-{peer}.csv")
            feed = self.out_path(size, f"lens-e2e-{peer}-alerts.csv")
            result = run_process(self.lens_peer_command(peer, size, out, feed, 1))
            if result.returncode != 0:
                self.fail(f"{size['label']} events {name} end to end", result)
                table.add(name, "FAILED", "", "", "")
                records.append(dict(record, failed=True))
                continue
            check = (self.lens_check(ref, (out, feed), f"{size['label']} events {name} end to end",
                                     exact=False) if have_ref else "")
            ratio = result.wall_s / base_wall if base_wall else None
            table.add(name, fmt_seconds(result.wall_s), fmt_bytes(result.max_rss_bytes),
                      fmt_ratio(ratio), check)
            records.append(dict(record, wall_s=result.wall_s, peak_rss_bytes=result.max_rss_bytes,
                                ratio=ratio, check=check))
        self.show(table)

    def alert_share(self):
        table = Table(f"Alert evaluation's share of the account lens (JIT, {self.threads} threads)",
                      ["size", "with alerts", "without alerts", "alerts' share", "feed",
                       "feed's share", "alerts fired", "accounts", "peak RSS / columns"],
                      note=f"with alerts: {LENS} evaluated with its feed collected; without: "
                           f"{LENS_WITHOUT_ALERTS} (the same columns, no alert declared), each the "
                           f"best of {self.args.repeat} evaluations in its own process; share = "
                           f"(with - without) / with. feed: with - the same program evaluated "
                           f"without collecting the feed (alternating in one process): the "
                           f"messages and the feed's order; the rest of the share is the active "
                           f"alert's filter in the event scan and the passive alert's condition. "
                           f"peak RSS / columns: `fulcrum alerts`'s peak RSS over the loaded "
                           f"columns.")
        records = self.records.setdefault("alert_share", [])
        for size in self.event_sizes:
            with_alerts = self.find("lens", size=size["label"], framework=LENS, engine="JIT")
            without = self.find("lens", size=size["label"], framework=LENS_WITHOUT_ALERTS,
                                engine="JIT")
            if not with_alerts or not without or "eval_s" not in with_alerts or \
                    "eval_s" not in without:
                continue
            w, wo = with_alerts["eval_s"], without["eval_s"]
            share = (w - wo) / w
            feed = w - with_alerts["eval_no_feed_s"] if "eval_no_feed_s" in with_alerts else None
            e2e = self.find("lens_end_to_end", size=size["label"], process="fulcrum alerts")
            memory = (e2e["peak_rss_bytes"] / with_alerts["column_bytes"]
                      if e2e and "peak_rss_bytes" in e2e and with_alerts.get("column_bytes")
                      else None)
            table.add(size["label"], fmt_seconds(w), fmt_seconds(wo), f"{share * 100:.1f}%",
                      fmt_seconds(feed) if feed is not None else "-",
                      f"{feed / w * 100:.1f}%" if feed is not None else "-",
                      with_alerts.get("alerts", ""), f"{size['accounts']:,}", fmt_ratio(memory))
            records.append({"size": size["label"], "with_s": w, "without_s": wo, "share": share,
                            "feed_s": feed, "feed_share": feed / w if feed is not None else None,
                            "alerts": with_alerts.get("alerts"), "accounts": size["accounts"],
                            "memory_ratio": memory})
        if table.rows:
            self.show(table)

    # --- targets

    def largest_with(self, framework, engine, threads=None):
        """The record of `engine` at the largest size where it was measured."""
        for size in reversed(self.sizes + self.deal_sizes):
            fields = {"size": size["label"], "framework": framework, "engine": engine}
            if threads is not None:
                fields["threads"] = threads
            record = self.find("throughput", **fields)
            if record and "eval_s" in record:
                return record
        return None

    def targets(self):
        table = Table("Targets", ["target", "where", "measured", "goal", "verdict"], left=(0, 1, 4),
                      note="by: how far the measure is from the goal (above 1: PASS with that "
                           "headroom, MISS by that factor).")
        records = self.records.setdefault("targets", [])

        def verdict(name, where, measured, goal, higher_is_better, shown, goal_shown):
            if measured is None:
                table.add(name, where, "-", goal_shown, "not measured")
                records.append({"target": name, "where": where, "verdict": "not measured"})
                return
            ok = measured >= goal if higher_is_better else measured <= goal
            by = (measured / goal if higher_is_better else goal / measured) if measured else math.inf
            by = by if ok else 1 / by if by else math.inf
            text = f"{'PASS' if ok else 'MISS'} by {by:.2f}x"
            table.add(name, where, shown, goal_shown, text)
            records.append({"target": name, "where": where, "measured": measured, "goal": goal,
                            "verdict": "PASS" if ok else "MISS", "by": by})

        for r in (r for r in self.records.get("prove", [])
                  if r["checks"] or r.get("other_answers")):
            verdict("check --prove: under 1 s per check", r["file"], r["slowest_check_s"], 1.0,
                    False, fmt_seconds(r["slowest_check_s"]), "< 1 s")
            if r["checks"] >= 50:
                verdict("check --prove: under 10 s for 50 checks", r["file"], r["wall_s"], 10.0,
                        False, fmt_seconds(r["wall_s"]), "< 10 s")
        for framework in FRAMEWORKS + DEALS_FRAMEWORKS:
            sizes = self.sizes if framework in FRAMEWORKS else self.deal_sizes
            jit = self.largest_with(framework, "JIT", self.threads)
            if not jit:
                continue
            for engine, name, goal, higher in (
                    ("hand-written C++", f"JIT within {HANDWRITTEN_GOAL}x of hand-written",
                     HANDWRITTEN_GOAL, False),
                    ("interpreter", "JIT >= 10x faster than the interpreter", 10, True)):
                other = self.find("throughput", size=jit["size"], framework=framework, engine=engine)
                if not other or "eval_s" not in other:
                    other = self.largest_with(framework, engine)
                    jit_then = other and self.find("throughput", size=other["size"],
                                                   framework=framework, engine="JIT",
                                                   threads=self.threads)
                else:
                    jit_then = jit
                value = None
                if other and jit_then and other.get("check") != "MISMATCH":
                    value = (jit_then["eval_s"] / other["eval_s"] if not higher
                             else other["eval_s"] / jit_then["eval_s"])
                w = f"{framework} {other['size']}" if other else f"{framework} {jit['size']}"
                verdict(name, w, value, goal, higher, fmt_ratio(value),
                        f"<= {goal}x" if not higher else f">= {goal}x")
            # Against the faster of DuckDB and Polars, at equal threads: the evaluation at every
            # size from PEER_EVAL_FROM_ROWS (the largest when none is that big), end to end at
            # every size.
            for size in sizes:
                label = size["label"]
                if size["activities"] >= PEER_EVAL_FROM_ROWS or size is sizes[-1]:
                    mine = self.find("throughput", size=label, framework=framework, engine="JIT",
                                     threads=self.threads)
                    peers = [r for r in (self.find("throughput", size=label, framework=framework,
                                                   engine=e) for e in FAST_PEERS)
                             if r and "eval_s" in r and r.get("check") != "MISMATCH"]
                    fastest = min(peers, key=lambda r: r["eval_s"]) if peers else None
                    value = (fastest["eval_s"] / mine["eval_s"]
                             if fastest and mine and "eval_s" in mine else None)
                    verdict(f"JIT >= {PEER_EVAL_GOAL:g}x faster than DuckDB and Polars (eval)",
                            f"{framework} {label}" + (f" vs {fastest['engine']}" if fastest else ""),
                            value, PEER_EVAL_GOAL, True, fmt_ratio(value), f">= {PEER_EVAL_GOAL:g}x")
                mine = self.find("end_to_end", size=label, framework=framework,
                                 process="fulcrum run")
                peers = [r for r in (self.find("end_to_end", size=label, framework=framework,
                                               process=e) for e in FAST_PEERS)
                         if r and "wall_s" in r and r.get("check") != "MISMATCH"]
                fastest = min(peers, key=lambda r: r["wall_s"]) if peers else None
                value = (fastest["wall_s"] / mine["wall_s"]
                         if fastest and mine and "wall_s" in mine else None)
                verdict(f"end to end >= {PEER_E2E_GOAL:g}x faster than DuckDB and Polars",
                        f"{framework} {label}" + (f" vs {fastest['process']}" if fastest else ""),
                        value, PEER_E2E_GOAL, True,
                        f"{fastest['process']}/fulcrum {fmt_ratio(value)}" if value else "-",
                        f">= {PEER_E2E_GOAL:g}x")
            two = (self.largest_with(framework, "JIT", 2) if self.threads != 2 else jit)
            one = two and self.find("throughput", size=two["size"], framework=framework,
                                    engine="JIT", threads=1)
            value = one["eval_s"] / two["eval_s"] if one and two and "eval_s" in one else None
            verdict(f"2 threads >= {SCALING_GOAL}x one thread (JIT eval)",
                    f"{framework} {two['size']}" if two else framework, value, SCALING_GOAL, True,
                    fmt_ratio(value), f">= {SCALING_GOAL}x")
        largest = {sizes[-1]["label"] for sizes in (self.sizes, self.deal_sizes) if sizes}
        for load in self.records.get("load", []):
            if load["size"] not in largest:
                continue
            goal = LOAD_GOAL_MB_S[load["shape"]]
            verdict(f"CSV load >= {goal} MB/s per core ({load['shape']} shape)",
                    f"{load['framework']} {load['size']}", load["mb_s_per_core"], goal, True,
                    f"{load['mb_s_per_core']:.0f} MB/s", f">= {goal} MB/s")
            verdict(f"CSV load on 2 threads >= {SCALING_GOAL}x one thread",
                    f"{load['framework']} {load['size']}", load["scaling"], SCALING_GOAL, True,
                    fmt_ratio(load["scaling"]), f">= {SCALING_GOAL}x")
        compiles = self.records.get("compile", [])
        if compiles:
            worst = max(compiles, key=lambda r: r["median_ms"])
            verdict("compile < 30 ms median", f"worst: {worst['framework']} ({worst['file']})",
                    worst["median_ms"], 30, False, f"{worst['median_ms']:.2f} ms", "< 30 ms")
            unmeasured = [r for r in compiles if r.get("recompile_ms") is None]
            if unmeasured:
                # A framework without a recompile time is a MISS, never a dropped target.
                where = f"not measured: {unmeasured[0]['framework']} ({len(unmeasured)} in all)"
                table.add("recompile < 1 ms (same process)", where, "FAILED", "< 1 ms", "MISS")
                records.append({"target": "recompile < 1 ms (same process)", "where": where,
                                "verdict": "MISS"})
            else:
                worst = max(compiles, key=lambda r: r["recompile_ms"])
                verdict("recompile < 1 ms (same process)", f"worst: {worst['framework']}",
                        worst["recompile_ms"], 1, False, f"{worst['recompile_ms']:.3f} ms",
                        "< 1 ms")
            worst = max(compiles, key=lambda r: r["second_process_first_ms"])
            verdict("compile < 5 ms cached (2nd process)",
                    f"worst: {worst['framework']}" + ("" if worst["cache_honoured"]
                                                      else " (no cross-process cache)"),
                    worst["second_process_first_ms"], 5, False,
                    f"{worst['second_process_first_ms']:.2f} ms", "< 5 ms")
        for share in self.records.get("compile_share", []):
            verdict(f"compile < 10% of a {share['size']}-row run", f"{share['framework']} {share['size']}",
                    share["share"] * 100, 10, False, f"{share['share'] * 100:.1f}%", "< 10%")
        if self.sizes:
            bw = self.records.get("bandwidth", {})
            verdict("scan >= half the single-core bandwidth", f"llr {self.sizes[-1]['label']}",
                    bw.get("fraction"), 0.5, True,
                    f"{bw['fraction']:.2f}" if "fraction" in bw else "-", ">= 0.50")
        for memory in self.records.get("memory", []):
            if memory["size"] in largest:
                verdict("peak memory < 1.5x the loaded columns",
                        f"{memory['framework']} {memory['size']}", memory["ratio"], 1.5, False,
                        fmt_ratio(memory["ratio"]), "< 1.5x")
        self.lens_targets(verdict)
        self.embedding_targets(verdict)
        self.show(table)

    def lens_targets(self, verdict):
        """The account lens's targets at the largest event size the JIT ran."""
        jit = next((r for size in reversed(self.event_sizes)
                    for r in [self.find("lens", size=size["label"], framework=LENS, engine="JIT")]
                    if r and "eval_s" in r), None)
        if not jit:
            return
        where = f"{LENS} {jit['size']} events"
        for engine, name, goal, higher in (
                ("hand-written C++", f"JIT within {HANDWRITTEN_GOAL}x of hand-written",
                 HANDWRITTEN_GOAL, False),
                ("interpreter", "JIT >= 10x faster than the interpreter", 10, True),
                # The lens has no Polars peer: its eval target is against DuckDB alone.
                ("DuckDB", f"JIT >= {PEER_EVAL_GOAL:g}x faster than DuckDB (equal threads)",
                 PEER_EVAL_GOAL, True)):
            other = self.find("lens", size=jit["size"], framework=LENS, engine=engine)
            value = None
            if other and "eval_s" in other and other.get("check") != "MISMATCH":
                value = (jit["eval_s"] / other["eval_s"] if not higher
                         else other["eval_s"] / jit["eval_s"])
            verdict(name, where, value, goal, higher, fmt_ratio(value),
                    f"<= {goal}x" if not higher else f">= {goal}x")
        for share in self.records.get("alert_share", []):
            verdict(f"alerts < {ALERT_SHARE_GOAL * 100:.0f}% of the run (few firing)",
                    f"{LENS} {share['size']} events ({share['alerts']} alerts)",
                    share["share"] * 100, ALERT_SHARE_GOAL * 100, False,
                    f"{share['share'] * 100:.1f}%", f"< {ALERT_SHARE_GOAL * 100:.0f}%")
            if share["memory_ratio"] is not None:
                verdict("peak memory < 1.5x the loaded columns", f"{LENS} {share['size']} events",
                        share["memory_ratio"], 1.5, False, fmt_ratio(share["memory_ratio"]),
                        "< 1.5x")

    # --- 8. embedding: the C API's overhead and alerts fed one event at a time (issue 23)

    def google_benchmark(self, tool_name, what):
        """Runs a Google Benchmark binary; {name without the aggregate: its median row}, or None."""
        tool = self.tools[tool_name]
        if not os.access(tool, os.X_OK):
            self.problems.append(f"{what}: {tool} is missing (build the {tool_name} target)")
            return None
        result = run_process([tool, f"--benchmark_repetitions={BENCH_REPETITIONS}",
                              "--benchmark_report_aggregates_only=true",
                              # repetitions interleaved, so a busy spell on a shared machine
                              # spreads over the rows it compares rather than hitting one
                              "--benchmark_enable_random_interleaving=true",
                              "--benchmark_format=json"])
        try:
            rows = json.loads(result.stdout)["benchmarks"]
        except (ValueError, KeyError):
            rows = None
        if result.returncode != 0 or rows is None:
            self.fail(what, result)
            return None
        for row in rows:
            if row.get("error_occurred"):
                self.problems.append(f"{what}: {row['name']}: {row.get('error_message', '')}")
                return None
        scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}  # to microseconds
        medians = {}
        for row in rows:
            if row.get("aggregate_name") == "median":
                unit = scale[row.get("time_unit", "ns")]
                medians[row["run_name"]] = dict(row, wall_us=row["real_time"] * unit,
                                                cpu_us=row["cpu_time"] * unit)
        return medians

    def api_overhead(self):
        table = Table("C API overhead: a 35-rep llr run after compile",
                      ["call", "threads", "wall", "CPU", "overhead (wall)", "overhead (CPU)"],
                      left=(0,),
                      note=f"fulcrum-api-bench: examples/llr over the Maven CRM data, 2017-Q3 (35 "
                           f"reps), compiled and loaded once, JIT; median of {BENCH_REPETITIONS} "
                           f"repetitions. Program::evaluate: the C++ layer, linked statically; C "
                           f"API: fulcrum_run through libfulcrum.so, then every cell of the 35 x 14 "
                           f"result read (in its type: fulcrum_result_number, _money_units, _text "
                           f"for text; or all with fulcrum_result_text, which formats numbers as "
                           f"the CSV does; or none), then fulcrum_result_free. overhead: this row "
                           f"minus Program::evaluate at the same threads.")
        records = self.records.setdefault("api_overhead", [])
        medians = self.google_benchmark("fulcrum-api-bench", "API overhead") or {}
        for name, row in medians.items():  # the figures are for 2017-Q3's 35 reps, 14 columns
            if row.get("rows") != 35 or row.get("cells/run", 490) not in (0, 490):
                self.problems.append(f"API overhead: {name} ran over {row.get('rows')} rows, "
                                     f"{row.get('cells/run')} cells, not 35 and 490")
        for threads in (1, 0):
            base = medians.get(f"BM_ProgramEvaluate/threads:{threads}")
            shown_threads = str(threads) if threads else f"all ({os.cpu_count()})"
            if base:
                table.add("Program::evaluate", shown_threads, fmt_seconds(base["wall_us"] / 1e6),
                          fmt_seconds(base["cpu_us"] / 1e6), "", "")
            for cells, call in ((2, "fulcrum_run + every cell in its type + free"),
                                (1, "fulcrum_run + every cell as text + free"),
                                (0, "fulcrum_run + free")):
                row = medians.get(f"BM_CApiRun/threads:{threads}/cells:{cells}")
                if not row or not base:
                    continue
                wall, cpu = row["wall_us"] - base["wall_us"], row["cpu_us"] - base["cpu_us"]
                table.add(call, shown_threads, fmt_seconds(row["wall_us"] / 1e6),
                          fmt_seconds(row["cpu_us"] / 1e6), f"{wall:.1f} us", f"{cpu:.1f} us")
                records.append({"threads": threads,
                                "cells": ("none", "text", "typed")[cells],
                                "evaluate_wall_us": base["wall_us"], "evaluate_cpu_us": base["cpu_us"],
                                "api_wall_us": row["wall_us"], "api_cpu_us": row["cpu_us"],
                                "overhead_wall_us": wall, "overhead_cpu_us": cpu,
                                "cells_per_run": row.get("cells/run")})
        self.show(table)

    def alert_feed(self):
        table = Table("Alerts fed one event at a time",
                      ["engine", "rows a feed", "time a feed", "CPU a feed", "events/s (CPU)",
                       "alerts fired"], left=(0,),
                      note=f"fulcrum-alert-bench: an alert session over examples/accounts' "
                           f"account_lens (85 accounts, its two alerts) as of 2017-06-30, fed "
                           f"events.csv's rows again and again, one row or 1,000 rows a feed; "
                           f"median of {BENCH_REPETITIONS} repetitions; events/s per CPU second "
                           f"(one core). alerts fired: over all of a repetition's feeds.")
        records = self.records.setdefault("alert_feed", [])
        medians = self.google_benchmark("fulcrum-alert-bench", "alert feed") or {}
        for interp, engine in ((0, "JIT"), (1, "interpreter")):
            for rows in (1, 1000):
                row = medians.get(f"BM_AlertSessionFeed/interp:{interp}/rows:{rows}")
                if not row:
                    continue
                rate = row["events/s"]
                table.add(engine, f"{rows:,}", fmt_seconds(row["wall_us"] / 1e6),
                          fmt_seconds(row["cpu_us"] / 1e6), f"{rate / 1e6:.2f} M/s",
                          f"{row['fired']:,.0f}")
                records.append({"engine": engine, "rows_per_feed": rows, "wall_us": row["wall_us"],
                                "cpu_us": row["cpu_us"], "events_per_s": rate,
                                "fired": row["fired"]})
        self.show(table)

    def embedding_targets(self, verdict):
        if not any(r["threads"] == 1 for r in self.records.get("api_overhead", [])):
            verdict(f"C API overhead < {API_OVERHEAD_GOAL_US} us (35-rep run)", "llr 2017-Q3",
                    None, API_OVERHEAD_GOAL_US, False, "", f"< {API_OVERHEAD_GOAL_US} us")
        if not any(r["engine"] == "JIT" for r in self.records.get("alert_feed", [])):
            verdict("alert feed >= 1M events/s per core", f"{LENS} example", None,
                    ALERT_FEED_GOAL, True, "", ">= 1M/s")
        for r in self.records.get("api_overhead", []):
            if r["threads"] == 1 and r["cells"] != "none":
                verdict(f"C API overhead < {API_OVERHEAD_GOAL_US} us (35-rep run)",
                        f"llr 2017-Q3, 1 thread, every cell read "
                        f"{'in its type' if r['cells'] == 'typed' else 'as text'} (CPU)",
                        r["overhead_cpu_us"],
                        API_OVERHEAD_GOAL_US, False, f"{r['overhead_cpu_us']:.1f} us",
                        f"< {API_OVERHEAD_GOAL_US} us")
        for r in self.records.get("alert_feed", []):
            if r["engine"] == "JIT":
                verdict("alert feed >= 1M events/s per core",
                        f"{LENS} example, JIT, {r['rows_per_feed']:,} "
                        f"row{'s' if r['rows_per_feed'] > 1 else ''} a feed",
                        r["events_per_s"], ALERT_FEED_GOAL, True, f"{r['events_per_s'] / 1e6:.2f} M/s",
                        ">= 1M/s")

    # --- outputs

    def header_lines(self):
        m = self.machine
        sizes = ", ".join(f"{s['label']} ({s['reps']} reps)" for s in self.sizes + self.deal_sizes) or "none"
        events = ", ".join(f"{s['label']} ({s['accounts']:,} accounts)" for s in self.event_sizes)
        return [f"machine: {m['cpu']}, {m['cores']} cores, {fmt_bytes(m['memory_bytes'])} memory, "
                f"Linux {m['kernel']}",
                f"date: {m['date']}, commit {m['commit']}",
                f"sizes: {sizes}; period {self.args.period}"
                + (f" as of {self.args.as_of}" if self.args.as_of else "") +
                f"; threads {self.threads}; "
                f"repeat {self.args.repeat}; budget {self.args.budget:.0f} s"] + (
                    [f"event sizes: {events}; {LENS} as of {LENS_AS_OF}"] if events else [])

    def write_outputs(self):
        os.makedirs(os.path.dirname(os.path.abspath(self.args.json_out)), exist_ok=True)
        with open(self.args.json_out, "w") as f:
            json.dump({"machine": self.machine, "sizes": self.sizes, "deal_sizes": self.deal_sizes,
                       "event_sizes": self.event_sizes, "threads": self.threads,
                       "period": self.args.period, "as_of": self.args.as_of,
                       "repeat": self.args.repeat,
                       "measurements": self.records, "tables": [t.as_json() for t in self.tables],
                       "problems": self.problems}, f, indent=1)
        with open(self.args.md_out, "w") as f:
            f.write("\n".join(f"- {line}" for line in self.header_lines()) + "\n\n")
            f.write("\n".join(t.markdown() for t in self.tables))
            if self.problems:
                f.write("\n**Problems:**\n\n" + "\n".join(f"- {p.splitlines()[0]}"
                                                         for p in self.problems) + "\n")

    def run(self):
        print("\n".join(self.header_lines()), flush=True)
        if self.args.embedding_only:
            self.embedding()
            self.targets()
            return self.finish()
        if self.args.prove_only:
            self.prove_checks()
            self.targets()
            return self.finish()
        if self.args.compile_only:
            self.compile_latency(share=False)
            self.targets()
            return self.finish()
        missing = [t for t in ("fulcrum", "fulcrum-run-timed", "fulcrum-gen")
                   if not os.access(self.tools[t], os.X_OK)]
        if missing:
            raise SystemExit(f"missing tools in {self.args.bin}: {', '.join(missing)}")
        for name, ok in self.peers_available.items():
            if not ok and name in self.peers:
                print(f"note: {name} peer unavailable (tools/bench_deps.sh installs it)")
        if self.args.postgres_only:
            for size in self.sizes:
                print(f"\ndata {size['label']}: {size['activities']} activities, {size['reps']} "
                      f"reps: {self.generate(size)} ({self.data_dir(size)})", flush=True)
                self.postgres_load(size)
            return self.finish()
        if self.args.dask_only:
            for size in self.sizes:
                print(f"\ndata {size['label']}: {size['activities']} activities, {size['reps']} "
                      f"reps: {self.generate(size)} ({self.data_dir(size)})", flush=True)
                self.dask_scaling(size)
            return self.finish()
        for size in self.sizes:
            print(f"\ndata {size['label']}: {size['activities']} activities, {size['reps']} reps: "
                  f"{self.generate(size)} ({self.data_dir(size)})", flush=True)
            self.throughput(size)
            self.end_to_end(size)
        for size in self.deal_sizes:
            print(f"\ndata {size['label']}: {size['activities']} deal rows, {size['reps']} reps: "
                  f"{self.generate(size)} ({self.data_dir(size)})", flush=True)
            self.throughput(size)
            self.end_to_end(size)
        for size in self.event_sizes:
            print(f"\ndata {size['label']} events: {size['events']} events, {size['accounts']} "
                  f"accounts, {size['reps']} reps: {self.generate_lens(size)} "
                  f"({self.lens_data_dir(size)})", flush=True)
            self.lens_throughput(size)
            self.lens_end_to_end(size)
        if self.sizes:
            self.postgres_load(self.sizes[0])
            self.dask_scaling(self.sizes[0])
        self.alert_share()
        self.load_rate()
        self.peak_memory()
        self.compile_latency()
        self.bandwidth()
        self.embedding()
        self.prove_checks()
        self.targets()
        return self.finish()

    def embedding(self):
        self.api_overhead()
        self.alert_feed()

    # --- check --prove

    def prove_checks(self):
        """`fulcrum check --prove` on every example and on a generated file of 50 checks: each
        check's time as the prover reports it (both solves), and each file's whole process
        (compile, solve, and every refutation's test block run on both engines)."""
        table = Table("check --prove: time per check",
                      ["file", "checks", "proved", "refuted", "unknown", "other answers",
                       "slowest answer", "whole run (wall)"], left=(0,),
                      note="fulcrum check --prove --format json; a check's time is the solver's "
                           "(the proof, then the rows of a counterexample); other answers are "
                           "the score components', bands' and divisions' (docs/prove.md), and the "
                           "slowest answer is of any question; the whole run adds "
                           "compiling and running each refutation's test block on both engines. "
                           f"{PROVE_GENERATED} is generated by bench/run.py (llr with 50 checks).")
        records = self.records.setdefault("prove", [])
        generated = os.path.join(self.args.out_dir, PROVE_GENERATED)
        os.makedirs(self.args.out_dir, exist_ok=True)
        with open(generated, "w") as f:
            f.write(prove_generated_source())
        files = sorted(glob.glob(os.path.join(REPO_ROOT, "examples", "*", "*.fulcrum")))
        for path in files + [generated]:
            result = run_process([self.tools["fulcrum"], "check", "--prove", "--format", "json",
                                  path], cwd=REPO_ROOT)
            try:
                answers = json.loads(result.stdout)
            except ValueError:
                self.fail(f"check --prove {path}", result)
                continue
            # The written checks' verdicts; the other questions (score components, bands,
            # divisions) are counted apart, and the slowest answer is of any question.
            checks = [a for a in answers if a["question"] == "check"]
            counts = {v: sum(a["verdict"] == v for a in checks)
                      for v in ("proved", "refuted", "unknown")}
            slowest = max((a["milliseconds"] for a in answers), default=0) / 1000
            name = os.path.relpath(path, REPO_ROOT) if path != generated else PROVE_GENERATED
            table.add(name, len(checks), counts["proved"], counts["refuted"], counts["unknown"],
                      len(answers) - len(checks), fmt_seconds(slowest) if answers else "-",
                      fmt_seconds(result.wall_s))
            records.append({"file": name, "checks": len(checks), **counts,
                            "other_answers": len(answers) - len(checks),
                            "slowest_check_s": slowest, "wall_s": result.wall_s,
                            "check_s": [a["milliseconds"] / 1000 for a in answers]})
        self.show(table)

    def finish(self):
        self.write_outputs()
        print(f"\nwrote {self.args.json_out} and {self.args.md_out}")
        if self.problems:
            print("\nPROBLEMS:", file=sys.stderr)
            for problem in self.problems:
                print(f"- {problem}", file=sys.stderr)
            return 1
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1M,10M,50M",
                        type=lambda t: [parse_size(s) for s in t.split(",") if s.strip()],
                        help="activity rows per data set, comma separated (default 1M,10M,50M)")
    parser.add_argument("--event-sizes", default="10M",
                        type=lambda t: [parse_size(s) for s in t.split(",") if s.strip()],
                        help="event rows of each account lens data set, comma separated "
                             "(default 10M; 10M,50M for the seed's largest; empty for none)")
    parser.add_argument("--deal-sizes", default="1M,5M,20M",
                        type=lambda t: [parse_size(s) for s in t.split(",") if s.strip()],
                        help="rows of each deals-shaped data set (fulcrum-gen --pipeline), comma "
                             "separated (default 1M,5M,20M; empty for none)")
    parser.add_argument("--accounts", default="3M", type=parse_size,
                        help="accounts (the lens's subjects) in every event data set (default 3M)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                        help="threads for every engine and peer (default: all cores)")
    parser.add_argument("--repeat", type=int, default=5, help="evaluations per run (best is kept)")
    parser.add_argument("--budget", type=float, default=120,
                        help="skip a slow engine at a size when its previous size extrapolates "
                             "above this many seconds (default 120)")
    parser.add_argument("--peers", default=",".join(PEERS),
                        type=lambda t: [p.strip() for p in t.split(",") if p.strip()],
                        help=f"the peers to run (default {','.join(PEERS)})")
    parser.add_argument("--period", default="2018-Q3")
    parser.add_argument("--as-of", default=None,
                        help="the run's today, YYYY-MM-DD (default: the period's last day)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prove-only", action="store_true",
                        help="only the check --prove figures (examples and 50 generated checks)")
    parser.add_argument("--embedding-only", action="store_true",
                        help="only the embedding benchmarks: the C API's overhead and the alert "
                             "feed (fulcrum-api-bench, fulcrum-alert-bench); no data generated")
    parser.add_argument("--compile-only", action="store_true",
                        help="only the compile latency table (every example and benchmark "
                             "framework: uncached, recompiled in the process, a second process); "
                             "no data generated")
    parser.add_argument("--postgres-only", action="store_true",
                        help="only loading from PostgreSQL against from CSV, at each --sizes "
                             "(a local PostgreSQL 15 server is started for it)")
    parser.add_argument("--dask-only", action="store_true",
                        help="only llr on a Dask LocalCluster of 1 and 2 workers against one "
                             "process, at each --sizes (bench/dask_scaling.py)")
    parser.add_argument("--bin", default=os.path.join(REPO_ROOT, "build", "bin"),
                        help="where fulcrum, fulcrum-run-timed, fulcrum-gen, fulcrum-handwritten, "
                             "fulcrum-bandwidth, fulcrum-api-bench and fulcrum-alert-bench are "
                             "(default build/bin)")
    parser.add_argument("--tool", action="append", default=[], metavar="NAME=PATH",
                        help="use PATH for the tool NAME (e.g. fulcrum-gen=build-gen/bin/fulcrum-gen)")
    parser.add_argument("--data-root", default=os.path.join(REPO_ROOT, "build", "bench-data"))
    parser.add_argument("--out-dir", default=os.path.join(REPO_ROOT, "build", "bench-out"),
                        help="where every run's result CSV goes")
    parser.add_argument("--json-out", default=os.path.join(REPO_ROOT, "build", "bench-results.json"))
    parser.add_argument("--md-out", default=os.path.join(REPO_ROOT, "build", "bench-results.md"))
    args = parser.parse_args()
    args.sizes = sorted(set(args.sizes))
    args.event_sizes = sorted(set(args.event_sizes))
    args.deal_sizes = sorted(set(args.deal_sizes))
    if sum(map(bool, (args.embedding_only, args.prove_only, args.postgres_only,
                      args.compile_only, args.dask_only))) > 1:
        parser.error("--embedding-only, --prove-only, --postgres-only, --compile-only and "
                     "--dask-only exclude each other")
    if args.embedding_only or args.prove_only or args.compile_only:
        args.sizes = args.event_sizes = args.deal_sizes = []
    elif args.postgres_only or args.dask_only:
        args.event_sizes = args.deal_sizes = []
        if not args.sizes:
            parser.error(f"{'--postgres-only' if args.postgres_only else '--dask-only'} needs at "
                         "least one size")
    elif not args.sizes and not args.event_sizes and not args.deal_sizes:
        parser.error("need at least one size, deal size or event size")
    if args.threads < 1 or args.repeat < 1:
        parser.error("need --threads >= 1 and --repeat >= 1")
    if not LENS_REPS <= args.accounts <= 9_999_999:
        parser.error(f"--accounts must be between {LENS_REPS} and 9999999")
    for name in ("bin", "data_root", "out_dir", "json_out", "md_out"):
        setattr(args, name, os.path.abspath(getattr(args, name)))
    return Bench(args).run()


if __name__ == "__main__":
    sys.exit(main())
