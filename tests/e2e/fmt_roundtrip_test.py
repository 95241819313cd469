#!/usr/bin/env python3
"""`fulcrum fmt` keeps every program's meaning and every comment, and is idempotent. For every
.fulcrum file of the repository (git ls-files) and every program of the fuzz corpora that parses:

- the formatted text parses and checks to the same result: `check --dump-ast` (types and
  resolutions included) equal with positions stripped, or, for a file with check errors, the same
  diagnostics (kind and message, positions stripped) and the same exit status;
- `fmt` of the formatted text is the formatted text (idempotent);
- the comment texts (found by a lexer written here, not the compiler's) are the same list in the
  same order, a line comment's trailing blanks aside;
- examples/ and stdlib/ are already formatted (`fmt --check` is clean over them).

The formatted text is written under the original's name into a fresh temporary folder (nothing is
written into the repository, where other tests list files) and checked with `--lib` the
original's folder, so that its imports resolve as the original's do.

Usage, from the repository's root: python3 tests/e2e/fmt_roundtrip_test.py build/bin/fulcrum"""
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import tempfile
import sys

FULCRUM = os.path.abspath(sys.argv[1])
ENV = dict(os.environ, FULCRUM_JIT_CACHE="off")
CORPORA = ["fuzz/corpus/check_fuzz/*", "fuzz/regressions/check_fuzz/*", "fuzz/seeds/**/*"]
# Fewer formatted files than this means the test lost its inputs, not that fmt got better.
MIN_REPO_FILES = 250
MIN_CORPUS_FILES = 100

# The grammar's STRING (holes may hold plain strings), comments; everything else is skipped.
STRING = r'"(?:\\.|\{(?:"(?:\\.|[^"\\{\r\n])*"|[^"{}\r\n])*\}|[^"\\{\r\n])*"'
TOKEN = re.compile(STRING + r'|(//[^\r\n]*)|(/\*[\s\S]*?\*/)|[^"/]+|/', re.S)
POSITION = re.compile(r" @\d+:\d+$", re.M)
DIAGNOSTIC = re.compile(r"^\S*?:\d+:\d+: (error|warning): (.*)$", re.M)


def comments(text):
    found = []
    for match in TOKEN.finditer(text):
        if match.group(1) is not None:
            found.append(match.group(1).rstrip(" \t"))
        elif match.group(2) is not None:
            found.append(match.group(2))
    return found


def run(args):
    return subprocess.run([FULCRUM] + args, capture_output=True, env=ENV)


def checked(path, options=()):
    """What `check --dump-ast` says of a file, positions and the file's own name aside."""
    proc = run(["check", "--dump-ast"] + list(options) + [path])
    dump = POSITION.sub("", proc.stdout.decode("utf-8", "replace")).split("\n", 1)[-1]
    stderr = proc.stderr.decode("utf-8", "replace")
    diagnostics = [m.group(1) + ": " + m.group(2) for m in DIAGNOSTIC.finditer(stderr)]
    # An import cycle through the copy is a different cycle of paths (the partner imports the
    # original, not the copy): its kind is what must agree.
    diagnostics = ["error: [ImportCycle]" if d.endswith("[ImportCycle]") else d
                   for d in diagnostics]
    return proc.returncode, dump, diagnostics


def round_trip(path):
    """None when the file does not parse (skipped); else a list of problems."""
    with open(path, "rb") as f:
        original = f.read()
    first = run(["fmt", path])
    if first.returncode != 0:
        # Only a file with syntax errors may be refused, and then with diagnostics and no text.
        if b"error:" in first.stderr and not first.stdout and b"internal error" not in first.stderr:
            return None
        return [f"{path}: fmt exits {first.returncode}: {first.stderr.decode()[:300]}"]
    formatted = first.stdout
    problems = []
    folder = tempfile.mkdtemp(prefix="fulcrum-fmt-roundtrip-")
    copy = os.path.join(folder, os.path.basename(path))
    try:
        with open(copy, "wb") as f:
            f.write(formatted)
        second = run(["fmt", copy])
        if second.returncode != 0 or second.stdout != formatted:
            problems.append(f"{path}: not idempotent: formatting the output changes it again")
        # The copy's imports resolve beside the original, as the original's do.
        lib = ["--lib", os.path.dirname(os.path.abspath(path))]
        if checked(path) != checked(copy, lib):
            problems.append(f"{path}: the formatted text checks differently (AST or diagnostics)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    before = comments(original.decode("utf-8", "replace"))
    after = comments(formatted.decode("utf-8", "replace"))
    if before != after:
        problems.append(f"{path}: comments differ: {len(before)} before, {len(after)} after; "
                        f"first difference: {next((a, b) for a, b in zip(before + [''], after + ['']) if a != b)}")
    return problems


def main():
    repo = subprocess.run(["git", "ls-files", "*.fulcrum"], capture_output=True, text=True,
                          check=True).stdout.split()
    corpus = sorted({p for pattern in CORPORA for p in glob.glob(pattern, recursive=True)
                     if os.path.isfile(p)})
    problems = []
    counts = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for label, paths in (("repository", repo), ("corpus", corpus)):
            results = list(pool.map(round_trip, paths))
            counts[label] = sum(r is not None for r in results)
            problems += [p for r in results if r for p in r]
    if counts["repository"] < MIN_REPO_FILES:
        problems.append(f"only {counts['repository']} repository files formatted")
    if counts["corpus"] < MIN_CORPUS_FILES:
        problems.append(f"only {counts['corpus']} corpus programs formatted")
    tidy = sorted(p for p in repo if p.startswith(("examples/", "stdlib/")))
    check = run(["fmt", "--check"] + tidy)
    if check.returncode != 0:
        problems.append("examples/ and stdlib/ are not formatted (run `fulcrum fmt --write`): "
                        + check.stdout.decode().replace("\n", " ") + check.stderr.decode())
    if problems:
        print("\n".join(problems[:40]))
        print(f"{len(problems)} problem(s)")
        sys.exit(1)
    print(f"fmt round trip: {counts['repository']} repository files and {counts['corpus']} corpus "
          f"programs keep their AST and comments and format idempotently")


main()
