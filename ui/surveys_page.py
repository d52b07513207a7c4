"""Survey managers: open a survey, draw its sample, issue access codes with the letters file, field it."""

from __future__ import annotations

import datetime

import pandas as pd
import streamlit as st

from data.config import setting
from surveys.fieldwork.invitations import (
    code_status,
    households_without_code,
    issue_codes,
    letters_csv,
)
from surveys.fieldwork.status import survey_counts
from surveys.opening import (
    SURVEY_STATUSES,
    list_surveys,
    open_survey,
    open_survey_on_version,
    set_status,
    uploaded_questionnaires,
)
from surveys.questionnaire.loader import QuestionnaireError, list_definitions
from ui.audit_trail import audited_download
from ui.context import get_store, require_page
from ui.glossary import labeller, shown, survey_title, with_status
from ui.i18n import say, t
from ui.survey_sample_tab import sample_tab
from ui.survey_version_tab import version_tab
from ui.survey_weights_tab import weights_tab

SURVEY_COLUMNS = [
    "code", "title", "kind", "status", "reference_year", "field_start", "field_end",
    "sampled", "responded", "complete", "questionnaire_id", "questionnaire_version",
]  # fmt: skip
KINDS = ("cross_section", "panel_wave")
LETTERS = "letters_csv"  # session state: the letters file of the codes just issued (shown once)


def render() -> None:
    user = require_page(__name__)
    store = get_store()
    st.header(t("page_surveys"))
    surveys = list_surveys(store)
    counts = survey_counts(store)
    if not surveys.empty:
        table = surveys.assign(
            responded=surveys["code"].map(
                lambda c: counts.get(c, {}).get("households_responded", 0)
            ),
            complete=surveys["code"].map(lambda c: counts.get(c, {}).get("households_complete", 0)),
            title=[survey_title(r.title_ko, r.title_en) for r in surveys.itertuples()],
        )
        st.dataframe(
            shown(
                table,
                SURVEY_COLUMNS,
                codes={"kind": "survey_kind", "status": "survey_status"},
                names={"questionnaire_id": t("sv_questionnaire_id")},
            ),
            hide_index=True,
            width="stretch",
        )
    with st.expander(t("sv_open"), expanded=surveys.empty):
        _open_form(user.username)
    if surveys.empty:
        return
    chosen = st.selectbox(
        t("sv_choose"),
        surveys["survey_id"].tolist(),
        key="sv_choose",
        format_func=lambda i: _label(surveys, i),
    )
    row = surveys.set_index("survey_id").loc[chosen]
    tabs = st.tabs(
        [t("sv_sample"), t("sv_codes"), t("sv_status"), t("sv_version"), t("sv_weights")]
    )
    with tabs[0]:
        sample_tab(chosen, int(row["sampled"]), user.username)
    with tabs[1]:
        _codes_tab(chosen, int(row["sampled"]), user.username)
    with tabs[2]:
        _status_tab(chosen, row, user.username)
    with tabs[3]:
        version_tab(chosen, user.username)
    with tabs[4]:
        weights_tab(chosen, str(row["kind"]), user.username)


def _label(surveys: pd.DataFrame, survey_id: int) -> str:
    row = surveys.set_index("survey_id").loc[survey_id]
    return with_status(
        f"{row['code']} · {survey_title(row['title_ko'], row['title_en'])}", row["status"]
    )


def _sources() -> dict[str, dict]:
    """What a survey can be opened on: the shipped files, then every uploaded version (newest
    first per questionnaire), each under the label the selectbox shows."""
    sources: dict[str, dict] = {
        t("sv_shipped_file", name=path.name): {"path": path}
        for path in sorted(list_definitions(), key=lambda p: p.name)
    }
    for row in uploaded_questionnaires(get_store()).itertuples():
        when = pd.Timestamp(row.uploaded_at).strftime("%Y-%m-%d %H:%M")
        label = t(
            "sv_uploaded_version",
            qid=row.questionnaire_id,
            no=int(row.version_no),
            title=survey_title(row.title_ko, row.title_en),
            who=row.uploaded_by or "—",
            when=when,
        )
        sources[label] = {"questionnaire_id": row.questionnaire_id, "version_no": row.version_no}
    return sources


def _open_form(actor: str) -> None:
    sources = _sources()
    with st.form("open_survey"):
        name = st.selectbox(t("sv_questionnaire"), list(sources), key="sv_source")
        code = st.text_input(t("sv_code"), placeholder="seoul-2027", key="sv_code")
        title_ko = st.text_input(t("sv_title_ko"), key="sv_title_ko")
        title_en = st.text_input(t("sv_title_en"))
        year = st.number_input(t("sv_year"), value=datetime.date.today().year, step=1)
        kind = st.selectbox(t("sv_kind"), KINDS, format_func=labeller("survey_kind"))
        if st.form_submit_button(t("sv_open"), type="primary"):
            source = sources[name]
            common = {
                "code": code.strip(),
                "title_ko": title_ko,
                "title_en": title_en or None,
                "kind": kind,
                "reference_year": int(year),
                "actor": actor,
            }
            try:
                if "path" in source:
                    survey = open_survey(get_store(), source["path"], **common)
                else:
                    survey = open_survey_on_version(
                        get_store(),
                        source["questionnaire_id"],
                        int(source["version_no"]),
                        **common,
                    )
            except QuestionnaireError as error:
                st.error("\n".join(str(p) for p in error.problems[:10]))
            except ValueError as error:
                st.error(say(error))
            else:
                st.success(t("sv_opened", code=survey.code))
                st.rerun()


def _codes_tab(survey_id: int, sampled: int, actor: str) -> None:
    store = get_store()
    st.dataframe(
        shown(code_status(store, survey_id), codes={"kind": "code_kind", "status": "code_status"}),
        hide_index=True,
    )
    if not sampled:
        st.info(t("sv_need_sample"))
        return
    missing = households_without_code(store, survey_id)
    st.caption(t("sv_codes_help", n=len(missing)))
    if missing and st.button(t("sv_issue", n=len(missing)), type="primary"):
        codes = issue_codes(store, survey_id, missing, actor=actor)
        st.session_state[LETTERS] = {
            "survey_id": survey_id,
            "data": letters_csv(
                store, survey_id, codes, base_url=setting("SEOUL_PUBLIC_URL"), actor=actor
            ),
            "rows": len(codes),  # one letter per code issued
        }
    held = st.session_state.get(LETTERS)
    if held is not None and held["survey_id"] == survey_id:
        st.warning(t("sv_download_once"))
        audited_download(  # audited on the press (on_click), then the file is forgotten
            st,
            t("sv_download"),
            held["data"],
            file_name=f"letters-survey-{survey_id}.csv",
            mime="text/csv",
            key="sv_download_letters",
            kind="letters",
            survey_id=survey_id,
            rows=held["rows"],
            then=lambda: st.session_state.pop(LETTERS, None),
        )


def _status_tab(survey_id: int, row: pd.Series, actor: str) -> None:
    with st.form("status"):
        status = st.selectbox(
            t("q_status"),
            SURVEY_STATUSES,
            index=SURVEY_STATUSES.index(row["status"]),
            format_func=labeller("survey_status"),
        )
        start = st.date_input(t("sv_field_start"), value=_date(row["field_start"]))
        end = st.date_input(t("sv_field_end"), value=_date(row["field_end"]))
        if st.form_submit_button(t("save"), type="primary"):
            set_status(
                get_store(),
                survey_id,
                status,
                actor=actor,
                field_start=start.isoformat() if start else None,
                field_end=end.isoformat() if end else None,
            )
            st.rerun()


def _date(value) -> datetime.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()
