#!/usr/bin/env python3
"""The host survives a failing JIT: LLVM fatal errors, out-of-memory reports and ordinary
compile errors (injected with FULCRUM_JIT_FAULT) and plans too large to compile quickly each
fall back to the interpreter with a warning, exit 0 and print exactly the interpreter's results.

  jit_failure_test.py FULCRUM
"""
import os
import subprocess
import sys
import tempfile

from e2e_support import Failures

LLR = ["examples/llr/llr.fulcrum", "--framework", "llr", "--period", "2017-Q2"]


def run(fulcrum, args, **env):
    environment = dict(os.environ, FULCRUM_JIT_CACHE="off", **env)
    # A fatal error is left by a jump out of LLVM's frames, which leaks what they held (by
    # design, runtime/jit/FatalErrors.h): leak checking would only report that.
    environment["ASAN_OPTIONS"] = "detect_leaks=0"
    return subprocess.run([fulcrum, "run"] + args, capture_output=True, text=True,
                          env=environment)


def long_chain(folder, metrics):
    """A framework whose formulas are one chain of `metrics` metrics: a kernel over the JIT's
    size limit."""
    with open(os.path.join(folder, "reps.csv"), "w") as f:
        f.write("name\nann\nbob\n")
    path = os.path.join(folder, "chain.fulcrum")
    with open(path, "w") as f:
        f.write('entity rep from "reps.csv" {\n  key name: text\n}\n'
                "framework f {\n  subject rep\n  cadence quarter\n  metric m0 = 1\n")
        f.writelines(f"  metric m{i} = m{i - 1} * 1.5 + 1\n" for i in range(1, metrics))
        f.write("}\n")
    return [path, "--framework", "f", "--period", "2017-Q2"]


def expect_fallback(fulcrum, args, fail, what, **env):
    interpreted = run(fulcrum, args + ["--engine", "interp"])
    if interpreted.returncode != 0:
        fail(f"{what}: the interpreter failed: {interpreted.stderr[-500:]}")
        return
    jit = run(fulcrum, args + ["--engine", "jit"], **env)
    if jit.returncode != 0:
        fail(f"{what}: exit {jit.returncode}, not 0: {jit.stderr[-800:]}")
    if "running it with the interpreter" not in jit.stderr:
        fail(f"{what}: no warning that the interpreter ran instead: {jit.stderr[-800:]}")
    if jit.stdout != interpreted.stdout:
        fail(f"{what}: the results differ from the interpreter's")


def main():
    fulcrum = sys.argv[1]
    fail = Failures()
    for fault in ("fatal", "oom", "error"):
        expect_fallback(fulcrum, LLR, fail, f"FULCRUM_JIT_FAULT={fault}", FULCRUM_JIT_FAULT=fault)
    # Without a fault the JIT compiles it: no warning, so the test above is not vacuous.
    clean = run(fulcrum, LLR)
    if clean.returncode != 0 or "warning" in clean.stderr:
        fail(f"no fault: exit {clean.returncode}, stderr {clean.stderr[-500:]}")
    with tempfile.TemporaryDirectory() as folder:
        expect_fallback(fulcrum, long_chain(folder, 3000), fail, "3,000 chained metrics")
        small = run(fulcrum, long_chain(folder, 50))
        if "warning" in small.stderr:
            fail(f"50 chained metrics should compile: {small.stderr[-500:]}")
    fail.finish("the JIT's failures fall back to the interpreter with a warning and the same "
                "results: fatal error, out of memory, compile error, oversized plan")


if __name__ == "__main__":
    main()
