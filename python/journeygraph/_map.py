"""The journey map: stages and their funnel, pain points, paths, what-if, comparison, pictures."""

from __future__ import annotations

import numbers
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core, _frames, _html, _options, _progress
from ._journeys import Journeys, _instant_text
from ._model import core_set
from ._tables import frame

StagesLike = Union[None, Mapping[str, str], pd.DataFrame, str, os.PathLike, "_core.StageMap"]


def _stage_map(stages: StagesLike, stage_order: Optional[Sequence[str]]) -> Optional["_core.StageMap"]:
    """A core StageMap from a dict, a DataFrame (touchpoint, stage), a CSV path or a StageMap."""
    if stages is None:
        if stage_order is not None:
            raise _frames.error("stage_order was given without stages")
        return None
    order = [] if stage_order is None else [str(s) for s in stage_order]
    if isinstance(stages, _core.StageMap):
        if order and order != list(stages.stages):
            raise _frames.error("stage_order differs from the order of the given StageMap")
        return stages
    if isinstance(stages, (str, os.PathLike)):
        return _core.read_stages_csv(os.fspath(stages), _options.make(_core.StageCsvOptions, "stages", {"order": order}))
    if isinstance(stages, pd.DataFrame):
        for col in ("touchpoint", "stage"):
            if col not in stages.columns:
                raise _frames.error(
                    f"a stages DataFrame needs columns 'touchpoint' and 'stage'; it has: "
                    f"{_frames.describe_columns(list(stages.columns))}"
                )
        pairs = list(zip(stages["touchpoint"].astype(str), stages["stage"].astype(str)))
        stage_col = stages["stage"]
        if not order and isinstance(stage_col.dtype, pd.CategoricalDtype) and stage_col.cat.ordered:
            order = [str(c) for c in stage_col.cat.categories]  # an ordered categorical is the funnel order
    elif isinstance(stages, Mapping):
        pairs = [(str(k), str(v)) for k, v in stages.items()]
    else:
        raise _frames.error(
            "stages must be a dict touchpoint -> stage, a DataFrame with touchpoint and stage columns, a CSV "
            f"path or None, got {type(stages).__name__}"
        )
    if not order:
        for _, stage in pairs:
            if stage not in order:
                order.append(stage)
    if not order:
        raise _frames.error("stages is empty")
    return _core.StageMap(order, pairs)


