"""journeygraph on Dask: Markov fits and attribution of event tables spread over a cluster.

The work follows the shape of the counts: transition counts of disjoint sets of journeys add up exactly
(their sums are kept in fixed point), so a chain can be counted where the data lives and fitted from the
merged counts, with a result equal bit for bit to the single-process fit.

1. **Shuffle**: rows are hash-partitioned on the journey column (``DataFrame.shuffle``), so that every
   event of a journey lands in the same partition. A row-order key added before the shuffle restores
   each partition's original row order after it, so events with equal times keep their input order, as
   in a single-process build. ``shuffle=False`` skips this step when the caller guarantees that no
   journey straddles two partitions (for example a Parquet data set written partitioned by customer).
2. **Count**: on the workers, each partition's events become journeys with exactly the rules and options
   of :meth:`journeygraph.Journeys.from_events` (times kept only where a model needs them), and their
   :class:`~journeygraph.TransitionCounts` of order k; heuristic attribution models credit the
   partition's journeys at the same time.
3. **Merge**: partial results are merged in a tree, ``split_every`` at a time, on the workers.
   Touchpoint dictionaries differ between partitions; counts merge by touchpoint name.
4. **Fit**: the client fits the chain on the merged counts (its size is that of the chain, not of the
   data) and solves it.

Results
-------
- :func:`fit` returns a :class:`~journeygraph.MarkovModel` equal bit for bit to
  ``jg.MarkovModel(order=k, ...).fit(jg.Journeys.from_events(df, ...))`` on the whole table: the same
  transitions, probabilities, conversion probability and removal effects.
- :func:`attribute` gives the table of :func:`journeygraph.attribute`. Its ``markov`` columns are exact
  (equal bit for bit); the rule-based models (``ADDITIVE_MODELS``: first_touch, last_touch, linear,
  last_non_direct, position_based, j_curve, inverse_j, time_decay, participation) are sums of per-journey
  credits, added up per partition and then across partitions, so they equal the single-process result to
  rounding (the order of a floating-point sum differs; integer credits, such as first- or last-touch
  conversions of event data, are exact). The ``total_*`` attributes are correctly rounded exact sums.
  Shapley values and bootstrap intervals need all journeys at once and are not offered here.
- The journey map is not offered here.

Running on a cluster
--------------------
Every worker needs journeygraph installed (the same version as the client); the per-partition work runs
in the C++ core with ``threads`` threads per task (default 1: Dask already runs one task per worker
thread)::

    import dask.dataframe as dd
    from dask.distributed import Client
    import journeygraph.dask as jgd

    client = Client("tcp://scheduler-host:8786")        # the cluster's scheduler address
    events = dd.read_parquet("s3://bucket/touches/", columns=["customer", "ts", "channel", "converted", "revenue"])
    model = jgd.fit(events, journey="customer", time="ts", touchpoint="channel",
                    conversion="converted", value="revenue", order=2, progress=True)
    model.save("model.jgm")                             # jg.MarkovModel.load("model.jgm") anywhere
    credit = jgd.attribute(events, journey="customer", time="ts", touchpoint="channel",
                           conversion="converted", value="revenue", models=["markov", "linear"])

Without a ``Client``, Dask's default scheduler of the collection runs the same graph on local threads
or processes. On one machine, :func:`journeygraph.attribute` on pandas is faster whenever the data fits
in memory: the shuffle moves every row between processes.

The same functions under Spark
------------------------------
:func:`count_partition` and :func:`credit_partition` take one pandas DataFrame of whole journeys, so they
run unchanged under PySpark's ``mapInPandas`` (journeygraph installed on the executors). Spark hands a
partition over in Arrow batches, which may split a journey: join them first. A recipe (not tested here)::

    import pickle
    import pandas as pd
    import pyspark.sql.functions as F
    import journeygraph.dask as jgd

    columns = dict(journey="customer", time="ts", touchpoint="channel", conversion="converted", value="revenue")

    # One journey, one partition; within a partition, the input order (for events with equal times).
    whole = (sdf.withColumn("row", F.monotonically_increasing_id())
                .repartition("customer")
                .sortWithinPartitions("row")
                .drop("row"))

    def counts_of_partition(batches):
        frames = list(batches)                          # the whole partition
        part = jgd.count_partition(pd.concat(frames, ignore_index=True), **columns, order=2) if frames else None
        if part is not None:
            yield pd.DataFrame({"counts": [pickle.dumps(part)]})

    rows = whole.mapInPandas(counts_of_partition, schema="counts binary").collect()
    counts = jgd.merge_counts(pickle.loads(r.counts) for r in rows)
    model = counts.fit()                                # equal to the single-process fit

    # Heuristic credit: each partition's table, summed by touchpoint in Spark.
    def credit_of_partition(batches):
        frames = list(batches)
        credit = jgd.credit_partition(pd.concat(frames, ignore_index=True), ["linear"], **columns) if frames else None
        if credit is not None:
            yield credit.reset_index()

    linear = (whole.mapInPandas(credit_of_partition,
                                schema="touchpoint string, linear double, linear_value double")
                   .groupBy("touchpoint").sum())

Progress
--------
``progress=True`` draws a tqdm bar of the graph's tasks: every task of the graph under a local
scheduler, the counting and merging tasks (the shuffle comes before them) on a distributed cluster.
"""


