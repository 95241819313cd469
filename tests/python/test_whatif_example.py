"""examples/embed/whatif.py runs, and the band changes it prints are those three `fulcrum run`s
with the same quotas give."""
import os
import subprocess
import sys

import fulcrum  # noqa: F401 (the package the script imports, from the same place)

from conftest import LLR, cli, read_cli_csv

QUOTAS = (600_000, 900_000, 1_200_000)


def test_whatif_prints_the_band_changes_the_cli_gives():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    done = subprocess.run([sys.executable, "examples/embed/whatif.py", "--period", "2017-Q3"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    runs = [read_cli_csv(cli("run", LLR, "--framework", "llr", "--period", "2017-Q3", "--format",
                             "csv", "--param", f"quota={q}").stdout).set_index("name")["outcome"]
            for q in QUOTAS]
    want = {rep: [run[rep] for run in runs] for rep in runs[0].index
            if len({run[rep] for run in runs}) > 1}
    assert want  # the example would show nothing otherwise
    lines = done.stdout.splitlines()
    assert lines[0] == "llr 2017-Q3: the reps whose band changes with the quota"
    assert lines[1].split() == ["rep", "$600,000", "$900,000", "$1,200,000"]
    got = {}
    for line in lines[2:-1]:
        *name, a, b, c = line.split()
        got[" ".join(name)] = [a, b, c]
    assert got == want
    assert lines[-1] == f"{len(want)} of {len(runs[0])} reps change band"
