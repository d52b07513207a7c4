"""Explorer, under the indicators: the indicator across the Seoul Survey years (independent
samples) or across the panel waves (one joint linearization)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from analysis.indicators import load_catalogue
from data.store import Store
from surveys.opening import same_series
from ui.explore.common import (
    DASH,
    PROBLEMS,
    cached_trend,
    cached_wave_trend,
    estimation_version,
    number,
    show_chart,
)
from ui.i18n import say, t


def trend_section(
    store: Store, surveys: pd.DataFrame, survey_id: int, indicator: str, name: str
) -> None:
    st.subheader(t("ex_trend", name=name))
    population = next(i.population for i in load_catalogue() if i.id == indicator)
    series = set(same_series(store, survey_id)["survey_id"])  # this survey's years only
    years = surveys[surveys["survey_id"].isin(series) & surveys["units"].map(
        lambda units: population in units
    )]  # fmt: skip
    if len(years) < 2:
        st.info(t("ex_trend_one"))
        return
    ids = tuple(sorted(int(i) for i in years["survey_id"]))
    trend = cached_trend(indicator, ids, tuple(estimation_version(store, i) for i in ids))
    year = alt.X("reference_year:O", title=t("ex_col_year"), axis=alt.Axis(labelAngle=0))
    base = alt.Chart(trend).encode(x=year)
    line = base.mark_line(point=True).encode(
        y=alt.Y("estimate:Q", scale=alt.Scale(zero=False), title=name),
        tooltip=[
            alt.Tooltip("code:N", title=t("ex_survey")),
            alt.Tooltip("estimate:Q", title=t("ex_col_estimate"), format=".3f"),
            alt.Tooltip("se:Q", title=t("ex_col_se"), format=".3f"),
        ],
    )
    errors = base.mark_rule().encode(y="ci_low:Q", y2="ci_high:Q")
    show_chart((line + errors).properties(height=220))
    yes_no = {True: t("ex_yes"), False: t("ex_no")}
    view = pd.DataFrame(
        {
            t("ex_col_year"): trend["reference_year"].astype(str),
            t("ex_col_estimate"): trend["estimate"].map(number),
            t("ex_col_se"): trend["se"].map(number),
            t("ex_col_difference"): trend["difference"].map(number),
            t("ex_col_se_difference"): trend["se_difference"].map(number),
            t("ex_col_p"): trend["p_value"].map(lambda p: number(p, 4)),
            t("ex_col_significant"): trend["significant"].map(lambda s: yes_no.get(s, DASH)),
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")
    st.caption(t("ex_trend_note"))


def wave_trend_section(store: Store, surveys: pd.DataFrame, indicator: str, name: str) -> None:
    """The indicator across the panel waves that ask it, each change with its joint SE."""
    st.subheader(t("ex_wave_trend", name=name))
    waves = surveys[
        (surveys["kind"] == "panel_wave") & surveys["units"].map(lambda u: "households" in u)
    ]
    ids = tuple(sorted(int(i) for i in waves["survey_id"]))
    try:
        trend = cached_wave_trend(indicator, ids, tuple(estimation_version(store, i) for i in ids))
    except PROBLEMS as error:
        st.info(say(error))
        return
    if len(trend) < 2:
        st.info(t("ex_wave_trend_one"))
        return
    skipped = waves[~waves["survey_id"].isin(trend["survey_id"])]["code"]
    if len(skipped):
        st.caption(t("ex_wave_trend_skipped", waves=", ".join(sorted(skipped))))
    base = alt.Chart(trend).encode(
        x=alt.X("code:O", title=t("ex_col_wave"), sort=None, axis=alt.Axis(labelAngle=0))
    )
    line = base.mark_line(point=True).encode(
        y=alt.Y("estimate:Q", scale=alt.Scale(zero=False), title=name),
        tooltip=[
            "code:N",
            alt.Tooltip("estimate:Q", format=".3f"),
            alt.Tooltip("se:Q", format=".3f"),
        ],
    )
    errors = base.mark_rule().encode(y="ci_low:Q", y2="ci_high:Q")
    show_chart((line + errors).properties(height=220))
    yes_no = {True: t("ex_yes"), False: t("ex_no")}
    view = pd.DataFrame(
        {
            t("ex_col_wave"): trend["code"],
            t("ex_col_estimate"): trend["estimate"].map(number),
            t("ex_col_se"): trend["se"].map(number),
            t("ex_col_difference"): trend["difference"].map(number),
            t("ex_col_se_difference"): trend["se_difference"].map(number),
            t("ex_col_p"): trend["p_value"].map(lambda p: number(p, 4)),
            t("ex_col_n_both"): trend["n_both"].map(
                lambda n: DASH if pd.isna(n) else f"{int(n):,}"
            ),
            t("ex_col_significant"): trend["significant"].map(lambda s: yes_no.get(s, DASH)),
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")
    st.caption(t("ex_wave_trend_note"))
