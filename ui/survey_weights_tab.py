"""The Surveys page's weights tab: a cross-sectional survey's weights, made when the manager
asks (household weights, and person weights when the questionnaire has a person part).

Each click stores a new version (:func:`analysis.weights.survey_weights.make_weights`,
audited); reports and estimates use the newest unless another is chosen. A panel wave's
weights are made on the Panel page.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.reports.versions import all_weights_versions
from analysis.tables import NoWeights
from analysis.weights.survey_weights import make_weights
from ui.context import get_store
from ui.glossary import label
from ui.i18n import say, t


def weights_tab(survey_id: int, kind: str, actor: str) -> None:
    """The stored versions, newest first, and the button that makes a new one."""
    if kind != "cross_section":
        st.info(t("sv_weights_panel"))
        return
    store = get_store()
    versions = all_weights_versions(store, survey_id)
    st.caption(t("sv_weights_help"))
    if versions:
        st.dataframe(_table(versions), hide_index=True, width="stretch")
    else:
        st.info(t("sv_weights_none"))
    if st.button(t("sv_weights_make"), key="sv_weights_make", type="primary"):
        try:
            made = make_weights(store, survey_id, actor=actor)
        except (ValueError, NoWeights) as error:
            st.error(t("sv_weights_failed", detail=say(error)))
        else:
            st.session_state["sv_weights_made"] = (survey_id, made)
            st.rerun()
    made = st.session_state.get("sv_weights_made")
    if made and made[0] == survey_id:
        st.success(
            t(
                "sv_weights_done",
                units=", ".join(
                    f"{label('weights_unit', unit)} (ID {weights_id})"
                    for unit, weights_id in made[1].items()
                ),
            )
        )


def _table(versions: dict) -> pd.DataFrame:
    rows = [
        {
            t("sv_weights_unit"): label("weights_unit", v.unit),
            t("sv_weights_version"): v.version,
            t("sv_weights_id"): v.weights_id,
            t("sv_weights_respondents"): v.parameters.get("respondents"),
            t("sv_weights_calibrated"): _calibration(v.parameters),
            t("sv_weights_created"): str(v.created_at)[:16],
        }
        for v in sorted(versions.values(), key=lambda v: v.weights_id, reverse=True)
    ]
    return pd.DataFrame(rows)


def _calibration(parameters: dict) -> str:
    """The margins a version was calibrated to, or that it was not calibrated."""
    margins = parameters.get("margins") or {}
    if not margins:
        return t("sv_weights_uncalibrated")
    return ", ".join(str(name) for name in margins)