class JourneyMap:
    """The journey map of a set of journeys: graph, stages, funnel, pain points, paths, what-if.

    The map fits the Markov chain once (solved exactly, never simulated), builds the graph of touchpoints
    with volumes, probabilities and the time between touches, and answers the questions of a customer
    journey map. Every method returns a pandas DataFrame; in Jupyter the map displays as its journey graph
    laid out by stage.

    Parameters
    ----------
    journeys : Journeys
        The journeys (:meth:`Journeys.from_events`, :meth:`Journeys.from_paths`, :func:`read_events`, ...).
    stages : dict, DataFrame, str or None, default None
        The stage of each touchpoint: a dict touchpoint -> stage, a DataFrame with ``touchpoint`` and
        ``stage`` columns (an ordered categorical ``stage`` gives the funnel order), or the path of a CSV
        with those columns. None: no stage analyses.
    stage_order : list of str, optional
        The stages in funnel order; default the order in which they first appear in ``stages``. With a
        CSV file, a stage outside this list is an error naming file, line and column.
    threads : int or None
        Worker threads of the C++ core (None or 0: every core). Results do not depend on it.
    progress : bool or callable, default False
        Progress of building the map: True draws a progress bar (tqdm); a callable receives
        ``(fraction, stage)``.
    **options
        The map's options by name (defaults are the core's): its chain (``order``, ``smoothing``,
        ``self_loops``: see :class:`MarkovModel`) and ``other_stage`` (the stage of touchpoints ``stages``
        does not name; without it such a touchpoint is an error; a new name is appended after the last).

    Examples
    --------
    >>> events = jg.datasets.sample_events()
    >>> journeys = jg.Journeys.from_events(events, conversion="conversion", value="value", segment="device")
    >>> m = jg.JourneyMap(journeys, stages=jg.datasets.sample_stages())
    >>> m.funnel()
    >>> m.pain_points().head()
    >>> m.what_if(set_probabilities={("website", "(conversion)"): 0.5})
    """

    def __init__(self, journeys: Journeys, stages: StagesLike = None, *, stage_order: Optional[Sequence[str]] = None,
                 threads: Optional[int] = None, progress: _progress.Progress = False, **options: Any) -> None:
        core = core_set(journeys, "JourneyMap")
        self._journeys = journeys if isinstance(journeys, Journeys) else None
        self._threads = _options.threads(threads)
        opts = _options.make(_core.MapOptions, "JourneyMap", options)
        with _progress.reporting(progress, "JourneyMap"):
            self._map = _core.JourneyMap.build(core, _stage_map(stages, stage_order), opts, self._threads)

    # ------------------------------------------------------------------------------------ properties

    @property
    def stages(self) -> List[str]:
        """The stages in funnel order (empty without stages)."""
        return list(self._map.stages)

    @property
    def order(self) -> int:
        """Markov order of the fitted chain."""
        return self._map.order

    @property
    def conversion_probability(self) -> float:
        """P(conversion | start) of the fitted chain."""
        return self._map.conversion_probability

    @property
    def core(self) -> "_core.JourneyMap":
        """The C++ journey map."""
        return self._map

    # ------------------------------------------------------------------------------------ analyses

    def nodes(self) -> pd.DataFrame:
        """The graph's nodes: START, the touchpoints (sorted by name), CONVERSION and NULL.

        Returns
        -------
        pandas.DataFrame
            Columns ``node``, ``name``, ``kind``, ``stage``, ``visits``, ``journeys``, ``conversions``.
        """
        return frame(self._map.nodes())

    def edges(self) -> pd.DataFrame:
        """The graph's edges with counts, probabilities and the time between the two touches.

        Returns
        -------
        pandas.DataFrame
            Columns ``source``, ``target``, ``count``, ``probability``, ``time_count``, ``time_mean_s``,
            ``time_median_s``, ``time_p90_s`` (NaN without timestamps).
        """
        return frame(self._map.edges())

    def funnel(self, journeys: Optional[str] = None) -> pd.DataFrame:
        """The stage funnel: per stage, journeys that reached it and what they did next.

        Of the journeys that reached a stage, ``advanced`` touched a later stage afterwards, ``converted``
        did not advance and converted, ``dropped`` did neither (the three add up to ``journeys``). Moves
        between stages are counted forward, skipping (two or more stages ahead) and backward; the time in
        a stage runs from entering it to the first touch in another stage.

        Parameters
        ----------
        journeys : {"first", "repeat", "all"}, optional
            Which journeys the funnel counts: ``"first"`` (the default) those that do not begin after a
            conversion of the same journey id (the first-purchase funnel), ``"repeat"`` only those that
            do (their own funnel), ``"all"`` every journey. ``attrs["counted"]`` says which were counted
            and ``attrs["left_out"]`` the weight of those left out.

        Returns
        -------
        pandas.DataFrame
            One row per stage; columns ``stage``, ``journeys``, ``entered_first``, ``advanced``,
            ``converted``, ``dropped``, their shares, ``conversions``, ``moves_forward``,
            ``moves_skipping``, ``moves_backward``, ``skipped_over``, ``time_in_stage_median_s``,
            ``time_in_stage_mean_s``, ``time_in_stage_p90_s``, ``time_in_stage_count`` and the step
            columns (docs/tables.md). ``attrs["notes"]`` defines each column in one line (the core's
            funnel_notes), first which journeys were counted (key ``"(journeys)"``).

        Raises
        ------
        JourneyGraphError
            If the map has no stages, or for an unknown ``journeys`` (the message lists the choices).
        """
        return frame(self._funnel(journeys)[0])

    def _funnel(self, journeys: Optional[str]) -> Any:
        if journeys is None:
            return self._map.funnel(self._threads)
        return self._map.funnel(self._threads, str(journeys))

    def stage_flows(self, journeys: Optional[str] = None) -> pd.DataFrame:
        """The stage-to-stage flow matrix: consecutive touches from one stage to the next.

        Parameters
        ----------
        journeys : {"first", "repeat", "all"}, optional
            Which journeys are counted, as in :meth:`funnel` (default ``"first"``).

        Returns
        -------
        pandas.DataFrame
            Rows ``(start)`` and the stages, columns the stages, ``(conversion)`` and ``(null)``; entries
            are journey weights (the diagonal counts moves within a stage).
        """
        flows = frame(self._funnel(journeys)[1])
        rows = ["(start)"] + self.stages
        cols = self.stages + ["(conversion)", "(null)"]
        matrix = flows.pivot_table(index="from", columns="to", values="flow", aggfunc="sum")
        return matrix.reindex(index=rows, columns=cols).fillna(0.0)

    def pain_points(self, **options: Any) -> pd.DataFrame:
        """Where journeys drop out: per touchpoint, its drop-offs, unconverted exits and conversions at risk.

        The columns are defined in one line each in ``attrs["notes"]`` (the core's pain_point_notes):
        ``unconverted_exit_share`` is the share of visits after which the journey ends unconverted and
        ``conversion_probability`` is P(eventual conversion | at the touchpoint), both solved from the fitted
        chain (at order k > 1 over the states ending in the touchpoint, weighted by their expected visits);
        ``conversions_at_risk`` is the touchpoint's Markov credit, additive (the column sums to the total
        conversions), while ``removal_effect`` is the overlapping share of conversions lost without it;
        ``journeys`` is how many journeys stand behind the figures.

        Parameters
        ----------
        **options
            By name (defaults are the core's): ``rank_by`` ("drop_offs", "unconverted_exit_share",
            "conversions_at_risk", "conversion_probability": largest first, conversion probability smallest first) and
            ``min_journeys`` (touchpoints seen in fewer journeys are flagged ``small_sample`` and ranked last).

        Returns
        -------
        pandas.DataFrame
            The core's ``pain_points`` table (docs/tables.md).
        """
        return frame(self._map.pain_points(_options.make(_core.PainPointOptions, "pain_points", options)))

    def paths(self, top: int = 10) -> pd.DataFrame:
        """The most common paths with their conversion rate and cumulative coverage.

        Parameters
        ----------
        top : int, default 10
            Paths to list (0: all). ``attrs["distinct_paths"]`` counts them all.

        Returns
        -------
        pandas.DataFrame
            Columns ``path``, ``length``, ``journeys``, ``conversions``, ``value``, ``conversion_rate``,
            ``share``, ``cumulative_share``; most common first.
        """
        return frame(self._paths(top=top, most_probable=0)[0])

    def probable_paths(self, k: int = 10) -> pd.DataFrame:
        """The k most probable loop-free paths from start to conversion in the fitted chain.

        Found by Yen's k-shortest-path search on -log p; a path's probability is the product of its
        transition probabilities.

        Parameters
        ----------
        k : int, default 10
            Paths to find.

        Returns
        -------
        pandas.DataFrame
            Columns ``rank``, ``path``, ``states``, ``length``, ``probability``.
        """
        return frame(self._paths(top=1, most_probable=k)[1])

    def _paths(self, **options: Any) -> Any:
        return self._map.paths(_options.make(_core.PathOptions, "paths", options), self._threads)

    def path_lengths(self) -> pd.DataFrame:
        """Journeys and conversions by path length.

        Returns
        -------
        pandas.DataFrame
            Columns ``length``, ``journeys``, ``conversions``, ``conversion_rate``.
        """
        return frame(self._paths(top=1, most_probable=0)[2])

    def time_to_conversion(self) -> pd.DataFrame:
        """Time from first to last touch of converting journeys, as a histogram (needs timestamps).

        Returns
        -------
        pandas.DataFrame
            Columns ``bin``, ``lower_s``, ``upper_s``, ``conversions``; ``attrs`` holds ``count``,
            ``mean_s``, ``median_s`` and ``p90_s``. Empty without timestamps.
        """
        return frame(self._paths(top=1, most_probable=0)[3])

    def sankey(self, by: Optional[str] = None, max_steps: Optional[int] = None) -> pd.DataFrame:
        """Step flows for a Sankey diagram (runs of the same key are one step).

        Parameters
        ----------
        by : {"stage", "touchpoint"} or None
            The key of a step; None: stages when the map has them.
        max_steps : int, optional
            Steps drawn (the core's default, 6); longer journeys go to "(continues)".

        Returns
        -------
        pandas.DataFrame
            Columns ``step``, ``source``, ``target``, ``value``.
        """
        if by not in (None, "stage", "touchpoint"):
            raise _frames.error(f"by must be 'stage' or 'touchpoint', got {by!r}")
        o = _options.make(_core.RenderOptions, "sankey", {"max_steps": max_steps})
        return frame(self._map.sankey(None if by is None else by == "stage", o.max_steps))

    def what_if(
        self,
        set_probabilities: Union[None, Mapping[Tuple[str, str], float], Iterable[Tuple[str, str, float]]] = None,
        remove_edges: Optional[Iterable[Tuple[str, str]]] = None,
        remove_touchpoints: Optional[Iterable[str]] = None,
    ) -> pd.DataFrame:
        """The conversion probability after editing the chain, solved exactly.

        Edits apply in this order: ``set_probabilities``, ``remove_edges``, ``remove_touchpoints``. States are named as
        in :meth:`MarkovModel.state_names` ("a", "a > b" at order 2, "(conversion)", "(null)").

        Parameters
        ----------
        set_probabilities : dict (from, to) -> probability, or list of (from, to, probability)
            New transition probabilities; the rest of each edited row is scaled to sum to 1.
        remove_edges : list of (from, to)
            Transitions removed (the row's other moves scaled up).
        remove_touchpoints : list of str
            Touchpoints removed: journeys reaching them end without conversion (the removal effect's rule).

        Returns
        -------
        pandas.DataFrame
            Index ``conversion_probability``, ``expected_conversions``, ``expected_value``; columns
            ``before``, ``after``, ``change``. ``attrs["max_residual"]`` is the solve's residual.
        """
        edits: List[Tuple[str, str, str, float]] = []
        if set_probabilities is not None:
            sp = set_probabilities
            items = sp.items() if isinstance(sp, Mapping) else [((e[0], e[1]), e[2]) for e in sp]
            for (src, dst), p in items:
                if isinstance(p, bool) or not isinstance(p, numbers.Real):
                    raise _frames.error(f"the probability of {src!r} -> {dst!r} must be a number, got {p!r}")
                edits.append(("set_probability", str(src), str(dst), float(p)))
        for src, dst in remove_edges or []:
            edits.append(("remove_edge", str(src), str(dst), 0.0))
        if isinstance(remove_touchpoints, str):
            remove_touchpoints = [remove_touchpoints]
        for tp in remove_touchpoints or []:
            edits.append(("remove_touchpoint", str(tp), "", 0.0))
        df = frame(self._map.what_if(edits), index="figure")
        df.index.name = None
        return df

    def compare(self, other: "JourneyMap", alpha: Optional[float] = None, labels: Optional[Tuple[str, str]] = None,
                table: str = "transitions") -> pd.DataFrame:
        """Compare this map's chain (a) with another's (b): what changed significantly.

        Per transition, a two-proportion z-test of the observed probabilities (pooled variance), with
        p-values adjusted for the number of tests by Holm's method; per touchpoint, the Markov attribution
        as a share of conversions. Bootstrap intervals of the attribution differences are not computed.

        Parameters
        ----------
        other : JourneyMap
            The map to compare with (same order and self-loop setting).
        alpha : float, default 0.05
            Family-wise error rate of the transition tests.
        labels : (str, str), default ("a", "b")
            Names of the two maps, kept in ``attrs``.
        table : {"transitions", "attribution"}
            Which table to return.

        Returns
        -------
        pandas.DataFrame
            ``transitions``: columns ``from``, ``to``, ``count_a``, ``total_a``, ``p_a``, ``count_b``,
            ``total_b``, ``p_b``, ``difference``, ``z``, ``p_value``, ``p_adjusted``, ``significant``;
            ``attribution``: ``touchpoint``, ``conversions_a``, ``conversions_b``, ``share_a``,
            ``share_b``, ``difference``. ``attrs`` holds the labels, ``significant`` and both
            conversion probabilities.
        """
        if not isinstance(other, JourneyMap):
            raise _frames.error(f"compare expects a JourneyMap, got {type(other).__name__}")
        if table not in ("transitions", "attribution"):
            raise _frames.error(f"table must be 'transitions' or 'attribution', got {table!r}")
        a, b = labels if labels is not None else (None, None)
        opts = _options.make(_core.CompareOptions, "compare", {"alpha": alpha, "label_a": a, "label_b": b})
        df = frame(_core.compare_maps(self._map, other._map, opts)[table == "attribution"])
        df.attrs["labels"] = (opts.label_a, opts.label_b)
        return df

    # ------------------------------------------------------------------------------------ exports and pictures

    def render(self, format: str, **options: Any) -> str:
        """The map in one of the core's export formats.

        Parameters
        ----------
        format : {"dot", "graphml", "json", "sankey_json", "svg", "funnel_svg", "sankey_svg", "html"}
            Graphviz DOT (a cluster per stage), GraphML, JSON ``{"nodes", "links"}``, the step flows as JSON,
            the journey graph, the funnel or the step flows as self-contained SVG, or the HTML report.
        **options
            By name (defaults are the core's): ``title`` (drawn on the pictures; the report's title),
            ``max_edges`` (touchpoint edges drawn in the graph), ``by_stage`` (step flows by stage or by
            touchpoint; by stage when the map has stages), ``max_steps``, ``top_paths`` and ``pain_points``
            (rows of the report's tables).

        Returns
        -------
        str
        """
        return self._map.render(str(format), _options.make(_core.RenderOptions, "render", options), self._threads)

    def to_dot(self) -> str:
        """The journey graph as Graphviz DOT, one cluster per stage.

        Returns
        -------
        str
            ``render("dot")``.
        """
        return self.render("dot")

    def to_graphml(self) -> str:
        """The journey graph as GraphML with node and edge data.

        Returns
        -------
        str
            ``render("graphml")``.
        """
        return self.render("graphml")

    def to_json(self) -> str:
        """The journey graph as JSON ``{"nodes": [...], "links": [...]}``.

        Returns
        -------
        str
            ``render("json")``.
        """
        return self.render("json")

    def svg(self, **options: Any) -> str:
        """The journey graph as a self-contained SVG, laid out by stage from left to right.

        Parameters
        ----------
        **options
            As in :meth:`render` (``title``, ``max_edges``).

        Returns
        -------
        str
            ``render("svg", **options)``.
        """
        return self.render("svg", **options)

    def funnel_svg(self, **options: Any) -> str:
        """The stage funnel as a self-contained SVG.

        Parameters
        ----------
        **options
            As in :meth:`render` (``title``).

        Returns
        -------
        str
            ``render("funnel_svg", **options)``.
        """
        return self.render("funnel_svg", **options)

    def sankey_svg(self, **options: Any) -> str:
        """The step flows as a self-contained Sankey SVG (by stage when the map has stages).

        Parameters
        ----------
        **options
            As in :meth:`render` (``title``, ``by_stage``, ``max_steps``).

        Returns
        -------
        str
            ``render("sankey_svg", **options)``.
        """
        return self.render("sankey_svg", **options)

    @_options.documented(progress=_options.indent(_options.PROGRESS_DOC, 4))
    def report(self, path: Union[None, str, os.PathLike] = None, *, models: Any = None, funnel: Any = None,
               paths: Any = None, drivers: Any = None, spend: Any = None, spend_period: Optional[str] = None,
               period_switch: Any = None, time_format: Optional[str] = None, progress: _progress.Progress = False,
               **options: Any) -> str:
        """One self-contained HTML page: graph, funnel, Sankey, pain points, attribution, paths.

        The event funnel, the path explorer and the conversion drivers are added as sections of their own
        when asked for, computed on the map's journeys with the map's stages.

        Parameters
        ----------
        path : str or path-like, optional
            Also write the page to this file (replaced only once the whole page is written; an error that
            names the file, kind "io", when it cannot be written).
        models : sequence of str or dict, optional
            A "Model comparison" section: the models (the baseline of the percent changes is the core's
            default, as in :func:`attribute`: ``last_touch`` when compared, else the first model), or a
            dict of the keywords of :func:`attribute` (``models``, ``ci``, ``bootstrap``, ``seed``, ...): with
            ``ci`` or ``bootstrap`` each credit carries its bootstrap interval.
        spend : pandas.DataFrame, optional
            With ``models``: a "Money" section, the core's ``money`` table of the compared models as a table
            (spend, conversions, value, cost per conversion and ROAS per model and touchpoint, with the ROAS
            intervals when the comparison runs a bootstrap). Columns as in :func:`attribute`'s ``spend``.
        spend_period : str, optional
            Only the spend rows of this period (``spend`` needs a ``period`` column).
        funnel : sequence of str or dict, optional
            An "Event funnel" section: its steps (as in :meth:`Journeys.event_funnel`), or a dict of that
            method's keywords (``steps``, ``order``, ``window``, ``exclude``, ``by_segment``, ``level``,
            ``alpha``).
        paths : bool or dict, optional
            A "Path explorer" section: True for every journey from its first touch, or a dict of the keywords of
            :meth:`Journeys.explore_paths` (``start``, ``end``, ``steps``, ``from_step``, ``max_steps``, ``top``,
            ...).
        drivers : bool or dict, optional
            A "Conversion drivers" section: True for the core's defaults, or a dict of the options of
            :meth:`Journeys.drivers` plus ``shown`` (drivers in the chart and table, default 20).
        period_switch : str or sequence of instants, optional
            A period menu that switches the whole page to the journeys that began in one period (each view made
            in advance, switched offline): ``"month"``, ``"week"`` (ISO, Monday start) or ``"quarter"`` (UTC
            calendar periods, labelled 2026-03, 2026-W09, 2026-Q1), or instants (a sequence, or text separated by
            commas) read as :meth:`Journeys.split_at` reads its instant, giving the periods "before A",
            "from A to B", ..., "from N on". Periods without journeys are left out and counted in a note. Needs
            timestamps. With ``segment_switch=True`` there are two menus, each over all of the other.
        time_format : str, optional
            The pattern the times were read with, for the instants of ``period_switch``.
        {progress}
        **options
            As in :meth:`render` (``title``, ``top_paths``, ``pain_points``, ...).

        Returns
        -------
        str
            The HTML.
        """
        from ._journeys import _texts, _window

        opts = _options.make(_core.RenderOptions, "report", options)
        if models is not None:
            from ._attribution import attribution_options, model_list

            a = dict(models) if isinstance(models, Mapping) else {"models": models}
            chosen = model_list(a.pop("models", None),
                                core_set(self._journeys, "report") if self._journeys is not None else None)
            _core.report_model_comparison(opts, attribution=attribution_options(
                chosen, a.pop("ci", None), a.pop("bootstrap", None), a.pop("position_weights", None),
                dict(a, order=a.get("order", self.order))))
        if spend is not None or spend_period is not None:
            from ._attribution import spend_columns

            if models is None:
                raise _frames.error("report: spend adds the section Money to the model comparison; "
                                    "ask for it with models=")
            names, amounts, periods = spend_columns(spend, spend_period, "report")
            _core.report_spend(opts, names, amounts, periods, spend_period or "")
        if funnel is not None:
            f = dict(funnel) if isinstance(funnel, Mapping) else {"steps": funnel}
            _only(f, "funnel", ("steps", "order", "window", "exclude", "by_segment", "level", "alpha"))
            _core.report_event_funnel(
                opts, steps=_texts(f.get("steps", ()), "steps"), order=f.get("order"), window=_window(f.get("window")),
                exclusions=_texts(f.get("exclude", ()), "exclude"), by_segment=bool(f.get("by_segment", False)),
                level=f.get("level"), alpha=f.get("alpha"))
        if paths is not None and paths is not False:
            p = dict(paths) if isinstance(paths, Mapping) else {}
            _only(p, "paths", ("start", "end", "steps", "order", "window", "exclude", "from_step", "to_step",
                               "drop_off", "max_steps", "top", "variants"))
            _core.report_path_explorer(
                opts, start=p.get("start"), end=p.get("end"), steps=_texts(p.get("steps", ()), "steps"),
                order=p.get("order"), window=_window(p.get("window")), exclusions=_texts(p.get("exclude", ()), "exclude"),
                from_step=p.get("from_step"), to_step=p.get("to_step"), drop_off=bool(p.get("drop_off", False)),
                max_steps=p.get("max_steps"), top=p.get("top"), variants=p.get("variants"))
        if drivers is not None and drivers is not False:
            d = dict(drivers) if isinstance(drivers, Mapping) else {}
            shown = d.pop("shown", None)
            _core.report_drivers(opts, drivers=_options.make(_core.DriverOptions, "drivers", d), shown=shown)
        if period_switch is not None:
            if time_format is not None and not isinstance(time_format, str):
                raise _frames.error(f"time_format must be a string or None, got {time_format!r}")
            from ._journeys import _instant_text

            text = period_switch if isinstance(period_switch, str) else \
                ",".join(_instant_text(x) for x in period_switch)
            _core.report_period_switch(opts, text, time_format or "")
        with _progress.reporting(progress, "report"):
            html = self._map.render("html", opts, self._threads)
        if path is not None:
            _core.write_text_file(os.fspath(path), html)
        return html

    # ------------------------------------------------------------------------------------ display

    def __repr__(self) -> str:
        stages = f", {len(self.stages)} stages" if self.stages else ""
        return (
            f"<journeygraph.JourneyMap: {_html.number(self._map.journeys)} journeys, "
            f"{self._map.touchpoint_count} touchpoints{stages}, order {self.order}, "
            f"P(conversion) {self.conversion_probability:.6g}>"
        )

    def _repr_svg_(self) -> str:
        from ._plot import inline_svg

        return inline_svg(self.svg())

    def _repr_html_(self) -> str:
        rows = [
            ("journeys", _html.number(self._map.journeys)),
            ("touchpoints", str(self._map.touchpoint_count)),
            ("stages", ", ".join(self.stages) if self.stages else "none"),
            ("order", str(self.order)),
            ("P(conversion)", f"{self.conversion_probability:.6g}"),
        ]
        from ._plot import inline_svg

        parts = [_html.summary_table("journeygraph.JourneyMap", rows), inline_svg(self.svg())]
        if self.stages:
            parts.append(inline_svg(self.funnel_svg()))
        return "<div class='journeygraph-map'>" + "".join(parts) + "</div>"


