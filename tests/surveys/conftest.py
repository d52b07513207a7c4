"""A Seoul Survey 2026 in the field on a copy of the small demo database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

SEOUL_2026 = (
    Path(__file__).resolve().parents[2] / "surveys" / "definitions" / "seoul_survey_2026.yaml"
)


@dataclass
class FieldSurvey:
    store: object
    survey_id: int
    questionnaire: object
    codes: pd.DataFrame  # household_id, code, code_grouped


@pytest.fixture
def field_survey(demo_store) -> FieldSurvey:
    from surveys.fieldwork.invitations import issue_codes
    from surveys.fieldwork.sampling import TwoStageDesign
    from surveys.opening import draw_sample, open_survey, questionnaire_of, set_status

    survey = open_survey(
        demo_store,
        SEOUL_2026,
        code="test-2026",
        title_ko="시험 조사",
        reference_year=2026,
        actor="tester",
    )
    sample = draw_sample(
        demo_store,
        survey.survey_id,
        TwoStageDesign(n_households=100, per_area=5, floor=0, seed=1),
        actor="tester",
    )
    set_status(demo_store, survey.survey_id, "in_field", actor="tester")
    codes = issue_codes(demo_store, survey.survey_id, sample["household_id"], actor="tester")
    return FieldSurvey(
        demo_store, survey.survey_id, questionnaire_of(demo_store, survey.survey_id), codes
    )


def household_answers(size: int = 2) -> dict:
    """A valid household part: a head born 1970 and a child born 2012 (not yet 15)."""
    members = [
        {
            "relation": 1,
            "sex": 1,
            "birth_year": 1970,
            "marital_status": 2,
            "education": 6,
            "education_status": 1,
            "econ_activity": 1,
        },
        {"relation": 3, "sex": 2, "birth_year": 2012},
        {
            "relation": 2,
            "sex": 2,
            "birth_year": 1972,
            "marital_status": 2,
            "education": 5,
            "education_status": 1,
            "econ_activity": 7,
        },
    ][:size]
    return {
        "housing_type": 2,
        "tenure": 1,
        "years_at_address": 5,
        "housing_satisfaction": 7,
        "housing_cost_burden": 2,
        "move_plan": 2,
        "hh_respondent": 1,
        "household_size": size,
        "members": members,
        "income": 5,
        "debt": 2,
        "cars": 1,
        "eco_cars": 0,
        "pets": [1],
        "care_need": 2,
        "family_meals": 2,
    }


def person_answers() -> dict:
    """A valid person part for an employed adult who does not commute."""
    return {
        "happy_health": 7,
        "happy_finance": 6,
        "happy_relations": 8,
        "happy_family": 8,
        "happy_social": 6,
        "happiness_overall": 70,
        "life_satisfaction": 7,
        "health_self": 2,
        "trust_neighbours": 3,
        "trust_public": 3,
        "seoul_pride": 7,
        "social_class": 3,
        "class_mobility": 3,
        "seoul_in_10_years": 1,
        "commutes": 2,
        "env_residential": 7,
        "env_transport": 7,
        "env_green": 6,
        "env_safety": 7,
        "env_culture": 6,
        "urban_risks": [1, 2],
        "volunteered": 2,
        "donated": 2,
        "sns_use": 2,
        "genai_use": 1,
        "lonely_companionship": 1,
        "lonely_left_out": 1,
        "lonely_isolated": 1,
        "stress": 5,
        "smoking": 1,
        "exercise": 2,
        "work_hours": 40,
        "job_satisfaction": 6,
        "four_half_day_week": 4,
    }
