"""XLSForm's acknowledge, read_only, computed values and file-only labels, as ODK reads them.

Each test builds a small workbook with openpyxl and checks one behaviour: how the reader
models it, how the response schema validates it, and that ``to_xlsform`` writes it back.
"""

from __future__ import annotations

from pathlib import Path

from surveys.answer_frames import check_household
from surveys.questionnaire.flow import calculated
from surveys.questionnaire.xlsform import read_xlsform
from tests.surveys.test_xlsform_external import read_back, workbook

WIDGETS = [
    ("type", "name", "label", "calculation", "read_only", "image"),
    ("integer", "men", "Men", None, None, None),
    ("integer", "women", "Women", None, None, None),
    ("acknowledge", "ok", "I have read the consent", None, None, None),
    ("trigger", "legacy", "Push the button", None, None, None),
    ("integer", "total", "Total", "${men} + ${women}", "yes", None),
    ("text", "shown", "Shown, never answered", None, "true()", None),
    ("note", "picture", None, None, None, "img_test.jpg"),
]


def read(tmp_path: Path):
    questionnaire, problems = read_xlsform(workbook(tmp_path / "w.xlsx", survey=WIDGETS))
    assert problems == []
    return questionnaire


def test_acknowledge_and_the_legacy_trigger_are_one_box_answered_ok(tmp_path):
    q = read(tmp_path)
    assert (q.question("ok").type, q.question("legacy").type) == ("acknowledge", "acknowledge")
    assert check_household(q, {"men": 1, "women": 1, "ok": "OK"}).household == {}
    assert "ok" in check_household(q, {"ok": "yes"}).household


def test_read_only_is_a_flag_and_a_calculation_on_an_integer_is_its_value(tmp_path):
    q = read(tmp_path)
    total = q.question("total")
    assert total.read_only and total.calculate.source == "${men} + ${women}"
    part = q.household
    assert calculated(part, {"men": 2, "women": 3}, roster=False)["total"] == 5


def test_a_read_only_question_without_a_calculation_takes_no_answer(tmp_path):
    q = read(tmp_path)
    assert q.question("shown").read_only
    assert check_household(q, {"shown": "typed anyway"}).household.keys() == {"shown"}


def test_a_note_labelled_by_a_picture_only_shows_the_file_name(tmp_path):
    q = read(tmp_path)
    assert q.question("picture").label.pick("en") == "img_test.jpg"
    assert q.metadata["media_labels"] == {"picture": ("image", "img_test.jpg")}


def test_a_note_without_a_calculation_can_be_read_as_empty(tmp_path):
    survey = [
        ("type", "name", "label", "calculation"),
        ("note", "told", "Told", None),
        ("calculate", "check", None, "if(${told} = ${told}, 'success', 'error')"),
    ]
    q, problems = read_xlsform(workbook(tmp_path / "n.xlsx", survey=survey))
    assert problems == []
    assert calculated(q.household, {}, roster=False)["check"] == "success"


def test_a_constraint_on_a_calculate_is_kept(tmp_path):
    survey = [
        ("type", "name", "label", "calculation", "constraint"),
        ("integer", "n", "N", None, None),
        ("calculate", "twice", None, "${n} * 2", ". <= 25"),
    ]
    q, problems = read_xlsform(workbook(tmp_path / "c.xlsx", survey=survey))
    assert problems == []
    assert q.question("twice").constraint.source == ". <= 25"


def test_a_read_only_rule_is_refused_with_its_row(tmp_path):
    survey = [("type", "name", "label", "read_only"), ("text", "t", "T", "${x} > 1")]
    _, problems = read_xlsform(workbook(tmp_path / "r.xlsx", survey=survey))
    assert [(p.location, p.question) for p in problems] == [("survey row 2", "t")]
    assert "read_only" in problems[0].text.en and "read_only" in problems[0].text.ko


def test_widgets_read_back_equal(tmp_path):
    q = read(tmp_path)
    back = read_back(q)
    assert back.parts == q.parts and back.metadata == q.metadata


def test_a_loop_over_a_list_is_one_group_per_choice_as_pyxform_expands_it(tmp_path):
    survey = [
        ("type", "name", "label", "relevant"),
        ("select_multiple toilets", "has", "Which toilets?", None),
        ("begin loop over toilets", "each", None, None),
        ("integer", "number", "How many %(label)s?", "selected(${has}, '%(name)s')"),
        ("integer", "broken", "Broken of ${number}", None),
        ("end loop", None, None, None),
    ]
    choices = [
        ("list_name", "name", "label"),
        ("toilets", "pit", "Pit"),
        ("toilets", "flush", "Flush"),
    ]
    q, problems = read_xlsform(workbook(tmp_path / "l.xlsx", survey=survey, choices=choices))
    assert problems == []
    pit = q.question("each_pit_number")
    assert pit.label.pick("en") == "How many Pit?"
    assert pit.relevant.source == "selected(${has}, '1')"
    assert q.question("each_flush_broken").label.pick("en") == "Broken of ${each_flush_number}"
    back = read_back(q)
    assert back.parts == q.parts
