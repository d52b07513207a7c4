"""A survey titled like a formula, or a margin source that is one, stays text in the report's files.

The demo's 2026 survey is renamed ``=HYPERLINK("http://evil","click")`` in a private copy and
its report content gathered; a reference source beginning with ``+cmd|`` is put in the
methodology's margin table. summary.csv, methodology.csv and the workbook must show both as text
(a leading apostrophe, never a formula) and everything else as it was.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
import zipfile

import pytest
from openpyxl import load_workbook

from analysis.reports.bundle import csv_bundle
from analysis.reports.content import ReportContent, gather
from analysis.reports.excel import workbook_bytes
from surveys.opening import survey_by_code

HOSTILE_TITLE = '=HYPERLINK("http://evil","click")'
HOSTILE_SOURCE = "+cmd|' /C calc'!A0"
MARGINS = "보정 총계와 출처"


@pytest.fixture(scope="module")
def content(demo_template, tmp_path_factory) -> ReportContent:
    from data.store import open_store

    path = tmp_path_factory.mktemp("hostile_report") / "demo.duckdb"
    shutil.copy(demo_template, path)
    store = open_store(path)
    try:
        store.execute("UPDATE surveys SET title_ko = ? WHERE code = 'seoul-2026'", [HOSTILE_TITLE])
        gathered = gather(store, survey_by_code(store, "seoul-2026").survey_id)
    finally:
        store.close()
    methodology = dict(gathered.methodology)
    methodology[MARGINS] = methodology[MARGINS].assign(출처=HOSTILE_SOURCE)
    return dataclasses.replace(gathered, methodology=methodology)


@pytest.fixture(scope="module")
def bundle(content) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(csv_bundle(content))) as archive:
        return {
            name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()
        }


@pytest.fixture(scope="module")
def workbook(content):
    return load_workbook(io.BytesIO(workbook_bytes(content)))


def test_summary_csv_shows_the_hostile_title_as_text(bundle):
    rows = dict(bundle["summary.csv"][1:])
    assert rows["조사"] == "'" + HOSTILE_TITLE
    assert rows["조사 코드"] == "seoul-2026"  # ordinary text as it was


def test_methodology_csv_shows_the_hostile_source_as_text(bundle):
    header, *rows = bundle["methodology.csv"]
    margins = [dict(zip(header, row, strict=True)) for row in rows if row[0] == MARGINS]
    assert margins and {row["출처"] for row in margins} == {"'" + HOSTILE_SOURCE}
    assert {row["자료 ID"] for row in margins} <= {"population_margins", "household_margins"}


def test_no_csv_of_the_bundle_has_a_cell_that_a_spreadsheet_would_run(bundle):
    risky = [
        (name, cell) for name, rows in bundle.items() for row in rows for cell in row if _runs(cell)
    ]
    assert risky == []


def _runs(cell: str) -> bool:
    starts = {cell[:1], cell.lstrip()[:1]} - {""}
    if not starts & set("=+-@\t\r＝＋－＠"):
        return False
    try:
        float(cell)  # a number: read as one, runs nothing
    except ValueError:
        return True
    return False


def test_the_workbook_holds_the_title_and_source_as_strings_never_formulas(workbook):
    summary = workbook["요약"]
    assert summary["A1"].data_type == "s"
    assert summary["A1"].value == "'" + HOSTILE_TITLE + " 결과 보고서"
    values = {row[0].value: row[1] for row in summary.iter_rows(min_row=4, max_col=2)}
    assert values["조사"].data_type == "s" and values["조사"].value == "'" + HOSTILE_TITLE
    methodology = [c.value for row in workbook["방법론"].iter_rows() for c in row]
    assert "'" + HOSTILE_SOURCE in methodology and HOSTILE_SOURCE not in methodology
    assert "방법론" in methodology  # ordinary text as it was
    formulas = [
        (sheet.title, cell.coordinate)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
