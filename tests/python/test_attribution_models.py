"""Attribution models beyond removal effects from Python: every model with its options and bootstrap intervals;
the same bits as the C++ command-line program."""

import numpy as np
import pandas as pd
import pytest

import journeygraph as jg


@pytest.fixture(scope="module")
def journeys():
    return jg.Journeys.from_events(jg.datasets.sample_events(3000, seed=5), conversion="conversion", value="value")


def hand_paths() -> jg.Journeys:
    # a -> CONVERSION twice, a -> b -> NULL once, b -> CONVERSION once.
    return jg.Journeys.from_paths(pd.DataFrame({"path": ["a", "a > b", "b"], "total_conversions": [2, 0, 1],
                                                "total_null": [0, 1, 0], "total_conversion_value": [8, 0, 3]}))


def test_every_model_by_name_and_the_models_that_apply(journeys, pathdata):
    assert jg.attribution_models() == [
        "markov", "first_touch", "last_touch", "linear", "last_non_direct", "position_based", "j_curve",
        "inverse_j", "time_decay", "participation", "shapley", "ordered_shapley", "fractribution"]
    assert jg.attribution_models(journeys) == jg.attribution_models()  # events carry timestamps
    paths = jg.read_paths(pathdata)
    assert "time_decay" not in jg.attribution_models(paths)
    assert jg.attribute(paths, models="all").attrs["models"] == jg.attribution_models(paths)
    # models=None is the core's default list, the same on every face (C n_models = 0, CLI, R)
    assert jg.attribute(paths).attrs["models"] == ["markov", "first_touch", "last_touch", "linear"]
    with pytest.raises(jg.JourneyGraphError, match="time_decay model needs touch timestamps"):
        jg.attribute(paths, models="time_decay")


def test_rule_models_by_hand():
    # Conversions a, b: first/last/linear as the paths say; "a" twice and "b" once convert alone.
    j = hand_paths()
    t = jg.attribute(j, models=["shapley", "ordered_shapley", "participation", "position_based"])
    # No journey that converts has two touchpoints: every model gives a 2, b 1 (value a 8, b 3).
    for model in ("shapley", "ordered_shapley", "participation", "position_based"):
        assert t[model].tolist() == [2.0, 1.0]
        assert t[f"{model}_value"].tolist() == [8.0, 3.0]
    # ordered_shapley's breakdown: every credit at position 1.
    assert [c for c in t.columns if c.startswith("ordered_shapley_position_")] == ["ordered_shapley_position_1"]
    assert t["ordered_shapley_position_1"].tolist() == [2.0, 1.0]
    # A converting two-touch journey: "x > y" converts 4 times with value 40.
    two = jg.Journeys.from_paths(pd.DataFrame({"path": ["x > y"], "total_conversions": [4],
                                               "total_conversion_value": [40.0]}))
    u = jg.attribute(two, models=["position_based", "j_curve", "inverse_j", "shapley", "last_non_direct"],
                     position_weights=(0.3, 0.5), excluded=["y"])
    assert u["position_based"].tolist() == pytest.approx([1.5, 2.5], abs=1e-14)  # 3/8 and 5/8 of 4
    assert u["j_curve"].tolist() == pytest.approx([1.0, 3.0], abs=1e-14)         # 1/4 and 3/4
    assert u["inverse_j"].tolist() == pytest.approx([3.0, 1.0], abs=1e-14)
    assert u["shapley"].tolist() == [2.0, 2.0]
    assert u["last_non_direct"].tolist() == [4.0, 0.0]  # y excluded: x is the last non-excluded touch
    assert u["last_non_direct_value"].tolist() == [40.0, 0.0]
    capped = jg.attribute(two, models="shapley", max_coalition=1)
    assert capped["shapley"].tolist() == [0.0, 4.0]  # the most recent touchpoint only


def test_time_decay_half_life_as_duration_or_seconds(journeys):
    a = jg.attribute(journeys, models="time_decay", half_life="2d")
    b = jg.attribute(journeys, models="time_decay", half_life=2 * 86400)
    assert np.array_equal(a["time_decay"].to_numpy(), b["time_decay"].to_numpy())
    c = jg.attribute(journeys, models="time_decay")  # 7 days
    assert not np.array_equal(a["time_decay"].to_numpy(), c["time_decay"].to_numpy())
    assert a["time_decay"].sum() == pytest.approx(a.attrs["total_conversions"], rel=1e-12)


