"""Rendering one screen of a questionnaire: widgets per question type, messages beside them.

Used by the respondent pages and by interviewer mode. Widgets are keyed by the
submission and the question, so a resumed session and a new one never mix.
Large tap targets and readable labels for phones come from ``RESPONDENT_CSS``.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable
from typing import Any

import streamlit as st

from data.text import Text
from surveys.questionnaire.defaults import with_defaults
from surveys.questionnaire.flow import choices_for, shown_questions
from surveys.questionnaire.label_markup import label_html, label_markdown, label_plain
from surveys.questionnaire.model import ACKNOWLEDGED, Label, Question, Questionnaire, Section
from ui.screen_focus import ERROR_SUMMARY_CSS, anchor

RESPONDENT_CSS = (
    """
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
.grid-stem { font-size: 1.1rem; font-weight: 600; margin: 0.8rem 0 0.2rem 0; }
/* 0-10 scales: the eleven points on one row at 390 px, each point a column of circle over
   number, at least 24 px wide (WCAG 2.5.8 target size) */
div[class*="st-key-scale-"] div[role="radiogroup"] {
  display: flex; flex-wrap: nowrap; gap: 0; width: 100%; }
div[class*="st-key-scale-"] div[role="radiogroup"] > div {
  flex: 1 1 0; min-width: 24px; display: flex; justify-content: center; }
div[class*="st-key-scale-"] label[data-testid="stRadioOption"] {
  margin: 0; padding: 4px 0; width: 100%; justify-content: center; min-height: 48px; }
div[class*="st-key-scale-"] label[data-testid="stRadioOption"] > div {
  flex-direction: column; align-items: center; gap: 4px; }
div[class*="st-key-scale-"] label[data-testid="stRadioOption"] > div > div {
  margin: 0; padding: 0; }
div[class*="st-key-scale-"] label[data-testid="stRadioOption"] p { margin: 0; font-size: 1rem; }
/* the screen's title: no anchor-link icon; a visible but quiet focus ring */
div[data-testid="stHeadingWithActionElements"] [data-testid="stHeaderActionElements"] {
  display: none; }
h3:focus { outline: 2px solid #0b5cad; outline-offset: 4px; border-radius: 4px; }
"""
    + ERROR_SUMMARY_CSS
    + """
</style>
"""
)


def widget_key(prefix: str, name: str) -> str:
    return f"{prefix}:{name}"


def question_key(anchor_prefix: str, name: str) -> str:
    """The key of the container around one question (``st-key-…`` in the page): the error
    summary's links lead there. ``anchor_prefix``: "" or the roster member ("m0", "m1"…)."""
    return anchor("q", anchor_prefix, name)


def _label(q: Question, lang: str) -> str:
    """Draw the question's label above its widget and return the widget's accessible name.

    The label is drawn from sanitised HTML (bold, italics, line breaks kept; no markdown
    read), and the widget itself gets the same words as plain text with its own label
    collapsed: Streamlit puts a widget's label verbatim into ``aria-label``, so a markdown
    escape there (``0\\~10``) would be read out to screen-reader users.
    """
    shown = label_html(q.label.pick(lang))
    words = label_plain(q.label.pick(lang))
    if q.unit and q.type in ("integer", "decimal", "scale"):
        shown = f"{shown} ({label_html(q.unit.pick(lang))})"
        words = f"{words} ({label_plain(q.unit.pick(lang))})"
    st.markdown(
        f'<div class="question-label"{_language_attributes(q.label, lang)}>{shown}</div>',
        unsafe_allow_html=True,
    )
    return words


def _language_attributes(label: Text, lang: str) -> str:
    """``lang`` (the language the words are really in, so a screen reader reads them with
    that language's voice) and ``dir="auto"`` (Arabic, Urdu, Persian run right to left)."""
    if isinstance(label, Label):
        shown = lang if label.has(lang) else label.languages[0] if label.languages else lang
    else:
        shown = "ko" if lang == "ko" or not label.en else "en"
    return f' lang="{html.escape(shown)}" dir="auto"'


def _choice_widget(
    questionnaire: Questionnaire,
    q: Question,
    key: str,
    value: Any,
    values: dict[str, Any],
    lang: str,
) -> Any:
    choices = choices_for(questionnaire, q, values)
    labels = {c.code: label_markdown(c.label.pick(lang)) for c in choices}
    label = _label(q, lang)
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
            label_visibility="collapsed",
        )
    chosen = set(value or [])
    picked = [
        c.code
        for c in choices
        if st.checkbox(labels[c.code], value=c.code in chosen, key=f"{key}:{c.code}")
    ]
    return sorted(picked)


