"""An XLSForm's sheets as tables of text, written back to a workbook, and checked as an upload.

Why: survey managers edit a questionnaire in place on the Questionnaires page
(``ui/questionnaire_editor.py``): a grid per sheet (survey, choices, settings), the checks
re-run on every change, and the result saved as a new version or downloaded as an XLSForm.
This module is that editor without Streamlit:

* :func:`workbook_sheets` reads every sheet of an .xlsx workbook as a DataFrame of strings:
  every column as the workbook heads it (``label::Korean (ko)``, ``label::English (en)``,
  ``relevant`` …), a missing cell as ``""``, numbers and booleans as the XLSForm reader reads
  them (``1``, ``true``). The index is the row number Excel shows (the header is row 1, so the
  first row of data is 2); trailing empty rows and columns without a heading (which the reader
  ignores too) are left out. Sheet names are lower case, as the reader matches them.
* :func:`sheets_workbook` writes such tables back to an .xlsx, rows in order, every cell a
  string cell — never a formula. A text a spreadsheet could take for one when edited
  (:func:`data.spreadsheet_safety.needs_apostrophe`: ``=``, ``+``, ``-``, ``@`` …) is marked
  with Excel's ``quotePrefix`` rather than given an apostrophe, as
  :mod:`surveys.questionnaire.xlsform_export` does, so it reads back exactly as written.
  ``workbook_sheets(sheets_workbook(s))`` equals ``s`` (``tests/surveys/test_sheet_editing.py``
  holds it to that for any text, Korean, empty cells and formula-looking text included).
* :func:`check_sheets` writes the tables and runs exactly what an upload runs
  (:func:`surveys.questionnaire.uploads.read_upload`, then the static checks'
  :func:`~surveys.questionnaire.upload_checks.upload_findings`). A problem's place names the
  row by the table's own index, so it points at the row the grid shows even after rows were
  deleted or added in between.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

import pandas as pd

from data.spreadsheet_safety import needs_apostrophe
from data.text import InvalidRequest, Text
from surveys.questionnaire.loader_problems import Problem
from surveys.questionnaire.model import Questionnaire
from surveys.questionnaire.static_checks import Finding
from surveys.questionnaire.upload_checks import UploadRefused, upload_findings
from surveys.questionnaire.uploads import read_upload
from surveys.questionnaire.xlsform_sheets import LANGUAGE_COLUMNS, cell_text, parse_header

SHEETS = ("survey", "choices", "settings")  # the sheets the editor shows, in this order
# The columns a grid offers even when the workbook has none filled (a grid cannot add one):
# a language's column once per language of the sheet's labels.
USUAL_COLUMNS = {
    "survey": (
        *("type", "name", "label", "hint", "required", "relevant", "constraint"),
        *("constraint_message", "calculation", "choice_filter", "appearance"),
    ),
    "choices": ("list_name", "name", "label"),
    "settings": ("form_id", "version", "form_title", "default_language"),
}
FIRST_ROW = 2  # Excel's row of the first row of data (the header is row 1)
CELL_LIMIT = 32767  # characters in one Excel cell
EDITED_FILE = "edited.xlsx"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r]")  # what a cell cannot hold as written
_SHEET_ROW = re.compile(r"^(\w+) row (\d+)$")


class SheetTextRefused(InvalidRequest):
    """A cell's text that a workbook cannot hold (``reason`` ``"unwritable_text"``); ``location``
    names the sheet and row as the table numbers it (``survey row 7``)."""

    def __init__(self, location: str, text: Text) -> None:
        super().__init__("unwritable_text", text)
        self.location = location


class SheetCheck(NamedTuple):
    """What the checks say of edited sheets: the questionnaire (None while problems remain),
    every problem, and the static checks' warnings on a questionnaire that loads."""

    questionnaire: Questionnaire | None
    problems: list[Problem]
    findings: list[Finding]


# -- reading ----------------------------------------------------------------------------------
def _text(value: Any) -> str:
    """A cell as the editor shows it: a string exactly as stored, anything else as the XLSForm
    reader reads it (whole numbers without ``.0``, booleans ``true``/``false``, dates ISO)."""
    return value if isinstance(value, str) else cell_text(value)


