"""The app's one database connection (per process) and the signed-in member of staff.

A sign-in is a row of ``staff_sessions`` (:mod:`data.staff_sessions`), found again on
every run of every page: by the id this tab keeps after signing in, or by the HttpOnly
cookie the browser sends on a reload or in a new tab. The role is always read from the
database, never from the browser.
"""

from __future__ import annotations

import streamlit as st

from data.accounts import ROLES, User
from data.audit import log_event
from data.bootstrap import prepare
from data.config import database_config, session_policy, setting
from data.staff_sessions import Resolution, resolve
from data.store import Store
from ui.i18n import say, t
from ui.pages import roles_of

SESSION_COOKIE = "seoul_session"  # set by server.py's /auth/session route (ui/session_routes.py)
TAB_SESSION = "staff_session"  # session_state: the id of the sign-in made in this tab

_OPENED: dict[str, Store] = {}  # the store get_store opened, for the cookie routes


@st.cache_resource(show_spinner="데이터베이스 준비 중 / preparing the database …")
def get_store() -> Store:
    """Open and prepare the configured database once per process (held while the app runs)."""
    store = prepare(database_config()).store
    _OPENED["store"] = store
    return store


def opened_store() -> Store | None:
    """The store the app has opened, if any (for HTTP routes, outside a page's run)."""
    return _OPENED.get("store")


def _cookie_token() -> str | None:
    """The session cookie the browser sent when this tab connected (None without one)."""
    try:
        token = st.context.cookies.get(SESSION_COOKIE)
    except (AttributeError, RuntimeError):  # no browser behind this run (AppTest, bare mode)
        return None
    return token if isinstance(token, str) and token else None


def session_resolution() -> Resolution:
    """This tab's sign-in as the database has it now (or why it ended)."""
    return resolve(
        get_store(),
        session_policy(),
        session_id=st.session_state.get(TAB_SESSION),
        token=_cookie_token(),
    )


def client_address() -> str | None:
    """The signing-in client's address: the connection's, or behind ``SEOUL_TRUSTED_PROXIES``
    proxies the one the outermost trusted proxy saw (X-Forwarded-For, counted from the right;
    entries a client wrote itself further left are ignored)."""
    try:
        hops = int(setting("SEOUL_TRUSTED_PROXIES").strip() or 0)
    except ValueError:
        hops = 0
    try:
        if hops > 0:
            chain = [a.strip() for a in st.context.headers.get("X-Forwarded-For", "").split(",")]
            chain = [a for a in chain if a]
            if len(chain) >= hops:
                return chain[-hops]
        address = st.context.ip_address
    except (AttributeError, RuntimeError):  # no browser behind this run (AppTest)
        return None
    return address if isinstance(address, str) and address else None


def current_user() -> User | None:
    found = session_resolution().session
    return None if found is None else found.user


def role_label(role: str) -> str:
    return say(ROLES[role])


def require_page(module: str) -> User:
    """Server-side gate at the top of every staff page (``require_page(__name__)``): stop
    rendering unless the signed-in role is in the page's entry of the registry
    (:data:`ui.pages.PAGES`). Deny by default: a module with no entry is refused to everyone."""
    roles = roles_of(module)
    user = current_user()
    if user is None:
        st.stop()  # signed out: the app shows the sign-in at this address
    if user.role not in roles:
        detail = {"role": user.role, "page": module}
        log_event(get_store(), user.username, "page_refused", _page_address() or module, detail)
        if roles:
            st.error(t("not_allowed", roles=", ".join(role_label(r) for r in roles)))
        else:
            st.error(t("not_allowed_anyone"))
        st.stop()
    return user


def _page_address() -> str | None:
    try:
        url = st.context.url
    except (AttributeError, RuntimeError):
        return None
    return url if isinstance(url, str) else None
