"""Order choice: which Markov order the journeys support."""

from __future__ import annotations

from typing import Any, Optional

import pandas as pd

from . import _core, _options, _progress
from ._journeys import Journeys
from ._model import core_set
from ._tables import frame


@_options.documented(progress=_options.PROGRESS_DOC)
def choose_order(journeys: Journeys, *, threads: Optional[int] = None, progress: _progress.Progress = False,
                 **options: Any) -> pd.DataFrame:
    """Compare the Markov chains of orders 1..max_order and recommend one.

    In-sample: the log-likelihood of every journey under the chain fitted on all of them, AIC and BIC with
    parameters = free transition probabilities. Held out: a seeded share of the journeys is set aside, a
    chain is fitted on the rest, and (1) the held-out journeys are scored under it; (2) after every touch of
    a held-out journey the chain's absorption probability P(conversion | path so far) predicts whether the
    journey converts: ROC AUC and log-loss. Every order scores the same events (each touch and each ending
    of every journey; held-out events with unseen histories back off to their longest seen suffix), so the
    likelihoods compare. The recommendation is the smallest order whose held-out log-likelihood is within
    one standard error of the best (the core's rule, in ``attrs["rule"]``).

    Parameters
    ----------
    journeys : Journeys
        The journeys.
    threads : int or None
        Worker threads; None or 0 uses every core. Results do not depend on it.
    {progress}
    **options
        The core's order-choice options by name (defaults are the core's): ``max_order`` (largest order
        compared, 1..16), ``holdout`` (share of the journeys held out, in (0, 1)), ``seed`` (of the split),
        ``smoothing`` (of every fit), ``self_loops`` ("keep" makes chains of every order see the same
        touches, so that their likelihoods compare), ``floor`` (probability of a held-out transition the
        training chain never saw).

    Returns
    -------
    pandas.DataFrame
        The core's ``order_choice`` table, one row per order (docs/tables.md lists its columns; the scored
        events, ``observations`` and ``heldout_events``, are equal on every row);
        ``attrs["recommended_order"]`` is the recommended order, ``attrs["rule"]`` the rule behind it,
        ``attrs["best_order"]`` the order with the highest held-out log-likelihood, the other ``attrs`` the
        options it ran with.

    Raises
    ------
    JourneyGraphError
        For options out of range, or journeys too few to split.

    Examples
    --------
    >>> table = jg.choose_order(journeys, max_order=3)
    >>> table.attrs["recommended_order"], table.attrs["rule"]
    """
    opts = _options.make(_core.OrderChoiceOptions, "choose_order", options)
    with _progress.reporting(progress, "choose_order"):
        return frame(_core.choose_order(core_set(journeys, "choose_order"), opts, _options.threads(threads)))
