"""Every journey's credit from Python: it joins back to the customers by their ids, its margins hold for
every model, calibration hits the external totals, and sequence removal effects agree with the touchpoint
ones for a single touchpoint."""

import numpy as np
import pandas as pd
import pytest

import journeygraph as jg


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    ev = jg.datasets.sample_events(1200, seed=11)
    ev["customer"] = "c" + ev["journey_id"].astype(str)  # text ids: the keys must come back as these
    return ev


@pytest.fixture(scope="module")
def journeys(events) -> jg.Journeys:
    return jg.Journeys.from_events(events, journey="customer")


def test_credit_joins_back_and_every_margin_holds(events, journeys):
    models = jg.attribution_models(journeys)
    credit = jg.journey_credit(journeys, models=models)
    assert list(credit.columns) == ["journey", "part", "model", "touchpoint", "conversions", "value", "in_journey"]
    assert set(credit["journey"]) <= set(events["customer"])
    # Each customer's credit per model equals that customer's conversions and value (events are split at
    # conversions: the parts add up to the customer's whole history).
    conv_events = events[events["conversion"]]
    want_c = conv_events.groupby("customer").size().astype(float)
    want_v = conv_events.groupby("customer")["value"].sum()
    totals = jg.attribute(journeys, models=models)
    for model in models:
        rows = credit[credit["model"] == model]
        got = rows.groupby("journey")[["conversions", "value"]].sum()
        if model != "participation":
            np.testing.assert_allclose(got["conversions"].reindex(want_c.index).to_numpy(), want_c.to_numpy(),
                                       rtol=1e-9, atol=1e-9)
            np.testing.assert_allclose(got["value"].reindex(want_v.index).to_numpy(), want_v.to_numpy(),
                                       rtol=1e-9, atol=1e-9)
        by_tp = rows.groupby("touchpoint")[["conversions", "value"]].sum().reindex(totals.index).fillna(0.0)
        np.testing.assert_allclose(by_tp["conversions"].to_numpy(), totals[model].to_numpy(), rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(by_tp["value"].to_numpy(), totals[f"{model}_value"].to_numpy(), rtol=1e-9,
                                   atol=1e-9)


def test_integer_ids_and_paths_rows(pathdata):
    ev = jg.datasets.sample_events(300, seed=2)
    credit = jg.journey_credit(jg.Journeys.from_events(ev), models="last_touch")
    assert credit["journey"].dtype == np.int64 and set(credit["journey"]) <= set(ev["journey_id"])
    paths = pd.read_csv(pathdata)
    credit = jg.journey_credit(jg.read_paths(pathdata), models="first_touch")
    # The journey key of a path is its data row: the first touch of that row's path.
    first = paths["path"].str.split(">").str[0].str.strip()
    assert (credit["touchpoint"].to_numpy() == first.loc[credit["journey"]].to_numpy()).all()


def test_calibration_hits_the_external_totals(journeys):
    names = sorted(journeys.touchpoints)
    external = pd.Series({n: 5.0 + i for i, n in enumerate(names)})
    credit = jg.journey_credit(journeys, models="markov", calibration=external)
    cal = credit[credit["model"] == "calibrated"].groupby("touchpoint")["conversions"].sum()
    np.testing.assert_allclose(cal.reindex(names).to_numpy(), external.reindex(names).to_numpy(), rtol=1e-9)
    gap = jg.calibration_table(journeys, external)
    markov = jg.attribute(journeys, models="markov")["markov"]
    np.testing.assert_allclose(gap["difference"].to_numpy(), (markov - external.reindex(markov.index)).to_numpy(),
                               rtol=1e-12, atol=1e-12)
    with pytest.raises(jg.JourneyGraphError, match="not a touchpoint of the journeys"):
        jg.journey_credit(journeys, models="markov", calibration={"nowhere": 1.0})


def test_sequence_removal_effects(journeys):
    t = jg.sequence_removal_effects(journeys, "website", top=3)
    assert list(t.columns) == ["sequence", "length", "occurrences", "removal_effect", "removal_effect_value",
                               "conversion_probability_without"]
    assert len(t) == 4 and (t["length"].iloc[1:] == 2).all()
    single = jg.attribute(journeys, models="markov")["removal_effect"]["website"]
    assert abs(t["removal_effect"].iloc[0] - single) < 1e-12
    with pytest.raises(jg.JourneyGraphError, match="order >= 2"):
        jg.sequence_removal_effects(journeys, [["display_ad", "website", "store_visit"]])
