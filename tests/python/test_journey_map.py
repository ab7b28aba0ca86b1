"""The journey map from Python: DataFrames with the figures worked out by hand in the C++ tests.

The hand set (paths):
    ad > search > site   1 conversion
    ad > site            1 conversion, 1 null
    ad > search          1 null
    search > ad > site   1 null
    site                 1 conversion
Stages ad = awareness, search = consideration, site = purchase. Order-1 chain: START -> ad 4/6, search 1/6,
site 1/6; ad -> search 2/5, site 3/5; search -> ad, site, NULL 1/3 each; site -> CONVERSION 3/5, NULL 2/5.
Absorption h_site = 3/5, h_ad = 33/65, h_search = 24/65; P(conversion) = 1/2.
"""

import math

import numpy as np
import pandas as pd
import pytest

import journeygraph as jg

STAGES = {"ad": "awareness", "search": "consideration", "site": "purchase"}


def hand_paths():
    return pd.DataFrame({
        "path": ["ad > search > site", "ad > site", "ad > search", "search > ad > site", "site"],
        "total_conversions": [1.0, 1, 0, 0, 1],
        "total_null": [0.0, 1, 1, 1, 0],
    })


@pytest.fixture(scope="module")
def hand():
    return jg.JourneyMap(jg.Journeys.from_paths(hand_paths()), stages=STAGES,
                         stage_order=["awareness", "consideration", "purchase"])


@pytest.fixture(scope="module")
def sample():
    events = jg.datasets.sample_events(3000, seed=4)
    journeys = jg.Journeys.from_events(events, conversion="conversion", value="value", segment="device")
    return journeys


def test_funnel_by_hand(hand):
    f = hand.funnel()
    assert list(f["stage"]) == ["awareness", "consideration", "purchase"]
    # Awareness reached by 5 journeys, all advance; consideration 3 (one drops); purchase 5 (3 convert).
    assert list(f["journeys"]) == [5, 3, 5]
    assert list(f["advanced"]) == [5, 2, 0]
    assert list(f["dropped"]) == [0, 1, 2]
    assert list(f["converted"]) == [0, 0, 3]
    assert f.loc[0, "moves_skipping"] == 3 and f.loc[1, "moves_backward"] == 1 and f.loc[1, "skipped_over"] == 3
    assert (f["advanced"] + f["converted"] + f["dropped"] == f["journeys"]).all()
    assert f["time_in_stage_median_s"].isna().all()  # paths have no timestamps
    flows = hand.stage_flows()
    assert flows.loc["(start)", "awareness"] == 4 and flows.loc["awareness", "purchase"] == 3
    assert flows.loc["purchase", "(null)"] == 2 and flows.to_numpy().sum() == 6 + 7 + 6


def test_pain_points_by_hand(hand):
    p = hand.pain_points()
    for col in ("touchpoint", "journeys", "unconverted_exit_share", "conversion_probability", "removal_effect",
                "conversions_at_risk"):
        assert col in p.columns
    assert list(p["touchpoint"]) == ["site", "search", "ad"]  # drop-offs 2, 1, 0
    row = p.set_index("touchpoint")
    assert row.loc["search", "unconverted_exit_share"] == pytest.approx(1 / 3, abs=1e-15)
    assert row.loc["site", "unconverted_exit_share"] == pytest.approx(0.4, abs=1e-15)
    assert row.loc["ad", "conversion_probability"] == pytest.approx(33 / 65, abs=1e-14)
    assert row.loc["search", "conversion_probability"] == pytest.approx(24 / 65, abs=1e-14)
    assert row.loc["ad", "conversions_at_risk"] == pytest.approx(165 / 154, abs=1e-13)  # 11/15 / (154/75) x 3
    assert p["conversions_at_risk"].sum() == pytest.approx(3, abs=1e-13)  # additive: the total conversions
    assert row.loc["search", "journeys"] == 3 and row.loc["site", "stage"] == "purchase"
    assert p["rank"].dtype == np.int64 and p["small_sample"].dtype == bool
    ranked = hand.pain_points(rank_by="conversion_probability", min_journeys=4)
    assert list(ranked["touchpoint"]) == ["ad", "site", "search"] and ranked["small_sample"].iloc[-1]
    with pytest.raises(jg.JourneyGraphError, match="drop_offs"):
        hand.pain_points(rank_by="worst")


def test_paths_by_hand(hand):
    v = hand.paths()
    assert v.loc[0, "path"] == "ad > site" and v.loc[0, "journeys"] == 2
    assert v["cumulative_share"].iloc[-1] == pytest.approx(1.0)
    assert v.attrs["distinct_paths"] == 5
    probable = hand.probable_paths(k=10)
    want = [6 / 25, 1 / 10, 4 / 75, 1 / 30, 1 / 50]
    assert list(probable["path"]) == ["ad > site", "site", "ad > search > site", "search > site",
                                      "search > ad > site"]
    np.testing.assert_allclose(probable["probability"], want, rtol=0, atol=1e-15)
    lengths = hand.path_lengths()
    assert list(lengths["length"]) == [1, 2, 3] and list(lengths["journeys"]) == [1, 3, 2]
    assert len(hand.time_to_conversion()) == 0