from __future__ import annotations

from typing import Any, Iterable, Optional, Union

import numpy as np
import pandas as pd

from .. import _core, _frames, _options, _progress
from .._counts import TransitionCounts
from .._frames import Default
from .._journeys import JOURNEY_OPTIONS
from .._model import MarkovModel
from .._options import documented
from . import _graph
from ._work import ADDITIVE_MODELS, heuristics_of, journeys_of, make_spec, merge_counts, partition

__all__ = ["attribute", "count", "count_partition", "credit_partition", "fit", "merge_counts"]

_EVENTS = _core.EventCsvOptions()
_COLUMNS_DOC = """journey, time, touchpoint, conversion, value, time_unit, time_format
        Column names, the unit of epoch numbers and the pattern of date-time text, as in
        :meth:`journeygraph.Journeys.from_events` (by default the conversion and value columns are used when the
        table has them); each partition's times are read by the core's time parser under them."""
_RUN_DOC = """threads : int or None, default 1
        Threads of the C++ core per task (None or 0: every core of the worker). Results never depend on it.
    shuffle : bool or str, default True
        True shuffles the rows on the journey column with Dask's default method; a string names the
        method ("tasks", "disk", "p2p"); False skips the shuffle, for data whose partitions already hold
        whole journeys (a journey split across partitions would then be counted as several journeys).
    split_every : int, default 8
        Fan-in of the merge tree.
    progress : bool or callable, default False
        True draws a tqdm bar of the graph's tasks; a callable receives ``(fraction, "tasks")``."""


def _columns(journey: Any, time: Any, touchpoint: Any, conversion: Any, value: Any) -> dict:
    return {"journey": journey, "time": time, "touchpoint": touchpoint, "conversion": conversion, "value": value}


