"""What the panel page's sections share: the flash message carried over a rerun, labels of
waves, statuses, outcomes and districts, the shipped wave questionnaires, the outbox folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from data.reference import stored_table
from panel.waves import Wave
from surveys.questionnaire.loader import QuestionnaireError, list_definitions, load_questionnaire
from ui.context import get_store
from ui.glossary import MISSING, label, labeller, survey_title, with_status
from ui.i18n import lang, t


def flash() -> None:
    """A success message left by an action that reran the page."""
    message = st.session_state.pop("pn_flash", None)
    if message:
        st.success(message)


def done(message: str) -> None:
    st.session_state["pn_flash"] = message
    st.rerun()


def pct(value: Any) -> str:
    return MISSING if value is None or pd.isna(value) else f"{float(value):.1%}"


status_label = labeller("panel_status")
outcome_label = labeller("outcome")


def wave_title(wave: Wave) -> str:
    return survey_title(wave.title_ko, wave.title_en)


def wave_label(wave: Wave) -> str:
    """The wave's number, code, title and its one status label (ui.glossary)."""
    return with_status(
        f"{t('pn_wave_no', no=wave.wave_no)} · {wave.code} · {wave_title(wave)}", wave.status
    )


def match_flag(flag: Any) -> str:
    return " + ".join(label("match_flag", step) for step in str(flag).split(" + "))


def outbox_folder() -> Path:
    """The messaging outbox: a folder next to the database file."""
    return Path(get_store().path).resolve().parent / "outbox"


@st.cache_data(show_spinner=False)
def wave_questionnaires() -> dict[str, tuple[str, str, str]]:
    """Shipped questionnaires of kind panel_wave: file name → (path, Korean, English title)."""
    found = {}
    for path in list_definitions():
        try:
            questionnaire = load_questionnaire(path)
        except (QuestionnaireError, ValueError, OSError):
            continue
        if questionnaire.kind == "panel_wave":
            title = questionnaire.title
            found[path.name] = (str(path), title.pick("ko"), title.pick("en"))
    return dict(sorted(found.items()))


@st.cache_data(show_spinner=False)
def district_names() -> dict[str, tuple[str, str]]:
    """District code → (Korean, English name) from the reference tables."""
    table = stored_table(get_store(), "districts")
    return {str(r.code): (r.name_ko, r.name_en) for r in table.itertuples(index=False)}


def district_label(code: str) -> str:
    names = district_names().get(str(code))
    if not names:
        return str(code)
    return names[0] if lang() == "ko" else names[1]
