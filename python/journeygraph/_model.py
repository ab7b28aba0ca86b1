"""Markov chains over journeys and attribution: which touchpoints earn the conversions."""

from __future__ import annotations

import numbers
from typing import Any, Dict, Iterable, List, Optional, Union

import numpy as np
import pandas as pd

from . import _core, _frames, _html
from ._journeys import Journeys


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


def attribution_models() -> List[str]:
    """Names of every attribution model the C++ core offers, in its declaration order.

    Returns
    -------
    list of str
        For example ``["markov", "first_touch", "last_touch", "linear"]``; each name is accepted by
        :func:`attribute`.
    """
    return list(_core.all_models())


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

    def fit(self, journeys: Journeys) -> "MarkovModel":
        """Count the transitions of the journeys and fit the chain.

        Parameters
        ----------
        journeys : Journeys
            The journeys to fit on.

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
        self._model = _core.MarkovModel.fit(core, self._order, self._smoothing, self._self_loops, self._threads)
        self._removal = None
        return self

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

    def _removal_effects(self) -> Dict[str, Any]:
        if self._removal is None:
            self._removal = self._fitted().removal_effects(self._threads)
        return self._removal

    def removal_effects(self) -> pd.DataFrame:
        """Exact removal effects and the Markov attribution, one row per touchpoint.

        Removing touchpoint c sends every state containing c to NULL; its removal effect is
        ``1 - P(conversion | c removed) / P(conversion)``, and the Markov attribution of c is its removal
        effect over the sum of all removal effects, times the total conversions. The value columns apply
        the same formulas to expected value. Computed once (one sparse solve per touchpoint), then cached.

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
        r = self._removal_effects()
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


def _model_list(models: Union[None, str, Iterable[str]]) -> List[str]:
    if models is None or (isinstance(models, str) and models == "all"):
        return attribution_models()
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


def attribute(
    journeys: Journeys,
    models: Union[None, str, Iterable[str]] = None,
    order: int = 1,
    smoothing: float = 0.0,
    self_loops: str = "drop",
    threads: Optional[int] = None,
) -> pd.DataFrame:
    """Credit the conversions and value of the journeys to their touchpoints, with several models.

    Parameters
    ----------
    journeys : Journeys
        The journeys.
    models : str, list of str or None
        Model names (see :func:`attribution_models`); None or "all" runs every model the core offers.
        "markov" is the exact removal-effect attribution of a chain of the given order; the others are
        heuristics (first_touch, last_touch, linear, ...).
    order : int, default 1
        Order of the Markov chain.
    smoothing : float, default 0.0
        Additive smoothing of the Markov chain.
    self_loops : {"drop", "keep"}, default "drop"
        Self-loop rule of the Markov chain.
    threads : int or None
        Worker threads; None or 0 uses every core. Results do not depend on it.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``touchpoint`` (sorted by name), one column of credited conversions per model (named
        after the model) followed by one column of credited value per model (``<model>_value``).
        ``attrs`` holds ``total_conversions``, ``total_nulls``, ``total_value``, ``order``, ``models``
        and, with "markov", ``conversion_probability`` and ``expected_value``.

    Raises
    ------
    JourneyGraphError
        For an unknown model name (the message lists the known ones), invalid chain options, or journeys
        without conversions.
    KeyboardInterrupt
        When interrupted (Ctrl-C).

    Examples
    --------
    >>> credit = jg.attribute(journeys, models=["markov", "last_touch"], order=2)
    >>> credit.sort_values("markov", ascending=False)
    """
    core = _core_set(journeys, "attribute")
    names = _model_list(models)
    if self_loops not in ("drop", "keep"):
        raise _frames.error(f"self_loops must be 'drop' or 'keep', got {self_loops!r}")
    r = _core.attribute(core, names, _order_arg(order), _smoothing_arg(smoothing), self_loops,
                        _frames.threads_arg(threads))
    data: Dict[str, np.ndarray] = {}
    for name, conversions, _ in r["models"]:
        data[name] = conversions
    for name, _, value in r["models"]:
        data[f"{name}_value"] = value
    df = pd.DataFrame(data, index=pd.Index(r["touchpoints"], name="touchpoint"))
    df.attrs.update({
        "total_conversions": r["total_conversions"],
        "total_nulls": r["total_nulls"],
        "total_value": r["total_value"],
        "order": r["order"],
        "models": [name for name, _, _ in r["models"]],
    })
    if r["markov"] is not None:
        df.attrs["conversion_probability"] = r["markov"]["conversion_probability"]
        df.attrs["expected_value"] = r["markov"]["expected_value"]
    return df