@documented(options=JOURNEY_OPTIONS.replace("\n", "\n    "), columns=_COLUMNS_DOC, run=_RUN_DOC)
def count(ddf: Any, journey: str = _EVENTS.journey.name, time: Optional[str] = _EVENTS.time.name,
          touchpoint: str = _EVENTS.touchpoint.name, conversion: Optional[str] = Default(_EVENTS.conversion.name),
          value: Optional[str] = Default(_EVENTS.value.name), time_unit: str = _EVENTS.time_unit, *,
          time_format: Optional[str] = None,
          order: Optional[int] = None, self_loops: Optional[str] = None, threads: Optional[int] = 1,
          shuffle: Union[bool, str, None] = True, split_every: int = 8, progress: _progress.Progress = False,
          **options: Any) -> TransitionCounts:
    """Transition counts of the journeys of a dask DataFrame, counted on the workers and merged exactly.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        The events, one row per touch, in any number of partitions.
    {columns}
    order, self_loops
        The chain's order and self-loop rule (defaults are the core's; see :class:`journeygraph.MarkovModel`).
    {run}
    {options}

    Returns
    -------
    TransitionCounts
        Equal to ``jg.TransitionCounts.count(jg.Journeys.from_events(df, ...), order)`` on the whole
        table; ``report`` holds the build reports of the partitions, summed.

    Raises
    ------
    JourneyGraphError
        For a missing column (listing the columns found), invalid options or data, or no rows.
    """
    return _count(ddf, _columns(journey, time, touchpoint, conversion, value), (time_unit, time_format), order,
                  self_loops, threads, shuffle, split_every, progress, options, "count")


def _count(ddf: Any, columns: dict, times: Any, order: Any, self_loops: Any, threads: Any, shuffle: Any,
           split_every: int, progress: _progress.Progress, options: dict, what: str) -> TransitionCounts:
    ddf = _graph.require_dask_frame(ddf, f"journeygraph.dask.{what}")
    spec = make_spec(columns, times, threads, options, list(ddf.columns), order, self_loops)
    return _graph.reduce(ddf, spec, None, shuffle, split_every, progress, what)[0]


@documented(options=JOURNEY_OPTIONS.replace("\n", "\n    "), columns=_COLUMNS_DOC, run=_RUN_DOC)
def fit(ddf: Any, journey: str = _EVENTS.journey.name, time: Optional[str] = _EVENTS.time.name,
        touchpoint: str = _EVENTS.touchpoint.name, conversion: Optional[str] = Default(_EVENTS.conversion.name),
        value: Optional[str] = Default(_EVENTS.value.name), time_unit: str = _EVENTS.time_unit, *,
        time_format: Optional[str] = None,
        order: Optional[int] = None, smoothing: Optional[float] = None, self_loops: Optional[str] = None,
        threads: Optional[int] = 1, shuffle: Union[bool, str, None] = True, split_every: int = 8,
        progress: _progress.Progress = False, **options: Any) -> MarkovModel:
    """Fit a Markov chain of order k on the journeys of a dask DataFrame.

    Counts on the workers (see :func:`count`), then fits the merged counts on the client.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        The events, one row per touch.
    {columns}
    order, smoothing, self_loops
        The chain's options (defaults are the core's; see :class:`journeygraph.MarkovModel`).
    {run}
    {options}

    Returns
    -------
    MarkovModel
        Equal bit for bit to ``jg.MarkovModel(order=..., ...).fit(jg.Journeys.from_events(df, ...))`` on the
        whole table.

    Raises
    ------
    JourneyGraphError
        For a missing column, invalid options or data, no rows, or no journey with positive weight.

    Examples
    --------
    >>> import journeygraph.dask as jgd
    >>> model = jgd.fit(ddf, order=2)
    >>> model.removal_effects()
    """
    counts = _count(ddf, _columns(journey, time, touchpoint, conversion, value), (time_unit, time_format), order,
                    self_loops, threads, shuffle, split_every, progress, options, "fit")
    return counts.fit(smoothing)


