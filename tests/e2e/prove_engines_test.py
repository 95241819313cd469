#!/usr/bin/env python3
"""End to end: `check --prove`'s band totality and division-by-zero answers against the engines
(issue 25). Each framework below comes with inputs that the engines (`fulcrum test`, both) leave
a band or a member missing on, every input present: a gap, or a division by zero. The test
asserts, for each:
  - the engines do leave it missing (the test block, expecting `missing`, passes);
  - `check --prove` does not answer `proved` for that band or that member's division;
  - where a gap is printed, it is the one stated (bounds as literals of the value's kind).
A prover that answered `proved` for a band with a nested `case` without `else`, or for a
division whose divisor cancels to 0 in doubles, fails here."""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures  # noqa: E402

FULCRUM = os.path.abspath(sys.argv[1])

REP = """entity rep {
  key name: text
  level: number in -5..5
  grade: number in 1..5
  quota: money in 0..1000000
  x: number in 0..100000000000000000
  y: number in 0..10
}
"""

# (name, framework members, test inputs, band or member left missing, the gap printed or None)
CASES = [
    ("else_nested", 'band b = if grade >= 3 then "a" else case { level >= 3 => "b" }',
     "grade: 1, level: 1", "b", None),
    ("then_nested", 'band b = if grade >= 3 then case { level >= 3 => "b" } else "c"',
     "grade: 4, level: 1", "b", None),
    ("both_nested",
     'band b = if grade >= 3 then case { level >= 3 => "b" } else case { level >= 3 => "b" }',
     "grade: 1, level: 1", "b", None),
    ("case_in_arm", 'band b = case {\n    grade >= 3 => case { level >= 3 => "a" }\n'
     '    else => "b"\n  }', "grade: 4, level: 1", "b", None),
    ("case_in_last_arm", 'band b = case {\n    grade >= 3 => "x"\n'
     '    grade < 3 => case { level >= 4 => "y" }\n  }', "grade: 1, level: 1", "b", None),
    ("parenthesized", 'band b = if grade >= 3 then (case { level >= 3 => "a" }) else "b"',
     "grade: 4, level: 1", "b", None),
    ("money", 'band b = case {\n    quota >= $100.25 => "big"\n    quota < $50.5 => "small"\n  }',
     "quota: $60", "b", "quota in [$50.5, $100.25)"),
    ("negative", 'band b = case {\n    level >= 2 => "hi"\n    level < -1 => "lo"\n  }',
     "level: 0", "b", "level in [-1, 2)"),
    ("absorbed", "metric b: number = if y > 0 then 1 / (x + y - x) else 0",
     "x: 10000000000000000, y: 1", "b", None),
]

ANSWER = re.compile(r'^\S+: f: (band "(?P<band>[^"]+)" total|division "[^"]*" of "(?P<member>[^"]+)"'
                    r'[^:]*never by zero): (?P<verdict>\w+)')
GAP = re.compile(r"^  no arm takes (?P<gap>.*), so (?P<band>\w+) is missing$")


def main():
    fail = Failures()
    with tempfile.TemporaryDirectory() as work:
        for name, members, inputs, missing, gap in CASES:
            source = (f"{REP}\nframework f {{\n  subject rep\n  cadence quarter\n\n  {members}\n}}\n")
            path = os.path.join(work, f"{name}.fulcrum")
            defaults = {"grade": "3", "level": "0", "quota": "$0", "x": "0", "y": "0"}
            given = dict(item.split(": ") for item in inputs.split(", "))
            fields = ", ".join(f"{k}: {given.get(k, v)}" for k, v in defaults.items())
            block = (f'test "gap" for f {{\n  period 2017-Q2\n  rep {{ name: "Ann", {fields} }}\n'
                     f'  expect "Ann" {{ {missing}: missing }}\n}}\n')
            with open(path, "w") as out:
                out.write(source + "\n" + block)
            run = subprocess.run([FULCRUM, "test", path], capture_output=True, text=True)
            if run.returncode != 0:
                fail(f"{name}: the engines do not leave {missing} missing at {inputs}:\n"
                     f"{run.stdout}{run.stderr}")
            with open(path, "w") as out:
                out.write(source)
            check = subprocess.run([FULCRUM, "check", "--prove", "--no-times", path],
                                   capture_output=True, text=True)
            output = check.stdout + check.stderr
            answers = [m for m in map(ANSWER.match, output.splitlines()) if m]
            mine = [m for m in answers if missing in (m["band"], m["member"])]
            if not mine:
                fail(f"{name}: check --prove gives no answer about {missing}:\n{output}")
            for answer in mine:
                if answer["verdict"] == "proved":
                    fail(f"{name}: check --prove answers proved, but the engines leave {missing} "
                         f"missing at {inputs}:\n{output}")
            if gap is not None:
                gaps = [m["gap"] for m in map(GAP.match, output.splitlines()) if m]
                if gaps != [gap]:
                    fail(f"{name}: the gap printed is {gaps}, not [{gap!r}]:\n{output}")
    fail.finish(f"{len(CASES)} gaps and zero divisors the engines reach: none answered proved")


if __name__ == "__main__":
    main()
