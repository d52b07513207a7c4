"""Statisticians: the indicator table of a survey, filtered, with flags, downloadable."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.exclusions import active_exclusions
from analysis.indicators import NothingToEstimate, load_catalogue
from analysis.tables import NoWeights, excel_bytes, indicator_table
from analysis.weights.survey_weights import weights_ids
from data.spreadsheet_safety import csv_bytes
from surveys.opening import list_surveys
from ui.audit_trail import audited_download
from ui.context import get_store, require_page
from ui.glossary import MISSING, domain_name, group_names, label, shown, survey_title
from ui.i18n import lang, say, t

NUMBERS = ("estimate", "se", "ci_low", "ci_high", "cv", "deff")
SHOWN = ["name", "unit", "domain", "group", *NUMBERS, "n", "n_missing", "flag"]


@st.cache_data(show_spinner="추정 중 / estimating …", max_entries=8)
def _table(survey_id: int, weights_key: tuple) -> pd.DataFrame:
    return indicator_table(get_store(), survey_id)


def render() -> None:
    require_page(__name__)
    store = get_store()
    st.header(t("page_estimates"))
    st.caption(t("est_intro"))
    surveys = list_surveys(store)
    # the catalogue is the Seoul Survey's; panel waves get their tables with the explorer (#6)
    surveys = surveys[surveys["kind"] == "cross_section"]
    if surveys.empty:
        st.info(t("est_no_surveys"))
        return
    title = ["title_ko", "title_en"]
    survey_id = st.selectbox(
        t("sv_choose"),
        surveys["survey_id"].tolist()[::-1],  # newest first
        format_func=lambda i: survey_title(*surveys.set_index("survey_id").loc[i, title]) or str(i),
    )
    excluded = active_exclusions(store, int(survey_id))
    weights_key = (weights_ids(store, int(survey_id)), tuple(excluded["exclusion_id"]))
    try:
        table = _table(int(survey_id), weights_key)
    except (NoWeights, NothingToEstimate) as error:
        st.warning(say(error))
        return
    name = "name_ko" if lang() == "ko" else "name_en"
    cols = st.columns(2)
    indicators = cols[0].multiselect(
        t("est_indicators"),
        table["indicator"].unique().tolist(),
        format_func=dict(zip(table["indicator"], table[name], strict=False)).get,
        placeholder=t("choose_many"),
    )
    domains = cols[1].multiselect(
        t("est_domains"),
        table["domain"].unique().tolist(),
        format_func=domain_name,
        placeholder=t("choose_many"),
    )
    shown = table
    if indicators:
        shown = shown[shown["indicator"].isin(indicators)]
    if domains:
        shown = shown[shown["domain"].isin(domains)]
    if len(excluded):
        households = int((excluded["member_no"] == 0).sum())
        st.info(t("est_excluded", households=households, persons=len(excluded) - households))
    view = _view(store, shown, name)
    colours = shown["flag"].map(FLAG_COLOURS).fillna("").tolist()
    st.dataframe(
        view.style.apply(lambda row: [colours[row.name]] * len(row), axis=1),
        hide_index=True,
        width="stretch",
    )
    st.caption(t("est_flags", **{f: label("estimate_flag", f) for f in FLAG_COLOURS}))
    cols = st.columns(2)
    code = str(surveys.set_index("survey_id").loc[survey_id, "code"])
    what = {"kind": "estimates", "survey_id": int(survey_id), "survey": code, "rows": len(shown)}
    audited_download(  # audited on the press (on_click)
        cols[0],
        t("est_csv"),
        csv_bytes(shown),
        file_name=f"indicators-{survey_id}.csv",
        mime="text/csv",
        key="est_download_csv",
        **what,
    )
    audited_download(
        cols[1],
        t("est_excel"),
        excel_bytes(shown),
        file_name=f"indicators-{survey_id}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="est_download_xlsx",
        **what,
    )


FLAG_COLOURS = {"caution": "background-color: #fff4d6", "suppressed": "background-color: #fde2e2"}


def _number(value) -> str:
    return MISSING if pd.isna(value) else f"{float(value):.3f}"


def _view(store, rows: pd.DataFrame, name: str) -> pd.DataFrame:
    """The estimates as a reader sees them: one group column (종로구, 여자 …) instead of a
    column per domain, the unit in the chosen language, flags by their glossary names."""
    units = {i.id: (i.unit_ko if lang() == "ko" else i.unit_en) for i in load_catalogue()}
    view = rows.assign(
        name=rows[name],
        unit=rows["indicator"].map(units).fillna(rows["unit"]),
        domain=rows["domain"].map(domain_name),
        group=group_names(store, rows),
        flag=rows["flag"].map(lambda f: label("estimate_flag", f) if f else ""),
        **{c: rows[c].map(_number) for c in NUMBERS},
    )
    return shown(view, SHOWN, names={"name": label("column", "indicator")}).reset_index(drop=True)
