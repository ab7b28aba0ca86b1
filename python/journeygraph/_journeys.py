"""Journeys: the ordered touchpoints of customers with their outcome, built from DataFrames or CSV files."""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Union

import numpy as np
import pandas as pd

from . import _core, _frames, _html, _progress
from ._frames import Default

PathLike = Union[str, "os.PathLike[str]"]


class Journeys:
    """Journeys: each is an ordered list of touchpoints with its conversions, non-conversions and value.

    Build them with :meth:`from_events` (one row per touch), :meth:`from_paths` (aggregated paths in
    ChannelAttribution's format), :func:`read_events` or :func:`read_paths` (CSV files read by the C++
    reader). The journeys are stored by the C++ core, column-wise; the object is immutable.

    Attributes
    ----------
    report : BuildReport
        What the build did: rows read, journeys made, splits, touches dropped, notes. Nothing is dropped
        silently; ``report.summary()`` reads it out.
    """

    __slots__ = ("_set", "report")

    def __init__(self, core: "_core.JourneySet", report: "_core.BuildReport") -> None:
        if not isinstance(core, _core.JourneySet):
            raise _frames.error(
                "Journeys are made with Journeys.from_events, Journeys.from_paths, read_events or read_paths"
            )
        self._set = core
        self.report = report

    # ------------------------------------------------------------------------------------ constructors

    @classmethod
    def from_events(
        cls,
        df: pd.DataFrame,
        journey: str = "journey_id",
        time: Optional[str] = "timestamp",
        touchpoint: str = "touchpoint",
        conversion: Optional[str] = None,
        value: Optional[str] = None,
        segment: Optional[str] = None,
        lookback: Any = None,
        gap: Any = None,
        split_on_conversion: bool = True,
        collapse_repeats: bool = False,
        max_touches: Optional[int] = None,
        time_unit: str = "s",
        threads: Optional[int] = None,
        store_timestamps: bool = True,
        progress: _progress.Progress = False,
    ) -> "Journeys":
        """Build journeys from an event table, one row per touch.

        Events are grouped by journey id (journeys keep the order of their first event), ordered by time
        (ties keep row order), then split after conversions, split at inactivity gaps, trimmed to the
        lookback window, repeats collapsed and cut to ``max_touches``, in that order. Every change is
        counted in :attr:`report`.

        Columns are borrowed without copying where their layout allows: int64 journey ids, int64 or
        datetime64 times, categorical touchpoints and segments (their int8/16/32 codes), bool conversion
        flags and float64 values. Other dtypes are converted with one copy of that column: other integer
        widths are widened; strings and other values are factorized (in order of first appearance);
        date strings are parsed with :func:`pandas.to_datetime` (``utc=True``); numeric flags are compared
        with 0. The C++ build then keeps its own compact journey columns.

        Parameters
        ----------
        df : pandas.DataFrame
            The events.
        journey : str, default "journey_id"
            Column of journey (customer) ids: integers, strings or any hashable values.
        time : str or None, default "timestamp"
            Column of event times: datetime64 (naive values are taken as UTC, time-zone-aware ones are
            converted to UTC), integer epochs in ``time_unit``, or date strings. None: no time column,
            the rows of a journey are taken in table order (``lookback`` and ``gap`` then need times).
        touchpoint : str, default "touchpoint"
            Column of touchpoint (channel) names; categorical columns are read through their codes.
        conversion : str or None
            Column of conversion flags (bool, or numbers with non-zero meaning converted). None: no
            journey converts (every journey counts as a non-conversion).
        value : str or None
            Column of conversion values, counted on converting events (needs ``conversion``).
        segment : str or None
            Column of segment labels (device, region, persona, ...); a journey takes the label of its
            first event (conflicts are counted in the report).
        lookback : float, str, timedelta or None
            Drop touches older than this before the journey's last touch: seconds, a string such as
            ``"30d"``, ``"12h"``, ``"90m"``, or a :class:`pandas.Timedelta` / :class:`datetime.timedelta`.
        gap : float, str, timedelta or None
            Split a journey at a silence longer than this (same forms as ``lookback``).
        split_on_conversion : bool, default True
            A conversion ends the journey; later touches start a new one. False keeps going and counts
            every conversion of the journey.
        collapse_repeats : bool, default False
            Replace runs of the same touchpoint by one touch.
        max_touches : int or None
            Keep at most this many touches per journey (the most recent).
        time_unit : {"s", "ms", "us", "ns"}, default "s"
            Unit of integer times (datetime columns carry their own unit).
        threads : int or None
            Worker threads of the C++ core; None or 0 uses every core. Results do not depend on it.
        store_timestamps : bool, default True
            Keep the touch times in the journeys (8 bytes per touch). Times are used for ordering, gaps and
            lookback either way; False saves the memory when no later analysis reads them (Markov fits and
            attribution do not).
        progress : bool or callable, default False
            True draws a progress bar (tqdm: a widget in Jupyter when available, else text on stderr); a
            callable receives ``(fraction, stage)`` a few times per second. Results do not depend on it.

        Returns
        -------
        Journeys

        Raises
        ------
        JourneyGraphError
            For a missing column (the message lists the columns found), missing values, unsupported
            dtypes, invalid options, or invalid data (negative or NaN conversion values, ...).
        KeyboardInterrupt
            When interrupted (Ctrl-C); the build stops within a fraction of a second.

        Examples
        --------
        >>> events = jg.datasets.sample_events()
        >>> journeys = jg.Journeys.from_events(events, journey="journey_id", time="timestamp",
        ...                                    touchpoint="touchpoint", conversion="conversion",
        ...                                    value="value", lookback="30d")
        """
        df = _frames.require_frame(df, "Journeys.from_events")
        journey_col = _frames.column(df, journey, "journey")
        touch_col = _frames.column(df, touchpoint, "touchpoint")
        time_col = _frames.column(df, time, "time")
        conv_col = _frames.column(df, conversion, "conversion")
        value_col = _frames.column(df, value, "value")
        seg_col = _frames.column(df, segment, "segment")
        if value_col is not None and conv_col is None:
            raise _frames.error("a value column needs a conversion column: values count on converting events")
        journey_arr = _frames.journey_ids(journey_col, str(journey))
        if time_col is not None:
            time_arr, unit = _frames.times(time_col, str(time), time_unit)
        else:
            time_arr, unit = None, "s"
        touch_arr, touch_names = _frames.codes(touch_col, str(touchpoint), "touchpoint")
        conv_arr = _frames.flags(conv_col, str(conversion)) if conv_col is not None else None
        value_arr = _frames.amounts(value_col, str(value), "value") if value_col is not None else None
        if value_arr is not None and conv_arr is not None:
            _frames.conversion_values(value_arr, conv_arr, value_col, str(value))
        if seg_col is not None:
            seg_arr, seg_names = _frames.codes(seg_col, str(segment), "segment")
        else:
            seg_arr, seg_names = None, []
        with _progress.reporting(progress, "from_events"):
            core, report = _core.build_journeys(
                journey_arr,
                time_arr,
                unit,
                touch_arr,
                touch_names,
                conv_arr,
                value_arr,
                seg_arr,
                seg_names,
                split_on_conversion=bool(split_on_conversion),
                lookback=_frames.duration_seconds(lookback, "lookback"),
                gap=_frames.duration_seconds(gap, "gap"),
                collapse_repeats=bool(collapse_repeats),
                max_touches=_frames.count_arg(max_touches, "max_touches"),
                threads=_frames.threads_arg(threads),
                store_timestamps=bool(store_timestamps),
            )
        return cls(core, report)

    @classmethod
    def from_paths(
        cls,
        df: pd.DataFrame,
        path: str = "path",
        conversions: Optional[str] = Default("total_conversions"),
        nulls: Optional[str] = Default("total_null"),
        value: Optional[str] = Default("total_conversion_value"),
        sep: str = ">",
    ) -> "Journeys":
        """Build journeys from aggregated paths (ChannelAttribution's format), one row per path.

        A row stands for ``conversions + nulls`` journeys with that path. Paths are split exactly as the
        C++ paths reader splits them: at each occurrence of ``sep``, names trimmed of spaces and tabs,
        so ``from_paths`` on a DataFrame and :func:`read_paths` on the same CSV give identical journeys.
        Count columns are converted to float64 (a copy of those columns).

        Parameters
        ----------
        df : pandas.DataFrame
            The paths.
        path : str, default "path"
            Column of paths such as ``"search > email > store"``.
        conversions : str or None, default "total_conversions"
            Column of conversion counts (may be fractional). The default name may be absent (no
            conversions); a name given explicitly must exist; None ignores the column.
        nulls : str or None, default "total_null"
            Column of non-conversion counts (same rules).
        value : str or None, default "total_conversion_value"
            Column of conversion value (same rules).
        sep : str, default ">"
            Separator between touchpoints.

        Returns
        -------
        Journeys

        Raises
        ------
        JourneyGraphError
            For a missing column (listing the columns found), a non-string or empty path, an empty
            touchpoint name, a negative or non-finite count, or a value on a path without conversions.

        Examples
        --------
        >>> paths = pd.DataFrame({"path": ["a > b", "b"], "total_conversions": [1, 0], "total_null": [2, 3]})
        >>> jg.Journeys.from_paths(paths)
        """
        df = _frames.require_frame(df, "Journeys.from_paths")
        if not isinstance(sep, str) or not sep:
            raise _frames.error(f"sep must be a non-empty string, got {sep!r}")
        path_col = _frames.column(df, path, "path")
        cols = {
            "conversions": _frames.column(df, conversions, "conversions", optional=True),
            "nulls": _frames.column(df, nulls, "nulls", optional=True),
            "value": _frames.column(df, value, "value", optional=True),
        }
        names = {"conversions": conversions, "nulls": nulls, "value": value}
        notes = [
            f"no {key} column {str(names[key])!r}" for key, col in cols.items() if col is None and names[key] is not None
        ]
        arrays = {
            key: (_frames.amounts(col, str(names[key]), key) if col is not None else None) for key, col in cols.items()
        }
        core, report = _core.journeys_from_paths(
            np.ascontiguousarray(path_col.to_numpy(dtype=object)),
            arrays["conversions"],
            arrays["nulls"],
            arrays["value"],
            sep,
            [str(path)] + [str(names[k]) if names[k] is not None else "" for k in ("conversions", "nulls", "value")],
            notes,
        )
        return cls(core, report)

    # ------------------------------------------------------------------------------------ contents

    def __len__(self) -> int:
        return len(self._set)

    @property
    def n_touches(self) -> int:
        """Number of touches over all journeys."""
        return self._set.touch_count

    @property
    def touchpoints(self) -> List[str]:
        """Touchpoint names in dictionary order (category order for categorical input, else first use)."""
        return self._set.touchpoints

    @property
    def segments(self) -> List[str]:
        """Segment names (empty without a segment column)."""
        return self._set.segments

    @property
    def has_timestamps(self) -> bool:
        """Whether touches carry timestamps."""
        return self._set.has_timestamps

    @property
    def time_unit(self) -> str:
        """Unit of the stored timestamps: "s", "ms", "us" or "ns"."""
        return self._set.time_unit

    @property
    def total_conversions(self) -> float:
        """Sum of conversions over all journeys."""
        return self._set.total_conversions

    @property
    def total_nulls(self) -> float:
        """Sum of non-conversions over all journeys."""
        return self._set.total_nulls

    @property
    def total_value(self) -> float:
        """Sum of conversion value over all journeys."""
        return self._set.total_value

    @property
    def totals(self) -> Dict[str, float]:
        """Journeys, touches, conversions, non-conversions and value, as a dict."""
        return {
            "journeys": float(len(self)),
            "touches": float(self.n_touches),
            "conversions": self.total_conversions,
            "nulls": self.total_nulls,
            "value": self.total_value,
        }

    @property
    def core(self) -> "_core.JourneySet":
        """The C++ journey set (read-only numpy views of its columns: offsets, touches, timestamps, ...)."""
        return self._set

    def to_frame(self, sep: str = " > ") -> pd.DataFrame:
        """One row per journey: path, touches, conversions, nulls, value (and segment).

        Parameters
        ----------
        sep : str, default " > "
            Separator between touchpoints in ``path``.

        Returns
        -------
        pandas.DataFrame
            Columns ``path`` (str), ``touches`` (int64), ``conversions``, ``nulls``, ``value`` (float64)
            and, with segments, ``segment`` (categorical).
        """
        s = self._set
        data: Dict[str, Any] = {
            "path": s.path_strings(sep),
            "touches": np.diff(s.offsets).astype(np.int64),
            "conversions": np.array(s.conversions),
            "nulls": np.array(s.nulls),
            "value": np.array(s.values),
        }
        if s.has_segments:
            data["segment"] = pd.Categorical.from_codes(s.segment_ids.astype(np.int64), categories=s.segments)
        return pd.DataFrame(data)

    def paths(self, sep: str = " > ") -> pd.DataFrame:
        """Aggregated paths in ChannelAttribution's format, identical paths merged (first-seen order).

        Parameters
        ----------
        sep : str, default " > "
            Separator between touchpoints.

        Returns
        -------
        pandas.DataFrame
            Columns ``path``, ``total_conversions``, ``total_null``, ``total_conversion_value``; it reads
            back with :meth:`from_paths`.

        Raises
        ------
        JourneyGraphError
            If a touchpoint name contains the separator (trimmed of spaces and tabs): the paths could
            not be read back.
        """
        key = sep.strip(" \t") or sep
        for name in self.touchpoints:
            if key in name:
                raise _frames.error(
                    f"touchpoint {name!r} contains the path separator {key!r}: the paths could not be read back; "
                    "pass another sep"
                )
        frame = self.to_frame(sep)
        grouped = frame.groupby("path", sort=False)[["conversions", "nulls", "value"]].sum()
        grouped.columns = ["total_conversions", "total_null", "total_conversion_value"]
        return grouped.reset_index()

    def segment(self, name: str) -> "Journeys":
        """The journeys of one segment (same touchpoint dictionary).

        Parameters
        ----------
        name : str
            A segment name from :attr:`segments`.

        Returns
        -------
        Journeys
        """
        return Journeys(self._set.segment_subset(name), self.report)

    # ------------------------------------------------------------------------------------ display

    def __repr__(self) -> str:
        return (
            f"<journeygraph.Journeys: {len(self):,} journeys, {self.n_touches:,} touches, "
            f"{len(self.touchpoints)} touchpoints, {_html.number(self.total_conversions)} conversions>"
        )

    def _repr_html_(self) -> str:
        rows = [
            ("journeys", f"{len(self):,}"),
            ("touches", f"{self.n_touches:,}"),
            ("touchpoints", f"{len(self.touchpoints)}"),
            ("conversions", _html.number(self.total_conversions)),
            ("non-conversions", _html.number(self.total_nulls)),
            ("value", _html.number(self.total_value)),
            ("timestamps", self.time_unit if self.has_timestamps else "none"),
        ]
        if self.segments:
            rows.append(("segments", ", ".join(self.segments)))
        return _html.summary_table("journeygraph.Journeys", rows, self.report.summary())


