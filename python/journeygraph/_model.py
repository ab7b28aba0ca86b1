"""Markov chains over journeys and attribution: which touchpoints earn the conversions."""

from __future__ import annotations

import numbers
import os
from typing import Any, Dict, Iterable, List, Optional, Union

import numpy as np
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


def attribution_models(journeys: Optional[Journeys] = None) -> List[str]:
    """Names of the attribution models the C++ core offers, in its declaration order.

    Parameters
    ----------
    journeys : Journeys, optional
        When given, only the models that apply to these journeys: ``time_decay`` needs timestamps, so it is
        left out for journeys without them (aggregated paths).

    Returns
    -------
    list of str
        ``["markov", "first_touch", "last_touch", "linear", "last_non_direct", "position_based",
        "j_curve", "inverse_j", "time_decay", "participation", "shapley", "ordered_shapley"]``; each name
        is accepted by :func:`attribute`.
    """
    if journeys is None:
        return list(_core.all_models())
    return list(_core.applicable_models(_core_set(journeys, "attribution_models")))


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


def _model_list(models: Union[None, str, Iterable[str]], core: "_core.JourneySet") -> List[str]:
    if models is None or (isinstance(models, str) and models == "all"):
        return list(_core.applicable_models(core))
    if isinstance(models, str):
        models = [models]
    try:
        names = list(models)
    except TypeError:
        raise _frames.error(f"models must be a model name or a list of names, got {models!r}") from None
    out: List[str] = []
    for name in names:
        if not isinstance(name, str):
            raise _frames.error(f"a model name must be a string, got {name!r}")
        canonical = _core.parse_model(name)
        if canonical not in out:
            out.append(canonical)
    if not out:
        raise _frames.error(f"no attribution model requested (known: {', '.join(attribution_models())})")
    return out


def _half_life_arg(half_life: Any) -> float:
    if isinstance(half_life, str):
        return float(_core.parse_duration(half_life))
    if isinstance(half_life, bool) or not isinstance(half_life, numbers.Real):
        raise _frames.error(f"half_life must be seconds or a duration such as '7d', got {half_life!r}")
    return float(half_life)


def _bootstrap_args(ci: Any, bootstrap: Any) -> "tuple[int, float]":
    if ci is not None and (isinstance(ci, bool) or not isinstance(ci, numbers.Real)):
        raise _frames.error(f"ci must be a confidence level in (0, 1) such as 0.95, got {ci!r}")
    if bootstrap is not None and (isinstance(bootstrap, bool) or not isinstance(bootstrap, numbers.Integral)
                                  or int(bootstrap) < 0):
        raise _frames.error(f"bootstrap must be a number of replicates >= 0, got {bootstrap!r}")
    if ci is None and not bootstrap:
        return 0, 0.95
    replicates = 200 if bootstrap is None else int(bootstrap)
    if replicates == 0:
        raise _frames.error("ci needs bootstrap replicates: leave bootstrap out (200) or give at least 2")
    return replicates, 0.95 if ci is None else float(ci)


