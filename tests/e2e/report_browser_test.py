#!/usr/bin/env python3
"""End to end in a real browser: each example's `fulcrum report`, opened from its file in headless
Chromium (tests/browser/cdp.py, the DevTools protocol over a pipe), shows exactly what
`fulcrum run` prints for the same arguments.

  report_browser_test.py FULCRUM [--update-screenshots] [--keep DIR] [--only NAME] [--no-big]

For examples/llr, accounts, okr and targets (the period or day of each one's README), the llr
example's trends over 2017-Q1..Q4 (`--periods`), the OKRs' weekly check-in (`--as-of-every
week`) and the OKR cascade (examples/okr/cascade.fulcrum's rep_okrs): `fulcrum report` exits 0 and writes one file under 5 MB; the page loads with no console
error, uncaught exception or error log entry and requests nothing but its own file (data: URLs
aside); `<html data-fulcrum-report="1">`; the results embedded once in `#fulcrum-results` are the
CSV's header and records, cell for cell; the subject filter shows the rows that match; Enter on a
column's sort button (the keyboard, through the protocol) orders every row by it, again reverses
them; after `window.fulcrumReport.showAll()`, `#subjects` holds exactly one row per subject, every
`tr[data-subject] td[data-output]` on the page holds the CSV's text for that subject and column
(textContent), every output of every subject shown, and what a person sees in the cell is what
`fulcrum run --format table` shows. The pictures (docs/report.md's DOM contract): each bands
chart's `data-count`s are the CSV's counts of its band's labels; each histogram bin counts the
CSV's scores in its range; the quadrant draws each subject with both coordinates once, at its CSV
values; the key results' progress; the funnel's stages (a param stage, the quota, against the
source's default) and comparisons (the stage marked to coach is the least, and below the team's
median); the cascade's nodes (each objective's score and grade against `fulcrum run` of the
node's level's framework, every subject of each level once, each rep under the manager
sales_teams.csv names); the alert feed (against `fulcrum alerts --format
csv`: alert, subject, date); the check violations (against those `fulcrum run` reports); every
data-column/data-value of the tables behind the charts; each period's band counts and the movers'
bands (against each period's run); each check-in point (against `run --as-of` its date). Each
example shows the pictures issue 26 asks of its kind. A full-page screenshot is taken (into a
temporary folder; `--update-screenshots` writes docs/report/EXAMPLE.png). Then a 6,000-subject
report over fulcrum-gen data (bench/frameworks/llr.fulcrum): under 5 MB, clean, every cell equal
to the run's after showAll; its load and render times are printed (measured, not asserted).
Chromium missing is a failure ("run make deps"), never a skip. fulcrum-gen is found beside the
fulcrum binary (argv[1]) or at $FULCRUM_GEN."""
import argparse
import collections
import csv
import io
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "browser"))
sys.path.insert(0, HERE)
import cdp  # noqa: E402
from e2e_support import Failures  # noqa: E402

# name, framework file, framework, the run's period or day (each README's), what `fulcrum report`
# takes besides (`--periods` instead of the period: the page is the last one's run), and the
# pictures issue 26 asks of its kind of framework, each of which must be on the page (and is
# compared).
EXAMPLES = [
    ("llr", "examples/llr/llr.fulcrum", "llr", ["--period", "2017-Q3"], [],
     {"bands charts": 1, "histograms": 1, "score bars": 35, "no-score bars": 6}),
    ("accounts", "examples/accounts/lens.fulcrum", "account_lens", ["--as-of", "2017-06-30"], [],
     {"bands charts": 1, "quadrant points": 1, "alerts": 1}),
    ("okr", "examples/okr/okr.fulcrum", "team_okrs", ["--period", "2017-Q3"], [],
     {"key-result bars": 1}),
    ("targets", "examples/targets/targets.fulcrum", "targets", ["--period", "2017-Q4"], [],
     {"funnel stages": 1, "stage comparisons": 1}),
    # Trends over four quarters: the page is 2017-Q4's run, plus each quarter's bands and movers.
    ("llr-trend", "examples/llr/llr.fulcrum", "llr", ["--period", "2017-Q4"],
     ["--periods", "2017-Q1..2017-Q4"], {"bands charts": 1, "trend bars": 1, "movers' cells": 1}),
    # The weekly OKR check-in: each key result's progress as of each week's end of 2017-Q3.
    ("okr-checkin", "examples/okr/okr.fulcrum", "team_okrs", ["--period", "2017-Q3"],
     ["--as-of-every", "week"], {"key-result bars": 1, "check-in points": 1, "grade colours": 2}),
    # The OKR cascade (company -> team -> rep) drawn from the rep level's run, which reads the
    # two levels above it.
    ("okr-cascade", "examples/okr/cascade.fulcrum", "rep_okrs", ["--period", "2017-Q3"], [],
     {"key-result bars": 1, "cascade nodes": 40, "cascade members": 30}),
    # Keys a page's script could trip on (`__proto__`, `toString`, `constructor`, markup, `0x10`)
    # and scores on the histogram's bin edges; not screenshotted into docs/.
    ("hostile", "tests/e2e/data/report_hostile/hostile.fulcrum", "hostile",
     ["--period", "2017-Q1"], [], {"bands charts": 1, "histograms": 1, "violations": 1,
                                   "key sorts": 1, "prints": 1}),
]
NOT_IN_DOCS = {"hostile"}
SCREENSHOTS = "docs/report"
MAX_BYTES = 5 * 1024 * 1024
BIG_SUBJECTS = 6000

