#!/usr/bin/env python3
"""End to end: `fulcrum report` on each example, and on 6,000 generated subjects, read back with
Python's html.parser (an oracle independent of the C++ that wrote the page).

For each example report: the exit status is run's; the embedded results
(`<script id="fulcrum-results">`) are exactly `fulcrum run --format csv` (header, rows, order, every
cell's text); the page names no URL (no `http:`, `https:` or `//` anywhere, no `src`/`href`
attribute, no <link>, <iframe>, <img> or <object>); every chart's figures equal the run's: each
band's `data-count` is the count of that label in the CSV, each 2x2 point's data-x and data-y are
the subject's CSV cells and every subject with both is drawn, each key result's data-progress is
the CSV cell, each funnel stage's data-value too, and the alert feed's items are the subjects and
alerts `fulcrum alerts --format csv` lists for the same run, in its order; the page is the same
bytes on a second run. With --periods (llr over 2017-Q1..2017-Q4): the page's results are the
last period's run, each period's band counts are that period's run, and the movers are exactly
the subjects whose band changed, with each period's band and score. With --as-of-every week
(team OKRs over 2017-Q3): one check-in per week's end, each point's progress the CSV cell of
`fulcrum run --as-of` that day. Then 6,000 generated reps (the llr example over made-up data) and 6,000
generated accounts (the account lens): the page stays under 5 MB and its JSON is the run's CSV."""
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures  # noqa: E402

FULCRUM = sys.argv[1]
fail = Failures()

EXAMPLES = [
    ("llr", ["examples/llr/llr.fulcrum", "--framework", "llr", "--period", "2017-Q3"]),
    ("accounts", ["examples/accounts/lens.fulcrum", "--framework", "account_lens",
                  "--as-of", "2017-06-30"]),
    ("okr", ["examples/okr/okr.fulcrum", "--framework", "team_okrs", "--period", "2017-Q3"]),
    ("cascade", ["examples/okr/cascade.fulcrum", "--framework", "company_review",
                 "--period", "2017-Q3"]),
    ("targets", ["examples/targets/targets.fulcrum", "--framework", "targets",
                 "--period", "2017-Q4"]),
]


