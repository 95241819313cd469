"""Errors come out as fulcrum.CompileError / DataError / UsageError carrying the diagnostics with
file, line and column, and their status is the exit status the CLI gives the same mistake."""
import re

import pytest

from conftest import LLR, MAVEN, cli

MISSPELT = """entity rep from "reps.csv" {
  key name: text
}

framework f {
  subject rep
  cadence quarter
  metric n: count = cuont(rep)
}
"""


def where(stderr):
    """(file, line, column, kind) of each `file:line:col: error: ...` line the CLI wrote; kind
    from its `[Kind]` ending, None without one (data errors)."""
    return [(m[1], int(m[2]), int(m[3]), m[5]) for m in
            re.finditer(r"^(.+?):(\d+):(\d+): error: .*?( \[(\w+)\])?$", stderr, re.M)]


def test_compile_error_carries_the_diagnostics(fulcrum, tmp_path):
    path = tmp_path / "misspelt.fulcrum"
    path.write_text(MISSPELT)
    with pytest.raises(fulcrum.CompileError) as caught:
        fulcrum.compile_text(MISSPELT, name=str(path))
    error = caught.value
    done = cli("check", str(path), check=False)
    assert error.status == done.returncode == 1
    (d,) = error.diagnostics
    assert [(d.file, d.line, d.column, d.kind)] == where(done.stdout + done.stderr)
    assert (d.line, d.column, d.kind, d.severity) == (8, 21, "UnknownFunction", "error")
    assert "cuont" in d.message and "count" in d.hint
    # The message is the whole report, source line and caret included, as the CLI prints it.
    assert "metric n: count = cuont(rep)" in str(error) and "^~~~~" in str(error)


def test_compile_file_error_names_the_file(fulcrum, tmp_path):
    path = tmp_path / "misspelt.fulcrum"
    path.write_text(MISSPELT)
    with pytest.raises(fulcrum.CompileError) as caught:
        fulcrum.compile(path)
    assert caught.value.diagnostics[0].file == str(path)
    assert caught.value.diagnostics[0].line == 8


def test_unreadable_file(fulcrum, tmp_path):
    missing = str(tmp_path / "nowhere.fulcrum")
    with pytest.raises(fulcrum.Error) as caught:
        fulcrum.compile(missing)
    assert caught.value.status == cli("check", missing, check=False).returncode
    assert caught.value.diagnostics[0].kind == "FileNotReadable"


def test_bad_cell_is_a_data_error_naming_table_row_and_value(fulcrum, llr, tmp_path):
    lines = open(f"{MAVEN}/sales_pipeline.csv").read().splitlines()[:5]
    lines[3] = lines[3].rsplit(",", 1)[0] + ",12x4"
    deals = tmp_path / "deals.csv"
    deals.write_text("\n".join(lines) + "\n")
    with pytest.raises(fulcrum.DataError) as caught:
        llr.run(period="2017-Q3", data={"deals": str(deals)})
    done = cli("run", LLR, "--framework", "llr", "--period", "2017-Q3", "--data",
               f"deals={deals}", check=False)
    assert caught.value.status == done.returncode == 2
    (d,) = [d for d in caught.value.diagnostics if d.severity == "error"]
    assert [(d.file, d.line, d.column)] == [w[:3] for w in where(done.stderr)]
    assert (d.line, d.value, d.table) == (4, "12x4", "deals")
    assert "expected an amount of money" in d.message


@pytest.mark.parametrize("arguments, cli_arguments", [
    ({"period": "2017-Q9"}, ["--period", "2017-Q9"]),
    ({"period": "2017-Q3", "params": {"nope": 1}}, ["--period", "2017-Q3", "--param", "nope=1"]),
])
def test_usage_errors(fulcrum, llr, arguments, cli_arguments):
    with pytest.raises(fulcrum.UsageError) as caught:
        llr.run(**arguments)
    done = cli("run", LLR, "--framework", "llr", *cli_arguments, check=False)
    assert caught.value.status == done.returncode == 64
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) in done.stderr  # the same words (the CLI quotes its flag)


def test_unknown_framework_names_the_ones_there_are(fulcrum, llr):
    # The CLI exits 1 here; the C API calls an unknown name a usage error (64).
    with pytest.raises(fulcrum.UsageError) as caught:
        llr.run("nope", "2017-Q3")
    assert caught.value.status == 64
    assert "`nope`" in str(caught.value)


def test_unknown_table_and_engine(fulcrum, llr):
    with pytest.raises(fulcrum.UsageError, match="unknown table `deal`"):
        llr.run(period="2017-Q3", data={"deal": {"id": ["x"]}})
    with pytest.raises(fulcrum.UsageError, match="engine"):
        fulcrum.compile(LLR, engine="fast")
    with pytest.raises(fulcrum.UsageError):
        llr.run(period="2017-Q3", format="xml")