# Everything the checks read from the page, in one evaluation.
READ_PAGE = r"""(() => {
  const all = (selector, root) => [...(root || document).querySelectorAll(selector)];
  const subjectOf = el => { const holder = el.closest('[data-subject]');
                            return holder ? holder.dataset.subject : null; };
  const results = all('script#fulcrum-results');
  return {
    marker: document.documentElement.dataset.fulcrumReport ?? null,
    embeddedCount: results.length,
    embeddedType: results.length ? results[0].type : null,
    embedded: results.length ? results[0].textContent : null,
    hasTable: !!document.querySelector('table#subjects'),
    hasFilter: !!document.querySelector('input#subject-filter'),
    hasApi: typeof window.fulcrumReport === 'object' && window.fulcrumReport !== null
            && typeof window.fulcrumReport.showAll === 'function',
    renderMillis: window.fulcrumReport ? window.fulcrumReport.renderMillis : null,
    charts: all('svg[data-chart]').map(svg => svg.dataset.chart),
    bands: all('svg[data-chart="bands"]').map(svg => ({
      attributes: {...svg.dataset},
      rects: all('[data-band]', svg).map(r => [r.dataset.band, r.dataset.count ?? null])})),
    quadrant: all('svg[data-chart="quadrant"]').map(svg => ({
      attributes: {...svg.dataset},
      points: all('circle[data-subject]', svg).map(c => [c.dataset.subject, c.dataset.x ?? null,
                                                         c.dataset.y ?? null])})),
    keyResults: all('svg[data-chart="okr"] [data-key-result]').map(el => [
      subjectOf(el), el.dataset.keyResult, el.dataset.progress ?? null]),
    histograms: all('svg[data-chart="histogram"]').map(svg => ({
      attributes: {...svg.dataset},
      bins: all('[data-bin-low]', svg).map(r => [r.dataset.binLow, r.dataset.binHigh,
                                                 r.dataset.count ?? null])})),
    stages: all('[data-stage]').map(el => [subjectOf(el), el.dataset.stage,
                                           el.dataset.value ?? null]),
    comparisons: all('[data-comparison]').map(el => [subjectOf(el), el.dataset.comparison,
                                                     el.dataset.value ?? null,
                                                     el.dataset.weakest === 'true']),
    alerts: all('li[data-alert]').map(el => [el.dataset.alert, el.dataset.subject ?? null,
                                             el.dataset.date ?? null]),
    columnValues: all('[data-column][data-value]').map(el => [subjectOf(el), el.dataset.column,
                                                             el.dataset.value]),
    bandTrends: all('svg[data-chart="band-trend"]').map(svg => ({
      attributes: {...svg.dataset},
      rects: all('[data-period][data-band]', svg).map(r => [r.dataset.period, r.dataset.band,
                                                            r.dataset.count ?? null])})),
    movers: all('table#movers tr[data-subject] td[data-period]').map(td => [
      td.closest('tr').dataset.subject, td.dataset.period, td.dataset.band ?? null,
      td.dataset.score ?? null]),
    cascade: all('ul[data-chart="cascade"] li[data-level]').map(li => {
      const parent = li.parentElement.closest('li[data-level]');
      const node = li.querySelector(':scope > .cascade-node, :scope > details > .cascade-node');
      return {level: li.dataset.level, framework: li.dataset.framework ?? null,
              subject: li.dataset.subject ?? null,
              parent: parent ? parent.dataset.subject : null,
              objectives: node ? all(':scope > [data-objective]', node).map(o => [
                o.dataset.objective, o.dataset.score ?? null, o.dataset.grade ?? null]) : []};
    }),
    paramStages: all('[data-stage][data-param="true"]').map(el => [subjectOf(el), el.dataset.stage,
                                                                  el.dataset.value ?? null]),
    checkin: all('svg[data-chart="checkin"] circle[data-as-of]').map(c => [subjectOf(c),
      c.dataset.keyResult, c.dataset.asOf, c.dataset.progress ?? null]),
    violations: all('li[data-check]').map(el => [el.dataset.check, el.dataset.subject ?? null,
                                                 el.textContent]),
  };
})()"""

# Each output cell: its subject, column, textContent (the CSV text), whether it is in #subjects,
# and what a person sees: the cell's rendered text (innerText, the CSV span hidden or not) and
# the text the stylesheet draws before it (a ::before content such as attr(data-shown)).
READ_CELLS = r"""(() => ({
  tableRows: [...document.querySelectorAll('table#subjects tr[data-subject]')]
               .map(tr => tr.dataset.subject),
  cells: [...document.querySelectorAll('tr[data-subject] td[data-output]')].map(td => {
    const before = getComputedStyle(td, '::before').content;
    const drawn = before && before !== 'none' && before !== 'normal' ? JSON.parse(before) : '';
    return [td.closest('tr').dataset.subject, td.dataset.output, td.textContent,
            !!td.closest('table#subjects'), (drawn + td.innerText).trim()];
  }),
}))()"""

# Types `text` into the subject filter as a person would (an input event) and lists the table's
# rows then on screen.
FILTER_ROWS = r"""(async text => {
  const input = document.querySelector('input#subject-filter');
  input.focus();
  input.value = text;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)));
  return [...document.querySelectorAll('table#subjects tr[data-subject]')]
    .filter(tr => tr.getClientRects().length > 0)
    .map(tr => [tr.dataset.subject, tr.textContent]);
})"""


def run(fulcrum, args, fail, what, stderr=None):
    """fulcrum's stdout (its stderr appended to the list `stderr`), or None when it fails."""
    proc = subprocess.run([fulcrum] + args, capture_output=True, text=True)
    if proc.returncode != 0:
        fail(f"{what}: `fulcrum {' '.join(args)}` exit {proc.returncode}: {proc.stderr[-600:]}")
        return None
    if stderr is not None:
        stderr.append(proc.stderr)
    return proc.stdout


def parse_csv(text):
    records = list(csv.reader(io.StringIO(text, newline="")))
    return records[0], records[1:]


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def same_number(attribute, cell):
    """An attribute holding a number against the CSV's text of it: both missing, or equal (to
    the last bits of a double: a page may print the value JavaScript parsed back)."""
    if attribute == cell:
        return True
    if cell == "":
        return attribute in (None, "", "NaN")
    a, b = number(attribute), number(cell)
    return a is not None and b is not None and abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


