"""Importing XLSForm workbooks (ODK, KoBoToolbox) into the questionnaire model.

Workbooks are built here with openpyxl, row by row, the way the tools write them.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook

from surveys.questionnaire.expressions import parse
from surveys.questionnaire.loader import QuestionnaireError, check_questionnaire, load_questionnaire
from surveys.questionnaire.xlsform import load_xlsform, read_xlsform

Rows = Sequence[Sequence[object]]


def write_workbook(
    path: Path, survey: Rows, choices: Rows | None = None, settings: Rows | None = None
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows is not None:
            extra = workbook.create_sheet(title)
            for row in rows:
                extra.append(list(row))
    workbook.save(path)
    return path


# -- an ODK-style household form --------------------------------------------------------------
ODK_SURVEY = [
    (
        "type",
        "name",
        "label",
        "hint",
        "required",
        "relevant",
        "constraint",
        "calculation",
        "choice_filter",
        "repeat_count",
        "appearance",
        "parameters",
    ),
    ("today", "today"),
    ("integer", "household_size", "가구원 수", "모두 세세요", "yes", "", ". >= 1 and . <= 20"),
    ("select_one region", "region", "권역", "", "yes"),
    ("select_one gu", "district", "자치구", "", "yes", "", "", "", "region = ${region}"),
    ("begin_group", "housing", "주거", "", "", "${household_size} > 0"),
    ("select_one tenure", "tenure", "점유 형태", "", "yes", "", "", "", "", "", "horizontal"),
    ("decimal", "rent", "월세", "", "", "${tenure} = 3", ". > 0"),
    ("begin_group", "rent_details", "월세 상세", "", "", "${rent} > 100"),
    ("text", "landlord", "임대인", "", "${rent} > 500"),
    ("end_group",),
    ("begin_repeat", "members", "가구원", "", "", "", "", "", "", "${household_size}"),
    ("select_one sex", "sex", "성별", "", "yes"),
    ("integer", "age", "나이", "", "yes", "", ". >= 0"),
    ("calculate", "adult", "", "", "", "", "", "if(${age} >= 19, 1, 0)"),
    ("end_repeat",),
    ("note", "thanks_housing", "감사합니다"),
    ("end_group",),
    ("begin_group", "person", "개인", "", "", "${age} >= 15"),
    ("begin_group", "happiness", "행복", "", "", "${household_size} > 1"),
    ("range", "happy", "행복", "", "yes", "", "", "", "", "", "", "start=1 end=5"),
    ("select_multiple risks", "risks", "위험", "", "", "${sex} = 2"),
    ("end_group",),
    ("begin_group", "work", "일"),
    ("select_one yn", "works", "일하십니까", "", "yes"),
    ("end_group",),
    ("end_group",),
]
ODK_CHOICES = [
    ("list_name", "name", "label", "region", "exclusive"),
    ("region", 1, "도심권"),
    ("region", 2, "동남권"),
    ("gu", 11110, "종로구", 1),
    ("gu", 11680, "강남구", 2),
    ("tenure", 1, "자가"),
    ("tenure", 2, "전세"),
    ("tenure", 3, "월세"),
    ("sex", 1, "남자"),
    ("sex", 2, "여자"),
    ("risks", 1, "교통사고"),
    ("risks", 2, "범죄"),
    ("risks", 99, "없음", "", "yes"),
    ("yn", 1, "예"),
    ("yn", 2, "아니오"),
]
ODK_SETTINGS = [("form_id", "version", "form_title"), ("household_form", "3", "가구 조사")]


@pytest.fixture
def odk(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "household.xlsx", ODK_SURVEY, ODK_CHOICES, ODK_SETTINGS)


def test_odk_form_becomes_household_and_person_parts(odk):
    q = load_xlsform(odk)
    assert (q.id, q.version, q.title.ko) == ("household_form", "3", "가구 조사")
    assert [p.name for p in q.parts] == ["household", "person"]
    household = q.household
    assert [s.id for s in household.sections] == [
        "household_form",  # the questions before any group, named after the form
        "housing",
        "members",
        "housing_2",  # the rest of the housing group after the repeat
    ]
    assert [x.name for x in household.sections[0].questions] == [
        "household_size",
        "region",
        "district",
    ]
    assert household.sections[1].relevant.source == "${household_size} > 0"
    assert household.sections[3].relevant.source == "${household_size} > 0"


def test_repeat_becomes_the_roster_section(odk):
    roster = load_xlsform(odk).household.roster_section()
    assert roster is not None and roster.id == "members" and roster.title.ko == "가구원"
    assert roster.repeat_count.source == "${household_size}"
    assert roster.relevant.source == "${household_size} > 0"  # from the enclosing group
    assert [x.name for x in roster.questions] == ["sex", "age", "adult"]
    assert roster.questions[2].calculate.source == "if(${age} >= 19, 1, 0)"


def test_person_group_becomes_the_person_part(odk):
    person = load_xlsform(odk).person
    assert person is not None
    assert person.eligible.source == "${age} >= 15"
    assert [s.id for s in person.sections] == ["happiness", "work"]
    assert person.sections[0].relevant.source == "${household_size} > 1"
    happy = person.sections[0].questions[0]
    assert (happy.type, happy.min, happy.max, happy.required) == ("scale", 1, 5, True)


def test_nested_groups_are_flattened_with_their_relevance(odk):
    landlord = load_xlsform(odk).question("landlord")
    assert landlord.relevant.source == "${rent} > 100"
    assert landlord.required_if.source == "${rent} > 500"  # required as an expression


def test_questions_keep_labels_hints_constraints_and_appearance(odk):
    q = load_xlsform(odk)
    size = q.question("household_size")
    assert (size.label.ko, size.help.ko, size.required) == ("가구원 수", "모두 세세요", True)
    assert size.constraint.source == ". >= 1 and . <= 20"
    assert q.question("tenure").appearance == "horizontal"
    assert q.question("thanks_housing").type == "note"


def test_integer_choice_names_are_the_codes_and_filters_use_the_extra_column(odk):
    q = load_xlsform(odk)
    gu = q.choice_lists["gu"]
    assert gu.codes() == [11110, 11680]
    assert [c.filter_value for c in gu.choices] == ["1", "2"]
    assert q.question("district").choice_filter.source == "filter = ${region}"
    assert q.choice_lists["region"].choices[0].filter_value is None
    assert [c.exclusive for c in q.choice_lists["risks"].choices] == [False, False, True]
    assert q.metadata["choice_names"] == {}


def test_load_questionnaire_dispatches_on_the_suffix(odk):
    q = load_questionnaire(odk)
    assert q.source_hash == hashlib.sha256(odk.read_bytes()).hexdigest()
    assert q.metadata["source_format"] == "xlsform"
    assert check_questionnaire(odk) == []


# -- a KoBoToolbox export ------------------------------------------------------------------------
EN, KO = "label::English (en)", "label::Korean (ko)"
HINT_EN, HINT_KO = "hint::English (en)", "hint::Korean (ko)"
KOBO_COLUMNS = [
    "type", "name", EN, KO, HINT_EN, HINT_KO, "required", "relevant", "constraint",
    "constraint_message::English (en)", "constraint_message::Korean (ko)", "calculation",
    "repeat_count", "$kuid", "$autoname",
]  # fmt: skip


def table(columns: list[str], rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    """A sheet: the header, then each row's cells in column order (missing cells empty)."""
    return [tuple(columns), *(tuple(row.get(c, "") for c in columns) for row in rows)]


