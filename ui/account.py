"""My account: change one's own password (forced after a first login or a reset)."""

from __future__ import annotations

import streamlit as st

from data.accounts import AccountError, change_password
from ui.context import get_store, require_page, session_resolution
from ui.i18n import say, t


def render() -> None:
    user = require_page(__name__)
    st.header(t("page_account"))
    if user.must_change_password:
        st.warning(t("must_change_password"))
    st.subheader(t("change_password"))
    with st.form("change_password", clear_on_submit=True):
        old = st.text_input(t("current_password"), type="password", autocomplete="current-password")
        new = st.text_input(t("new_password"), type="password", autocomplete="new-password")
        again = st.text_input(t("repeat_password"), type="password", autocomplete="new-password")
        submitted = st.form_submit_button(t("save"), type="primary")
    if submitted:
        if new != again:
            st.error(t("passwords_differ"))
            return
        try:
            session = session_resolution().session
            change_password(
                get_store(),
                user.username,
                old,
                new,
                keep_session=None if session is None else session.session_id,
            )
        except AccountError as error:
            st.error(say(error))
            return
        st.success(t("password_changed"))
        st.rerun()
