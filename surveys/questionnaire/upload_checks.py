"""Is an uploaded file safe to read as a questionnaire? Checked before any parser sees it.

Why: survey managers upload XLSForm workbooks and YAML files from their own machines
(issue 13). A file that is not a questionnaire at all must get a calm refusal that says
what is wrong and what to do — never a traceback — and a hostile file must not reach
openpyxl or PyYAML with the power to exhaust memory. The checks, in order:

* **size** first (:func:`check_size`, from the upload's declared size, before the bytes are
  read): ``SEOUL_QUESTIONNAIRE_MAX_MB`` (default 10); an empty file is refused too;
* **type** by suffix: ``.xlsx``, ``.xls``, ``.yaml``/``.yml``; ``.xlsm`` (macros) refused;
* **.xlsx**: a zip whose directory is read before anything is decompressed — no workbook
  part, a ``vbaProject.bin`` or a macro content type (macros), too many parts, an absurd
  total uncompressed size or compression ratio (a zip bomb), no ``survey`` sheet (a workbook
  that is not an XLSForm). Python's zip reader never
  inflates a part beyond the size its directory declares, so the declared sizes bound the
  work; openpyxl then reads values only (``data_only``), never evaluating a formula, and
  :func:`formula_problems` lists formula cells that have no saved value;
* **.xls**: the OLE2 signature, and no VBA project stream;
* **YAML**: at most 2 MB whatever the setting (PyYAML is slow on large documents), UTF-8 (a
  CP949/EUC-KR file is named as such), and no alias bomb: the document
  is composed (aliases are shared, not copied) and its expanded size counted before the
  loader — a ``yaml.SafeLoader`` — builds it.

Once a file has loaded without a problem, :func:`upload_findings` gives the static checks'
findings (:mod:`surveys.questionnaire.static_checks`): warnings shown beside the stored
version, never a reason to refuse it.

Nothing here imports Streamlit; :mod:`surveys.questionnaire.uploads` runs these checks and
then the loader.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath
from xml.etree import ElementTree

import yaml

from data.config import setting
from data.text import Refusal, Text
from surveys.questionnaire.loader_problems import Problem
from surveys.questionnaire.model import Questionnaire
from surveys.questionnaire.static_checks import Finding, static_findings

DEFAULT_MAX_MB = 10.0
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # all parts of a workbook, once inflated
MAX_RATIO = 100  # inflated / compressed, for a part larger than RATIO_FLOOR once inflated
RATIO_FLOOR = 1024 * 1024
MAX_PARTS = 2_000
MAX_YAML_NODES = 200_000  # the Seoul Survey 2026 definition has about 3,000
MAX_YAML_BYTES = 2 * 1024 * 1024  # under any size setting: that definition is 45 KB of YAML
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
VBA_STREAM = "_VBA_PROJECT".encode("utf-16-le")
SUFFIX_FORMATS = {".xlsx": "xlsx", ".xls": "xls", ".yaml": "yaml", ".yml": "yaml"}


class UploadRefused(Refusal):
    """An uploaded file refused before it is read as a questionnaire. ``reason`` is one of
    ``empty``, ``too_large``, ``unknown_type``, ``macros``, ``not_a_workbook``, ``zip_bomb``,
    ``not_an_xlsform``,
    ``not_utf8``, ``yaml_bomb``, ``unreadable``."""


def max_upload_bytes() -> int:
    """``SEOUL_QUESTIONNAIRE_MAX_MB`` in bytes (the default when unset or not a positive number)."""
    try:
        megabytes = float(setting("SEOUL_QUESTIONNAIRE_MAX_MB").strip() or DEFAULT_MAX_MB)
    except ValueError:
        megabytes = DEFAULT_MAX_MB
    if megabytes <= 0:
        megabytes = DEFAULT_MAX_MB
    return int(megabytes * 1024 * 1024)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f}"


def check_size(size: int, limit: int | None = None) -> None:
    """Refuse an empty file or one over the limit, from its size alone (before reading it)."""
    limit = max_upload_bytes() if limit is None else limit
    if size <= 0:
        raise UploadRefused(
            "empty",
            Text(
                "빈 파일입니다 (0바이트). 설문지를 저장한 파일을 다시 올리세요.",
                "The file is empty (0 bytes). Upload the file the questionnaire was saved in.",
            ),
        )
    if size > limit:
        raise UploadRefused(
            "too_large",
            Text(
                f"파일이 너무 큽니다: {_megabytes(size)} MB (한도 {_megabytes(limit)} MB). "
                "설문지에 필요 없는 시트나 그림을 지우고 다시 올리세요.",
                f"The file is too large: {_megabytes(size)} MB (the limit is "
                f"{_megabytes(limit)} MB). Remove sheets or pictures the questionnaire does not "
                "need and upload it again.",
            ),
        )


def file_kind(file_name: str) -> str:
    """``xlsx``, ``xls`` or ``yaml`` from the name; refuses macros and any other type."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix in (".xlsm", ".xltm", ".xlsb"):
        raise _macros()
    if suffix not in SUFFIX_FORMATS:
        raise UploadRefused(
            "unknown_type",
            Text(
                f"설문 파일은 .xlsx, .xls(XLSForm) 또는 .yaml, .yml 이어야 합니다 ('{suffix or '확장자 없음'}' "
                "파일). 엑셀에서 'Excel 통합 문서(.xlsx)'로 저장하세요.",
                f"A questionnaire file must be .xlsx, .xls (XLSForm) or .yaml, .yml (this one is "
                f"'{suffix or 'without a suffix'}'). In Excel, save it as 'Excel Workbook (.xlsx)'.",
            ),
        )
    return SUFFIX_FORMATS[suffix]