KOBO_SURVEY = table(
    KOBO_COLUMNS,
    [
        {"type": "start", "name": "start", "$kuid": "k1", "$autoname": "start"},
        {"type": "end", "name": "end", "$kuid": "k2", "$autoname": "end"},
        {"type": "deviceid", "name": "deviceid", "$kuid": "k3", "$autoname": "deviceid"},
        {"type": "begin group", "name": "household", EN: "Household", KO: "가구"},
        {
            "type": "integer",
            "name": "members_count",
            EN: "How many people live here?",
            KO: "몇 명이 사십니까?",
            HINT_EN: "Include yourself",
            HINT_KO: "본인 포함",
            "required": "true",
            "constraint": ". > 0",
            "constraint_message::English (en)": "At least one",
            "constraint_message::Korean (ko)": "1명 이상",
        },
        {
            "type": "select_one yesno",
            "name": "has_car",
            EN: "Do you have a car?",
            KO: "차가 있습니까?",
            "required": "true",
        },
        {
            "type": "select_one fuel",
            "name": "fuel",
            EN: "Fuel?",
            KO: "연료?",
            "required": "false",
            "relevant": "selected(${has_car}, 'yes')",
            "constraint": ". != 'other'",
        },
        {
            "type": "text",
            "name": "why_no_car",
            EN: "Why not?",
            KO: "왜 없습니까?",
            "relevant": "'no' = ${has_car} or ${fuel} = 'lpg'",
        },
        {
            "type": "select_multiple transport",
            "name": "transport",
            EN: "Transport",
            KO: "교통수단",
            "required": "true",
            "relevant": "${has_car} != 'yes'",
            "constraint": "not(selected(., 'none') and count-selected(.) > 1)",
        },
        {"type": "calculate", "name": "per_person", "calculation": "100 div ${members_count}"},
        {"type": "end group"},
        {
            "type": "begin repeat",
            "name": "roster",
            EN: "Members",
            KO: "가구원",
            "repeat_count": "${members_count}",
        },
        {"type": "integer", "name": "member_age", EN: "Age", KO: "나이", "required": "true"},
        {"type": "end repeat"},
    ],
)
KOBO_CHOICES = [
    ("list_name", "name", "label::English (en)", "label::Korean (ko)", "$kuid"),
    ("yesno", "yes", "Yes", "예", "c1"),
    ("yesno", "no", "No", "아니오", "c2"),
    ("fuel", "petrol", "Petrol", "휘발유", "c3"),
    ("fuel", "lpg", "LPG", "LPG", "c4"),
    ("fuel", "other", "Other", "기타", "c5"),
    ("transport", "bus", "Bus", "버스", "c6"),
    ("transport", "subway", "Subway", "지하철", "c7"),
    ("transport", "none", "None", "없음", "c8"),
]
KOBO_SETTINGS = [
    ("form_title", "form_id", "version", "default_language"),
    ("Kobo household", "kobo_household", "vA1b2C3", "Korean (ko)"),
]


