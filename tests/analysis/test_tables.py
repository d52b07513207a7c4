"""The published table written to a file: CSV and Excel show every text as text."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.tables import excel_bytes, write_table

HOSTILE = '=HYPERLINK("http://evil","click")'


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {"name": [HOSTILE, "생활 만족도"], "estimate": [-0.25, 6.5], "n": [120, 340]}
    )


def test_a_csv_shows_a_hostile_indicator_name_as_text_and_keeps_the_rest(tmp_path):
    out = write_table(_table(), tmp_path / "t.csv")
    back = pd.read_csv(out, encoding="utf-8-sig")
    assert back["name"].tolist() == ["'" + HOSTILE, "생활 만족도"]
    assert back["estimate"].tolist() == [-0.25, 6.5]


@pytest.mark.parametrize("how", ["write_table", "excel_bytes"])
def test_an_excel_file_holds_the_name_as_a_string_not_a_formula(tmp_path, how):
    if how == "write_table":
        data = write_table(_table(), tmp_path / "t.xlsx").read_bytes()
    else:
        data = excel_bytes(_table())
    sheet = load_workbook(io.BytesIO(data))["indicators"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "'" + HOSTILE
    assert sheet["A3"].value == "생활 만족도"
    assert sheet["B2"].data_type == "n" and sheet["B2"].value == -0.25
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C3"


def test_parquet_keeps_every_value_as_it_is(tmp_path):
    back = pd.read_parquet(write_table(_table(), tmp_path / "t.parquet"))
    assert back["name"].iloc[0] == HOSTILE
