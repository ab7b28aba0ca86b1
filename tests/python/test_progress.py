"""progress=True draws a tqdm bar on stderr without changing results; a callable observer receives the core's
reports; an observer's exception or Ctrl-C stops the call cleanly."""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

import journeygraph as jg
from journeygraph import _core, _progress

# The synthetic times are seconds from 0: their unit is stated (epoch seconds before 1971 are refused).
KW = dict(conversion="conversion", value="value", time_unit="s")


@pytest.fixture(scope="module")
def events():
    return jg.datasets.synthetic_events(journeys=200_000, touchpoints=15, seed=4)


def test_bars_on_stderr_and_results_unchanged(events, tmp_path, capsys):
    plain = jg.Journeys.from_events(events, **KW)
    capsys.readouterr()
    shown = jg.Journeys.from_events(events, **KW, progress=True)
    err = capsys.readouterr().err
    assert "from_events: building journeys" in err and "100%|" in err
    assert list(shown.to_frame()["path"]) == list(plain.to_frame()["path"])
    assert shown.report.to_dict() == plain.report.to_dict()

    model = jg.MarkovModel(order=2).fit(plain)
    with_bar = jg.MarkovModel(order=2).fit(plain, progress=True)
    err = capsys.readouterr().err
    assert "fit: counting transitions" in err and "100%|" in err
    assert with_bar.to_bytes() == model.to_bytes()

    effects = model.removal_effects()
    again = jg.MarkovModel(order=2).fit(plain).removal_effects(progress=True)
    err = capsys.readouterr().err
    assert "removal effects" in err and "100%|" in err
    pd.testing.assert_frame_equal(again, effects, check_exact=True)

    table = jg.attribute(plain, order=2)
    shown_table = jg.attribute(plain, order=2, progress=True)
    assert "attribute" in capsys.readouterr().err
    pd.testing.assert_frame_equal(shown_table, table, check_exact=True)

    paths = tmp_path / "paths.csv"
    plain.paths().to_csv(paths, index=False)
    read = jg.read_paths(paths, progress=True)
    err = capsys.readouterr().err
    assert "read_paths" in err and "100%|" in err
    assert jg.MarkovModel(order=2).fit(read).to_bytes() == jg.MarkovModel(order=2).fit(jg.read_paths(paths)).to_bytes()

    csv = tmp_path / "events.csv"
    events.head(50_000).to_csv(csv, index=False)
    a, b = jg.read_events(csv), jg.read_events(csv, progress=True)
    assert "read_events" in capsys.readouterr().err
    assert list(a.to_frame()["path"]) == list(b.to_frame()["path"])

    saved = tmp_path / "m.jgm"
    model.save(saved)
    loaded = jg.MarkovModel.load(saved, progress=True)
    assert "load" in capsys.readouterr().err and loaded.to_bytes() == model.to_bytes()
    # No bar without progress.
    jg.MarkovModel(order=2).fit(plain)
    assert capsys.readouterr().err == ""


def test_a_callable_receives_the_core_reports(events):
    calls = []
    journeys = jg.Journeys.from_events(events, **KW, progress=lambda f, s: calls.append((f, s)))
    jg.MarkovModel(order=2).fit(journeys, progress=lambda f, s: calls.append((f, s)))
    stages = [s for _, s in calls]
    assert "build" in stages and "count" in stages, stages
    fractions = np.array([f for f, _ in calls])
    assert ((fractions >= 0) & (fractions <= 1)).all()
    # Within a stage the fraction does not go back.
    for stage in set(stages):
        f = [x for x, s in calls if s == stage]
        assert f == sorted(f), (stage, f)
    # The observer is set only during the call.
    assert _core._set_progress_observer(None) is None


def test_bar_follows_the_stages():
    """The bar restarts on each stage and ends full; an unfinished bar is left where it stopped."""
    import io

    cls = _progress.tqdm_class()
    out = io.StringIO()
    bar = _progress.Bar("demo")
    bar._bar.close()
    bar._bar = cls(total=1000, file=out, desc="demo", mininterval=0)
    bar.update(0.5, "count")
    assert bar._bar.n == 500 and "counting transitions" in bar._bar.desc
    bar.update(0.25, "fit")
    assert bar._bar.n == 250 and "fitting the chain" in bar._bar.desc
    bar.update(0.2, "fit")  # never backwards
    assert bar._bar.n == 250
    bar.close(completed=True)
    assert bar._bar.n == 1000


def test_an_observer_error_stops_the_call(events):
    seen = []

    def fail(fraction, stage):
        seen.append(stage)
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        jg.Journeys.from_events(events, **KW, progress=fail)
    assert seen == ["build"]
    assert _core._set_progress_observer(None) is None
    # The next call runs normally.
    assert len(jg.Journeys.from_events(events.head(1000), **KW)) > 0


def test_bad_progress_arguments(events):
    small = events.head(100)
    for bad in ("yes", 1.5):
        with pytest.raises(jg.JourneyGraphError, match="progress must be"):
            jg.Journeys.from_events(small, **KW, progress=bad)
    with pytest.raises(TypeError, match="callable"):
        _core._set_progress_observer(3)


