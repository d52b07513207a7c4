"""Panel health, composition and representativeness tabs: the active panel against the
population (dissimilarity, chi-square) and the R-indicator by wave."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from data.store import Store
from panel.health import composition
from panel.health_stats import CompositionTest
from ui.i18n import t
from ui.panel_health.common import AXES, ROW, ROW_LABELS, Labels, show_chart, wave_label

SMALL_D, LARGE_D = 0.05, 0.10  # reading of the dissimilarity index


def composition_section(store: Store, labels: Labels) -> None:
    st.caption(t("ph_comp_help"))
    st.markdown(f"**{t('ph_comp_district')}**")
    _composition(composition(store, "district_code"), labels.district)
    st.markdown(f"**{t('ph_comp_size')}**")
    _composition(composition(store, "size_class"), lambda c: labels.sizes.get(int(c), str(c)))


def _composition(test: CompositionTest, name: Any) -> None:
    if test.table.empty:
        st.info(t("ph_none"))
        return
    cols = st.columns(4)
    cols[0].metric(
        t("ph_dissimilarity"), f"{test.dissimilarity:.3f}", help=t("ph_dissimilarity_help")
    )
    cols[1].metric(t("ph_chi2"), f"{test.chi2:.2f}")
    cols[2].metric(t("ph_df"), f"{test.df}")
    cols[3].metric(t("ph_p"), _p_text(test.p_value))
    st.markdown(_reading(test))
    show_chart(_composition_chart(test.table, name))


def _p_text(p: float) -> str:
    if math.isnan(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _reading(test: CompositionTest) -> str:
    """One line in words: the size of D, then what the χ² test says."""
    d = test.dissimilarity
    band = "ph_reading_small" if d < SMALL_D else "ph_reading_moderate"
    if d >= LARGE_D:
        band = "ph_reading_large"
    if math.isnan(test.p_value):
        return t(band)
    test_text = t("ph_reading_p_ok") if test.p_value >= 0.05 else t("ph_reading_p_diff")
    return f"{t(band)} · {test_text}"


def _composition_chart(table: pd.DataFrame, name: Any) -> alt.LayerChart:
    """Panel and population share per category as two dots joined by a line (share in %)."""
    frame = table.assign(
        label=table["category"].map(name),
        panel=100 * table["panel_share"].astype(float),
        population=100 * table["population_share"].astype(float),
    )
    frame = frame.assign(
        low=frame[["panel", "population"]].min(axis=1),
        high=frame[["panel", "population"]].max(axis=1),
    )
    sources = {"panel": t("ph_panel_share"), "population": t("ph_population_share")}
    long = frame.melt(
        id_vars=["label", "panel_n", "expected_n", "difference"],
        value_vars=list(sources),
        var_name="source",
        value_name="share",
    ).assign(source=lambda f: f["source"].map(sources))
    y = alt.Y("label:N", sort=list(frame["label"]), title=None, axis=ROW_LABELS)
    share_title = f"{t('ph_share')} (%)"
    lines = alt.Chart(frame).mark_rule(color="#999999").encode(y=y, x="low:Q", x2="high:Q")
    dots = (
        alt.Chart(long)
        .mark_circle(size=90, opacity=1)
        .encode(
            y=y,
            x=alt.X("share:Q", title=share_title),
            color=alt.Color("source:N", sort=list(sources.values()), title=t("ph_source")),
            tooltip=[
                alt.Tooltip("label:N", title=t("ph_category")),
                alt.Tooltip("source:N", title=t("ph_source")),
                alt.Tooltip("share:Q", title=share_title, format=".1f"),
                alt.Tooltip("panel_n:Q", title=t("ph_households")),
                alt.Tooltip("expected_n:Q", title=t("ph_expected"), format=".1f"),
                alt.Tooltip("difference:Q", title=t("ph_difference"), format="+.1f"),
            ],
        )
    )
    return (lines + dots).properties(height=max(5, len(frame)) * ROW + AXES)


# ---------------------------------------------------------------- representativeness


def representativeness_section(r: pd.DataFrame) -> None:
    st.markdown(f"**{t('ph_r_chart')}**")
    if r.empty:
        st.info(t("ph_none"))
    else:
        show_chart(_r_chart(r))
    st.caption(t("ph_r_explain"))


def _r_chart(r: pd.DataFrame) -> alt.Chart:
    frame = r.assign(wave=r["wave_no"].map(wave_label))
    order = [wave_label(w) for w in sorted(r["wave_no"])]
    low = min(0.0, float(r["r"].min()))  # R can dip just below 0 (see panel.health_stats)
    return (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=70))
        .encode(
            x=alt.X("wave:N", sort=order, title=t("ph_wave"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("r:Q", title=t("ph_r"), scale=alt.Scale(domain=[low, 1])),
            tooltip=[
                alt.Tooltip("wave:N", title=t("ph_wave")),
                alt.Tooltip("code:N", title=t("ph_code")),
                alt.Tooltip("r:Q", title=t("ph_r"), format=".3f"),
                alt.Tooltip("propensity_sd:Q", title=t("ph_r_sd"), format=".3f"),
                alt.Tooltip("mean_propensity:Q", title=t("ph_r_mean"), format=".1%"),
                alt.Tooltip("n:Q", title=t("ph_r_n")),
            ],
        )
        .properties(height=260)
    )
