"""fulcrum.dask over database partitions: a table's partitions are PostgreSQL tables
(`--data deals=postgresql:///crm?table=deals_0 --data deals=...`), each read by its task through
the PostgreSQL loader. A throwaway PostgreSQL 15 server (tests/postgres/pg_server.py: initdb in a
temporary directory, a Unix socket, stopped and removed at the end) holds fulcrum-gen's deals
split by owner into three tables; a LocalCluster of 2 worker processes runs a team framework (a
team's deals are in every table) and a rep framework from them, byte for byte what `fulcrum run`
prints from the CSV files, in either order of the partitions, from Python and from the command.

Fails when PostgreSQL 15 or Dask's `distributed` is not installed (`make deps` installs both);
with FULCRUM_ALLOW_SKIP=1 it skips instead."""
import csv
import os
import subprocess
import sys

import pytest

from conftest import CLI, ROOT, cli, local_dask_client

sys.path.insert(0, os.path.join(ROOT, "tests", "postgres"))
import pg_server  # noqa: E402

ALLOW_SKIP = os.environ.get("FULCRUM_ALLOW_SKIP") == "1"
_missing = [p for p in ("initdb", "postgres", "psql", "pg_isready") if not pg_server.program(p)]
if _missing:  # pragma: no cover - depends on the machine
    why = (f"PostgreSQL 15 is not installed ({', '.join(_missing)} missing from "
           f"{pg_server.PG_BIN}); `make deps` installs postgresql-15")
    if ALLOW_SKIP:
        pytest.skip(why + " (FULCRUM_ALLOW_SKIP=1)", allow_module_level=True)
    raise ImportError(why + " (FULCRUM_ALLOW_SKIP=1 skips this test instead)")
try:
    import distributed
except ImportError:  # pragma: no cover - depends on the machine
    if ALLOW_SKIP:
        pytest.skip("Dask's distributed is not installed (FULCRUM_ALLOW_SKIP=1)",
                    allow_module_level=True)
    raise ImportError("Dask's `distributed` is not installed: `make deps` installs "
                      "python3-distributed (FULCRUM_ALLOW_SKIP=1 skips this test instead)")

import fulcrum  # noqa: E402
import fulcrum.dask as fdask  # noqa: E402

GEN = os.path.join(os.path.dirname(CLI), "fulcrum-gen")
MERGED = "tests/python/frameworks/dask_merged.fulcrum"
PARTS = 3
DEALS_COLUMNS = ("deal_id text, owner text, account text, product text, stage text, "
                 "engaged date, closed date, value numeric")


def uri(table):
    return f"postgresql:///crm?table={table}"


def split_by_owner(source, folder):
    """deals.csv split by owner into PARTS files (owners dealt round-robin in order of first
    appearance, each owner's rows in file order)."""
    with open(source, newline="") as f:
        lines = f.read().splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    place = {}
    paths = [os.path.join(folder, f"deals-{i}.csv") for i in range(PARTS)]
    parts = [[header] for _ in paths]
    for row in rows:
        owner = row.split(",")[1]
        parts[place.setdefault(owner, len(place) % PARTS)].append(row)
    for path, part in zip(paths, parts):
        with open(path, "w") as out:
            out.writelines(part)
    return paths


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """fulcrum-gen's tables, with deals split by owner into tables deals_0..2 of database crm;
    libpq's environment points at the server (the workers, started after, inherit it)."""
    folder = tmp_path_factory.mktemp("dask-pg-data")
    subprocess.run([GEN, "--out", str(folder), "--seed", "27", "--reps", "18",
                    "--activities", "20000", "--accounts", "200", "--events", "100",
                    "--threads", "1"], check=True, capture_output=True)
    paths = split_by_owner(os.path.join(folder, "deals.csv"), folder)
    saved = {k: os.environ.get(k) for k in ("PGHOST", "PGUSER")}
    with pg_server.PostgresServer() as pg:
        pg.create_database("crm")
        for i, path in enumerate(paths):
            pg.psql("crm", f"CREATE TABLE deals_{i} ({DEALS_COLUMNS});\n"
                           f"\\copy deals_{i} FROM '{path}' WITH (FORMAT csv, HEADER true)\n")
        env = pg.client_env()
        os.environ["PGHOST"], os.environ["PGUSER"] = env["PGHOST"], env["PGUSER"]
        try:
            yield folder, [f"deals_{i}" for i in range(PARTS)]
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


@pytest.fixture(scope="module")
def client(database):
    yield from local_dask_client()


def csv_files(folder, name):
    files = {"rep": "reps.csv", "deals": "deals.csv"}
    if name == "teams":
        files.update(activities="activities.csv", ratings="ratings.csv", quotas="quotas.csv")
    return {t: os.path.join(folder, f) for t, f in files.items()}


def one_machine(folder, name):
    args = ["run", MERGED, "--framework", name, "--period", "2018-Q3", "--lib",
            "bench/frameworks", "--format", "csv"]
    for table, path in csv_files(folder, name).items():
        args += ["--data", f"{table}={path}"]
    return cli(*args).stdout


@pytest.mark.parametrize("name", ["teams", "rep_split"])
def test_database_tables_as_partitions(database, client, name):
    """Deals from three database tables (the other fact tables from CSV files): the bytes
    `fulcrum run` prints from the whole CSV files, in either order of the tables."""
    folder, tables = database
    expected = one_machine(folder, name)
    rows = list(csv.DictReader(expected.splitlines()))
    assert len(rows) >= 2 and all(int(r["products"]) > 0 for r in rows)
    for order in (tables, list(reversed(tables))):
        data = {**csv_files(folder, name), "deals": [uri(t) for t in order]}
        got = fdask.run(MERGED, name, period="2018-Q3", data=data, client=client, format="csv",
                        import_paths=["bench/frameworks"])
        assert got == expected


def test_the_command_line_with_database_partitions(database, client):
    """`--data deals=URI` repeated: each URI one partition."""
    folder, tables = database
    args = [sys.executable, "-m", "fulcrum.dask", "run", MERGED, "--framework", "teams",
            "--period", "2018-Q3", "--lib", "bench/frameworks", "--scheduler",
            client.scheduler.address, "--format", "csv"]
    for table, path in csv_files(folder, "teams").items():
        if table != "deals":
            args += ["--data", f"{table}={path}"]
    for table in tables:
        args += ["--data", f"deals={uri(table)}"]
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout == one_machine(folder, "teams")


def test_a_missing_database_table_is_named(database, client):
    """A partition whose table does not exist: the loader's data error, naming the source by its
    label (never the URI), not a result without its rows."""
    folder, tables = database
    data = {**csv_files(folder, "rep_split"),
            "deals": [uri(tables[0]), uri("no_such_deals")]}
    with pytest.raises(fulcrum.Error) as error:
        fdask.run(MERGED, "rep_split", period="2018-Q3", data=data, client=client,
                  format="csv", import_paths=["bench/frameworks"], retries=0)
    assert "postgresql:no_such_deals" in str(error.value), str(error.value)
    assert error.value.status == 2
