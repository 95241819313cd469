#!/usr/bin/env python3
"""End to end: output is all or nothing, and a failed write is never exit 0.

- stdout on a full disk (/dev/full) and `--out /dev/full`: exit 2, with the system's reason;
- `--out` into a folder that does not exist: exit 2 with the reason, nothing created;
- `--out` over an existing file: replaced whole, its mode kept, no temporary file left beside it;
  a run that fails (a data error) leaves it as it was;
- `--on-error skip`: a clean run leaves an existing rejects file as it was; a run that rejects
  rows writes it."""
import os
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures  # noqa: E402

FULCRUM = os.path.abspath(sys.argv[1])
CLEAN = ["tests/golden/run/teams.fulcrum", "--framework", "team_results", "--period", "2017-Q2",
         "--format", "csv"]
DIRTY = ["tests/golden/run/skip_bad_rows.fulcrum", "--framework", "f", "--period", "2017-Q2",
         "--format", "csv"]
fail = Failures()


def run(args, stdout=subprocess.PIPE):
    return subprocess.run([FULCRUM, "run"] + args, stdout=stdout, stderr=subprocess.PIPE,
                          text=True)


def main():
    work = tempfile.mkdtemp(prefix="fulcrum-output-")
    try:
        expected = run(CLEAN).stdout
        if expected.count("\n") != 3:
            fail(f"the clean run prints {expected!r}, expected a header and two teams")

        with open("/dev/full", "w") as full:
            proc = run(CLEAN, stdout=full)
        if proc.returncode != 2 or "No space left on device" not in proc.stderr:
            fail(f"stdout on /dev/full: exit {proc.returncode}, stderr {proc.stderr[-200:]!r}")
        proc = run(CLEAN + ["--out", "/dev/full"])
        if proc.returncode != 2 or "cannot write `/dev/full`: No space left on device" \
                not in proc.stderr:
            fail(f"--out /dev/full: exit {proc.returncode}, stderr {proc.stderr[-200:]!r}")

        missing = os.path.join(work, "no-such-folder", "out.csv")
        proc = run(CLEAN + ["--out", missing])
        if proc.returncode != 2 or "No such file or directory" not in proc.stderr \
                or os.path.exists(os.path.dirname(missing)):
            fail(f"--out into a missing folder: exit {proc.returncode}, {proc.stderr[-200:]!r}")

        out = os.path.join(work, "out.csv")
        with open(out, "w") as f:
            f.write("an older result, longer than the new one " * 100)
        os.chmod(out, 0o640)
        proc = run(CLEAN + ["--out", out])
        with open(out) as f:
            written = f.read()
        if proc.returncode != 0 or written != expected:
            fail(f"--out over an existing file: exit {proc.returncode}, wrote {written[:80]!r}")
        if stat.S_IMODE(os.stat(out).st_mode) != 0o640:
            fail(f"--out changed the file's mode to {stat.S_IMODE(os.stat(out).st_mode):o}")
        if sorted(os.listdir(work)) != ["out.csv"]:
            fail(f"files left beside --out: {sorted(os.listdir(work))}")
        proc = run(CLEAN + ["--out", out, "--data", f"deals={work}/missing.csv"])
        with open(out) as f:
            if proc.returncode != 2 or f.read() != expected:
                fail(f"a failed run touched --out (exit {proc.returncode})")

        rejects = os.path.join(work, "rejects.csv")
        with open(rejects, "w") as f:
            f.write("kept\n")
        proc = run(CLEAN + ["--on-error", "skip", "--rejects", rejects])
        with open(rejects) as f:
            if proc.returncode != 0 or f.read() != "kept\n":
                fail("a clean --on-error skip run rewrote an existing rejects file")
        proc = run(DIRTY + ["--on-error", "skip", "--rejects", rejects])
        with open(rejects) as f:
            content = f.read()
        if proc.returncode != 0 or not content.startswith("table,file,line,reason,record\n") \
                or content.count("\n") < 2:
            fail(f"a run that rejects rows: exit {proc.returncode}, rejects {content[:120]!r}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    fail.finish("output is all or nothing: full disks, missing folders, failed runs and clean "
                "skips lose or clobber nothing")


main()
