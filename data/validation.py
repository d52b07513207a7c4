"""Row-level validation of whole DataFrames with Pandera, with reasons a person can act on.

Every boundary (CSV import, demo seeding, later submissions) hands a DataFrame
and a Pandera schema to :func:`validate_frame`. It

1. checks the columns (a missing or unexpected column concerns the whole batch),
2. converts each column to the schema's type cell by cell, so that one bad
   cell is reported as ``wrong_type`` instead of failing the whole column,
3. runs the schema lazily (every failure, not just the first), and
4. maps Pandera's failure cases back to rows, as :class:`Reason` objects with a
   reason code and a message in Korean and English.

Valid rows come back typed; invalid rows come back exactly as received, with
every reason, ready for the quarantine. Nothing valid is dropped because a
neighbour was invalid, and nothing invalid is dropped at all.
"""

from __future__ import annotations

import enum
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from data.text import Text


class ReasonCode(enum.StrEnum):
    """Why a record was refused (one code per kind of problem)."""

    MISSING_COLUMN = "missing_column"
    UNEXPECTED_COLUMN = "unexpected_column"
    MISSING = "missing"
    WRONG_TYPE = "wrong_type"
    INVALID_CODE = "invalid_code"
    OUT_OF_RANGE = "out_of_range"
    BAD_FORMAT = "bad_format"
    DUPLICATE = "duplicate"
    RULE = "rule"
    INCOMPLETE = "incomplete"


_TEMPLATES: dict[ReasonCode, Text] = {  # RULE and INCOMPLETE reasons bring their own text
    ReasonCode.MISSING_COLUMN: Text(
        "필수 열 '{column}' 이(가) 없습니다. 문서에 적힌 열 이름을 그대로 쓰세요.",
        "Required column '{column}' is missing; use the column names as documented.",
    ),
    ReasonCode.UNEXPECTED_COLUMN: Text(
        "알 수 없는 열 '{column}' 이(가) 있습니다. 문서에 적힌 열만 쓰세요.",
        "Unexpected column '{column}'; use only the documented columns.",
    ),
    ReasonCode.MISSING: Text(
        "'{column}' 값이 비어 있습니다. 값을 채우세요.",
        "'{column}' is empty; fill it in.",
    ),
    ReasonCode.WRONG_TYPE: Text(
        "'{column}' 값 '{value}' 은(는) {expected}가 아닙니다.",
        "'{column}' value '{value}' is not {expected_en}.",
    ),
    ReasonCode.INVALID_CODE: Text(
        "'{column}' 값 '{value}' 은(는) 허용된 코드가 아닙니다 (허용: {allowed}).",
        "'{column}' value '{value}' is not an allowed code (allowed: {allowed}).",
    ),
    ReasonCode.OUT_OF_RANGE: Text(
        "'{column}' 값 '{value}' 이(가) 허용 범위({bounds})를 벗어났습니다.",
        "'{column}' value '{value}' is outside the allowed range ({bounds}).",
    ),
    ReasonCode.BAD_FORMAT: Text(
        "'{column}' 값 '{value}' 의 형식이 맞지 않습니다 ({pattern}).",
        "'{column}' value '{value}' has the wrong format ({pattern}).",
    ),
    ReasonCode.DUPLICATE: Text(
        "{column} 값이 다른 행과 중복됩니다: '{value}'. 한 번만 적으세요.",
        "{column} repeats another row: '{value}'; list it once.",
    ),
}

_TYPE_NAMES = {"integer": ("정수", "a whole number"), "number": ("숫자", "a number")}


@dataclass(frozen=True)
class Reason:
    """One problem with one record (or, with ``row`` None, with the whole batch)."""

    code: ReasonCode
    column: str | None
    value: str | None
    text: Text

    @property
    def message_ko(self) -> str:  # compatibility alias of text.ko, read by older tests
        return self.text.ko

    @property
    def message_en(self) -> str:  # compatibility alias of text.en, read by older tests
        return self.text.en

    def message(self, lang: str = "ko") -> str:
        return self.text.pick(lang)

    def to_dict(self) -> dict[str, Any]:
        """As stored with a quarantined record (``reasons_json``): the text as two keys."""
        return {
            "code": self.code.value,
            "column": self.column,
            "value": self.value,
            "message_ko": self.text.ko,
            "message_en": self.text.en,
        }


