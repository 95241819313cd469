"""A framework run on a Dask cluster (docs/scaling.md), with the result `fulcrum run` gives on one
machine, byte for byte.

    python3 -m fulcrum.dask run FILE --framework NAME --period P --scheduler ADDR \\
        --data deals='parts/deals-*.csv' --data activities='parts/activities-*.csv'

or, from Python, `fulcrum.dask.run(FILE, "llr", period="2018-Q3", data={...}, client=client)`.

Each table given with `data` is partitioned: each file its glob matches, each file or
PostgreSQL URI (`postgresql:///crm?table=deals_1`) of a list, is one partition. A subject's rows
may be spread over partitions (a team's across files cut by rep). Entity tables given with `data`
are one source, read whole by every task, as are the tables left out (their `from` files). Every
process must see the files at the same paths (a shared file system or the same copy on every
machine), and reach the database.

Stage 1 is a Dask task per partition: the worker compiles the framework (once per process and
digest of the source files the client compiled, so an edited import is compiled again; the JIT's
object cache makes it cheap), loads the entity tables and its partition, runs the scans and
returns every subject's mergeable aggregate states over that partition (the C API's
fulcrum_scan_partial, JSON text). Stage 2, one more task fed the partials by Dask, loads the
entity tables, merges each subject's states from every partition in place of the partitioned
tables' scans and runs the formula stages, peer steps (`across`), ranks and medians over all
subjects (fulcrum_run_from_partials). Scheduling, retries
(`retries`, default 2) and moving the partials are Dask's.
"""
import argparse
import atexit
import collections
import glob
import os
import sys
import tempfile
import threading

import fulcrum
from .errors import DataError, Error, UsageError

__all__ = ["run", "plan", "partitions", "scan_partition", "combine", "Report", "Violation"]

FORMATS = ("csv", "json", "table")
POSTGRES_SCHEMES = ("postgresql:", "postgres:")

# `fulcrum run`'s exit status when a check is violated under --strict (cli/RunCommand.cpp).
EXIT_CHECK_VIOLATED = 3
# The command's own: the scheduler cannot be reached (sysexits' EX_UNAVAILABLE), or the cluster
# failed the run (a task failed past its retries, a worker lost too often: EX_SOFTWARE).
EXIT_UNAVAILABLE = 69
EXIT_CLUSTER_FAILED = 70


class Violation(collections.namedtuple("Violation", "check subject values")):
    """A check violated for a subject."""
    __slots__ = ()

    def __str__(self):
        check, subject, values = self
        return f'check "{check}" violated for {subject}: {values}'


class Report(str):
    """A run's text (what `fulcrum run --format` prints), with `violations` and `notes`: what
    `fulcrum run` prints to stderr about the run."""

    def __new__(cls, text, violations=(), notes=()):
        made = super().__new__(cls, text)
        made.violations = list(violations)
        made.notes = list(notes)
        return made

# A test hook (tests/python/test_dask.py): the first partition task that sees this variable set
# creates the file it names and fails (`PATH`: raises; `exit:PATH`: its worker process dies, a
# worker lost mid-run); Dask then runs it again.
FAIL_ONCE = "FULCRUM_DASK_FAIL_ONCE"


def _client_module():
    try:
        import distributed
    except ImportError as missing:
        raise UsageError("fulcrum.dask needs Dask's `distributed` package (Debian's "
                         f"python3-distributed; `make deps` installs it): {missing}", 64) from None
    return distributed


def _is_database(source):
    return isinstance(source, str) and source.startswith(POSTGRES_SCHEMES)


