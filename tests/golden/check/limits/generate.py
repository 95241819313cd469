#!/usr/bin/env python3
"""Writes the source files that are over a front-end limit (compiler/source/Limits.h) and too big
to commit, byte for byte the same on every run.

  generate.py DIR NAME...    writes DIR/NAME for each NAME of INPUTS below

tests/golden/run.py calls it for the `$GENERATED/NAME` arguments of a golden file's `// args:`
lines, into a temporary folder it prints back as `$GENERATED`.
"""
import os
import sys

HEAD = 'entity rep from "reps.csv" {\n  key name: text\n}\n'


def too_large():
    """Just over 16 MiB of well-formed params: the size alone is the problem."""
    lines, size, i = [], 0, 0
    while size <= 16 << 20:
        line = f"param p{i}: number = {i}\n"
        lines.append(line)
        size += len(line)
        i += 1
    return "".join(lines)


def too_many_declarations():
    """100,001 metrics in one framework (under 2 MiB)."""
    metrics = "".join(f"  metric m{i} = {i}\n" for i in range(100_001))
    return HEAD + "framework f {\n  subject rep\n  cadence quarter\n" + metrics + "}\n"


def long_line():
    """A metric whose one line is 70,000 bytes: `1 + 1 + ...` (20,000 terms, also far too deep)."""
    return HEAD + ("framework f {\n  subject rep\n  cadence quarter\n  metric m = "
                   + " + ".join(["1"] * 17_500) + "\n}\n")


INPUTS = {
    "too_large.fulcrum": too_large,
    "too_many_declarations.fulcrum": too_many_declarations,
    "long_line.fulcrum": long_line,
}


def main():
    folder = sys.argv[1]
    for name in sys.argv[2:]:
        if name in INPUTS:
            with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as f:
                f.write(INPUTS[name]())


if __name__ == "__main__":
    main()
