"""The app's one database connection (per process) and the signed-in user."""

from __future__ import annotations

import streamlit as st

from data.accounts import ROLES, User
from data.bootstrap import prepare
from data.config import database_config
from data.store import Store
from ui.i18n import lang, t


@st.cache_resource(show_spinner="데이터베이스 준비 중 / preparing the database …")
def get_store() -> Store:
    """Open and prepare the configured database once per process (held while the app runs)."""
    return prepare(database_config()).store


def current_user() -> User | None:
    return st.session_state.get("user")


def role_label(role: str) -> str:
    ko, en = ROLES[role]
    return ko if lang() == "ko" else en


def require_role(*roles: str) -> User:
    """Server-side gate at the top of every page: stop rendering unless the role may see it."""
    user = current_user()
    if user is None:
        st.stop()
    if user.role not in roles:
        st.error(t("not_allowed", roles=", ".join(role_label(r) for r in roles)))
        st.stop()
    return user
