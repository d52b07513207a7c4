"""How the rule language reads answers as values, and its operators on them.

Why a module of its own: the scalar evaluator (:mod:`surveys.questionnaire.expressions`),
the function library (:mod:`surveys.questionnaire.expressions_functions`) and the
vectorized evaluator (:mod:`surveys.questionnaire.expressions_frame`) must read an answer
the same way — unanswered, truth, number, text, date — and compare and compute the same
way; the readings and the operators' meanings (XPath-like, total: never raising) live
here once.
"""

from __future__ import annotations

import datetime
import math
import operator
import re
from dataclasses import dataclass
from typing import Any

_NUMERIC = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Nodeset:
    """A roster question's (or the roster's own) nodes across the members, in roster order.

    XPath's node-set, as the nodeset functions (``count``, ``sum``, ``min``, ``max``,
    ``count-non-empty``, ``join``) receive it: ``${q}`` read from outside the roster.
    ``values`` holds each member's answer (None when unanswered; None for every member
    when the nodes are the roster's members themselves, which have no answer of their own).
    Read where one value is expected, it is its first node, as XPath's ``string()`` and
    ``number()`` read a node-set.
    """

    values: tuple[Any, ...]

    @property
    def first(self) -> Any:
        return self.values[0] if self.values else None


PLAIN = frozenset({type(None), bool, int, float, str})


def plain_key(values: tuple[Any, ...]) -> tuple[tuple[type, Any], ...] | None:
    """A key telling apart every plain value the language tells apart (1, 1.0 and True; 0.0
    and -0.0; each NaN as itself), or None when a value is not plain (lists, node-sets)."""
    key = []
    for value in values:
        kind = type(value)
        if kind not in PLAIN:
            return None
        key.append((kind, repr(value) if kind is float else value))
    return tuple(key)


def truthy(value: Any) -> bool:
    """XPath's boolean(): None, '', 0, NaN, False and an empty list are false."""
    if isinstance(value, Nodeset):
        return bool(value.values)  # XPath: a node-set is true when it is not empty
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    if isinstance(value, int | str | list | tuple):
        return bool(value)
    return True


def as_answer(value: Any) -> Any:
    """Unanswered ('' or an empty selection) as None."""
    return None if value == "" or (isinstance(value, list | tuple) and not value) else value


def as_text(value: Any) -> str:
    if isinstance(value, Nodeset):
        value = value.first
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        whole = math.isfinite(value) and value.is_integer() and abs(value) < 1e16
        return str(int(value)) if whole else repr(value)
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # beyond Python's digit limit
            return "inf" if value > 0 else "-inf"
    if isinstance(value, list | tuple):
        return " ".join(as_text(item) for item in value)
    return str(value)


def as_number(value: Any) -> int | float | None:
    if isinstance(value, Nodeset):
        value = value.first
    if isinstance(value, int | float):  # bool included: true() is 1
        return int(value) if isinstance(value, bool) else value
    if isinstance(value, list | tuple):
        value = as_text(value)
    if not isinstance(value, str) or not _NUMERIC.fullmatch(value):
        return None
    try:
        return float(value) if "." in value else int(value)
    except ValueError:
        return None


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return truthy(left) == truthy(right)
    left, right = as_answer(left), as_answer(right)
    if left is None or right is None:
        return left is None and right is None
    a, b = as_number(left), as_number(right)
    if a is not None and b is not None:
        return a == b
    return as_text(left) == as_text(right)


_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def order(op: str, left: Any, right: Any) -> bool:
    day_a, day_b = _date(left), _date(right)
    if day_a is not None and day_b is not None:
        return _COMPARE[op](day_a, day_b)
    a, b = as_number(left), as_number(right)
    if a is None or b is None:
        return False
    return _COMPARE[op](a, b)


def _mod(a: int | float, b: int | float) -> int | float:
    """XPath's mod: the remainder has the sign of the dividend (-7 mod 3 = -1)."""
    if isinstance(a, int) and isinstance(b, int):
        return abs(a) % abs(b) * (-1 if a < 0 else 1)
    return math.fmod(a, b)


_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_ARITHMETIC |= {"div": operator.truediv, "mod": _mod}


def arithmetic(op: str, left: Any, right: Any) -> int | float | None:
    a, b = as_number(left), as_number(right)
    if a is None or b is None or (b == 0 and op in ("div", "mod")):
        return None
    try:
        return _ARITHMETIC[op](a, b)
    except (OverflowError, ValueError):
        return None
