#!/usr/bin/env python3
"""`fulcrum check --format sarif` writes a SARIF 2.1.0 log that code scanning reads, and
`--format github` one GitHub Actions annotation per diagnostic. Checked here with Python's json
module, against the files themselves and against `--format json` (the same diagnostics, rendered
independently):
- the log's required structure: `$schema`, `version` 2.1.0, one run, tool.driver.name and rules
  (unique ids, the registry of `fulcrum diagnostics` plus DataError), every result's ruleId among
  the rules and its ruleIndex pointing at it, levels in SARIF's set, non-empty messages,
  artifactLocation.uri, columnKind `unicodeCodePoints`;
- every region points at the right text: cut out of the file by code points it is the name the
  message quotes (on a line with `Zoë` before the error, where code points and bytes differ);
- fixes are well-formed (deletedRegion + insertedContent) and right: applied, the file checks
  clean;
- results agree with `--format json` (file, line, column, end, kind, message, hint);
- a path with `,` and `:` is percent-encoded in the uri, and escaped in an annotation's `file=`;
  annotations, unescaped as GitHub's runner does, give back the JSON format's values (a message
  with `%`, a hint after a newline);
- `--with-data`: a data error is a DataError result at the data file's line; exit 2;
- exit statuses: 0 clean, 1 errors, 64 for an unknown format.
No SARIF JSON schema is available offline (nothing is downloaded), so the schema's requirements
that matter to readers are checked one by one.

Usage, from the repository's root: python3 tests/e2e/sarif_test.py build/bin/fulcrum"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures  # noqa: E402

FULCRUM = os.path.abspath(sys.argv[1])
failures = Failures()


def check(condition, message):
    if not condition:
        failures(message)


HEADER = """entity rep from "reps.csv" {
  key name: text
  manager: text
}

table deals from "deals.csv" {
  key id: text
  owner: rep
  stage: text
  value: money?
}

param quota: money = $600k
"""

# Every error here is a typo whose hint names the fix; the warning stays once they are fixed.
TYPOS = HEADER + """
table ratings from "ratings.csv" {
  rep: rep
  score: numbr
}

framework f {
  subject rep
  cadence quarter
  metric won: money = sum(deals.valeu where stage == "Won")
  metric zoe = if manager == "Zoë" then won else quotaa
  metric best = maxx(deals.value)
  metric mos = count(deals where owner.managr == "Mo")
  score s out of 5 {
    results 100% = 1
  }
  metric sr = s.reslts
  metric rate = won / quota
  band tier = case {
    rate >= 100% => "hit"
    else => "pip"
  }
}

