"""★ An XLSForm's sheets as tables of text: written and read back unchanged, checked as an upload.

``workbook_sheets(sheets_workbook(s))`` gives back ``s`` for any text a cell holds (Korean,
empty cells, text that looks like a formula, which is stored as a string cell and never as a
formula), and ``check_sheets`` finds exactly the problem one edited cell makes, numbered as
the grid numbers the row, and none once the cell is fixed.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from surveys.questionnaire.loader import load_definition
from surveys.questionnaire.sheet_editing import (
    FIRST_ROW,
    SheetTextRefused,
    check_sheets,
    editable,
    empty_sheet,
    for_workbook,
    same_sheets,
    sheets_workbook,
    tidy,
    workbook_sheets,
)
from surveys.questionnaire.xlsform_export import to_xlsform
from tests.surveys.test_upload_checks import (
    CLEAN_CHOICES,
    CLEAN_SETTINGS,
    CLEAN_SURVEY,
    workbook_bytes,
)
from tests.surveys.test_xlsform_export import comparable

FORMULA_LIKE = ["=1+1", '=HYPERLINK("http://evil","x")', "+82 10", "-", "-2+3", "@sum", "＝1",
                "'=1", " =1", "\t=1", "-3.5", "${a} = 1", "_x0041_"]  # fmt: skip
KOREAN = ["가구원 수", "주거 형태는 무엇입니까?", "예", "아니오", "서울특별시 종로구"]


def _frame(rows: list[list[str]], columns: list[str]) -> pd.DataFrame:
    index = pd.RangeIndex(FIRST_ROW, FIRST_ROW + len(rows))
    return pd.DataFrame(rows, columns=columns, index=index, dtype=object)


# -- round trip -------------------------------------------------------------------------------
_texts = st.one_of(
    st.just(""),
    st.sampled_from(FORMULA_LIKE + KOREAN),
    st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n"), max_size=30),
)
_headers = st.lists(
    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
        str.strip
    ),
    min_size=1,
    max_size=6,
    unique=True,
)


@st.composite
def _sheet(draw) -> pd.DataFrame:
    columns = draw(_headers)
    rows = draw(
        st.lists(st.lists(_texts, min_size=len(columns), max_size=len(columns)), max_size=6)
    )
    return _frame(rows, columns)


_sheets = st.dictionaries(st.sampled_from(["survey", "choices", "settings"]), _sheet(), min_size=1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sheets)
def test_any_text_reads_back_as_written(sheets):
    back = workbook_sheets(sheets_workbook(sheets))
    assert list(back) == list(sheets)
    for name, frame in sheets.items():  # trailing empty rows: a workbook does not keep them
        pd.testing.assert_frame_equal(back[name], tidy(frame), check_index_type=False)


def test_formula_looking_text_is_stored_as_a_string_never_a_formula():
    sheets = {"survey": _frame([[text] for text in FORMULA_LIKE], ["label"])}
    workbook = load_workbook(io.BytesIO(sheets_workbook(sheets)), data_only=False)
    cells = [row[0] for row in workbook["survey"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == FORMULA_LIKE
    assert {c.data_type for c in cells} == {"s"}
    assert cells[0].quotePrefix and not cells[FORMULA_LIKE.index("-3.5")].quotePrefix
    assert workbook_sheets(sheets_workbook(sheets))["survey"]["label"].tolist() == FORMULA_LIKE


def test_a_workbooks_numbers_and_booleans_read_as_the_reader_reads_them():
    content = workbook_bytes([("type", "name", "required"), ("integer", 7, True), ("note", 2.0)])
    survey = workbook_sheets(content)["survey"]
    assert survey.values.tolist() == [["integer", "7", "true"], ["note", "2", ""]]
    assert survey.index.tolist() == [2, 3]


def test_a_control_character_is_refused_with_its_row():
    sheets = {"survey": _frame([["note", "ok"], ["note", "bad\x07"]], ["type", "label"])}
    with pytest.raises(SheetTextRefused) as caught:
        sheets_workbook(sheets)
    assert caught.value.location == "survey row 3"
    result = check_sheets(sheets)
    assert result.questionnaire is None and [p.location for p in result.problems] == [
        "survey row 3"
    ]


def test_a_shipped_definition_exported_and_read_as_sheets_checks_as_the_same_questionnaire():
    questionnaire = load_definition("seoul_survey_2026")
    sheets = workbook_sheets(to_xlsform(questionnaire))
    assert {"survey", "choices", "settings"} <= set(sheets)
    assert any(column.startswith("label::") for column in sheets["survey"].columns)
    result = check_sheets(sheets)
    assert result.problems == [] and result.questionnaire is not None
    assert comparable(result.questionnaire) == comparable(questionnaire)  # as the export's test


# -- one edited cell --------------------------------------------------------------------------
def _clean() -> dict[str, pd.DataFrame]:
    """The clean workbook's sheets as the editor shows them (a relevant column to fill)."""
    return editable(workbook_sheets(workbook_bytes(CLEAN_SURVEY, CLEAN_CHOICES, CLEAN_SETTINGS)))


