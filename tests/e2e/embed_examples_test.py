#!/usr/bin/env python3
"""End to end: the embedding examples (examples/embed/, built with the project against its
libfulcrum) print byte for byte what `fulcrum run --format csv` prints.

- host.c compiles examples/llr/llr.fulcrum, binds the Maven CRM CSV files and prints each cell
  through fulcrum_result_text: for 2017-Q2, Q3 and Q4 it must equal `fulcrum run` with the JIT
  and with the interpreter (36 lines: a header and the 35 agents).
- host.cpp binds in-memory columns through the Arrow C Data Interface (utf8, a dictionary,
  int64, date32 and decimal128 with nulls, float64, bit-packed bools) and runs the default quota
  and a what-if quota without reloading; run on a copy of pipeline.fulcrum with no CSV file
  beside it (so nothing can come from a file), it must print what `fulcrum run` prints over
  reps.csv and deals.csv, the same rows, for both runs.
- Errors: a missing framework file and a bad period make host.c exit with the C API's status
  (1 and 64) and print the diagnostic naming the file or the period; nothing on stdout."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures, MAVEN_DATA, LLR_FRAMEWORK  # noqa: E402

FULCRUM = sys.argv[1]
BIN = os.path.dirname(os.path.abspath(FULCRUM))
HOST_C = os.path.join(BIN, "fulcrum_embed_host_c")
HOST_CPP = os.path.join(BIN, "fulcrum_embed_host_cpp")
LIBRARY = os.path.join(os.path.dirname(BIN), "lib", "libfulcrum.so")
PIPELINE = "examples/embed/pipeline.fulcrum"
fail = Failures()


def fulcrum_run(framework, name, period, engine, params=()):
    args = [FULCRUM, "run", framework, "--framework", name, "--period", period, "--format", "csv",
            "--engine", engine]
    for p in params:
        args += ["--param", p]
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0 or not proc.stdout.strip():
        fail(f"fulcrum run {framework} {period} {engine}: exit {proc.returncode}: {proc.stderr[-400:]}")
    return proc.stdout


def host(args, what):
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        fail(f"{what}: exit {proc.returncode}: {proc.stderr[-800:]}")
    return proc


def compare(got, want, what):
    if got != want:
        fail(f"{what}: differs from `fulcrum run`:\n--- host\n{got[:800]}\n--- fulcrum run\n{want[:800]}")


def check_c_host():
    for period in ("2017-Q2", "2017-Q3", "2017-Q4"):
        got = host([HOST_C, LLR_FRAMEWORK, MAVEN_DATA, period], f"host.c {period}").stdout
        if len(got.splitlines()) != 36:
            fail(f"host.c {period}: {len(got.splitlines())} lines, want 36 (a header and 35 agents)")
        for engine in ("jit", "interp"):
            compare(got, fulcrum_run(LLR_FRAMEWORK, "llr", period, engine), f"host.c {period} vs {engine}")


def check_cpp_host():
    want = {engine: fulcrum_run(PIPELINE, "pipeline", "2024-Q2", engine) +
            fulcrum_run(PIPELINE, "pipeline", "2024-Q2", engine, ["quota=40000"]) for engine in ("jit", "interp")}
    if want["jit"].count("\n") != 8:
        fail(f"fulcrum run over pipeline.fulcrum: want two results of 3 reps, got:\n{want['jit']}")
    tmp = tempfile.mkdtemp(prefix="fulcrum-embed-")
    try:
        alone = os.path.join(tmp, "pipeline.fulcrum")
        shutil.copy(PIPELINE, alone)
        got = host([HOST_CPP, alone], "host.cpp").stdout
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for engine, text in want.items():
        compare(got, text, f"host.cpp vs {engine}")


def check_quoting():
    """A key that CSV must quote (a comma and quotes): the Maven files with one agent renamed
    `Lin, "Carl" C.`, bound by host.c and given to `fulcrum run` with --data."""
    tmp = tempfile.mkdtemp(prefix="fulcrum-embed-")
    try:
        for name in ("sales_teams.csv", "sales_pipeline.csv", "accounts.csv"):
            text = open(os.path.join(MAVEN_DATA, name)).read()
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text.replace("Carl Lin", '"Lin, ""Carl"" C."'))
        got = host([HOST_C, LLR_FRAMEWORK, tmp, "2017-Q3"], "host.c, a quoted key").stdout
        data = [f"rep={tmp}/sales_teams.csv", f"deals={tmp}/sales_pipeline.csv", f"account={tmp}/accounts.csv"]
        args = [FULCRUM, "run", LLR_FRAMEWORK, "--framework", "llr", "--period", "2017-Q3", "--format", "csv"]
        for d in data:
            args += ["--data", d]
        want = subprocess.run(args, capture_output=True, text=True).stdout
        if '"Lin, ""Carl"" C."' not in want:
            fail(f"fulcrum run does not print the renamed agent quoted:\n{want[:400]}")
        compare(got, want, "host.c with a quoted key")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_errors():
    proc = subprocess.run([HOST_C, "no/such/llr.fulcrum", MAVEN_DATA, "2017-Q3"], capture_output=True, text=True)
    if proc.returncode != 1 or "no/such/llr.fulcrum" not in proc.stderr or proc.stdout:
        fail(f"host.c on a missing file: exit {proc.returncode} (want 1), stderr {proc.stderr[:300]!r}")
    proc = subprocess.run([HOST_C, LLR_FRAMEWORK, MAVEN_DATA, "2017-Q9"], capture_output=True, text=True)
    if proc.returncode != 64 or "2017-Q9" not in proc.stderr or proc.stdout:
        fail(f"host.c with period 2017-Q9: exit {proc.returncode} (want 64), stderr {proc.stderr[:300]!r}")


for binary in (HOST_C, HOST_CPP):
    if not os.access(binary, os.X_OK):
        fail(f"not built: {binary} (examples/embed/CMakeLists.txt)")
if not fail.messages:
    check_c_host()
    check_quoting()
    check_errors()
    check_cpp_host()
fail.finish("examples/embed: host.c over the Maven CSVs (3 quarters) equals `fulcrum run` on both engines" +
            "; so does host.cpp over Arrow columns (2 runs)")
