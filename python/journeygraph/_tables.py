"""Result tables: the one way results of the C++ core become pandas DataFrames.

Every result leaves the core as a table with named, typed columns and metadata; the bindings hand it over as
``{"name", "columns", "meta"}`` with numpy arrays (float64, int64, bool, datetime64, and object arrays of str
sharing one str per distinct value). The
column names are the core's, the same as on the command line and in C (docs/tables.md lists them).
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import pandas as pd


def frame(table: Dict[str, Any], index: Optional[str] = None) -> pd.DataFrame:
    """The DataFrame of a core table: its columns in order, its metadata as ``attrs``.

    Parameters
    ----------
    table : dict
        A table as the bindings return it.
    index : str, optional
        A column to use as the index (it keeps its name).

    Returns
    -------
    pandas.DataFrame
    """
    df = pd.DataFrame(table["columns"])
    if index is not None:
        df = df.set_index(index)
    df.attrs.update(table["meta"])
    return df