def test_the_editor_offers_the_usual_columns_in_each_language_and_writes_only_what_is_filled():
    original = workbook_sheets(workbook_bytes(CLEAN_SURVEY, CLEAN_CHOICES))  # no settings sheet
    shown = editable(original)
    assert list(shown) == ["survey", "choices", "settings"]
    survey = list(shown["survey"].columns)
    assert survey[:5] == list(CLEAN_SURVEY[0])  # the workbook's own columns first, as written
    assert {
        "relevant",
        "constraint",
        "calculation",
        "hint::Korean (ko)",
        "hint::English (en)",
    } <= set(survey)
    assert "label" not in survey and "hint" not in survey
    assert same_sheets(for_workbook(shown, original), original)  # nothing filled: as it was

    shown["survey"].loc[3, "relevant"] = "${household_size} > 1"
    shown["settings"].loc[2, "form_id"] = "car_form"
    written = for_workbook(shown, original)
    assert list(written["survey"].columns) == [*CLEAN_SURVEY[0], "relevant"]
    assert written["settings"].values.tolist() == [["car_form"]]


def test_the_clean_sheets_have_no_problem():
    result = check_sheets(_clean())
    assert result.problems == [] and result.questionnaire is not None
    assert result.questionnaire.id == "car_form"


def test_a_relevance_naming_a_missing_question_is_exactly_one_problem_and_fixing_it_none():
    sheets = _clean()
    sheets["survey"].loc[3, "relevant"] = "${household_sise} > 1"  # a typo
    result = check_sheets(sheets)
    assert result.questionnaire is None
    assert [(p.location, p.question) for p in result.problems] == [("survey row 3", "owns_car")]
    assert "${household_sise}" in result.problems[0].text.ko
    assert "${household_sise}" in result.problems[0].text.en

    sheets["survey"].loc[3, "relevant"] = "${household_size} > 1"
    fixed = check_sheets(sheets)
    assert fixed.problems == [] and fixed.questionnaire is not None
    owns_car = fixed.questionnaire.question("owns_car")
    assert owns_car.relevant is not None and "household_size" in owns_car.relevant.source


def test_a_problem_names_the_row_as_the_grid_numbers_it_after_rows_were_deleted():
    sheets = _clean()
    survey = sheets["survey"]
    added = pd.DataFrame([dict.fromkeys(survey.columns, "")], index=[4], dtype=object)
    added.loc[4, ["type", "name", "label::Korean (ko)", "relevant"]] = [
        *("integer", "rooms", "방 수", "${nope} > 0")
    ]
    sheets["survey"] = pd.concat([survey, added]).drop(index=3)  # the grid: rows 2 and 4
    sheets["choices"] = sheets["choices"].drop(index=2)  # choices row 2 deleted
    result = check_sheets(sheets)
    assert [(p.location, p.question) for p in result.problems] == [("survey row 4", "rooms")]


def test_sheets_compare_by_their_text():
    sheets = _clean()
    again = {name: frame.copy() for name, frame in sheets.items()}
    assert same_sheets(sheets, again)
    again["survey"].loc[2, "label::Korean (ko)"] = "함께 사는 가구원 수"
    assert not same_sheets(sheets, again)
    assert same_sheets({"survey": empty_sheet(["a"])}, {"survey": _frame([[""]], ["a"])})
