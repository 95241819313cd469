"""fw.run over the llr example and the Maven data equals `fulcrum run` byte for byte: the text
through fulcrum_result_format, and the DataFrame value for value against the CLI's CSV."""
import math

import pandas as pd
import pytest

from conftest import LLR, assert_frame_equals_cli_csv, cli

PERIODS = ["2017-Q1", "2017-Q2", "2017-Q3", "2017-Q4"]


@pytest.mark.parametrize("engine", ["jit", "interpreter"])
@pytest.mark.parametrize("period", PERIODS)
def test_csv_text_equals_the_cli(fulcrum, engine, period):
    fw = fulcrum.compile(LLR, engine=engine)
    got = fw.run(period=period, format="csv")
    want = cli("run", LLR, "--framework", "llr", "--period", period, "--format", "csv",
               "--engine", {"jit": "jit", "interpreter": "interp"}[engine]).stdout
    assert got == want


@pytest.mark.parametrize("format", ["json", "table"])
def test_other_formats_equal_the_cli(llr, format):
    want = cli("run", LLR, "--framework", "llr", "--period", "2017-Q3", "--format", format).stdout
    assert llr.run("llr", "2017-Q3", format=format) == want


@pytest.mark.parametrize("period", PERIODS)
def test_dataframe_equals_the_cli_csv(llr, period):
    frame = llr.run(period=period)
    text = cli("run", LLR, "--framework", "llr", "--period", period, "--format", "csv").stdout
    assert_frame_equals_cli_csv(frame, llr.outputs(), text)


def test_dataframe_types(llr):
    frame = llr.run(period="2017-Q3")
    types = {c.name: c.type for c in llr.outputs()}
    assert list(frame.columns) == [c.name for c in llr.outputs()]
    assert frame.columns[0] == "name" and types["name"] == "reference"  # a rep
    assert frame["won"].dtype == "float64" and types["won"] == "money"
    assert str(frame["decided"].dtype) == "Int64"
    assert frame["outcome"].dtype == object
    anna = frame.set_index("name").loc["Anna Snelling"]
    assert anna["won"] == 72498.0 and anna["win_rate"] == 0.55 and anna["outcome"] == "meets"


def test_missing_values_are_pandas_missing(llr):
    # 2016-Q4 is before the first deal closed: nobody decided a deal, so win_rate (0 / 0),
    # biggest_deal (max of nothing) and the score are missing.
    frame = llr.run(period="2016-Q4")
    text = cli("run", LLR, "--framework", "llr", "--period", "2016-Q4", "--format", "csv").stdout
    assert_frame_equals_cli_csv(frame, llr.outputs(), text)
    assert frame["win_rate"].isna().all() and frame["biggest_deal"].isna().all()
    assert (frame["decided"] == 0).all()
    assert set(frame["outcome"]) == {"ramping"}


def test_params_change_the_run_as_on_the_command_line(llr):
    for quota in (600_000, 900_000.0, "1200000"):
        text = cli("run", LLR, "--framework", "llr", "--period", "2017-Q3", "--format", "csv",
                   "--param", f"quota={int(float(quota))}").stdout
        assert llr.run(period="2017-Q3", params={"quota": quota}, format="csv") == text


def test_csv_paths_in_equal_the_declared_files(llr):
    maven = "../shared/datasets/maven-crm"
    bound = llr.run(period="2017-Q3", data={"deals": f"{maven}/sales_pipeline.csv",
                                            "rep": f"{maven}/sales_teams.csv"}, format="csv")
    assert bound == llr.run(period="2017-Q3", format="csv")


def test_framework_may_be_left_out_only_when_there_is_one(fulcrum, tmp_path):
    two = """
entity rep { key name: text }
framework a { subject rep
  cadence quarter
  metric n: count = 1 }
framework b { subject rep
  cadence quarter
  metric n: count = 2 }
"""
    fw = fulcrum.compile_text(two, name=str(tmp_path / "two.fulcrum"))
    assert fw.frameworks == ["a", "b"]
    with pytest.raises(fulcrum.UsageError):
        fw.outputs()
    assert [c.name for c in fw.outputs("b")] == ["name", "n"]