def read_events(
    file: PathLike,
    journey: str = "journey_id",
    time: Optional[str] = "timestamp",
    touchpoint: str = "touchpoint",
    conversion: Optional[str] = Default("conversion"),
    value: Optional[str] = Default("value"),
    segment: Optional[str] = None,
    lookback: Any = None,
    gap: Any = None,
    split_on_conversion: bool = True,
    collapse_repeats: bool = False,
    max_touches: Optional[int] = None,
    time_unit: str = "s",
    delimiter: str = ",",
    skip_bad_rows: bool = False,
    threads: Optional[int] = None,
    store_timestamps: bool = True,
    progress: _progress.Progress = False,
) -> Journeys:
    """Read an events CSV (one row per touch) with the C++ reader and build journeys.

    The grouping and options are those of :meth:`Journeys.from_events`. Times may be integer epochs (in
    ``time_unit``), decimal numbers or ISO-8601 strings; they are stored in milliseconds (or
    ``time_unit`` if finer). Conversion flags read 1/0, true/false, yes/no, t/f, y/n (any case).

    Parameters
    ----------
    file : str or os.PathLike
        The CSV file (RFC 4180, header row, optional UTF-8 BOM).
    journey, time, touchpoint : str
        Column names (required; ``time=None`` reads no time column and keeps file order).
    conversion, value : str or None
        Column names; the defaults ("conversion", "value") may be absent, names given explicitly must
        exist, None ignores the column.
    segment : str or None
        Segment column, if any.
    lookback, gap, split_on_conversion, collapse_repeats, max_touches
        As in :meth:`Journeys.from_events`.
    time_unit : {"s", "ms", "us", "ns"}, default "s"
        Unit of integer times in the file.
    delimiter : str, default ","
        Field delimiter (one character).
    skip_bad_rows : bool, default False
        Skip malformed rows (counted in the report, first messages kept) instead of failing.
    threads : int or None
        Worker threads; None or 0 uses every core.
    store_timestamps : bool, default True
        Keep the touch times in the journeys (see :meth:`Journeys.from_events`).
    progress : bool or callable, default False
        True draws a progress bar (tqdm); a callable receives ``(fraction, stage)``.

    Returns
    -------
    Journeys

    Raises
    ------
    JourneyGraphError
        The C++ message: file, line, column, field and value of malformed input (also available as the
        exception's attributes), or the header's columns when a column is missing.
    """
    args = (
        os.fspath(file),
        _frames.csv_column(journey),
        _frames.csv_column(time),
        _frames.csv_column(touchpoint),
        _frames.csv_column(conversion),
        _frames.csv_column(value),
        _frames.csv_column(segment),
        time_unit,
        delimiter,
        bool(skip_bad_rows),
        bool(split_on_conversion),
        _frames.duration_seconds(lookback, "lookback"),
        _frames.duration_seconds(gap, "gap"),
        bool(collapse_repeats),
        _frames.count_arg(max_touches, "max_touches"),
        _frames.threads_arg(threads),
    )
    with _progress.reporting(progress, "read_events"):
        core, report = _core.read_events_csv(*args, store_timestamps=bool(store_timestamps))
    return Journeys(core, report)


