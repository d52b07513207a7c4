"""The rule language's text and select functions, with the ODK XForms spec's meanings.

Why a module of its own: XLSForms made for ODK Collect and Enketo use these in
``constraint`` and ``calculate`` (``substr(${phone}, 0, 3) = '010'``,
``selected-at(${rank}, 0)``); each function here follows the row of "XPath Functions" in
the ODK XForms spec (getodk.github.io/xforms-spec) that cites XPath 1.0 or 3.0. Every
argument is read as text with this language's ``as_text`` (unanswered is ``''``, a number
prints as ``3`` or ``2.5``, a multiple choice as its space-separated codes) or as a number
with ``as_number``; no function raises.
"""

from __future__ import annotations

import math
import re
from typing import Any

from surveys.questionnaire.expressions_values import as_answer, as_number, as_text

_XML_SPACE = re.compile(r"[ \t\r\n]+")


def _index(value: Any) -> int | None:
    """A position argument, truncated toward zero; None when not a finite number."""
    number = as_number(value)
    if number is None or (isinstance(number, float) and not math.isfinite(number)):
        return None
    return int(number)


def substr(args: list[Any]) -> str:
    """``substr(value, start, end?)`` (ODK): the characters from the 0-based ``start`` up to
    ``end`` - 1 (to the end without ``end``). Positions are clamped to the text (a negative
    one counts as 0); a start at or past the end gives ``''``, and so does a position that
    is not a number (XPath's NaN)."""
    text = as_text(args[0])
    start = _index(args[1])
    end = _index(args[2]) if len(args) > 2 else len(text)
    if start is None or end is None:
        return ""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    return text[start:end] if start < end else ""


def substring_before(text: Any, part: Any) -> str:
    """XPath 1.0: the text before the first occurrence of ``part``; ``''`` if it is absent."""
    whole, wanted = as_text(text), as_text(part)
    found = whole.find(wanted)
    return whole[:found] if found >= 0 else ""


def substring_after(text: Any, part: Any) -> str:
    """XPath 1.0: the text after the first occurrence of ``part`` (all of it for ``''``)."""
    whole, wanted = as_text(text), as_text(part)
    found = whole.find(wanted)
    return whole[found + len(wanted) :] if found >= 0 else ""


def translate(text: Any, source: Any, target: Any) -> str:
    """XPath 1.0: each character found in ``source`` (its first occurrence counts) becomes the
    character at the same position of ``target``, or is removed when ``target`` is shorter."""
    table: dict[int, int | None] = {}
    into = as_text(target)
    for position, char in enumerate(as_text(source)):
        table.setdefault(ord(char), ord(into[position]) if position < len(into) else None)
    return as_text(text).translate(table)


def normalize_space(text: Any) -> str:
    """XPath 1.0: leading and trailing whitespace removed, inner runs made one space."""
    return _XML_SPACE.sub(" ", as_text(text)).strip(" ")


def contains(text: Any, part: Any) -> bool:
    """XPath 1.0: whether ``part`` occurs in the text (always, for ``''``)."""
    return as_text(part) in as_text(text)


def starts_with(text: Any, part: Any) -> bool:
    return as_text(text).startswith(as_text(part))


def ends_with(text: Any, part: Any) -> bool:
    """XPath 3.0 fn:ends-with."""
    return as_text(text).endswith(as_text(part))


def boolean_from_string(text: Any) -> bool:
    """ODK: true only for ``'true'`` and ``'1'`` (XForms also ignores case; ODK does not)."""
    return as_text(text) in ("true", "1")


def selected_at(choices: Any, index: Any) -> str:
    """ODK ``selected-at(list, n)``: the code at 0-based ``n`` of a space-separated list (a
    multiple choice's codes, in stored order), as text; ``''`` if there is none (negative
    ``n`` too) or ``n`` is not a number."""
    value = as_answer(choices)
    codes = [] if value is None else as_text(value).split()
    position = _index(index)
    if position is None or not 0 <= position < len(codes):
        return ""
    return codes[position]
