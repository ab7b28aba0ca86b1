"""Journeys.from_paths and the CSV readers: splitting rules, defaults, and errors."""

import numpy as np
import pandas as pd
import pytest

import journeygraph as jg


def paths_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "path": ["a > b > c", " b>c ", "a\t>\tb", "c"],
        "total_conversions": [1, 0, 2.5, 0],
        "total_null": [3, 2, 0, 0],
        "total_conversion_value": [10.0, 0.0, 7.0, 0.0],
    })


def test_split_trim_and_counts():
    j = jg.Journeys.from_paths(paths_frame())
    f = j.to_frame()
    assert f["path"].tolist() == ["a > b > c", "b > c", "a > b", "c"]
    assert f["touches"].tolist() == [3, 2, 2, 1]
    assert j.total_conversions == 3.5 and j.total_nulls == 5 and j.total_value == 17.0
    assert j.report.zero_weight_journeys == 1
    assert j.touchpoints == ["a", "b", "c"]


def test_same_as_the_csv_reader(tmp_path):
    csv = tmp_path / "paths.csv"
    paths_frame().to_csv(csv, index=False)
    a, b = jg.Journeys.from_paths(paths_frame()), jg.read_paths(csv)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    assert a.report.to_dict() == b.report.to_dict()


def test_paths_round_trip():
    j = jg.Journeys.from_paths(paths_frame())
    again = jg.Journeys.from_paths(j.paths())
    pd.testing.assert_frame_equal(again.paths(), j.paths())


def test_default_columns_may_be_absent_explicit_ones_may_not():
    df = paths_frame().drop(columns=["total_null", "total_conversion_value"])
    j = jg.Journeys.from_paths(df)
    assert j.total_nulls == 0 and j.total_value == 0
    assert j.report.notes == ["no nulls column 'total_null'", "no value column 'total_conversion_value'"]
    with pytest.raises(jg.JourneyGraphError, match="no nulls column 'nulls'; the DataFrame has columns: 'path'"):
        jg.Journeys.from_paths(df, nulls="nulls")
    with pytest.raises(jg.JourneyGraphError, match="no path column 'route'"):
        jg.Journeys.from_paths(df, path="route")


def test_other_separator():
    df = pd.DataFrame({"p": ["x|y", "y"], "c": [1, 1]})
    j = jg.Journeys.from_paths(df, path="p", conversions="c", sep="|")
    assert j.to_frame()["path"].tolist() == ["x > y", "y"]


@pytest.mark.parametrize("change, message", [
    (lambda df: df.assign(path=["a > > b", "b", "a", "c"]), "row 0, column 'path': empty touchpoint name at position 2"),
    (lambda df: df.assign(path=["a", "  ", "a", "c"]), "row 1, column 'path': empty path"),
    (lambda df: df.assign(path=["a", None, "a", "c"]), "row 1, column 'path': expected a string, got None"),
    (lambda df: df.assign(path=["a", 5, "a", "c"]), "expected a string, got 5"),
    (lambda df: df.assign(total_conversions=[1, -1, 0, 0]), "row 1, column 'total_conversions': negative count"),
    (lambda df: df.assign(total_null=[1, np.nan, 0, 0]), "row 1, column 'total_null': expected a finite count"),
    (lambda df: df.assign(total_conversion_value=[1.0, 2.0, 0, 0]), "value 2 on a path without conversions"),
    (lambda df: df.assign(total_conversions=["1", "2", "0", "0"]), "expected numbers"),
    (lambda df: df.iloc[:0], "no paths"),
])
def test_bad_paths_raise_clear_errors(change, message):
    with pytest.raises(jg.JourneyGraphError, match=message):
        jg.Journeys.from_paths(change(paths_frame()))


def test_reader_errors_carry_the_location(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("path,total_conversions\na > b,1\nb,-1\n")
    with pytest.raises(jg.JourneyGraphError) as err:
        jg.read_paths(csv)
    e = err.value
    assert e.kind == "parse" and e.line == 3 and e.field == "total_conversions"
    assert str(e).startswith(f"{csv}:3:")
    j = jg.read_paths(csv, skip_bad_rows=True)
    assert len(j) == 1 and j.report.rows_skipped == 1


def test_reader_missing_column_lists_the_header(tmp_path, pathdata):
    with pytest.raises(jg.JourneyGraphError, match="missing path column 'paths'; the header has: 'path'"):
        jg.read_paths(pathdata, path="paths")
    with pytest.raises(jg.JourneyGraphError) as err:
        jg.read_paths(tmp_path / "absent.csv")
    assert err.value.kind == "io"


def test_events_reader_columns(tmp_path):
    csv = tmp_path / "events.csv"
    csv.write_text("id,when,tp,conv\n1,2024-01-01T10:00:00Z,a,0\n1,2024-01-01T11:00:00Z,b,yes\n2,2024-01-02,a,no\n")
    j = jg.read_events(csv, journey="id", time="when", touchpoint="tp", conversion="conv")
    assert j.to_frame()["path"].tolist() == ["a > b", "a"]
    assert j.total_conversions == 1 and j.time_unit == "ms"
    assert "no value column 'value'" in j.report.notes
    with pytest.raises(jg.JourneyGraphError, match="missing conversion column 'converted'"):
        jg.read_events(csv, journey="id", time="when", touchpoint="tp", conversion="converted")
