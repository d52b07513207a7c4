"""Fieldwork: completion times, and where respondents break off (by screen)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from surveys.fieldwork.monitoring import median_times
from ui.fieldwork.common import AXES, ROW, ROW_LABELS, mmss, part_label, percent, show_chart
from ui.glossary import labeller
from ui.i18n import lang, t

_mode_label = labeller("mode")


def times_section(times: pd.DataFrame) -> None:
    st.subheader(t("fw_times"))
    medians = median_times(times)
    view = pd.DataFrame(
        {
            "part": medians["part"].map(part_label),
            "mode": medians["mode"].map(_mode_label),
            "parts": medians["parts"],
            "median": medians["median_seconds"].map(mmss),
            "median_seconds": medians["median_seconds"].astype(float).round(0),
        }
    )
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        column_config={
            "part": t("fw_part"),
            "mode": t("fw_mode"),
            "parts": st.column_config.NumberColumn(t("fw_parts")),
            "median": t("fw_median"),
            "median_seconds": st.column_config.NumberColumn(t("fw_median_seconds"), format="%d"),
        },
    )


# ---------------------------------------------------------------- break-offs


def breakoff_section(breakoffs: pd.DataFrame) -> None:
    st.subheader(t("fw_breakoffs"))
    st.caption(t("fw_breakoffs_help"))
    if breakoffs.empty:
        st.info(t("fw_no_breakoffs"))
        return
    for part, rows in breakoffs.groupby("part", sort=False):
        st.markdown(
            "**"
            + t(
                "fw_breakoffs_part",
                part=part_label(part),
                started=int(rows["started"].iloc[0]),
                open=int(rows["open_parts"].sum()),
            )
            + "**"
        )
        show_chart(_breakoff_chart(rows))


def _breakoff_chart(rows: pd.DataFrame) -> alt.LayerChart:
    title = "title_en" if lang() == "en" else "title_ko"
    screens = rows["screen_no"].map(lambda n: "–" if pd.isna(n) else str(int(n)))
    start = rows["section_id"] == "(start)"
    frame = rows.assign(
        screen=(screens + ". " + rows[title].astype(str)).where(~start, t("fw_start_screen")),
        share=rows["share_of_started"].astype(float),
        share_text=rows["share_of_started"].astype(float).map(percent),
    )
    y = alt.Y("screen:N", sort=frame["screen"].tolist(), title=t("fw_screen"), axis=ROW_LABELS)
    x = alt.X("open_parts:Q", title=t("fw_open_parts"), axis=alt.Axis(tickMinStep=1, format="d"))
    base = alt.Chart(frame).encode(y=y, x=x)
    bars = base.mark_bar(color="#de2d26").encode(
        tooltip=[
            alt.Tooltip("screen:N", title=t("fw_screen")),
            alt.Tooltip("open_parts:Q", title=t("fw_open_parts")),
            alt.Tooltip("started:Q", title=t("fw_started")),
            alt.Tooltip("share:Q", title=t("fw_share_started"), format=".1%"),
        ]
    )
    text = base.mark_text(align="left", dx=3).encode(text="share_text:N")
    return (bars + text).properties(height=max(3, len(frame)) * ROW + AXES)
