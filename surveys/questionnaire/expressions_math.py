"""The rule language's number functions from the ODK XForms spec: ``pow``, ``log``, ``sqrt``, …

Why a module of its own: ODK forms compute indices and scores with XPath 3.0's math
functions (``pow(${weight} div ${height}, 1)``, ``log10(${income})``); the spec's
"XPath Functions" lists ``pow log log10 abs sin cos tan asin acos atan atan2 sqrt exp exp10
pi`` (and ``boolean`` among the boolean functions). Arguments are read with ``as_number``.
XPath gives NaN or ±Infinity where the value is undefined or too large (``log(0)``,
``sqrt(-1)``, ``pow(10, 400)``); this language has no NaN for a result of its own, so such
results are None (unanswered), as for ``1 div 0``. ``floor`` and ``ceiling`` are XPath 1.0's
core number functions, which the ODK spec takes over with the rest of XPath 1.0.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from surveys.questionnaire.expressions_values import as_number


def real(value: Any) -> float | None:
    """The argument as a float, None when it is not a number (or beyond a float)."""
    number = as_number(value)
    try:
        return None if number is None else float(number)
    except OverflowError:
        return None


def unary(function: Callable[[float], float]) -> Callable[[Any], float | None]:
    """A float function made total: None for no number, a domain error or an overflow."""

    def apply(value: Any) -> float | None:
        number = real(value)
        if number is None:
            return None
        try:
            result = function(number)
        except (ValueError, OverflowError, ZeroDivisionError):
            return None
        return result if math.isfinite(result) or not math.isfinite(number) else None

    return apply


def power(base: Any, exponent: Any) -> float | None:
    """XPath 3.0 math:pow, as a float; None where XPath gives NaN or an infinity from finite
    arguments (``pow(0, -1)``, ``pow(-8, 0.5)``, ``pow(10, 400)``)."""
    x, y = real(base), real(exponent)
    if x is None or y is None:
        return None
    try:
        result = math.pow(x, y)
    except (ValueError, OverflowError, ZeroDivisionError):
        return None
    return result if math.isfinite(result) or not (math.isfinite(x) and math.isfinite(y)) else None


def absolute(value: Any) -> int | float | None:
    """XPath 3.0 fn:abs: keeps an integer an integer."""
    number = as_number(value)
    return None if number is None else abs(number)


def rounded_down(value: Any) -> int | float | None:
    """XPath 1.0 floor(): the largest integer not greater than the number (``floor(-3.14)`` is
    -4); an infinity stays as it is, an unanswered or non-number argument gives None."""
    return _to_integer(value, math.floor)


def rounded_up(value: Any) -> int | float | None:
    """XPath 1.0 ceiling(): the smallest integer not less than the number (``ceiling(-3.14)``
    is -3); an infinity stays as it is, an unanswered or non-number argument gives None."""
    return _to_integer(value, math.ceil)


def _to_integer(value: Any, to: Callable[[float], int]) -> int | float | None:
    number = as_number(value)
    if number is None or isinstance(number, float) and math.isnan(number):
        return None
    if isinstance(number, float) and math.isinf(number):
        return number
    return to(number)


def arc_tangent2(y: Any, x: Any) -> float | None:
    """XPath 3.0 math:atan2(y, x): the angle of the point (x, y), in radians."""
    a, b = real(y), real(x)
    return None if a is None or b is None else math.atan2(a, b)


MATH: dict[str, Callable[[Any], float | None]] = {
    "log": unary(math.log),
    "log10": unary(math.log10),
    "sqrt": unary(math.sqrt),
    "exp": unary(math.exp),
    "exp10": unary(lambda x: math.pow(10.0, x)),
    "sin": unary(math.sin),
    "cos": unary(math.cos),
    "tan": unary(math.tan),
    "asin": unary(math.asin),
    "acos": unary(math.acos),
    "atan": unary(math.atan),
}
