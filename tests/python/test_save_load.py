"""Saved models and transition counts: bytes, files and pickles round-trip bit for bit; counts of disjoint
journeys merge exactly; damaged files are refused with the byte offset; attribution of a fitted model;
journeys without stored times."""

import math
import pickle

import numpy as np
import pandas as pd
import pytest

import journeygraph as jg

KW = dict(journey="journey_id", time="timestamp", touchpoint="touchpoint", conversion="conversion", value="value")


@pytest.fixture(scope="module")
def events():
    return jg.datasets.sample_events(3000, seed=11)


@pytest.fixture(scope="module")
def journeys(events):
    return jg.Journeys.from_events(events, **KW)


def assert_same_model(a: jg.MarkovModel, b: jg.MarkovModel) -> None:
    """Every result of two models is identical (no tolerance)."""
    assert (a.order, a.smoothing, a.self_loops) == (b.order, b.smoothing, b.self_loops)
    assert a.state_names() == b.state_names()
    pd.testing.assert_frame_equal(a.transitions(), b.transitions(), check_exact=True)
    assert a.conversion_probability == b.conversion_probability
    assert a.expected_value == b.expected_value
    assert a.totals == b.totals
    ra, rb = a.core.rows(), b.core.rows()
    for key in ra:
        assert np.array_equal(ra[key], rb[key]), key
    ea, eb = a.removal_effects(), b.removal_effects()
    pd.testing.assert_frame_equal(ea, eb, check_exact=True)
    assert ea.attrs == eb.attrs


@pytest.mark.parametrize("order,smoothing,self_loops", [(1, 0.0, "drop"), (2, 0.5, "drop"), (3, 0.0, "keep")])
def test_model_round_trips_bit_for_bit(journeys, tmp_path, order, smoothing, self_loops):
    model = jg.MarkovModel(order=order, smoothing=smoothing, self_loops=self_loops).fit(journeys)
    path = tmp_path / "model.jgm"
    model.save(path)
    data = model.to_bytes()
    assert path.read_bytes() == data
    for loaded in (jg.MarkovModel.load(path), jg.MarkovModel.load(str(path), threads=1),
                   jg.MarkovModel.from_bytes(data), jg.MarkovModel.from_bytes(bytearray(data)),
                   pickle.loads(pickle.dumps(model))):
        assert loaded.fitted
        assert_same_model(loaded, model)
        assert loaded.to_bytes() == data


def test_pickle_keeps_parameters_and_unfitted_models():
    fresh = pickle.loads(pickle.dumps(jg.MarkovModel(order=3, smoothing=0.25, self_loops="keep", threads=1)))
    assert not fresh.fitted and (fresh.order, fresh.smoothing, fresh.self_loops) == (3, 0.25, "keep")
    with pytest.raises(jg.JourneyGraphError, match="not fitted") as err:
        fresh.to_bytes()
    assert err.value.kind == "state"
    with pytest.raises(jg.JourneyGraphError, match="not fitted"):
        fresh.save("never-written.jgm")


def test_model_file_of_the_command_line_program(run_cli, pathdata, tmp_path):
    """A model saved by `journeygraph fit -o` loads in Python equal to the Python fit."""
    path = tmp_path / "cli.jgm"
    run_cli("fit", pathdata, "--paths", "--order", "2", "-o", path)
    loaded = jg.MarkovModel.load(path)
    mine = jg.MarkovModel(order=2).fit(jg.read_paths(pathdata))
    assert loaded.to_bytes() == mine.to_bytes()
    assert_same_model(loaded, mine)


def test_counts_round_trip_and_fit(journeys, tmp_path):
    counts = jg.TransitionCounts.count(journeys, order=2)
    assert counts.report == journeys.report.to_dict()
    data = counts.to_bytes()
    path = tmp_path / "counts.jgm"
    counts.save(path)
    assert path.read_bytes() == data
    for back in (jg.TransitionCounts.load(path), jg.TransitionCounts.from_bytes(data)):
        assert back == counts and back.to_bytes() == data and back.report is None
    pickled = pickle.loads(pickle.dumps(counts))
    assert pickled == counts and pickled.report == counts.report
    # Fitting counts equals fitting the journeys; the model's own counts are these counts.
    model = jg.MarkovModel(order=2, smoothing=0.5).fit(journeys)
    assert_same_model(counts.fit(smoothing=0.5), model)
    assert model.counts() == counts
    # A model file holds counts too; counts are not a model.
    assert jg.TransitionCounts.from_bytes(model.to_bytes()) == counts
    with pytest.raises(jg.JourneyGraphError, match="not a model"):
        jg.MarkovModel.load(path)


