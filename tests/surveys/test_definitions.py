"""Every shipped questionnaire loads without a problem and accepts valid answers."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.answer_frames import check_household
from surveys.questionnaire.loader import check_questionnaire, list_definitions, load_questionnaire
from tests.surveys.answer_strategies import answer_part

DEFINITIONS = list_definitions()
WITHOUT_ROSTER = [
    p for p in DEFINITIONS if load_questionnaire(p).household.roster_section() is None
]


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.name)
def test_definition_has_no_problems(path):
    assert check_questionnaire(path) == []


def test_the_panel_ships_a_parallel_and_a_policy_demand_survey():
    kinds = {load_questionnaire(p).id: load_questionnaire(p).kind for p in DEFINITIONS}
    assert kinds.get("panel_seoul_parallel") == "panel_wave"
    assert kinds.get("panel_policy_demand") == "panel_wave"


@pytest.mark.parametrize("path", WITHOUT_ROSTER, ids=lambda p: p.name)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_valid_answers_pass_the_generated_schema(path, data):
    questionnaire = load_questionnaire(path)
    answers = answer_part(data, questionnaire, questionnaire.household, {})
    check = check_household(questionnaire, answers)
    assert check.ok, check.all_reasons()


def test_policy_priorities_exclude_the_first_choice():
    questionnaire = load_questionnaire(
        next(p for p in DEFINITIONS if p.name.startswith("panel_policy_demand"))
    )
    base = {
        "sex": 1,
        "birth_year": 1980,
        "top_priority": 1,
        "services_used": [99],
        "support_congestion_fee": 3,
        "support_climate_card": 4,
        "support_four_half_day": 5,
    }
    assert check_household(questionnaire, {**base, "other_priorities": [2, 3]}).ok
    refused = check_household(questionnaire, {**base, "other_priorities": [1, 2]})
    assert "other_priorities" in refused.household
