"""Explorer tab 1 for a survey the indicator catalogue does not cover (a department's own
form): each question's weighted results — the % of each choice or the mean, with SE, 95 % CI,
CV, n and the publication flag — Seoul-wide and by district, as the report's question sheet
gives them (:func:`analysis.explore.question_estimates`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.explore import question_estimates
from data.store import Store
from ui.context import get_store
from ui.explore.common import PROBLEMS, estimate_columns, estimation_version
from ui.glossary import label, reference_labels
from ui.i18n import lang, say, t


@st.cache_data(show_spinner=False, max_entries=16)
def _cached(survey_id: int, version: tuple) -> pd.DataFrame:
    return question_estimates(get_store(), survey_id)


def question_view(store: Store, survey_id: int) -> None:
    """A question and a domain chosen; its results in a table."""
    st.info(t("ex_questions_intro"))
    try:
        results = _cached(survey_id, estimation_version(store, survey_id))
    except PROBLEMS as error:
        st.warning(say(error))
        return
    if results.empty:
        st.info(t("ex_questions_none"))
        return
    text = "label_ko" if lang() == "ko" else "label_en"
    questions = results.drop_duplicates("question").set_index("question")[text].to_dict()
    question = st.selectbox(
        t("ex_question"), list(questions), format_func=questions.get, key="ex_question"
    )
    rows = results[results["question"] == question]
    domains = [d for d in ("seoul", "district_code") if d in set(rows["domain"])]
    domain = st.radio(
        t("ex_domain"),
        domains,
        format_func=lambda d: label("domain", d),
        horizontal=True,
        key="ex_question_domain",
    )
    rows = rows[rows["domain"] == domain]
    names = reference_labels(store, "districts")
    choice = "choice_ko" if lang() == "ko" else "choice_en"
    view = pd.DataFrame(
        {
            t("ex_col_group"): [
                t("ex_seoul") if domain == "seoul" else names.get(str(v), str(v))
                for v in rows["domain_value"]
            ],
            t("ex_col_choice"): rows[choice]
            .fillna("")
            .astype(object)
            .where(rows["statistic"] == "percent", t("ex_mean")),
            **estimate_columns(rows),
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")
    flags = {f: label("estimate_flag", f) for f in ("caution", "suppressed")}
    st.caption(t("ex_flags", **flags))