def test_what_if_by_hand_and_against_a_refit(hand):
    # P(ad -> search) = 0.2: ad -> site 0.8, h_ad = 39/70, h_search = 27/70, P = 15/28.
    w = hand.what_if(set_probabilities={("ad", "search"): 0.2})
    assert w.loc["conversion_probability", "before"] == pytest.approx(0.5, abs=1e-15)
    assert w.loc["conversion_probability", "after"] == pytest.approx(15 / 28, abs=1e-14)
    assert w.loc["expected_conversions", "change"] == pytest.approx(6 * (15 / 28 - 0.5), abs=1e-12)
    assert hand.what_if(remove_touchpoints="site").loc["conversion_probability", "after"] == 0
    # Against refitting: every journey starts at a and b, c, d are reached from a only, so scaling the
    # journeys through a -> b by 1 and the others by 3 refits row a to exactly the edited row.
    base = pd.DataFrame({"path": ["a > b", "a > b > d", "a > c", "a"], "total_conversions": [3.0, 1, 1, 0],
                         "total_null": [1.0, 1, 3, 2]})
    edited = base.copy()
    edited.loc[2:, ["total_conversions", "total_null"]] *= 3
    m = jg.JourneyMap(jg.Journeys.from_paths(base))
    refit = jg.MarkovModel().fit(jg.Journeys.from_paths(edited))
    after = m.what_if(set_probabilities=[("a", "b", 0.25)]).loc["conversion_probability", "after"]
    assert after == pytest.approx(7 / 24, abs=1e-14)
    assert after == pytest.approx(refit.conversion_probability, abs=1e-14)
    without_edge = m.what_if(remove_edges=[("a", "b")]).loc["conversion_probability", "after"]
    assert without_edge == pytest.approx(
        jg.MarkovModel().fit(jg.Journeys.from_paths(base.iloc[2:])).conversion_probability, abs=1e-14)
    with pytest.raises(jg.JourneyGraphError, match="nowhere"):
        m.what_if(set_probabilities={("a", "nowhere"): 0.5})
    with pytest.raises(jg.JourneyGraphError, match="must be a number"):
        m.what_if(set_probabilities={("a", "b"): "half"})


def test_compare_by_hand():
    def single(conv, nulls):
        return jg.JourneyMap(jg.Journeys.from_paths(pd.DataFrame({"path": ["x"], "total_conversions": [conv],
                                                                   "total_null": [nulls]})))
    c = single(20.0, 80.0).compare(single(40.0, 60.0), labels=("mobile", "desktop"))
    z = 0.2 / math.sqrt(0.3 * 0.7 * 0.02)
    conv = c.set_index("to").loc["(conversion)"]
    assert conv["z"] == pytest.approx(z, abs=1e-12)
    assert conv["p_adjusted"] == pytest.approx(3 * math.erfc(z / math.sqrt(2)), abs=1e-15)
    assert bool(conv["significant"]) and c.attrs["significant"] == 2 and c.attrs["labels"] == ("mobile", "desktop")
    a = single(20.0, 80.0).compare(single(40.0, 60.0), table="attribution")
    assert list(a.columns) == ["touchpoint", "conversions_a", "conversions_b", "share_a", "share_b", "difference"]


def test_segments_periods_and_timings(sample):
    maps = jg.map_segments(sample, stages=jg.datasets.sample_stages())
    assert list(maps) == ["desktop", "mobile"]
    changes = maps["desktop"].compare(maps["mobile"], labels=("desktop", "mobile"))
    assert changes[(changes["to"] == "mobile_app") & changes["significant"]].shape[0] > 0
    early = jg.time_window(sample, "2026-01-01", "2026-02-15")
    late = jg.time_window(sample, pd.Timestamp("2026-02-15"), None)
    assert len(early) + len(late) == len(sample) and len(early) > 0
    m = jg.JourneyMap(sample, stages=jg.datasets.sample_stages())
    assert m.stages == ["awareness", "consideration", "purchase", "retention", "advocacy"]
    e = m.edges()
    timed = e.dropna(subset=["time_median_s"])
    assert len(timed) > 0 and (timed["time_median_s"] > 0).all() and (timed["time_p90_s"] >= timed["time_median_s"]).all()
    t = m.time_to_conversion()
    assert t["conversions"].sum() == pytest.approx(t.attrs["count"]) and t.attrs["median_s"] > 0
    s = m.sankey()
    assert s.loc[0, "source"].startswith("1. ") and (s["value"] > 0).all()
    assert m.nodes().loc[0, "name"] == "(start)"


