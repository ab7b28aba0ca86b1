"""Journeys: the ordered touchpoints of customers with their outcome, built from DataFrames or CSV files."""

from __future__ import annotations

import datetime as _dt
import numbers
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core, _frames, _html, _options, _progress
from ._frames import Default
from ._tables import frame

PathLike = Union[str, "os.PathLike[str]"]

# The core's column names and defaults: the same on every face.
_EVENTS = _core.EventCsvOptions()
_PATHS = _core.PathCsvOptions()

JOURNEY_OPTIONS = """**options
    How events become journeys, by name (defaults are the core's; see :class:`journeygraph.JourneyOptions`):
    ``split_on_conversion`` (a conversion ends the journey; later touches start a new one), ``lookback``
    (drop touches older than this before the journey's last touch), ``gap`` (split a journey at a silence
    longer than this), ``collapse_repeats`` (a > a > b becomes a > b), ``max_touches`` (keep the most recent
    touches of each journey; 0 = all), ``store_timestamps`` (keep the touch times in the journeys).
    Durations are seconds, strings such as ``"30d"``, ``"12h"``, or timedeltas."""


def _default(column: "_core.Column") -> str:
    """The core's default name of a column: a Default (absent is fine) when the core says it is optional."""
    return column.name if column.required else Default(column.name)


def _column(name: Optional[str]) -> "_core.Column":
    """A core column: None skips it; a Default name may be absent; a name given explicitly must exist."""
    if name is None:
        return _core.Column("", False)
    if not isinstance(name, str):
        raise _frames.error(f"a column name must be a string or None, got {name!r}")
    return _core.Column(str(name), not isinstance(name, Default))


