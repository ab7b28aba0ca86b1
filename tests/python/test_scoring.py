"""Open-journey scoring and money from Python: the core's answers, its errors, and nothing dropped."""

import json
import math

import pandas as pd
import pytest

import journeygraph as jg


@pytest.fixture(scope="module")
def journeys():
    return jg.Journeys.from_paths(pd.DataFrame({"path": ["a > b", "b", "a"], "total_conversions": [2, 1, 0],
                                                "total_null": [1, 3, 2], "total_conversion_value": [20, 5, 0]}))


def test_scores_by_hand(journeys):
    # Order 1 (tests/c/test_scoring.c): P(conversion) a 9/35, b 3/7; next touch b after a lifts by 6/35.
    model = jg.MarkovModel().fit(journeys)
    s = model.score([["a"], ["b"], ["b", "a"], ["zz"]], next=2)
    assert s["conversion_probability"].tolist()[:3] == pytest.approx([9 / 35, 3 / 7, 9 / 35], rel=1e-12)
    assert s["backed_off"].tolist() == [False, False, False, True]
    assert s.attrs["unknown_touches"] == 1
    assert s.loc[0, "best_next_touch"] == "b" and s.loc[0, "best_next_lift"] == pytest.approx(6 / 35, rel=1e-12)
    nt = s.attrs["next_touch"]
    assert nt[nt.journey == 0]["touchpoint"].tolist() == ["b", "a"]
    assert model.score(journeys)["conversion_probability"].tolist() == pytest.approx([3 / 7, 3 / 7, 9 / 35], rel=1e-12)
    with pytest.raises(jg.JourneyGraphError, match="list of touchpoint names"):
        model.score(["a", "b"])
    with pytest.raises(jg.JourneyGraphError, match="timestamps"):
        jg.score_open(journeys, model)


def test_spend_errors_and_rows(journeys):
    def attribute(spend, **kw):
        return jg.attribute(journeys, models=["last_touch", "linear"], spend=spend, **kw)

    for spend, message in [({"touchpoint": ["a"], "spend": ["$5"]}, "row 0: '\\$5' is not a number"),
                           ({"touchpoint": ["a", "a"], "spend": [1.0, 2.0]}, "appears again"),
                           ({"touchpoint": ["a"], "spend": [-1.0]}, ">= 0"),
                           ({"touchpoint": ["a"], "cost": [1.0]}, "spend")]:
        with pytest.raises(jg.JourneyGraphError, match=message):
            attribute(pd.DataFrame(spend))
    out = attribute(pd.DataFrame({"touchpoint": ["b", "c"], "spend": [30.0, 7.0]}), baseline="linear")
    money = out.attrs["money"]
    row = money[(money.model == "last_touch") & (money.touchpoint == "b")].iloc[0]
    assert row.cost_per_conversion == pytest.approx(10.0) and row.roas == pytest.approx(25 / 30)
    assert set(money[money.touchpoint == "c"]["status"]) == {"no_credit"}
    assert set(money[money.touchpoint == "a"]["status"]) <= {"no_spend", "none"}
    assert math.isnan(money[(money.model == "last_touch") & (money.touchpoint == "a")].iloc[0].roas)
    comparison = out.attrs["model_comparison"]
    assert comparison.attrs["baseline"] == "linear" and set(comparison.model) == {"last_touch"}


def test_default_baseline_is_the_cores_on_every_face(journeys, run_cli, tmp_path):
    # The rule, written out here: last_touch when it is compared, else the first model.
    def expected(models):
        return "last_touch" if "last_touch" in models else models[0]

    paths = tmp_path / "paths.csv"
    paths.write_text("path,total_conversions,total_null,total_conversion_value\na > b,2,1,20\nb,1,3,5\na,0,2,0\n")
    spend_csv = tmp_path / "spend.csv"
    spend_csv.write_text("touchpoint,spend\na,10\nb,30\n")
    spend = pd.read_csv(spend_csv)
    for models in (["linear", "last_touch", "markov"], ["linear", "markov"], ["first_touch", "linear"]):
        want = expected(models)
        assert jg._core.default_baseline(models) == want
        got = jg.attribute(journeys, models=models, spend=spend).attrs["model_comparison"]
        assert got.attrs["baseline"] == want and want not in set(got.model)
        doc = json.loads(run_cli("attribute", paths, "--paths", "--models", ",".join(models), "--spend", spend_csv,
                                 "--format", "json", "--quiet"))
        assert doc["model_comparison"]["meta"]["baseline"] == want
    with pytest.raises(jg.JourneyGraphError, match="lasttouch"):
        jg._core.default_baseline(["markov", "lasttouch"])
