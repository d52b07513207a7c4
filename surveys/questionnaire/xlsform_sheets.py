"""Read the sheets of an XLSForm workbook as rows of text, with their Excel row numbers.

Why separate: ODK and KoBoToolbox workbooks vary in small ways (``label`` or
``label::Korean (ko)``, ``list name`` or ``list_name``, ``TRUE`` as a boolean
cell, numbers stored as floats). This module smooths that out so
``surveys.questionnaire.xlsform`` only deals with text cells addressed by column name and
language, and every row keeps the number Excel shows, for messages.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data.text import Refusal, Text

# Column aliases accepted by pyxform, normalised to one spelling.
ALIASES = {
    "list_name": "list_name",
    "constraint_message": "constraint_message",
    "required_message": "required_message",
    "relevance": "relevant",
    "calculate": "calculation",
    "id_string": "form_id",
    "caption": "label",
    "constraint-msg": "constraint_message",
    "constraintmsg": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "requiredmsg": "required_message",
    "jr:requiredmsg": "required_message",
    "readonly": "read_only",
}
# ``bind:relevant`` (older pyxform and KoBo) is the ``relevant`` column; ``label:English`` (one
# colon) is ``label::English``.
BIND_PREFIX = "bind:"
LANGUAGE_COLUMNS = (
    "label",
    "hint",
    "constraint_message",
    "required_message",
    "guidance_hint",
    "media",
    "image",
    "audio",
    "video",
    "form_title",
    "unit",
)


class WorkbookError(Refusal):
    """The file is not a workbook that can be read (``reason`` ``"not_a_workbook"``)."""


# Language names as forms write them after ``label::`` (lower case) → a short tag.
LANGUAGE_NAMES = {
    "korean": "ko",
    "한국어": "ko",
    "english": "en",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "portuguese": "pt",
    "português": "pt",
    "german": "de",
    "deutsch": "de",
    "swahili": "sw",
    "kiswahili": "sw",
    "arabic": "ar",
    "العربية": "ar",
    "chinese": "zh",
    "中文": "zh",
    "japanese": "ja",
    "日本語": "ja",
    "russian": "ru",
    "hindi": "hi",
    "vietnamese": "vi",
    "tiếng việt": "vi",
    "indonesian": "id",
    "thai": "th",
    "tetun": "tet",
    "nepali": "ne",
    "bengali": "bn",
    "amharic": "am",
    "hausa": "ha",
    "somali": "so",
    "dari": "prs",
    "pashto": "ps",
    "urdu": "ur",
}
_CODE_IN_PARENTHESES = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\s*\)")
_BARE_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")


def language_of(tag: str | None, default: str) -> str:
    """The language tag of a column's language part: ``English (en)`` → ``en``, ``English`` →
    ``en``, ``français (fr)`` → ``fr``, ``Tetun`` → ``tet``; ``default`` for no part (or the
    word ``default``). A name the table does not know becomes its own lower-case tag."""
    if tag is None or not tag.strip() or tag.strip().lower() == "default":
        return default
    text = tag.strip()
    match = _CODE_IN_PARENTHESES.search(text)
    if match:
        return match.group(1).lower().replace("_", "-")
    lowered = text.lower()
    if lowered in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[lowered]
    if _BARE_CODE.match(lowered):
        return lowered
    return "-".join(re.findall(r"\w+", lowered)) or default


def has_hangul(text: str) -> bool:
    """Whether ``text`` holds Korean letters (how an untagged column's language is guessed)."""
    return bool(_HANGUL.search(text))


@dataclass(frozen=True)
class Column:
    header: str  # as written
    base: str  # e.g. "label", "constraint_message", "list_name"
    language: str | None  # the language part as written ("English (en)"), None without one
    tagged: bool  # whether the header had a ::language part


def parse_header(header: str) -> Column:
    raw = header.strip()
    base, separator, tag = raw.partition("::")
    if not separator:
        head, colon, rest = raw.partition(":")
        if colon and head.strip().lower() in LANGUAGE_COLUMNS and rest.strip():
            base, separator, tag = head, "::", rest  # label:English
    base = "_".join(base.strip().lower().split())
    if base.startswith(BIND_PREFIX):
        base = base.removeprefix(BIND_PREFIX).lstrip("_")  # bind:relevant, bind: relevant
    base = ALIASES.get(base, base)
    return Column(raw, base, tag.strip() if separator else None, bool(separator))


@dataclass
class Row:
    number: int  # as Excel shows it (the header is row 1)
    cells: dict[str, str]  # header (as written) -> text

    def get(self, base: str, columns: list[Column]) -> str:
        """The first non-empty cell of an untagged column named ``base``."""
        for column in columns:
            if column.base == base and not column.tagged:
                value = self.cells.get(column.header, "")
                if value:
                    return value
        return ""

    def texts(self, base: str, columns: list[Column], default: str) -> dict[str, str]:
        """``{language: text}`` from ``base`` (in ``default``) and ``base::<language>`` columns."""
        found: dict[str, str] = {}
        for column in columns:
            if column.base != base:
                continue
            language = language_of(column.language if column.tagged else None, default)
            value = self.cells.get(column.header, "")
            if value and language not in found:
                found[language] = value
        return found


@dataclass
class Sheet:
    name: str
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    def has(self, base: str) -> bool:
        return any(c.base == base for c in self.columns)

    def duplicates(self) -> list[tuple[str, int]]:
        """(header, Excel row) of columns repeating another: the same header twice (row 1;
        pyxform refuses it), or two spellings of one column (``relevant`` and
        ``bind:relevant``) both filled on a row, where which one counts would be a guess."""
        seen: dict[tuple[str, str | None], Column] = {}
        found = []
        for column in self.columns:
            key = (column.base, language_of(column.language, "") if column.tagged else None)
            first = seen.setdefault(key, column)
            if first is column:
                continue
            if first.header == column.header:
                found.append((column.header, 1))
                continue
            both = (
                r for r in self.rows if r.cells.get(first.header) and r.cells.get(column.header)
            )
            row = next(both, None)
            if row is not None:
                found.append((column.header, row.number))
        return found


def cell_text(value: Any) -> str:
    """A cell as text: whole floats without ``.0``, booleans as true/false, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _sheet(name: str, rows: list[tuple[Any, ...]]) -> Sheet:
    if not rows:
        return Sheet(name)
    headers = [cell_text(h) for h in rows[0]]
    columns = [parse_header(h) for h in headers if h]
    sheet = Sheet(name, columns)
    for number, values in enumerate(rows[1:], start=2):
        cells = {
            header: cell_text(value)
            for header, value in zip(headers, values, strict=False)
            if header and cell_text(value)
        }
        if cells:
            sheet.rows.append(Row(number, cells))
    return sheet


def read_workbook(path: Path) -> dict[str, Sheet]:
    """Every sheet by lower-case name; raises WorkbookError when unreadable."""
    if path.suffix.lower() == ".xls":
        return _read_xls(path)
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise WorkbookError(
            "not_a_workbook",
            Text(
                f"엑셀 파일(.xlsx)로 읽을 수 없습니다: {error}",
                f"cannot read the file as an Excel workbook (.xlsx): {error}",
            ),
        ) from error
    try:
        return {ws.title.strip().lower(): _sheet(ws.title, _rows(ws)) for ws in workbook.worksheets}
    finally:
        workbook.close()


def _rows(worksheet: Any) -> list[tuple[Any, ...]]:
    """The sheet's rows as stored. The declared dimension is not trusted: a sheet formatted
    down to row 1,048,576 and column AMJ would otherwise be padded to a billion empty cells
    (110 s for one real form, and as long for a hostile upload); without it each row is as
    long as its own last cell and a missing row is an empty tuple."""
    worksheet.reset_dimensions()
    return list(worksheet.iter_rows(values_only=True))


def _read_xls(path: Path) -> dict[str, Sheet]:
    """The old Excel format, read by python-calamine (a declared dependency) through pandas."""
    import pandas as pd

    try:
        frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine")
    except Exception as error:  # any reader failure is a problem to report
        raise WorkbookError(
            "not_a_workbook",
            Text(
                f"엑셀 파일(.xls)로 읽을 수 없습니다 (.xlsx 로 저장해 보세요): {error}",
                f"cannot read the file as an Excel workbook (.xls; try saving it as .xlsx): {error}",
            ),
        ) from error
    sheets = {}
    for name, frame in frames.items():
        rows = [tuple(None if _missing(v) else v for v in row) for row in frame.itertuples(False)]
        sheets[str(name).strip().lower()] = _sheet(str(name), rows)
    return sheets


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)
