"""Journeys.from_events: dtypes, zero-copy hand-over, options, and errors."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import journeygraph as jg


# 2026-01-01T00:00:00Z in epoch seconds: times are seconds after it (epoch seconds before 1971 are refused).
T0 = 1_767_225_600


def small_events() -> pd.DataFrame:
    return pd.DataFrame({
        "cid": np.array([7, 7, 7, 9, 9, 7, 3], dtype=np.int64),
        "ts": T0 + np.array([10, 30, 20, 5, 6, 4000, 1], dtype=np.int64),
        "channel": pd.Categorical(["email", "store", "search", "search", "email", "store", "ads"]),
        "bought": np.array([False, True, False, False, False, False, True]),
        "amount": np.array([0.0, 12.5, 0.0, 0.0, 0.0, 0.0, 3.0]),
    })


def journeys_table(j: jg.Journeys) -> list:
    f = j.to_frame()
    return list(zip(f["path"], f["conversions"], f["nulls"], f["value"]))


def test_grouping_ordering_and_splitting():
    j = jg.Journeys.from_events(small_events(), journey="cid", time="ts", touchpoint="channel",
                                conversion="bought", value="amount")
    # Journey 7: email(10) search(20) store(30, converts) | store(4000); 9: search email; 3: ads (converts).
    assert journeys_table(j) == [
        ("email > search > store", 1.0, 0.0, 12.5),
        ("store", 0.0, 1.0, 0.0),
        ("search > email", 0.0, 1.0, 0.0),
        ("ads", 1.0, 0.0, 3.0),
    ]
    assert j.report.reordered_events == 1
    assert j.report.splits_at_conversion == 1
    assert len(j) == 4 and j.n_touches == 7
    assert j.totals == {"journeys": 4.0, "touches": 7.0, "conversions": 2.0, "nulls": 2.0, "value": 15.5}
    assert j.has_timestamps and j.time_unit == "s"


def test_options_gap_lookback_collapse_max_touches():
    df = small_events()
    assert journeys_table(jg.Journeys.from_events(df, "cid", "ts", "channel", "bought", split_on_conversion=False))[0] == (
        "email > search > store > store", 1.0, 0.0, 0.0)
    collapsed = jg.Journeys.from_events(df, "cid", "ts", "channel", "bought", split_on_conversion=False,
                                        collapse_repeats=True)
    assert journeys_table(collapsed)[0] == ("email > search > store", 1.0, 0.0, 0.0)
    assert collapsed.report.repeats_collapsed == 1
    gap = jg.Journeys.from_events(df, "cid", "ts", "channel", "bought", split_on_conversion=False, gap="1h")
    assert gap.report.splits_at_gap == 1
    lookback = jg.Journeys.from_events(df, "cid", "ts", "channel", "bought", lookback=15)
    assert journeys_table(lookback)[0][0] == "search > store"
    assert lookback.report.touches_dropped_lookback == 1
    short = jg.Journeys.from_events(df, "cid", "ts", "channel", "bought", max_touches=2)
    assert journeys_table(short)[0][0] == "search > store"


@pytest.mark.parametrize("lookback", [15, 15.0, "15s", pd.Timedelta(seconds=15), dt.timedelta(seconds=15),
                                      np.timedelta64(15, "s")])
def test_duration_forms_agree(lookback):
    j = jg.Journeys.from_events(small_events(), "cid", "ts", "channel", "bought", lookback=lookback)
    assert j.report.touches_dropped_lookback == 1


def test_time_forms_give_the_same_journeys():
    df = small_events()
    base = journeys_table(jg.Journeys.from_events(df, "cid", "ts", "channel", "bought", "amount"))
    forms = {
        "datetime": pd.to_datetime(df["ts"], unit="s"),
        "tz-aware": pd.to_datetime(df["ts"], unit="s", utc=True).dt.tz_convert("America/New_York"),
        "strings": pd.to_datetime(df["ts"], unit="s").dt.strftime("%Y-%m-%dT%H:%M:%S"),
        "offset strings": pd.to_datetime(df["ts"], unit="s", utc=True).dt.tz_convert("Asia/Tokyo").dt.strftime(
            "%Y-%m-%dT%H:%M:%S%z"),
        "milliseconds": df["ts"] * 1000,
        "int32": df["ts"].astype(np.int32),
    }
    for name, col in forms.items():
        other = df.assign(ts=col)
        unit = "ms" if name == "milliseconds" else "s"
        j = jg.Journeys.from_events(other, "cid", "ts", "channel", "bought", "amount", time_unit=unit, gap="1h",
                                    split_on_conversion=False)
        ref = jg.Journeys.from_events(df, "cid", "ts", "channel", "bought", "amount", gap="1h",
                                      split_on_conversion=False)
        assert journeys_table(j) == journeys_table(ref), name
        assert journeys_table(jg.Journeys.from_events(other, "cid", "ts", "channel", "bought", "amount",
                                                      time_unit=unit)) == base, name


def test_id_and_touchpoint_forms_give_the_same_journeys():
    df = small_events()
    base = journeys_table(jg.Journeys.from_events(df, "cid", "ts", "channel", "bought", "amount"))
    variants = [
        df.assign(cid=df["cid"].map({7: "anna", 9: "ben", 3: "cleo"})),
        df.assign(cid=df["cid"].astype(np.uint16)),
        df.assign(cid=df["cid"].astype("Int64")),
        df.assign(cid=df["cid"].astype(float)),
        df.assign(channel=df["channel"].astype(str)),
        df.assign(channel=df["channel"].astype("string")),
        df.assign(bought=df["bought"].astype(int)),
        df.assign(bought=df["bought"].astype("boolean")),
        df.assign(amount=df["amount"].astype(np.float32)),
    ]
    for i, other in enumerate(variants):
        assert journeys_table(jg.Journeys.from_events(other, "cid", "ts", "channel", "bought", "amount")) == base, i


def test_no_time_column_keeps_row_order():
    j = jg.Journeys.from_events(small_events(), "cid", None, "channel", "bought")
    assert journeys_table(j)[0][0] == "email > store"
    assert not j.has_timestamps
    with pytest.raises(jg.JourneyGraphError, match="lookback needs timestamps"):
        jg.Journeys.from_events(small_events(), "cid", None, "channel", "bought", lookback="1d")


def test_categorical_codes_and_columns_are_borrowed(monkeypatch):
    """The arrays handed to the core are views of the DataFrame's memory, not copies."""
    df = small_events()
    seen = {}
    real = jg._core.build_journeys

    def spy(journey, time, unit, touchpoint, names, conversion, value, segment, segment_names, *rest):
        seen.update(journey=journey, time=time, touchpoint=touchpoint, conversion=conversion, value=value,
                    segment=segment, names=names, unit=unit)
        return real(journey, time, unit, touchpoint, names, conversion, value, segment, segment_names, *rest)

    monkeypatch.setattr(jg._core, "build_journeys", spy)
    df["when"] = pd.to_datetime(df["ts"], unit="s", utc=True).dt.tz_convert("Europe/Berlin")
    df["device"] = pd.Categorical(["m", "m", "m", "d", "d", "m", "d"])
    jg.Journeys.from_events(df, "cid", "when", "channel", "bought", "amount", segment="device")
    assert np.shares_memory(seen["journey"], df["cid"].to_numpy())
    assert np.shares_memory(seen["time"], df["when"].values)
    assert seen["unit"] == "ns"
    assert seen["touchpoint"].dtype == np.int8
    assert np.shares_memory(seen["touchpoint"], df["channel"].array.codes)
    assert np.shares_memory(seen["segment"], df["device"].array.codes)
    assert np.shares_memory(seen["conversion"], df["bought"].to_numpy())
    assert np.shares_memory(seen["value"], df["amount"].to_numpy())
    assert seen["names"] == ["ads", "email", "search", "store"]
    jg.Journeys.from_events(df, "cid", "ts", "channel")
    assert np.shares_memory(seen["time"], df["ts"].to_numpy())
    assert seen["unit"] == "s"


