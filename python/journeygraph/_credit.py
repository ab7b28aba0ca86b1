"""Every journey's credit, its calibration to external figures, and removal effects of sequences."""

from __future__ import annotations

import numbers
from typing import Any, Iterable, List, Mapping, Optional, Union

import pandas as pd

from . import _core, _frames, _options, _progress
from ._attribution import attribution_options, model_list
from ._journeys import Journeys
from ._model import core_set
from ._tables import frame


def _calibration(calibration: Any, what: str) -> "tuple[List[str], List[float]]":
    """Touchpoint names and incremental conversions from a mapping or a Series."""
    if isinstance(calibration, pd.Series):
        calibration = calibration.to_dict()
    if not isinstance(calibration, Mapping):
        raise _frames.error(f"{what}: calibration must map touchpoint names to incremental conversions "
                            f"(a dict or a Series), got {type(calibration).__name__}")
    names, values = [], []
    for k, v in calibration.items():
        if not isinstance(k, str):
            raise _frames.error(f"{what}: a calibration touchpoint must be a name, got {k!r}")
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise _frames.error(f"{what}: the incremental conversions of {k!r} must be a number, got {v!r}")
        names.append(k)
        values.append(float(v))
    return names, values


@_options.documented(progress=_options.PROGRESS_DOC)
def journey_credit(
    journeys: Journeys,
    models: Union[None, str, Iterable[str]] = None,
    *,
    calibration: Optional[Union[Mapping[str, float], pd.Series]] = None,
    calibration_model: str = "markov",
    max_iterations: int = 1000,
    threads: Optional[int] = None,
    progress: _progress.Progress = False,
    **options: Any,
) -> pd.DataFrame:
    """Every journey's credit: per converting journey, model and touchpoint, the conversions and value credited.

    Rule-based models and Shapley split each journey by their rule. The markov model's totals are allocated
    to the journeys by iterative proportional fitting, starting from each journey's conversions split in
    proportion to its touchpoints' removal effects, so that each journey's rows sum to its conversions and
    value and each touchpoint's rows to its Markov credit (to 1e-9; see ``credit.hpp`` for when the fit
    cannot hold, which raises an error naming the touchpoint).

    Parameters
    ----------
    journeys : Journeys
        Journeys built from events (keyed by their journey id) or paths (keyed by their row, 0-based).
    models : str, list of str or None
        Model names (see :func:`attribution_models`); None runs the core's default models (markov,
        first_touch, last_touch, linear), "all" every model that applies.
    calibration : dict or Series, optional
        External incremental conversions per touchpoint (from a media-mix model or lift tests). Adds rows of
        model ``"calibrated"``: ``calibration_model``'s credit rescaled by the same fitting so that the
        touchpoint totals are these figures (see :func:`calibration_table` for the gap).
    calibration_model : str, default "markov"
        The model calibrated.
    max_iterations : int, default 1000
        Most proportional-fitting passes.
    threads : int or None
        Worker threads of the Markov fit; results do not depend on it.
    {progress}
    **options
        The attribution options of :func:`attribute` (``order``, ``smoothing``, ``excluded``, ...).

    Returns
    -------
    pandas.DataFrame
        The ``journey_credit`` table (docs/tables.md): columns ``journey`` (the journey id, or the path's
        row), ``part`` (1, 2, ... for the journeys one id was split into at conversions or gaps), ``model``,
        ``touchpoint``, ``conversions`` and ``value``. Journeys without conversions have no rows.

    Examples
    --------
    >>> credit = jg.journey_credit(journeys, models=["markov", "linear"])
    >>> per_customer = credit[credit.model == "markov"].groupby("journey")["value"].sum()
    """
    core = core_set(journeys, "journey_credit")
    opts = attribution_options(model_list(models, core), None, None, None, options)
    if isinstance(max_iterations, bool) or not isinstance(max_iterations, numbers.Integral) or max_iterations < 1:
        raise _frames.error(f"max_iterations must be a positive integer, got {max_iterations!r}")
    names: List[str] = []
    values: List[float] = []
    if calibration is not None:
        names, values = _calibration(calibration, "journey_credit")
    with _progress.reporting(progress, "journey_credit"):
        table = _core.journey_credit(core, opts, int(max_iterations),
                                     None if calibration is None else _core.parse_model(calibration_model),
                                     names, values, _options.threads(threads))
    return frame(table)


