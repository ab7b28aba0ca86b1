"""Pictures: the journey graph of a fitted chain (Graphviz SVG, or matplotlib) and attribution bar charts."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import deque
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from . import _frames

START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"
_SPECIAL = (START, CONVERSION, NULL)
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
            Output file.
        """
        text = self.dot if os.fspath(path).endswith((".dot", ".gv")) else self.svg
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    def __repr__(self) -> str:
        return f"<journeygraph.GraphPicture: SVG of {len(self.svg):,} characters>"


def _check_model(model: Any) -> Any:
    from ._model import MarkovModel

    if not isinstance(model, MarkovModel):
        raise _frames.error(f"expected a fitted jg.MarkovModel, got {type(model).__name__}")
    if not model.fitted:
        raise _frames.error("the model is not fitted: call fit(journeys) first", kind="state")
    return model


def _subgraph(model: Any, min_probability: float, max_states: int) -> Tuple[pd.DataFrame, List[str], int]:
    """Edges to draw, the touchpoint states kept (most visited first) and how many states were left out."""
    if not (0 <= min_probability <= 1):
        raise _frames.error(f"min_probability must be in [0, 1], got {min_probability!r}")
    if isinstance(max_states, bool) or not isinstance(max_states, (int, np.integer)) or max_states < 1:
        raise _frames.error(f"max_states must be an integer >= 1, got {max_states!r}")
    t = model.transitions()
    inflow: Dict[str, float] = t.groupby("to", sort=True)["count"].sum().to_dict()
    states = sorted((s for s in model.state_names() if s not in _SPECIAL), key=lambda s: (-inflow.get(s, 0.0), s))
    kept = states[: int(max_states)]
    keep = set(kept) | set(_SPECIAL)
    edges = t[(t["probability"] >= min_probability) & t["from"].isin(keep) & t["to"].isin(keep)]
    return edges.reset_index(drop=True), kept, len(states) - len(kept)


def _dot_id(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _caption(model: Any, min_probability: float, hidden: int) -> str:
    text = f"order {model.order}, P(conversion) {model.conversion_probability:.4g}; edges with p >= {min_probability:g}"
    if hidden:
        text += f"; {hidden} less visited states not shown"
    return text


def graph_dot(model: Any, min_probability: float = 0.02, max_states: int = 30) -> str:
    """Graphviz DOT source of a fitted model's journey graph (parameters as in :func:`plot_graph`).

    Parameters
    ----------
    model : MarkovModel
        A fitted model.
    min_probability : float, default 0.02
        Hide transitions less likely than this.
    max_states : int, default 30
        Draw at most this many touchpoint states (the most visited).

    Returns
    -------
    str
    """
    model = _check_model(model)
    edges, kept, hidden = _subgraph(model, min_probability, max_states)
    lines = [
        "digraph journeys {",
        "  rankdir=LR; bgcolor=\"transparent\"; fontname=\"Helvetica\"; fontsize=10; labelloc=b;",
        f"  label={_dot_id(_caption(model, min_probability, hidden))};",
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"" + _STATE_FILL + "\", fontname=\"Helvetica\", "
        "fontsize=11];",
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#4a6fa5\", fontcolor=\"#33507a\"];",
    ]
    for s in _SPECIAL:
        shape = "ellipse" if s == START else "doubleoctagon"
        lines.append(f"  {_dot_id(s)} [label={_dot_id(_LABELS[s])}, shape={shape}, fillcolor=\"{_FILL[s]}\"];")
    for s in kept:
        lines.append(f"  {_dot_id(s)};")
    lines.append(f"  {{ rank=sink; {_dot_id(CONVERSION)}; {_dot_id(NULL)}; }}")
    for f, t, p in zip(edges["from"], edges["to"], edges["probability"]):
        width = 0.6 + 3.4 * float(p)
        lines.append(f"  {_dot_id(f)} -> {_dot_id(t)} [label=\"{p:.2f}\", penwidth={width:.2f}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def plot_graph(
    model: Any,
    min_probability: float = 0.02,
    max_states: int = 30,
    engine: str = "auto",
    ax: Any = None,
) -> Any:
    """Draw the journey graph of a fitted Markov model: states, transitions and their probabilities.

    Parameters
    ----------
    model : MarkovModel
        A fitted model.
    min_probability : float, default 0.02
        Hide transitions less likely than this.
    max_states : int, default 30
        Draw at most this many touchpoint states, the most visited ones (the others are named in the
        caption's count).
    engine : {"auto", "graphviz", "matplotlib"}, default "auto"
        "graphviz" runs Graphviz's ``dot`` and returns SVG; "matplotlib" draws a layered layout;
        "auto" uses Graphviz when ``dot`` is on the PATH and matplotlib otherwise.
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
    model = _check_model(model)
    if engine != "matplotlib" and ax is None:
        dot = shutil.which("dot")
        if dot is not None:
            source = graph_dot(model, min_probability, max_states)
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
    return _draw_graph(model, min_probability, max_states, ax)


def _layers(edges: pd.DataFrame, kept: Sequence[str]) -> Dict[str, int]:
    """Breadth-first depth from START; absorbing states one layer after the deepest state."""
    succ: Dict[str, List[str]] = {}
    for f, t in zip(edges["from"], edges["to"]):
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


def _draw_graph(model: Any, min_probability: float, max_states: int, ax: Any) -> Any:
    edges, kept, hidden = _subgraph(model, min_probability, max_states)
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
    for f, t, p in zip(edges["from"], edges["to"], edges["probability"]):
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
    ax.set_title(_caption(model, min_probability, hidden), fontsize=9)
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
