#!/usr/bin/env python3
"""End to end: the golden runner (tests/golden/run.py) cannot record a bug.

Over a copy of one `run` golden and one `check` golden, with fulcrum wrapped by scripts that
break it on purpose:
- the JIT printing one byte differently from the interpreter: the compare fails and `--update`
  refuses, writing nothing, even for the files that did not change;
- a crash (SIGSEGV) and a sanitizer report with an ordinary exit status: the same;
- a wrong output from a correct-looking build: the compare fails, names the file and says to read
  the difference before updating; `--update` then rewrites it and reports the lines it changed;
- a byte the UTF-8 decoder would have replaced: still a difference (the compare is byte for byte);
- every command runs with FULCRUM_JIT_CACHE=off."""
import os
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures  # noqa: E402

FULCRUM = os.path.abspath(sys.argv[1])
RUNNER = os.path.abspath("tests/golden/run.py")
GOLDENS = ["tests/golden/run/teams", "tests/golden/check/unknown_field_did_you_mean"]
fail = Failures()


def wrapper(folder, name, body):
    """A fake `fulcrum`: a shell script that runs the real one and then does `body`."""
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write(f"#!/bin/bash\nREAL={FULCRUM}\n{body}\n")
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


def filtered(change):
    """A wrapper body that passes stdout through a bash substitution, and the exit status on."""
    return ('out=$("$REAL" "$@"); status=$?\n' + change +
            '\n[[ -z "$out" ]] || printf "%s\\n" "$out"; exit $status')


def runner(fulcrum, work, *args):
    return subprocess.run([sys.executable, RUNNER, "--fulcrum", fulcrum] + list(args),
                          capture_output=True, text=True, cwd=work)


def snapshot(work):
    files = {}
    for root, _, names in os.walk(os.path.join(work, "tests")):
        for name in names:
            if name.endswith(".expected"):
                with open(os.path.join(root, name), "rb") as f:
                    files[os.path.join(root, name)] = f.read()
    return files


def main():
    work = tempfile.mkdtemp(prefix="fulcrum-golden-runner-")
    try:
        for golden in GOLDENS:
            os.makedirs(os.path.join(work, os.path.dirname(golden)), exist_ok=True)
            for extension in (".fulcrum", ".expected"):
                shutil.copy(golden + extension, os.path.join(work, golden + extension))
        shutil.copytree("tests/golden/run/data", os.path.join(work, "tests/golden/run/data"))
        bins = os.path.join(work, "bin")
        os.makedirs(bins)

        honest = wrapper(bins, "honest", '"$REAL" "$@"')
        proc = runner(honest, work, "tests/golden")
        if proc.returncode != 0:
            fail(f"the copied goldens fail with the real build: {proc.stdout[-800:]}")
        original = snapshot(work)

        breakages = {
            "jit-differs": (filtered('[[ " $* " != *" --engine jit "* ]] || out="${out/Mo/Mx}"'),
                            "different output"),
            "segfault": ('"$REAL" "$@"; kill -SEGV $$', "signal 11"),
            "sanitizer": ('"$REAL" "$@"; status=$?\n'
                          'echo "==123==ERROR: AddressSanitizer: heap-use-after-free" >&2\n'
                          'exit $status', "sanitizer"),
        }
        for name, (body, reason) in breakages.items():
            broken = wrapper(bins, name, body)
            proc = runner(broken, work, "tests/golden")
            if proc.returncode == 0 or reason not in proc.stdout or "refuses" not in proc.stdout:
                fail(f"{name}: the compare passed or gave no reason: {proc.stdout[-600:]}")
            proc = runner(broken, work, "--update", "tests/golden")
            if proc.returncode == 0 or "nothing written" not in proc.stdout:
                fail(f"{name}: --update did not refuse: {proc.stdout[-600:]}")
            if snapshot(work) != original:
                fail(f"{name}: --update wrote a file although it refused")

        # A plain wrong output: fails with advice, then an update records it and says what changed.
        wrong = wrapper(bins, "wrong", filtered('out="${out/Lee/Lea}"'))
        proc = runner(wrong, work, "tests/golden")
        if proc.returncode == 0 or "Read the difference below first" not in proc.stdout \
                or "+Lea" not in proc.stdout:
            fail(f"a wrong output: no failure, advice or difference: {proc.stdout[-600:]}")
        proc = runner(wrong, work, "--update", "tests/golden")
        summary = "golden-update: 1 of 2 file(s) changed, 2 line(s) added, 2 removed"
        if proc.returncode != 0 or "teams.expected: +2 -2" not in proc.stdout \
                or summary not in proc.stdout:
            fail(f"--update of a plain change: exit {proc.returncode}, {proc.stdout[-600:]}")
        if runner(wrong, work, "tests/golden").returncode != 0:
            fail("after the update the compare still fails")
        if runner(honest, work, "tests/golden").returncode == 0:
            fail("the real build passes against the recorded wrong output")

        # Byte for byte: an invalid UTF-8 byte is not decoded into a replacement character.
        replaced = wrapper(bins, "replaced", filtered("out=\"${out/Lee/L$'\\xff'e}\""))
        expected = os.path.join(work, "tests/golden/run/teams.expected")
        with open(expected, "wb") as f:
            f.write(original[expected].replace(b"Lee", "L\ufffde".encode()))
        if runner(replaced, work, "tests/golden/run/teams.fulcrum").returncode == 0:
            fail("a byte 0xff matched U+FFFD: the compare is not byte for byte")

        # The JIT's object cache is off for every command.
        cache = wrapper(bins, "cache", '[[ "$FULCRUM_JIT_CACHE" == off ]] || { echo "cache on" >&2; '
                                       'exit 99; }\n"$REAL" "$@"')
        with open(expected, "wb") as f:
            f.write(original[expected])
        proc = subprocess.run([sys.executable, RUNNER, "--fulcrum", cache, "tests/golden"],
                              capture_output=True, text=True, cwd=work,
                              env=dict(os.environ, FULCRUM_JIT_CACHE=os.path.join(work, "jit")))
        if proc.returncode != 0:
            fail(f"a golden ran with the JIT's object cache on: {proc.stdout[-400:]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    fail.finish("the golden runner refuses crashes, sanitizer reports and engines that disagree, "
                "compares bytes, and reports what an update changed")


main()
