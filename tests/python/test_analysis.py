"""Order choice, chain analysis and simulation from Python; the same bits as the C++ command-line program."""

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


def order_process(order: int, n: int, seed: int) -> jg.Journeys:
    """Journeys whose next touch depends on the last `order` touches (never a repeat of the last one)."""
    rng = np.random.default_rng(seed)
    T = 6
    paths, conv = [], []
    for _ in range(n):
        path = [int(rng.integers(T))]
        converted = False
        while True:
            last, before = path[-1], (path[-2] if len(path) > 1 else None)
            p_conv = 0.5 if (order == 2 and before == 2 and last == 3) else (0.15 if last == 3 else 0.04)
            x = rng.random()
            if x < p_conv:
                converted = True
                break
            if x < p_conv + 0.18 or len(path) >= 30:
                break
            if order == 1:
                nxt = (last + 1 + int(rng.integers(3))) % T
            else:
                step = 1 if before is None else (last - before) % T
                nxt = (last + step) % T if rng.random() < 0.8 else (last + 1 + int(rng.integers(T - 1))) % T
                if nxt == last:
                    nxt = (last + 1) % T
            path.append(nxt)
        paths.append(" > ".join("abcdef"[t] for t in path))
        conv.append(1 if converted else 0)
    df = pd.DataFrame({"path": paths, "total_conversions": conv, "total_null": [1 - c for c in conv]})
    return jg.Journeys.from_paths(df)


@pytest.mark.parametrize("truth", [1, 2])
def test_choose_order_finds_the_generating_order(truth):
    table = jg.choose_order(order_process(truth, 20000, 10 + truth), max_order=3, seed=1)
    assert {"order", "log_likelihood", "aic", "bic", "heldout_log_likelihood", "auc", "log_loss"} <= set(table.columns)
    assert table["order"].tolist() == [1, 2, 3]
    assert table.attrs["recommended_order"] == truth
    assert table["heldout_log_likelihood"].idxmax() == truth - 1
    assert (table["log_likelihood"].diff().dropna() >= 0).all()  # in-sample never falls with the order
    assert np.allclose(table["aic"], 2 * table["parameters"] - 2 * table["log_likelihood"])


def test_choose_order_equals_the_cli(pathdata, cli_json):
    expected = cli_json("order", pathdata, "--paths", "--max-order", 3, "--seed", 2, "--quiet")
    table = jg.choose_order(jg.read_paths(pathdata), max_order=3, seed=2)
    assert table.attrs["recommended_order"] == expected["meta"]["recommended_order"]
    for col in ("log_likelihood", "aic", "bic", "heldout_log_likelihood", "auc", "log_loss"):
        assert np.array_equal(table[col].to_numpy(), np.array([r[col] for r in expected["rows"]])), col
    with pytest.raises(jg.JourneyGraphError, match="holdout must be in"):
        jg.choose_order(hand_paths(), holdout=0)
    with pytest.raises(jg.JourneyGraphError, match="max_order must be in 1..16, got 0"):
        jg.choose_order(hand_paths(), max_order=0)


def test_choose_order_scores_the_same_events_and_states_its_rule(pathdata):
    table = jg.choose_order(jg.read_paths(pathdata), max_order=4, seed=3)
    # Every order scores every touch and every ending of every journey: one count on every row, in-sample
    # and held out; the recommendation comes with its rule.
    paths = pd.read_csv(pathdata)
    journeys = paths["total_conversions"] + paths["total_null"]
    touches = paths["path"].str.count(">") + 1
    assert (table["observations"] == float((journeys * (touches + 1)).sum())).all()
    assert table["heldout_events"].nunique() == 1 and table["heldout_events"].iloc[0] > 0
    assert table.attrs["rule"].startswith("the smallest order whose held-out log-likelihood is within one standard")
    best = int(table["heldout_log_likelihood"].idxmax())
    assert table.attrs["best_order"] == best + 1 and table["heldout_difference_se"].iloc[best] == 0
    within = table["heldout_log_likelihood"] >= table["heldout_log_likelihood"].max() - table["heldout_difference_se"]
    assert table.attrs["recommended_order"] == int(table["order"][within].min())


def test_chain_analysis_by_hand():
    # START -> a 3/4, b 1/4; a -> CONVERSION 2/3, b 1/3; b -> CONVERSION 1/2, NULL 1/2.
    # Conversion probability: b 1/2, a 2/3 + 1/3 * 1/2 = 5/6, START 3/4 * 5/6 + 1/4 * 1/2 = 3/4.
    # Visits: a 3/4, b 1/4 + 3/4 * 1/3 = 1/2. Touches to go: b 0, a 1/3, START 3/4 + 1/2 = 5/4.
    a = jg.MarkovModel().fit(hand_paths()).analysis()
    assert list(a.index) == ["(start)", "a", "b"]
    assert np.allclose(a["conversion_probability"], [0.75, 5 / 6, 0.5], rtol=0, atol=1e-15)
    assert np.allclose(a["expected_visits"], [1, 0.75, 0.5], rtol=0, atol=1e-15)
    assert np.allclose(a["touches_to_go"], [1.25, 1 / 3, 0], rtol=0, atol=1e-15)
    # Value per conversion: a (8 / 2) = 4, b 3 -> expected value a 2/3 * 4 + 1/3 * 1/2 * 3 = 19/6.
    assert a.loc["a", "expected_value"] == pytest.approx(19 / 6, abs=1e-14)
    assert a.attrs["expected_touches"] == pytest.approx(1.25, abs=1e-15)
    assert a.attrs["touchpoint_visits"] == pytest.approx({"a": 0.75, "b": 0.5}, abs=1e-15)
    with pytest.raises(jg.JourneyGraphError, match="not fitted"):
        jg.MarkovModel().analysis()


def test_simulation_recovers_the_chain(journeys):
    model = jg.MarkovModel(order=2).fit(journeys)
    sim = model.simulate(journeys=60000, seed=4)
    assert isinstance(sim, jg.Journeys) and len(sim) == 60000
    again = model.simulate(journeys=60000, seed=4)
    assert np.array_equal(jg.attribute(sim, models="linear")["linear"].to_numpy(),
                          jg.attribute(again, models="linear")["linear"].to_numpy())
    refit = jg.MarkovModel(order=2).fit(sim)
    p = model.conversion_probability
    assert abs(refit.conversion_probability - p) < 5 * np.sqrt(p * (1 - p) / 60000)
    with pytest.raises(jg.JourneyGraphError, match="max_touches must be at least 1, got 0"):
        model.simulate(max_touches=0)
