"""Sign-in page for staff (respondents use access codes, not this page)."""

from __future__ import annotations

import streamlit as st

from data.accounts import authenticate
from data.bootstrap import database_kind
from data.seed import DEMO_ACCOUNTS
from ui.context import get_store, role_label
from ui.i18n import t


def render() -> None:
    store = get_store()
    st.title(t("app_title"))
    st.subheader(t("login_title"))
    st.caption(t("login_intro"))
    if "respond_page" in st.session_state:
        st.page_link(
            st.session_state["respond_page"],
            label=t("respondent_link"),
            icon=":material/edit_note:",
        )
    with st.form("login", border=True):
        username = st.text_input(t("username"), autocomplete="username")
        password = st.text_input(t("password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("sign_in"), type="primary", width="stretch")
    if submitted:
        user = authenticate(store, username, password)
        if user is None:
            st.error(t("login_failed"))
        else:
            st.session_state.user = user
            st.rerun()
    if database_kind(store) == "demo":
        with st.expander(t("demo_accounts")):
            st.caption(t("demo_accounts_help"))
            st.table(
                {
                    t("role"): [role_label(role) for _, _, role, _ in DEMO_ACCOUNTS],
                    t("username"): [name for name, _, _, _ in DEMO_ACCOUNTS],
                    t("password"): [pw for _, pw, _, _ in DEMO_ACCOUNTS],
                }
            )
