"""The explorer's designs, variables, year trends and wave changes on the demo database."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis import designs, explore, trends
from analysis.estimation.crosstab import crosstab
from analysis.tables import NoWeights, indicator_table
from surveys.opening import survey_by_code


def _id(store, code: str) -> int:
    return survey_by_code(store, code).survey_id


def test_cross_section_design_reproduces_the_published_table(demo_store):
    survey_id = _id(demo_store, "seoul-2025")
    design = designs.analysis_design(demo_store, survey_id, "persons15")
    mean = design.mean("life_satisfaction").iloc[0]
    table = indicator_table(demo_store, survey_id)
    seoul = table.query("indicator == 'life_satisfaction' and domain == 'seoul'").iloc[0]
    assert mean["estimate"] == pytest.approx(seoul["estimate"], rel=1e-10)
    assert mean["se"] == pytest.approx(seoul["se"], rel=1e-8)
    index = design.mean("indicator__happiness_index").iloc[0]
    happiness = table.query("indicator == 'happiness_index' and domain == 'seoul'").iloc[0]
    assert index["estimate"] == pytest.approx(happiness["estimate"], rel=1e-10)
    frame = designs.analysis_frame(demo_store, survey_id, "persons15")
    assert {"district_code", "sex", "age_group", "income", "weight"} <= set(frame.columns)
    assert np.allclose(frame["weight"], design.weights)


def test_variables_list_scales_as_numeric_and_categorical_with_labels(demo_store):
    survey_id = _id(demo_store, "seoul-2025")
    table = explore.variables(demo_store, survey_id, "persons15").set_index("name")
    happy = table.loc["happy_health"]
    assert happy["type"] == "scale" and happy["numeric"] and happy["categorical"]
    assert happy["label_ko"] and happy["label_en"] and len(happy["choices_ko"]) == 11
    assert table.loc["sex", "categorical"] and table.loc["sex", "choices_ko"]
    assert not table.loc["commute_minutes", "categorical"]
    assert len(table.loc["district_code", "choices_ko"]) == 25
    assert "tenure_other" not in table.index  # free text is left out
    households = explore.variables(demo_store, survey_id, "households")
    assert "housing_satisfaction" in set(households["name"])
    assert "sex" not in set(households["name"])


def test_indicator_trend_differences_are_independent_samples(demo_store):
    ids = [_id(demo_store, "seoul-2025"), _id(demo_store, "seoul-2026")]
    trend = trends.indicator_trend(demo_store, "life_satisfaction", ids[::-1])
    assert trend["reference_year"].tolist() == [2025, 2026]
    first, second = trend.iloc[0], trend.iloc[1]
    assert math.isnan(first["difference"])
    assert second["difference"] == pytest.approx(second["estimate"] - first["estimate"])
    assert second["se_difference"] == pytest.approx(math.hypot(first["se"], second["se"]))
    assert second["significant"] == (second["p_value"] < 0.05)
    published = indicator_table(demo_store, ids[0])
    seoul = published.query("indicator == 'life_satisfaction' and domain == 'seoul'").iloc[0]
    assert first["estimate"] == pytest.approx(seoul["estimate"])


def test_wave_change_counts_households_in_both_waves(demo_store):
    w1, w3 = _id(demo_store, "panel-2026-w1"), _id(demo_store, "panel-2026-w3")
    change = trends.wave_change(demo_store, w1, w3, "life_satisfaction").iloc[0]
    assert change["n_both"] > 0
    assert change["difference"] == pytest.approx(change["estimate_b"] - change["estimate_a"])
    assert change["se"] > 0 and 0 <= change["p_value"] <= 1
    assert change["ci_low"] < change["difference"] < change["ci_high"]


def test_panel_waves_are_households_only_and_need_weights(demo_store):
    w1 = _id(demo_store, "panel-2026-w1")
    with pytest.raises(explore.ExploreError, match="panel wave"):
        designs.analysis_design(demo_store, w1, "persons15")
    design = designs.analysis_design(demo_store, w1, "households")
    assert {"sex", "age_group", "income", "district_code"} <= set(design.frame.columns)
    assert crosstab(design, "sex", "commutes").f_test["p_value"] >= 0
    with pytest.raises(NoWeights):
        designs.analysis_design(demo_store, _id(demo_store, "panel-2026-w4"), "households")


def test_regression_family_follows_the_outcome(demo_store):
    design = designs.analysis_design(demo_store, _id(demo_store, "seoul-2025"), "persons15")
    linear = explore.fit_regression(design, "life_satisfaction", ["age", "sex"], ["sex"])
    assert linear.family == "gaussian" and linear.formula == "life_satisfaction ~ age + C(sex)"
    assert list(linear.regression.coefficients["term"]) == ["(Intercept)", "age", "C(sex)2"]
    logistic = explore.fit_regression(
        design, "volunteered", ["age"], numeric_outcome=False
    )  # yes/no: P(volunteered = 1)
    assert logistic.family == "quasibinomial" and logistic.event == 1
    assert "_outcome_event" not in design.frame.columns  # the cached design is not changed


def test_tile_frame_places_all_districts(demo_store):
    from data.reference import stored_table

    table = indicator_table(demo_store, _id(demo_store, "seoul-2025"))
    rows = table.query("indicator == 'life_satisfaction' and domain == 'district_code'")
    tiles = explore.tile_frame(
        rows[["district_code", "estimate"]], stored_table(demo_store, "districts")
    )
    assert len(tiles) == 25 and tiles["estimate"].notna().all()
    assert "종로" in set(tiles["short_ko"])


def test_a_wave_gives_the_indicators_its_questionnaire_asks_weighted_by_household(demo_store):
    from analysis.weights.survey_weights import latest_weights
    from surveys.frames import household_frame

    wave = _id(demo_store, "panel-2026-w1")
    table = designs.wave_indicator_table(demo_store, wave)
    assert {"happiness_index", "life_satisfaction"} <= set(table["indicator"])
    assert "housing_satisfaction" not in set(table["indicator"])  # not asked in the wave
    seoul = table.query("indicator == 'life_satisfaction' and domain == 'seoul'").iloc[0]
    # independently: the respondents' answers weighted with the stored wave weights
    frame = household_frame(demo_store, wave)
    _, weights, _ = latest_weights(demo_store, wave, "household")
    merged = frame.merge(weights, on="household_id")
    y = merged["life_satisfaction"].astype(float).to_numpy()
    w = merged["weight"].to_numpy()
    assert seoul["estimate"] == pytest.approx((w * y).sum() / w.sum(), rel=1e-10)
    assert set(table["population"]) == {"households"}


def test_the_trend_across_waves_counts_households_in_both(demo_store):
    waves = [_id(demo_store, f"panel-2026-w{n}") for n in (1, 2, 3)]
    trend = trends.wave_trend(demo_store, "life_satisfaction", [waves[0], waves[2]])
    assert trend["code"].tolist() == ["panel-2026-w1", "panel-2026-w3"]
    later = trend.iloc[1]
    assert later["difference"] == pytest.approx(later["estimate"] - trend.iloc[0]["estimate"])
    assert later["n_both"] > 0 and later["se_difference"] > 0
    with pytest.raises(explore.ExploreError, match="asks none"):
        trends.wave_trend(demo_store, "housing_satisfaction", [waves[0], waves[2]])


def test_the_trend_across_waves_leaves_out_a_wave_that_did_not_ask(demo_store):
    waves = [_id(demo_store, f"panel-2026-w{n}") for n in (1, 2, 3)]
    assert trends.waves_asking(demo_store, "happiness_index", waves) == [waves[0], waves[2]]
    trend = trends.wave_trend(demo_store, "happiness_index", waves)
    assert trend["code"].tolist() == ["panel-2026-w1", "panel-2026-w3"]
    change = trends.wave_change(demo_store, waves[0], waves[2], "indicator__happiness_index")
    assert trend.iloc[1]["difference"] == pytest.approx(change.iloc[0]["difference"])
    assert trend.iloc[1]["se_difference"] == pytest.approx(change.iloc[0]["se"])


def test_a_wave_share_is_a_percentage_like_the_cross_section_one(demo_store):
    from analysis.weights.survey_weights import latest_weights
    from surveys.frames import household_frame

    wave = _id(demo_store, "panel-2026-w3")
    table = designs.wave_indicator_table(demo_store, wave, ["trust_neighbours"])
    seoul = table.query("domain == 'seoul'").iloc[0]
    frame = household_frame(demo_store, wave)
    _, weights, _ = latest_weights(demo_store, wave, "household")
    merged = frame.merge(weights, on="household_id")
    trusting = merged["trust_neighbours"].isin([4, 5]).to_numpy()
    w = merged["weight"].to_numpy()
    assert seoul["estimate"] == pytest.approx(100 * w[trusting].sum() / w.sum(), rel=1e-10)
    districts = table.query("domain == 'district_code'")
    assert districts["ci_high"].dropna().le(100).all() and districts["se"].lt(50).all()
    trend = trends.wave_trend(
        demo_store, "trust_neighbours", [_id(demo_store, "panel-2026-w1"), wave]
    )
    assert trend["estimate"].between(0, 100).all()
    assert trend.iloc[1]["difference"] == pytest.approx(
        trend.iloc[1]["estimate"] - trend.iloc[0]["estimate"]
    )