def _sources(table, source):
    """A table's partitions from `source`: a glob (sorted), a PostgreSQL URI (one partition), or
    a list of files and URIs (as given)."""
    if isinstance(source, (str, os.PathLike)):
        pattern = os.fspath(source)
        if _is_database(pattern):
            return [pattern]
        files = sorted(glob.glob(pattern))
        if not files:
            raise UsageError(f"--data {table}='{pattern}' matches no file", 64)
        return [os.path.abspath(f) for f in files]
    sources = [os.fspath(f) for f in source]
    if not sources:
        raise UsageError(f"--data {table}: no files given", 64)
    for f in sources:
        if not _is_database(f) and not os.path.isfile(f):
            raise UsageError(f"--data {table}: no file `{f}`", 64)
    return [f if _is_database(f) else os.path.abspath(f) for f in sources]


def partitions(framework, name, data):
    """The run's tables split in two: `whole` (table -> one source, read whole by every task) and
    `parts` (table -> its partitions: CSV files, a glob's sorted, and PostgreSQL tables or
    queries, `postgresql://...?table=...`, each URI one partition). Raises UsageError for an
    unknown table, a glob that matches no file, or an entity table given more than one source."""
    tables = {t.name: t for t in framework.tables(name)}
    whole, parts = {}, {}
    for table, source in (data or {}).items():
        if table not in tables:
            raise UsageError(f"--data {table}=...: framework `{name}` reads no table `{table}`; "
                             f"it reads {', '.join(sorted(tables))}", 64)
        files = _sources(table, source)
        if len(set(files)) != len(files):
            raise UsageError(f"--data {table}: a partition is given twice", 64)
        if tables[table].is_entity:
            if len(files) != 1:
                raise UsageError(
                    f"--data {table}: `{table}` is an entity, read whole by every task (it fixes "
                    f"the subjects and what references name); give one file, not {len(files)}",
                    64)
            whole[table] = files[0]
        else:
            parts[table] = files
    if not parts:
        raise UsageError("a Dask run needs at least one partitioned table: --data TABLE='GLOB' "
                         "for a table the framework aggregates over", 64)
    return whole, parts


def _header(table, files):
    """A partitioned table's header line (every partition of a table has the same columns), or
    None when a partition is a database table (an empty table is then given as empty columns).
    A file without one is the loader's data error for an empty file, naming it, before any task
    runs."""
    header = None
    if any(_is_database(f) for f in files):
        return None
    for path in files:
        with open(path, "rb") as f:
            line = f.readline()
        if not line.strip():
            size = os.path.getsize(path)
            raise DataError(f"{path}: error: the file of {table} is empty ({size} bytes): a "
                            "partition has at least its header line", 2)
        header = header or line
    return header


# Per worker process: compiled programs and the header-only files of empty tables.
_PROGRAMS = {}
_EMPTY = {}
_LOCK = threading.Lock()


def _program(path, engine, import_paths, digest):
    """The program the client compiled: kept per process by the digest of every source file the
    client's compile read (an edited import is a new digest, so a long-lived worker compiles
    again). A worker that reads other text than the client did is a usage error."""
    key = (os.path.abspath(path), digest, engine, tuple(import_paths))
    with _LOCK:
        if key not in _PROGRAMS:
            program = fulcrum.compile(path, import_paths=import_paths, engine=engine)
            if program.source_digest != digest:
                raise UsageError(
                    f"the worker compiled other source text than the client for `{path}` (an "
                    "import or the standard library differs, or a file changed during the run): "
                    "every process must see the same files", 64)
            _PROGRAMS[key] = program
        return _PROGRAMS[key]


def _empty_table(header):
    """A CSV file with `header` and no rows: a partitioned table as a task other than its
    partitions' reads it."""
    with _LOCK:
        if header not in _EMPTY:
            fd, path = tempfile.mkstemp(prefix="fulcrum-dask-empty-", suffix=".csv")
            with os.fdopen(fd, "wb") as f:
                f.write(header)
            if not _EMPTY:
                atexit.register(_remove_empty_tables)
            _EMPTY[header] = path
        return _EMPTY[header]


def _remove_empty_tables():
    with _LOCK:
        for path in _EMPTY.values():
            try:
                os.remove(path)
            except OSError:
                pass
        _EMPTY.clear()


