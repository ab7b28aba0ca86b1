"""Progress of long calls: a tqdm bar (or any callable) fed by the C++ core's progress callback.

The core reports ``(fraction, stage)`` a few times per second from the thread that made the call, with the
GIL taken for the moment of the report; the same callback checks for Ctrl-C, so an interrupt still stops
the call promptly with KeyboardInterrupt. An exception raised by an observer stops the call the same way
and is re-raised after it.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Any, Callable, Iterator, Optional, Union

from . import _core, _frames

Progress = Union[bool, None, Callable[[float, str], Any]]

# What the core's stage names mean, as bar descriptions.
_STAGES = {
    "read": "reading",
    "build": "building journeys",
    "count": "counting transitions",
    "fit": "fitting the chain",
    "removal effects": "removal effects",
    "heuristics": "rule-based models",
    "bootstrap": "bootstrap replicates",
    "simulate": "simulating journeys",
    "score": "scoring histories",
    "next touches": "best next touches",
    "order": "held-out scoring",
    "draw": "drawing journeys",
    "journey graph": "building the journey graph",
    "edge timings": "timing the edges",
    "reach": "reach of each touchpoint",
    "funnel": "funnel steps",
    "paths": "paths",
    "driver candidates": "finding candidate features",
    "drivers": "counting features",
    "closed journeys": "setting open journeys aside",
    "sankey": "step flows",
}

_STEPS = 1000  # resolution of the bar: the fraction is shown in tenths of a percent


def tqdm_class() -> Any:
    """The tqdm class to draw with: a Jupyter widget when the front end can show one, else text on stderr.

    ``tqdm.auto`` picks the notebook bar inside Jupyter when ipywidgets is installed, and the text bar
    (which Jupyter shows as the cell's stderr) otherwise; its warning that ipywidgets is missing is not
    repeated here, since the text bar is the intended fallback.

    Returns
    -------
    type
        A tqdm class.

    Raises
    ------
    JourneyGraphError
        If tqdm is not installed.
    """
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="IProgress not found")
            from tqdm.auto import tqdm
    except ImportError:
        raise _frames.error("progress=True draws its bar with tqdm, which is not installed (Debian: python3-tqdm)",
                            kind="state") from None
    return tqdm


class Bar:
    """A tqdm bar showing the fraction done of the current stage of a core call.

    Parameters
    ----------
    what : str
        The call, shown until the core names its first stage.
    """

    def __init__(self, what: str) -> None:
        self._what = what
        self._stage: Optional[str] = None
        self._bar = tqdm_class()(total=_STEPS, desc=what, leave=True,
                                 bar_format="{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}]")

    def update(self, fraction: float, stage: str) -> None:
        """Show the progress the core reports.

        Parameters
        ----------
        fraction : float
            Fraction of the stage done, in [0, 1].
        stage : str
            The core's stage name ("read", "build", "count", "fit", ...); a new stage restarts the bar.
        """
        if stage != self._stage:
            self._stage = stage
            self._bar.reset(total=_STEPS)
            self._bar.set_description(f"{self._what}: {_STAGES.get(stage, stage)}", refresh=False)
        n = min(_STEPS, max(0, int(fraction * _STEPS)))
        if n > self._bar.n:
            self._bar.update(n - self._bar.n)

    def close(self, completed: bool) -> None:
        """Finish the bar: full when the call completed, left where it stopped otherwise.

        Parameters
        ----------
        completed : bool
            Whether the call returned normally.
        """
        if completed and self._bar.n < _STEPS:
            self._bar.update(_STEPS - self._bar.n)
        self._bar.close()


def check(progress: Any) -> Progress:
    """Validate a ``progress`` argument: True, False, None or a callable taking (fraction, stage).

    Parameters
    ----------
    progress : bool, None or callable
        The argument.

    Returns
    -------
    bool, None or callable
        The argument, unchanged.
    """
    if progress is None or isinstance(progress, bool) or callable(progress):
        return progress
    raise _frames.error(f"progress must be True, False or a callable(fraction, stage), got {progress!r}")


@contextlib.contextmanager
def reporting(progress: Progress, what: str) -> Iterator[None]:
    """Report the progress of the core calls made in the block.

    Parameters
    ----------
    progress : bool, None or callable
        True draws a tqdm bar; a callable is called as ``progress(fraction, stage)`` a few times per second
        (an exception it raises stops the call and is re-raised); False or None reports nothing.
    what : str
        What the block does, the bar's description.

    Yields
    ------
    None
    """
    check(progress)
    if not progress:
        yield
        return
    bar = Bar(what) if progress is True else None
    observer = bar.update if bar is not None else progress
    previous = _core._set_progress_observer(observer)
    completed = False
    try:
        yield
        completed = True
    finally:
        _core._set_progress_observer(previous)
        if bar is not None:
            bar.close(completed)
