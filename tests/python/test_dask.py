"""fulcrum.dask on a real Dask cluster: a LocalCluster of 2 worker processes (started and stopped
here) over data fulcrum-gen writes, partitioned by subject here. The llr, targets and account lens
frameworks of bench/frameworks give the bytes the single-machine `fulcrum run` prints, whatever
the order of the partitions; a task that fails once, or whose worker dies, is run again by Dask
with the result unchanged; team and company subjects (every team's rows in every partition of
facts cut by rep) and a rep whose deals are in two files merge their partial states to the same
bytes, first and last across partitions going by the partitions' names; a second pass over a
subject split across partitions, a key in two partitions, an empty partition, an unreachable
scheduler, a glob matching nothing and an entity in several files are clear errors; an edited import is compiled again by long-lived workers; the command prints the
checks violated and clamp notes as `fulcrum run` does, and exits 3 under --strict.

Fails when Dask's `distributed` is not installed (`make deps` installs python3-distributed);
with FULCRUM_ALLOW_SKIP=1 it skips instead."""
import collections
import csv
import os
import subprocess
import sys

import pytest

from conftest import CLI, ROOT, cli, local_dask_client

try:
    import distributed
except ImportError:  # pragma: no cover - depends on the machine
    if os.environ.get("FULCRUM_ALLOW_SKIP") == "1":
        pytest.skip("Dask's distributed is not installed (FULCRUM_ALLOW_SKIP=1)",
                    allow_module_level=True)
    raise ImportError("Dask's `distributed` is not installed: `make deps` installs "
                      "python3-distributed (FULCRUM_ALLOW_SKIP=1 skips this test instead)")

import fulcrum
import fulcrum.dask as fdask

GEN = os.path.join(os.path.dirname(CLI), "fulcrum-gen")
DATA = "bench/frameworks/data.fulcrum"
LLR = "bench/frameworks/llr.fulcrum"
TARGETS = "bench/frameworks/targets.fulcrum"
LENS = "bench/frameworks/events.fulcrum"
PARTS = 3

# Per fact table: its file and the column holding the subject's key (what it is partitioned by).
REP_FACTS = {"deals": ("deals.csv", "owner"), "activities": ("activities.csv", "rep"),
             "ratings": ("ratings.csv", "rep"), "quotas": ("quotas.csv", "rep")}
ACCOUNT_FACTS = {"events": ("events.csv", "account")}