@documented(options=JOURNEY_OPTIONS.replace("\n", "\n    "), columns=_COLUMNS_DOC, run=_RUN_DOC)
def attribute(ddf: Any, journey: str = _EVENTS.journey.name, time: Optional[str] = _EVENTS.time.name,
              touchpoint: str = _EVENTS.touchpoint.name, conversion: Optional[str] = Default(_EVENTS.conversion.name),
              value: Optional[str] = Default(_EVENTS.value.name), time_unit: str = _EVENTS.time_unit, *,
              time_format: Optional[str] = None,
              models: Union[None, str, Iterable[str]] = None, order: Optional[int] = None,
              smoothing: Optional[float] = None, self_loops: Optional[str] = None,
              position_weights: Optional["tuple[float, float]"] = None, threads: Optional[int] = 1,
              shuffle: Union[bool, str, None] = True, split_every: int = 8, progress: _progress.Progress = False,
              **options: Any) -> pd.DataFrame:
    """Attribution of the conversions of a dask DataFrame's journeys: the table of :func:`journeygraph.attribute`.

    One pass over the data: each partition's journeys are counted (for markov) and credited by the
    heuristic models; the counts merge exactly and the heuristic credits add up.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        The events, one row per touch.
    {columns}
    models : str, list of str or None
        "markov" and the models whose credit is a sum over journeys (``ADDITIVE_MODELS``: first_touch,
        last_touch, linear, last_non_direct, position_based, j_curve, inverse_j, time_decay,
        participation); None runs the core's default models (markov, first_touch, last_touch, linear),
        "all" all of these (time_decay only with a time column). Shapley
        values and bootstrap intervals are not offered: they need all journeys at once.
    order, smoothing, self_loops
        The Markov chain's options (defaults are the core's).
    position_weights
        As in :func:`journeygraph.attribute`.
    {run}
    {options}
        The parameters of the rule-based models are also given by name (``excluded``, ``first_weight``,
        ``last_weight``, ``half_life``), as in :func:`journeygraph.attribute`.

    Returns
    -------
    pandas.DataFrame
        The ``attribution`` table of :func:`journeygraph.attribute` (docs/tables.md), without intervals.
        The markov columns equal the single-process ones bit for bit; heuristic columns equal them to
        rounding.

    Raises
    ------
    JourneyGraphError
        For an unknown or non-additive model, a missing column, invalid options or data, no rows, or
        journeys without conversions.
    """
    ddf = _graph.require_dask_frame(ddf, "journeygraph.dask.attribute")
    markov, heuristics, names = heuristics_of(models, time is not None)
    spec = make_spec(_columns(journey, time, touchpoint, conversion, value), (time_unit, time_format), threads,
                     options, list(ddf.columns), order if markov else 1, self_loops, position_weights)
    counts, credit = _graph.reduce(ddf, spec, heuristics, shuffle, split_every, progress, "attribute")
    totals = counts.totals
    if not totals["conversions"] > 0:
        raise _frames.error("the journeys have no conversions: nothing to attribute", kind="data")
    index = credit.index
    conversions = {name: credit[name].to_numpy() for name in heuristics}
    values = {name: credit[f"{name}_value"].to_numpy() for name in heuristics}
    data, meta = {}, {}
    if markov:
        removal = counts.fit(smoothing).removal_effects()
        # The chain knows the touchpoints of journeys with positive weight; the others get no credit.
        at = pd.Series(np.arange(len(removal)), index=removal["touchpoint"]).reindex(index)
        known = at.notna().to_numpy()
        rows = at.to_numpy()[known].astype(np.int64)

        def column(key: str) -> np.ndarray:
            out = np.zeros(len(index))
            out[known] = removal[key].to_numpy()[rows]
            return out

        data = {"removal_effect": column("removal_effect"), "removal_effect_value": column("removal_effect_value")}
        conversions["markov"], values["markov"] = column("conversions"), column("value")
        meta = {k: removal.attrs[k] for k in ("conversion_probability", "expected_value", "max_residual")}
    data.update({name: conversions[name] for name in names})
    data.update({f"{name}_value": values[name] for name in names})
    table = pd.DataFrame(data, index=index)
    chain_order = _options.make(_core.ModelOptions, "journeygraph.dask.attribute", {"order": order}).order
    table.attrs.update({"order": chain_order, "models": list(names), "total_conversions": totals["conversions"],
                        "total_nulls": totals["nulls"], "total_value": totals["value"], **meta})
    return table


