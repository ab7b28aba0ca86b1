"""Every result has one schema: its column names read through the command line (CSV and JSON), Python
(DataFrame) and C (jg_table, through ctypes) are identical, and docs/tables.md lists every one of them."""

import ctypes
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import journeygraph as jg

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "docs" / "tables.md").read_text()


def documented_names() -> "tuple[set, list]":
    """The column names docs/tables.md lists, with its patterns (<model>, <column>_se, ...) expanded."""
    tokens = set(re.findall(r"`([a-z_<>0-9]+)`", DOCS))
    names = {t for t in tokens if "<" not in t}
    for model in jg.attribution_models():
        names |= {model, f"{model}_value"}
    for base in list(names):
        names |= {f"{base}_se", f"{base}_lower", f"{base}_upper"}
    return names, [re.compile(r"ordered_shapley_position_\d+$")]


def assert_documented(table: str, columns) -> None:
    names, patterns = documented_names()
    assert f"### `{table}`" in DOCS, table
    for c in columns:
        assert c in names or any(p.match(c) for p in patterns), (table, c)


def python_columns(df) -> list:
    """A DataFrame's columns, the index first when it is a named column of the table."""
    return ([df.index.name] if df.index.name is not None else []) + list(df.columns)


# ---------------------------------------------------------------------------------------------- C through ctypes


class C:
    """The few jg_* calls the test needs, on build/lib/libjourneygraph_c.so."""

    def __init__(self) -> None:
        path = ROOT / "build" / "lib" / "libjourneygraph_c.so"
        if not path.exists():
            pytest.fail(f"{path} is missing: build it first (make build)")
        self.lib = ctypes.CDLL(str(path))
        self.lib.jg_last_error_message.restype = ctypes.c_char_p

    def ok(self, status: int) -> None:
        assert status == 0, self.lib.jg_last_error_message().decode()

    def handle(self, fn: str, *args, after: tuple = ()) -> ctypes.c_void_p:
        """The handle fn returns through the out argument that follows args (and precedes after)."""
        out = ctypes.c_void_p()
        self.ok(getattr(self.lib, fn)(*args, ctypes.byref(out), *after))
        return out

    def columns(self, table: ctypes.c_void_p) -> "tuple[str, list]":
        rows, cols = ctypes.c_size_t(), ctypes.c_size_t()
        self.ok(self.lib.jg_table_size(table, ctypes.byref(rows), ctypes.byref(cols)))
        out, name = [], ctypes.c_char_p()
        for i in range(cols.value):
            self.ok(self.lib.jg_table_column_name(table, ctypes.c_size_t(i), ctypes.byref(name)))
            out.append(name.value.decode())
        self.ok(self.lib.jg_table_name(table, ctypes.byref(name)))
        table_name = name.value.decode()
        self.lib.jg_table_free(table)
        return table_name, out


class AttributionOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("models", ctypes.POINTER(ctypes.c_char_p)), ("n_models", ctypes.c_size_t),
                ("markov", ctypes.c_void_p), ("excluded", ctypes.c_void_p), ("n_excluded", ctypes.c_size_t),
                ("first_weight", ctypes.c_double), ("last_weight", ctypes.c_double),
                ("half_life_seconds", ctypes.c_double), ("max_coalition", ctypes.c_size_t),
                ("bootstrap_replicates", ctypes.c_size_t), ("confidence", ctypes.c_double), ("seed", ctypes.c_uint64)]


class WhatIfEdit(ctypes.Structure):
    _fields_ = [("kind", ctypes.c_int), ("from_", ctypes.c_char_p), ("to", ctypes.c_char_p), ("probability", ctypes.c_double)]


@pytest.fixture(scope="module")
def c() -> C:
    return C()


@pytest.fixture(scope="module")
def events_csv(tmp_path_factory, run_cli) -> Path:
    path = tmp_path_factory.mktemp("tables") / "events.csv"
    run_cli("generate", "--sample", "--journeys", 1500, "--seed", 4, "-o", path)
    return path