def read_paths(
    file: PathLike,
    path: str = "path",
    conversions: Optional[str] = "total_conversions",
    nulls: Optional[str] = Default("total_null"),
    value: Optional[str] = Default("total_conversion_value"),
    sep: str = ">",
    delimiter: str = ",",
    skip_bad_rows: bool = False,
    threads: Optional[int] = None,
    progress: _progress.Progress = False,
) -> Journeys:
    """Read an aggregated paths CSV (ChannelAttribution's format) with the C++ reader.

    Parameters
    ----------
    file : str or os.PathLike
        The CSV file.
    path : str, default "path"
        Column of paths.
    conversions : str, default "total_conversions"
        Column of conversion counts (required unless None).
    nulls, value : str or None
        Columns of non-conversion counts and conversion value; the defaults ("total_null",
        "total_conversion_value") may be absent, names given explicitly must exist.
    sep : str, default ">"
        Separator between touchpoints (names are trimmed of spaces and tabs).
    delimiter : str, default ","
        Field delimiter.
    skip_bad_rows : bool, default False
        Skip malformed rows instead of failing (counted in the report).
    threads : int or None
        Worker threads; None or 0 uses every core.
    progress : bool or callable, default False
        True draws a progress bar (tqdm); a callable receives ``(fraction, stage)``.

    Returns
    -------
    Journeys

    Raises
    ------
    JourneyGraphError
        With the C++ message (file, line, column, field, value).
    """
    with _progress.reporting(progress, "read_paths"):
        core, report = _core.read_paths_csv(
            os.fspath(file),
            _frames.csv_column(path),
            _frames.csv_column(conversions),
            _frames.csv_column(nulls),
            _frames.csv_column(value),
            sep,
            delimiter,
            bool(skip_bad_rows),
            _frames.threads_arg(threads),
        )
    return Journeys(core, report)
