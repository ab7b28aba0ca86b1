"""MarkovModel and attribute: tables, options, every core model reachable by name, errors."""

from html import escape as html_escape

import numpy as np
import pandas as pd
import pytest

import journeygraph as jg


@pytest.fixture(scope="module")
def journeys():
    return jg.Journeys.from_events(jg.datasets.sample_events(4000, seed=3), conversion="conversion", value="value",
                                   segment="device")


def hand_paths() -> jg.Journeys:
    # a -> CONVERSION twice, a -> b -> NULL once, b -> CONVERSION once.
    return jg.Journeys.from_paths(pd.DataFrame({"path": ["a", "a > b", "b"], "total_conversions": [2, 0, 1],
                                                "total_null": [0, 1, 0]}))


def test_hand_worked_chain():
    m = jg.MarkovModel().fit(hand_paths())
    # START -> a: 3/4, START -> b: 1/4; a -> CONV 2/3, a -> b 1/3; b -> CONV 1/2, b -> NULL 1/2.
    # P(conv) = 3/4 * (2/3 + 1/3 * 1/2) + 1/4 * 1/2 = 3/4.
    assert m.conversion_probability == pytest.approx(0.75, abs=1e-15)
    assert m.n_states == 3
    t = m.transitions().set_index(["from", "to"])["probability"]
    assert t[("(start)", "a")] == 0.75 and t[("a", "b")] == pytest.approx(1 / 3, abs=1e-15)
    re = m.removal_effects().set_index("touchpoint")
    # Without a: only START -> b -> CONV: 1/4 * 1/2 = 1/8; RE_a = 1 - (1/8)/(3/4) = 5/6.
    # Without b: 3/4 * 2/3 = 1/2; RE_b = 1 - (1/2)/(3/4) = 1/3.
    assert re.loc["a", "removal_effect"] == pytest.approx(5 / 6, abs=1e-15)
    assert re.loc["b", "removal_effect"] == pytest.approx(1 / 3, abs=1e-15)
    assert re.loc["a", "conversions"] == pytest.approx(3 * (5 / 6) / (5 / 6 + 1 / 3), abs=1e-14)
    assert list(re.columns) == ["removal_effect", "removal_effect_value", "conversions", "value",
                                "conversion_probability_without"]
    assert 0 <= re.attrs["max_residual"] < 1e-12 and 0 <= m.solve_residual < 1e-12
    assert re.loc["a", "conversion_probability_without"] == pytest.approx(1 / 8, abs=1e-15)


def test_transition_rows_sum_to_one(journeys):
    for order in (1, 2, 3):
        m = jg.MarkovModel(order=order, smoothing=0.5 if order == 2 else 0.0).fit(journeys)
        sums = m.transitions().groupby("from")["probability"].sum()
        assert np.allclose(sums.to_numpy(), 1.0, atol=1e-12)
        assert m.order == order
        assert len(m.state_names()) == m.n_states + 2


def test_every_core_model_is_reachable_by_name(journeys):
    names = jg.attribution_models()
    assert names == jg._core.all_models() and "markov" in names and len(names) >= 2
    table = jg.attribute(journeys, models="all")
    positions = [c for c in table.columns if c.startswith("ordered_shapley_position_")]
    assert list(table.columns) == (["removal_effect", "removal_effect_value"] + names + [f"{n}_value" for n in names]
                                   + positions) and positions
    for name in names:
        single = jg.attribute(journeys, models=name)
        assert [c for c in single.columns if c in (name, f"{name}_value")] == [name, f"{name}_value"]
        assert np.array_equal(single[name].to_numpy(), table[name].to_numpy())
        # Every model credits all conversions, except participation, which credits every touchpoint of a
        # journey with the whole of it.
        if name == "participation":
            assert single[name].sum() > journeys.total_conversions
        else:
            assert single[name].sum() == pytest.approx(journeys.total_conversions, rel=1e-12)
    assert table.index.name == "touchpoint" and list(table.index) == sorted(table.index)
    assert table.attrs["models"] == names and table.attrs["order"] == 1


def test_attribute_matches_the_model(journeys):
    table = jg.attribute(journeys, models=["markov", "markov", "linear"], order=2)
    assert list(table.columns) == ["removal_effect", "removal_effect_value", "markov", "linear", "markov_value",
                                   "linear_value"]
    re = jg.MarkovModel(order=2).fit(journeys).removal_effects().set_index("touchpoint")
    assert np.array_equal(table["markov"].to_numpy(), re["conversions"].to_numpy())
    assert table.attrs["conversion_probability"] == jg.MarkovModel(order=2).fit(journeys).conversion_probability


