"""The Surveys page's sample tab: draw a survey's sample from the frame, the panel or a list.

From the frame: the Seoul Survey's stratified two-stage design (:mod:`surveys.fieldwork.sampling`).
From the panel: its current households, all or those of some districts or cells, optionally a
sub-sample (:mod:`panel.survey_samples`, which states the probabilities). From an uploaded
contact list: all its accepted rows or a sub-sample (:mod:`surveys.fieldwork.contact_lists`),
its refused rows quarantined with their reasons. Every inclusion probability is recorded and
the draw is audited.
"""

from __future__ import annotations

import streamlit as st

from data.contact_lists import contact_lists_of
from panel.survey_samples import PanelSampleDesign, draw_from_panel, panel_households_by_district
from surveys.fieldwork.contact_lists import (
    CSV_TEMPLATE,
    ContactListDesign,
    ContactListRefused,
    draw_from_contact_list,
)
from surveys.fieldwork.sampling import TwoStageDesign
from surveys.opening import draw_sample, sample_summary
from ui.audit_trail import audited_download
from ui.context import get_store
from ui.glossary import reference_labels, shown
from ui.i18n import lang, say, t

SOURCES = ("frame", "panel", "contact_list")
OUTCOME = "sv_list_outcome"


def sample_tab(survey_id: int, sampled: int, actor: str) -> None:
    """The drawn sample per district, or the forms to draw it."""
    store = get_store()
    if sampled:
        _list_outcome(survey_id)
        _lists_behind(survey_id)
        st.dataframe(
            shown(
                sample_summary(store, survey_id),
                ["district_code", "areas", "households", "min_weight", "max_weight"],
                codes={"district_code": "districts"},
                store=store,
            ),
            hide_index=True,
            width="stretch",
        )
        return
    source = st.radio(
        t("sv_sample_source"),
        SOURCES,
        format_func=lambda s: t(f"sv_source_{s}"),
        horizontal=True,
        key="sv_sample_source",
    )
    if source == "panel":
        _panel_form(survey_id, actor)
    elif source == "contact_list":
        _list_form(survey_id, actor)
    else:
        _frame_form(survey_id, actor)


def _frame_form(survey_id: int, actor: str) -> None:
    st.caption(t("sv_sample_help"))
    with st.form("draw"):
        n = st.number_input(t("sv_n"), key="sv_n", min_value=10, value=20_000, step=500)
        per_area = st.number_input(t("sv_per_area"), key="sv_per_area", min_value=1, value=10)
        floor = st.number_input(t("sv_floor"), key="sv_floor", min_value=0, value=400)
        seed = st.number_input(t("sv_seed"), key="sv_seed", min_value=1, value=1)
        if st.form_submit_button(t("sv_draw"), type="primary"):
            design = TwoStageDesign(
                n_households=int(n), per_area=int(per_area), floor=int(floor), seed=int(seed)
            )
            try:
                draw_sample(get_store(), survey_id, design, actor=actor)
            except ValueError as error:
                st.error(say(error))
            else:
                st.rerun()


def _panel_form(survey_id: int, actor: str) -> None:
    store = get_store()
    by_district = panel_households_by_district(store)
    if by_district.empty:
        st.info(t("sv_panel_none"))
        return
    st.caption(t("sv_panel_help", n=int(by_district.sum())))
    names = reference_labels(store, "districts")
    types = reference_labels(store, "household_types")
    bands = reference_labels(store, "head_age_bands")
    with st.form("draw_panel"):
        districts = st.multiselect(
            t("sv_panel_districts"),
            list(by_district.index),
            format_func=lambda c: t("sv_panel_district", name=names.get(c, c), n=by_district[c]),
            key="sv_panel_districts",
            placeholder=t("sv_panel_everywhere"),
        )
        household_types = st.multiselect(
            t("sv_panel_types"), list(types), format_func=types.get, key="sv_panel_types"
        )
        head_age_bands = st.multiselect(
            t("sv_panel_bands"), list(bands), format_func=bands.get, key="sv_panel_bands"
        )
        n = st.number_input(
            t("sv_panel_n"), key="sv_panel_n", min_value=0, value=0, step=100,
            help=t("sv_panel_n_help"),
        )  # fmt: skip
        seed = st.number_input(t("sv_seed"), key="sv_panel_seed", min_value=1, value=1)
        if st.form_submit_button(t("sv_draw_panel"), type="primary"):
            design = PanelSampleDesign(
                districts=tuple(districts),
                household_types=tuple(int(v) for v in household_types),
                head_age_bands=tuple(int(v) for v in head_age_bands),
                n=int(n) or None,
                seed=int(seed),
            )
            try:
                draw_from_panel(store, survey_id, design, actor=actor)
            except ValueError as error:
                st.error(say(error))
            else:
                st.rerun()


def _list_form(survey_id: int, actor: str) -> None:
    st.caption(t("sv_list_help"))
    audited_download(
        st,
        t("sv_list_template"),
        CSV_TEMPLATE.encode("utf-8-sig"),
        file_name="contact_list.csv",
        mime="text/csv",
        key="sv_list_template",
        kind="contact_list_template",
        survey_id=survey_id,
        rows=0,
    )
    with st.form("draw_list"):
        upload = st.file_uploader(t("sv_list_file"), type=["csv", "txt"], key="sv_list_file")
        n = st.number_input(
            t("sv_list_n"), key="sv_list_n", min_value=0, value=0, step=100,
            help=t("sv_list_n_help"),
        )  # fmt: skip
        seed = st.number_input(t("sv_seed"), key="sv_list_seed", min_value=1, value=1)
        if st.form_submit_button(t("sv_draw_list"), type="primary"):
            if upload is None:
                st.error(t("sv_list_missing"))
                return
            design = ContactListDesign(n=int(n) or None, seed=int(seed))
            try:
                outcome = draw_from_contact_list(
                    get_store(), survey_id, upload.name, upload.getvalue(), design, actor=actor
                )
            except ContactListRefused as error:
                st.error(say(error))
            else:
                st.session_state[OUTCOME] = (survey_id, outcome)
                st.rerun()


def _list_outcome(survey_id: int) -> None:
    """What the list upload just did: rows read, accepted, quarantined (with their reasons)."""
    kept = st.session_state.get(OUTCOME)
    if not kept or kept[0] != survey_id:
        return
    outcome = kept[1]
    st.success(
        t(
            "sv_list_done",
            read=outcome.rows_read,
            accepted=outcome.accepted,
            quarantined=outcome.quarantined,
            sampled=outcome.sampled,
        )
    )
    if outcome.quarantined:
        st.warning(t("sv_list_refused"))
        column = "reasons_ko" if lang() == "ko" else "reasons_en"
        refused = outcome.refused_rows[["row", column]].rename(
            columns={"row": t("sv_list_row"), column: t("sv_list_reasons")}
        )
        st.dataframe(refused, hide_index=True, width="stretch")


def _lists_behind(survey_id: int) -> None:
    """The contact list a sample was drawn from: its file, rows and who uploaded it when."""
    for row in contact_lists_of(get_store(), survey_id).itertuples(index=False):
        st.caption(
            t(
                "sv_list_behind",
                file=row.file_name,
                read=int(row.rows_read),
                accepted=int(row.rows_accepted),
                quarantined=int(row.rows_quarantined),
                who=row.uploaded_by,
                when=str(row.uploaded_at)[:16],
            )
        )