def generate_report(fulcrum, name, framework, args, out, fail, report_args=None):
    """`fulcrum report` (ARGS, or REPORT_ARGS when given) into `out`, and `fulcrum run --format
    csv` with ARGS:
    the report's path and (header, records, stderr, the table format's cells by key) of the run,
    or None, None."""
    html = os.path.join(out, f"{name}.html")
    report = run(fulcrum, ["report", framework] + (report_args or args) + ["--out", html],
                 fail, name)
    stderr = []
    csv_text = run(fulcrum, ["run", framework] + args + ["--format", "csv"], fail, name, stderr)
    table_text = run(fulcrum, ["run", framework] + args + ["--format", "table"], fail, name)
    if report is None or csv_text is None or table_text is None:
        return None, None
    if not os.path.isfile(html):
        fail(f"{name}: fulcrum report exited 0 but wrote no {html}")
        return None, None
    size = os.path.getsize(html)
    if size >= MAX_BYTES:
        fail(f"{name}: the report is {size:,} bytes, not under 5 MB")
    return html, parse_csv(csv_text) + (stderr[0], parse_table(table_text))


def check_clean(page, name, fail):
    """No console error, uncaught exception or error log entry; no request but the page's own
    file (and data: URLs)."""
    for error in page.console_errors:
        fail(f"{name}: {error}")
    for url in page.requests:
        if url != page.url and not url.startswith("data:"):
            fail(f"{name}: the page requested {url} (a report must not touch the network or any "
                 "other file)")


def check_structure(dom, header, records, name, fail):
    if dom["marker"] != "1":
        fail(f"{name}: <html data-fulcrum-report> is {dom['marker']!r}, expected \"1\"")
    for what, element in (("hasTable", "table#subjects"), ("hasFilter", "input#subject-filter"),
                          ("hasApi", "window.fulcrumReport.showAll()")):
        if not dom[what]:
            fail(f"{name}: no {element}")
    if dom["embeddedCount"] != 1 or dom["embeddedType"] != "application/json":
        fail(f"{name}: expected one <script type=\"application/json\" id=\"fulcrum-results\">, got "
             f"{dom['embeddedCount']} (type {dom['embeddedType']!r})")
        return
    try:
        embedded = json.loads(dom["embedded"])
    except ValueError as e:
        fail(f"{name}: #fulcrum-results is not JSON: {e}")
        return
    if embedded.get("columns") != header:
        fail(f"{name}: #fulcrum-results columns {embedded.get('columns')} != the CSV's {header}")
    rows = embedded.get("rows")
    if rows != records:
        if not isinstance(rows, list) or len(rows) != len(records):
            fail(f"{name}: #fulcrum-results has {len(rows) if isinstance(rows, list) else rows!r} "
                 f"rows, the CSV {len(records)}")
        else:
            for got, want in zip(rows, records):
                if got != want:
                    fail(f"{name}: #fulcrum-results row {got} != the CSV's {want}")
                    break


def parse_table(text):
    """`fulcrum run --format table`'s output by key: {key: {column: shown text}}, or None when a
    line does not split into the header's columns (two or more spaces between cells)."""
    lines = [line for line in text.splitlines() if line.strip()]
    header = re.split(r" {2,}", lines[0].strip())
    table = {}
    for line in lines[1:]:
        cells = re.split(r" {2,}", line.strip())
        if len(cells) != len(header):
            return None
        table[cells[0]] = dict(zip(header, cells))
    return table


def check_score_bars(page, header, records, name, fail):
    """After showAll(): each score cell's bar (fulcrum-shape's scores) draws one segment per
    component the CSV has a value for, each as wide as weight x value of the bar (to the 1e-3
    percent CSS keeps of a width); a subject
    whose score is missing (`-`) gets an empty bar marked `no-score`, whatever components it
    has. Returns how many bars were compared, and how many of them had no score."""
    bars = page.evaluate("""(() => {
      const shape = JSON.parse(document.getElementById('fulcrum-shape').textContent);
      return shape.scores.flatMap(score =>
        [...document.querySelectorAll(`table#subjects td[data-output="${score.name}"]`)].map(td => {
          const bar = td.querySelector('.bar');
          return {subject: td.closest('tr').dataset.subject, score: score.name,
                  components: score.components,
                  noScore: !!bar && bar.classList.contains('no-score'),
                  parts: bar ? [...bar.children].map(p => parseFloat(p.style.width)) : null};
        }));
    })()""", timeout=60)
    by_subject = {record[0]: dict(zip(header, record)) for record in records}
    empty = 0
    for bar in bars:
        row = by_subject.get(bar["subject"], {})
        if bar["parts"] is None:
            fail(f"{name}: {bar['subject']} {bar['score']}: no bar")
            continue
        if row.get(bar["score"], "") == "":
            empty += 1
            if not bar["noScore"] or bar["parts"]:
                fail(f"{name}: {bar['subject']} has no {bar['score']} but its bar draws "
                     f"{bar['parts']} (no-score: {bar['noScore']})")
            continue
        want = [min(1.0, max(0.0, float(row[c]))) * w * 100 for c, w in bar["components"]
                if row.get(c, "") != ""]
        if bar["noScore"] or len(want) != len(bar["parts"]) or \
                any(abs(a - b) > 1e-3 for a, b in zip(want, bar["parts"])):
            fail(f"{name}: {bar['subject']} {bar['score']}: the bar's segments are "
                 f"{bar['parts']}%, the run's components give {want}%")
    return len(bars), empty


