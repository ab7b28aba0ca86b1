"""Attribution: which touchpoints earn the conversions, by every model of the core."""

from __future__ import annotations

import numbers
from typing import Any, Iterable, List, Optional, Union

import pandas as pd

from . import _core, _frames, _options, _progress
from ._journeys import Journeys
from ._model import MarkovModel, core_set
from ._tables import frame


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
        "j_curve", "inverse_j", "time_decay", "participation", "shapley", "ordered_shapley",
        "fractribution"]``; each name is accepted by :func:`attribute`.
    """
    if journeys is None:
        return list(_core.all_models())
    return list(_core.applicable_models(core_set(journeys, "attribution_models")))


def model_list(models: Union[None, str, Iterable[str]], core: Optional["_core.JourneySet"]) -> List[str]:
    """The canonical model names of a ``models`` argument; None gives the core's default models, "all" every
    model that applies."""
    if models is None:
        return list(_core.default_models())
    if isinstance(models, str) and models == "all":
        return list(_core.applicable_models(core)) if core is not None else attribution_models()
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


def attribution_options(models: List[str], ci: Any, bootstrap: Any, position_weights: Any,
                        options: dict) -> "_core.AttributionOptions":
    """The core's attribution options from the keyword arguments of :func:`attribute`."""
    if ci is not None and (isinstance(ci, bool) or not isinstance(ci, numbers.Real)):
        raise _frames.error(f"ci must be a confidence level in (0, 1) such as 0.95, got {ci!r}")
    if bootstrap is not None and (isinstance(bootstrap, bool) or not isinstance(bootstrap, numbers.Integral)
                                  or int(bootstrap) < 0):
        raise _frames.error(f"bootstrap must be a number of replicates >= 0, got {bootstrap!r}")
    if ci is not None and bootstrap == 0:
        raise _frames.error("ci needs bootstrap replicates: leave bootstrap out (the core's default) or give at least 2")
    values = dict(options, models=models, confidence=ci,
                  replicates=_core.DEFAULT_REPLICATES if ci is not None and bootstrap is None else bootstrap)
    if isinstance(values.get("excluded"), str):
        values["excluded"] = [values["excluded"]]
    if position_weights is not None:
        try:
            values["first_weight"], values["last_weight"] = (float(w) for w in position_weights)
        except (TypeError, ValueError):
            raise _frames.error(f"position_weights must be two numbers (first, last), got {position_weights!r}") from None
    return _options.make(_core.AttributionOptions, "attribute", values)


def with_model_attrs(df: pd.DataFrame) -> pd.DataFrame:
    """``attrs["models"]`` as a list, and the per-model stability scores as dicts (when intervals ran)."""
    models = df.attrs["models"].split(",")
    df.attrs["models"] = models
    if "replicates" in df.attrs:
        df.attrs["ci"] = df.attrs["confidence"]
        df.attrs["stability"] = {m: df.attrs[f"{m}_stability"] for m in models}
        df.attrs["stability_value"] = {m: df.attrs[f"{m}_value_stability"] for m in models}
    return df


def spend_columns(spend: Optional[pd.DataFrame], spend_period: Optional[str], where: str) -> tuple:
    """The touchpoint, spend and period columns of a spend DataFrame as lists (empty without spend), for the
    core's spend_from_columns, which checks the rows."""
    if spend is None:
        if spend_period is not None:
            raise _frames.error("spend_period needs spend")
        return [], [], []
    df = _frames.require_frame(spend, f"{where}(spend=...)")
    tp = _frames.column(df, "touchpoint", "touchpoint")
    names = [str(x) for x in tp.tolist()]
    raw = _frames.column(df, "spend", "spend")
    numbers_ = pd.to_numeric(raw, errors="coerce")
    bad = numbers_.isna() & raw.notna()
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise _frames.error(f"spend row {row}: {raw.iloc[row]!r} is not a number (write the spend as a number "
                            "without a currency sign or thousands separator)")
    amounts = [float(x) for x in numbers_.tolist()]
    periods = [str(x) for x in df["period"].tolist()] if "period" in df.columns else []
    return names, amounts, periods


