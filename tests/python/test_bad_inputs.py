"""The "DataFrames through Python" rows of tests/BAD_INPUTS.md (D01 - D22): each test is named after its
row and checks the catalogued message (with the column, row and value it names) or the documented result."""

import numpy as np
import pandas as pd
import pytest

import journeygraph as jg


# 2026-01-01T00:00:00Z in epoch seconds (epoch seconds before 1971 are refused unless the unit is given).
T0 = 1_767_225_600


def events(**columns) -> pd.DataFrame:
    """Two journeys, 7 (a > b, converts with value 5) and 9 (a > b), with the given columns replaced."""
    data = {
        "cid": np.array([7, 7, 9, 9], dtype=np.int64),
        "ts": T0 + np.array([1, 2, 3, 4], dtype=np.int64),
        "ch": ["a", "b", "a", "b"],
        "conv": [False, True, False, False],
        "val": [0.0, 5.0, 0.0, 0.0],
    }
    data.update(columns)
    return pd.DataFrame(data)


def from_events(df: pd.DataFrame, **kwargs) -> jg.Journeys:
    return jg.Journeys.from_events(df, "cid", "ts", "ch", "conv", "val", **kwargs)


def paths(**columns) -> pd.DataFrame:
    data = {"path": ["a > b", "b"], "total_conversions": [1.0, 0.0], "total_null": [2.0, 3.0]}
    data.update(columns)
    return pd.DataFrame(data)


def rows(j: jg.Journeys) -> list:
    f = j.to_frame()
    return list(zip(f["path"], f["conversions"], f["nulls"], f["value"]))


def raises(fn, *fragments: str) -> jg.JourneyGraphError:
    """fn raises JourneyGraphError whose message contains every fragment (plain text, not regexes)."""
    with pytest.raises(jg.JourneyGraphError) as err:
        fn()
    for fragment in fragments:
        assert fragment in str(err.value), (fragment, str(err.value))
    return err.value


def test_d01_missing_column_lists_the_columns():
    raises(lambda: jg.Journeys.from_events(events(), "cid", "time", "ch"),
           "no time column 'time'; the DataFrame has columns: 'cid', 'ts', 'ch', 'conv', 'val'")
    raises(lambda: jg.Journeys.from_paths(paths(), conversions="conv"),
           "no conversions column 'conv'; the DataFrame has columns: 'path', 'total_conversions', 'total_null'")


def test_d02_duplicated_column():
    df = pd.concat([events(), events()[["ch"]]], axis=1)
    raises(lambda: from_events(df), "the touchpoint column 'ch' appears 2 times in the DataFrame")


def test_d03_wrong_dtypes():
    raises(lambda: from_events(events(ts=[True, False, True, True])),
           "time column 'ts' has dtype bool: give epoch numbers (in time_unit), datetimes or date-time text")
    raises(lambda: from_events(events(conv=["1", "0", "0", "0"])),
           "conversion column 'conv' has dtype object: give booleans or numbers")
    raises(lambda: from_events(events(val=["0", "5", "0", "0"])), "value column 'val' has dtype object: expected numbers")
    raises(lambda: jg.Journeys.from_paths(paths(total_conversions=np.array([1, "2"], dtype=object))),
           "conversions column 'total_conversions' has dtype object: expected numbers")
    raises(lambda: jg.Journeys.from_paths(paths(total_null=[True, False])),
           "nulls column 'total_null' has dtype bool: expected numbers")


def test_d04_missing_ids():
    raises(lambda: from_events(events(cid=[7.0, np.nan, 9.0, 9.0])),
           "journey column 'cid' holds a non-integer id nan at row 1 (index label 1)")
    raises(lambda: from_events(events(cid=["x", None, "y", "y"])), "journey column 'cid' has a missing id at row 1 (index label 1)")
    raises(lambda: from_events(events(cid=pd.array([7, 7, None, 9], dtype="Int64"))),
           "journey column 'cid' has a missing id at row 2 (index label 2)")
    labelled = events(cid=["x", "x", None, "y"]).set_axis(["p", "q", "r", "s"])
    raises(lambda: from_events(labelled), "missing id at row 2 (index label 'r')")


