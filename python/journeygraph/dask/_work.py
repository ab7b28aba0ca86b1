"""The work of journeygraph.dask on one partition: journeys built as Journeys.from_events builds them, their
transition counts and the credit of the additive models; and the merge of two partial results."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from .. import _core, _frames, _options
from .._attribution import attribute, attribution_options, model_list
from .._counts import TransitionCounts
from .._frames import Default
from .._journeys import Journeys

# Models whose credit is a sum of per-journey credits, so that partitions add up. (Shapley values are not:
# a coalition's worth is a sum over all journeys.)
ADDITIVE_MODELS = ("first_touch", "last_touch", "linear", "last_non_direct", "position_based", "j_curve",
                   "inverse_j", "time_decay", "participation")

ROW = "__journeygraph_row__"  # the row-order key carried through the shuffle

_JOURNEY = _options.fields(_core.JourneyOptions)
_ATTRIBUTION = _options.fields(_core.AttributionOptions)


def make_spec(columns: Dict[str, Optional[str]], times: Any, threads: Any, options: Dict[str, Any],
              present: Optional[Sequence[str]] = None, order: Any = None, self_loops: Any = None,
              position_weights: Any = None) -> Dict[str, Any]:
    """The work's settings, checked once on the client and sent to the workers as plain values.

    ``times`` is the unit of epoch numbers, or the pair (unit, pattern of date-time text), passed to
    :meth:`journeygraph.Journeys.from_events` as ``time_unit`` and ``time_format``. Default column names
    absent from ``present`` (the frame's columns) are left out, as
    :meth:`journeygraph.Journeys.from_events` leaves them out.
    """
    time_unit, time_format = times if isinstance(times, tuple) else (times, None)
    if time_format is not None and not isinstance(time_format, str):
        raise _frames.error(f"time_format must be a string or None, got {time_format!r}")
    for role, name in columns.items():
        if name is not None and not isinstance(name, str):
            raise _frames.error(f"the {role} column name must be a string or None, got {name!r}")
    cols = {role: (None if isinstance(name, Default) and present is not None and name not in present else name)
            for role, name in columns.items()}
    if cols["value"] is not None and cols["conversion"] is None:
        raise _frames.error("a value column needs a conversion column: values count on converting events")
    journey = {k: v for k, v in options.items() if k in _JOURNEY}
    credit = {k: v for k, v in options.items() if k not in _JOURNEY}
    chain = _options.make(_core.ModelOptions, "journeygraph.dask", {"order": order, "self_loops": self_loops})
    _options.make(_core.JourneyOptions, "journeygraph.dask", journey)  # checked here, not on every worker
    check = attribution_options(["linear"], None, None, position_weights, credit)
    credit_names = list(credit) + (["first_weight", "last_weight"] if position_weights is not None else [])
    return {"columns": {k: (str(v) if v is not None else None) for k, v in cols.items()}, "time_unit": time_unit,
            "time_format": time_format,
            "threads": _options.threads(threads), "journey": journey, "order": chain.order,
            "self_loops": chain.self_loops,
            "credit": {name: getattr(check, name) for name in credit_names if name in _ATTRIBUTION}}


def heuristics_of(models: Union[None, str, Iterable[str]], times: bool) -> Tuple[bool, List[str], List[str]]:
    """(markov requested, additive heuristic names, every name in order) of a ``models`` argument; None gives
    the core's default models, "all" every additive one (time_decay only with times)."""
    if isinstance(models, str) and models == "all":
        names = [m for m in _core.all_models()
                 if m == "markov" or (m in ADDITIVE_MODELS and (times or m != "time_decay"))]
    else:
        names = model_list(models, None)
    other = [m for m in names if m != "markov" and m not in ADDITIVE_MODELS]
    if other:
        raise _frames.error(
            f"model {other[0]!r} is not available on Dask: only markov and the models that are sums over "
            f"journeys ({', '.join(ADDITIVE_MODELS)}) add up across partitions"
        )
    return "markov" in names, [m for m in names if m != "markov"], names


def journeys_of(df: pd.DataFrame, spec: Dict[str, Any], store_timestamps: bool) -> Optional[Journeys]:
    """The journeys of one partition (None if it has no events), built as Journeys.from_events builds them."""
    if ROW in df.columns:
        # Back to the order the rows had before the shuffle: ties in time then resolve as in one process.
        keys = df[ROW].to_numpy()
        if len(keys) > 1 and not bool(np.all(keys[1:] > keys[:-1])):
            df = df.iloc[np.argsort(keys, kind="stable")]
        df = df.drop(columns=ROW)
    if len(df) == 0:
        return None
    return Journeys.from_events(df, **spec["columns"], segment=None, time_unit=spec["time_unit"],
                                time_format=spec.get("time_format"),
                                threads=spec["threads"], store_timestamps=store_timestamps, **spec["journey"])


def credit(journeys: Journeys, heuristics: Sequence[str], spec: Dict[str, Any]) -> pd.DataFrame:
    """Heuristic credit of one partition's journeys, indexed by every touchpoint of the journeys (sorted)."""
    if heuristics and journeys.total_conversions > 0:
        table = attribute(journeys, models=list(heuristics), threads=spec["threads"], **spec["credit"])
        return table[list(heuristics) + [f"{m}_value" for m in heuristics]]
    # No conversion to credit (or no heuristic asked): zeros over the same sorted touchpoints.
    index = pd.Index(sorted(journeys.touchpoints), name="touchpoint")
    return pd.DataFrame({c: np.zeros(len(index)) for m in heuristics for c in (m, f"{m}_value")}, index=index)


def partition(df: pd.DataFrame, spec: Dict[str, Any],
              heuristics: Optional[Sequence[str]]) -> Optional[Tuple[TransitionCounts, Optional[pd.DataFrame]]]:
    """Counts (and, when heuristics is not None, the credit table) of one partition; None without events."""
    journeys = journeys_of(df, spec, store_timestamps=heuristics is not None and "time_decay" in heuristics)
    if journeys is None:
        return None
    counts = TransitionCounts.count(journeys, spec["order"], spec["self_loops"], spec["threads"])
    counts.report = journeys.report.to_dict()
    return counts, (credit(journeys, heuristics, spec) if heuristics is not None else None)


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


def combine(*parts: Any) -> Any:
    """One node of the merge tree: counts merged, credit tables summed by touchpoint (in partition order)."""
    present = [p for p in parts if p is not None]
    if not present:
        return None
    counts = merge_counts(p[0] for p in present)
    credits = [p[1] for p in present if p[1] is not None]
    return counts, (pd.concat(credits).groupby(level=0, sort=True).sum() if credits else None)