def cli_tables(run_cli, *args) -> "dict":
    """{table name: columns} of a command's JSON output, checked against its CSV output (one table)."""
    doc = json.loads(run_cli(*args, "--format", "json", "--quiet"))
    docs = {doc["table"]: doc} if "table" in doc else doc
    out = {}
    for name, d in docs.items():
        assert d["table"] == name
        out[name] = list(d["rows"][0]) if d["rows"] else None
    if len(docs) == 1:
        header = run_cli(*args, "--format", "csv", "--quiet").splitlines()[0]
        assert header.split(",") == next(iter(out.values()))
    return out


# ---------------------------------------------------------------------------------------------- the results


def test_attribution(pathdata, run_cli, c):
    args = ("--models", "all", "--bootstrap", "5", "--seed", "1")
    cli = cli_tables(run_cli, "attribute", pathdata, "--paths", *args)["attribution"]
    journeys = jg.read_paths(pathdata)
    py = python_columns(jg.attribute(journeys, models="all", bootstrap=5, seed=1))
    models = jg.attribution_models(journeys)
    names = (ctypes.c_char_p * len(models))(*[m.encode() for m in models])
    o = AttributionOptions()
    c.ok(c.lib.jg_attribution_options_init(ctypes.byref(o), ctypes.c_uint(2)))
    o.models, o.n_models, o.bootstrap_replicates, o.seed = names, len(models), 5, 1
    js = c.handle("jg_journeys_read_paths_csv", str(pathdata).encode(), None, None, after=(None,))
    at = c.handle("jg_attribution_create", js, ctypes.byref(o), None)
    name, cc = c.columns(c.handle("jg_attribution_table", at))
    assert name == "attribution" and cli == py == cc
    assert "markov" in cc and "ordered_shapley_position_1" in cc and "linear_value_upper" in cc
    assert_documented("attribution", cc)
    model = jg.MarkovModel(order=2).fit(journeys)
    assert python_columns(jg.attribute(model)) == [x for x in cc if x in python_columns(jg.attribute(model))]

    m = c.handle("jg_model_create")
    c.ok(c.lib.jg_model_fit(m, js, None, None))
    name, cc = c.columns(c.handle("jg_removal_table", c.handle("jg_removal_create", m, None)))
    assert name == "removal_effects" and python_columns(model.removal_effects()) == cc
    assert_documented(name, cc)
    name, cc = c.columns(c.handle("jg_model_transition_table", m))
    cli = cli_tables(run_cli, "transitions", pathdata, "--paths")[name]
    assert cli == python_columns(model.transitions()) == cc
    assert_documented(name, cc)
    name, cc = c.columns(c.handle("jg_counts_table", c.handle("jg_counts_create", js, ctypes.c_uint(1), 0, None)))
    assert python_columns(jg.TransitionCounts.count(journeys).transitions()) == cc
    assert_documented(name, cc)
    an = c.handle("jg_analysis_create", m, None)
    name, cc = c.columns(c.handle("jg_analysis_table", an))
    analysis = model.analysis()
    assert python_columns(analysis) == cc
    assert_documented(name, cc)
    name, cc = c.columns(c.handle("jg_analysis_touchpoint_table", an))
    assert cc == ["touchpoint", "expected_visits"] and set(analysis.attrs["touchpoint_visits"]) == set(journeys.touchpoints)
    assert_documented(name, cc)
    name, cc = c.columns(c.handle("jg_order_table", js, None, None))
    cli = cli_tables(run_cli, "order", pathdata, "--paths")[name]
    assert cli == python_columns(jg.choose_order(journeys)) == cc
    assert_documented(name, cc)
    name, cc = c.columns(c.handle("jg_journeys_table", js, None))
    assert python_columns(journeys.to_frame()) == cc
    assert_documented(name, cc)
    for h, free in ((an, "jg_analysis_free"), (m, "jg_model_free"), (at, "jg_attribution_free"), (js, "jg_journeys_free")):
        getattr(c.lib, free)(h)


