"""The report's Excel workbook: summary, one sheet per domain dimension, methodology, codebook.

Written cell by cell with XlsxWriter (Korean sheet names, number formats per
indicator unit, flag colours, frozen header, autofilter) so that a manager can
open it and print it as it is; numbers stay numbers (full precision, shown
rounded), except suppressed estimates, which are the text '–'. Text is always written as a
string, and a text a spreadsheet could take for a formula (a survey title ``=HYPERLINK(…)``)
starts with an apostrophe (:mod:`data.spreadsheet_safety`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from analysis.reports.content import ReportContent
from analysis.reports.findings import SUPPRESSED, decimals
from analysis.reports.published import CV, DEFF, FLAG, FLAG_TITLES, N_MISSING, NUMBER_COLUMNS, N
from data.spreadsheet_safety import WORKBOOK_OPTIONS, neutralize_cell

SUMMARY, METHODOLOGY, CODEBOOK, QUESTIONS = "요약", "방법론", "코드북", "문항별 결과"
CHANGES = {"cross_section": "전년 대비 변화", "panel_wave": "이전 차수 대비 변화"}
FLAG_FILLS = {FLAG_TITLES["caution"]: "#fff2cc", FLAG_TITLES["suppressed"]: "#d9d9d9"}
PERCENT_COLUMNS = {"응답률", "가구 응답률", "가구원 응답률"}


class _Formats:
    """The workbook's cell formats, made once (XlsxWriter wants few distinct formats)."""

    def __init__(self, book: Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.heading = book.add_format({"bold": True, "font_size": 11, "font_color": "#1f4e79"})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#1f4e79", "font_color": "white", "border": 1,
             "text_wrap": True, "valign": "vcenter"}
        )  # fmt: skip
        self.text = book.add_format({"valign": "top"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.integer = book.add_format({"num_format": "#,##0"})
        self.percent = book.add_format({"num_format": "0.0%"})
        self.deff = book.add_format({"num_format": "0.00"})
        self.decimals = {d: book.add_format({"num_format": "#,##0." + "0" * d}) for d in (1, 2)}
        self.dash = book.add_format({"align": "right", "font_color": "#7f7f7f"})
        self.flags = {
            label: book.add_format({"bg_color": colour, "align": "center"})
            for label, colour in FLAG_FILLS.items()
        }
        self.significant = book.add_format({"bold": True, "font_color": "#c0392b"})


def _text(sheet: Worksheet, row: int, col: int, text: str, style: Any = None) -> None:
    """A text cell, always a string (never a formula), an apostrophe first if it could be one."""
    sheet.write_string(row, col, neutralize_cell(text), style)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _header(sheet: Worksheet, row: int, columns: list[str], formats: _Formats) -> None:
    for col, name in enumerate(columns):
        _text(sheet, row, col, str(name), formats.header)


def _plain_table(
    sheet: Worksheet,
    frame: pd.DataFrame,
    row: int,
    formats: _Formats,
    wrap: frozenset[str] | set[str] = frozenset(),
) -> int:
    """A table with a header at ``row``; returns the next free row."""
    _header(sheet, row, list(frame.columns), formats)
    for offset, values in enumerate(frame.itertuples(index=False), start=1):
        for col, (name, value) in enumerate(zip(frame.columns, values, strict=True)):
            if _blank(value):
                continue
            if isinstance(value, bool):
                sheet.write_boolean(row + offset, col, value)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                if name in PERCENT_COLUMNS:
                    style = formats.percent
                elif float(value).is_integer() and abs(value) >= 1:
                    style = formats.integer
                else:
                    style = formats.decimals[2]
                sheet.write_number(row + offset, col, float(value), style)
            else:
                _text(
                    sheet,
                    row + offset,
                    col,
                    str(value),
                    formats.wrap if name in wrap else formats.text,
                )
    return row + len(frame) + 1


def _widths(sheet: Worksheet, frame: pd.DataFrame, cap: int = 60) -> None:
    for col, name in enumerate(frame.columns):
        cells = frame[name].astype(str).str.len()
        longest = max([len(str(name)) * 2, *(cells.head(200).tolist() or [0])])
        sheet.set_column(col, col, min(cap, max(8, longest + 2)))


def _summary(book: Workbook, content: ReportContent, formats: _Formats) -> None:
    sheet = book.add_worksheet(SUMMARY)
    _text(sheet, 0, 0, f"{content.survey.title_ko} 결과 보고서", formats.title)
    _text(sheet, 1, 0, f"작성 {content.made_at}", formats.text)
    row = 3
    for item, value in content.summary.itertuples(index=False):
        _text(sheet, row, 0, str(item), formats.text)
        if isinstance(value, float) and "응답률" in str(item):
            sheet.write_number(row, 1, value, formats.percent)
        elif isinstance(value, int | float) and not _blank(value):
            sheet.write_number(row, 1, float(value), formats.integer)
        else:
            _text(sheet, row, 1, "" if _blank(value) else str(value), formats.text)
        row += 1
    row += 1
    _text(sheet, row, 0, "주요 결과", formats.heading)
    for line in content.findings:
        row += 1
        _text(sheet, row, 0, "• " + line, formats.text)
    row += 2
    _text(sheet, row, 0, "표시", formats.heading)
    legend = [
        (FLAG_TITLES["caution"], "사례 수 30 미만 또는 변동계수 0.3 초과: 해석에 주의"),
        (FLAG_TITLES["suppressed"], f"변동계수 0.5 초과: 추정값을 공표하지 않음 ({SUPPRESSED})"),
    ]
    for label, text in legend:
        row += 1
        _text(sheet, row, 0, label, formats.flags[label])
        _text(sheet, row, 1, text, formats.text)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 70)


def _changes(book: Workbook, content: ReportContent, formats: _Formats) -> None:
    if content.changes is None or content.previous is None:
        return
    sheet = book.add_worksheet(CHANGES.get(content.kind, "이전 조사 대비 변화"))
    both = "n_both" in content.changes.columns
    columns = ["지표 ID", "지표명", "단위", content.name, content.previous_name, "차이",
               "차이 표준오차", "95% 하한", "95% 상한", "z", "p값", "5% 유의"]  # fmt: skip
    if both:
        columns.append("두 차수 모두 응답한 가구")
    _header(sheet, 0, columns, formats)
    for row, change in enumerate(content.changes.itertuples(index=False), start=1):
        style = formats.decimals[decimals(change.unit)]
        _text(sheet, row, 0, change.indicator)
        _text(sheet, row, 1, change.name_ko)
        _text(sheet, row, 2, change.unit)
        numbers = [change.estimate_a, change.estimate_b, change.difference, change.se,
                   change.ci_low, change.ci_high]  # fmt: skip
        for col, value in enumerate(numbers, start=3):
            _number(sheet, row, col, value, style, formats)
        _number(sheet, row, 9, change.z, formats.deff, formats)
        _number(sheet, row, 10, change.p_value, formats.decimals[2], formats)
        if not _blank(change.difference):
            _text(sheet, row, 11, "유의" if change.significant else "", formats.significant)
        if both:
            sheet.write_number(row, 12, float(change.n_both), formats.integer)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(content.changes), len(columns) - 1)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, len(columns) - 1, 11)
    _text(sheet, len(content.changes) + 2, 0, content.change_note)


