"""XLSForm choices as ODK reads them: the external_choices sheet, cascades on several columns,
a name repeated under other parents, and filters or rules naming what no choice has.

Each test builds a small workbook with openpyxl; each checks one behaviour, and the round
trip through ``to_xlsform`` where the model grew for it.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from surveys.questionnaire.flow import choices_for
from surveys.questionnaire.static_checks import static_findings
from surveys.questionnaire.xlsform import read_xlsform
from surveys.questionnaire.xlsform_export import to_xlsform

Rows = Sequence[Sequence[object]]


def workbook(path: Path, **sheets: Rows) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def read_back(questionnaire):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "back.xlsx"
        path.write_bytes(to_xlsform(questionnaire))
        back, problems = read_xlsform(path)
    assert problems == []
    return back


SETTINGS = [("form_id", "version"), ("cascade", "1")]
STATES = [("list_name", "name", "label"), ("states", "texas", "Texas"), ("states", "wa", "WA")]
CASCADE = [
    ("list_name", "name", "label", "state", "county"),
    ("counties", "king", "King", "wa", None),
    ("counties", "pierce", "Pierce", "wa", None),
    ("counties", "king", "King", "texas", None),
    ("cities", "dumont", "Dumont", "texas", "king"),
    ("cities", "seattle", "Seattle", "wa", "king"),
    ("cities", "tacoma", "Tacoma", "wa", "pierce"),
]
CASCADE_SURVEY = [
    ("type", "name", "label", "choice_filter"),
    ("select_one states", "state", "State", None),
    ("select_one_external counties", "county", "County", "state=${state}"),
    ("select_one_external cities", "city", "City", "state=${state} and county=${county}"),
]


def cascade(tmp_path: Path):
    path = workbook(
        tmp_path / "c.xlsx",
        survey=CASCADE_SURVEY,
        choices=STATES,
        external_choices=CASCADE,
        settings=SETTINGS,
    )
    questionnaire, problems = read_xlsform(path)
    assert problems == []
    return questionnaire


def labels(questionnaire, name, values):
    question = questionnaire.question(name)
    return [c.label.pick("en") for c in choices_for(questionnaire, question, values)]


def test_select_one_external_takes_its_choices_from_the_external_choices_sheet(tmp_path):
    q = cascade(tmp_path)
    assert q.question("county").type == "single"
    assert q.question("county").choices == "counties"
    assert q.metadata["external_choices"] == {"counties": "counties", "cities": "cities"}


def test_a_filter_on_two_columns_keeps_both_by_name(tmp_path):
    q = cascade(tmp_path)
    texas, wa = 1, 2
    assert q.question("city").choice_filter.source == "state=${state} and county=${county}"
    assert labels(q, "city", {"state": wa, "county": 1}) == ["Seattle"]
    assert labels(q, "city", {"state": texas, "county": 1}) == ["Dumont"]


def test_a_name_repeated_under_another_parent_is_one_code(tmp_path):
    q = cascade(tmp_path)
    kings = [c for c in q.choice_lists["counties"].choices if c.label.pick("en") == "King"]
    assert [c.code for c in kings] == [1, 1]
    assert labels(q, "county", {"state": 1}) == ["King"]  # Texas: its own King only


def test_a_repeated_name_on_the_choices_sheet_needs_allow_choice_duplicates(tmp_path):
    survey = [
        row if "external" not in str(row[0]) else (row[0].replace("_external", ""), *row[1:])
        for row in CASCADE_SURVEY
    ]
    path = workbook(
        tmp_path / "d.xlsx",
        survey=survey,
        choices=CASCADE[:1] + STATES[1:] + CASCADE[1:],
        settings=SETTINGS,
    )
    _, problems = read_xlsform(path)
    assert [(p.location, p.question) for p in problems] == [("choices row 6", "counties")]
    assert "allow_choice_duplicates" in problems[0].text.en
    allowed = [("form_id", "version", "allow_choice_duplicates"), ("cascade", "1", "yes")]
    path = workbook(
        tmp_path / "e.xlsx",
        survey=survey,
        choices=CASCADE[:1] + STATES[1:] + CASCADE[1:],
        settings=allowed,
    )
    q, problems = read_xlsform(path)
    assert problems == []
    back = read_back(q)
    assert back.choice_lists == q.choice_lists and back.parts == q.parts


def test_external_lists_and_named_columns_read_back_equal(tmp_path):
    q = cascade(tmp_path)
    back = read_back(q)
    assert back.choice_lists == q.choice_lists
    assert back.question("city") == q.question("city")
    assert back.metadata == q.metadata


def test_a_list_on_both_sheets_keeps_the_external_one_apart(tmp_path):
    survey = [
        ("type", "name", "label"),
        ("select_one c1", "q1", "Q1"),
        ("SELECT_ONE_EXTERNAL c1", "q2", "Q2"),
    ]
    choices = [("list_name", "name", "label"), ("c1", "a", "A")]
    external = [("list_name", "name", "label"), ("c1", "x", "X"), ("c1", "y", "Y")]
    path = workbook(tmp_path / "b.xlsx", survey=survey, choices=choices, external_choices=external)
    q, problems = read_xlsform(path)
    assert problems == []
    assert q.question("q2").choices == "c1_external"
    assert len(q.choice_lists["c1_external"].choices) == 2
    assert read_back(q).choice_lists == q.choice_lists


def test_select_one_external_without_the_sheet_is_refused_at_its_row(tmp_path):
    survey = [("type", "name", "label"), ("select_one_external places", "place", "Place")]
    _, problems = read_xlsform(workbook(tmp_path / "m.xlsx", survey=survey))
    assert problems
    assert (problems[0].location, problems[0].question) == ("survey row 2", "place")
    assert "external_choices" in problems[0].text.en and "external_choices" in problems[0].text.ko


def test_a_filter_naming_a_missing_column_leaves_no_choice(tmp_path):
    survey = [
        ("type", "name", "label", "choice_filter"),
        ("select_one colors", "pastel", "Pastel", "pastel=yes"),
    ]
    choices = [
        ("list_name", "name", "label", "pastel"),
        ("colors", "red", "Red", "no"),
        ("colors", "mauve", "Mauve", "yes"),
    ]
    q, problems = read_xlsform(workbook(tmp_path / "p.xlsx", survey=survey, choices=choices))
    assert problems == []
    assert q.question("pastel").choice_filter.source == "false()"  # XPath: an empty node-set
    assert labels(q, "pastel", {}) == []
    assert [(f.kind, f.question) for f in static_findings(q)] == [("empty_choice_filter", "pastel")]


def test_a_filter_reading_no_column_needs_no_filter_values(tmp_path):
    survey = [
        ("type", "name", "label", "choice_filter"),
        ("select_one colors", "color", "Color", "true()"),
    ]
    choices = [("list_name", "name", "label", "header with spaces"), ("colors", "red", "Red", "x")]
    q, problems = read_xlsform(workbook(tmp_path / "t.xlsx", survey=survey, choices=choices))
    assert problems == []
    assert labels(q, "color", {}) == ["Red"]


def test_a_rule_naming_no_choice_is_accepted_and_the_static_checks_say_so(tmp_path):
    survey = [
        ("type", "name", "label", "relevant"),
        ("select_one yn", "car", "Car", None),
        ("text", "which", "Which", "${car} = 'maybe'"),
    ]
    choices = [("list_name", "name", "label"), ("yn", "yes", "Yes"), ("yn", "no", "No")]
    q, problems = read_xlsform(workbook(tmp_path / "r.xlsx", survey=survey, choices=choices))
    assert problems == []
    assert [(f.kind, f.question) for f in static_findings(q)] == [("never_shown", "which")]
    assert io.BytesIO(to_xlsform(q)).getbuffer().nbytes > 0
    assert read_back(q).question("which") == q.question("which")


def test_an_osm_question_is_a_captured_file_and_keeps_its_tags(tmp_path):
    survey = [("type", "name", "label"), ("osm building_tags", "building", "Building")]
    osm = [("list name", "name", "label"), ("building_tags", "addr:street", "Street")]
    q, problems = read_xlsform(workbook(tmp_path / "o.xlsx", survey=survey, osm=osm))
    assert problems == []
    assert q.question("building").type == "file"
    assert q.metadata["osm"] == {"building": "building_tags"}
    assert q.metadata["osm_tags"] == [("building_tags", "addr:street", "Street")]
    back = read_back(q)
    assert back.parts == q.parts and back.metadata == q.metadata
