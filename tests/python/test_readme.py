"""README.md's examples run as written: the command lines, the C++ program, and the Python blocks.

Each example runs in a scratch directory that links the repository's `build`, `include` and `tests` folders,
so relative paths resolve as they do from the repository root and nothing is written into the checkout; the files
the command lines keep under /tmp go to that directory too, so concurrent runs never share them.
(The C examples are compiled and run by the CTest tests c.readme_example and its journey-map twin.)
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)


def section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def blocks(title: str, lang: str) -> list:
    found = [body for kind, body in FENCE.findall(section(title)) if kind == lang]
    assert found, f"README.md section {title!r} has no ```{lang} block"
    return found


@pytest.fixture()
def scratch(tmp_path: Path, cli) -> Path:
    for name in ("build", "include", "tests"):
        (tmp_path / name).symlink_to(ROOT / name)
    return tmp_path


def run(args, cwd: Path, timeout: float = 600) -> str:
    env = dict(os.environ, MPLBACKEND="Agg")
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert done.returncode == 0, f"{args[-1]} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def shell_script(body: str, scratch: Path) -> str:
    # `make ...` lines are the set-up the test suite has already done. The examples keep their files under /tmp;
    # here they go to the scratch directory instead, so that two test runs on one machine never share them.
    lines = [line.replace("/tmp/", f"{scratch}/") for line in body.splitlines() if not line.startswith("make ")]
    return "set -euo pipefail\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("title, nth", [("Command line", 0), ("Journey map", 0), ("Funnels, paths and drivers", 1),
                                        ("Open journeys and money", 0)])
def test_command_lines(scratch: Path, title: str, nth: int) -> None:
    body = blocks(title, "sh")[nth]
    commands = [line for line in body.splitlines() if line.startswith("build/bin/journeygraph")]
    assert len(commands) >= 4, f"expected the section's command lines, found {commands}"
    out = run(["bash", "-c", shell_script(body, scratch)], scratch)
    assert out.strip(), "the commands printed nothing"
    if "/tmp/" in body:  # the files the examples write landed in the scratch directory
        written = re.findall(r"(?:-o|--output|>) /tmp/([\w.]+)", body)
        assert written, body
        for name in written:
            assert (scratch / name).stat().st_size > 0, name


def test_cpp_example(scratch: Path) -> None:
    (ROOT / "build" / "libjourneygraph.a").stat()  # built by `make` before the tests
    (scratch / "example.cpp").write_text(blocks("C++", "cpp")[0], encoding="utf-8")
    out = run(["bash", "-c", shell_script(blocks("C++", "sh")[0], scratch)], scratch)
    rows = [line.split() for line in out.splitlines()]
    assert len(rows) == 12, out  # one row per touchpoint of the reference data
    effects = [float(r[1]) for r in rows]
    assert all(0.0 < e <= 1.0 for e in effects), out
    # the printed credit sums to the total conversions of the reference data
    total = sum(float(r[2]) for r in rows)
    import pandas as pd

    expected = pd.read_csv(ROOT / "tests" / "data" / "reference" / "pathdata.csv")["total_conversions"].sum()
    assert abs(total - expected) <= 1e-6 * expected, (total, expected)


def test_python_examples(scratch: Path) -> None:
    for module in ("dask.dataframe", "distributed", "tqdm"):  # the README's Dask and progress examples
        pytest.importorskip(module)
    code = "\n\n".join(blocks("Python", "python") + blocks("Journey map", "python")
                       + blocks("Funnels, paths and drivers", "python") + blocks("Open journeys and money", "python"))
    # Dask's worker processes start by importing the main module of a script, so a script guards its work
    # with `if __name__ == "__main__"` (a notebook need not); the examples run under that guard.
    script = f"if __name__ == '__main__':\n    exec(compile({code!r}, 'README.md', 'exec'))\n"
    (scratch / "readme_example.py").write_text(script, encoding="utf-8")
    run([sys.executable, "readme_example.py"], scratch, timeout=900)
    assert (scratch / "model.jgm").stat().st_size > 0
    assert (scratch / "report.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