@pytest.fixture
def kobo(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "kobo_export.xlsx", KOBO_SURVEY, KOBO_CHOICES, KOBO_SETTINGS)


def test_kobo_export_has_both_languages_and_ignores_metadata_rows(kobo):
    q = load_xlsform(kobo)
    assert (q.id, q.version, q.title.ko) == ("kobo_household", "vA1b2C3", "Kobo household")
    names = [x.name for _, _, x in q.all_questions()]
    assert "start" not in names and "deviceid" not in names
    count = q.question("members_count")
    assert (count.label.ko, count.label.en) == ("몇 명이 사십니까?", "How many people live here?")
    assert (count.help.ko, count.help.en) == ("본인 포함", "Include yourself")
    assert (count.constraint_message.ko, count.constraint_message.en) == (
        "1명 이상",
        "At least one",
    )
    assert count.required is True and q.question("fuel").required is False
    assert q.question("per_person").calculate.source == "100 div ${members_count}"
    assert q.household.roster_section().id == "roster"


def test_kobo_choice_names_become_codes_and_rules_are_rewritten(kobo):
    q = load_xlsform(kobo)
    assert q.choice_lists["yesno"].codes() == [1, 2]
    assert q.choice_lists["yesno"].label(2, "en") == "No"
    assert q.metadata["choice_names"] == {
        "yesno": {1: "yes", 2: "no"},
        "fuel": {1: "petrol", 2: "lpg", 3: "other"},
        "transport": {1: "bus", 2: "subway", 3: "none"},
    }
    fuel = q.question("fuel")
    assert fuel.relevant.source == "selected(${has_car}, '1')"
    assert fuel.constraint.source == ". != 3"
    assert q.question("why_no_car").relevant.source == "2 = ${has_car} or ${fuel} = 2"
    transport = q.question("transport")
    assert transport.relevant.source == "${has_car} != 1"
    assert transport.constraint.source == "not(selected(., '3') and count-selected(.) > 1)"
    for _, _, item in q.all_questions():
        for rule in (item.relevant, item.constraint, item.calculate):
            if rule is not None:
                assert parse(rule.source) == rule.node


