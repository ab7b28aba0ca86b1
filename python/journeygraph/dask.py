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

    options = dict(journey="customer", time="ts", touchpoint="channel", conversion="converted",
                   value="revenue", order=2)

    # One journey, one partition; within a partition, the input order (for events with equal times).
    whole = (sdf.withColumn("row", F.monotonically_increasing_id())
                .repartition("customer")
                .sortWithinPartitions("row")
                .drop("row"))

    def counts_of_partition(batches):
        frames = list(batches)                          # the whole partition
        part = jgd.count_partition(pd.concat(frames, ignore_index=True), **options) if frames else None
        if part is not None:
            yield pd.DataFrame({"counts": [pickle.dumps(part)]})

    rows = whole.mapInPandas(counts_of_partition, schema="counts binary").collect()
    counts = jgd.merge_counts(pickle.loads(r.counts) for r in rows)
    model = counts.fit()                                # equal to the single-process fit

    # Heuristic credit: each partition's table, summed by touchpoint in Spark.
    def credit_of_partition(batches):
        frames = list(batches)
        build = {k: v for k, v in options.items() if k != "order"}
        credit = jgd.credit_partition(pd.concat(frames, ignore_index=True), ["linear"], **build) if frames else None
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

import numbers
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core, _frames, _progress
from ._counts import TransitionCounts
from ._journeys import Journeys
from ._attribution import _half_life_arg, _model_list, attribution_models
from ._model import MarkovModel, _order_arg, _smoothing_arg

__all__ = ["attribute", "count", "count_partition", "credit_partition", "fit", "merge_counts"]

# Models whose credit is a sum of per-journey credits, so that partitions add up. (Shapley values are not:
# a coalition's worth is a sum over all journeys.)
ADDITIVE_MODELS = ("first_touch", "last_touch", "linear", "last_non_direct", "position_based", "j_curve",
                   "inverse_j", "time_decay", "participation")

_ROW = "__journeygraph_row__"  # the row-order key carried through the shuffle
_PART_BITS = 40  # the key is partition number * 2^40 + row within the partition


# ---------------------------------------------------------------------------------------- options


def _spec(
    journey: str,
    time: Optional[str],
    touchpoint: str,
    conversion: Optional[str],
    value: Optional[str],
    lookback: Any,
    gap: Any,
    split_on_conversion: bool,
    collapse_repeats: bool,
    max_touches: Optional[int],
    time_unit: str,
    threads: Optional[int],
) -> Dict[str, Any]:
    """The journey-building options, checked once on the client and sent to the workers as a plain dict."""
    for role, name in (("journey", journey), ("touchpoint", touchpoint)):
        if not isinstance(name, str):
            raise _frames.error(f"the {role} column name must be a string, got {name!r}")
    for role, name in (("time", time), ("conversion", conversion), ("value", value)):
        if name is not None and not isinstance(name, str):
            raise _frames.error(f"the {role} column name must be a string or None, got {name!r}")
    if value is not None and conversion is None:
        raise _frames.error("a value column needs a conversion column: values count on converting events")
    if time_unit not in ("s", "ms", "us", "ns"):
        raise _frames.error(f"time_unit must be 's', 'ms', 'us' or 'ns', got {time_unit!r}")
    return {
        "journey": journey,
        "time": time,
        "touchpoint": touchpoint,
        "conversion": conversion,
        "value": value,
        "lookback": _frames.duration_seconds(lookback, "lookback"),
        "gap": _frames.duration_seconds(gap, "gap"),
        "split_on_conversion": bool(split_on_conversion),
        "collapse_repeats": bool(collapse_repeats),
        "max_touches": _frames.count_arg(max_touches, "max_touches"),
        "time_unit": time_unit,
        "threads": _frames.threads_arg(threads),
        "params": _model_params(("direct",), (0.4, 0.4), "7d"),
    }


def _columns(spec: Dict[str, Any]) -> List[str]:
    names = [spec[k] for k in ("journey", "time", "touchpoint", "conversion", "value") if spec[k] is not None]
    return list(dict.fromkeys(names))


def _self_loops_arg(self_loops: Any) -> str:
    if self_loops not in ("drop", "keep"):
        raise _frames.error(f"self_loops must be 'drop' or 'keep', got {self_loops!r}")
    return str(self_loops)


