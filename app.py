"""Streamlit entry point: language, sign-in, and the page list for the user's role.

Run with ``make run`` (or ``streamlit run app.py``). Pages live in ``ui/``.
"""

from __future__ import annotations

import streamlit as st

from data.store import DatabaseLockedError
from ui import login
from ui.context import current_user, get_store, role_label
from ui.i18n import lang, language_switch, t
from ui.pages import pages_for

st.set_page_config(page_title="서울서베이·시민패널 / Seoul Survey & Panel", layout="wide")
language_switch()

try:
    get_store()
except DatabaseLockedError as error:
    st.error(t("db_locked"))
    st.write(error.message(lang()))
    st.stop()

user = current_user()
if user is None:
    navigation = st.navigation(
        [
            st.Page(
                login.render,
                title=t("sign_in"),
                icon=":material/login:",
                url_path="login",
                default=True,
            )
        ]
    )
elif user.must_change_password:
    from ui import account

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
        st.rerun()

navigation.run()