def test_intervals_columns_and_attrs(journeys):
    t = jg.attribute(journeys, models=["markov", "shapley", "linear"], ci=0.9, bootstrap=40, seed=3)
    expected = ["removal_effect", "removal_effect_se", "removal_effect_lower", "removal_effect_upper",
                "removal_effect_value"]
    for suffix in ("", "_value"):
        for m in ("markov", "shapley", "linear"):
            expected += [f"{m}{suffix}", f"{m}{suffix}_se", f"{m}{suffix}_lower", f"{m}{suffix}_upper"]
    assert list(t.columns) == expected
    assert t.attrs["ci"] == 0.9
    assert {k: t.attrs[k] for k in ("replicates", "confidence", "seed", "markov_failed_replicates")} == {
        "replicates": 40, "confidence": 0.9, "seed": 3, "markov_failed_replicates": 0}
    assert set(t.attrs["stability"]) == {"markov", "shapley", "linear"}
    assert all(s > 0 for s in t.attrs["stability"].values())
    for m in ("markov", "shapley", "linear", "removal_effect"):
        assert (t[f"{m}_lower"] <= t[f"{m}_upper"]).all()
        assert (t[f"{m}_se"] >= 0).all()
    # Stability is the mean relative width over touchpoints with a non-zero estimate.
    nz = t["linear"] != 0
    width = ((t["linear_upper"] - t["linear_lower"]) / t["linear"].abs())[nz].mean()
    assert t.attrs["stability"]["linear"] == pytest.approx(width, rel=1e-12)
    # The estimates are the models' own values.
    plain = jg.attribute(journeys, models=["markov", "shapley", "linear"])
    assert np.array_equal(plain["markov"].to_numpy(), t["markov"].to_numpy())
    # ci alone means 200 replicates; bootstrap alone a 95 % level.
    assert jg.attribute(journeys, models="linear", ci=0.8).attrs["replicates"] == 200
    assert jg.attribute(journeys, models="linear", bootstrap=5).attrs["ci"] == 0.95


def test_intervals_identical_for_any_thread_count(journeys):
    a = jg.attribute(journeys, models="all", ci=0.95, bootstrap=20, seed=9, threads=1)
    b = jg.attribute(journeys, models="all", ci=0.95, bootstrap=20, seed=9, threads=2)
    c = jg.attribute(journeys, models="all", ci=0.95, bootstrap=20, seed=10, threads=2)
    assert list(a.columns) == list(b.columns)
    for col in a.columns:
        assert np.array_equal(a[col].to_numpy(), b[col].to_numpy()), col
    assert not np.array_equal(a["markov_lower"].to_numpy(), c["markov_lower"].to_numpy())


def test_intervals_equal_the_cli(pathdata, cli_json):
    expected = cli_json("attribute", pathdata, "--paths", "--models", "markov,shapley,position_based",
                        "--bootstrap", 25, "--ci", 0.9, "--seed", 4, "--quiet")
    t = jg.attribute(jg.read_paths(pathdata), models=["markov", "shapley", "position_based"], ci=0.9,
                     bootstrap=25, seed=4)
    rows = expected["rows"]
    assert list(t.index) == [r["touchpoint"] for r in rows]
    for name in ("markov", "shapley", "position_based", "removal_effect"):
        for part in ("", "_se", "_lower", "_upper"):
            want = np.array([r[name + part] for r in rows], dtype=float)
            assert np.array_equal(t[name + part].to_numpy(), want), name + part
    assert expected["meta"]["shapley_stability"] == t.attrs["stability"]["shapley"]


@pytest.mark.parametrize("call, message", [
    (lambda j: jg.attribute(j, models="linear", ci=1.5), r"confidence must be in \(0, 1\), got 1.5"),
    (lambda j: jg.attribute(j, models="linear", ci="high"), "ci must be a confidence level"),
    (lambda j: jg.attribute(j, models="linear", ci=0.9, bootstrap=0), "ci needs bootstrap replicates"),
    (lambda j: jg.attribute(j, models="linear", bootstrap=-2), "bootstrap must be a number of replicates"),
    (lambda j: jg.attribute(j, models="linear", bootstrap=1), "at least 2"),
    (lambda j: jg.attribute(j, models="position_based", position_weights=(0.7, 0.5)),
     r"first_weight \+ last_weight must be <= 1"),
    (lambda j: jg.attribute(j, models="position_based", position_weights=0.4), "position_weights must be two numbers"),
    (lambda j: jg.attribute(j, models="time_decay", half_life="soon"), "duration"),
    (lambda j: jg.attribute(j, models="time_decay", half_life=0), "half_life must be a finite number of seconds > 0"),
    (lambda j: jg.attribute(j, models="shapley", max_coalition=-1), "max_coalition must be an integer >= 0"),
    (lambda j: jg.attribute(j, models="linear", excluded=[3]), "excluded must be a list of strings"),
    (lambda j: jg.attribute(j, models="linear", seed=-1), "seed must be an integer >= 0"),
])
def test_bad_model_options(journeys, call, message):
    with pytest.raises(jg.JourneyGraphError, match=message):
        call(journeys)
