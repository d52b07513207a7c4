"""Panel page, roster tab: households by status, one household looked up, a status changed,
a household moved to another district."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from panel.roster_store import change_status, load_roster, move_household
from panel.status import STATUSES, StatusError
from ui.audit_trail import audit_view_once
from ui.context import get_store
from ui.glossary import shown
from ui.i18n import say, t
from ui.panel_ops.common import district_label, district_names, done, status_label

ROSTER_COLUMNS = [
    "household_id", "status", "role", "district_code", "household_type", "head_age_band",
    "joined_wave", "replaces", "match_level", "recruited_at",
]  # fmt: skip
ROSTER_CODES = {
    "status": "panel_status", "role": "panel_role", "district_code": "districts",
    "household_type": "household_types", "head_age_band": "head_age_bands",
    "match_level": "match_level",
}  # fmt: skip


def roster_tab(counts: dict[str, Any], actor: str) -> None:
    st.subheader(t("pn_by_status"))
    by_status = counts["by_status"]
    st.dataframe(
        pd.DataFrame(
            {
                t("pn_status"): [status_label(s) for s in STATUSES if s in by_status],
                t("pn_households"): [by_status[s] for s in STATUSES if s in by_status],
            }
        ),
        hide_index=True,
        key="pn_status_counts",
    )
    _lookup()
    _status_form(actor)
    _move_form(actor)


def _lookup() -> None:
    household = st.number_input(t("pn_lookup"), min_value=1, value=None, step=1, key="pn_lookup")
    if household is None:
        return
    roster = load_roster(get_store())
    row = roster.loc[roster["household_id"] == int(household)]
    if row.empty:
        st.warning(t("pn_not_in_roster", hid=int(household)))
        return
    audit_view_once(  # once per household and session, not on every rerun
        "personal_data_viewed", f"household:{int(household)}", {"page": "panel roster"}
    )
    st.dataframe(
        shown(
            row,
            [c for c in ROSTER_COLUMNS if c in row.columns],
            codes=ROSTER_CODES,
            store=get_store(),
        ),
        hide_index=True,
        key="pn_lookup_row",
    )
    st.caption(t("pn_history_note"))


def _status_form(actor: str) -> None:
    with st.form("pn_status_form"):
        st.markdown("**" + t("pn_change_status") + "**")
        cols = st.columns([1, 1, 2])
        household = cols[0].number_input(
            t("pn_household"), min_value=1, value=None, step=1, key="pn_st_household"
        )
        status = cols[1].selectbox(
            t("pn_new_status"), STATUSES[1:], format_func=status_label, key="pn_st_status"
        )
        why = cols[2].text_input(t("pn_why"), key="pn_st_why")
        if not st.form_submit_button(t("pn_change")):
            return
    if household is None:
        st.error(t("pn_need_household"))
        return
    if not why.strip():
        st.error(t("pn_need_why"))
        return
    changes = pd.DataFrame({"household_id": [int(household)], "status": [status], "why": [why]})
    try:
        change_status(get_store(), changes, actor=actor)
    except StatusError as error:
        st.error(say(error))
    else:
        done(t("pn_changed", hid=int(household), status=status_label(status)))


def _move_form(actor: str) -> None:
    districts = district_names()
    with st.form("pn_move_form"):
        st.markdown("**" + t("pn_move") + "**")
        st.caption(t("pn_move_help"))
        cols = st.columns([1, 1, 2])
        household = cols[0].number_input(
            t("pn_household"), min_value=1, value=None, step=1, key="pn_mv_household"
        )
        district = cols[1].selectbox(
            t("pn_new_district"), list(districts), format_func=district_label, key="pn_mv_district"
        )
        why = cols[2].text_input(t("pn_why"), key="pn_mv_why")
        if not st.form_submit_button(t("pn_move")):
            return
    if household is None:
        st.error(t("pn_need_household"))
        return
    if not why.strip():
        st.error(t("pn_need_why"))
        return
    try:
        move_household(get_store(), int(household), district, actor=actor, why=why)
    except StatusError as error:
        st.error(say(error))
    else:
        done(t("pn_moved", hid=int(household), district=district_label(district)))
