"""Panel operators: the weekly look at the panel — size, waves, attrition, replacement,
composition against the population and representativeness.

Every number comes from :mod:`panel.health`; this page only labels and draws it: the
headline here, each tab in a module of :mod:`ui.panel_health`.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from panel.health import panel_size, representativeness, wave_summary
from panel.status import LEFT, MEMBERS, STATUSES
from ui.context import get_store, require_page
from ui.i18n import t
from ui.panel_health.attrition import attrition_section
from ui.panel_health.common import AXES, ROW, ROW_LABELS, code_labels, show_chart, status_label
from ui.panel_health.composition import composition_section, representativeness_section
from ui.panel_health.replacement import replacement_section
from ui.panel_health.waves import waves_section

MEMBER_COLOURS = ["#9ecae1", "#2171b5", "#f2a541"]  # invited, active, nonresponding
GROUP_COLOURS = ["#2171b5", "#9ecae1", "#de2d26"]  # in panel, reserve, left


def render() -> None:
    require_page(__name__)
    store = get_store()
    st.header(t("page_panel_health"))
    size = panel_size(store)
    if sum(size["by_status"].values()) == 0:
        st.info(t("ph_no_panel"))
        return
    st.caption(t("ph_intro"))
    labels = code_labels(store)
    _headline(size)
    tabs = st.tabs(
        [
            t("ph_tab_waves"),
            t("ph_tab_attrition"),
            t("ph_tab_replacement"),
            t("ph_tab_composition"),
            t("ph_tab_r"),
        ]
    )
    with tabs[0]:
        waves_section(wave_summary(store))
    with tabs[1]:
        attrition_section(store, labels)
    with tabs[2]:
        replacement_section(store, labels)
    with tabs[3]:
        composition_section(store, labels)
    with tabs[4]:
        representativeness_section(representativeness(store))


# ---------------------------------------------------------------- headline


def _headline(size: dict[str, Any]) -> None:
    target, shortfall = size["target"], size["shortfall"]
    delta, arrow = None, "auto"
    if target is not None:
        delta = f"-{shortfall:,} {t('ph_short')}" if shortfall else t("ph_target_met")
        arrow = "auto" if shortfall else "off"
    cols = st.columns(4)
    cols[0].metric(
        t("ph_in_panel"),
        f"{size['in_panel']:,}",
        delta=delta,
        delta_arrow=arrow,
        help=t("ph_in_panel_help"),
    )
    cols[1].metric(t("ph_target"), "–" if target is None else f"{target:,}")
    cols[2].metric(t("ph_active"), f"{size['active']:,}")
    cols[3].metric(t("ph_reserve_left"), f"{size['reserve_left']:,}")
    show_chart(_target_bullet(size))
    st.markdown(f"**{t('ph_status_chart')}**")
    show_chart(_status_bars(size["by_status"]))


def _target_bullet(size: dict[str, Any]) -> alt.LayerChart | alt.Chart:
    """The panel's members stacked by status on one bar, the target as a black tick."""
    members = [s for s in STATUSES if s in MEMBERS]
    row = t("ph_in_panel")
    frame = pd.DataFrame(
        {
            "row": row,
            "status": [status_label(s) for s in members],
            "order": range(len(members)),
            "n": [size["by_status"][s] for s in members],
        }
    )
    target = size["target"]
    top = max(target or 0, size["in_panel"], 1) * 1.05
    y = alt.Y("row:N", title=None, axis=None)
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(
                "n:Q", stack="zero", title=t("ph_households"), scale=alt.Scale(domain=[0, top])
            ),
            color=alt.Color(
                "status:N",
                sort=list(frame["status"]),
                scale=alt.Scale(domain=list(frame["status"]), range=MEMBER_COLOURS),
                title=None,
            ),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("status:N", title=t("ph_status")), alt.Tooltip("n:Q", title="n")],
        )
    )
    if target is None:
        return bars.properties(height=ROW + AXES)
    goal = pd.DataFrame({"row": [row], "target": [target], "what": [t("ph_target")]})
    tick = (
        alt.Chart(goal)
        .mark_tick(color="black", thickness=3)
        .encode(
            y=y,
            x="target:Q",
            tooltip=[alt.Tooltip("what:N", title=""), alt.Tooltip("target:Q", title="n")],
        )
    )
    return (bars + tick).properties(height=ROW + AXES)


def _status_bars(by_status: dict[str, int]) -> alt.Chart:
    def group(status: str) -> str:
        if status in MEMBERS:
            return t("ph_group_member")
        return t("ph_group_left") if status in LEFT else t("ph_group_reserve")

    frame = pd.DataFrame(
        {
            "status": [status_label(s) for s in STATUSES],
            "group": [group(s) for s in STATUSES],
            "n": [by_status.get(s, 0) for s in STATUSES],
        }
    )
    groups = [t("ph_group_member"), t("ph_group_reserve"), t("ph_group_left")]
    y = alt.Y("status:N", sort=list(frame["status"]), title=None, axis=ROW_LABELS)
    base = alt.Chart(frame).encode(y=y, x=alt.X("n:Q", title=t("ph_households")))
    bars = base.mark_bar().encode(
        color=alt.Color(
            "group:N",
            sort=groups,
            scale=alt.Scale(domain=groups, range=GROUP_COLOURS),
            title=t("ph_group"),
        ),
        tooltip=[alt.Tooltip("status:N", title=t("ph_status")), alt.Tooltip("n:Q", title="n")],
    )
    text = base.mark_text(align="left", dx=3).encode(text="n:Q")
    return (bars + text).properties(height=ROW * len(STATUSES) + AXES)