def test_cascading_filter_on_named_choices_is_converted_to_codes(tmp_path):
    survey = [
        ("type", "name", "label", "choice_filter"),
        ("select_one region", "region", "권역"),
        ("select_one city", "city", "도시", "region_col = ${region}"),
    ]
    choices = [
        ("list_name", "name", "label", "region_col"),
        ("region", "north", "북부"),
        ("region", "south", "남부"),
        ("city", "a", "가", "north"),
        ("city", "b", "나", "south"),
        ("city", "c", "다", "south"),
    ]
    settings = [("form_id", "version"), ("cities", "1")]
    q = load_xlsform(write_workbook(tmp_path / "c.xlsx", survey, choices, settings))
    assert q.question("city").choice_filter.source == "filter = ${region}"
    assert [c.filter_value for c in q.choice_lists["city"].choices] == ["1", "2", "2"]
    assert q.household.sections[0].id == "cities"


def test_default_language_english_makes_plain_labels_english(tmp_path):
    survey = [("type", "name", "label", "label::Korean (ko)"), ("text", "q1", "Name", "이름")]
    settings = [("form_id", "version", "default_language"), ("f", "1", "English (en)")]
    q = load_xlsform(write_workbook(tmp_path / "e.xlsx", survey, None, settings))
    assert (q.question("q1").label.ko, q.question("q1").label.en) == ("이름", "Name")


# -- a broken workbook: every problem, with its row -------------------------------------------------
BROKEN_SURVEY = [
    ("type", "name", "label", "required", "relevant", "calculation", "relevent"),
    ("integer", "1q", "숫자로 시작하는 이름"),  # row 2
    ("osm_map", "where", "위치"),  # row 3
    ("select_one_from_file gu.csv", "gu", "자치구"),  # row 4
    ("select_one yn", "car", "차", "yes"),  # row 5
    ("text", "car_label", "라벨", "", "jr:choice-name(${car}, '${car}') = 'Yes'"),  # row 6
    ("begin_repeat", "members", "가구원"),  # row 7: no repeat_count (asked for: not a problem)
    ("integer", "idx", "순번", "", "position(..) > 1"),  # row 8
    ("end_repeat",),  # row 9
    ("text", "maybe", "아마", "", "${car} = '7'"),  # row 10: a number, taken for no code
    ("select_one colours", "colour", "색"),  # row 11: no such list
    ("text", "car", "중복", "", "", "", "x"),  # row 12: duplicate name, unsupported column
    ("calculate", "loop", "", "", "", "${nothing} + 1"),  # row 13
    ("end_group",),  # row 14: nothing to close
    ("begin_group", "open", "열림"),  # row 15: never closed
    ("text", "inside", "안"),  # row 16
]
BROKEN_CHOICES = [
    ("list_name", "name", "label"),
    ("yn", "yes", "예"),
    ("yn", "no", "아니오"),
    ("yn", "", "이름 없음"),  # row 4
    ("yn", "no", "중복"),  # row 5
]
BROKEN_SETTINGS = [("form_id", "form_title"), ("broken", "깨진 설문")]