def check_cells(page, header, records, shown, name, fail):
    """showAll(), then every output cell on the page against the CSV (its textContent) and what a
    person sees in it against `fulcrum run --format table` (`shown`, parse_table's); every
    subject's every output shown in #subjects, each subject in one row. Returns (cells compared,
    ms showAll took)."""
    start = time.monotonic()
    page.evaluate("Promise.resolve(window.fulcrumReport.showAll())", timeout=120)
    shown_ms = (time.monotonic() - start) * 1000
    seen = page.evaluate(READ_CELLS, timeout=120)
    by_subject = {record[0]: dict(zip(header, record)) for record in records}
    rows = collections.Counter(seen["tableRows"])
    if set(rows) != set(by_subject) or any(n != 1 for n in rows.values()):
        missing = sorted(set(by_subject) - set(rows))[:5]
        extra = sorted(set(rows) - set(by_subject))[:5]
        twice = sorted(s for s, n in rows.items() if n > 1)[:5]
        fail(f"{name}: after showAll() #subjects has {len(seen['tableRows'])} rows for "
             f"{len(by_subject)} subjects (missing {missing}, not subjects {extra}, twice {twice})")
    covered = set()
    if shown is None:
        fail(f"{name}: cannot read `fulcrum run --format table`'s output into columns")
    for subject, column, text, in_table, visible in seen["cells"]:
        want = by_subject.get(subject, {}).get(column)
        if want is None:
            fail(f"{name}: a cell of {subject!r} column {column!r}: no such "
                 f"{'subject' if subject not in by_subject else 'column'} in the run's CSV")
        elif text != want:
            fail(f"{name}: {subject} {column}: the page's text is {text!r}, the run printed "
                 f"{want!r}")
        seen_text = shown.get(subject, {}).get(column) if shown is not None else None
        if in_table and seen_text is not None and visible != seen_text:
            fail(f"{name}: {subject} {column}: a person sees {visible!r}, `fulcrum run --format "
                 f"table` shows {seen_text!r}")
        if in_table:
            covered.add((subject, column))
    outputs = header[1:]  # the first column is the subject's key
    unshown = [(s, c) for s in by_subject for c in outputs if (s, c) not in covered]
    if unshown:
        columns = sorted({c for _, c in unshown})
        fail(f"{name}: {len(unshown)} outputs not shown in #subjects after showAll(), e.g. "
             f"{unshown[:3]}; columns {columns[:8]}")
    return len(seen["cells"]), shown_ms


def band_column(chart, labels, header, records, name, fail):
    """The output a bands chart counts: its data-column (or data-output) attribute, else
    the one column whose labels are all the chart's."""
    named = chart["attributes"].get("column") or chart["attributes"].get("output")
    if named:
        if named not in header:
            fail(f"{name}: a bands chart names output {named!r}, not a column of the run")
            return None
        return named
    candidates = []
    for i, column in enumerate(header[1:], 1):
        values = {r[i] for r in records} - {""}
        if values and values <= set(labels):
            candidates.append(column)
    if len(candidates) != 1:
        fail(f"{name}: cannot tell which output the bands chart {labels} counts "
             f"(candidates {candidates}); give the svg data-column=\"BAND\"")
        return None
    return candidates[0]


def check_bands(dom, header, records, name, fail):
    for chart in dom["bands"]:
        labels = [label for label, _ in chart["rects"]]
        column = band_column(chart, labels, header, records, name, fail)
        if column is None:
            continue
        index = header.index(column)
        counts = collections.Counter(r[index] for r in records)
        for label, count in chart["rects"]:
            if count is None or not count.isdigit():
                fail(f"{name}: band {label!r} of {column}: data-count {count!r} is not a count")
            elif int(count) != counts.get(label, 0):
                fail(f"{name}: band {label!r} of {column}: the chart counts {count}, the run "
                     f"{counts.get(label, 0)}")
        for label in counts:
            if label and label not in labels:
                fail(f"{name}: {column} {label!r} ({counts[label]} subjects) has no bar in the "
                     "bands chart")
    return len(dom["bands"])


def check_quadrant(dom, header, records, name, fail):
    """Each point's subject is a subject and its x and y are one output column each, the same
    for every point (named by the svg's data-x-column/data-y-column or found)."""
    by_subject = {r[0]: r for r in records}
    checked = 0
    for chart in dom["quadrant"]:
        points = chart["points"]
        if not points:
            fail(f"{name}: the quadrant chart has no points")
            continue
        unknown = [p[0] for p in points if p[0] not in by_subject]
        if unknown:
            fail(f"{name}: quadrant points of no subject: {unknown[:5]}")
            continue
        for axis, position in (("x", 1), ("y", 2)):
            named = chart["attributes"].get(f"{axis}Column")
            columns = [named] if named else header[1:]
            fitting = [c for c in columns if c in header and
                       all(same_number(p[position], by_subject[p[0]][header.index(c)])
                           for p in points)]
            if not fitting:
                fail(f"{name}: the quadrant's data-{axis} values are no output column of the run "
                     f"(e.g. {points[0][0]}: {points[0][position]!r})")
            elif named:
                index = header.index(named)
                drawable = {r[0] for r in records if r[index] != ""}
                chart.setdefault("drawable", []).append(drawable)
        if len(chart.get("drawable", [])) == 2:
            want = chart["drawable"][0] & chart["drawable"][1]
            drawn = collections.Counter(p[0] for p in points)
            if set(drawn) != want or any(n > 1 for n in drawn.values()):
                fail(f"{name}: the quadrant draws {len(points)} points, the run has {len(want)} "
                     f"subjects with both x and y; differing {sorted(set(drawn) ^ want)[:5]}")
        checked += len(points)
    return checked


def check_column_values(dom, header, records, name, fail):
    """Every element with data-column and data-value inside a subject's element (the tables
    behind the charts, the top subjects) holds the run's CSV text of that subject's column."""
    by_subject = {r[0]: dict(zip(header, r)) for r in records}
    for subject, column, value in dom["columnValues"]:
        want = by_subject.get(subject, {}).get(column)
        if want is None:
            fail(f"{name}: data-column {column!r} of {subject!r}: no such subject or column")
        elif value != want:
            fail(f"{name}: {subject} {column}: data-value {value!r}, the run printed {want!r}")
    return len(dom["columnValues"])


def check_key_results(dom, header, records, name, fail):
    by_subject = {r[0]: dict(zip(header, r)) for r in records}
    for subject, key_result, progress in dom["keyResults"]:
        column = f"{key_result}.progress"
        if column not in header:
            fail(f"{name}: key result {key_result!r}: the run has no column {column}")
        elif subject is not None:
            if subject not in by_subject:
                fail(f"{name}: key result {key_result} of {subject!r}: no such subject")
            elif not same_number(progress, by_subject[subject][column]):
                fail(f"{name}: {subject} {column}: the bar says {progress!r}, the run "
                     f"{by_subject[subject][column]!r}")
        elif not any(same_number(progress, r[column]) for r in by_subject.values()):
            fail(f"{name}: key result {key_result} progress {progress!r} is no subject's {column}")
    return len(dom["keyResults"])


