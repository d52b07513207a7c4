"""Where a respondent is: the state of one answering tab, kept in the Streamlit session.

Shared by the respondent page (``ui/respond.py``), its screens (``ui/respond_screen.py``) and
test mode (``ui/questionnaire_preview.py``): the part being answered, its answers and screen,
the problems found, and — in test mode — the questionnaire version walked, which is never a
survey's and whose answers are never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from surveys.fieldwork.person_context import member_context, member_contexts
from surveys.opening import questionnaire_of
from surveys.questionnaire.flow import ScreenProblems
from surveys.questionnaire.model import Questionnaire
from ui.context import get_store

STATE = "respond"
PREVIEW_LANG = "preview_lang"  # test mode's language (the staff page keeps its own "lang")


@dataclass
class Respondent:
    """Where one respondent (or interviewer) is, kept in the Streamlit session."""

    survey_id: int
    household_id: int
    code_member: int  # 0 when the code is the household's, n for member n's own code
    mode: str = "web"
    interviewer: str | None = None
    member_no: int | None = None  # the part being answered now (None: the household hub)
    submission_id: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    screen: int = 0
    problems: ScreenProblems | None = None
    general: list[str] = field(default_factory=list)
    thanked: bool = False
    member_codes: dict[int, str] = field(default_factory=dict)
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)  # this screen, unsaved
    preview: Questionnaire | None = None  # test mode: the version walked; nothing is stored
    preview_household: dict[str, Any] | None = None  # test mode: the household part, checked
    preview_done: set[int] = field(default_factory=set)  # test mode: members answered
    turn: int = 0  # counts moves (next, back, refused): each one places the focus anew
    stored_elsewhere: bool = False  # the part was submitted on another device meanwhile


def current_lang() -> str:
    """The respondent's language: test mode's own choice, else the page's (Korean first)."""
    state = st.session_state.get(STATE)
    if state is not None and state.preview is not None:
        return st.session_state.get(PREVIEW_LANG, "ko")
    return st.session_state.get("lang", "ko")


def questionnaire_in(state: Respondent) -> Questionnaire:
    """The version answered: the survey's own, or the one walked in test mode."""
    if state.preview is not None:
        return state.preview
    return questionnaire_of(get_store(), state.survey_id)


def previewing() -> str | None:
    """The SHA-256 of the version walked in test mode now, or None."""
    state = st.session_state.get(STATE)
    if state is None or state.preview is None:
        return None
    return state.preview.source_hash


def device_class() -> str:
    """phone, tablet, desktop or unknown, from the browser's User-Agent (paradata)."""
    agent = (st.context.headers.get("User-Agent") or "").lower()
    if "ipad" in agent or "tablet" in agent:
        return "tablet"
    if "mobile" in agent or "android" in agent or "iphone" in agent:
        return "phone"
    return "desktop" if agent else "unknown"


def context_of(state: Respondent) -> dict[str, Any]:
    """What a member's own part may read (the household's answers and that member's roster
    row); empty for the household part."""
    if not state.member_no:
        return {}
    if state.preview is not None:
        return member_contexts(state.preview, state.preview_household or {})[state.member_no]
    store = get_store()
    return member_context(
        store,
        questionnaire_of(store, state.survey_id),
        state.survey_id,
        state.household_id,
        state.member_no,
    )
