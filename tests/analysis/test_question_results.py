"""Question-by-question results: weighted percentages and means a report can print as they are."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.estimation.design import SurveyDesign
from analysis.estimation.estimators import mean, proportion
from analysis.reports.question_results import question_results
from surveys.questionnaire.loader import load_questionnaire

POLICY = Path(__file__).parents[2] / "surveys" / "definitions" / "panel_policy_demand_2026.yaml"


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire(POLICY)


def _frame(seed: int, n: int = 240) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    listed = []
    for i in range(n):
        if i % 7 == 0:
            listed.append(None)  # not asked
        else:
            listed.append(sorted(rng.choice(np.arange(1, 11), rng.integers(0, 4), replace=False)))
    pay = rng.integers(0, 20_000, n).astype(float)
    pay[rng.random(n) < 0.1] = np.nan
    return pd.DataFrame(
        {
            "household_id": np.arange(n),
            "district_code": rng.choice(["11110", "11140", "11170"], n),
            "ea_id": np.arange(n),
            "weight": rng.uniform(50, 400, n),
            "sex": rng.integers(1, 3, n),
            "birth_year": rng.integers(1940, 2005, n),
            "top_priority": rng.integers(1, 11, n),
            "other_priorities": listed,
            "willing_to_pay": pay,
        }
    )


def _design(frame: pd.DataFrame) -> SurveyDesign:
    return SurveyDesign(frame, weights="weight", strata="district_code", psu="ea_id")


def _row(results: pd.DataFrame, question: str, choice=None, domain="seoul", value=None):
    rows = results[(results["question"] == question) & (results["domain"] == domain)]
    if choice is not None:
        rows = rows[rows["choice"] == choice]
    if value is not None:
        rows = rows[rows["domain_value"] == value]
    assert len(rows) == 1
    return rows.iloc[0]


def test_a_choice_percentage_is_the_weighted_share_of_those_answering(questionnaire):
    frame = _frame(1)
    results = question_results(_design(frame), questionnaire, ["sex"])
    w, y = frame["weight"], frame["top_priority"]
    for code in range(1, 11):
        expected = 100 * w[y == code].sum() / w.sum()
        assert _row(results, "top_priority", code)["estimate"] == pytest.approx(expected)
    men = frame[frame["sex"] == 1]
    share = 100 * men["weight"][men["top_priority"] == 3].sum() / men["weight"].sum()
    assert _row(results, "top_priority", 3, "sex", 1)["estimate"] == pytest.approx(share)
    assert _row(results, "top_priority", 3)["choice_ko"] == "교통"


def test_percentages_carry_the_estimators_standard_errors(questionnaire):
    frame = _frame(2)
    results = question_results(_design(frame), questionnaire)
    reference = proportion(_design(frame), "top_priority", categorical=True)
    for _, ref in reference.iterrows():
        row = _row(results, "top_priority", int(ref["level"]))
        assert row["se"] == pytest.approx(100 * ref["se"])
        assert row["cv"] == pytest.approx(ref["cv"])
        assert row["n"] == ref["n"]


def test_a_multiple_choice_option_counts_only_households_asked(questionnaire):
    frame = _frame(3)
    results = question_results(_design(frame), questionnaire)
    asked = frame[frame["other_priorities"].notna()]
    chose = asked["other_priorities"].map(lambda codes: 5 in codes)
    expected = 100 * asked["weight"][chose].sum() / asked["weight"].sum()
    row = _row(results, "other_priorities", 5)
    assert row["estimate"] == pytest.approx(expected)
    assert row["n"] == len(asked)
    seoul = results[(results["question"] == "other_priorities") & (results["domain"] == "seoul")]
    assert len(seoul) == 10  # one row per option


def test_a_number_is_a_weighted_mean_of_those_answering(questionnaire):
    frame = _frame(4)
    results = question_results(_design(frame), questionnaire)
    answered = frame.dropna(subset=["willing_to_pay"])
    expected = np.average(answered["willing_to_pay"], weights=answered["weight"])
    row = _row(results, "willing_to_pay")
    assert row["statistic"] == "mean" and row["unit"] == "원/월"
    assert row["estimate"] == pytest.approx(expected)
    assert row["se"] == pytest.approx(mean(_design(frame), "willing_to_pay")["se"].iloc[0])


def test_domain_sources_and_questions_not_stored_are_not_tabulated(questionnaire):
    results = question_results(_design(_frame(5)), questionnaire)
    asked = set(results["question"])
    assert asked == {"top_priority", "other_priorities", "willing_to_pay"}


def test_an_estimate_too_uncertain_to_publish_is_blank_and_flagged(questionnaire):
    frame = _frame(6, n=40)
    frame.loc[0, "top_priority"] = 10
    frame.loc[1:, "top_priority"] = frame.loc[1:, "top_priority"].clip(upper=9)
    results = question_results(_design(frame), questionnaire)
    rare = _row(results, "top_priority", 10)
    assert rare["flag"] == "suppressed"
    assert np.isnan(rare["estimate"]) and np.isnan(rare["ci_low"])
    assert rare["cv"] > 0.5


@settings(max_examples=25, deadline=None)
@given(
    weights=st.lists(st.floats(1, 1_000), min_size=12, max_size=60),
    seed=st.integers(0, 10_000),
)
def test_shares_of_a_single_choice_add_up_to_one_hundred_in_every_domain(weights, seed):
    questionnaire = load_questionnaire(POLICY)
    rng = np.random.default_rng(seed)
    n = len(weights)
    frame = pd.DataFrame(
        {
            "district_code": rng.choice(["a", "b"], n),
            "ea_id": np.arange(n),
            "weight": weights,
            "sex": np.resize([1, 2], n),
            "top_priority": rng.integers(1, 4, n),
        }
    )
    results = question_results(_design(frame), questionnaire, ["sex"])
    for _, part in results.groupby(["domain", "domain_value"], dropna=False):
        shown = part.dropna(subset=["estimate"])
        assert shown["estimate"].sum() <= 100.0 + 1e-9  # blanked (suppressed) shares are left out
        if len(shown) == len(part):
            assert shown["estimate"].sum() == pytest.approx(100.0)


def test_a_choice_nobody_gave_is_listed_at_zero_percent(questionnaire):
    frame = _frame(8)
    frame["top_priority"] = frame["top_priority"].clip(upper=9)
    results = question_results(_design(frame), questionnaire, ["sex"])
    for domain, value in (("seoul", None), ("sex", 1), ("sex", 2)):
        row = _row(results, "top_priority", 10, domain, value)
        assert row["estimate"] == 0 and row["se"] == 0 and row["choice_ko"] == "디지털 행정 서비스"
    seoul = results[(results["question"] == "top_priority") & (results["domain"] == "seoul")]
    assert seoul["choice"].tolist() == list(range(1, 11))  # in the questionnaire's order
