"""Home: the state of the data — counts, schema version, last seeding, reference data."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from data.frame_store import households_by_district
from data.reference import reference_status
from panel.overview import platform_status
from ui.context import get_store, require_page
from ui.glossary import column, reference_overview, shown
from ui.i18n import lang, t

SURVEY_COLUMNS = [
    "survey", "status", "sampled", "households_responded", "households_complete",
    "person_parts", "quarantined",
]  # fmt: skip


def render() -> None:
    require_page(__name__)
    store = get_store()
    info = platform_status(store)
    st.header(t("home_title"))
    st.caption(t("home_kind_demo") if info["kind"] == "demo" else t("home_kind_real"))

    frame = info["frame"]
    cols = st.columns(4)
    cols[0].metric(t("frame_households"), f"{frame['frame_households']:,}")
    cols[1].metric(t("frame_persons"), f"{frame['frame_persons']:,}")
    cols[2].metric(t("schema_version"), info["schema_version"])
    cols[3].metric(t("quarantine_open"), f"{info['quarantine_open']:,}")
    cols = st.columns(4)
    scale = frame["scale_factor"]
    cols[0].metric(t("scale_factor"), "–" if scale is None else f"{scale:,.2f}")
    seeding = info["last_seeding"]
    finished = str(seeding["finished_at"]).replace("T", " ")[:16] if seeding else None
    cols[1].metric(
        t("last_seeding"),
        finished[:10] if finished else t("never"),  # a date fits the column; the time is in help
        help=t("last_seeding_help", at=finished) if finished else None,
    )
    cols[2].metric(t("staff_users"), info["staff_users"])

    if frame["frame_households"]:
        by_district = households_by_district(store)
        name = "name_ko" if lang() == "ko" else "name_en"
        chart = (
            alt.Chart(by_district)
            .mark_bar()
            .encode(
                x=alt.X(f"{name}:N", sort="-y", title=None),
                y=alt.Y("households:Q", title=t("frame_households")),
                tooltip=[
                    alt.Tooltip(f"{name}:N", title=column("district")),
                    alt.Tooltip("households:Q", title=t("frame_households"), format=","),
                    alt.Tooltip("persons:Q", title=t("frame_persons"), format=","),
                ],
            )
            .properties(height=280)
        )
        st.subheader(t("households_by_district"))
        st.altair_chart(chart, width="stretch")
    else:
        st.info(t("no_frame"))

    surveys = info.get("surveys") or {}
    if surveys:
        st.subheader(t("surveys_state"))
        table = pd.DataFrame.from_dict(surveys, orient="index").rename_axis("survey")
        st.dataframe(
            shown(table.reset_index(), SURVEY_COLUMNS, codes={"status": "survey_status"}),
            hide_index=True,
            width="stretch",
        )

    _panel(info.get("panel") or {})

    st.subheader(t("reference_tables"))
    st.dataframe(reference_overview(reference_status(store)), hide_index=True, width="stretch")


def _panel(panel: dict) -> None:
    """The citizen panel at a glance (details on the panel pages)."""
    if not panel.get("target"):
        return
    st.subheader(t("home_panel"))
    cols = st.columns(4)
    cols[0].metric(  # "in / target" as the value is cut off in a quarter of the page
        t("home_panel_in", target=f"{panel['target']:,}"), f"{panel['in_panel_households']:,}"
    )
    cols[1].metric(t("home_panel_active"), f"{panel['active_households']:,}")
    cols[2].metric(t("home_panel_reserve"), f"{panel['reserve_left']:,}")
    waves = panel.get("waves") or []
    in_field = [w["code"] for w in waves if not w["attrition_applied"]]
    cols[3].metric(t("home_panel_waves"), len(waves), help=", ".join(in_field) or None)
