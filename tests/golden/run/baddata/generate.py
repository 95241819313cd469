#!/usr/bin/env python3
"""Writes the bad-data inputs too big to commit, byte for byte the same on every run.

  generate.py DIR NAME...    writes DIR/NAME for each NAME of INPUTS below

A NAME that is not an input is a file the command itself writes there (a rejects file): it is
left alone, and a misspelt input shows up in the output as a file that cannot be read.

tests/golden/run.py calls it for the `$GENERATED/NAME` arguments of a golden file's `// args:`
lines, into a temporary folder it prints back as `$GENERATED`.
"""
import os
import sys

HEADER = ["id", "owner", "stage", "value", "closed", "note"]
ROWS = [
    ["d1", "Ann", "Won", "1000", "2017-04-03", ""],
    ["d2", "Bob", "Won", "300", "2017-05-10", "first deal"],
    ["d3", "Ann", "Lost", "", "2017-06-01", ""],
]

WIDE_COLUMNS = 10_000


def wide(missing_column):
    """10,000 columns; the six the schema reads are spread over them (the last is column 10,000).
    With `missing_column`, `closed` is misspelt, so the loader must name it without printing
    10,000 column names."""
    names = [f"extra_{i}" for i in range(1, WIDE_COLUMNS + 1)]
    places = {0: "id", 1: "owner", 2500: "stage", 5000: "value", 7500: "closed",
              WIDE_COLUMNS - 1: "note"}
    for index, name in places.items():
        names[index] = name
    if missing_column:
        names[7500] = "close_date"
    lines = [",".join(names)]
    for row in ROWS:
        cells = [str(i % 10) for i in range(WIDE_COLUMNS)]
        for index, name in places.items():
            cells[index] = row[HEADER.index(name)]
        lines.append(",".join(cells))
    return ("\n".join(lines) + "\n").encode()


def huge_field():
    """A 10 MB quoted note on the second record, between two good records."""
    huge = "x" * (10 * 1024 * 1024)
    lines = [",".join(HEADER), ",".join(ROWS[0]),
             f'd2,Bob,Won,300,2017-05-10,"{huge}"', ",".join(ROWS[2])]
    return ("\n".join(lines) + "\n").encode()


def binary():
    """64 KB of pseudo-random bytes (a fixed linear congruential sequence), NULs included."""
    state = 12345
    out = bytearray()
    for _ in range(64 * 1024):
        state = (state * 1103515245 + 12345) % (1 << 31)
        out.append(state >> 23)
    return bytes(out)


def many_deals():
    """20,000 deals (about 700 KB): more rows than `--memory-limit 256K` pays for."""
    lines = [",".join(HEADER)]
    for i in range(20_000):
        lines.append(f"m{i},{'Ann' if i % 2 else 'Bob'},Won,{i % 900 + 100},2017-05-{i % 28 + 1:02},note {i}")
    return ("\n".join(lines) + "\n").encode()


INPUTS = {
    "wide.csv": lambda: wide(False),
    "wide_missing.csv": lambda: wide(True),
    "huge_field.csv": huge_field,
    "binary.csv": binary,
    "many_deals.csv": many_deals,
}


def main():
    folder, names = sys.argv[1], sys.argv[2:]
    for name in names:
        if name not in INPUTS:
            continue
        with open(os.path.join(folder, name), "wb") as f:
            f.write(INPUTS[name]())
    return 0


if __name__ == "__main__":
    sys.exit(main())
