#!/usr/bin/env python3
"""Loading never trusts the file to hold still (issue 28): while a writer process truncates and
rewrites a CSV in place, over and over, `fulcrum run` loads it 1,000 times. No run may die of a
signal (a memory-mapped file cut short under the reader was SIGBUS). Each run either exits 0 with
the table of one of the versions the writer writes, or exits 2 with a clear data error naming the
file: that it changed while it was being read, or what the state it was caught in holds (empty, or
cut after a key, which is a record with too few fields).

  changing_file_test.py FULCRUM
"""
import concurrent.futures
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time

from e2e_support import Failures

RUNS = 1000
FRAMEWORK = """entity rep from "reps.csv" {
  key name: text
  quota: money
}

framework f {
  subject rep
  cadence quarter
  metric target: money = quota
}
"""


def version(reps, quota):
    return "name,quota\n" + "".join(f"r{i},{quota + i}\n" for i in range(reps))


# Two versions of different sizes, and the states the writer leaves between them: empty, and cut
# just after a key (a last record with one field of two).
VERSIONS = [version(60, 1000), version(90, 5000)]
CLEAR_ERRORS = ["changed while it was being read", "is empty (0 bytes)",
                "expected 2 fields as in the header, found 1"]


def writer(path, stop):
    """Truncates and rewrites `path` in place (one file, one inode) until `stop` is set."""
    fd = os.open(path, os.O_WRONLY)
    n = 0
    while not stop.is_set():
        text = VERSIONS[n % 2].encode()
        os.ftruncate(fd, 0)
        if n % 3 == 2:  # a state cut short: the version up to just after a key
            cut = text.rindex(b"\nr") + 3
            os.pwrite(fd, text[:cut], 0)
            os.ftruncate(fd, 0)
        os.pwrite(fd, text, 0)
        n += 1
    os.close(fd)


def run(fulcrum, folder):
    return subprocess.run([fulcrum, "run", "f.fulcrum", "--framework", "f", "--period", "2017-Q2",
                           "--engine", "interp"], capture_output=True, text=True, cwd=folder)


def main():
    fulcrum = os.path.abspath(sys.argv[1])
    fail = Failures()
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "f.fulcrum"), "w") as f:
            f.write(FRAMEWORK)
        csv = os.path.join(folder, "reps.csv")
        expected = []
        for text in VERSIONS:  # each version's output, loaded while nothing writes
            with open(csv, "w") as f:
                f.write(text)
            result = run(fulcrum, folder)
            if result.returncode != 0:
                fail(f"the steady file does not load: exit {result.returncode}: {result.stderr}")
                fail.finish("")
            expected.append(result.stdout)
        stop = multiprocessing.Event()
        process = multiprocessing.Process(target=writer, args=(csv, stop))
        process.start()
        outcomes = {"version 1": 0, "version 2": 0}
        started = time.monotonic()
        try:
            # Two loads at a time: process start-up is most of a run's time.
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                results = list(pool.map(lambda _: run(fulcrum, folder), range(RUNS)))
            for i, result in enumerate(results):
                if result.returncode < 0:
                    fail(f"run {i}: killed by signal {-result.returncode}: {result.stderr[-500:]}")
                elif result.returncode == 0:
                    if result.stdout in expected:
                        outcomes[f"version {expected.index(result.stdout) + 1}"] += 1
                    else:
                        fail(f"run {i}: exit 0 with a table of neither version:\n"
                             f"{result.stdout[:600]}")
                elif result.returncode == 2:
                    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
                    known = [e for e in CLEAR_ERRORS if any(e in line for line in errors)]
                    if not errors or not all(line.startswith("reps.csv") for line in errors) \
                            or not known:
                        fail(f"run {i}: exit 2 without a clear data error naming reps.csv:\n"
                             f"{result.stderr[-800:]}")
                    else:
                        outcomes[known[0]] = outcomes.get(known[0], 0) + 1
                else:
                    fail(f"run {i}: exit {result.returncode}: {result.stderr[-500:]}")
        finally:
            stop.set()
            process.join()
        seconds = time.monotonic() - started
    summary = ", ".join(f"{what}: {count}" for what, count in outcomes.items())
    print(f"{RUNS} loads in {seconds:.1f} s while the file was rewritten: {summary}")
    if outcomes["version 1"] + outcomes["version 2"] == 0:
        fail("no run loaded the file at all: the race left no window to load it")
    fail.finish("every load gave a version's table or a clear data error; none died of a signal")


if __name__ == "__main__":
    main()