def test_journey_map(events_csv, run_cli, c, root):
    stages = root / "tests" / "data" / "sample_stages.csv"
    cli = cli_tables(run_cli, "map", events_csv, "--events", "--stages", stages, "--show", "all",
                     "--set", "website->(conversion)=0.5")
    cli.update(cli_tables(run_cli, "map", events_csv, "--events", "--segment", "segment", "--show", "none",
                          "--compare", "desktop,mobile"))
    events = jg.datasets.sample_events(1500, seed=4)
    m = jg.JourneyMap(jg.Journeys.from_events(events, segment="device"), stages=jg.datasets.sample_stages())
    py = {"funnel": m.funnel(), "pain_points": m.pain_points(), "paths": m.paths(), "probable_paths": m.probable_paths(),
          "path_lengths": m.path_lengths(), "time_to_conversion": m.time_to_conversion(), "nodes": m.nodes(),
          "edges": m.edges(), "sankey": m.sankey(), "what_if": m.what_if(set_probabilities={("website", "(conversion)"): 0.5})}
    py = {k: python_columns(v) for k, v in py.items()}
    py["what_if"] = ["figure"] + py["what_if"]  # the index of the what-if table is its figure column
    py["stage_flows"] = None  # Python shows the flows as a matrix (stage_flows()); C and the CLI as the table
    maps = jg.map_segments(jg.Journeys.from_events(events, segment="device"))
    py["transition_changes"] = python_columns(maps["desktop"].compare(maps["mobile"]))
    py["attribution_changes"] = python_columns(maps["desktop"].compare(maps["mobile"], table="attribution"))

    js = c.handle("jg_journeys_sample", ctypes.c_size_t(1500), ctypes.c_uint64(4), None, None, after=(None,))
    st = c.handle("jg_stages_sample")
    mp = c.handle("jg_map_create", js, st, None, None)
    out = [ctypes.c_void_p() for _ in range(4)]
    c.ok(c.lib.jg_map_paths(mp, None, None, *[ctypes.byref(t) for t in out]))
    tables = [c.handle("jg_map_funnel", mp, None), c.handle("jg_map_stage_flows", mp, None),
              c.handle("jg_map_pain_points", mp, None), *out, c.handle("jg_map_nodes", mp), c.handle("jg_map_edges", mp),
              c.handle("jg_map_sankey", mp, None)]
    edit = WhatIfEdit(0, b"website", b"(conversion)", 0.5)
    tables.append(c.handle("jg_map_what_if_table", mp, ctypes.byref(edit), ctypes.c_size_t(1)))
    parts = [c.handle("jg_map_create", c.handle("jg_journeys_segment_subset", js, ctypes.c_size_t(i)), None, None, None)
             for i in (0, 1)]
    changes = [ctypes.c_void_p(), ctypes.c_void_p()]
    c.ok(c.lib.jg_map_compare(parts[0], parts[1], None, ctypes.byref(changes[0]), ctypes.byref(changes[1]), None))
    cc = dict(c.columns(t) for t in tables + changes)
    assert set(cc) == set(py)
    for name, columns in cc.items():
        assert cli[name] == columns, name
        if py[name] is not None:
            assert py[name] == columns, name
        assert_documented(name, columns)
    for handle in parts:
        c.lib.jg_map_free(handle)
    c.lib.jg_map_free(mp)
    c.lib.jg_stages_free(st)
    c.lib.jg_journeys_free(js)


def test_events_and_aggregated_paths(events_csv, pathdata):
    header = events_csv.read_text().splitlines()[0].split(",")
    assert_documented("events", header)
    assert python_columns(jg.read_paths(pathdata).paths()) == ["path", "total_conversions", "total_null",
                                                                "total_conversion_value"]
    assert_documented("aggregated_paths", python_columns(jg.read_paths(pathdata).paths()))


class FunnelOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("steps", ctypes.POINTER(ctypes.c_char_p)), ("n_steps", ctypes.c_size_t),
                ("order", ctypes.c_char_p), ("window_seconds", ctypes.c_double),
                ("exclusions", ctypes.POINTER(ctypes.c_char_p)), ("n_exclusions", ctypes.c_size_t),
                ("stages", ctypes.c_void_p), ("by_segment", ctypes.c_int), ("level", ctypes.c_double),
                ("alpha", ctypes.c_double)]