test "typos" for f {
  period 2017-Q2
  param quotaa = $1
  rep { name: "Ann", managr: "Mo" }
  expect "Ann" { wonn: 0 }
}
"""

# Errors without a fix, and a message with `%`.
OTHERS = HEADER + """
framework g {
  subject rep
  cadence quarter
  metric won: money = sum(deals.value)
  metric n: count = count(deals) + $5
  score s out of 5 {
    results 50% = clamp(won / quota, 0, 1)
    effort 40% = 1
  }
}
"""

CLEAN = HEADER + """
framework h {
  subject rep
  cadence quarter
  metric won: money = sum(deals.value)
}
"""

WITH_DATA = HEADER.replace('"deals.csv"', '"bad_deals.csv"') + """
framework d {
  subject rep
  cadence quarter
  metric won: money = sum(deals.value where stage == "won")
}
"""


def run(args, cwd):
    return subprocess.run([FULCRUM, "check"] + args, capture_output=True, text=True, cwd=cwd,
                          env=dict(os.environ, FULCRUM_JIT_CACHE="off"))


def sarif(args, cwd):
    proc = run(["--format", "sarif"] + args, cwd)
    try:
        return json.loads(proc.stdout), proc
    except json.JSONDecodeError as e:
        check(f"check {args}: stdout is not JSON ({e}): {proc.stdout[:200]!r} {proc.stderr[:200]!r}")
        return None, proc


def registry():
    out = subprocess.run([FULCRUM, "diagnostics"], capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def lines_of(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def region_text(lines, region):
    """The text of a region, cut by code points (Python's str indexes), one line only."""
    line = lines[region["startLine"] - 1]
    return line[region["startColumn"] - 1:region["endColumn"] - 1]


def check_structure(log, where):
    check(log.get("$schema", "").endswith("sarif-2.1.0.json") or
          "sarif-schema-2.1.0" in log.get("$schema", ""), f"{where}: $schema {log.get('$schema')!r}")
    check(log.get("version") == "2.1.0", f"{where}: version {log.get('version')!r}")
    runs = log.get("runs", [])
    check(len(runs) == 1, f"{where}: {len(runs)} runs, not 1")
    if not runs:
        return []
    run_ = runs[0]
    driver = run_.get("tool", {}).get("driver", {})
    check(driver.get("name") == "fulcrum", f"{where}: driver name {driver.get('name')!r}")
    check(isinstance(driver.get("version"), str) and driver["version"], f"{where}: no version")
    check(run_.get("columnKind") == "unicodeCodePoints", f"{where}: columnKind {run_.get('columnKind')!r}")
    rules = driver.get("rules", [])
    ids = [rule.get("id") for rule in rules]
    check(len(ids) == len(set(ids)), f"{where}: rule ids are not unique")
    check(ids == registry() + ["DataError"], f"{where}: rules are not the registry plus DataError")
    for rule in rules:
        check(rule.get("shortDescription", {}).get("text"), f"{where}: rule {rule.get('id')} has no description")
        check(rule.get("defaultConfiguration", {}).get("level") in ("error", "warning", "note"),
              f"{where}: rule {rule.get('id')} level")
    results = run_.get("results")
    check(isinstance(results, list), f"{where}: no results array")
    for result in results or []:
        rule_id, index = result.get("ruleId"), result.get("ruleIndex")
        check(rule_id in ids, f"{where}: ruleId {rule_id!r} is not a rule")
        check(isinstance(index, int) and 0 <= index < len(ids) and ids[index] == rule_id,
              f"{where}: ruleIndex {index} does not point at {rule_id}")
        check(result.get("level") in ("none", "note", "warning", "error"),
              f"{where}: level {result.get('level')!r}")
        check(result.get("message", {}).get("text"), f"{where}: empty message")
        for location in result.get("locations", []):
            physical = location.get("physicalLocation", {})
            check(physical.get("artifactLocation", {}).get("uri"), f"{where}: a location without uri")
            region = physical.get("region")
            if region:
                check(region.get("startLine", 0) >= 1, f"{where}: startLine {region.get('startLine')}")
                check(region.get("startColumn", 1) >= 1, f"{where}: startColumn {region.get('startColumn')}")
        for fix in result.get("fixes", []):
            changes = fix.get("artifactChanges", [])
            check(changes and all(c.get("artifactLocation", {}).get("uri") and c.get("replacements")
                                  for c in changes), f"{where}: malformed fix {fix}")
            for change in changes:
                for replacement in change.get("replacements", []):
                    check("deletedRegion" in replacement and "startLine" in replacement["deletedRegion"],
                          f"{where}: a replacement without deletedRegion")
                    check(isinstance(replacement.get("insertedContent", {}).get("text"), str),
                          f"{where}: a replacement without insertedContent.text")
    return results or []


def apply_fixes(text, results, uri):
    """The text with every fix for `uri` applied, the last in the file first."""
    lines = text.split("\n")
    replacements = [r for result in results for fix in result.get("fixes", [])
                    for change in fix["artifactChanges"] if change["artifactLocation"]["uri"] == uri
                    for r in change["replacements"]]
    replacements.sort(key=lambda r: (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"]),
                      reverse=True)
    for r in replacements:
        region = r["deletedRegion"]
        check(region["startLine"] == region["endLine"], f"a fix over several lines: {region}")
        line = lines[region["startLine"] - 1]
        lines[region["startLine"] - 1] = (line[:region["startColumn"] - 1] + r["insertedContent"]["text"] +
                                          line[region["endColumn"] - 1:])
    return "\n".join(lines)


def agrees_with_json(results, diagnostics, where):
    """SARIF results and `--format json` diagnostics: the same, in the same order."""
    check(len(results) == len(diagnostics), f"{where}: {len(results)} results, {len(diagnostics)} in JSON")
    for result, d in zip(results, diagnostics):
        region = result["locations"][0]["physicalLocation"]["region"]
        text = d["message"] + ("\nhint: " + d["hint"] if d["hint"] else "")
        got = (result["ruleId"], result["level"], result["message"]["text"], region["startLine"],
               region["startColumn"], region.get("endLine"), region.get("endColumn"))
        want = (d["code"], d["severity"], text, d["line"], d["column"], d["end"]["line"], d["end"]["column"])
        check(got == want, f"{where}: SARIF {got} but JSON {want}")


def unescape(value):
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace(
        "%25", "%")


def annotations(output):
    parsed = []
    for line in output.splitlines():
        match = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        check(match, f"not an annotation: {line!r}")
        if not match:
            continue
        pieces = [p.split("=", 1) for p in match.group(2).split(",")]
        check(all(len(p) == 2 for p in pieces), f"a property without `=` (an unescaped `,`?): {line!r}")
        properties = dict(p for p in pieces if len(p) == 2)
        parsed.append((match.group(1), {k: unescape(v) for k, v in properties.items()},
                       unescape(match.group(3))))
    return parsed


work = tempfile.mkdtemp(prefix="fulcrum-sarif-")
try:
    for name, text in [("typos.fulcrum", TYPOS), ("others.fulcrum", OTHERS), ("clean.fulcrum", CLEAN),
                       ("odd,name:x.fulcrum", OTHERS), ("with_data.fulcrum", WITH_DATA)]:
        with open(os.path.join(work, name), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(work, "reps.csv"), "w") as f:
        f.write("name,manager\nAnn,Mo\n")
    with open(os.path.join(work, "bad_deals.csv"), "w") as f:
        f.write("id,owner,stage,value\nd1,Ann,Won,100\nd2,Ann,Won,lots\n")

    # Three files in one log: the typos, the other errors, a clean file.
    files = ["typos.fulcrum", "others.fulcrum", "clean.fulcrum"]
    log, proc = sarif(files, work)
    check(proc.returncode == 1, f"errors: exit {proc.returncode}, not 1")
    check(proc.stderr == "", f"errors: stderr {proc.stderr!r}")
    results = check_structure(log, "errors") if log else []
    diagnostics = json.loads(run(["--format", "json"] + files, work).stdout)
    agrees_with_json(results, diagnostics, "errors")
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    check(set(uris) == {"typos.fulcrum", "others.fulcrum"}, f"uris {sorted(set(uris))}")
    check(any(r["level"] == "warning" for r in results), "no warning among the results")

    # Every region is the text it names; every typo has a fix.
    typos = [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
             "typos.fulcrum"]
    typo_lines = lines_of(os.path.join(work, "typos.fulcrum"))
    for result in typos:
        if result["level"] != "error":
            continue
        region = result["locations"][0]["physicalLocation"]["region"]
        quoted = re.findall(r"`([^`]*)`", result["message"]["text"].split("\n")[0])
        check(quoted and region_text(typo_lines, region) == quoted[-1],
              f"region {region} is {region_text(typo_lines, region)!r}, not the name in "
              f"{result['message']['text']!r}")
        check(len(result.get("fixes", [])) == 1, f"no fix for {result['message']['text']!r}")
    errors = sum(r["level"] == "error" for r in typos)
    check(errors == 9, f"{errors} errors in typos.fulcrum, not 9")
    # On `Zoë`'s line the column counts code points: one less than bytes would give.
    zoe = next((r for r in typos if "quotaa" in r["message"]["text"]), None)
    line = next(l for l in typo_lines if "quotaa" in l)
    if zoe:
        region = zoe["locations"][0]["physicalLocation"]["region"]
        check(region["startColumn"] == line.index("quotaa") + 1 != line.encode().index(b"quotaa") + 1,
              f"`quotaa` at column {region['startColumn']}, not code point {line.index('quotaa') + 1}")
    else:
        check(False, "no result for `quotaa`")

    # The fixes, applied, leave a file that checks clean but for the warning.
    fixed = apply_fixes("\n".join(typo_lines), typos, "typos.fulcrum")
    with open(os.path.join(work, "fixed.fulcrum"), "w", encoding="utf-8") as f:
        f.write(fixed)
    log, proc = sarif(["fixed.fulcrum"], work)
    remaining = check_structure(log, "fixed") if log else []
    check(proc.returncode == 0 and [r["level"] for r in remaining] == ["warning"],
          f"fixed: exit {proc.returncode}, results {[r['message']['text'] for r in remaining]}")

    # A clean file: no results, exit 0.
    log, proc = sarif(["clean.fulcrum"], work)
    check(proc.returncode == 0 and log and check_structure(log, "clean") == [],
          f"clean: exit {proc.returncode}")

    # A path with `,` and `:`: percent-encoded in the uri.
    log, proc = sarif(["odd,name:x.fulcrum"], work)
    results = check_structure(log, "odd name") if log else []
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    check(uris == {"odd%2Cname%3Ax.fulcrum"}, f"odd name: uris {uris}")

    # GitHub annotations: unescaped, the JSON format's values; one line each.
    for files in (["odd,name:x.fulcrum"], ["typos.fulcrum", "others.fulcrum"]):
        proc = run(["--format", "github"] + files, work)
        check(proc.returncode == 1, f"github {files}: exit {proc.returncode}")
        diagnostics = json.loads(run(["--format", "json"] + files, work).stdout)
        got = annotations(proc.stdout)
        check(len(got) == len(diagnostics) == len(proc.stdout.splitlines()),
              f"github {files}: {len(got)} annotations for {len(diagnostics)} diagnostics")
        for (command, properties, message), d in zip(got, diagnostics):
            want = {"file": d["file"], "line": str(d["line"]), "title": d["code"]}
            if d["end"]["line"] == d["line"]:
                want.update(col=str(d["column"]), endLine=str(d["line"]),
                            endColumn=str(d["end"]["column"] - 1))
            else:
                want.update(endLine=str(d["end"]["line"]))
            check(properties == want, f"github: {properties} but JSON says {want}")
            check(command == d["severity"], f"github: ::{command} for a {d['severity']}")
            check(message == d["message"] + ("\nhint: " + d["hint"] if d["hint"] else ""),
                  f"github: message {message!r} for {d['message']!r}")
    proc = run(["--format", "github", "odd,name:x.fulcrum"], work)
    check("file=odd%2Cname%3Ax.fulcrum," in proc.stdout, f"github: file not escaped: {proc.stdout!r}")
    check("add up to 90%25, not 100%25" in proc.stdout and "%0Ahint: " in proc.stdout,
          f"github: `%` or the newline not escaped: {proc.stdout!r}")

    # `--with-data`: the data error is a DataError result at the data file's line; exit 2.
    log, proc = sarif(["--with-data", "with_data.fulcrum"], work)
    results = check_structure(log, "with data") if log else []
    data_errors = [r for r in results if r["ruleId"] == "DataError"]
    check(proc.returncode == 2, f"with data: exit {proc.returncode}, not 2")
    check(len(data_errors) == 1, f"with data: {len(data_errors)} DataError results: {results}")
    for r in data_errors:
        location = r["locations"][0]["physicalLocation"]
        check(location["artifactLocation"]["uri"] == "bad_deals.csv" and
              location["region"] == {"startLine": 3, "startColumn": "d2,Ann,Won,lots".index("lots") + 1},
              f"with data: the data error is at {location}")
        check("lots" in r["message"]["text"] and r["level"] == "error", f"with data: {r['message']}")

    # An unknown format is a usage error.
    proc = run(["--format", "xml", "clean.fulcrum"], work)
    check(proc.returncode == 64 and "text|json|sarif|github" in proc.stderr,
          f"--format xml: exit {proc.returncode}, {proc.stderr!r}")
finally:
    shutil.rmtree(work, ignore_errors=True)

failures.finish("SARIF and GitHub annotations: structure, regions, fixes and escaping hold")
