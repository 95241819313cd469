#!/usr/bin/env python3
"""`delimiter auto` says which delimiter the header showed, and says it again when the table comes
from the column cache (`--cache`): a semicolon-separated file run twice with --cache prints
``(delimiter `;` detected from the header)`` both times, and the second run's output (results and
load summary) equals the first's, with the cache file written in between.

  detected_delimiter_cache_test.py FULCRUM
"""
import os
import subprocess
import sys
import tempfile

from e2e_support import Failures

FRAMEWORK = """entity rep from "reps.csv" delimiter auto {
  key name: text
  quota: money
}

framework f {
  subject rep
  cadence quarter
  metric target: money = quota
}
"""
REPS = "name;quota\nann;1000\nbob;2000\n"
DETECTED = "rep: 2 rows, 2 loaded, 0 rejected (delimiter `;` detected from the header)"


def main():
    fulcrum = os.path.abspath(sys.argv[1])
    fail = Failures()
    with tempfile.TemporaryDirectory() as folder:
        for name, text in (("f.fulcrum", FRAMEWORK), ("reps.csv", REPS)):
            with open(os.path.join(folder, name), "w") as f:
                f.write(text)
        env = dict(os.environ)
        env.pop("FULCRUM_CACHE", None)
        args = [fulcrum, "run", "f.fulcrum", "--framework", "f", "--period", "2017-Q2", "--cache"]
        runs = []
        for attempt in ("first", "cached"):
            proc = subprocess.run(args, capture_output=True, text=True, cwd=folder, env=env)
            runs.append(proc)
            if proc.returncode != 0:
                fail(f"{attempt} run exited {proc.returncode}: {proc.stderr}")
            if DETECTED not in proc.stderr + proc.stdout:
                fail(f"{attempt} run does not say the delimiter was detected:\n"
                     f"{proc.stdout}{proc.stderr}")
            if attempt == "first" and not os.path.exists(
                    os.path.join(folder, "reps.csv.fulcrum-cache")):
                fail("the first run wrote no cache for reps.csv")
        if (runs[0].stdout, runs[0].stderr) != (runs[1].stdout, runs[1].stderr):
            fail(f"the cached run differs:\n{runs[0].stdout}{runs[0].stderr}\n---\n"
                 f"{runs[1].stdout}{runs[1].stderr}")
    fail.finish("a detected delimiter is reported on a cached run too")


if __name__ == "__main__":
    main()
