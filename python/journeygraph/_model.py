"""Markov chains over journeys: fitting, transitions, removal effects, analysis, simulation, persistence."""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Union

import pandas as pd

from . import _core, _frames, _html, _options, _progress
from ._journeys import Journeys
from ._tables import frame

PathLike = Union[str, "os.PathLike[str]"]


def core_set(journeys: Any, what: str) -> "_core.JourneySet":
    """The C++ journey set of Journeys (or of a core set), or an error naming the call."""
    if isinstance(journeys, Journeys):
        return journeys.core
    if isinstance(journeys, _core.JourneySet):
        return journeys
    raise _frames.error(
        f"{what} expects journeys (jg.Journeys.from_events, from_paths, read_events or read_paths), "
        f"got {type(journeys).__name__}"
    )


class MarkovModel:
    """An absorbing Markov chain of order k over journeys, solved exactly.

    States are the sliding k-grams of each journey's touchpoints (a journey shorter than k is one short
    state); START leads to the first state with the journey's weight, the last state leads to the absorbing
    CONVERSION and NULL states. Transition probabilities are (optionally smoothed) maximum-likelihood
    estimates. The conventions are ChannelAttribution's, so results compare directly.

    Parameters
    ----------
    threads : int or None
        Worker threads of the C++ core; None or 0 uses every core. Results do not depend on it.
    **options
        The chain's options by name (defaults are the core's): ``order`` (k, 1 to 16: a state is the last k
        touchpoints), ``smoothing`` (additive smoothing alpha >= 0 on every candidate transition of a
        touchpoint state; 0 is the maximum-likelihood estimate), ``self_loops`` ("drop" collapses
        consecutive identical states, ChannelAttribution's rule; "keep" counts them).

    Examples
    --------
    >>> model = jg.MarkovModel(order=2).fit(journeys)
    >>> model.conversion_probability
    >>> model.removal_effects()
    """

    def __init__(self, threads: Optional[int] = None, **options: Any) -> None:
        self._options = _options.make(_core.ModelOptions, "MarkovModel", options)
        self._threads = _options.threads(threads)
        self._model: Optional[_core.MarkovModel] = None
        # The journeys fit() saw, for plot() (the graph's columns and visits come from them).
        self._journeys: Optional[Journeys] = None
        self._removal: Optional[pd.DataFrame] = None

    def fit(self, journeys: Journeys, progress: _progress.Progress = False) -> "MarkovModel":
        """Count the transitions of the journeys and fit the chain.

        Parameters
        ----------
        journeys : Journeys
            The journeys to fit on.
        progress : bool or callable, default False
            True draws a progress bar (tqdm: a widget in Jupyter when available, else text on stderr); a
            callable receives ``(fraction, stage)`` a few times per second. Results do not depend on it.

        Returns
        -------
        MarkovModel
            self, fitted.

        Raises
        ------
        JourneyGraphError
            For an order outside 1..16, a negative smoothing, or journeys without positive weight.
        KeyboardInterrupt
            When interrupted (Ctrl-C); counting stops within a fraction of a second.
        """
        core = core_set(journeys, "MarkovModel.fit")
        with _progress.reporting(progress, "fit"):
            self._model = _core.MarkovModel.fit(core, self._options, self._threads)
        self._journeys = journeys if isinstance(journeys, Journeys) else None
        self._removal = None
        return self

    @_options.documented(progress=_options.indent(_options.PROGRESS_DOC, 4))
    def score(self, histories: Any, *, next: int = 0, progress: _progress.Progress = False) -> pd.DataFrame:
        """Score journeys that have not ended: P(conversion | the touches so far), the expected value and the
        expected touches to go, from the chain's exact solves, and the best next touch.

        A history of at least ``order`` touches is scored by the state of its last ``order`` touches; a shorter
        one by the mixture of the first states that begin with it; an unseen one backs off to its longest seen
        suffix (``backed_off`` is True and ``matched`` counts the touches still matched). The tables behind it
        are computed once per call (one analysis of the chain).

        Parameters
        ----------
        histories : Journeys or list of lists of str
            The journeys so far (their outcomes are ignored), e.g. ``[["search", "email"], ["display"]]``.
        next : int, default 0
            Also list each history's ``next`` best next touches in ``attrs['next_touch']`` (a DataFrame with
            journey, rank, touchpoint, lift, conversion_probability, backed_off).
        {progress}

        Returns
        -------
        pandas.DataFrame
            The core's ``scores`` table (docs/tables.md), one row per history: journey and part
            (the journey's key, as in ``journey_credit``; the row without keys), path, touches,
            conversion_probability, expected_value, touches_to_go, matched, backed_off, best_next_touch,
            best_next_lift.

        Raises
        ------
        JourneyGraphError
            If the model is not fitted, or for malformed histories.

        Examples
        --------
        >>> model.score([["search", "email"], ["display"]])
        """
        from ._scoring import histories_set, score_frames

        core = histories_set(histories, "MarkovModel.score")
        with _progress.reporting(progress, "score"):
            return score_frames(_core.score_histories(self._fitted(), core, int(next), self._threads))

    # ------------------------------------------------------------------------------------ saving and loading

    @classmethod
    def _from_core(cls, core: "_core.MarkovModel", threads: Optional[int] = None) -> "MarkovModel":
        model = cls(threads=threads, order=core.order, smoothing=core.smoothing, self_loops=core.self_loops)
        model._model = core
        return model

    def to_bytes(self) -> bytes:
        """The fitted model in journeygraph's binary format (its counts and smoothing; versioned, CRC-64 checked).

        Returns
        -------
        bytes
            Reads back with :meth:`from_bytes` into a model equal to this one bit for bit.

        Raises
        ------
        JourneyGraphError
            If the model is not fitted.
        """
        return self._fitted().to_bytes()

    @classmethod
    @_options.documented(progress=_options.indent(_options.PROGRESS_DOC, 4))
    def from_bytes(cls, data: Union[bytes, bytearray, memoryview], threads: Optional[int] = None,
                   progress: _progress.Progress = False) -> "MarkovModel":
        """A model from :meth:`to_bytes` output, refitted deterministically: every result equals the saved model's.

        Parameters
        ----------
        data : bytes, bytearray or memoryview
            The serialized model.
        threads : int or None
            Worker threads of the C++ core for the refit and later calls; None or 0 uses every core.
        {progress}

        Returns
        -------
        MarkovModel

        Raises
        ------
        JourneyGraphError
            For truncated, corrupted (checksum) or inconsistent data, counts instead of a model, or a format
            version newer than this library reads; the message names the byte offset.
        """
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise _frames.error(f"MarkovModel.from_bytes expects bytes (from to_bytes), got {type(data).__name__}")
        with _progress.reporting(progress, "load"):
            core = _core.MarkovModel.from_bytes(data, "<memory>", _options.threads(threads))
        return cls._from_core(core, threads)

    def save(self, path: PathLike) -> None:
        """Write the fitted model to a file (:meth:`to_bytes`; the ``journeygraph fit -o`` format).

        Parameters
        ----------
        path : str or os.PathLike
            The file (by convention ``.jgm``); replaced if it exists.

        Raises
        ------
        JourneyGraphError
            If the model is not fitted (kind "state") or the file cannot be written (kind "io").
        """
        self._fitted().save(os.fspath(path))

    @classmethod
    def load(cls, path: PathLike, threads: Optional[int] = None,
             progress: _progress.Progress = False) -> "MarkovModel":
        """Read a model written by :meth:`save` or ``journeygraph fit -o``.

        Parameters
        ----------
        path : str or os.PathLike
            The file.
        threads, progress
            As in :meth:`from_bytes`.

        Returns
        -------
        MarkovModel
            Equal to the saved model bit for bit (transitions, probabilities, removal effects).

        Raises
        ------
        JourneyGraphError
            If the file cannot be read (kind "io"), or is not a model, truncated, corrupted or of a newer
            format version (kind "parse"; the message names the file and the byte offset).
        """
        with _progress.reporting(progress, "load"):
            core = _core.MarkovModel.load(os.fspath(path), _options.threads(threads))
        return cls._from_core(core, threads)

    def counts(self) -> Any:
        """The transition counts the model was fitted on (mergeable with counts of other journeys).

        Returns
        -------
        TransitionCounts
        """
        from ._counts import TransitionCounts

        return TransitionCounts(self._fitted().counts())

    def __getstate__(self) -> Dict[str, Any]:
        return {"options": {name: getattr(self._options, name) for name in _options.fields(_core.ModelOptions)},
                "threads": self._threads, "model": self._model.to_bytes() if self._model is not None else None}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self._options = _options.make(_core.ModelOptions, "MarkovModel", state["options"])
        self._threads = state["threads"]
        self._removal = None
        self._journeys = None
        data = state["model"]
        self._model = _core.MarkovModel.from_bytes(data, "<pickle>", self._threads) if data is not None else None

    # ------------------------------------------------------------------------------------ properties

    def _fitted(self) -> "_core.MarkovModel":
        if self._model is None:
            raise _frames.error("the model is not fitted: call fit(journeys) first", kind="state")
        return self._model

    @property
    def fitted(self) -> bool:
        """Whether :meth:`fit` has run."""
        return self._model is not None

    @property
    def order(self) -> int:
        """Markov order k."""
        return self._options.order

    @property
    def smoothing(self) -> float:
        """Additive smoothing alpha."""
        return self._options.smoothing

    @property
    def self_loops(self) -> str:
        """"drop" or "keep"."""
        return self._options.self_loops

    @property
    def n_states(self) -> int:
        """Transient states including START (ChannelAttribution reports the same number)."""
        return self._fitted().n_states

    @property
    def conversion_probability(self) -> float:
        """P(absorption in CONVERSION | START): the chain's conversion rate."""
        return self._fitted().conversion_probability

    @property
    def expected_value(self) -> float:
        """Expected conversion value per journey from START."""
        return self._fitted().expected_value

    @property
    def solve_residual(self) -> float:
        """Largest relative residual ||b - Ax|| / ||b|| of the solves behind :attr:`conversion_probability`.

        0 for an acyclic chain; direct solves give rounding-level values, iterative ones (very large
        strongly connected parts) at most 1e-12.
        """
        return self._fitted().solve_residual

    @property
    def touchpoints(self) -> List[str]:
        """Touchpoint names of the chain, sorted (byte order)."""
        return self._fitted().touchpoints

    @property
    def totals(self) -> Dict[str, float]:
        """Journeys (weight), conversions, non-conversions and value the model was fitted on."""
        c = self._fitted().counts()
        return {"journeys": c.journeys, "conversions": c.total_conversions, "nulls": c.total_nulls,
                "value": c.total_value}

    @property
    def core(self) -> "_core.MarkovModel":
        """The fitted C++ model (compressed transition rows as read-only numpy views via ``rows()``)."""
        return self._fitted()

    def state_names(self) -> List[str]:
        """Names of the transient states ("(start)" first, then "a > b" k-grams), then "(conversion)" and "(null)".

        Returns
        -------
        list of str
        """
        return self._fitted().state_names()

    # ------------------------------------------------------------------------------------ tables

    def transitions(self) -> pd.DataFrame:
        """Every transition of the fitted chain, row by row: the core's ``transitions`` table.

        Returns
        -------
        pandas.DataFrame
            Columns ``from``, ``to`` (state names; "(start)", "(conversion)", "(null)" for the special
            states), ``count`` (observed weight; 0 for transitions that exist only by smoothing) and
            ``probability``; ``attrs`` holds the table's metadata (docs/tables.md).
        """
        return frame(self._fitted().transitions())

    @_options.documented(progress=_options.indent(_options.PROGRESS_DOC, 4))
    def removal_effects(self, progress: _progress.Progress = False) -> pd.DataFrame:
        """Exact removal effects and the Markov attribution, one row per touchpoint.

        Removing touchpoint c sends every state containing c to NULL; its removal effect is
        ``1 - P(conversion | c removed) / P(conversion)``, and the Markov attribution of c is its removal
        effect over the sum of all removal effects, times the total conversions. The value columns apply
        the same formulas to expected value. Computed once (one sparse solve per touchpoint), then cached.

        Parameters
        ----------
        {progress}

        Returns
        -------
        pandas.DataFrame
            The core's ``removal_effects`` table: columns ``touchpoint``, ``removal_effect``,
            ``removal_effect_value``, ``conversions``, ``value``, ``conversion_probability_without``;
            ``attrs`` holds ``order`` and the table's metadata (``conversion_probability``,
            ``expected_value``, ``total_conversions``, ``total_value``, ``max_residual``).

        Raises
        ------
        JourneyGraphError
            If the model is unfitted or has no conversions.
        KeyboardInterrupt
            When interrupted (Ctrl-C).
        """
        if self._removal is None:
            model = self._fitted()
            with _progress.reporting(progress, "removal effects"):
                self._removal = frame(model.removal_effects(self._threads))
            self._removal.attrs["order"] = self.order
        return self._removal.copy()

    # ------------------------------------------------------------------------------------ analysis

    def analysis(self) -> pd.DataFrame:
        """Fundamental-matrix quantities of the chain, one row per transient state, by sparse solves.

        Touches are counted as the chain sees a journey: entering a state from START adds its touchpoints,
        every later state its last one.

        Returns
        -------
        pandas.DataFrame
            The core's ``chain_analysis`` table indexed by ``state`` ("(start)" first): columns
            ``conversion_probability`` (P(absorption in CONVERSION) from the state), ``expected_value``,
            ``touches_to_go`` (expected touches still to come; for START the expected touches of a journey)
            and ``expected_visits`` (per journey). ``attrs`` holds ``expected_touches``, ``max_residual``
            and ``touchpoint_visits`` (a dict: expected touches of each touchpoint per journey).

        Raises
        ------
        JourneyGraphError
            If the model is unfitted.
        """
        states, visits = self._fitted().analysis(self._threads)
        df = frame(states, index="state")
        df.attrs["touchpoint_visits"] = dict(zip(visits["columns"]["touchpoint"],
                                                 visits["columns"]["expected_visits"].tolist()))
        return df

    def simulate(self, **options: Any) -> Journeys:
        """Draw synthetic journeys from the fitted chain.

        Each journey walks the chain from START by its transition probabilities until CONVERSION or NULL;
        refitting them with the same order estimates this chain's probabilities. Seeded: the same seed
        gives the same journeys, whatever the thread count.

        Parameters
        ----------
        **options
            By name (defaults are the core's): ``journeys`` (how many to draw), ``seed``, ``max_touches`` (a
            journey still running after this many touches ends as a non-conversion).

        Returns
        -------
        Journeys
            One row per journey: 1 conversion (value: the last state's mean value per conversion) or 1
            non-conversion; no timestamps.
        """
        opts = _options.make(_core.SimulationOptions, "simulate", options)
        core, report = self._fitted().simulate(opts, self._threads)
        return Journeys(core, report)

    # ------------------------------------------------------------------------------------ pictures

    def to_dot(self) -> str:
        """The journey graph the chain implies, at touchpoint level, as the core's Graphviz DOT.

        Returns
        -------
        str
        """
        return self._fitted().graph(self._threads)[0]

    def plot(self, **kwargs: Any) -> Any:
        """Draw the journey graph: same as ``jg.plot_graph(model, **kwargs)``.

        By default the picture is the HTML report's graph of the journeys the model was fitted on (the model
        keeps a reference to them): columns by stage when ``stages`` is given, else by each touchpoint's typical
        position in the journeys; the 40 heaviest transitions, the rest summarised in the caption.

        Parameters
        ----------
        **kwargs
            ``journeys``, ``stages``, ``max_edges``, ``min_probability``, ``engine``, ``ax``: see
            :func:`plot_graph`.

        Returns
        -------
        GraphPicture or matplotlib.axes.Axes
            An SVG picture (shown inline in Jupyter), or a matplotlib drawing with ``engine="matplotlib"``.
        """
        from ._plot import plot_graph

        return plot_graph(self, **kwargs)

    # ------------------------------------------------------------------------------------ display

    def __repr__(self) -> str:
        params = f"order={self.order}, smoothing={self.smoothing!r}, self_loops={self.self_loops!r}"
        if self._model is None:
            return f"<journeygraph.MarkovModel({params}): not fitted>"
        return (
            f"<journeygraph.MarkovModel({params}): {self.n_states:,} states, "
            f"P(conversion) {self.conversion_probability:.6g}>"
        )

    def _repr_html_(self) -> str:
        title = f"journeygraph.MarkovModel (order {self.order})"
        if self._model is None:
            return _html.summary_table(title, [("status", "not fitted")])
        t = self.totals
        rows = [
            ("states", f"{self.n_states:,} (START included)"),
            ("P(conversion)", f"{self.conversion_probability:.6g}"),
            ("expected value per journey", f"{self.expected_value:.6g}"),
            ("journeys", _html.number(t["journeys"])),
            ("conversions", _html.number(t["conversions"])),
            ("value", _html.number(t["value"])),
            ("smoothing", f"{self.smoothing:g}"),
            ("self loops", self.self_loops),
        ]
        return _html.summary_table(title, rows)