def partition(source, column, folder, stem, parts=PARTS):
    """Splits a CSV by `column` into `parts` files, every row of a key in one file (keys dealt
    round-robin in order of first appearance); the files' paths."""
    with open(source, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        at = header.index(column)
        rows = list(reader)
    place = {}
    for row in rows:
        place.setdefault(row[at], len(place) % parts)
    paths = [os.path.join(folder, f"{stem}-{i}.csv") for i in range(parts)]
    writers = [open(p, "w", newline="") for p in paths]
    try:
        out = [csv.writer(w, lineterminator="\n") for w in writers]
        for w in out:
            w.writerow(header)
        for row in rows:
            out[place[row[at]]].writerow(row)
    finally:
        for w in writers:
            w.close()
    return paths


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask-data")
    subprocess.run([GEN, "--out", str(folder), "--seed", "27", "--reps", "24",
                    "--activities", "40000", "--accounts", "400", "--events", "6000",
                    "--threads", "1"], check=True, capture_output=True)
    parts = {}
    for table, (name, column) in {**REP_FACTS, **ACCOUNT_FACTS}.items():
        parts[table] = partition(os.path.join(folder, name), column, folder, table)
    return folder, parts


@pytest.fixture(scope="module")
def client():
    yield from local_dask_client()


def whole_files(folder, framework):
    if framework == LENS:
        return {"account": os.path.join(folder, "accounts.csv")}
    return {"rep": os.path.join(folder, "reps.csv")}


def facts(framework, name=None):
    """The fact tables `framework` reads, with their files and partitioning columns."""
    every = ACCOUNT_FACTS if framework == LENS else REP_FACTS
    read = {t.name for t in fulcrum.compile(framework).tables(name)}
    return {t: f for t, f in every.items() if t in read}


def single_machine(folder, framework, name, when, fmt):
    args = ["run", framework, "--framework", name, "--format", fmt, *when]
    for table, path in whole_files(folder, framework).items():
        args += ["--data", f"{table}={path}"]
    for table, (file, _) in facts(framework, name).items():
        args += ["--data", f"{table}={os.path.join(folder, file)}"]
    return cli(*args).stdout


RUNS = [(LLR, "llr", {"period": "2018-Q3"}, ["--period", "2018-Q3"]),
        (TARGETS, "targets", {"period": "2018-Q3"}, ["--period", "2018-Q3"]),
        (LENS, "account_lens_no_alerts", {"as_of": "2018-11-30"}, ["--as-of", "2018-11-30"])]


@pytest.mark.parametrize("framework,name,when,flags", RUNS, ids=[r[1] for r in RUNS])
def test_same_bytes_as_one_machine(generated, client, framework, name, when, flags):
    folder, parts = generated
    for fmt in ("csv", "json"):
        expected = single_machine(folder, framework, name, flags, fmt)
        assert expected.count("\n") > 20
        data = {**whole_files(folder, framework),
                **{t: os.path.join(folder, f"{t}-*.csv") for t in facts(framework, name)}}
        got = fdask.run(framework, name, data=data, client=client, format=fmt, **when)
        assert got == expected
        # The partitions in another order: the same bytes.
        data.update({t: list(reversed(parts[t])) for t in facts(framework, name)})
        got = fdask.run(framework, name, data=data, client=client, format=fmt, **when)
        assert got == expected


SHIPPED = "tests/python/frameworks/dask_aggregates.fulcrum"


@pytest.mark.parametrize("engine", ["jit", "interpreter"])
def test_every_kind_of_aggregate(generated, client, engine):
    """Median, count distinct, first/last of a text, dates, a second-pass aggregate: each
    finalized in its partition and shipped; a rank and a median across subjects after."""
    folder, parts = generated
    flags = ["--framework", "shipped", "--period", "2018-Q3", "--lib", "bench/frameworks",
             "--engine", {"jit": "jit", "interpreter": "interp"}[engine]]
    files = {"rep": os.path.join(folder, "reps.csv"), "deals": os.path.join(folder, "deals.csv"),
             "activities": os.path.join(folder, "activities.csv")}
    args = ["run", SHIPPED, "--format", "csv", "--param", "tag=big", *flags]
    for table, path in files.items():
        args += ["--data", f"{table}={path}"]
    expected = cli(*args).stdout
    assert "Core" in expected and expected.count("\n") > 20
    rows = list(csv.DictReader(expected.splitlines()))
    # More distinct deal ids than the pool has texts ahead of them (every rep's key comes first):
    # a count shipped as a pool code would come back as some other number.
    assert max(int(r["deal_ids"]) for r in rows) > len(rows)
    # The param's text, interned after the partition's texts, in a `last` of a computed text.
    assert {r["last_tag"] for r in rows} >= {"big", "small"}
    data = {"rep": files["rep"], "deals": list(reversed(parts["deals"])),
            "activities": parts["activities"]}
    got = fdask.run(SHIPPED, "shipped", period="2018-Q3", params={"tag": "big"}, data=data,
                    client=client, format="csv", engine=engine,
                    import_paths=["bench/frameworks"])
    assert got == expected


def test_the_interpreter_too(generated, client):
    folder, _ = generated
    expected = single_machine(folder, TARGETS, "targets", ["--period", "2018-Q3"], "csv")
    data = {**whole_files(folder, TARGETS),
            **{t: os.path.join(folder, f"{t}-*.csv") for t in facts(TARGETS, "targets")}}
    got = fdask.run(TARGETS, "targets", period="2018-Q3", data=data, client=client,
                    format="csv", engine="interpreter")
    assert got == expected


def arm_fail_once(value):
    """Run on every worker: sets (or with None clears) the package's fail-once test hook."""
    if value is None:
        os.environ.pop(fdask.FAIL_ONCE, None)
    else:
        os.environ[fdask.FAIL_ONCE] = value


def test_a_task_that_fails_once_is_retried(generated, client, tmp_path):
    folder, _ = generated
    expected = single_machine(folder, LLR, "llr", ["--period", "2018-Q3"], "csv")
    data = {**whole_files(folder, LLR), **{t: os.path.join(folder, f"{t}-*.csv") for t in REP_FACTS}}
    marker = str(tmp_path / "failed")

    client.run(arm_fail_once, marker)
    try:
        # Without retries the failure reaches the caller: the hook does fail a task.
        with pytest.raises(RuntimeError, match="fails once"):
            fdask.run(LLR, "llr", period="2018-Q3", data=data, client=client, format="csv",
                      retries=0)
        os.remove(marker)
        got = fdask.run(LLR, "llr", period="2018-Q3", data=data, client=client, format="csv",
                        retries=2)
        assert os.path.exists(marker)  # a task failed, and Dask ran it again
        assert got == expected
    finally:
        client.run(arm_fail_once, None)


def test_a_worker_lost_mid_run(generated, client, tmp_path):
    """A partition task's worker process dies (the hook's `exit:`): the nanny starts a new
    worker and the scheduler runs the task again, even with no retries asked for; the result is
    unchanged."""
    folder, _ = generated
    expected = single_machine(folder, TARGETS, "targets", ["--period", "2018-Q3"], "csv")
    data = {**whole_files(folder, TARGETS),
            **{t: os.path.join(folder, f"{t}-*.csv") for t in facts(TARGETS, "targets")}}
    marker = str(tmp_path / "died")

    client.run(arm_fail_once, "exit:" + marker)
    try:
        got = fdask.run(TARGETS, "targets", period="2018-Q3", data=data, client=client,
                        format="csv", retries=0)
    finally:
        client.run(arm_fail_once, None)
    assert os.path.exists(marker)  # a worker died running a task
    assert got == expected
    client.wait_for_workers(2, timeout=60)


MERGED = "tests/python/frameworks/dask_merged.fulcrum"
REP_TABLES = ("deals", "activities", "ratings", "quotas")


def merged_one_machine(folder, name, files, engine="jit"):
    """`fulcrum run` of MERGED's framework `name` with the tables read from `files`."""
    args = ["run", MERGED, "--framework", name, "--period", "2018-Q3", "--lib",
            "bench/frameworks", "--format", "csv", "--engine",
            {"jit": "jit", "interpreter": "interp"}[engine],
            "--data", f"rep={os.path.join(folder, 'reps.csv')}"]
    for table, path in files.items():
        args += ["--data", f"{table}={path}"]
    return cli(*args).stdout


def merged_on_dask(folder, name, files, client, engine="jit"):
    return fdask.run(MERGED, name, period="2018-Q3", client=client, format="csv", engine=engine,
                     data={"rep": os.path.join(folder, "reps.csv"), **files},
                     import_paths=["bench/frameworks"])


def concatenated(paths, target):
    """The files one after another under the first one's header: the one table that a run over
    these partitions is (first and last break ties across partitions in name order)."""
    with open(target, "w") as out:
        for i, path in enumerate(paths):
            with open(path) as f:
                lines = f.read().splitlines(keepends=True)
            out.writelines(lines if i == 0 else lines[1:])
    return target


def teams_of(folder):
    with open(os.path.join(folder, "reps.csv"), newline="") as f:
        return {row["rep_id"]: row["team"] for row in csv.DictReader(f)}


@pytest.mark.parametrize("engine", ["jit", "interpreter"])
@pytest.mark.parametrize("name", ["teams", "company_wide"])
def test_group_and_company_subjects(generated, client, name, engine):
    """A team's (and the company's) rows are in every partition of facts partitioned by rep:
    their states merge in the second stage, and the bytes are `fulcrum run`'s over the whole
    files, in either order of the partitions."""
    folder, parts = generated
    team = teams_of(folder)
    spread = collections.defaultdict(set)
    for i, path in enumerate(parts["deals"]):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                spread[team[row["owner"]]].add(i)
    assert all(len(files) > 1 for files in spread.values())  # every team crosses partitions
    whole = {t: os.path.join(folder, REP_FACTS[t][0]) for t in REP_TABLES}
    expected = merged_one_machine(folder, name, whole, engine)
    rows = list(csv.DictReader(expected.splitlines()))
    assert len(rows) == (1 if name == "company_wide" else len(spread))
    assert all(int(r["products"]) > 0 and r["median_won"] for r in rows)
    for order in (lambda p: p, lambda p: list(reversed(p))):
        got = merged_on_dask(folder, name, {t: order(parts[t]) for t in REP_TABLES}, client,
                             engine)
        assert got == expected


def test_first_and_last_across_partitions(generated, client, tmp_path):
    """First and last of a team merge partitions in the order of their names: the bytes are
    `fulcrum run`'s over the partitions concatenated in that order, whatever order they are
    given in."""
    folder, parts = generated
    files = {t: parts[t] for t in ("deals", "activities")}
    joined = {t: concatenated(sorted(paths), str(tmp_path / f"{t}-joined.csv"))
              for t, paths in files.items()}
    expected = merged_one_machine(folder, "team_firsts", joined)
    rows = list(csv.DictReader(expected.splitlines()))
    assert rows and all(r["first_product"] and r["last_stage"] for r in rows)
    for order in (lambda p: p, lambda p: list(reversed(p))):
        got = merged_on_dask(folder, "team_firsts", {t: order(p) for t, p in files.items()},
                             client)
        assert got == expected


def test_a_rep_split_over_two_files(generated, client, tmp_path):
    """One rep's deals in two files (their earlier rows in the file whose name sorts first):
    the rep's states merge, and the bytes (sums, medians, count distinct, first and last, a
    median across the team, a rank) are `fulcrum run`'s over the whole deals file."""
    folder, parts = generated
    with open(parts["deals"][0]) as f:
        lines = f.read().splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    owner = collections.Counter(r.split(",")[1] for r in rows).most_common(1)[0][0]
    theirs = [r for r in rows if r.split(",")[1] == owner]
    assert len(theirs) > 4
    second = set(theirs[len(theirs) // 2:])
    early, late = str(tmp_path / "deals-0a.csv"), str(tmp_path / "deals-0b.csv")
    with open(early, "w") as out:
        out.writelines([header] + [r for r in rows if r not in second])
    with open(late, "w") as out:
        out.writelines([header] + [r for r in rows if r in second])
    expected = merged_one_machine(folder, "rep_split",
                                  {"deals": os.path.join(folder, "deals.csv")})
    assert owner in expected
    for deals in ([early, late, *parts["deals"][1:]], [*reversed(parts["deals"][1:]), late, early]):
        assert merged_on_dask(folder, "rep_split", {"deals": deals}, client) == expected
    # The llr framework too, from the command's own partitions.
    expected = single_machine(folder, LLR, "llr", ["--period", "2018-Q3"], "csv")
    data = {**whole_files(folder, LLR), **{t: parts[t] for t in REP_FACTS}}
    data["deals"] = [late, *parts["deals"][1:], early]
    assert fdask.run(LLR, "llr", period="2018-Q3", data=data, client=client,
                     format="csv") == expected


def test_a_second_pass_needs_whole_subjects(generated, client):
    """An aggregate that reads another aggregate of the subject needs the subject's every row
    in one partition: a team across partitions by rep is a clear data error."""
    folder, parts = generated
    with pytest.raises(fulcrum.DataError) as error:
        merged_on_dask(folder, "team_second_pass", {"deals": parts["deals"]}, client)
    message = str(error.value)
    assert "has rows of `deals` in two partitions" in message
    assert "reads another aggregate of the same subject" in message
    assert "run framework `team_second_pass` on one machine" in message
    assert os.path.basename(parts["deals"][0]) in message
    assert error.value.status == 2


def test_a_key_in_two_partitions(generated, client, tmp_path):
    """The loader's duplicate-key rule holds across partitions: a deal id in two files (under
    two owners, so each partition alone is fine) is the error `fulcrum run` gives for one file."""
    folder, parts = generated
    with open(parts["deals"][0]) as f:
        lines = f.read().splitlines()
    assert lines[0].startswith("deal_id,owner")
    with open(parts["deals"][1]) as f:
        other = f.read().splitlines()
    taken = other[1].split(",")[0]
    # Partition 0's first deal under partition 1's first id.
    copy = str(tmp_path / "deals-dup.csv")
    with open(copy, "w") as out:
        out.write("\n".join(lines + [taken + "," + lines[1].split(",", 1)[1]]) + "\n")
    whole = str(tmp_path / "deals-whole.csv")
    with open(whole, "w") as out:
        out.write("\n".join([lines[0]] + lines[1:] + [taken + "," + lines[1].split(",", 1)[1]] +
                             other[1:]) + "\n")
    args = ["run", LLR, "--framework", "llr", "--period", "2018-Q3"]
    for table, path in whole_files(folder, LLR).items():
        args += ["--data", f"{table}={path}"]
    args += ["--data", f"deals={whole}"]
    one = subprocess.run([CLI, *args], capture_output=True, text=True, cwd=ROOT)
    assert one.returncode == 2 and f"duplicate key `{taken}`" in one.stderr
    data = {**whole_files(folder, LLR), **{t: os.path.join(folder, f"{t}-*.csv") for t in REP_FACTS}}
    data["deals"] = [copy, parts["deals"][1], parts["deals"][2]]
    with pytest.raises(fulcrum.DataError) as error:
        fdask.run(LLR, "llr", period="2018-Q3", data=data, client=client, format="csv",
                  retries=0)
    message = str(error.value)
    assert f"duplicate key `{taken}`" in message
    assert "deals-dup.csv" in message and os.path.basename(parts["deals"][1]) in message
    assert error.value.status == 2


def test_an_edited_import_is_compiled_again(client, tmp_path):
    """A long-lived worker keeps compiled programs; editing a module the framework imports (the
    main file unchanged) gives the edited module's results, as `fulcrum run` does."""
    (tmp_path / "s.csv").write_text("id,label\ns1,L1\ns2,L2\n")
    (tmp_path / "f-0.csv").write_text("s,v\ns1,1\ns1,2\n")
    (tmp_path / "f-1.csv").write_text("s,v\ns2,5\n")
    (tmp_path / "f.csv").write_text("s,v\ns1,1\ns1,2\ns2,5\n")
    (tmp_path / "tables.fulcrum").write_text(
        'entity s from "s.csv" {\n  key id: text\n  label: text\n}\n'
        'table f from "f.csv" {\n  s: s\n  v: number\n}\n')
    main = tmp_path / "main.fulcrum"
    main.write_text('import "tables"\nimport "m"\nframework mm "mm" {\n  subject s\n'
                    '  cadence quarter\n  metric total = scale(sum(f.v by s))\n}\n')
    data = {"f": [str(tmp_path / "f-0.csv"), str(tmp_path / "f-1.csv")]}
    for factor, expected in (("2", "id,total\ns1,6\ns2,10\n"),
                             ("1000", "id,total\ns1,3000\ns2,5000\n")):
        (tmp_path / "m.fulcrum").write_text(f"fn scale(a: number): number = a * {factor}\n")
        one = cli("run", str(main), "--framework", "mm", "--period", "2018-Q3", "--format", "csv")
        assert one.stdout == expected
        got = fdask.run(str(main), "mm", period="2018-Q3", data=data, client=client,
                        format="csv")
        assert got == expected


def test_an_empty_partition_is_named(generated, client, tmp_path):
    """A 0-byte partition (here the first) is the loader's empty-file error naming the user's
    file, not a temporary file of fulcrum's."""
    folder, parts = generated
    empty = tmp_path / "d0.csv"
    empty.write_bytes(b"")
    data = {**whole_files(folder, LLR), **{t: os.path.join(folder, f"{t}-*.csv") for t in REP_FACTS}}
    data["deals"] = [str(empty), *parts["deals"]]
    with pytest.raises(fulcrum.DataError) as error:
        fdask.run(LLR, "llr", period="2018-Q3", data=data, client=client, format="csv")
    assert str(error.value).startswith(f"{empty}: error: the file of deals is empty (0 bytes)")
    assert "fulcrum-dask-empty" not in str(error.value)


def test_an_unreachable_scheduler():
    """No scheduler at the address: one line naming it, and the command's own status (69), not
    a traceback and the compile error's 1. (The --data file is any file: nothing is read past its
    first line before the client connects.)"""
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    done = subprocess.run([sys.executable, "-m", "fulcrum.dask", "run", LLR, "--framework", "llr",
                           "--period", "2018-Q3", "--scheduler", "tcp://127.0.0.1:1",
                           "--data", f"deals={os.path.join(ROOT, LLR)}"],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 69, done.stderr
    assert done.stderr.startswith("error: cannot reach the Dask scheduler tcp://127.0.0.1:1: ")
    assert "Traceback" not in done.stderr


def test_a_glob_matching_nothing(generated, client):
    folder, _ = generated
    data = {**whole_files(folder, LLR), **{t: os.path.join(folder, f"{t}-*.csv") for t in REP_FACTS}}
    data["deals"] = os.path.join(folder, "nothing-*.csv")
    with pytest.raises(fulcrum.UsageError, match=r"--data deals='.*nothing-\*\.csv' matches no file"):
        fdask.run(LLR, "llr", period="2018-Q3", data=data, client=client, format="csv")


def test_an_entity_in_several_files(generated, client):
    folder, parts = generated
    data = {"rep": parts["deals"][:2], "deals": parts["deals"]}
    with pytest.raises(fulcrum.UsageError, match="`rep` is an entity, read whole"):
        fdask.run(LLR, "llr", period="2018-Q3", data=data, client=client, format="csv")


def test_the_command_line(generated, client):
    folder, _ = generated
    expected = single_machine(folder, LLR, "llr", ["--period", "2018-Q3"], "csv")
    args = [sys.executable, "-m", "fulcrum.dask", "run", LLR, "--framework", "llr", "--period",
            "2018-Q3", "--scheduler", client.scheduler.address, "--format", "csv"]
    for table, path in whole_files(folder, LLR).items():
        args += ["--data", f"{table}={path}"]
    for table in REP_FACTS:
        args += ["--data", f"{table}={os.path.join(folder, table + '-*.csv')}"]
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected
    args[args.index(f"deals={os.path.join(folder, 'deals-*.csv')}")] = "deals=/nonexistent/*.csv"
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 64
    assert "error: --data deals='/nonexistent/*.csv' matches no file" in done.stderr


CHECKED = """import "data"
framework chk "chk" {
  subject rep
  cadence quarter
  metric won: money = sum(deals.value where stage == "Won" and closed in period)
  metric acts: count = count(activities where day in period)
  score s out of 5 {
    a 50% = won / $1000
    b 50% = acts / 10
  }
  check "won big": won >= 1000
}
"""


def test_the_command_line_reports_violations_and_notes(generated, client, tmp_path):
    """What `fulcrum run` prints to stderr about the run (checks violated, score components
    clamped) the command prints too, and `--strict` exits 3 as `fulcrum run --strict` does."""
    folder, _ = generated
    framework = tmp_path / "chk.fulcrum"
    framework.write_text(CHECKED)
    common = ["--framework", "chk", "--period", "2018-Q3", "--lib", "bench/frameworks",
              "--format", "csv", "--data", f"rep={os.path.join(folder, 'reps.csv')}"]
    one = subprocess.run([CLI, "run", str(framework), *common, "--strict",
                          "--data", f"deals={os.path.join(folder, 'deals.csv')}",
                          "--data", f"activities={os.path.join(folder, 'activities.csv')}"],
                         capture_output=True, text=True, cwd=ROOT)
    assert one.returncode == 3, one.stderr
    about_run = [line for line in one.stderr.splitlines()
                 if line.startswith(("check ", "score component "))]
    assert any(line.startswith("check \"won big\" violated for ") for line in about_run)
    assert any(line.startswith("score component ") for line in about_run)
    args = [sys.executable, "-m", "fulcrum.dask", "run", str(framework), *common,
            "--scheduler", client.scheduler.address,
            "--data", f"deals={os.path.join(folder, 'deals-*.csv')}",
            "--data", f"activities={os.path.join(folder, 'activities-*.csv')}"]
    for strict, status in (([], 0), (["--strict"], 3)):
        done = subprocess.run(args + strict, capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == status, done.stderr
        assert done.stdout == one.stdout
        # Only fulcrum's lines about the run: under load Dask's client may add its own
        # shutdown noise ("Future exception was never retrieved ... TimeoutError").
        said = [line for line in done.stderr.splitlines()
                if line.startswith(("check ", "score component ", "fulcrum", "error", "warning"))]
        assert sorted(said) == sorted(about_run), done.stderr
