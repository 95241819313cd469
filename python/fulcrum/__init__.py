"""Fulcrum for Python: compile a framework, run it over CSV files or pandas DataFrames, get a
DataFrame back.

    import fulcrum
    fw = fulcrum.compile("examples/llr/llr.fulcrum")
    df = fw.run(period="2017-Q3", params={"quota": 600_000})
    data = fw.load()                       # a what-if: one load, many runs
    for quota in (600_000, 900_000):
        print(data.run(period="2017-Q3", params={"quota": quota}))

A result is a DataFrame: the subject key column, then the outputs in `fulcrum run`'s order.
Numbers and percents (as fractions: 40% is 0.4) are float64; money is float64 dollars (the exact
amount is a whole number of 1/10,000 units, which float64 holds exactly up to $900 billion;
`fw.run(..., format="csv")` gives the exact text); counts are pandas' nullable Int64; bools its
nullable boolean; dates datetime64; text, bands, periods and references str. A missing value is
pandas' missing marker for the column's dtype (NaN, <NA>, NaT or None): `df.isna()` finds them.
Checks violated are listed in `df.attrs["violations"]`, the run's notes in `df.attrs["notes"]`.

Errors are fulcrum.CompileError (with `.diagnostics`), DataError, UsageError (a ValueError) and
CancelledError, all fulcrum.Error."""
import datetime
import decimal
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _fulcrum
from ._columns import arrow_columns
from .errors import CancelledError, CompileError, DataError, Diagnostic, Error, UsageError

__all__ = ["compile", "compile_text", "Framework", "Data", "Column", "Param", "Table",
           "TestReport", "Diagnostic", "Error", "CompileError", "DataError", "UsageError",
           "CancelledError"]

__version__ = _fulcrum.VERSION
API_VERSION = _fulcrum.API_VERSION

ENGINES = {"jit": "jit", "interpreter": "interpreter", "interp": "interpreter"}


@dataclass(frozen=True)
class Column:
    """An output of a framework or a field of a table."""
    name: str
    type_name: str  # as the language writes it: `money`, `percent`, `rep`
    type: str  # number, count, money, percent, bool, text, date, period, duration, reference
    optional: bool
    is_key: bool


@dataclass(frozen=True)
class Param:
    name: str
    type_name: str
    type: str
    default: str  # as `--param` would write it; None when there is none


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # its `from` file, resolved; "" when it has none
    is_entity: bool
    fields: list


@dataclass(frozen=True)
class TestReport:
    passed: int
    failed: int
    report: str  # what `fulcrum test` prints

    __test__ = False  # not a pytest test class

    @property
    def ok(self):
        return self.failed == 0

    def __str__(self):
        return self.report


def compile(path, *, import_paths=(), engine="jit"):  # noqa: A001 (the package's verb)
    """Compiles a .fulcrum file and its imports. `import_paths` are searched for `import "NAME"`
    after the file's folder (the CLI's --lib); `engine` is "jit" or "interpreter". Raises
    CompileError with the diagnostics."""
    return Framework(_fulcrum.Program.compile_file(os.fspath(path), _paths(import_paths),
                                                  _engine(engine)))


def compile_text(text, *, name="<text>.fulcrum", import_paths=(), engine="jit"):
    """Compiles source text; `name` is the file name diagnostics show and the folder its imports
    and `from` files resolve against (it need not exist)."""
    return Framework(_fulcrum.Program.compile_text(os.fspath(name), text, _paths(import_paths),
                                                  _engine(engine)))


