"""Representative answers to a question: the values the static checks' search tries.

Why a module of its own: whether a rule can ever hold is decided by trying it on answers
the questions it reads allow (:mod:`surveys.questionnaire.static_search`). The answers tried
stand for all the others:

* a **single choice**: every code of its list (exact);
* a **multiple choice**: each code alone (an exclusive one only alone), every subset when
  the list has at most four other codes (exact), else pairs of the first ten, the first
  *k* codes for every *k*, and all of them;
* a **whole number**: every value of a range of at most ``EXACT_RANGE`` values (exact);
  else its bounds and the values just inside them, their middle, the numbers the rules
  compare with and the whole numbers either side of them, and a few common values, all
  within the range;
* a **decimal**: as a whole number, with halves and hundredths either side of each number
  the rules use, and the middle of each gap between those values (so an open interval is
  met);
* **text**: the texts the rules use, the numbers they use written as text, texts as long as
  each number they use (for ``string-length``) and a plain word;
* a **date**, time or date and time: the ones the rules use and the day either side, today
  and the day either side, a year, 18 and 100 years ago, and a few fixed days;
* device-captured answers (position, file, scan): a plain text.

"Exact" means the values are every answer the question allows; otherwise they are chosen
so that a comparison with a number or a text of the rules is met on each side of it.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from surveys.questionnaire.expressions import Literal, Node, as_number
from surveys.questionnaire.expressions_tree import children
from surveys.questionnaire.model import CAPTURED_TYPES, Question, Questionnaire

EXACT_RANGE = 200  # a whole-number range up to this many values is tried value by value
SMALL_SUBSETS = 4  # a multiple choice with up to this many codes: every subset
PAIRS_OF = 10  # pairs among the first this many codes
COMMON_NUMBERS = (-1, 0, 1, 2, 5, 10, 100, 1000, 10**6, -(10**6))
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TIME = re.compile(r"^[0-9]{2}:[0-9]{2}(:[0-9]{2})?$")


@dataclass(frozen=True)
class Domain:
    """The answers tried for one question (never the empty answer: the search adds it)."""

    values: tuple[Any, ...]
    exact: bool  # every answer the question allows


@dataclass(frozen=True)
class Literals:
    """The numbers and texts written in the rules being searched."""

    numbers: frozenset[float]
    texts: frozenset[str]


def literals_of(nodes: Iterable[Node]) -> Literals:
    numbers: set[float] = set()
    texts: set[str] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        stack.extend(children(node))
        if not isinstance(node, Literal) or isinstance(node.value, bool):
            continue
        if isinstance(node.value, str):
            texts.add(node.value)
        number = as_number(node.value)  # '1' compares as the number 1
        if number is not None and math.isfinite(number) and abs(number) < 1e12:
            numbers.add(float(number))
    return Literals(frozenset(numbers), frozenset(texts))


def domain(
    question: Question, questionnaire: Questionnaire, literals: Literals, today: datetime.date
) -> Domain:
    """The answers tried for ``question``."""
    kind = question.type
    if not question.answered:
        return Domain((), True)
    if kind in ("single", "multiple"):
        choice_list = questionnaire.choice_lists.get(question.choices or "")
        choices = choice_list.choices if choice_list is not None else ()
        if kind == "single":
            return Domain(tuple(c.code for c in choices), True)
        others = sorted(c.code for c in choices if not c.exclusive)
        return _subsets(others, sorted(c.code for c in choices if c.exclusive))
    if kind in ("integer", "scale"):
        return _whole_numbers(question, literals)
    if kind == "decimal":
        return _decimals(question, literals)
    if kind == "date":
        return Domain(_dates(literals, today), False)
    if kind == "time":
        found = {t for t in literals.texts if _TIME.match(t)}
        return Domain(tuple(sorted(found | {"00:00", "12:00", "23:59"})), False)
    if kind == "datetime":
        days = _dates(literals, today)
        found = {t for t in literals.texts if "T" in t}
        return Domain(tuple(sorted(found | {f"{d}T12:00" for d in days[:6]})), False)
    if kind in CAPTURED_TYPES:
        return Domain(("x",), False)
    return Domain(_texts(question, literals), False)


def _subsets(codes: list[int], exclusive: list[int]) -> Domain:
    found: set[tuple[int, ...]] = {(code,) for code in codes + exclusive}
    exact = len(codes) <= SMALL_SUBSETS
    if exact:
        for size in range(2, len(codes) + 1):
            found.update(combinations(codes, size))
    else:
        found.update(combinations(codes[:PAIRS_OF], 2))
        found.update(tuple(codes[:size]) for size in range(2, len(codes) + 1))
    return Domain(tuple(list(s) for s in sorted(found)), exact)


def _bounded(points: Iterable[float], question: Question) -> list[float]:
    low, high = question.min, question.max
    return sorted(
        p for p in set(points) if (low is None or p >= low) and (high is None or p <= high)
    )


def _whole_numbers(question: Question, literals: Literals) -> Domain:
    low, high = question.min, question.max
    if low is not None and high is not None and high - low < EXACT_RANGE:
        return Domain(tuple(range(math.ceil(low), math.floor(high) + 1)), True)
    points: set[float] = set(COMMON_NUMBERS)
    for number in literals.numbers:
        points.update({math.floor(number) - 1, math.floor(number), math.ceil(number)})
        points.add(math.ceil(number) + 1)
    for bound, step in ((low, 1), (high, -1)):
        if bound is not None:
            points.update({bound, bound + step})
    if low is not None and high is not None:
        points.add((low + high) // 2)
    return Domain(tuple(int(p) for p in _bounded(points, question)), False)


def _decimals(question: Question, literals: Literals) -> Domain:
    low, high = question.min, question.max
    points: set[float] = set(COMMON_NUMBERS) | {0.5}
    for number in literals.numbers:
        points.update(number + d for d in (-1, -0.5, -0.01, 0, 0.01, 0.5, 1))
    for bound, step in ((low, 0.5), (high, -0.5)):
        if bound is not None:
            points.update({bound, bound + step})
    inside = _bounded(points, question)
    middles = [(a + b) / 2 for a, b in zip(inside, inside[1:], strict=False)]
    return Domain(tuple(float(p) for p in sorted(set(inside) | set(middles))), False)


def _dates(literals: Literals, today: datetime.date) -> tuple[str, ...]:
    days = {today, today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)}
    day = min(today.day, 28)
    days |= {today.replace(year=today.year - years, day=day) for years in (1, 18, 100)}
    days |= {datetime.date(1970, 1, 1), datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)}
    for text in literals.texts:
        if _ISO_DATE.match(text):
            try:
                written = datetime.date.fromisoformat(text)
                days |= {written + datetime.timedelta(days=d) for d in (-1, 0, 1)}
            except (ValueError, OverflowError):  # not a day, or the first or last one
                continue
    return tuple(sorted(d.isoformat() for d in days))


def _texts(question: Question, literals: Literals) -> tuple[str, ...]:
    longest = question.max_length or 500
    found = {"a", "text"} | {t for t in literals.texts if t.strip()}
    for number in literals.numbers:
        if number.is_integer():
            found.add(str(int(number)))
            for size in (int(number) - 1, int(number), int(number) + 1):
                if 1 <= size <= longest:
                    found.add("x" * size)
        else:
            found.add(str(number))
    return tuple(sorted(t for t in found if len(t) <= longest))