def param_default(framework, param):
    """A money or number param's default as the source writes it (`param quota: money = $150k`),
    as a number: the oracle for a funnel stage that is a param."""
    with open(framework, encoding="utf-8") as f:
        found = re.search(rf"^param {re.escape(param)}: \w+ = \$?([0-9.]+)([kM]?)\s*$", f.read(),
                          re.M)
    if not found:
        return None
    return float(found.group(1)) * {"": 1, "k": 1e3, "M": 1e6}[found.group(2)]


def check_stages(dom, header, records, name, fail, framework):
    by_subject = {r[0]: dict(zip(header, r)) for r in records}
    params = {(subject, stage): value for subject, stage, value in dom["paramStages"]}
    for subject, stage, value in dom["stages"]:
        if (subject, stage) in params:
            # The quota when it is a param: the run's value of it (here its default), the
            # same for every subject.
            want = param_default(framework, stage)
            if want is None or number(value) != want:
                fail(f"{name}: {subject}: the funnel's param stage {stage} says {value!r}, the "
                     f"source's default is {want!r}")
        elif stage not in header:
            fail(f"{name}: funnel stage {stage!r} is no column of the run")
        elif subject is None or subject not in by_subject:
            fail(f"{name}: funnel stage {stage} sits in no subject's element ({subject!r})")
        elif not same_number(value, by_subject[subject][stage]):
            fail(f"{name}: {subject} {stage}: the funnel says {value!r}, the run "
                 f"{by_subject[subject][stage]!r}")
    return len(dom["stages"])


def check_cascade(fulcrum, framework, period, dom, name, fail):
    """The OKR cascade: each node's objectives' data-score and data-grade are the CSV cells of
    `fulcrum run --format csv --framework` its level's framework (`objective.score`,
    `objective.grade`); every subject of every level is a node once; each member sits under
    the team its row of the data names (the group's `by` field, read from the CSV file the
    framework's entity declares). Returns (nodes compared, members placed)."""
    nodes = dom["cascade"]
    if not nodes:
        return 0, 0
    runs = {}
    compared = placed = 0
    for node in nodes:
        level = node["framework"]
        if level not in runs:
            text = run(fulcrum, ["run", framework, "--framework", level] + period +
                       ["--format", "csv"], fail, name)
            header, records = parse_csv(text) if text else ([], [])
            runs[level] = {r[0]: dict(zip(header, r)) for r in records}
        row = runs[level].get(node["subject"])
        if row is None:
            fail(f"{name}: cascade node {node['subject']!r} is no subject of {level}")
            continue
        if not node["objectives"]:
            fail(f"{name}: cascade node {node['subject']!r} ({level}) shows no objective")
        for objective, score, grade in node["objectives"]:
            if not same_number(score, row.get(f"{objective}.score")) or \
                    grade != row.get(f"{objective}.grade"):
                fail(f"{name}: cascade {level} {node['subject']}: {objective} {score!r} "
                     f"{grade!r}, the run {row.get(f'{objective}.score')!r} "
                     f"{row.get(f'{objective}.grade')!r}")
        compared += 1
    for level, rows in runs.items():
        drawn = sorted(n["subject"] for n in nodes if n["framework"] == level)
        if drawn != sorted(rows):
            fail(f"{name}: the cascade draws {len(drawn)} subjects of {level}, its run has "
                 f"{len(rows)}")
    # Membership: examples/okr/cascade.fulcrum's `group team of rep by manager` over the
    # sales team file.
    teams_file = os.path.join(os.path.dirname(framework),
                              "../../../shared/datasets/maven-crm/sales_teams.csv")
    with open(teams_file, encoding="utf-8", newline="") as f:
        manager = {r["sales_agent"]: r["manager"] for r in csv.DictReader(f)}
    levels = []
    for node in nodes:
        if node["level"] not in levels:
            levels.append(node["level"])
    for node in nodes:
        if node["level"] == levels[-1]:
            if node["parent"] != manager.get(node["subject"]):
                fail(f"{name}: cascade: {node['subject']} sits under {node['parent']!r}, the data "
                     f"names {manager.get(node['subject'])!r}")
            placed += 1
    return compared, placed


def check_comparisons(dom, header, records, name, fail):
    """Each stage's own rate against the team's (data-comparison) is the run's value, and the
    stage marked weakest is the subject's least."""
    by_subject = {r[0]: dict(zip(header, r)) for r in records}
    per_subject = collections.defaultdict(list)
    for subject, column, value, weakest in dom["comparisons"]:
        if column not in header or subject not in by_subject:
            fail(f"{name}: comparison {column!r} of {subject!r}: no such column or subject")
            continue
        if not same_number(value, by_subject[subject][column]):
            fail(f"{name}: {subject} {column}: the funnel says {value!r}, the run "
                 f"{by_subject[subject][column]!r}")
        per_subject[subject].append((number(by_subject[subject][column]), column, weakest))
    for subject, stages in per_subject.items():
        known = [(v, c) for v, c, _ in stages if v is not None]
        marked = [c for _, c, weakest in stages if weakest]
        least = min(known)[0] if known else None
        # A comparison is the own rate over the team's median: the stage to coach is the least
        # one, marked only when it is below the median (1).
        if marked:
            wrong = len(marked) > 1 or number(by_subject[subject][marked[0]]) != least or \
                least >= 1
        else:
            wrong = least is not None and least < 1
        if wrong:
            fail(f"{name}: {subject}: the stage marked weakest is {marked}, the least against "
                 f"the team is {[(c, v) for v, c in known if v == least]}")
    return len(dom["comparisons"])


def check_histograms(dom, header, records, name, fail):
    """Each histogram's bins count the run's values of its column: [low, high), the first bin
    also below its low, the last also at and above its high; missing values in no bin."""
    for chart in dom["histograms"]:
        column = chart["attributes"].get("column")
        if column not in header:
            fail(f"{name}: the histogram's data-column {column!r} is no column of the run")
            continue
        values = [number(r[header.index(column)]) for r in records]
        values = [v for v in values if v is not None]
        bins = [(number(low), number(high), count) for low, high, count in chart["bins"]]
        if not bins or any(b[0] is None or b[1] is None for b in bins):
            fail(f"{name}: histogram of {column}: bins {chart['bins'][:3]} are not ranges")
            continue
        for i, (low, high, count) in enumerate(bins):
            first, last = i == 0, i == len(bins) - 1
            want = sum(1 for v in values if (first or v >= low) and (last or v < high))
            if count != str(want):
                fail(f"{name}: histogram of {column}, {low} to {high}: the chart counts "
                     f"{count}, the run has {want}")
    return len(dom["histograms"])