def check_file(file_name: str, content: bytes, limit: int | None = None) -> str:
    """The file's format (``xlsx``, ``xls``, ``yaml``) once every safety check has passed;
    raises :class:`UploadRefused` saying what is wrong and what to do."""
    check_size(len(content), limit)
    kind = file_kind(file_name)
    if kind == "xlsx":
        _check_xlsx(content)
    elif kind == "xls":
        _check_xls(content)
    else:
        _check_yaml(content)
    return kind


# -- workbooks ----------------------------------------------------------------------------
def _macros() -> UploadRefused:
    return UploadRefused(
        "macros",
        Text(
            "매크로(VBA)가 들어 있는 통합 문서는 받지 않습니다. 엑셀에서 'Excel 통합 문서(.xlsx)'로 "
            "다시 저장하면 매크로가 빠집니다.",
            "Workbooks with macros (VBA) are not accepted. Save it again in Excel as 'Excel "
            "Workbook (.xlsx)', which leaves the macros out.",
        ),
    )


def _not_a_workbook(content: bytes, kind: str) -> UploadRefused:
    looks = (
        " 내용이 글자(CSV 등)로 보입니다."
        if _looks_like_text(content)
        else " 엑셀 파일이 아니거나 손상되었습니다."
    )
    looks_en = (
        " Its content looks like plain text (a CSV?)."
        if _looks_like_text(content)
        else " It is not an Excel file, or it is damaged."
    )
    return UploadRefused(
        "not_a_workbook",
        Text(
            f"이 파일은 .{kind} 엑셀 통합 문서로 읽을 수 없습니다.{looks} XLSForm 설문지를 엑셀에서 "
            "'Excel 통합 문서(.xlsx)'로 저장해 올리세요.",
            f"This file cannot be read as an .{kind} Excel workbook.{looks_en} Save the XLSForm "
            "questionnaire in Excel as 'Excel Workbook (.xlsx)' and upload that.",
        ),
    )


