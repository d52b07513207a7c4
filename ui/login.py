"""Sign-in page for staff (respondents use access codes, not this page).

A signed-out visitor who opens any staff address (a bookmark, a reload after the session
ended, a typed URL) gets this page at that address; once signed in, the same address shows
the page asked for, if the role may open it.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from data.accounts import authenticate, sign_in_wait
from data.bootstrap import database_kind
from data.config import session_policy
from data.staff_sessions import start_session
from demo.accounts import DEMO_ACCOUNTS
from ui.context import TAB_SESSION, client_address, get_store, role_label
from ui.i18n import t

HANDOFF = "staff_handoff"  # session_state: the nonce the browser redeems for its cookie
ENDED = "staff_session_ended"  # session_state: why the last sign-in ended (shown once)


def render(asked: str | None = None) -> None:
    store = get_store()
    st.title(t("app_title"))
    st.subheader(t("login_title"))
    ended = st.session_state.pop(ENDED, None)
    if ended:
        st.info(t(f"session_ended_{ended}"))
    st.caption(t("login_asked", page=asked) if asked else t("login_intro"))
    if "respond_page" in st.session_state:
        st.page_link(
            st.session_state["respond_page"],
            label=t("respondent_link"),
            icon=":material/edit_note:",
        )
    with st.form("login", border=True):
        username = st.text_input(t("username"), autocomplete="username", max_chars=64)
        password = st.text_input(
            t("password"), type="password", autocomplete="current-password", max_chars=256
        )
        submitted = st.form_submit_button(t("sign_in"), type="primary", width="stretch")
    if submitted:
        address = client_address()
        user = authenticate(store, username, password, address=address)
        wait = sign_in_wait(store, address)
        if user is None and wait:
            st.error(t("login_throttled", minutes=max(1, round(wait / 60))))
        elif user is None:
            st.error(t("login_failed"))
        else:
            started = start_session(store, user, session_policy())
            st.session_state[TAB_SESSION] = started.session_id
            st.session_state[HANDOFF] = started.handoff
            st.rerun()
    if database_kind(store) == "demo":
        with st.expander(t("demo_accounts")):
            st.caption(t("demo_accounts_help"))
            # a plain text table: a data table would make the sign-in page load its grid code
            rows = [f"| {t('role')} | {t('username')} | {t('password')} |", "|---|---|---|"]
            rows += [f"| {role_label(r)} | `{n}` | `{pw}` |" for n, pw, r, _ in DEMO_ACCOUNTS]
            st.markdown("\n".join(rows))


def for_page(title: str) -> Callable[[], None]:
    """The sign-in page shown at a staff page's address (``title``: the page asked for)."""

    def sign_in_first() -> None:
        render(asked=title)

    return sign_in_first
