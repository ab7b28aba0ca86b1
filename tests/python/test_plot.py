"""Pictures: the journey graph (Graphviz SVG or matplotlib) and the attribution chart."""

import shutil

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
    picture = model.plot()
    assert isinstance(picture, jg.GraphPicture)
    assert picture._repr_svg_().lstrip().startswith("<?xml") and "<svg" in picture.svg
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
    assert not isinstance(model.plot(), jg.GraphPicture)
    with pytest.raises(jg.JourneyGraphError, match="not on the PATH"):
        model.plot(engine="graphviz")


@pytest.mark.parametrize("kwargs, message", [
    ({"engine": "svg"}, "engine must be"),
    ({"min_probability": 2}, "min_probability must be in"),
])
def test_graph_arguments(model, kwargs, message):
    with pytest.raises(jg.JourneyGraphError, match=message):
        jg.plot_graph(model, **kwargs)
    with pytest.raises(jg.JourneyGraphError, match="not fitted"):
        jg.plot_graph(jg.MarkovModel())


def test_attribution_chart(model):
    journeys = jg.Journeys.from_events(jg.datasets.sample_events(2000, seed=5), conversion="conversion")
    table = jg.attribute(journeys, order=2)
    ax = jg.plot_attribution(table, top=6)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == table.attrs["models"]
    assert len(ax.get_yticklabels()) == 6
    assert len(ax.patches) == 6 * len(table.attrs["models"])
    best = table["markov"].sort_values().index[-1]
    assert ax.get_yticklabels()[-1].get_text() == best
    ax2 = jg.plot_attribution(table.reset_index(), models=["markov", "linear"], value=True, normalize=True)
    assert "share" in ax2.get_xlabel()
    heights = sorted(p.get_width() for p in ax2.patches)
    assert 0 <= heights[0] and heights[-1] <= 100
    with pytest.raises(jg.JourneyGraphError, match="no column 'shapely'"):
        jg.plot_attribution(table, models=["shapely"])
