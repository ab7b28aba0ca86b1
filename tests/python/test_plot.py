"""Pictures: the journey graph (Graphviz SVG or matplotlib) and the attribution chart."""

import pickle
import re
import shutil
import xml.etree.ElementTree as ET

import matplotlib.colors
import numpy as np
import pandas as pd
import pytest

import journeygraph as jg


@pytest.fixture(scope="module")
def model():
    journeys = jg.Journeys.from_events(jg.datasets.sample_events(2000, seed=5), conversion="conversion", value="value")
    return jg.MarkovModel(order=1).fit(journeys)


def test_dot_source_is_the_cores(model):
    dot = model.to_dot()
    assert dot.startswith("digraph journey_map {") and dot.rstrip().endswith("}")
    # One node per touchpoint of the chain, plus start, conversion and null.
    assert sum(1 for line in dot.splitlines() if "[label=" in line and "->" not in line) == len(model.touchpoints) + 3
    if shutil.which("dot") is not None:
        assert jg.plot_graph(model, engine="graphviz").dot == dot


def test_dot_escapes_names():
    j = jg.Journeys.from_paths(pd.DataFrame({"path": ['say "hi" > back\\slash'], "total_conversions": [1]}))
    dot = jg.MarkovModel().fit(j).to_dot()
    assert '"say \\"hi\\"' in dot and '"back\\\\slash' in dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_graphviz_svg(model, tmp_path):
    picture = model.plot(engine="graphviz")
    assert isinstance(picture, jg.GraphPicture)
    # Inline SVG: no XML declaration or DOCTYPE (nbconvert's HTML export refuses them), at most a cell wide.
    assert picture._repr_svg_().startswith("<svg") and "<?xml" not in picture.svg and "DOCTYPE" not in picture.svg
    assert picture.svg in picture._repr_html_()  # shown as HTML: nbconvert's export keeps it as it is
    assert float(re.search(r'<svg[^>]*\swidth="([0-9.]+)"', picture.svg).group(1)) <= 960
    ET.fromstring(picture.svg)
    assert "conversion" in picture.svg
    picture.save(tmp_path / "graph.svg")
    picture.save(tmp_path / "graph.dot")
    assert (tmp_path / "graph.svg").read_text() == picture.svg
    assert (tmp_path / "graph.dot").read_text() == picture.dot


def test_matplotlib_graph(model):
    ax = jg.plot_graph(model, engine="matplotlib")
    labels = {t.get_text() for t in ax.texts if t.get_text()}
    assert {"start", "conversion", "no conversion"} <= labels
    assert len(labels) == len(model.touchpoints) + 3
    assert "order 1" in ax.get_title()


def test_graph_without_dot_falls_back_to_matplotlib(model, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert isinstance(model.plot(), jg.GraphPicture)  # the report's graph needs no Graphviz
    bare = pickle.loads(pickle.dumps(model))  # a loaded model does not know its journeys
    assert not isinstance(bare.plot(), jg.GraphPicture)
    with pytest.raises(jg.JourneyGraphError, match="needs the journeys"):
        bare.plot(engine="map")
    with pytest.raises(jg.JourneyGraphError, match="not on the PATH"):
        model.plot(engine="graphviz")


@pytest.mark.parametrize("kwargs, message", [
    ({"engine": "svg"}, "engine must be"),
    ({"engine": "map", "ax": object()}, "ax applies"),
    ({"min_probability": 2}, "min_probability must be in"),
])
def test_graph_arguments(model, kwargs, message):
    with pytest.raises(jg.JourneyGraphError, match=message):
        jg.plot_graph(model, **kwargs)
    with pytest.raises(jg.JourneyGraphError, match="not fitted"):
        jg.plot_graph(jg.MarkovModel())


def test_attribution_chart(model):
    journeys = jg.Journeys.from_events(jg.datasets.sample_events(2000, seed=5), conversion="conversion")
    table = jg.attribute(journeys, models="all", order=2)
    ax = jg.plot_attribution(table, top=6)
    # At most 5 models by default, legend beside the bars (outside the axes), one fixed colour per model.
    assert [t.get_text() for t in ax.get_legend().get_texts()] == table.attrs["models"][:5]
    assert ax.get_legend().get_bbox_to_anchor().x0 > ax.get_window_extent().x1 - 1
    # Top 6 touchpoints by Markov credit, largest at the top, then "other" with the rest of the credit.
    ticks = sorted(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()]), reverse=True)
    labels = [lab for _, lab in ticks]  # top to bottom
    ranked = table["markov"].sort_values(ascending=False, kind="mergesort")
    assert labels[:6] == list(ranked.index[:6])
    assert len(labels) == 7 and labels[6] == f"other ({len(ranked) - 6})"
    bars = {c.get_label(): c for c in ax.containers}
    markov = sorted(p.get_width() for p in bars["markov"].patches)
    assert sum(markov) == pytest.approx(table["markov"].sum(), rel=1e-12)
    colours = {m: matplotlib.colors.to_hex(bars[m].patches[0].get_facecolor()) for m in bars}
    assert len(set(colours.values())) == len(colours)
    assert all(colours[m] == jg.model_colour(m).lower() for m in colours)
    # The same model keeps its colour in another chart with other models.
    ax2 = jg.plot_attribution(table, models=["shapley", "markov"])
    again = {c.get_label(): matplotlib.colors.to_hex(c.patches[0].get_facecolor()) for c in ax2.containers}
    assert again["markov"] == colours["markov"]


