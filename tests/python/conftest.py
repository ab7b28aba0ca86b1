"""Shared fixtures of the Python tests: paths, the C++ command-line program, headless matplotlib."""

import json
import os
import subprocess
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "data" / "reference"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def pathdata() -> Path:
    return REFERENCE / "pathdata.csv"


@pytest.fixture(scope="session")
def cli() -> Path:
    """The C++ program; `make test` builds it before the Python tests (JG_CLI overrides the path)."""
    path = Path(os.environ.get("JG_CLI", ROOT / "build" / "bin" / "journeygraph"))
    if not path.exists():
        pytest.fail(f"the C++ program {path} is missing: build it first (make build) or set JG_CLI")
    return path


@pytest.fixture(scope="session")
def run_cli(cli):
    def run(*args: str) -> str:
        done = subprocess.run([str(cli), *map(str, args)], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run


@pytest.fixture(scope="session")
def cli_json(run_cli):
    def run(*args: str) -> dict:
        return json.loads(run_cli(*args, "--format", "json"))

    return run


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