def empty_sheet(columns: list[str]) -> pd.DataFrame:
    """A sheet with these headings and no rows (its index starting at Excel's row 2)."""
    return pd.DataFrame(
        {c: pd.Series([], dtype=object) for c in columns}, index=pd.RangeIndex(FIRST_ROW, FIRST_ROW)
    )


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """The sheet as text: missing cells ``""``, every cell a string, trailing empty rows left
    out (a workbook does not keep them); the index is kept."""
    cells = frame.astype(object).where(frame.notna(), "")
    cells = cells.map(lambda value: value if isinstance(value, str) else _text(value))
    filled = [i for i, (_, row) in enumerate(cells.iterrows()) if any(v != "" for v in row)]
    kept = cells.iloc[: filled[-1] + 1] if filled else cells.iloc[:0]
    return kept.astype(object)


def _frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    if not rows:
        return empty_sheet([])
    headers = [_text(h) for h in rows[0]]
    wanted = [(i, h) for i, h in enumerate(headers) if h.strip()]
    seen: dict[str, int] = {}
    columns = []
    for _, header in wanted:  # a heading twice (pyxform refuses it) is told apart, not lost
        seen[header] = seen.get(header, 0) + 1
        columns.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    body = [[_text(row[i]) if i < len(row) else "" for i, _ in wanted] for row in rows[1:]]
    while body and not any(body[-1]):
        body.pop()
    frame = pd.DataFrame(
        body, columns=columns, index=pd.RangeIndex(FIRST_ROW, FIRST_ROW + len(body)), dtype=object
    )
    return frame if columns else empty_sheet([])


def workbook_sheets(content: bytes) -> dict[str, pd.DataFrame]:
    """Every sheet of an .xlsx workbook as a DataFrame of strings (the module's docstring),
    by lower-case name. Formulas are never evaluated: a formula cell reads as its saved value."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheets: dict[str, pd.DataFrame] = {}
        for worksheet in workbook.worksheets:
            worksheet.reset_dimensions()  # a declared dimension is not trusted (xlsform_sheets)
            rows = list(worksheet.iter_rows(values_only=True))
            sheets.setdefault(worksheet.title.strip().lower(), _frame(rows))
        return sheets
    finally:
        workbook.close()


# -- the grids ---------------------------------------------------------------------------------
def _languages(sheets: Mapping[str, pd.DataFrame]) -> list[str]:
    """The language parts of the label columns (``Korean (ko)``), as written, in order."""
    found: list[str] = []
    for name in ("survey", "choices"):
        frame = sheets.get(name)
        for header in [] if frame is None else frame.columns:
            column = parse_header(str(header))
            if column.base == "label" and column.tagged and column.language not in found:
                found.append(str(column.language))
    return found


def editable(sheets: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The sheets as the editor shows them: survey, choices and settings (an empty one for a
    sheet the workbook lacks), each with the usual columns it has none of added empty at its
    end (``relevant`` when no question had one; ``label::English (en)`` and the others in each
    language of the labels), then any other sheet unchanged. :func:`for_workbook` takes off
    again what stayed empty."""
    languages = _languages(sheets)
    shown: dict[str, pd.DataFrame] = {}
    for name in SHEETS:
        frame = sheets[name].copy() if name in sheets else empty_sheet([])
        present = {parse_header(str(h)).base for h in frame.columns}
        for base in USUAL_COLUMNS[name]:
            if base in present:
                continue
            tags = languages if base in LANGUAGE_COLUMNS and languages else [None]
            for tag in tags:
                frame[base if tag is None else f"{base}::{tag}"] = ""
        shown[name] = frame.astype(object)
    shown.update({name: frame for name, frame in sheets.items() if name not in shown})
    return shown