@_options.documented(progress=_options.PROGRESS_DOC)
def calibration_table(
    journeys: Journeys,
    calibration: Union[Mapping[str, float], pd.Series],
    model: str = "markov",
    *,
    threads: Optional[int] = None,
    progress: _progress.Progress = False,
    **options: Any,
) -> pd.DataFrame:
    """How far a model's touchpoint totals are from external incremental conversions.

    Parameters
    ----------
    journeys : Journeys
    calibration : dict or Series
        External incremental conversions per touchpoint; touchpoints not listed show NaN.
    model : str, default "markov"
        The model compared.
    threads : int or None
        Worker threads of the Markov fit; results do not depend on it.
    {progress}
    **options
        The attribution options of :func:`attribute`.

    Returns
    -------
    pandas.DataFrame
        The ``calibration`` table indexed by ``touchpoint``: ``model_conversions``, ``external_conversions``,
        ``difference`` (model - external) and ``ratio`` (model / external; NaN where the external figure is 0).
    """
    core = core_set(journeys, "calibration_table")
    name = _core.parse_model(model)
    opts = attribution_options([name], None, None, None, options)
    names, values = _calibration(calibration, "calibration_table")
    with _progress.reporting(progress, "calibration_table"):
        table = _core.calibration_table(core, opts, name, names, values, _options.threads(threads))
    return frame(table, index="touchpoint")


@_options.documented(progress=_options.PROGRESS_DOC)
def sequence_removal_effects(
    journeys: Journeys,
    sequences: Union[None, str, Iterable[Iterable[str]]] = None,
    *,
    top: int = 0,
    length: int = 2,
    threads: Optional[int] = None,
    progress: _progress.Progress = False,
    **options: Any,
) -> pd.DataFrame:
    """Exact removal effects of touchpoint sequences ("facebook > google").

    Removing a sequence sends every transition that completes it to NULL; the chain is solved again
    (exactly, as for touchpoints). A sequence of L touchpoints needs a chain of ``order >= L - 1``.

    Parameters
    ----------
    journeys : Journeys
    sequences : str or list of list of str, optional
        ``"a>b,c>d"`` or ``[["a", "b"], ["c", "d"]]``.
    top : int, default 0
        Also the ``top`` most frequent observed sequences of ``length`` touches.
    length : int, default 2
    threads : int or None
        Worker threads; results do not depend on it.
    {progress}
    **options
        Chain options (``order``, ``smoothing``, ``self_loops``).

    Returns
    -------
    pandas.DataFrame
        The ``sequence_removal_effects`` table: ``sequence``, ``length``, ``occurrences``, ``removal_effect``,
        ``removal_effect_value``, ``conversion_probability_without``.
    """
    core = core_set(journeys, "sequence_removal_effects")
    if sequences is None:
        seqs: List[List[str]] = []
    elif isinstance(sequences, str):
        seqs = _core.parse_sequences(sequences)
    else:
        seqs = [[str(t) for t in s] if not isinstance(s, str) else _core.parse_sequences(s)[0] for s in sequences]
    for name, v in (("top", top), ("length", length)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0:
            raise _frames.error(f"{name} must be a non-negative integer, got {v!r}")
    if not seqs and not top:
        raise _frames.error("give sequences or top > 0")
    markov = _options.make(_core.ModelOptions, "sequence_removal_effects", options)
    with _progress.reporting(progress, "sequence_removal_effects"):
        table = _core.sequence_removal_effects(core, seqs, int(top), int(length), markov,
                                               _options.threads(threads))
    return frame(table)
