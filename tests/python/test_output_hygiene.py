"""Writes and sizes from Python (tests/BAD_INPUTS.md, W01, M01/M04, O03): a save to a full device and a
directory given as a model file are errors naming the file; more simulated journeys than can be held is a
size error naming the limit."""

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
