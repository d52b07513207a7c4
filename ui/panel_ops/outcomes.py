"""Panel page, a wave's step 3: its AAPOR rates and recording outcomes, one household at a
time or from a CSV file."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from panel.outcomes import RECORDED, record_outcomes, wave_rates
from panel.waves import Wave, WaveError
from ui.context import get_store
from ui.glossary import label, shown
from ui.i18n import say, t
from ui.panel_ops.common import district_label, done, outcome_label, pct

RATE_COLUMNS = ("RR1", "COOP1", "REF1", "CON1")
OUTCOME_COLUMNS = ("invited", "I", "P", "R", "NC", "O", "NE")


def outcomes_section(wave: Wave, overall: pd.DataFrame, actor: str) -> None:
    st.subheader(t("pn_outcomes"))
    st.caption(t("pn_rates_help"))
    cols = st.columns(len(RATE_COLUMNS))
    for col, rate in zip(cols, RATE_COLUMNS, strict=True):
        col.metric(label("aapor", rate), pct(overall[rate].iat[0]))
    with st.expander(t("pn_by_district")):
        by_district = wave_rates(get_store(), wave.survey_id, by="district_code")
        view = by_district.assign(**{r: by_district[r].map(pct) for r in RATE_COLUMNS})
        st.dataframe(
            shown(
                view,
                ["district_code", *OUTCOME_COLUMNS, *RATE_COLUMNS],
                codes={"district_code": district_label},
                names={c: label("aapor", c) for c in (*OUTCOME_COLUMNS, *RATE_COLUMNS)},
            ),
            hide_index=True,
            key="pn_rates_by_district",
        )
    if wave.attrition_applied:
        st.caption(t("pn_outcomes_closed"))
        return
    _record_one_form(wave, actor)
    _record_csv(wave, actor)


def _record(wave: Wave, frame: pd.DataFrame, actor: str) -> None:
    try:
        n = record_outcomes(get_store(), wave.survey_id, frame, actor=actor)
    except (WaveError, ValueError) as error:
        st.error(say(error))
    else:
        done(t("pn_recorded", n=n))


def _record_one_form(wave: Wave, actor: str) -> None:
    with st.form("pn_outcome_form"):
        st.markdown("**" + t("pn_record_one") + "**")
        cols = st.columns([1, 1, 2])
        household = cols[0].number_input(
            t("pn_household"), min_value=1, value=None, step=1, key="pn_out_household"
        )
        outcome = cols[1].selectbox(
            t("pn_outcome"), RECORDED, format_func=outcome_label, key="pn_out_outcome"
        )
        note = cols[2].text_input(t("pn_note"), key="pn_out_note")
        if not st.form_submit_button(t("pn_record")):
            return
    if household is None:
        st.error(t("pn_need_household"))
        return
    frame = pd.DataFrame(
        {"household_id": [int(household)], "outcome": [outcome], "note": [note or None]}
    )
    _record(wave, frame, actor)


def _record_csv(wave: Wave, actor: str) -> None:
    # Streamlit draws "Drag and drop file here" / "Upload" in English: the label and help say
    # what to upload
    upload = st.file_uploader(
        t("pn_upload"), type=["csv"], key="pn_out_csv", help=t("pn_upload_help")
    )
    if upload is None or not st.button(t("pn_upload_button"), key="pn_out_upload"):
        return
    try:
        frame = pd.read_csv(io.BytesIO(upload.getvalue()), encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError) as error:
        st.error(t("pn_unreadable_csv", error=say(error)))
        return
    missing = [c for c in ("household_id", "outcome") if c not in frame.columns]
    if missing:
        st.error(t("pn_bad_csv", missing=", ".join(missing)))
        return
    try:
        frame["household_id"] = frame["household_id"].astype("int64")
    except (ValueError, TypeError) as error:
        st.error(t("pn_unreadable_csv", error=say(error)))
        return
    _record(wave, frame, actor)