def test_segments():
    df = small_events().assign(device=["m", "m", "m", "d", "d", "m", "d"])
    j = jg.Journeys.from_events(df, "cid", "ts", "channel", "bought", "amount", segment="device")
    assert j.segments == ["m", "d"]
    assert j.to_frame()["segment"].tolist() == ["m", "m", "d", "d"]
    assert len(j.segment("d")) == 2
    with pytest.raises(jg.JourneyGraphError, match="unknown segment 'x'"):
        j.segment("x")


def test_unused_categories_are_dropped():
    df = small_events()
    df["channel"] = df["channel"].cat.add_categories(["never"])
    assert "never" not in jg.Journeys.from_events(df, "cid", "ts", "channel").touchpoints


def test_missing_column_lists_the_columns():
    with pytest.raises(jg.JourneyGraphError) as err:
        jg.Journeys.from_events(small_events(), journey="customer", time="ts", touchpoint="channel")
    assert "no journey column 'customer'" in str(err.value)
    assert "'cid', 'ts', 'channel', 'bought', 'amount'" in str(err.value)
    with pytest.raises(jg.JourneyGraphError, match="no value column 'revenue'"):
        jg.Journeys.from_events(small_events(), "cid", "ts", "channel", "bought", value="revenue")


@pytest.mark.parametrize("change, message", [
    (lambda df: df.assign(cid=df["cid"].astype(object).where(df.index != 2, None)), "missing id at row 2"),
    (lambda df: df.assign(cid=df["cid"] + 0.5), "non-integer id"),
    (lambda df: df.assign(ts=pd.to_datetime(df["ts"], unit="s").where(df.index != 1)), r"missing time \(NaT\)"),
    (lambda df: df.assign(ts=df["ts"] > 0), "has dtype bool: give epoch numbers"),
    (lambda df: df.assign(ts=df["ts"].astype(float) * 1e6), "2200"),
    (lambda df: df.assign(ts=["x"] * 7), 'row 0 \\(index label 0\\): invalid timestamp "x"'),
    (lambda df: df.assign(channel=df["channel"].astype(object).where(df.index != 3, None)), "missing value at row 3"),
    (lambda df: df.assign(channel=pd.Categorical(["a", "", "a", "a", "a", "a", "a"])), "empty"),
    (lambda df: df.assign(bought=["yes"] * 7), "conversion column 'bought' has dtype object"),
    (lambda df: df.assign(amount=[0.0, -1.0, 0, 0, 0, 0, 3.0]), "is not a finite number >= 0"),
    (lambda df: df.assign(amount=[0.0, np.nan, 0, 0, 0, 0, 3.0]), "NaN"),
])
def test_bad_values_raise_clear_errors(change, message):
    with pytest.raises(jg.JourneyGraphError, match=message):
        jg.Journeys.from_events(change(small_events()), "cid", "ts", "channel", "bought", "amount")


