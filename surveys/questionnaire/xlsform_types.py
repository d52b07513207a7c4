"""What the cells of an XLSForm ``survey`` sheet mean: types, columns, names and rules.

Why a module of its own: real forms spell the same thing many ways (``select one from X``,
``select_one X or_other``, ``gps`` for ``geopoint``, ``bind:relevant``, ``phone number``), and
``surveys.questionnaire.xlsform_survey`` should only walk the sheet. The tables here say which
types and columns are read, which are ignored quietly (metadata, display hints, bookkeeping)
and which are refused because the model cannot keep what they ask; the functions turn names
and rule texts into what the model and its rule language accept.
"""

from __future__ import annotations

import re

META_TYPES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "audit",
        "imei",
        "start-geopoint",
        "background-audio",
        "uri:deviceid",
        "uri:subscriberid",
        "uri:simserial",
        "uri:phonenumber",
        "uri:username",
        "uri:email",
    }
)
SIMPLE_TYPES = {
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "range": "scale",
    "text": "text",
    "string": "text",
    "date": "date",
    "calculate": "calculate",
    "note": "note",
    "time": "time",
    "datetime": "datetime",
    "geopoint": "geopoint",
    "gps": "geopoint",
    "geotrace": "geotrace",
    "geoshape": "geoshape",
    "barcode": "barcode",
    "image": "image",
    "photo": "image",
    "audio": "audio",
    "video": "video",
    "file": "file",
}
# pyxform's older spellings of whole types.
TYPE_PHRASES = {
    "phone number": "text",
    "add text prompt": "text",
    "add integer prompt": "integer",
    "add decimal prompt": "decimal",
    "add date prompt": "date",
    "add note prompt": "note",
    "add time prompt": "time",
    "add image prompt": "image",
    "add audio prompt": "audio",
    "add video prompt": "video",
    "add barcode prompt": "barcode",
    "add location prompt": "geopoint",
}
USED_COLUMNS = frozenset(
    {
        "type",
        "name",
        "label",
        "hint",
        "required",
        "relevant",
        "constraint",
        "constraint_message",
        "calculation",
        "choice_filter",
        "repeat_count",
        "appearance",
        "parameters",
        "default",  # kept in the metadata ("defaults"); the respondent page does not pre-fill
    }
)
# Columns whose meaning the model cannot keep: refused on every row that fills them, so that
# nothing a form asks for is dropped without a word.
REFUSED_COLUMNS = {
    "trigger": (
        "다른 질문이 바뀔 때 다시 계산하는 trigger 는 지원하지 않습니다",
        "trigger (recalculating when another question changes) is not supported",
    ),
    "read_only": (
        "읽기 전용(read_only) 질문은 지원하지 않습니다. note 나 calculate 로 바꾸세요",
        "read-only questions are not supported; make it a note or a calculate",
    ),
    "save_to": (
        "엔터티(entities)에 저장하는 save_to 는 지원하지 않습니다",
        "save_to (saving to entities) is not supported",
    ),
}
# Columns that change nothing the model keeps (media, KoBo bookkeeping), ignored quietly.
QUIET_COLUMNS = frozenset(
    {"required_message", "guidance_hint", "media", "image", "audio", "video", "big-image"}
    | {"tags", "hxl", "label_for_export", "xml_type"}
)
OTHER_LABEL = {"ko": "기타 (직접 입력)", "en": "Specify other."}  # pyxform's label
OTHER_CHOICE = {"ko": "기타", "en": "Other"}
TRUE_WORDS = frozenset({"yes", "true", "true()", "1", "y"})
FALSE_WORDS = frozenset({"no", "false", "false()", "0", "n", ""})


def safe_name(text: str, fallback: str = "form") -> str:
    """``text`` made into a valid name (lowercase a-z, 0-9, _; starting with a letter)."""
    name = re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")
    return re.sub(r"^[^a-z]+", "", name) or fallback


_REFERENCE = re.compile(r"\$\{\s*([^}]*?)\s*\}")
_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def model_name(name: str) -> str:
    """An XLSForm name as the model keeps it: ``-`` and ``.`` (allowed by XLSForm, not by the
    rule language's ``${name}``) become ``_``; the original is kept in the metadata."""
    return name.replace("-", "_").replace(".", "_")


def rule_text(text: str) -> str:
    """A rule as written in a workbook, made readable by the rule language: typographic
    quotes (‘ ’ “ ”, as word processors type them) become straight ones, and references
    ``${a.b}`` name the model's ``${a_b}``."""
    text = text.translate(_TYPOGRAPHIC)
    return _REFERENCE.sub(lambda m: "${" + model_name(m.group(1)) + "}", text)


def combine(*rules: str | None) -> str | None:
    """``(a) and (b)`` of the non-empty rules (None when there are none)."""
    present = [r for r in rules if r]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return " and ".join(f"({r})" for r in present)


# pyxform's spellings of the two choice types, compared as written (``Select one from`` is
# not one of them, as pyxform says), longest first.
LEGACY_SELECTS = (
    ("select all that apply from ", "select_multiple"),
    ("select all that apply ", "select_multiple"),
    ("select multiple from ", "select_multiple"),
    ("select many from ", "select_multiple"),
    ("select one from ", "select_one"),
)
OR_OTHER = ("or_other", "or specify other", "or other")


def parse_type(text: str) -> tuple[str, str | None, list[str]]:
    """(kind, list name, extra words): ``select_one yes_no`` → ("select_one", "yes_no", []);
    ``select one from yes_no or specify other`` → ("select_one", "yes_no", ["or_other"])."""
    text = " ".join(text.split())
    for phrase, kind in LEGACY_SELECTS:
        if text.startswith(phrase):
            text = f"{kind} {text.removeprefix(phrase)}"
            break
    for spelling in OR_OTHER[1:]:
        if text.endswith(f" {spelling}"):
            text = f"{text.removesuffix(spelling)}or_other"
    words = text.split()
    first = words[0].lower()
    if first == "select" and len(words) > 1 and words[1].lower() in ("one", "multiple"):
        words = [f"select_{words[1].lower()}", *words[2:]]
        first = words[0]
    if first in ("select_one", "select_multiple"):
        return first, (words[1] if len(words) > 1 else None), words[2:]
    if first in ("begin", "end") and len(words) > 1:
        return f"{first}_{words[1].lower()}", None, words[2:]
    return first, None, words[1:]
