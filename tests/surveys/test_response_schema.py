"""The schema generated from the questionnaire: valid answers pass, damaged ones fail for the right reason."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.validation import ReasonCode
from surveys.answer_frames import check_person
from surveys.questionnaire.flow import holds
from surveys.questionnaire.loader import load_questionnaire
from tests.surveys.answer_strategies import answer_part

QUESTIONNAIRE = load_questionnaire(
    Path(__file__).resolve().parents[2] / "surveys" / "definitions" / "seoul_survey_2026.yaml"
)
PERSON = QUESTIONNAIRE.person

contexts = st.fixed_dictionaries(
    {
        "age": st.integers(15, 95),
        "sex": st.sampled_from([1, 2]),
        "econ_activity": st.integers(1, 9),
        "household_size": st.integers(1, 6),
    }
)


def _codes(check, name):
    return {r.code for r in check.household.get(name, [])}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), contexts)
def test_valid_answers_pass(data, context):
    answers = answer_part(data, QUESTIONNAIRE, PERSON, context)
    check = check_person(QUESTIONNAIRE, answers, context)
    assert check.ok, check.all_reasons()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), contexts)
def test_a_number_out_of_its_range_is_refused_as_out_of_range(data, context):
    answers = answer_part(data, QUESTIONNAIRE, PERSON, context)
    numeric = [
        n
        for n in answers
        if QUESTIONNAIRE.question(n).type in ("integer", "scale")
        and QUESTIONNAIRE.question(n).max is not None
    ]
    name = data.draw(st.sampled_from(numeric))
    answers[name] = int(QUESTIONNAIRE.question(name).max) + data.draw(st.integers(1, 1000))
    assert ReasonCode.OUT_OF_RANGE in _codes(check_person(QUESTIONNAIRE, answers, context), name)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), contexts)
def test_an_unknown_code_is_refused_as_invalid_code(data, context):
    answers = answer_part(data, QUESTIONNAIRE, PERSON, context)
    single = [n for n in answers if QUESTIONNAIRE.question(n).type == "single"]
    name = data.draw(st.sampled_from(single))
    answers[name] = data.draw(st.integers(100, 10_000))
    assert ReasonCode.INVALID_CODE in _codes(check_person(QUESTIONNAIRE, answers, context), name)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), contexts)
def test_a_required_answer_left_out_is_refused_as_missing(data, context):
    answers = answer_part(data, QUESTIONNAIRE, PERSON, context)
    required = [n for n in answers if QUESTIONNAIRE.question(n).required]
    name = data.draw(st.sampled_from(required))
    del answers[name]
    check = check_person(QUESTIONNAIRE, answers, context)
    assert _codes(check, name) == {ReasonCode.MISSING}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), contexts)
def test_an_answer_to_a_skipped_question_is_refused(data, context):
    answers = answer_part(data, QUESTIONNAIRE, PERSON, context)
    values = {**context, **answers}
    skipped = [
        q
        for s in PERSON.sections
        for q in s.questions
        if q.answered and q.relevant is not None and not holds(q.relevant, values)
    ]
    if not skipped:
        return
    question = data.draw(st.sampled_from(skipped))
    answers[question.name] = 1 if question.type != "multiple" else [1]
    check = check_person(QUESTIONNAIRE, answers, context)
    messages = [r.message_ko for r in check.household.get(question.name, [])]
    assert any("건너뛰어야" in m for m in messages)