def _heuristics(models: Union[None, str, Iterable[str]], times: bool) -> Tuple[bool, List[str], List[str]]:
    """(markov requested, additive heuristic names, every name in order) of a ``models`` argument; None or
    "all" leave out time_decay when there are no times, as :func:`journeygraph.attribute` does."""
    if models is None or (isinstance(models, str) and models == "all"):
        names = [m for m in attribution_models()
                 if m == "markov" or (m in ADDITIVE_MODELS and (times or m != "time_decay"))]
    else:
        names = _model_list(models, None)
    other = [m for m in names if m != "markov" and m not in ADDITIVE_MODELS]
    if other:
        raise _frames.error(
            f"model {other[0]!r} is not available on Dask: only markov and the models that are sums over "
            f"journeys ({', '.join(ADDITIVE_MODELS)}) add up across partitions"
        )
    return "markov" in names, [m for m in names if m != "markov"], names


def _model_params(excluded: Any, position_weights: Any, half_life: Any) -> Dict[str, Any]:
    """The parameters of the rule-based models, checked as :func:`journeygraph.attribute` checks them."""
    names = [excluded] if isinstance(excluded, str) else list(excluded)
    if any(not isinstance(name, str) for name in names):
        raise _frames.error(f"excluded must be touchpoint names, got {excluded!r}")
    try:
        first_weight, last_weight = (float(w) for w in position_weights)
    except (TypeError, ValueError):
        raise _frames.error(f"position_weights must be two numbers (first, last), got {position_weights!r}") from None
    return {"excluded": names, "first_weight": first_weight, "last_weight": last_weight,
            "half_life": _half_life_arg(half_life)}


# ---------------------------------------------------------------------------------------- one partition


def _journeys(df: pd.DataFrame, spec: Dict[str, Any], store_timestamps: bool) -> Optional[Journeys]:
    """The journeys of one partition (None if it has no events), built as Journeys.from_events builds them."""
    if _ROW in df.columns:
        # Back to the order the rows had before the shuffle: ties in time then resolve as in one process.
        keys = df[_ROW].to_numpy()
        if len(keys) > 1 and not bool(np.all(keys[1:] > keys[:-1])):
            df = df.iloc[np.argsort(keys, kind="stable")]
        df = df.drop(columns=_ROW)
    if len(df) == 0:
        return None
    return Journeys.from_events(
        df,
        journey=spec["journey"],
        time=spec["time"],
        touchpoint=spec["touchpoint"],
        conversion=spec["conversion"],
        value=spec["value"],
        lookback=spec["lookback"],
        gap=spec["gap"],
        split_on_conversion=spec["split_on_conversion"],
        collapse_repeats=spec["collapse_repeats"],
        max_touches=spec["max_touches"],
        time_unit=spec["time_unit"],
        threads=spec["threads"],
        store_timestamps=store_timestamps,
    )


def _credit(journeys: Journeys, heuristics: Sequence[str], params: Dict[str, Any], threads: int) -> pd.DataFrame:
    """Heuristic credit of one partition's journeys, indexed by every touchpoint of the journeys (sorted)."""
    data: Dict[str, np.ndarray] = {}
    if heuristics and journeys.total_conversions > 0:
        r = _core.attribute_models(journeys.core, list(heuristics), excluded=params["excluded"],
                                   first_weight=params["first_weight"], last_weight=params["last_weight"],
                                   half_life=params["half_life"], threads=threads)
        index = pd.Index(r["touchpoints"], name="touchpoint")
        for m in r["models"]:
            data[m["name"]] = m["conversions"]
        for m in r["models"]:
            data[f"{m['name']}_value"] = m["value"]
    else:
        # No conversion to credit (or no heuristic asked): zeros over the same sorted touchpoints.
        index = pd.Index(sorted(journeys.touchpoints), name="touchpoint")
        zeros = np.zeros(len(index))
        data.update({name: zeros for name in heuristics})
        data.update({f"{name}_value": zeros for name in heuristics})
    return pd.DataFrame(data, index=index)


def _partition(df: pd.DataFrame, spec: Dict[str, Any], order: int, self_loops: str,
               heuristics: Optional[Sequence[str]]) -> Optional[Tuple[TransitionCounts, Optional[pd.DataFrame]]]:
    """Counts (and, when heuristics is not None, the credit table) of one partition; None without events."""
    journeys = _journeys(df, spec, store_timestamps=heuristics is not None and "time_decay" in heuristics)
    if journeys is None:
        return None
    counts = TransitionCounts(
        _core.TransitionCounts.count(journeys.core, order, self_loops, spec["threads"]), journeys.report.to_dict()
    )
    credit = _credit(journeys, heuristics, spec["params"], spec["threads"]) if heuristics is not None else None
    return counts, credit