def test_d05_missing_times():
    raises(lambda: from_events(events(ts=pd.to_datetime([1, 2, None, 4], unit="s"))),
           "time column 'ts' has a missing time (NaT) at row 2 (index label 2)")
    raises(lambda: from_events(events(ts=["2024-01-01", None, "2024-01-02", "2024-01-03"])),
           'time column "ts", row 1 (index label 1): missing time')


def test_d06_unparsable_date_strings():
    raises(lambda: from_events(events(ts=["2024-01-01", "2024-13-45", "2024-01-02", "2024-01-03"])),
           'time column "ts", row 1 (index label 1): invalid timestamp "2024-13-45": month 13 is not in 1..12')
    raises(lambda: from_events(events(ts=["2024-01-01", "2024-01-02", "2024-01-03", "soon"])),
           'time column "ts", row 3 (index label 3): invalid timestamp "soon"', "time format")


def test_d07_conversion_values():
    raises(lambda: from_events(events(val=[0, np.inf, 0, 0])),
           "value column 'val': the conversion value inf at row 1 (index label 1) is not a finite number >= 0")
    raises(lambda: from_events(events(val=[0, -2.0, 0, 0])), "the conversion value -2.0 at row 1 (index label 1)")
    raises(lambda: from_events(events(val=[0, np.nan, 0, 0])), "the conversion value NaN at row 1 (index label 1)")
    raises(lambda: from_events(events(val=[0, 1e19, 0, 0])),
           "value column 'val': the conversion value 1e+19 at row 1 (index label 1) is too large (the limit is 2^62)")
    # On rows without a conversion values are ignored; non-zero ones other than NaN are counted.
    j = from_events(events(val=[np.nan, 5.0, -1.0, 0.0]))
    assert rows(j) == [("a > b", 1.0, 0.0, 5.0), ("a > b", 0.0, 1.0, 0.0)]
    assert j.report.values_ignored == 1


def test_d08_bad_path_counts():
    raises(lambda: jg.Journeys.from_paths(paths(total_conversions=[1, -1])),
           "row 1, column 'total_conversions': negative count -1")
    raises(lambda: jg.Journeys.from_paths(paths(total_conversions=[1, np.nan])),
           "row 1, column 'total_conversions': expected a finite count, got nan")
    raises(lambda: jg.Journeys.from_paths(paths(total_null=[np.inf, 1])),
           "row 0, column 'total_null': expected a finite count, got inf")
    raises(lambda: jg.Journeys.from_paths(paths(total_conversions=pd.array([1, None], dtype="Int64"))),
           "row 1, column 'total_conversions': expected a finite count, got nan")
    raises(lambda: jg.Journeys.from_paths(paths(total_conversion_value=[1.0, np.nan])),
           "row 1, column 'total_conversion_value': expected a finite value, got nan")


def test_d09_fractional_counts_are_weights():
    j = jg.Journeys.from_paths(paths(total_conversions=[0.5, 0.25], total_null=[1.5, 0.0]))
    assert rows(j) == [("a > b", 0.5, 1.5, 0.0), ("b", 0.25, 0.0, 0.0)]
    assert j.total_conversions == 0.75 and j.total_nulls == 1.5


def test_d10_counts_of_2_to_the_62():
    raises(lambda: jg.Journeys.from_paths(paths(total_null=[1e19, 1])),
           "row 0, column 'total_null': count 1e+19 is too large (the limit is 2^62)")
    raises(lambda: jg.Journeys.from_paths(paths(total_conversions=[2.0**62, 0])),
           "row 0, column 'total_conversions': count 4611686018427387904 is too large (the limit is 2^62)")
    raises(lambda: jg.Journeys.from_paths(paths(total_conversion_value=[1e300, 0.0])),
           "row 0, column 'total_conversion_value': value 1e+300 is too large (the limit is 2^62)")
    assert jg.Journeys.from_paths(paths(total_conversions=[2.0**61, 0])).total_conversions == 2.0**61


