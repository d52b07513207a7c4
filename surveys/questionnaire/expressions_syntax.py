"""The rule language's text: tokens, the parser (precedence climbing) and the printer.

Why a module of its own: turning text into a tree and back is the one place the
grammar lives (given in :mod:`surveys.questionnaire.expressions`); a mistake is
reported when a questionnaire is loaded, with its position, and ``to_source`` prints a
tree so that ``parse(to_source(tree)) == tree``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from data.text import Text
from surveys.questionnaire.expressions_functions import FUNCTIONS, UNSUPPORTED, compile_pattern
from surveys.questionnaire.expressions_repeats import NODESET_ONLY
from surveys.questionnaire.expressions_tree import (
    KEYWORDS,
    MAX_DEPTH,
    PRECEDENCE,
    Binary,
    Call,
    Current,
    ExpressionError,
    ExpressionSyntaxError,
    Field,
    Literal,
    Node,
    Ref,
    Unary,
    depth,
)
from surveys.questionnaire.expressions_values import as_text

_UNARY, _ATOM = 7, 8  # printing precedence of a unary minus and of an atom


# --- tokens -----------------------------------------------------------------

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FUNCTION = re.compile(
    r"(?:[A-Za-z]+:)?[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*(?=\s*\()"
)  # an optional prefix, as ODK's jr:choice-name, only to name it when refused
_SYMBOLS = ("!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "(", ")", ",")


@dataclass(frozen=True)
class _Token:
    kind: str  # number string ref current name function op ( ) , end
    text: str
    position: int
    value: Any = None


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char.isspace():
            i += 1
            continue
        if match := _NUMBER.match(source, i):
            value = _number_literal(match.group(), source, i)
            tokens.append(_Token("number", match.group(), i, value))
        elif char == ".":
            tokens.append(_Token("current", ".", i))
        elif char in "'\"":
            close = source.find(char, i + 1)
            if close < 0:
                raise ExpressionSyntaxError("unterminated string", source, i)
            tokens.append(_Token("string", source[i : close + 1], i, source[i + 1 : close]))
        elif char == "$":
            if not (match := _REF.match(source, i)):
                raise ExpressionSyntaxError("malformed reference, expected ${name}", source, i)
            tokens.append(_Token("ref", match.group(), i, match.group(1)))
        elif match := _FUNCTION.match(source, i) or _NAME.match(source, i):
            name = match.group()
            kind = "op" if name in KEYWORDS else "function" if match.re is _FUNCTION else "name"
            tokens.append(_Token(kind, name, i))
        elif symbol := next((s for s in _SYMBOLS if source.startswith(s, i)), None):
            tokens.append(_Token(symbol if symbol in ("(", ")", ",") else "op", symbol, i))
        else:
            raise ExpressionSyntaxError(f"unexpected character {char!r}", source, i)
        i += len(tokens[-1].text)
    tokens.append(_Token("end", "", len(source)))
    return tokens


def _number_literal(text: str, source: str, position: int) -> int | float:
    try:
        value = float(text) if "." in text else int(text)
    except ValueError:  # more digits than Python converts
        raise ExpressionSyntaxError("number too long", source, position) from None
    if not math.isfinite(value):
        raise ExpressionSyntaxError("number too large", source, position)
    return value


# --- parser (precedence climbing) -------------------------------------------


class _Parser:
    def __init__(self, source: str):
        self.source, self.tokens, self.index, self.nesting = source, _tokenize(source), 0, 0

    def error(self, message: str, position: int, text: Text | None = None) -> ExpressionSyntaxError:
        return ExpressionSyntaxError(message, self.source, position, text)

    def unexpected(self, token: _Token) -> ExpressionSyntaxError:
        what = "end of expression" if token.kind == "end" else repr(token.text)
        return self.error(f"unexpected {what}", token.position)

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, kind: str) -> _Token:
        if self.tokens[self.index].kind != kind:
            raise self.unexpected(self.tokens[self.index])
        return self.take()

    def nest(self, token: _Token) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise self.error("expression nested too deeply", token.position)

    def expression(self, min_precedence: int = 1) -> Node:
        left = self.unary()
        while (token := self.tokens[self.index]).kind == "op" and token.text in PRECEDENCE:
            precedence = PRECEDENCE[token.text]
            if precedence < min_precedence:
                break
            self.take()
            left = Binary(token.text, left, self.expression(precedence + 1))
        return left

    def unary(self) -> Node:
        token = self.tokens[self.index]
        if token.kind == "op" and token.text == "-":
            self.take()
            self.nest(token)
            operand = self.unary()
            self.nesting -= 1
            return Unary("-", operand)
        return self.primary()

    def primary(self) -> Node:
        token = self.take()
        if token.kind in ("number", "string"):
            return Literal(token.value)
        if token.kind == "ref":
            return Ref(token.value)
        if token.kind == "current":
            return Current()
        if token.kind == "name":
            return Field(token.text)
        if token.kind == "function":
            return self.call(token)
        if token.kind == "(":
            self.nest(token)
            inner = self.expression()
            self.expect(")")
            self.nesting -= 1
            return inner
        raise self.unexpected(token)

    def call(self, name: _Token) -> Call:
        if name.text in UNSUPPORTED:
            ko, en = UNSUPPORTED[name.text]
            message = f"{name.text}() is not supported yet ({en})"
            text = Text(
                f"{name.text}() 는 아직 지원하지 않습니다 ({ko}). 이 함수 없이 규칙을 쓰세요.",
                f"{message}; write the rule without it.",
            )
            raise self.error(message, name.position, text)
        if name.text not in FUNCTIONS:
            supported = ", ".join(sorted(FUNCTIONS))
            text = Text(
                f"'{name.text}' 라는 함수는 없습니다. 쓸 수 있는 함수: {supported}",
                f"there is no function '{name.text}'. Supported functions: {supported}",
            )
            raise self.error(f"unknown function {name.text!r}", name.position, text)
        self.expect("(")
        self.nest(name)
        args, starts = [], []
        if self.tokens[self.index].kind != ")":
            while True:
                starts.append(self.tokens[self.index].position)
                args.append(self.expression())
                if self.tokens[self.index].kind != ",":
                    break
                self.take()
        self.expect(")")
        self.nesting -= 1
        self.check_call(name, args, starts)
        return Call(name.text, tuple(args))

    def check_call(self, name: _Token, args: list[Node], starts: list[int]) -> None:
        low, high = FUNCTIONS[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            wanted = str(low) if low == high else f"{low} to {high}" if high else f"{low} or more"
            plural = "" if wanted == "1" else "s"
            message = f"{name.text}() takes {wanted} argument{plural}, got {len(args)}"
            wanted_ko = (
                f"{low}개" if low == high else f"{low}~{high}개" if high else f"{low}개 이상"
            )
            text = Text(
                f"{name.text}() 에는 인자가 {wanted_ko} 필요한데 {len(args)}개입니다. "
                "인자 수를 맞추세요.",
                message,
            )
            raise self.error(message, name.position, text)
        if name.text in NODESET_ONLY and not isinstance(args[0], Ref):
            message = (
                f"{name.text}() reads a question or the roster across the members: "
                f"write {name.text}(${{name}})"
            )
            text = Text(
                f"{name.text}() 는 질문이나 가구원 명단(반복)을 가구원마다 읽습니다: 값이나 식이 "
                f"아니라 {name.text}(${{이름}}) 처럼 쓰세요.",
                message + ", not a value or a calculation.",
            )
            raise self.error(message, starts[0], text)
        if name.text == "regex" and isinstance(args[1], Literal):
            if compile_pattern(as_text(args[1].value)) is None:
                raise self.error("invalid regular expression", starts[1])


def parse(source: str) -> Node:
    """The tree of a rule; raises ExpressionSyntaxError (with the position) if invalid."""
    parser = _Parser(source)
    node = parser.expression()
    if parser.tokens[parser.index].kind != "end":
        raise parser.unexpected(parser.tokens[parser.index])
    if depth(node) > MAX_DEPTH:
        raise ExpressionSyntaxError("expression nested too deeply", source, 0)
    return node


# --- printer ----------------------------------------------------------------


def to_source(node: Node) -> str:
    """Canonical text with minimal parentheses; ``parse(to_source(n)) == n`` for parsed trees."""
    return _print(node)[0]


def _print(node: Node) -> tuple[str, int]:
    if isinstance(node, Literal):
        return _print_literal(node.value)
    if isinstance(node, Ref):
        return "${" + node.name + "}", _ATOM
    if isinstance(node, Current):
        return ".", _ATOM
    if isinstance(node, Field):
        return node.name, _ATOM
    if isinstance(node, Call):
        return f"{node.name}({', '.join(_print(arg)[0] for arg in node.args)})", _ATOM
    if isinstance(node, Unary):
        text = _wrap(node.operand, _UNARY)
        return ("- " if text.startswith("-") else "-") + text, _UNARY
    precedence = PRECEDENCE[node.op]
    left, right = _wrap(node.left, precedence), _wrap(node.right, precedence + 1)
    return f"{left} {node.op} {right}", precedence


def _wrap(node: Node, needed: int) -> str:
    text, precedence = _print(node)
    return text if precedence >= needed else f"({text})"


def _print_literal(value: Any) -> tuple[str, int]:
    if isinstance(value, bool):
        return ("true()" if value else "false()"), _ATOM
    if isinstance(value, str):
        if "'" not in value:
            return f"'{value}'", _ATOM
        if '"' not in value:
            return f'"{value}"', _ATOM
        raise ExpressionError("a text cannot contain both ' and \"", repr(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExpressionError("a number must be finite", repr(value))
        text = repr(value)
        text = format(Decimal(text), "f") if "e" in text else text
        text = text if "." in text else text + ".0"
    else:
        text = str(value)
    return text, (_UNARY if text.startswith("-") else _ATOM)