def _number_widget(q: Question, key: str, value: Any, lang: str) -> Any:
    label = _label(q, lang)
    if q.type == "scale":
        low, high = int(q.min if q.min is not None else 0), int(q.max if q.max is not None else 10)
        options = list(range(low, high + 1))
        index = options.index(value) if value in options else None
        with st.container(key=anchor("scale", key)):
            return st.radio(
                label,
                options,
                index=index,
                key=key,
                horizontal=True,
                label_visibility="collapsed",
            )
    if q.type == "integer":
        number = st.number_input(
            label,
            value=None if value is None else int(value),
            step=1,
            key=key,
            placeholder="숫자 입력" if lang == "ko" else "number",
            label_visibility="collapsed",
        )
        return None if number is None else int(number)
    number = st.number_input(
        label,
        value=None if value is None else float(value),
        step=0.1,
        format="%.1f",
        key=key,
        label_visibility="collapsed",
    )
    return None if number is None else float(number)


def _read_only_widget(
    questionnaire: Questionnaire, q: Question, key: str, value: Any, lang: str
) -> Any:
    """A read-only question (XLSForm ``read_only``, or a computed value): its value shown in
    a disabled field (a choice by its label), returned as it is; the respondent cannot
    change it."""
    label = _label(q, lang)
    st.session_state[key] = _value_text(questionnaire, q, value, lang)  # now, every rerun
    st.text_input(label, key=key, disabled=True, label_visibility="collapsed")
    return value


def _value_text(questionnaire: Questionnaire, q: Question, value: Any, lang: str) -> str:
    if value is None:
        return ""
    options = questionnaire.choice_lists.get(q.choices or "")
    if options is None or q.type not in ("single", "multiple"):
        return str(value)
    codes = value if isinstance(value, list) else [value]
    try:
        return ", ".join(options.label(int(code), lang) for code in codes)
    except (TypeError, ValueError):
        return str(value)


def question_widget(
    questionnaire: Questionnaire,
    q: Question,
    key: str,
    value: Any,
    values: dict[str, Any],
    lang: str,
    *,
    show_help: bool = True,
) -> Any:
    """Show one question and return its current answer (None when unanswered)."""
    if q.type == "note":
        st.info(label_markdown(q.label.pick(lang)))
        return None
    if q.read_only or q.calculate is not None:
        answer = _read_only_widget(
            questionnaire, q, key, values.get(q.name) if q.calculate else value, lang
        )
    elif q.type == "acknowledge":
        ticked = st.checkbox(label_plain(q.label.pick(lang)), value=value == ACKNOWLEDGED, key=key)
        answer = ACKNOWLEDGED if ticked else None
    elif q.type in ("single", "multiple"):
        answer = _choice_widget(questionnaire, q, key, value, values, lang)
    elif q.type in ("integer", "decimal", "scale"):
        answer = _number_widget(q, key, value, lang)
    elif q.type == "date":
        default = datetime.date.fromisoformat(value) if value else None
        picked = st.date_input(
            _label(q, lang),
            value=default,
            key=key,
            format="YYYY-MM-DD",
            label_visibility="collapsed",
        )
        answer = picked.isoformat() if isinstance(picked, datetime.date) else None
    else:
        text = st.text_input(
            _label(q, lang),
            value=value or "",
            key=key,
            max_chars=q.max_length or 500,
            label_visibility="collapsed",
        )
        answer = text.strip() or None
    if q.help and show_help:
        st.caption(label_markdown(q.help.pick(lang)))
    return answer


def render_questions(
    questionnaire: Questionnaire,
    section: Section,
    prefix: str,
    answers: dict[str, Any],
    values_for: Callable[[dict[str, Any]], dict[str, Any]],
    lang: str,
    problems: dict[str, list],
    *,
    anchor_prefix: str = "",
) -> dict[str, Any]:
    """Render a section's asked questions, re-reading skip logic as answers change.

    ``values_for(current)`` gives what the rules may read for the answers on
    this screen so far (earlier screens, the member's roster entry, and the
    calculations redone). Returns the answers shown on this screen.

    Questions sharing a ``grid`` are one matrix: the help text of its first item is the
    grid's question stem ("How satisfied are you with each of the following?") and is
    shown once, above the grid, not under the first item.
    """
    current = with_defaults(questionnaire, section, answers)  # XLSForm defaults, first visit
    shown: dict[str, Any] = {}
    grid = None
    for q in section.questions:
        if q.type == "calculate":
            continue
        values = values_for(current)
        if q not in shown_questions(section, values):
            current.pop(q.name, None)
            continue
        stem = q.grid is not None and q.grid != grid and q.help is not None
        grid = q.grid
        with st.container(key=question_key(anchor_prefix, q.name)):
            if stem:
                st.markdown(
                    f'<div class="grid-stem">{label_html(q.help.pick(lang))}</div>',
                    unsafe_allow_html=True,
                )
            key = widget_key(prefix, q.name)
            answer = question_widget(
                questionnaire, q, key, current.get(q.name), values, lang, show_help=not stem
            )
            for reason in problems.get(q.name, []):
                st.error(label_markdown(reason.text.pick(lang)))
        if q.answered:
            current[q.name] = answer
            shown[q.name] = answer
    return shown
