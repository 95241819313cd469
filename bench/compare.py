#!/usr/bin/env python3
"""Compares two framework results in Fulcrum's CSV form (a peer's against fulcrum's) cell by cell.

    bench/compare.py A.csv B.csv [--rel 1e-9] [--abs 1e-12] [--exact COL,...] [--show 10]

Headers must match exactly, rows must come in the same order with the same keys (first column).
Cells that both read as numbers compare with a relative tolerance (summation order differs
between engines; two numbers closer than --abs also match, so that a 0 and the rounding noise
of a sum that should be 0 agree), any other cell as exact text; an empty cell (missing) matches
only an empty cell. The columns named by --exact (ranks, counts) compare as exact text whatever
they hold. Exits 1 on any difference, printing the first few with row key and column; 0
otherwise, with a one-line summary that names the largest relative difference seen.
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


def relative_difference(a, b):
    """|a - b| / max(|a|, |b|) of two number cells; 0 when equal, None when either is no number."""
    if a == b:
        return 0.0
    x, y = as_number(a), as_number(b)
    if x is None or y is None:
        return None
    return abs(x - y) / max(abs(x), abs(y))


def cells_differ(a, b, rel, absolute, exact=False):
    if a == b:
        return False
    if a == "" or b == "" or exact:
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
    parser.add_argument("--exact", default="", type=lambda t: {c for c in t.split(",") if c},
                        help="columns compared as exact text (ranks, counts), comma separated")
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

    unknown = args.exact - set(header_a)
    if unknown:
        print(f"compare: --exact names no column of the header: {', '.join(sorted(unknown))}")
        return 1
    differences = []
    largest = (0.0, None)  # the largest relative difference between matching number cells
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
            if cells_differ(a, b, args.rel, args.absolute, column in args.exact):
                differences.append(f"{row_a[0]} {column}: {a or '(missing)'} vs "
                                   f"{b or '(missing)'}")
            elif a != b:
                gap = relative_difference(a, b)
                if gap is not None and gap > largest[0]:
                    largest = (gap, column)

    if differences:
        for d in differences[:args.show]:
            print(d)
        more = len(differences) - args.show
        print(f"compare: {len(differences)} differences" + (f" ({more} not shown)" if more > 0
                                                            else ""))
        return 1
    exact = f", {','.join(sorted(args.exact))} exactly" if args.exact else ""
    gap = (f"; largest relative difference {largest[0]:.2g} ({largest[1]})" if largest[1]
           else "; every cell identical")
    print(f"compare: {len(rows_a) - 1} rows x {len(header_a)} columns agree (rel {args.rel:g}"
          f"{exact}){gap}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
