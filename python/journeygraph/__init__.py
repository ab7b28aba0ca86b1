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
>>> journeys = jg.Journeys.from_events(events, journey="journey_id", time="timestamp",
...                                    touchpoint="touchpoint", conversion="conversion", value="value")
>>> jg.attribute(journeys, order=2)
>>> jg.MarkovModel(order=1).fit(journeys).plot()
>>> jg.JourneyMap(journeys, stages=jg.datasets.sample_stages()).pain_points()
"""

from . import _core
from ._core import BuildReport, JourneyGraphError
from ._journeys import Journeys, read_events, read_paths
from ._map import JourneyMap, map_segments, time_window
from ._model import MarkovModel, attribute, attribution_models
from ._plot import GraphPicture, plot_attribution, plot_graph
from . import datasets

__version__: str = _core.__version__

__all__ = [
    "BuildReport",
    "GraphPicture",
    "JourneyGraphError",
    "JourneyMap",
    "Journeys",
    "MarkovModel",
    "__version__",
    "attribute",
    "attribution_models",
    "datasets",
    "map_segments",
    "plot_attribution",
    "plot_graph",
    "read_events",
    "read_paths",
    "time_window",
]
