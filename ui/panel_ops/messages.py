"""Panel page, a wave's steps 1 and 2: invitations and reminders, each a message batch in the
outbox with a download of its list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.config import setting
from panel.messaging import CsvOutbox, MessageBatch
from panel.waves import (
    Wave,
    WaveError,
    issue_invitations,
    message_log,
    reminder_list,
    send_reminders,
    wave_households,
)
from ui.audit_trail import audited_download
from ui.context import get_store
from ui.glossary import shown
from ui.i18n import say, t
from ui.panel_ops.common import outbox_folder


def _keep_batch(wave: Wave, batch: MessageBatch) -> None:
    """Keep the list's bytes for the download button across the rerun (shown once)."""
    st.session_state["pn_batch"] = {
        "survey_id": wave.survey_id,
        "kind": batch.kind,
        "name": batch.name,
        "data": batch.to_csv_bytes(),
        "n": len(batch.recipients),
        "where": str(outbox_folder() / f"{batch.name}.csv"),
    }


def _batch_download(wave: Wave, kind: str) -> None:
    batch = st.session_state.get("pn_batch")
    if not batch or batch["survey_id"] != wave.survey_id or batch["kind"] != kind:
        return
    st.caption(t("pn_sent_to", n=batch["n"], where=batch["where"]))
    if kind == "invitation":
        st.warning(t("pn_codes_once"))
    audited_download(  # audited on the press (on_click), then the list is forgotten
        st,
        t("pn_download"),
        batch["data"],
        file_name=f"{batch['name']}.csv",
        mime="text/csv",
        key=f"pn_download_{kind}",
        kind=f"{kind}_batch",
        survey_id=wave.survey_id,
        survey=wave.code,
        rows=batch["n"],
        then=lambda: st.session_state.pop("pn_batch", None),
    )


def invitations_section(wave: Wave, actor: str) -> None:
    store = get_store()
    st.subheader(t("pn_invitations"))
    log = message_log(store, wave.survey_id)
    sent = log.loc[log["kind"] == "invitation"]
    if not sent.empty:
        at = pd.Timestamp(sent["exported_at"].iat[0])
        st.caption(
            t("pn_invited_already", n=int(sent["households"].iat[0]), at=f"{at:%Y-%m-%d %H:%M}")
        )
    elif wave.attrition_applied:
        st.info(t("pn_closed"))
    else:
        st.caption(t("pn_issue_help"))
        n = len(wave_households(store, wave.survey_id))
        if st.button(t("pn_issue", n=n), type="primary", key="pn_issue"):
            try:
                batch = issue_invitations(
                    store,
                    wave.survey_id,
                    sender=CsvOutbox(outbox_folder()),
                    base_url=setting("SEOUL_PUBLIC_URL"),
                    actor=actor,
                )
            except WaveError as error:
                st.error(say(error))
            else:
                _keep_batch(wave, batch)
                st.rerun()
    _batch_download(wave, "invitation")


def reminders_section(wave: Wave, actor: str) -> None:
    store = get_store()
    st.subheader(t("pn_reminders_title"))
    if not wave.reminders:
        st.caption(t("pn_no_reminders"))
    elif wave.status == "closed":
        st.caption(t("pn_closed"))
    elif wave.status != "in_field":
        st.caption(t("pn_not_in_field"))
    for number, day in enumerate(wave.reminders, start=1):
        waiting = len(reminder_list(store, wave.survey_id, number))
        cols = st.columns([3, 1])
        cols[0].write(t("pn_reminder_round", round=number, date=day.isoformat(), n=f"{waiting:,}"))
        if cols[1].button(
            t("pn_send_reminder", round=number),
            key=f"pn_remind_{number}",
            disabled=wave.status != "in_field",
        ):
            try:
                batch = send_reminders(
                    store, wave.survey_id, number, sender=CsvOutbox(outbox_folder()), actor=actor
                )
            except WaveError as error:
                st.error(say(error))
            else:
                _keep_batch(wave, batch)
                st.rerun()
    _batch_download(wave, "reminder")
    log = message_log(store, wave.survey_id)
    st.markdown("**" + t("pn_message_log") + "**")
    if log.empty:
        st.caption(t("pn_no_messages"))
    else:
        st.dataframe(
            shown(log, codes={"kind": "message_kind"}), hide_index=True, key="pn_message_log"
        )
