"""Panel page, a wave's steps 4 and 5: close-out (the attrition plan previewed and applied,
leavers replaced from the reserve) and the wave's and longitudinal weights."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from panel.attrition import (
    AttritionPlan,
    apply_attrition,
    leavers_without_replacement,
    plan_attrition,
    replace_leavers,
)
from panel.status import StatusError
from panel.waves import Wave, WaveError
from panel.weights import longitudinal_versions, store_longitudinal_weights, store_wave_weights
from ui.context import get_store
from ui.glossary import one_language, shown
from ui.i18n import say, t
from ui.panel_ops.common import done, match_flag, status_label, wave_label


def closeout_section(wave: Wave, actor: str) -> None:
    st.subheader(t("pn_closeout"))
    if wave.attrition_applied:
        st.caption(t("pn_applied_at", at=f"{wave.attrition_applied_at:%Y-%m-%d %H:%M}"))
        _replace_step(wave, actor)
        return
    if st.button(t("pn_preview"), key="pn_preview"):
        st.session_state["pn_plan"] = plan_attrition(get_store(), wave.survey_id)
    plan: AttritionPlan | None = st.session_state.get("pn_plan")
    if plan is not None and plan.survey_id != wave.survey_id:
        plan = None
    if plan is not None:
        _show_plan(plan)
    else:
        st.caption(t("pn_preview_first"))
    if st.button(
        t("pn_apply"),
        type="primary",
        key="pn_apply",
        disabled=plan is None,
        help=t("pn_apply_help"),
    ):
        try:
            applied = apply_attrition(get_store(), wave.survey_id, actor=actor, previewed=plan)
        except WaveError as error:
            st.session_state.pop("pn_plan", None)
            st.error(say(error))
        else:
            st.session_state.pop("pn_plan", None)
            done(t("pn_applied", code=wave.code, n=len(applied.changes), left=len(applied.leaving)))


def _show_plan(plan: AttritionPlan) -> None:
    summary = plan.summary()
    st.markdown("**" + t("pn_plan_summary") + "**")
    if summary.empty:
        st.caption(t("pn_no_changes"))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    t("pn_from"): summary["status"].map(status_label),
                    t("pn_to"): summary["new_status"].map(status_label),
                    t("pn_households"): summary["households"],
                }
            ),
            hide_index=True,
            key="pn_plan_summary",
        )
    leaving = plan.leaving
    st.markdown("**" + t("pn_leaving", n=len(leaving)) + "**")
    st.dataframe(
        pd.DataFrame(
            {
                t("pn_household"): leaving["household_id"],
                t("pn_from"): leaving["status"].map(status_label),
                t("pn_to"): leaving["new_status"].map(status_label),
                t("pn_why"): leaving["why"].map(one_language),
            }
        ),
        hide_index=True,
        key="pn_plan_leaving",
    )


def _replace_step(wave: Wave, actor: str) -> None:
    awaiting = len(leavers_without_replacement(get_store()))
    st.caption(t("pn_awaiting", n=awaiting))
    cols = st.columns([1, 1])
    seed = cols[0].number_input(
        t("pn_replace_seed"), 1, None, wave.wave_no, 1, key="pn_replace_seed"
    )
    if cols[1].button(t("pn_replace"), key="pn_replace", disabled=awaiting == 0):
        try:
            outcome = replace_leavers(get_store(), wave.survey_id, seed=int(seed), actor=actor)
        except (WaveError, StatusError) as error:
            st.error(say(error))
        else:
            made = outcome.replacements
            levels = (
                made.groupby(["match_level", "match_flag"], dropna=False).size().reset_index()
                if not made.empty
                else pd.DataFrame(columns=["match_level", "match_flag", 0])
            )
            st.session_state["pn_replacement"] = {
                "survey_id": wave.survey_id,
                "n": len(made),
                "shortfall": int(outcome.shortfall),
                "levels": levels.rename(columns={0: "households"}).to_dict("records"),
            }
            st.rerun()
    result = st.session_state.get("pn_replacement")
    if result and result["survey_id"] == wave.survey_id:
        st.success(t("pn_replaced", n=result["n"], shortfall=result["shortfall"]))
        if result["levels"]:
            levels = shown(
                pd.DataFrame(result["levels"]),
                codes={"match_level": "match_level", "match_flag": match_flag},
            )
            st.dataframe(levels, hide_index=True, key="pn_replacement_levels")


# -- 5. weights -----------------------------------------------------------------------


def weights_section(wave: Wave, waves: list[Wave], actor: str) -> None:
    store = get_store()
    st.subheader(t("pn_weights"))
    if st.button(t("pn_wave_weights"), key="pn_weights_wave", disabled=wave.status == "draft"):
        try:
            wid = store_wave_weights(store, wave.survey_id, actor=actor)
        except ValueError as error:
            st.error(say(error))
        else:
            st.success(t("pn_weights_stored", wid=wid))
    closed = {w.survey_id: w for w in waves if w.status == "closed"}
    chosen = st.multiselect(
        t("pn_long_waves"),
        list(closed),
        default=list(closed),
        key="pn_long_waves",
        format_func=lambda i: wave_label(closed[i]),
        placeholder=t("choose"),
    )
    if st.button(t("pn_long_weights"), key="pn_weights_long"):
        if not chosen:
            st.error(t("pn_need_waves"))
        else:
            try:
                wid = store_longitudinal_weights(store, list(chosen), actor=actor)
            except ValueError as error:
                st.error(say(error))
            else:
                st.success(t("pn_weights_stored", wid=wid))
    versions = longitudinal_versions(store, wave.survey_id)
    st.markdown("**" + t("pn_long_versions") + "**")
    if versions.empty:
        st.caption(t("pn_no_long"))
    else:
        versions = versions.assign(wave_codes=versions["wave_codes"].map(", ".join))
        st.dataframe(
            shown(versions.drop(columns=["wave_ids"], errors="ignore")),
            hide_index=True,
            key="pn_long_versions",
        )
