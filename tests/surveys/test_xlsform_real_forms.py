"""XLSForm as forms are really written: one language or several, none of them Korean.

Small workbooks built here with openpyxl show each habit of real forms (see
``tests/surveys/test_xlsform_corpus.py`` for the forms themselves).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from data.text import Text
from surveys.questionnaire.captured_values import is_file_name, is_geopoint, is_points, is_time
from surveys.questionnaire.loader import check_questionnaire
from surveys.questionnaire.model import Label
from surveys.questionnaire.response_schema import household_schema
from surveys.questionnaire.xlsform import load_xlsform, read_xlsform
from tests.surveys.test_xlsform import write_workbook


def test_a_form_in_english_only_is_english(tmp_path: Path) -> None:
    survey = [("type", "name", "label", "hint"), ("integer", "age", "How old are you?", "Years")]
    choices = [("list_name", "name", "label")]
    q = load_xlsform(write_workbook(tmp_path / "english.xlsx", survey, choices))
    assert q.languages == ("en",)
    age = q.question("age")
    assert age.label.pick("en") == age.label.pick("ko") == "How old are you?"
    assert (age.label.ko, age.label.en) == ("How old are you?", "How old are you?")
    assert isinstance(age.label, Label) and not age.label.has("ko")
    assert age.help is not None and age.help.pick("ko") == "Years"
    assert q.title.pick("ko") == "english"


def test_tagged_languages_of_every_spelling(tmp_path: Path) -> None:
    survey = [
        ("type", "name", "label::English", "label::français (fr)", "label:Swahili"),
        ("select_one yn", "ok", "All right?", "Ça va ?", "Sawa?"),
    ]
    choices = [
        ("list_name", "name", "label:English", "label::Français (FR)", "label::Swahili (sw)"),
        ("yn", "yes", "Yes", "Oui", "Ndiyo"),
        ("yn", "no", "No", "Non", "Hapana"),
    ]
    settings = [("form_id", "default_language"), ("greeting", "français (fr)")]
    q = load_xlsform(write_workbook(tmp_path / "tagged.xlsx", survey, choices, settings))
    assert q.languages == ("fr", "en", "sw")
    label = q.question("ok").label
    assert (label.pick("en"), label.pick("fr"), label.pick("sw")) == (
        "All right?",
        "Ça va ?",
        "Sawa?",
    )
    assert label.pick("ko") == "Ça va ?"  # no Korean: the default language
    assert q.choice_lists["yn"].label(2, "sw") == "Hapana"


def test_korean_and_english_labels_stay_plain_text(tmp_path: Path) -> None:
    survey = [("type", "name", "label", "label::English (en)"), ("text", "q1", "이름", "Name")]
    q = load_xlsform(write_workbook(tmp_path / "ko.xlsx", survey))
    assert q.languages == ("ko", "en")
    assert q.question("q1").label == Text("이름", "Name")


def test_a_label_missing_in_every_language_is_a_problem(tmp_path: Path) -> None:
    survey = [("type", "name", "label::English"), ("text", "q1", "Name"), ("text", "q2", "")]
    (problem,) = check_questionnaire(write_workbook(tmp_path / "gap.xlsx", survey))
    assert (problem.location, problem.question) == ("survey row 3", "q2")
    assert "'label' is missing" in problem.text.en


def test_label_of_orders_languages_and_falls_back() -> None:
    label = Label.of({"sw": "Sawa", "en": "Fine"}, ("en", "sw"))
    assert isinstance(label, Label) and label.languages == ("en", "sw")
    assert (label.ko, label.en, label.pick("sw"), label.pick("de")) == (
        "Fine",
        "Fine",
        "Sawa",
        "Fine",
    )
    assert Label.of({"ko": "예", "en": "Yes"}, ("en", "ko")) == Text("예", "Yes")


# -- older spellings and habits of real forms ------------------------------------------------------
LEGACY_SURVEY = [
    ("type", "name", "label:English", "bind:relevant", "bind:constraint", "default", "notes"),
    ("select one from yes_no", "Has.Car", "Do you have a car?", "", "", "no", "asked first"),
    (
        "select all that apply from fuel or specify other",
        "fuel-type",
        "Fuel?",
        "${Has.Car} = ‘yes’",
    ),
    ("select_one yes_no or_other", "bike", "A bike?"),
    ("integer", "cars", "How many?", "selected(${Has.Car}, “yes”)", ". > 0"),
]
LEGACY_CHOICES = [
    ("list name", "name", "label:English"),
    ("yes_no", "yes", "Yes"),
    ("yes_no", "no", "No"),
    ("fuel", "1", "Petrol"),
    ("fuel", "2", "Diesel"),
]


def test_legacy_selects_other_names_quotes_and_columns(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "legacy.xlsx", LEGACY_SURVEY, LEGACY_CHOICES)
    q = load_xlsform(path)
    names = [question.name for _, _, question in q.all_questions()]
    assert names == ["Has_Car", "fuel_type", "fuel_type_other", "bike", "bike_other", "cars"]
    assert q.metadata["xlsform_names"] == {"Has_Car": "Has.Car", "fuel_type": "fuel-type"}
    assert q.question("Has_Car").type == "single" and q.question("fuel_type").type == "multiple"
    assert q.question("fuel_type").relevant.source == "${Has_Car} = 1"
    assert q.question("cars").relevant.source == "selected(${Has_Car}, '1')"
    assert q.question("cars").constraint.source == ". > 0"
    assert q.choice_lists["fuel"].codes() == [1, 2, 3]  # integer names keep their codes
    assert q.choice_lists["fuel"].label(3, "en") == "Other"
    assert q.choice_lists["yes_no"].codes() == [1, 2, 3]
    assert q.question("fuel_type_other").relevant.source == "selected(${fuel_type}, '3')"
    assert q.question("bike_other").relevant.source == "selected(${bike}, '3')"
    assert q.question("bike_other").type == "text"
    assert q.metadata["defaults"] == {"Has_Car": "no"}


def test_features_the_model_cannot_keep_are_refused_with_their_row(tmp_path: Path) -> None:
    survey = [
        ("type", "name", "label", "trigger", "read_only", "relevant", "bind:relevant"),
        ("integer", "a", "A", "", "", "1 = 1", "2 = 2"),
        ("text", "b", "B", "${a}"),
        ("text", "c", "C", "", "${a} > 1"),  # read_only yes is read (test_xlsform_widgets.py)
        ("text", "d", "D", "", "no"),
        ("note", "n", "N", "", "yes"),
        ("Select one from yn", "e", "E"),
    ]
    problems = check_questionnaire(write_workbook(tmp_path / "refused.xlsx", survey))
    found = {(p.location, p.question): p.text.en for p in problems}
    assert "trigger" in found[("survey row 3", "b")]
    assert "read-only only sometimes is not supported" in found[("survey row 4", "c")]
    assert ("survey row 5", "d") not in found and ("survey row 6", "n") not in found
    assert "type 'Select one from yn' is not supported" in found[("survey row 7", "e")]
    assert "column 'bind:relevant' repeats another column" in found[("survey row 2", None)]
    assert all(p.text.ko for p in problems)


# -- field types: times, positions, files, scans -----------------------------------------------------
def test_field_types_are_read_and_their_answers_checked(tmp_path: Path) -> None:
    survey = [
        ("type", "name", "label"),
        ("time", "woke", "When did you wake up?"),
        ("dateTime", "visit", "Visit"),
        ("gps", "home", "Where is home?"),
        ("photo", "door", "Photo of the door"),
        ("audio", "voice", "Say hello"),
        ("barcode", "code", "Scan"),
        ("phone number", "phone", "Phone"),
        ("uri:deviceid", "device"),
    ]
    q = load_xlsform(write_workbook(tmp_path / "fields.xlsx", survey))
    types = {question.name: question.type for _, _, question in q.all_questions()}
    assert types == {
        "woke": "time",
        "visit": "datetime",
        "home": "geopoint",
        "door": "image",
        "voice": "audio",
        "code": "barcode",
        "phone": "text",
    }
    schema = household_schema(q)
    good = {"woke": "07:30", "visit": "2026-12-05T09:00", "home": "37.5665 126.978 38 5"}
    good |= {"door": "door.jpg", "voice": "hello.m4a", "code": "8801234", "phone": "0101234"}
    schema.validate(pd.DataFrame([good]))
    bad = good | {"woke": "7h30", "home": "126.978 937.5", "door": "../etc/passwd"}
    with pytest.raises(pa.errors.SchemaError):
        schema.validate(pd.DataFrame([bad]), lazy=False)


def test_captured_value_shapes() -> None:
    assert is_time("23:59:59") and not is_time("24:00")
    assert is_geopoint("-33.9 18.4") and not is_geopoint("91 0") and not is_geopoint("a b")
    assert is_points("1 2;3 4;") and not is_points("1 2")
    assert is_file_name("a b.png") and not is_file_name("dir/a.png")


def test_comment_rows_unlabelled_choices_and_hint_only_questions(tmp_path: Path) -> None:
    survey = [
        ("type", "name", "label", "hint", "notes"),
        ("", "", "", "", "Section A: background"),
        ("note", "", "Welcome"),
        ("select_one ab", "pick", "", "Pick one"),
    ]
    choices = [("list_name", "name", "label"), ("ab", "a"), ("ab", "b", "B"), ("", "", "x")]
    settings = [("form_id",), ("Spec test-v1",)]
    q = load_xlsform(write_workbook(tmp_path / "habits.xlsx", survey, choices, settings))
    assert (q.id, q.metadata["form_id"]) == ("spec_test_v1", "Spec test-v1")
    assert q.question("pick").label.pick("en") == "Pick one" and q.question("pick").help is None
    assert q.question("note_row_3").label.pick("en") == "Welcome"
    assert [c.label.pick("en") for c in q.choice_lists["ab"].choices] == ["a", "B"]


def test_an_unnamed_group_is_refused(tmp_path: Path) -> None:
    survey = [
        ("type", "name", "label"),
        ("begin group", "", "G"),
        ("text", "a", "A"),
        ("end group",),
    ]
    (problem,) = check_questionnaire(write_workbook(tmp_path / "unnamed.xlsx", survey))
    assert problem.location == "survey row 2" and "has no name" in problem.text.en


def test_a_form_with_only_tagged_languages_defaults_to_the_first(tmp_path: Path) -> None:
    survey = [
        ("type", "name", "label::Swahili (sw)", "label::French"),
        ("text", "q", "Jina", "Nom"),
    ]
    settings = [("form_title::French", "version"), ("Formulaire", "1")]
    q = load_xlsform(write_workbook(tmp_path / "sw.xlsx", survey, None, settings))
    assert q.languages == ("sw", "fr")
    assert q.title.pick("fr") == "Formulaire" and q.title.pick("sw") == "Formulaire"
    assert q.question("q").label.pick("ko") == "Jina"


# -- robustness: real-form spellings never crash the reader ---------------------------------------
REAL_TYPES = [
    "select one from yn", "select all that apply from yn or specify other", "select_one yn or_other",
    "Select one from yn", "select_one_external yn", "gps", "photo", "time", "dateTime", "osm",
    "phone number", "begin group", "end group", "begin repeat", "end repeat", "trigger", "",
]  # fmt: skip
REAL_CELL = st.sampled_from(["", "yes", "${a.b} = ‘yes’", "“x”", "${A}", "Name", "이름", "no"])
REAL_ROW = st.tuples(
    st.sampled_from(REAL_TYPES),
    st.sampled_from(["a.b", "A", "a-b", "_x", "1a", ""]),
    REAL_CELL,
    REAL_CELL,
)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(REAL_ROW, min_size=1, max_size=6),
    header=st.sampled_from(["label", "label:English", "label::Français (fr)"]),
)
def test_real_form_spellings_give_problems_not_crashes(rows, header) -> None:
    survey = [("type", "name", header, "bind:relevant"), *rows]
    choices = [("list name", "name", header), ("yn", "yes", "Yes"), ("yn", "no", "")]
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(Path(folder) / "f.xlsx", survey, choices)
        questionnaire, problems = read_xlsform(path)
    assert (questionnaire is None) == bool(problems)
    assert all(p.text.ko and p.text.en for p in problems)


def test_a_workbook_of_one_sheet_is_its_survey(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "one.xlsx", [("type", "name", "label"), ("text", "state", "The State")]
    )
    workbook = load_workbook(path)
    workbook["survey"].title = "Sheet1"
    workbook.save(path)
    assert load_xlsform(path).question("state").label.pick("en") == "The State"


def test_quotes_inside_straight_quotes_are_kept_as_written() -> None:
    from surveys.questionnaire.xlsform_types import rule_text

    assert rule_text("${q} = ‘yes’") == "${q} = 'yes'"  # typed by a word processor
    assert rule_text("'yes’ = “no”") == "'yes' = \"no\""  # one of each: still straightened
    assert rule_text(". != '‘quoted’'") == ". != '‘quoted’'"  # the text itself holds them
    assert rule_text("“it's” = ${a.b}") == '"it\'s" = ${a_b}'


def test_metadata_rows_leave_no_names_behind(tmp_path: Path) -> None:
    survey = [
        ("type", "name", "label"),
        ("start-geopoint", "start-geopoint", ""),
        ("text", "a", "A"),
    ]
    q = load_xlsform(write_workbook(tmp_path / "meta.xlsx", survey))
    assert [question.name for _, _, question in q.all_questions()] == ["a"]
    assert "xlsform_names" not in q.metadata  # nothing of the model was named start-geopoint


def test_the_models_own_columns_are_read(tmp_path: Path) -> None:
    """min, max, max_length, unit, grid, settings kind and person_group, a filter column."""
    survey = [
        ("type", "name", "label::English (en)", "min", "max", "max_length", "unit::English (en)")
        + ("grid",),
        ("begin_group", "personal", "About you", "", "", "", "", ""),
        ("decimal", "income", "Income", "0.5", "100", "", "dollars", ""),
        ("text", "remark", "Remark", "", "", "40", "", ""),
        ("range", "happy", "Happy?", "", "", "", "", "mood"),
        ("select_one gu", "gu", "District", "", "", "", "", ""),
        ("end_group", "", "", "", "", "", "", ""),
    ]
    choices = [("list_name", "name", "label::English (en)", "filter"), ("gu", "1", "Jongno", "x")]
    settings = [("form_id", "kind", "person_group"), ("own", "panel_wave", "person")]
    q = load_xlsform(write_workbook(tmp_path / "own.xlsx", survey, choices, settings))
    assert q.kind == "panel_wave" and q.person is None  # "personal" is a household section
    income = q.question("income")
    assert (income.min, income.max, income.unit) == (
        0.5,
        100,
        Label("dollars", "dollars", (("en", "dollars"),)),
    )
    assert q.question("remark").max_length == 40 and q.question("happy").grid == "mood"
    assert q.choice_lists["gu"].choices[0].filter_value == "x"  # kept with no choice_filter
    survey[2] = ("decimal", "income", "Income", "low", "", "", "", "")
    problems = check_questionnaire(write_workbook(tmp_path / "bad.xlsx", survey, choices, settings))
    assert any("min" in p.text.en and "number" in p.text.en for p in problems)
