"""Surveys page, questionnaire-version tab: move a survey to another stored version of its
questionnaire — the difference in words first, a note required, refused (listing the answers
that would break) unless every answer already given stays valid
(:mod:`surveys.version_change`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.questionnaire_versions import list_versions, version_holding
from surveys.opening import VersionRef, survey_info
from surveys.questionnaire.loader import QuestionnaireError
from surveys.questionnaire.uploads import compare_versions
from surveys.version_change import VersionChangeRefused, change_survey_version
from ui.context import get_store
from ui.i18n import plain, say, t
from ui.questionnaire_findings import change_table


def version_tab(survey_id: int, actor: str) -> None:
    store = get_store()
    survey = survey_info(store, survey_id)
    held = version_holding(store, survey.questionnaire_hash)
    if held is None:
        st.info(t("sv_version_unknown"))
        return
    questionnaire_id, current = held
    st.write(t("sv_version_now", qid=plain(questionnaire_id), no=current))
    st.caption(t("sv_version_help"))
    others = [int(n) for n in list_versions(store, questionnaire_id)["version_no"] if n != current]
    if not others:
        st.caption(t("sv_version_none"))
        return
    target = st.selectbox(t("sv_version_to"), others, key=f"sv_version_to_{survey_id}")
    try:
        changes = compare_versions(store, questionnaire_id, current, int(target)) or []
    except QuestionnaireError as error:
        st.error(say(error.problems[0].text) if error.problems else str(error))
        return
    if changes:
        st.dataframe(
            change_table(changes),
            hide_index=True,
            width="stretch",
        )
    with st.form(f"sv_version_form_{survey_id}"):
        note = st.text_input(t("sv_version_note"), key=f"sv_version_note_{survey_id}")
        go = st.form_submit_button(t("sv_version_change", no=target), type="primary")
    if not go:
        return
    try:
        change_survey_version(
            store, survey_id, VersionRef(questionnaire_id, int(target)), actor=actor, note=note
        )
    except VersionChangeRefused as refused:
        st.error(say(refused))
        if refused.broken:
            st.dataframe(
                pd.DataFrame(
                    {
                        t("qn_question"): [b.question for b in refused.broken],
                        t("sv_version_parts"): [b.parts for b in refused.broken],
                        t("qn_problem"): [say(b.reason) for b in refused.broken],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        return
    st.success(t("sv_version_changed", no=target))
