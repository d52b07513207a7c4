"""Panel health, attrition tab: who leaves, by district or household type and wave, and
why."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from data.store import Store
from panel.health import attrition_by
from panel.health_stats import LEAVING
from ui.i18n import t
from ui.panel_health.common import (
    AXES,
    ROW,
    ROW_LABELS,
    Labels,
    show_chart,
    status_label,
    wave_label,
)

LEAVING_COLOURS = ["#de2d26", "#fb6a4a", "#9e9ac8", "#756bb1", "#636363", "#bdbdbd"]


def attrition_section(store: Store, labels: Labels) -> None:
    st.caption(t("ph_attr_help"))
    st.markdown(f"**{t('ph_attr_district')}**")
    by_district = attrition_by(store, ["wave_no", "district_code"])
    if by_district.empty:
        st.info(t("ph_none"))
    else:
        show_chart(_attrition_heatmap(by_district, labels))
    st.markdown(f"**{t('ph_attr_type')}**")
    by_type = attrition_by(store, ["household_type"])
    if by_type.empty or by_type["total"].sum() == 0:
        st.info(t("ph_none"))
    else:
        show_chart(_attrition_type_bars(by_type, labels))


def _attrition_heatmap(frame: pd.DataFrame, labels: Labels) -> alt.LayerChart:
    """Wave × district, every district shown (zeros included); the statuses in the tooltip."""
    waves = sorted(int(w) for w in frame["wave_no"].unique())
    grid = pd.MultiIndex.from_product(
        [waves, list(labels.districts)], names=["wave_no", "district_code"]
    ).to_frame(index=False)
    counts = frame.astype({"wave_no": "int64", "district_code": str})
    full = grid.merge(counts, on=["wave_no", "district_code"], how="left")
    full[[*LEAVING, "total"]] = full[[*LEAVING, "total"]].fillna(0).astype("int64")
    full = full.assign(
        wave=full["wave_no"].map(wave_label), district=full["district_code"].map(labels.district)
    )
    status_names = {s: status_label(s) for s in LEAVING}
    full = full.rename(columns=status_names)
    base = alt.Chart(full).encode(
        x=alt.X(
            "wave:N",
            sort=[wave_label(w) for w in waves],
            title=t("ph_wave"),
            axis=alt.Axis(labelAngle=0, orient="top"),
        ),
        y=alt.Y(
            "district:N",
            sort=[labels.district(c) for c in labels.districts],
            title=None,
            axis=ROW_LABELS,
        ),
    )
    tooltip = [
        alt.Tooltip("district:N", title=t("ph_district")),
        alt.Tooltip("wave:N", title=t("ph_wave")),
        *[alt.Tooltip(f"{name}:Q") for name in status_names.values()],
        alt.Tooltip("total:Q", title=t("ph_total")),
    ]
    cells = base.mark_rect().encode(
        color=alt.condition(
            "datum.total > 0",
            alt.Color("total:Q", scale=alt.Scale(scheme="oranges"), title=t("ph_left")),
            alt.value("#f4f4f4"),
        ),
        tooltip=tooltip,
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.condition("datum.total > 0", "total:Q", alt.value(""))
    )
    return (cells + text).properties(height=max(8, len(labels.districts)) * ROW + AXES)


def _attrition_type_bars(frame: pd.DataFrame, labels: Labels) -> alt.Chart:
    long = frame.melt(
        id_vars=["household_type"], value_vars=list(LEAVING), var_name="status", value_name="n"
    )
    long = long.loc[long["n"] > 0].assign(
        type=lambda f: f["household_type"].map(labels.household_type),
        status=lambda f: f["status"].map(status_label),
        order=lambda f: f["status"].map({status_label(s): i for i, s in enumerate(LEAVING)}),
    )
    types = [labels.household_type(c) for c in sorted(frame["household_type"].dropna().astype(int))]
    leaving = [status_label(s) for s in LEAVING]
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("n:Q", title=t("ph_households"), stack="zero"),
            y=alt.Y("type:N", sort=types, title=t("ph_household_type"), axis=ROW_LABELS),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=leaving, range=LEAVING_COLOURS),
                title=t("ph_status"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("type:N", title=t("ph_household_type")),
                alt.Tooltip("status:N", title=t("ph_status")),
                alt.Tooltip("n:Q", title="n"),
            ],
        )
        .properties(height=max(4, len(types)) * ROW + AXES)
    )
