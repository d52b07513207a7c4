"""AppTest helpers: run the real app.py headless against a private copy of the demo database."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app(demo_path, monkeypatch):
    """The app, not yet run, on a private demo database; caches cleared before and after."""
    monkeypatch.setenv("SEOUL_DB", str(demo_path))
    monkeypatch.setenv("SEOUL_DEMO", "1")
    st.cache_resource.clear()
    yield AppTest.from_file(APP, default_timeout=60)
    st.cache_resource.clear()


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


def act_as(role: str) -> None:
    """Inside an AppTest script: be signed in as the demo account of ``role``.

    A real sign-in (password checked, a session row in the database, its id kept by the
    tab), so the pages' role checks re-read the account exactly as they do in the app. In a
    database that is not the demo, the account is made first.
    """
    import streamlit as st

    from data.accounts import authenticate, create_user
    from data.config import session_policy
    from data.staff_sessions import start_session
    from demo.accounts import DEMO_ACCOUNTS
    from ui.context import TAB_SESSION, current_user, get_store

    user = current_user()
    if user is not None and user.role == role:
        return
    name, password = next((n, pw) for n, pw, r, _ in DEMO_ACCOUNTS if r == role)
    store = get_store()
    if not store.rows("SELECT 1 FROM staff_users WHERE username = ?", [name]):
        create_user(store, name, password, role, actor="test")  # a database that is not the demo
    signed_in = authenticate(store, name, password)
    assert signed_in is not None, f"the demo account {name} could not sign in"
    st.session_state[TAB_SESSION] = start_session(store, signed_in, session_policy()).session_id


def read_db(path, what):
    """What the domain says, read on a connection closed before the page opens the file."""
    from data.store import open_store

    store = open_store(path)
    try:
        return what(store)
    finally:
        store.close()
