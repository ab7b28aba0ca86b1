"""Transition counts: what a Markov fit needs, mergeable exactly across partitions of the journeys."""

from __future__ import annotations

import os
from typing import Any, Dict, Iterable, List, Optional, Union

import pandas as pd

from . import _core, _frames, _options, _progress
from ._journeys import Journeys
from ._tables import frame

PathLike = Union[str, "os.PathLike[str]"]


def _buffer_arg(data: Any, what: str) -> Any:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise _frames.error(f"{what} expects bytes (from to_bytes), got {type(data).__name__}")
    return data


def sum_reports(reports: Iterable[Optional[Dict[str, Any]]]) -> Optional[Dict[str, Any]]:
    """Add up build reports (dicts of ``BuildReport.to_dict()``) of disjoint parts of the events.

    Parameters
    ----------
    reports : iterable of dict or None
        The reports; any None makes the sum None (a part whose build is unknown).

    Returns
    -------
    dict or None
        Every counter summed; ``skipped_examples`` keeps the first ten, ``notes`` the distinct notes in
        order of first appearance.
    """
    total: Optional[Dict[str, Any]] = None
    for report in reports:
        if report is None:
            return None
        if total is None:
            total = {k: (list(v) if isinstance(v, list) else v) for k, v in report.items()}
            continue
        for key, v in report.items():
            if key == "skipped_examples":
                total[key] = (total[key] + list(v))[:10]
            elif key == "notes":
                total[key] = total[key] + [n for n in v if n not in total[key]]
            else:
                total[key] = total.get(key, 0) + v
    return total


