"""The questionnaire rule language: parse, print and evaluate, never with ``eval``.

Why: ``relevant``, ``constraint``, ``calculate``, ``choice_filter``, ``required``
(as an expression), ``eligible`` and ``repeat_count`` rules are written by
statisticians, in YAML or in XLSForm workbooks made for ODK/KoBoToolbox. They
are parsed once, when a questionnaire is loaded, into a small immutable tree;
mistakes (syntax, unknown functions, wrong numbers of arguments, invalid
literal regular expressions) are reported then, with the position. Evaluation
is total: whatever the answers, it returns a value and never raises.

Grammar (EBNF; whitespace may appear between any two tokens)::

    expression = or ;
    or         = and { "or" and } ;
    and        = equality { "and" equality } ;
    equality   = ordering { ( "=" | "!=" ) ordering } ;
    ordering   = additive { ( "<" | "<=" | ">" | ">=" ) additive } ;
    additive   = product { ( "+" | "-" ) product } ;
    product    = unary { ( "*" | "div" | "mod" ) unary } ;
    unary      = "-" unary | primary ;
    primary    = number | string | "${" name "}" | "." | "(" expression ")"
               | function "(" [ expression { "," expression } ] ")" | name ;
    number     = digits [ "." digits ] | "." digits ;
    string     = "'" { not "'" } "'" | '"' { not '"' } '"' ;
    name       = letter_or_underscore { letter_or_underscore | digit } ;
    function   = name { "-" name } ;   (* a key of FUNCTIONS, e.g. count-selected *)

``.`` is the current question's answer; a bare ``name`` (not a keyword
``and or div mod``, not followed by ``(``) is a ``Field``, looked up in the
separate ``fields`` mapping (e.g. ``filter`` in the choice filter
``filter = ${district}``). Binary operators are left-associative. Trees deeper
than ``MAX_DEPTH`` are rejected as syntax errors.

Evaluation (XLSForm/XPath-like). Answers are None (unanswered), int, float,
str, bool, or a list of int codes (also a space-separated string of codes).
A missing ``${name}`` and ``''`` are unanswered.

* ``=``/``!=``: booleans compare by truth; unanswered equals only unanswered
  (so ``${q} = ''`` holds when unanswered); two numbers or numeric strings
  compare as numbers; anything else as text (``3`` and ``3.0`` print ``3``, a
  list prints as its space-joined codes).
* ``< <= > >=``: two ISO dates (``YYYY-MM-DD``) compare as dates, two numbers
  as numbers; anything else, including unanswered, is false (XPath's NaN).
* ``+ - * div mod`` and unary ``-``: an unanswered or non-numeric operand, or
  division by zero, gives None; ``div`` gives a float; ``mod`` keeps the sign
  of the dividend.
* ``and``/``or`` short-circuit on ``truthy`` (None, '', 0, False, [] are
  false) and give a bool.
* ``selected(x, v)``: code ``v`` (text or number) is among ``x``'s codes;
  ``count-selected(x)``: how many (0 if unanswered); ``not``, ``if(c, a, b)``,
  ``true()``, ``false()``; ``string-length`` (0 if unanswered);
  ``coalesce(a, b)``: first answered; ``concat`` joins texts (unanswered is
  ''); ``int`` truncates toward zero, ``number`` gives a float, both None if
  not numeric; ``round(x, n=0)`` half away from zero; ``min``/``max`` ignore
  unanswered and non-numeric arguments (None if none is left); ``today()``
  the ISO date; ``regex(x, p)``: ``p`` matches the whole of ``x`` (False if
  unanswered or an invalid pattern). Add a function with one line in
  ``_REGISTRY``.

Printing (``to_source``) gives canonical text with minimal parentheses, so
``parse(to_source(tree)) == tree`` for every tree ``parse`` can produce: numeric
literals are finite and non-negative (``-3`` is ``Unary('-', Literal(3))``),
texts do not contain both quote characters, field names are not keywords.
"""

from __future__ import annotations

import datetime
import math
import operator
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache
from typing import Any

MAX_DEPTH = 100  # nesting / tree depth; far beyond any real rule, well within Python's stack


class ExpressionError(ValueError):
    """A rule that cannot be used; ``position`` is a 0-based offset into ``source``."""

    def __init__(self, message: str, source: str | None = None, position: int | None = None):
        self.message, self.source, self.position = message, source, position
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
_UNARY, _ATOM = 7, 8


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


