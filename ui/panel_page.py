"""Panel operators: recruit the citizen panel, run its waves, close them and store their weights.

Thin page: every number and every change comes from :mod:`panel` (roster,
waves, outcomes, attrition, weights); this module only lays them out: the
headline and the recruitment form here, the tabs' sections in :mod:`ui.panel_ops`.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from panel.counts import panel_counts
from panel.roster_store import recruit_panel
from panel.status import MEMBERS
from ui.context import get_store, require_page
from ui.i18n import say, t
from ui.panel_ops.common import done, flash
from ui.panel_ops.roster import roster_tab
from ui.panel_ops.waves import waves_tab

ALLOCATIONS = ("proportional_floor", "proportional", "sqrt")


def render() -> None:
    user = require_page(__name__)
    store = get_store()
    st.header(t("page_panel"))
    st.caption(t("pn_intro"))
    flash()
    counts = panel_counts(store)
    if not counts["by_status"]:
        st.info(t("pn_no_panel"))
        _recruit_form(user.username)
        return
    _metrics(counts)
    tabs = st.tabs([t("pn_tab_waves"), t("pn_tab_roster")])
    with tabs[0]:
        waves_tab(user.username)
    with tabs[1]:
        roster_tab(counts, user.username)


# -- header and recruitment -----------------------------------------------------------


def _metrics(counts: dict[str, Any]) -> None:
    in_panel = sum(counts["by_status"].get(s, 0) for s in MEMBERS)
    target = counts["target"]
    cols = st.columns(4)
    cols[0].metric(  # "in / target" as the value is cut off in a quarter of the page
        t("pn_in_panel", target=f"{target:,}") if target else t("pn_in_panel_no_target"),
        f"{in_panel:,}",
        help=t("pn_in_panel_help"),
    )
    cols[1].metric(t("pn_active"), f"{counts['active_households']:,}")
    cols[2].metric(t("pn_reserve_left"), f"{counts['reserve_left']:,}")
    cols[3].metric(t("pn_replacements"), f"{counts['replacements']:,}")


def _recruit_form(actor: str) -> None:
    with st.form("pn_recruit_form"):
        st.subheader(t("pn_recruit"))
        target = st.number_input(t("pn_target"), 10, None, 20_000, 500, key="pn_target")
        reserve = st.number_input(t("pn_reserve"), 0, None, 20_000, 500, key="pn_reserve")
        allocation = st.selectbox(
            t("pn_allocation"),
            ALLOCATIONS,
            format_func=lambda a: t(f"pn_alloc_{a}"),
            key="pn_allocation",
        )
        floor = st.number_input(t("pn_floor"), 0, None, 200, 50, key="pn_floor")
        seed = st.number_input(t("pn_seed"), 1, None, 1, 1, key="pn_seed")
        if st.form_submit_button(t("pn_recruit"), type="primary"):
            try:
                rid = recruit_panel(
                    get_store(),
                    target=int(target),
                    reserve=int(reserve),
                    allocation=allocation,
                    floor=int(floor),
                    seed=int(seed),
                    actor=actor,
                )
            except ValueError as error:  # PanelExistsError or a design the frame cannot give
                st.error(say(error))
            else:
                done(t("pn_recruited", rid=rid))
