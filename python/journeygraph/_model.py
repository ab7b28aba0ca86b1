"""Markov chains over journeys: fitting, transitions, removal effects, analysis, simulation, persistence."""

from __future__ import annotations

import numbers
import os
from typing import Any, Dict, List, Optional, Union

import pandas as pd

from . import _core, _frames, _html, _progress
from ._journeys import Journeys

PathLike = Union[str, "os.PathLike[str]"]


def _core_set(journeys: Any, what: str) -> "_core.JourneySet":
    if isinstance(journeys, Journeys):
        return journeys.core
    if isinstance(journeys, _core.JourneySet):
        return journeys
    raise _frames.error(
        f"{what} expects journeys (jg.Journeys.from_events, from_paths, read_events or read_paths), "
        f"got {type(journeys).__name__}"
    )


def _order_arg(order: Any) -> int:
    if isinstance(order, bool) or not isinstance(order, numbers.Integral) or int(order) < 1:
        raise _frames.error(f"order must be an integer >= 1, got {order!r}")
    return int(order)


def _smoothing_arg(smoothing: Any) -> float:
    if isinstance(smoothing, bool) or not isinstance(smoothing, numbers.Real):
        raise _frames.error(f"smoothing must be a number >= 0, got {smoothing!r}")
    return float(smoothing)


