"""Panel health, waves tab: each wave's response rates and the flow of households into and
out of the panel."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from panel.response_rates import RATES
from ui.glossary import MISSING, label, shown, survey_title
from ui.i18n import t
from ui.panel_health.common import missing, show_chart, wave_label


def waves_section(waves: pd.DataFrame) -> None:
    if waves.empty:
        st.info(t("ph_none"))
        return
    view = waves.assign(
        title=[survey_title(r.title_ko, r.title_en) for r in waves.itertuples()],
        **{rate: waves[rate].map(_percent) for rate in RATES},
    )
    st.dataframe(
        shown(
            view,
            ["wave_no", "code", "title", "status", "invited", "complete", *RATES,
             "left", "replaced", "joined"],
            codes={"status": "survey_status"},
            names={
                "wave_no": t("ph_wave"),
                "complete": t("ph_complete"),
                "left": t("ph_left"),
                "replaced": t("ph_replaced"),
                "joined": t("ph_joined"),
                **{rate: label("aapor", rate) for rate in RATES},
            },
        ),
        hide_index=True,
        width="stretch",
    )  # fmt: skip
    st.caption(t("ph_rates_help"))
    cols = st.columns(2)
    with cols[0]:
        st.markdown(f"**{t('ph_rr1_chart')}**")
        show_chart(_rates_chart(waves))
    with cols[1]:
        st.markdown(f"**{t('ph_flow_chart')}**")
        show_chart(_flow_chart(waves))


def _percent(share: Any) -> str:
    return MISSING if missing(share) else f"{100 * float(share):.1f}%"


def _rates_chart(waves: pd.DataFrame) -> alt.Chart:
    frame = waves.melt(id_vars=["wave_no"], value_vars=list(RATES), var_name="rate", value_name="v")
    frame = frame.dropna(subset=["v"]).assign(
        wave=lambda f: f["wave_no"].map(wave_label), v=lambda f: f["v"].astype(float)
    )
    order = [wave_label(w) for w in sorted(waves["wave_no"])]
    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("wave:N", sort=order, title=t("ph_wave"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "v:Q",
                title=t("ph_rate"),
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color("rate:N", sort=list(RATES), title=t("ph_rate_kind")),
            tooltip=[
                alt.Tooltip("wave:N", title=t("ph_wave")),
                alt.Tooltip("rate:N", title=t("ph_rate_kind")),
                alt.Tooltip("v:Q", title=t("ph_rate"), format=".1%"),
            ],
        )
        .properties(height=260)
    )


def _flow_chart(waves: pd.DataFrame) -> alt.Chart:
    names = {"left": t("ph_left"), "replaced": t("ph_replaced")}
    frame = waves.melt(id_vars=["wave_no"], value_vars=list(names), var_name="flow", value_name="n")
    frame = frame.assign(wave=frame["wave_no"].map(wave_label), flow=frame["flow"].map(names.get))
    order = [wave_label(w) for w in sorted(waves["wave_no"])]
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("wave:N", sort=order, title=t("ph_wave"), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("flow:N", sort=list(names.values())),
            y=alt.Y("n:Q", title=t("ph_households")),
            color=alt.Color("flow:N", sort=list(names.values()), title=t("ph_flow")),
            tooltip=[
                alt.Tooltip("wave:N", title=t("ph_wave")),
                alt.Tooltip("flow:N", title=t("ph_flow")),
                alt.Tooltip("n:Q", title="n"),
            ],
        )
        .properties(height=260)
    )