def test_a_broken_workbook_reports_every_problem_with_its_row(tmp_path):
    path = write_workbook(tmp_path / "broken.xlsx", BROKEN_SURVEY, BROKEN_CHOICES, BROKEN_SETTINGS)
    problems = check_questionnaire(path)
    found = {(p.location, p.question): p.message_en for p in problems}
    expected = {
        ("survey row 2", "1q"): "must start with a letter or _",
        ("survey row 3", "where"): "'osm_map' is not supported",
        ("survey row 4", "gu"): "select_one_from_file",
        ("survey row 6", "car_label"): "jr:choice-name(): choice labels cannot be used",
        ("survey row 8", "idx"): "position()",
        ("survey row 10", "maybe"): "'7' is not a choice name",
        ("survey row 11", "colour"): "choice list 'colours' is not in choice_lists",
        ("survey row 12", "car"): "used twice",
        ("survey row 12", None): "column 'relevent' is unknown; did you mean 'relevant'?",
        ("survey row 13", "loop"): "no question ${nothing}",
        ("survey row 14", None): "end_group without a matching begin_group",
        ("survey row 15", "open"): "no matching end_group",
        ("choices row 4", "yn"): "needs both list_name and name",
        ("choices row 5", "yn"): "appears twice",
    }
    for place, english in expected.items():
        assert place in found, f"{place} missing from:\n" + "\n".join(map(str, problems))
        assert english in found[place], f"{place}: {found[place]}"
    assert not [p for p in problems if p.location == "survey row 7"]  # members_count is asked
    assert all(p.message_ko for p in problems)
    with pytest.raises(QuestionnaireError) as raised:
        load_questionnaire(path)
    assert len(raised.value.problems) == len(problems)


