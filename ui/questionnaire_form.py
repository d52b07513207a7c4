"""Rendering one screen of a questionnaire: widgets per question type, messages beside them.

Used by the respondent pages and by interviewer mode. Widgets are keyed by the
submission and the question, so a resumed session and a new one never mix.
Large tap targets and readable labels for phones come from ``RESPONDENT_CSS``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import streamlit as st

from surveys.flow import choices_for, shown_questions
from surveys.model import Question, Questionnaire, Section

RESPONDENT_CSS = """
<style>
/* large tap targets and readable text on phones (390 px and up) */
div[data-testid="stRadio"] label, div[data-testid="stCheckbox"] label {
  min-height: 44px; align-items: center; font-size: 1.05rem; }
div[data-testid="stRadio"] div[role="radiogroup"] > label { padding: 6px 8px; }
div[data-testid="stButton"] button { min-height: 48px; font-size: 1.05rem; }
div[data-testid="stNumberInput"] input, div[data-testid="stTextInput"] input {
  min-height: 44px; font-size: 1.1rem; }
div[data-testid="stWidgetLabel"] p { font-size: 1.1rem; font-weight: 600; }
.question-label { font-size: 1.1rem; font-weight: 600; margin: 0.6rem 0 0.2rem 0; }
</style>
"""


def widget_key(prefix: str, name: str) -> str:
    return f"{prefix}:{name}"


def _choice_widget(
    questionnaire: Questionnaire,
    q: Question,
    key: str,
    value: Any,
    values: dict[str, Any],
    lang: str,
) -> Any:
    choices = choices_for(questionnaire, q, values)
    labels = {c.code: c.label.get(lang) for c in choices}
    label = q.label.get(lang)
    if q.type == "single":
        options = list(labels)
        index = options.index(value) if value in options else None
        return st.radio(
            label,
            options,
            index=index,
            format_func=labels.get,
            key=key,
            horizontal=q.appearance == "horizontal",
        )
    st.markdown(f'<div class="question-label">{label}</div>', unsafe_allow_html=True)
    chosen = set(value or [])
    picked = [
        c.code
        for c in choices
        if st.checkbox(labels[c.code], value=c.code in chosen, key=f"{key}:{c.code}")
    ]
    return sorted(picked)


def _number_widget(q: Question, key: str, value: Any, lang: str) -> Any:
    label = q.label.get(lang)
    if q.unit:
        label = f"{label} ({q.unit.get(lang)})"
    if q.type == "scale":
        low, high = int(q.min if q.min is not None else 0), int(q.max if q.max is not None else 10)
        options = list(range(low, high + 1))
        index = options.index(value) if value in options else None
        return st.radio(label, options, index=index, key=key, horizontal=True)
    if q.type == "integer":
        number = st.number_input(
            label,
            value=None if value is None else int(value),
            step=1,
            key=key,
            placeholder="숫자 입력" if lang == "ko" else "number",
        )
        return None if number is None else int(number)
    number = st.number_input(
        label, value=None if value is None else float(value), step=0.1, format="%.1f", key=key
    )
    return None if number is None else float(number)


def question_widget(
    questionnaire: Questionnaire,
    q: Question,
    key: str,
    value: Any,
    values: dict[str, Any],
    lang: str,
) -> Any:
    """Show one question and return its current answer (None when unanswered)."""
    if q.type == "note":
        st.info(q.label.get(lang))
        return None
    if q.type in ("single", "multiple"):
        answer = _choice_widget(questionnaire, q, key, value, values, lang)
    elif q.type in ("integer", "decimal", "scale"):
        answer = _number_widget(q, key, value, lang)
    elif q.type == "date":
        default = datetime.date.fromisoformat(value) if value else None
        picked = st.date_input(q.label.get(lang), value=default, key=key, format="YYYY-MM-DD")
        answer = picked.isoformat() if isinstance(picked, datetime.date) else None
    else:
        text = st.text_input(
            q.label.get(lang), value=value or "", key=key, max_chars=q.max_length or 500
        )
        answer = text.strip() or None
    if q.help:
        st.caption(q.help.get(lang))
    return answer


def render_questions(
    questionnaire: Questionnaire,
    section: Section,
    prefix: str,
    answers: dict[str, Any],
    values_for: Callable[[dict[str, Any]], dict[str, Any]],
    lang: str,
    problems: dict[str, list],
) -> dict[str, Any]:
    """Render a section's asked questions, re-reading skip logic as answers change.

    ``values_for(current)`` gives what the rules may read for the answers on
    this screen so far (earlier screens, the member's roster entry, and the
    calculations redone). Returns the answers shown on this screen.
    """
    current = dict(answers)
    shown: dict[str, Any] = {}
    for q in section.questions:
        if q.type == "calculate":
            continue
        values = values_for(current)
        if q not in shown_questions(section, values):
            current.pop(q.name, None)
            continue
        key = widget_key(prefix, q.name)
        answer = question_widget(questionnaire, q, key, current.get(q.name), values, lang)
        for reason in problems.get(q.name, []):
            st.error(reason.message(lang))
        if q.answered:
            current[q.name] = answer
            shown[q.name] = answer
    return shown
