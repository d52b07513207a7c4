"""Statisticians' explorer: indicators by domain with their uncertainty, crosstabs, regressions,
comparisons. Thin: every number comes from :mod:`analysis.designs`, :mod:`analysis.trends`,
:mod:`analysis.explore` and the analysis modules.

Each tab is a module of :mod:`ui.explore`; this one draws the page and its tabs."""

from __future__ import annotations

import streamlit as st

from analysis.explore import weighted_surveys
from ui.context import get_store, require_page
from ui.explore.common import PROBLEMS, problem
from ui.explore.compare import compare_tab
from ui.explore.crosstab import crosstab_tab
from ui.explore.indicators import indicators_tab
from ui.explore.regression import regression_tab
from ui.i18n import t


def render() -> None:
    require_page(__name__)
    store = get_store()
    st.header(t("page_explore"))
    st.caption(t("ex_intro"))
    surveys = weighted_surveys(store)
    surveys = surveys[surveys["units"].map(len) > 0]
    if surveys.empty:
        st.info(t("ex_no_surveys"))
        return
    tabs = st.tabs(
        [t("ex_tab_indicators"), t("ex_tab_crosstab"), t("ex_tab_regression"), t("ex_tab_compare")]
    )
    sections = (indicators_tab, crosstab_tab, regression_tab, compare_tab)
    for tab, section in zip(tabs, sections, strict=True):
        with tab:
            try:
                section(store, surveys)
            except PROBLEMS as error:
                problem(error)