def test_a_workbook_without_settings_gets_a_version_from_its_bytes(tmp_path):
    survey = [("type", "name", "label"), ("integer", "size", "가구원 수")]
    path = write_workbook(tmp_path / "no_settings.xlsx", survey)
    q = load_xlsform(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert (q.id, q.version, q.title.ko) == ("no_settings", f"sha256-{digest[:12]}", "no_settings")
    assert load_xlsform(path).version == q.version  # stable for the same file


def test_a_file_that_is_not_a_workbook_is_one_problem(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    questionnaire, problems = read_xlsform(path)
    assert questionnaire is None
    assert [p.location for p in problems] == ["workbook"]


def test_a_workbook_without_survey_rows_is_one_problem(tmp_path):
    path = write_workbook(tmp_path / "empty.xlsx", [("type", "name", "label")])
    (problem,) = check_questionnaire(path)
    assert problem.location == "survey" and "survey sheet" in problem.message_en


def write_xls(path: Path, sheets: dict[str, Rows]) -> Path:
    """The old Excel format (BIFF8), as Excel 97-2003 and older ODK tools save it."""
    import xlwt  # a pinned test dependency (requirements-test.lock)

    workbook = xlwt.Workbook(encoding="utf-8")
    for title, rows in sheets.items():
        sheet = workbook.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value not in (None, ""):
                    sheet.write(r, c, value)
    workbook.save(str(path))
    return path


def test_an_xls_workbook_gives_the_same_questionnaire_as_its_xlsx(tmp_path, odk):
    path = write_xls(
        tmp_path / "household.xls",
        {"survey": ODK_SURVEY, "choices": ODK_CHOICES, "settings": ODK_SETTINGS},
    )
    assert path.read_bytes().startswith(b"\xd0\xcf\x11\xe0")  # a real OLE2 .xls file
    assert check_questionnaire(path) == []
    old, new = load_questionnaire(path), load_xlsform(odk)
    assert old.source_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert old == replace(new, source_hash=old.source_hash)


def test_an_xls_workbook_reports_problems_with_their_rows(tmp_path):
    survey = [("type", "name", "label"), ("integer", "size", "가구원 수"), ("rank", "r", "순위")]
    settings = [("form_id", "version"), ("tiny", 1)]
    path = write_xls(tmp_path / "tiny.xls", {"survey": survey, "settings": settings})
    (problem,) = check_questionnaire(path)
    assert str(problem).startswith(f"{path}:survey row 3: [r] ")
    assert "'rank' is not supported" in problem.message_en


def test_a_broken_xls_file_is_one_problem_located_at_the_workbook(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)  # OLE2 header only
    (problem,) = check_questionnaire(path)
    assert problem.location == "workbook"
    assert str(problem).startswith(f"{path}:workbook: ")
    assert "cannot read the file as an Excel workbook (.xls" in problem.message_en
    assert "엑셀 파일(.xls)로 읽을 수 없습니다" in problem.message_ko


def test_a_top_level_person_repeat_is_the_person_part(tmp_path):
    survey = [
        ("type", "name", "label", "relevant", "repeat_count"),
        ("integer", "size", "가구원 수"),
        ("begin_repeat", "members", "가구원", "", "${size}"),
        ("integer", "age", "나이"),
        ("end_repeat",),
        ("begin_repeat", "person_questions", "개인", "${age} >= 15", "${size}"),
        ("integer", "hours", "근로 시간"),
        ("end_repeat",),
    ]
    settings = [("form_id", "version"), ("people", "1")]
    q = load_xlsform(write_workbook(tmp_path / "p.xlsx", survey, None, settings))
    assert [s.id for s in q.household.sections] == ["people", "members"]
    assert q.person.eligible.source == "${age} >= 15"
    assert [s.id for s in q.person.sections] == ["person_questions"]
    assert not q.person.sections[0].roster


def test_repeats_the_model_cannot_hold_are_reported(tmp_path):
    survey = [
        ("type", "name", "label", "repeat_count"),
        ("integer", "size", "가구원 수"),
        ("begin_repeat", "members", "가구원", "${size}"),
        ("begin_repeat", "jobs", "일자리", "2"),  # row 4
        ("text", "job", "일"),
        ("end_repeat",),
        ("end_repeat",),
        ("begin_group", "person", "개인"),
        ("begin_repeat", "trips", "통행", "3"),  # row 9
        ("text", "trip", "통행"),
        ("end_repeat",),
        ("end_group",),
    ]
    settings = [("form_id", "version"), ("nested", "1")]
    problems = check_questionnaire(write_workbook(tmp_path / "n.xlsx", survey, None, settings))
    found = {(p.location, p.question): p.message_en for p in problems}
    assert "repeat inside a repeat" in found[("survey row 4", "jobs")]
    assert "only be in the household part" in found[("survey row 9", "trips")]


# -- robustness: any sheet gives a questionnaire or problems, never a crash ------------------------
TYPES = [
    "integer", "text", "select_one yn", "select_multiple yn", "select_one nolist", "range",
    "calculate", "note", "begin_group", "end_group", "begin repeat", "end repeat", "start",
    "geopoint", "select_one", "", "begin", "decimal", "date",
]  # fmt: skip
CELL = st.one_of(
    st.sampled_from(["", "yes", "true", "${a} = 'yes'", ". > 1", "${b}", "x(", "start=1 end=3"]),
    st.text(alphabet="ab_ ${}.'=()-1", max_size=10),
)
ROW = st.tuples(st.sampled_from(TYPES), st.sampled_from(["a", "b", "person", "A", ""]), CELL, CELL)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(ROW, min_size=1, max_size=8))
def test_any_survey_sheet_gives_problems_not_crashes(rows):
    survey = [("type", "name", "label", "relevant"), *rows]
    choices = [("list_name", "name", "label"), ("yn", "yes", "예"), ("yn", "no", "아니오")]
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(Path(folder) / "f.xlsx", survey, choices, [("version",), ("1",)])
        questionnaire, problems = read_xlsform(path)
    assert (questionnaire is None) == bool(problems)
    assert all(p.location.startswith(("survey", "choices", "settings")) for p in problems)


def test_a_sheet_formatted_to_its_last_row_and_column_reads_as_its_rows(tmp_path):
    # real forms are often formatted down to row 1,048,576 and column AMJ: the declared
    # dimension is not trusted (it padded one corpus form to a billion empty cells)
    from openpyxl import load_workbook

    path = write_workbook(
        tmp_path / "formatted.xlsx",
        [("type", "name", "label"), ("integer", "age", "Age")],
        [("list_name", "name", "label")],
    )
    workbook = load_workbook(path)
    workbook["survey"].cell(row=1_048_576, column=1_024).number_format = "0.00"
    workbook.save(path)
    questionnaire = load_xlsform(path)
    assert [q.name for _, _, q in questionnaire.all_questions()] == ["age"]
