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
