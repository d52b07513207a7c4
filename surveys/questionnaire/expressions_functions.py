"""The rule language's functions: ``selected``, ``count-selected``, ``if``, ``round``, …

Why a module of its own: the parser checks each call's name and number of arguments
against :data:`FUNCTIONS`, and the evaluator runs :data:`REGISTRY`'s implementation on
the evaluated arguments; adding a function is one line in :data:`REGISTRY`. What each
function does is described in :mod:`surveys.questionnaire.expressions`; the ODK functions
added for XLSForms live beside it by kind — node-sets over the roster
(:mod:`~surveys.questionnaire.expressions_repeats`), text and selections
(:mod:`~surveys.questionnaire.expressions_strings`), numbers
(:mod:`~surveys.questionnaire.expressions_math`) and dates
(:mod:`~surveys.questionnaire.expressions_dates`). ODK functions this language does not
offer yet are :data:`UNSUPPORTED`: the parser names them instead of calling them unknown.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache
from typing import Any

from surveys.questionnaire import expressions_dates as dates
from surveys.questionnaire import expressions_math as maths
from surveys.questionnaire import expressions_repeats as repeats
from surveys.questionnaire import expressions_strings as strings
from surveys.questionnaire.expressions_values import (
    Nodeset,
    as_answer,
    as_number,
    as_text,
    truthy,
)


@dataclass(frozen=True)
class Env:
    """What a rule is evaluated against: the answers, ``.``, the bare fields, today, and
    which names are read across the roster's members (``repeats``: name → roster)."""

    values: Mapping[str, Any]
    current: Any
    fields: Mapping[str, Any]
    today: datetime.date
    repeats: Mapping[str, str] = field(default_factory=dict)

    def nodes(self, name: str) -> Nodeset:
        """``${name}`` read as a node-set over the roster's members (``name`` is repeated)."""
        roster = self.repeats[name]
        return repeats.repeat_nodes(self.values.get(roster), name, roster)


def _codes(value: Any) -> list[str]:
    value = as_answer(value)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [as_text(item) for item in value]
    return value.split() if isinstance(value, str) else [as_text(value)]


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> re.Pattern[str] | None:
    """The compiled regular expression, or None when the pattern is invalid (cached)."""
    try:
        return re.compile(pattern)
    except (re.error, OverflowError, RecursionError, ValueError):
        return None


def _regex(value: Any, pattern: Any) -> bool:
    compiled = compile_pattern(as_text(pattern))
    if as_answer(value) is None or compiled is None:
        return False
    return compiled.fullmatch(as_text(value)) is not None


def _int(value: Any) -> int | None:
    number = as_number(value)
    try:
        return None if number is None else int(number)
    except (OverflowError, ValueError):
        return None


def _float(value: Any) -> float | None:
    number = as_number(value)
    try:
        return None if number is None else float(number)
    except OverflowError:
        return None


def _number(value: Any) -> float | None:
    """ODK number(): a number as a float; as the spec adds, a date or dateTime text is its
    days since 1970-01-01 UTC (``decimal-date-time``); anything else None (XPath's NaN)."""
    number = _float(value)
    return dates.decimal_date_time(value) if number is None else number


def _round(args: list[Any]) -> int | float | None:
    """Half away from zero, on the decimal digits as written (2.675 -> 2.68)."""
    number, digits = as_number(args[0]), _int(args[1]) if len(args) > 1 else 0
    if number is None or digits is None:
        return None
    if isinstance(number, float) and not math.isfinite(number):
        return number
    digits = max(-400, min(400, digits))
    try:
        with localcontext() as context:
            context.prec = 1000
            exact = Decimal(repr(number) if isinstance(number, float) else number)
            rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        return int(rounded) if digits <= 0 else float(rounded)
    except (ArithmeticError, ValueError):
        return None


_Impl = Callable[[Env, list[Any]], Any]