def _load(job, table=None, partition=None):
    """The task's load: the whole tables, partition `partition` of `table`, the other
    partitioned tables empty."""
    program = _program(job["path"], job["engine"], job["import_paths"], job["digest"])
    data = fulcrum.Data(program, job["framework"])
    for name, path in job["whole"].items():
        data._bind(name, path)
    for name, header in job["headers"].items():
        if name == table:
            data._bind(name, partition)
        elif header is not None:
            data._bind(name, _empty_table(header))
        else:  # a table with database partitions: no header line to copy, no rows
            data._bind(name, {field.name: [] for field in _fields(program, job, name)})
    data._data.load(1, 0, False)
    return data


def _fields(program, job, table):
    return next(t.fields for t in program.tables(job["framework"]) if t.name == table)


def _request(job):
    return job["period"], job["as_of"], job["params"]


def scan_partition(job, table, partition):
    """Stage 1 (a Dask task): the partial of one partition (a file or a PostgreSQL URI) of
    `table`."""
    marker = os.environ.get(FAIL_ONCE)
    if marker:
        die = marker.startswith("exit:")
        marker = marker[len("exit:"):] if die else marker
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            pass
        else:
            if die:
                os._exit(70)
            raise RuntimeError(f"{FAIL_ONCE}: this task fails once ({table}: {partition})")
    data = _load(job, table, partition)
    period, as_of, params = _request(job)
    return data._data.scan_partial(table, partition, period, as_of, params)


def combine(job, *partials):
    """Stage 2 (a Dask task): the result from every partial, as a DataFrame, or with
    `job["format"]` a `Report`: the text `fulcrum run --format` prints and what it prints to
    stderr about the run (checks' violations, clamped score components)."""
    data = _load(job)
    period, as_of, params = _request(job)
    result = data._data.run_from_partials(list(partials), period, as_of, params)
    if job["format"]:
        # The stage's own load summaries and data warnings (of its empty partitioned tables)
        # describe no user file: only the run's notes are the run's.
        loaded = set(data._data.notes())
        return Report(result.format(job["format"]),
                      [Violation(*v) for v in result.violations()],
                      [n for n in result.notes() if n not in loaded])
    return fulcrum._frame(result)


def plan(path, framework=None, period=None, *, as_of=None, params=None, data=None, format=None,
         engine="jit", import_paths=()):  # noqa: A002
    """What every task of a run is given (`job`: the file, framework, engine, whole tables,
    partitioned tables' headers, period, params, format) and the partitions (table -> files).
    scan_partition(job, table, file) is stage 1's task and combine(job, *partials) stage 2's."""
    path = os.path.abspath(os.fspath(path))
    import_paths = [os.path.abspath(p) for p in fulcrum._paths(import_paths)]
    local = fulcrum.compile(path, import_paths=import_paths, engine=engine)
    whole, parts = partitions(local, framework, data)
    job = {
        "path": path, "framework": framework, "engine": engine, "import_paths": import_paths,
        "digest": local.source_digest,
        "whole": whole, "headers": {table: _header(table, files) for table, files in parts.items()},
        "period": period, "as_of": fulcrum._date_text(as_of),
        "params": fulcrum._param_texts(params), "format": format,
    }
    return job, parts


