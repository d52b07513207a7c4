"""Fieldwork: responses per day, and response by district with its AAPOR rates."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from data.store import Store
from panel.outcomes import wave_rates
from surveys.fieldwork.monitoring import response_summary
from ui.fieldwork.common import AXES, ROW, ROW_LABELS, name_column, percent, show_chart
from ui.glossary import label, shown
from ui.i18n import t

RATES = ("RR1", "COOP1", "REF1", "CON1")
DAILY_COLOURS = ["#2171b5", "#fd8d3c"]  # submitted, partial


def daily_section(progress: pd.DataFrame) -> None:
    st.subheader(t("fw_daily"))
    st.caption(t("fw_daily_help"))
    show_chart(_daily_chart(progress))


def _daily_chart(progress: pd.DataFrame) -> alt.LayerChart:
    kinds = {"submitted": t("fw_submitted"), "partial": t("fw_partial")}
    frame = progress.assign(day=pd.to_datetime(progress["day"]))
    long = frame.melt(id_vars=["day"], value_vars=list(kinds), var_name="kind", value_name="n")
    long = long.assign(
        order=long["kind"].map({k: i for i, k in enumerate(kinds)}),
        kind=long["kind"].map(kinds),
    )
    x = alt.X(
        "yearmonthdate(day):T",
        title=t("fw_day"),
        axis=alt.Axis(format="%m-%d", tickCount="day", labelOverlap=True),
    )
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("n:Q", stack="zero", title=t("fw_parts")),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=list(kinds.values()), range=DAILY_COLOURS),
                title=t("fw_kind"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("day:T", title=t("fw_day"), format="%Y-%m-%d"),
                alt.Tooltip("kind:N", title=t("fw_kind")),
                alt.Tooltip("n:Q", title=t("fw_parts")),
            ],
        )
    )
    line = (
        alt.Chart(frame)
        .mark_line(point=True, color="black")
        .encode(
            x=x,
            y=alt.Y(
                "submitted_total:Q",
                title=t("fw_submitted_total"),
                axis=alt.Axis(titleColor="black"),
            ),
            tooltip=[
                alt.Tooltip("day:T", title=t("fw_day"), format="%Y-%m-%d"),
                alt.Tooltip("submitted_total:Q", title=t("fw_submitted_total")),
            ],
        )
    )
    return alt.layer(bars, line).resolve_scale(y="independent").properties(height=300)


# ---------------------------------------------------------------- districts


def district_section(
    store: Store, survey_id: int, by_district: pd.DataFrame, panel_wave: bool
) -> None:
    st.subheader(t("fw_districts"))
    st.caption(t("fw_districts_help"))
    show_chart(_district_chart(by_district, response_summary(by_district)["response_rate"]))
    if panel_wave:
        st.markdown(f"**{t('fw_aapor_districts')}**")
        _aapor_table(wave_rates(store, survey_id, by="district_code"), by_district)
        st.caption(t("fw_aapor_help"))


def _district_chart(by_district: pd.DataFrame, overall: float) -> alt.LayerChart:
    frame = by_district.assign(
        district=by_district[name_column()],
        rate=by_district["response_rate"].astype(float),
    )
    order = frame.sort_values("rate", ascending=False)["district"].tolist()
    rate_title = t("fw_response_rate")
    bars = (
        alt.Chart(frame)
        .mark_bar(color="#2171b5")
        .encode(
            y=alt.Y("district:N", sort=order, title=None, axis=ROW_LABELS),
            x=alt.X(
                "rate:Q",
                title=rate_title,
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            tooltip=[
                alt.Tooltip("district:N", title=t("fw_district")),
                alt.Tooltip("sampled:Q", title=t("fw_sampled")),
                alt.Tooltip("responded:Q", title=t("fw_responded")),
                alt.Tooltip("rate:Q", title=rate_title, format=".1%"),
            ],
        )
    )
    mark = pd.DataFrame({"rate": [overall], "what": [t("fw_overall")]})
    rule = (
        alt.Chart(mark)
        .mark_rule(color="black", strokeWidth=2, strokeDash=[4, 3])
        .encode(
            x="rate:Q",
            tooltip=[
                alt.Tooltip("what:N", title=""),
                alt.Tooltip("rate:Q", title=rate_title, format=".1%"),
            ],
        )
    )
    return (bars + rule).properties(height=max(5, len(frame)) * ROW + AXES)


def _aapor_table(rates: pd.DataFrame, by_district: pd.DataFrame) -> None:
    names = dict(
        zip(by_district["district_code"].astype(str), by_district[name_column()], strict=True)
    )
    columns = ["district_code", "invited", "I", "P", "R", "NC", "O", "NE", *RATES]
    view = rates.assign(**{rate: rates[rate].astype(float).map(percent) for rate in RATES})
    st.dataframe(
        shown(
            view,
            [c for c in columns if c in view.columns],
            codes={"district_code": names},
            names={c: label("aapor", c) for c in columns[1:]},
        ),
        hide_index=True,
        width="stretch",
    )