class Framework:
    """A compiled program: immutable, and may be run from several threads at once."""

    def __init__(self, program):
        self._program = program

    @property
    def frameworks(self):
        """The names of the frameworks the file declares."""
        return list(self._program.frameworks())

    @property
    def warnings(self):
        return [Diagnostic(**d) for d in self._program.warnings()]

    @property
    def source_digest(self):
        """The SHA-256 (hex) of every source file it was compiled from, imports and standard
        library files included: the same digest, the same text."""
        return self._program.source_digest()

    def outputs(self, framework=None):
        """The result's columns: the subject key, then the outputs."""
        return [Column(**c) for c in self._program.outputs(framework)]

    def params(self, framework=None):
        return [Param(**p) for p in self._program.params(framework)]

    def tables(self, framework=None):
        """The tables the framework reads (and the entities they refer to), with their fields."""
        return [Table(t["name"], t["path"], t["is_entity"], [Column(**f) for f in t["fields"]])
                for t in self._program.tables(framework)]

    def load(self, framework=None, *, data=None, threads=0, memory_limit=0,
             skip_bad_rows=False):
        """Loads the framework's tables once, for any number of runs (a what-if). `data` maps a
        table to a CSV path or to a DataFrame (or a dict of columns) whose column names are the
        table's field names; tables left out are read from their `from` files."""
        loaded = Data(self, framework)
        for table, source in (data or {}).items():
            loaded._bind(table, source)
        loaded._data.load(int(threads), int(memory_limit), bool(skip_bad_rows))
        return loaded

    def run(self, framework=None, period=None, *, as_of=None, data=None, params=None,
            format=None, threads=0, memory_limit=0, skip_bad_rows=False):  # noqa: A002
        """Loads and runs once: a DataFrame (see the package's docstring), or with `format`
        ("csv", "json", "table") the text `fulcrum run --format` prints, byte for byte."""
        loaded = self.load(framework, data=data, threads=threads, memory_limit=memory_limit,
                           skip_bad_rows=skip_bad_rows)
        return loaded.run(period=period, as_of=as_of, params=params, format=format)

    def alerts(self, framework=None, *, as_of=None, period=None, data=None, params=None):
        """The alert feed (`fulcrum alerts`): a DataFrame with subject, alert, title, date,
        message, priority and identity. Without `as_of` or `period` it runs as of today."""
        return self.load(framework, data=data).alerts(as_of=as_of, period=period, params=params)

    def test(self):
        """Runs the file's `test` blocks on both engines, as `fulcrum test` does. Failed tests
        are results (TestReport.failed), not exceptions."""
        passed, failed, report = self._program.test()
        return TestReport(passed, failed, report)


class Data:
    """A framework's tables, loaded: immutable, and reused by runs with other periods and
    params (`Framework.load`)."""

    def __init__(self, framework, name):
        self._framework = framework
        self._name = name
        self._data = _fulcrum.Data(framework._program, name)

    def _bind(self, table, source):
        if isinstance(source, (str, os.PathLike)):
            self._data.bind_csv(table, os.fspath(source))
            return
        tables = {t.name: t for t in self._framework.tables(self._name)}
        if table not in tables:
            raise UsageError(f"unknown table `{table}`: the framework reads "
                             f"{', '.join(sorted(tables))}", 64)
        self._data.bind_columns(table, arrow_columns(tables[table], source))

    @property
    def notes(self):
        """Load summaries and warnings (`deals: 8800 rows, 8800 loaded, 0 rejected`)."""
        return list(self._data.notes())

    def run(self, period=None, *, as_of=None, params=None, format=None):  # noqa: A002
        result = self._data.run(period, _date_text(as_of), _param_texts(params), False, 0)
        if format is not None:
            return result.format(format)
        return _frame(result)

    def alerts(self, *, as_of=None, period=None, params=None):
        if as_of is None and period is None:
            as_of = datetime.date.today()
        result = self._data.run(period, _date_text(as_of), _param_texts(params), True, 0)
        columns = ["subject", "alert", "title", "date", "message", "priority", "identity"]
        return pd.DataFrame(result.alerts(), columns=columns)


def _frame(result):
    frame = pd.DataFrame({info["name"]: _series(result, index, info)
                          for index, info in enumerate(result.columns())})
    frame.attrs["violations"] = [dict(zip(("check", "subject", "values"), v))
                                 for v in result.violations()]
    frame.attrs["notes"] = list(result.notes())
    return frame


def _series(result, index, info):
    values, missing = result.column(index)
    kind = info["type"]
    if kind in ("number", "percent"):
        return values
    if kind == "money":
        dollars = values / 10_000.0  # one correctly rounded division: the nearest double
        dollars[missing] = np.nan
        return dollars
    if kind == "count":
        return pd.arrays.IntegerArray(values, missing)
    if kind == "bool":
        return pd.arrays.BooleanArray(values.astype(bool), missing)
    if kind == "date":
        dates = values.astype("datetime64[D]").astype("datetime64[ns]")
        dates[missing] = np.datetime64("NaT")
        return dates
    return pd.array(values, dtype=object)


def _paths(paths):
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return [os.fspath(p) for p in paths]


def _engine(engine):
    if engine not in ENGINES:
        raise UsageError(f"unknown engine `{engine}`: expected `jit` or `interpreter`", 64)
    return ENGINES[engine]


def _date_text(value):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (datetime.date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    raise UsageError(f"expected a date, not {value!r}", 64)


def _param_texts(params):
    """Each param's value as `--param name=value` writes it."""
    texts = []
    for name, value in (params or {}).items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        elif isinstance(value, (datetime.date, pd.Timestamp)):
            text = value.strftime("%Y-%m-%d")
        elif isinstance(value, (int, float, decimal.Decimal, str)):
            text = str(value)
        else:
            raise UsageError(f"param `{name}`: expected a number, text or date, not "
                             f"{type(value).__name__}", 64)
        texts.append((name, text))
    return texts
