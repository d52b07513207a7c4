"""The nodeset functions: ``count``, ``sum``, ``min``, ``max``, ``count-non-empty``, ``join``.

Why a module of its own: a KoBo/ODK form counts and sums its roster from outside it —
``count(${member})`` (the roster's name: how many members are listed), ``sum(${income})``
(a roster question: its answers over the members). Read from outside the roster, such a
``${name}`` is a node-set (:class:`~surveys.questionnaire.expressions_values.Nodeset`), not
one answer. Which names are repeated is told to the evaluators by ``repeats`` (each roster
question's name and the roster's own name → the roster's name); the roster's members are
``values[roster]``, a list of dicts of answers, as a household submission stores them.
Evaluated without ``repeats`` (inside the roster, or in the person part), ``${age}`` is the
one member's own node and ``count(${age})`` is 1, as ODK reads ``${age}`` relative to the
current repeat instance.

Semantics, from the ODK XForms spec ("XPath Functions", getodk.github.io/xforms-spec):

* ``count(node-set)`` (XPath 1.0): the number of nodes — members, answered or not;
  a question outside any roster is one node (1), answered or not.
* ``count-non-empty(node-set)`` (XForms 1.0): the nodes whose string value is not empty.
* ``sum(node-set)`` (XPath 1.0): the sum of ``number()`` of each node's string value; an
  empty node reads as NaN in XPath, so one unanswered (or non-numeric) member makes the sum
  NaN — here None (unanswered), as everywhere in this language. No members: 0.
* ``min``/``max(node-set*)`` (XPath 3.0 / XForms 1.1): over a node-set, one empty or NaN
  node makes the result NaN (None); no node at all gives None. Arguments that are not
  node-sets keep this language's reading (unanswered and non-numeric ones are ignored,
  see :mod:`surveys.questionnaire.expressions`), so ``max(${a}, ${b})`` is unchanged.
* ``join(separator, node-set*)``: every value — each node of a node-set, empty ones
  included — as text, joined by the separator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from surveys.questionnaire.expressions_values import Nodeset, as_answer, as_number, as_text

# the functions whose ${name} arguments are node-sets when the name is repeated
NODESET_FUNCTIONS = frozenset({"count", "count-non-empty", "sum", "min", "max", "join", "concat"})
# the functions whose one argument must be a ${name} (XPath: a node-set, never a value)
NODESET_ONLY = frozenset({"count", "count-non-empty", "sum"})


def repeat_nodes(members: Any, name: str, roster: str) -> Nodeset:
    """``${name}`` over the roster's ``members`` (a list of dicts; anything else: none)."""
    if not isinstance(members, list | tuple):
        return Nodeset(())
    if name == roster:
        return Nodeset((None,) * len(members))
    return Nodeset(
        tuple(as_answer(m.get(name)) if isinstance(m, Mapping) else None for m in members)
    )


def nodes(value: Any) -> tuple[Any, ...]:
    """The nodes' values: a node-set's, or the one node of a question outside any roster."""
    return value.values if isinstance(value, Nodeset) else (value,)


def count(value: Any) -> int:
    return len(nodes(value))


def count_non_empty(value: Any) -> int:
    return sum(1 for v in nodes(value) if as_text(v) != "")


def total(value: Any) -> int | float | None:
    """XPath's sum(): None (NaN) if any node is unanswered or not a number; 0 for none."""
    numbers = [as_number(v) for v in nodes(value)]
    if any(n is None for n in numbers):
        return None
    try:
        return sum(n for n in numbers if n is not None)
    except OverflowError:
        return None


def extreme(pick: Callable[..., Any], args: list[Any]) -> int | float | None:
    """min/max: node-set nodes must all be numbers (else None); other arguments may be skipped."""
    numbers: list[int | float] = []
    for arg in args:
        if isinstance(arg, Nodeset):
            found = [as_number(v) for v in arg.values]
            if any(n is None for n in found):
                return None
            numbers.extend(n for n in found if n is not None)
        elif (number := as_number(arg)) is not None:
            numbers.append(number)
    return pick(numbers) if numbers else None


def flat_texts(args: list[Any]) -> list[str]:
    """Every value as text, node-sets spread into their nodes (``concat``, ``join``)."""
    return [as_text(v) for arg in args for v in nodes(arg)]


def join(args: list[Any]) -> str:
    return as_text(args[0]).join(flat_texts(args[1:]))