def for_workbook(
    edited: Mapping[str, pd.DataFrame], original: Mapping[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    """The edited grids as the workbook gets them: a column :func:`editable` added and left
    empty is taken off again, and a sheet the original lacked is written only when filled."""
    written: dict[str, pd.DataFrame] = {}
    for name, frame in edited.items():
        cells = tidy(frame)
        if name not in original and cells.empty:
            continue
        kept = set(original[name].columns) if name in original else set()
        empty = [c for c in cells.columns if c not in kept and not (cells[c] != "").any()]
        written[name] = cells.drop(columns=empty)
    return written


# -- writing ----------------------------------------------------------------------------------
def _checked(text: str, location: str) -> str:
    if _CONTROL.search(text):
        why = Text(
            "엑셀 셀에 쓸 수 없는 제어 문자가 있습니다. 지우고 다시 적으세요",
            "it holds control characters that a workbook cell cannot hold; delete them",
        )
    elif len(text) > CELL_LIMIT:
        why = Text(
            f"엑셀 셀 하나에 담을 수 있는 {CELL_LIMIT}자보다 깁니다. 줄이세요",
            f"it is longer than the {CELL_LIMIT} characters a workbook cell holds; shorten it",
        )
    else:
        return text
    raise SheetTextRefused(location, why)


def sheets_workbook(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """The sheets as an .xlsx workbook: headings in row 1, rows in order from row 2, every
    non-empty cell a string cell (never a formula; ``quotePrefix`` where a spreadsheet could
    take it for one). Raises :class:`SheetTextRefused` for a text no cell can hold."""
    from openpyxl import Workbook  # imported when a workbook is written, as when one is read

    workbook = Workbook()
    for index, (title, frame) in enumerate(sheets.items()):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title
        cells = tidy(frame)
        for column, header in enumerate(cells.columns, start=1):
            _put(sheet.cell(row=1, column=column), _checked(str(header), f"{title} row 1"))
        for number, (label, row) in enumerate(cells.iterrows(), start=FIRST_ROW):
            for column, value in enumerate(row, start=1):
                if value != "":
                    text = _checked(value, f"{title} row {label}")
                    _put(sheet.cell(row=number, column=column), text)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(cell: Any, text: str) -> None:
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the text starts with
    cell.quotePrefix = needs_apostrophe(text)  # and text still when edited in a spreadsheet


# -- checking ---------------------------------------------------------------------------------
def check_sheets(sheets: Mapping[str, pd.DataFrame], file_name: str = EDITED_FILE) -> SheetCheck:
    """The edited sheets checked exactly as an uploaded workbook is: every problem (places
    numbered as the tables' indexes number the rows), and the warnings when none remains."""
    try:
        content = sheets_workbook(sheets)
    except SheetTextRefused as refusal:
        return SheetCheck(None, [Problem(file_name, refusal.location, None, refusal.text)], [])
    try:
        questionnaire, problems = read_upload(file_name, content)
    except UploadRefused as refusal:
        return SheetCheck(None, [Problem(file_name, "workbook", None, refusal.text)], [])
    problems = [_renumbered(problem, sheets) for problem in problems]
    if questionnaire is None:
        return SheetCheck(None, problems, [])
    return SheetCheck(questionnaire, [], upload_findings(questionnaire))


def _renumbered(problem: Problem, sheets: Mapping[str, pd.DataFrame]) -> Problem:
    """``survey row 4`` of the written workbook as the row the table labels (its index)."""
    match = _SHEET_ROW.match(problem.location)
    frame = sheets.get(match.group(1)) if match else None
    if match is None or frame is None:
        return problem
    position = int(match.group(2)) - FIRST_ROW
    if not 0 <= position < len(frame.index):
        return problem
    location = f"{match.group(1)} row {frame.index[position]}"
    return Problem(problem.file, location, problem.question, problem.text)


def same_sheets(left: Mapping[str, pd.DataFrame], right: Mapping[str, pd.DataFrame]) -> bool:
    """Whether two sets of sheets hold the same text (row numbers and dtypes aside)."""
    if list(left) != list(right):
        return False
    for name in left:
        a, b = tidy(left[name]), tidy(right[name])
        if list(a.columns) != list(b.columns) or a.values.tolist() != b.values.tolist():
            return False
    return True