def _looks_like_text(content: bytes) -> bool:
    head = content[:4096]
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _check_xlsx(content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_a_workbook(content, "xlsx") from None
    with archive:
        parts = archive.infolist()
        names = {part.filename.lower() for part in parts}
        if any(name.endswith("vbaproject.bin") for name in names):
            raise _macros()
        if len(parts) > MAX_PARTS:
            raise _zip_bomb(f"{len(parts):,}개 부분", f"{len(parts):,} parts")
        inflated = sum(part.file_size for part in parts)
        if inflated > MAX_UNCOMPRESSED_BYTES:
            size = _megabytes(inflated)
            raise _zip_bomb(f"압축을 풀면 {size} MB", f"{size} MB once decompressed")
        for part in parts:
            ratio = part.file_size / max(part.compress_size, 1)
            if part.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                raise _zip_bomb(f"압축률 {ratio:,.0f}배", f"a compression ratio of {ratio:,.0f}")
        if "xl/workbook.xml" not in names:
            raise _not_a_workbook(content, "xlsx")
        if "[content_types].xml" in names:
            types = archive.read(_original_name(archive, "[content_types].xml"))
            if b"macroEnabled" in types or b"vbaProject" in types:
                raise _macros()
        sheets = _sheet_names(archive.read(_original_name(archive, "xl/workbook.xml")))
    # a workbook of one sheet is left to the reader: pyxform (and so the reader) takes a lone
    # sheet with a 'type' column as the survey, and lists problems for any other
    named = {name.strip().lower() for name in sheets or []}
    if sheets is not None and len(sheets) > 1 and "survey" not in named:
        raise _not_an_xlsform(sheets)


def _sheet_names(workbook_xml: bytes) -> list[str] | None:
    """The sheet names ``xl/workbook.xml`` lists (None when it cannot be read: openpyxl will
    say so). Its size is bounded by the checks above; expat refuses entity expansion bombs."""
    try:
        root = ElementTree.fromstring(workbook_xml)
    except ElementTree.ParseError:
        return None
    return [
        element.get("name", "")
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] == "sheet"
    ]


def _not_an_xlsform(sheets: list[str]) -> UploadRefused:
    listed = ", ".join(f"'{name}'" for name in sheets[:10]) or "-"
    return UploadRefused(
        "not_an_xlsform",
        Text(
            f"엑셀 통합 문서이지만 XLSForm 설문지가 아닙니다: 'survey' 시트가 없습니다 (있는 시트: "
            f"{listed}). XLSForm 은 'survey' 시트(문항), 'choices' 시트(보기), 'settings' "
            "시트(form_id, version)로 이루어집니다: KoBoToolbox 나 ODK 양식에 맞춰 만드세요.",
            f"This is an Excel workbook but not an XLSForm questionnaire: it has no 'survey' sheet "
            f"(its sheets: {listed}). An XLSForm has a 'survey' sheet (the questions), a 'choices' "
            "sheet (the answer lists) and a 'settings' sheet (form_id, version): build it on the "
            "KoBoToolbox or ODK template.",
        ),
    )


def _original_name(archive: zipfile.ZipFile, lower: str) -> str:
    return next(n for n in archive.namelist() if n.lower() == lower)


def _zip_bomb(ko: str, en: str) -> UploadRefused:
    return UploadRefused(
        "zip_bomb",
        Text(
            f"통합 문서의 크기가 비정상적입니다 ({ko}). 설문지 파일은 이렇게 크지 않습니다: 엑셀에서 "
            "설문지만 새 통합 문서로 저장해 올리세요.",
            f"The workbook's size is abnormal ({en}); a questionnaire is never that large. Save "
            "only the questionnaire as a new workbook in Excel and upload that.",
        ),
    )


def _check_xls(content: bytes) -> None:
    if not content.startswith(OLE2_SIGNATURE):
        raise _not_a_workbook(content, "xls")
    if VBA_STREAM in content:
        raise _macros()


def formula_problems(file_name: str, content: bytes) -> list[Problem]:
    """One problem per formula cell of an .xlsx workbook that has no saved value.

    The workbook is read for values only (openpyxl ``data_only``): a formula is never
    evaluated, so a cell whose file holds the formula but not its last result reads empty.
    """
    if file_kind(file_name) != "xlsx":
        return []
    from openpyxl import load_workbook

    formulas = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    values = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    found = []
    try:
        for sheet in formulas.worksheets:
            saved = values[sheet.title].iter_rows()
            for row, value_row in zip(sheet.iter_rows(), saved, strict=False):
                for cell, value in zip(row, value_row, strict=False):
                    if getattr(cell, "data_type", None) != "f" or value.value is not None:
                        continue
                    found.append(_formula_problem(file_name, sheet.title, cell))
    finally:
        formulas.close()
        values.close()
    return found