class Page(HTMLParser):
    """What the tests read of a page: every start tag with its attributes, and the text of the
    two JSON scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, attrs dict)
        self.scripts = {}
        self._script = None
        self._svg = None  # the chart being read

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self._svg = attrs
        elif self._svg is not None:
            attrs["__chart"] = self._svg.get("data-column")
        self.tags.append((tag, attrs))
        if tag == "script" and attrs.get("type") == "application/json":
            self._script = attrs.get("id")
            self.scripts[self._script] = ""

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg = None
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script:
            self.scripts[self._script] += data

    def with_attr(self, name, tag=None):
        return [a for t, a in self.tags if name in a and (tag is None or t == tag)]


def run(args):
    return subprocess.run([FULCRUM] + args, capture_output=True, text=True)


def report(name, args, folder):
    out = os.path.join(folder, f"{name}.html")
    proc = run(["report"] + args + ["--out", out])
    if proc.returncode != 0:
        fail(f"{name}: report exit {proc.returncode}: {proc.stderr[-2000:]}")
        return None, None
    with open(out, "rb") as f:
        return out, f.read()


def csv_rows(args):
    proc = run(["run"] + args + ["--format", "csv"])
    if proc.returncode != 0:
        fail(f"run {args}: exit {proc.returncode}: {proc.stderr[-2000:]}")
        return None
    return list(csv.reader(io.StringIO(proc.stdout, newline="")))


def check_self_contained(name, raw, page):
    text = raw.decode("utf-8")
    for needle in ("http:", "https:", "//"):
        if needle in text:
            at = text.index(needle)
            fail(f"{name}: the page holds `{needle}`: ...{text[max(0, at - 60):at + 60]!r}...")
    for tag, attrs in page.tags:
        if tag in ("link", "iframe", "img", "object", "embed", "base"):
            fail(f"{name}: the page has a <{tag}>")
        for attr in ("src", "href", "srcset", "action"):
            if attr in attrs:
                fail(f"{name}: <{tag} {attr}={attrs[attr]!r}>")
    if not [a for t, a in page.tags if t == "html" and a.get("data-fulcrum-report") == "1"]:
        fail(f"{name}: no <html data-fulcrum-report=\"1\">")


def check_results(name, page, rows):
    if "fulcrum-results" not in page.scripts:
        fail(f"{name}: no fulcrum-results script")
        return
    embedded = json.loads(page.scripts["fulcrum-results"])
    if embedded["columns"] != rows[0]:
        fail(f"{name}: columns {embedded['columns']} != CSV header {rows[0]}")
    if embedded["rows"] != rows[1:]:
        differing = [i for i, (a, b) in enumerate(zip(embedded["rows"], rows[1:])) if a != b]
        fail(f"{name}: {len(embedded['rows'])} rows vs {len(rows) - 1} in the CSV; "
             f"first differing {differing[:3]}")


def check_charts(name, page, rows, args):
    header, body = rows[0], rows[1:]
    by_key = {row[0]: row for row in body}
    for svg in page.with_attr("data-chart", "svg"):
        if svg["data-chart"] != "bands":
            continue
        column = header.index(svg["data-column"])
        expected = Counter(row[column] for row in body)
        drawn = {a["data-band"]: int(a["data-count"]) for a in page.with_attr("data-band", "rect")
                 if a.get("__chart") == svg["data-column"]}
        if sum(drawn.values()) != len(body):
            fail(f"{name}: band {svg['data-column']} counts {sum(drawn.values())} subjects")
        for label, count in expected.items():
            if drawn.get(label) != count:
                fail(f"{name}: band {svg['data-column']} `{label}`: drawn {drawn.get(label)}, "
                     f"CSV {count}")
    quadrants = [a for a in page.with_attr("data-chart", "svg") if a["data-chart"] == "quadrant"]
    if name == "accounts" and not quadrants:
        fail("accounts: no 2x2")
    for svg in quadrants:
        x, y = header.index(svg["data-x-column"]), header.index(svg["data-y-column"])
        circles = page.with_attr("data-subject", "circle")
        plotted = {row[0] for row in body if row[x] != "" and row[y] != ""}
        if {c["data-subject"] for c in circles} != plotted or len(circles) != len(plotted):
            fail(f"{name}: the 2x2 draws {len(circles)} points, the CSV has {len(plotted)}")
        for c in circles:
            row = by_key[c["data-subject"]]
            if (c["data-x"], c["data-y"]) != (row[x], row[y]):
                fail(f"{name}: point {c['data-subject']}: ({c['data-x']}, {c['data-y']}) vs "
                     f"CSV ({row[x]}, {row[y]})")
    krs = page.with_attr("data-key-result", "rect")
    if name == "okr" and not krs:
        fail("okr: no key result bars")
    for kr in krs:
        cell = by_key[kr["data-subject"]][header.index(kr["data-key-result"] + ".progress")]
        if kr["data-progress"] != cell:
            fail(f"{name}: {kr['data-subject']} {kr['data-key-result']}: {kr['data-progress']} "
                 f"vs CSV {cell}")
    stages = page.with_attr("data-stage", "rect") + page.with_attr("data-comparison", "rect")
    if name == "targets" and not stages:
        fail("targets: no funnel")
    for stage in stages:
        if stage.get("data-param") == "true":
            continue  # a param is no column of the run: check_param_funnel
        column = stage.get("data-stage") or stage.get("data-comparison")
        cell = by_key[stage["data-subject"]][header.index(column)]
        if stage["data-value"] != cell:
            fail(f"{name}: {stage['data-subject']} {column}: {stage['data-value']} vs CSV {cell}")
    if name == "llr" and not [a for a in page.with_attr("data-chart", "svg")
                              if a["data-chart"] == "histogram"]:
        fail("llr: no histogram")
    items = page.with_attr("data-alert", "li")
    if name == "accounts":
        proc = run(["alerts"] + args + ["--format", "csv"])
        feed = list(csv.DictReader(io.StringIO(proc.stdout, newline="")))
        # The page groups the feed by subject; within a subject, its order.
        order = []
        for record in feed:
            if record["subject"] not in order:
                order.append(record["subject"])
        expected = [(r["subject"], r["alert"], r["date"])
                    for s in order for r in feed if r["subject"] == s]
        got = [(i["data-subject"], i["data-alert"], i["data-date"]) for i in items]
        if not feed or got != expected:
            fail(f"accounts: the alert feed has {len(got)} items, `fulcrum alerts` "
                 f"{len(expected)}; first {got[:2]} vs {expected[:2]}")


def check_example(name, args, folder):
    out, raw = report(name, args, folder)
    if raw is None:
        return
    rows = csv_rows(args)
    if rows is None:
        return
    page = Page()
    page.feed(raw.decode("utf-8"))
    check_self_contained(name, raw, page)
    check_results(name, page, rows)
    check_charts(name, page, rows, args)
    again = report(name + "-again", args, folder)[1]
    if again != raw:
        fail(f"{name}: a second report of the same run differs")
    print(f"{name}: {len(rows) - 1} subjects, {len(raw):,} bytes")


def check_param_stage(name, args, param, value, folder):
    """Every subject's funnel starts at `param`, drawn with the run's `value` of it."""
    raw = report(name, args, folder)[1]
    if raw is None:
        return
    page = Page()
    page.feed(raw.decode("utf-8"))
    stages = page.with_attr("data-stage", "rect")
    firsts = {}
    for stage in stages:
        firsts.setdefault(stage["data-subject"], stage)
    rows = csv_rows(args)
    subjects = {row[0] for row in rows[1:]} if rows else set()
    if not firsts or set(firsts) != subjects:
        fail(f"{name}: the funnel draws {len(firsts)} subjects, the run has {len(subjects)}")
    for subject, stage in firsts.items():
        if stage["data-stage"] != param or stage.get("data-param") != "true" or \
                float(stage["data-value"]) != value:
            fail(f"{name}: {subject}'s first stage is {stage}, expected the param {param} at "
                 f"{value}")
    print(f"{name}: {len(firsts)} funnels start at the {param} param's {value}")


def check_param_funnel(folder):
    """The targets funnel starts at the quota, a `param`: its stage holds the run's value of it
    (here `--param quota=175000`, not the source's $150k), the first stage of every subject. A
    funnel may start at a param no formula reads (`stretch`): the run still gives its value, the
    default or `--param`'s, and the funnel draws it."""
    args = ["examples/targets/targets.fulcrum", "--framework", "targets", "--period", "2017-Q4"]
    check_param_stage("targets-quota", args + ["--param", "quota=175000"], "quota", 175000,
                      folder)
    with open("examples/targets/targets.fulcrum", encoding="utf-8") as f:
        source = f.read()
    source = source.replace("param quota: money = $150k\n",
                            "param quota: money = $150k\nparam stretch: money = $200k\n")
    source = source.replace("    funnel quota,", "    funnel stretch,")
    path = os.path.join("examples/targets", ".stretch-test.fulcrum")
    with open(path, "w", encoding="utf-8") as f:
        f.write(source)
    try:
        args[0] = path
        check_param_stage("targets-stretch", args, "stretch", 200000, folder)
        check_param_stage("targets-stretch-param", args + ["--param", "stretch=210000"],
                          "stretch", 210000, folder)
    finally:
        os.remove(path)


def check_report_block_changes_no_plan(folder):
    """A `report { ... }` block changes nothing in a run (but for a funnel's param that no
    formula reads, planned so that its value reaches the page): examples/targets with and without
    its block (copies side by side, so every path in the plan is the same) give the same plan."""
    with open("examples/targets/targets.fulcrum", encoding="utf-8") as f:
        source = f.read()
    start = source.index("  report {")
    end = source.index("  }\n", start) + 4
    plans = []
    for name, text in (("with", source), ("without", source[:start] + source[end:])):
        path = os.path.join(folder, f"{name}.fulcrum")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        proc = run(["run", path, "--framework", "targets", "--period", "2017-Q4", "--dump-plan"])
        plans.append(proc.stdout)
    if not plans[0].startswith("plan for framework targets") or plans[0] != plans[1]:
        fail("the targets plan differs with and without its report block (or is empty)")
    print(f"report block: the targets plan is the same {len(plans[0].splitlines())} lines "
          "without it")


# examples/okr/cascade.fulcrum: reporting any of its frameworks draws one tree.
CASCADE = ["company_okrs", "team_okrs", "rep_okrs", "company_review"]


def cascade_nodes(page):
    """Each node of the cascade in page order: (level, framework, subject, the subject of the
    node it sits under, [(objective, score, grade)])."""
    nodes, open_items = [], []
    in_cascade = False
    for tag, attrs in page.tags:
        if tag == "ul" and attrs.get("data-chart") == "cascade":
            in_cascade = True
        elif tag in ("table", "section") and in_cascade:
            break  # the table behind it, or the next picture
        if not in_cascade:
            continue
        if tag == "li" and "data-level" in attrs:
            level = attrs["data-level"]
            depth = {"company": 0, "team": 1}.get(level, 2)
            del open_items[depth:]
            parent = open_items[-1]["data-subject"] if open_items else None
            open_items.append(attrs)
            nodes.append((level, attrs["data-framework"], attrs["data-subject"], parent, []))
        elif tag == "span" and "data-objective" in attrs and nodes:
            nodes[-1][4].append((attrs["data-objective"], attrs["data-score"],
                                 attrs["data-grade"]))
    return nodes


def check_cascade(folder):
    """Reporting each framework of the OKR cascade (each level, and the review that reads all
    three) draws the same tree: every subject of each level once, each node's objective scores
    and grades the CSV of `fulcrum run` of its level's framework, each rep under the team its
    manager names."""
    period = ["--period", "2017-Q3"]
    runs = {}
    for framework in CASCADE[:3]:
        rows = csv_rows(["examples/okr/cascade.fulcrum", "--framework", framework] + period)
        if rows is None:
            return
        runs[framework] = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    with open(os.path.join("examples/okr", "../../../shared/datasets/maven-crm/sales_teams.csv"),
              encoding="utf-8", newline="") as f:
        manager = {r["sales_agent"]: r["manager"] for r in csv.DictReader(f)}
    trees = {}
    for framework in CASCADE:
        raw = report(f"cascade-{framework}",
                     ["examples/okr/cascade.fulcrum", "--framework", framework] + period,
                     folder)[1]
        if raw is None:
            continue
        page = Page()
        page.feed(raw.decode("utf-8"))
        nodes = cascade_nodes(page)
        trees[framework] = nodes
        for level in CASCADE[:3]:
            drawn = sorted(n[2] for n in nodes if n[1] == level)
            if drawn != sorted(runs[level]):
                fail(f"cascade ({framework}): {len(drawn)} nodes of {level}, its run has "
                     f"{len(runs[level])} subjects")
        for level, name, subject, parent, objectives in nodes:
            row = runs.get(name, {}).get(subject)
            if row is None or not objectives:
                fail(f"cascade ({framework}): node {subject!r} of {name}: no such subject, or "
                     f"no objective drawn")
                continue
            for objective, score, grade in objectives:
                if (score, grade) != (row[f"{objective}.score"], row[f"{objective}.grade"]):
                    fail(f"cascade ({framework}): {name} {subject} {objective}: {score} {grade} "
                         f"vs CSV {row[f'{objective}.score']} {row[f'{objective}.grade']}")
            if level == "rep" and parent != manager.get(subject):
                fail(f"cascade ({framework}): {subject} under {parent!r}, the data names "
                     f"{manager.get(subject)!r}")
    if len({json.dumps(t) for t in trees.values()}) != 1:
        fail(f"cascade: the four frameworks' reports draw different trees")
    print(f"cascade: {len(trees)} reports draw one tree of "
          f"{len(next(iter(trees.values()), []))} nodes, each equal to its level's run")


def check_trends(folder):
    """--periods: the page is the last period's run; each period's band counts are that period's
    run; the movers are the subjects whose band differs between two periods, with each period's
    band and score."""
    base = ["examples/llr/llr.fulcrum", "--framework", "llr"]
    out, raw = report("llr-trends", base + ["--periods", "2017-Q1..2017-Q4"], folder)
    if raw is None:
        return
    page = Page()
    page.feed(raw.decode("utf-8"))
    check_self_contained("llr-trends", raw, page)
    runs = {p: csv_rows(base + ["--period", p]) for p in ("2017-Q1", "2017-Q2", "2017-Q3", "2017-Q4")}
    check_results("llr-trends", page, runs["2017-Q4"])
    drawn = Counter()
    for rect in page.with_attr("data-period", "rect"):
        drawn[(rect["data-period"], rect["data-band"])] = int(rect["data-count"])
    bands = {}
    for period, rows in runs.items():
        column = rows[0].index("outcome")
        for label, count in Counter(row[column] for row in rows[1:]).items():
            if drawn[(period, label)] != count:
                fail(f"llr-trends: {period} `{label}`: drawn {drawn[(period, label)]}, CSV {count}")
        for row in rows[1:]:
            bands.setdefault(row[0], {})[period] = (row[column], row[rows[0].index("llr")])
    moved = {key for key, by in bands.items() if len({b for b, _ in by.values()}) > 1}
    listed = {}
    in_movers = False
    for tag, attrs in page.tags:
        if tag == "table":
            in_movers = attrs.get("id") == "movers"
        elif in_movers and tag == "tr" and "data-subject" in attrs:
            key = attrs["data-subject"]
            listed[key] = {}
        elif in_movers and tag == "td" and "data-period" in attrs:
            listed[key][attrs["data-period"]] = (attrs["data-band"], attrs["data-score"])
    if set(listed) != moved:
        fail(f"llr-trends: movers {sorted(listed)[:5]}... vs the runs' {sorted(moved)[:5]}...")
    for key, by in listed.items():
        if by != bands[key]:
            fail(f"llr-trends: {key}: {by} vs the runs' {bands[key]}")
    if not moved:
        fail("llr-trends: nobody moved: the check cannot tell")
    print(f"llr-trends: 4 periods, {len(moved)} subjects moved, {len(raw):,} bytes")


def check_weekly(folder):
    """--as-of-every week: each week's end in the quarter (the last the quarter's end), and every
    check-in point's progress is `fulcrum run --as-of` that day's CSV cell; the page's results are
    the run of the whole period."""
    base = ["examples/okr/okr.fulcrum", "--framework", "team_okrs", "--period", "2017-Q3"]
    out, raw = report("okr-weekly", base + ["--as-of-every", "week"], folder)
    if raw is None:
        return
    page = Page()
    page.feed(raw.decode("utf-8"))
    check_self_contained("okr-weekly", raw, page)
    check_results("okr-weekly", page, csv_rows(base))
    points = page.with_attr("data-as-of", "circle")
    days = sorted({p["data-as-of"] for p in points})
    expected_days = ["2017-07-02"] + [f"2017-{m:02d}-{d:02d}" for m, d in (
        (7, 9), (7, 16), (7, 23), (7, 30), (8, 6), (8, 13), (8, 20), (8, 27), (9, 3), (9, 10),
        (9, 17), (9, 24))] + ["2017-09-30"]
    if days != expected_days:
        fail(f"okr-weekly: as-of days {days} vs the weeks' ends {expected_days}")
    for day in days:
        rows = csv_rows(base + ["--as-of", day])
        by_key = {row[0]: row for row in rows[1:]}
        for p in (p for p in points if p["data-as-of"] == day):
            cell = by_key[p["data-subject"]][rows[0].index(p["data-key-result"] + ".progress")]
            if p["data-progress"] != cell:
                fail(f"okr-weekly: {p['data-subject']} {p['data-key-result']} as of {day}: "
                     f"{p['data-progress']} vs CSV {cell}")
    print(f"okr-weekly: {len(days)} check-ins, {len(points)} points, {len(raw):,} bytes")


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generated_llr(folder):
    """6,000 reps with a few deals each in 2017-Q3 and ratings; names with commas and quotes."""
    rng = random.Random(26)
    reps = [f"Rep {i:04d}" + (", \"Jr\"" if i % 97 == 0 else "") for i in range(6000)]
    write_csv(f"{folder}/reps.csv", ["sales_agent", "manager", "regional_office"],
              [[r, f"Manager {i % 60}", ["East", "West", "Central"][i % 3]]
               for i, r in enumerate(reps)])
    write_csv(f"{folder}/accounts.csv", ["account", "sector", "employees"],
              [["Acme", "retail", "100"]])
    deals = []
    for i, rep in enumerate(reps):
        for d in range(rng.randint(0, 6)):
            won = rng.random() < 0.6
            deals.append([f"D{i}-{d}", rep, "GTX", "Acme", "Won" if won else "Lost", "2017-07-01",
                          f"2017-0{rng.randint(7, 9)}-1{rng.randint(0, 9)}",
                          str(rng.randint(500, 60000)) if won else "0"])
    write_csv(f"{folder}/deals.csv", ["opportunity_id", "sales_agent", "product", "account",
                                      "deal_stage", "engage_date", "close_date", "close_value"],
              deals)
    write_csv(f"{folder}/ratings.csv", ["rep", "quarter", "leadership", "leverage"],
              [[r, "2017-Q3", rng.randint(1, 5), rng.randint(1, 5)] for r in reps
               if rng.random() < 0.9])
    return ["examples/llr/llr.fulcrum", "--framework", "llr", "--period", "2017-Q3",
            "--data", f"rep={folder}/reps.csv", "--data", f"account={folder}/accounts.csv",
            "--data", f"deals={folder}/deals.csv", "--data", f"ratings={folder}/ratings.csv"]


def generated_lens(folder):
    """6,000 accounts with events in the 90 days before 2017-06-30."""
    rng = random.Random(62)
    accounts = [f"Account {i:04d}" for i in range(6000)]
    write_csv(f"{folder}/lens_accounts.csv", ["account", "sector", "employees"],
              [[a, "retail", rng.randint(10, 12000)] for a in accounts])
    events = []
    for a in accounts:
        for _ in range(rng.randint(0, 4)):
            kind = rng.choice(["visit", "product_usage", "role_change"])
            events.append([a, "Pat" if kind == "role_change" else "", kind,
                           f"2017-06-{rng.randint(1, 30):02d}", round(rng.uniform(0.5, 9), 1)])
    write_csv(f"{folder}/events.csv", ["account", "contact", "kind", "at", "weight"], events)
    return ["examples/accounts/lens.fulcrum", "--framework", "account_lens", "--as-of",
            "2017-06-30", "--data", f"account={folder}/lens_accounts.csv",
            "--data", f"events={folder}/events.csv"]


def check_generated(name, args, folder):
    out, raw = report(name, args, folder)
    if raw is None:
        return
    rows = csv_rows(args)
    page = Page()
    page.feed(raw.decode("utf-8"))
    check_self_contained(name, raw, page)
    check_results(name, page, rows)
    if len(rows) - 1 != 6000:
        fail(f"{name}: {len(rows) - 1} subjects, not 6,000")
    if len(raw) >= 5 * 1024 * 1024:
        fail(f"{name}: the page is {len(raw):,} bytes, over 5 MB")
    print(f"{name}: 6,000 subjects, {len(raw):,} bytes")
    return raw


def generated_cascade(folder):
    """The OKR cascade over 6,000 reps under 60 managers (generated_llr's files), the rep level
    with a second objective: rep_okrs's report."""
    generated_llr(folder)
    with open("examples/okr/cascade.fulcrum", encoding="utf-8") as f:
        source = f.read()
    marker = "  metric team_grade = team_okrs.revenue.grade\n"
    if marker not in source:
        fail("cascade-6000: examples/okr/cascade.fulcrum no longer has rep_okrs's team_grade")
    source = source.replace(marker, marker + """  objective volume "Close deals" {
    key_result closed "Deals closed" = count(deals where closed in period) target 3
  }
""")
    path = os.path.join(folder, "cascade.fulcrum")
    with open(path, "w", encoding="utf-8") as f:
        f.write(source)
    return [path, "--framework", "rep_okrs", "--period", "2017-Q3",
            "--data", f"rep={folder}/reps.csv", "--data", f"deals={folder}/deals.csv"]


def check_generated_cascade(folder):
    """6,000 reps under 60 managers: the page stays under 5 MB; each team draws its first reps
    and says how many more it has, the two adding up to the team's reps; its objectives are
    drawn for every drawn rep."""
    args = generated_cascade(folder)
    raw = check_generated("cascade-6000", args, folder)
    if raw is None:
        return
    page = Page()
    page.feed(raw.decode("utf-8"))
    drawn = {}
    for level, name, subject, parent, objectives in cascade_nodes(page):
        if level == "rep":
            drawn[parent] = drawn.get(parent, 0) + 1
            if sorted(o[0] for o in objectives) != ["revenue", "volume"]:
                fail(f"cascade-6000: rep {subject} draws objectives {objectives}")
    more = {attrs["data-team"]: int(attrs["data-more"]) for attrs in page.with_attr("data-more")}
    teams = {f"Manager {i}" for i in range(60)}
    for team in teams:
        if drawn.get(team, 0) + more.get(team, 0) != 100:
            fail(f"cascade-6000: {team} draws {drawn.get(team, 0)} reps and {more.get(team, 0)} "
                 f"more, not its 100")
    print(f"cascade-6000: {sum(drawn.values())} reps drawn, {sum(more.values())} more counted")


def main():
    with tempfile.TemporaryDirectory() as folder:
        for name, args in EXAMPLES:
            check_example(name, args, folder)
        check_trends(folder)
        check_weekly(folder)
        check_param_funnel(folder)
        check_cascade(folder)
        check_report_block_changes_no_plan(folder)
        check_generated("llr-6000", generated_llr(folder), folder)
        check_generated("lens-6000", generated_lens(folder), folder)
        check_generated_cascade(folder)
    fail.finish("report: every example's page holds its run, names no URL, stays under 5 MB")


main()