def test_d11_empty_dataframes():
    j = from_events(events().iloc[:0])
    assert len(j) == 0 and j.report.rows == 0 and j.total_conversions == 0
    err = raises(lambda: jg.Journeys.from_paths(paths().iloc[:0]), "no paths (the table has no rows)")
    assert err.kind == "data"
    raises(lambda: jg.Journeys.from_events(pd.DataFrame(), "cid", "ts", "ch"),
           "no journey column 'cid'; the DataFrame has columns: (none)")


def test_d12_all_and_none_converting():
    every = from_events(events(conv=[True] * 4))
    assert rows(every) == [("a", 1.0, 0.0, 0.0), ("b", 1.0, 0.0, 5.0), ("a", 1.0, 0.0, 0.0), ("b", 1.0, 0.0, 0.0)]
    assert jg.MarkovModel(order=1).fit(every).conversion_probability == 1.0
    none = from_events(events(conv=[False] * 4, val=[0.0] * 4))
    assert rows(none) == [("a > b", 0.0, 1.0, 0.0), ("a > b", 0.0, 1.0, 0.0)]
    model = jg.MarkovModel(order=1).fit(none)
    assert model.conversion_probability == 0.0
    err = raises(model.removal_effects, "the model has no conversions (P(conversion) = 0): removal effects are undefined")
    assert err.kind == "data"
    raises(lambda: jg.attribute(none), "the journeys have no conversions: nothing to attribute")


def test_d13_duplicate_events_are_kept_and_counted():
    j = from_events(events(cid=[7, 7, 7, 9], ts=T0 + np.array([1, 1, 1, 3]), ch=["a", "a", "b", "a"], conv=[False, False, True, False],
                           val=[0.0, 0.0, 2.0, 0.0]))
    assert rows(j) == [("a > a > b", 1.0, 0.0, 2.0), ("a", 0.0, 1.0, 0.0)]
    assert j.report.duplicate_events == 1


def test_d14_names_holding_the_separator():
    j = jg.Journeys.from_paths(pd.DataFrame({"path": ["a>b > c"], "total_conversions": [1]}))
    assert j.touchpoints == ["a", "b", "c"]
    j = jg.Journeys.from_paths(pd.DataFrame({"path": ["a>b | c"], "total_conversions": [1]}), sep="|")
    assert j.touchpoints == ["a>b", "c"]
    raises(lambda: j.paths(), 'touchpoint "a>b" contains the path separator ">"')
    assert j.paths(sep=" | ")["path"].tolist() == ["a>b | c"]
    named = from_events(events(ch=["x > y", "b", "x > y", "b"]))
    assert named.touchpoints == ["x > y", "b"] and len(named) == 2
    raises(lambda: named.paths(), 'touchpoint "x > y" contains the path separator ">"')


def test_d15_object_columns_of_mixed_types():
    # Ids are compared as Python values: 7 and 7.0 are one journey, "7" another.
    j = from_events(events(cid=np.array([7, 7.0, "7", "7"], dtype=object)))
    assert rows(j) == [("a > b", 1.0, 0.0, 5.0), ("a > b", 0.0, 1.0, 0.0)]
    # Touchpoints too are compared as Python values (True == 1) and named by str() of the first one seen;
    # distinct values that read as the same name are refused.
    j = from_events(events(ch=np.array(["a", 1, 2.5, True], dtype=object)))
    assert j.touchpoints == ["a", "1", "2.5"]
    assert rows(j) == [("a > 1", 1.0, 0.0, 5.0), ("2.5 > 1", 0.0, 1.0, 0.0)]
    raises(lambda: from_events(events(ch=np.array(["1", 1, "a", "b"], dtype=object))),
           "touchpoint column 'ch': the value 1 at row 1 (index label 1) and the value '1' at row 0 (index label 0) "
           "both read as the name '1'")


