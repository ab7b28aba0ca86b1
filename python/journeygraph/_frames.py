"""Turning pandas columns into the arrays the C++ core borrows.

Each helper returns a 1-D C-contiguous numpy array of the exact dtype the core reads. Where the column
already has that layout (int64 ids, int64 or datetime64[ns] times, categorical codes, bool flags, float64
values) the array is a view of the DataFrame's memory; otherwise the conversion makes one copy, as the
docstrings of the public functions say.
"""

from __future__ import annotations

from typing import Any, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
from pandas.api import types as pdt

from . import _core

JourneyGraphError = _core.JourneyGraphError

_INT64_MAX = np.iinfo(np.int64).max
_NAT = np.iinfo(np.int64).min
_DATETIME_UNITS = {"s": "s", "ms": "ms", "us": "us", "ns": "ns"}


def error(message: str, kind: str = "invalid_argument") -> JourneyGraphError:
    """A JourneyGraphError with its kind set (for errors found on the Python side)."""
    err = JourneyGraphError(message)
    err.kind = kind
    return err


class Default(str):
    """A column name used by default: absent is fine. A name given explicitly must exist."""

    __slots__ = ()


def describe_columns(columns: Sequence[Any]) -> str:
    return ", ".join(repr(c) for c in columns) if len(columns) else "(none)"


def require_frame(df: Any, what: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise error(f"{what} expects a pandas DataFrame, got {type(df).__name__}")
    return df


def column(df: pd.DataFrame, name: Any, role: str, optional: bool = False) -> Optional[pd.Series]:
    """The column called name, or None when it is optional and absent (or name is None)."""
    if name is None:
        return None
    if name not in df.columns:
        if optional and isinstance(name, Default):
            return None
        raise error(
            f"no {role} column {str(name)!r}; the DataFrame has columns: {describe_columns(list(df.columns))}"
        )
    col = df[name]
    if isinstance(col, pd.DataFrame):
        raise error(f"the {role} column {str(name)!r} appears {col.shape[1]} times in the DataFrame")
    return col


def _first_bad(mask: np.ndarray, series: pd.Series) -> str:
    pos = int(np.argmax(mask))
    return f"row {pos} (index label {series.index[pos]!r})"


def _contiguous(values: np.ndarray, dtype: Any) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=dtype)


def _factorize(s: pd.Series) -> Tuple[np.ndarray, Sequence[Any]]:
    """Dense codes in order of first appearance (-1 for missing values) and the distinct values."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        values = s.array
        return np.asarray(values.codes), list(values.categories)
    data = s.to_numpy() if isinstance(s.dtype, np.dtype) else s.array
    codes, uniques = pd.factorize(data, sort=False)
    return codes, list(uniques)


def journey_ids(s: pd.Series, name: str) -> np.ndarray:
    """int64 journey ids: int64 columns as views; other integers converted; anything else factorized."""
    return journey_ids_and_names(s, name)[0]


def journey_ids_and_names(s: pd.Series, name: str) -> Tuple[np.ndarray, List[str]]:
    """The journey ids of :func:`journey_ids` and, when they are codes of factorized values, the values as
    text (the keys per-journey results carry); an empty list when the ids are the column's integers."""
    dtype = s.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        values = s.to_numpy()
        if dtype.kind == "u" and len(values) and values.max() > _INT64_MAX:
            bad = values > _INT64_MAX
            raise error(f"journey column {name!r} holds the id {values[int(np.argmax(bad))]} at {_first_bad(bad, s)}, "
                        f"above {_INT64_MAX}: it does not fit in int64")
        return _contiguous(values, np.int64), []
    if pdt.is_integer_dtype(dtype):  # pandas nullable integers
        missing = s.isna().to_numpy()
        if missing.any():
            raise error(f"journey column {name!r} has a missing id at {_first_bad(missing, s)}")
        values = s.to_numpy()
        if values.dtype.kind == "u" and len(values) and values.max() > _INT64_MAX:
            bad = values > _INT64_MAX
            raise error(f"journey column {name!r} holds the id {values[int(np.argmax(bad))]} at {_first_bad(bad, s)}, "
                        f"above {_INT64_MAX}: it does not fit in int64")
        return _contiguous(values, np.int64), []
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        values = s.to_numpy()
        bad = ~np.isfinite(values) | (values != np.round(values))
        if bad.any():
            raise error(
                f"journey column {name!r} holds a non-integer id {values[int(np.argmax(bad))]!r} at "
                f"{_first_bad(bad, s)}"
            )
        # 2^63 itself is a float64, but not an int64: the cast would wrap to INT64_MIN.
        outside = (values >= 2.0**63) | (values < -(2.0**63))
        if outside.any():
            raise error(
                f"journey column {name!r} holds the id {values[int(np.argmax(outside))]!r} at "
                f"{_first_bad(outside, s)}, outside the 64-bit integer range: give ids as integers or strings"
            )
        return _contiguous(values, np.int64), []
    # Strings, categoricals and anything else hashable: dense codes.
    codes, uniques = _factorize(s)
    missing = codes < 0
    if missing.any():
        raise error(f"journey column {name!r} has a missing id at {_first_bad(missing, s)}")
    return _contiguous(codes, np.int64), [str(u) for u in uniques]


