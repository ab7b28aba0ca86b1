"""Open-journey scoring: P(conversion | the touches so far), expected value, touches to go, next best touch."""

from __future__ import annotations

from typing import Any, Iterable, Optional, Sequence, Union

import pandas as pd

from . import _core, _frames, _options, _progress
from ._journeys import Journeys
from ._tables import frame

Histories = Union[Journeys, Iterable[Sequence[str]]]

_SEP = "\x1f"  # the ASCII unit separator: never part of a touchpoint name a caller types


def histories_set(histories: Histories, what: str) -> "_core.JourneySet":
    """The core journey set of histories given as Journeys or as lists of touchpoint names."""
    if isinstance(histories, Journeys):
        return histories.core
    if isinstance(histories, (str, bytes, pd.DataFrame)):
        raise _frames.error(f"{what}: histories are Journeys or a list of lists of touchpoint names, "
                            f"got {type(histories).__name__}")
    rows = []
    for i, h in enumerate(histories):
        if isinstance(h, str):
            raise _frames.error(f"{what}: history {i} is the string {h!r}; give a list of touchpoint names")
        names = [str(x) for x in h]
        if any(_SEP in n for n in names):
            raise _frames.error(f"{what}: history {i} has a touchpoint name with the control character U+001F")
        rows.append(_SEP.join(names))
    df = pd.DataFrame({"path": rows})
    return Journeys.from_paths(df, conversions=None, sep=_SEP, check_separator=False).core


def score_frames(tables: list) -> pd.DataFrame:
    """The 'scores' DataFrame, with the 'next_touch' table (when asked for) in ``attrs['next_touch']``."""
    scores = frame(tables[0])
    if len(tables) > 1:
        scores.attrs["next_touch"] = frame(tables[1])
    return scores


@_options.documented(progress=_options.PROGRESS_DOC)
def score_open(journeys: Journeys, model: Any = None, *, window: Any = None, next: int = 0,
               threads: Optional[int] = None, progress: _progress.Progress = False, **options: Any) -> pd.DataFrame:
    """Score the open journeys of an event log: those without a conversion whose last touch is within ``window``
    of the data's last timestamp.

    Parameters
    ----------
    journeys : Journeys
        Journeys built from events with timestamps.
    model : MarkovModel, optional
        A fitted (or loaded) model. None fits one on the journeys that are not open (an open journey has not
        ended: counting it as a non-conversion would bias the chain), with ``options``.
    window : float or str, optional
        Seconds or a duration such as "7d"; the core's default (30 days) when None. Use at most the
        inactivity gap the journeys were split with.
    next : int, default 0
        Also list each journey's ``next`` best next touches in ``attrs['next_touch']`` (a DataFrame).
    threads : int or None
        Worker threads; results do not depend on it.
    {progress}
    **options
        Chain options (``order``, ``smoothing``, ``self_loops``) when the model is fitted here.

    Returns
    -------
    pandas.DataFrame
        The core's ``scores`` table (docs/tables.md): journey and part (the journey's key,
        as in ``journey_credit``), path, touches,
        conversion_probability, expected_value, touches_to_go, matched, backed_off, best_next_touch,
        best_next_lift; ``attrs`` holds window, data_end, journeys, open, backed_off and unknown_touches.

    Raises
    ------
    JourneyGraphError
        For journeys without timestamps, a window that is not > 0, or an unfitted model.

    Examples
    --------
    >>> open_scores = jg.score_open(journeys, order=2, window="7d")
    >>> open_scores.sort_values("conversion_probability", ascending=False).head()
    """
    from ._model import MarkovModel

    core = journeys.core if isinstance(journeys, Journeys) else None
    if core is None:
        raise _frames.error(f"score_open expects Journeys, got {type(journeys).__name__}")
    w = _core.default_open_window() if window is None else _options.duration_seconds(window, "window")
    if model is not None and options:
        raise _frames.error(f"the chain options of a fitted model are its own; leave {', '.join(options)} out")
    if model is not None and not isinstance(model, MarkovModel):
        raise _frames.error(f"score_open: model must be a MarkovModel, got {type(model).__name__}")
    with _progress.reporting(progress, "score_open"):
        if model is None:
            closed = Journeys(_core.closed_journeys(core, w), journeys.report)
            model = MarkovModel(threads=threads, **options).fit(closed)
        return score_frames(_core.score_open(model.core, core, w, int(next), _options.threads(threads)))
