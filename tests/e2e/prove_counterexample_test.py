#!/usr/bin/env python3
"""End to end: a refutation's test block, as `fulcrum check --prove` prints it, pasted into a copy
of the framework's file, makes `fulcrum test` (both engines) report the violation for the reason
stated (issue 25).

For each confirmed refutation of the files below, the block is cut from the output and written
after the framework in a fresh copy of the file; then:
  - `fulcrum test` passes (its `expect violation "CHECK" for SUBJECT` holds on both engines);
  - the counterexample's printed values (`attainment = 100%`, `outcome = "pip"`) added as an
    `expect SUBJECT { ... }` to the block also pass: the engines compute the values stated;
  - the same block with `expect no violation` instead fails naming the check: the violation is
    real, not an expectation that cannot fail.
Every refutation of group_company_rows (a group subject's rows, the company's) and two_links must
be confirmed.
The llr example must come out confirmed: ratings of 1 at 100% of quota. The golden of every
example's answers (tests/golden/check/prove/examples.fulcrum) must list every example."""
import glob
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures  # noqa: E402

FULCRUM = os.path.abspath(sys.argv[1])
FILES = ["examples/llr/llr.fulcrum", "tests/golden/check/prove/llr_refuted.fulcrum",
         "tests/golden/check/prove/rates_and_missing.fulcrum",
         "tests/golden/check/prove/counterexample_rows.fulcrum",
         "tests/golden/check/prove/free_params.fulcrum",
         "tests/golden/check/prove/text_order_key.fulcrum",
         "tests/golden/check/prove/group_company_rows.fulcrum",
         "tests/golden/check/prove/two_links.fulcrum",
         "tests/golden/check/prove/company_two_refs.fulcrum"]
# Files whose every refutation must be confirmed: a group subject's and the company's rows, a
# table aggregated by two references to the subject.
ALL_CONFIRMED = ["tests/golden/check/prove/group_company_rows.fulcrum",
                 "tests/golden/check/prove/two_links.fulcrum",
                 "tests/golden/check/prove/company_two_refs.fulcrum"]
HEADER = re.compile(r'^(?P<file>\S+): (?P<framework>\w+): check "(?P<check>.*)": (?P<verdict>\w+)')


def refutations(output):
    """(check, verdict line, values {name: shown}, block or None) per refuted check."""
    found = []
    lines = output.splitlines()
    i = 0
    while i < len(lines):
        match = HEADER.match(lines[i])
        i += 1
        if not match or match["verdict"] != "refuted":
            continue
        entry = {"check": match["check"], "line": lines[i - 1], "values": {}, "block": None}
        if i < len(lines) and lines[i].startswith("  counterexample"):
            i += 1
        while i < len(lines) and lines[i].startswith("    "):
            name, _, value = lines[i].strip().partition(" = ")
            entry["values"][name] = value
            i += 1
        if i < len(lines) and lines[i].startswith("  as a test"):
            i += 1
            start = i
            while lines[i] != "}":
                i += 1
            entry["block"] = "\n".join(lines[start:i + 1]) + "\n"
            i += 1
        found.append(entry)
    return found


def expected_values(values):
    """`name: literal` for each printed value a test can match."""
    items = []
    for name, shown in values.items():
        if shown.startswith("("):
            continue  # `(any text)`, `(not computed from the rows)`
        literal = "missing" if shown == "-" else shown
        if literal.startswith("$") or literal.startswith("-$"):
            literal = literal.replace(",", "_")  # `$150,000` as a literal: `$150_000`
        items.append(f"{name}: {literal}")
    return ", ".join(items)


def run_test(source, path, block):
    """Runs `fulcrum test` on `source` + `block` written at `path`; returns (status, output)."""
    with open(path, "w") as out:
        out.write(source + "\n" + block)
    result = subprocess.run([FULCRUM, "test", path], capture_output=True, text=True)
    return result.returncode, result.stdout + result.stderr


def main():
    fail = Failures()
    confirmed = 0
    with tempfile.TemporaryDirectory() as folder:
        for file in FILES:
            # free_params' refutations need its params free.
            free = ["--prove-params"] if "free_params" in file else []
            result = subprocess.run([FULCRUM, "check", "--prove", "--no-times", *free, file],
                                    capture_output=True, text=True)
            if result.returncode != 1:
                fail(f"{file}: check --prove exited {result.returncode}, not 1 (a refutation)")
            source = open(file).read()
            for index, entry in enumerate(refutations(result.stdout)):
                block = entry["block"]
                if file in ALL_CONFIRMED and "(unconfirmed" in entry["line"]:
                    fail(f"{file}: {entry['line']}: every refutation here is to be confirmed")
                if block is None:
                    if "(unconfirmed: " not in entry["line"]:
                        fail(f"{file}: {entry['line']}: refuted without a test block or a reason")
                    continue
                if "(unconfirmed" in entry["line"]:
                    continue
                confirmed += 1
                subject = re.search(r'expect violation ".*" for (".*")', block).group(1)
                # A copy of the file in another folder: the test is hermetic (no `from` is read).
                path = os.path.join(folder, f"{index}_{os.path.basename(file)}")
                status, output = run_test(source, path, block)
                if status != 0:
                    fail(f"{file}: check \"{entry['check']}\": the pasted block does not pass "
                         f"(exit {status}):\n{output}")
                with_values = block.replace(
                    "  expect violation",
                    f"  expect {subject} {{ {expected_values(entry['values'])} }}\n"
                    "  expect violation")
                status, output = run_test(source, path, with_values)
                if status != 0:
                    fail(f"{file}: check \"{entry['check']}\": the engines do not compute the "
                         f"values printed (exit {status}):\n{with_values}{output}")
                without = re.sub(r'  expect violation .*\n', "  expect no violation\n", block)
                status, output = run_test(source, path, without)
                if status != 1 or entry["check"] not in output:
                    fail(f"{file}: check \"{entry['check']}\": `expect no violation` should fail "
                         f"naming the check (exit {status}):\n{output}")
        llr = subprocess.run([FULCRUM, "check", "--prove", "--no-times", FILES[0]],
                             capture_output=True, text=True).stdout
        if not re.search(r'check "no PIP above quota": refuted\n', llr) or \
                "leadership: 1, leverage: 1" not in llr:
            fail(f"examples/llr: not confirmed with ratings of 1:\n{llr}")
    # The golden of every example's answers lists every example.
    listed = open("tests/golden/check/prove/examples.fulcrum").readline().split()
    for example in sorted(glob.glob("examples/*/*.fulcrum")):
        if example not in listed:
            fail(f"{example} is missing from tests/golden/check/prove/examples.fulcrum's args")
    if confirmed < 4:
        fail(f"only {confirmed} confirmed refutations were run (at least 4 expected)")
    fail.finish(f"{confirmed} counterexample test blocks reproduce their violations on both engines")


main()