class MarkovModel:
    """An absorbing Markov chain of order k over journeys, solved exactly.

    States are the sliding k-grams of each journey's touchpoints (a journey shorter than k is one short
    state); START leads to the first state with the journey's weight, the last state leads to the absorbing
    CONVERSION and NULL states. Transition probabilities are (optionally smoothed) maximum-likelihood
    estimates. The conventions are ChannelAttribution's, so results compare directly.

    Parameters
    ----------
    order : int, default 1
        Markov order k (1 to 16): a state is the last k touchpoints.
    smoothing : float, default 0.0
        Additive smoothing alpha >= 0 added to every candidate transition of a touchpoint state (the
        observed continuations of its k-gram, CONVERSION and NULL); 0 is the maximum-likelihood estimate.
    self_loops : {"drop", "keep"}, default "drop"
        "drop" collapses consecutive identical states (ChannelAttribution's rule); "keep" counts them.
    threads : int or None
        Worker threads of the C++ core; None or 0 uses every core. Results do not depend on it.

    Examples
    --------
    >>> model = jg.MarkovModel(order=2).fit(journeys)
    >>> model.conversion_probability
    >>> model.removal_effects()
    """

    def __init__(self, order: int = 1, smoothing: float = 0.0, self_loops: str = "drop",
                 threads: Optional[int] = None) -> None:
        self._order = _order_arg(order)
        self._smoothing = _smoothing_arg(smoothing)
        if self_loops not in ("drop", "keep"):
            raise _frames.error(f"self_loops must be 'drop' or 'keep', got {self_loops!r}")
        self._self_loops = self_loops
        self._threads = _frames.threads_arg(threads)
        self._model: Optional[_core.MarkovModel] = None
        self._removal: Optional[Dict[str, Any]] = None

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
        core = _core_set(journeys, "MarkovModel.fit")
        with _progress.reporting(progress, "fit"):
            self._model = _core.MarkovModel.fit(core, self._order, self._smoothing, self._self_loops, self._threads)
        self._removal = None
        return self

    # ------------------------------------------------------------------------------------ saving and loading

    @classmethod
    def _from_core(cls, core: "_core.MarkovModel", threads: Optional[int] = None) -> "MarkovModel":
        model = cls(order=core.order, smoothing=core.smoothing, self_loops=core.self_loops, threads=threads)
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
    def from_bytes(cls, data: Union[bytes, bytearray, memoryview], threads: Optional[int] = None,
                   progress: _progress.Progress = False) -> "MarkovModel":
        """A model from :meth:`to_bytes` output, refitted deterministically: every result equals the saved model's.

        Parameters
        ----------
        data : bytes, bytearray or memoryview
            The serialized model.
        threads : int or None
            Worker threads of the C++ core for the refit and later calls; None or 0 uses every core.
        progress : bool or callable, default False
            True draws a progress bar (tqdm); a callable receives ``(fraction, stage)``.

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
            core = _core.MarkovModel.from_bytes(data, "<memory>", _frames.threads_arg(threads))
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
        threads : int or None
            Worker threads of the C++ core for the refit and later calls; None or 0 uses every core.
        progress : bool or callable, default False
            True draws a progress bar (tqdm); a callable receives ``(fraction, stage)``.

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
            core = _core.MarkovModel.load(os.fspath(path), _frames.threads_arg(threads))
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
        return {
            "params": (self._order, self._smoothing, self._self_loops, self._threads),
            "model": self._model.to_bytes() if self._model is not None else None,
        }

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self._order, self._smoothing, self._self_loops, self._threads = state["params"]
        self._removal = None
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
        return self._order

    @property
    def smoothing(self) -> float:
        """Additive smoothing alpha."""
        return self._smoothing

    @property
    def self_loops(self) -> str:
        """"drop" or "keep"."""
        return self._self_loops

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
        m = self._fitted()
        return {
            "journeys": m.journeys,
            "conversions": m.total_conversions,
            "nulls": m.total_nulls,
            "value": m.total_value,
        }

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
        """Every transition of the fitted chain, row by row.

        Returns
        -------
        pandas.DataFrame
            Columns ``from``, ``to`` (state names; "(start)", "(conversion)", "(null)" for the special
            states), ``count`` (observed weight; 0 for transitions that exist only by smoothing) and
            ``probability``.
        """
        cols = self._fitted().transitions()
        return pd.DataFrame({"from": cols["from"], "to": cols["to"], "count": cols["count"],
                             "probability": cols["probability"]})

    def _removal_effects(self, progress: _progress.Progress = False) -> Dict[str, Any]:
        if self._removal is None:
            model = self._fitted()
            with _progress.reporting(progress, "removal effects"):
                self._removal = model.removal_effects(self._threads)
        return self._removal

    def removal_effects(self, progress: _progress.Progress = False) -> pd.DataFrame:
        """Exact removal effects and the Markov attribution, one row per touchpoint.

        Removing touchpoint c sends every state containing c to NULL; its removal effect is
        ``1 - P(conversion | c removed) / P(conversion)``, and the Markov attribution of c is its removal
        effect over the sum of all removal effects, times the total conversions. The value columns apply
        the same formulas to expected value. Computed once (one sparse solve per touchpoint), then cached.

        Parameters
        ----------
        progress : bool or callable, default False
            True draws a progress bar (tqdm); a callable receives ``(fraction, stage)``.

        Returns
        -------
        pandas.DataFrame
            Columns ``touchpoint``, ``removal_effect``, ``removal_effect_value``, ``conversions``,
            ``value``. ``attrs`` holds ``order``, ``conversion_probability``, ``expected_value``,
            ``total_conversions``, ``total_value``, ``max_residual`` (the largest relative residual of
            the solves) and ``conversion_probability_without`` (a dict by touchpoint).

        Raises
        ------
        JourneyGraphError
            If the model is unfitted or has no conversions.
        KeyboardInterrupt
            When interrupted (Ctrl-C).
        """
        r = self._removal_effects(progress)
        df = pd.DataFrame({
            "touchpoint": r["touchpoint"],
            "removal_effect": r["removal_effect"],
            "removal_effect_value": r["removal_effect_value"],
            "conversions": r["conversions"],
            "value": r["value"],
        })
        df.attrs.update({
            "order": self._order,
            "conversion_probability": r["conversion_probability"],
            "expected_value": r["expected_value"],
            "total_conversions": r["total_conversions"],
            "total_value": r["total_value"],
            "max_residual": r["max_residual"],
            "conversion_probability_without": dict(zip(r["touchpoint"], r["conversion_probability_without"].tolist())),
        })
        return df

    # ------------------------------------------------------------------------------------ analysis

    def analysis(self) -> pd.DataFrame:
        """Fundamental-matrix quantities of the chain, one row per transient state, by sparse solves.

        Touches are counted as the chain sees a journey: entering a state from START adds its touchpoints,
        every later state its last one.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``state`` ("(start)" first), columns ``conversion_probability`` (P(absorption in
            CONVERSION) from the state), ``expected_value`` (expected conversion value from the state),
            ``touches_to_go`` (expected touches still to come; for START the expected touches of a journey)
            and ``expected_visits`` (per journey). ``attrs`` holds ``expected_touches``, ``max_residual``
            and ``touchpoint_visits`` (a dict: expected touches of each touchpoint per journey).

        Raises
        ------
        JourneyGraphError
            If the model is unfitted.
        """
        a = _core.analyze_chain(self._fitted(), self._threads)
        df = pd.DataFrame({
            "conversion_probability": a["conversion_probability"],
            "expected_value": a["expected_value"],
            "touches_to_go": a["touches_to_go"],
            "expected_visits": a["expected_visits"],
        }, index=pd.Index(a["states"], name="state"))
        df.attrs.update({
            "expected_touches": a["expected_touches"],
            "max_residual": a["max_residual"],
            "touchpoint_visits": dict(zip(a["touchpoints"], a["touchpoint_visits"].tolist())),
        })
        return df

    def simulate(self, journeys: int = 10000, seed: int = 0, max_touches: int = 10000) -> Journeys:
        """Draw synthetic journeys from the fitted chain.

        Each journey walks the chain from START by its transition probabilities until CONVERSION or NULL;
        refitting them with the same order estimates this chain's probabilities. Seeded: the same seed
        gives the same journeys, whatever the thread count.

        Parameters
        ----------
        journeys : int, default 10000
            Journeys to draw.
        seed : int, default 0
            Seed of the draws.
        max_touches : int, default 10000
            A journey still running after this many touches ends as a non-conversion.

        Returns
        -------
        Journeys
            One row per journey: 1 conversion (value: the last state's mean value per conversion) or 1
            non-conversion; no timestamps.
        """
        for name, v, low in (("journeys", journeys, 0), ("seed", seed, 0), ("max_touches", max_touches, 1)):
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or int(v) < low:
                raise _frames.error(f"{name} must be an integer >= {low}, got {v!r}")
        core, report = _core.simulate_journeys(self._fitted(), int(journeys), int(seed), int(max_touches),
                                               self._threads)
        return Journeys(core, report)

    # ------------------------------------------------------------------------------------ pictures

    def to_dot(self, min_probability: float = 0.02, max_states: int = 30) -> str:
        """The journey graph as Graphviz DOT source.

        Parameters
        ----------
        min_probability : float, default 0.02
            Hide transitions less likely than this.
        max_states : int, default 30
            Draw at most this many touchpoint states (the most visited).

        Returns
        -------
        str
        """
        from ._plot import graph_dot

        return graph_dot(self, min_probability=min_probability, max_states=max_states)

    def plot(self, **kwargs: Any) -> Any:
        """Draw the journey graph: same as ``jg.plot_graph(model, **kwargs)``.

        Parameters
        ----------
        **kwargs
            ``min_probability``, ``max_states``, ``engine``, ``ax``: see :func:`plot_graph`.

        Returns
        -------
        GraphPicture or matplotlib.axes.Axes
            An SVG picture when Graphviz's ``dot`` is available, else a matplotlib drawing.
        """
        from ._plot import plot_graph

        return plot_graph(self, **kwargs)

    # ------------------------------------------------------------------------------------ display

    def __repr__(self) -> str:
        params = f"order={self._order}, smoothing={self._smoothing!r}, self_loops={self._self_loops!r}"
        if self._model is None:
            return f"<journeygraph.MarkovModel({params}): not fitted>"
        return (
            f"<journeygraph.MarkovModel({params}): {self.n_states:,} states, "
            f"P(conversion) {self.conversion_probability:.6g}>"
        )

    def _repr_html_(self) -> str:
        title = f"journeygraph.MarkovModel (order {self._order})"
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
            ("smoothing", f"{self._smoothing:g}"),
            ("self loops", self._self_loops),
        ]
        return _html.summary_table(title, rows)
