"""Statisticians: the indicator table of a survey, filtered, with flags, downloadable."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.exclusions import active_exclusions
from analysis.indicators import NothingToEstimate
from analysis.survey_weights import weights_ids
from analysis.tables import NoWeights, excel_bytes, indicator_table
from data.accounts import ADMIN, STATISTICIAN, SURVEY_MANAGER
from surveys.opening import list_surveys
from ui.context import get_store, require_role
from ui.i18n import lang, t


@st.cache_data(show_spinner="추정 중 / estimating …", max_entries=8)
def _table(survey_id: int, weights_key: tuple) -> pd.DataFrame:
    return indicator_table(get_store(), survey_id)


def render() -> None:
    require_role(STATISTICIAN, SURVEY_MANAGER, ADMIN)
    store = get_store()
    st.header(t("page_estimates"))
    st.caption(t("est_intro"))
    surveys = list_surveys(store)
    # the catalogue is the Seoul Survey's; panel waves get their tables with the explorer (#6)
    surveys = surveys[surveys["kind"] == "cross_section"]
    if surveys.empty:
        st.info(t("est_no_surveys"))
        return
    title = "title_ko" if lang() == "ko" else "title_en"
    survey_id = st.selectbox(
        t("sv_choose"),
        surveys["survey_id"].tolist()[::-1],  # newest first
        format_func=lambda i: surveys.set_index("survey_id").loc[i, title] or str(i),
    )
    excluded = active_exclusions(store, int(survey_id))
    weights_key = (weights_ids(store, int(survey_id)), tuple(excluded["exclusion_id"]))
    try:
        table = _table(int(survey_id), weights_key)
    except (NoWeights, NothingToEstimate) as error:
        st.warning(str(error))
        return
    name = "name_ko" if lang() == "ko" else "name_en"
    cols = st.columns(2)
    indicators = cols[0].multiselect(
        t("est_indicators"),
        table["indicator"].unique().tolist(),
        format_func=dict(zip(table["indicator"], table[name], strict=False)).get,
    )
    domains = cols[1].multiselect(t("est_domains"), table["domain"].unique().tolist())
    shown = table
    if indicators:
        shown = shown[shown["indicator"].isin(indicators)]
    if domains:
        shown = shown[shown["domain"].isin(domains)]
    other_name = "name_en" if name == "name_ko" else "name_ko"
    view = shown.drop(columns=["indicator", other_name, "population", "weights_id", "excluded"])
    if len(excluded):
        households = int((excluded["member_no"] == 0).sum())
        st.info(t("est_excluded", households=households, persons=len(excluded) - households))
    numbers = {c: "{:.3f}" for c in ("estimate", "se", "ci_low", "ci_high", "cv", "deff")}
    st.dataframe(
        view.style.apply(_flag_colours, axis=1).format(numbers, na_rep="–"),
        hide_index=True,
        width="stretch",
    )
    st.caption(t("est_flags"))
    cols = st.columns(2)
    cols[0].download_button(
        t("est_csv"),
        shown.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"indicators-{survey_id}.csv",
        mime="text/csv",
    )
    cols[1].download_button(
        t("est_excel"),
        excel_bytes(shown),
        file_name=f"indicators-{survey_id}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _flag_colours(row: pd.Series) -> list[str]:
    colour = {"caution": "background-color: #fff4d6", "suppressed": "background-color: #fde2e2"}
    return [colour.get(row["flag"], "")] * len(row)