class TransitionCounts:
    """Transition counts of order k over journeys, the sufficient statistics of a Markov fit.

    Counts of disjoint sets of journeys (journeys never straddle the sets) merge into exactly the counts of
    their union: weights and values are summed exactly in fixed point, so the order of merging never
    changes a bit, and a model fitted on merged counts equals the model fitted on all the journeys at once.
    Touchpoints are matched by name, so each part may have its own touchpoint dictionary. Counts serialize
    to journeygraph's binary format (versioned, CRC-64 checked), pickle through it, and are immutable.

    Make them with :meth:`count`, :meth:`merge`, :meth:`from_bytes` or :meth:`load`.

    Attributes
    ----------
    report : dict or None
        What the journey builds behind the counts did (``BuildReport.to_dict()``, summed over parts by
        :meth:`merge`); None when unknown (counts loaded from bytes or a file).

    Examples
    --------
    >>> a = jg.TransitionCounts.count(journeys_a, order=2)
    >>> b = jg.TransitionCounts.count(journeys_b, order=2)
    >>> model = a.merge(b).fit()
    """

    __slots__ = ("_counts", "report")

    def __init__(self, core: "_core.TransitionCounts", report: Optional[Dict[str, Any]] = None) -> None:
        if not isinstance(core, _core.TransitionCounts):
            raise _frames.error(
                "TransitionCounts are made with TransitionCounts.count, merge, from_bytes or load"
            )
        self._counts = core
        self.report = report

    # ------------------------------------------------------------------------------------ constructors

    @classmethod
    @_options.documented(run=_options.RUN_DOC)
    def count(
        cls,
        journeys: Journeys,
        order: Optional[int] = None,
        self_loops: Optional[str] = None,
        threads: Optional[int] = None,
        progress: _progress.Progress = False,
    ) -> "TransitionCounts":
        """Count the transitions of order k of the journeys.

        Parameters
        ----------
        journeys : Journeys
            The journeys; those with zero weight contribute nothing (they are counted apart).
        order : int, optional
            Markov order k (1 to 16); the core's default (1) when None.
        self_loops : {"drop", "keep"}, optional
            "drop" collapses consecutive identical states; "keep" counts them; the core's default ("drop").
        {run}

        Returns
        -------
        TransitionCounts
            With ``report`` set to the journeys' build report.

        Raises
        ------
        JourneyGraphError
            For an order outside 1..16 or an unknown self-loop rule.
        KeyboardInterrupt
            When interrupted (Ctrl-C).
        """
        if not isinstance(journeys, Journeys):
            raise _frames.error(f"TransitionCounts.count expects Journeys, got {type(journeys).__name__}")
        o = _options.make(_core.ModelOptions, "TransitionCounts.count", {"order": order, "self_loops": self_loops})
        with _progress.reporting(progress, "count"):
            core = _core.TransitionCounts.count(journeys.core, o.order, o.self_loops, _options.threads(threads))
        return cls(core, journeys.report.to_dict())

    @classmethod
    def from_bytes(cls, data: Union[bytes, bytearray, memoryview]) -> "TransitionCounts":
        """Counts from :meth:`to_bytes` output.

        Parameters
        ----------
        data : bytes, bytearray or memoryview
            The serialized counts (a serialized model's counts are read too).

        Returns
        -------
        TransitionCounts

        Raises
        ------
        JourneyGraphError
            For truncated, corrupted (checksum) or inconsistent data, or a format version newer than this
            library reads; the message names the byte offset.
        """
        return cls(_core.TransitionCounts.from_bytes(_buffer_arg(data, "TransitionCounts.from_bytes")))

    @classmethod
    def load(cls, path: PathLike) -> "TransitionCounts":
        """Read counts written by :meth:`save` (or the counts of a saved model).

        Parameters
        ----------
        path : str or os.PathLike
            The file (by convention ``.jgm``).

        Returns
        -------
        TransitionCounts

        Raises
        ------
        JourneyGraphError
            If the file cannot be read (kind "io"), or as :meth:`from_bytes`, naming the file.
        """
        return cls(_core.TransitionCounts.load(os.fspath(path)))

    # ------------------------------------------------------------------------------------ merging, fitting

    def merge(self, *others: "TransitionCounts") -> "TransitionCounts":
        """The counts of the union of these journeys and the others' (which must be disjoint from them).

        Parameters
        ----------
        *others : TransitionCounts
            Counts of the same order and self-loop rule.

        Returns
        -------
        TransitionCounts
            A new object (this one is unchanged); ``report`` is the sum of the reports, or None if any is
            unknown.

        Raises
        ------
        JourneyGraphError
            If the orders or self-loop rules differ.
        """
        for other in others:
            if not isinstance(other, TransitionCounts):
                raise _frames.error(f"merge expects TransitionCounts, got {type(other).__name__}")
        core = _core.TransitionCounts.merged([self._counts] + [o._counts for o in others])
        return TransitionCounts(core, sum_reports([self.report] + [o.report for o in others]))

    @_options.documented(run=_options.RUN_DOC)
    def fit(self, smoothing: Optional[float] = None, threads: Optional[int] = None,
            progress: _progress.Progress = False) -> "Any":
        """Fit the Markov chain of these counts.

        Parameters
        ----------
        smoothing : float, optional
            Additive smoothing alpha >= 0 (see :class:`MarkovModel`); the core's default (0) when None.
        {run}

        Returns
        -------
        MarkovModel
            Equal bit for bit to ``MarkovModel(order, smoothing, self_loops).fit(journeys)`` on the journeys
            these counts were made from.

        Raises
        ------
        JourneyGraphError
            For a negative smoothing or counts without a journey of positive weight.
        """
        from ._model import MarkovModel

        o = _options.make(_core.ModelOptions, "TransitionCounts.fit", {"smoothing": smoothing})
        with _progress.reporting(progress, "fit"):
            core = self._counts.fit(o.smoothing, _options.threads(threads))
        return MarkovModel._from_core(core, threads)

    # ------------------------------------------------------------------------------------ contents

    @property
    def order(self) -> int:
        """Markov order k."""
        return self._counts.order

    @property
    def self_loops(self) -> str:
        """"drop" or "keep"."""
        return self._counts.self_loops

    @property
    def touchpoints(self) -> List[str]:
        """Touchpoint names, sorted (byte order)."""
        return self._counts.touchpoints

    @property
    def n_states(self) -> int:
        """Number of touchpoint states (START not included)."""
        return self._counts.n_states

    @property
    def totals(self) -> Dict[str, float]:
        """Journeys (weight), conversions, non-conversions, value, journey rows and zero-weight journeys."""
        c = self._counts
        return {
            "journeys": c.journeys,
            "conversions": c.total_conversions,
            "nulls": c.total_nulls,
            "value": c.total_value,
            "rows": float(c.rows),
            "zero_weight_journeys": float(c.zero_weight_journeys),
        }

    @property
    def core(self) -> "_core.TransitionCounts":
        """The C++ counts."""
        return self._counts

    def transitions(self) -> pd.DataFrame:
        """Every counted transition.

        Returns
        -------
        pandas.DataFrame
            The core's ``transition_counts`` table: columns ``from``, ``to`` (state names as in
            :meth:`MarkovModel.transitions`) and ``count`` (summed journey weight): the edges from "(start)"
            and between states in canonical order, then each state's conversions (to "(conversion)") and
            non-conversions (to "(null)"); ``attrs`` holds the totals.
        """
        return frame(self._counts.transitions())

    # ------------------------------------------------------------------------------------ serialization

    def to_bytes(self) -> bytes:
        """The counts in journeygraph's binary format (versioned, CRC-64 checked, the exact sums).

        Returns
        -------
        bytes
            Reads back with :meth:`from_bytes` into counts equal to these.
        """
        return self._counts.to_bytes()

    def save(self, path: PathLike) -> None:
        """Write :meth:`to_bytes` to a file.

        Parameters
        ----------
        path : str or os.PathLike
            The file (by convention ``.jgm``); replaced if it exists.

        Raises
        ------
        JourneyGraphError
            If the file cannot be written (kind "io").
        """
        self._counts.save(os.fspath(path))

    def __reduce__(self) -> Any:
        return (_from_state, (self.to_bytes(), self.report))

    # ------------------------------------------------------------------------------------ comparison, display

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TransitionCounts):
            return NotImplemented
        return bool(self._counts == other._counts)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        c = self._counts
        return (
            f"<journeygraph.TransitionCounts: order {c.order}, {c.n_states:,} states, {c.n_edges:,} edges, "
            f"{c.rows:,} journey rows, self_loops={c.self_loops!r}>"
        )


def _from_state(data: bytes, report: Optional[Dict[str, Any]]) -> TransitionCounts:
    return TransitionCounts(_core.TransitionCounts.from_bytes(data), report)
