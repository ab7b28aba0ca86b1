"""Python results equal the C++ program's, bit for bit (the CLI prints shortest round-trip doubles)."""

import json

import numpy as np
import pandas as pd
import pytest

import journeygraph as jg


def assert_same_attribution(table: pd.DataFrame, expected: dict) -> None:
    rows, meta = expected["rows"], expected["meta"]
    assert list(table.index) == [r["touchpoint"] for r in rows]
    for key in ("order", "total_conversions", "total_value", "total_nulls", "conversion_probability"):
        assert table.attrs[key] == meta[key], key
    # "all" on both sides: every model that applies (time_decay needs timestamps, which paths lack).
    assert table.attrs["models"] == [m for m in jg.attribution_models() if m in rows[0]]
    for model in table.attrs["models"]:
        want = np.array([r[model] for r in rows], dtype=float)
        want_value = np.array([r[f"{model}_value"] for r in rows], dtype=float)
        # Exact equality: same bits (array_equal compares with ==; no NaN can occur here).
        assert np.array_equal(table[model].to_numpy(), want), model
        assert np.array_equal(table[f"{model}_value"].to_numpy(), want_value), model


@pytest.fixture(scope="module")
def read_journeys(pathdata):
    return jg.read_paths(pathdata)


@pytest.fixture(scope="module")
def frame_journeys(pathdata):
    df = pd.read_csv(pathdata, float_precision="round_trip")
    return jg.Journeys.from_paths(df)


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("source", ["read_paths", "from_paths"])
def test_attribution_equals_cli(order, source, read_journeys, frame_journeys, pathdata, cli_json):
    journeys = read_journeys if source == "read_paths" else frame_journeys
    expected = cli_json("attribute", pathdata, "--paths", "--order", order, "--models", "all", "--quiet")
    table = jg.attribute(journeys, models="all", order=order)
    assert_same_attribution(table, expected)
    re = jg.MarkovModel(order=order).fit(journeys).removal_effects()
    rows = expected["rows"]
    assert list(re["touchpoint"]) == [r["touchpoint"] for r in rows]
    for col in ("removal_effect", "removal_effect_value"):
        assert np.array_equal(re[col].to_numpy(), np.array([r[col] for r in rows])), col
    assert np.array_equal(re["conversions"].to_numpy(), table["markov"].to_numpy())
    assert np.array_equal(re["value"].to_numpy(), table["markov_value"].to_numpy())


@pytest.mark.parametrize("order", [1, 3])
def test_transitions_equal_cli(order, frame_journeys, pathdata, cli_json):
    expected = cli_json("transitions", pathdata, "--paths", "--order", order, "--quiet")
    model = jg.MarkovModel(order=order).fit(frame_journeys)
    assert model.n_states == expected["meta"]["states"]
    assert model.conversion_probability == expected["meta"]["conversion_probability"]
    t = model.transitions()
    want = pd.DataFrame(expected["rows"])
    assert list(t.columns) == ["from", "to", "count", "probability"]
    assert t["from"].tolist() == want["from"].tolist()
    assert t["to"].tolist() == want["to"].tolist()
    assert np.array_equal(t["count"].to_numpy(), want["count"].to_numpy(dtype=float))
    assert np.array_equal(t["probability"].to_numpy(), want["probability"].to_numpy(dtype=float))


def test_paths_reference_within_independent_solver(read_journeys, root):
    """The independent exact solver's answers (the C++ suite checks the same file) hold through Python."""
    expected = json.loads((root / "tests" / "data" / "reference" / "pathdata_expected.json").read_text())
    for order in (1, 3):
        want = expected[f"order{order}"]
        model = jg.MarkovModel(order=order).fit(read_journeys)
        assert model.n_states == want["states"]
        assert model.conversion_probability == pytest.approx(want["conversion_probability"], rel=1e-12)
        re = model.removal_effects().set_index("touchpoint")
        for name, value in want["attribution_conversions"].items():
            assert re.loc[name, "conversions"] == pytest.approx(value, rel=1e-9)


def test_sample_events_equal_cli_on_the_same_events(tmp_path, run_cli, cli_json):
    """The built-in sample through pandas gives the C++ program's answer on the CSV of the same events."""
    csv = tmp_path / "sample.csv"
    run_cli("generate", "--sample", "--journeys", 20000, "--seed", 42, "-o", csv)
    events = jg.datasets.sample_events()
    assert len(events) == len(pd.read_csv(csv))
    from_frame = jg.Journeys.from_events(events)  # the conversion and value columns by default, as the CLI
    from_csv = jg.read_events(csv)
    for order in (1, 2):
        expected = cli_json("attribute", csv, "--events", "--order", order, "--models", "all", "--quiet")
        assert_same_attribution(jg.attribute(from_frame, models="all", order=order), expected)
        assert_same_attribution(jg.attribute(from_csv, models="all", order=order), expected)
