"""Options by name: the C++ core's option structs, filled from keyword arguments.

A default-made option object holds the core's defaults, so no default is written twice; a name that is not
an option of the struct is an error that lists the options (and the closest one).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import numbers
from typing import Any, Callable, Dict, List, TypeVar

import numpy as np
import pandas as pd

from . import _core
from ._frames import error

F = TypeVar("F", bound=Callable[..., Any])

_KINDS = {bool: "True or False", int: "an integer >= 0", float: "a number", str: "a string", list: "a list of strings"}

# Option fields given as durations: seconds, a string such as "30d", or a timedelta.
_DURATIONS = ("lookback", "gap", "half_life")


def fields(cls: type) -> List[str]:
    """The option names of a core option struct, in declaration order."""
    return [name for name, value in vars(cls).items() if isinstance(value, property)]


def duration_seconds(value: Any, what: str) -> float:
    """Seconds in a duration: a number of seconds, a string such as '30d', or a timedelta."""
    if isinstance(value, str):
        return float(_core.parse_duration(value))
    if isinstance(value, (pd.Timedelta, _dt.timedelta, np.timedelta64)):
        return pd.Timedelta(value).total_seconds()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise error(f"{what} must be seconds, a duration string such as '30d' or a timedelta, got {value!r}")
    return float(value)


def make(cls: type, what: str, values: Dict[str, Any]) -> Any:
    """A ``cls`` with the core's defaults and the given values; None leaves a value at its default.

    Parameters
    ----------
    cls : type
        A core option struct (``_core.JourneyOptions``, ...).
    what : str
        The call the options belong to, for error messages.
    values : dict
        Option name -> value.

    Returns
    -------
    The option object.

    Raises
    ------
    JourneyGraphError
        For a name that is not an option (listing the options) or a value of the wrong type.
    """
    options = cls()
    known = fields(cls)
    for name, value in values.items():
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise error(f"{what} has no option {name!r}{hint}; its options are: {', '.join(known)}")
        if value is None:
            continue
        if name in _DURATIONS:
            value = duration_seconds(value, name)
        default = getattr(options, name)
        try:
            if isinstance(default, bool) and not isinstance(value, (bool, np.bool_)):
                raise TypeError
            if isinstance(default, int) and not isinstance(default, bool) and (
                    isinstance(value, bool) or not isinstance(value, numbers.Integral)):
                raise TypeError
            setattr(options, name, value)
        except TypeError:
            kind = _KINDS.get(type(default), "number")
            raise error(f"{name} must be {kind}, got {value!r}") from None
    return options


def documented(**parts: str) -> Callable[[F], F]:
    """Put each part where the function's docstring says ``{name}``: the text of options shared by several
    calls, written once."""

    def apply(f: F) -> F:
        for name, text in parts.items():
            f.__doc__ = (f.__doc__ or "").replace("{" + name + "}", text)
        return f

    return apply


def indent(text: str, spaces: int) -> str:
    """text with every line after the first indented by ``spaces`` more: a part of a docstring (see
    :func:`documented`) written for a function, put into a method's."""
    return text.replace("\n", "\n" + " " * spaces)


#: The ``progress`` parameter of a function of the core's long calls: its docstring says ``{progress}`` (see
#: :func:`documented`; ``indent(PROGRESS_DOC, 4)`` for a method's).
PROGRESS_DOC = """progress : bool or callable, default False
        True draws a progress bar (tqdm); a callable receives ``(fraction, stage)``."""

#: The ``threads`` and ``progress`` parameters of a method of the core's long calls: its docstring says ``{run}``
#: (see :func:`documented`).
RUN_DOC = indent("""threads : int or None
        Worker threads of the C++ core; None or 0 uses every core. Results do not depend on it.
    """ + PROGRESS_DOC, 4)


def threads(value: Any) -> int:
    """The thread count for the core: None or 0 means every core."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 0:
        raise error(f"threads must be an integer >= 0 or None, got {value!r}")
    return int(value)