def check_violations(stderr, dom, name, fail):
    """The page lists the check violations `fulcrum run` reports (`check "C" violated for S:
    VALUES`), each with its values."""
    want = collections.Counter(re.findall(r'^check "(.*)" violated for (.*): (.*)$', stderr,
                                          re.MULTILINE))
    got = collections.Counter()
    for check, subject, text in dom["violations"]:
        values = next((v for c, s, v in want if c == check and s == subject and v in text), None)
        got[(check, subject, values)] += 1
    if got != want:
        fail(f"{name}: the page lists violations {sorted(got)[:4]}, fulcrum run reports "
             f"{sorted(want)[:4]}")
    return sum(got.values())


class RunsOf:
    """`fulcrum run --format csv` of one framework for a period (`2017-Q1`) or as of a day
    (`2017-07-09`, within the report's period `within`), each run once: {key: {column: CSV
    text}}."""

    def __init__(self, fulcrum, framework, framework_name, within, fail, name):
        self.fulcrum, self.framework, self.framework_name = fulcrum, framework, framework_name
        self.within, self.fail, self.name, self.cache = within, fail, name, {}

    def __call__(self, when):
        day = re.fullmatch(r"\d{4}-\d{2}-\d{2}", when)
        flags = ["--period", self.within, "--as-of", when] if day else ["--period", when]
        key = tuple(flags)
        if key not in self.cache:
            text = run(self.fulcrum, ["run", self.framework, "--framework", self.framework_name]
                       + flags + ["--format", "csv"], self.fail, self.name)
            header, records = parse_csv(text) if text else ([], [])
            self.cache[key] = {r[0]: dict(zip(header, r)) for r in records}
        return self.cache[key]


def check_trends(dom, runs, name, fail):
    """--periods: each period's bar of each band counts that period's run; each mover's cell per
    period holds that period's band and score. Returns (bars, cells) compared."""
    bars = cells = 0
    for chart in dom["bandTrends"]:
        column = chart["attributes"].get("column")
        for period, band, count in chart["rects"]:
            rows = runs(period).values()
            if rows and column not in next(iter(rows)):
                fail(f"{name}: band trend of {column!r}: no such column in {period}'s run")
                return bars, cells
            want = sum(1 for row in rows if row[column] == band)
            if count != str(want):
                fail(f"{name}: band trend {column} {period} {band!r}: the chart counts {count}, "
                     f"that period's run {want}")
            bars += 1
    for subject, period, band, score in dom["movers"]:
        row = runs(period).get(subject)
        if row is None:
            fail(f"{name}: mover {subject!r} in {period}: no such subject in that period's run")
            continue
        # The movers table follows the first band (the first trend chart's); its score is the
        # first score's, one of that run's cells.
        column = dom["bandTrends"][0]["attributes"].get("column") if dom["bandTrends"] else None
        if row.get(column) != band or (score and score not in row.values()):
            fail(f"{name}: mover {subject} in {period}: band {band!r} and score {score!r}, that "
                 f"period's run has {column} {row.get(column)!r}")
        cells += 1
    return bars, cells


def check_checkin(dom, runs, name, fail):
    """--as-of-every: each point's progress is the key result's as of its date (`fulcrum run
    --period P --as-of DATE`, P the report's period)."""
    points = 0
    for subject, key_result, as_of, progress in dom["checkin"]:
        row = runs(as_of).get(subject)
        column = f"{key_result}.progress"
        if row is None or column not in row:
            fail(f"{name}: check-in point {subject!r} {key_result!r} as of {as_of}: no such "
                 "subject or key result in that run")
        elif not same_number(progress, row[column]):
            fail(f"{name}: check-in {subject} {column} as of {as_of}: the point says "
                 f"{progress!r}, the run {row[column]!r}")
        points += 1
    return points


def check_alerts(fulcrum, framework, args, dom, name, fail):
    """The feed's items are the records of `fulcrum alerts --format csv` (alert, subject and
    date), each once."""
    text = run(fulcrum, ["alerts", framework] + args + ["--format", "csv"], fail, name)
    if text is None:
        return 0
    header, records = parse_csv(text)
    want = collections.Counter((r[header.index("alert")], r[header.index("subject")],
                                r[header.index("date")]) for r in records)
    got = collections.Counter(tuple(a) for a in dom["alerts"])
    if got != want:
        fail(f"{name}: the alert feed shows {sum(got.values())} items, `fulcrum alerts` "
             f"{sum(want.values())}; differing: {sorted((got - want) + (want - got))[:5]}")
    return sum(got.values())


