"""Panel page, waves tab: the waves with their response rates, a new wave, and the chosen
wave's steps (invitations, reminders, outcomes, close-out, weights)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from panel.attrition_rules import AttritionRules
from panel.outcomes import wave_rates
from panel.waves import Wave, create_wave, list_waves
from surveys.opening import VersionRef, uploaded_of_kind
from surveys.questionnaire.loader import QuestionnaireError
from ui.context import get_store
from ui.glossary import MISSING, label
from ui.i18n import lang, say, t
from ui.panel_ops.closeout import closeout_section, weights_section
from ui.panel_ops.common import done, pct, wave_label, wave_questionnaires, wave_title
from ui.panel_ops.messages import invitations_section, reminders_section
from ui.panel_ops.outcomes import outcomes_section


def waves_tab(actor: str) -> None:
    store = get_store()
    waves = list_waves(store)
    rates = {w.survey_id: wave_rates(store, w.survey_id) for w in waves}
    if waves:
        _waves_table(waves, rates)
    else:
        st.info(t("pn_no_waves"))
    with st.expander(t("pn_new_wave"), expanded=not waves):
        _new_wave_form(actor)
    if not waves:
        return
    by_id = {w.survey_id: w for w in waves}
    ids = list(by_id)
    chosen = st.selectbox(
        t("pn_choose_wave"),
        ids,
        index=len(ids) - 1,
        key="pn_wave",
        format_func=lambda i: wave_label(by_id[i]),
    )
    wave = by_id[chosen]
    st.caption(t("pn_rules") + ": " + " · ".join(wave.rules.describe(lang())))
    invitations_section(wave, actor)
    reminders_section(wave, actor)
    outcomes_section(wave, rates[wave.survey_id], actor)
    closeout_section(wave, actor)
    weights_section(wave, waves, actor)


def _waves_table(waves: list[Wave], rates: dict[int, pd.DataFrame]) -> None:
    def period(w: Wave) -> str:
        return f"{w.field_start or ''} – {w.field_end or ''}" if w.field_start else MISSING

    table = pd.DataFrame(
        {
            t("pn_col_wave"): [w.wave_no for w in waves],
            t("pn_col_code"): [w.code for w in waves],
            t("pn_col_title"): [wave_title(w) for w in waves],
            t("pn_col_status"): [label("survey_status", w.status) for w in waves],
            t("pn_col_field"): [period(w) for w in waves],
            t("pn_col_invited"): [int(rates[w.survey_id]["invited"].iat[0]) for w in waves],
            t("pn_col_complete"): [int(rates[w.survey_id]["I"].iat[0]) for w in waves],
            label("aapor", "RR1"): [pct(rates[w.survey_id]["RR1"].iat[0]) for w in waves],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="pn_waves_table",
    )


def _parse_dates(text: str) -> list[date]:
    """ISO dates separated by commas or spaces; ValueError when one cannot be read."""
    return [date.fromisoformat(p) for p in re.split(r"[,\s]+", text.strip()) if p]


def _wave_sources() -> dict[str, tuple]:
    """The shipped wave questionnaires, then every uploaded version of kind panel_wave:
    name shown → (file path or version, Korean title, English title)."""
    sources: dict[str, tuple] = dict(wave_questionnaires())
    for row in uploaded_of_kind(get_store(), "panel_wave").itertuples():
        name = t("pn_uploaded_version", qid=row.questionnaire_id, no=int(row.version_no))
        ref = VersionRef(row.questionnaire_id, int(row.version_no))
        sources[name] = (ref, row.title_ko, row.title_en or row.title_ko)
    return sources


def _new_wave_form(actor: str) -> None:
    files = _wave_sources()
    if not files:
        st.warning(t("pn_no_questionnaire"))
        return
    st.caption(t("pn_new_help"))
    today = date.today()
    with st.form("pn_new_wave_form"):
        name = st.selectbox(
            t("pn_questionnaire"),
            list(files),
            key="pn_new_q",
            format_func=lambda n: f"{n} · {files[n][1] if lang() == 'ko' else files[n][2]}",
        )
        code = st.text_input(t("pn_code"), placeholder="panel-2026-w4", key="pn_new_code")
        title_ko = st.text_input(t("pn_title_ko"), key="pn_new_title_ko")
        title_en = st.text_input(t("pn_title_en"), key="pn_new_title_en")
        cols = st.columns(2)
        start = cols[0].date_input(t("pn_field_start"), today, key="pn_new_start")
        end = cols[1].date_input(t("pn_field_end"), today + timedelta(days=18), key="pn_new_end")
        reminders = st.text_input(
            t("pn_reminders"), placeholder="2026-11-09, 2026-11-16", key="pn_new_reminders"
        )
        st.markdown("**" + t("pn_rules") + "**")
        missed = st.number_input(t("pn_missed"), 0, 12, 2, 1, key="pn_new_missed")
        refusals = st.checkbox(t("pn_drop_refusals"), True, key="pn_new_drop_refusals")
        moved = st.checkbox(t("pn_drop_moved"), True, key="pn_new_drop_moved")
        if not st.form_submit_button(t("pn_create"), type="primary"):
            return
    if not code.strip() or not title_ko.strip():
        st.error(t("pn_need_code_title"))
        return
    try:
        dates = _parse_dates(reminders)
    except ValueError:
        st.error(t("pn_bad_dates", text=reminders))
        return
    try:
        wave = create_wave(
            get_store(),
            files[name][0],
            code=code.strip(),
            title_ko=title_ko.strip(),
            title_en=title_en.strip() or None,
            field_start=start,
            field_end=end,
            reminders=dates,
            rules=AttritionRules(int(missed), bool(refusals), bool(moved)),
            actor=actor,
        )
    except QuestionnaireError as error:
        st.error("\n".join(str(p) for p in error.problems[:10]))
    except ValueError as error:  # WaveError, or rules out of range
        st.error(say(error))
    else:
        st.session_state["pn_wave"] = wave.survey_id
        done(t("pn_created", no=wave.wave_no, code=wave.code))
