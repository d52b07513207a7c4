"""What the explorer's tabs share: the cached estimates and designs (keyed on the weights
versions and exclusions), number and label formatting, and the survey and unit pickers."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from analysis.designs import ExploreError, analysis_design, wave_indicator_table
from analysis.estimation.design import SurveyDesign
from analysis.exclusions import active_exclusions
from analysis.explore import variables
from analysis.indicators import load_catalogue
from analysis.tables import NoWeights, indicator_table
from analysis.trends import indicator_trend, wave_change, wave_trend
from analysis.weights.survey_weights import weights_ids
from data.store import Store
from ui.context import get_store
from ui.glossary import label, survey_title
from ui.i18n import lang, say, t

DEFAULT_INDICATOR = "happiness_index"
DASH = "–"
PROBLEMS = (NoWeights, ExploreError, ValueError, KeyError, TypeError)


def estimation_version(store: Store, survey_id: int) -> tuple:
    excluded = active_exclusions(store, survey_id)
    return weights_ids(store, survey_id), tuple(int(i) for i in excluded["exclusion_id"])


@st.cache_data(show_spinner="추정 중 / estimating …", max_entries=8)
def cached_indicator_table(survey_id: int, version: tuple, wave: bool = False) -> pd.DataFrame:
    if wave:
        return wave_indicator_table(get_store(), survey_id)
    return indicator_table(get_store(), survey_id)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_wave_trend(
    indicator_id: str, wave_ids: tuple[int, ...], versions: tuple
) -> pd.DataFrame:
    return wave_trend(get_store(), indicator_id, list(wave_ids))


@st.cache_resource(show_spinner="설계 준비 중 / preparing the design …", max_entries=12)
def cached_design(survey_id: int, unit: str, version: tuple) -> SurveyDesign:
    return analysis_design(get_store(), survey_id, unit)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_trend(indicator_id: str, survey_ids: tuple[int, ...], versions: tuple) -> pd.DataFrame:
    return indicator_trend(get_store(), indicator_id, list(survey_ids))


@st.cache_data(show_spinner=False, max_entries=32)
def cached_wave_change(a: int, b: int, variable: str, versions: tuple) -> pd.DataFrame:
    return wave_change(get_store(), a, b, variable)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_variables(survey_id: int, unit: str, version: tuple) -> pd.DataFrame:
    design = cached_design(survey_id, unit, version)
    return variables(get_store(), survey_id, unit, design.frame)


# ---- small helpers ---------------------------------------------------------------------------
def number(value: Any, digits: int = 3) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return DASH
    return f"{float(value):.{digits}f}"


def estimate_columns(rows: pd.DataFrame) -> dict[str, pd.Series]:
    """An estimate table's columns in the page's language: estimate, SE, 95% CI, CV, n and
    the publication flag (the indicator and question views share them)."""
    return {
        t("ex_col_estimate"): rows["estimate"].map(number),
        t("ex_col_se"): rows["se"].map(number),
        t("ex_col_ci_low"): rows["ci_low"].map(number),
        t("ex_col_ci_high"): rows["ci_high"].map(number),
        t("ex_col_cv"): rows["cv"].map(number),
        t("ex_col_n"): rows["n"].astype(int),
        t("ex_col_flag"): rows["flag"].map(flag_text),
    }


def flag_text(flag: Any) -> str:
    """A publication flag's label ('' for none)."""
    return label("estimate_flag", flag) if isinstance(flag, str) and flag else ""


def survey_label(surveys: pd.DataFrame):
    by_id = surveys.set_index("survey_id")

    def name(survey_id: int) -> str:
        row = by_id.loc[survey_id]
        return survey_title(row["title_ko"], row["title_en"]) or str(row["code"])

    return name


def unit_name(indicator: str, stored: Any) -> str:
    """The indicator's unit in the chosen language (the table stores the Korean one)."""
    for item in load_catalogue():
        if item.id == indicator:
            return item.unit_ko if lang() == "ko" else item.unit_en
    return str(stored)


def newest_first(surveys: pd.DataFrame) -> list[int]:
    order = surveys.assign(cross=surveys["kind"] == "cross_section").sort_values(
        ["cross", "reference_year", "survey_id"], ascending=[False, False, False]
    )
    return [int(i) for i in order["survey_id"]]


def choice_labels(table: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Variable name → {code as text → label} in the chosen language."""
    column = "choices_ko" if lang() == "ko" else "choices_en"
    return {row["name"]: {str(k): v for k, v in row[column].items()} for _, row in table.iterrows()}


def variable_label(table: pd.DataFrame):
    column = "label_ko" if lang() == "ko" else "label_en"
    names = dict(zip(table["name"], table[column], strict=True))
    return lambda name: f"{names.get(name, name)} ({name})" if name in names else name


def code_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def problem(error: Exception) -> None:
    if isinstance(error, NoWeights):
        st.warning(t("ex_no_weights", detail=say(error)))
    else:
        st.warning(t("ex_failed", detail=say(error)))


def show_chart(chart: alt.TopLevelMixin) -> None:
    st.altair_chart(chart, width="stretch")


def pick_design(prefix: str, surveys: pd.DataFrame) -> tuple[int, str, tuple] | None:
    """Survey and unit selects of a tab; (survey_id, unit, version) or None."""
    options = newest_first(surveys)
    cols = st.columns(2)
    survey_id = cols[0].selectbox(
        t("ex_survey"), options, format_func=survey_label(surveys), key=f"{prefix}_survey"
    )
    units = list(surveys.set_index("survey_id").loc[survey_id, "units"])
    unit = cols[1].radio(
        t("ex_unit"),
        units,
        format_func=lambda u: t(f"ex_unit_{u}"),
        key=f"{prefix}_unit",
        horizontal=True,
    )
    if surveys.set_index("survey_id").loc[survey_id, "kind"] == "panel_wave":
        st.caption(t("ex_wave_note"))
    return int(survey_id), str(unit), estimation_version(get_store(), int(survey_id))


def pick(label: str, options: list[str], key: str, preferred: list[str], fmt) -> str:
    default = next((options.index(p) for p in preferred if p in options), 0)
    return st.selectbox(label, options, index=default, format_func=fmt, key=key)
