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
  ''); ``int`` truncates toward zero, ``number`` gives a float (a date or
  dateTime text: its days since 1970-01-01, as ODK), both None if not numeric; ``round(x, n=0)`` half away from zero; ``min``/``max`` ignore
  unanswered and non-numeric arguments (None if none is left); ``today()``
  the ISO date; ``regex(x, p)``: ``p`` matches the whole of ``x`` (False if
  unanswered or an invalid pattern). Add a function with one line in
  ``REGISTRY`` (:mod:`surveys.questionnaire.expressions_functions`).
* The ODK XForms functions, with the spec's meanings (each module cites it): over the
  roster read from outside it, ``count``, ``count-non-empty``, ``sum``, ``min``/``max``,
  ``join`` and ``concat`` (``repeats=``; :mod:`~surveys.questionnaire.expressions_repeats`);
  ``string``, ``substr``, ``substring-before``/``-after``, ``translate``,
  ``normalize-space``, ``contains``, ``starts-with``, ``ends-with``,
  ``boolean-from-string``, ``selected-at``, ``once`` (stateless: the expression's value)
  (:mod:`~surveys.questionnaire.expressions_strings`); ``boolean``, ``pow``, ``abs``, ``floor``, ``ceiling``,
  ``log``, ``log10``, ``exp``, ``exp10``, ``sqrt``, ``sin``, ``cos``, ``tan``, ``asin``,
  ``acos``, ``atan``, ``atan2``, ``pi`` (:mod:`~surveys.questionnaire.expressions_math`);
  ``date``, ``decimal-date-time``, ``format-date``, ``format-date-time``
  (:mod:`~surveys.questionnaire.expressions_dates`). ODK functions not offered yet
  (``pulldata``, ``instance``, ``position``, ``indexed-repeat``, ``jr:choice-name``,
  ``now``, ``random``… — ``UNSUPPORTED``) are refused when parsed, by name, in Korean and
  English (``ExpressionError.text``); so are ``count``/``sum`` of anything but ``${name}``.

Printing (``to_source``) gives canonical text with minimal parentheses, so
``parse(to_source(tree)) == tree`` for every tree ``parse`` can produce: numeric
literals are finite and non-negative (``-3`` is ``Unary('-', Literal(3))``),
texts do not contain both quote characters, field names are not keywords.

This module is the language's face: :func:`evaluate`, and everything else re-exported
from the modules that hold it — the tree and its errors
(:mod:`~surveys.questionnaire.expressions_tree`), the text, parsed and printed
(:mod:`~surveys.questionnaire.expressions_syntax`), the readings of answers and the
operators (:mod:`~surveys.questionnaire.expressions_values`), and the functions
(:mod:`~surveys.questionnaire.expressions_functions`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from surveys.questionnaire.expressions_functions import FUNCTIONS, REGISTRY, UNSUPPORTED, Env
from surveys.questionnaire.expressions_repeats import NODESET_FUNCTIONS, NODESET_ONLY
from surveys.questionnaire.expressions_syntax import parse, to_source
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
    children,
    fields,
    references,
    repeated_references,
    uses_current,
)
from surveys.questionnaire.expressions_values import (
    Nodeset,
    arithmetic,
    as_answer,
    as_number,
    as_text,
    equal,
    order,
    truthy,
)

__all__ = [
    "FUNCTIONS",
    "KEYWORDS",
    "MAX_DEPTH",
    "NODESET_FUNCTIONS",
    "NODESET_ONLY",
    "PRECEDENCE",
    "Binary",
    "Call",
    "Current",
    "ExpressionError",
    "ExpressionSyntaxError",
    "Field",
    "Literal",
    "Node",
    "Nodeset",
    "Ref",
    "UNSUPPORTED",
    "Unary",
    "as_answer",
    "as_number",
    "as_text",
    "children",
    "evaluate",
    "fields",
    "parse",
    "references",
    "repeated_references",
    "to_source",
    "truthy",
    "uses_current",
]


def evaluate(
    node: Node,
    values: Mapping[str, Any],
    current: Any = None,
    *,
    fields: Mapping[str, Any] | None = None,
    today: datetime.date | None = None,
    repeats: Mapping[str, str] | None = None,
) -> Any:
    """The rule's value for these answers (``current`` is ``.``); never raises.

    ``repeats`` (name → roster name, for the roster's questions and the roster itself)
    is given when the rule is read from outside the roster, ``values[roster]`` holding
    the members' answers: then ``count(${member})``, ``sum(${age})`` and the other
    node-set functions read those names across the members
    (:mod:`surveys.questionnaire.expressions_repeats`).
    """
    env = Env(values, current, fields or {}, today or datetime.date.today(), repeats or {})
    return _eval(node, env)


def _argument(call: Call, arg: Node, env: Env) -> Any:
    """An argument's value: a node-set for a repeated ``${name}`` of a node-set function."""
    if isinstance(arg, Ref) and arg.name in env.repeats and call.name in NODESET_FUNCTIONS:
        return env.nodes(arg.name)
    return _eval(arg, env)


def _eval(node: Node, env: Env) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Ref):
        return as_answer(env.values.get(node.name))
    if isinstance(node, Current):
        return as_answer(env.current)
    if isinstance(node, Field):
        return as_answer(env.fields.get(node.name))
    if isinstance(node, Call):
        return REGISTRY[node.name][2](env, [_argument(node, arg, env) for arg in node.args])
    if isinstance(node, Unary):
        number = as_number(_eval(node.operand, env))
        return None if number is None else -number
    if node.op == "and":
        return truthy(_eval(node.left, env)) and truthy(_eval(node.right, env))
    if node.op == "or":
        return truthy(_eval(node.left, env)) or truthy(_eval(node.right, env))
    left, right = _eval(node.left, env), _eval(node.right, env)
    if node.op in ("=", "!="):
        return equal(left, right) == (node.op == "=")
    if node.op in ("<", "<=", ">", ">="):
        return order(node.op, left, right)
    return arithmetic(node.op, left, right)