def _only(values: Mapping[str, Any], what: str, known: Sequence[str]) -> None:
    """Refuse keywords a report section does not take, naming the ones it does."""
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise _frames.error(f"report: {what} takes {', '.join(known)}; got {', '.join(unknown)}")


def map_segments(journeys: Journeys, stages: StagesLike = None, **kwargs: Any) -> Dict[str, JourneyMap]:
    """One journey map per segment (persona, device, region...), to compare them.

    Parameters
    ----------
    journeys : Journeys
        Journeys with a segment column (``Journeys.from_events(..., segment=...)``).
    stages, **kwargs
        As for :class:`JourneyMap`; every segment gets the same.

    Returns
    -------
    dict of str to JourneyMap
        In segment order; segments without a journey of positive weight are left out.
    """
    if not isinstance(journeys, Journeys):
        raise _frames.error(f"map_segments expects Journeys, got {type(journeys).__name__}")
    if not journeys.segments:
        raise _frames.error("the journeys have no segments (build them with segment=...)", kind="state")
    parts = {name: journeys.segment(name) for name in journeys.segments}
    return {name: JourneyMap(part, stages, **kwargs) for name, part in parts.items()
            if part.total_conversions + part.total_nulls > 0}


def time_window(journeys: Journeys, start: Any = None, end: Any = None,
                time_format: Optional[str] = None) -> Journeys:
    """The journeys whose first touch lies in [start, end), to compare periods.

    Parameters
    ----------
    journeys : Journeys
        Journeys with timestamps.
    start, end : str, int, float, pandas.Timestamp, datetime.datetime, numpy.datetime64 or None
        Read as :meth:`Journeys.split_at` reads its instant (the core's parse_instant): ISO-8601 text (or
        text in ``time_format``) always; a number (or numeric text) as an epoch number in
        :attr:`Journeys.epoch_unit`, only when the times were epoch numbers (a bare number with date-time
        data is refused with a hint); datetime values as they are (naive ones are UTC). None leaves that
        side open.
    time_format : str, optional
        The pattern the times were read with, if any.

    Returns
    -------
    Journeys

    Raises
    ------
    JourneyGraphError
        Without timestamps (kind ``state``), for an instant that cannot be read, or when start is after end.

    Complexity: O(journeys + touches copied).
    """
    if not isinstance(journeys, Journeys):
        raise _frames.error(f"time_window expects Journeys, got {type(journeys).__name__}")
    if time_format is not None and not isinstance(time_format, str):
        raise _frames.error(f"time_format must be a string or None, got {time_format!r}")

    def ticks(x: Any, open_end: int) -> int:
        if x is None:
            if not journeys.core.has_timestamps:
                raise _frames.error("a time window needs journeys with timestamps", kind="state")
            return open_end
        return _core.parse_instant(journeys.core, _instant_text(x), time_format or "")

    core = _core.time_window(journeys.core, ticks(start, -(2**63)), ticks(end, 2**63 - 1))
    return Journeys(core, journeys.report)
