"""journeygraph.dask: fits and attribution of dask DataFrames equal the single-process results (the chain bit
for bit), on local schedulers and on a LocalCluster of two worker processes; the per-partition functions."""

import inspect
import pickle

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

import journeygraph as jg  # noqa: E402
import journeygraph.dask as jgd  # noqa: E402

# distributed starts its event loop through tornado, which warns on Python 3.11; nothing else is filtered.
pytestmark = pytest.mark.filterwarnings("ignore:make_current is deprecated:DeprecationWarning")

# The synthetic times are seconds from 0: their unit is stated (epoch seconds before 1971 are refused).
KW = dict(journey="journey_id", time="timestamp", touchpoint="touchpoint", conversion="conversion", value="value",
          time_unit="s")


def scrambled_events(journeys: int, seed: int, tie_seconds: int = 3600, touchpoints: int = 12) -> pd.DataFrame:
    """Synthetic events in random row order, with times rounded so that many touches of a journey tie."""
    events = jg.datasets.synthetic_events(journeys=journeys, touchpoints=touchpoints, seed=seed)
    events = events.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    events["timestamp"] = events["timestamp"] // tie_seconds
    return events


def assert_same_model(a: jg.MarkovModel, b: jg.MarkovModel) -> None:
    assert a.to_bytes() == b.to_bytes()
    pd.testing.assert_frame_equal(a.transitions(), b.transitions(), check_exact=True)
    assert a.conversion_probability == b.conversion_probability
    assert a.expected_value == b.expected_value
    pd.testing.assert_frame_equal(a.removal_effects(), b.removal_effects(), check_exact=True)


def assert_same_attribution(dist: pd.DataFrame, local: pd.DataFrame) -> None:
    """Markov columns identical, heuristic ones equal to rounding, same index, columns and attributes."""
    assert list(dist.columns) == list(local.columns)
    assert dist.index.equals(local.index) and dist.index.name == local.index.name
    for column in dist.columns:
        if column.startswith("markov"):
            assert np.array_equal(dist[column].to_numpy(), local[column].to_numpy()), column
        else:
            np.testing.assert_allclose(dist[column].to_numpy(), local[column].to_numpy(), rtol=1e-12, atol=1e-9)
    for key in ("order", "models", "conversion_probability", "expected_value"):
        assert dist.attrs.get(key) == local.attrs.get(key), key
    for key in ("total_conversions", "total_nulls", "total_value"):
        assert dist.attrs[key] == pytest.approx(local.attrs[key], rel=1e-14), key


def dask_models(journeys: jg.Journeys) -> list:
    """The models jgd.attribute runs by default: markov and the additive ones that apply to the journeys."""
    return [m for m in jg.attribution_models(journeys) if m == "markov" or m in jgd.ADDITIVE_MODELS]


@pytest.fixture(scope="module")
def events():
    return scrambled_events(30_000, seed=3)


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
@pytest.mark.parametrize("order", [1, 2])
def test_fit_equals_the_local_fit(events, scheduler, order):
    local = jg.MarkovModel(order=order, smoothing=0.5).fit(jg.Journeys.from_events(events, **KW))
    with dask.config.set(scheduler=scheduler):
        ddf = dd.from_pandas(events, npartitions=7)
        assert_same_model(jgd.fit(ddf, order=order, smoothing=0.5, **KW), local)
        counts = jgd.count(ddf, order=order, split_every=2, **KW)
    assert counts == local.counts()
    # The partitions' build reports add up to the whole build's.
    whole = jg.Journeys.from_events(events, **KW).report.to_dict()
    assert counts.report == whole


def test_options_string_ids_and_table_order(events):
    frame = events.copy()
    frame["journey_id"] = "customer-" + frame["journey_id"].astype(str)
    frame["touchpoint"] = frame["touchpoint"].astype(str)
    # The times count hours (see scrambled_events): a lookback of 72 hours, a gap of 24.
    options = dict(lookback=72, gap=24, collapse_repeats=True, max_touches=5, split_on_conversion=False)
    with dask.config.set(scheduler="threads"):
        ddf = dd.from_pandas(frame, npartitions=5)
        for opts in (options, dict(time=None)):
            kw = {**KW, **opts}
            local = jg.MarkovModel(order=2, self_loops="keep").fit(jg.Journeys.from_events(frame, **kw))
            assert_same_model(jgd.fit(ddf, order=2, self_loops="keep", **kw), local)


