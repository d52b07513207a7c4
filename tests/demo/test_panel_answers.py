"""Demo panel-wave answers: valid against each questionnaire, repeatable, plausible."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from data.validation import validate_frame
from demo.panel_answers import draw_wave_answers
from surveys.answer_frames import household_frames
from surveys.questionnaire.loader import list_definitions, load_questionnaire
from surveys.questionnaire.model import Questionnaire
from surveys.questionnaire.response_schema import household_schema

QUESTIONNAIRES = {
    q.id: q
    for q in map(load_questionnaire, list_definitions())
    if q.id in ("panel_seoul_parallel", "panel_policy_demand")
}
IDS = sorted(QUESTIONNAIRES)
DISTRICTS = np.array(["11110", "11350", "11440", "11620", "11680", "11740"])


def make_households(n: int = 2_000, seed: int = 0) -> pd.DataFrame:
    """Random panel households: every type, age band, income bracket and district."""
    rng = np.random.default_rng(seed)
    band = rng.integers(1, 7, n)
    lowest_age = np.array([18, 30, 40, 50, 60, 70])[band - 1]
    household_type = rng.integers(1, 6, n)
    return pd.DataFrame(
        {
            "household_id": np.arange(1, n + 1),
            "district_code": DISTRICTS[rng.integers(0, len(DISTRICTS), n)],
            "household_type": household_type,
            "head_age_band": band,
            "household_size": np.where(household_type == 1, 1, rng.integers(2, 7, n)),
            "income_bracket": rng.integers(1, 10, n),
            "head_sex": rng.integers(1, 3, n),
            "head_birth_year": 2026 - lowest_age - rng.integers(0, 10, n),
        }
    )


HOUSEHOLDS = make_households()


def draw(questionnaire: Questionnaire, households: pd.DataFrame = HOUSEHOLDS, seed: int = 1):
    return draw_wave_answers(questionnaire, households, 2, np.random.default_rng(seed))


@pytest.mark.parametrize("qid", IDS)
def test_every_answer_passes_the_generated_schema(qid):
    questionnaire = QUESTIONNAIRES[qid]
    frame, _ = household_frames(questionnaire, draw(questionnaire))
    result = validate_frame(frame, household_schema(questionnaire))
    assert result.batch_reasons == []
    assert not result.reasons, list(result.reasons.items())[:3]


@pytest.mark.parametrize("qid", IDS)
def test_the_same_seed_gives_the_same_answers(qid):
    questionnaire = QUESTIONNAIRES[qid]
    assert draw(questionnaire, seed=7) == draw(questionnaire, seed=7)


@pytest.mark.parametrize("qid", IDS)
def test_the_respondent_is_the_head(qid):
    answers = draw(QUESTIONNAIRES[qid])
    assert [a["sex"] for a in answers] == HOUSEHOLDS["head_sex"].tolist()
    assert [a["birth_year"] for a in answers] == HOUSEHOLDS["head_birth_year"].tolist()


def test_a_birth_year_outside_the_range_is_kept_within_it():
    households = make_households(3).assign(head_birth_year=[1890, 1970, 2020])
    answers = draw(QUESTIONNAIRES["panel_policy_demand"], households)
    assert [a["birth_year"] for a in answers] == [1900, 1970, 2011]


def test_happiness_rises_with_income():
    households = make_households(4_000)
    answers = draw(QUESTIONNAIRES["panel_seoul_parallel"], households)
    frame = pd.DataFrame(answers)
    by_income = frame.groupby("income")["life_satisfaction"].mean()
    assert by_income.loc[9] > by_income.loc[1] + 0.5


def test_young_one_person_households_put_housing_first_more_often():
    households = make_households(4_000)
    answers = pd.DataFrame(draw(QUESTIONNAIRES["panel_policy_demand"], households))
    young_alone = (households["household_type"] == 1) & (households["head_age_band"] == 1)
    housing_first = answers["top_priority"] == 1
    assert housing_first[young_alone].mean() > housing_first[~young_alone].mean() + 0.1


def test_an_unknown_questionnaire_is_refused():
    other = replace(QUESTIONNAIRES["panel_policy_demand"], id="seoul_survey")
    with pytest.raises(ValueError, match="seoul_survey"):
        draw(other)