@documented(options=JOURNEY_OPTIONS.replace("\n", "\n    "), columns=_COLUMNS_DOC, run=_RUN_DOC)
def count_partition(df: pd.DataFrame, journey: str = _EVENTS.journey.name, time: Optional[str] = _EVENTS.time.name,
                    touchpoint: str = _EVENTS.touchpoint.name,
                    conversion: Optional[str] = Default(_EVENTS.conversion.name),
                    value: Optional[str] = Default(_EVENTS.value.name), time_unit: str = _EVENTS.time_unit, *,
                    time_format: Optional[str] = None,
                    order: Optional[int] = None, self_loops: Optional[str] = None, threads: Optional[int] = 1,
                    **options: Any) -> Optional[TransitionCounts]:
    """Transition counts of the journeys in one pandas partition: the step each worker runs.

    Every event of a journey must be in ``df`` (partitions hold whole journeys). The journeys are built as
    :meth:`journeygraph.Journeys.from_events` builds them, without storing times.

    Parameters
    ----------
    df : pandas.DataFrame
        The events of whole journeys, one row per touch.
    {columns}
    order, self_loops
        The chain's order and self-loop rule (defaults are the core's).
    threads : int or None, default 1
        Threads of the C++ core for this partition (None or 0: every core).
    {options}

    Returns
    -------
    TransitionCounts or None
        The counts, with the partition's build report; None for a partition without rows. Merge the
        parts with :func:`merge_counts`.

    Raises
    ------
    JourneyGraphError
        For missing columns, invalid data or options (as :meth:`journeygraph.Journeys.from_events`).
    """
    df = _frames.require_frame(df, "count_partition")
    spec = make_spec(_columns(journey, time, touchpoint, conversion, value), (time_unit, time_format), threads,
                     options, list(df.columns), order, self_loops)
    part = partition(df, spec, None)
    return None if part is None else part[0]


@documented(options=JOURNEY_OPTIONS.replace("\n", "\n    "), columns=_COLUMNS_DOC, run=_RUN_DOC)
def credit_partition(df: pd.DataFrame, models: Union[str, Iterable[str]], journey: str = _EVENTS.journey.name,
                     time: Optional[str] = _EVENTS.time.name, touchpoint: str = _EVENTS.touchpoint.name,
                     conversion: Optional[str] = Default(_EVENTS.conversion.name),
                     value: Optional[str] = Default(_EVENTS.value.name), time_unit: str = _EVENTS.time_unit, *,
                     time_format: Optional[str] = None,
                     position_weights: Optional["tuple[float, float]"] = None, threads: Optional[int] = 1,
                     **options: Any) -> Optional[pd.DataFrame]:
    """Heuristic credit of the journeys in one pandas partition; the sum over partitions is the attribution.

    Parameters
    ----------
    df : pandas.DataFrame
        The events of whole journeys, one row per touch.
    models : str or list of str
        Models whose credit is a sum over journeys (see ``ADDITIVE_MODELS``).
    {columns}
    position_weights
        As in :func:`journeygraph.attribute`.
    threads : int or None, default 1
        Threads of the C++ core for this partition (None or 0: every core).
    {options}
        The parameters of the rule-based models are also given by name, as in :func:`journeygraph.attribute`.

    Returns
    -------
    pandas.DataFrame or None
        Indexed by ``touchpoint`` (every touchpoint of the partition's journeys, sorted), one column of
        credited conversions per model and one of credited value (``<model>_value``); None for a
        partition without rows.

    Raises
    ------
    JourneyGraphError
        For an unknown or non-additive model, missing columns, invalid data or options.
    """
    markov, heuristics, _ = heuristics_of(models, time is not None)
    if markov:
        raise _frames.error("markov is not a sum over journeys: merge count_partition results and fit them")
    df = _frames.require_frame(df, "credit_partition")
    spec = make_spec(_columns(journey, time, touchpoint, conversion, value), (time_unit, time_format), threads,
                     options, list(df.columns), position_weights=position_weights)
    from ._work import credit

    journeys = journeys_of(df, spec, store_timestamps="time_decay" in heuristics)
    return None if journeys is None else credit(journeys, heuristics, spec)