def test_attribute_equals_the_local_attribution(events):
    journeys = jg.Journeys.from_events(events, **KW)
    every = dask_models(journeys)
    assert "time_decay" in every and "shapley" not in every
    params = dict(excluded=["tp002"], position_weights=(0.3, 0.5), half_life=36)
    with dask.config.set(scheduler="threads"):
        ddf = dd.from_pandas(events, npartitions=6)
        for models, local_models in ((None, None), ("all", every), (["linear", "markov"], None),
                                     ("last_touch", None), ("markov", None)):
            local = jg.attribute(journeys, models=local_models or models, order=2)
            assert_same_attribution(jgd.attribute(ddf, models=models, order=2, **KW), local)
        # The rule-based models with their parameters (time_decay reads the times the workers keep).
        rules = ["time_decay", "position_based", "last_non_direct", "participation", "j_curve", "inverse_j"]
        local = jg.attribute(journeys, models=rules, **params)
        assert_same_attribution(jgd.attribute(ddf, models=rules, **params, **KW), local)
        # Without a time column, "all" leaves out time_decay, as locally.
        untimed = {**KW, "time": None}
        plain = jg.Journeys.from_events(events, **untimed)
        expected = dask_models(plain)
        table = jgd.attribute(ddf, models="all", **untimed)
        assert table.attrs["models"] == expected and "time_decay" not in expected
        assert_same_attribution(table, jg.attribute(plain, models=expected))


def test_touchpoints_without_weight_and_empty_partitions():
    """More partitions than journeys (empty partitions after the shuffle); a touchpoint seen only in a
    journey of zero weight is credited 0, as locally."""
    frame = pd.DataFrame({
        "journey_id": [1, 1, 2, 3, 3, 4],
        "timestamp": [1, 2, 1, 5, 6, 1],
        "touchpoint": ["a", "b", "b", "c", "a", "a"],
        "conversion": [False, True, False, False, True, False],
        "value": [0.0, 10.0, 0.0, 0.0, 2.5, 0.0],
    })
    with dask.config.set(scheduler="sync"):
        ddf = dd.from_pandas(frame, npartitions=3).repartition(npartitions=12)
        journeys = jg.Journeys.from_events(frame, **KW)
        local = jg.attribute(journeys, models=dask_models(journeys))
        assert_same_attribution(jgd.attribute(ddf, models="all", **KW), local)
        assert_same_model(jgd.fit(ddf, **KW), jg.MarkovModel().fit(jg.Journeys.from_events(frame, **KW)))


