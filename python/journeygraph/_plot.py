"""Pictures: the journey graph of a fitted chain (the core's DOT drawn by Graphviz, or matplotlib) and
attribution bar charts."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import deque
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from . import _core, _frames
from ._tables import frame

START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"
_LABELS = {START: "start", CONVERSION: "conversion", NULL: "no conversion"}
_FILL = {START: "#d8f0d8", CONVERSION: "#cfe0ff", NULL: "#e6e6e6"}
_STATE_FILL = "#fff4dc"


class GraphPicture:
    """A journey graph rendered by Graphviz: shows inline in Jupyter as SVG.

    Attributes
    ----------
    svg : str
        The SVG document.
    dot : str
        The Graphviz DOT source it was drawn from.
    """

    __slots__ = ("svg", "dot")

    def __init__(self, svg: str, dot: str) -> None:
        self.svg = svg
        self.dot = dot

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path: "str | os.PathLike[str]") -> None:
        """Write the picture: SVG, or the DOT source when ``path`` ends in ".dot" or ".gv".

        Parameters
        ----------
        path : str or os.PathLike
            Output file. It is replaced only once the whole text is written (a temporary file beside it is
            renamed over it).

        Raises
        ------
        JourneyGraphError
            kind "io", naming the file and the reason, when the file cannot be written.
        """
        text = self.dot if os.fspath(path).endswith((".dot", ".gv")) else self.svg
        _core.write_text_file(os.fspath(path), text)

    def __repr__(self) -> str:
        return f"<journeygraph.GraphPicture: SVG of {len(self.svg):,} characters>"


def _check_model(model: Any) -> Any:
    from ._model import MarkovModel

    if not isinstance(model, MarkovModel):
        raise _frames.error(f"expected a fitted jg.MarkovModel, got {type(model).__name__}")
    if not model.fitted:
        raise _frames.error("the model is not fitted: call fit(journeys) first", kind="state")
    return model


def _graph(model: Any, min_probability: float) -> Tuple[pd.DataFrame, List[str]]:
    """The edges of the model's journey graph with probability >= min_probability, and its touchpoints."""
    _, nodes, edges = model.core.graph(model._threads)
    nodes, edges = frame(nodes), frame(edges)
    kept = edges[edges["probability"] >= min_probability].reset_index(drop=True)
    return kept, [n for n, k in zip(nodes["name"], nodes["kind"]) if k == "touchpoint"]


def plot_graph(model: Any, min_probability: float = 0.02, engine: str = "auto", ax: Any = None) -> Any:
    """Draw the journey graph of a fitted Markov model: touchpoints, transitions and their probabilities.

    The graph is the one the chain implies at touchpoint level (JourneyGraph.from_model); Graphviz draws
    the core's DOT of it, matplotlib its edge table.

    Parameters
    ----------
    model : MarkovModel
        A fitted model.
    min_probability : float, default 0.02
        Hide transitions less likely than this (matplotlib engine).
    engine : {"auto", "graphviz", "matplotlib"}, default "auto"
        "graphviz" runs Graphviz's ``dot`` on :meth:`MarkovModel.to_dot` and returns SVG; "matplotlib"
        draws a layered layout; "auto" uses Graphviz when ``dot`` is on the PATH and matplotlib otherwise.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into (matplotlib engine only).

    Returns
    -------
    GraphPicture or matplotlib.axes.Axes
        A :class:`GraphPicture` (shown inline as SVG in Jupyter) with Graphviz, else the Axes drawn on.

    Raises
    ------
    JourneyGraphError
        For an unfitted model, bad parameters, or ``engine="graphviz"`` without a working ``dot``.
    """
    if engine not in ("auto", "graphviz", "matplotlib"):
        raise _frames.error(f"engine must be 'auto', 'graphviz' or 'matplotlib', got {engine!r}")
    if not (0 <= min_probability <= 1):
        raise _frames.error(f"min_probability must be in [0, 1], got {min_probability!r}")
    model = _check_model(model)
    if engine != "matplotlib" and ax is None:
        dot = shutil.which("dot")
        if dot is not None:
            source = model.to_dot()
            try:
                done = subprocess.run([dot, "-Tsvg"], input=source.encode("utf-8"), capture_output=True, timeout=120)
            except (OSError, subprocess.TimeoutExpired) as exc:
                if engine == "graphviz":
                    raise _frames.error(f"Graphviz's dot failed: {exc}", kind="io") from None
            else:
                if done.returncode == 0:
                    return GraphPicture(done.stdout.decode("utf-8"), source)
                if engine == "graphviz":
                    raise _frames.error(
                        f"Graphviz's dot failed: {done.stderr.decode('utf-8', 'replace').strip()}", kind="io"
                    )
        elif engine == "graphviz":
            raise _frames.error("Graphviz's dot is not on the PATH (install graphviz, or use engine='matplotlib')",
                                kind="io")
    elif engine == "graphviz":
        raise _frames.error("ax applies to the matplotlib engine only")
    return _draw_graph(model, min_probability, ax)


