"""What the cells of an XLSForm ``survey`` sheet mean: types, columns, names and rules.

Why a module of its own: real forms spell the same thing many ways (``select one from X``,
``select_one X or_other``, ``gps`` for ``geopoint``, ``bind:relevant``, ``phone number``), and
``surveys.questionnaire.xlsform_survey`` should only walk the sheet. The tables here say which
types and columns are read, which are ignored quietly (metadata, display hints, bookkeeping)
and which are refused because the model cannot keep what they ask; the functions turn names
and rule texts into what the model and its rule language accept.
"""

from __future__ import annotations

import math
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
    "acknowledge": "acknowledge",
    "trigger": "acknowledge",  # pyxform reads the legacy trigger type as acknowledge
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
        "default",  # kept in the metadata ("defaults"), pre-filled on a screen's first visit
        # The model's own attributes, which XLSForm has no column for (pyxform ignores them);
        # ``surveys.questionnaire.xlsform_export`` writes them so that nothing is lost:
        "min",  # integer, decimal: the inclusive bounds (a range has them in its parameters)
        "max",
        "max_length",  # text: the longest answer (500 without it)
        "unit",  # integer, decimal, scale: "unit::English (en)", like label
        "grid",  # questions with the same grid name are shown as one matrix
        "read_only",  # yes/true: shown and never edited (its default or calculation)
    }
)
# Columns whose meaning the model cannot keep: refused on every row that fills them, so that
# nothing a form asks for is dropped without a word.
REFUSED_COLUMNS = {
    "trigger": (
        "다른 질문이 바뀔 때 다시 계산하는 trigger 는 지원하지 않습니다",
        "trigger (recalculating when another question changes) is not supported",
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
_TYPOGRAPHIC_OF = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
_TYPOGRAPHIC = str.maketrans(_TYPOGRAPHIC_OF)


def model_name(name: str) -> str:
    """An XLSForm name as the model keeps it: ``-`` and ``.`` (allowed by XLSForm, not by the
    rule language's ``${name}``) become ``_``; the original is kept in the metadata."""
    return name.replace("-", "_").replace(".", "_")


def rule_text(text: str) -> str:
    """A rule as written in a workbook, made readable by the rule language: typographic
    quotes (‘ ’ “ ”, as word processors type them) become straight ones, and references
    ``${a.b}`` name the model's ``${a_b}``. Text between straight quotes stays as written
    (``. != '‘quoted’'``); so does a straight apostrophe between typographic double quotes."""
    return _REFERENCE.sub(lambda m: "${" + model_name(m.group(1)) + "}", _straight_quotes(text))


def _straight_quotes(text: str) -> str:
    """``text`` with its typographic quotes made straight, text in straight quotes kept."""
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char in "'\"" and text.find(char, i + 1) > i:  # a straight literal, kept as is
            end = text.find(char, i + 1)
            out.append(text[i : end + 1])
            i = end + 1
        elif char in _TYPOGRAPHIC_OF:  # a literal opened with a typographic (or lone) quote
            quote = _TYPOGRAPHIC_OF[char]
            closers = "\u2018\u2019'" if quote == "'" else '\u201c\u201d"'
            end = next((k for k in range(i + 1, len(text)) if text[k] in closers), len(text))
            out.append(quote + text[i + 1 : end].translate(_TYPOGRAPHIC))
            out.append(quote if end < len(text) else "")
            i = end + 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def number_or_text(text: str) -> int | float | str:
    """A cell's number (``3``, ``2.5``), or its text when it is no number."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


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
    if first.removesuffix("_external") in ("select_one", "select_multiple"):
        return first, (words[1] if len(words) > 1 else None), words[2:]
    if first in ("begin", "end") and len(words) > 1:
        return f"{first}_{words[1].lower()}", None, words[2:]
    return first, None, words[1:]
