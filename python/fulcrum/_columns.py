"""pandas and numpy columns in: each column a table field reads, made into what the native module
builds an Arrow array from (a numpy array of the field's layout and a mask of the missing values).

Which layout is picked from the field's type (fulcrum.Framework.tables lists them):
- number, percent: float64, used without copying when the column already is float64 with no
  missing value; NaN is missing (pandas' convention).
- duration: float64 days: numbers, timedelta64 columns, or text as a file writes it (`14 days`,
  `2 weeks`, `14`).
- count: int64 (without copying when it already is); a float column must hold whole numbers.
- money: int64 units of 1/10,000 (copied): float dollars are rounded to the nearest unit, ints
  are whole dollars, `decimal.Decimal` values are exact.
- date: date32 (copied): datetime64 columns, or text in the ISO form `2017-06-30`.
- bool: booleans (copied into Arrow's bit-packed layout); text as a file writes it (`true`,
  `false`, `1`, `0`, any case), anything else refused.
- text, period, references: utf8 (copied); a non-text value is written with str().
A value that cannot be converted is a DataError (status 2, as the CLI's for the same cell) naming
the table, the column and the row.
A column missing from the frame is left out (the loader then says whether the field may be
missing); columns no field reads are ignored."""
import datetime
import decimal
import re

import numpy as np
import pandas as pd

from .errors import DataError, UsageError


def arrow_columns(table, frame):
    """(name, kind, values, missing) for each field of `table` (a Table) found in `frame`."""
    if isinstance(frame, dict):
        # Each column a Series over the caller's array (a DataFrame would copy them into blocks).
        frame = {name: pd.Series(values, copy=False) for name, values in frame.items()}
    elif not isinstance(frame, pd.DataFrame):
        raise UsageError(f"table `{table.name}`: expected a pandas DataFrame, a dict of columns "
                         f"or a CSV path, not {type(frame).__name__}", 64)
    columns = []
    for field in table.fields:
        if field.name not in frame:
            continue
        series = frame[field.name]
        try:
            columns.append((field.name,) + _column(field, series))
        except (ValueError, TypeError, OverflowError, decimal.InvalidOperation) as bad:
            raise DataError(f"table `{table.name}`, column `{field.name}` "
                            f"({field.type_name}): {bad}", 2) from None
    return columns


def _missing(series):
    mask = series.isna().to_numpy(dtype=bool)
    return mask if mask.any() else None


def _float64(series):
    if series.dtype == np.float64:
        values = series.to_numpy(copy=False)  # a view of the frame's block: no copy
    else:
        values = pd.to_numeric(series).to_numpy(dtype=np.float64, na_value=np.nan)
    return np.ascontiguousarray(values)


def _column(field, series):
    kind = field.type
    if kind == "duration":
        return ("float64",) + _duration_days(series)
    if kind in ("number", "percent"):
        values = _float64(series)
        mask = np.isnan(values)
        return "float64", values, (mask if mask.any() else None)
    if kind == "count":
        if series.dtype == np.int64:
            return "int64", np.ascontiguousarray(series.to_numpy(copy=False)), None
        mask = _missing(series)
        numbers = _float64(series)
        present = numbers[~np.isnan(numbers)]
        if (present != np.floor(present)).any():
            raise ValueError("a count must be a whole number")
        return "int64", np.where(np.isnan(numbers), 0, numbers).astype(np.int64), mask
    if kind == "money":
        return ("int64",) + _money_units(series)
    if kind == "date":
        mask = _missing(series)
        if not pd.api.types.is_datetime64_any_dtype(series.dtype):
            series = pd.to_datetime(series, format="%Y-%m-%d")
        days = series.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
        return "date32", np.where(series.isna().to_numpy(), 0, days).astype(np.int32), mask
    if kind == "bool":
        mask = _missing(series)
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            values = np.array([False if missing else _bool_text(value, row)
                               for row, (value, missing)
                               in enumerate(zip(series.tolist(), series.isna().tolist()))],
                              dtype=np.uint8)
        else:  # bool, boolean, or numbers (0 and 1)
            numbers = _float64(series)
            present = numbers[~np.isnan(numbers)]
            if ((present != 0) & (present != 1)).any():
                raise ValueError("a bool must be true, false, 1 or 0")
            values = np.where(np.isnan(numbers), 0, numbers).astype(np.uint8)
        return "bool", values, mask
    # text, bands, periods, references: their text.
    mask = _missing(series)
    values = [None if missing else _text(value)
              for value, missing in zip(series.tolist(), series.isna().tolist())]
    return "utf8", values, mask


def _bool_text(value, row):
    """The loader's rule for a bool cell (runtime/data/Cells.cpp): Python's truthiness would make
    "false" and "0" true."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(f"row {row + 1}: expected true, false, 1 or 0, found `{value}`")


_DURATION = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(days?|weeks?)?\s*$")


def _duration_days(series):
    """Float64 days, as the loader reads a duration cell (`14`, `14 days`, `2 weeks`)."""
    mask = _missing(series)
    if pd.api.types.is_timedelta64_dtype(series.dtype):
        days = series.dt.total_seconds().to_numpy(dtype=np.float64) / 86400.0
    elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        days = np.full(len(series), np.nan)
        for row, (value, missing) in enumerate(zip(series.tolist(), series.isna().tolist())):
            if missing:
                continue
            match = _DURATION.match(str(value))
            if not match:
                raise ValueError(f"row {row + 1}: expected a duration (like 14, 14 days or "
                                 f"2 weeks), found `{value}`")
            unit = match.group(2) or "days"
            days[row] = float(match.group(1)) * (7 if unit.startswith("week") else 1)
    else:
        days = _float64(series)
    return np.ascontiguousarray(days), mask


def _text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, (datetime.date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _money_units(series):
    mask = _missing(series)
    if series.dtype == np.int64:
        return series.to_numpy() * 10_000, mask
    if series.dtype == object:
        units = [0 if missing else int(decimal.Decimal(str(value)).scaleb(4).to_integral_value(
                     rounding=decimal.ROUND_HALF_UP))
                 for value, missing in zip(series.tolist(), series.isna().tolist())]
        return np.array(units, dtype=np.int64), mask
    dollars = _float64(series)
    units = np.where(np.isnan(dollars), 0, np.rint(dollars * 10_000))
    if (np.abs(units) > 2**62).any():
        raise ValueError("an amount too large for money")
    return units.astype(np.int64), mask
