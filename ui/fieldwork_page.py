"""Survey managers and statisticians: a survey or panel wave in the field — progress per day,
response by district, completion times, break-offs by screen, and quality flags, with the
statistician's reversible exclusion of a flagged response from estimation.

Every number comes from :mod:`surveys.fieldwork.monitoring`, :mod:`surveys.fieldwork.quality`,
:mod:`analysis.exclusions` and :mod:`panel.outcomes`; this page only labels and draws it: the
survey picker and the headline here, each section in a module of :mod:`ui.fieldwork`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from data.store import Store
from panel.outcomes import wave_rates
from surveys.fieldwork.monitoring import (
    breakoffs_by_screen,
    completion_times,
    daily_progress,
    median_completion_seconds,
    response_by_district,
    response_summary,
)
from surveys.opening import list_surveys
from ui.context import get_store, require_page
from ui.fieldwork.common import lookup, mmss, percent
from ui.fieldwork.completion import breakoff_section, times_section
from ui.fieldwork.progress import daily_section, district_section
from ui.fieldwork.quality import quality_section
from ui.glossary import label, survey_title
from ui.i18n import t

METRICS_PER_ROW = 3


def render() -> None:
    user = require_page(__name__)
    store = get_store()
    st.header(t("page_fieldwork"))
    st.caption(t("fw_intro"))
    surveys = _ordered(list_surveys(store))
    if surveys.empty:
        st.info(t("fw_no_surveys"))
        return
    labels = {int(row.survey_id): _survey_label(row) for row in surveys.itertuples(index=False)}
    survey_id = st.selectbox(
        t("fw_choose"),
        list(labels),
        key="fw_survey",
        format_func=lookup(labels),
        help=t("fw_choose_help"),
    )
    survey = surveys.set_index("survey_id").loc[survey_id]
    if int(survey["sampled"]) == 0:
        st.info(t("fw_no_sample"))
        return
    panel_wave = survey["kind"] == "panel_wave"
    by_district = response_by_district(store, survey_id)
    progress = daily_progress(store, survey_id)
    times = completion_times(store, survey_id)
    _headline(store, survey_id, int(survey["sampled"]), by_district, progress, times, panel_wave)
    if times.empty:
        st.info(t("fw_no_responses"))
        return
    daily_section(progress)
    district_section(store, survey_id, by_district, panel_wave)
    times_section(times)
    breakoff_section(breakoffs_by_screen(store, survey_id))
    quality_section(store, survey_id, len(times), user.role, user.username)


def _ordered(surveys: pd.DataFrame) -> pd.DataFrame:
    """In-field surveys first, then the rest; the most recently started first within each."""
    if surveys.empty:
        return surveys
    return (
        surveys.assign(_in_field=surveys["status"] != "in_field")
        .sort_values(
            ["_in_field", "field_start", "survey_id"],
            ascending=[True, False, False],
            na_position="last",
        )
        .drop(columns="_in_field")
        .reset_index(drop=True)
    )


def _survey_label(row: Any) -> str:
    title = survey_title(row.title_ko, row.title_en)
    return f"[{label('survey_status', row.status)}] {row.code} · {title}"


# ---------------------------------------------------------------- headline


def _headline(
    store: Store,
    survey_id: int,
    sampled: int,
    by_district: pd.DataFrame,
    progress: pd.DataFrame,
    times: pd.DataFrame,
    panel_wave: bool,
) -> None:
    summary = response_summary(by_district)
    metrics = [
        (t("fw_sampled"), f"{sampled:,}", None),
        (t("fw_parts_in"), f"{summary['responded']:,}", t("fw_parts_in_help")),
        (t("fw_response_rate"), percent(summary["response_rate"]), t("fw_response_rate_help")),
    ]
    if panel_wave:
        rr1 = wave_rates(store, survey_id)["RR1"]
        value = float(rr1.iloc[0]) if len(rr1) else float("nan")
        metrics.append((t("fw_rr1"), percent(value), t("fw_rr1_help")))
    median = median_completion_seconds(times, "household")
    metrics.append((t("fw_median_time"), mmss(median), t("fw_median_time_help")))
    open_parts = int(progress["partial"].sum()) if not progress.empty else 0
    metrics.append((t("fw_open_parts"), f"{open_parts:,}", t("fw_open_parts_help")))
    for start in range(0, len(metrics), METRICS_PER_ROW):  # six in a row cut their labels off
        row = metrics[start : start + METRICS_PER_ROW]
        for col, (name, value, help_text) in zip(st.columns(METRICS_PER_ROW), row, strict=False):
            col.metric(name, value, help=help_text)