def run(path, framework=None, period=None, *, as_of=None, params=None, data=None,
        scheduler=None, client=None, format=None, engine="jit", import_paths=(),
        retries=2):  # noqa: A002
    """Runs `framework` of `path` on a Dask cluster: the scheduler at `scheduler`
    (`tcp://host:8786`) or the `distributed.Client` `client`. `data` maps tables to a glob or a
    list of files (see the module's docstring). Returns what `Framework.run` returns: a DataFrame
    (violations and notes in its `attrs`), or with `format` ("csv", "json", "table") the text
    `fulcrum run --format` prints, a `Report`: a str with `.violations` and `.notes`."""
    distributed = _client_module()
    if format is not None and format not in FORMATS:
        raise UsageError(f"unknown format `{format}`: expected csv, json or table", 64)
    if period is None and as_of is None:
        raise UsageError("a period or an as-of date is required", 64)
    if (scheduler is None) == (client is None):
        raise UsageError("give a scheduler address or a client (one of them)", 64)
    job, parts = plan(path, framework, period, as_of=as_of, params=params, data=data,
                      format=format, engine=engine, import_paths=import_paths)
    own = client is None
    if own:
        client = distributed.Client(scheduler)
    try:
        scanned = [client.submit(scan_partition, job, table, f, retries=retries, pure=False,
                                 key=f"fulcrum-scan-{table}-{i}-{os.urandom(4).hex()}")
                   for table, files in parts.items() for i, f in enumerate(files)]
        result = client.submit(combine, job, *scanned, retries=retries, pure=False)
        return result.result()
    finally:
        if own:
            client.close()


def _key_value(text, flag):
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise UsageError(f"{flag} {text}: expected NAME=VALUE", 64)
    return name, value


def _data_args(texts):
    """--data TABLE=SOURCE, repeated: a table given more than once is partitioned into those
    sources (`--data deals=postgresql:///crm?table=deals_1 --data deals=...`)."""
    given = {}
    for text in texts:
        table, source = _key_value(text, "--data")
        given.setdefault(table, []).append(source)
    return {table: sources[0] if len(sources) == 1 else sources
            for table, sources in given.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m fulcrum.dask",
                                     description="Runs a framework on a Dask cluster.")
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("run", help="run a framework over partitioned CSV files or "
                                          "database tables")
    one.add_argument("file")
    one.add_argument("--framework")
    one.add_argument("--period")
    one.add_argument("--as-of")
    one.add_argument("--scheduler", required=True, help="the Dask scheduler, tcp://HOST:PORT")
    one.add_argument("--data", action="append", default=[], metavar="TABLE=SOURCE",
                     help="a table's file, glob or PostgreSQL URI; repeated for a table, its "
                          "partitions")
    one.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    one.add_argument("--format", choices=FORMATS, default="csv")
    one.add_argument("--engine", choices=sorted(fulcrum.ENGINES), default="jit")
    one.add_argument("--lib", action="append", default=[], help="import path")
    one.add_argument("--retries", type=int, default=2)
    one.add_argument("--strict", action="store_true",
                     help=f"exit {EXIT_CHECK_VIOLATED} when a check is violated, as fulcrum run")
    args = parser.parse_args(argv)
    try:
        text = run(args.file, args.framework, args.period, as_of=args.as_of,
                   params=dict(_key_value(p, "--param") for p in args.param),
                   data=_data_args(args.data),
                   scheduler=args.scheduler, format=args.format, engine=args.engine,
                   import_paths=args.lib, retries=args.retries)
    except Error as error:
        print(f"error: {error}", file=sys.stderr)
        return error.status
    except (OSError, TimeoutError) as error:  # the client could not connect (or lost the cluster)
        print(f"error: cannot reach the Dask scheduler {args.scheduler}: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except Exception as error:  # noqa: BLE001 - the cluster's (a worker lost too often, ...)
        print(f"error: the distributed run failed: {type(error).__name__}: {error}",
              file=sys.stderr)
        return EXIT_CLUSTER_FAILED
    sys.stdout.write(text)
    sys.stdout.flush()
    for note in text.notes:
        print(note, file=sys.stderr)
    for violation in text.violations:
        print(violation, file=sys.stderr)
    return EXIT_CHECK_VIOLATED if args.strict and text.violations else 0


if __name__ == "__main__":
    # Through the package's own module, so that the tasks Dask ships name `fulcrum.dask`'s
    # functions (which every worker imports) and not this script's.
    from fulcrum.dask import main as package_main
    sys.exit(package_main())