def test_counts_contents(journeys):
    counts = jg.TransitionCounts.count(journeys, order=1)
    t = counts.transitions()
    assert list(t.columns) == ["from", "to", "count"]
    # Independent count of order 1 from the journey columns: first touches, last touches, conversions.
    core = journeys.core
    offsets, touches = core.offsets, core.touches
    names = np.array(core.touchpoints)
    weight = core.conversions + core.nulls
    first = pd.Series(weight, index=names[touches[offsets[:-1]]]).groupby(level=0).sum()
    start = t[t["from"] == "(start)"].set_index("to")["count"]
    pd.testing.assert_series_equal(start.sort_index(), first[first > 0].sort_index(), check_names=False)
    ends = t[t["to"] == "(conversion)"].set_index("from")["count"]
    last = pd.Series(core.conversions, index=names[touches[offsets[1:] - 1]]).groupby(level=0).sum()
    pd.testing.assert_series_equal(ends.sort_index(), last[last > 0].sort_index(), check_names=False)
    totals = counts.totals
    assert totals["conversions"] == journeys.total_conversions and totals["rows"] == len(journeys)
    assert counts.touchpoints == sorted(journeys.touchpoints) and counts.order == 1
    assert "order 1" in repr(counts) and counts.self_loops == "drop"


def split_events(events: pd.DataFrame, parts: int, seed: int):
    """The events split into parts by journey (each part has its own touchpoint dictionary)."""
    ids = events["journey_id"].unique()
    rng = np.random.default_rng(seed)
    label = pd.Series(rng.integers(0, parts, len(ids)), index=ids)
    which = label.reindex(events["journey_id"]).to_numpy()
    out = []
    for p in range(parts):
        part = events[which == p].copy()
        part["touchpoint"] = part["touchpoint"].astype(str)  # a dictionary in order of first use
        out.append(part)
    return out


@pytest.mark.parametrize("order", [1, 2, 4])
def test_counts_of_disjoint_parts_merge_to_the_whole(events, journeys, order):
    whole = jg.TransitionCounts.count(journeys, order=order)
    parts = [jg.TransitionCounts.count(jg.Journeys.from_events(p, **KW), order=order)
             for p in split_events(events, 5, seed=order)]
    merged = parts[0].merge(*parts[1:])
    assert merged == whole and merged.to_bytes() == whole.to_bytes()
    # Any grouping and order of merging gives the same bits.
    other = parts[4].merge(parts[2]).merge(parts[0].merge(parts[3], parts[1]))
    assert other.to_bytes() == whole.to_bytes()
    assert merged.report["rows"] == len(events) and merged.report["journeys"] == len(journeys)
    assert_same_model(merged.fit(), jg.MarkovModel(order=order).fit(journeys))
    # The parts are unchanged by merging.
    assert parts[0] != whole


def test_fractional_weights_merge_exactly():
    """Naive float sums depend on their order; merged counts equal the correctly rounded total."""
    rng = np.random.default_rng(5)
    n = 4000
    letters = np.array(list("abcdef"))
    paths = [" > ".join(rng.choice(letters, rng.integers(1, 5))) for _ in range(n)]
    frame = pd.DataFrame({"path": paths, "total_conversions": rng.random(n) * 3, "total_null": rng.random(n) * 7,
                          "total_conversion_value": 0.0})
    frame["total_conversion_value"] = frame["total_conversions"] * rng.random(n) * 100
    whole = jg.TransitionCounts.count(jg.Journeys.from_paths(frame), order=2)
    pieces = [jg.TransitionCounts.count(jg.Journeys.from_paths(frame.iloc[i::7]), order=2) for i in range(7)]
    merged = pieces[6].merge(*pieces[:6])
    assert merged == whole
    assert merged.totals["conversions"] == math.fsum(frame["total_conversions"])
    assert merged.totals["value"] == math.fsum(frame["total_conversion_value"])
    assert merged.totals["nulls"] == math.fsum(frame["total_null"])
    # The naive sums in two orders differ, so the check above is not vacuous.
    v = frame["total_conversion_value"].to_numpy()
    assert sum(v.tolist()) != sum(v[::-1].tolist()) or sum(v.tolist()) != math.fsum(v)


def test_merge_refuses_different_orders_and_types(journeys):
    one = jg.TransitionCounts.count(journeys, order=1)
    with pytest.raises(jg.JourneyGraphError, match="order"):
        one.merge(jg.TransitionCounts.count(journeys, order=2))
    with pytest.raises(jg.JourneyGraphError, match="self"):
        one.merge(jg.TransitionCounts.count(journeys, order=1, self_loops="keep"))
    with pytest.raises(jg.JourneyGraphError, match="TransitionCounts"):
        one.merge("counts")
    with pytest.raises(jg.JourneyGraphError, match="Journeys"):
        jg.TransitionCounts.count(journeys.core)
    with pytest.raises(jg.JourneyGraphError, match="bytes"):
        jg.TransitionCounts.from_bytes("not bytes")
    with pytest.raises(jg.JourneyGraphError, match="order must be"):
        jg.TransitionCounts.count(journeys, order=0)


