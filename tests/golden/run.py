#!/usr/bin/env python3
"""Golden-file tests: each tests/golden/<suite>/NAME.fulcrum sits beside NAME.expected, which holds
what `fulcrum <command> NAME.fulcrum` prints (stdout, then stderr) and its exit status.

  run.py --fulcrum BIN FILE...            compare (one CTest test per file)
  run.py --fulcrum BIN --update DIR...    rewrite the .expected files under DIR (all or none)
  run.py --fulcrum BIN --coverage DIR     fail unless every diagnostic kind appears in some .expected

The command comes from the suite's folder name (`check`, `run`: the folder right under
`golden/`, so a suite may have subfolders) plus the file's leading `// args: ...` comment lines;
several such lines run several commands, one after another. Arguments are split as a shell splits
them (`--only 'manager == "Mo"'` is two), and shown quoted where they need it.
Inputs too big to commit are written at test time: an argument `$GENERATED/NAME` makes the
`generate.py` beside the golden file write NAME into a fresh temporary folder, and that folder's
path is printed back as `$GENERATED` so the output stays the same from run to run.
Files of the `run` and `alerts` suites run once per engine (`--engine jit`, `--engine interp`):
the two outputs must be byte-identical, and that one output is what is recorded.
Outputs are compared byte for byte (no decoding). A command killed by a signal, one that timed out
or printed a sanitizer report, and engines that disagree fail the test whatever the .expected file
holds, and `--update` then writes nothing at all: an update can only record what a correct build
prints. It prints, per file it rewrites, the lines added and removed.
Every command runs with FULCRUM_JIT_CACHE=off: no object compiled by another build is reused.
Paths are printed relative to the repository root, so run it from there.
"""
import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

GENERATED = "$GENERATED"
ENGINE_SUITES = ("run", "alerts")  # commands that run a framework: once per engine
DISAGREE = "ENGINES DISAGREE"
# Every command runs with the JIT's object cache off, so no golden compares against an object an
# older build compiled (the cache's own tests are in tests/unit and tests/e2e/scale_test.py).
TEST_ENVIRONMENT = dict(os.environ, FULCRUM_JIT_CACHE="off")
# What AddressSanitizer, LeakSanitizer and UBSan print: a crash, whatever the exit status says.
SANITIZER_REPORT = re.compile(rb"^(==\d+==ERROR: |SUMMARY: \w+Sanitizer|\S+:\d+:\d+: runtime error: )",
                              re.M)


def suite_of(path):
    """The folder right under `golden/` (tests/golden/run/baddata/x.fulcrum is in `run`)."""
    parts = os.path.normpath(path).split(os.sep)
    if "golden" in parts[:-2]:
        return parts[len(parts) - 1 - parts[::-1].index("golden") + 1]
    return os.path.basename(os.path.dirname(path))


def commands_for(path):
    suite = suite_of(path)
    arg_lines = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            match = re.match(r"\s*//\s*args:(.*)", line)
            if not match:
                break
            arg_lines.append(shlex.split(match.group(1)))
    return [[suite] + path_args(args, path) for args in (arg_lines or [[]])]


def path_args(args, path):
    """The file goes first for `run` and `alerts` (FILE then options), last otherwise."""
    if suite_of(path) in ENGINE_SUITES:
        return [path] + args
    return args + [path]


def shown_arg(arg):
    """An argument as a shell would need it: quoted only when it holds a space or a quote."""
    return shlex.quote(arg) if re.search(r"[\s'\"\\]", arg) else arg


def run_one(fulcrum, command):
    """One command's stdout, then stderr, then its exit status, as bytes (compared byte for
    byte), and what went wrong in a way no golden file may record (or None)."""
    try:
        proc = subprocess.run([fulcrum] + command, capture_output=True, timeout=120,
                              env=TEST_ENVIRONMENT)
    except subprocess.TimeoutExpired:
        return b"timed out after 120 s\n", "timed out"
    output = proc.stdout + proc.stderr + f"exit: {proc.returncode}\n".encode()
    crash = None
    if proc.returncode < 0:
        crash = f"killed by signal {-proc.returncode}"
    elif SANITIZER_REPORT.search(proc.stderr):
        crash = "a sanitizer report"
    return output, crash


def generate_inputs(path, commands):
    """Writes the `$GENERATED/NAME` inputs the commands name; returns their folder (or None)."""
    names = sorted({arg.split(GENERATED + "/", 1)[1].split(",")[0]
                    for command in commands for arg in command if GENERATED + "/" in arg})
    if not names:
        return None
    folder = tempfile.mkdtemp(prefix="fulcrum-golden-")
    generator = os.path.join(os.path.dirname(path), "generate.py")
    subprocess.run([sys.executable, generator, folder] + names, check=True)
    return folder


def run(fulcrum, path):
    """What the file's commands print, as bytes, and the problems (crashes, engines that
    disagree) that make that output unfit to be recorded."""
    commands = commands_for(path)
    folder = generate_inputs(path, commands)
    try:
        if folder:
            commands = [[arg.replace(GENERATED, folder) for arg in command]
                        for command in commands]
        output, problems = run_commands(fulcrum, commands)
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    if folder:
        output = output.replace(folder.encode(), GENERATED.encode())
    return output, problems


