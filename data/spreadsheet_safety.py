"""Text that leaves the platform in a CSV or Excel file is shown as text, never run as a formula.

A survey title, a respondent's name, a reference table's source or a label can be any text a
user typed. A spreadsheet program opening a CSV (or a cell being edited) reads a text that starts
with ``=``, ``+``, ``-`` or ``@`` as a formula — ``=HYPERLINK("http://evil","click")`` becomes a
link, ``=cmd|' /C calc'!A0`` asks to run a program. The OWASP guidance "CSV Injection"
(https://owasp.org/www-community/attacks/CSV_Injection) is followed: such a cell gets a leading
apostrophe, which every spreadsheet program shows as text. One rule, here, for every writer:

- **triggers** are ``=`` ``+`` ``-`` ``@``, TAB and CR, and their full-width forms ``＝ ＋ － ＠``
  (and the small forms ``﹦ ﹢ ﹣ ﹫``), which East Asian input methods type and some spreadsheet
  versions take for the ASCII ones;
- a text **needs the apostrophe** when its first character is a trigger, or its first character
  after leading whitespace (spaces, tabs, line breaks, the ideographic space) is one;
- a text that is **a plain number** (``-3.5``, ``+2``, ``-1e5``: ASCII digits, one sign, one
  decimal point, an exponent) is left as it is: a spreadsheet reads it as that number, which runs
  nothing, and a negative estimate formatted as text stays readable as a number. ``-2+3`` or
  ``-`` alone is not a plain number and gets the apostrophe;
- a text that already starts with apostrophes before a trigger (``'=1``) gets one more, so that
  :func:`restore_cell` — taking the added apostrophe off again — gives back exactly the original
  (a spreadsheet program also treats a leading apostrophe as a marker, never as content);
- **only text is touched**: numbers, booleans, dates and missing values stay what they are, so a
  negative number stored as a number stays a number. Column names are text cells too.

Writers call :func:`csv_bytes` / :func:`csv_text` / :func:`write_csv` for CSV and
:func:`xlsx_bytes` / :func:`excel_writer` with :func:`write_sheet` for Excel (XlsxWriter with
``strings_to_formulas`` and ``strings_to_urls`` off, :data:`WORKBOOK_OPTIONS`, so even a string
that slipped through is written as a string). A writer that writes cell by cell
(:mod:`analysis.reports.excel`) passes each text through :func:`neutralize_cell`; the XLSForm
export (:mod:`surveys.questionnaire.xlsform_export`), whose texts must read back exactly, marks
each text :func:`needs_apostrophe` flags with Excel's ``quotePrefix`` instead. A test in
``tests/test_architecture.py`` refuses any other ``to_csv`` / ``to_excel`` / workbook.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

APOSTROPHE = "'"
TRIGGERS = frozenset("=+-@\t\r" + "\uff1d\uff0b\uff0d\uff20" + "\ufe66\ufe62\ufe63\ufe6b")
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# XlsxWriter's write() would otherwise make a formula of "=…" and a link of "http://…"
WORKBOOK_OPTIONS: dict[str, Any] = {"strings_to_formulas": False, "strings_to_urls": False}

Cell = TypeVar("Cell")


def _starts_like_formula(text: str) -> bool:
    if PLAIN_NUMBER.fullmatch(text):
        return False
    return text[:1] in TRIGGERS or text.lstrip()[:1] in TRIGGERS


def needs_apostrophe(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (the rule above)."""
    return _starts_like_formula(text.lstrip(APOSTROPHE))


def neutralize_cell(value: Cell) -> Cell:
    """``value`` with a leading apostrophe if it is text a spreadsheet could run as a formula;
    anything else (text that is safe, numbers, missing values) unchanged."""
    if isinstance(value, str) and needs_apostrophe(value):
        return APOSTROPHE + value  # type: ignore[return-value]
    return value


def restore_cell(value: Cell) -> Cell:
    """The inverse of :func:`neutralize_cell`: an apostrophe it would have added is taken off
    (for files the platform exported and reads back, like a reference table's template)."""
    if (
        isinstance(value, str)
        and value.startswith(APOSTROPHE)
        and needs_apostrophe(value[len(APOSTROPHE) :])
    ):
        return value[len(APOSTROPHE) :]  # type: ignore[return-value]
    return value


def _texts(series: pd.Series) -> bool:
    dtype = series.dtype
    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
    )


def _apply(frame: pd.DataFrame, cell) -> pd.DataFrame:
    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if _texts(column):
            values = (
                column.astype(object) if isinstance(column.dtype, pd.CategoricalDtype) else column
            )
            out.isetitem(position, values.map(cell))
    out.columns = [cell(name) for name in out.columns]
    return out


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name passed through
    :func:`neutralize_cell` (the input is never changed)."""
    return _apply(frame, neutralize_cell)


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`restore_cell` applied to every text cell and column name."""
    return _apply(frame, restore_cell)


# -- CSV ---------------------------------------------------------------------------------------
def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text without its index, every text cell neutralized."""
    return neutralize_frame(frame).to_csv(index=False)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV in UTF-8 with a byte-order mark (so Korean Excel opens it right),
    every text cell neutralized."""
    return csv_text(frame).encode("utf-8-sig")


def write_csv(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write :func:`csv_bytes` of the frame to ``path``; returns the path."""
    path = Path(path)
    path.write_bytes(csv_bytes(frame))
    return path


# -- Excel -------------------------------------------------------------------------------------
def excel_writer(target: Path | str | io.BytesIO) -> pd.ExcelWriter:
    """A pandas Excel writer (XlsxWriter) that writes strings as strings, never as formulas or
    links; fill it with :func:`write_sheet`."""
    return pd.ExcelWriter(target, engine="xlsxwriter", engine_kwargs={"options": WORKBOOK_OPTIONS})


def write_sheet(
    writer: pd.ExcelWriter,
    frame: pd.DataFrame,
    sheet_name: str,
    *,
    freeze_header: bool = False,
    autofilter: bool = False,
) -> None:
    """One sheet: the frame (neutralized, without its index), its header row frozen and
    filterable if asked."""
    neutralize_frame(frame).to_excel(writer, sheet_name=sheet_name, index=False)
    sheet = writer.sheets[sheet_name]
    if freeze_header:
        sheet.freeze_panes(1, 0)
    if autofilter and len(frame.columns):
        sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)


def xlsx_bytes(
    sheets: Mapping[str, pd.DataFrame], *, freeze_header: bool = False, autofilter: bool = False
) -> bytes:
    """An .xlsx file with one sheet per entry of ``sheets`` (name -> frame), neutralized."""
    buffer = io.BytesIO()
    with excel_writer(buffer) as writer:
        for name, frame in sheets.items():
            write_sheet(writer, frame, name, freeze_header=freeze_header, autofilter=autofilter)
    return buffer.getvalue()