def _questions(book: Workbook, content: ReportContent, formats: _Formats) -> None:
    """Every question's weighted results (a wave's report): percentages and means."""
    table = content.questions
    if table is None or table.empty:
        return
    sheet = book.add_worksheet(QUESTIONS)
    numbers = {"추정값", "표준오차", "95% 하한", "95% 상한"}

    def style(name: str, row: int):
        if name in numbers:
            return formats.decimals[1]
        return formats.percent if name == CV else None

    _table_cells(sheet, table, formats, style, integers={N})
    sheet.freeze_panes(1, 3)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 44)
    sheet.set_column(2, 3, 9)
    sheet.set_column(4, 4, 24)
    sheet.set_column(5, 6, 14)
    sheet.set_column(7, len(table.columns) - 1, 10)
    _text(
        sheet,
        len(table) + 2,
        0,
        "비율(%)은 그 문항에 응답한 가구(가구 문항) 또는 가구원(가구원 문항) 중 각 보기를 고른 가중"
        " 비율입니다(복수 응답 문항은 합이 100%를 넘을 수 있습니다). 평균은 응답자의 가중 평균입니다.",
    )


def _number(sheet: Worksheet, row: int, col: int, value: Any, style, formats: _Formats) -> None:
    if _blank(value):
        _text(sheet, row, col, SUPPRESSED, formats.dash)
    else:
        sheet.write_number(row, col, float(value), style)


