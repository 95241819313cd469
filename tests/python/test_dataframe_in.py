"""DataFrames in: the Maven CSVs read with pandas (columns renamed to the tables' field names) give
the same run as the CSV paths, byte for byte; NaN and None are missing; the loader's rules hold."""
import gc
import os
import weakref

import numpy as np
import pandas as pd
import pytest

from conftest import LLR, MAVEN, assert_frame_equals_cli_csv, cli

DEALS = {"opportunity_id": "id", "sales_agent": "owner", "deal_stage": "stage",
         "engage_date": "engaged", "close_date": "closed", "close_value": "value"}
REPS = {"sales_agent": "name", "regional_office": "office"}


def maven_frames():
    deals = pd.read_csv(f"{MAVEN}/sales_pipeline.csv", parse_dates=["engage_date", "close_date"])
    reps = pd.read_csv(f"{MAVEN}/sales_teams.csv")
    return {"deals": deals.rename(columns=DEALS), "rep": reps.rename(columns=REPS)}


def test_dataframes_in_equal_csv_paths_in(llr):
    frames = maven_frames()
    # Open deals have no close date and no value: NaT and NaN, missing as in the CSV.
    assert frames["deals"]["value"].isna().any() and frames["deals"]["closed"].isna().any()
    for period in ("2017-Q2", "2017-Q3"):
        want = llr.run(period=period, format="csv")
        assert llr.run(period=period, data=frames, format="csv") == want
        text = cli("run", LLR, "--framework", "llr", "--period", period, "--format", "csv").stdout
        assert_frame_equals_cli_csv(llr.run(period=period, data=frames), llr.outputs(), text)


def test_dates_as_text_and_money_as_decimal_text(llr):
    deals = pd.read_csv(f"{MAVEN}/sales_pipeline.csv", dtype=str).rename(columns=DEALS)
    from decimal import Decimal
    deals["value"] = [None if pd.isna(v) else Decimal(v) for v in deals["value"]]
    assert llr.run(period="2017-Q3", data={"deals": deals}, format="csv") == \
        llr.run(period="2017-Q3", format="csv")


def test_float64_columns_are_held_not_copied_until_the_data_is_freed(llr):
    ratings = pd.read_csv("examples/llr/ratings.csv")
    leadership = ratings["leadership"].to_numpy(dtype=np.float64).copy()
    held = weakref.ref(leadership)
    data = llr.load(data={"ratings": {"rep": ratings["rep"], "quarter": ratings["quarter"],
                                      "leadership": leadership,
                                      "leverage": ratings["leverage"].astype(float)}})
    del leadership
    gc.collect()
    assert held() is not None  # the data holds the caller's array itself, not a copy of it
    frame = data.run(period="2017-Q3")
    assert frame.equals(llr.run(period="2017-Q3"))
    del data, frame
    gc.collect()
    assert held() is None  # the release callback dropped the reference


def test_nan_in_a_required_field_is_a_data_error_naming_the_row(fulcrum, llr):
    ratings = pd.read_csv("examples/llr/ratings.csv")
    ratings.loc[6, "leadership"] = np.nan
    with pytest.raises(fulcrum.DataError) as caught:
        llr.load(data={"ratings": ratings})
    text = str(caught.value)
    assert "ratings" in text and "7" in text  # the 7th row (1-based)


def test_unknown_reference_is_a_data_error(fulcrum, llr):
    frames = maven_frames()
    frames["deals"].loc[3, "owner"] = "Nobody Atall"
    with pytest.raises(fulcrum.DataError, match="Nobody Atall"):
        llr.load(data=frames)


