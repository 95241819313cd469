#!/usr/bin/env python3
"""The column cache is keyed on the CSV's bytes (issue 28). Through `fulcrum run --cache` on real
files: a same-size edit delivered with the mtime restored (`cp -p` of a file given the old mtime,
and an in-place rewrite followed by `touch -r`) is seen on the next run, whose output equals an
uncached run's; with FULCRUM_CACHE=trust-stat (the documented opt-in) the same edit goes unseen,
which shows this test would catch a cache keyed on size and mtime; a cache file of garbage, or
another file's valid cache copied over it, is ignored; a bad FULCRUM_CACHE is a usage error (64).

  column_cache_test.py FULCRUM
"""
import os
import shutil
import subprocess
import sys
import tempfile

from e2e_support import Failures

FRAMEWORK = """entity rep from "reps.csv" {
  key name: text
  quota: money
}

table deals from "deals.csv" {
  rep: rep
  closed: date
  amount: money
}

framework f {
  subject rep
  cadence quarter
  metric target: money = quota
  metric booked: money = sum(deals.amount where closed in period)
}
"""

REPS = "name,quota\nann,1000\nbob,2000\n"
DEALS = "rep,closed,amount\nann,2017-04-03,100\nbob,2017-05-04,200\nann,2017-06-05,300\n"
# The same sizes, other values: ann's deals credited to bob and amounts changed.
REPS_EDITED = "name,quota\nann,7000\nbob,2000\n"
DEALS_EDITED = "rep,closed,amount\nbob,2017-04-03,900\nbob,2017-05-04,200\nann,2017-06-05,301\n"


def run(fulcrum, folder, cache=True, env_mode=None):
    env = dict(os.environ)
    env.pop("FULCRUM_CACHE", None)
    if env_mode is not None:
        env["FULCRUM_CACHE"] = env_mode
    args = [fulcrum, "run", "f.fulcrum", "--framework", "f", "--period", "2017-Q2"]
    return subprocess.run(args + (["--cache"] if cache else []), capture_output=True, text=True,
                          cwd=folder, env=env)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def main():
    fulcrum = os.path.abspath(sys.argv[1])
    fail = Failures()
    with tempfile.TemporaryDirectory() as folder:
        write(os.path.join(folder, "f.fulcrum"), FRAMEWORK)
        reps, deals = os.path.join(folder, "reps.csv"), os.path.join(folder, "deals.csv")
        assert len(REPS) == len(REPS_EDITED) and len(DEALS) == len(DEALS_EDITED)

        def fresh(mode=None):
            write(reps, REPS)
            write(deals, DEALS)
            for name in ("reps.csv", "deals.csv"):
                cache = os.path.join(folder, name + ".fulcrum-cache")
                if os.path.exists(cache):
                    os.remove(cache)
            first = run(fulcrum, folder, env_mode=mode)
            if first.returncode != 0:
                fail(f"first cached run exited {first.returncode}: {first.stderr}")
            for name in ("reps.csv", "deals.csv"):
                if not os.path.exists(os.path.join(folder, name + ".fulcrum-cache")):
                    fail(f"no cache written for {name}")
            return first

        old = fresh()
        write(reps, REPS_EDITED)
        write(deals, DEALS_EDITED)
        new = run(fulcrum, folder, cache=False)
        if new.returncode != 0 or new.stdout == old.stdout:
            fail(f"the edit does not change the uncached output: {new.stdout} {new.stderr}")

        # 1. `cp -p` of an edited copy that was given the old file's mtime (`touch -r`).
        fresh()
        for path, text in ((reps, REPS_EDITED), (deals, DEALS_EDITED)):
            edited = path + ".edited"
            write(edited, text)
            subprocess.run(["touch", "-r", path, edited], check=True)
            subprocess.run(["cp", "-p", edited, path], check=True)
        seen = run(fulcrum, folder)
        if seen.returncode != 0 or seen.stdout != new.stdout:
            fail(f"cp -p edit not seen:\n{seen.stdout}{seen.stderr}\nexpected:\n{new.stdout}")

        def edit_in_place_keeping_mtimes():
            """Both files rewritten in place, each mtime then put back by `touch -r`."""
            for path, text in ((reps, REPS_EDITED), (deals, DEALS_EDITED)):
                shutil.copy2(path, path + ".stamp")
                write(path, text)
                subprocess.run(["touch", "-r", path + ".stamp", path], check=True)

        # 2. An in-place rewrite with the mtime put back by `touch -r`.
        fresh()
        edit_in_place_keeping_mtimes()
        seen = run(fulcrum, folder)
        if seen.returncode != 0 or seen.stdout != new.stdout:
            fail(f"touch -r edit not seen:\n{seen.stdout}{seen.stderr}")
        again = run(fulcrum, folder)  # the refreshed cache is right too
        if again.stdout != new.stdout:
            fail(f"the refreshed cache gives other output:\n{again.stdout}")

        # 3. The opt-in stat-only match keeps the old data: the trade-off it documents.
        fresh("trust-stat")
        edit_in_place_keeping_mtimes()
        stale = run(fulcrum, folder, env_mode="trust-stat")
        if stale.returncode != 0 or stale.stdout != old.stdout:
            fail(f"FULCRUM_CACHE=trust-stat did not use the stat-matched cache:\n{stale.stdout}")

        # 4. A cache of garbage, and another file's valid cache put in its place: ignored.
        fresh()
        cache = deals + ".fulcrum-cache"
        with open(cache, "wb") as f:
            f.write(b"FULCACHE" + os.urandom(4000))
        result = run(fulcrum, folder)
        if result.returncode != 0 or result.stdout != old.stdout:
            fail(f"a garbage cache changed the run:\n{result.stdout}{result.stderr}")
        shutil.copy(reps + ".fulcrum-cache", cache)
        result = run(fulcrum, folder)
        if result.returncode != 0 or result.stdout != old.stdout:
            fail(f"another file's cache changed the run:\n{result.stdout}{result.stderr}")

        # 5. A FULCRUM_CACHE that is not a mode is a usage error.
        bad = run(fulcrum, folder, env_mode="yes")
        if bad.returncode != 64 or "FULCRUM_CACHE" not in bad.stderr:
            fail(f"FULCRUM_CACHE=yes: exit {bad.returncode}, {bad.stderr}")
    fail.finish("column cache: same-size edits with the mtime restored are seen")


if __name__ == "__main__":
    main()
