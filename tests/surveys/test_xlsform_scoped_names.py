"""XLSForm names are unique per scope: a repeat's question may share a household question's name.

pyxform asks a name to be unique among its group's or repeat's children, so a household form
often asks ``name`` and ``age`` of the respondent and again of each child in a repeat. Each is
stored in its own place (the household's answers, each member's row); a ``${name}`` reference
to such a name is refused as ambiguous, as pyxform refuses it. One name in two groups outside
any repeat would share one place, so the later question is named after its group.
"""

from __future__ import annotations

from pathlib import Path

from surveys.answer_frames import check_household
from surveys.questionnaire.xlsform import read_xlsform
from tests.surveys.test_xlsform import write_workbook

CHOICES = [("list_name", "name", "label")]


def _read(tmp_path: Path, survey: list[tuple]):
    return read_xlsform(write_workbook(tmp_path / "form.xlsx", survey, CHOICES))


def _children_form(*more: tuple) -> list[tuple]:
    return [
        ("type", "name", "label", "relevant", "constraint"),
        ("text", "name", "Your name", None, None),
        ("integer", "age", "Your age", None, None),
        ("begin_repeat", "children", "Children", None, None),
        ("text", "name", "Child's name", None, None),
        ("integer", "age", "Child's age", None, ". < 18"),
        ("end_repeat", None, None, None, None),
        *more,
    ]


def test_a_repeat_question_may_share_a_household_question_name(tmp_path):
    questionnaire, problems = _read(tmp_path, _children_form())
    assert questionnaire is not None, problems
    roster = questionnaire.household.roster_section()
    assert roster is not None and [q.name for q in roster.questions] == ["name", "age"]


def test_each_answer_of_a_shared_name_is_stored_and_checked_in_its_own_place(tmp_path):
    questionnaire, _ = _read(tmp_path, _children_form())
    assert questionnaire is not None
    answers = {
        "name": "Amina",
        "age": 40,
        "children_count": 2,
        "children": [{"name": "Juma", "age": 7}, {"name": "Asha", "age": 30}],
    }
    check = check_household(questionnaire, answers)
    assert not check.household  # the respondent's age 40 is not a child's age
    assert set(check.members) == {2} and set(check.members[2]) == {"age"}


def test_a_reference_to_a_shared_name_is_refused_as_ambiguous_naming_its_row(tmp_path):
    survey = _children_form(("note", "greet", "Hello", "${age} > 18", None))
    questionnaire, problems = _read(tmp_path, survey)
    assert questionnaire is None
    found = [p for p in problems if p.location == "survey row 8"]
    assert found and "ambiguous" in found[0].message_en and "${age}" in found[0].message_ko


def test_a_repeat_may_hold_a_question_of_its_own_name(tmp_path):
    survey = [
        ("type", "name", "label"),
        ("begin_repeat", "gps", "Points"),
        ("geopoint", "gps", "Point"),
        ("text", "info", "Info"),
        ("end_repeat", None, None),
    ]
    questionnaire, problems = _read(tmp_path, survey)
    assert questionnaire is not None, problems
    assert [q.name for q in questionnaire.household.roster_section().questions] == ["gps", "info"]


def _two_groups(*more: tuple) -> list[tuple]:
    return [
        ("type", "name", "label", "relevant"),
        ("begin_group", "wheat", "Wheat", None),
        ("integer", "price", "Price of wheat", None),
        ("end_group", None, None, None),
        ("begin_group", "maize", "Maize", None),
        ("integer", "price", "Price of maize", None),
        ("end_group", None, None, None),
        *more,
    ]


def test_one_name_in_two_groups_keeps_both_questions_the_later_named_after_its_group(tmp_path):
    questionnaire, problems = _read(tmp_path, _two_groups())
    assert questionnaire is not None, problems
    names = [q.name for q in questionnaire.household.questions()]
    assert names == ["price", "maize_price"]
    assert questionnaire.question("maize_price").label.en == "Price of maize"


def test_a_reference_to_a_name_of_two_groups_is_refused_naming_its_row(tmp_path):
    survey = _two_groups(("note", "check", "Check", "${price} > 0"))
    questionnaire, problems = _read(tmp_path, survey)
    assert questionnaire is None
    found = [p for p in problems if p.location == "survey row 8"]
    assert found and "ambiguous" in found[0].message_en and "${price}" in found[0].message_ko


def test_one_name_twice_in_one_group_is_still_refused(tmp_path):
    survey = [
        ("type", "name", "label"),
        ("begin_group", "wheat", "Wheat"),
        ("integer", "price", "Price"),
        ("integer", "price", "Price again"),
        ("end_group", None, None),
    ]
    questionnaire, problems = _read(tmp_path, survey)
    assert questionnaire is None
    assert any("used twice" in p.message_en for p in problems)
