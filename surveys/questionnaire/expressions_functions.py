"""The rule language's functions: ``selected``, ``count-selected``, ``if``, ``round``, …

Why a module of its own: the parser checks each call's name and number of arguments
against :data:`FUNCTIONS`, and the evaluator runs :data:`REGISTRY`'s implementation on
the evaluated arguments; adding a function is one line in :data:`REGISTRY`. What each
function does is described in :mod:`surveys.questionnaire.expressions`.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache
from typing import Any

from surveys.questionnaire.expressions_values import as_answer, as_number, as_text, truthy


@dataclass(frozen=True)
class Env:
    """What a rule is evaluated against: the answers, ``.``, the bare fields, today."""

    values: Mapping[str, Any]
    current: Any
    fields: Mapping[str, Any]
    today: datetime.date


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


def _extreme(pick: Callable[..., Any], args: list[Any]) -> int | float | None:
    numbers = [n for n in map(as_number, args) if n is not None]
    return pick(numbers) if numbers else None


_Impl = Callable[[Env, list[Any]], Any]

# name -> (min args, max args or None, implementation on evaluated arguments)
REGISTRY: dict[str, tuple[int, int | None, _Impl]] = {
    "selected": (2, 2, lambda env, a: as_text(a[1]).strip() in _codes(a[0])),
    "count-selected": (1, 1, lambda env, a: len(_codes(a[0]))),
    "not": (1, 1, lambda env, a: not truthy(a[0])),
    "if": (3, 3, lambda env, a: a[1] if truthy(a[0]) else a[2]),
    "string-length": (1, 1, lambda env, a: len(as_text(a[0]))),
    "coalesce": (2, 2, lambda env, a: a[1] if as_answer(a[0]) is None else a[0]),
    "concat": (1, None, lambda env, a: "".join(map(as_text, a))),
    "int": (1, 1, lambda env, a: _int(a[0])),
    "number": (1, 1, lambda env, a: _float(a[0])),
    "round": (1, 2, lambda env, a: _round(a)),
    "min": (1, None, lambda env, a: _extreme(min, a)),
    "max": (1, None, lambda env, a: _extreme(max, a)),
    "today": (0, 0, lambda env, a: env.today.isoformat()),
    "true": (0, 0, lambda env, a: True),
    "false": (0, 0, lambda env, a: False),
    "regex": (2, 2, lambda env, a: _regex(a[0], a[1])),
}

FUNCTIONS: dict[str, tuple[int, int | None]] = {
    name: (low, high) for name, (low, high, _) in REGISTRY.items()
}