class Times(NamedTuple):
    """A time column as the core borrows it: int64 ticks, their unit, how the times were given (epoch,
    dates, mixed) and the unit of the epoch numbers (None: the unit of the ticks)."""

    ticks: np.ndarray
    unit: str
    kind: str
    epoch_unit: Optional[str]


def times(s: pd.Series, name: str, columns: "_core.EventCsvOptions") -> Times:
    """A time column read with the core's rules (columns.time_format, columns.time_unit), never guessed.

    datetime64 and time-zone-aware columns are views, read as dates. Integer columns are epoch numbers in
    columns.time_unit, views; without a unit they are seconds, checked by the core as the CSV reader checks
    them. Float, object and string columns go through the core's convert_time_column (one copy): numbers are
    epoch numbers, text is read by the core's time parser, a column mixing them is refused naming the row.
    """
    dtype = s.dtype
    unit = columns.time_unit
    if isinstance(dtype, pd.DatetimeTZDtype):
        # Time-zone-aware values are stored as UTC nanoseconds; .values is that array (a view).
        return Times(_checked_times(_contiguous(s.values, "datetime64[ns]").view(np.int64), s, name), "ns", "dates", None)
    if isinstance(dtype, np.dtype) and dtype.kind in "mM":
        dunit, _ = np.datetime_data(dtype)
        values = s.to_numpy()
        if dunit not in _DATETIME_UNITS:
            values = values.astype(f"{dtype.kind}8[s]")
            dunit = "s"
        return Times(_checked_times(_contiguous(values, values.dtype).view(np.int64), s, name), dunit, "dates", None)
    if pdt.is_bool_dtype(dtype):
        raise error(f"time column {name!r} has dtype {dtype}: give epoch numbers (in time_unit), datetimes or "
                    "date-time text")
    if (isinstance(dtype, np.dtype) and dtype.kind in "iu") or pdt.is_integer_dtype(dtype):
        if not isinstance(dtype, np.dtype):  # pandas nullable integers
            missing = s.isna().to_numpy()
            if missing.any():
                raise error(f"time column {name!r} has a missing time at {_first_bad(missing, s)}")
        values = s.to_numpy()
        if values.dtype.kind == "u" and len(values) and values.max() > _INT64_MAX:
            bad = values > _INT64_MAX
            raise error(f"time column {name!r}: the time {values[int(np.argmax(bad))]} at {_first_bad(bad, s)} is out "
                        f"of the 64-bit range")
        ticks = _contiguous(values, np.int64)
        _core.check_epoch_column(ticks, columns, name, s.index)
        return Times(ticks, "s" if unit is None else unit, "epoch", None)
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        values = _contiguous(s.to_numpy(), np.float64)
        missing = None
    else:
        values = np.ascontiguousarray(s.to_numpy(dtype=object))
        missing = _contiguous(s.isna().to_numpy(), np.bool_)
    ticks, stored, kind, epoch_unit = _core.convert_time_column(values, missing, columns, name, s.index)
    return Times(ticks, stored, kind, epoch_unit)


