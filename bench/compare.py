#!/usr/bin/env python3
"""Compares two framework results in Fulcrum's CSV form (a peer's against fulcrum's) cell by cell.

    bench/compare.py A.csv B.csv [--rel 1e-9] [--abs 1e-12] [--show 10]

Headers must match exactly, rows must come in the same order with the same keys (first column).
Cells that both read as numbers compare with a relative tolerance (summation order differs
between engines; two numbers closer than --abs also match, so that a 0 and the rounding noise
of a sum that should be 0 agree), any other cell as exact text; an empty cell (missing) matches
only an empty cell. Exits 1 on any difference, printing the first few with row key and column;
0 otherwise, with a one-line summary.
"""
import argparse
import csv
import math
import sys


def as_number(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def cells_differ(a, b, rel, absolute):
    if a == b:
        return False
    if a == "" or b == "":
        return True
    x, y = as_number(a), as_number(b)
    if x is None or y is None:
        return True
    return abs(x - y) > rel * max(abs(x), abs(y)) and abs(x - y) > absolute


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--rel", type=float, default=1e-9, help="relative tolerance for numbers")
    parser.add_argument("--abs", type=float, default=1e-12, dest="absolute",
                        help="numbers this close match whatever their size")
    parser.add_argument("--show", type=int, default=10, help="differences to print")
    args = parser.parse_args()

    with open(args.a, newline="") as fa, open(args.b, newline="") as fb:
        rows_a, rows_b = list(csv.reader(fa)), list(csv.reader(fb))
    if not rows_a or not rows_b:
        print(f"compare: {args.a if not rows_a else args.b} is empty")
        return 1
    header_a, header_b = rows_a[0], rows_b[0]
    if header_a != header_b:
        print(f"compare: headers differ:\n  {args.a}: {','.join(header_a)}\n"
              f"  {args.b}: {','.join(header_b)}")
        return 1

    differences = []
    if len(rows_a) != len(rows_b):
        differences.append(f"row counts differ: {len(rows_a) - 1} vs {len(rows_b) - 1}")
    for line, (row_a, row_b) in enumerate(zip(rows_a[1:], rows_b[1:]), start=2):
        if len(row_a) != len(header_a) or len(row_b) != len(header_a):
            differences.append(f"line {line}: {len(row_a)} vs {len(row_b)} cells")
            continue
        if row_a[0] != row_b[0]:
            differences.append(f"line {line}: key {row_a[0]!r} vs {row_b[0]!r}")
            continue
        for column, a, b in zip(header_a[1:], row_a[1:], row_b[1:]):
            if cells_differ(a, b, args.rel, args.absolute):
                differences.append(f"{row_a[0]} {column}: {a or '(missing)'} vs "
                                   f"{b or '(missing)'}")

    if differences:
        for d in differences[:args.show]:
            print(d)
        more = len(differences) - args.show
        print(f"compare: {len(differences)} differences" + (f" ({more} not shown)" if more > 0
                                                            else ""))
        return 1
    print(f"compare: {len(rows_a) - 1} rows x {len(header_a)} columns agree (rel {args.rel:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