CHILD = textwrap.dedent(
    """
    import json, os, signal, threading, time
    import numpy as np, pandas as pd
    import journeygraph as jg
    from journeygraph import _core

    # Journeys whose touchpoints only increase: many states of order 8, an acyclic chain, so the fit is
    # dominated by counting, which reports progress.
    J, L = 300_000, 20
    rng = np.random.default_rng(1)
    codes = (np.cumsum(rng.integers(1, 4, (J, L), dtype=np.int8), axis=1, dtype=np.int16) - 1).ravel()
    conv = np.zeros(J * L, dtype=bool)
    conv[L - 1 :: L * 7] = True
    names = [f"t{i:02d}" for i in range(int(codes.max()) + 1)]
    df = pd.DataFrame({"journey_id": np.repeat(np.arange(J, dtype=np.int64), L),
                       "touchpoint": pd.Categorical.from_codes(codes, names), "conversion": conv})
    journeys = jg.Journeys.from_events(df, time=None, conversion="conversion")

    def call():
        return jg.MarkovModel(order=8, threads=1).fit(journeys, progress=True)

    t = time.perf_counter()
    reference = call().to_bytes()
    full = time.perf_counter() - t
    sent = {}

    def fire():
        time.sleep(full * 0.25)
        sent["at"] = time.perf_counter()
        os.kill(os.getpid(), signal.SIGINT)

    helper = threading.Thread(target=fire)
    start = time.perf_counter()
    helper.start()
    outcome = "completed"
    try:
        call()
        time.sleep(0.5)
    except KeyboardInterrupt:
        outcome = "interrupted"
    end = time.perf_counter()
    helper.join()
    observer_left = _core._set_progress_observer(None) is not None
    again = call().to_bytes() == reference
    print(json.dumps({"outcome": outcome, "full": full, "latency": end - sent.get("at", end),
                      "elapsed": end - start, "observer_left": observer_left, "again": again}))
    """
)


def test_ctrl_c_with_a_bar_stops_promptly():
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    r = json.loads(done.stdout.strip().splitlines()[-1])
    assert r["outcome"] == "interrupted", r
    assert r["full"] > 0.4, r
    assert r["latency"] < 0.2 * r["full"] + 0.1, r
    assert r["elapsed"] < r["full"], r
    assert not r["observer_left"] and r["again"], r
    # The bars were drawn on stderr: the interrupted one stopped short of 100%.
    assert done.stderr.count("fit: counting transitions") >= 3


def test_bar_in_jupyter(tmp_path, monkeypatch):
    """In a Jupyter kernel the bar is a widget when ipywidgets is installed, else text on the cell's stderr."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    spec = tmp_path / "kernels" / "journeygraph-progress"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "journeygraph progress test", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(
        "import journeygraph as jg\n"
        "from journeygraph import _progress\n"
        "events = jg.datasets.synthetic_events(journeys=20000, seed=1)\n"
        "model = jg.MarkovModel().fit(jg.Journeys.from_events(events, conversion='conversion', time_unit='s'), progress=True)\n"
        "import tqdm.notebook\n"
        "print('widget' if issubclass(_progress.tqdm_class(), tqdm.notebook.tqdm) else 'text', model.n_states)"))
    nbclient.NotebookClient(nb, kernel_name="journeygraph-progress", timeout=120, allow_errors=False).execute()
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.output_type == "error"]
    stdout = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stdout")
    kind, states = stdout.split()
    stderr = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        assert kind == "text" and "fit" in stderr and "100%|" in stderr
        assert "IProgress" not in stderr and "Warning" not in stderr, stderr
    else:
        assert kind == "widget"
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert int(states) == 13  # START and the 12 touchpoints


# Every long call of the package takes progress=: (the call, as a function of the journeys and progress).
def stages_of(j):
    return pd.DataFrame({"touchpoint": j.touchpoints, "stage": [("aware", "consider", "buy")[i % 3]
                                                                for i in range(len(j.touchpoints))]})


LONG_CALLS = {
    "event_funnel": lambda j, p: j.event_funnel([j.touchpoints[0], j.touchpoints[1], "(conversion)"], progress=p),
    "funnel_trends": lambda j, p: j.funnel_trends(j.touchpoints[:2], window=86_400, period="day", progress=p),
    "explore_paths": lambda j, p: j.explore_paths(j.touchpoints[0], progress=p),
    "drivers": lambda j, p: j.drivers(progress=p),
    "JourneyMap": lambda j, p: jg.JourneyMap(j, stages_of(j), progress=p).nodes(),
    "choose_order": lambda j, p: jg.choose_order(j, max_order=2, progress=p),
    "calibration_table": lambda j, p: jg.calibration_table(j, {j.touchpoints[0]: 100.0}, progress=p),
    "sequence_removal_effects": lambda j, p: jg.sequence_removal_effects(j, top=3, order=1, progress=p),
    "score": lambda j, p: jg.MarkovModel().fit(j).score(j, progress=p),
    "score_open": lambda j, p: jg.score_open(j, window=86_400, progress=p),
    # The page's sections run attribution and the drivers: a long call of its own.
    "report": lambda j, p: jg.JourneyMap(j, stages_of(j)).report(models=["markov", "linear"], drivers=True, progress=p),
}


@pytest.fixture(scope="module")
def journeys(events):
    return jg.Journeys.from_events(events, **KW)


def same(a, b):
    if isinstance(a, str):  # the report's page: the same but for nothing
        assert a == b
        return
    for x, y in zip(a, b) if isinstance(a, tuple) else [(a, b)]:
        pd.testing.assert_frame_equal(x, y, check_exact=True)


@pytest.mark.parametrize("name", sorted(LONG_CALLS))
def test_every_long_call_reports_and_stops(journeys, name):
    call = LONG_CALLS[name]
    plain = call(journeys, False)
    calls = []
    same(call(journeys, lambda f, s: calls.append((f, s))), plain)
    assert calls, f"{name} reported nothing"
    assert all(0 <= f <= 1 for f, _ in calls), calls
    assert _core._set_progress_observer(None) is None

    def fail(fraction, stage):
        raise RuntimeError("stop " + name)

    with pytest.raises(RuntimeError, match="stop " + name):
        call(journeys, fail)
    assert _core._set_progress_observer(None) is None
    same(call(journeys, False), plain)
