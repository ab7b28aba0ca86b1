"""journeygraph: customer-journey analytics with exact Markov-chain attribution.

Journeys (ordered touches on channels or touchpoints, ending in a conversion or not) become a directed
graph; a Markov chain of order k is fitted on it and solved exactly (no simulation) to tell which
touchpoints earn the conversions. pandas in, pandas and pictures out; the work is done by the C++ core,
without copying the input columns where their layout allows, releasing the GIL, and interruptible with
Ctrl-C.

Examples
--------
>>> import journeygraph as jg
>>> events = jg.datasets.sample_events()
>>> journeys = jg.Journeys.from_events(events, segment="device", lookback="30d")
>>> jg.attribute(journeys, order=2)
>>> jg.attribute(journeys, models=["markov", "shapley"], ci=0.95)
>>> jg.choose_order(journeys, max_order=3).attrs["recommended_order"]
>>> jg.MarkovModel(order=1).fit(journeys).plot()
>>> jg.JourneyMap(journeys, stages=jg.datasets.sample_stages()).pain_points()

Options are given by name; their defaults are the core's (``jg.JourneyOptions()``, ``jg.ModelOptions()``, ...
show them). ``journeygraph.dask`` (imported on first use) fits and attributes Dask DataFrames on a cluster.
"""

from . import _core
from ._core import (AttributionOptions, BuildReport, JourneyGraphError, JourneyOptions, MapOptions, ModelOptions,
                    OrderChoiceOptions, PainPointOptions, RenderOptions)
from ._journeys import Journeys, read_events, read_paths
from ._map import JourneyMap, map_segments, time_window
from ._model import MarkovModel
from ._attribution import attribute, attribution_models
from ._credit import calibration_table, journey_credit, sequence_removal_effects
from ._counts import TransitionCounts
from ._analysis import choose_order
from ._scoring import score_open
from ._plot import GraphPicture, model_colour, plot_attribution, plot_graph, plot_model_comparison
from . import datasets

__version__: str = _core.__version__

__all__ = [
    "AttributionOptions",
    "BuildReport",
    "GraphPicture",
    "JourneyGraphError",
    "JourneyMap",
    "JourneyOptions",
    "Journeys",
    "MapOptions",
    "MarkovModel",
    "ModelOptions",
    "OrderChoiceOptions",
    "PainPointOptions",
    "RenderOptions",
    "TransitionCounts",
    "__version__",
    "attribute",
    "attribution_models",
    "calibration_table",
    "choose_order",
    "datasets",
    "journey_credit",
    "map_segments",
    "model_colour",
    "plot_attribution",
    "plot_graph",
    "plot_model_comparison",
    "read_events",
    "read_paths",
    "score_open",
    "sequence_removal_effects",
    "time_window",
]


def __getattr__(name: str) -> object:
    # journeygraph.dask imports dask, which is optional and slow to import: load it on first use.
    if name == "dask":
        import importlib

        return importlib.import_module(".dask", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