@pytest.mark.parametrize("kwargs, message", [
    ({"lookback": "soon"}, "soon"),
    ({"gap": -5}, "gap must be a finite number of seconds >= 0"),
    ({"lookback": True}, "lookback must be seconds"),
    ({"max_touches": -1}, "max_touches must be an integer >= 0"),
    ({"time_unit": "h"}, 'unknown time unit "h"'),
    ({"value": "amount", "conversion": None}, "a value column needs a conversion column"),
])
def test_bad_options_raise_clear_errors(kwargs, message):
    args = dict(journey="cid", time="ts", touchpoint="channel", conversion="bought")
    args.update(kwargs)
    with pytest.raises(jg.JourneyGraphError, match=message):
        jg.Journeys.from_events(small_events(), **args)


def test_not_a_dataframe():
    with pytest.raises(jg.JourneyGraphError, match="expects a pandas DataFrame"):
        jg.Journeys.from_events({"a": [1]})


def test_events_equal_the_csv_reader(tmp_path):
    """from_events and the C++ CSV reader make identical journeys from the same events."""
    events = jg.datasets.sample_events(3000, seed=7)
    csv = tmp_path / "events.csv"
    out = events.assign(timestamp=events["timestamp"].astype(np.int64) // 10**9, conversion=events["conversion"].astype(int))
    out.to_csv(csv, index=False, float_format="%.17g")
    options = dict(lookback="20d", gap="3d", collapse_repeats=True, max_touches=6)
    a = jg.Journeys.from_events(events, conversion="conversion", value="value", segment="device", **options)
    b = jg.read_events(csv, segment="device", **options)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    assert a.report.to_dict() | {"notes": []} == b.report.to_dict() | {"notes": []}
