"""The Dask graph of journeygraph.dask: the row-order key, the shuffle, the per-partition tasks, the merge tree
and its progress bar."""

from __future__ import annotations

import numbers
from typing import Any, Dict, List, Optional, Sequence, Union

import numpy as np
import pandas as pd

from .. import _frames, _progress
from ._work import ROW, combine, partition

_PART_BITS = 40  # the row-order key is partition number * 2^40 + row within the partition


def _with_row_key(df: pd.DataFrame, partition_info: Optional[Dict[str, Any]] = None) -> pd.DataFrame:
    number = 0 if partition_info is None else int(partition_info["number"])
    if len(df) >= 1 << _PART_BITS or number >= 1 << (63 - _PART_BITS):
        raise _frames.error("too many partitions or rows per partition for the row-order key")
    out = df.copy(deep=False)
    out[ROW] = (np.int64(number) << np.int64(_PART_BITS)) + np.arange(len(df), dtype=np.int64)
    return out


def require_dask_frame(ddf: Any, what: str) -> Any:
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


def reduce(ddf: Any, spec: Dict[str, Any], heuristics: Optional[Sequence[str]], shuffle: Union[bool, str, None],
           split_every: Any, progress: _progress.Progress, what: str) -> Any:
    """Shuffle, count (and credit) per partition, merge in a tree; returns (counts, credit) on the client."""
    from dask import delayed

    split_every = _split_every(split_every)
    cols = list(dict.fromkeys(c for c in spec["columns"].values() if c is not None))
    missing = [c for c in cols if c not in ddf.columns]
    if missing:
        raise _frames.error(
            f"no column {missing[0]!r}; the dask DataFrame has columns: {_frames.describe_columns(list(ddf.columns))}"
        )
    if ROW in ddf.columns:
        raise _frames.error(f"the column name {ROW!r} is reserved by journeygraph.dask")
    if shuffle is not True and shuffle is not False and shuffle is not None and not isinstance(shuffle, str):
        raise _frames.error(f"shuffle must be True, False or a Dask shuffle method name, got {shuffle!r}")
    frame = ddf[cols]
    if shuffle is not False:
        meta = frame._meta.copy()
        meta[ROW] = pd.Series([], dtype=np.int64, index=meta.index)
        frame = frame.map_partitions(_with_row_key, meta=meta)
        method = shuffle if isinstance(shuffle, str) else None
        # The index is kept: error messages of the workers name rows by their index label.
        frame = frame.shuffle(on=spec["columns"]["journey"], shuffle=method)
    task = delayed(partition, pure=True)
    level = [task(part, spec, heuristics) for part in frame.to_delayed()]
    nodes = list(level)
    merge = delayed(combine, pure=True)
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
