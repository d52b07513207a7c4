"""Questionnaire rules evaluated for every row of a DataFrame at once, equal to ``evaluate``.

Why: validation (``surveys.questionnaire.response_schema``) checks every ``relevant``,
``required``, ``constraint`` and ``calculate`` rule on every row of a frame of
answers — 20,000 households and 40,000 persons per demo cross-section, ~60
rules each. Row by row, the scalar ``surveys.questionnaire.expressions.evaluate`` takes
0.2–2 s per rule on 40,000 rows; here each node is evaluated once, as vectors.

``evaluate_frame(node, frame, current)`` gives a Series (index ``frame.index``,
dtype ``object``) whose element ``i`` is exactly — same type, same value —
``evaluate(node, row_i, current_i)``: ``row_i`` maps each column to its cell
read by ``cell_value`` (pandas missing values as None, numpy scalars as Python
ones, numpy arrays as lists); a ``${name}`` that is not a column is unanswered;
``current`` is matched to rows by position. ``truthy_frame`` is ``truthy``.

How it stays equal: each node becomes a column of the exact Python values
``evaluate`` gives, with a typed view (int64, float64 or bool values and a
mask of unanswered rows) when every row is None or of that one Python type.
Vectorized on typed views and constants: ``${q}``, ``.``, literals; ``=``
``!=`` (bools by truth, unanswered, numbers; text columns against a text
constant or ``''``); ``< <= > >=``, ``+ - * div mod`` and unary ``-`` on
numbers; ``and or not if coalesce``; ``selected`` with a constant code and
``count-selected``, on number columns and columns of lists of int codes. Where
int64 could overflow or an int/float mix could round (beyond 2**53), or for
anything else — regex, dates, text functions, numeric strings, int, round,
min/max, mixed-type columns — ``evaluate`` itself computes that one node row by
row, its children's values given as literals, once per distinct combination of plain
values (1, 1.0, True, 0.0 and -0.0 told apart). Constant nodes are evaluated once.

The roster read from outside it (``repeats``, as for ``evaluate``): a repeated ``${name}``
given to a node-set function is, in each row, the ``Nodeset`` that ``evaluate`` builds from
the row's roster column (``expressions_repeats.repeat_nodes``); ``count`` is vectorized, and
``abs``/``sqrt`` on floats (IEEE-exact, as Python's); other ODK functions go row by row.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd

from surveys.questionnaire import (
    expressions as scalar,  # its own readings: as_answer, as_number, as_text
)
from surveys.questionnaire.expressions import (
    NODESET_FUNCTIONS,
    Binary,
    Call,
    Current,
    Field,
    Literal,
    Nodeset,
    Ref,
    Unary,
    evaluate,
    truthy,
)
from surveys.questionnaire.expressions_repeats import repeat_nodes
from surveys.questionnaire.expressions_values import PLAIN, plain_key

__all__ = ["cell_value", "evaluate_frame", "truthy_frame"]

EXACT = 2**53  # integers up to this convert to float and back exactly
_Operation = Unary | Binary | Call  # a node with children: what is vectorized or falls back
LIMIT = 2**63  # int64 holds magnitudes below this
_UNSET = object()
_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_NUMPY_OPS: dict[str, Callable[..., np.ndarray]] = {
    "+": np.add, "-": np.subtract, "*": np.multiply, "div": np.true_divide, "mod": np.fmod,
}  # fmt: skip


def cell_value(value: Any) -> Any:
    """A cell as the scalar evaluator reads it (pandas missing values as None)."""
    kind = type(value)
    if kind in (int, str, bool, list, tuple):
        return value
    if kind is float:
        return None if value != value else value
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        value = value.item()
        return None if isinstance(value, float) and value != value else value
    return None if pd.api.types.is_scalar(value) and pd.isna(value) else value


class _Col:
    """One node's values for every row: exactly what ``evaluate`` gives, viewed as needed."""

    def __init__(self, n: int, *, const: Any = _UNSET, objects: Any = None, typed: Any = None):
        self.n, self.const, self._objects, self._typed = n, const, objects, typed

    @cached_property
    def objects(self) -> np.ndarray:
        if self.const is not _UNSET:
            out = np.empty(self.n, dtype=object)
            out.fill(self.const)  # np.full would spread a list over the rows
            return out
        if self._objects is not None:
            return self._objects
        values, none = self._typed
        out = values.astype(object)
        out[none] = None
        return out

    @cached_property
    def typed(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(int64, float64 or bool values, unanswered mask) when every row is of one type."""
        if self._typed is not None:
            return self._typed
        const = self.const is not _UNSET
        objects = np.array([self.const], dtype=object) if const else self._objects
        none = np.fromiter((v is None for v in objects), bool, len(objects))
        dtype = _DTYPES.get(frozenset(type(v) for v in objects[~none]))
        if dtype is None:
            return None
        try:
            values = np.where(none, 0, objects).astype(dtype)
        except OverflowError:  # an int beyond int64
            return None
        return (np.repeat(values, self.n), np.repeat(none, self.n)) if const else (values, none)

    @cached_property
    def kind(self) -> str:
        """'i', 'f', 'b' (typed), 'str', 'list' or 'mixed'."""
        if self.typed is not None:
            return self.typed[0].dtype.kind
        types = frozenset(map(type, self.objects)) - {type(None)}
        return "str" if types == {str} else "list" if types <= {list, tuple} else "mixed"

    @cached_property
    def lengths(self) -> np.ndarray:
        return np.fromiter((0 if v is None else len(v) for v in self.objects), np.int64, self.n)

    @cached_property
    def codes(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(row of each code, code) when every row is None or a list of int codes."""
        if self.kind != "list":
            return None
        flat = list(chain.from_iterable(v for v in self.objects if v is not None))
        if set(map(type, flat)) - {int}:
            return None
        try:
            items = np.array(flat, dtype=np.int64)
        except OverflowError:
            return None
        return np.repeat(np.arange(self.n), self.lengths), items


_DTYPES: dict[frozenset[type], type[np.generic]] = {
    frozenset(): np.int64,
    frozenset({int}): np.int64,
}
_DTYPES |= {frozenset({float}): np.float64, frozenset({bool}): np.bool_}


def _typed(values: np.ndarray, none: np.ndarray) -> _Col:
    return _Col(len(values), typed=(values, none))


def _bools(mask: np.ndarray) -> _Col:
    return _typed(mask, np.zeros(len(mask), bool))


def _read(column: pd.Series) -> _Col:
    """A column's cells as ``${q}`` reads them (missing, '' and [] as None)."""
    dtype, n = column.dtype, len(column)
    numeric = pd.api.types.is_numeric_dtype(dtype) and dtype.kind in "biuf"
    if numeric and not (dtype.kind == "u" and dtype.itemsize == 8):
        target, fill = {"b": (bool, False), "f": (np.float64, 0.0)}.get(dtype.kind, (np.int64, 0))
        values = column.to_numpy(dtype=target, na_value=fill)
        none = column.isna().to_numpy()
        if dtype.kind == "f":
            none = none | np.isnan(values)
            values = np.where(none, 0.0, values)
        return _typed(values, none)
    cells = (scalar.as_answer(cell_value(cell)) for cell in column.to_numpy(dtype=object))
    return _Col(n, objects=np.fromiter(cells, object, n))


@dataclass(frozen=True)
class _Side:
    """An operand as ``=``, ordering and arithmetic read it, row by row."""

    none: np.ndarray  # unanswered
    isbool: np.ndarray  # a bool (= compares by truth)
    truth: np.ndarray
    num: np.ndarray | None  # the number (bools as 0/1); None: a text constant, never a number


def _side(col: _Col) -> _Side | None:
    n = col.n
    if col.const is not _UNSET:
        value = col.const
        none = value is None or value == ""
        number = 0 if none else scalar.as_number(value)
        if isinstance(number, int) and not -LIMIT <= number < LIMIT:
            return None
        dtype = np.int64 if isinstance(number, int) else np.float64
        num = None if number is None else np.full(n, number, dtype=dtype)
        flags = (np.full(n, none), np.full(n, isinstance(value, bool)), np.full(n, truthy(value)))
        return _Side(*flags, num)
    if col.typed is None:
        return None
    values, none = col.typed
    isbool = ~none if values.dtype == bool else np.zeros(n, bool)
    num = values.astype(np.int64) if values.dtype == bool else values
    return _Side(none, isbool, _truth(col), num)


def _bound(num: np.ndarray, none: np.ndarray) -> int:
    """The largest magnitude of an answered integer (0 for floats)."""
    live = num[~none]
    if num.dtype.kind != "i" or live.size == 0:
        return 0
    return max(-int(live.min()), int(live.max()))


def _mixed_rounds(a: _Side, b: _Side, none: np.ndarray) -> bool:
    """An int/float mix whose integers would not convert to float exactly."""
    if a.num is None or b.num is None:  # a text constant: no number to round
        return False
    if a.num.dtype == b.num.dtype:
        return False
    return max(_bound(a.num, none), _bound(b.num, none)) > EXACT


def _equals(left: _Col, right: _Col) -> np.ndarray | None:
    text = _text_equals(left, right)
    if text is not None:
        return text
    a, b = _side(left), _side(right)
    if a is None or b is None:
        return None
    if a.num is None or b.num is None:  # text constant: never equal to a whole number's text
        number = b.num if a.num is None else a.num
        if number is None or number.dtype.kind == "f":  # two texts: row by row
            return None
        numbers = np.zeros(left.n, bool)
    elif _mixed_rounds(a, b, a.none | b.none):
        return None
    else:
        numbers = a.num == b.num
    blank = np.where(a.none | b.none, a.none & b.none, numbers)
    return np.where(a.isbool | b.isbool, a.truth == b.truth, blank)


def _text_equals(left: _Col, right: _Col) -> np.ndarray | None:
    """A text or list column against a text constant: '' (unanswered) or a non-number."""
    col, value = (right, left.const) if right.const is _UNSET else (left, right.const)
    if not isinstance(value, str) or col.typed is not None:
        return None
    objects = col.objects
    if value == "":
        blank = ((not v) if type(v) is bool else scalar.as_answer(v) is None for v in objects)
        return np.fromiter(blank, bool, col.n)
    if col.kind == "str" and scalar.as_number(value) is None:
        return (objects == value).astype(bool)
    return None


def _compare(op: str, left: _Col, right: _Col) -> np.ndarray | None:
    a, b = _side(left), _side(right)
    if a is None or b is None:
        return None
    if a.num is None or b.num is None:  # a number against a text: no dates, false
        return np.zeros(left.n, bool)
    answered = ~a.none & ~b.none
    if _mixed_rounds(a, b, ~answered):
        return None
    with np.errstate(invalid="ignore"):
        return _ORDER[op](a.num, b.num) & answered


def _arithmetic(op: str, left: _Col, right: _Col) -> _Col | None:
    a, b = _side(left), _side(right)
    if a is None or b is None:
        return None
    if a.num is None or b.num is None:
        return _Col(left.n, const=None)
    x, y, none = a.num, b.num, a.none | b.none
    ints = x.dtype.kind == y.dtype.kind == "i"
    bx, by = _bound(x, none), _bound(y, none)
    safe = {"*": bx * by < LIMIT, "div": max(bx, by) <= EXACT}.get(op, bx + by < LIMIT)
    if not (safe if ints else max(bx, by) <= EXACT):
        return None
    if op in ("div", "mod"):
        zero = y == 0
        none, y = none | zero, np.where(zero, 1, y)
    with np.errstate(all="ignore"):
        if ints and op == "mod":
            result = np.abs(x) % np.abs(y) * np.where(x < 0, -1, 1)
        else:
            result = _NUMPY_OPS[op](x, y)
    if op == "mod" and not ints:  # math.fmod(inf, y) raises: None
        none = none | (np.isinf(x) & ~np.isnan(y))
    return _typed(result, none)


def _truth(col: _Col) -> np.ndarray:
    if col.const is not _UNSET:
        return np.full(col.n, truthy(col.const))
    if col.typed is None:
        return np.fromiter(map(truthy, col.objects), bool, col.n)
    values, none = col.typed
    if values.dtype.kind == "f":
        return (values != 0) & ~np.isnan(values) & ~none
    return (values != 0) & ~none


def _choose(mask: np.ndarray, yes: _Col, no: _Col) -> _Col:
    if yes.typed is not None and no.typed is not None:
        (a, a_none), (b, b_none) = yes.typed, no.typed
        if a.dtype == b.dtype:
            return _typed(np.where(mask, a, b), np.where(mask, a_none, b_none))
    return _Col(len(mask), objects=np.where(mask, yes.objects, no.objects))


def _blank_mask(col: _Col) -> np.ndarray:
    if col.typed is not None:
        return col.typed[1]
    return np.fromiter((scalar.as_answer(v) is None for v in col.objects), bool, col.n)


def _count_selected(col: _Col) -> _Col | None:
    if col.typed is not None:
        return _typed((~col.typed[1]).astype(np.int64), np.zeros(col.n, bool))
    return _typed(col.lengths, np.zeros(col.n, bool)) if col.kind == "list" else None


def _int_code(text: str) -> int | None:
    """The int64 whose text is exactly ``text``, if any (an int code prints as its text)."""
    try:
        number = int(text)
    except ValueError:
        return None
    return number if str(number) == text and -LIMIT <= number < LIMIT else None


def _selected(col: _Col, code: _Col) -> _Col | None:
    if code.const is _UNSET:
        return None
    wanted = _int_code(scalar.as_text(code.const).strip())
    if col.typed is not None:
        values, none = col.typed
        if values.dtype.kind != "i":
            return None
        return _bools((values == wanted) & ~none if wanted is not None else np.zeros(col.n, bool))
    if col.codes is None:
        return None
    rows, items = col.codes
    hit = np.zeros(col.n, bool)
    if wanted is not None:
        hit[rows[items == wanted]] = True
    return _bools(hit)


def _count(col: _Col) -> _Col:
    """``count``: a node-set's length; a question outside the roster is one node."""
    sizes = (len(v.values) if isinstance(v, Nodeset) else 1 for v in col.objects)
    return _typed(np.fromiter(sizes, np.int64, col.n), np.zeros(col.n, bool))


def _float_function(col: _Col, function: Callable[[np.ndarray], np.ndarray]) -> _Col | None:
    """An IEEE-exact numpy function on a float column (other columns: row by row)."""
    if col.typed is None or col.typed[0].dtype.kind != "f":
        return None
    values, none = col.typed
    with np.errstate(all="ignore"):
        result = function(values)
    return _typed(result, none | (np.isnan(result) & ~np.isnan(values)))


_CALLS: dict[str, Callable[[list[_Col]], _Col | None]] = {
    "not": lambda a: _bools(~_truth(a[0])),
    "if": lambda a: _choose(_truth(a[0]), a[1], a[2]),
    "coalesce": lambda a: _choose(_blank_mask(a[0]), a[1], a[0]),
    "count-selected": lambda a: _count_selected(a[0]),
    "selected": lambda a: _selected(a[0], a[1]),
    "count": lambda a: _count(a[0]),
    "abs": lambda a: _float_function(a[0], np.abs),
    "sqrt": lambda a: _float_function(a[0], np.sqrt),
}


def _with_values(node: _Operation, values: tuple[Any, ...]) -> scalar.Node:
    """The node with its children replaced by their values, for the scalar evaluator."""
    literals = tuple(Literal(v) for v in values)
    if isinstance(node, Unary):
        return Unary(node.op, literals[0])
    if isinstance(node, Binary):
        return Binary(node.op, literals[0], literals[1])
    return Call(node.name, literals)


def _vectorized(node: _Operation, args: list[_Col]) -> _Col | None:
    if isinstance(node, Unary):  # -x is exactly x * -1, for ints and for IEEE floats
        return _arithmetic("*", args[0], _Col(args[0].n, const=-1))
    if isinstance(node, Call):
        call = _CALLS.get(node.name)
        return None if call is None else call(args)
    if node.op in ("and", "or"):
        both = (_truth(args[0]), _truth(args[1]))
        return _bools(both[0] & both[1] if node.op == "and" else both[0] | both[1])
    if node.op in ("=", "!="):
        equal = _equals(*args)
        return None if equal is None else _bools(equal == (node.op == "="))
    if node.op in _ORDER:
        order = _compare(node.op, *args)
        return None if order is None else _bools(order)
    return _arithmetic(node.op, *args)


@dataclass
class _Frame:
    """One evaluation: the frame, ``.``, the fields, the date, and the columns read so far."""

    frame: pd.DataFrame
    current: _Col
    fields: Mapping[str, Any]
    today: datetime.date
    refs: dict[str, _Col]
    repeats: Mapping[str, str]

    def node(self, node: scalar.Node) -> _Col:
        n = len(self.frame)
        if isinstance(node, Literal | Field):
            return _Col(n, const=evaluate(node, {}, fields=self.fields))
        if isinstance(node, Current):
            return self.current
        if isinstance(node, Ref):
            return self.column(node.name)
        args = [self.argument(node, child) for child in scalar.children(node)]
        if all(arg.const is not _UNSET for arg in args):
            values = tuple(arg.const for arg in args)
            return _Col(n, const=evaluate(_with_values(node, values), {}, today=self.today))
        result = _vectorized(node, args)
        return self.row_by_row(node, args) if result is None else result

    def argument(self, node: _Operation, child: scalar.Node) -> _Col:
        """A child's values: node-sets for a repeated ``${name}`` of a node-set function."""
        nodeset = isinstance(node, Call) and node.name in NODESET_FUNCTIONS
        if not (nodeset and isinstance(child, Ref) and child.name in self.repeats):
            return self.node(child)
        roster = self.repeats[child.name]
        members = self.column(roster)
        if members.const is not _UNSET:
            return _Col(members.n, const=repeat_nodes(members.const, child.name, roster))
        found = (repeat_nodes(m, child.name, roster) for m in members.objects)
        return _Col(members.n, objects=np.fromiter(found, object, members.n))

    def column(self, name: str) -> _Col:
        if name not in self.refs:
            found = name in self.frame.columns
            self.refs[name] = (
                _read(self.frame[name]) if found else _Col(len(self.frame), const=None)
            )
        return self.refs[name]

    def row_by_row(self, node: _Operation, args: list[_Col]) -> _Col:
        """The fallback: ``evaluate`` on this node alone, its children's values as literals,
        once per distinct combination of plain values (answers repeat: districts, dates)."""
        rows = zip(*(arg.objects for arg in args), strict=True)
        seen: dict[tuple[tuple[type, Any], ...], Any] = {}  # plain_key -> value

        def one(values: tuple[Any, ...]) -> Any:
            key = plain_key(values)
            if key is not None and key in seen:
                return seen[key]
            result = evaluate(_with_values(node, values), {}, today=self.today)
            if key is not None and type(result) in PLAIN:
                seen[key] = result
            return result

        out = (one(values) for values in rows)
        return _Col(args[0].n, objects=np.fromiter(out, object, args[0].n))


def evaluate_frame(
    node: scalar.Node,
    frame: pd.DataFrame,
    current: pd.Series | None = None,
    *,
    fields: Mapping[str, Any] | None = None,
    today: datetime.date | None = None,
    repeats: Mapping[str, str] | None = None,
) -> pd.Series:
    """The rule's value in every row: a Series of dtype object holding ``evaluate``'s values.

    ``current`` (``.``) is matched to the rows by position (ValueError if the
    lengths differ); ``fields`` are the same for every row; ``repeats`` as for
    ``evaluate`` (the roster's column holds each row's list of member dicts). Whatever
    the answers, it never raises.
    """
    n = len(frame)
    if current is not None and len(current) != n:
        raise ValueError(f"current has {len(current)} values for {n} rows")
    dot = _Col(n, const=None) if current is None else _read(current)
    context = _Frame(frame, dot, fields or {}, today or datetime.date.today(), {}, repeats or {})
    return pd.Series(context.node(node).objects, index=frame.index, dtype=object)


def truthy_frame(values: pd.Series) -> pd.Series:
    """``truthy`` of every value (read by ``cell_value``), as a bool Series."""
    return pd.Series(_truth(_read(values)), index=values.index, dtype=bool)