def attribute(
    journeys: Union[Journeys, MarkovModel],
    models: Union[None, str, Iterable[str]] = None,
    order: int = 1,
    smoothing: float = 0.0,
    self_loops: str = "drop",
    threads: Optional[int] = None,
    *,
    ci: Optional[float] = None,
    bootstrap: Optional[int] = None,
    seed: int = 0,
    excluded: Iterable[str] = ("direct",),
    position_weights: "tuple[float, float]" = (0.4, 0.4),
    half_life: Union[float, str] = "7d",
    max_coalition: int = 0,
    progress: _progress.Progress = False,
) -> pd.DataFrame:
    """Credit the conversions and value of the journeys to their touchpoints, with several models.

    Parameters
    ----------
    journeys : Journeys or MarkovModel
        The journeys; or a fitted (or loaded) model, which gives the markov attribution of its chain
        (the heuristic models need the journeys themselves, and the chain options are the model's own).
    models : str, list of str or None
        Model names (see :func:`attribution_models`); None or "all" runs every model that applies to the
        journeys (``time_decay`` needs timestamps). "markov" is the exact removal-effect attribution of a
        chain of the given order; "shapley" the simplified Shapley value over touchpoint sets and
        "ordered_shapley" its split by position of first appearance; the others are rule-based
        (first_touch, last_touch, last_non_direct, linear, position_based, j_curve, inverse_j, time_decay,
        participation).
    order : int, default 1
        Order of the Markov chain.
    smoothing : float, default 0.0
        Additive smoothing of the Markov chain.
    self_loops : {"drop", "keep"}, default "drop"
        Self-loop rule of the Markov chain.
    threads : int or None
        Worker threads; None or 0 uses every core. Results do not depend on it.
    ci : float, optional
        Confidence level of bootstrap intervals, e.g. 0.95. With ``ci`` or ``bootstrap``, every model gets
        a standard error and a percentile interval per touchpoint from a journey-level Poisson bootstrap
        (every model rerun exactly on each replicate).
    bootstrap : int, optional
        Bootstrap replicates (default 200 when ``ci`` is given; 0 or None without ``ci``: no intervals).
    seed : int, default 0
        Seed of the bootstrap: the same seed gives the same intervals, whatever ``threads``.
    excluded : iterable of str, default ("direct",)
        Touchpoints ``last_non_direct`` passes over; a journey of excluded touches only credits its last.
    position_weights : (float, float), default (0.4, 0.4)
        ``position_based`` shares of the first and of the last touch; the touches between share the rest.
        One touch takes everything; two touches split first : last.
    half_life : float or str, default "7d"
        ``time_decay`` half-life, in seconds or as a duration ("12h", "7d").
    max_coalition : int, default 0
        Largest Shapley coalition (a longer journey keeps its most recent touchpoints); 0 = no cap.
    progress : bool or callable, default False
        True draws a progress bar (tqdm); a callable receives ``(fraction, stage)``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``touchpoint`` (sorted by name), one column of credited conversions per model (named
        after the model, the estimate) followed by one column of credited value per model
        (``<model>_value``). With intervals, each estimate column is followed by ``<column>_se``,
        ``<column>_lower`` and ``<column>_upper``, and with "markov" the table ends with
        ``removal_effect`` and its three interval columns. ``attrs`` holds ``total_conversions``,
        ``total_nulls``, ``total_value``, ``order``, ``models``; with "markov" ``conversion_probability``
        and ``expected_value``; with intervals ``ci``, ``bootstrap`` (replicates, confidence, seed,
        markov_failed_replicates), ``stability`` and ``stability_value`` (per model: the mean relative
        width of its intervals; smaller is more stable); with "ordered_shapley" ``positions``, a DataFrame
        of the Shapley credit by touchpoint and position of first appearance (1, 2, ...).

    Raises
    ------
    JourneyGraphError
        For an unknown model name (the message lists the known ones), invalid options (the message names
        the value), time_decay on journeys without timestamps, or journeys without conversions.
    KeyboardInterrupt
        When interrupted (Ctrl-C).

    Examples
    --------
    >>> credit = jg.attribute(journeys, models=["markov", "last_touch"], order=2)
    >>> credit.sort_values("markov", ascending=False)
    >>> jg.attribute(jg.MarkovModel.load("model.jgm"))
    >>> jg.attribute(journeys, models=["markov", "shapley"], ci=0.95)[["markov", "markov_lower", "markov_upper"]]
    """
    if isinstance(journeys, MarkovModel):
        if ci is not None or bootstrap:
            raise _frames.error("bootstrap intervals resample journeys: call attribute(journeys, ...) for them")
        return _attribute_model(journeys, models, (order, smoothing, self_loops), progress)
    core = _core_set(journeys, "attribute")
    names = _model_list(models, core)
    if self_loops not in ("drop", "keep"):
        raise _frames.error(f"self_loops must be 'drop' or 'keep', got {self_loops!r}")
    replicates, confidence = _bootstrap_args(ci, bootstrap)
    if isinstance(excluded, str):
        excluded = [excluded]
    excluded_list = list(excluded)
    if any(not isinstance(name, str) for name in excluded_list):
        raise _frames.error(f"excluded must be touchpoint names, got {excluded!r}")
    try:
        first_weight, last_weight = (float(w) for w in position_weights)
    except (TypeError, ValueError):
        raise _frames.error(f"position_weights must be two numbers (first, last), got {position_weights!r}") from None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or int(seed) < 0:
        raise _frames.error(f"seed must be an integer >= 0, got {seed!r}")
    if isinstance(max_coalition, bool) or not isinstance(max_coalition, numbers.Integral) or int(max_coalition) < 0:
        raise _frames.error(f"max_coalition must be an integer >= 0, got {max_coalition!r}")
    with _progress.reporting(progress, "attribute"):
        r = _core.attribute_models(core, names, _order_arg(order), _smoothing_arg(smoothing), self_loops,
                                   excluded_list, first_weight, last_weight, _half_life_arg(half_life),
                                   int(max_coalition), replicates, confidence, int(seed),
                                   _frames.threads_arg(threads))
    intervals = r["bootstrap"] is not None
    data: Dict[str, np.ndarray] = {}
    for measure, suffix in (("conversions", ""), ("value", "_value")):
        for m in r["models"]:
            column = f"{m['name']}{suffix}"
            data[column] = m[measure]
            if intervals:
                for part in ("se", "lower", "upper"):
                    data[f"{column}_{part}"] = m[f"{measure}_{part}"]
    if intervals and r["markov"] is not None:
        data["removal_effect"] = r["markov"]["removal_effect"]
        for part in ("se", "lower", "upper"):
            data[f"removal_effect_{part}"] = r["markov"][f"removal_effect_{part}"]
    index = pd.Index(r["touchpoints"], name="touchpoint")
    df = pd.DataFrame(data, index=index)
    df.attrs.update({
        "total_conversions": r["total_conversions"],
        "total_nulls": r["total_nulls"],
        "total_value": r["total_value"],
        "order": r["order"],
        "models": [m["name"] for m in r["models"]],
    })
    if r["markov"] is not None:
        df.attrs["conversion_probability"] = r["markov"]["conversion_probability"]
        df.attrs["expected_value"] = r["markov"]["expected_value"]
    if intervals:
        df.attrs["ci"] = r["bootstrap"]["confidence"]
        df.attrs["bootstrap"] = dict(r["bootstrap"])
        df.attrs["stability"] = {m["name"]: m["conversions_stability"] for m in r["models"]}
        df.attrs["stability_value"] = {m["name"]: m["value_stability"] for m in r["models"]}
    if r["positions"] is not None:
        conv = r["positions"][0]
        df.attrs["positions"] = pd.DataFrame(
            conv, index=index.copy(), columns=pd.Index(range(1, conv.shape[1] + 1), name="position"))
    return df