def _instant_text(x: Any) -> str:
    """An instant as the text the core's parse_instant reads: numbers as they are written, datetimes as
    ISO-8601 (naive ones are UTC)."""
    if isinstance(x, str):
        return x
    if isinstance(x, (bool, np.bool_)):
        raise _frames.error(f"an instant must be a date-time, a date-time string or an epoch number, got {x!r}")
    if isinstance(x, (numbers.Integral, np.integer)):
        return str(int(x))
    if isinstance(x, (numbers.Real, np.floating)):
        if not np.isfinite(x):
            raise _frames.error(f"the instant {x!r} is not a finite number")
        return repr(float(x))
    if isinstance(x, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        ts = pd.Timestamp(x)
        if ts is pd.NaT:
            raise _frames.error("the instant is NaT (not a time)")
        if ts.tzinfo is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
        return ts.isoformat()
    raise _frames.error(f"an instant must be a date-time, a date-time string or an epoch number, got "
                        f"{type(x).__name__} {x!r}")


class Journeys:
    """Journeys: each is an ordered list of touchpoints with its conversions, non-conversions and value.

    Build them with :meth:`from_events` (one row per touch), :meth:`from_paths` (aggregated paths in
    ChannelAttribution's format), :func:`read_events` or :func:`read_paths` (CSV files read by the C++
    reader). The journeys are stored by the C++ core, column-wise; the object is immutable.

    Attributes
    ----------
    report : BuildReport
        What the build did: the columns read, rows, journeys made, splits, touches dropped, notes. Nothing is
        dropped silently; ``report.summary()`` reads it out.
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
    @_options.documented(options=JOURNEY_OPTIONS.replace("\n", "\n        "), run=_options.RUN_DOC)
    def from_events(
        cls,
        df: pd.DataFrame,
        journey: str = _default(_EVENTS.journey),
        time: Optional[str] = _default(_EVENTS.time),
        touchpoint: str = _default(_EVENTS.touchpoint),
        conversion: Optional[str] = _default(_EVENTS.conversion),
        value: Optional[str] = _default(_EVENTS.value),
        segment: Optional[str] = _default(_EVENTS.segment),
        time_unit: Optional[str] = _EVENTS.time_unit,
        *,
        time_format: Optional[str] = None,
        threads: Optional[int] = None,
        progress: _progress.Progress = False,
        **options: Any,
    ) -> "Journeys":
        """Build journeys from an event table, one row per touch, with the rules of the C++ core.

        Events are grouped by journey id (journeys keep the order of their first event), ordered by time
        (ties keep row order), then split after conversions, split at inactivity gaps, trimmed to the
        lookback window, repeats collapsed and cut to ``max_touches``, in that order. Every change is
        counted in :attr:`report`, whose first note names the columns read.

        Columns are borrowed without copying where their layout allows: int64 journey ids, int64 or
        datetime64 times, categorical touchpoints and segments (their int8/16/32 codes), bool conversion
        flags and float64 values. Other dtypes are converted with one copy of that column: other integer
        widths are widened; strings and other values are factorized (in order of first appearance);
        float, object and string time columns are read by the core's time parser, with the rules of
        :func:`read_events`; numeric flags are compared with 0.

        Parameters
        ----------
        df : pandas.DataFrame
            The events.
        journey, time, touchpoint : str
            Columns of journey (customer) ids, event times and touchpoint names. Times may be datetime64
            (naive values are UTC); epoch numbers (integers or floats, in any dtype, object included) in
            ``time_unit``; or date-time text, ISO-8601 or in ``time_format``. Nothing is guessed: text of
            another form (``"03/04/2026 14:00"``: day or month first?) is refused naming the row, value and
            the patterns that read it, and so is a column mixing numbers and text. ``time=None`` takes the
            rows of a journey in table order.
        conversion, value, segment : str or None
            Columns of conversion flags (bool or numbers, non-zero = converted), conversion values and segment
            labels. By default the columns named ``conversion``, ``value`` and ``segment`` are used when the
            DataFrame has them, as on the command line; a name given explicitly must exist; None ignores the
            column.
        time_unit : {"s", "ms", "us", "ns"} or None, default None
            Unit of epoch numbers (datetime columns carry their own unit). None is seconds, checked as the
            CSV reader checks them: a time after the year 2200, or every time before 1971, is refused with
            what the values would be in the other units (epoch milliseconds or microseconds, as GA4 exports,
            read as seconds). Giving the unit, even ``"s"``, turns the check off.
        time_format : str or None, default None
            strftime-style pattern of date-time text, e.g. ``"%d/%m/%Y %H:%M"`` (directives ``%Y %y %m %b %B
            %d %j %H %I %p %M %S %f %z %T %%``); None reads epoch numbers and ISO-8601. Times without an
            offset are UTC.
        {run}
        {options}

        Returns
        -------
        Journeys

        Raises
        ------
        JourneyGraphError
            For a missing column (the message lists the columns found), missing values, unsupported dtypes,
            an unknown option, a time that is not read without guessing, an id outside the 64-bit range, or
            invalid data (negative or NaN conversion values, ...); the message names the row (with its index
            label) and the value.
        KeyboardInterrupt
            When interrupted (Ctrl-C); the build stops within a fraction of a second.

        Examples
        --------
        >>> events = jg.datasets.sample_events()
        >>> journeys = jg.Journeys.from_events(events, segment="device", lookback="30d")
        """
        df = _frames.require_frame(df, "Journeys.from_events")
        names = (("journey", journey), ("time", time), ("touchpoint", touchpoint), ("conversion", conversion),
                 ("value", value), ("segment", segment))
        col = {role: _frames.column(df, name, role, optional=True) for role, name in names}
        # The columns actually read, for the report's note, and the core's time rules.
        used = _options.make(_core.EventCsvOptions, "Journeys.from_events",
                             {"time_unit": time_unit, "time_format": time_format})
        for role, name in names:
            setattr(used, role, _core.Column(str(name) if col[role] is not None else "", False))
        if col["value"] is not None and col["conversion"] is None:
            raise _frames.error("a value column needs a conversion column: values count on converting events")
        journey_arr, journey_names = _frames.journey_ids_and_names(col["journey"], str(journey))
        tm = (_frames.times(col["time"], str(time), used) if col["time"] is not None
              else _frames.Times(None, "s", "none", None))
        touch_arr, touch_names = _frames.codes(col["touchpoint"], str(touchpoint), "touchpoint")
        conv_arr = _frames.flags(col["conversion"], str(conversion)) if col["conversion"] is not None else None
        value_arr = _frames.amounts(col["value"], str(value), "value") if col["value"] is not None else None
        if value_arr is not None:
            _frames.conversion_values(value_arr, conv_arr, col["value"], str(value))
        seg_arr, seg_names = (_frames.codes(col["segment"], str(segment), "segment") if col["segment"] is not None
                              else (None, []))
        opts = _options.make(_core.JourneyOptions, "Journeys.from_events", options)
        with _progress.reporting(progress, "from_events"):
            core, report = _core.build_journeys(journey_arr, tm.ticks, tm.unit, touch_arr, touch_names, conv_arr,
                                                value_arr, seg_arr, seg_names, opts, used, _options.threads(threads),
                                                tm.kind, tm.epoch_unit, journey_names)
        return cls(core, report)

    @classmethod
    def from_paths(
        cls,
        df: pd.DataFrame,
        path: str = _default(_PATHS.path),
        conversions: Optional[str] = Default(_PATHS.conversions.name),
        nulls: Optional[str] = _default(_PATHS.nulls),
        value: Optional[str] = _default(_PATHS.value),
        sep: str = _PATHS.separator,
        *,
        check_separator: bool = _PATHS.check_separator,
    ) -> "Journeys":
        """Build journeys from aggregated paths (ChannelAttribution's format), one row per path.

        A row stands for ``conversions + nulls`` journeys with that path. Paths are split by the C++ core
        with the paths reader's rule: at each occurrence of ``sep``, names trimmed of spaces and tabs, so
        ``from_paths`` on a DataFrame and :func:`read_paths` on the same CSV give identical journeys.
        Count columns are converted to float64 (a copy of those columns).

        Parameters
        ----------
        df : pandas.DataFrame
            The paths.
        path : str, default "path"
            Column of paths such as ``"search > email > store"``.
        conversions, nulls, value : str or None
            Columns of conversion counts, non-conversion counts and conversion value (counts may be
            fractional). The default names may be absent (then 0, noted in the report); a name given
            explicitly must exist; None ignores the column.
        sep : str, default ">"
            Separator between touchpoints.
        check_separator : bool, default True
            As in :func:`read_paths`: refuse paths of which none holds ``sep`` while most hold another
            common separator; the error names the row and the separator found.

        Returns
        -------
        Journeys

        Raises
        ------
        JourneyGraphError
            For a missing column (listing the columns found), a non-string or empty path, an empty
            touchpoint name, a negative or non-finite count, or a value on a path without conversions; the
            message names the row and the column.

        Examples
        --------
        >>> paths = pd.DataFrame({"path": ["a > b", "b"], "total_conversions": [1, 0], "total_null": [2, 3]})
        >>> jg.Journeys.from_paths(paths)
        """
        df = _frames.require_frame(df, "Journeys.from_paths")
        names = {"conversions": conversions, "nulls": nulls, "value": value}
        cols = {key: _frames.column(df, name, key, optional=True) for key, name in names.items()}
        columns = _core.PathCsvOptions()
        columns.separator = sep
        columns.check_separator = bool(check_separator)
        columns.path = _column(path)
        for key, name in names.items():
            setattr(columns, key, _column(name))
        notes = [f"no {key} column {str(names[key])!r}" for key, c in cols.items() if c is None and names[key] is not None]
        arrays = {key: (_frames.amounts(c, str(names[key]), key) if c is not None else None) for key, c in cols.items()}
        path_col = _frames.column(df, path, "path")
        core, report = _core.journeys_from_paths(np.ascontiguousarray(path_col.to_numpy(dtype=object)),
                                                 arrays["conversions"], arrays["nulls"], arrays["value"], columns, notes)
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
    def time_kind(self) -> str:
        """How the times were given: "epoch" (epoch numbers), "dates" (date-time text or datetime values),
        "mixed" (both, in a CSV file) or "none" (no timestamps). An instant given to :meth:`split_at` as a
        bare number is an epoch number only for epoch or mixed times."""
        return self._set.time_kind

    @property
    def epoch_unit(self) -> str:
        """Unit the epoch numbers were given in ("s", "ms", "us" or "ns"); :attr:`time_unit` when the times
        were not epoch numbers."""
        return self._set.epoch_unit

    def split_at(self, instant: Any, time_format: Optional[str] = None) -> "Tuple[Journeys, Journeys]":
        """The journeys split by the time of their first touch: those starting before ``instant``, then
        those starting at or after it, to compare two periods.

        Parameters
        ----------
        instant : str, int, float, pandas.Timestamp, datetime.datetime or numpy.datetime64
            Read the way the journeys' times were given: ISO-8601 text (or text in ``time_format``)
            always; a number (or numeric text) as an epoch number in :attr:`epoch_unit`, only when the
            times were epoch numbers (a bare number with date-time data is refused with a hint: it would be
            a guess); datetime values as they are (naive ones are UTC).
        time_format : str, optional
            The pattern the times were read with, if any.

        Returns
        -------
        (Journeys, Journeys)

        Raises
        ------
        JourneyGraphError
            Without timestamps (kind ``state``), for an instant that cannot be read, or when a side has no
            journey of positive weight (kind ``data``; the message names the instant, the side and the range
            of start times).

        Complexity: O(journeys + touches).
        """
        before, after, _ = _core.split_at_time(self._set, _instant_text(instant), time_format or "")
        return Journeys(before, self.report), Journeys(after, self.report)

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
        return {"journeys": float(len(self)), "touches": float(self.n_touches), "conversions": self.total_conversions,
                "nulls": self.total_nulls, "value": self.total_value}

    @property
    def core(self) -> "_core.JourneySet":
        """The C++ journey set (read-only numpy views of its columns: offsets, touches, timestamps, ...)."""
        return self._set

    def to_frame(self, sep: str = " > ") -> pd.DataFrame:
        """One row per journey: the core's ``journeys`` table.

        Parameters
        ----------
        sep : str, default " > "
            Separator between touchpoints in ``path``.

        Returns
        -------
        pandas.DataFrame
            Columns ``path``, ``touches``, ``conversions``, ``nulls``, ``value`` and, with segments,
            ``segment`` (categorical); with timestamps ``start_time`` and ``end_time`` (docs/tables.md).
        """
        df = frame(self._set.table(sep))
        if "segment" in df.columns:
            df["segment"] = pd.Categorical(df["segment"], categories=self.segments)
        return df

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
            If a touchpoint name contains the separator (trimmed of spaces and tabs): the paths could not
            be read back.
        """
        return frame(self._set.path_table(sep))

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

    # ------------------------------------------------------------------------------------ funnels, paths, drivers

    @_options.documented(run=_options.RUN_DOC)
    def event_funnel(self, steps: Sequence[str], *, order: Optional[str] = None, window: Any = None,
                     exclude: Sequence[str] = (), stages: Any = None, by_segment: bool = False,
                     level: Optional[float] = None, alpha: Optional[float] = None,
                     threads: Optional[int] = None, progress: _progress.Progress = False) -> pd.DataFrame:
        """The event funnel: of the journeys that did step 1, how many went on to step 2, 3, ...

        Each step's rate carries a Wilson interval, with the median and p90 time from the previous step and
        from entry; with ``by_segment`` each segment's step rate is tested against the other segments pooled
        (two-proportion z-test, Holm-adjusted). The semantics are those of the core (funnel.hpp).

        Parameters
        ----------
        steps : sequence of str
            Steps in their text form: ``"ad"``, ``"paid_search|organic_search"``, ``"product_*"``,
            ``"stage:purchase"``, ``"(conversion)"`` (last step only); ``"web@2d"`` within 2 days of the previous
            step, ``"newsletter?"`` optional.
        order : str, optional
            ``"ordered"`` (the default: other touches may come between), ``"strict"`` or ``"unordered"``.
        window : float, str or timedelta, optional
            Conversion window from the step-1 touch (needs timestamps); None: no limit.
        exclude : sequence of str
            Exclusions ``"NAME|NAME[:FROM-TO]"``: a journey touching one between those steps is dropped from
            step TO on (for that attempt).
        stages : dict, DataFrame, str or StageMap, optional
            The stages, needed for ``"stage:NAME"`` steps.
        by_segment : bool, default False
            Rows per segment with tests (needs segments).
        level : float, optional
            Level of the Wilson intervals (core default 0.95).
        alpha : float, optional
            Significance level of the segment tests (core default 0.05).
        {run}

        Returns
        -------
        pandas.DataFrame
            The core's ``event_funnel`` table (docs/tables.md).
        """
        with _progress.reporting(progress, "event_funnel"):
            return frame(_core.event_funnel(
                journeys=self._set, steps=_texts(steps, "steps"), order=order, window=_window(window),
                exclusions=_texts(exclude, "exclude"), stages=_stages(stages), by_segment=by_segment, level=level,
                alpha=alpha, threads=_options.threads(threads)))

    @_options.documented(run=_options.RUN_DOC)
    def funnel_trends(self, steps: Sequence[str], *, period: Optional[str] = None, horizon: Any = None,
                      window: Any = None, order: Optional[str] = None, exclude: Sequence[str] = (),
                      data_end: Any = None, stages: Any = None, curve: bool = False, level: Optional[float] = None,
                      alpha: Optional[float] = None, threads: Optional[int] = None,
                      progress: _progress.Progress = False) -> Any:
        """Funnel conversion by entry period, with journeys still open censored (Kaplan-Meier).

        A period whose horizon has not passed by the end of the data is flagged ``complete == False``; its
        ``conversion`` is the Kaplan-Meier estimate with a Greenwood interval, not converted / entered (which
        is ``naive_rate``). Each period is tested against the previous one (Holm-adjusted).

        Parameters
        ----------
        steps : sequence of str
            The funnel's steps, as in :meth:`event_funnel`.
        period : str, optional
            ``"day"``, ``"week"`` (the default) or ``"month"`` (UTC; weeks start on Monday).
        horizon : float, str or timedelta, optional
            Time since entry at which conversion is read; None: the window (one is then needed).
        window : float, str or timedelta, optional
            The funnel's conversion window.
        order : str, optional
            The funnel's order mode, as in :meth:`event_funnel`.
        exclude : sequence of str
            Exclusions, as in :meth:`event_funnel`.
        data_end : int, optional
            End of observation in ticks of the journeys' time unit; None: the last timestamp.
        stages : dict, DataFrame, str or StageMap, optional
            The stages, for ``"stage:NAME"`` steps.
        curve : bool, default False
            Also return the ``conversion_curve`` table (by time since entry).
        level : float, optional
            Level of the intervals (core default 0.95).
        alpha : float, optional
            Significance level of the period-over-period tests (core default 0.05).
        {run}

        Returns
        -------
        pandas.DataFrame or tuple of pandas.DataFrame
            The ``funnel_trends`` table, and with ``curve`` the ``conversion_curve`` table too.
        """
        with _progress.reporting(progress, "funnel_trends"):
            trends, points = _core.funnel_trends(
                journeys=self._set, steps=_texts(steps, "steps"), order=order, window=_window(window),
                exclusions=_texts(exclude, "exclude"), stages=_stages(stages), period=period,
                horizon=_window(horizon), data_end=data_end, level=level, alpha=alpha,
                threads=_options.threads(threads))
        return (frame(trends), frame(points)) if curve else frame(trends)

    @_options.documented(run=_options.RUN_DOC)
    def explore_paths(self, start: Optional[str] = None, end: Optional[str] = None, *,
                      steps: Sequence[str] = (), from_step: Optional[int] = None, to_step: Optional[int] = None,
                      drop_off: bool = False, order: Optional[str] = None, window: Any = None,
                      exclude: Sequence[str] = (), max_steps: Optional[int] = None, top: Optional[int] = None,
                      variants: Optional[int] = None, stages: Any = None, threads: Optional[int] = None,
                      progress: _progress.Progress = False) -> "tuple[pd.DataFrame, pd.DataFrame]":
        """The path explorer: what journeys do after ``start``, before ``end``, or between funnel steps.

        At every step each selected journey is in exactly one row (a top touchpoint, ``(other)``, a terminal
        or ``(none)``), so the shares of every step sum to 1.

        Parameters
        ----------
        start : str, optional
            Paths from the first touch matching this step text.
        end : str, optional
            Paths up to the first touch matching this step text, ``"(conversion)"`` or ``"(drop-off)"``.
        steps : sequence of str
            A funnel (instead of start and end): paths between its steps ``from_step`` and ``to_step``.
        from_step : int, optional
            1-based funnel step the paths start at (core default 1).
        to_step : int, optional
            Funnel step they end at (default: the next required step).
        drop_off : bool, default False
            Journeys that reached ``from_step`` but not the next step, to their end.
        order : str, optional
            The funnel's order mode.
        window : float, str or timedelta, optional
            The funnel's conversion window.
        exclude : sequence of str
            The funnel's exclusions.
        max_steps : int, optional
            Touches kept per path (core default 5).
        top : int, optional
            Touchpoints kept per step, the rest merged into ``(other)`` (core default 5).
        variants : int, optional
            Most common whole paths listed (core default 20; 0 = all).
        stages : dict, DataFrame, str or StageMap, optional
            The stages, for ``"stage:NAME"`` anchors.
        {run}

        Returns
        -------
        tuple of pandas.DataFrame
            The ``path_steps`` and ``path_variants`` tables (docs/tables.md).
        """
        with _progress.reporting(progress, "explore_paths"):
            st, va = _core.explore_paths(
                journeys=self._set, start=start, end=end, steps=_texts(steps, "steps"), order=order,
                window=_window(window), exclusions=_texts(exclude, "exclude"), from_step=from_step, to_step=to_step,
                drop_off=drop_off, max_steps=max_steps, top=top, variants=variants, stages=_stages(stages),
                threads=_options.threads(threads))
        return frame(st), frame(va)

    @_options.documented(run=_options.RUN_DOC)
    def drivers(self, *, stages: Any = None, threads: Optional[int] = None, progress: _progress.Progress = False,
                **options: Any) -> pd.DataFrame:
        """Conversion drivers: features of journeys that go with converting (or dropping off), tested.

        Each feature (a touchpoint, a k-gram ``"a > b"``, ``"a >> b"`` for a before b, ``"a{3}"`` for at least
        3 touches) gets its 2x2 table, an odds ratio with a Wald interval, Fisher's or the Wald test, a
        Benjamini-Hochberg q-value over all features tested, and the Mantel-Haenszel odds ratio stratified by
        journey length (``confounded``: significant raw, not adjusted).

        Parameters
        ----------
        stages : dict, DataFrame, str or StageMap, optional
            The stages, for a ``"stage:NAME"`` ``after``.
        {run}
        **options
            By name (defaults are the core's): ``touchpoints``, ``kgrams`` (lengths, 2 and 3), ``before``,
            ``at_least`` (counts n >= 2), ``features`` (explicit feature texts), ``min_support``, ``target``
            (``"conversion"`` or ``"drop_off"``), ``after`` (the step reached, for drop_off), ``length_strata``,
            ``level``, ``alpha``.

        Returns
        -------
        pandas.DataFrame
            The core's ``drivers`` table (docs/tables.md), strongest first.
        """
        opts = _options.make(_core.DriverOptions, "drivers", options)
        with _progress.reporting(progress, "drivers"):
            return frame(_core.conversion_drivers(journeys=self._set, options=opts, stages=_stages(stages),
                                                  threads=_options.threads(threads)))

    def clean(self, rules: Any = (), *, collapse_repeats: bool = False) -> "tuple[Journeys, pd.DataFrame]":
        """The journeys with cleaning rules applied (rename, group, drop touchpoints), and what changed.

        Parameters
        ----------
        rules : str, path or sequence of (action, pattern, replacement)
            A cleaning-rules CSV file (columns action, pattern, replacement), or the rules in order: action
            ``"alias"`` (pattern a regular expression, replacement its text), ``"group"`` (a wildcard pattern
            and the group's name) or ``"drop"`` (a wildcard pattern; replacement ignored).
        collapse_repeats : bool, default False
            Merge runs of the same cleaned touchpoint into one touch.

        Returns
        -------
        tuple
            The cleaned :class:`Journeys` and the ``cleaning`` table (docs/tables.md), what was done per
            touchpoint, with the counts of dropped touches and emptied journeys in ``attrs``.
        """
        if isinstance(rules, (str, os.PathLike)):
            rules = _core.read_cleaning_rules_csv(os.fspath(rules))
        parsed = []
        for r in rules:
            r = tuple(str(x) for x in r)
            if len(r) not in (2, 3):
                raise _frames.error(f"a cleaning rule is (action, pattern[, replacement]), got {r!r}")
            parsed.append(r if len(r) == 3 else r + ("",))
        core, table = _core.clean_journeys(journeys=self._set, rules=parsed, collapse_repeats=collapse_repeats)
        return Journeys(core, self.report), frame(table)

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



def _texts(values: Any, what: str) -> List[str]:
    """A list of step, exclusion or feature texts (one string is one text)."""
    if isinstance(values, str):
        return [values]
    out = list(values)
    for v in out:
        if not isinstance(v, str):
            raise _frames.error(f"{what} must be strings, got {v!r}")
    return out


def _window(value: Any) -> Optional[float]:
    """A duration in seconds, or None."""
    return None if value is None else _options.duration_seconds(value, "window")


def _stages(stages: Any) -> Optional["_core.StageMap"]:
    """A core StageMap from what JourneyMap accepts, or None."""
    from ._map import _stage_map  # the map module imports this one

    return _stage_map(stages, None)

@_options.documented(options=JOURNEY_OPTIONS.replace("\n", "\n    "))
def read_events(
    file: PathLike,
    journey: str = _default(_EVENTS.journey),
    time: Optional[str] = _default(_EVENTS.time),
    touchpoint: str = _default(_EVENTS.touchpoint),
    conversion: Optional[str] = _default(_EVENTS.conversion),
    value: Optional[str] = _default(_EVENTS.value),
    segment: Optional[str] = _default(_EVENTS.segment),
    time_unit: Optional[str] = _EVENTS.time_unit,
    *,
    time_format: Optional[str] = None,
    delimiter: str = _EVENTS.delimiter,
    skip_bad_rows: bool = False,
    threads: Optional[int] = None,
    progress: _progress.Progress = False,
    **options: Any,
) -> Journeys:
    """Read an events CSV (one row per touch) with the C++ reader and build journeys.

    The columns, their defaults and the grouping are those of :meth:`Journeys.from_events`. Times may be
    epoch numbers (in ``time_unit``; integers or decimals), ISO-8601 text or text in ``time_format``;
    they are stored in milliseconds (or ``time_unit`` if finer). Without ``time_unit`` epoch numbers are
    seconds, checked: a value after the year 2200, or all before 1971, is refused with what it would be in
    the other units. Text of any other form is refused naming the line, column and value (``03/04/2026``
    with both patterns that read it). Conversion flags read 1/0, true/false, yes/no, t/f, y/n (any case).

    Parameters
    ----------
    file : str or os.PathLike
        The CSV file (RFC 4180, header row, optional UTF-8 BOM).
    journey, time, touchpoint, conversion, value, segment, time_unit, time_format
        As in :meth:`Journeys.from_events`.
    delimiter : str, default ","
        Field delimiter (one character).
    skip_bad_rows : bool, default False
        Skip malformed rows (counted in the report, first messages kept) instead of failing.
    threads, progress
        As in :meth:`Journeys.from_events`.
    {options}

    Returns
    -------
    Journeys

    Raises
    ------
    JourneyGraphError
        The C++ message: file, line, column, field and value of malformed input (also available as the
        exception's attributes), or the header's columns when a column is missing.
    """
    columns = _options.make(_core.EventCsvOptions, "read_events",
                            {"delimiter": delimiter, "skip_bad_rows": skip_bad_rows, "time_unit": time_unit,
                             "time_format": time_format})
    for role, name in (("journey", journey), ("time", time), ("touchpoint", touchpoint), ("conversion", conversion),
                       ("value", value), ("segment", segment)):
        setattr(columns, role, _column(name))
    opts = _options.make(_core.JourneyOptions, "read_events", options)
    with _progress.reporting(progress, "read_events"):
        core, report = _core.read_events_csv(os.fspath(file), columns, opts, _options.threads(threads))
    return Journeys(core, report)


def read_paths(
    file: PathLike,
    path: str = _default(_PATHS.path),
    conversions: Optional[str] = _default(_PATHS.conversions),
    nulls: Optional[str] = _default(_PATHS.nulls),
    value: Optional[str] = _default(_PATHS.value),
    sep: str = _PATHS.separator,
    *,
    check_separator: bool = _PATHS.check_separator,
    delimiter: str = _PATHS.delimiter,
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
    check_separator : bool, default True
        Refuse a file in which no path holds ``sep`` while most hold another common separator (``>``,
        ``->``, ``|``, ``,``, ``;``, ``/``): every path would be read as one touchpoint. The error names the
        separator found. Turn it off only for one-touch paths whose names hold such a character.
    delimiter, skip_bad_rows, threads, progress
        As in :func:`read_events`.

    Returns
    -------
    Journeys

    Raises
    ------
    JourneyGraphError
        With the C++ message (file, line, column, field, value).
    """
    columns = _options.make(_core.PathCsvOptions, "read_paths",
                            {"delimiter": delimiter, "skip_bad_rows": skip_bad_rows, "separator": sep,
                             "check_separator": check_separator})
    for role, name in (("path", path), ("conversions", conversions), ("nulls", nulls), ("value", value)):
        setattr(columns, role, _column(name))
    with _progress.reporting(progress, "read_paths"):
        core, report = _core.read_paths_csv(os.fspath(file), columns, _options.threads(threads))
    return Journeys(core, report)
