#!/usr/bin/env python3
"""`fulcrum test --junit PATH` writes JUnit XML that CI systems read: parsed with xml.etree, it has
one <testsuite name=FILE tests= failures= errors=> per file, one <testcase classname=FILE
name=TITLE file=FILE line=N> per test block, a <failure message=...> for a test whose
expectations fail, an <error> for each test of a file that does not compile and for a fixture's
data error; counts add up; text with XML's special characters survives escaping. The exit status
is 1 on a failure, 2 on a data error, and 2 when the JUnit file cannot be written (nothing is left
behind).

Usage, from the repository's root: python3 tests/e2e/test_junit_test.py build/bin/fulcrum"""
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

FULCRUM = os.path.abspath(sys.argv[1])
GOLDEN = "tests/golden/test"
problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def run(args):
    return subprocess.run([FULCRUM, "test"] + args, capture_output=True, text=True,
                          env=dict(os.environ, FULCRUM_JIT_CACHE="off"))


work = tempfile.mkdtemp(prefix="fulcrum-junit-")
try:
    # A title with every character XML escapes, in a file of its own beside the golden fixtures.
    with open(f"{GOLDEN}/passing.fulcrum", encoding="utf-8") as f:
        passing = f.read()
    special = f"{work}/special.fulcrum"
    with open(special, "w", encoding="utf-8") as f:
        f.write(passing.replace('test "precision and tolerance"',
                                'test "<tags> & \\"quotes\\" \'too\'"'))
    files = [f"{GOLDEN}/passing.fulcrum", f"{GOLDEN}/failures.fulcrum",
             f"{GOLDEN}/compile_error.fulcrum", special]
    junit = f"{work}/junit.xml"
    proc = run(files + ["--junit", junit])
    check(proc.returncode == 1, f"exit {proc.returncode}, want 1: {proc.stderr}")
    root = ET.parse(junit).getroot()
    check(root.tag == "testsuites", f"root element <{root.tag}>, want <testsuites>")
    suites = root.findall("testsuite")
    check([s.get("name") for s in suites] == files,
          f"testsuite names {[s.get('name') for s in suites]}, want {files}")
    want_titles = {
        files[0]: ["an over-quota rep with low ratings is not put on a PIP",
                   "precision and tolerance",
                   "a rep at exactly 100% with ratings of 1 lands in pip"],
        files[1]: ["failures", "an unexpected violation", "passes"],
        files[2]: ["names an output the framework does not have"],
        files[3]: ["an over-quota rep with low ratings is not put on a PIP",
                   '<tags> & "quotes" \'too\'',
                   "a rep at exactly 100% with ratings of 1 lands in pip"],
    }
    total = {"tests": 0, "failures": 0, "errors": 0}
    for suite in suites:
        name = suite.get("name")
        cases = suite.findall("testcase")
        check([c.get("name") for c in cases] == want_titles.get(name),
              f"{name}: testcases {[c.get('name') for c in cases]}")
        for case in cases:
            check(case.get("classname") == name and case.get("file") == name,
                  f"{name}: testcase classname/file {case.get('classname')}/{case.get('file')}")
            check(case.get("line", "").isdigit() and int(case.get("line")) > 0,
                  f"{name}: testcase line {case.get('line')!r}")
        failures = [c for c in cases if c.find("failure") is not None]
        errors = [c for c in cases if c.find("error") is not None]
        for attribute, count in (("tests", len(cases)), ("failures", len(failures)),
                                 ("errors", len(errors))):
            check(suite.get(attribute) == str(count),
                  f"{name}: {attribute}={suite.get(attribute)}, counted {count}")
            total[attribute] += count
        if name == files[1]:
            check([c.get("name") for c in failures] == ["failures", "an unexpected violation"],
                  f"failures.fulcrum: failed cases {[c.get('name') for c in failures]}")
            failure = failures[0].find("failure") if failures else None
            check(failure is not None and "expected 165%, got 166%" in failure.get("message", "")
                  and "failures.fulcrum:" in (failure.text or ""),
                  "failures.fulcrum: the first <failure> has no message or location")
        if name == files[2]:
            check(len(errors) == 1 and "UnknownField" in (errors[0].find("error").text or ""),
                  "compile_error.fulcrum: no <error> with the diagnostics")
        if name in (files[0], files[3]):
            check(not failures and not errors, f"{name}: passing tests reported as failing")
    for attribute, count in total.items():
        check(root.get(attribute) == str(count),
              f"testsuites {attribute}={root.get(attribute)}, counted {count}")

    # A fixture's data error: an <error>, exit 2.
    proc = run([f"{GOLDEN}/fixture_data_error.fulcrum", "--junit", junit])
    check(proc.returncode == 2, f"fixture data error: exit {proc.returncode}, want 2")
    case = ET.parse(junit).getroot().find("testsuite/testcase")
    check(case is not None and case.find("error") is not None
          and "bad_deals.csv:2:12" in (case.find("error").text or ""),
          "fixture data error: no <error> naming the fixture's cell")

    # All pass: exit 0, no failure or error element.
    proc = run([f"{GOLDEN}/passing.fulcrum", "--junit", junit])
    check(proc.returncode == 0, f"passing: exit {proc.returncode}, want 0")
    root = ET.parse(junit).getroot()
    check(root.find(".//failure") is None and root.find(".//error") is None,
          "passing: a <failure> or <error> in the JUnit file")

    # An unwritable path: exit 2, and nothing written.
    missing = f"{work}/no/such/folder/junit.xml"
    proc = run([f"{GOLDEN}/passing.fulcrum", "--junit", missing])
    check(proc.returncode == 2 and "cannot write" in proc.stderr,
          f"unwritable --junit: exit {proc.returncode}, want 2: {proc.stderr}")
    check(not os.path.exists(missing), "unwritable --junit: a file was written")
finally:
    shutil.rmtree(work, ignore_errors=True)

for problem in problems:
    print("FAIL:", problem)
if problems:
    sys.exit(1)
print("fulcrum test --junit: structure, counts, escaping and exit statuses as CI systems expect")