def check_filter(page, records, name, fail):
    """Typing a subject's key into the filter leaves that subject's row on screen and only
    rows that hold the text; clearing it brings the rest back."""
    subject = records[len(records) // 2][0]
    shown = page.evaluate(f"({FILTER_ROWS})({json.dumps(subject)})")
    if subject not in [s for s, _ in shown]:
        fail(f"{name}: filtering on {subject!r} does not show its row")
    strays = [s for s, text in shown if subject.lower() not in text.lower()]
    if strays:
        fail(f"{name}: filtering on {subject!r} still shows {strays[:5]}")
    cleared = page.evaluate(f"({FILTER_ROWS})('')")
    if len(cleared) <= len(shown) and len(records) > len(shown):
        fail(f"{name}: clearing the filter shows {len(cleared)} rows, no more than filtered")


def sort_key_column(header, records):
    """The output column with the most distinct numbers (a sort that shows something)."""
    best, most = None, 1
    for i, column in enumerate(header[1:], 1):
        values = {number(r[i]) for r in records} - {None}
        if len(values) > most and all(number(r[i]) is not None or r[i] == "" for r in records):
            best, most = column, len(values)
    return best


def check_sorting(page, header, records, name, fail):
    """The keyboard sorts the table: Enter on a column's sort button (focused as Tab would)
    orders every row by that column's numbers, missing values last; Enter again reverses it.
    Leaves every row shown. Returns the column sorted by."""
    column = sort_key_column(header, records)
    if column is None:
        return None
    index = header.index(column)
    values = {r[0]: number(r[index]) for r in records}
    for direction in ("ascending", "descending"):
        focused = page.evaluate(f"""(() => {{
          const th = [...document.querySelectorAll('table#subjects thead th')]
                       .find(th => th.textContent.trim() === {json.dumps(column)});
          const button = th && th.querySelector('button, [tabindex]');
          if (!button) return false;
          button.focus();
          return document.activeElement === button;
        }})()""")
        if not focused:
            fail(f"{name}: no focusable sort button in the {column!r} column's heading")
            return None
        page.press("Enter")
        page.evaluate("Promise.resolve(window.fulcrumReport.showAll())", timeout=120)
        order = page.evaluate("[...document.querySelectorAll('table#subjects tr[data-subject]')]"
                              ".map(tr => tr.dataset.subject)", timeout=60)
        numbers = [values.get(subject) for subject in order]
        present = [v for v in numbers if v is not None]
        ordered = sorted(present, reverse=direction == "descending")
        missing_last = numbers[:len(present)] == present
        if len(order) != len(records) or present != ordered or not missing_last:
            fail(f"{name}: Enter on {column!r}'s sort button does not sort the table "
                 f"{direction}: {list(zip(order, numbers))[:6]}...")
            return column
    return column


def check_key_sort(page, records, name, fail):
    """The key column sorts as text whatever its keys look like (`0x10` is no 16, `1e3` no
    1000): a click on its sort button orders the rows as the keys' strings (JavaScript compares
    UTF-16 units; the keys here are ASCII); again reverses them. Leaves every row shown."""
    want = sorted(r[0] for r in records)
    for reverse in (False, True):
        order = page.evaluate("""(() => {
          document.querySelector('table#subjects thead button[data-sort="0"]').click();
          window.fulcrumReport.showAll();
          return [...document.querySelectorAll('table#subjects tr[data-subject]')]
            .map(tr => tr.dataset.subject);
        })()""", timeout=60)
        if order != (want[::-1] if reverse else want):
            fail(f"{name}: sorting by the key {'descending' if reverse else 'ascending'} gives "
                 f"{order[:8]}, expected the keys as text: {(want[::-1] if reverse else want)[:8]}")
            return 0
    return 1


def check_printing(page, records, name, fail):
    """`beforeprint` opens every <details> and renders every row; `afterprint` closes again the
    ones that were closed and shows one page of rows (call on a page not yet showAll()ed)."""
    state = page.evaluate("""(() => {
      const closedDetails = () => [...document.querySelectorAll('details')].filter(d => !d.open)
                                                                          .length;
      const rowsShown = () => document.querySelectorAll('table#subjects tr[data-subject]').length;
      const before = {closed: closedDetails(), rows: rowsShown(),
                      details: document.querySelectorAll('details').length};
      window.dispatchEvent(new Event('beforeprint'));
      const printing = {closed: closedDetails(), rows: rowsShown()};
      window.dispatchEvent(new Event('afterprint'));
      return {before, printing, after: {closed: closedDetails(), rows: rowsShown()}};
    })()""", timeout=60)
    before, printing, after = state["before"], state["printing"], state["after"]
    if before["details"] == 0 or before["closed"] == 0:
        fail(f"{name}: no closed <details> to print: {state}")
    if printing["closed"] != 0 or printing["rows"] != len(records):
        fail(f"{name}: printing shows {printing['rows']} of {len(records)} rows with "
             f"{printing['closed']} <details> still closed")
    if after != {"closed": before["closed"], "rows": before["rows"]}:
        fail(f"{name}: after printing the page is {after}, it was {before}")
    return 1


# The standard library's grades (stdlib/okr.fulcrum) in the colours people read them by.
GRADE_COLOURS = {"on track": "rgb(79, 138, 75)", "at risk": "rgb(209, 154, 42)",
                 "off track": "rgb(192, 57, 43)"}


def check_grade_colours(page, name, fail):
    """Wherever a chart colours a grade (the band trend's segments and legend), "on track" is
    green, "at risk" amber and "off track" red. Returns how many were checked."""
    drawn = page.evaluate("""[...document.querySelectorAll('svg[data-chart="band-trend"] rect')]
      .map(r => [r.dataset.band, getComputedStyle(r).fill])""")
    checked = 0
    for band, fill in drawn:
        if band in GRADE_COLOURS:
            checked += 1
            if fill != GRADE_COLOURS[band]:
                fail(f"{name}: the band trend draws {band!r} in {fill}, expected "
                     f"{GRADE_COLOURS[band]}")
    return checked


def check_example(browser, fulcrum, example, out, options, fail):
    name, framework, framework_name, period, report_args, wants = example
    args = ["--framework", framework_name] + period
    # --periods replaces the period (the page is then the last period's run); other report
    # flags come on top of it.
    report_args = ["--framework", framework_name] + \
        (report_args if "--periods" in report_args else period + report_args)
    html, run_csv = generate_report(fulcrum, name, framework, args, out, fail, report_args)
    if html is None:
        return
    header, records, stderr, shown = run_csv
    page = browser.open_page()
    seconds = page.load(html)
    browser.pump(0.3)  # late console messages and requests
    dom = page.evaluate(READ_PAGE)
    check_structure(dom, header, records, name, fail)
    bands = check_bands(dom, header, records, name, fail)
    points = check_quadrant(dom, header, records, name, fail)
    key_results = check_key_results(dom, header, records, name, fail)
    stages = check_stages(dom, header, records, name, fail, framework)
    cascade_nodes, cascade_members = check_cascade(fulcrum, framework, period, dom, name, fail)
    comparisons = check_comparisons(dom, header, records, name, fail)
    histograms = check_histograms(dom, header, records, name, fail)
    violations = check_violations(stderr, dom, name, fail)
    column_values = check_column_values(dom, header, records, name, fail)
    runs = RunsOf(fulcrum, framework, framework_name, period[1], fail, name)
    trend_bars, movers = check_trends(dom, runs, name, fail)
    checkin = check_checkin(dom, runs, name, fail)
    alerts = check_alerts(fulcrum, framework, args, dom, name, fail) if dom["alerts"] or \
        name == "accounts" else 0
    shot = os.path.join(out, f"{name}.png")
    shot_bytes = page.screenshot(shot)
    if shot_bytes < 20000:
        fail(f"{name}: the screenshot is {shot_bytes} bytes: a blank page?")
    if options.update_screenshots and name not in NOT_IN_DOCS:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        shutil.copyfile(shot, os.path.join(SCREENSHOTS, f"{name}.png"))
    prints = check_printing(page, records, name, fail) if dom["hasApi"] else 0
    grade_colours = check_grade_colours(page, name, fail)
    if dom["hasFilter"] and dom["hasTable"] and records:
        check_filter(page, records, name, fail)
    sorted_by = check_sorting(page, header, records, name, fail) if dom["hasApi"] else None
    key_sorts = check_key_sort(page, records, name, fail) if dom["hasApi"] else 0
    cells, _ = check_cells(page, header, records, shown, name, fail) if dom["hasApi"] \
        else (0, 0)
    score_bars, no_score_bars = check_score_bars(page, header, records, name, fail) \
        if dom["hasApi"] else (0, 0)
    browser.pump(0.2)
    check_clean(page, name, fail)
    page.close()
    compared = {"cells": cells, "bands charts": bands, "histograms": histograms,
                "quadrant points": points, "key-result bars": key_results,
                "funnel stages": stages, "stage comparisons": comparisons, "alerts": alerts,
                "violations": violations, "table values": column_values,
                "trend bars": trend_bars, "movers' cells": movers, "check-in points": checkin,
                "key sorts": key_sorts, "prints": prints, "grade colours": grade_colours,
                "cascade nodes": cascade_nodes, "cascade members": cascade_members,
                "score bars": score_bars, "no-score bars": no_score_bars}
    for what, least in wants.items():
        if compared[what] < least:
            fail(f"{name}: the page has {compared[what]} {what}, expected at least {least}")
    print(f"{name}: {len(records)} subjects; equal to the run: "
          + ", ".join(f"{n} {what}" for what, n in compared.items() if n)
          + f"; sorted by {sorted_by} from the keyboard; charts {sorted(set(dom['charts']))}; "
          f"loaded in {seconds * 1000:.0f} ms; "
          f"screenshot {shot_bytes:,} bytes")


def check_big_report(browser, fulcrum, out, fail):
    """A 6,000-subject LLR report over generated data: clean, under 5 MB, every cell the CSV's
    after showAll(); prints its load and render times (measured, not asserted)."""
    gen = os.environ.get("FULCRUM_GEN") or os.path.join(os.path.dirname(fulcrum), "fulcrum-gen")
    data = os.path.join(out, "gen")
    proc = subprocess.run([gen, "--out", data, "--reps", str(BIG_SUBJECTS), "--activities",
                           "600000", "--accounts", "6000", "--events", "6000", "--seed", "11"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        fail(f"fulcrum-gen: exit {proc.returncode}: {proc.stderr[-400:]}")
        return
    args = ["--framework", "llr", "--period", "2018-Q3"]
    for table, file in (("rep", "reps"), ("deals", "deals"), ("activities", "activities"),
                        ("ratings", "ratings"), ("quotas", "quotas")):
        args += ["--data", f"{table}={os.path.join(data, file + '.csv')}"]
    name = f"{BIG_SUBJECTS} subjects"
    html, run_csv = generate_report(fulcrum, "big", "bench/frameworks/llr.fulcrum", args, out, fail)
    if html is None:
        return
    header, records, _, shown = run_csv
    if len(records) != BIG_SUBJECTS:
        fail(f"{name}: the run has {len(records)} rows")
    page = browser.open_page()
    seconds = page.load(html, timeout=120)
    dom = page.evaluate(READ_PAGE)
    check_structure(dom, header, records, name, fail)
    check_bands(dom, header, records, name, fail)
    cells, shown_ms = check_cells(page, header, records, shown, name, fail) if dom["hasApi"] \
        else (0, 0)
    browser.pump(0.2)
    check_clean(page, name, fail)
    page.close()
    render = dom["renderMillis"]
    print(f"{name}: {os.path.getsize(html):,} bytes; load event {seconds * 1000:.0f} ms after "
          f"navigating; renderMillis {render if render is None else f'{render:.1f}'} ms; "
          f"showAll() {shown_ms:.0f} ms; {cells:,} cells equal to the run (measured, not asserted)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("fulcrum")
    parser.add_argument("--update-screenshots", action="store_true",
                        help=f"write each example's screenshot to {SCREENSHOTS}/EXAMPLE.png")
    parser.add_argument("--keep", help="write the reports and screenshots here, and keep them")
    parser.add_argument("--only", action="append", help="only this example (repeatable)")
    parser.add_argument("--no-big", action="store_true", help="skip the 6,000-subject report")
    options = parser.parse_args()
    fulcrum = os.path.abspath(options.fulcrum)
    fail = Failures()
    if not cdp.find_browser():
        print(f"FAIL: {cdp.INSTALL_HINT}")
        sys.exit(1)
    examples = []
    out = options.keep or tempfile.mkdtemp(prefix="fulcrum-report-browser-")
    os.makedirs(out, exist_ok=True)
    try:
        with cdp.Browser() as browser:
            examples = [e for e in EXAMPLES if not options.only or e[0] in options.only]
            for example in examples:
                check_example(browser, fulcrum, example, out, options, fail)
            if not options.no_big:
                check_big_report(browser, fulcrum, out, fail)
    except cdp.BrowserError as e:
        fail(f"browser: {e}")
    finally:
        if not options.keep:
            shutil.rmtree(out, ignore_errors=True)
    fail.finish(f"ok: {len(examples)} example reports in Chromium equal to their runs")


if __name__ == "__main__":
    main()
