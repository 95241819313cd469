"""What the end-to-end tests share: quarter arithmetic, date parsing, float comparison, running
`fulcrum run` with both engines, and collecting failures. Not a test itself (no `_test` name)."""
import datetime
import subprocess
import sys


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


def run_both_engines(fulcrum, args, fail, what):
    """Runs `fulcrum run ARGS` with the JIT and the interpreter; their stdout must be
    byte-identical (a failure otherwise). Returns the JIT's stdout."""
    outputs = {}
    for engine in ("jit", "interp"):
        proc = subprocess.run([fulcrum, "run"] + args + ["--engine", engine],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            fail(f"{what} {engine}: exit {proc.returncode}: {proc.stderr[-500:]}")
        outputs[engine] = proc.stdout
    if outputs["jit"] != outputs["interp"]:
        fail(f"{what}: the JIT and the interpreter print different output")
    return outputs["jit"]
