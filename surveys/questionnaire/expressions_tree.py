"""The rule language's tree: its nodes, its errors, and what a rule refers to.

Why a module of its own: the loader's checks, the XLSForm import and both evaluators
read trees without parsing or evaluating them; they need only these immutable nodes
and the walks over them (which answers a rule reads, whether it reads ``.``). The
language itself is described in :mod:`surveys.questionnaire.expressions`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from data.text import Text
from surveys.questionnaire.expressions_repeats import NODESET_FUNCTIONS

MAX_DEPTH = 100  # nesting / tree depth; far beyond any real rule, well within Python's stack


class ExpressionError(ValueError):
    """A rule that cannot be used; ``position`` is a 0-based offset into ``source``.

    ``message`` is English; ``text``, when given, says it in Korean and English (what is
    wrong and how to fix it) for whoever shows it to a person.
    """

    def __init__(
        self,
        message: str,
        source: str | None = None,
        position: int | None = None,
        text: Text | None = None,
    ):
        self.message, self.source, self.position = message, source, position
        self.text = text
        super().__init__(message)

    def __str__(self) -> str:
        where = "" if self.position is None else f" at position {self.position}"
        return self.message + where + ("" if self.source is None else f" in: {self.source}")


class ExpressionSyntaxError(ExpressionError):
    """The text is not a valid rule (including unknown functions and wrong arity)."""


# --- the tree ---------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: int | float | str | bool


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Current:
    pass


@dataclass(frozen=True)
class Field:
    name: str


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Literal | Ref | Current | Field | Unary | Binary | Call

KEYWORDS = frozenset({"and", "or", "div", "mod"})
PRECEDENCE = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4}
PRECEDENCE |= {"+": 5, "-": 5, "*": 6, "div": 6, "mod": 6}


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    return node.args if isinstance(node, Call) else ()


def _walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(children(current))


def references(node: Node) -> set[str]:
    """Every ``${name}`` the rule reads."""
    return {n.name for n in _walk(node) if isinstance(n, Ref)}


def repeated_references(node: Node) -> set[str]:
    """Every ``${name}`` given straight to a node-set function (``count(${member})``,
    ``sum(${age})``): the names a rule read from outside the roster may read across its
    members — the roster's own name or one of its questions."""
    return {
        arg.name
        for n in _walk(node)
        if isinstance(n, Call) and n.name in NODESET_FUNCTIONS
        for arg in n.args
        if isinstance(arg, Ref)
    }


def fields(node: Node) -> set[str]:
    """Every bare field name (e.g. ``filter`` in a choice filter)."""
    return {n.name for n in _walk(node) if isinstance(n, Field)}


def uses_current(node: Node) -> bool:
    """Whether the rule reads ``.``, the current question's answer."""
    return any(isinstance(n, Current) for n in _walk(node))


def depth(node: Node) -> int:
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children(current))
    return deepest