def _formula_problem(file_name: str, sheet: str, cell: object) -> Problem:
    coordinate = getattr(cell, "coordinate", "?")
    row = getattr(cell, "row", "?")
    formula = str(getattr(cell, "value", ""))[:80]
    return Problem(
        file_name,
        f"{sheet.strip().lower()} row {row}",
        None,
        Text(
            f"{coordinate} 칸에 수식({formula})만 있고 저장된 값이 없습니다. 수식은 계산하지 않고 "
            "저장된 값만 읽습니다: 엑셀에서 파일을 열어 다시 저장하거나, 수식 대신 값을 적으세요.",
            f"cell {coordinate} holds a formula ({formula}) with no saved value. Formulas are "
            "never evaluated, only their saved values read: open the file in Excel and save it "
            "again, or type the value instead of the formula.",
        ),
    )


# -- warnings ---------------------------------------------------------------------------------
def upload_findings(questionnaire: Questionnaire) -> list[Finding]:
    """What is wrong with a questionnaire that loaded cleanly, as warnings (a question never
    shown, a constraint no answer meets…): shown beside the stored version, not refused."""
    return static_findings(questionnaire)


# -- YAML -----------------------------------------------------------------------------------
def _check_yaml(content: bytes) -> None:
    check_size(len(content), MAX_YAML_BYTES)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_utf8(content) from None
    if not text.strip():
        raise UploadRefused(
            "empty",
            Text(
                "파일에 내용이 없습니다 (공백뿐). 설문 정의를 저장한 파일을 올리세요.",
                "The file holds nothing but blanks. Upload the file the definition was saved in.",
            ),
        )
    if "\0" in text:
        raise _not_utf8(content)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        too_big = root is not None and _expanded_nodes(root, {}) > MAX_YAML_NODES
    except yaml.YAMLError:
        return  # a syntax error: the loader lists it with its line
    except RecursionError:
        too_big = True  # nested thousands of levels deep
    if too_big:
        raise UploadRefused(
            "yaml_bomb",
            Text(
                f"YAML 의 별칭(*이름)을 펼치면 항목이 {MAX_YAML_NODES:,}개를 넘습니다. 설문 정의는 이렇게 "
                "크지 않습니다: 별칭(&, *)을 지우고 내용을 직접 적으세요.",
                f"Expanding the YAML's aliases (*name) gives more than {MAX_YAML_NODES:,} items; a "
                "questionnaire is never that large. Remove the anchors and aliases (&, *) and write "
                "the content out.",
            ),
        )


def _expanded_nodes(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many nodes the document has with every alias copied out (shared nodes counted
    once per use, computed once each: linear in the composed document)."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = MAX_YAML_NODES + 1  # a node inside itself (a recursive alias) is a bomb
    total = 1
    if isinstance(node, yaml.SequenceNode):
        total += sum(_expanded_nodes(item, memo) for item in node.value)
    elif isinstance(node, yaml.MappingNode):
        total += sum(_expanded_nodes(k, memo) + _expanded_nodes(v, memo) for k, v in node.value)
    total = min(total, MAX_YAML_NODES + 1)
    memo[id(node)] = total
    return total


def _not_utf8(content: bytes) -> UploadRefused:
    guess_ko, guess_en = "", ""
    try:
        content.decode("cp949")
    except UnicodeDecodeError:
        pass
    else:
        if b"\0" not in content:
            guess_ko, guess_en = (
                " (CP949/EUC-KR 로 저장된 것 같습니다)",
                " (it looks like CP949/EUC-KR)",
            )
    return UploadRefused(
        "not_utf8",
        Text(
            f"YAML 파일이 UTF-8 이 아닙니다{guess_ko}. 편집기에서 인코딩을 UTF-8 로 바꿔 저장한 뒤 다시 "
            "올리세요.",
            f"The YAML file is not UTF-8{guess_en}. Save it with the UTF-8 encoding in your editor "
            "and upload it again.",
        ),
    )