def test_presorted_partitions_need_no_shuffle(events):
    """Data already partitioned by journey: shuffle=False counts in place; a split journey shows."""
    ordered = events.sort_values(["journey_id"], kind="stable").reset_index(drop=True)
    ids = ordered["journey_id"].to_numpy()
    cuts = np.searchsorted(ids, [ids[len(ids) * i // 4] for i in range(1, 4)])
    parts = np.split(np.arange(len(ordered)), cuts)
    ddf = dd.from_delayed([dask.delayed(ordered.iloc[p]) for p in parts], meta=ordered.head(0))
    local = jg.MarkovModel(order=2).fit(jg.Journeys.from_events(ordered, **KW))
    with dask.config.set(scheduler="sync"):
        assert_same_model(jgd.fit(ddf, order=2, shuffle=False, **KW), local)
        # A partition boundary inside a journey changes the counts: the shuffle is what prevents it.
        split = dd.from_pandas(ordered, npartitions=4, sort=False)
        assert jgd.count(split, order=2, shuffle=False, **KW) != local.counts()
        assert jgd.count(split, order=2, **KW) == local.counts()


def test_per_partition_functions(events):
    """count_partition and credit_partition on pandas parts of whole journeys add up to the whole."""
    label = events["journey_id"] % 5
    parts = [events[label == i] for i in range(5)] + [events.head(0)]
    counts = [jgd.count_partition(p, order=2, **KW) for p in parts]
    assert counts[-1] is None
    journeys = jg.Journeys.from_events(events, **KW)
    assert jgd.merge_counts(pickle.loads(pickle.dumps(c)) for c in counts) == jg.TransitionCounts.count(journeys, 2)
    credit = [jgd.credit_partition(p, ["linear", "first_touch"], **KW) for p in parts]
    assert credit[-1] is None
    total = pd.concat([c for c in credit if c is not None]).groupby(level=0).sum()
    local = jg.attribute(journeys, models=["linear", "first_touch"])
    np.testing.assert_allclose(total[local.columns].to_numpy(), local.to_numpy(), rtol=1e-12)
    with pytest.raises(jg.JourneyGraphError, match="markov is not a sum"):
        jgd.credit_partition(parts[0], ["markov"], **KW)
    with pytest.raises(jg.JourneyGraphError, match="every partition is empty"):
        jgd.merge_counts([None, None])


def test_progress_bar_under_a_local_scheduler(events, capsys):
    with dask.config.set(scheduler="threads"):
        ddf = dd.from_pandas(events, npartitions=4)
        plain = jgd.fit(ddf, **KW)
        capsys.readouterr()
        shown = jgd.fit(ddf, progress=True, **KW)
        err = capsys.readouterr().err
        seen = []
        jgd.count(ddf, progress=lambda f, s: seen.append((f, s)), **KW)
    assert "fit: tasks" in err and "100%|" in err
    assert shown.to_bytes() == plain.to_bytes()
    assert seen and seen[-1] == (1.0, "tasks") and all(0 < f <= 1 for f, _ in seen)


def test_bad_input(events):
    ddf = dd.from_pandas(events.head(100), npartitions=2)
    with pytest.raises(jg.JourneyGraphError, match="expects a dask DataFrame"):
        jgd.fit(events, **KW)
    with pytest.raises(jg.JourneyGraphError, match="no column 'channel'; the dask DataFrame has columns"):
        jgd.fit(ddf, **{**KW, "touchpoint": "channel"})
    with pytest.raises(jg.JourneyGraphError, match="needs a conversion column"):
        jgd.fit(ddf, **{**KW, "conversion": None})
    with pytest.raises(jg.JourneyGraphError, match="order must be"):
        jgd.fit(ddf, order=0, **KW)
    with pytest.raises(jg.JourneyGraphError, match="split_every"):
        jgd.fit(ddf, split_every=1, **KW)
    with pytest.raises(jg.JourneyGraphError, match="unknown"):
        jgd.attribute(ddf, models=["nope"], **KW)
    with pytest.raises(jg.JourneyGraphError, match="no rows"):
        jgd.fit(dd.from_pandas(events.head(0), npartitions=1), **KW)
    no_conversions = events.head(100).assign(conversion=False, value=0.0)
    with pytest.raises(jg.JourneyGraphError, match="no conversions"):
        jgd.attribute(dd.from_pandas(no_conversions, npartitions=2), **KW)
    with pytest.raises(jg.JourneyGraphError, match="non-integer id nan"):
        with dask.config.set(scheduler="sync"):
            jgd.fit(dd.from_pandas(events.head(100).assign(journey_id=np.nan), npartitions=2), **KW)


def test_non_additive_models_are_refused(events):
    ddf = dd.from_pandas(events.head(100), npartitions=2)
    for name in ("shapley", "ordered_shapley"):
        with pytest.raises(jg.JourneyGraphError, match=f"'{name}' is not available on Dask"):
            jgd.attribute(ddf, models=["markov", name], **KW)
    with pytest.raises(jg.JourneyGraphError, match="position_weights"):
        jgd.attribute(ddf, models="position_based", position_weights=0.5, **KW)


def test_public_functions_have_numpydoc():
    assert jg.dask is jgd
    assert jgd.__doc__ and "mapInPandas" in jgd.__doc__ and "Client(" in jgd.__doc__
    for name in jgd.__all__:
        obj = getattr(jgd, name)
        doc = inspect.getdoc(obj)
        assert doc and "Parameters\n----------" in doc and "Returns\n-------" in doc, name
        for p in inspect.signature(obj).parameters:
            assert p in doc, (name, p)


# ---------------------------------------------------------------------------------------- LocalCluster


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def million():
    events = scrambled_events(252_000, seed=8, tie_seconds=600, touchpoints=20)
    assert len(events) >= 1_000_000
    return events


def test_local_cluster_fit_of_a_million_touches(client, million, capsys):
    ddf = dd.from_pandas(million, npartitions=16)
    assert ddf.npartitions == 16
    journeys = jg.Journeys.from_events(million, **KW)
    for order in (1, 2):
        local = jg.MarkovModel(order=order).fit(journeys)
        dist = jgd.fit(ddf, order=order, **KW, progress=order == 2)
        assert_same_model(dist, local)
        # The fitted model travels to a worker (pickled through its bytes) and answers the same there.
        remote = client.submit(lambda m: m.removal_effects(), dist).result()
        pd.testing.assert_frame_equal(remote, local.removal_effects(), check_exact=True)
    err = capsys.readouterr().err
    assert "fit: tasks" in err and "100%|" in err
    assert_same_attribution(jgd.attribute(ddf, models="all", **KW),
                            jg.attribute(journeys, models=dask_models(journeys)))


def test_time_format_and_time_unit_reach_the_core(events):
    """Times in a pattern, or epoch milliseconds, are read on the workers as Journeys.from_events reads them."""
    small = events.head(3000).copy()
    stamps = pd.to_datetime(small["timestamp"] * 3600 + 1_767_225_600, unit="s")
    kw = dict(KW, time_unit=None)
    texts = small.assign(timestamp=stamps.dt.strftime("%d.%m.%Y %H:%M"))
    local = jg.Journeys.from_events(texts, time_format="%d.%m.%Y %H:%M", gap="2h", **kw)
    ddf = dd.from_pandas(texts, npartitions=3)
    with dask.config.set(scheduler="sync"):
        counts = jgd.count(ddf, time_format="%d.%m.%Y %H:%M", gap="2h", order=2, **kw)
    assert counts == jg.TransitionCounts.count(local, 2)
    assert jgd.count_partition(texts, time_format="%d.%m.%Y %H:%M", gap="2h", order=2, **kw) == counts
    # Without the pattern the text cannot be read (as Journeys.from_events cannot), and the error says so.
    with pytest.raises(jg.JourneyGraphError, match="invalid timestamp"):
        jgd.count_partition(texts, gap="2h", **kw)
    # Epoch milliseconds with their unit stated give the journeys of epoch seconds.
    millis = small.assign(timestamp=(stamps.astype("int64") // 10**6))
    by_ms = jgd.count_partition(millis, gap="2h", order=2, **dict(kw, time_unit="ms"))
    assert by_ms == counts
    with pytest.raises(jg.JourneyGraphError, match="time_format must be a string"):
        jgd.count_partition(texts, time_format=5, **kw)