def count_partition(
    df: pd.DataFrame,
    journey: str = "journey_id",
    time: Optional[str] = "timestamp",
    touchpoint: str = "touchpoint",
    conversion: Optional[str] = None,
    value: Optional[str] = None,
    order: int = 1,
    self_loops: str = "drop",
    lookback: Any = None,
    gap: Any = None,
    split_on_conversion: bool = True,
    collapse_repeats: bool = False,
    max_touches: Optional[int] = None,
    time_unit: str = "s",
    threads: Optional[int] = 1,
) -> Optional[TransitionCounts]:
    """Transition counts of the journeys in one pandas partition: the step each worker runs.

    Every event of a journey must be in ``df`` (partitions hold whole journeys). The journeys are built as
    :meth:`journeygraph.Journeys.from_events` builds them, without storing times.

    Parameters
    ----------
    df : pandas.DataFrame
        The events of whole journeys, one row per touch.
    journey, time, touchpoint, conversion, value : str or None
        Column names, as in :meth:`journeygraph.Journeys.from_events`.
    order : int, default 1
        Markov order k.
    self_loops : {"drop", "keep"}, default "drop"
        Self-loop rule of the chain.
    lookback, gap, split_on_conversion, collapse_repeats, max_touches, time_unit
        Journey-building options, as in :meth:`journeygraph.Journeys.from_events`.
    threads : int or None, default 1
        Threads of the C++ core for this partition (None or 0: every core).

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
    spec = _spec(journey, time, touchpoint, conversion, value, lookback, gap, split_on_conversion,
                 collapse_repeats, max_touches, time_unit, threads)
    part = _partition(_frames.require_frame(df, "count_partition"), spec, _order_arg(order),
                      _self_loops_arg(self_loops), None)
    return None if part is None else part[0]


def credit_partition(
    df: pd.DataFrame,
    models: Union[str, Iterable[str]],
    journey: str = "journey_id",
    time: Optional[str] = "timestamp",
    touchpoint: str = "touchpoint",
    conversion: Optional[str] = None,
    value: Optional[str] = None,
    lookback: Any = None,
    gap: Any = None,
    split_on_conversion: bool = True,
    collapse_repeats: bool = False,
    max_touches: Optional[int] = None,
    time_unit: str = "s",
    threads: Optional[int] = 1,
    excluded: Iterable[str] = ("direct",),
    position_weights: Tuple[float, float] = (0.4, 0.4),
    half_life: Union[float, str] = "7d",
) -> Optional[pd.DataFrame]:
    """Heuristic credit of the journeys in one pandas partition; the sum over partitions is the attribution.

    Parameters
    ----------
    df : pandas.DataFrame
        The events of whole journeys, one row per touch.
    models : str or list of str
        Models whose credit is a sum over journeys (see ``ADDITIVE_MODELS``: first_touch, last_touch,
        linear, last_non_direct, position_based, j_curve, inverse_j, time_decay, participation).
    journey, time, touchpoint, conversion, value : str or None
        Column names, as in :meth:`journeygraph.Journeys.from_events`.
    lookback, gap, split_on_conversion, collapse_repeats, max_touches, time_unit
        Journey-building options, as in :meth:`journeygraph.Journeys.from_events`.
    threads : int or None, default 1
        Threads of the C++ core for this partition (None or 0: every core).
    excluded, position_weights, half_life
        Parameters of last_non_direct, position_based and time_decay, as in :func:`journeygraph.attribute`.

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
    markov, heuristics, _ = _heuristics(models, time is not None)
    if markov:
        raise _frames.error("markov is not a sum over journeys: merge count_partition results and fit them")
    spec = _spec(journey, time, touchpoint, conversion, value, lookback, gap, split_on_conversion,
                 collapse_repeats, max_touches, time_unit, threads)
    spec["params"] = _model_params(excluded, position_weights, half_life)
    journeys = _journeys(_frames.require_frame(df, "credit_partition"), spec,
                         store_timestamps="time_decay" in heuristics)
    return None if journeys is None else _credit(journeys, heuristics, spec["params"], spec["threads"])