def test_pictures_and_display(hand, tmp_path):
    svg = hand._repr_svg_()
    assert svg.startswith("<svg") and "awareness" in svg
    html = hand._repr_html_()
    assert "journeygraph.JourneyMap" in html and html.count("<svg") == 2
    assert hand.funnel_svg().startswith("<svg") and hand.sankey_svg().startswith("<svg")
    assert hand.to_dot().startswith("digraph") and "<graphml" in hand.to_graphml()
    assert '"nodes"' in hand.to_json()
    page = hand.report(tmp_path / "report.html", title="Hand set")
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == page and "<title>Hand set</title>" in page
    assert "JourneyMap" in repr(hand) and "3 stages" in repr(hand)


def test_stages_inputs_and_errors(tmp_path):
    journeys = jg.Journeys.from_paths(hand_paths())
    csv = tmp_path / "stages.csv"
    csv.write_text("touchpoint,stage\nad,awareness\nsearch,consideration\nsite,purchase\n")
    by_csv = jg.JourneyMap(journeys, stages=csv)
    by_frame = jg.JourneyMap(journeys, stages=pd.DataFrame({"touchpoint": list(STAGES), "stage": list(STAGES.values())}))
    assert by_csv.stages == by_frame.stages == ["awareness", "consideration", "purchase"]
    pd.testing.assert_frame_equal(by_csv.funnel(), by_frame.funnel())
    with pytest.raises(jg.JourneyGraphError, match=r"stages.csv:3:8") as info:
        jg.JourneyMap(journeys, stages=csv, stage_order=["awareness", "purchase"])
    assert info.value.line == 3 and info.value.value == "consideration"
    with pytest.raises(jg.JourneyGraphError, match='"search" has no stage'):
        jg.JourneyMap(journeys, stages={"ad": "awareness", "site": "purchase"})
    other = jg.JourneyMap(journeys, stages={"ad": "awareness", "site": "purchase"}, other_stage="other")
    assert other.stages == ["awareness", "purchase", "other"]
    with pytest.raises(jg.JourneyGraphError, match="no stages"):
        jg.JourneyMap(journeys).funnel()
    with pytest.raises(jg.JourneyGraphError, match="stages must be"):
        jg.JourneyMap(journeys, stages=42)
    with pytest.raises(jg.JourneyGraphError, match="journeys"):
        jg.JourneyMap("not journeys")
    with pytest.raises(jg.JourneyGraphError, match="timestamps"):
        jg.time_window(journeys, 0, 1)


def test_untestable_comparison_rows_are_nan():
    # "search" occurs only in a, so b has no transitions out of it: their p_b, difference, z, p_value and
    # p_adjusted do not exist (NaN), and such a row is never significant nor sorted first.
    a = jg.JourneyMap(jg.Journeys.from_paths(hand_paths()))
    b = jg.JourneyMap(jg.Journeys.from_paths(pd.DataFrame({"path": ["ad > site", "site", "ad"],
                                                           "total_conversions": [3.0, 1, 0],
                                                           "total_null": [1.0, 1, 2]})))
    c = a.compare(b)
    untestable = c[c["from"] == "search"]
    assert len(untestable) == 3 and (untestable["total_b"] == 0).all()
    for col in ("p_b", "difference", "z", "p_value", "p_adjusted"):
        assert untestable[col].isna().all(), col
    assert not untestable["significant"].any()
    assert c["p_adjusted"].notna().tolist() == sorted(c["p_adjusted"].notna().tolist(), reverse=True)
    tested = c[c["from"] == "ad"].set_index("to")
    assert tested.loc["search", "p_b"] == 0.0 and tested.loc["search", "difference"] == pytest.approx(-0.4, abs=1e-15)


def test_funnel_journeys_first_repeat_all(sample):
    # The sample is split at conversions, so some journeys begin after one (repeat journeys). The first-
    # purchase funnel (the default) leaves them out, "repeat" counts only them, "all" both: stage by stage
    # first + repeat = all.
    m = jg.JourneyMap(sample, stages=jg.datasets.sample_stages())
    first, repeat, every = m.funnel(), m.funnel(journeys="repeat"), m.funnel(journeys="all")
    assert first.attrs["counted"] == "first" and repeat.attrs["counted"] == "repeat" and every.attrs["counted"] == "all"
    assert repeat.attrs["journeys"] > 0 and first.attrs["left_out"] == repeat.attrs["journeys"]
    assert np.allclose(first["journeys"] + repeat["journeys"], every["journeys"], rtol=0, atol=1e-9)
    assert first.equals(m.funnel(journeys="first"))
    # Every column is defined in one line, and the first line says which journeys were counted.
    notes = first.attrs["notes"]
    assert notes["(journeys)"].startswith("counts ") and "step_rate" in notes
    flows_all, flows_first = m.stage_flows(journeys="all"), m.stage_flows()
    assert flows_all.to_numpy().sum() > flows_first.to_numpy().sum()
    with pytest.raises(jg.JourneyGraphError, match="first"):
        m.funnel(journeys="later")