def test_funnels_paths_drivers(events_csv, run_cli, c, tmp_path):
    steps = ["*_ad", "website|mobile_app", "(conversion)"]
    rules = tmp_path / "rules.csv"
    rules.write_text("action,pattern,replacement\ngroup,*_ad,ads\ndrop,app_push,\n")
    f = ("funnel", events_csv, "--events", "--steps", ",".join(steps), "--window", "14d")
    cli = cli_tables(run_cli, *f, "--segment", "segment", "--by-segment")
    cli.update(cli_tables(run_cli, *f, "--trends", "week", "--curve"))
    cli.update(cli_tables(run_cli, "paths", events_csv, "--events", "--start", "website"))
    cli.update(cli_tables(run_cli, "drivers", events_csv, "--events"))

    journeys = jg.Journeys.from_events(jg.datasets.sample_events(1500, seed=4), segment="device")
    trends, curve = journeys.funnel_trends(steps, window="14d", curve=True)
    path_steps, path_variants = journeys.explore_paths(start="website")
    py = {"event_funnel": journeys.event_funnel(steps, window="14d", by_segment=True), "funnel_trends": trends,
          "conversion_curve": curve, "path_steps": path_steps, "path_variants": path_variants,
          "drivers": journeys.drivers(), "cleaning": journeys.clean(rules)[1]}
    py = {k: python_columns(v) for k, v in py.items()}

    js = c.handle("jg_journeys_sample", ctypes.c_size_t(1500), ctypes.c_uint64(4), None, None, after=(None,))
    o = FunnelOptions()
    c.ok(c.lib.jg_funnel_options_init(ctypes.byref(o), ctypes.c_uint(1)))
    names = (ctypes.c_char_p * len(steps))(*[s.encode() for s in steps])
    o.steps, o.n_steps, o.window_seconds, o.by_segment = names, len(steps), 14 * 86400.0, 1
    tables = [c.handle("jg_event_funnel", js, ctypes.byref(o), None)]
    o.by_segment = 0
    out = [ctypes.c_void_p(), ctypes.c_void_p()]
    c.ok(c.lib.jg_funnel_trends(js, ctypes.byref(o), None, None, ctypes.byref(out[0]), ctypes.byref(out[1])))
    tables += out
    out = [ctypes.c_void_p(), ctypes.c_void_p()]
    c.ok(c.lib.jg_explore_paths(js, None, None, ctypes.byref(out[0]), ctypes.byref(out[1])))
    tables += out
    tables.append(c.handle("jg_conversion_drivers", js, None, None))
    cleaned, report = ctypes.c_void_p(), ctypes.c_void_p()
    c.ok(c.lib.jg_clean_journeys(js, str(rules).encode(), 0, ctypes.byref(cleaned), ctypes.byref(report)))
    tables.append(report)
    cc = dict(c.columns(t) for t in tables)
    assert set(cc) == set(py)
    for name, columns in cc.items():
        if name in cli:
            assert cli[name] == columns, name
        assert py[name] == columns, name
        assert_documented(name, columns)
    c.lib.jg_journeys_free(cleaned)
    c.lib.jg_journeys_free(js)


def test_scores_and_money(events_csv, run_cli, c, tmp_path):
    spend_csv = tmp_path / "spend.csv"
    spend_csv.write_text("touchpoint,spend\ndisplay_ad,900\nsocial_ad,600\nno_such_channel,50\n")
    cli = cli_tables(run_cli, "score", events_csv, "--events", "--open", "--window", "30d", "--next", "2")
    cli.update(cli_tables(run_cli, "attribute", events_csv, "--events", "--models", "markov,last_touch", "--bootstrap",
                          "5", "--spend", spend_csv))

    journeys = jg.read_events(events_csv)
    model = jg.MarkovModel().fit(journeys)
    scores = model.score(journeys, next=2)
    credit = jg.attribute(journeys, models=["markov", "last_touch"], bootstrap=5,
                          spend=pd.read_csv(spend_csv), baseline="last_touch")
    py = {"scores": scores, "next_touch": scores.attrs["next_touch"], "money": credit.attrs["money"],
          "model_comparison": credit.attrs["model_comparison"]}
    py = {k: python_columns(v) for k, v in py.items()}
    assert python_columns(jg.score_open(journeys, window="30d")) == py["scores"]

    js = c.handle("jg_journeys_read_events_csv", str(events_csv).encode(), None, None, None, after=(None,))
    m = c.handle("jg_model_create_fitted", js, None, None)
    tables = [c.handle("jg_score_histories", m, js, None),
              c.handle("jg_score_open_journeys", m, js, ctypes.c_double(30 * 86400.0), None)]
    models = (ctypes.c_char_p * 2)(b"markov", b"last_touch")
    o = AttributionOptions()
    c.ok(c.lib.jg_attribution_options_init(ctypes.byref(o), ctypes.c_uint(2)))
    o.models, o.n_models, o.bootstrap_replicates = models, 2, 5
    at = c.handle("jg_attribution_create", js, ctypes.byref(o), None)
    tables.append(c.handle("jg_attribution_money_table", at, str(spend_csv).encode(), None))
    tables.append(c.handle("jg_attribution_comparison_table", at, b"last_touch"))
    cc = {}
    for t in tables:
        name, columns = c.columns(t)
        assert cc.setdefault(name, columns) == columns
    assert set(cc) | {"next_touch"} == set(py) and set(cli) == set(py) | {"attribution"}
    for name, columns in py.items():
        if name in cli:
            assert cli[name] == columns, name
        if name in cc:
            assert cc[name] == columns, name
        assert_documented(name, columns)
    for h, free in ((at, "jg_attribution_free"), (m, "jg_model_free"), (js, "jg_journeys_free")):
        getattr(c.lib, free)(h)


class CreditOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("max_iterations", ctypes.c_size_t), ("tolerance", ctypes.c_double),
                ("calibration_model", ctypes.c_char_p), ("calibration_touchpoints", ctypes.POINTER(ctypes.c_char_p)),
                ("calibration_conversions", ctypes.POINTER(ctypes.c_double)), ("n_calibration", ctypes.c_size_t)]


class SequenceOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("sequences", ctypes.c_char_p), ("top_n", ctypes.c_size_t),
                ("top_length", ctypes.c_size_t)]


def test_journey_credit_calibration_sequences(pathdata, run_cli, c, tmp_path):
    journeys = jg.read_paths(pathdata)
    names = sorted(journeys.touchpoints)
    external = {n: 10.0 + i for i, n in enumerate(names)}
    ext_csv = tmp_path / "external.csv"
    ext_csv.write_text("touchpoint,conversions\n" + "".join(f"{k},{v}\n" for k, v in external.items()))
    cli = {"journey_credit": run_cli("credit", pathdata, "--paths", "--models", "markov,linear", "--quiet")
           .splitlines()[0].split(",")}
    cli.update(cli_tables(run_cli, "sequences", pathdata, "--paths", "--top", "3"))
    py = {"journey_credit": jg.journey_credit(journeys, models=["markov", "linear"]),
          "calibration": jg.calibration_table(journeys, external),
          "sequence_removal_effects": jg.sequence_removal_effects(journeys, top=3)}
    py = {k: python_columns(v) for k, v in py.items()}

    js = c.handle("jg_journeys_read_paths_csv", str(pathdata).encode(), None, None, after=(None,))
    tables = [c.handle("jg_journeys_credit", js, None, None, None)]
    co = CreditOptions()
    c.ok(c.lib.jg_credit_options_init(ctypes.byref(co), ctypes.c_uint(1)))
    co.calibration_model = b"markov"
    co.calibration_touchpoints = (ctypes.c_char_p * len(names))(*[n.encode() for n in names])
    co.calibration_conversions = (ctypes.c_double * len(names))(*[external[n] for n in names])
    co.n_calibration = len(names)
    tables.append(c.handle("jg_journeys_calibration", js, None, ctypes.byref(co), None))
    so = SequenceOptions()
    c.ok(c.lib.jg_sequence_options_init(ctypes.byref(so), ctypes.c_uint(1)))
    so.top_n = 3
    tables.append(c.handle("jg_journeys_sequence_removal", js, None, ctypes.byref(so), None))
    cc = dict(c.columns(t) for t in tables)
    assert set(cc) == set(py)
    for name, columns in cc.items():
        if name in cli:
            assert cli[name] == columns, name
        assert py[name] == columns, name
        assert_documented(name, columns)
    c.lib.jg_journeys_free(js)


def c_notes(c: C, table: ctypes.c_void_p) -> dict:
    """{column: definition} of a jg_table's notes, read with jg_table_note_count and jg_table_note (frees it)."""
    n = ctypes.c_size_t()
    c.ok(c.lib.jg_table_note_count(table, ctypes.byref(n)))
    out, column, definition = {}, ctypes.c_char_p(), ctypes.c_char_p()
    for i in range(n.value):
        c.ok(c.lib.jg_table_note(table, ctypes.c_size_t(i), ctypes.byref(column), ctypes.byref(definition)))
        out[column.value.decode()] = definition.value.decode()
    assert c.lib.jg_table_note(table, n, ctypes.byref(column), None) != 0 and column.value is None
    c.lib.jg_table_free(table)
    return out


