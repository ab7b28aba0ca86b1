"""Attribution: which touchpoints earn the conversions, by every model of the core."""

from __future__ import annotations

import numbers
from typing import Any, Dict, Iterable, List, Optional, Union

import numpy as np
import pandas as pd

from . import _core, _frames, _progress
from ._journeys import Journeys
from ._model import MarkovModel, _core_set, _order_arg, _smoothing_arg


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