def merge_counts(parts: Iterable[Optional[TransitionCounts]]) -> TransitionCounts:
    """Merge the counts of partitions (None entries, from partitions without rows, are skipped).

    Parameters
    ----------
    parts : iterable of TransitionCounts or None
        Counts of disjoint sets of journeys, of the same order and self-loop rule.

    Returns
    -------
    TransitionCounts
        The counts of all the journeys, exactly; ``report`` is the sum of the parts' reports.

    Raises
    ------
    JourneyGraphError
        If there are no counts (no partition had rows), or the orders or self-loop rules differ.
    """
    present = [p for p in parts if p is not None]
    for p in present:
        if not isinstance(p, TransitionCounts):
            raise _frames.error(f"merge_counts expects TransitionCounts or None, got {type(p).__name__}")
    if not present:
        raise _frames.error("no events: every partition is empty", kind="data")
    return present[0].merge(*present[1:]) if len(present) > 1 else present[0]


def _combine(*parts: Any) -> Any:
    """One node of the merge tree: counts merged, credit tables summed by touchpoint (in partition order)."""
    present = [p for p in parts if p is not None]
    if not present:
        return None
    counts = merge_counts(p[0] for p in present)
    credits = [p[1] for p in present if p[1] is not None]
    credit = pd.concat(credits).groupby(level=0, sort=True).sum() if credits else None
    return counts, credit


def _with_row_key(df: pd.DataFrame, partition_info: Optional[Dict[str, Any]] = None) -> pd.DataFrame:
    number = 0 if partition_info is None else int(partition_info["number"])
    if len(df) >= 1 << _PART_BITS or number >= 1 << (63 - _PART_BITS):
        raise _frames.error("too many partitions or rows per partition for the row-order key")
    out = df.copy(deep=False)
    out[_ROW] = (np.int64(number) << np.int64(_PART_BITS)) + np.arange(len(df), dtype=np.int64)
    return out


# ---------------------------------------------------------------------------------------- the graph


def _require_dask_frame(ddf: Any, what: str) -> Any:
    import dask.dataframe as dd

    if not isinstance(ddf, dd.DataFrame):
        raise _frames.error(
            f"{what} expects a dask DataFrame, got {type(ddf).__name__} (for pandas, use journeygraph itself)"
        )
    return ddf