def _checked_times(ticks: np.ndarray, s: pd.Series, name: str) -> np.ndarray:
    if len(ticks) and ticks.min() == _NAT:
        raise error(f"time column {name!r} has a missing time (NaT) at {_first_bad(ticks == _NAT, s)}")
    return ticks


def codes(s: pd.Series, name: str, role: str) -> Tuple[np.ndarray, List[str]]:
    """Codes and names: a categorical's own codes (int8/16/32) as a view; other values factorized."""
    values, uniques = _factorize(s)
    names = [str(u) for u in uniques]
    if len(values) and values.min() < 0:
        raise error(f"{role} column {name!r} has a missing value at {_first_bad(values < 0, s)}")
    _check_names(values, uniques, names, s, name, role)
    return _contiguous(values, values.dtype), names


def _check_names(values: np.ndarray, uniques: Sequence[Any], names: List[str], s: pd.Series, name: str,
                 role: str) -> None:
    """Names must be non-empty, valid UTF-8 and distinct; the error names the value and its first row."""
    seen: dict = {}
    for code, text in enumerate(names):
        problem = None
        if not text:
            problem = "is an empty name"
        else:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as exc:
                problem = f"cannot be encoded as UTF-8 ({exc.reason} at character {exc.start})"
        if problem is None and text in seen:
            other = uniques[seen[text]]
            problem = (f"and the value {other!r} at {_first_bad(values == seen[text], s)} both read as the name "
                       f"{text!r}")
        if problem is not None:
            raise error(f"{role} column {name!r}: the value {uniques[code]!r} at {_first_bad(values == code, s)} "
                        f"{problem}")
        seen[text] = code


def conversion_values(value: np.ndarray, converted: np.ndarray, s: pd.Series, name: str) -> None:
    """Values on converting rows must be finite, >= 0 and below 2^62; the error names the row and value."""
    v = value[converted]
    if not len(v):
        return
    bad_sign = ~(v >= 0)  # NaN and negatives
    too_large = v >= 2.0**62
    if not (bad_sign.any() or too_large.any()):
        return
    rows = np.flatnonzero(converted)
    pos = int(rows[int(np.argmax(bad_sign | too_large))])
    x = float(value[pos])
    where = f"row {pos} (index label {s.index[pos]!r})"
    shown = "NaN" if np.isnan(x) else repr(x)
    if x >= 2.0**62 and np.isfinite(x):
        raise error(f"value column {name!r}: the conversion value {shown} at {where} is too large (the limit is 2^62)")
    raise error(f"value column {name!r}: the conversion value {shown} at {where} is not a finite number >= 0")


def flags(s: pd.Series, name: str) -> np.ndarray:
    """Conversion flags as bool (a view of bool columns; numbers are compared with 0, a copy)."""
    dtype = s.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return _contiguous(s.to_numpy(), np.bool_)
    if pdt.is_bool_dtype(dtype) or pdt.is_numeric_dtype(dtype):
        missing = s.isna().to_numpy()
        if missing.any():
            raise error(f"conversion column {name!r} has a missing flag at {_first_bad(missing, s)}")
        values = s.to_numpy(dtype=np.float64) if not isinstance(dtype, np.dtype) else s.to_numpy()
        return _contiguous(values != 0, np.bool_)
    raise error(f"conversion column {name!r} has dtype {dtype}: give booleans or numbers (non-zero = converted)")


def amounts(s: pd.Series, name: str, what: str) -> np.ndarray:
    """float64 values (a view of float64 columns; other numbers converted, missing values become NaN)."""
    dtype = s.dtype
    if isinstance(dtype, np.dtype) and dtype == np.float64:
        return _contiguous(s.to_numpy(), np.float64)
    if pdt.is_numeric_dtype(dtype) and not pdt.is_bool_dtype(dtype):
        return _contiguous(s.to_numpy(dtype=np.float64, na_value=np.nan), np.float64)
    raise error(f"{what} column {name!r} has dtype {dtype}: expected numbers")
