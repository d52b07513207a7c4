"""Streamlit entry point: language, sign-in, and the page list for the user's role.

Run with ``make run`` (or ``streamlit run app.py``). Pages live in ``ui/``.
Respondents need no account: ``/respond?t=CODE`` (or ``/?t=CODE``) opens their
questionnaire; everyone else signs in and sees the pages of their role.
"""

from __future__ import annotations

import streamlit as st

from data.store import DatabaseLockedError
from ui import account, login, respond
from ui.context import current_user, get_store, role_label
from ui.i18n import lang, language_switch, t
from ui.pages import pages_for

st.set_page_config(page_title="서울서베이·시민패널 / Seoul Survey & Panel", layout="wide")

try:
    get_store()
except DatabaseLockedError as error:
    st.error(t("db_locked"))
    st.write(error.message(lang()))
    st.stop()

user = current_user()
if user is None:
    respond_page = st.Page(
        respond.render, title=t("page_respond"), icon=":material/edit_note:", url_path="respond"
    )
    login_page = st.Page(
        login.render, title=t("sign_in"), icon=":material/login:", url_path="login", default=True
    )
    st.session_state["respond_page"] = respond_page
    navigation = st.navigation([login_page, respond_page], position="hidden")
    if navigation is login_page and "t" in st.query_params:  # a letter's link to the root
        st.session_state[respond.PENDING_TOKEN] = st.query_params["t"]
        st.switch_page(respond_page)
    if navigation is not respond_page:
        language_switch()
elif user.must_change_password:
    language_switch()
    navigation = st.navigation(
        [
            st.Page(
                account.render,
                title=t("page_account"),
                icon=":material/person:",
                url_path="account",
                default=True,
            )
        ]
    )
else:
    language_switch()
    navigation = st.navigation(
        [
            st.Page(
                p.render,
                title=t(p.key),
                icon=p.icon,
                url_path=p.key.removeprefix("page_"),
                default=p.default,
            )
            for p in pages_for(user.role)
        ]
    )

if user is not None:
    st.sidebar.caption(t("signed_in_as", name=user.display_name, role=role_label(user.role)))
    if st.sidebar.button(t("sign_out")):
        st.session_state.pop("user", None)
        respond.reset()
        st.rerun()

navigation.run()