def _split_every(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 2:
        raise _frames.error(f"split_every must be an integer >= 2, got {value!r}")
    return int(value)


def _reduce(ddf: Any, spec: Dict[str, Any], order: int, self_loops: str, heuristics: Optional[Sequence[str]],
            shuffle: Union[bool, str, None], split_every: int, progress: _progress.Progress, what: str) -> Any:
    """Shuffle, count (and credit) per partition, merge in a tree; returns (counts, credit) on the client."""
    from dask import delayed

    cols = _columns(spec)
    missing = [c for c in cols if c not in ddf.columns]
    if missing:
        raise _frames.error(
            f"no column {missing[0]!r}; the dask DataFrame has columns: {_frames.describe_columns(list(ddf.columns))}"
        )
    if _ROW in ddf.columns:
        raise _frames.error(f"the column name {_ROW!r} is reserved by journeygraph.dask")
    if shuffle is not True and shuffle is not False and shuffle is not None and not isinstance(shuffle, str):
        raise _frames.error(f"shuffle must be True, False or a Dask shuffle method name, got {shuffle!r}")
    frame = ddf[cols]
    if shuffle is not False:
        meta = frame._meta.copy()
        meta[_ROW] = pd.Series([], dtype=np.int64, index=meta.index)
        frame = frame.map_partitions(_with_row_key, meta=meta)
        method = shuffle if isinstance(shuffle, str) else None
        # The index is kept: error messages of the workers name rows by their index label.
        frame = frame.shuffle(on=spec["journey"], shuffle=method)
    task = delayed(_partition, pure=True)
    level = [task(part, spec, order, self_loops, heuristics) for part in frame.to_delayed()]
    nodes = list(level)
    merge = delayed(_combine, pure=True)
    while len(level) > 1:
        level = [merge(*level[i:i + split_every]) for i in range(0, len(level), split_every)]
        nodes.extend(level)
    result = _compute(level[0], nodes, progress, what)
    if result is None:
        raise _frames.error("no events: the dask DataFrame has no rows", kind="data")
    return result


def _client_of_scheduler() -> Any:
    """The distributed Client that dask.compute would use, or None for a local scheduler."""
    import dask

    scheduler = dask.base.get_scheduler()
    owner = getattr(scheduler, "__self__", None)
    try:
        from distributed import Client
    except ImportError:
        return None
    return owner if isinstance(owner, Client) else None


def _compute(final: Any, nodes: List[Any], progress: _progress.Progress, what: str) -> Any:
    import dask

    _progress.check(progress)
    if not progress:
        return dask.compute(final)[0]
    client = _client_of_scheduler()
    if client is not None:
        from distributed import as_completed

        # One future per counting and merging task: the bar advances as each finishes on the cluster.
        futures = client.compute(nodes)
        report = _TaskReport(progress, what, len(futures))
        completed = False
        try:
            for _ in as_completed(futures):
                report.advance(1)
            out = futures[-1].result()
            completed = True
            return out
        finally:
            report.close(completed)
            client.cancel(futures)
    from dask.callbacks import Callback

    class _Tasks(Callback):
        def __init__(self) -> None:
            super().__init__()
            self.report: Optional[_TaskReport] = None

        def _start_state(self, dsk: Any, state: Any) -> None:
            total = sum(len(state[k]) for k in ("ready", "waiting", "running", "finished"))
            self.report = _TaskReport(progress, what, total)

        def _posttask(self, key: Any, result: Any, dsk: Any, state: Any, worker_id: Any) -> None:
            if self.report is not None:
                self.report.advance(1)

        def _finish(self, dsk: Any, state: Any, errored: bool) -> None:
            if self.report is not None:
                self.report.close(not errored)

    with _Tasks():
        return dask.compute(final)[0]


class _TaskReport:
    """Progress over a known number of tasks: a tqdm bar, or calls of a progress callable."""

    def __init__(self, progress: _progress.Progress, what: str, total: int) -> None:
        self._total = max(1, total)
        self._done = 0
        self._call = progress if callable(progress) and progress is not True else None
        self._bar = None if self._call is not None else _progress.tqdm_class()(
            total=self._total, desc=f"{what}: tasks", unit="task", leave=True)

    def advance(self, n: int) -> None:
        self._done += n
        if self._bar is not None:
            self._bar.update(n)
        elif self._call is not None:
            self._call(min(1.0, self._done / self._total), "tasks")

    def close(self, completed: bool) -> None:
        if self._bar is not None:
            if completed and self._bar.n < self._total:
                self._bar.update(self._total - self._bar.n)
            self._bar.close()


# ---------------------------------------------------------------------------------------- public calls


def count(
    ddf: Any,
    journey: str = "journey_id",
    time: Optional[str] = "timestamp",
    touchpoint: str = "touchpoint",
    conversion: Optional[str] = None,
    value: Optional[str] = None,
    order: int = 1,
    self_loops: str = "drop",
    lookback: Any = None,
    gap: Any = None,
    split_on_conversion: bool = True,
    collapse_repeats: bool = False,
    max_touches: Optional[int] = None,
    time_unit: str = "s",
    threads: Optional[int] = 1,
    shuffle: Union[bool, str, None] = True,
    split_every: int = 8,
    progress: _progress.Progress = False,
) -> TransitionCounts:
    """Transition counts of the journeys of a dask DataFrame, counted on the workers and merged exactly.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        The events, one row per touch, in any number of partitions.
    journey, time, touchpoint, conversion, value : str or None
        Column names, as in :meth:`journeygraph.Journeys.from_events`.
    order : int, default 1
        Markov order k (1 to 16).
    self_loops : {"drop", "keep"}, default "drop"
        Self-loop rule of the chain.
    lookback, gap, split_on_conversion, collapse_repeats, max_touches, time_unit
        Journey-building options, as in :meth:`journeygraph.Journeys.from_events`.
    threads : int or None, default 1
        Threads of the C++ core per task (None or 0: every core of the worker).
    shuffle : bool or str, default True
        True shuffles the rows on the journey column with Dask's default method; a string names the
        method ("tasks", "disk", "p2p"); False skips the shuffle, for data whose partitions already hold
        whole journeys (a journey split across partitions would then be counted as several journeys).
    split_every : int, default 8
        Fan-in of the merge tree.
    progress : bool or callable, default False
        True draws a tqdm bar of the graph's tasks; a callable receives ``(fraction, "tasks")``.

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
    return _count(ddf, locals(), "count")


def _count(ddf: Any, args: Dict[str, Any], what: str) -> TransitionCounts:
    ddf = _require_dask_frame(ddf, f"journeygraph.dask.{what}")
    spec = _spec(args["journey"], args["time"], args["touchpoint"], args["conversion"], args["value"],
                 args["lookback"], args["gap"], args["split_on_conversion"], args["collapse_repeats"],
                 args["max_touches"], args["time_unit"], args["threads"])
    counts, _ = _reduce(ddf, spec, _order_arg(args["order"]), _self_loops_arg(args["self_loops"]), None,
                        args["shuffle"], _split_every(args["split_every"]), args["progress"], what)
    return counts


def fit(
    ddf: Any,
    journey: str = "journey_id",
    time: Optional[str] = "timestamp",
    touchpoint: str = "touchpoint",
    conversion: Optional[str] = None,
    value: Optional[str] = None,
    order: int = 1,
    smoothing: float = 0.0,
    self_loops: str = "drop",
    lookback: Any = None,
    gap: Any = None,
    split_on_conversion: bool = True,
    collapse_repeats: bool = False,
    max_touches: Optional[int] = None,
    time_unit: str = "s",
    threads: Optional[int] = 1,
    shuffle: Union[bool, str, None] = True,
    split_every: int = 8,
    progress: _progress.Progress = False,
) -> MarkovModel:
    """Fit a Markov chain of order k on the journeys of a dask DataFrame.

    Counts on the workers (see :func:`count`), then fits the merged counts on the client.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        The events, one row per touch.
    journey, time, touchpoint, conversion, value : str or None
        Column names, as in :meth:`journeygraph.Journeys.from_events`.
    order : int, default 1
        Markov order k (1 to 16).
    smoothing : float, default 0.0
        Additive smoothing alpha >= 0.
    self_loops : {"drop", "keep"}, default "drop"
        Self-loop rule of the chain.
    lookback, gap, split_on_conversion, collapse_repeats, max_touches, time_unit
        Journey-building options, as in :meth:`journeygraph.Journeys.from_events`.
    threads : int or None, default 1
        Threads of the C++ core per task on the workers; the fit on the client uses every core unless
        the model is later given fewer. Results never depend on it.
    shuffle : bool or str, default True
        See :func:`count`.
    split_every : int, default 8
        Fan-in of the merge tree.
    progress : bool or callable, default False
        True draws a tqdm bar of the graph's tasks; a callable receives ``(fraction, "tasks")``.

    Returns
    -------
    MarkovModel
        Equal bit for bit to ``jg.MarkovModel(order, smoothing, self_loops).fit(jg.Journeys.from_events(df,
        ...))`` on the whole table.

    Raises
    ------
    JourneyGraphError
        For a missing column, invalid options or data, no rows, or no journey with positive weight.

    Examples
    --------
    >>> import journeygraph.dask as jgd
    >>> model = jgd.fit(ddf, journey="journey_id", time="timestamp", touchpoint="touchpoint",
    ...                 conversion="conversion", value="value", order=2)
    >>> model.removal_effects()
    """
    alpha = _smoothing_arg(smoothing)
    return _count(ddf, locals(), "fit").fit(alpha)


def attribute(
    ddf: Any,
    journey: str = "journey_id",
    time: Optional[str] = "timestamp",
    touchpoint: str = "touchpoint",
    conversion: Optional[str] = None,
    value: Optional[str] = None,
    models: Union[None, str, Iterable[str]] = None,
    order: int = 1,
    smoothing: float = 0.0,
    self_loops: str = "drop",
    lookback: Any = None,
    gap: Any = None,
    split_on_conversion: bool = True,
    collapse_repeats: bool = False,
    max_touches: Optional[int] = None,
    time_unit: str = "s",
    threads: Optional[int] = 1,
    shuffle: Union[bool, str, None] = True,
    split_every: int = 8,
    progress: _progress.Progress = False,
    excluded: Iterable[str] = ("direct",),
    position_weights: Tuple[float, float] = (0.4, 0.4),
    half_life: Union[float, str] = "7d",
) -> pd.DataFrame:
    """Attribution of the conversions of a dask DataFrame's journeys: the table of :func:`journeygraph.attribute`.

    One pass over the data: each partition's journeys are counted (for markov) and credited by the
    heuristic models; the counts merge exactly and the heuristic credits add up.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        The events, one row per touch.
    journey, time, touchpoint, conversion, value : str or None
        Column names, as in :meth:`journeygraph.Journeys.from_events`.
    models : str, list of str or None
        "markov" and the models whose credit is a sum over journeys (``ADDITIVE_MODELS``: first_touch,
        last_touch, linear, last_non_direct, position_based, j_curve, inverse_j, time_decay,
        participation); None or "all" runs all of these (time_decay only with a time column). Shapley
        values and bootstrap intervals are not offered: they need all journeys at once.
    order : int, default 1
        Order of the Markov chain.
    smoothing : float, default 0.0
        Additive smoothing of the Markov chain.
    self_loops : {"drop", "keep"}, default "drop"
        Self-loop rule of the Markov chain.
    lookback, gap, split_on_conversion, collapse_repeats, max_touches, time_unit
        Journey-building options, as in :meth:`journeygraph.Journeys.from_events`.
    threads : int or None, default 1
        Threads of the C++ core per task on the workers. Results never depend on it.
    shuffle : bool or str, default True
        See :func:`count`.
    split_every : int, default 8
        Fan-in of the merge tree.
    progress : bool or callable, default False
        True draws a tqdm bar of the graph's tasks; a callable receives ``(fraction, "tasks")``.
    excluded, position_weights, half_life
        Parameters of last_non_direct, position_based and time_decay, as in :func:`journeygraph.attribute`.

    Returns
    -------
    pandas.DataFrame
        As :func:`journeygraph.attribute`: indexed by ``touchpoint`` (sorted), one column of credited
        conversions per model, then ``<model>_value`` columns; ``attrs`` holds the totals, ``order``,
        ``models`` and, with markov, ``conversion_probability`` and ``expected_value``. The markov
        columns equal the single-process ones bit for bit; heuristic columns equal them to rounding.

    Raises
    ------
    JourneyGraphError
        For an unknown or non-additive model, a missing column, invalid options or data, no rows, or
        journeys without conversions.
    """
    ddf = _require_dask_frame(ddf, "journeygraph.dask.attribute")
    markov, heuristics, names = _heuristics(models, time is not None)
    k = _order_arg(order)
    alpha = _smoothing_arg(smoothing)
    loops = _self_loops_arg(self_loops)
    spec = _spec(journey, time, touchpoint, conversion, value, lookback, gap, split_on_conversion,
                 collapse_repeats, max_touches, time_unit, threads)
    spec["params"] = _model_params(excluded, position_weights, half_life)
    counts, credit = _reduce(ddf, spec, k if markov else 1, loops, heuristics, shuffle, _split_every(split_every),
                             progress, "attribute")
    if not counts.totals["conversions"] > 0:
        raise _frames.error("the journeys have no conversions: nothing to attribute", kind="data")
    index = credit.index
    conversions: Dict[str, np.ndarray] = {}
    values: Dict[str, np.ndarray] = {}
    removal = None
    if markov:
        removal = counts.fit(alpha)._removal_effects()
        # The chain knows the touchpoints of journeys with positive weight; the others get no credit.
        at = pd.Series(np.arange(len(removal["touchpoint"])), index=removal["touchpoint"]).reindex(index)
        known = at.notna().to_numpy()
        rows = at.to_numpy()[known].astype(np.int64)
        for out, key in ((conversions, "conversions"), (values, "value")):
            column = np.zeros(len(index))
            column[known] = np.asarray(removal[key])[rows]
            out["markov"] = column
    for name in heuristics:
        conversions[name] = credit[name].to_numpy()
        values[name] = credit[f"{name}_value"].to_numpy()
    data = {name: conversions[name] for name in names}
    data.update({f"{name}_value": values[name] for name in names})
    table = pd.DataFrame(data, index=index)
    totals = counts.totals
    table.attrs.update({
        "total_conversions": totals["conversions"],
        "total_nulls": totals["nulls"],
        "total_value": totals["value"],
        "order": k,
        "models": list(names),
    })
    if removal is not None:
        table.attrs["conversion_probability"] = removal["conversion_probability"]
        table.attrs["expected_value"] = removal["expected_value"]
    return table
