"""The shape of a submitted part, checked before anything else looks at it.

Why: a submission is JSON from a browser (or a script); before it is hashed, validated
against the generated schema or stored, it must be what a part's answers can be at all —
otherwise a lone surrogate, bytes, a set, a list where a dict belongs or 5,000 levels of
nesting would crash the submit path, and an unknown question id would be stored as sent.
:func:`payload_problems` returns every problem as a quarantine reason (an empty list: the
shape is fine and the schema decides the rest):

- the answers are a dict whose keys are the part's question names (and, in the household
  part, the roster's name, holding a list of dicts keyed by the roster's question names);
- a value is nothing, a boolean, a finite number, a text of at most ``MAX_TEXT`` characters
  that is valid Unicode, or (multiple choice) a list of such values;
- the whole record is at most ``MAX_RECORD_BYTES`` as canonical JSON, with at most
  ``MAX_MEMBERS`` roster members.
"""

from __future__ import annotations

import json
import math
from typing import Any

from data.text import Text
from data.validation import Reason, ReasonCode, make_reason
from surveys.questionnaire.flow import part_of
from surveys.questionnaire.model import Questionnaire

MAX_TEXT = 10_000
MAX_LIST = 200
MAX_MEMBERS = 100
MAX_RECORD_BYTES = 200_000


def _shape(key: str, ko: str, en: str, value: Any = None) -> Reason:
    return make_reason(ReasonCode.RULE, key, _shown(value), text=Text(ko, en))


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - an object that cannot even be shown
        text = f"<{type(value).__name__}>"
    return text.encode("utf-8", "replace").decode("utf-8")[:60]


def _scalar_problem(key: str, value: Any) -> Reason | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return _shape(key, f"'{key}' 값이 숫자가 아닙니다.", f"'{key}' is not a number.", value)
        return None
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            return _shape(
                key,
                f"'{key}' 값이 너무 깁니다 ({MAX_TEXT:,}자까지).",
                f"'{key}' is too long (at most {MAX_TEXT:,} characters).",
                value[:20],
            )
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _shape(
                key, f"'{key}' 값에 깨진 글자가 있습니다.", f"'{key}' has broken characters.", value
            )
        return None
    return _shape(
        key,
        f"'{key}' 값의 종류({type(value).__name__})는 답이 될 수 없습니다.",
        f"'{key}' holds a {type(value).__name__}, which cannot be an answer.",
        value,
    )


def _value_problems(key: str, value: Any) -> list[Reason]:
    if isinstance(value, list):
        if len(value) > MAX_LIST:
            return [_shape(key, f"'{key}' 목록이 너무 깁니다.", f"'{key}' lists too many values.")]
        found = [_scalar_problem(key, item) for item in value]
        return [r for r in found if r is not None][:1]
    problem = _scalar_problem(key, value)
    return [] if problem is None else [problem]


def _unknown(key: Any) -> Reason:
    name = _shown(key) or ""
    return make_reason(ReasonCode.UNEXPECTED_COLUMN, name)


def payload_problems(questionnaire: Questionnaire, member_no: int, answers: Any) -> list[Reason]:
    """Every shape problem of a part's submitted answers (empty: the shape is fine)."""
    if not isinstance(answers, dict):
        return [
            _shape(
                "answers",
                "응답은 질문 이름과 답의 쌍이어야 합니다.",
                "The answers must map question names to answers.",
                type(answers).__name__,
            )
        ]
    part = part_of(questionnaire, member_no)
    roster_section = part.roster_section() if member_no == 0 else None
    roster = roster_section.id if roster_section is not None else None
    member_keys = {q.name for q in roster_section.questions} if roster_section else set()
    known = {q.name for section in part.sections if not section.roster for q in section.questions}
    problems: list[Reason] = []
    for key, value in answers.items():
        if not isinstance(key, str) or (key not in known and key != roster):
            problems.append(_unknown(key))
        elif key == roster:
            problems += _roster_problems(roster, value, member_keys)
        else:
            problems += _value_problems(key, value)
    if problems:
        return problems
    try:
        size = len(json.dumps(answers, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    except (TypeError, ValueError, RecursionError):
        size = MAX_RECORD_BYTES + 1
    if size > MAX_RECORD_BYTES:
        problems.append(
            _shape(
                "answers",
                f"응답이 너무 큽니다 ({MAX_RECORD_BYTES:,}바이트까지).",
                f"The answers are too large (at most {MAX_RECORD_BYTES:,} bytes).",
            )
        )
    return problems


def _roster_problems(roster: str, members: Any, keys: set[str]) -> list[Reason]:
    if not isinstance(members, list) or len(members) > MAX_MEMBERS:
        return [
            _shape(
                roster,
                f"가구원 명단 '{roster}' 은(는) 가구원마다 하나씩, {MAX_MEMBERS}명까지입니다.",
                f"The roster '{roster}' lists one entry per member, at most {MAX_MEMBERS}.",
                type(members).__name__,
            )
        ]
    problems: list[Reason] = []
    for member in members:
        if not isinstance(member, dict):
            problems.append(
                _shape(
                    roster,
                    f"가구원 명단 '{roster}' 의 항목은 질문과 답의 쌍이어야 합니다.",
                    f"Each entry of the roster '{roster}' must map questions to answers.",
                    member,
                )
            )
            continue
        for key, value in member.items():
            if not isinstance(key, str) or key not in keys:
                problems.append(_unknown(key))
            else:
                problems += _value_problems(key, value)
    return problems


def safe_record(submission_id: Any, answers: Any) -> dict[str, str]:
    """The raw submission as the quarantine can keep it, whatever it holds (cut and marked
    past ``MAX_RECORD_BYTES``)."""
    try:
        text = json.dumps(answers, ensure_ascii=True, sort_keys=True, default=repr)
    except (TypeError, ValueError, RecursionError):
        text = _shown(answers) or ""
    if len(text) > MAX_RECORD_BYTES:
        text = text[:MAX_RECORD_BYTES] + "…[truncated]"
    return {"submission_id": str(submission_id)[:200], "answers": text}