@_options.documented(progress=_options.PROGRESS_DOC)
def attribute(
    journeys: Union[Journeys, MarkovModel],
    models: Union[None, str, Iterable[str]] = None,
    *,
    ci: Optional[float] = None,
    bootstrap: Optional[int] = None,
    position_weights: Optional["tuple[float, float]"] = None,
    threads: Optional[int] = None,
    progress: _progress.Progress = False,
    spend: Optional[pd.DataFrame] = None,
    baseline: Optional[str] = None,
    spend_period: Optional[str] = None,
    **options: Any,
) -> pd.DataFrame:
    """Credit the conversions and value of the journeys to their touchpoints, with several models.

    Parameters
    ----------
    journeys : Journeys or MarkovModel
        The journeys; or a fitted (or loaded) model, which gives the markov attribution of its chain
        (the heuristic models need the journeys themselves, and the chain options are the model's own).
    models : str, list of str or None
        Model names (see :func:`attribution_models`); None runs the core's default models (markov,
        first_touch, last_touch, linear, as the CLI, C and R do); "all" every model that applies to the
        journeys (``time_decay`` needs timestamps). "markov" is the exact removal-effect attribution of a
        chain; "shapley" the simplified Shapley value over touchpoint sets and "ordered_shapley" its split
        by position of first appearance; the others are rule-based (first_touch, last_touch,
        last_non_direct, linear, position_based, j_curve, inverse_j, time_decay, participation).
    ci : float, optional
        Confidence level of bootstrap intervals, e.g. 0.95. With ``ci`` or ``bootstrap``, every model gets a
        standard error and a percentile interval per touchpoint from a journey-level Poisson bootstrap
        (every model rerun exactly on each replicate).
    bootstrap : int, optional
        Bootstrap replicates (the core's default when ``ci`` is given alone; none without ``ci``).
    position_weights : (float, float), optional
        ``position_based`` shares of the first and of the last touch (``first_weight``, ``last_weight``).
    threads : int or None
        Worker threads; None or 0 uses every core. Results do not depend on it.
    {progress}
    spend : pandas.DataFrame, optional
        Spend per touchpoint: columns ``touchpoint`` and ``spend`` (a number >= 0), optionally ``period``. Adds
        ``attrs['money']``, the core's ``money`` table (per model and touchpoint: spend, conversions, value,
        cost_per_conversion, roas, conversions_per_cost, status; with intervals also the percentile intervals
        of cost per conversion and ROAS over the bootstrap replicates, spend held fixed). Touchpoints with spend
        but no credit, or credit but no spend, keep their rows (status ``no_credit`` / ``no_spend``).
    baseline : str, optional
        Adds ``attrs['model_comparison']``: each model's credit against this model (percent change). With
        ``spend`` and several models it is added with the core's default baseline (last_touch when computed).
    spend_period : str, optional
        Only the spend rows of this period (``spend`` needs a ``period`` column).
    **options
        The core's attribution options by name (defaults are the core's): the chain of markov (``order``,
        ``smoothing``, ``self_loops``), ``excluded`` (touchpoints last_non_direct passes over),
        ``first_weight`` and ``last_weight`` (position_based), ``half_life`` (time_decay; seconds or a
        duration such as "7d"), ``max_coalition`` (largest Shapley coalition; 0 = no cap), ``seed`` (of the
        bootstrap: the same seed gives the same intervals, whatever ``threads``).

    Returns
    -------
    pandas.DataFrame
        The core's ``attribution`` table indexed by ``touchpoint`` (sorted by name): one column of credited
        conversions per model (named after the model), then one ``<model>_value`` column per model; with
        "markov" ``removal_effect`` and ``removal_effect_value``; with intervals each estimate column X is
        followed by ``X_se``, ``X_lower`` and ``X_upper``; with "ordered_shapley" its credit by position of
        first appearance, ``ordered_shapley_position_1``, ... (docs/tables.md). ``attrs`` holds the table's
        metadata (``order``, ``total_conversions``, ``total_nulls``, ``total_value``, with "markov"
        ``conversion_probability`` and ``expected_value``, with intervals ``replicates``, ``confidence``,
        ``seed`` and ``X_stability``), ``models`` as a list and, with intervals, ``ci``, ``stability`` and
        ``stability_value`` (per model: the mean relative width of its intervals; smaller is more stable).

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
        if spend is not None or baseline is not None:
            raise _frames.error("spend and baseline need the journeys: call attribute(journeys, ...)")
        return _attribute_model(journeys, models, ci, bootstrap, options, progress)
    core = core_set(journeys, "attribute")
    opts = attribution_options(model_list(models, core), ci, bootstrap, position_weights, options)
    if spend is None and baseline is None:
        if spend_period is not None:
            raise _frames.error("spend_period needs spend")
        with _progress.reporting(progress, "attribute"):
            table = _core.attribute(core, opts, _options.threads(threads))
        return with_model_attrs(frame(table, index="touchpoint"))
    names, amounts, periods = spend_columns(spend, spend_period, "attribute")
    with _progress.reporting(progress, "attribute"):
        tables = _core.money_tables(core, opts, _options.threads(threads), names, amounts, periods,
                                    spend_period or "", baseline or "")
    out = with_model_attrs(frame(tables[0], index="touchpoint"))
    for t in tables[1:]:
        out.attrs[t["name"]] = frame(t)
    return out


def _attribute_model(model: MarkovModel, models: Any, ci: Any, bootstrap: Any, options: dict,
                     progress: _progress.Progress) -> pd.DataFrame:
    """The markov attribution of a fitted model, as the table of :func:`attribute`."""
    if ci is not None or bootstrap:
        raise _frames.error("bootstrap intervals resample journeys: call attribute(journeys, ...) for them")
    others = [n for n in (["markov"] if models in (None, "all") else model_list(models, None)) if n != "markov"]
    if others:
        raise _frames.error(
            f"a fitted model gives only the markov attribution; {', '.join(others)} need the journeys: "
            "call attribute(journeys, ...)"
        )
    own = {"order": model.order, "smoothing": model.smoothing, "self_loops": model.self_loops}
    if any(k not in own or v != own[k] for k, v in options.items()):
        raise _frames.error(
            f"the chain options of a fitted model are its own (order {model.order}, smoothing {model.smoothing!r}, "
            f"self_loops {model.self_loops!r}); leave {', '.join(options)} out"
        )
    with _progress.reporting(progress, "removal effects"):
        table = _core.attribute_model(model.core, model._threads)
    return with_model_attrs(frame(table, index="touchpoint"))