def test_notes_are_the_same_on_every_face(events_csv, run_cli, c, root):
    """The column notes of a table: the CLI's JSON "notes" and text lines, Python attrs["notes"] and C's
    jg_table_note give the same definitions, in the same order; tables without notes have none anywhere."""
    stages = root / "tests" / "data" / "sample_stages.csv"
    args = ("map", events_csv, "--events", "--stages", stages, "--show", "funnel,pain,paths", "--quiet")
    docs = json.loads(run_cli(*args, "--format", "json"))
    text = run_cli(*args, "--width", "0")  # whole lines: the notes unwrapped
    events = jg.datasets.sample_events(1500, seed=4)
    m = jg.JourneyMap(jg.Journeys.from_events(events, segment="device"), stages=jg.datasets.sample_stages())
    js = c.handle("jg_journeys_sample", ctypes.c_size_t(1500), ctypes.c_uint64(4), None, None, after=(None,))
    st = c.handle("jg_stages_sample")
    mp = c.handle("jg_map_create", js, st, None, None)
    from_c = {"funnel": c_notes(c, c.handle("jg_map_funnel", mp, None)),
              "pain_points": c_notes(c, c.handle("jg_map_pain_points", mp, None))}
    from_py = {"funnel": m.funnel().attrs["notes"], "pain_points": m.pain_points().attrs["notes"]}
    for name in ("funnel", "pain_points"):
        notes = docs[name]["notes"]
        assert list(docs[name]) == ["table", "meta", "notes", "rows"]
        assert len(notes) >= 8 and all(isinstance(v, str) and v for v in notes.values()), name
        assert list(notes.items()) == list(from_py[name].items()) == list(from_c[name].items()), name
        width = max(len(k) for k in notes)
        for column, definition in notes.items():
            assert f"\n  {column.ljust(width)}  {definition}\n" in text, (name, column)
    assert notes["conversions_at_risk"].startswith("its Markov credit")
    assert docs["funnel"]["notes"]["(journeys)"].startswith("counts first journeys only")
    assert "notes" not in docs["paths"] and "notes" not in m.paths().attrs
    paths = [ctypes.c_void_p() for _ in range(4)]
    c.ok(c.lib.jg_map_paths(mp, None, None, *[ctypes.byref(t) for t in paths]))
    assert c_notes(c, paths[0]) == {}
    for t in paths[1:]:
        c.lib.jg_table_free(t)
    c.lib.jg_map_free(mp)
    c.lib.jg_stages_free(st)
    c.lib.jg_journeys_free(js)


def test_text_columns_keep_every_value_and_share_repeats():
    # 10,000 journeys of three touches over 30 touchpoints: mostly distinct paths (a text column that stops
    # sharing its values after its first rows) and, in the credit table, a few names repeated on every row.
    rng = np.random.default_rng(11)
    names = [f"t{i:02d}" for i in range(30)]
    picks = rng.integers(0, 30, (10_000, 3))
    events = pd.DataFrame({
        "journey_id": np.repeat([f"user-{i:05d}" for i in range(10_000)], 3),
        "timestamp": np.tile([0, 1, 2], 10_000),
        "touchpoint": [names[k] for k in picks.ravel()],
        "conversion": np.tile([False, False, True], 10_000) & np.repeat(np.arange(10_000) % 3 == 0, 3),
    })
    js = jg.Journeys.from_events(events, time_unit="s")
    paths = js.to_frame()["path"]
    assert paths.dtype == object
    assert len(set(paths)) > 5_000  # beyond sharing
    assert list(paths) == [" > ".join(names[k] for k in row) for row in picks]
    credit = jg.journey_credit(js, ["linear", "first_touch"])
    assert credit["model"].dtype == object and credit["touchpoint"].dtype == object
    assert set(credit["model"]) == {"linear", "first_touch"}
    # One str per distinct value, not per row.
    for column in ("model", "touchpoint"):
        assert credit[column].map(id).nunique() == credit[column].nunique(), column
    assert list(credit["journey"].drop_duplicates()) == [f"user-{i:05d}" for i in range(0, 10_000, 3)]
