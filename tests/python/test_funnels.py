"""Event funnels, funnel trends, the path explorer, conversion drivers and cleaning from Python, on the worked
example of funnel.hpp (times in days from Monday 2026-01-05):

    J1: ad@0 > search@1 > buy@2 (converted)     J2: ad@0 > web@1 > search@9 (not converted)
    J3: search@0 > ad@1 (converted)             J4: ad@0 > ad@5 > search@6 (converted)

Steps ad, search, (conversion) within 7 days: reached 4, 2, 2 (ordered) and 4, 2, 1 (strict)."""

import numpy as np
import pandas as pd
import pytest

import journeygraph as jg

T0 = pd.Timestamp("2026-01-05", tz="UTC")
DAY = 86400.0
STEPS = ["ad", "search", "(conversion)"]


@pytest.fixture(scope="module")
def example() -> jg.Journeys:
    rows = [(1, 0, "ad", 0), (1, 1, "search", 0), (1, 2, "buy", 1),
            (2, 0, "ad", 0), (2, 1, "web", 0), (2, 9, "search", 0),
            (3, 0, "search", 0), (3, 1, "ad", 1),
            (4, 0, "ad", 0), (4, 5, "ad", 0), (4, 6, "search", 1)]
    df = pd.DataFrame(rows, columns=["journey_id", "day", "touchpoint", "conversion"])
    df["timestamp"] = T0 + pd.to_timedelta(df["day"], unit="D")
    df["segment"] = np.where(df["journey_id"] <= 2, "a", "b")
    return jg.Journeys.from_events(df, segment="segment")


def test_event_funnel_modes(example):
    f = example.event_funnel(STEPS, window="7d")
    assert list(f["reached"]) == [4, 2, 2]
    assert list(f["step_rate"]) == [1, 0.5, 1]
    assert f["step"].dtype == np.int64 and f["optional"].dtype == bool
    assert f.attrs["order"] == "ordered" and f.attrs["window_s"] == 7 * DAY
    assert f["time_from_previous_median_s"].iloc[1] == DAY
    assert np.isnan(f["time_from_previous_median_s"].iloc[0])
    # Wilson interval of 2/4 at 95 %, computed here: (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)
    z, n, p = 1.959963984540054, 4, 0.5
    centre, half = (p + z * z / (2 * n)) / (1 + z * z / n), z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert f["step_rate_lower"].iloc[1] == pytest.approx(centre - half, abs=1e-12)
    assert f["step_rate_upper"].iloc[1] == pytest.approx(centre + half, abs=1e-12)
    assert list(example.event_funnel(STEPS, window="7d", order="strict")["reached"]) == [4, 2, 1]
    # Without the window J2's late search counts.
    assert list(example.event_funnel(STEPS)["reached"]) == [4, 3, 2]
    # An exclusion of web between steps 1 and 2 drops J2 again.
    assert list(example.event_funnel(STEPS, exclude=["web:1-2"])["reached"]) == [4, 2, 2]
    seg = example.event_funnel(STEPS, window="7d", by_segment=True)
    assert list(seg["segment"].unique()) == ["(all)", "a", "b"]
    assert seg["significant"].dtype == bool and seg.attrs["tests"] >= 1


def test_event_funnel_errors(example):
    with pytest.raises(jg.JourneyGraphError, match="sideways"):
        example.event_funnel(STEPS, order="sideways")
    with pytest.raises(jg.JourneyGraphError, match="closest") as err:
        example.event_funnel(["ad", "serch"])
    assert err.value.option == "steps"  # the options field at fault, which is also the keyword
    with pytest.raises(jg.JourneyGraphError, match="steps must be strings"):
        example.event_funnel(["ad", 3])


def test_funnel_trends_kaplan_meier(example):
    trends, curve = example.funnel_trends(STEPS, window="7d", period="week", curve=True)
    # Entries at the first ad; J1 completes after 2 days, J4 after 6; J2 and J3 are observed past the horizon.
    assert list(trends["entered"]) == [4] and not trends["complete"].iloc[0]
    assert trends["conversion"].iloc[0] == pytest.approx(1 - 3 / 4 * 2 / 3, abs=1e-12)
    assert list(curve["time_s"]) == pytest.approx([2 * DAY, 6 * DAY], rel=1e-15)
    assert list(curve["conversion"]) == pytest.approx([1 / 4, 1 / 2], abs=1e-12)
    assert trends.attrs["period"] == "week" and trends.attrs["horizon_s"] == 7 * DAY  # exactly: the window is a whole number of ns
    assert isinstance(example.funnel_trends(STEPS, window="7d"), pd.DataFrame)


def test_explore_paths_shares_add_up(example):
    steps, variants = example.explore_paths(start="ad", max_steps=2, top=1)
    assert steps.attrs["journeys"] == 4 and steps.attrs["excluded"] == 0
    assert (steps.groupby("step")["share"].sum() - 1).abs().max() < 1e-12
    assert steps["rank"].dtype == np.int64 and variants["length"].dtype == np.int64
    assert variants["share"].sum() == pytest.approx(1)
    back, _ = example.explore_paths(end="(conversion)")
    assert back.attrs["direction"] == "backward" and back.attrs["journeys"] == 3
    funnel, _ = example.explore_paths(steps=["ad", "search"], window="7d", drop_off=True)
    assert funnel.attrs["journeys"] == 2  # J2 (search too late) and J3 (no search after its ad)
    with pytest.raises(jg.JourneyGraphError, match="top") as err:
        example.explore_paths(start="ad", top=0)
    assert err.value.option == "top"


def test_drivers_counts(example):
    d = example.drivers(min_support=1, kgrams=[], before=False, at_least=[])
    # ad and search are in every journey (untestable); buy (J1, converted) and web (J2, not) are tested.
    assert set(d["feature"]) == {"buy", "web"} and d.attrs["untestable"] == 2
    web = d.set_index("feature").loc["web"]
    assert (web["with_outcome"], web["with_other"], web["without_outcome"], web["without_other"]) == (0, 1, 3, 0)
    assert web["odds_ratio"] == pytest.approx(0.5 * 0.5 / (1.5 * 3.5))
    assert web["test"] == "fisher" and d["significant"].dtype == bool
    with pytest.raises(jg.JourneyGraphError, match="kgram") as err:
        example.drivers(kgrams=[4])
    assert err.value.option == "kgrams"
    with pytest.raises(jg.JourneyGraphError, match="no option") as err:
        example.drivers(min_suport=1)
    assert err.value.option == ""


def test_clean(example):
    cleaned, table = example.clean([("alias", "^(ad|search)$", "paid"), ("drop", "web")], collapse_repeats=True)
    assert sorted(cleaned.touchpoints) == ["buy", "paid"]
    assert table.attrs["touches_dropped"] == 1
    assert dict(zip(table["touchpoint"], table["action"])) == {"ad": "renamed", "search": "renamed",
                                                               "buy": "kept", "web": "dropped"}
    assert table["rule"].dtype == np.int64
    with pytest.raises(jg.JourneyGraphError, match="rename"):
        example.clean([("rename", "a", "b")])
