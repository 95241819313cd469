#!/usr/bin/env python3
"""`fulcrum fmt --write` end to end: a file that would change is rewritten to exactly what `fmt`
prints, keeping its permissions; a file already formatted is not touched (same inode, same
modification time); a file with syntax errors is left byte for byte as it was (exit 1) while the
other files of the run are still written; a rewrite that cannot be done (the folder is read-only)
leaves the file as it was, exits 2 and leaves no temporary file; `--check` changes nothing.

Usage, from the repository's root: python3 tests/e2e/fmt_write_test.py build/bin/fulcrum"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile

FULCRUM = os.path.abspath(sys.argv[1])
problems = []

UNFORMATTED = 'param quota : money=$150k\nfn f(a:number):number=a*2\n'
FORMATTED = 'param quota: money = $150k\n\nfn f(a: number): number = a * 2\n'
BROKEN = 'param quota: money = = 1\n'


def check(condition, message):
    if not condition:
        problems.append(message)


def fmt(args):
    return subprocess.run([FULCRUM, "fmt"] + args, capture_output=True, text=True,
                          env=dict(os.environ, FULCRUM_JIT_CACHE="off"))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text, mode=0o644):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, mode)


def lock_folder(folder):
    """Makes `folder` refuse new files; returns how to undo it, or None when it cannot."""
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        return lambda: os.chmod(folder, 0o755)
    if shutil.which("chattr") and subprocess.run(["chattr", "+i", folder],
                                                 capture_output=True).returncode == 0:
        return lambda: subprocess.run(["chattr", "-i", folder], check=True)
    return None


work = tempfile.mkdtemp(prefix="fulcrum-fmt-")
try:
    messy, tidy, broken = (os.path.join(work, n) for n in ("messy.fulcrum", "tidy.fulcrum",
                                                             "broken.fulcrum"))
    write(messy, UNFORMATTED, 0o640)
    write(tidy, FORMATTED)
    write(broken, BROKEN)
    printed = fmt([messy])
    check(printed.returncode == 0 and printed.stdout == FORMATTED,
          f"fmt prints {printed.stdout!r} (exit {printed.returncode}), not {FORMATTED!r}")
    check(read(messy) == UNFORMATTED, "fmt without --write changed the file")

    listed = fmt(["--check", messy, tidy])
    check(listed.returncode == 1 and listed.stdout == messy + "\n",
          f"--check prints {listed.stdout!r} (exit {listed.returncode})")
    check(read(messy) == UNFORMATTED, "--check changed the file")

    before = os.stat(tidy)
    written = fmt(["--write", messy, tidy, broken])
    check(written.returncode == 1, f"--write with a broken file exits {written.returncode}, not 1")
    check("error:" in written.stderr, f"no diagnostic for the broken file: {written.stderr!r}")
    check(written.stdout == "", f"--write prints {written.stdout!r}")
    check(read(messy) == FORMATTED, f"--write left {read(messy)!r}")
    check(stat.S_IMODE(os.stat(messy).st_mode) == 0o640, "--write lost the file's permissions")
    after = os.stat(tidy)
    check((after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns),
          "--write touched a file that was already formatted")
    check(read(broken) == BROKEN, "--write changed a file with syntax errors")

    again = fmt(["--write", messy, tidy])
    check(again.returncode == 0, f"--write of formatted files exits {again.returncode}")

    # A rewrite that cannot happen: no file can be made in the folder, so no temporary file
    # beside the file (the mode for a user; root ignores modes, so the immutable attribute).
    write(messy, UNFORMATTED, 0o644)
    locked = lock_folder(work)
    if locked:
        try:
            failed = fmt(["--write", messy])
        finally:
            locked()
        check(failed.returncode == 2, f"an impossible rewrite exits {failed.returncode}, not 2")
        check("cannot write" in failed.stderr, f"no reason given: {failed.stderr!r}")
        check(read(messy) == UNFORMATTED, "a failed rewrite changed the file")
    else:
        print("note: cannot make a folder read-only here; the failed-rewrite case is skipped")
    check(sorted(os.listdir(work)) == ["broken.fulcrum", "messy.fulcrum", "tidy.fulcrum"],
          f"files left behind: {sorted(os.listdir(work))}")

    # Through a link: the file it names is rewritten, and the link stays a link.
    write(messy, UNFORMATTED, 0o644)
    link = os.path.join(work, "link.fulcrum")
    os.symlink("messy.fulcrum", link)
    through = fmt(["--write", link])
    check(through.returncode == 0, f"--write through a link exits {through.returncode}")
    check(os.path.islink(link), "--write replaced the link with a file")
    check(read(messy) == FORMATTED, "--write through a link left the file it names unformatted")
finally:
    shutil.rmtree(work, ignore_errors=True)

if problems:
    print("\n".join(problems))
    sys.exit(1)
print("fmt --write: rewrites atomically, leaves formatted and broken files alone")