def test_results_do_not_depend_on_threads(journeys):
    a = jg.attribute(journeys, order=2, threads=1)
    b = jg.attribute(journeys, order=2, threads=2)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_segment_subset_attribution(journeys):
    mobile = journeys.segment("mobile")
    desktop = journeys.segment("desktop")
    assert len(mobile) + len(desktop) == len(journeys)
    a = jg.attribute(mobile, models="last_touch")
    b = jg.attribute(desktop, models="last_touch")
    total = a["last_touch"].add(b["last_touch"], fill_value=0)
    assert np.allclose(total.to_numpy(), jg.attribute(journeys, models="last_touch")["last_touch"].to_numpy())


@pytest.mark.parametrize("call, message", [
    (lambda j: jg.attribute(j, models=["markov", "shapely"]), r'unknown attribution model "shapely" \(known: markov'),
    (lambda j: jg.attribute(j, models=[]), "no attribution model requested"),
    (lambda j: jg.attribute(j, models=[1]), "a model name must be a string"),
    (lambda j: jg.attribute(j, order=0), "order must be in 1..16, got 0"),
    (lambda j: jg.attribute(j, order=17), "order must be in 1..16"),
    (lambda j: jg.attribute(j, smoothing=-1), "smoothing must be a finite number >= 0"),
    (lambda j: jg.attribute(j, self_loops="sometimes"), r'unknown self-loop rule "sometimes" \(known: drop, keep\)'),
    (lambda j: jg.attribute(j, ordr=2), "attribute has no option 'ordr' \\(did you mean 'order'\\?\\)"),
    (lambda j: jg.attribute(pd.DataFrame(), models="markov"), "attribute expects journeys"),
    (lambda j: jg.MarkovModel(order=1.5), "order must be an integer >= 0, got 1.5"),
    (lambda j: jg.MarkovModel().fit("paths.csv"), "MarkovModel.fit expects journeys"),
])
def test_bad_arguments(journeys, call, message):
    with pytest.raises(jg.JourneyGraphError, match=message):
        call(journeys)


def test_no_conversions_is_a_data_error():
    j = jg.Journeys.from_paths(pd.DataFrame({"path": ["a > b"], "total_conversions": [0], "total_null": [4]}))
    with pytest.raises(jg.JourneyGraphError, match="no conversions") as err:
        jg.attribute(j)
    assert err.value.kind == "data"
    m = jg.MarkovModel().fit(j)
    assert m.conversion_probability == 0
    with pytest.raises(jg.JourneyGraphError, match="no conversions"):
        m.removal_effects()


def test_unfitted_model():
    m = jg.MarkovModel(order=2)
    assert not m.fitted and m.order == 2
    for attr in ("n_states", "conversion_probability", "expected_value", "touchpoints", "totals"):
        with pytest.raises(jg.JourneyGraphError, match="not fitted") as err:
            getattr(m, attr)
        assert err.value.kind == "state"
    with pytest.raises(jg.JourneyGraphError, match="not fitted"):
        m.transitions()
    assert "not fitted" in repr(m) and "not fitted" in m._repr_html_()


def test_reprs_and_html(journeys):
    m = jg.MarkovModel(order=2).fit(journeys)
    assert repr(m).startswith("<journeygraph.MarkovModel(order=2") and f"{m.n_states:,} states" in repr(m)
    html = m._repr_html_()
    assert "<table" in html and f"{m.n_states:,}" in html
    assert repr(journeys).startswith(f"<journeygraph.Journeys: {len(journeys):,} journeys")
    jh = journeys._repr_html_()
    assert "<table" in jh and ", ".join(journeys.segments) in jh and html_escape(journeys.report.summary()) in jh
    assert repr(journeys.report).startswith("<BuildReport: ")
    assert repr(journeys.core).startswith("<JourneySet: ")
    assert repr(m.core).startswith("<MarkovModel: order 2")


def test_html_is_escaped():
    j = jg.Journeys.from_events(pd.DataFrame({"j": [1, 1], "t": ["<b>x</b>", "&"], "c": [0, 1]}), "j", None, "t", "c",
                                segment="t")
    assert "<b>x</b>" not in j._repr_html_() and "&lt;b&gt;x&lt;/b&gt;" in j._repr_html_()


def test_core_views_are_read_only(journeys):
    touches = journeys.core.touches
    assert not touches.flags.writeable
    assert len(touches) == journeys.n_touches
    rows = jg.MarkovModel().fit(journeys).core.rows()
    assert rows["row_offsets"][-1] == len(rows["columns"])