def test_a_float64_column_of_10m_rows_is_bound_without_a_copy(fulcrum, tmp_path):
    """RSS growth of a load: float64 columns go in as they are, int64 ones for the same number
    fields are first converted (2 x 80 MB more): the difference is the copy the first avoids."""
    (tmp_path / "reps.csv").write_text("name\nAnn\n")
    (tmp_path / "deals.csv").write_text("owner,amount,more\nAnn,1,2\n")
    fw = fulcrum.compile_text("""
entity rep from "reps.csv" { key name: text }
table deals from "deals.csv" {
  owner: rep
  amount: number
  more: number
}
framework f {
  subject rep
  cadence quarter
  metric total = sum(deals.amount) + sum(deals.more)
}
""", name=str(tmp_path / "f.fulcrum"))
    rows = 10_000_000
    owners = ["Ann"] * rows

    def growth(amounts):
        page = os.sysconf("SC_PAGE_SIZE")
        resident = lambda: int(open("/proc/self/statm").read().split()[1]) * page  # noqa: E731
        gc.collect()
        before = resident()
        data = fw.load(data={"deals": {"owner": owners, "amount": amounts, "more": amounts}})
        grown = resident() - before
        assert data.run(period="2017-Q1")["total"].tolist() == [2.0 * rows]
        return grown

    as_is = growth(np.ones(rows))
    converted = growth(np.ones(rows, dtype=np.int64))
    assert converted - as_is > rows * 8, (as_is, converted)


TYPED = """
entity rep from "reps.csv" {
  key name: text
}
table tickets from "tickets.csv" {
  owner: rep
  wait: duration
  urgent: bool
}
framework t {
  subject rep
  cadence quarter
  metric long_waits: count = count(tickets where wait >= 14 days)
  metric short_waits: count = count(tickets where wait < 2 days)
  metric urgent: count = count(tickets where urgent)
}
"""


def typed(fulcrum, tmp_path):
    (tmp_path / "reps.csv").write_text("name\nAnn\nBo\n")
    (tmp_path / "tickets.csv").write_text(
        "owner,wait,urgent\nAnn,14 days,false\nAnn,2 weeks,TRUE\nBo,3,0\nBo,1.5,1\n")
    return fulcrum.compile_text(TYPED, name=str(tmp_path / "typed.fulcrum"))


def test_durations_and_bools_as_a_file_writes_them_equal_the_csv(fulcrum, tmp_path):
    """Durations as text (`14 days`, `2 weeks`), numbers or timedeltas, and bools as text in any
    case (`false` is false: Python's truthiness would make it true) give the CSV's run."""
    fw = typed(fulcrum, tmp_path)
    want = fw.run(period="2017-Q2", format="csv")
    owners = ["Ann", "Ann", "Bo", "Bo"]
    as_text = pd.DataFrame({"owner": owners, "wait": ["14 days", "2 weeks", "3", "1.5"],
                            "urgent": ["false", "TRUE", "0", "1"]})
    as_values = pd.DataFrame({"owner": owners, "wait": pd.to_timedelta([14, 14, 3, 1.5], unit="D"),
                              "urgent": [False, True, False, True]})
    as_numbers = pd.DataFrame({"owner": owners, "wait": [14.0, 14.0, 3.0, 1.5],
                               "urgent": [0, 1, 0, 1]})
    for frame in (as_text, as_values, as_numbers):
        assert fw.run(period="2017-Q2", data={"tickets": frame}, format="csv") == want
    # Ann: 14 days and 2 weeks, one urgent; Bo: 1.5 days is short, `1` is urgent.
    assert want.splitlines()[1:] == ["Ann,2,0,1", "Bo,0,1,1"], want


def test_a_cell_that_cannot_be_converted_is_a_data_error_naming_the_row(fulcrum, tmp_path):
    fw = typed(fulcrum, tmp_path)
    bad = pd.DataFrame({"owner": ["Ann", "Bo"], "wait": ["14 days", "3"],
                        "urgent": ["false", "maybe"]})
    with pytest.raises(fulcrum.DataError) as caught:
        fw.run(period="2017-Q2", data={"tickets": bad})
    assert caught.value.status == 2
    assert "urgent" in str(caught.value) and "row 2" in str(caught.value)
    assert "maybe" in str(caught.value)
