"""Streamlit entry point: language, sign-in, and the page list for the user's role.

Run with ``make run`` (``streamlit run server.py``, which serves this script with the
sign-in cookie routes). Pages live in ``ui/``. Respondents need no account:
``/respond?t=CODE`` (or ``/?t=CODE``) opens their questionnaire; everyone else signs in
and sees the pages of their role. Every staff page has an address of its own, whoever
opens it: signed out, it shows the sign-in and then the page; a page the role may not
open says so (in the chosen language) instead of "page not found".
"""

from __future__ import annotations

import streamlit as st

from data.staff_sessions import SIGN_OUT, end_session
from data.store import DatabaseLockedError
from ui import account, login, respond
from ui.context import TAB_SESSION, get_store, role_label, session_resolution
from ui.errors import LOG
from ui.i18n import language_switch, plain, streamlit_words, t
from ui.pages import PAGES, pages_for
from ui.session_routes import drop_cookie, hand_cookie_over

DROP_COOKIE = "staff_drop_cookie"  # session_state: sign-out asks the browser to forget it

st.set_page_config(page_title="서울서베이·시민패널 / Seoul Survey & Panel", layout="wide")

try:
    get_store()
except DatabaseLockedError as error:  # details to the log and the CLI, never to visitors
    LOG.error("database locked: %s", error.message("en"))
    st.info(t("service_paused"))
    st.stop()

found = session_resolution()
user = None if found.session is None else found.session.user
respond_page = st.Page(
    respond.render, title=t("page_respond"), icon=":material/edit_note:", url_path="respond"
)
st.session_state["respond_page"] = respond_page

if user is None:
    if found.ended_why:
        st.session_state[login.ENDED] = found.ended_why
        st.session_state.pop(TAB_SESSION, None)
    login_page = st.Page(
        login.render, title=t("sign_in"), icon=":material/login:", url_path="login", default=True
    )
    asked = [
        st.Page(login.for_page(t(p.key)), title=t(p.key), url_path=p.url_path)
        for p in PAGES
        if not p.default
    ]
    navigation = st.navigation([login_page, respond_page, *asked], position="hidden")
    if navigation is login_page and "t" in st.query_params:  # a letter's link to the root
        st.session_state[respond.PENDING_TOKEN] = st.query_params["t"]
        st.switch_page(respond_page)
    if navigation is not respond_page:
        language_switch()
elif user.must_change_password:
    change = st.Page(
        account.render,
        title=t("page_account"),
        icon=":material/person:",
        url_path="account",
        default=True,
    )
    elsewhere = [  # every other address shows the password change until it is done
        st.Page(account.render, title=t(p.key), url_path=p.url_path)
        for p in PAGES
        if not p.default and p.url_path != "account"
    ]
    navigation = st.navigation([change, respond_page, *elsewhere], position="hidden")
    language_switch()
else:
    staff_pages = {
        p.key: st.Page(
            p.render, title=t(p.key), icon=p.icon, url_path=p.url_path, default=p.default
        )
        for p in PAGES
    }
    navigation = st.navigation([*staff_pages.values(), respond_page], position="hidden")
    for allowed in pages_for(user.role):
        st.sidebar.page_link(staff_pages[allowed.key], label=t(allowed.key), icon=allowed.icon)
    language_switch()

streamlit_words()
if login.HANDOFF in st.session_state:
    hand_cookie_over(st.session_state.pop(login.HANDOFF))
if st.session_state.pop(DROP_COOKIE, False):
    drop_cookie()

if user is not None:
    st.sidebar.caption(t("signed_in_as", name=plain(user.display_name), role=role_label(user.role)))
    if st.sidebar.button(t("sign_out")):
        end_session(get_store(), found.session.session_id, SIGN_OUT, actor=user.username)
        st.session_state.pop(TAB_SESSION, None)
        st.session_state[DROP_COOKIE] = True
        respond.reset()
        st.rerun()

navigation.run()
