"""Small HTML summaries for Jupyter (escaped, no external CSS)."""

from __future__ import annotations

import html
from typing import Iterable, Tuple


def number(x: float) -> str:
    """A count or amount for display: integers without decimals, large amounts with cents, others to 6 digits."""
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    if abs(x) >= 1000:
        return f"{x:,.2f}"
    return f"{x:.6g}"


def summary_table(title: str, rows: Iterable[Tuple[str, str]], footer: str = "") -> str:
    """A two-column table of (label, value) rows under a bold title."""
    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    foot = f"<p style='margin:2px 0'>{html.escape(footer)}</p>" if footer else ""
    return (
        f"<div class='journeygraph'><b>{html.escape(title)}</b>"
        f"<table style='border-collapse:collapse'>{body}</table>{foot}</div>"
    )
