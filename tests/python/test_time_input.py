"""Times, ids and paths from the user's side: nothing is guessed, every refusal names the row and the value.

Time columns of any dtype are read with the CSV reader's rules (epoch numbers in the stated unit, checked
seconds by default; ISO-8601 or time_format text); journey ids outside the 64-bit range are refused; a
paths file or DataFrame split with the wrong separator is refused naming the one it uses.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import journeygraph as jg

# 2026-01-01T00:00:00Z in epoch seconds, written out so that the tests do not lean on the library's clock.
T0 = 1_767_225_600
HOUR = 3600


def raises(fn, *fragments: str) -> jg.JourneyGraphError:
    with pytest.raises(jg.JourneyGraphError) as err:
        fn()
    for fragment in fragments:
        assert fragment in str(err.value), (fragment, str(err.value))
    return err.value


def events(ts, **columns) -> pd.DataFrame:
    """Customer 1: a (T0), b (T0 + 2h), c (T0 + 2h + 10 s, converts); customer 2: a (T0 + 5h), b (T0 + 5h + 1 s)."""
    data = {
        "journey_id": [1, 1, 1, 2, 2],
        "timestamp": ts,
        "touchpoint": ["a", "b", "c", "a", "b"],
        "conversion": [False, False, True, False, False],
    }
    data.update(columns)
    return pd.DataFrame(data)


SECONDS = [T0, T0 + 2 * HOUR, T0 + 2 * HOUR + 10, T0 + 5 * HOUR, T0 + 5 * HOUR + 1]
STARTS = pd.to_datetime([T0, T0 + 2 * HOUR, T0 + 5 * HOUR], unit="s")  # with gap="1h": three journeys


def summary(j: jg.Journeys) -> list:
    """(path, conversions, nulls, start time in ns) of every journey: comparable across stored units."""
    f = j.to_frame()
    starts = f["start_time"].astype("datetime64[ns]").astype(np.int64)
    return list(zip(f["path"], f["conversions"], f["nulls"], starts))


def expected_with_gap() -> list:
    ns = STARTS.astype("datetime64[ns]").astype(np.int64)
    return [("a", 0.0, 1.0, ns[0]), ("b > c", 1.0, 0.0, ns[1]), ("a > b", 0.0, 1.0, ns[2])]


# ------------------------------------------------------------------------------------------- epoch numbers


def test_epoch_seconds_give_the_same_journeys_in_every_dtype():
    as_int = jg.Journeys.from_events(events(np.array(SECONDS, dtype=np.int64)), gap="1h")
    # The gap splits customer 1 after its first touch: read as nanoseconds (pandas' reading of integers) it
    # would make one journey of customer 1, not two.
    assert summary(as_int) == expected_with_gap()
    for ts in (np.array(SECONDS, dtype=object), np.array(SECONDS, dtype=np.float64),
               pd.array(SECONDS, dtype="Int64"), np.array(SECONDS, dtype=np.int32).astype(np.int64),
               np.array([str(s) for s in SECONDS], dtype=object)):
        j = jg.Journeys.from_events(events(ts), gap="1h")
        assert summary(j) == summary(as_int), type(ts)
        assert j.time_kind == "epoch" and j.epoch_unit == "s"
    assert as_int.time_kind == "epoch" and as_int.epoch_unit == "s"


def test_fractional_epoch_seconds_are_kept_to_the_millisecond():
    ts = np.array(SECONDS, dtype=np.float64)
    ts[1] += 0.25
    j = jg.Journeys.from_events(events(ts))
    assert j.time_unit == "ms"
    assert j.core.timestamps[1] == (T0 + 2 * HOUR) * 1000 + 250


@pytest.mark.parametrize("dtype", [np.int64, object, np.float64])
def test_epoch_microseconds_are_refused_with_the_hint_then_read_with_time_unit(dtype):
    micro = np.array([s * 1_000_000 for s in SECONDS], dtype=dtype)
    raises(lambda: jg.Journeys.from_events(events(micro)), 'time column "timestamp", row 0 (index label 0)',
           str(SECONDS[0] * 1_000_000), "2200", "in us 2026-01-01T00:00:00Z", 'time_unit="us"')
    j = jg.Journeys.from_events(events(micro), time_unit="us", gap="1h")
    assert summary(j) == expected_with_gap()
    assert j.epoch_unit == "us" and j.time_unit == "us"


def test_small_epoch_numbers_need_the_unit_stated():
    raises(lambda: jg.Journeys.from_events(events([1, 2, 3, 4, 5])), 'time column "timestamp"', "1971")
    j = jg.Journeys.from_events(events([1, 2, 3, 4, 5]), time_unit="s")
    assert [p for p, *_ in summary(j)] == ["a > b > c", "a > b"]


def test_ids_and_times_outside_the_64_bit_range_are_refused():
    raises(lambda: jg.Journeys.from_events(events(SECONDS, journey_id=[1.0, 1.0, 1e19, 2.0, 2.0])),
           "journey column 'journey_id' holds the id 1e+19 at row 2 (index label 2), outside the 64-bit integer range")
    raises(lambda: jg.Journeys.from_events(events(SECONDS, journey_id=[-1e19, 1.0, 1.0, 2.0, 2.0])),
           "holds the id -1e+19 at row 0 (index label 0)")
    raises(lambda: jg.Journeys.from_events(events(SECONDS, journey_id=[1.0, np.nan, 1.0, 2.0, 2.0])),
           "holds a non-integer id nan at row 1 (index label 1)")
    raises(lambda: jg.Journeys.from_events(events(SECONDS, journey_id=np.array([1, 1, 2**64 - 1, 2, 2], dtype=np.uint64))),
           f"holds the id {2**64 - 1} at row 2 (index label 2)")
    # 2^63 - 1024 is the largest float64 below 2^63: it fits and stays its own journey.
    j = jg.Journeys.from_events(events(SECONDS, journey_id=[1.0, 1.0, 1.0, 2.0**63 - 1024, 2.0**63 - 1024]))
    assert len(j) == 2
    big = np.array(SECONDS, dtype=object)
    big[3] = 2**70
    raises(lambda: jg.Journeys.from_events(events(big)), 'time column "timestamp", row 3 (index label 3)',
           str(2**70), "64-bit range")


# ------------------------------------------------------------------------------------------- text


def test_day_first_text_is_refused_with_both_patterns_then_read_with_time_format():
    text = ["03/04/2026 14:00", "03/04/2026 16:00", "03/04/2026 16:05", "13/04/2026 09:00", "13/04/2026 09:01"]
    raises(lambda: jg.Journeys.from_events(events(text)), 'time column "timestamp", row 0 (index label 0)',
           '"03/04/2026 14:00"', "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M")
    j = jg.Journeys.from_events(events(text), time_format="%d/%m/%Y %H:%M")
    f = j.to_frame()
    assert list(f["start_time"]) == [pd.Timestamp("2026-04-03 14:00"), pd.Timestamp("2026-04-13 09:00")]
    assert j.time_kind == "dates"
    # pandas' string dtype goes the same way.
    same = jg.Journeys.from_events(events(pd.array(text, dtype="string")), time_format="%d/%m/%Y %H:%M")
    assert summary(same) == summary(j)


def test_iso_text_with_offsets_equals_the_epoch_seconds():
    iso = [pd.Timestamp(s, unit="s", tz="UTC").tz_convert("Europe/Paris").isoformat() for s in SECONDS]
    assert iso[0] == "2026-01-01T01:00:00+01:00"
    assert summary(jg.Journeys.from_events(events(iso), gap="1h")) == expected_with_gap()


def test_a_column_mixing_numbers_and_text_is_refused_naming_the_row():
    mixed = np.array(SECONDS, dtype=object)
    mixed[2] = "2026-01-01T02:00:10Z"
    df = events(mixed).set_axis(["p", "q", "r", "s", "t"])
    raises(lambda: jg.Journeys.from_events(df), "time column \"timestamp\", row 2 (index label 'r')",
           '"2026-01-01T02:00:10Z"', "row 0 (index label 'p')", "one kind of time per column")


def test_missing_and_odd_cells_are_named():
    for missing in (None, np.nan, pd.NaT, pd.NA):
        ts = np.array(SECONDS, dtype=object)
        ts[1] = missing
        raises(lambda: jg.Journeys.from_events(events(ts)), 'time column "timestamp", row 1 (index label 1)', "missing")
    ts = np.array(SECONDS, dtype=object)
    ts[4] = True
    raises(lambda: jg.Journeys.from_events(events(ts)), "row 4 (index label 4)", "True", "is not a time")
    ts[4] = b"1767243600"
    raises(lambda: jg.Journeys.from_events(events(ts)), "row 4 (index label 4)", "bytes", "is not a time")


def test_datetime_columns_are_dates():
    j = jg.Journeys.from_events(events(pd.to_datetime(SECONDS, unit="s")), gap="1h")
    assert summary(j) == expected_with_gap()
    assert j.time_kind == "dates"
    objects = np.array(list(pd.to_datetime(SECONDS, unit="s")), dtype=object)  # Timestamp objects
    assert summary(jg.Journeys.from_events(events(objects), gap="1h")) == expected_with_gap()


# ------------------------------------------------------------------------------------------- CSV files


def test_read_events_takes_time_format_and_time_unit(tmp_path):
    day_first = tmp_path / "day_first.csv"
    day_first.write_text("journey_id,timestamp,touchpoint,conversion\n1,03/04/2026 14:00,a,0\n1,03/04/2026 15:00,b,1\n")
    raises(lambda: jg.read_events(day_first), str(day_first), "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M")
    j = jg.read_events(day_first, time_format="%d/%m/%Y %H:%M")
    assert list(j.to_frame()["start_time"]) == [pd.Timestamp("2026-04-03 14:00")]
    micro = tmp_path / "micro.csv"
    micro.write_text("journey_id,timestamp,touchpoint,conversion\n"
                     + "".join(f"1,{s * 1_000_000},{t},0\n" for s, t in zip(SECONDS[:3], "abc")))
    raises(lambda: jg.read_events(micro), str(micro), "2200")
    j = jg.read_events(micro, time_unit="us")
    assert j.epoch_unit == "us" and j.time_kind == "epoch"
    assert list(j.to_frame()["start_time"]) == [pd.Timestamp(T0, unit="s")]


# ------------------------------------------------------------------------------------------- split_at


def test_split_at_reads_the_instant_the_way_the_times_were_given():
    j = jg.Journeys.from_events(events(SECONDS), gap="1h")
    at = T0 + 3 * HOUR  # between the second and third journeys' starts
    for instant in (at, float(at), str(at), "2026-01-01T03:00:00Z", "2026-01-01T04:00:00+01:00",
                    pd.Timestamp(at, unit="s"), dt.datetime(2026, 1, 1, 3), np.datetime64(at, "s"),
                    pd.Timestamp(at, unit="s", tz="UTC").tz_convert("America/New_York")):
        before, after = j.split_at(instant)
        assert [p for p, *_ in summary(before)] == ["a", "b > c"], instant
        assert [p for p, *_ in summary(after)] == ["a > b"], instant
    raises(lambda: j.split_at(60), "split at 1970-01-01T00:01:00Z", "before it, so the first part is empty")
    raises(lambda: j.split_at(T0 + 9 * HOUR), "at or after it, so the second part is empty")


def test_split_at_refuses_a_bare_number_for_dated_journeys():
    j = jg.Journeys.from_events(events(pd.to_datetime(SECONDS, unit="s")), gap="1h")
    raises(lambda: j.split_at(T0 + 3 * HOUR), "is a bare number, but the journeys' times were given as dates")
    before, after = j.split_at("2026-01-01 03:00")
    assert (len(before), len(after)) == (2, 1)
    raises(lambda: j.split_at(True), "an instant must be")
    text = jg.Journeys.from_events(events([f"03/01/2026 {h}" for h in
                                           ("00:00", "02:00", "02:00", "05:00", "05:00")]),
                                   time_format="%m/%d/%Y %H:%M", gap="1h")
    before, after = text.split_at("03/01/2026 03:00", time_format="%m/%d/%Y %H:%M")
    assert (len(before), len(after)) == (2, 1)
    no_times = jg.Journeys.from_events(events(SECONDS), time=None)
    err = raises(lambda: no_times.split_at("2026-01-01"), "timestamps")
    assert err.kind == "state"


def test_time_window_reads_its_bounds_as_split_at_reads_its_instant():
    j = jg.Journeys.from_events(events(SECONDS), gap="1h")
    # Journeys start at T0, T0 + 2h and T0 + 5h; the window [T0 + 1h, T0 + 3h) holds the second alone,
    # whichever way its bounds are written.
    lo, hi = T0 + HOUR, T0 + 3 * HOUR
    bounds = [(lo, hi), (float(lo), str(hi)), ("2026-01-01T01:00:00Z", "2026-01-01T04:00:00+01:00"),
              (pd.Timestamp(lo, unit="s"), dt.datetime(2026, 1, 1, 3)), (np.datetime64(lo, "s"), np.int64(hi))]
    for start, end in bounds:
        assert [p for p, *_ in summary(jg.time_window(j, start, end))] == ["b > c"], (start, end)
    # An epoch number is in the data's epoch unit (seconds), not the stored one (milliseconds for epoch text).
    text = jg.Journeys.from_events(events([str(x) for x in SECONDS]), gap="1h")
    assert text.time_unit == "ms" and text.epoch_unit == "s"
    assert len(jg.time_window(text, T0, T0 + 1)) == 1
    assert [p for p, *_ in summary(jg.time_window(text, lo, hi))] == ["b > c"]
    # None leaves a side open; the two halves of a split are the windows on either side of the instant.
    before, after = j.split_at(hi)
    assert summary(jg.time_window(j, None, hi)) == summary(before)
    assert summary(jg.time_window(j, hi, None)) == summary(after)
    assert len(jg.time_window(j)) == 3
    raises(lambda: jg.time_window(j, hi, lo), "")
    raises(lambda: jg.time_window(j, "yesterday", None), "yesterday")
    raises(lambda: jg.time_window(j, True, None), "an instant must be")


def test_time_window_refuses_a_bare_number_for_dated_journeys_and_takes_the_pattern():
    dated = jg.Journeys.from_events(events(pd.to_datetime(SECONDS, unit="s")), gap="1h")
    raises(lambda: jg.time_window(dated, T0, None), "is a bare number, but the journeys' times were given as dates")
    assert len(jg.time_window(dated, "2026-01-01 01:00", "2026-01-01 03:00")) == 1
    text = jg.Journeys.from_events(events([f"03/01/2026 {h}" for h in
                                           ("00:00", "02:00", "02:00", "05:00", "05:00")]),
                                   time_format="%m/%d/%Y %H:%M", gap="1h")
    assert len(jg.time_window(text, "03/01/2026 01:00", "03/01/2026 03:00", time_format="%m/%d/%Y %H:%M")) == 1
    no_times = jg.Journeys.from_events(events(SECONDS), time=None)
    assert raises(lambda: jg.time_window(no_times, "2026-01-01", None), "timestamps").kind == "state"
    assert raises(lambda: jg.time_window(no_times), "timestamps").kind == "state"


# ------------------------------------------------------------------------------------------- defaults


def test_from_events_uses_the_optional_columns_the_cli_uses_and_says_so():
    df = events(SECONDS, value=[0.0, 0.0, 7.0, 0.0, 0.0], segment=["x", "x", "x", "y", "y"])
    j = jg.Journeys.from_events(df)
    assert (j.total_conversions, j.total_value, j.segments) == (1.0, 7.0, ["x", "y"])
    note = j.report.notes[0]
    assert "conversion 'conversion'" in note and "value 'value'" in note and "segment 'segment'" in note
    bare = jg.Journeys.from_events(df[["journey_id", "timestamp", "touchpoint"]])
    assert bare.total_conversions == 0 and "conversion" not in bare.report.notes[0]
    ignored = jg.Journeys.from_events(df, value=None, segment=None)
    assert ignored.total_value == 0 and ignored.segments == []
    # The defaults are the core's own (the options struct every face reads).
    core = jg._core.EventCsvOptions()
    defaults = jg.Journeys.from_events.__func__.__defaults__
    assert [str(d) for d in defaults[:6]] == [core.journey.name, core.time.name, core.touchpoint.name,
                                              core.conversion.name, core.value.name, core.segment.name]


def test_from_events_on_the_sample_matches_the_cli(tmp_path, cli_json):
    events_df = jg.datasets.sample_events()
    file = tmp_path / "sample.csv"
    events_df.to_csv(file, index=False)
    py = jg.Journeys.from_events(events_df)
    cli = cli_json("attribute", file, "--events", "--models", "last_touch", "--quiet")
    assert py.total_conversions > 0
    assert cli["meta"]["total_conversions"] == py.total_conversions
    assert cli["meta"]["total_nulls"] == py.total_nulls
    assert cli["meta"]["total_value"] == pytest.approx(py.total_value, rel=1e-12)
    credit = jg.attribute(py, models=["last_touch"])
    assert {t["touchpoint"]: t["last_touch"] for t in cli["rows"]} == credit["last_touch"].to_dict()
    # Journey by journey, the DataFrame and the core's CSV reader build the same journeys.
    read = jg.read_events(file)
    columns = ["path", "touches", "conversions", "nulls", "value"]
    pd.testing.assert_frame_equal(py.to_frame()[columns], read.to_frame()[columns])


# ------------------------------------------------------------------------------------------- paths


def test_a_pipe_separated_paths_file_is_refused_naming_the_pipe(tmp_path):
    file = tmp_path / "pipes.csv"
    file.write_text("path,total_conversions,total_null\na|b|c,1,2\nb|c,0,3\nc,1,0\n")
    raises(lambda: jg.read_paths(file), str(file), 'no path holds the separator ">"', '2 of 3 paths hold "|"',
           'set the separator to "|"')
    assert jg.read_paths(file, sep="|").touchpoints == ["a", "b", "c"]
    assert jg.read_paths(file, check_separator=False).touchpoints == ["a|b|c", "b|c", "c"]
    df = pd.read_csv(file)
    raises(lambda: jg.Journeys.from_paths(df), "row 0, column 'path'", '2 of 3 paths hold "|"')
    assert jg.Journeys.from_paths(df, sep="|").touchpoints == ["a", "b", "c"]
    assert len(jg.Journeys.from_paths(df, check_separator=False).touchpoints) == 3