def _table_cells(
    sheet: Worksheet,
    table: pd.DataFrame,
    formats: _Formats,
    style: Callable[[str, int], Any],
    integers: set[str],
) -> None:
    """A published table: header, numbers in ``style(column, row)`` ('–' when blank),
    whole numbers, coloured flags, text; then autofilter and a taller header row."""
    columns = list(table.columns)
    _header(sheet, 0, columns, formats)
    for col, name in enumerate(columns):
        for row, value in enumerate(table[name].tolist(), start=1):
            number_style = style(name, row)
            if number_style is not None:
                _number(sheet, row, col, value, number_style, formats)
            elif name in integers:
                if not _blank(value):
                    sheet.write_number(row, col, float(value), formats.integer)
            elif name == FLAG:
                if value:
                    _text(sheet, row, col, value, formats.flags.get(value, formats.text))
            elif not _blank(value):
                _text(sheet, row, col, value if isinstance(value, str) else str(value))
    sheet.autofilter(0, 0, len(table), len(columns) - 1)
    sheet.set_row(0, 30)


def _domain_sheet(book: Workbook, title: str, table: pd.DataFrame, formats: _Formats) -> None:
    sheet = book.add_worksheet(title)
    units = table["단위"].tolist()

    def style(name: str, row: int):
        if name not in NUMBER_COLUMNS:
            return None
        if name == CV:
            return formats.percent
        if name == DEFF:
            return formats.deff
        return formats.decimals[decimals(units[row - 1])]

    _table_cells(sheet, table, formats, style, integers={N, N_MISSING, "가중치 ID"})
    sheet.freeze_panes(1, 2)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, len(table.columns) - 1, 11)


def _methodology(book: Workbook, content: ReportContent, formats: _Formats) -> None:
    sheet = book.add_worksheet(METHODOLOGY)
    _text(sheet, 0, 0, "방법론", formats.title)
    row = 2
    for title, table in content.methodology.items():
        _text(sheet, row, 0, title, formats.heading)
        row = _plain_table(sheet, table, row + 1, formats, wrap={"내용", "출처", "값", "기준"}) + 1
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 2, 60)
    sheet.set_column(3, 3, 20)
    sheet.set_column(4, 4, 70)
    sheet.set_column(5, 6, 12)


def _codebook(book: Workbook, content: ReportContent, formats: _Formats) -> None:
    sheet = book.add_worksheet(CODEBOOK)
    table = content.codebook
    _plain_table(sheet, table, 0, formats, wrap={"질문", "Question", "보기"})
    sheet.freeze_panes(1, 4)
    sheet.autofilter(0, 0, len(table), len(table.columns) - 1)
    _widths(sheet, table, cap=50)


def workbook_bytes(content: ReportContent) -> bytes:
    """The .xlsx file: 요약, the changes (전년 / 이전 차수 대비 변화), one sheet per domain
    dimension, 문항별 결과 (waves), 방법론, 코드북."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "nan_inf_to_errors": True, **WORKBOOK_OPTIONS}
    book = xlsxwriter.Workbook(buffer, options)
    formats = _Formats(book)
    _summary(book, content, formats)
    _changes(book, content, formats)
    for title, table in content.domain_tables.items():
        _domain_sheet(book, title, table, formats)
    _questions(book, content, formats)
    _methodology(book, content, formats)
    _codebook(book, content, formats)
    book.set_properties({"title": f"{content.survey.title_ko} 결과 보고서", "author": "서울서베이"})
    book.close()
    return buffer.getvalue()
