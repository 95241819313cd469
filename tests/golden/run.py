#!/usr/bin/env python3
"""Golden-file tests: each tests/golden/<suite>/NAME.fulcrum sits beside NAME.expected, which holds
what `fulcrum <command> NAME.fulcrum` prints (stdout, then stderr) and its exit status.

  run.py --fulcrum BIN FILE...            compare (one CTest test per file)
  run.py --fulcrum BIN --update DIR...    rewrite every .expected file under DIR
  run.py --fulcrum BIN --coverage DIR     fail unless every diagnostic kind appears in some .expected

The command comes from the suite's folder name (`check`, `run`: the folder right under
`golden/`, so a suite may have subfolders) plus the file's leading `// args: ...` comment lines;
several such lines run several commands, one after another.
Inputs too big to commit are written at test time: an argument `$GENERATED/NAME` makes the
`generate.py` beside the golden file write NAME into a fresh temporary folder, and that folder's
path is printed back as `$GENERATED` so the output stays the same from run to run.
Files of the `run` suite run once per engine (`--engine jit`, `--engine interp`): the two
outputs must be byte-identical, and that one output is what is recorded.
Paths are printed relative to the repository root, so run it from there.
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

GENERATED = "$GENERATED"


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
            arg_lines.append(match.group(1).split())
    return [[suite] + path_args(args, path) for args in (arg_lines or [[]])]


def path_args(args, path):
    """The file goes first for `run` (FILE then options), last otherwise."""
    if suite_of(path) == "run":
        return [path] + args
    return args + [path]


def run_one(fulcrum, command):
    proc = subprocess.run([fulcrum] + command, capture_output=True, text=True,
                          errors="replace", timeout=120)
    return proc.stdout + proc.stderr + f"exit: {proc.returncode}\n"


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
    commands = commands_for(path)
    folder = generate_inputs(path, commands)
    try:
        if folder:
            commands = [[arg.replace(GENERATED, folder) for arg in command]
                        for command in commands]
        output = run_commands(fulcrum, commands)
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    return output.replace(folder, GENERATED) if folder else output


def run_commands(fulcrum, commands):
    outputs = []
    for command in commands:
        if command[0] == "run":
            by_engine = {engine: run_one(fulcrum, command + ["--engine", engine])
                         for engine in ("jit", "interp")}
            if by_engine["jit"] != by_engine["interp"]:
                diff = "".join(difflib.unified_diff(by_engine["interp"].splitlines(True),
                                                    by_engine["jit"].splitlines(True),
                                                    "interp", "jit"))
                output = "ENGINES DISAGREE\n" + diff
            else:
                output = by_engine["jit"]
        else:
            output = run_one(fulcrum, command)
        header = "$ fulcrum " + " ".join(command) + "\n" if len(commands) > 1 else ""
        outputs.append(header + output)
    return "".join(outputs)


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

    failed = 0
    for path in golden_files(args.paths):
        actual = run(args.fulcrum, path)
        target = expected_path(path)
        if args.update:
            with open(target, "w", encoding="utf-8") as f:
                f.write(actual)
            continue
        try:
            with open(target, encoding="utf-8") as f:
                expected = f.read()
        except FileNotFoundError:
            expected = ""
        if actual != expected:
            failed += 1
            print(f"FAIL {path} (regenerate with `make golden-update`)")
            sys.stdout.writelines(difflib.unified_diff(
                expected.splitlines(True), actual.splitlines(True), target, "actual"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