def _layers(edges: pd.DataFrame, kept: Sequence[str]) -> Dict[str, int]:
    """Breadth-first depth from START; absorbing states one layer after the deepest state."""
    succ: Dict[str, List[str]] = {}
    for f, t in zip(edges["source"], edges["target"]):
        succ.setdefault(f, []).append(t)
    depth = {START: 0}
    queue = deque([START])
    while queue:
        s = queue.popleft()
        for t in succ.get(s, []):
            if t not in depth and t not in (CONVERSION, NULL):
                depth[t] = depth[s] + 1
                queue.append(t)
    for s in kept:
        depth.setdefault(s, 1)
    last = max(depth.values()) + 1
    depth[CONVERSION] = depth[NULL] = last
    return depth


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib is a dependency of the pictures only
        raise _frames.error("drawing needs matplotlib (apt install python3-matplotlib)") from None
    return plt


def _draw_graph(model: Any, min_probability: float, ax: Any) -> Any:
    edges, kept = _graph(model, min_probability)
    depth = _layers(edges, kept)
    by_layer: Dict[int, List[str]] = {}
    for s in [START, *kept, CONVERSION, NULL]:
        by_layer.setdefault(depth[s], []).append(s)
    pos: Dict[str, Tuple[float, float]] = {}
    for d, names in by_layer.items():
        for i, s in enumerate(names):
            pos[s] = (float(d), (len(names) - 1) / 2.0 - i)
    if ax is None:
        plt = _pyplot()
        height = max(3.0, 0.6 * max(len(v) for v in by_layer.values()))
        _, ax = plt.subplots(figsize=(2.2 * (len(by_layer) + 1), height))
    for f, t, p in zip(edges["source"], edges["target"], edges["probability"]):
        p = float(p)
        ax.annotate(
            "",
            xy=pos[t],
            xytext=pos[f],
            arrowprops=dict(arrowstyle="-|>", color="#4a6fa5", lw=0.4 + 3.0 * p, alpha=0.25 + 0.75 * p,
                            shrinkA=14, shrinkB=14, connectionstyle="arc3,rad=0.12"),
        )
    for s, (x, y) in pos.items():
        ax.text(x, y, _LABELS.get(s, s), ha="center", va="center", fontsize=9, zorder=3,
                bbox=dict(boxstyle="round,pad=0.3", fc=_FILL.get(s, _STATE_FILL), ec="#777777"))
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    ax.set_xlim(min(xs) - 0.7, max(xs) + 0.7)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.set_axis_off()
    ax.set_title(f"order {model.order}, P(conversion) {model.conversion_probability:.4g}; edges with p >= "
                 f"{min_probability:g}", fontsize=9)
    return ax


def plot_attribution(
    df: pd.DataFrame,
    models: Optional[Sequence[str]] = None,
    value: bool = False,
    normalize: bool = False,
    top: Optional[int] = None,
    ax: Any = None,
) -> Any:
    """Bar chart comparing the credit each model gives each touchpoint.

    Parameters
    ----------
    df : pandas.DataFrame
        A table from :func:`attribute` (touchpoints as index, or in a ``touchpoint`` column).
    models : list of str, optional
        Models to compare; default: every model in the table (``df.attrs["models"]``).
    value : bool, default False
        Compare credited value (``<model>_value`` columns) instead of conversions.
    normalize : bool, default False
        Show each model's credit as a share of its total (percent).
    top : int, optional
        Show only the touchpoints with the largest credit under the first model.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; default: a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    JourneyGraphError
        If a requested model's column is not in the table.
    """
    df = _frames.require_frame(df, "plot_attribution")
    if "touchpoint" in df.columns:
        df = df.set_index("touchpoint")
    if models is None:
        models = df.attrs.get("models") or [c for c in df.columns if not str(c).endswith("_value")]
    models = [models] if isinstance(models, str) else list(models)
    columns = [f"{m}_value" if value else m for m in models]
    missing = [c for c in columns if c not in df.columns]
    if missing or not columns:
        raise _frames.error(
            f"no column {', '.join(map(repr, missing)) or '(none requested)'} in the table; it has: "
            f"{_frames.describe_columns(list(df.columns))}"
        )
    data = df[columns].astype(float)
    if normalize:
        totals = data.sum(axis=0).replace(0.0, np.nan)
        data = data.div(totals, axis=1).fillna(0.0) * 100.0
    data = data.sort_values(columns[0], ascending=True, kind="mergesort")
    if top is not None:
        data = data.tail(int(top))
    if ax is None:
        plt = _pyplot()
        _, ax = plt.subplots(figsize=(8.0, max(3.0, 0.45 * len(data) * max(1, len(columns)) ** 0.5 + 1.0)))
    y = np.arange(len(data))
    height = 0.8 / len(columns)
    for i, (model, col) in enumerate(zip(models, columns)):
        ax.barh(y + (i - (len(columns) - 1) / 2.0) * height, data[col].to_numpy(), height=height, label=model)
    ax.set_yticks(y)
    ax.set_yticklabels([str(t) for t in data.index])
    unit = "value" if value else "conversions"
    ax.set_xlabel(f"share of credited {unit} (%)" if normalize else f"credited {unit}")
    ax.legend(loc="lower right", fontsize=8)
    title = "Attribution by model"
    if "order" in df.attrs and any(m == "markov" for m in models):
        title += f" (Markov order {df.attrs['order']})"
    ax.set_title(title)
    return ax