def make_reason(
    code: ReasonCode,
    column: str | None = None,
    value: Any = None,
    *,
    text: Text | None = None,
    **extra: Any,
) -> Reason:
    """Build a Reason: its code's template filled in, or ``text`` (a RULE or INCOMPLETE
    reason says what is wrong in its own words)."""
    shown = "" if value is None else _short(value)
    if text is None and code not in _TEMPLATES:
        raise TypeError(f"a {code.value} reason needs its text")
    expected = extra.pop("expected", "integer")
    ko_type, en_type = _TYPE_NAMES.get(expected, (expected, expected))
    values = {
        "column": column or "",
        "value": shown,
        "expected": ko_type,
        "expected_en": en_type,
        "allowed": "",
        "bounds": "",
        "pattern": "",
        **{k: v for k, v in extra.items()},
    }
    said = text if text is not None else _TEMPLATES[code].format(**values)
    return Reason(code, column, None if value is None else shown, said)


def _short(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class ValidationResult:
    """Outcome of validating one batch."""

    valid: pd.DataFrame  # typed rows that passed, original index kept
    invalid: pd.DataFrame  # rows as received that failed, original index kept
    reasons: dict[Any, list[Reason]] = field(default_factory=dict)  # by original index
    batch_reasons: list[Reason] = field(default_factory=list)  # concern every row

    @property
    def ok(self) -> bool:
        return self.invalid.empty and not self.batch_reasons

    def reason_counts(self) -> Counter:
        counts: Counter = Counter(r.code.value for r in self.batch_reasons)
        for reasons in self.reasons.values():
            counts.update(r.code.value for r in reasons)
        return counts

    def first_reasons(self, limit: int = 10) -> list[tuple[Any, Reason]]:
        """The first reasons, batch-level first, then by row, for a summary."""
        out: list[tuple[Any, Reason]] = [(None, r) for r in self.batch_reasons]
        for index in sorted(self.reasons, key=_sort_key):
            for reason in self.reasons[index]:
                out.append((index, reason))
        return out[:limit]


def _sort_key(value: Any) -> tuple:
    return (0, value) if isinstance(value, (int, np.integer)) else (1, str(value))


def reasons_json(reasons: list[Reason]) -> str:
    return json.dumps([r.to_dict() for r in reasons], ensure_ascii=False)


def texts_of_reasons_json(text: str | None) -> list[Text]:
    """The messages of reasons stored by :func:`reasons_json` (a quarantined record's)."""
    return [Text(r["message_ko"], r["message_en"]) for r in json.loads(text or "[]")]


# A Text travels through a pandera Check as its ``error`` string, "ko | en".
_CHECK_SEPARATOR = " | "


def check_error(text: Text) -> str:
    """The ``error=`` of a pandera Check whose failures say ``text`` (read back below)."""
    return f"{text.ko}{_CHECK_SEPARATOR}{text.en or text.ko}"


def _check_text(error: str) -> Text:
    ko, _, en = error.partition(_CHECK_SEPARATOR)
    return Text(ko, en or ko)


def record_json(row: pd.Series) -> str:
    """A record as received, as JSON (missing values as null)."""
    return json.dumps({str(k): _plain(v) for k, v in row.items()}, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    return value if isinstance(value, (int, float, str, bool)) else str(value)


# -- column conversion ------------------------------------------------------------
def _is_blank(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


SMALL_BATCH = 64  # below this many rows a plain loop beats pandas' per-column overhead


def _integer_cell(value: Any) -> tuple[Any, bool]:
    """(whole number or NA, was it bad) for one raw cell."""
    if _is_blank(value):
        return pd.NA, False
    if isinstance(value, bool):
        return pd.NA, True
    if isinstance(value, (int, np.integer)):
        return (int(value), False) if abs(int(value)) <= 2**62 else (pd.NA, True)
    try:
        number = float(str(value).strip()) if not isinstance(value, float) else value
    except ValueError:
        return pd.NA, True
    if not math.isfinite(number) or number % 1 != 0 or abs(number) > 2**62:
        return pd.NA, True
    return int(number), False


def _convert_integer(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole numbers as Int64; returns (converted, mask of cells that were not integers)."""
    if pd.api.types.is_integer_dtype(series.dtype):
        return series.astype("Int64"), pd.Series(False, index=series.index)
    if len(series) <= SMALL_BATCH:
        cells = [_integer_cell(v) for v in series.tolist()]
        converted = pd.Series([c[0] for c in cells], index=series.index, dtype="Int64")
        return converted, pd.Series([c[1] for c in cells], index=series.index, dtype=bool)
    blank = series.map(_is_blank).astype(bool)
    text = series.where(~blank).astype("string").str.strip()
    numbers = pd.to_numeric(text, errors="coerce")
    finite = numbers.notna() & np.isfinite(numbers.astype("float64").fillna(0))
    integral = finite & (numbers.astype("float64").fillna(0) % 1 == 0)
    too_big = integral & (numbers.astype("float64").abs() > 2**62)
    bad = ~blank & ~(integral & ~too_big)
    converted = numbers.where(~bad & ~blank).astype("Float64").round().astype("Int64")
    return converted, bad


def _convert_number(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    blank = series.map(_is_blank).astype(bool)
    numbers = pd.to_numeric(series.where(~blank).astype("string").str.strip(), errors="coerce")
    bad = ~blank & (numbers.isna() | ~np.isfinite(numbers.astype("float64").fillna(0)))
    return numbers.where(~bad).astype("Float64"), bad


def _convert_string(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    blank = series.map(_is_blank).astype(bool)
    converted = series.astype("string").str.strip().where(~blank, pd.NA)
    return converted.astype("string"), pd.Series(False, index=series.index)


def _kind(dtype: Any) -> str:
    name = str(dtype).lower()
    if "int" in name:
        return "integer"
    if "float" in name:
        return "number"
    if "bool" in name:
        return "boolean"
    if "datetime" in name or "timestamp" in name:
        return "datetime"
    if name in ("object", "none"):
        return "object"  # taken as it comes (e.g. lists of codes); checks decide
    return "string"


def _convert_column(series: pd.Series, dtype: Any) -> tuple[pd.Series, pd.Series]:
    kind = _kind(dtype)
    if kind == "integer":
        return _convert_integer(series)
    if kind == "number":
        return _convert_number(series)
    if kind == "string":
        return _convert_string(series)
    return series, pd.Series(False, index=series.index)


# -- failure cases -> reasons -----------------------------------------------------
def _check_object(schema: pa.DataFrameSchema, case: pd.Series) -> Any:
    check_number = case.get("check_number")
    if check_number is None or (isinstance(check_number, float) and math.isnan(check_number)):
        return None
    try:
        if case.get("schema_context") == "Column":
            return schema.columns[case["column"]].checks[int(check_number)]
        return schema.checks[int(check_number)]
    except (KeyError, IndexError, TypeError, ValueError):
        return None


_BUILTIN_CODES: tuple[tuple[tuple[str, ...], ReasonCode], ...] = (
    (("isin",), ReasonCode.INVALID_CODE),
    (("greater_than", "less_than", "in_range"), ReasonCode.OUT_OF_RANGE),
    (("str_",), ReasonCode.BAD_FORMAT),
    (("coerce_dtype", "dtype"), ReasonCode.WRONG_TYPE),
)


def _builtin_code(name: str) -> ReasonCode | None:
    if "uniqueness" in name or name in ("unique", "field_uniqueness"):
        return ReasonCode.DUPLICATE
    for prefixes, code in _BUILTIN_CODES:
        if name.startswith(prefixes):
            return code
    return None


def _reason_from_failure(schema: pa.DataFrameSchema, case: pd.Series) -> Reason:
    """A Reason for one of Pandera's failure cases.

    Pandera's own checks map to their reason codes; a check given a custom
    ``error`` ("한국어 | English") keeps its code but speaks in that message.
    Custom rules (row-wise DataFrame checks) are reported once per column by
    Pandera, so they are named by ``check.target_column`` (the question a
    questionnaire rule is about) or by nothing, and de-duplicated per row.
    """
    column = case["column"] if isinstance(case["column"], str) else None
    check = str(case["check"])
    value = case["failure_case"]
    check_obj = _check_object(schema, case)
    stats = getattr(check_obj, "statistics", None) or {}
    name = getattr(check_obj, "name", None) or check
    if check == "not_nullable":
        return make_reason(ReasonCode.MISSING, column)
    if check == "column_in_dataframe":
        return make_reason(ReasonCode.MISSING_COLUMN, str(value))
    if check == "column_in_schema":
        return make_reason(ReasonCode.UNEXPECTED_COLUMN, str(value))
    code = _builtin_code(name)
    custom = getattr(check_obj, "error", None)
    custom = custom if isinstance(custom, str) and _CHECK_SEPARATOR in custom else None  # ours
    if code is not None and custom and code is not ReasonCode.DUPLICATE:
        return Reason(code, column, _short(value), _check_text(custom))
    if code is ReasonCode.INVALID_CODE:
        allowed = ", ".join(str(v) for v in sorted(stats.get("allowed_values", []), key=str))
        return make_reason(code, column, value, allowed=_short(allowed, 120))
    if code is ReasonCode.OUT_OF_RANGE:
        return make_reason(code, column, value, bounds=_bounds(name, stats))
    if code is ReasonCode.BAD_FORMAT:
        return make_reason(code, column, value, pattern=_format_hint(name, stats))
    if code is ReasonCode.DUPLICATE:
        return make_reason(code, column, value)
    if code is ReasonCode.WRONG_TYPE:
        return make_reason(code, column, value, expected=_kind(check))
    said = _check_text(str(custom or check))
    target = column if case.get("schema_context") == "Column" else None
    target = getattr(check_obj, "target_column", None) or target
    code = getattr(check_obj, "reason_code", None) or ReasonCode.RULE
    return Reason(code, target, None, said)


def _format_hint(check: str, stats: dict) -> str:
    if check.startswith("str_matches"):
        return f"pattern {stats.get('pattern', '')}"
    if check.startswith("str_startswith"):
        return f"starts with '{stats.get('string', '')}'"
    if check.startswith("str_length"):
        return f"length {stats.get('min_value') or 0}–{stats.get('max_value') or ''}"
    return check


def _bounds(check: str, stats: dict) -> str:
    low = stats.get("min_value")
    high = stats.get("max_value")
    if check.startswith("greater_than_or_equal_to"):
        return f"≥ {low}"
    if check.startswith("greater_than"):
        return f"> {low}"
    if check.startswith("less_than_or_equal_to"):
        return f"≤ {high}"
    if check.startswith("less_than"):
        return f"< {high}"
    return f"{low} – {high}"


def rule(name: str, text: Text, fn, **kwargs) -> pa.Check:
    """A custom row-wise check whose failures say ``text``."""
    return pa.Check(fn, name=name, error=check_error(text), **kwargs)


# -- the entry point --------------------------------------------------------------
def validate_frame(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> ValidationResult:
    """Validate every row of ``frame`` against ``schema``; split valid from invalid rows."""
    raw = frame.copy()
    wanted = list(schema.columns)
    batch: list[Reason] = [
        make_reason(ReasonCode.MISSING_COLUMN, c) for c in wanted if c not in raw.columns
    ]
    if schema.strict:
        batch += [
            make_reason(ReasonCode.UNEXPECTED_COLUMN, str(c))
            for c in raw.columns
            if c not in wanted
        ]
    if batch:
        return ValidationResult(raw.iloc[0:0], raw, {}, batch)

    typed = pd.DataFrame(index=raw.index)
    reasons: dict[Any, list[Reason]] = {}
    wrong_type_cells: set[tuple[Any, str]] = set()
    for name in wanted:
        dtype = schema.columns[name].dtype
        converted, bad = _convert_column(raw[name], dtype)
        typed[name] = converted
        for index in raw.index[bad.to_numpy()]:
            wrong_type_cells.add((index, name))
            reasons.setdefault(index, []).append(
                make_reason(ReasonCode.WRONG_TYPE, name, raw.at[index, name], expected=_kind(dtype))
            )
    for name in raw.columns:
        if name not in typed.columns:  # context columns that rules read (non-strict schemas)
            typed[name] = raw[name]

    try:
        schema.validate(typed, lazy=True)
    except SchemaErrors as errors:
        for _, case in errors.failure_cases.iterrows():
            index = case["index"]
            column = case["column"] if isinstance(case["column"], str) else None
            if index is None or (isinstance(index, float) and math.isnan(index)):
                batch.append(_reason_from_failure(schema, case))
                continue
            if (index, column) in wrong_type_cells and str(case["check"]) == "not_nullable":
                continue  # already reported as the wrong type
            reasons.setdefault(index, []).append(_reason_from_failure(schema, case))
    reasons = {index: _unique(_merge_duplicates(found)) for index, found in reasons.items()}

    bad_index = raw.index.isin(list(reasons))
    if batch:
        return ValidationResult(typed.iloc[0:0], raw, reasons, _unique(batch))
    return ValidationResult(typed[~bad_index], raw[bad_index], reasons, [])


def _merge_duplicates(reasons: list[Reason]) -> list[Reason]:
    """One 'duplicate' reason per row for a multi-column key, naming all its columns."""
    dups = [r for r in reasons if r.code is ReasonCode.DUPLICATE]
    if len(dups) < 2:
        return reasons
    columns = ", ".join(r.column or "" for r in dups)
    values = ", ".join(r.value or "" for r in dups)
    merged = make_reason(ReasonCode.DUPLICATE, columns, values)
    return [r for r in reasons if r.code is not ReasonCode.DUPLICATE] + [merged]


def _unique(reasons: list[Reason]) -> list[Reason]:
    """One reason per cell and message; where two checks say the same, the specific code wins."""
    kept: dict[tuple, Reason] = {}
    for reason in reasons:
        key = (reason.column, reason.text.en)
        if key not in kept or kept[key].code is ReasonCode.RULE:
            kept[key] = (
                reason if key not in kept or reason.code is not ReasonCode.RULE else kept[key]
            )
    out = list(kept.values())
    return out
