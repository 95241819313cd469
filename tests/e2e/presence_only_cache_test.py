#!/usr/bin/env python3
"""The column cache and fields a framework never reads (presence only, docs/data-formats.md).

Framework `a` never reads `deals.region` (required) or `deals.note` (optional), so its load
keeps no value of them; framework `b` counts rows by `note`; neither reads `region`. Under
FULCRUM_CACHE=trust-stat (a cache matched on size and mtime), an edit of deals.csv in place
that keeps its size and restores its mtime is seen only by a run that parses the file:

1. `a` writes the cache; `a` again after an edit of a value it reads shows the cached value
   (the cache of a table with a presence-only required field, `region`, is accepted, not
   refused as holding missing required cells);
2. `b` after `a`'s cache counts the notes right (a cache without the values `b` reads has
   another key: its all-missing optional `note` would pass the cache's checks and count no
   note at all).

  presence_only_cache_test.py FULCRUM
"""
import os
import subprocess
import sys
import tempfile

from e2e_support import Failures

FRAMEWORKS = """entity rep from "reps.csv" {
  key name: text
}

table deals from "deals.csv" {
  key id: text
  owner: rep
  stage: text
  value: money
  region: text
  note: text?
}

framework a {
  subject rep
  cadence quarter
  metric won: money = sum(deals.value where stage == "Won")
}

framework b {
  subject rep
  cadence quarter
  metric flagged: count = count(deals where note == "x")
}
"""
REPS = "name\nAnn\nBob\n"
DEALS = ("id,owner,stage,value,region,note\nd1,Ann,Won,100,EU,x\nd2,Bob,Won,300,US,y\n"
         "d3,Bob,Lost,50,US,x\n")


def main():
    fulcrum = os.path.abspath(sys.argv[1])
    fail = Failures()
    with tempfile.TemporaryDirectory() as folder:
        deals = os.path.join(folder, "deals.csv")
        for name, text in (("f.fulcrum", FRAMEWORKS), ("reps.csv", REPS), ("deals.csv", DEALS)):
            with open(os.path.join(folder, name), "w") as f:
                f.write(text)
        env = dict(os.environ)
        env["FULCRUM_CACHE"] = "trust-stat"

        def run(framework):
            proc = subprocess.run([fulcrum, "run", "f.fulcrum", "--framework", framework,
                                   "--period", "2017-Q2", "--cache", "--format", "csv"],
                                  capture_output=True, text=True, cwd=folder, env=env)
            if proc.returncode != 0:
                fail(f"`{framework}` exited {proc.returncode}: {proc.stderr}")
            return proc.stdout

        def edit(old, new):  # same size, same mtime: only a parse sees it
            stat = os.stat(deals)
            with open(deals) as f:
                text = f.read()
            assert len(old) == len(new) and old in text
            with open(deals, "w") as f:
                f.write(text.replace(old, new))
            os.utime(deals, ns=(stat.st_atime_ns, stat.st_mtime_ns))

        first = run("a")
        if first != "name,won\nAnn,100\nBob,300\n":
            fail(f"`a` on the file:\n{first}")
        if not os.path.exists(deals + ".fulcrum-cache"):
            fail("`a` wrote no cache for deals.csv")
        edit("d1,Ann,Won,100", "d1,Ann,Won,900")
        cached = run("a")
        if cached != first:
            fail(f"`a` did not use its own cache (a presence-only field's cache refused?):\n"
                 f"{cached}")
        counted = run("b")
        if counted != "name,flagged\nAnn,1\nBob,1\n":
            fail(f"`b` after `a`'s cache counts the notes wrong (it used a cache without them?):\n"
                 f"{counted}")
    fail.finish("a cache of presence-only fields is used by its framework and not by another")


if __name__ == "__main__":
    main()
