"""Household rules that read across the roster: ``count(${members})``, ``min(${birth_year})``.

A real household form counts its members (KoBo's ``count(${member})``); such a rule, written
outside the roster, reads every listed member's answer — on the respondent's screens (the
row-wise evaluator) and in validation (the vectorized one) alike — while a roster question
read bare outside the roster stays refused.
"""

from __future__ import annotations

from typing import Any

from surveys.answer_frames import check_household
from surveys.questionnaire.flow import clean_answers, shown_questions
from surveys.questionnaire.loader import questionnaire_from_dict
from tests.surveys.test_loader import problems_of, small_dict

ELDERS = {
    "id": "elders_section",
    "title": {"ko": "어르신", "en": "Elders"},
    "questions": [
        {
            "name": "elders",
            "type": "integer",
            "required": True,
            "label": {"ko": "65세 이상 가구원 수", "en": "Members aged 65 or over"},
            "relevant": "min(${birth_year}) <= 1961",
            "constraint": ". <= count(${members})",
        }
    ],
}


def _with_elders(**changes: str) -> dict[str, Any]:
    data = small_dict()
    section = {**ELDERS, "questions": [{**ELDERS["questions"][0], **changes}]}
    data["household"]["sections"].append(section)
    return data


def _answers(birth_years: list[int], elders: int | None) -> dict[str, Any]:
    members = [{"relation": 1, "sex": 1, "birth_year": year} for year in birth_years]
    answers: dict[str, Any] = {"household_size": len(members), "tenure": 1, "members": members}
    if elders is not None:
        answers["elders"] = elders
    return answers


def test_a_household_rule_may_count_and_read_the_members_through_node_set_functions():
    assert problems_of(_with_elders()) == []
    rule = questionnaire_from_dict(_with_elders()).question("elders").constraint
    assert rule is not None and rule.repeats == {"members": "members"}


def test_a_roster_answer_read_bare_outside_the_roster_is_still_refused():
    problems = problems_of(_with_elders(constraint=". <= ${birth_year}"))
    assert any("roster question" in p.text.en for p in problems)


def test_validation_refuses_more_elders_than_members_listed():
    q = questionnaire_from_dict(_with_elders())
    refused = check_household(q, _answers([1950, 1990], elders=3)).household.get("elders")
    assert refused and "not allowed" in refused[0].text.en
    assert not check_household(q, _answers([1950, 1990], elders=1)).household.get("elders")


def test_the_question_is_asked_only_when_some_member_was_born_1961_or_before():
    q = questionnaire_from_dict(_with_elders())
    section = next(s for s in q.household.sections if s.id == "elders_section")
    assert [x.name for x in shown_questions(section, _answers([1950, 1990], None))] == ["elders"]
    assert shown_questions(section, _answers([1980, 1990], None)) == []
    # validation agrees with the screens: asked and unanswered is missing, skipped is dropped
    missing = check_household(q, _answers([1950, 1990], None)).household.get("elders")
    assert missing and "Please answer" in missing[0].text.en
    assert not check_household(q, _answers([1980, 1990], None)).household.get("elders")
    assert "elders" not in clean_answers(q, 0, _answers([1980, 1990], elders=1))
    assert clean_answers(q, 0, _answers([1950, 1990], elders=1))["elders"] == 1
