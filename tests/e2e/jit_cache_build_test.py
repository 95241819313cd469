#!/usr/bin/env python3
"""End to end: the JIT's object cache on disk is keyed by the build (its GNU build-id).

The same fulcrum binary run twice over one cache folder reuses its objects (the second run writes
none). A copy of that binary whose build-id differs by one bit, as any rebuild or upgrade would,
finds none of them and compiles its own (as many objects again), with the same output. A cache
folder that others can write is not used: the run warns, says why, and writes nothing there."""
import glob
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures  # noqa: E402

FULCRUM = os.path.abspath(sys.argv[1])
ARGS = ["run", "examples/llr/llr.fulcrum", "--framework", "llr", "--period", "2017-Q3",
        "--format", "csv", "--engine", "jit"]
fail = Failures()


def build_id(path):
    notes = subprocess.run(["readelf", "-n", path], capture_output=True, text=True).stdout
    match = re.search(r"Build ID: ([0-9a-f]+)", notes)
    return match.group(1) if match else None


def another_build(source, target):
    """A copy of `source` whose build-id differs in its last bit."""
    with open(source, "rb") as f:
        image = bytearray(f.read())
    identity = bytes.fromhex(build_id(source))
    if image.count(identity) != 1:
        fail(f"the build-id occurs {image.count(identity)} times in the binary, expected once")
        fail.finish("")
    at = image.index(identity) + len(identity) - 1
    image[at] ^= 1
    with open(target, "wb") as f:
        f.write(image)
    os.chmod(target, os.stat(target).st_mode | stat.S_IXUSR)


def objects(folder):
    return set(glob.glob(os.path.join(folder, "*.o")))


def run(binary, cache, what, stderr=False):
    proc = subprocess.run([binary] + ARGS, capture_output=True, text=True,
                          env=dict(os.environ, FULCRUM_JIT_CACHE=cache))
    if proc.returncode != 0 or proc.stdout.count("\n") < 2:
        fail(f"{what}: exit {proc.returncode}, {proc.stdout.count(chr(10))} lines: "
             f"{proc.stderr[-400:]}")
    return (proc.stdout, proc.stderr) if stderr else proc.stdout


def main():
    work = tempfile.mkdtemp(prefix="fulcrum-jit-cache-build-")
    try:
        if not build_id(FULCRUM):
            fail(f"{FULCRUM} carries no GNU build-id")
            fail.finish("")
        other = os.path.join(work, "fulcrum-rebuilt")
        another_build(FULCRUM, other)
        if build_id(other) in (None, build_id(FULCRUM)):
            fail("the copy's build-id is not a different one")
        cache = os.path.join(work, "jit")

        first = run(FULCRUM, cache, "first run")
        written = objects(cache)
        if not written:
            fail("the first run wrote no object into FULCRUM_JIT_CACHE")
        again = run(FULCRUM, cache, "second run, same build")
        if objects(cache) != written:
            fail(f"the same build did not reuse its objects: {len(written)} objects, then "
                 f"{len(objects(cache))}")
        rebuilt = run(other, cache, "a run of another build")
        mine = objects(cache) - written
        if len(mine) != len(written):
            fail(f"another build reused objects: the first build wrote {len(written)}, "
                 f"the other build {len(mine)} more")
        if not first == again == rebuilt:
            fail("the runs print different results")

        shared = os.path.join(work, "shared")
        os.mkdir(shared)
        os.chmod(shared, 0o777)
        output, errors = run(FULCRUM, shared, "a run over a folder others can write", stderr=True)
        warning = f"warning: the JIT's cache folder {shared} is not used: others can write it"
        if warning not in errors or objects(shared) or output != first:
            fail(f"a folder others can write: stderr {errors[-300:]!r}, "
                 f"{len(objects(shared))} objects written")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    fail.finish("the JIT's object cache is reused by the same build only, from a private folder")


main()
