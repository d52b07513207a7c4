"""Fieldwork: quality flags (speeders, straight-lining, item nonresponse) and the flagged
responses, with the statisticians' exclusion forms."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.exclusions import active_exclusions
from data.accounts import ADMIN, STATISTICIAN
from data.store import Store
from surveys.fieldwork.quality import (
    ITEM_NONRESPONSE_LIMIT,
    MIN_GRID_ITEMS,
    MIN_OPTIONAL,
    SPEED_RATIO,
    flag_counts,
    quality_flags,
)
from ui.fieldwork.common import NOTICE, flag_label, flags_text, lookup, part_label
from ui.fieldwork.exclusions import active_table, exclude_form, restore_form
from ui.i18n import t

MAY_EXCLUDE = (STATISTICIAN, ADMIN)
FLAG_FILTERS = ("any", "speeder", "straight_lining", "high_item_nonresponse")


@st.cache_data(show_spinner="품질 표시 계산 중 / computing quality flags …", max_entries=32)
def _flags(_store: Store, database: str, survey_id: int, responses: int) -> pd.DataFrame:
    """Quality flags of a survey, computed again only when its count of responses changes."""
    return quality_flags(_store, survey_id)


def quality_section(store: Store, survey_id: int, responses: int, role: str, actor: str) -> None:
    st.subheader(t("fw_quality"))
    st.caption(
        t(
            "fw_quality_help",
            ratio=f"1/{round(1 / SPEED_RATIO)}",
            grid=MIN_GRID_ITEMS,
            limit=f"{ITEM_NONRESPONSE_LIMIT:.0%}",
            optional=MIN_OPTIONAL,
        )
    )
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.success(notice)
    flags = _flags(store, str(store.path), survey_id, responses)
    counts = flag_counts(flags)
    cols = st.columns(len(FLAG_FILTERS))
    for col, flag in zip(cols, FLAG_FILTERS, strict=True):
        col.metric(flag_label(flag), f"{counts[flag]:,}", help=t("fw_of_parts", n=counts["parts"]))
    exclusions = active_exclusions(store, survey_id)
    names = {flag: flag_label(flag) for flag in FLAG_FILTERS}
    chosen = st.selectbox(
        t("fw_flag_filter"), FLAG_FILTERS, key="fw_flag", format_func=lookup(names)
    )
    flagged = _flagged(flags, chosen)
    excluded = set(
        zip(
            exclusions["household_id"].astype(int), exclusions["member_no"].astype(int), strict=True
        )
    )
    if flagged.empty:
        st.info(t("fw_no_flagged"))
    else:
        _flagged_table(flagged, excluded)
    st.caption(t("fw_excluded_count", n=len(exclusions)))
    if role not in MAY_EXCLUDE:
        active_table(exclusions)
        st.caption(t("fw_ex_only_statisticians"))
        return
    st.markdown(f"**{t('fw_exclude_title')}**")
    st.caption(t("fw_exclude_help"))
    exclude_form(store, survey_id, flagged, excluded, actor)
    st.markdown(f"**{t('fw_active')}**")
    active_table(exclusions)
    if not exclusions.empty:
        restore_form(store, exclusions, actor)


def _flagged(flags: pd.DataFrame, chosen: str) -> pd.DataFrame:
    keep = flags["flags"] != "" if chosen == "any" else flags[chosen].astype(bool)
    return flags.loc[keep].reset_index(drop=True)


def _flagged_table(flagged: pd.DataFrame, excluded: set[tuple[int, int]]) -> None:
    keys = zip(flagged["household_id"].astype(int), flagged["member_no"].astype(int), strict=True)
    view = pd.DataFrame(
        {
            "household_id": flagged["household_id"],
            "member_no": flagged["member_no"],
            "part": flagged["part"].map(part_label),
            "seconds": flagged["seconds"].astype(float).round(0),
            "median_seconds": flagged["median_seconds"].astype(float).round(0),
            "grids": flagged["straight_lined_grids"],
            "item_nonresponse": 100 * flagged["item_nonresponse"].astype(float),
            "unanswered": [
                f"{u} / {o}"
                for u, o in zip(flagged["unanswered"], flagged["optional_asked"], strict=True)
            ],
            "flags": flagged["flags"].map(flags_text),
            "excluded": [key in excluded for key in keys],
        }
    )
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        column_config={
            "household_id": st.column_config.NumberColumn(t("fw_household"), format="%d"),
            "member_no": st.column_config.NumberColumn(t("fw_member"), format="%d"),
            "part": t("fw_part"),
            "seconds": st.column_config.NumberColumn(t("fw_seconds"), format="%d"),
            "median_seconds": st.column_config.NumberColumn(t("fw_median_seconds"), format="%d"),
            "grids": t("fw_grids"),
            "item_nonresponse": st.column_config.NumberColumn(
                t("fw_item_nonresponse"), format="%.1f"
            ),
            "unanswered": t("fw_unanswered"),
            "flags": t("fw_flags"),
            "excluded": st.column_config.CheckboxColumn(t("fw_excluded")),
        },
    )
