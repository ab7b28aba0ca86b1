"""Pictures: the journey graph of a fitted chain (the core's DOT drawn by Graphviz, or matplotlib) and
attribution bar charts."""

from __future__ import annotations

import os
import re
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
        self.svg = inline_svg(svg)
        self.dot = dot

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_html_(self) -> str:
        # Jupyter shows text/html before image/svg+xml, and nbconvert's HTML export passes it through as it is;
        # an image/svg+xml output goes through lxml's cleaner there, which drops every element of the drawing.
        return f"<div class='journeygraph-graph'>{self.svg}</div>"

    def save(self, path: "str | os.PathLike[str]") -> None:
        """Write the picture: SVG (a standalone file that browsers and Inkscape open), or the DOT source when
        ``path`` ends in ".dot" or ".gv".

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


#: Widest inline picture, in CSS pixels: a Jupyter cell at its default width.
CELL_WIDTH = 960


def inline_svg(svg: str, max_width: float = CELL_WIDTH) -> str:
    """An SVG document made fit to inline in HTML or a notebook cell.

    The XML declaration and DOCTYPE are removed (an XML declaration inside HTML breaks nbconvert's export, and
    neither is allowed in inline SVG), and a picture wider than ``max_width`` is scaled down to it, keeping its
    aspect ratio (the viewBox keeps the drawing's coordinates).

    Parameters
    ----------
    svg : str
        An SVG document (the core's pictures or Graphviz's output).
    max_width : float, default CELL_WIDTH
        Widest width in pixels.

    Returns
    -------
    str
    """
    svg = re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"^\s*<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"^\s*<!--.*?-->\s*", "", svg, flags=re.S)
    svg = re.sub(r"^\s*<!--.*?-->\s*", "", svg, flags=re.S)
    head = re.match(r"<svg\b[^>]*>", svg)
    if head is None:
        return svg
    tag = head.group(0)
    w = re.search(r'\swidth="([0-9.]+)(px|pt)?"', tag)
    h = re.search(r'\sheight="([0-9.]+)(px|pt)?"', tag)
    if w is None or h is None:
        return svg
    scale = 4.0 / 3.0 if w.group(2) == "pt" else 1.0  # Graphviz sizes in points
    width, height = float(w.group(1)) * scale, float(h.group(1)) * scale
    if width > max_width:
        height *= max_width / width
        width = max_width
    if "viewBox" not in tag:
        tag = tag.replace("<svg", f'<svg viewBox="0 0 {float(w.group(1)):g} {float(h.group(1)):g}"', 1)
    tag = tag.replace(w.group(0), f' width="{width:.0f}"', 1).replace(h.group(0), f' height="{height:.0f}"', 1)
    return tag + svg[head.end():]


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


def plot_graph(model: Any, min_probability: float = 0.02, engine: str = "auto", ax: Any = None, *,
               journeys: Any = None, stages: Any = None, max_edges: int = 40) -> Any:
    """Draw the journey graph of a fitted Markov model: touchpoints, transitions and their probabilities.

    The default picture is the one of the HTML report (:meth:`JourneyMap.svg`) for the journeys the model was
    fitted on: columns by stage with ``stages``, else by the touchpoint's typical position in the journeys
    (median step), node height by visits, the ``max_edges`` heaviest transitions with the rest summarised in
    the caption, scaled to fit a notebook cell. Graphviz (the core's DOT of the chain's graph) and matplotlib
    (the edge table, layered) are the alternatives.

    Parameters
    ----------
    model : MarkovModel
        A fitted model.
    min_probability : float, default 0.02
        Hide transitions less likely than this (matplotlib engine).
    engine : {"auto", "map", "graphviz", "matplotlib"}, default "auto"
        "map" draws the report's graph (needs the journeys: the ones :meth:`MarkovModel.fit` saw, or
        ``journeys``); "graphviz" runs Graphviz's ``dot`` on :meth:`MarkovModel.to_dot`; "matplotlib" draws
        a layered layout; "auto" is "map" when the journeys are known, else Graphviz when ``dot`` is on the
        PATH, else matplotlib.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into (matplotlib engine only).
    journeys : Journeys, optional
        The journeys to draw (default: the ones the model was fitted on).
    stages : dict, DataFrame, str or StageMap, optional
        Stages of the touchpoints (as :class:`JourneyMap` takes them): columns by stage.
    max_edges : int, default 40
        Touchpoint-to-touchpoint transitions drawn ("map" engine), the heaviest; those from the start and
        to the conversion are always drawn.

    Returns
    -------
    GraphPicture or matplotlib.axes.Axes
        A :class:`GraphPicture` (shown inline as SVG in Jupyter), or the Axes drawn on.

    Raises
    ------
    JourneyGraphError
        For an unfitted model, bad parameters, ``engine="map"`` without journeys, or ``engine="graphviz"``
        without a working ``dot``.
    """
    if engine not in ("auto", "map", "graphviz", "matplotlib"):
        raise _frames.error(f"engine must be 'auto', 'map', 'graphviz' or 'matplotlib', got {engine!r}")
    if not (0 <= min_probability <= 1):
        raise _frames.error(f"min_probability must be in [0, 1], got {min_probability!r}")
    model = _check_model(model)
    if journeys is None:
        journeys = model._journeys
    if engine == "map" or (engine == "auto" and ax is None and journeys is not None):
        if journeys is None:
            raise _frames.error("engine='map' needs the journeys: pass journeys=, or fit the model on Journeys")
        if ax is not None:
            raise _frames.error("ax applies to the matplotlib engine only")
        from ._map import JourneyMap

        m = JourneyMap(journeys, stages, order=model.order, smoothing=model.smoothing, self_loops=model.self_loops)
        return GraphPicture(m.svg(max_edges=int(max_edges)), model.to_dot())
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


def model_colour(model: str) -> str:
    """The colour of an attribution model in every chart, the HTML report's included (the core's palette:
    Okabe & Ito's colour-blind-safe colours, then Paul Tol's muted ones, by the model's place in
    :func:`attribution_models`).

    Parameters
    ----------
    model : str
        A model name; ``removal_effect`` and unknown names get grey.

    Returns
    -------
    str
        A hex colour.
    """
    from . import _core

    return _core.model_color(model) if model in _core.all_models() else "#777777"


def _credit_table(df: pd.DataFrame, what: str) -> pd.DataFrame:
    df = _frames.require_frame(df, what)
    return df.set_index("touchpoint") if "touchpoint" in df.columns else df


def _chosen_models(df: pd.DataFrame, models: Any, max_models: int) -> Tuple[List[str], int]:
    """The models to draw (at most max_models unless named) and how many the table has."""
    every = list(df.attrs.get("models") or [c for c in df.columns if not str(c).endswith(
        ("_value", "_se", "_lower", "_upper")) and c != "removal_effect"])
    if models is None:
        return every[:max_models], len(every)
    models = [models] if isinstance(models, str) else list(models)
    return models, len(every)


def _check_columns(df: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing or not columns:
        raise _frames.error(
            f"no column {', '.join(map(repr, missing)) or '(none requested)'} in the table; it has: "
            f"{_frames.describe_columns(list(df.columns))}"
        )


def _bar_axes(labels: int, bars_per_label: int) -> Any:
    """New axes for horizontal bars: labels groups of bars_per_label bars, the legend beside them."""
    rows = labels * max(1.0, bars_per_label ** 0.5)
    _, ax = _pyplot().subplots(figsize=(8.5, min(9.0, max(3.0, 0.3 * rows + 1.2))), layout="constrained")
    return ax


def _top_rows(data: pd.DataFrame, by: str, top: Optional[int]) -> pd.DataFrame:
    """The top rows by one column, largest first, the rest summed into an "other" row."""
    data = data.sort_values(by, ascending=False, kind="mergesort")
    if top is None or len(data) <= int(top):
        return data
    head, rest = data.iloc[: int(top)], data.iloc[int(top):]
    other = pd.DataFrame([rest.sum(axis=0)], index=[f"other ({len(rest)})"])
    for c in other.columns:
        if str(c).endswith(("_lower", "_upper", "_se")):
            other[c] = np.nan  # intervals do not add up
    return pd.concat([head, other])


def plot_attribution(
    df: pd.DataFrame,
    models: Optional[Sequence[str]] = None,
    value: bool = False,
    normalize: bool = False,
    top: Optional[int] = 10,
    ax: Any = None,
    max_models: int = 5,
) -> Any:
    """Bar chart comparing the credit each model gives each touchpoint.

    The touchpoints with the most credit under the first model are drawn, largest at the top, and the rest
    summed into one "other" bar; each model has its fixed colour (:func:`model_colour`, colour-blind safe);
    when the table has interval columns (``<model>_lower``, ``<model>_upper`` from ``attribute(ci=...)``)
    each bar carries its interval as an error bar. The legend sits beside the bars.

    Parameters
    ----------
    df : pandas.DataFrame
        A table from :func:`attribute` (touchpoints as index, or in a ``touchpoint`` column).
    models : list of str, optional
        Models to compare; default: the first ``max_models`` of the table (``df.attrs["models"]``).
    value : bool, default False
        Compare credited value (``<model>_value`` columns) instead of conversions.
    normalize : bool, default False
        Show each model's credit as a share of its total (percent).
    top : int or None, default 10
        Touchpoints drawn; the others are one "other" bar. None draws every touchpoint.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; default: a new figure.
    max_models : int, default 5
        Models drawn when ``models`` is not given.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    JourneyGraphError
        If a requested model's column is not in the table.
    """
    df = _credit_table(df, "plot_attribution")
    models, available = _chosen_models(df, models, int(max_models))
    columns = [f"{m}_value" if value else m for m in models]
    _check_columns(df, columns)
    bounds = {c: (f"{c}_lower", f"{c}_upper") for c in columns
              if f"{c}_lower" in df.columns and f"{c}_upper" in df.columns}
    keep = columns + [b for pair in bounds.values() for b in pair]
    data = df[keep].astype(float)
    if normalize:
        for c in columns:
            total = data[c].sum()
            scale = 100.0 / total if total else 0.0
            for k in (c, *bounds.get(c, ())):
                data[k] = data[k] * scale
    data = _top_rows(data, columns[0], top)
    ax = ax if ax is not None else _bar_axes(len(data), len(columns))
    y = np.arange(len(data))[::-1]  # largest at the top
    height = 0.8 / len(columns)
    for i, (model, col) in enumerate(zip(models, columns)):
        pos = y + ((len(columns) - 1) / 2.0 - i) * height
        vals = data[col].to_numpy()
        xerr = None
        if col in bounds:
            lo, hi = (data[b].to_numpy() for b in bounds[col])
            xerr = np.vstack([np.clip(vals - lo, 0, None), np.clip(hi - vals, 0, None)])
        ax.barh(pos, vals, height=height, label=model, color=model_colour(model), xerr=xerr,
                error_kw=dict(ecolor="#333333", elinewidth=0.8, capsize=2))
    ax.set_yticks(y)
    ax.set_yticklabels([str(t) for t in data.index])
    unit = "value" if value else "conversions"
    ax.set_xlabel(f"share of credited {unit} (%)" if normalize else f"credited {unit}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
              title=f"{len(models)} of {available} models" if len(models) < available else None)
    title = "Attribution by model"
    if "order" in df.attrs and any(m == "markov" for m in models):
        title += f" (Markov order {df.attrs['order']})"
    if bounds:
        title += f", {100 * float(df.attrs.get('ci', 0.95)):g} % intervals"
    ax.set_title(title, fontsize=10)
    return ax


def plot_model_comparison(
    df: pd.DataFrame,
    baseline: Optional[str] = None,
    models: Optional[Sequence[str]] = None,
    value: bool = False,
    top: Optional[int] = 10,
    ax: Any = None,
    max_models: int = 5,
) -> Any:
    """Model comparison: each touchpoint's credit under each model as a percent change from a baseline model.

    100 * (credit under the model - credit under the baseline) / credit under the baseline, for the touchpoints
    with the most baseline credit (the rest as one "other" row); a touchpoint the baseline gives no credit has
    no bar. Colours as in :func:`plot_attribution`.

    Parameters
    ----------
    df : pandas.DataFrame
        A table from :func:`attribute`.
    baseline : str, optional
        The model compared against; default the core's baseline (as :func:`attribute`'s ``baseline``):
        ``"last_touch"`` when the table has it, else its first model.
    models : list of str, optional
        Models compared with it; default: the table's first ``max_models`` other than the baseline.
    value : bool, default False
        Compare credited value instead of conversions.
    top : int or None, default 10
        Touchpoints drawn; the others are one "other" row.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; default: a new figure.
    max_models : int, default 5
        Models drawn when ``models`` is not given.

    Returns
    -------
    matplotlib.axes.Axes
        With the percent changes in ``ax.comparison`` (a DataFrame, touchpoints x models).

    Raises
    ------
    JourneyGraphError
        If the baseline or a model is not in the table.
    """
    df = _credit_table(df, "plot_model_comparison")
    every, _ = _chosen_models(df, None, 10 ** 6)
    if baseline is None:
        baseline = _core.default_baseline([str(m) for m in every])
    if models is None:
        models = [m for m in every if m != baseline][: int(max_models)]
    models = [models] if isinstance(models, str) else list(models)
    suffix = "_value" if value else ""
    columns = [f"{m}{suffix}" for m in models]
    _check_columns(df, [f"{baseline}{suffix}", *columns])
    data = _top_rows(df[[f"{baseline}{suffix}", *columns]].astype(float), f"{baseline}{suffix}", top)
    base = data[f"{baseline}{suffix}"].replace(0.0, np.nan)
    change = pd.DataFrame({m: 100.0 * (data[c] - base) / base for m, c in zip(models, columns)}, index=data.index)
    ax = ax if ax is not None else _bar_axes(len(change), len(models))
    y = np.arange(len(change))[::-1]
    height = 0.8 / max(1, len(models))
    for i, m in enumerate(models):
        ax.barh(y + ((len(models) - 1) / 2.0 - i) * height, change[m].to_numpy(), height=height, label=m,
                color=model_colour(m))
    ax.axvline(0.0, color="#333333", linewidth=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels([str(t) for t in change.index])
    ax.set_xlabel(f"change in credited {'value' if value else 'conversions'} against {baseline} (%)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.set_title(f"Model comparison: percent change against {baseline}", fontsize=10)
    ax.comparison = change
    return ax
