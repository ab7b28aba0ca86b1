"""Order choice: which Markov order the journeys support."""

from __future__ import annotations

import numbers
from typing import Any, Optional

import pandas as pd

from . import _core, _frames
from ._journeys import Journeys
from ._model import _core_set


def choose_order(
    journeys: Journeys,
    max_order: int = 4,
    holdout: float = 0.2,
    seed: int = 0,
    smoothing: float = 0.0,
    self_loops: str = "keep",
    floor: float = 1e-6,
    threads: Optional[int] = None,
) -> pd.DataFrame:
    """Compare the Markov chains of orders 1..max_order and recommend one.

    In-sample: the log-likelihood of every journey under the chain fitted on all of them, AIC and BIC with
    parameters = free transition probabilities. Held out: a seeded share of the journeys is set aside, a
    chain is fitted on the rest, and (1) the held-out journeys are scored under it (transitions it never saw
    get ``floor``); (2) after every touch of a held-out journey the chain's absorption probability
    P(conversion | path so far) predicts whether the journey converts: ROC AUC and log-loss. The recommended
    order has the highest held-out log-likelihood.

    Parameters
    ----------
    journeys : Journeys
        The journeys.
    max_order : int, default 4
        Largest order compared (1..16).
    holdout : float, default 0.2
        Share of the journeys held out, in (0, 1). Each journey a row stands for is held out on its own.
    seed : int, default 0
        Seed of the split.
    smoothing : float, default 0.0
        Additive smoothing of every fit.
    self_loops : {"keep", "drop"}, default "keep"
        "keep" makes chains of every order see the same touches, so that their likelihoods compare.
    floor : float, default 1e-6
        Probability of a held-out transition the training chain never saw, in (0, 1).
    threads : int or None
        Worker threads; None or 0 uses every core. Results do not depend on it.

    Returns
    -------
    pandas.DataFrame
        One row per order: ``order``, ``log_likelihood``, ``aic``, ``bic``, ``heldout_log_likelihood``,
        ``auc``, ``log_loss``, then ``states``, ``parameters``, ``observations``, ``heldout_journeys`` and
        ``unseen`` (held-out transitions scored with the floor). ``attrs["recommended_order"]`` is the
        recommended order.

    Raises
    ------
    JourneyGraphError
        For options out of range, or journeys too few to split.

    Examples
    --------
    >>> table = jg.choose_order(journeys, max_order=3)
    >>> table.attrs["recommended_order"]
    """
    core = _core_set(journeys, "choose_order")
    for name, v in (("max_order", max_order), ("seed", seed)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or int(v) < 0:
            raise _frames.error(f"{name} must be an integer, got {v!r}")
    for name, v in (("holdout", holdout), ("smoothing", smoothing), ("floor", floor)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise _frames.error(f"{name} must be a number, got {v!r}")
    if self_loops not in ("drop", "keep"):
        raise _frames.error(f"self_loops must be 'drop' or 'keep', got {self_loops!r}")
    r: Any = _core.choose_order(core, int(max_order), float(holdout), int(seed), float(smoothing), self_loops,
                                float(floor), _frames.threads_arg(threads))
    columns = ["order", "log_likelihood", "aic", "bic", "heldout_log_likelihood", "auc", "log_loss", "states",
               "parameters", "observations", "heldout_journeys", "unseen"]
    df = pd.DataFrame({c: r[c] for c in columns})
    df.attrs["recommended_order"] = int(r["recommended_order"])
    return df