def run_commands(fulcrum, commands):
    outputs, problems = [], []
    for command in commands:
        shown = "fulcrum " + " ".join(map(shown_arg, command))
        if command[0] in ENGINE_SUITES:
            by_engine = {}
            for engine in ("jit", "interp"):
                by_engine[engine], crash = run_one(fulcrum, command + ["--engine", engine])
                if crash:
                    problems.append(f"`{shown} --engine {engine}`: {crash}")
            if by_engine["jit"] != by_engine["interp"]:
                problems.append(f"`{shown}`: the JIT and the interpreter print different output")
                diff = "".join(difflib.unified_diff(text(by_engine["interp"]).splitlines(True),
                                                    text(by_engine["jit"]).splitlines(True),
                                                    "interp", "jit"))
                output = (DISAGREE + "\n" + diff).encode()
            else:
                output = by_engine["jit"]
        else:
            output, crash = run_one(fulcrum, command)
            if crash:
                problems.append(f"`{shown}`: {crash}")
        header = ("$ " + shown + "\n").encode() if len(commands) > 1 else b""
        outputs.append(header + output)
    return b"".join(outputs), problems


def text(output):
    """Bytes as text for showing a difference (never for comparing)."""
    return output.decode("utf-8", errors="backslashreplace")


def expected_path(path):
    return os.path.splitext(path)[0] + ".expected"


def golden_files(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in sorted(os.walk(path)):
                if os.path.basename(root) == "modules":
                    continue  # modules that golden files import, not golden files
                for name in sorted(names):
                    if name.endswith(".fulcrum"):
                        yield os.path.relpath(os.path.join(root, name))
        else:
            yield os.path.relpath(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fulcrum", required=True)
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--coverage", action="store_true")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()

    if args.coverage:
        kinds = subprocess.run([args.fulcrum, "diagnostics"], capture_output=True, text=True,
                               check=True).stdout.split("\n")
        kinds = [line.split()[0] for line in kinds if line.strip()]
        seen = set()
        for path in golden_files(args.paths):
            if not os.path.exists(expected_path(path)):
                continue  # that file's own test fails
            with open(expected_path(path), encoding="utf-8") as f:
                seen.update(re.findall(r"\[([A-Za-z]+)\]$", f.read(), re.M))
                f.seek(0)
                seen.update(re.findall(r'"code": "([A-Za-z]+)"', f.read()))
        missing = [kind for kind in kinds if kind not in seen]
        if missing:
            print("diagnostic kinds no golden file produces: " + ", ".join(missing))
            return 1
        print(f"all {len(kinds)} diagnostic kinds are covered")
        return 0

    if args.update:
        return update(args.fulcrum, args.paths)
    return compare(args.fulcrum, args.paths)


def read_expected(path):
    try:
        with open(expected_path(path), "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def compare(fulcrum, paths):
    """Each file's output must equal its .expected byte for byte, and must be fit to record."""
    failed = 0
    for path in golden_files(paths):
        actual, problems = run(fulcrum, path)
        expected = read_expected(path)
        if problems:
            failed += 1
            print(f"FAIL {path}: " + "; ".join(problems))
            print("  This is a bug to fix, never an output to record: `make golden-update` "
                  "refuses it.")
        elif actual != expected:
            failed += 1
            print(f"FAIL {path}: the output differs from {expected_path(path)}"
                  + (" (which does not exist)" if expected is None else ""))
            print("  Read the difference below first. Only if the new output is right: "
                  "`make golden-update`, then review `git diff` before committing.")
        else:
            continue
        sys.stdout.writelines(difflib.unified_diff(
            text(expected or b"").splitlines(True), text(actual).splitlines(True),
            expected_path(path), "actual"))
    return 1 if failed else 0


def update(fulcrum, paths):
    """Rewrites the .expected files, all or none: nothing is written while any file's output
    has a problem (a crash, engines that disagree). Prints what changed."""
    results, refused = [], []
    for path in golden_files(paths):
        actual, problems = run(fulcrum, path)
        if problems:
            refused.append((path, problems))
        results.append((path, actual))
    if refused:
        for path, problems in refused:
            print(f"REFUSED {path}: " + "; ".join(problems))
        print(f"golden-update: nothing written; {len(refused)} file(s) show a bug that no "
              "golden file may record (fix it, then update)")
        return 1
    changed, added, removed = 0, 0, 0
    for path, actual in results:
        expected = read_expected(path)
        if actual == expected:
            continue
        old, new = text(expected or b"").splitlines(), text(actual).splitlines()
        plus = minus = 0
        for line in difflib.unified_diff(old, new, lineterm="", n=0):
            if line.startswith("+") and not line.startswith("+++"):
                plus += 1
            elif line.startswith("-") and not line.startswith("---"):
                minus += 1
        changed, added, removed = changed + 1, added + plus, removed + minus
        print(f"  {expected_path(path)}: +{plus} -{minus}" + (" (new)" if expected is None else ""))
        with open(expected_path(path), "wb") as f:
            f.write(actual)
    print(f"golden-update: {changed} of {len(results)} file(s) changed, {added} line(s) added, "
          f"{removed} removed" + ("; review them with `git diff` before committing" if changed
                                  else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