# name -> (min args, max args or None, implementation on evaluated arguments)
REGISTRY: dict[str, tuple[int, int | None, _Impl]] = {
    "selected": (2, 2, lambda env, a: as_text(a[1]).strip() in _codes(a[0])),
    "count-selected": (1, 1, lambda env, a: len(_codes(a[0]))),
    "not": (1, 1, lambda env, a: not truthy(a[0])),
    "if": (3, 3, lambda env, a: a[1] if truthy(a[0]) else a[2]),
    "string-length": (1, 1, lambda env, a: len(as_text(a[0]))),
    "coalesce": (2, 2, lambda env, a: a[1] if as_answer(a[0]) is None else a[0]),
    "concat": (1, None, lambda env, a: "".join(repeats.flat_texts(a))),
    "int": (1, 1, lambda env, a: _int(a[0])),
    "number": (1, 1, lambda env, a: _number(a[0])),
    "round": (1, 2, lambda env, a: _round(a)),
    "min": (1, None, lambda env, a: repeats.extreme(min, a)),
    "max": (1, None, lambda env, a: repeats.extreme(max, a)),
    "today": (0, 0, lambda env, a: env.today.isoformat()),
    "true": (0, 0, lambda env, a: True),
    "false": (0, 0, lambda env, a: False),
    "regex": (2, 2, lambda env, a: _regex(a[0], a[1])),
    # node-sets: the roster read from outside it (expressions_repeats)
    "count": (1, 1, lambda env, a: repeats.count(a[0])),
    "count-non-empty": (1, 1, lambda env, a: repeats.count_non_empty(a[0])),
    "sum": (1, 1, lambda env, a: repeats.total(a[0])),
    "join": (1, None, lambda env, a: repeats.join(a)),
    # text and selections (expressions_strings)
    "string": (1, 1, lambda env, a: as_text(a[0])),
    "substr": (2, 3, lambda env, a: strings.substr(a)),
    "substring-before": (2, 2, lambda env, a: strings.substring_before(a[0], a[1])),
    "substring-after": (2, 2, lambda env, a: strings.substring_after(a[0], a[1])),
    "translate": (3, 3, lambda env, a: strings.translate(a[0], a[1], a[2])),
    "normalize-space": (1, 1, lambda env, a: strings.normalize_space(a[0])),
    "contains": (2, 2, lambda env, a: strings.contains(a[0], a[1])),
    "starts-with": (2, 2, lambda env, a: strings.starts_with(a[0], a[1])),
    "ends-with": (2, 2, lambda env, a: strings.ends_with(a[0], a[1])),
    "boolean-from-string": (1, 1, lambda env, a: strings.boolean_from_string(a[0])),
    "selected-at": (2, 2, lambda env, a: strings.selected_at(a[0], a[1])),
    "once": (1, 1, lambda env, a: a[0]),
    # numbers (expressions_math)
    "boolean": (1, 1, lambda env, a: truthy(a[0])),
    "pow": (2, 2, lambda env, a: maths.power(a[0], a[1])),
    "abs": (1, 1, lambda env, a: maths.absolute(a[0])),
    "floor": (1, 1, lambda env, a: maths.rounded_down(a[0])),
    "ceiling": (1, 1, lambda env, a: maths.rounded_up(a[0])),
    "atan2": (2, 2, lambda env, a: maths.arc_tangent2(a[0], a[1])),
    "pi": (0, 0, lambda env, a: math.pi),
    **{
        name: (1, 1, lambda env, a, f=function: f(a[0]))  # type: ignore[misc]
        for name, function in maths.MATH.items()
    },
    # dates (expressions_dates)
    "date": (1, 1, lambda env, a: dates.date(a[0])),
    "decimal-date-time": (1, 1, lambda env, a: dates.decimal_date_time(a[0])),
    "format-date": (2, 2, lambda env, a: dates.format_date(a[0], a[1], with_time=False)),
    "format-date-time": (2, 2, lambda env, a: dates.format_date(a[0], a[1], with_time=True)),
}

FUNCTIONS: dict[str, tuple[int, int | None]] = {
    name: (low, high) for name, (low, high, _) in REGISTRY.items()
}

# ODK XForms functions not offered yet: the parser names them and says why (Korean, English)
UNSUPPORTED: dict[str, tuple[str, str]] = {
    "pulldata": ("첨부 CSV 를 읽는 함수", "it reads an attached CSV"),
    "instance": ("보조 인스턴스(선택지 목록 등)를 읽는 함수", "it reads a secondary instance"),
    "current": ("instance() 조건 안에서만 쓰는 함수", "it is only used inside instance() filters"),
    "position": ("반복 안의 순번을 주는 함수", "it gives the position inside a repeat"),
    "indexed-repeat": (
        "다른 반복 항목의 응답을 읽는 함수",
        "it reads another repeat instance's answer",
    ),
    "jr:choice-name": (
        "선택지 라벨을 읽는 함수 (규칙에서는 코드로 비교하세요)",
        "it reads a choice's label (compare the answer's code instead)",
    ),
    "jr:itext": ("번역 문구를 읽는 함수", "it reads a translation"),
    "random": ("난수를 만드는 함수 (규칙의 값이 매번 달라집니다)", "it draws a random number"),
    "randomize": ("목록을 섞는 함수", "it shuffles a list"),
    "uuid": ("무작위 식별자를 만드는 함수", "it draws a random identifier"),
    "digest": ("해시를 계산하는 함수", "it computes a hash"),
    "now": (
        "현재 시각을 주는 함수 (날짜만 필요하면 today() 를 쓰세요)",
        "it gives the current time (use today() for the date)",
    ),
    "decimal-time": ("기기 시간대의 시각을 읽는 함수", "it reads a time in the device's zone"),
    "checklist": (
        "참인 답의 개수가 범위 안인지 보는 함수 (count-selected() 나 if() 로 쓰세요)",
        "it checks how many answers hold (write it with count-selected() or if())",
    ),
    "weighted-checklist": (
        "가중치를 준 checklist() (if() 와 + 로 쓰세요)",
        "a weighted checklist() (write it with if() and +)",
    ),
    "area": ("지도의 면적을 재는 함수", "it measures an area on a map"),
    "distance": ("지도의 거리를 재는 함수", "it measures a distance on a map"),
    "upper-case": ("ODK 명세에 없는 함수", "not in the ODK spec"),
    "lower-case": ("ODK 명세에 없는 함수", "not in the ODK spec"),
    "date-time": ("ODK 명세에 없는 함수 (date() 를 쓰세요)", "not in the ODK spec (use date())"),
    "decimal-date": (
        "ODK 명세에 없는 함수 (decimal-date-time() 를 쓰세요)",
        "not in the ODK spec (use decimal-date-time())",
    ),
}
