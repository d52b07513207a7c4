"""Exported text is shown as text: a cell a spreadsheet would run as a formula gets an apostrophe."""

from __future__ import annotations

import csv
import io
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from data.spreadsheet_safety import (
    PLAIN_NUMBER,
    TRIGGERS,
    csv_bytes,
    excel_writer,
    neutralize_cell,
    neutralize_frame,
    restore_cell,
    restore_frame,
    write_csv,
    xlsx_bytes,
)
from tests.naughty_strings import FORMULAS, NAUGHTY, PLAIN, text_id

HOSTILE_TITLE = '=HYPERLINK("http://evil","click")'


def _runs_as_formula(text: str) -> bool:
    """What a spreadsheet does with a text cell, independently of the module's own rule."""
    if PLAIN_NUMBER.fullmatch(text):
        return False
    return text[:1] in TRIGGERS or text.lstrip()[:1] in TRIGGERS


# -- one cell --------------------------------------------------------------------------------
@pytest.mark.parametrize("text", FORMULAS, ids=text_id)
def test_a_formula_gets_one_leading_apostrophe(text):
    assert neutralize_cell(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN, ids=text_id)
def test_plain_text_and_plain_numbers_stay_as_typed(text):
    assert neutralize_cell(text) == text


@pytest.mark.parametrize("value", [-3, -2.5, 0, True, None, pd.Timestamp("2026-01-01")])
def test_values_that_are_not_text_are_left_alone(value):
    assert neutralize_cell(value) is value


@given(
    st.text() | st.tuples(st.sampled_from(sorted(TRIGGERS) + [" ", "'"]), st.text()).map("".join)
)
def test_neutralized_text_never_starts_like_a_formula_and_gives_the_original_back(text):
    safe = neutralize_cell(text)
    assert not _runs_as_formula(safe)
    assert safe in (text, "'" + text)
    assert restore_cell(safe) == text


@pytest.mark.parametrize("text", NAUGHTY, ids=text_id)
def test_the_whole_corpus_round_trips_through_neutralize_and_restore(text):
    assert restore_cell(neutralize_cell(text)) == text


# -- frames ----------------------------------------------------------------------------------
def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "title": [HOSTILE_TITLE, "서울서베이 2026", None],
            "change": [-1.5, 0.25, math.nan],
            "count": [-3, 4, 5],
            "group": pd.Categorical(["@x", "종로구", "@x"]),
            "=label": ["a", "b", "c"],
        }
    )


def test_a_frame_is_neutralized_in_a_copy_and_its_numbers_stay_numbers():
    frame = _frame()
    safe = neutralize_frame(frame)
    assert frame["title"].iloc[0] == HOSTILE_TITLE and "=label" in frame.columns  # untouched
    assert safe["title"].tolist()[:2] == ["'" + HOSTILE_TITLE, "서울서베이 2026"]
    assert pd.isna(safe["title"].iloc[2])
    assert safe["count"].dtype == "int64" and safe["count"].iloc[0] == -3
    assert safe["change"].iloc[0] == -1.5
    assert safe["group"].tolist() == ["'@x", "종로구", "'@x"]
    assert list(safe.columns) == ["title", "change", "count", "group", "'=label"]
    assert restore_frame(safe)["title"].iloc[0] == HOSTILE_TITLE


# -- files -----------------------------------------------------------------------------------
def test_csv_bytes_carry_a_bom_and_the_title_as_text(tmp_path):
    data = csv_bytes(_frame())
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["title", "change", "count", "group", "'=label"]
    assert rows[1] == ["'" + HOSTILE_TITLE, "-1.5", "-3", "'@x", "a"]
    assert rows[2] == ["서울서베이 2026", "0.25", "4", "종로구", "b"]
    assert write_csv(_frame(), tmp_path / "t.csv").read_bytes() == data


def test_xlsx_cells_are_strings_with_the_apostrophe_and_numbers_stay_numbers():
    sheet = load_workbook(io.BytesIO(xlsx_bytes({"t": _frame()})))["t"]
    title, change, count = sheet["A2"], sheet["B2"], sheet["C2"]
    assert title.data_type == "s" and title.value == "'" + HOSTILE_TITLE
    assert change.data_type == "n" and change.value == -1.5
    assert count.data_type == "n" and count.value == -3
    assert sheet["A3"].value == "서울서베이 2026"
    assert sheet["E1"].value == "'=label"


def test_the_excel_writer_never_makes_a_formula_even_of_text_not_neutralized():
    buffer = io.BytesIO()
    with excel_writer(buffer) as writer:
        pd.DataFrame({"a": ["=1+1", "http://evil/"]}).to_excel(writer, sheet_name="s", index=False)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["s"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "=1+1"
    assert sheet["A3"].hyperlink is None
