"""Fieldwork: excluding flagged responses from estimation, the active exclusions, and
restoring them (statisticians and administrators only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.exclusions import ExclusionError, exclude, restore
from data.store import Store
from ui.fieldwork.common import NOTICE, flag_label, flags_text, lookup
from ui.i18n import say, t


def exclude_form(
    store: Store,
    survey_id: int,
    flagged: pd.DataFrame,
    excluded: set[tuple[int, int]],
    actor: str,
) -> None:
    labels: dict[tuple[int, int], str] = {}
    first_flag: dict[tuple[int, int], str] = {}
    for row in flagged.itertuples(index=False):
        key = (int(row.household_id), int(row.member_no))
        if key in excluded:
            continue
        labels[key] = t(
            "fw_ex_part_label",
            household=key[0],
            member=key[1],
            flags=flags_text(row.flags),
        )
        first_flag[key] = row.flags.split(",")[0]
    if not labels:
        st.info(t("fw_ex_none_left") if not flagged.empty else t("fw_no_flagged"))
        return
    with st.form("fw_ex_form", clear_on_submit=True):
        part = st.selectbox(
            t("fw_ex_part"), list(labels), key="fw_ex_part", format_func=lookup(labels)
        )
        reason = st.text_input(
            t("fw_ex_reason"), key="fw_ex_reason", placeholder=t("fw_ex_reason_placeholder")
        )
        submitted = st.form_submit_button(t("fw_ex_submit"), type="primary", key="fw_ex_submit")
    if not submitted or part is None:
        return
    household, member = part
    try:
        exclusion_id = exclude(
            store,
            survey_id,
            household,
            member,
            reason=reason,
            actor=actor,
            flag=first_flag.get(part) or None,
        )
    except ExclusionError as error:
        st.error(say(error))
        return
    st.session_state[NOTICE] = t(
        "fw_ex_done", household=household, member=member, exclusion_id=exclusion_id
    )
    st.rerun()


def active_table(exclusions: pd.DataFrame) -> None:
    if exclusions.empty:
        st.info(t("fw_no_active"))
        return
    view = exclusions.assign(flag=exclusions["flag"].map(flag_label))
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        column_config={
            "exclusion_id": st.column_config.NumberColumn(t("fw_exclusion_id"), format="%d"),
            "household_id": st.column_config.NumberColumn(t("fw_household"), format="%d"),
            "member_no": st.column_config.NumberColumn(t("fw_member"), format="%d"),
            "flag": t("fw_flag"),
            "reason": t("fw_reason"),
            "excluded_by": t("fw_excluded_by"),
            "excluded_at": st.column_config.DatetimeColumn(
                t("fw_excluded_at"), format="YYYY-MM-DD HH:mm"
            ),
        },
    )


def restore_form(store: Store, exclusions: pd.DataFrame, actor: str) -> None:
    parts = {
        int(row.exclusion_id): (int(row.household_id), int(row.member_no))
        for row in exclusions.itertuples(index=False)
    }
    labels = {
        i: t("fw_restore_label", exclusion_id=i, household=h, member=m)
        for i, (h, m) in parts.items()
    }
    with st.form("fw_ex_restore_form", clear_on_submit=True):
        exclusion_id = st.selectbox(
            t("fw_restore_id"),
            list(parts),
            key="fw_ex_restore_id",
            format_func=lookup(labels),
        )
        reason = st.text_input(t("fw_restore_reason"), key="fw_ex_restore_reason")
        submitted = st.form_submit_button(
            t("fw_restore_submit"), type="primary", key="fw_ex_restore_submit"
        )
    if not submitted or exclusion_id is None:
        return
    try:
        restore(store, exclusion_id, reason=reason, actor=actor)
    except ExclusionError as error:
        st.error(say(error))
        return
    household, member = parts[exclusion_id]
    st.session_state[NOTICE] = t(
        "fw_restore_done", exclusion_id=exclusion_id, household=household, member=member
    )
    st.rerun()
