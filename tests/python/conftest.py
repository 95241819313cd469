"""What the Python package's tests share: the repository root as the working directory (paths as
users write them), the `fulcrum` CLI they compare against (FULCRUM_CLI, set by CTest; else
build/bin/fulcrum) and the package from the build tree (PYTHONPATH=build/python, set by CTest)."""
import io
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
os.chdir(ROOT)
os.environ["FULCRUM_JIT_CACHE"] = "off"  # no test reuses another build's JIT objects
if not any(os.path.isdir(os.path.join(p, "fulcrum")) for p in sys.path if p):
    sys.path.insert(0, os.path.join(ROOT, "build", "python"))

CLI = os.environ.get("FULCRUM_CLI", os.path.join(ROOT, "build", "bin", "fulcrum"))

LLR = "examples/llr/llr.fulcrum"
LENS = "examples/accounts/lens.fulcrum"
MAVEN = "../shared/datasets/maven-crm"


def cli(*args, check=True):
    """Runs the CLI; its stdout (bytes decoded as UTF-8). `check`: fail unless it exits 0."""
    done = subprocess.run([CLI, *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"fulcrum {' '.join(args)} exited {done.returncode}:\n"
                             f"{done.stderr}")
    return done


def read_cli_csv(text):
    """A CSV the CLI wrote, parsed as an analyst would (round-trip floats: pandas' default
    parser is not always correctly rounded, and the comparison is exact)."""
    return pd.read_csv(io.StringIO(text), float_precision="round_trip")


def assert_frame_equals_cli_csv(frame, columns, text):
    """The DataFrame a run returned holds exactly the values of the CLI's CSV: the same columns
    in the same order, the same rows, numbers equal to the last bit, missing where it is empty.
    `columns`: the framework's outputs (fulcrum.Column), which say each column's type."""
    expected = read_cli_csv(text)
    assert list(frame.columns) == list(expected.columns)
    assert len(frame) == len(expected) > 0
    for column in columns:
        got, want = frame[column.name], expected[column.name]
        if column.type in ("number", "percent", "money", "count"):
            got = got.to_numpy(dtype=float, na_value=np.nan)
            want = want.to_numpy(dtype=float)
            assert np.array_equal(got, want, equal_nan=True), column.name
        elif column.type == "date":
            got = [None if pd.isna(v) else v.strftime("%Y-%m-%d") for v in got]
            assert got == [None if pd.isna(v) else v for v in want], column.name
        elif column.type == "bool":
            got = [None if pd.isna(v) else bool(v) for v in got]
            assert got == [None if pd.isna(v) else str(v).lower() == "true" for v in want]
        else:
            assert [None if v is None else v for v in got] == \
                [None if pd.isna(v) else str(v) for v in want], column.name


@pytest.fixture(scope="session")
def fulcrum():
    import fulcrum as package
    return package


@pytest.fixture(scope="session")
def llr(fulcrum):
    return fulcrum.compile(LLR)


def local_dask_client():
    """A Dask LocalCluster of 2 worker processes and a client of it, for a module fixture to
    `yield from`; both are closed after the module's tests. The workers import the package from
    where this process does."""
    import distributed
    paths = [p for p in sys.path if os.path.isdir(os.path.join(p, "fulcrum"))]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths + [os.environ.get("PYTHONPATH", "")])
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    connected = distributed.Client(cluster)
    yield connected
    connected.close()
    cluster.close()
