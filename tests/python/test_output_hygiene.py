"""Writes and sizes from Python (tests/BAD_INPUTS.md, W01, W07, M01/M04, O03): a save to a full device and a
directory given as a model file are errors naming the file; more simulated journeys than can be held is a
size error naming the limit."""

import os
import subprocess
import sys

import pandas as pd
import pytest

import journeygraph as jg


@pytest.fixture(scope="module")
def model():
    paths = pd.DataFrame({"path": ["a > b", "b", "a"], "total_conversions": [2, 1, 0], "total_null": [1, 3, 2]})
    return jg.MarkovModel().fit(jg.Journeys.from_paths(paths))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/dev/full is Linux's")
def test_w01_save_to_a_full_device_names_it(model):
    with pytest.raises(jg.JourneyGraphError, match="error writing /dev/full: No space left on device") as err:
        model.save("/dev/full")
    assert err.value.kind == "io"


def test_m04_a_directory_as_a_model_file_names_it(tmp_path):
    with pytest.raises(jg.JourneyGraphError) as err:
        jg.MarkovModel.load(tmp_path)
    assert err.value.kind == "io"
    assert str(err.value).endswith(f"cannot read {tmp_path}: Is a directory")


def test_o03_simulating_more_journeys_than_can_be_held_names_the_limit(model):
    with pytest.raises(jg.JourneyGraphError, match=r"simulation journeys must be at most 4294967296 \(2\^32\)"):
        model.simulate(journeys=2**64 - 1)
    assert len(model.simulate(journeys=5, seed=1)) == 5


# W07: the Python package's own file writes (the report page, a saved picture) go through the core's writer.
def _page_and_picture_writers(model):
    paths = pd.DataFrame({"path": ["a > b", "b", "a"], "total_conversions": [2, 1, 0], "total_null": [1, 3, 2]})
    journey_map = jg.JourneyMap(jg.Journeys.from_paths(paths))
    picture = jg.GraphPicture("<svg>new</svg>", "digraph { new }")
    return {
        "report": lambda path: journey_map.report(path),
        "picture": lambda path: picture.save(path),
    }


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/dev/full is Linux's")
@pytest.mark.parametrize("writer", ["report", "picture"])
def test_w07_python_writes_to_a_full_device_name_it(model, writer):
    write = _page_and_picture_writers(model)[writer]
    with pytest.raises(jg.JourneyGraphError, match="^error writing /dev/full: No space left on device$") as err:
        write("/dev/full")
    assert err.value.kind == "io"


_READ_ONLY_CHILD = r"""
import os, sys
os.setgid(65534)
os.setuid(65534)
sys.path[:0] = {path!r}
import journeygraph as jg
target = sys.argv[1]
picture = jg.GraphPicture("<svg>new</svg>", "digraph {{ new }}")
try:
    picture.save(target)
except jg.JourneyGraphError as e:
    print(e.kind + ": " + str(e))
else:
    print("no error")
"""


@pytest.mark.parametrize("writer", ["report", "picture"])
def test_w07_python_writes_into_a_read_only_directory_keep_the_old_file(model, writer, tmp_path):
    directory = tmp_path / "ro"
    directory.mkdir()
    target = directory / "out.svg"
    target.write_text("old")
    directory.chmod(0o555)
    try:
        if os.geteuid() != 0:
            with pytest.raises(jg.JourneyGraphError) as err:
                _page_and_picture_writers(model)[writer](target)
            message = f"{err.value.kind}: {err.value}"
        else:
            # The superuser writes into any directory: the write runs in a child that drops to "nobody".
            if writer != "picture":
                pytest.skip("as the superuser, one writer is checked in an unprivileged child")
            os.chmod(tmp_path, 0o755)
            done = subprocess.run(
                [sys.executable, "-c", _READ_ONLY_CHILD.format(path=sys.path), str(target)],
                capture_output=True, text=True, check=False)
            if "Permission denied" in done.stderr or done.returncode != 0:
                pytest.skip(f"the unprivileged child cannot run here: {done.stderr[-300:]}")
            message = done.stdout.strip()
    finally:
        directory.chmod(0o755)
    assert message == f"io: cannot write {target}: Permission denied"
    assert target.read_text() == "old"
    assert sorted(p.name for p in directory.iterdir()) == ["out.svg"]


def test_w07_python_writes_replace_a_file_whole(model, tmp_path):
    writers = _page_and_picture_writers(model)
    page = tmp_path / "page.html"
    page.write_text("old")
    writers["report"](page)
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    writers["picture"](str(tmp_path / "g.dot"))
    writers["picture"](tmp_path / "g.svg")
    assert (tmp_path / "g.dot").read_text() == "digraph { new }"
    assert (tmp_path / "g.svg").read_text() == "<svg>new</svg>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.dot", "g.svg", "page.html"]
