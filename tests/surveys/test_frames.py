"""Analysis frames: every sampled household once, every eligible member once, typed by question."""

from __future__ import annotations

import pandas as pd
import pytest

from surveys.frames import household_frame, person_frame, survey_frames
from surveys.opening import questionnaire_of, survey_by_code


@pytest.mark.parametrize("code", ["seoul-2026", "panel-2026-w2"])
def test_both_frames_read_together_equal_each_read_alone(demo_store, code):
    survey_id = survey_by_code(demo_store, code).survey_id
    households, persons = survey_frames(demo_store, survey_id)
    pd.testing.assert_frame_equal(households, household_frame(demo_store, survey_id))
    pd.testing.assert_frame_equal(persons, person_frame(demo_store, survey_id))


def test_members_carry_their_own_answers_and_their_households_context(demo_store):
    survey_id = survey_by_code(demo_store, "seoul-2026").survey_id
    households, persons = survey_frames(demo_store, survey_id)
    assert households["household_id"].is_unique
    assert not persons.duplicated(["household_id", "member_no"]).any()
    answered = households[households["response_status"] != "nonrespondent"]
    assert set(persons["household_id"]) <= set(answered["household_id"])
    # single choices are codes typed as whole numbers, not text or floats
    questionnaire = questionnaire_of(demo_store, survey_id)
    singles = [
        q.name
        for part, _s, q in questionnaire.all_questions()
        if part.name == "household" and q.type == "single" and q.name in households.columns
    ]
    assert singles and all(str(households[name].dtype) == "Int64" for name in singles)
    assert persons["age"].dropna().between(0, 120).all()