def fields(node: Node) -> set[str]:
    """Every bare field name (e.g. ``filter`` in a choice filter)."""
    return {n.name for n in _walk(node) if isinstance(n, Field)}


def uses_current(node: Node) -> bool:
    """Whether the rule reads ``.``, the current question's answer."""
    return any(isinstance(n, Current) for n in _walk(node))


def _depth(node: Node) -> int:
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children(current))
    return deepest


# --- tokens -----------------------------------------------------------------

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FUNCTION = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*(?=\s*\()")
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

    def error(self, message: str, position: int) -> ExpressionSyntaxError:
        return ExpressionSyntaxError(message, self.source, position)

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
        if name.text not in FUNCTIONS:
            raise self.error(f"unknown function {name.text!r}", name.position)
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
            raise self.error(message, name.position)
        if name.text == "regex" and isinstance(args[1], Literal):
            if _compile(as_text(args[1].value)) is None:
                raise self.error("invalid regular expression", starts[1])


def parse(source: str) -> Node:
    """The tree of a rule; raises ExpressionSyntaxError (with the position) if invalid."""
    parser = _Parser(source)
    node = parser.expression()
    if parser.tokens[parser.index].kind != "end":
        raise parser.unexpected(parser.tokens[parser.index])
    if _depth(node) > MAX_DEPTH:
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


# --- evaluation -------------------------------------------------------------

_NUMERIC = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class _Env:
    values: Mapping[str, Any]
    current: Any
    fields: Mapping[str, Any]
    today: datetime.date


def evaluate(
    node: Node,
    values: Mapping[str, Any],
    current: Any = None,
    *,
    fields: Mapping[str, Any] | None = None,
    today: datetime.date | None = None,
) -> Any:
    """The rule's value for these answers (``current`` is ``.``); never raises."""
    env = _Env(values, current, fields or {}, today or datetime.date.today())
    return _eval(node, env)


def _eval(node: Node, env: _Env) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Ref):
        return as_answer(env.values.get(node.name))
    if isinstance(node, Current):
        return as_answer(env.current)
    if isinstance(node, Field):
        return as_answer(env.fields.get(node.name))
    if isinstance(node, Call):
        return _REGISTRY[node.name][2](env, [_eval(arg, env) for arg in node.args])
    if isinstance(node, Unary):
        number = as_number(_eval(node.operand, env))
        return None if number is None else -number
    if node.op == "and":
        return truthy(_eval(node.left, env)) and truthy(_eval(node.right, env))
    if node.op == "or":
        return truthy(_eval(node.left, env)) or truthy(_eval(node.right, env))
    left, right = _eval(node.left, env), _eval(node.right, env)
    if node.op in ("=", "!="):
        return _equal(left, right) == (node.op == "=")
    if node.op in ("<", "<=", ">", ">="):
        return _order(node.op, left, right)
    return _arithmetic(node.op, left, right)


def truthy(value: Any) -> bool:
    """XPath's boolean(): None, '', 0, NaN, False and an empty list are false."""
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


def _equal(left: Any, right: Any) -> bool:
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


def _order(op: str, left: Any, right: Any) -> bool:
    a, b = _date(left), _date(right)
    if a is None or b is None:
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


def _arithmetic(op: str, left: Any, right: Any) -> int | float | None:
    a, b = as_number(left), as_number(right)
    if a is None or b is None or (b == 0 and op in ("div", "mod")):
        return None
    try:
        return _ARITHMETIC[op](a, b)
    except (OverflowError, ValueError):
        return None


# --- functions --------------------------------------------------------------


def _codes(value: Any) -> list[str]:
    value = as_answer(value)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [as_text(item) for item in value]
    return value.split() if isinstance(value, str) else [as_text(value)]


@lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except (re.error, OverflowError, RecursionError, ValueError):
        return None


def _regex(value: Any, pattern: Any) -> bool:
    compiled = _compile(as_text(pattern))
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


_Impl = Callable[[_Env, list[Any]], Any]

# name -> (min args, max args or None, implementation on evaluated arguments)
_REGISTRY: dict[str, tuple[int, int | None, _Impl]] = {
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
    name: (low, high) for name, (low, high, _) in _REGISTRY.items()
}