def test_d16_time_zone_aware_times():
    base = rows(from_events(events(ts=pd.to_datetime([1, 2, 3, 4], unit="s"))))
    paris = pd.to_datetime([1, 2, 3, 4], unit="s", utc=True).tz_convert("Europe/Paris")
    j = from_events(events(ts=paris))
    assert rows(j) == base and j.time_unit == "ns"
    assert j.core.timestamps[0] == 1_000_000_000  # stored as UTC nanoseconds
    # Offsets in strings are honoured: 00:30+01:00 (23:30Z) is before 00:00Z.
    swapped = from_events(events(ts=["2024-01-01T00:00:00Z", "2024-01-01T00:30:00+01:00", "2024-01-02", "2024-01-03"],
                                  conv=[False] * 4, val=[0.0] * 4))
    assert rows(swapped)[0] == ("b > a", 0.0, 1.0, 0.0)
    assert swapped.report.reordered_events == 1


def test_d17_empty_touchpoint_name():
    raises(lambda: from_events(events(ch=["a", "", "a", "b"])),
           "touchpoint column 'ch': the value '' at row 1 (index label 1) is an empty name")


def test_d18_names_that_are_not_utf8():
    raises(lambda: from_events(events(ch=["a", "\udcff", "a", "b"])),
           "touchpoint column 'ch': the value '\\udcff' at row 1 (index label 1) cannot be encoded as UTF-8")
    raises(lambda: jg.Journeys.from_paths(paths(path=["a > \udcff", "b"])),
           "row 0, column 'path': the path cannot be encoded as UTF-8")


def test_d19_bad_paths():
    raises(lambda: jg.Journeys.from_paths(paths(path=[">", "b"])),
           "row 0, column 'path': empty touchpoint name at position 1 of path \">\"")
    raises(lambda: jg.Journeys.from_paths(paths(path=["a >  > b", "b"])), "row 0, column 'path': empty touchpoint name at position 2")
    raises(lambda: jg.Journeys.from_paths(paths(path=["a", " \t"])), "row 1, column 'path': empty path")
    raises(lambda: jg.Journeys.from_paths(paths(path=["a", np.nan])), "row 1, column 'path': expected a string, got nan")
    raises(lambda: jg.Journeys.from_paths(paths(path=["a", None])), "row 1, column 'path': expected a string, got None")
    raises(lambda: jg.Journeys.from_paths(paths(total_conversion_value=[0.0, 2.0])),
           "row 1, column 'total_conversion_value': value 2 on a path without conversions")


def test_d20_interleaved_ids_and_unordered_times():
    j = from_events(events(cid=[9, 7, 9, 7], ts=T0 + np.array([4, 3, 2, 1]), conv=[False, True, False, False], val=[0.0, 1.0, 0.0, 0.0]))
    # Journeys in order of first row (9, 7); each sorted by time, stably.
    assert rows(j) == [("a > a", 0.0, 1.0, 0.0), ("b > b", 1.0, 0.0, 1.0)]
    assert j.report.reordered_events == 2
    ties = jg.Journeys.from_events(events(cid=[1, 1, 1, 1], ts=T0 + np.array([5, 5, 1, 5])), "cid", "ts", "ch")
    assert rows(ties) == [("a > a > b > b", 0.0, 1.0, 0.0)]


def test_d21_missing_conversion_flag():
    raises(lambda: from_events(events(conv=[1.0, np.nan, 0.0, 0.0])),
           "conversion column 'conv' has a missing flag at row 1 (index label 1)")


def test_d22_not_a_dataframe():
    raises(lambda: jg.Journeys.from_events({"cid": [1]}), "Journeys.from_events expects a pandas DataFrame, got dict")
    raises(lambda: jg.Journeys.from_paths([["a", 1]]), "Journeys.from_paths expects a pandas DataFrame, got list")
