"""XLSForm ``default`` values: the answers a screen starts with, as ODK Collect and Enketo
pre-fill them when a form (or a new repeat instance) is started.

The workbook's text (kept in ``metadata["defaults"]`` by the reader) becomes an answer of the
question's type: a whole or decimal number, a choice's code from its name (``select_multiple``:
names separated by spaces), a date (``2010-06-15``; a date cell Excel stored as a date-time
keeps its date), a time (``09:30:00``), or text. A default that is not a value of its type
(a choice name the list does not have, a word for a number) pre-fills nothing; the respondent
answers as if there were none. Only a screen that was never answered starts from its
defaults: an answer given, or cleared, is never overwritten.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from surveys.questionnaire.captured_values import is_datetime, is_time
from surveys.questionnaire.model import Question, Questionnaire, Section

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def with_defaults(
    questionnaire: Questionnaire, section: Section, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """``answers`` with the section's defaults added when none of its questions has been
    answered yet (its screen was never saved); otherwise ``answers`` as they are."""
    asked = [q for q in section.questions if q.answered]
    if any(q.name in answers for q in asked):
        return dict(answers)
    return {**default_answers(questionnaire, asked), **answers}


def default_answers(questionnaire: Questionnaire, questions: list[Question]) -> dict[str, Any]:
    """Each question's default as an answer of its type (questions without one left out)."""
    texts: Mapping[str, Any] = questionnaire.metadata.get("defaults") or {}
    names: Mapping[str, Mapping[Any, str]] = questionnaire.metadata.get("choice_names") or {}
    out: dict[str, Any] = {}
    for q in questions:
        text = texts.get(q.name)
        if text is None or not str(text).strip():
            continue
        codes = {str(name): int(code) for code, name in names.get(q.choices or "", {}).items()}
        value = typed_default(q, str(text).strip(), codes)
        if value is not None:
            out[q.name] = value
    return out


def typed_default(q: Question, text: str, codes: Mapping[str, int]) -> Any:
    """The answer ``text`` stands for as a default of ``q`` (None if it stands for none).

    ``codes``: the question's choice names → codes (a YAML questionnaire's choices have no
    names: its defaults give the codes themselves)."""
    if q.type == "integer":
        return int(float(text)) if _NUMBER.match(text) and float(text).is_integer() else None
    if q.type in ("decimal", "scale"):
        return float(text) if _NUMBER.match(text) else None
    if q.type == "single":
        return _code(text, codes)
    if q.type == "multiple":
        picked = [_code(token, codes) for token in text.split()]
        return picked if picked and None not in picked else None
    if q.type == "date":
        try:
            return datetime.date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            return None
    if q.type == "time":
        return text if is_time(text) else None
    if q.type == "datetime":
        return text if is_datetime(text) else None
    if q.type == "text":
        return text
    return None


def _code(text: str, codes: Mapping[str, int]) -> int | None:
    if text in codes:
        return codes[text]
    if not codes and text.isdigit():
        return int(text)
    return None
