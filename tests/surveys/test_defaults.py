"""XLSForm ``default``: a screen seen for the first time starts from its defaults, typed as
the question's answers are, and never overwrites an answer given."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.questionnaire.defaults import default_answers, typed_default, with_defaults
from surveys.questionnaire.model import Label, Question
from surveys.questionnaire.xlsform import read_xlsform
from tests.surveys.test_xlsform import write_workbook

SURVEY = [
    ("type", "name", "label", "default", "read_only"),
    ("integer", "rooms", "Rooms", "3", None),
    ("decimal", "area", "Area (m2)", "18.31", None),
    ("select_one tenure", "tenure", "Tenure", "rent", None),
    ("select_multiple fuel", "fuel", "Fuels", "gas wood", None),
    ("date", "moved", "Moved in", "2010-06-15 00:00:00", None),
    ("time", "wake", "Wakes at", "09:30:00", None),
    ("text", "city", "City", "Seoul", "yes"),
    ("integer", "floors", "Floors", "many", None),  # not a number: nothing pre-filled
    ("select_one tenure", "before", "Tenure before", "castle", None),  # no such choice
]
CHOICES = [
    ("list_name", "name", "label"),
    ("tenure", "own", "Own"),
    ("tenure", "rent", "Rent"),
    ("fuel", "gas", "Gas"),
    ("fuel", "wood", "Wood"),
    ("fuel", "coal", "Coal"),
]


@pytest.fixture(scope="module")
def questionnaire(tmp_path_factory):
    path = write_workbook(tmp_path_factory.mktemp("defaults") / "home.xlsx", SURVEY, CHOICES)
    questionnaire, problems = read_xlsform(path)
    assert questionnaire is not None, problems
    return questionnaire


def test_each_default_becomes_an_answer_of_its_questions_type(questionnaire):
    section = questionnaire.household.sections[0]
    names = questionnaire.metadata["choice_names"]
    rent = next(c for c, n in names["tenure"].items() if n == "rent")
    gas, wood = (next(c for c, n in names["fuel"].items() if n == f) for f in ("gas", "wood"))
    assert default_answers(questionnaire, list(section.questions)) == {
        "rooms": 3,
        "area": 18.31,
        "tenure": rent,
        "fuel": [gas, wood],
        "moved": "2010-06-15",
        "wake": "09:30:00",
        "city": "Seoul",
    }


def test_a_screen_already_answered_keeps_its_answers_and_gets_no_default(questionnaire):
    section = questionnaire.household.sections[0]
    assert with_defaults(questionnaire, section, {"rooms": None}) == {"rooms": None}
    first = with_defaults(questionnaire, section, {"elsewhere": 1})
    assert first["rooms"] == 3 and first["elsewhere"] == 1


def _question(kind: str) -> Question:
    return Question(name="q", type=kind, label=Label(ko="질문", en="Question"))


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_any_whole_number_written_as_a_default_is_that_number(n):
    assert typed_default(_question("integer"), str(n), {}) == n
    assert typed_default(_question("decimal"), str(n), {}) == float(n)


@given(st.text(max_size=20).filter(lambda t: any(c.isalpha() for c in t)))
def test_a_default_with_words_pre_fills_no_number_and_no_unknown_choice(text):
    assert typed_default(_question("integer"), text, {}) is None
    assert typed_default(_question("decimal"), text, {}) is None
    assert typed_default(_question("single"), text, {"own": 1}) == (1 if text == "own" else None)
