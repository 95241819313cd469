"""pandas and numpy columns in: each column a table field reads, made into what the native module
builds an Arrow array from (a numpy array of the field's layout and a mask of the missing values).

Which layout is picked from the field's type (fulcrum.Framework.tables lists them):
- number, percent: float64, used without copying when the column already is float64; NaN is
  missing (pandas' convention).
- count: int64 (without copying when it already is); a float column must hold whole numbers.
- money: int64 units of 1/10,000 (copied): float dollars are rounded to the nearest unit, ints
  are whole dollars, `decimal.Decimal` values are exact.
- date: date32 (copied): datetime64 columns, or text in the ISO form `2017-06-30`.
- bool: booleans (copied into Arrow's bit-packed layout).
- text, period, duration, references: utf8 (copied); a non-text value is written with str().
A column missing from the frame is left out (the loader then says whether the field may be
missing); columns no field reads are ignored."""
import datetime
import decimal

import numpy as np
import pandas as pd

from .errors import UsageError


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
            raise UsageError(f"table `{table.name}`, column `{field.name}` "
                             f"({field.type_name}): {bad}", 64) from None
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
        values = series.fillna(False).to_numpy(dtype=bool).astype(np.uint8)
        return "bool", values, mask
    # text, bands, periods, durations, references: their text.
    mask = _missing(series)
    values = [None if missing else _text(value)
              for value, missing in zip(series.tolist(), series.isna().tolist())]
    return "utf8", values, mask


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