def _attribute_model(model: MarkovModel, models: Union[None, str, Iterable[str]], options: tuple,
                     progress: _progress.Progress) -> pd.DataFrame:
    """The markov attribution of a fitted model, as the table of :func:`attribute`."""
    if models is None or (isinstance(models, str) and models == "all"):
        names = ["markov"]
    else:
        names = _model_list(models, None)
    others = [n for n in names if n != "markov"]
    if others:
        raise _frames.error(
            f"a fitted model gives only the markov attribution; {', '.join(others)} need the journeys: "
            "call attribute(journeys, ...)"
        )
    own = (model.order, model.smoothing, model.self_loops)
    if tuple(options) not in ((1, 0.0, "drop"), own):
        raise _frames.error(
            f"the chain options of a fitted model are its own (order {own[0]}, smoothing {own[1]!r}, "
            f"self_loops {own[2]!r}); leave order, smoothing and self_loops out"
        )
    r = model._removal_effects(progress)
    df = pd.DataFrame({"markov": r["conversions"], "markov_value": r["value"]},
                      index=pd.Index(r["touchpoint"], name="touchpoint"))
    t = model.totals
    df.attrs.update({
        "total_conversions": t["conversions"],
        "total_nulls": t["nulls"],
        "total_value": t["value"],
        "order": model.order,
        "models": ["markov"],
        "conversion_probability": r["conversion_probability"],
        "expected_value": r["expected_value"],
    })
    return df