@pytest.mark.parametrize("what", ["model", "counts"])
def test_damaged_data_is_refused_with_the_byte_offset(journeys, tmp_path, what):
    obj = jg.MarkovModel(order=2).fit(journeys) if what == "model" else jg.TransitionCounts.count(journeys, 2)
    kind = jg.MarkovModel if what == "model" else jg.TransitionCounts
    good = obj.to_bytes()
    n = len(good)
    # Truncations, at the header, in the payload and in the checksum.
    for cut in (0, 5, 8, 23, 24, n // 3, n - 9, n - 1):
        with pytest.raises(jg.JourneyGraphError, match=r"<memory>: byte \d+: ") as err:
            kind.from_bytes(good[:cut])
        assert err.value.kind == "parse"
    # Single bit flips anywhere: header, payload, checksum.
    rng = np.random.default_rng(3)
    for pos in sorted(set([0, 7, 8, 12, 16, 24, n - 8, n - 1] + rng.integers(0, n, 40).tolist())):
        for bit in (0, 5):
            bad = bytearray(good)
            bad[pos] ^= 1 << bit
            with pytest.raises(jg.JourneyGraphError, match=r"byte \d+: "):
                kind.from_bytes(bytes(bad))
    # A flipped payload bit is a checksum mismatch at the payload's offset (24).
    bad = bytearray(good)
    bad[n // 2] ^= 0x10
    with pytest.raises(jg.JourneyGraphError, match="byte 24: checksum mismatch"):
        kind.from_bytes(bytes(bad))
    # A newer format version is named as such.
    newer = bytearray(good)
    newer[8] = 2
    with pytest.raises(jg.JourneyGraphError, match="newer than this library reads"):
        kind.from_bytes(bytes(newer))
    # Files: the message names the file; a missing file is an I/O error.
    path = tmp_path / f"{what}.jgm"
    path.write_bytes(good[: n - 3])
    with pytest.raises(jg.JourneyGraphError, match=rf"{path}: byte \d+: truncated"):
        kind.load(path)
    path.write_bytes(bytes(bad))
    with pytest.raises(jg.JourneyGraphError, match=rf"{path}: byte 24: checksum mismatch"):
        kind.load(path)
    with pytest.raises(jg.JourneyGraphError, match="cannot open") as err:
        kind.load(tmp_path / "missing.jgm")
    assert err.value.kind == "io"


def test_attribute_of_a_fitted_or_loaded_model(journeys, tmp_path):
    model = jg.MarkovModel(order=2).fit(journeys)
    model.save(tmp_path / "m.jgm")
    from_journeys = jg.attribute(journeys, models="markov", order=2)
    for m in (model, jg.MarkovModel.load(tmp_path / "m.jgm")):
        table = jg.attribute(m)
        assert list(table.columns) == ["removal_effect", "removal_effect_value", "markov", "markov_value"]
        # Every touchpoint of these journeys has positive weight, so the index is the same.
        pd.testing.assert_frame_equal(table, from_journeys, check_exact=True)
        for key in ("order", "models", "conversion_probability", "expected_value", "total_conversions"):
            assert table.attrs[key] == from_journeys.attrs[key], key
        pd.testing.assert_frame_equal(jg.attribute(m, models=["markov"], order=2), table, check_exact=True)
    with pytest.raises(jg.JourneyGraphError, match="need the journeys"):
        jg.attribute(model, models=["markov", "linear"])
    with pytest.raises(jg.JourneyGraphError, match="its own"):
        jg.attribute(model, order=3)
    with pytest.raises(jg.JourneyGraphError, match="not fitted"):
        jg.attribute(jg.MarkovModel())


def test_journeys_without_stored_times(events, journeys, tmp_path):
    lean = jg.Journeys.from_events(events, **KW, store_timestamps=False, lookback="30d")
    full = jg.Journeys.from_events(events, **KW, lookback="30d")
    assert full.has_timestamps and not lean.has_timestamps and len(lean.core.timestamps) == 0
    assert full.core.memory_bytes - lean.core.memory_bytes >= 8 * full.n_touches
    assert list(lean.to_frame()["path"]) == list(full.to_frame()["path"])
    assert np.array_equal(lean.core.conversions, full.core.conversions)
    assert lean.report.to_dict() == full.report.to_dict()
    assert jg.MarkovModel(order=2).fit(lean).to_bytes() == jg.MarkovModel(order=2).fit(full).to_bytes()
    csv = tmp_path / "events.csv"
    frame = events.copy()
    frame["timestamp"] = frame["timestamp"].astype("int64") // 10**9
    frame.to_csv(csv, index=False)
    read_lean = jg.read_events(csv, store_timestamps=False)
    read_full = jg.read_events(csv)
    assert read_full.has_timestamps and not read_lean.has_timestamps
    assert list(read_lean.to_frame()["path"]) == list(read_full.to_frame()["path"])