def test_what_if_reuses_one_load(llr):
    data = llr.load()
    assert any(note.startswith("deals: 8800 rows") for note in data.notes)
    runs = {q: data.run(period="2017-Q3", params={"quota": q}) for q in (600_000, 1_200_000)}
    for quota, frame in runs.items():
        text = cli("run", LLR, "--framework", "llr", "--period", "2017-Q3", "--format", "csv",
                   "--param", f"quota={quota}").stdout
        assert_frame_equals_cli_csv(frame, llr.outputs(), text)
    # Twice the quota, half the attainment.
    for a, b in zip(runs[600_000]["attainment"], runs[1_200_000]["attainment"]):
        assert math.isclose(a, 2 * b)
    # The load is not spent: a run of another period after those.
    assert len(data.run(period="2017-Q2")) == 35


def test_introspection(llr):
    assert llr.frameworks == ["llr"]
    outputs = llr.outputs()
    header = cli("run", LLR, "--framework", "llr", "--period", "2017-Q3", "--format",
                 "csv").stdout.splitlines()[0]
    assert [c.name for c in outputs] == header.split(",")
    assert outputs[0].is_key and not outputs[1].is_key
    assert {c.name: c.type_name for c in outputs}["attainment"] == "percent"
    (quota,) = llr.params()
    assert (quota.name, quota.type, quota.default is not None) == ("quota", "money", True)
    tables = {t.name: t for t in llr.tables()}
    assert set(tables) == {"rep", "account", "deals", "ratings"}
    deals = {f.name: f for f in tables["deals"].fields}
    assert deals["id"].is_key and deals["value"].optional and deals["value"].type == "money"
    assert deals["owner"].type == "reference" and deals["owner"].type_name == "rep"
    assert tables["rep"].is_entity and not tables["deals"].is_entity
    assert tables["deals"].path.endswith("sales_pipeline.csv")


def test_checks_violated_are_listed(fulcrum):
    # Ann is above quota with a PIP outcome (the golden's comment says why); the CLI says so on
    # stderr: `check "no PIP above quota" violated for Ann: attainment = 115%, outcome = pip`.
    path = "tests/golden/run/explain_llr.fulcrum"
    frame = fulcrum.compile(path).run(period="2017-Q2")
    assert frame.attrs["violations"] == [{"check": "no PIP above quota", "subject": "Ann",
                                          "values": "attainment = 115%, outcome = pip"}]
    stderr = cli("run", path, "--framework", "llr", "--period", "2017-Q2").stderr
    assert 'check "no PIP above quota" violated for Ann: attainment = 115%, outcome = pip' \
        in stderr
    text = cli("run", path, "--framework", "llr", "--period", "2017-Q2", "--format", "csv").stdout
    assert_frame_equals_cli_csv(frame, fulcrum.compile(path).outputs(), text)


def test_threads_run_one_program_at_once(llr):
    from concurrent.futures import ThreadPoolExecutor
    data = llr.load()
    quotas = [100_000 * k for k in range(1, 9)]
    serial = [data.run(period="2017-Q3", params={"quota": q}, format="csv") for q in quotas]
    with ThreadPoolExecutor(4) as pool:
        parallel = list(pool.map(
            lambda q: data.run(period="2017-Q3", params={"quota": q}, format="csv"), quotas))
    assert parallel == serial


def test_alerts_equal_the_cli(fulcrum):
    lens = fulcrum.compile("examples/accounts/lens.fulcrum")
    frame = lens.alerts(as_of="2017-06-30")
    want = pd.read_csv("examples/accounts/expected_alerts.csv", keep_default_na=False)
    got = frame[list(want.columns)].fillna("")
    assert len(got) > 0
    assert got.values.tolist() == want.astype(str).values.tolist()
    assert frame["identity"].str.len().min() > 0


def test_test_blocks(fulcrum):
    passing = fulcrum.compile("tests/golden/test/passing.fulcrum").test()
    assert (passing.passed, passing.failed, passing.ok) == (3, 0, True)
    failing = fulcrum.compile("tests/golden/test/failures.fulcrum").test()
    assert (failing.passed, failing.failed, failing.ok) == (1, 2, False)
    want = cli("test", "tests/golden/test/failures.fulcrum", check=False).stdout
    assert failing.report == want
