"""Rewrite XLSForm rules for the model: choice names become integer codes.

Why: answers are stored as integer codes, but XLSForm choice names are often
words (``yes``, ``no``, ``dont_know``). When a list's names are not all
integers the importer numbers its choices 1..n, and every rule that compares a
question of that list with a name must then compare with the code instead:
``selected(${q}, 'yes')`` → ``selected(${q}, '1')``, ``${q} = 'yes'`` →
``${q} = 1``. This is done on the parsed tree and printed back with
``surveys.questionnaire.expressions.to_source``, never with text substitution. Choice
filters are rewritten the same way, their bare column name becoming
``filter`` (the model's one filter value per choice).

It also recognises XPath features that the rule language does not have, so
the problem names the feature instead of a bare syntax error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from surveys.questionnaire.expressions import (
    FUNCTIONS,
    KEYWORDS,
    Binary,
    Call,
    Current,
    Field,
    Literal,
    Node,
    Ref,
    Unary,
)
from surveys.questionnaire.loader_checks import walk

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_CALLED = re.compile(r"([A-Za-z_][\w:.\-]*)\s*\(")
_HINTS = {
    "jr:choice-name": (
        "선택지 이름(라벨)은 규칙에 쓸 수 없습니다. 코드로 비교하세요",
        "choice labels cannot be used in rules; compare the answer's code instead",
    ),
    "position": (
        "반복(repeat) 안의 순번 position(..) 은 지원하지 않습니다",
        "position(..) inside a repeat is not supported",
    ),
    "indexed-repeat": (
        "다른 반복 항목의 응답을 읽는 indexed-repeat() 는 지원하지 않습니다",
        "indexed-repeat() (reading another repeat instance) is not supported",
    ),
    "pulldata": (
        "외부 CSV 를 읽는 pulldata() 는 지원하지 않습니다",
        "pulldata() (reading an attached CSV) is not supported",
    ),
}


def unsupported_features(source: str) -> list[tuple[str, str]]:
    """(Korean, English) messages for XPath features the rule language lacks."""
    text = _QUOTED.sub("''", source)
    found = []
    for name in dict.fromkeys(_CALLED.findall(text)):
        if name in FUNCTIONS or name in KEYWORDS:
            continue
        ko, en = _HINTS.get(name, ("지원하지 않는 함수입니다", "this function is not supported"))
        supported = ", ".join(sorted(FUNCTIONS))
        found.append(
            (
                f"{name}(): {ko}. 쓸 수 있는 함수: {supported}",
                f"{name}(): {en}. Supported functions: {supported}",
            )
        )
    if "/" in text:
        found.append(
            (
                "XPath 경로(/data/q, ../q)는 쓸 수 없습니다. ${q} 로 쓰세요",
                "XPath paths (/data/q, ../q) are not supported; write ${q}",
            )
        )
    return found


def transform(node: Node, change: Callable[[Node], Node]) -> Node:
    """The tree rebuilt bottom-up, ``change`` applied to every node after its children."""
    if isinstance(node, Unary):
        node = Unary(node.op, transform(node.operand, change))
    elif isinstance(node, Binary):
        node = Binary(node.op, transform(node.left, change), transform(node.right, change))
    elif isinstance(node, Call):
        node = Call(node.name, tuple(transform(arg, change) for arg in node.args))
    return change(node)


def literal_text(literal: Literal) -> str:
    value = literal.value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class CodeRewriter:
    """Replaces choice names by codes in comparisons with questions of renamed lists."""

    codes: dict[str, dict[str, int]]  # question name -> {choice name: code}
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (question, name)

    def rewrite(self, node: Node, current: str | None) -> Node:
        self.unknown = []

        def change(part: Node) -> Node:
            if isinstance(part, Call) and part.name == "selected" and len(part.args) == 2:
                question = self._question(part.args[0], current)
                if question is not None and isinstance(part.args[1], Literal):
                    code = self._code(question, part.args[1])
                    if code is not None:
                        return Call(part.name, (part.args[0], Literal(str(code))))
            if isinstance(part, Binary) and part.op in ("=", "!="):
                left, right = part.left, part.right
                question = self._question(left, current)
                if question is not None and isinstance(right, Literal):
                    code = self._code(question, right)
                    right = right if code is None else Literal(code)
                question = self._question(part.right, current)
                if question is not None and isinstance(left, Literal):
                    code = self._code(question, left)
                    left = left if code is None else Literal(code)
                return Binary(part.op, left, right)
            return part

        return transform(node, change)

    def _question(self, node: Node, current: str | None) -> str | None:
        name = (
            node.name if isinstance(node, Ref) else current if isinstance(node, Current) else None
        )
        return name if name in self.codes else None

    def _code(self, question: str, literal: Literal) -> int | None:
        if isinstance(literal.value, bool):
            return None
        text = literal_text(literal).strip()
        if not text:
            return None  # ${q} = '' tests "unanswered"
        code = self.codes[question].get(text)
        if code is None:
            self.unknown.append((question, text))
        return code


def rename_fields(node: Node, to: str) -> Node:
    """Every bare field renamed to ``to`` (XLSForm filter column → the model's ``filter``)."""
    return transform(node, lambda part: Field(to) if isinstance(part, Field) else part)


def filter_sources(node: Node) -> set[str]:
    """Questions compared with a choice's filter value: ``col = ${q}`` / ``selected(${q}, col)``."""
    return {question for _, question in filter_pairs(node)}


def filter_pairs(node: Node) -> set[tuple[str, str]]:
    """(column, question) of each comparison of a choice's column with a question's answer:
    ``col = ${q}``, ``${q} != col``, ``selected(${q}, col)``."""
    found = set()
    for part in walk(node):
        if isinstance(part, Binary) and part.op in ("=", "!="):
            for side, other in ((part.left, part.right), (part.right, part.left)):
                if isinstance(side, Field) and isinstance(other, Ref):
                    found.add((side.name, other.name))
        if isinstance(part, Call) and part.name == "selected" and len(part.args) == 2:
            if isinstance(part.args[0], Ref) and isinstance(part.args[1], Field):
                found.add((part.args[1].name, part.args[0].name))
    return found