def test_okabe_ito_palette_is_distinct_for_every_model():
    colours = [jg.model_colour(m) for m in jg.attribution_models()]
    assert len(set(colours)) == len(colours)
    assert colours[:8] == ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def test_attribution_chart_error_bars_from_intervals():
    journeys = jg.Journeys.from_events(jg.datasets.sample_events(1500, seed=2), conversion="conversion")
    ci = jg.attribute(journeys, models=["markov", "last_touch"], ci=0.9, bootstrap=20, seed=3)
    ax = jg.plot_attribution(ci, top=None)
    bars = {c.get_label(): c for c in ax.containers}
    markov = bars["markov"]
    assert markov.errorbar is not None
    segments = markov.errorbar.lines[2][0].get_segments()
    ordered = ci.sort_values("markov", ascending=False)
    # Largest at the top: the first bar drawn (y highest) is the top touchpoint; its error bar spans its interval.
    tops = sorted(zip([p.get_y() for p in markov.patches], segments), key=lambda t: -t[0])
    first = tops[0][1]
    assert first[0][0] == pytest.approx(ordered["markov_lower"].iloc[0], rel=1e-9)
    assert first[1][0] == pytest.approx(ordered["markov_upper"].iloc[0], rel=1e-9)
    assert "90 % intervals" in ax.get_title()


def test_model_comparison_chart():
    journeys = jg.Journeys.from_events(jg.datasets.sample_events(1500, seed=2), conversion="conversion")
    table = jg.attribute(journeys, models=["markov", "first_touch", "last_touch", "linear"])
    ax = jg.plot_model_comparison(table, top=5)
    change = ax.comparison
    # The default baseline is the core's: last_touch when the table has it (as attribute(baseline=None)).
    assert list(change.columns) == ["markov", "first_touch", "linear"]
    top = table["last_touch"].sort_values(ascending=False, kind="mergesort").index[:5]
    assert list(change.index[:5]) == list(top)
    for t in top:
        base = table.loc[t, "last_touch"]
        for m in change.columns:
            if base == 0:  # no credit under the baseline: no bar
                assert np.isnan(change.loc[t, m])
            else:
                assert change.loc[t, m] == pytest.approx(100 * (table.loc[t, m] - base) / base, rel=1e-12)
    bars = {c.get_label(): c for c in ax.containers}
    widths = np.array([p.get_width() for p in bars["linear"].patches])
    want = change["linear"].to_numpy()
    assert np.isnan(widths).sum() == np.isnan(want).sum()
    assert sorted(widths[~np.isnan(widths)]) == pytest.approx(sorted(want[~np.isnan(want)]), rel=1e-12)
    with pytest.raises(jg.JourneyGraphError, match="no column"):
        jg.plot_model_comparison(table, baseline="shapley")
    # Without last_touch: the first model.
    ax = jg.plot_model_comparison(jg.attribute(journeys, models=["linear", "markov"]), top=3)
    assert list(ax.comparison.columns) == ["markov"]
    t = table["linear"].sort_values(ascending=False, kind="mergesort").index[0]
    assert ax.comparison.loc[t, "markov"] == pytest.approx(
        100 * (table.loc[t, "markov"] - table.loc[t, "linear"]) / table.loc[t, "linear"], rel=1e-12)
    # The same rule as the money tables of attribute(): the comparison's baseline there is last_touch too.
    spend = pd.DataFrame({"touchpoint": list(table.index[:2]), "spend": [10.0, 20.0]})
    money = jg.attribute(journeys, models=["markov", "first_touch", "last_touch", "linear"], spend=spend)
    assert money.attrs["model_comparison"].attrs["baseline"] == "last_touch"


def _columns(svg):
    """Column headings of the report's graph and the touchpoints under each (x of the node boxes)."""
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    heads = [t.text for t in root.iter(ns + "text") if t.get("font-weight") == "bold" and t.get("text-anchor") == "middle"]
    return heads


def test_model_plot_is_the_reports_graph(model):
    picture = model.plot()
    assert isinstance(picture, jg.GraphPicture) and picture.svg.startswith("<svg")
    ET.fromstring(picture.svg)
    # Without stages the columns are the touchpoints' median steps, not one "step 1" column.
    heads = _columns(picture.svg)
    assert heads[0] == "start" and heads[-1] == "outcome" and len(heads) >= 4
    assert all(h.startswith("step ") for h in heads[1:-1])
    width = float(re.search(r'<svg[^>]*\swidth="([0-9.]+)"', picture.svg).group(1))
    assert width <= 960
    # At most 40 touchpoint transitions, the rest counted in the caption with their share.
    caption = re.search(r"(\d+) of (\d+) edges drawn \(the heaviest; the other (\d+) carry", picture.svg)
    assert caption and int(caption.group(2)) - int(caption.group(1)) == int(caption.group(3))
    staged = model.plot(stages=jg.datasets.sample_stages())
    assert _columns(staged.svg)[1:-1] == list(jg.datasets.sample_stages()["stage"].drop_duplicates())


def test_median_step_columns_by_hand():
    # a is always first, b second, c third (twice) or second (once): median step 3.
    paths = pd.DataFrame({"path": ["a > b > c", "a > b > c", "a > c"], "total_conversions": [1.0, 0, 1],
                          "total_null": [0.0, 1, 0]})
    m = jg.MarkovModel().fit(jg.Journeys.from_paths(paths))
    svg = m.plot().svg
    assert _columns(svg) == ["start", "step 1", "step 2", "step 3", "outcome"]
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    x = {}
    for g in root.iter(ns + "g"):
        texts = [t for t in g.iter(ns + "text") if t.get("font-weight") == "bold"]
        rects = list(g.iter(ns + "rect"))
        if texts and rects:
            x[texts[0].text] = float(rects[0].get("x"))
    assert x["a"] < x["b"] < x["c"]
