"""One question of a definition dict → ``surveys.questionnaire.model.Question``, with its shape checks.

Split from ``surveys.questionnaire.loader_build`` to keep each module small: this is where
the per-question rules of ``surveys/definitions/README.md`` live (which keys
each type takes, scale defaults, bounds, text length, ``required`` as a flag
or an expression).
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from data.text import Text
from surveys.questionnaire.loader_problems import Path
from surveys.questionnaire.model import (
    CHOICE_TYPES,
    NUMBER_TYPES,
    QUESTION_TYPES,
    Question,
    Rule,
)

if TYPE_CHECKING:
    from surveys.questionnaire.loader_build import Builder

QUESTION_KEYS = (
    "name",
    "type",
    "label",
    "help",
    "choices",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "calculate",
    "choice_filter",
    "min",
    "max",
    "max_length",
    "unit",
    "appearance",
    "grid",
    "read_only",
)
UNANSWERED = ("note", "calculate")
# Keys that only mean something for some question types.
ONLY_FOR: dict[str, tuple[str, ...]] = {
    "choices": CHOICE_TYPES,
    "choice_filter": CHOICE_TYPES,
    "min": NUMBER_TYPES,
    "max": NUMBER_TYPES,
    "unit": NUMBER_TYPES,
    "max_length": ("text",),
    # a calculation's constraint is kept (XLSForm allows it) but, as in ODK Collect, which
    # never shows a calculation, never checked
    "constraint": tuple(t for t in QUESTION_TYPES if t != "note"),
    "constraint_message": tuple(t for t in QUESTION_TYPES if t not in UNANSWERED),
    "grid": tuple(t for t in QUESTION_TYPES if t not in UNANSWERED),
}
RULE_KEYS = ("relevant", "constraint", "calculate", "choice_filter")
DEFAULT_MAX_LENGTH = 500
SCALE_DEFAULT = (0, 10)


def build_question(b: Builder, value: Any, path: Path, scope: str) -> Question | None:
    """The question at ``path``, or None when it is not even a mapping."""
    raw_name = value.get("name") if isinstance(value, dict) else None
    concerns = raw_name if isinstance(raw_name, str) else None
    data = b.mapping(value, path, concerns, "question")
    if data is None:
        return None
    b.keys(data, QUESTION_KEYS, ("name", "type"), path, concerns, "question")
    name = b.name(raw_name, (*path, "name"), concerns, "question name") if "name" in data else None
    if name is not None:
        b.unique_name(name, (*path, "name"), name, scope)
    qtype = _type(b, data.get("type"), path, concerns) if "type" in data else None
    if qtype is not None:
        _keys_for_type(b, data, qtype, path, concerns)
    texts = {
        key: b.text(
            data.get(key),
            (*path, key),
            concerns,
            key,
            required=key == "label" and qtype != "calculate",
        )
        for key in ("label", "help", "constraint_message", "unit")
    }
    rules = {
        key: b.rule(
            data.get(key), (*path, key), key=key, scope=scope, concerns=concerns, question=name
        )
        for key in RULE_KEYS
    }
    if qtype == "calculate" and data.get("calculate") is None:
        b.add(
            path,
            concerns,
            "calculate 질문에는 calculate 식이 필요합니다.",
            "a calculate question needs a calculate rule.",
        )
    required, required_if = _required(b, data.get("required"), path, concerns, scope, name, qtype)
    low, high = _bounds(b, data, qtype, path, concerns)
    return Question(
        name=name or "",
        type=qtype or "text",
        label=texts["label"] or Text("", ""),
        help=texts["help"],
        choices=_choices(b, data.get("choices"), qtype, path, concerns),
        required=required,
        required_if=required_if,
        relevant=rules["relevant"],
        constraint=rules["constraint"],
        constraint_message=texts["constraint_message"],
        calculate=rules["calculate"],
        choice_filter=rules["choice_filter"],
        min=low,
        max=high,
        max_length=_max_length(b, data.get("max_length"), qtype, path, concerns),
        unit=texts["unit"],
        appearance=_plain_text(b, data.get("appearance"), (*path, "appearance"), concerns),
        grid=_grid(b, data.get("grid"), path, concerns),
        read_only=b.boolean(data.get("read_only"), (*path, "read_only"), concerns, "read_only"),
    )


def _type(b: Builder, value: Any, path: Path, concerns: str | None) -> str | None:
    if value in QUESTION_TYPES:
        return value
    close = difflib.get_close_matches(str(value), QUESTION_TYPES, n=1)
    hint_ko = f" '{close[0]}' 을(를) 뜻했나요?" if close else ""
    hint_en = f" Did you mean '{close[0]}'?" if close else ""
    b.add(
        (*path, "type"),
        concerns,
        f"알 수 없는 질문 유형 '{value}' 입니다.{hint_ko} 쓸 수 있는 유형: {', '.join(QUESTION_TYPES)}",
        f"unknown question type '{value}'.{hint_en} Known types: {', '.join(QUESTION_TYPES)}",
    )
    return None


def _keys_for_type(b: Builder, data: dict, qtype: str, path: Path, concerns: str | None) -> None:
    for key, types in ONLY_FOR.items():
        if data.get(key) is not None and qtype not in types:
            b.add(
                (*path, key),
                concerns,
                f"'{key}' 은(는) {qtype} 질문에 쓸 수 없습니다 ({', '.join(types)} 에만 씁니다).",
                f"'{key}' does not apply to a {qtype} question (only to {', '.join(types)}).",
            )
    if qtype in CHOICE_TYPES and data.get("choices") is None:
        b.add(
            path,
            concerns,
            f"{qtype} 질문에는 choices (선택지 목록 이름)가 필요합니다.",
            f"a {qtype} question needs choices (the name of a choice list).",
        )


def _choices(b: Builder, value: Any, qtype: str | None, path: Path, concerns: str | None):
    if value is None or qtype not in CHOICE_TYPES:
        return None
    if not isinstance(value, str):
        b.add(
            (*path, "choices"),
            concerns,
            f"choices 는 선택지 목록의 이름이어야 합니다 (지금은 {value!r}).",
            f"choices must be the name of a choice list (found {value!r}).",
        )
        return None
    return value


def _required(
    b: Builder,
    value: Any,
    path: Path,
    concerns: str | None,
    scope: str,
    name: str | None,
    qtype: str | None,
) -> tuple[bool, Rule | None]:
    if value is None or value is False:
        return False, None
    if qtype in UNANSWERED:
        b.add(
            (*path, "required"),
            concerns,
            f"{qtype} 질문은 응답을 받지 않으므로 required 를 쓸 수 없습니다.",
            f"a {qtype} question takes no answer, so it cannot be required.",
        )
        return False, None
    if value is True:
        return True, None
    if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false"):
        b.add(
            (*path, "required"),
            concerns,
            f"required 는 따옴표 없이 true 또는 false 로 씁니다 (지금은 '{value}').",
            f"write required as true or false without quotes (found '{value}').",
        )
        return False, None
    rule = b.rule(
        value, (*path, "required"), key="required", scope=scope, concerns=concerns, question=name
    )
    return False, rule


def _integer_value(value: float | None) -> bool:
    return value is None or float(value).is_integer()


def _bounds(
    b: Builder, data: dict, qtype: str | None, path: Path, concerns: str | None
) -> tuple[float | None, float | None]:
    if qtype not in NUMBER_TYPES:
        return None, None
    low = b.number(data.get("min"), (*path, "min"), concerns, "min")
    high = b.number(data.get("max"), (*path, "max"), concerns, "max")
    if qtype == "scale":
        low = SCALE_DEFAULT[0] if low is None else low
        high = SCALE_DEFAULT[1] if high is None else high
    if qtype in ("integer", "scale"):
        for key, value in (("min", low), ("max", high)):
            if not _integer_value(value):
                b.add(
                    (*path, key),
                    concerns,
                    f"{qtype} 질문의 {key} 는 정수여야 합니다 (지금은 {value}).",
                    f"{key} of an {qtype} question must be a whole number (found {value}).",
                )
        low = int(low) if low is not None and _integer_value(low) else low
        high = int(high) if high is not None and _integer_value(high) else high
    if low is not None and high is not None and low > high:
        b.add(
            (*path, "min"),
            concerns,
            f"min ({low}) 이(가) max ({high}) 보다 큽니다.",
            f"min ({low}) is greater than max ({high}).",
        )
    return low, high


def _max_length(
    b: Builder, value: Any, qtype: str | None, path: Path, concerns: str | None
) -> int | None:
    if qtype != "text":
        return None
    if value is None:
        return DEFAULT_MAX_LENGTH
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    b.add(
        (*path, "max_length"),
        concerns,
        f"max_length 는 1 이상의 정수여야 합니다 (지금은 {value!r}).",
        f"max_length must be a whole number of at least 1 (found {value!r}).",
    )
    return DEFAULT_MAX_LENGTH


def _plain_text(b: Builder, value: Any, path: Path, concerns: str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    b.add(
        path,
        concerns,
        f"{path[-1]} 은(는) 글자여야 합니다 (지금은 {value!r}).",
        f"{path[-1]} must be text (found {value!r}).",
    )
    return None


def _grid(b: Builder, value: Any, path: Path, concerns: str | None) -> str | None:
    if value is None:
        return None
    return b.name(value, (*path, "grid"), concerns, "grid")
